"""A table as read from any file: rows of text cells, each row numbered as the user counts it.

Every reader (delimited text, workbooks, YAML/JSON) produces `Grid`s; the table and official-layout
readers only see grids. A cell's `Span` names the file, the sheet, the row, the column and carries the
row as an `Excerpt`, so an error shows the row the way the user wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.diagnostics import NO_EXCERPT, Excerpt, Span
from jixiao.messages import message


@dataclass(frozen=True)
class Place:
    """Where a cell is when that is not (its row's number, its index + 1): YAML/JSON cells; `path` when
    the cell was written in another file than the grid's (a test file's rows over an actual-value file)."""

    line: int
    column: int
    excerpt: Excerpt
    path: str | None = None


@dataclass(frozen=True)
class Row:
    number: int  # the line of a CSV record or YAML mapping, the row of a sheet (1-based)
    cells: tuple[str, ...]
    places: tuple[Place, ...] | None = None
    hidden: bool = False  # a hidden row of a sheet: read as any row, its messages say it is hidden
    # (index, unit) of each sheet cell whose number format shows a unit after its number (`0"人"`: 520 →
    # `520人`): a 计量单位 cell or a header giving another unit is E531 (`table.unit_conflicts`)
    shown_units: tuple[tuple[int, str], ...] = ()
    # indices of sheet cells holding the number 2020.1 shown so: typed 2020.10 (October) or 2020.1 (January)?
    # Excel stores both as 2020.1; against a deadline it is E610 (a text cell 2020.1 is January)
    unsure_months: tuple[int, ...] = ()
    # indices of sheet cells that repeat a merged cell to their left (a header 偏差原因分析及改进措施 merged
    # across two columns): the merged cell's, not a column of their own (`table.match_header`)
    copies: frozenset[int] = frozenset()
    # (index, text) of each sheet cell whose format shows fewer decimals than its typed number has
    # (0.876546391752577 in a 0.00% cell shows 87.65%): what staff see, which `jixiao audit` compares
    shown_values: tuple[tuple[int, str], ...] = ()
    # (index, first row, last row) of each sheet cell of a merged range over several rows (a 得分 cell
    # G24:G25 printed once for two rows): its text is the range's, repeated in each row (`jixiao audit`)
    merged_down: tuple[tuple[int, int, int], ...] = ()

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass
class Grid:
    path: str
    rows: list[Row]
    sheet: str | None = None
    separator: str = ","  # how the excerpt joins cells: "," for CSV, "\t" for tab text, " | " for sheets
    format: str = "csv"
    project: str = ""  # what the file itself says about the project (a YAML/JSON document's keys)
    ruleset: str | None = None
    info: tuple[tuple[str, str], ...] = ()  # (主管部门 or 实施单位, value): a YAML/JSON document's keys
    # (row number, column) of each sheet cell holding a formula saved without its value (a workbook a program
    # wrote, never opened in Excel): its text is the formula (=95%, =C2*0.9376), never read as a value (E509)
    formulas: frozenset[tuple[int, int]] = frozenset()

    def formula_at(self, span: Span) -> bool:
        """Whether the cell at `span` holds a formula saved without its value."""
        return bool(self.formulas) and (span.line, span.column) in self.formulas

    def span(self, row: Row, index: int, column_name: str | None = None) -> Span:
        """The span of cell `index` (0-based) of `row`."""
        if row.places is not None and index < len(row.places):
            place = row.places[index]
            path = place.path or self.path
            return Span(path, place.line, place.column, column_name=column_name, excerpt=place.excerpt)
        excerpt = Excerpt(row.cells, index, self.separator, row.hidden)
        return Span(
            self.path, row.number, index + 1, column_name=column_name, sheet=self.sheet, excerpt=excerpt
        )

    def row_span(self, row: Row) -> Span:
        """The span of a whole row (E512 and the like)."""
        if row.places:  # a YAML/JSON mapping (or a test file's row): its source line, not its cells joined
            first = row.places[0]
            return Span(first.path or self.path, first.line, first.column, excerpt=first.excerpt)
        return Span(
            self.path,
            row.number,
            1,
            sheet=self.sheet,
            excerpt=Excerpt(row.cells, None, self.separator, row.hidden),
        )

    def file_span(self) -> Span:
        return Span(self.path, 1, 1, sheet=self.sheet, excerpt=NO_EXCERPT)


def place_words(span: Span) -> tuple[str, str]:
    """A cell's place in words, Chinese and English: 第3行「全年预算数」列 / row 3, column “全年预算数”."""
    args: dict[str, object] = {"row": span.line, "name": span.column_name, "sheet": span.sheet}
    key = "table-cell" if span.column_name else "table-row"
    zh, en = message(key, "zh", args), message(key, "en", args)
    if span.sheet is not None:
        zh, en = message("sheet-at", "zh", args) + zh, message("sheet-at", "en", args) + en
    return zh, en
