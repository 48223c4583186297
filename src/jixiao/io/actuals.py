"""Actual-value files (实际完成值): CSV rows checked by pydantic, values read as literals.

One row per indicator, plus rows for the budget figures::

    一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施
    预算执行,年度资金总额,全年预算数,970.00,
    产出指标,数量指标,享受补贴人数,约发放人数1.11万人,

Every problem names the file, the row and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import ValidationError

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.actuals import ActualRow, ActualsFile, BudgetFigure, Entry
from jixiao.language.literals import LiteralError, parse_actual, parse_quantity
from jixiao.language.quantity import Actual
from jixiao.language.variants import first_traditional, simplified
from jixiao.source import read_text

COLUMNS: dict[str, str] = {
    "一级指标": "level1",
    "level1": "level1",
    "二级指标": "level2",
    "level2": "level2",
    "三级指标": "name",
    "指标": "name",
    "指标名称": "name",
    "name": "name",
    "indicator": "name",
    "实际完成值": "actual",
    "实际值": "actual",
    "actual": "actual",
    "偏差原因分析及改进措施": "note",
    "偏差原因": "note",
    "说明": "note",
    "note": "note",
    "调整得分": "adjusted",
    "adjusted_score": "adjusted",
    "调整理由": "reason",
    "adjust_reason": "reason",
    "指标值": "target",
    "target": "target",
    "分值": "weight",
    "weight": "weight",
    "得分": "score",
    "score": "score",
    "得分系数": "coefficient",
    "得分系数(%)": "coefficient",
    "得分系数（%）": "coefficient",
    "coefficient": "coefficient",
}
REQUIRED = ("name", "actual")
HEADER_HELP = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施[,调整得分,调整理由]"

NO_AMOUNT = frozenset({"", "/", "／", "—", "——", "-", "--", "－"})
BUDGET_LEVELS = frozenset({"预算执行", "项目资金", "资金", "budget"})
BUDGET_ROWS: dict[str, str] = {
    "年度资金总额": "年度资金总额",
    "total": "年度资金总额",
    "本年财政拨款": "本年财政拨款",
    "其中本年财政拨款": "本年财政拨款",
    "财政拨款": "本年财政拨款",
    "上年结转资金": "上年结转资金",
    "其中上年结转资金": "上年结转资金",
    "其他资金": "其他资金",
    "其中其他资金": "其他资金",
}
BUDGET_FIGURES: dict[str, str] = {
    "年初预算数": "年初预算数",
    "initial_budget": "年初预算数",
    "全年预算数": "全年预算数",
    "调整后预算数": "全年预算数",
    "annual_budget": "全年预算数",
    "全年执行数": "全年执行数",
    "执行数": "全年执行数",
    "executed": "全年执行数",
}


ActualsSource = ActualsFile | str | Path | Iterable[Mapping[str, str]]


def load_actuals(source: ActualsSource, *, path: str | None = None) -> ActualsFile:
    """Read actual values from a CSV path, CSV text, or rows of {column header: cell}."""
    if isinstance(source, ActualsFile):
        return source
    if isinstance(source, Path):
        return read_actuals(source)
    if isinstance(source, str):
        if "\n" not in source:
            return read_actuals(source)
        return parse_actuals(source, path or "<actuals>")
    return from_rows(source, path or "<rows>")


def read_actuals(path: str | Path) -> ActualsFile:
    """Read an actual-value CSV file; raise JixiaoError listing every bad cell."""
    return parse_actuals(read_text(path), str(path))


def parse_actuals(text: str, path: str = "<actuals>") -> ActualsFile:
    rows, lines = _records(text, path)
    result = ActualsFile(path)
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise JixiaoError.single("E501", Span(path, 1, 1), column="三级指标", expected=HEADER_HELP)
    header = _header(rows[0], path)
    for index, cells in enumerate(rows[1:], start=1):
        if any(cell.strip() for cell in cells):
            _read_row(result, header, cells, lines[index] if index < len(lines) else index + 1)
    if result.diagnostics:
        raise JixiaoError(result.diagnostics)
    return result


def from_rows(rows: Iterable[Mapping[str, str]], path: str = "<rows>") -> ActualsFile:
    """Build an actual-value file from dicts keyed by column headers (for embedders)."""
    buffer = io.StringIO()
    rows = list(rows)
    headers = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return parse_actuals(buffer.getvalue(), path)


MAX_CELL = 100_000  # characters; a longer cell is not an actual value


def _records(text: str, path: str) -> tuple[list[list[str]], list[int]]:
    """The CSV records and the line on which each starts (records may span lines).

    The csv module's own errors (a cell over its size limit, a NUL) become E514 at the record.
    """
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    starts, previous = [], 0
    try:
        for cells in reader:
            if any(len(cell) > MAX_CELL for cell in cells):
                line = previous + 1
                reason = (f"单元格超过 {MAX_CELL} 个字符", f"a cell longer than {MAX_CELL} characters")
                raise JixiaoError.single("E514", Span(path, line, 1), line=line, reason=reason)
            rows.append(cells)
            starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        line = previous + 1
        reason = (f"CSV 格式错误：{exc}", f"malformed CSV: {exc}")
        raise JixiaoError.single("E514", Span(path, line, 1), line=line, reason=reason) from None
    return rows, starts


def _header(cells: list[str], path: str) -> list[str]:
    names: list[str] = []
    problems: list[Diagnostic] = []
    for column, cell in enumerate(cells, start=1):
        key = COLUMNS.get(simplified(cell.strip().lstrip("\ufeff")))
        if key is None:
            problems.append(_unknown_column(cell, Span(path, 1, column, column_name=cell.strip())))
        names.append(key or "")
    for required in REQUIRED:
        if required not in names:
            label = "三级指标" if required == "name" else "实际完成值"
            problems.append(Diagnostic("E501", Span(path, 1, 1), {"column": label, "expected": HEADER_HELP}))
    if problems:
        raise JixiaoError(problems)
    return names


def _unknown_column(cell: str, span: Span) -> Diagnostic:
    from difflib import get_close_matches

    close = get_close_matches(cell.strip(), list(COLUMNS), n=1, cutoff=0.5)
    return Diagnostic(
        "E502",
        span,
        {"column": cell.strip(), "expected": HEADER_HELP},
        suggestion=close[0] if close else None,
    )


def _read_row(result: ActualsFile, header: list[str], cells: list[str], line: int) -> None:
    if len(cells) < len(header):  # spreadsheets drop trailing empty cells: they are blank, not missing
        cells = cells + [""] * (len(header) - len(cells))
    if len(cells) != len(header):
        span = Span(result.path, line, 1)
        result.diagnostics.append(
            Diagnostic("E512", span, {"row": line, "got": len(cells), "expected": len(header)})
        )
        return
    values = {key: cell for key, cell in zip(header, cells, strict=True) if key}
    spans = {
        key: Span(result.path, line, i + 1, column_name=cells_header(header, i))
        for i, key in enumerate(header)
        if key
    }
    _note_traditional(result, values, spans)
    try:
        row = ActualRow(**values)
    except ValidationError as exc:  # pragma: no cover - every cell is text
        result.diagnostics.append(Diagnostic("E505", spans.get("name"), {"text": "", "reason": str(exc)}))
        return
    if simplified(row.level1) in BUDGET_LEVELS:
        _read_budget(result, row, spans)
    else:
        result.entries.append(Entry(row, _parse_value(result, row, spans), line, spans))


def _note_traditional(result: ActualsFile, values: dict[str, str], spans: dict[str, Span]) -> None:
    """Remember cells written in traditional characters: they are read as simplified, with a finding."""
    for key, cell in values.items():
        if first_traditional(cell) is not None:
            result.traditional.append((cell.strip(), spans[key]))


def cells_header(header: list[str], index: int) -> str:
    reverse = {
        "level1": "一级指标",
        "level2": "二级指标",
        "name": "三级指标",
        "actual": "实际完成值",
        "note": "偏差原因分析及改进措施",
        "adjusted": "调整得分",
        "reason": "调整理由",
        "target": "指标值",
        "weight": "分值",
        "score": "得分",
        "coefficient": "得分系数",
    }
    return reverse.get(header[index], header[index])


def _parse_value(result: ActualsFile, row: ActualRow, spans: dict[str, Span]) -> Actual | None:
    if not row.actual and (row.coefficient or row.adjusted or row.score):
        return None  # a 得分系数, an asserted score or a printed 小计: the engine decides if blank is fine
    try:
        return parse_actual(row.actual)
    except LiteralError as exc:
        result.diagnostics.append(_value_error(exc, row, spans["actual"]))
        return None


def _value_error(exc: LiteralError, row: ActualRow, span: Span) -> Diagnostic:
    if exc.reason == "empty":
        return Diagnostic("E504", span, {"name": row.name})
    if exc.reason in ("formula", "error_value"):
        return Diagnostic("E509", span, {"text": row.actual})
    reason = (exc.message("zh"), exc.message("en"))
    return Diagnostic("E505", span, {"text": row.actual, "reason": reason})


def _read_budget(result: ActualsFile, row: ActualRow, spans: dict[str, Span]) -> None:
    row_name = BUDGET_ROWS.get(simplified(row.level2) or "年度资金总额")
    figure = BUDGET_FIGURES.get(simplified(row.name))
    if row_name is None or figure is None:
        bad, column = (row.level2, "level2") if row_name is None else (row.name, "name")
        known = "、".join(
            dict.fromkeys(BUDGET_ROWS.values() if row_name is None else BUDGET_FIGURES.values())
        )
        result.diagnostics.append(Diagnostic("E513", spans[column], {"name": bad, "expected": known}))
        return
    if row.note:
        result.budget_note = row.note
    if row.adjusted:  # the budget score adjusted like an indicator's (was ignored without a word)
        result.budget_adjustment = (row.adjusted, row.reason, spans.get("adjusted") or spans["name"])
    if row.actual.strip() in NO_AMOUNT:
        return  # blank, —, -, / in a budget amount mean "no amount" (E504 would ask for "/" itself)
    try:
        quantity = parse_quantity(row.actual)
    except LiteralError as exc:
        result.diagnostics.append(_value_error(exc, row, spans["actual"]))
        return
    result.budget.append(BudgetFigure(row_name, figure, quantity, spans["actual"]))
