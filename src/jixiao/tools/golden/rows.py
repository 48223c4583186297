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
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals import COLUMNS, from_grid, load_actuals
from jixiao.io.actuals.grid import Grid, Place, Row
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


def case_actuals(doc: Document, index: int, case: Case) -> ActualsFile:
    """The actual values of case `index`: its file, its rows, or its file with its rows over it."""
    if case.rows is None and case.actuals is None:
        raise JixiaoError.single("E806", doc.span(("cases", index)), name=case.name)
    path = actuals_file(doc, index, case.actuals) if case.actuals else None
    if case.rows is None:
        assert path is not None
        return load_actuals(path)
    table = _file_table(path) if path is not None else Table()
    for number, row in enumerate(case.rows):
        _merge(table, _written(doc, ("cases", index, "rows", number), row))
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
def _merge(table: Table, written: tuple[Line, dict[str, Place]]) -> None:
    """Replace the cells of the row with the same 三级指标 (and 一级/二级 when given), else add the row."""
    new, keys = written
    name, level1, level2 = (_column(new, m) for m in ("name", "level1", "level2"))
    for line in table.lines:
        same = _column(line, "name") == name
        if same and (not level1 or _column(line, "level1") == level1):
            if not level2 or _column(line, "level2") == level2:
                for column, cell in new.cells.items():
                    line.cells[_same_column(line, column)] = cell
                    table.header.setdefault(_same_column(line, column), keys[column])
                return
    table.lines.append(new)
    for column, place in keys.items():
        table.header.setdefault(column, place)


def _column(line: Line, meaning: str) -> str:
    return next((cell[0] for k, cell in line.cells.items() if COLUMNS.get(k) == meaning), "")


def _same_column(line: Line, column: str) -> str:
    """The file's spelling of a column (实际值 ≡ 实际完成值) so a case row replaces, not adds."""
    meaning = COLUMNS.get(column)
    return next((k for k in line.cells if meaning is not None and COLUMNS.get(k) == meaning), column)
