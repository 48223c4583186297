"""The quick reader: plain CSV or tab-separated text, as most files are, read straight into the same
`ActualsFile` the full reader (delimited → table) builds, or declined — and the full reader reads it.

It reads only what it can read exactly as the full reader does: text without carriage returns or NUL
characters, where splitting lines at `\\n` and cells at the separator is what the csv module does — a line
holding quotes (`"5,000人"`, as Excel and WPS write a cell with a comma) is read as the csv module reads
it, and a record over several lines (a quoted line break: a note of two lines) is one row numbered by its
first line, as the full reader numbers it (declined in text given with \\r\\n) —,
no traditional characters (F125), a header that names every column, no project or ruleset column (a
度量单位 or 指标性质 cell joins the value or target as table.py joins it), and rows whose 三级指标 and
实际完成值 are filled. A header is recognised once per
distinct header, a row once per distinct line (its `ActualRow` validated and its value read as
table.py does — a plain number with a common unit without the literal scanner, `plain_actual` —, then
remembered); each cell's `Span` is built only when asked for (`CellSpans`, `Placer`). A plain budget row
is read as `BudgetReader.table_row` reads it and remembered by its cells other than the amount (amounts
rarely repeat); any other budget row goes through the same `BudgetReader`. A 合计 row gives the totals it
prints (`ActualsFile.printed`), as `TableReader.totals` does. Any diagnostic, a shifted row or an
unreadable value: declined, so a file with a problem is always read — and reported — by the full reader.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

from jixiao.diagnostics import Span
from jixiao.engine.actuals import (
    SURROGATE,
    ActualRow,
    ActualsFile,
    BudgetFigure,
    Entry,
    Places,
    Printed,
    Scorable,
    explains,
    mark_blank,
    row_key,
    unscored,
)
from jixiao.io.actuals.budget import NO_AMOUNT, TOTAL_ROW, BudgetReader, decimal_pair, plain_amount
from jixiao.io.actuals.delimited import MAX_CELL, has_separator, line_separator, separator_of
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.labels import ROW_FIELDS, Vocabulary, label_key, shared_vocabulary
from jixiao.io.actuals.table import (
    PRINTED_TOTALS,
    TOTAL_ROWS,
    header_problems,
    match_header,
    shifted,
    unit_conflicts,
    with_unit,
)
from jixiao.language.literals import LiteralError, parse_actual
from jixiao.language.quantity import Actual, NumericActual, Quantity
from jixiao.language.variants import has_traditional
from jixiao.limits import MAX_DIGITS

QUICK_FORMATS = ("csv", "tsv")
NUL = "\x00"  # the csv module refuses a line holding it: the full reader reports it
# several projects: the long-table reader's; a 单项得分 column: the full reader keeps it (`ScoreCells`)
_OTHER_FIELDS = frozenset({"project", "ruleset", "item_score"})
CACHE_SIZE = 8192  # remembered headers and lines (each a few hundred bytes); emptied when full


@dataclass(frozen=True, eq=False)
class Layout:
    """A header the quick reader reads under: what each column fills, its names, the separator."""

    separator: str
    fields: tuple[str | None, ...]
    names: tuple[str, ...]  # the header's cells, stripped: each span's column name
    spans: dict[str, int] = field(default_factory=dict)  # field → its column (the last, as table.py)
    units: dict[str, str] = field(default_factory=dict)  # a header's unit for bare numbers (`header_units`)
    blank: tuple[int, ...] = ()  # header cells left blank: a line with something there is the full reader's

    @property
    def width(self) -> int:
        return len(self.fields)


@dataclass(frozen=True, eq=False)
class Line(Scorable):
    """A row as the full reader reads it: its cells, its validated `ActualRow`, its value (None: budget).
    Shared by every line of its text: the fast evaluator keeps its record in it (`Scorable`)."""

    cells: tuple[str, ...]
    row: ActualRow
    value: Actual | None
    budget: bool
    key: str | tuple[str, ...]  # `row_key(row)`: every entry read from this line shares it

    def __post_init__(self) -> None:
        unscored(self)  # no run's record yet (`Scorable`)


class BudgetLine:
    """A plain budget row (`预算执行,年度资金总额,全年预算数,970.00`) as `BudgetReader.table_row` reads it:
    a known fund source and figure, no adjusted score, and a bare decimal amount (None: blank or a dash).
    `cells`: the row's, when read whole (a row read by its other cells, `_amount_line`, keeps none).
    A plain class: one is made per budget row read (amounts rarely repeat), a frozen dataclass costs more."""

    __slots__ = ("amount", "cells", "figure", "note", "row")

    def __init__(
        self, cells: tuple[str, ...], row: str, figure: str, amount: tuple[int, int] | None, note: str
    ) -> None:
        self.cells, self.row, self.figure, self.amount, self.note = cells, row, figure, amount, note

    def __repr__(self) -> str:
        return f"BudgetLine({self.cells!r}, {self.row!r}, {self.figure!r}, {self.amount!r}, {self.note!r})"


class TotalsLine:
    """A 合计/总分 row: the totals the table prints (`ActualsFile.printed`, as `TableReader.totals` keeps
    them), never scored."""

    __slots__ = ("cells",)

    def __init__(self, cells: tuple[str, ...]) -> None:
        self.cells = cells


_PLAIN_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
PLAIN_DIGITS = 15  # longer numbers go to `parse_actual` (its limits, its messages)
# 2020.11: `parse_actual` reads a date; 2020.9 a number that keeps its month for a deadline (`as_date`)
_DOTTED_DATE = re.compile(r"(?:19|20)[0-9]{2}\.(?:0[1-9]|1[0-2]|[1-9])")
# Units read as `Quantity.of` reads them, never part of a date (年, 月, 日 are left to `parse_actual`)
PLAIN_UNITS = frozenset(
    (
        "% ‰ 人 人次 户 个 次 项 件 所 家 台 套 场 篇 元 万元 万人 万人次 万户 "
        "千元 亿元 米 公里 千米 平方米 亩 吨 公斤 千克 起"
    ).split()
) | {""}
ACTUALS = 1 << 16  # actual-value texts remembered, as `parse_actual` remembers them
_values: dict[str, Actual] = {}

BLANK = object()  # a blank line: skipped, as the full reader skips it
_UNSEEN = object()
_K = TypeVar("_K")
_V = TypeVar("_V")
_layouts: dict[tuple[str, str], Layout | None] = {}
_lines: dict[tuple[Layout, str], Line | object] = {}
# The same lines that are indicator rows (`Line`, not budget), by layout then text: a loop looks up every
# line of a file in its layout's dict (no key tuple per line). Emptied with `_lines` (`_line`): it never
# holds more lines than that memo, whatever the number of layouts
_rows: dict[Layout, dict[str, Line]] = {}
# (layout, path) → a line's text → its last `Entry` (reused where the line has the same number)
_entries: dict[tuple[Layout, str], dict[str, Entry]] = {}
_grids: dict[tuple[str, str], Grid] = {}
_placers: dict[tuple[Layout, str], Placer] = {}  # by layout and file name
_shapes: dict[tuple[Layout | str, ...], BudgetLine] = {}  # a plain budget row less its amount
PATHS = 64  # files (by name) whose entries are remembered: each of many files read once gains nothing
_origins: dict[tuple[Layout, str, int, str], Span] = {}  # the same, for the header row


@dataclass(frozen=True, eq=False)
class Placer:
    """The spans of one file's cells under one layout (`Places`): one per file name and layout."""

    grid: Grid
    layout: Layout

    def cell_span(self, number: int, cells: tuple[str, ...] | str, column: str) -> Span:
        index = self.layout.spans[column]
        row = Row(number, cells_of(cells, self.grid.separator))
        return self.grid.span(row, index, self.layout.names[index])


