"""Long tables read quickly: one CSV or tab text with a 项目 column, one project per value, split into the
`ActualsFile`s the full reader (reading.read_columns) builds — or declined, and the full reader reads it.

A long table of many projects repeats the same indicator rows with another project name in front: every
line is new to a reader that remembers lines, so the quick reader (io/actuals/quick.py) declines a
project column. Here each line is split at the separator (no carriage returns or NUL: what the csv
module would do), its 项目 (and 规则) cells are taken out, and the rest goes through the quick reader's
own memo of distinct lines (`quick.line_of`), so a row seen in any project is validated and its value
read once. A line holding quotes (a cell with a comma, as Excel writes it) is read as the csv module
reads it, one line at a time (`_quoted_into`); a quoted line break declines. Each entry keeps the whole
line's cells for its spans (built when asked for), and its line number in the whole file, as the full
reader's does. A 度量单位 or 指标性质 cell is joined in by the quick reader, as table.py joins it.
Anything the full reader would report or treat specially — a 合计 row, a shifted row, a traditional
character, a project whose rows name two rulesets (E527), any diagnostic — declines the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import cast

from jixiao.diagnostics import Span
from jixiao.engine.actuals import SURROGATE, ActualsFile, Entry
from jixiao.io.actuals.budget import BudgetReader
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.labels import label_key, shared_vocabulary
from jixiao.io.actuals.quick import (
    BudgetLine,
    CellSpans,
    Layout,
    Line,
    Placer,
    _layout,
    _quoted_line,
    budget_figure,
    budget_reader,
    known_rows,
    line_of,
    plain_lines,
    quoted_cells,
)
from jixiao.io.actuals.table import TOTAL_ROWS, header_problems, match_header
from jixiao.language.cycles import cycles_uncollected
from jixiao.language.variants import has_traditional

_TAKEN_OUT = ("project", "ruleset")  # the cells that say whose row it is, not what it says
LAYOUTS = 256  # remembered long headers; emptied when full


@dataclass(frozen=True, eq=False)
class LongLayout:
    """A long table's header: every cell's span (`full`), and how the quick reader reads the rest."""

    full: Layout
    rest: Layout  # the header without the 项目 and 规则 columns
    keep: tuple[int, ...]  # the columns `rest` reads
    leading: int  # how many columns 项目 and 规则 take at the start of the line; 0: elsewhere
    project: int
    ruleset: int | None


class LongRows:
    """A long table project's indicator rows as read (`Deferred`): each line read (`Line`, shared by every
    line of that text), its number and its text, made `Entry`s only when `ActualsFile.entries` is read.
    A project the fast evaluator scores never makes them: no entry and no spans object per line.

    The numbers are kept as runs (`range`s) and the texts as one string per run, its lines joined: objects
    the cycle collector does not walk (it walked every number and text of every project, about a third of
    the time to read a long table). While the table is read it is also the project's state: its file,
    its budget reader (made for the first budget row `budget_figure` does not read) and its ruleset."""

    __slots__ = ("budget", "file", "grid", "layout", "lines", "numbers", "ruleset", "texts")

    def __init__(self, grid: Grid, layout: Layout, origin: Span, name: str) -> None:
        self.grid, self.layout = grid, layout
        self.lines: list[Line] = []
        self.numbers: list[range] = []
        # one per run of numbers: its lines joined by line breaks; a line holding quotes: its cells as the
        # csv module read them (a run of its own)
        self.texts: list[str | tuple[str, ...]] = []
        self.file = ActualsFile.new(grid.path, grid.format, origin, name, self)
        self.budget: BudgetReader | None = None
        self.ruleset: str | None = None

    def read(self) -> ActualsFile:
        """The project's file once the table is read; the rows stop holding it and its budget reader (so
        they make no reference cycle with the file, which holds them until its entries are made)."""
        file = self.file
        del self.file, self.budget
        return file

    def add(self, line: Line, number: int, text: str | tuple[str, ...]) -> None:
        self.lines.append(line)
        self.numbers.append(range(number, number + 1))
        self.texts.append(text)

    def entries(self) -> list[Entry]:
        """The entries the reader makes of these rows: their spans point into the whole line's cells."""
        grid, layout = self.grid, self.layout
        numbers = chain.from_iterable(self.numbers)
        texts: Iterable[str | tuple[str, ...]] = chain.from_iterable(
            [t] if isinstance(t, tuple) else t.split("\n")
            for t in self.texts  # a quoted line: its cells
        )
        return [
            Entry.keyed(line.row, line.value, number, CellSpans(grid, layout, number, text), line.key)
            for line, number, text in zip(self.lines, numbers, texts, strict=True)
        ]


@dataclass
class _Reading:
    grid: Grid
    layout: LongLayout
    origin: Span
    place: Placer  # where a budget figure's cells are: the whole line's, under the full header
    quoted: Mapping[int, tuple[str, ...]]  # the cells of each line holding quotes, by index (`quoted_cells`)
    projects: dict[str, LongRows] = field(default_factory=dict)


_layouts: dict[tuple[str, str], LongLayout | None] = {}


