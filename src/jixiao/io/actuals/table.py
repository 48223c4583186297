"""Indicator tables: a header row naming the columns, then one row per indicator (or budget figure).

The simple layout ("columns") is exactly that, the header on the first non-blank row. The official
layout (official.py) finds the same kind of header further down and reads its rows with `TableReader`
too, with blank 一级/二级 cells continuing the row above (merged cells as printed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from difflib import get_close_matches
from fractions import Fraction
from itertools import pairwise

from jixiao.diagnostics import Diagnostic, Span, column_letter
from jixiao.engine.actuals import SURROGATE, ActualRow, ActualsFile, Entry, Printed
from jixiao.engine.results import Finding
from jixiao.io.actuals.budget import BudgetReader, MoneyUnit
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.labels import (
    FIELD_NAMES,
    HEADER_HELP,
    ROW_FIELDS,
    SCORE_LIKE,
    Vocabulary,
    column_labels,
    column_unit,
    is_known_unit,
    label_key,
)
from jixiao.language.literals import COMPARATOR_WORDS, LiteralError, normalize, parse_actual, parse_target
from jixiao.language.quantity import (
    MAGNITUDES,
    Actual,
    NumericActual,
    NumericTarget,
    Quantity,
    RangeTarget,
    UnitError,
    number_text,
    read_as,
    resolve_unit,
)
from jixiao.language.variants import first_traditional, simplified
from jixiao.limits import MAX_REPEATS

REQUIRED = ("name", "actual")
SINGLE = ("level1", "level2", "name", "actual", "note", "adjusted", "reason", "target", "weight", "score",
          "item_score", "unit", "comparator", "project", "ruleset")  # fmt: skip
FULL_WIDTH_COMMA = "，"
TOTAL_ROWS = frozenset({"合计", "总分", "总计", "总分值", "总得分"})  # a row printing the totals
# columns that only place or describe a row: a row with no 三级指标 holding these alone holds nothing
LABELS = frozenset({None, "skip", "level1", "level2", "project", "ruleset", "unit", "comparator"})
PRINTED_TOTALS = (("weight", "总分值"), ("score", "总得分"))  # a totals row's columns → `ActualsFile.printed`


@dataclass(frozen=True)
class Header:
    row: Row
    fields: tuple[str | None, ...]  # what each column fills; None: unknown
    units: dict[str, str] = dataclass_field(default_factory=dict, compare=False)  # `header_units`

    def index(self, name: str) -> int | None:
        return self.fields.index(name) if name in self.fields else None

    def known(self) -> int:
        return sum(1 for f in self.fields if f is not None)

    def complete(self) -> bool:
        return all(f in self.fields for f in REQUIRED)


UNIT_FIELDS = ("actual", "target")  # the columns whose header may give their bare numbers a unit


def match_header(row: Row, vocab: Vocabulary) -> Header:
    copies = row.copies  # a header cell merged across columns names one column, not several (E517)
    fields = tuple(
        vocab.column(cell) if cell.strip() and i not in copies else None for i, cell in enumerate(row.cells)
    )
    return Header(row, fields, header_units(row.cells, fields))


def header_units(cells: tuple[str, ...], fields: tuple[str | None, ...]) -> dict[str, str]:
    """The unit a value or target column's header names (`实际完成值（万元）` → {"actual": "万元"}): the
    unit written for that column's bare numbers, as a 度量单位 cell is (`with_unit`)."""
    units: dict[str, str] = {}
    for cell, name in zip(cells, fields, strict=False):
        unit = column_unit(cell) if name in UNIT_FIELDS else None
        if name is not None and unit is not None:
            units[name] = unit
    return units


