"""The official 自评表 layout as printed: title rows, project info, the budget block, the indicator table.

A layout description (layouts/*.yaml, one per template variant) lists the words of its template; the
reader finds the blocks by those words, not by position, so a province's template is a small data
file (docs/files.md, “如何添加一个省的模板”). Reading:

1. the indicator header is the first row naming at least 三级指标 and 实际完成值 (and a third column);
2. above it: the title (and 年度), label–value cells (项目名称 …, 规则), the budget block (a row with two
   or more budget-figure columns, then a row per fund source), the goals, printed totals;
3. the indicator rows (blank 一级/二级 cells continue the row above; blank rows skipped while indicator rows
   follow them) until a blank row before a non-indicator row (notes, signatures) or a row
   starting with a stop word (合计, 总分 …: its printed weight and score are kept, blank rows before it
   or not);
4. below: printed totals and grade, and notes.

Printed targets, weights and scores per row, the printed budget rate/weight/score, total and grade
are kept in the `ActualsFile` for `jixiao audit`; only actual values and notes are scored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from jixiao.diagnostics import Diagnostic
from jixiao.engine.actuals import ActualsFile, Printed, explains
from jixiao.io.actuals import wordlists
from jixiao.io.actuals.budget import BudgetReader, MoneyUnit, declared_units, printed_key
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.labels import Vocabulary, is_sum_label, label_key, money_unit_in, vocabulary
from jixiao.io.actuals.table import Header, TableReader, header_problems, match_header

_YEAR = re.compile(r"((?:19|20|21)\d{2})\s*年")


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    match: tuple[str, ...]
    info: dict[str, str]  # label key → info key
    budget_title: frozenset[str]
    goals: dict[str, str]  # label key → "target" / "actual"
    totals: dict[str, str]  # label key → printed key
    notes: frozenset[str]
    stop: frozenset[str]
    vocab: Vocabulary

    def words(self) -> frozenset[str]:
        """Labels that start a non-indicator row."""
        return frozenset(self.info) | frozenset(self.totals) | self.notes | self.stop | frozenset(self.goals)


@functools.cache
def layouts() -> tuple[Layout, ...]:
    """Every layout description shipped in layouts/, the general template first."""
    folder = files("jixiao.io.actuals").joinpath("layouts")
    docs = [
        wordlists.load(p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".yaml")
    ]
    docs.sort(key=lambda d: (d["name"] != "central", d["name"]))
    return tuple(_layout(d) for d in docs)


def _layout(doc: dict[str, Any]) -> Layout:
    return Layout(
        name=doc["name"],
        title=doc["title"],
        match=tuple(label_key(w) for w in doc.get("match", [])),
        info=_keys(doc.get("info", {})),
        budget_title=frozenset(label_key(w) for w in doc.get("budget_title", [])),
        goals=_keys(doc.get("goals", {})),
        totals=_keys(doc.get("totals", {})),
        notes=frozenset(label_key(w) for w in doc.get("notes", [])),
        stop=frozenset(label_key(w) for w in doc.get("stop", [])),
        vocab=vocabulary(doc.get("labels")),
    )


def _keys(groups: dict[str, list[str]]) -> dict[str, str]:
    return {label_key(word): key for key, words in groups.items() for word in words}


# -- finding the table --------------------------------------------------------------------------------------
def find_header(grid: Grid, vocab: Vocabulary) -> int | None:
    """The index of the first row that is an indicator header (三级指标, 实际完成值 and one more)."""
    for index, row in enumerate(grid.rows):
        header = match_header(row, vocab)
        if header.complete() and header.known() >= 3:
            return index
    return None


def choose(grid: Grid, header_at: int) -> Layout:
    """The layout whose words the rows above the header use most (title words count most)."""
    above = [label_key(c) for row in grid.rows[:header_at] for c in row.cells if c.strip()]
    cells = set(above)

    def score(layout: Layout) -> int:
        title = sum(10 for word in layout.match if any(word in cell for cell in above))
        return title + sum(1 for word in (*layout.info, *layout.totals) if word in cells)

    return max(layouts(), key=score)  # max keeps the first of equals: the general template


def read_official(grid: Grid, header_at: int) -> ActualsFile:
    layout = choose(grid, header_at)
    file = ActualsFile(grid.path, sheet=grid.sheet, format=grid.format, layout=layout.name)
    header = match_header(grid.rows[header_at], layout.vocab)
    file.origin = grid.row_span(header.row)
    problems = header_problems(grid, header, strict=False, file=file)
    file.diagnostics.extend(problems)
    budget = BudgetReader(file, layout.vocab, money_units_above(grid, grid.rows[:header_at]), grid.formula_at)
    _above(grid, grid.rows[:header_at], layout, file, budget)
    end = _indicators(grid, header_at, header, layout, file, budget)
    if not file.budget_note:
        file.budget_note = _rate_note(file, layout.vocab)
    _below(grid, grid.rows[end:], layout, file)
    file.project = file.info.get("项目名称", "")
    file.ruleset = file.info.get("规则") or None
    return file


def _rate_note(file: ActualsFile, vocab: Vocabulary) -> str:
    """The 偏差原因 of an indicator row 预算执行率 (资金执行率): the budget block of the official layout has
    no note column, and tables explain a low execution rate there (it explains the budget block's, F163)."""
    for entry in file.entries:
        if explains(entry.row.note) and vocab.printed(entry.row.name) == "执行率":
            return entry.row.note
    return ""


# -- above the header: title, info, budget block, goals, totals ------------------------------------------
def _above(grid: Grid, rows: list[Row], layout: Layout, file: ActualsFile, budget: BudgetReader) -> None:
    title(grid, rows, file)
    skip: set[int] = set()
    for index, row in enumerate(rows):
        if index in skip:
            continue
        figures = _budget_columns(row, layout.vocab)
        if len(figures) >= 2:
            if file.budget_block is None:
                first = next(i for i, cell in enumerate(row.cells) if cell.strip())
                file.budget_block = grid.span(row, first)
            skip.update(_budget_block(grid, rows, index, figures, layout, budget))
            continue
        if _goals(rows, index, layout, file):
            skip.add(index + 1)
            continue
        _pairs(grid, row, layout, file)


def title(grid: Grid, rows: list[Row], file: ActualsFile) -> None:
    """The title (and 年度, with its cell) of the first rows above a header: a row of one text (a merged
    cell)."""
    for row in rows[:4]:
        text = distinct(row)
        if len(text) == 1:
            file.info.setdefault("标题", text[0].strip())
            year = _YEAR.search(text[0].replace(" ", ""))
            if year and "年度" not in file.info:
                file.info["年度"] = year.group(1)
                column = next(i for i, cell in enumerate(row.cells) if cell.strip())
                file.year_span = grid.span(row, column)


def distinct(row: Row) -> list[str]:
    """The row's non-blank cells, a merged cell's copies once."""
    out: list[str] = []
    for cell in row.cells:
        if cell.strip() and (not out or out[-1] != cell):
            out.append(cell)
    return out


def money_units_above(grid: Grid, rows: list[Row]) -> list[MoneyUnit]:
    """The cells above a header that declare a money unit (单位：元 in the title rows, 项目资金（万元） on the
    budget block, 全年预算数（万元） over a figure): the first, and the first of another unit if any (two
    units are E531 at the amount they would complete, `BudgetReader.two_units`)."""
    found: list[MoneyUnit] = []
    for row in rows:
        for index, cell in enumerate(row.cells):
            unit = money_unit_in(cell) if ("元" in cell and index not in row.copies) else None
            if unit:
                found = declared_units(
                    [*found, MoneyUnit(unit, "".join(cell.split()), grid.span(row, index))]
                )
                if len(found) > 1:
                    return found
    return found


def _budget_columns(row: Row, vocab: Vocabulary) -> dict[int, tuple[str, str]]:
    """Columns of a budget header: index → ("figure", 全年预算数), ("printed", 执行率) or ("note", "note")
    (a 偏差原因分析 column beside the figures: the budget's explanation)."""
    found: dict[int, tuple[str, str]] = {}
    for index, cell in enumerate(row.cells):
        figure = vocab.budget_figure(cell) if cell.strip() else None
        printed = vocab.printed(cell) if cell.strip() and figure is None else None
        if figure is not None:
            found[index] = ("figure", figure)
        elif printed is not None:
            found[index] = ("printed", printed)
        elif cell.strip() and vocab.column(cell) == "note":
            found[index] = ("note", "note")
    return found if sum(1 for kind, _ in found.values() if kind == "figure") >= 2 else {}


def _budget_block(
    grid: Grid,
    rows: list[Row],
    at: int,
    columns: dict[int, tuple[str, str]],
    layout: Layout,
    budget: BudgetReader,
) -> set[int]:
    """Read the fund-source rows under a budget header; the indices of the rows read."""
    first = min(columns)
    used = {at}
    names = {i: rows[at].cells[i].strip() for i in columns}
    for index in range(at + 1, len(rows)):
        row = rows[index]
        label = _row_label(row, first, layout)
        amounts = [row.cell(i) for i, (kind, _) in columns.items() if kind == "figure"]
        numbers = any(any(ch.isdigit() for ch in cell) for cell in amounts)
        known = label and layout.vocab.budget_row(label) is not None
        if (
            row.is_blank()
            or (
                label_key(label) in layout.words() and not (known and numbers)
            )  # 合计 | 350 | 350: 年度资金总额
            or not (known or numbers)
            or _pairs_row(row, layout)
        ):
            break  # a title row merged across (绩效指标), the goals, a totals row, or the end of the block
        used.add(index)
        name = budget.row_name(label)
        for column, (kind, key) in columns.items():
            span = grid.span(row, column, names[column])
            if kind == "figure":
                budget.amount(name, key, row.cell(column), span)
            elif kind == "note":
                if explains(row.cell(column)):  # a dash (—, /, 无) explains nothing (F106)
                    budget.file.budget_note = budget.file.budget_note or row.cell(column).strip()
            elif name == "年度资金总额":
                budget.printed(
                    printed_key(key), row.cell(column), span, dict(row.shown_values).get(column, "")
                )
    return used


def _pairs_row(row: Row, layout: Layout) -> bool:
    """A row of label–value pairs (总分值 | 100 | 总得分 | 87.47), never a fund source: it may follow the
    budget rows without a blank row between."""
    return any(
        label_key(cell) in layout.totals or label_key(cell) in layout.info
        for cell in row.cells
        if cell.strip()
    )


def _row_label(row: Row, first: int, layout: Layout) -> str:
    """A budget row's label: the rightmost cell left of the amounts that is not the block's title."""
    for cell in reversed(row.cells[:first]):
        if cell.strip() and label_key(cell) not in layout.budget_title:
            return cell.strip()
    return ""


def _goals(rows: list[Row], index: int, layout: Layout, file: ActualsFile) -> bool:
    """A row 预期目标 | 目标实际完成情况 whose values are in the row below, column by column."""
    kinds = {
        i: layout.goals[label_key(c)] for i, c in enumerate(rows[index].cells) if label_key(c) in layout.goals
    }
    if len(set(kinds.values())) < 2 or index + 1 >= len(rows):
        return False
    below = rows[index + 1]
    for column, kind in kinds.items():
        key = "预期目标" if kind == "target" else "目标实际完成情况"
        value = below.cell(column).strip()
        if value and below.cell(column) != rows[index].cell(column):  # not a vertical merge's copy
            file.info.setdefault(key, value)
    return True


def _pairs(grid: Grid, row: Row, layout: Layout, file: ActualsFile) -> None:
    """Label–value cells in a row: 项目名称 | X, 总分值 | 100.00 | 总得分 | 99.31."""
    labels = frozenset(layout.info) | frozenset(layout.totals)
    for label, column, value in _label_values(row, labels):
        key = label_key(label)
        if key in layout.info:
            file.info.setdefault(layout.info[key], value)
        elif key in layout.totals:
            printed = layout.totals[key]
            file.printed.setdefault(printed, Printed(value, grid.span(row, column, label.strip())))


def _label_values(row: Row, labels: frozenset[str] = frozenset()) -> Iterator[tuple[str, int, str]]:
    """(label, value column, value): a cell followed by a different non-blank cell, or `label：value`.
    A known label (`labels`: label keys) is never a value: 主管部门 | (blank) | 实施单位 | X gives 主管部门
    no value (it was read as 「实施单位」), and 实施单位 its X."""
    cells = row.cells
    for index, cell in enumerate(cells):
        head, colon, tail = cell.replace(":", "：").partition("：")
        if colon and head.strip() and tail.strip():
            yield head, index, tail.strip()
    index = 0
    while index < len(cells):
        label = cells[index]
        value_at = index + 1
        while value_at < len(cells) and (not cells[value_at].strip() or cells[value_at] == label):
            value_at += 1
        if label.strip() and value_at < len(cells) and label_key(cells[value_at]) in labels:
            index = value_at  # the label's value is blank: the next cell is a label of its own
        elif label.strip() and value_at < len(cells):
            yield label, value_at, cells[value_at].strip()
            index = value_at + 1
            while index < len(cells) and cells[index] == cells[value_at]:  # the value's merged copies
                index += 1
        else:
            index += 1


# -- the indicator rows and what is below them ---------------------------------------------------------
def _indicators(
    grid: Grid, header_at: int, header: Header, layout: Layout, file: ActualsFile, budget: BudgetReader
) -> int:
    """Read indicator rows; the index of the first row after the table."""
    reader = TableReader(grid, header, file, budget, continued=True)
    stops = layout.words()
    index = header_at + 1
    while index < len(grid.rows):
        row = grid.rows[index]
        if row.is_blank():
            after = next((i for i in range(index, len(grid.rows)) if not grid.rows[i].is_blank()), None)
            if after is not None and _subtotal(grid, after, header, layout):
                index = after  # a spacer row before a subtotal row: the table goes on
                continue
            if after is not None and _table_totals(grid.rows[after], layout):
                index = after  # a spacer row before the 合计 row: its printed totals are read below
                break
            if after is None or not _continues(grid.rows[after], header, layout):
                break  # the end of the table: notes, signatures, or nothing follow
            index = after  # a spacer row: indicator rows follow
            continue
        if _subtotal(grid, index, header, layout):
            reader.row(row, subtotal=True)  # read as the 小计 it is (the importer's, audit's `SUBTOTAL`)
            index += 1
            continue
        if _parts(_first(row)) & stops or _is_header_again(row, layout):
            _rows_below(grid, index, header, layout, file)
            break
        reader.row(row)
        index += 1
    if index < len(grid.rows) and _totals_row(grid.rows[index], layout):
        if _table_totals(grid.rows[index], layout):
            reader.totals(grid.rows[index])  # 合计 / 总分 / 总分值 / 总得分 in the weight and score columns
        _pairs(grid, grid.rows[index], layout, file)  # and 等级：优 beside them; or the row's pairs
        index += 1
    return index


def _subtotal(grid: Grid, index: int, header: Header, layout: Layout) -> bool:
    """Whether row `index` is a subtotal inside the indicator block, not the table's end: a sum label
    (合计, 合  计, 合计：, 总计, 产出指标合计, 分值合计 …, `is_sum_label`) in a column right of the 一级
    column, whose 一级 — blank, written again or merged down — continues the group above (空白即同上), with
    indicator rows below it (after blank rows or not). It was read as the table's 合计 row: every row
    below it was left out, without a word. The table's own 合计 row starts at the 一级 column, or has no
    indicator row below it."""
    row = grid.rows[index]
    level1 = header.index("level1")
    start = level1 + 1 if level1 is not None else 0  # the 一级 written again (or merged down) is 同上 too
    first = next((i for i in range(start, len(row.cells)) if row.cells[i].strip()), None)
    if first is None or not is_sum_label(row.cells[first]):
        return False
    if level1 is not None and is_sum_label(row.cells[level1]):
        return False  # 合计 | 合计 …: a label merged across the level columns, the table's own total
    return _indicator_below(grid, index, header, layout) is not None


def _indicator_below(grid: Grid, index: int, header: Header, layout: Layout) -> int | None:
    """The index of the first non-blank row below row `index` when it is an indicator row: one that
    `_continues` the table, with a number in its 分值 column when there is one (a signature row under
    the 合计 row, 单位负责人 | | 财务负责人 | | 填表人, is none)."""
    after = next((i for i in range(index + 1, len(grid.rows)) if not grid.rows[i].is_blank()), None)
    if after is None or not _continues(grid.rows[after], header, layout):
        return None
    weight = header.index("weight")
    if weight is not None and not _WEIGHT.fullmatch(grid.rows[after].cell(weight).strip()):
        return None
    return after


_WEIGHT = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％分]?")