def cells_of(cells: tuple[str, ...] | str, separator: str) -> tuple[str, ...]:
    """A row's cells, from its line's text when that is what was kept."""
    return cells if isinstance(cells, tuple) else tuple(cells.split(separator))


class CellSpans(Mapping[str, Span]):
    """An entry's spans, built when asked for: equal to the dict table.py builds for the row.

    `cells` are the row's cells, or its line's text, split at the grid's separator only when a span is
    asked for (a long table's reader keeps the text: no tuple per line read)."""

    __slots__ = ("_cells", "_grid", "_layout", "_number")

    def __init__(self, grid: Grid, layout: Layout, number: int, cells: tuple[str, ...] | str) -> None:
        self._grid, self._layout, self._number, self._cells = grid, layout, number, cells

    def __getitem__(self, column: str) -> Span:
        index = self._layout.spans[column]
        row = Row(self._number, cells_of(self._cells, self._grid.separator))
        return self._grid.span(row, index, self._layout.names[index])

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout.spans)

    def __len__(self) -> int:
        return len(self._layout.spans)

    def __repr__(self) -> str:
        return repr(dict(self))


def read_quick(text: str, path: str, fmt: str) -> ActualsFile | None:
    """The file the full reader would read from `text`, or None when it must read it itself."""
    found = plain_lines(text, fmt, whole=False, quotes=True)
    if found is None:
        return None
    lines, separator, at = found  # the blank lines before the header hold no NUL: it is no white space
    quoted = quoted_cells(text, lines, separator, at)
    if quoted is None:
        return None
    layout = _layout(separator, lines[at])
    return None if layout is None else _read(_grid(path, separator), layout, lines, at, quoted)


