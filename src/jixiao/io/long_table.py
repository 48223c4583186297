"""Long tables read quickly: one CSV or tab text with a 项目 column, one project per value, split into the
`ActualsFile`s the full reader (reading.read_columns) builds — or declined, and the full reader reads it.

A long table of many projects repeats the same indicator rows with another project name in front: every
line is new to a reader that remembers lines, so the quick reader (io/actuals/quick.py) declines a
project column. Here each line is split at the separator (no carriage returns or NUL: what the csv
module would do), its 项目 (and 规则) cells are taken out, and the rest goes through the quick reader's
own memo of distinct lines (`quick.line_of`), so a row seen in any project is validated and its value
read once. A line holding quotes (a cell with a comma, as Excel writes it) is read as the csv module
reads it, one line at a time (`_quoted_into`; a record over several lines, a quoted line break, is one
row, as in the quick reader). Each entry keeps the whole
line's cells for its spans (built when asked for), and its line number in the whole file, as the full
reader's does. A 度量单位 or 指标性质 cell is joined in by the quick reader, as table.py joins it.
Anything the full reader would report or treat specially — a 合计 row, a shifted row, a traditional
character, a project whose rows name two rulesets (E527), any diagnostic — declines the whole file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, count
from typing import cast

from jixiao.diagnostics import Span
from jixiao.engine.actuals import SURROGATE, ActualsFile, Entry
from jixiao.io.actuals.budget import BudgetReader
from jixiao.io.actuals.delimited import MAX_CELL, has_separator, line_separator
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.labels import label_key, shared_vocabulary
from jixiao.io.actuals.quick import (
    NUL,
    QUICK_FORMATS,
    BudgetLine,
    CellSpans,
    Layout,
    Line,
    Placer,
    Quoted,
    _layout,
    _quoted_line,
    amount_figure,
    budget_figure,
    budget_reader,
    known_rows,
    line_of,
    plain_lines,
    quoted_cells,
)
from jixiao.io.actuals.table import TOTAL_ROWS, header_problems, match_header, shifted
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

    The numbers are kept as runs (`range`s) and the texts as one string per run of lines read together,
    its lines joined: objects the cycle collector does not walk (it walked every number and text of every
    project, about a third of the time to read a long table). While the table is read it is also the
    project's state: its file, its budget reader (made for the first budget row `budget_figure` does not
    read) and its ruleset."""

    __slots__ = ("budget", "file", "grid", "layout", "lines", "numbers", "ruleset", "texts")

    def __init__(self, grid: Grid, layout: Layout, origin: Span, name: str) -> None:
        self.grid, self.layout = grid, layout
        self.lines: list[Line] = []
        self.numbers: list[range] = []
        # the number of a run's first line, then its lines joined by line breaks (a run may hold lines that
        # are no entry: budget rows) or a line holding quotes: its cells as the csv module read them; one
        # list of both, not a tuple a run (the collector walks tuples)
        self.texts: list[int | str | tuple[str, ...]] = []
        self.file = ActualsFile.new(grid.path, grid.format, origin, name, self)
        self.budget: BudgetReader | None = None
        self.ruleset: str | None = None

    def read(self) -> ActualsFile:
        """The project's file once the table is read; the rows stop holding it and its budget reader (so
        they make no reference cycle with the file, which holds them until its entries are made)."""
        file = self.file
        del self.file, self.budget
        return file

    def add(self, line: Line, number: int, text: str | tuple[str, ...] | None) -> None:
        """An indicator row at line `number`; `text`: its line's (None: in a run already kept)."""
        self.lines.append(line)
        self.numbers.append(range(number, number + 1))
        if text is not None:
            self.texts += (number, text)

    def entries(self) -> list[Entry]:
        """The entries the reader makes of these rows: their spans point into the whole line's cells."""
        grid, layout, texts = self.grid, self.layout, self.texts
        line_texts: dict[int, str | tuple[str, ...]] = {}
        for first, text in zip(texts[::2], texts[1::2], strict=True):
            if isinstance(text, tuple):  # a quoted line: its cells
                line_texts[cast(int, first)] = text
            else:
                line_texts.update(zip(count(cast(int, first)), cast(str, text).split("\n")))
        return [
            Entry.keyed(
                line.row, line.value, number, CellSpans(grid, layout, number, line_texts[number]), line.key
            )
            for line, number in zip(self.lines, chain.from_iterable(self.numbers), strict=True)
        ]


@dataclass
class _Reading:
    grid: Grid
    layout: LongLayout
    origin: Span
    place: Placer  # where a budget figure's cells are: the whole line's, under the full header
    # the cells of each line holding quotes, by index (`quoted_cells`)
    quoted: Quoted = field(default_factory=dict)
    projects: dict[str, LongRows] = field(default_factory=dict)


_layouts: dict[tuple[str, str], LongLayout | None] = {}