def _rows_below(grid: Grid, index: int, header: Header, layout: Layout, file: ActualsFile) -> None:
    """E538 at a row that ends the table (合计 in the 一级 column, 说明, 总分值 …) with indicator rows
    below it: those rows are not read, which must not go unsaid."""
    below = _indicator_below(grid, index, header, layout)
    if below is None or _is_header_again(grid.rows[index], layout):
        return
    row = grid.rows[index]
    first = next(i for i, cell in enumerate(row.cells) if cell.strip())
    args: dict[str, object] = {
        "row": row.number, "label": row.cells[first].strip(), "next": grid.rows[below].number,
    }  # fmt: skip
    file.diagnostics.append(Diagnostic("E538", grid.span(row, first), args))


def _totals_row(row: Row, layout: Layout) -> bool:
    """A row starting with a stop or totals word (合计, 总分, 总分值 …): the table's printed totals, in its
    weight and score columns (`_table_totals`) or as label–value pairs (`_pairs`)."""
    return bool(_parts(_first(row)) & (layout.stop | frozenset(layout.totals)))


def _table_totals(row: Row, layout: Layout) -> bool:
    """The table's own totals row (合计 | | | | 100 | 87.47), its totals in the table's weight and score
    columns, right under the table or after blank rows. A row of label–value pairs (总分值 | 100 | 总得分 |
    87.47 | 等级 | 优) is not one: its pairs are read (`_pairs`), not its columns (总分值 was read as 优)."""
    first = _first(row)
    if not _totals_row(row, layout):
        return False
    return not any(label_key(cell) in layout.totals for cell in row.cells if cell.strip() and cell != first)