def header_problems(grid: Grid, header: Header, strict: bool, file: ActualsFile) -> list[Diagnostic]:
    """Unknown columns (E502, or F111 in a printed template), one field in two columns (E517), E501."""
    problems: list[Diagnostic] = []
    first_of: dict[str, int] = {}
    unknown = 0  # columns past MAX_REPEATS are counted, not looked at: 100 000 of them took a minute
    for index, (cell, field) in enumerate(zip(header.row.cells, header.fields, strict=True)):
        if field is None and cell.strip() and index not in header.row.copies:
            unknown += 1
            if unknown > MAX_REPEATS:
                continue
            span = grid.span(header.row, index, cell.strip())
            if strict:
                problems.append(_unknown_column(cell, span))
            else:
                file.findings.append(Finding("F111", None, {"column": cell.strip()}))
            continue
        if field in SINGLE and field in first_of:
            span = grid.span(header.row, index, cell.strip())
            first = header.row.cells[first_of[field]].strip()
            meaning = _meaning(field)
            problems.append(
                Diagnostic("E517", span, {"first": first, "second": cell.strip(), "meaning": meaning})
            )
        elif field is not None:
            first_of.setdefault(field, index)
    if unknown > MAX_REPEATS:
        _more_columns(problems, file, unknown - MAX_REPEATS, strict)
    if any(p.code == "E519" for p in problems):
        return problems  # the columns are there, typed with `，`: no E501 for each of them
    for required in REQUIRED:
        if required not in header.fields:
            span = grid.row_span(header.row)
            problems.append(
                Diagnostic("E501", span, {"column": FIELD_NAMES[required], "expected": HEADER_HELP})
            )
    return problems


def _more_columns(problems: list[Diagnostic], file: ActualsFile, more: int, strict: bool) -> None:
    """The unknown columns past MAX_REPEATS: counted on the last one shown (`Diagnostic.more`), or, in a
    printed template (F111, not an error), one more finding that says how many."""
    if not strict:
        file.findings.append(Finding("F111", None, {"column": (f"……（另有 {more} 列）", f"… ({more} more)")}))
        return
    at = max(i for i, p in enumerate(problems) if p.code in ("E502", "E519"))
    problems[at] = replace(problems[at], more=problems[at].more + more)


def _meaning(field: str) -> tuple[str, str]:
    name = FIELD_NAMES.get(field, field)
    return (f"「{name}」列", f"the “{name}” column")


def _unknown_column(cell: str, span: Span) -> Diagnostic:
    if FULL_WIDTH_COMMA in cell:
        return Diagnostic("E519", span)
    suggestion = close_column(cell)
    return Diagnostic("E502", span, {"column": cell.strip(), "expected": HEADER_HELP}, suggestion=suggestion)


MAX_COLUMN_CHARS = 40  # a header cell longer than this is no typo of a column name: no suggestion


def close_column(cell: str) -> str | None:
    """The known column name a header cell is probably meant to be (a typo), or None."""
    if not cell.strip() or len(cell) > MAX_COLUMN_CHARS:
        return None
    close = get_close_matches(label_key(cell), list(column_labels()), n=1, cutoff=0.5)
    return close[0] if close else None


def no_header(cells: Iterable[str], vocab: Vocabulary, once: bool = False) -> bool:
    """Whether no cell of a first row (split at 「，」: a header typed with full-width commas is E519) is a
    known column or a typo of one (E502): a readme, a letter, not a table. A label with its value after a
    colon (`项目名称：某项目`, `备注：见附件`, as a note file starts) is text, not a typo of a column.
    `once`: the cells are looked up without the label caches (a YAML/JSON document's keys, each seen once)."""
    parts = [part for cell in cells for part in cell.split(FULL_WIDTH_COMMA) if part.strip()]
    column = vocab.column_once if once else vocab.column
    if any(column(part) for part in parts):
        return False
    # typos are looked for in the first cells only: a row of 100 000 unknown words is no header either
    return not any(not LABEL_VALUE.search(part) and close_column(part) for part in parts[:MAX_REPEATS])


LABEL_VALUE = re.compile(r"[:：]\s*[^\s)）】\]]")  # `项目名称：某项目`; not `三级指标：` nor `（单位：万元）`