# A line's cells as the csv module read them, or for a line of a record that began on an earlier line (a
# quoted line break: a note of two lines, as Excel writes Alt+Enter) the index of that record's first line
Quoted = Mapping[int, tuple[str, ...] | int]
_NONE_QUOTED: Quoted = {}


def quoted_cells(text: str, lines: list[str], separator: str, at: int) -> Quoted | None:
    """The cells of each line of `text` (split into `lines` by `plain_lines`, its header at `at`) holding a
    quote (`"5,000人"`: Excel and WPS quote every cell with a comma), as the csv module reads them — as the
    full reader does —, by the line's index; the other lines split at the separator as they are. A record
    over several lines (a quoted line break) is a row numbered by its first line, as the full reader
    numbers it: its cells by that line's index, each of its other lines by that index (no row of its
    own; `_record_text` joins its lines). None, declined: a quoted line break in text whose lines end in
    \\r\\n (the csv module keeps it in the cell, `plain_lines` read it as \\n; decoded bytes have \\n
    already), the csv module refuses the text (NUL: the full reader's E514), or the header holds a quote."""
    if '"' not in text:
        return _NONE_QUOTED
    cells: dict[int, tuple[str, ...] | int] = {}
    # each line with the line break it had (the last one's only if the text ends in one): the csv module
    # then reads what the full reader's reads, a line break inside quotes included
    ended = [*(line + "\n" for line in lines[:-1]), lines[-1] + "\n" if text.endswith("\n") else lines[-1]]
    reader = csv.reader(ended, delimiter=separator)
    start = 0
    try:
        for record in reader:
            end = reader.line_num
            if end - start > 1:  # a quoted line break
                if "\r" in text:
                    return None
                cells[start] = tuple(record)
                cells.update(dict.fromkeys(range(start + 1, end), start))
            elif '"' in lines[start]:
                cells[start] = tuple(record)
            start = end
    except csv.Error:
        return None
    return None if at in cells else cells


def _record_text(lines: list[str], quoted: Quoted, index: int) -> str:
    """The text of the record that begins on line `index`: its lines joined (one line, most often)."""
    end = index + 1
    while quoted.get(end) == index:
        end += 1
    return lines[index] if end == index + 1 else "\n".join(lines[index:end])


def plain_lines(
    text: str, fmt: str, whole: bool = True, quotes: bool = False
) -> tuple[list[str], str, int] | None:
    """Plain CSV or tab text (no quotes, carriage returns or NUL once each \\r\\n is a line break: splitting
    lines at `\\n` and cells at the separator is then what the csv module does) as its lines, its separator
    and the index of its first non-blank line (the header); None when the csv module's own reading
    matters, a line is longer than a cell may be, or there is no such line (the long-table reader
    starts here too).

    `whole=False`: NUL is not looked for here (in text of CJK characters the search is slow, ~0.4 µs a
    file); the caller looks for it in each line no memo vouches for (`_recognise`, `_read_line`; a budget
    amount with NUL is no plain amount; a blank line has none). `quotes=True`: text with quotes is given
    too, its quoted lines for the caller to read as the csv module does (`quoted_cells`)."""
    if fmt not in QUICK_FORMATS:
        return None
    if "\r" in text:  # Windows line ends (text given as such; bytes are decoded to \n): one break each,
        text = text.replace("\r\n", "\n")  # as for the csv module; a lone \r still declines
        if "\r" in text:
            return None
    if (not quotes and '"' in text) or (whole and NUL in text):
        return None
    lines = text.split("\n")
    if not lines[-1] and len(lines) > 1:
        lines.pop()  # the final line break's empty line: blank, skipped by every reader
    first = lines[0]
    if fmt == "tsv":
        separator = "\t"
    else:  # `separator_of`, whose first non-blank line is most often the first
        separator = line_separator(first) if has_separator(first) else separator_of(lines)
    if len(text) > MAX_CELL and max(map(len, lines)) > MAX_CELL:
        return None
    if first.replace(separator, "").strip():
        return lines, separator, 0
    at = next((i for i, line in enumerate(lines) if line.replace(separator, "").strip()), None)
    return None if at is None else (lines, separator, at)