def _continues(row: Row, header: Header, layout: Layout) -> bool:
    """Whether the first row after blank rows is an indicator row (the table goes on past a spacer row):
    a 三级指标 beside a target, actual or weight of its own (not a merged note's copies), no stop word,
    label or header, no `label：value` (a signature line)."""
    name = row.cell(header.index("name")).strip()
    if not name or "：" in name or ":" in name:
        return False
    if _parts(_first(row)) & layout.words() or _is_header_again(row, layout):
        return False
    columns = (header.index(field) for field in ("actual", "target", "weight"))
    return any(row.cell(i).strip() and row.cell(i).strip() != name for i in columns if i is not None)


def _parts(label: str) -> frozenset[str]:
    """A label's keys, and those of its parts when it combines several: 总分值 / 总得分."""
    return frozenset(label_key(part) for part in (label, *re.split(r"[/／、]", label)) if part.strip())


def _is_header_again(row: Row, layout: Layout) -> bool:
    return match_header(row, layout.vocab).complete()


def _first(row: Row) -> str:
    return next((c for c in row.cells if c.strip()), "")


def _below(grid: Grid, rows: list[Row], layout: Layout, file: ActualsFile) -> None:
    for row in rows:
        if row.is_blank():
            continue
        first = _first(row)
        if label_key(first) in layout.totals or label_key(first) in layout.info:
            _pairs(grid, row, layout, file)
        else:
            file.notes.append(" ".join(distinct(row)))