@cycles_uncollected()
def read_long_text(text: str, path: str, fmt: str) -> list[ActualsFile] | None:
    """The projects of a long CSV or tab table's decoded text as the full reader reads them, or None
    (declined: not a long table, or anything the full reader must read or report itself). Batches give it
    to `read_sheets_of(long=…)`, which decodes the bytes once for it and for the other readers."""
    found = plain_lines(text, fmt, quotes=True)
    if found is None:
        return None
    lines, separator, at = found
    quoted = quoted_cells(text, lines, separator, at)
    if quoted is None:
        return None
    layout = _long_layout(separator, lines[at])
    if layout is None:
        return None
    grid = Grid(path, [], separator=separator, format="tsv" if separator == "\t" else "csv")
    origin = grid.row_span(Row(at + 1, tuple(lines[at].split(separator))))
    return _read(_Reading(grid, layout, origin, Placer(grid, layout.full), quoted), lines, at)


def _read(reading: _Reading, lines: list[str], at: int) -> list[ActualsFile] | None:
    layout = reading.layout
    if layout.leading == 1 and layout.ruleset is None and not reading.quoted:  # 项目 first, no 规则 column
        read = _read_led(reading, lines, at)  # (most long tables); a line holding quotes: one at a time
    else:
        read = all(
            _line_into(reading, number, text)
            for number, text in enumerate(lines[at + 1 :], start=at + 2)
            if text.replace(reading.grid.separator, "").strip()
        )
    files = [project.read() for project in reading.projects.values()]  # read or not: no cycle left
    if not read or not files or any(file.diagnostics for file in files):
        return None
    return files


def _line_into(reading: _Reading, number: int, text: str) -> bool:
    """Read one non-blank line into its project's file; False: the full reader must read the file."""
    layout = reading.layout
    quoted = reading.quoted.get(number - 1) if reading.quoted else None
    if quoted is not None:
        return _quoted_into(reading, number, text, quoted)
    cells = text.split(layout.full.separator)
    parts = _parts(layout, cells, text)
    if parts is None:
        return False
    who, rest = parts
    line = line_of(layout.rest, rest)
    if type(line) is not Line and type(line) is not BudgetLine:
        return False  # unreadable, a 合计 row, F125, or blank but for the project (E504): the full reader's
    project = _project(reading, who)
    return project is not None and _put(reading, project, line, number, text)


def _quoted_into(reading: _Reading, number: int, text: str, cells: tuple[str, ...]) -> bool:
    """`_line_into` for a line holding quotes, whose `cells` the csv module read: the rest of the line is its
    cells but 项目 and 规则, remembered by their text written with every cell quoted (any line of that text
    reads as these cells, so no two rests share a key), and its spans point into `cells`."""
    layout = reading.layout
    if not "".join(cells).strip():
        return True  # blank (`""`): skipped, as every reader skips a blank row
    fitted = _fitted(layout, cells)
    if fitted is None:
        return False
    rest = tuple(fitted[i] for i in layout.keep)
    written = layout.full.separator.join('"' + cell.replace('"', '""') + '"' for cell in rest)
    line = _quoted_line(layout.rest, written, rest)
    if type(line) is not Line and type(line) is not BudgetLine:
        return False  # as `_line_into`
    project = _project(reading, fitted)
    return project is not None and _put(reading, project, line, number, cells)


def _put(
    reading: _Reading, project: LongRows, line: object, number: int, text: str | tuple[str, ...]
) -> bool:
    """A line read (`line_of`) put into its project's file, its spans pointing into the whole `text` (or
    the cells of a line holding quotes); False: declined (a line the quick reader does not read, a figure
    given twice)."""
    if type(line) is Line:
        if line.budget:
            project.budget = project.budget or budget_reader(project.file)
            project.budget.table_row(line.row, CellSpans(reading.grid, reading.layout.full, number, text))
        else:
            project.add(line, number, text)
        return True
    if type(line) is BudgetLine:
        return budget_figure(project.file, project.budget, line, reading.place, number, text)
    return False  # unreadable, a 合计 row, F125, or blank but for the project (E504)


def _read_led(reading: _Reading, lines: list[str], at: int) -> bool:
    """`_line_into` for each line of a table whose first column is 项目 and that has no 规则 column: the
    rest of a line is the text after its first separator, and a line whose 项目 cell is that of the line
    before it belongs to the same project (a project's rows come together). False: declined, as
    `_line_into` declines.

    The lines are split and looked up in the memo of indicator rows all at once (`known_rows`, loops in
    C), and grouped by their 项目 cell (`groupby`): the first line of a group, and every line of a group
    whose 项目 cell is blank, is read as one line at a time; after it, the project's remembered rows go
    in by the slice (`_bulk`) and the others (budget rows, rows not seen yet) one at a time."""
    separator, rest_layout = reading.grid.separator, reading.layout.rest
    body = lines[at + 1 :]
    parts = list(map(str.partition, body, repeat(separator)))
    found = list(map(known_rows(rest_layout).get, map(_REST, parts)))
    first = at + 2  # the number of the line body[0]
    last: str | None = None  # the 项目 cell of the line before, when it names a project
    project: LongRows | None = None
    start = 0
    for who, run in groupby(map(_WHO, parts)):
        end = start + len(list(run))
        alone = end if not who.strip() else start + 1  # read line by line, as they always were
        for k in range(start, alone):
            text, (_, cut, rest) = body[k], parts[k]
            if project is None or who != last:
                if not text.replace(separator, "").strip():
                    continue  # a blank line
                if not cut:
                    return False  # one cell alone: the full reader's
                project = _project(reading, [who])
                if project is None:
                    return False
                last = who if who.strip() else None
            if not _put(reading, project, line_of(rest_layout, rest), first + k, text):
                return False
        if alone < end and project is not None:
            if not _bulk(reading, project, (body, parts, found), first, alone, end):
                return False
        start = end
    return True