def line_of(layout: Layout, text: str) -> Line | BudgetLine | object | None:
    """A line read under `layout` (remembered by its text; a plain budget row by its other cells):
    a `Line`, a `BudgetLine`, a `TotalsLine`, `BLANK`, or None for anything the full reader must read or
    report."""
    return _lines.get((layout, text)) or _amount_line(layout, text) or _line(layout, text)


def known_rows(layout: Layout) -> dict[str, Line]:
    """The indicator rows `line_of` remembers under `layout`, by text: for a loop that looks up every line
    of a file at once (io/long_table.py). A row remembered meanwhile may go to another dict (the memo
    was emptied): looking it up here then misses, and `line_of` reads it."""
    rows = _rows.get(layout)
    if rows is None:
        rows = {}
        _remember(_rows, layout, rows, PATHS)
    return rows


def _grid(path: str, separator: str) -> Grid:
    """The (row-less) grid spans of a file point into: one per file name and separator, like entries."""
    grid = _grids.get((path, separator))
    if grid is None:
        grid = Grid(path, [], separator=separator, format=_format(separator))
        _remember(_grids, (path, separator), grid, PATHS)
    return grid


class QuickRows:
    """A file's indicator rows as read the first time its name is read under its layout (`Deferred`): each
    line read (`Line`, shared by every line of that text), its number and its text, made `Entry`s only
    when `ActualsFile.entries` is read, and then remembered for the next read of that file (`_entries`).

    Entries hold spans, which hold the file's name, so a file read by name (a path: `score_many` of paths,
    each worker of `--jobs`) could not use the entries of another name and made one entry and one spans
    object per line; a file the fast evaluator scores never needs them."""

    __slots__ = ("grid", "known", "layout", "lines", "numbers", "texts")

    def __init__(self, grid: Grid, layout: Layout, known: dict[str, Entry]) -> None:
        self.grid, self.layout, self.known = grid, layout, known
        self.lines: list[Line] = []
        self.numbers: list[int] = []
        self.texts: list[str] = []  # the memo's keys: each line's text (a record's over several lines)

    def add(self, line: Line, number: int, text: str) -> None:
        self.lines.append(line)
        self.numbers.append(number)
        self.texts.append(text)

    def entries(self) -> list[Entry]:
        """The entries `_read` makes of these rows, remembered as it remembers them."""
        grid, layout, known = self.grid, self.layout, self.known
        return [
            _entry(grid, layout, line, number, known, text)
            for line, number, text in zip(self.lines, self.numbers, self.texts, strict=True)
        ]


def _entry(grid: Grid, layout: Layout, line: Line, number: int, known: dict[str, Entry], text: str) -> Entry:
    """An indicator row read at line `number`, remembered by its text in its file's `known` entries."""
    entry = Entry.keyed(line.row, line.value, number, CellSpans(grid, layout, number, line.cells), line.key)
    _remember(known, text, entry)
    return entry