@cycles_uncollected(promote=True)
def read_long_text(text: str, path: str, fmt: str) -> list[ActualsFile] | None:
    """The projects of a long CSV or tab table's decoded text as the full reader reads them, or None
    (declined: not a long table, or anything the full reader must read or report itself). Batches give it
    to `read_sheets_of(long=…)`, which decodes the bytes once for it and for the other readers."""
    given = text
    if "\r" in text:  # Windows line ends (text given as such): one break each, as `plain_lines` reads them
        text = text.replace("\r\n", "\n")
    head = _head(text, fmt)
    if head is None:
        return None
    separator, at, start, end = head
    header = text[start:end]
    layout = _long_layout(separator, header)
    if layout is None:
        return None
    grid = Grid(path, [], separator=separator, format="tsv" if separator == "\t" else "csv")
    origin = grid.row_span(Row(at + 1, tuple(header.split(separator))))
    reading = _Reading(grid, layout, origin, Placer(grid, layout.full))
    if layout.leading == 1 and layout.ruleset is None and '"' not in text:  # 项目 first, no 规则 column
        read = _read_led(reading, text, end + 1, at + 2)  # (most long tables)
    else:
        read = _read_lines(reading, given, fmt)
    files = [project.read() for project in reading.projects.values()]  # read or not: no cycle left
    if not read or not files or any(file.diagnostics for file in files):
        return None
    return files


def _head(text: str, fmt: str) -> tuple[str, int, int, int] | None:
    """Where `plain_lines` finds the header of `text` (its \\r\\n made \\n): the separator, the header's
    index among the lines and where its text starts and ends; None: declined, as `plain_lines` declines
    (which is asked only when the first line is not the header, too long to be one or holds NUL).

    NUL is not looked for in the whole text (in text of CJK characters that costs ~0.5 µs a project):
    as in the quick reader (`plain_lines(whole=False)`), a line the memo vouches for or a budget row of a
    remembered shape holds none, every other line is read by `_read_line`, which looks for it, and a new
    project's name is looked at by `_special`; a line between runs with NUL is not blank."""
    if fmt not in QUICK_FORMATS or "\r" in text:
        return None
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if len(first) <= MAX_CELL and NUL not in first and (fmt == "tsv" or has_separator(first)):
        separator = "\t" if fmt == "tsv" else line_separator(first)
        if first.replace(separator, "").strip():
            return separator, 0, 0, len(first)
    found = plain_lines(text, fmt, quotes=True)
    if found is None:
        return None
    lines, separator, at = found
    start = sum(map(len, lines[:at])) + at  # each line before it and its line break
    return separator, at, start, start + len(lines[at])


def _read_lines(reading: _Reading, text: str, fmt: str) -> bool:
    """Each non-blank line of the table `text` (as given: `quoted_cells` declines a quoted line break in
    text with \\r\\n) read on its own (`_line_into`); False: declined."""
    found = plain_lines(text, fmt, quotes=True)
    if found is None:
        return False
    lines, separator, at = found
    quoted = quoted_cells(text, lines, separator, at)
    if quoted is None:
        return False
    reading.quoted = quoted
    return all(
        _line_into(reading, number, line)
        for number, line in enumerate(lines[at + 1 :], start=at + 2)
        if line.replace(separator, "").strip()
    )


def _line_into(reading: _Reading, number: int, text: str) -> bool:
    """Read one non-blank line into its project's file; False: the full reader must read the file."""
    layout = reading.layout
    quoted = reading.quoted.get(number - 1) if reading.quoted else None
    if isinstance(quoted, int):
        return True  # a line of the record above (a quoted line break): read with it
    if quoted is not None:
        return _quoted_into(reading, number, quoted)
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


def _quoted_into(reading: _Reading, number: int, cells: tuple[str, ...]) -> bool:
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
    reading: _Reading, project: LongRows, line: object, number: int, text: str | tuple[str, ...],
    kept: bool = False,
) -> bool:  # fmt: skip
    """A line read (`line_of`) put into its project's file, its spans pointing into the whole `text` (or
    the cells of a line holding quotes; `kept`: the project keeps it already, in a run's); False: declined
    (a line the quick reader does not read, a figure given twice)."""
    if type(line) is Line:
        if line.budget:
            project.budget = project.budget or budget_reader(project.file)
            project.budget.table_row(line.row, CellSpans(reading.grid, reading.layout.full, number, text))
        else:
            project.add(line, number, None if kept else text)
        return True
    if type(line) is BudgetLine:
        return budget_figure(project.file, project.budget, line, reading.place, number, text)
    return False  # unreadable, a 合计 row, F125, or blank but for the project (E504)