_WHO, _REST = itemgetter(0), itemgetter(2)


Split = tuple[list[str], list[tuple[str, str, str]], list[Line | None]]  # lines, partitioned, rows found


def _bulk(reading: _Reading, project: LongRows, split: Split, first: int, start: int, end: int) -> bool:
    """Lines `start` to `end` of the body (whose line 0 is number `first`), all the current project's:
    each run of remembered indicator rows in one step, the lines between them one by one (`_put`).
    False: declined."""
    body, parts, found = split
    while start < end:
        try:
            upto = found.index(None, start, end)
        except ValueError:
            upto = end
        if upto > start:
            project.lines += cast(list[Line], found[start:upto])
            project.numbers.append(range(first + start, first + upto))
            project.texts.append("\n".join(body[start:upto]))
        if upto < end:
            line = line_of(reading.layout.rest, parts[upto][2])
            if not _put(reading, project, line, first + upto, body[upto]):
                return False
        start = upto + 1
    return True


def _parts(layout: LongLayout, cells: list[str], text: str) -> tuple[list[str], str] | None:
    """The line's cells up to its 项目 and 规则 cells, and the rest of the line as the quick reader reads
    it (which declines a shifted row, a 合计 row or a traditional character there); None: declined."""
    separator, leading = layout.full.separator, layout.leading
    if leading:  # 项目 (and 规则) come first, as usual: the rest is the text after them
        return (cells, text.split(separator, leading)[leading]) if len(cells) > leading else None
    fitted = _fitted(layout, cells)
    return None if fitted is None else (fitted, separator.join(fitted[i] for i in layout.keep))


def _fitted(layout: LongLayout, cells: Sequence[str]) -> list[str] | None:
    """A line's cells filled out with blanks to the header's width; None: a shifted row (E512)."""
    width = layout.full.width
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return None
    return [*cells, *[""] * (width - len(cells))]


def _project(reading: _Reading, cells: list[str]) -> LongRows | None:
    """The project a line belongs to (made on its first line); None: its rows name two rulesets (E527),
    or a 项目 or 规则 cell the full reader reads otherwise (a traditional character, 合计)."""
    layout = reading.layout
    name = cells[layout.project].strip()
    project = reading.projects.get(name)
    if project is None:
        if _special(name):
            return None
        project = reading.projects[name] = LongRows(reading.grid, layout.full, reading.origin, name)
    ruleset = "" if layout.ruleset is None else cells[layout.ruleset].strip()
    if ruleset and project.ruleset is None and not _special(ruleset):
        project.ruleset = project.file.ruleset = ruleset
    elif ruleset and ruleset != project.ruleset:
        return None
    return project


def _special(cell: str) -> bool:
    """A cell read as simplified (F125), one that makes its row a printed 合计 row, or one the full reader
    refuses (a lone surrogate, E128)."""
    return has_traditional(cell) or label_key(cell) in TOTAL_ROWS or SURROGATE.search(cell) is not None


def _long_layout(separator: str, header: str) -> LongLayout | None:
    key = (separator, header)
    if key not in _layouts:
        if len(_layouts) >= LAYOUTS:
            _layouts.clear()
        _layouts[key] = _recognise(separator, header)
    return _layouts[key]


def _recognise(separator: str, text: str) -> LongLayout | None:
    """The header of a long table the full reader reads with no problem, with a 项目 column."""
    if has_traditional(text):
        return None
    row = Row(1, tuple(text.split(separator)))
    header = match_header(row, shared_vocabulary())
    fields = header.fields
    grid = Grid("<header>", [row], separator=separator)
    probe = ActualsFile(grid.path)
    if "project" not in fields or not header.complete():
        return None
    if header_problems(grid, header, strict=True, file=probe) or probe.findings:
        return None
    keep = tuple(i for i, f in enumerate(fields) if f not in _TAKEN_OUT)
    taken = len(fields) - len(keep)
    leading = taken if keep == tuple(range(taken, len(fields))) else 0
    rest = _layout(separator, separator.join(row.cells[i] for i in keep))
    if rest is None:
        return None
    names = tuple(cell.strip() for cell in row.cells)
    full = Layout(separator, fields, names, {f: i for i, f in enumerate(fields) if f})
    return LongLayout(full, rest, keep, leading, fields.index("project"), header.index("ruleset"))