def _read(grid: Grid, layout: Layout, lines: list[str], at: int, quoted: Quoted) -> ActualsFile | None:
    known = _entries.get((layout, grid.path))
    rows: QuickRows | None = None
    if known is None:  # the first read under this name: its entries are made when first read
        known = {}
        _remember(_entries, (layout, grid.path), known, PATHS)
        rows = QuickRows(grid, layout, known)
    file = ActualsFile.new(grid.path, grid.format, _origin(grid, layout, lines[at], at + 1), lines=rows)
    budget: BudgetReader | None = None  # made for the first budget row `budget_figure` does not read
    entries = file.entries if rows is None else []
    get = known.get
    indicator = known_rows(layout).get if rows is not None else None  # plain indicator rows by their text
    placer: Placer | None = None
    for number, text in enumerate(lines[at + 1 :], start=at + 2):
        cells = quoted.get(number - 1) if quoted else None
        if cells is not None:
            if isinstance(cells, int):
                continue  # a line of the record above (a quoted line break)
            text = _record_text(lines, quoted, number - 1)  # remembered by the whole record's text
        if indicator is not None and cells is None:
            row = indicator(text)
            if row is not None:
                rows.add(row, number, text)  # type: ignore[union-attr]  # (with `indicator`)
                continue
        entry = get(text)
        if entry is not None and entry.line == number:
            entries.append(entry)
            continue
        line = line_of(layout, text) if cells is None else _quoted_line(layout, text, cells)
        if line is None:
            return None
        if line is BLANK:
            continue
        if type(line) is TotalsLine:
            placer = placer or _placer(grid, layout)
            _printed_totals(file, layout, line.cells, placer, number)
            continue
        if type(line) is BudgetLine:
            placer = placer or _placer(grid, layout)
            # spans split `text` when asked; a quoted line's are its cells as the csv module read them
            if not budget_figure(file, budget, line, placer, number, text if cells is None else cells):
                return None
            continue
        assert isinstance(line, Line)
        if line.budget:
            budget = budget or budget_reader(file)
            budget.table_row(line.row, CellSpans(grid, layout, number, line.cells))
            continue
        if rows is not None:
            rows.add(line, number, text)
            continue
        entries.append(_entry(grid, layout, line, number, known, text))
    return None if file.diagnostics else file


def budget_figure(
    file: ActualsFile, budget: BudgetReader | None, line: BudgetLine, place: Places, number: int,
    cells: tuple[str, ...] | str,
) -> bool:  # fmt: skip
    """`BudgetReader.table_row` for a plain budget row at line `number`, whose `cells` the spans point
    into (the whole line's); False for a figure given twice (E516). `budget`: the file's reader, if one
    was made (`budget_reader`), which learns of the figure.

    A file with no diagnostic has a figure for each (row, figure) its reader has seen, and no other
    (`BudgetReader.amount` adds a figure or a diagnostic; here a figure): the figures say what was seen."""
    return _put_figure(file, budget, line, line.amount, place, number, cells)


def _put_figure(
    file: ActualsFile, budget: BudgetReader | None, line: BudgetLine, amount: tuple[int, int] | None,
    place: Places, number: int, cells: tuple[str, ...] | str,
) -> bool:  # fmt: skip
    """`budget_figure` of `line`'s row with `amount`."""
    if explains(line.note):  # a dash (—, /, 无) explains nothing (F106)
        file.budget_note = line.note
    row, name = line.row, line.figure
    if amount is None:  # no amount: where it is, as `BudgetReader.amount` keeps it (E518)
        mark_blank(file, row, name, place.cell_span(number, cells, "actual"))
        return True
    for seen in file.budget:
        if seen.figure == name and seen.row == row:
            return False
    figure = BudgetFigure.plain(row, name, amount, place, number, cells)
    if budget is not None:
        budget.seen[(row, name)] = figure
    file.budget.append(figure)
    return True


def amount_figure(
    file: ActualsFile, budget: BudgetReader | None, layout: Layout, text: str, place: Places, number: int,
    cells: tuple[str, ...] | str,
) -> bool | None:  # fmt: skip
    """`budget_figure` of `line_of(layout, text)` for a plain budget row whose other cells were read
    before and whose amount is a plain decimal number (most budget rows: the amount is new, the rest is
    not), without the row's `BudgetLine`. None: no such row (`_shaped`): `line_of` reads it."""
    shaped = _shaped(layout, text)
    if shaped is None:
        return None
    line, amount = shaped
    return _put_figure(file, budget, line, amount, place, number, cells)


def _printed_totals(
    file: ActualsFile, layout: Layout, cells: tuple[str, ...], place: Placer, number: int
) -> None:
    """A 合计 row's printed totals, as `TableReader.totals` keeps them: the first such row's, by column."""
    for column, key in PRINTED_TOTALS:
        at = layout.spans.get(column)
        if at is not None and at < len(cells) and cells[at].strip():
            file.printed.setdefault(key, Printed(cells[at].strip(), place.cell_span(number, cells, column)))