class TableReader:
    """Reads indicator rows below a header into an `ActualsFile`."""

    def __init__(
        self, grid: Grid, header: Header, file: ActualsFile, budget: BudgetReader, continued: bool
    ) -> None:
        self.grid = grid
        self.header = header
        self.file = file
        self.budget = budget
        self.continued = continued  # a blank 一级/二级 cell continues the row above (printed tables)
        self.width = len(header.fields)
        # In delimited text an extra cell means a stray separator shifted the row (E512); in a sheet
        # the columns are fixed, and a value right of the header's columns belongs to none (E534).
        self.shifts = grid.format in ("csv", "tsv", "rows")
        self.names = ["" if i in header.row.copies else c.strip() for i, c in enumerate(header.row.cells)]
        self.above = {"level1": "", "level2": ""}
        self.remarks: Finding | None = None  # F178: text in columns without a header, counted
        self.blank = [i for i, name in enumerate(self.names) if not name]  # header cells left blank
        self.item_at = header.index("item_score") if header.index("score") is not None else None
        self._unread_scores()

    def _unread_scores(self) -> None:
        """The score-like columns no row is read from (`ScoreCells.unread`, which `jixiao audit` and
        `jixiao import` report): a 单项得分 column without a 得分/折算得分 column (out of 100, or the row's
        score? the table does not say), a header such as 考核得分 that no list names (F111 says it too)."""
        for index, (name, field) in enumerate(zip(self.names, self.header.fields, strict=False)):
            alone = field == "item_score" and self.item_at is None
            unknown = field is None and bool(name) and SCORE_LIKE.search(label_key(name)) is not None
            if alone or unknown:
                unread = self.file.score_cells().unread
                if len(unread) >= MAX_REPEATS:  # 100 000 columns named 得分1, 得分2 …: said this many times
                    return
                span = self.grid.span(self.header.row, index, name)
                unread.append((name, span, "alone" if alone else "unknown"))

    def read(self, rows: Iterable[Row]) -> None:
        for row in rows:
            if not row.is_blank():
                self.row(row)

    def row(self, row: Row, subtotal: bool = False) -> None:
        """Read one row. `subtotal`: a sum row inside the block (official.py `_subtotal`), read as an
        indicator row (the importer and `jixiao audit` take it for the 小计 it is), not as the totals."""
        if not subtotal and label_key(next((c for c in row.cells if c.strip()), "")) in TOTAL_ROWS:
            self.totals(row)
            return
        cells, broken = self._cells(row)
        values = {
            f: cells[i].strip() for i, f in enumerate(self.header.fields) if f is not None and f != "skip"
        }
        spans = {f: self.grid.span(row, i, self.names[i]) for i, f in enumerate(self.header.fields) if f}
        if any(map(SURROGATE.search, values.values())):
            self._surrogates(values, spans, row)
            return
        if subtotal and not values.get("name") and values.get("level2"):
            # 合计 written in the 二级 column, the 三级 blank: the subtotal's name (not E529, nameless)
            values["name"], values["level2"], spans["name"] = values["level2"], "", spans["level2"]
        across = self._across_levels(row)
        if across:  # where a message about its levels points: the one cell spanning both columns (E515)
            first, second = self.header.index("level1") or 0, self.header.index("level2") or 0
            both = f"{self.names[first]}+{self.names[second]}"
            spans["level1"] = spans["level2"] = self.grid.span(row, first, both)
        self._continue(values, across)
        if self._budget_without_level(values, spans):
            return
        fields = {k: v for k, v in values.items() if k in ROW_FIELDS}
        fields.setdefault("name", "")
        fields.setdefault("actual", "")
        broken = self._unit_conflicts(row, values, spans) or broken
        own = self._money_unit(values, spans)
        with_unit(fields, values, self.header.units)
        self._note_traditional(values, spans)
        entry_row = ActualRow(**fields)
        if self.budget.vocab.is_budget_level(entry_row.level1):
            if broken or own is None or not self.budget.two_units(values["actual"], own):
                self.budget.table_row(entry_row, spans)
            return
        if not entry_row.name:
            self._nameless(spans, row)
            return
        value = None if broken else self._value(entry_row, spans)
        if (
            isinstance(value, NumericActual)
            and value.as_date
            and self.header.index("actual") in row.unsure_months
        ):
            value = replace(value, unsure_month=True)  # a number cell 2020.1: 2020.10 typed? (E610)
        self.file.entries.append(Entry(entry_row, value, row.number, spans))
        self._score_cells(row, values, spans)

    def _score_cells(self, row: Row, values: dict[str, str], spans: dict[str, Span]) -> None:
        """The row's 单项得分 beside its 折算得分, and its 得分 cell when merged over several rows
        (`ScoreCells`, for `jixiao audit` and `jixiao import`)."""
        if self.item_at is not None and values.get("item_score"):
            self.file.score_cells().items[row.number] = Printed(values["item_score"], spans["item_score"])
        at = self.header.index("score")
        for index, first, last in row.merged_down:
            if index == at:
                self.file.score_cells().merged[row.number] = (first, last)

    def _budget_without_level(self, values: dict[str, str], spans: dict[str, Span]) -> bool:
        """E542 for a row naming a budget figure (全年预算数 …) whose 一级 cell is blank where a blank is not
        同上 (a simple table): it would be matched as an indicator of that name (E503, and E510 for the
        figure missing); never read either way."""
        if "level1" not in spans or values.get("level1") or not values.get("name"):
            return False
        if self.budget.vocab.budget_figure(values["name"]) is None:
            return False
        self.file.diagnostics.append(Diagnostic("E542", spans["level1"], {"name": values["name"]}))
        self.file.budget_unreadable = True
        return True

    def _money_unit(self, values: dict[str, str], spans: dict[str, Span]) -> MoneyUnit | None:
        """The cell whose unit completes a budget row's bare amount (`with_unit`): its 计量单位 cell, else its
        column header (`实际完成值（元）`); None for an indicator row or an amount written with its unit. A
        title's 单位：万元 of another unit makes the amount read two ways (E531, `BudgetReader.two_units`)."""
        text = values.get("actual", "")
        if not self.budget.vocab.is_budget_level(values.get("level1", "")) or not _BARE_NUMBER.fullmatch(
            text
        ):
            return None
        if self.budget.vocab.budget_figure(values.get("name", "")) is None:
            return None
        unit = values.get("unit", "")
        if unit and is_known_unit(simplified(unit)):
            return MoneyUnit(unit, unit, spans["unit"])
        at = self.header.index("actual")
        if not unit and "actual" in self.header.units and at is not None:
            span = self.grid.span(self.header.row, at, self.names[at])
            return MoneyUnit(self.header.units["actual"], self.names[at], span)
        return None

    def _unit_conflicts(self, row: Row, values: dict[str, str], spans: dict[str, Span]) -> bool:
        """E531 at each value or target cell whose unit two places give differently (`unit_conflicts`);
        whether there is one (the row's value is then not read: no message about a unit it may not have)."""
        shown = {}
        for index, unit in row.shown_units:
            field = self.header.fields[index] if index < self.width else None
            if field in UNIT_FIELDS:
                shown[field] = unit
        conflicts = unit_conflicts(values, self.header.units, shown)
        for conflict in conflicts:
            self.file.diagnostics.append(self._conflict(conflict, spans))
        return bool(conflicts)

    def _conflict(self, conflict: UnitConflict, spans: dict[str, Span]) -> Diagnostic:
        field, first, a, second, b, number = conflict
        unit_at, column_at = self.header.index("unit"), self.header.index(field)
        unit_name = self.names[unit_at] if unit_at is not None else "计量单位"
        header = self.names[column_at] if column_at is not None else ""
        places = {
            "cell": (f"本行「{unit_name}」格写的单位", f"the unit in this row's “{unit_name}” cell"),
            "header": (f"列标题「{header}」中的单位", f"the unit in the header “{header}”"),
            "format": ("单元格的数字格式显示的单位", "the unit the cell's number format shows"),
            "written": ("这一格中数后面写的单位", "the unit written after the number in this cell"),
        }
        fixes = {
            "cell": (f"清空「{unit_name}」格", f"clear the “{unit_name}” cell"),
            "header": ("删去列标题括号中的单位", "drop the unit from the header's brackets"),
            "format": ("把单元格的数字格式改为「常规」", "set the cell's number format to General"),
            "written": ("删去数后面的单位", "drop the unit after the number"),
        }
        fix = (
            f"{fixes[first][0]}或{fixes[second][0]}，或把两处改成同一个单位",
            f"{fixes[first][1]} or {fixes[second][1]}, or make the two the same unit",
        )
        args: dict[str, object] = {
            "first": places[first], "a": a, "second": places[second], "b": b,
            "number": number, "one": number + a, "two": number + b, "fix": fix,
        }  # fmt: skip
        return Diagnostic("E531", spans[field], args)

    def _nameless(self, spans: dict[str, Span], row: Row) -> None:
        """A row with no 三级指标: a template's unfilled row (一级/二级 printed, nothing else) is skipped, it
        holds nothing; one with something filled in is E529, naming what it holds (not E503 for 「」)."""
        filled = [
            self.names[i]
            for i, f in enumerate(self.header.fields)
            if f not in LABELS and _at(row.cells, i).strip()
        ]
        if filled:
            where = "、".join(f"「{name}」" for name in filled)
            args: dict[str, object] = {
                "row": row.number,
                "filled": (where, where.replace("「", "“").replace("」", "”").replace("、", ", ")),
            }
            self.file.diagnostics.append(Diagnostic("E529", spans["name"], args))

    def _surrogates(self, values: dict[str, str], spans: dict[str, Span], row: Row) -> None:
        """E128 at each cell holding a lone surrogate (text from the API or a JSON escape); the row is
        not read."""
        for f, value in values.items():
            found = SURROGATE.search(value)
            if found is not None:
                code = f"{ord(found.group()):04X}"
                span = spans.get(f) or self.grid.row_span(row)
                self.file.diagnostics.append(
                    Diagnostic("E128", span, {"code": code, "code_lower": code.lower()})
                )

    def totals(self, row: Row) -> None:
        """A 合计/总分 row: its weight and score columns are the printed totals (kept, not scored)."""
        for field, key in PRINTED_TOTALS:
            column = self.header.index(field)
            if column is not None and row.cell(column).strip():
                span = self.grid.span(row, column, self.names[column])
                self.file.printed.setdefault(key, Printed(row.cell(column).strip(), span))

    def _cells(self, row: Row) -> tuple[tuple[str, ...], bool]:
        """The row's cells, as many as the header has; a row typed with `，` is split (and E519)."""
        cells = row.cells
        if self._full_width(cells):
            self.file.diagnostics.append(Diagnostic("E519", self.grid.row_span(row)))
            cells = tuple(part for cell in cells for part in cell.split(FULL_WIDTH_COMMA))
            return (*cells, *[""] * (self.width - len(cells)))[: self.width], True
        if self.shifts and shifted(cells, self.width, self.header.fields):
            args: dict[str, object] = {"row": row.number, "got": len(cells), "expected": self.width}
            self.file.diagnostics.append(Diagnostic("E512", self.grid.row_span(row), args))
            return cells[: self.width], True
        self._unheaded(row, cells)
        return (*cells, *[""] * (self.width - len(cells)))[: self.width], False

    def _unheaded(self, row: Row, cells: tuple[str, ...]) -> None:
        """The cells of a row in columns without a header, which no column reads: under a blank header
        cell, or right of a sheet's header (a CSV's extra cells are E512: a stray comma shifted them). A
        figure there (50%, 12.5, 3分) may be a value whose column lacks its header: E534, not scored
        without it. Text is a remark beside the table (人数以社保系统为准): not read, and said once per
        file (F178, with the count). In a sheet, a merged cell's copies (`Row.copies`) are the merged
        cell, not values of their own."""
        for index in [*self.blank, *range(self.width, len(cells))]:
            text = cells[index].strip() if index < len(cells) else ""
            if not text or index in row.copies:  # a merged cell's copy (`Row.copies`): the merged cell
                continue
            if _FIGURE.fullmatch(text):
                args: dict[str, object] = {"row": row.number, "text": text}
                self.file.diagnostics.append(Diagnostic("E534", self.grid.span(row, index), args))
            elif self.remarks is None:
                cell: object = f"{column_letter(index + 1)}{row.number}"  # as a sheet names it; else:
                if self.shifts:
                    cell = (f"第{index + 1}列", f"column {index + 1}")
                self.remarks = Finding(
                    "F178", None, {"count": 1, "row": row.number, "cell": cell, "text": text}
                )
                self.file.findings.append(self.remarks)
            else:
                self.remarks.args["count"] = int(str(self.remarks.args["count"])) + 1

    def _full_width(self, cells: tuple[str, ...]) -> bool:
        name, actual = self.header.index("name"), self.header.index("actual")
        filled = [c for c in cells if c.strip()]
        missing = not _at(cells, name).strip() or not _at(cells, actual).strip()
        return missing and len(filled) <= 2 and any(c.count(FULL_WIDTH_COMMA) >= 2 for c in filled)

    def _across_levels(self, row: Row) -> bool:
        """Whether the row's 一级 cell is merged across its 二级 column (A21:B21 「满意度指标」, one cell the
        user sees spanning both): one label for the 一级, the 二级 not given (`_continue`)."""
        first, second = self.header.index("level1"), self.header.index("level2")
        if not row.copies or first is None or second is None or second <= first:
            return False
        return all(index in row.copies for index in range(first + 1, second + 1))

    def _continue(self, values: dict[str, str], across: bool = False) -> None:
        """Blank 一级/二级 cells continue the row above (printed tables), whether the 一级 beside them is
        blank or written again (a 一级 merged down its group gives each row its text, `xlsx._merges`: its
        rows' blank 二级 continue as they do under a blank 一级); a 一级 that differs from the one above
        starts without a 二级. `across`: the 一级 cell is merged
        across the 二级 column, whose copy of it is no 二级 (it was read as 「满意度指标/满意度指标」, E515):
        the 二级 is not given (matched by the 三级 name), nor continued from the row above."""
        if across and "level2" in values:
            values["level2"] = ""
        if not self.continued:
            return
        for level in ("level1", "level2"):
            if level not in values:
                continue
            if values[level] or (across and level == "level2"):
                if level == "level1" and values[level] != self.above[level]:
                    self.above["level2"] = ""  # a new 一级: its blank 二级 is none, not the last group's
                self.above[level] = values[level]
            else:
                values[level] = self.above[level]

    def _note_traditional(self, values: dict[str, str], spans: dict[str, Span]) -> None:
        """Cells written in traditional characters are read as simplified, with a finding (F125)."""
        for key, cell in values.items():
            if key in spans and first_traditional(cell) is not None:
                self.file.traditional.append((cell, spans[key]))

    def _value(self, row: ActualRow, spans: dict[str, Span]) -> Actual | None:
        if not row.actual:
            return None  # a derived row, 得分系数, an asserted score, a 小计: the engine decides (E504)
        if "actual" in spans and self.grid.formula_at(spans["actual"]):  # =95% saved without its value
            self.file.diagnostics.append(Diagnostic("E509", spans["actual"], {"text": row.actual}))
            return None
        try:
            return parse_actual(row.actual)
        except LiteralError as exc:
            self.file.diagnostics.append(
                value_error(exc, row, spans["actual"] if "actual" in spans else spans["name"])
            )
            return None


