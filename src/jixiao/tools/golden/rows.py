"""A case's actual values: the file it names and the rows it gives inline, each cell where it is written.

`rows:` replace the file's rows of the same indicator cell by cell (or are added). Every cell keeps its
place — its line and column in the actual-value file, or its value (a column: its key) in the test
file — so a problem with a row points at the line the user wrote, not at a made-up table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.diagnostics import Excerpt, JixiaoError
from jixiao.engine.actuals import ActualRow, ActualsFile
from jixiao.engine.evaluate.run import row_candidates, row_key
from jixiao.engine.plan import IndicatorPlan, Plan
from jixiao.io.actuals import COLUMNS, from_grid, load_actuals
from jixiao.io.actuals.grid import Grid, Place, Row
from jixiao.language.vocabulary import name_key
from jixiao.source import read_text
from jixiao.tools.golden.model import Case, Document, Key
from jixiao.tools.golden.paths import actuals_file


@dataclass
class Line:
    """One row of the table being built: its line, where the row as a whole is, and its cells."""

    number: int
    where: Place
    cells: dict[str, tuple[str, Place]] = field(default_factory=dict)  # column as written → text, place


@dataclass
class Table:
    header: dict[str, Place] = field(default_factory=dict)  # each column, where it is first written
    lines: list[Line] = field(default_factory=list)

    def grid(self, path: str) -> Grid:
        names = tuple(self.header)
        first = next(iter(self.header.values()), None)
        rows = [Row(first.line if first else 1, names, tuple(self.header.values()))]
        for line in self.lines:
            cells = [line.cells.get(name, ("", line.where)) for name in names]
            rows.append(Row(line.number, tuple(c[0] for c in cells), tuple(c[1] for c in cells)))
        return Grid(path, rows, format="rows")


def case_actuals(doc: Document, index: int, case: Case, plan: Plan | None = None) -> ActualsFile:
    """The actual values of case `index`: its file, its rows, or its file with its rows over it.

    A row replaces the file's row of the indicator it names as score would bind both (`plan`, the
    ruleset tested: 受益人口(城镇) is the file's 受益人口（城镇）), else the row of the same name."""
    if case.rows is None and case.actuals is None:
        raise JixiaoError.single("E806", doc.span(("cases", index)), name=case.name)
    path = actuals_file(doc, index, case.actuals) if case.actuals else None
    if case.rows is None:
        assert path is not None
        return load_actuals(path)
    table = _file_table(path) if path is not None else Table()
    rows = _Rows(table, plan)
    for number, row in enumerate(case.rows):
        rows.merge(_written(doc, ("cases", index, "rows", number), row))
    return from_grid(table.grid(str(path or doc.path)))


# -- the two sources ------------------------------------------------------------------------------------
def _file_table(path: Path) -> Table:
    """A CSV file's rows, each cell at its line and column (the file's own problems raise first)."""
    load_actuals(path)
    table = Table()
    reader = csv.reader(io.StringIO(read_text(path)))
    names: list[str] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        row = tuple(cells)
        places = [Place(reader.line_num, i + 1, Excerpt(row, i), str(path)) for i in range(len(cells))]
        if not names:
            names = [cell.strip().lstrip("\ufeff") for cell in cells]
            table.header.update((n, p) for n, p in zip(names, places, strict=True) if n)
            continue
        line = Line(reader.line_num, Place(reader.line_num, 1, Excerpt(row), str(path)))
        line.cells.update((n, (c, p)) for n, c, p in zip(names, cells, places, strict=False) if n)
        table.lines.append(line)
    return table


def _written(doc: Document, key: Key, row: dict[str, str | None]) -> tuple[Line, dict[str, Place]]:
    """A row of the test file, each cell at its value, and each column at its key."""
    line = Line(doc.span(key).line, _place(doc, doc.nodes[key]))
    keys = {name: _place(doc, doc.keys[(*key, name)]) for name in row}
    for name, value in row.items():
        line.cells[name] = (value or "", _place(doc, doc.nodes[(*key, name)]))
    return line, keys


def _place(doc: Document, node: Any) -> Place:
    """A YAML node's place, the line shown with the node's text marked."""
    start, end = node.start_mark, node.end_mark
    text = doc.text.split("\n")[start.line] if start.line < doc.text.count("\n") + 1 else ""
    stop = end.column if end.line == start.line else len(text)
    parts = (text[: start.column], text[start.column : stop] or " ", text[stop:])
    return Place(start.line + 1, start.column + 1, Excerpt(parts, 1, ""), str(doc.path))


# -- merging --------------------------------------------------------------------------------------------
class _Rows:
    """The file's rows, found by the indicator each one is (score's `row_candidates`) and by name."""

    def __init__(self, table: Table, plan: Plan | None) -> None:
        self.table, self.plan = table, plan
        self.bound: dict[int, Line] = {}  # id of an indicator's plan → the first row that is it
        self.named: dict[str, list[Line]] = {}  # row_key of a name → its rows, in order
        for line in table.lines:
            self._index(line)

    def merge(self, written: tuple[Line, dict[str, Place]]) -> None:
        """Replace the cells of the row that is the same indicator, else add the row."""
        new, keys = written
        line = self._find(new)
        if line is None:
            self.table.lines.append(new)
            self._index(new)
            for column, place in keys.items():
                self.table.header.setdefault(column, place)
            return
        for column, cell in new.cells.items():
            line.cells[_same_column(line, column)] = cell
            self.table.header.setdefault(_same_column(line, column), keys[column])

    def _find(self, new: Line) -> Line | None:
        indicator = self._indicator(new)
        if indicator is not None and id(indicator) in self.bound:
            return self.bound[id(indicator)]
        level1, level2 = (name_key(_column(new, m)) for m in ("level1", "level2"))
        for line in self.named.get(row_key(_column(new, "name")), ()):
            if (not level1 or name_key(_column(line, "level1")) == level1) and (
                not level2 or name_key(_column(line, "level2")) == level2
            ):
                return line
        return None

    def _index(self, line: Line) -> None:
        indicator = self._indicator(line)
        if indicator is not None:
            self.bound.setdefault(id(indicator), line)
        self.named.setdefault(row_key(_column(line, "name")), []).append(line)

    def _indicator(self, line: Line) -> IndicatorPlan | None:
        """The indicator score binds the row to, if exactly one."""
        name = _column(line, "name")
        if self.plan is None or not name:
            return None
        try:
            row = ActualRow(
                level1=_column(line, "level1"), level2=_column(line, "level2"), name=name, actual=""
            )
        except ValueError:  # a lone surrogate: the table's reader says so, where it is written
            return None
        candidates = row_candidates(self.plan, row)[1]
        return candidates[0] if len(candidates) == 1 else None


def _column(line: Line, meaning: str) -> str:
    return next((cell[0] for k, cell in line.cells.items() if COLUMNS.get(k) == meaning), "")


def _same_column(line: Line, column: str) -> str:
    """The file's spelling of a column (实际值 ≡ 实际完成值) so a case row replaces, not adds."""
    meaning = COLUMNS.get(column)
    return next((k for k in line.cells if meaning is not None and COLUMNS.get(k) == meaning), column)