def _read_led(reading: _Reading, text: str, pos: int, number: int) -> bool:
    """The lines of a table whose first column is 项目 and that has no 规则 column, from offset `pos` (the
    start of line `number`) on, as `_line_into` reads each: False, declined, where it declines.

    A project's rows come together: each run of lines with the same 项目 cell is found in one step
    (`_blocks`: no string, tuple or list per line), its 项目 cells taken out at once (the run's text split
    at each line break and 项目 cell that follows it) and its lines looked up in the memo of indicator rows
    at once (`known_rows`, in C). The project keeps the run's text (its lines' spans point into it); its
    remembered rows go in by the slice, the others (budget rows, rows not seen yet) one at a time
    (`_put`). A run whose 项目 cell is blank goes line by line, as `_line_into` reads it; a line with no
    separator between runs is blank (skipped) or declines, as a line of one cell does."""
    separator, layout = reading.grid.separator, reading.layout.rest
    known = known_rows(layout).get
    for run in _blocks(separator).finditer(text, pos):
        start, end = run.span()
        if start != pos:  # lines between runs
            if not _blank(text[pos:start]):
                return False  # a line of one cell (the full reader's), or too long
            number += text.count("\n", pos, start)
        who, block = run.group(1, 0)
        rests = block.split("\n" + who + separator)
        rests[0] = rests[0][len(who) + 1 :]
        if len(block) > MAX_CELL and max(map(len, rests)) >= MAX_CELL - len(who):
            return False  # a line longer than a cell may be: `plain_lines` declines it
        if not who.strip():
            if not _blank_project(reading, who, rests, number):
                return False
        else:
            project = _project(reading, [who])
            if project is None or not _bulk(
                reading, project, (who, block), rests, list(map(known, rests)), number
            ):
                return False
        number += len(rests)
        pos = end + 1
    return _blank(text[pos:])


def _blocks(separator: str) -> re.Pattern[str]:
    """A run of lines with the same first cell (group 1): linear, the cell compared once a line."""
    return _BLOCKS[separator]


_BLOCKS = {
    separator: re.compile(rf"^([^{separator}\n]*){separator}[^\n]*(?:\n\1{separator}[^\n]*)*", re.M)
    for separator in (",", "\t")
}


def _blank(lines: str) -> bool:
    """Whether lines with no separator are blank (every reader skips them), none longer than a cell."""
    return not lines.strip() and (len(lines) <= MAX_CELL or max(map(len, lines.split("\n"))) <= MAX_CELL)


def _blank_project(reading: _Reading, who: str, rests: list[str], number: int) -> bool:
    """A run of lines whose 项目 cell is blank, each read as `_line_into` reads it (blank: skipped)."""
    separator = reading.grid.separator
    for k, rest in enumerate(rests):
        text = who + separator + rest
        if not text.replace(separator, "").strip():
            continue
        project = _project(reading, [who])
        if project is None or not _put(
            reading, project, line_of(reading.layout.rest, rest), number + k, text
        ):
            return False
    return True


def _bulk(
    reading: _Reading, project: LongRows, run: tuple[str, str], rests: list[str], found: list[Line | None],
    first: int,
) -> bool:  # fmt: skip
    """A run of the project's lines (`run`: their 项目 cell and text, line `first` on; their `rests` after
    the 项目 cell, the indicator rows `found` for them in the memo): each run of remembered rows in one
    step, the lines between them one by one (`_put`). False: declined."""
    who, block = run
    project.texts += (first, block)
    start, prefix, layout = 0, who + reading.grid.separator, reading.layout.rest
    for _ in range(found.count(None)):
        upto = found.index(None, start)
        if upto > start:
            project.lines += cast(list[Line], found[start:upto])
            project.numbers.append(range(first + start, first + upto))
        rest, text = rests[upto], prefix + rests[upto]
        put = amount_figure(project.file, project.budget, layout, rest, reading.place, first + upto, text)
        if put is None:  # not a plain budget row whose other cells were seen before: read as any line
            put = _put(reading, project, line_of(layout, rest), first + upto, text, kept=True)
        if not put:
            return False
        start = upto + 1
    if start < len(found):
        project.lines += cast(list[Line], found[start:] if start else found)
        project.numbers.append(range(first + start, first + len(found)))
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
    if shifted(cells, width, layout.full.fields):
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
    refuses (a lone surrogate, E128; NUL, which the csv module refuses: E514).

    Every name of a 合计 row holds 计 or 分, and so does its label key: a cell without either that NFKC
    and `simplified` leave as it is has no such key (`label_key` only drops characters from it then), and
    is not looked up — a project's name is most often new, and a new label key costs ~2 µs."""
    if has_traditional(cell) or SURROGATE.search(cell) is not None or NUL in cell:
        return True
    if "计" not in cell and "分" not in cell and unicodedata.is_normalized("NFKC", cell):
        return False
    return label_key(cell) in TOTAL_ROWS


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
    full = Layout(separator, fields, names, {f: i for i, f in enumerate(fields) if f}, header.units)
    return LongLayout(full, rest, keep, leading, fields.index("project"), header.index("ruleset"))