def shifted(cells: Sequence[str], width: int, fields: Sequence[str | None]) -> bool:
    """Whether a row of delimited text is shifted by a stray separator (E512): it has more cells than its
    header and something in those past the header, or, with only blank cells past it (a trailing
    separator, as exports write), a number split across two cells whose second half is in a column that
    holds no number of its own (`fields`, the header's field of each column): `98,5%,` under a header
    ending in 实际完成值,偏差原因 was read as the value 98 and the note 5%, the row's blank last cell
    pushed out of the table. Neighbouring numbers in columns that each hold one (分值 1.00, 得分 0.93;
    budget amounts) are no split: such a row with a trailing separator reads as it is. The quick readers
    decline a shifted row; the full reader reports it."""
    if len(cells) <= width:
        return False
    if any(c.strip() for c in cells[width:]):
        return True
    return any(
        _SPLIT_HEAD.search(a) and _SPLIT_TAIL.match(b) and _takes_part(fields, at + 1)
        for at, (a, b) in enumerate(pairwise(cells))
    )


# Columns that hold a number of their own: two such neighbours are two numbers, not one split in two
NUMBER_FIELDS = frozenset({"weight", "score", "item_score", "adjusted", "coefficient"})


def _takes_part(fields: Sequence[str | None], at: int) -> bool:
    """Whether the column at `at` would hold the second half of a split number rather than a number of its
    own (a column past the header's: every one)."""
    return at >= len(fields) or fields[at] not in NUMBER_FIELDS