def budget_reader(file: ActualsFile) -> BudgetReader:
    """The `BudgetReader` of a file whose plain budget rows `budget_figure` read until now: it has seen
    each of their figures (a later row giving one again is E516)."""
    budget = BudgetReader(file, shared_vocabulary())
    budget.seen.update(((figure.row, figure.figure), figure) for figure in file.budget)
    return budget


def _placer(grid: Grid, layout: Layout) -> Placer:
    placer = _placers.get((layout, grid.path))
    if placer is None:
        placer = Placer(grid, layout)
        _remember(_placers, (layout, grid.path), placer, PATHS)
    return placer


def _origin(grid: Grid, layout: Layout, header: str, number: int) -> Span:
    """The header row's span (where a message about the whole file points), remembered like an entry."""
    key = (layout, grid.path, number, header)
    span = _origins.get(key)
    if span is None:
        span = grid.row_span(Row(number, tuple(header.split(layout.separator))))
        _remember(_origins, key, span)
    return span


def _format(separator: str) -> str:
    return "tsv" if separator == "\t" else "csv"


def _layout(separator: str, header: str) -> Layout | None:
    key = (separator, header)
    known = _layouts.get(key, _UNSEEN)
    if isinstance(known, Layout | None):
        return known
    layout = _recognise(separator, header)
    _remember(_layouts, key, layout)
    return layout


def _recognise(separator: str, text: str) -> Layout | None:
    """The header's layout when the full reader reads it as a complete simple table with no problem."""
    if has_traditional(text) or NUL in text:
        return None  # F125: the full reader notes each cell read as simplified; NUL: `plain_lines`
    row = Row(1, tuple(text.split(separator)))
    header = match_header(row, shared_vocabulary())
    grid = Grid("<header>", [row], separator=separator, format=_format(separator))
    probe = ActualsFile(grid.path, format=grid.format)
    if not header.complete() or header_problems(grid, header, strict=True, file=probe) or probe.findings:
        return None
    if _OTHER_FIELDS & set(header.fields):
        return None
    names = tuple(cell.strip() for cell in row.cells)
    spans = {f: i for i, f in enumerate(header.fields) if f}
    blank = tuple(i for i, name in enumerate(names) if not name)
    return Layout(separator, header.fields, names, spans, header.units, blank)


def _quoted_line(layout: Layout, text: str, cells: tuple[str, ...]) -> Line | BudgetLine | object | None:
    """`line_of` for a line holding quotes, whose `cells` the csv module read (not its text split): never
    by its other cells (`_amount_line` splits the text), remembered by its text as any line is."""
    return _lines.get((layout, text)) or _line(layout, text, cells)


def _line(
    layout: Layout, text: str, cells: tuple[str, ...] | None = None
) -> Line | BudgetLine | object | None:
    line = _read_line(layout, text, cells)
    if line is not None and type(line) is not BudgetLine:  # an amount is rarely seen twice: not kept
        if len(_lines) >= CACHE_SIZE:
            _rows.clear()  # with `_lines`, which `_remember` empties now: the rows are a part of it
        _remember(_lines, (layout, text), line)
        if type(line) is Line and not line.budget:
            _remember(known_rows(layout), text, line)
    return line


def _read_line(layout: Layout, text: str, quoted: tuple[str, ...] | None = None) -> Line | object | None:
    """A row as TableReader.row reads it (a 合计 row: its `TotalsLine`), or None for anything it would
    report or treat specially. `quoted`: the cells of a line holding quotes, as the csv module read them
    (`quoted_cells`)."""
    if NUL in text:
        return None  # the csv module's (`plain_lines`); every line a memo holds was looked at here
    cells = tuple(text.split(layout.separator)) if quoted is None else quoted
    if not (text.replace(layout.separator, "") if quoted is None else "".join(cells)).strip():
        return BLANK
    if has_traditional(text) or SURROGATE.search(text):
        return None  # F125; E128
    if label_key(next(c for c in cells if c.strip())) in TOTAL_ROWS:
        return TotalsLine(cells)  # a 合计 row: printed totals
    if shifted(cells, layout.width, layout.fields):
        return None  # a shifted row (E512), blank cells past the header or not
    fitted = (*cells, *[""] * (layout.width - len(cells)))[: layout.width]
    if layout.blank and any(fitted[i].strip() for i in layout.blank):
        return None  # a value under a blank header cell (E534, F178)
    values = {f: fitted[i].strip() for i, f in enumerate(layout.fields) if f is not None and f != "skip"}
    if not values.get("name") or not values.get("actual"):
        return None  # a blank value (E504 when scored), a row typed with `，` (E519), a blank budget figure
    vocab = shared_vocabulary()
    if "level1" in layout.fields and not values.get("level1") and vocab.budget_figure(values["name"]):
        return None  # a budget figure's row with a blank 一级 (E542): the full reader reports it
    if vocab.is_budget_level(values.get("level1", "")) and not values.get("unit") and not layout.units:
        plain = _plain_budget(vocab, cells, values)
        if plain is not None:
            _remember_shape(layout, plain)
            return plain
    if values.get("unit") and unit_conflicts(values, layout.units):
        return None  # E531: the full reader reports it
    fields = {k: v for k, v in values.items() if k in ROW_FIELDS}
    with_unit(
        fields, values, layout.units
    )  # a 度量单位 cell completes a bare number, a 指标性质 cell the target
    row = ActualRow.of_text(fields)  # cells of `text`, which holds no lone surrogate (above)
    if vocab.is_budget_level(row.level1):
        return Line(cells, row, None, True, "")
    try:
        return Line(cells, row, read_actual(row.actual), False, row_key(row))
    except LiteralError:
        return None  # E505, E509


def read_actual(text: str) -> Actual:
    """`parse_actual`, a plain number with a common unit (87.5%, 3300人, 12个) read without its scanner;
    remembered by text, so the same text gives the same value (the fast evaluator's memo relies on it)."""
    value = _values.get(text)
    if value is None:
        value = plain_actual(text) or parse_actual(text)
        _remember(_values, text, value, ACTUALS)
    return value


def plain_actual(text: str) -> NumericActual | None:
    """The value `parse_actual` reads from a plain decimal number and a unit of `PLAIN_UNITS`, else None."""
    number = _PLAIN_NUMBER.match(text)
    if number is None or number.end() > PLAIN_DIGITS or text[number.end() :] not in PLAIN_UNITS:
        return None
    if _DOTTED_DATE.fullmatch(text):
        return None
    whole, _, decimals = number.group().partition(".")
    return NumericActual(
        Quantity.of(Fraction(int(whole + decimals), 10 ** len(decimals)), text[number.end() :])
    )


def _plain_budget(vocab: Vocabulary, cells: tuple[str, ...], values: dict[str, str]) -> BudgetLine | None:
    """A budget row `budget_figure` reads as `BudgetReader.table_row` would, or None (that reads it)."""
    if values.get("adjusted") or values.get("coefficient"):
        return None  # F104/E511; an 得分系数 cell makes the row fail as table.py's rows do
    label = values.get("level2", "")
    row = vocab.budget_row(label) if label else TOTAL_ROW
    figure = vocab.budget_figure(values["name"])
    text = values["actual"]
    if row is None or figure is None:
        return None  # F110 (an unknown fund source), a printed rate or score, E513
    if text in NO_AMOUNT:
        return BudgetLine(cells, row, figure, None, values.get("note", ""))
    amount = plain_amount(text)
    return None if amount is None else BudgetLine(cells, row, figure, amount, values.get("note", ""))


def _shape(layout: Layout, cells: tuple[str, ...]) -> tuple[Layout | str, ...] | None:
    """A budget row's key without its amount cell: rows of one template differ in the amount alone."""
    at = layout.spans["actual"]
    return (layout, *cells[:at], *cells[at + 1 :]) if at < len(cells) else None


def _remember_shape(layout: Layout, line: BudgetLine) -> None:
    """Remember a plain budget row's fund source, figure and note by its other cells, when those alone
    decide how the row reads: its first filled cell comes before the amount (so that cell, not the
    amount, is what the 合计 test reads). Any plain amount or dash read with them reads the same."""
    cells, at = line.cells, layout.spans["actual"]
    first = next(i for i, c in enumerate(cells) if c.strip())
    shape = _shape(layout, cells)
    if first < at and shape is not None:
        known = BudgetLine((), line.row, line.figure, None, line.note)
        _remember(_shapes, shape, known)
        shapes = _shape_lists.get(layout)
        if shapes is None:
            shapes = []
            _remember(_shape_lists, layout, shapes, PATHS)
        others = cells[:at] + cells[at + 1 :]
        # once: a shape is read whole again when `_shapes` was emptied and a dash comes as its amount
        if len(shapes) <= SHAPES and all(seen != others for seen, _ in shapes):
            shapes.append((others, known))
            _shape_patterns.pop(layout, None)  # made again when next asked for