_SPLIT_HEAD = re.compile(r"[0-9０-９.．]\s*$")  # a cell ending as a number does, and one starting as
_SPLIT_TAIL = re.compile(r"\s*[0-9０-９.．%％]")  # a number's rest does: `98` | `5%`, `1` | `000人`


def _at(cells: tuple[str, ...], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


_FIGURE = re.compile(r"[+\-−]?[\d.,，．]*\d[\d.,，．]*\s*[%％分]?")  # a value right of a sheet's table: E534
_MAGNITUDE_END = re.compile(rf"\d(?:{'|'.join(sorted(MAGNITUDES, key=len, reverse=True))})$")
_BARE_NUMBER = re.compile(r"[+\-−]?\d[\d,，]*(?:[.．]\d+)?")


def with_unit(fields: dict[str, str], values: dict[str, str], units: Mapping[str, str]) -> None:
    """A 度量单位 cell completes bare numbers (text ending in a digit); where it is blank, the unit in the
    column's header (`units`, `header_units`) completes a bare number; a 指标性质 column (≥, ≤) precedes
    the target."""
    unit = values.get("unit", "")
    for key in UNIT_FIELDS:
        text = fields.get(key, "")
        if unit and (text[-1:].isdigit() or _completes_magnitude(text, unit)):
            fields[key] = text + unit  # 1.25 and 1.25万 in a row of 人次: 1.25人次, 1.25万人次
        elif not unit and key in units and _BARE_NUMBER.fullmatch(text):
            fields[key] = text + units[key]
    comparator = values.get("comparator", "")
    if normalize(comparator) in COMPARATOR_WORDS and fields.get("target"):
        fields["target"] = comparator + fields["target"]  # 定性, 定量, 正向: a kind, not part of the value


# (field, first place, its unit, second place, its unit, the number): a place is "cell" (the row's
# 计量单位 cell), "header" (the column header's brackets), "format" (the cell's number format, 0"人") or
# "written" (the unit the value or target cell writes after its own number, 12000人)
UnitConflict = tuple[str, str, str, str, str, str]


def unit_conflicts(
    values: Mapping[str, str], units: Mapping[str, str], shown: Mapping[str, str] | None = None
) -> list[UnitConflict]:
    """Each value or target whose number two places give different units, so that it reads two ways: for a
    bare number, the row's 计量单位 cell and the column header's unit (`header_units`) when they are not
    one unit (元 and 圆, 人 and 名 are one: `same_unit`); for a number whose cell's number format shows a
    unit after it (`shown`: field → unit, `0"人"` shows 520 as `520人`), as for a number typed with its
    unit (`_written_conflict`), a 计量单位 or header unit of another dimension (`0"万元"` in a row of 人):
    one of the same dimension (元 for 万元) is no conflict, the cell reads as it shows. One conflict a
    field."""
    found: list[UnitConflict] = []
    cell = values.get("unit", "")
    for key in UNIT_FIELDS:
        text = values.get(key, "")
        written = (shown or {}).get(key, "")
        if written and text.endswith(written):
            number = text[: len(text) - len(written)]
        elif text[-1:].isdigit():
            number, written = text, ""
        else:
            conflict = _written_conflict(key, text, cell)
            if conflict is not None:
                found.append(conflict)
            continue  # a unit typed in the cell itself, or no number: nothing completes it
        places = [(p, u) for p, u in (("cell", cell), ("header", units.get(key, ""))) if u]
        if written:  # the cell shows its unit, as if typed (`_written_conflict`): another dimension conflicts
            pair = next(((("format", written), p) for p in places if not same_dimension(written, p[1])), None)
        else:
            pair = next(
                ((first, second) for i, first in enumerate(places) for second in places[i + 1 :]
                 if not same_unit(first[1], second[1])),
                None,
            )  # fmt: skip
        if pair is not None:
            (first, a), (second, b) = pair
            found.append((key, first, a, second, b, number))
    return found


def _written_conflict(key: str, text: str, cell: str) -> UnitConflict | None:
    """A value or target written with its own unit (`520万元`, `95%`) in a row whose 计量单位 cell names a
    unit of another dimension (`人`: 520 what?): the conflict, or None when the cell is blank, names no
    known unit (`/`, `—`), or a unit of the same dimension. `1.2万人次` in a row of 人次 and the published
    seed table's target `≥1.1万人` in a row of 人 are how tables are written: the number's own unit says
    its scale, which no one reads otherwise (a bare number is what the 计量单位 cell completes)."""
    if not cell or not is_known_unit(simplified(cell)) or _completes_magnitude(text, cell):
        return None
    quantity = _own_quantity(key, text)
    if quantity is None or not quantity.unit or same_dimension(quantity.unit, cell):
        return None
    return (key, "written", quantity.unit, "cell", cell, number_text(quantity.number))


def _completes_magnitude(text: str, cell: str) -> bool:
    """Whether `text` ends in a number and a bare magnitude (`1.25万`, `约3千`) that the row's 计量单位 `cell`
    completes (`人次`: 1.25万人次): a unit without a magnitude of its own. `520.5万` in a row of 万元 is
    no such case (520.5万元, or 520.5万 万元?): E531 asks."""
    unit = simplified(cell)
    if _MAGNITUDE_END.search(text) is None or not is_known_unit(unit):
        return False
    return not unit.startswith(tuple(MAGNITUDES))  # (万元, 千米: a 万 before it is asked about)


def _own_quantity(key: str, text: str) -> Quantity | None:
    """The number a value (`约1.2万人`) or target (`≥1.2万人`, `90%-100%`: its high end) writes, with its
    unit; None for a date, a word, or text that does not read (reported where it is read)."""
    try:
        value = parse_actual(text) if key == "actual" else parse_target(text)
    except LiteralError:
        return None
    if isinstance(value, NumericActual | NumericTarget):
        return value.quantity
    return value.high if isinstance(value, RangeTarget) else None


def same_dimension(a: str, b: str) -> bool:
    """Whether two written units measure the same thing (`人` and `万人`, `元` and `万元`), at any scale; a
    count that is both (`read_as`: 个行政村, villages counted with 个) measures 村 and 个 alike."""
    try:
        one, other = (Quantity.of(Fraction(1), simplified(u)) for u in (a, b))
    except UnitError:
        return False
    return read_as(one, other) is not None


def same_unit(a: str, b: str) -> bool:
    """Whether two written units are one unit (元 and 圆, 人 and 名, 万元 and 万圆, 个行政村 and 村 as
    `same_dimension` reads them): the same scale and dimension as `resolve_unit` reads them, traditional
    characters read as simplified (萬元 is 万元)."""
    if a == b:
        return True
    a, b = simplified(a), simplified(b)
    try:
        scale_a, scale_b = resolve_unit(a)[0], resolve_unit(b)[0]
    except UnitError:
        return False
    return scale_a == scale_b and same_dimension(a, b)


def value_error(exc: LiteralError, row: ActualRow, span: Span) -> Diagnostic:
    if exc.reason == "empty":
        return Diagnostic("E504", span, {"name": row.name})
    if exc.reason in ("formula", "error_value"):
        return Diagnostic("E509", span, {"text": row.actual})
    reason = (exc.message("zh"), exc.message("en"))
    return Diagnostic("E505", span, {"text": row.actual, "reason": reason})