# Each layout's budget shapes as `_remember_shape` remembers them (its other cells, its line; one more than
# SHAPES at most), and one pattern matching a line of any of them with a plain amount (`amount_figure`).
# A shape reads the same whatever is forgotten meanwhile: these are emptied by `forget` alone, or when full
SHAPES = 32  # shapes of one layout a pattern is made of; more (a table of many fund sources): none
_shape_lists: dict[Layout, list[tuple[tuple[str, ...], BudgetLine]]] = {}
Shapes = tuple[re.Pattern[str], tuple[BudgetLine, ...]]  # a pattern, and the shape of each of its groups
_shape_patterns: dict[Layout, Shapes] = {}
_NO_SHAPES: Shapes = (re.compile("(?!)"), ())  # matches no line


def _shape_pattern(layout: Layout) -> Shapes:
    """(Made and remembered) the pattern of `layout`'s budget shapes: a line of one of them whose amount
    cell is a plain decimal number (white space around it, but not the separator, stripped as `str.strip`
    strips it) matches whole, with the number in the shape's group; and each group's shape (index 0:
    unused). None of them, or too many: a pattern that matches no line."""
    shapes = _shape_lists.get(layout, [])
    made = _NO_SHAPES
    if 0 < len(shapes) <= SHAPES:
        at, separator = layout.spans["actual"], re.escape(layout.separator)
        space = r"[^\S\t]*" if layout.separator == "\t" else r"\s*"
        amount = space + r"([0-9]+(?:\.[0-9]+)?)" + space  # `plain_amount`'s numbers, nothing else
        alternatives = (
            separator.join([*map(re.escape, cells[:at]), amount, *map(re.escape, cells[at:])])
            for cells, _ in shapes
        )
        lines = tuple(line for _, line in shapes)
        made = (re.compile("|".join(alternatives)), (lines[0], *lines))
    _remember(_shape_patterns, layout, made, PATHS)
    return made


def _amount_line(layout: Layout, text: str) -> BudgetLine | None:
    """A plain budget row whose other cells were read before (`_remember_shape`), with its new amount;
    None: `_read_line` reads the row."""
    shaped = _shaped(layout, text)
    if shaped is not None:
        line, found = shaped
        return BudgetLine((), line.row, line.figure, found, line.note)
    if not _shapes:
        return None
    cells, at = text.split(layout.separator), layout.spans["actual"]
    if at >= len(cells):
        return None
    written = cells.pop(at).strip()
    known = _shapes.get((layout, *cells))  # `_shape` of the row's cells
    if known is None:
        return None
    if written in NO_AMOUNT:  # no cells kept: its readers give spans the line's text
        return None if not written else BudgetLine((), known.row, known.figure, None, known.note)
    amount = plain_amount(written)
    return None if amount is None else BudgetLine((), known.row, known.figure, amount, known.note)


def _shaped(layout: Layout, text: str) -> tuple[BudgetLine, tuple[int, int]] | None:
    """A line of one of `layout`'s budget shapes with a plain amount (`_shape_pattern`, found in one step
    instead of splitting the line and looking its other cells up): the shape and the amount, as
    `_amount_line` reads them; None: any other line, or too many shapes (`_amount_line` reads it)."""
    pattern = _shape_patterns.get(layout) or _shape_pattern(layout)
    found = pattern[0].fullmatch(text)
    if found is None:
        return None
    at = found.lastindex
    assert at is not None
    written = found[at]
    if len(written) > MAX_DIGITS:
        return None  # as `plain_amount`: its limit, then `parse_actual`'s message
    whole, _, decimals = written.partition(".")
    return pattern[1][at], decimal_pair(whole, decimals)


def forget() -> None:
    """Empty the remembered headers, lines and entries (benchmarks measure reading from cold with it)."""
    for cache in MEMOS:
        cache.clear()


MEMOS: tuple[dict[Any, Any], ...] = (
    _layouts, _lines, _rows, _entries, _origins, _grids, _shapes, _placers, _values, _shape_lists,
    _shape_patterns,
)  # fmt: skip


def _remember(cache: dict[_K, _V], key: _K, value: _V, limit: int = CACHE_SIZE) -> None:
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
