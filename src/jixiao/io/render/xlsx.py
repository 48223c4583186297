"""Results → an Excel workbook (.xlsx) in the official 自评表 layout, written with XlsxWriter.

One sheet per project, laid out as the table staff submit: the title, the project's particulars, the
budget block on top (项目资金 merged down the block), the indicator block with merged 一级/二级 cells,
the total row; numbers stored as numbers with their declared digits as the number format; column
widths to the content, the header frozen, printing on A4 landscape one page wide. Findings go to a
sheet of their own; a batch adds a summary sheet in front. Why XlsxWriter: docs/files.md.

Numbers are written from their exact decimal text (`Decimal`), never through a float. Text cells are
always strings (never formulas); one that Excel would take for a formula when edited (`=`, `+`, `-`,
`@`) carries Excel's quote prefix, the spreadsheet's own mark for "this is text".
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import xlsxwriter
from wcwidth import wcswidth
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from jixiao.diagnostics import JixiaoError, printable
from jixiao.engine.results import Result
from jixiao.io.render import safe
from jixiao.io.render.layout import Block, Cell, Sheet, label, runs, sheet
from jixiao.messages import Lang

COLUMNS = 8  # 一级指标 … 偏差原因分析及改进措施 (more when a ruleset declares columns); the budget uses 8
WIDTH_LIMITS = {  # the widest each indicator column grows, in characters
    "goal": 16,
    "level1": 16,
    "level2": 18,
    "name": 26,
    "target": 14,
    "actual": 22,
    "status": 9,
    "weight": 9,
    "item_score": 10,
    "score": 12,
    "note": 34,
}
MIN_WIDTH = 8
BASE: dict[str, Any] = {
    "font_name": "宋体",
    "font_size": 10,
    "border": 1,
    "valign": "vcenter",
    "text_wrap": True,
}
HEADER: dict[str, Any] = {"bold": True, "align": "center", "bg_color": "#D9D9D9"}
A4, LANDSCAPE_MARGIN = 9, 0.4
LINE_HEIGHT = 13.5  # points per line of 10-point text
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_LIMIT = 31


class Styles:
    """XlsxWriter formats, made once per combination of properties."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.made: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format({**BASE, **props})
        return self.made[key]


@dataclass
class Pen:
    """Writes cells on one worksheet, then sizes its columns to the content and its rows to the wrapping."""

    sheet: Worksheet
    styles: Styles
    widths: list[int]
    texts: list[tuple[int, int, int, str]] = field(default_factory=list)  # (row, first col, last col, text)

    def cell(self, row: int, col: int, cell: Cell, last: int | None = None, **style: Any) -> None:
        """Write `cell` at (row, col); `last`: the last column of a merged range it fills."""
        if cell.value is None:
            self.text(row, col, cell.text, last, **style)
            return
        fmt = self.styles.get(num_format=number_format(cell), align="right", **style)
        self.sheet.write_number(row, col, decimal(cell.value, cell.digits), fmt)
        self._measure(row, col, col if last is None else last, cell.text)

    def text(self, row: int, col: int, text: str, last: int | None = None, **style: Any) -> None:
        clean = printable(text)
        self.sheet.write_string(
            row, col, clean, self.styles.get(quote_prefix=safe.formula_like(clean), **style)
        )
        self._measure(row, col, col if last is None else last, clean)

    def merge(self, first: tuple[int, int], last: tuple[int, int], cell: Cell, **style: Any) -> None:
        """`cell` over a merged range (written into its top-left cell: never a formula)."""
        if first != last:
            self.sheet.merge_range(*first, *last, "", self.styles.get(**style))
        self.cell(*first, cell, last[1], **style)

    def _measure(self, row: int, col: int, last: int, text: str) -> None:
        """A single column grows to its longest line; text over several columns only wraps."""
        self.texts.append((row, col, last, text))
        if col == last and col < len(self.widths):
            longest = max((wcswidth(line) for line in text.splitlines()), default=0)
            self.widths[col] = max(self.widths[col], longest)

    def fit(self, limits: Sequence[int]) -> None:
        """Set the column widths (up to `limits`) and make every row tall enough for its wrapped lines."""
        widths = [min(w, limit) + 2 for w, limit in zip(self.widths, limits, strict=False)]
        for col, width in enumerate(widths):
            self.sheet.set_column(col, col, width)
        lines: dict[int, int] = {}
        for row, col, last, text in self.texts:
            room = sum(widths[col : last + 1]) - 1
            needed = sum(max(1, -(-wcswidth(line) // room)) for line in text.splitlines() or [""])
            lines[row] = max(lines.get(row, 1), needed)
        for row, count in lines.items():
            if count > 1:
                self.sheet.set_row(row, LINE_HEIGHT * count)


def number_format(cell: Cell) -> str:
    """The Excel number format showing the declared digits: 0.00, 0.00%, 0.0000 (amounts as written)."""
    if cell.digits is None:
        body = "0.0#####"
    else:
        body = "0." + "0" * cell.digits if cell.digits else "0"
    suffix = f'"{cell.suffix}"' if cell.suffix else ""
    return body + ("%" if cell.percent else "") + suffix


def decimal(value: Fraction, digits: int | None) -> Decimal:
    """The exact value as a Decimal (its declared digits; 16 significant digits if it never ends)."""
    if digits is not None and (value * 10**digits).denominator == 1:
        return Decimal(value.numerator * 10**digits // value.denominator).scaleb(-digits)
    with localcontext() as context:
        context.prec = 16
        return Decimal(value.numerator) / Decimal(value.denominator)


def sheet_names(names: Sequence[str]) -> list[str]:
    """Names Excel accepts: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _SHEET_NAME_BAD.sub("_", name).strip("' ") or "Sheet"
        candidate, n = base[:SHEET_NAME_LIMIT], 1
        while candidate.lower() in taken or candidate.lower() == "history":
            n += 1
            tail = f"({n})"
            candidate = base[: SHEET_NAME_LIMIT - len(tail)] + tail
        taken.add(candidate.lower())
        out.append(candidate)
    return out


# -- one project's sheet --------------------------------------------------------------------------
def write_sheet(book: xlsxwriter.Workbook, styles: Styles, name: str, layout: Sheet) -> None:
    ws = book.add_worksheet(name)
    columns = max(COLUMNS, len(layout.indicators.keys))
    pen = Pen(ws, styles, [MIN_WIDTH] * columns)
    pen.merge((0, 0), (0, columns - 1), Cell(layout.title), bold=True, font_size=16, align="center", border=0)
    ws.set_row(0, 30)
    row = 1
    for key, value in layout.info:
        pen.text(row, 0, key, bold=True)
        pen.merge((row, 1), (row, columns - 1), Cell(value))
        row += 1
    if layout.budget is not None:
        row = _budget(pen, row, layout.budget, layout)
    pen.merge((row, 0), (row, columns - 1), Cell(label("indicators", layout.lang)), **HEADER)
    header = row + 1
    row = _indicators(pen, header, layout.indicators)
    _total(pen, row, layout)
    pen.fit([WIDTH_LIMITS[k] for k in layout.indicators.keys])
    _page(ws, header)


def _budget(pen: Pen, row: int, block: Block, layout: Sheet) -> int:
    """The budget block: its label merged down column A, row names in B, figures in C…H."""
    last = row + len(block.rows) + (1 if layout.budget_note else 0)
    pen.merge((row, 0), (last, 0), Cell(block.header[0]), **HEADER)
    pen.text(row, 1, "", **HEADER)
    for col, text in enumerate(block.header[1:], start=2):
        pen.text(row, col, text, **HEADER)
    for r, cells in enumerate(block.rows, start=row + 1):
        pen.cell(r, 1, cells[0])
        for col, cell in enumerate(cells[1:], start=2):
            pen.cell(r, col, cell)
    if layout.budget_note:
        pen.text(last, 1, label("note", layout.lang))
        pen.merge((last, 2), (last, COLUMNS - 1), Cell(layout.budget_note))
    return last + 1


def _indicators(pen: Pen, row: int, block: Block) -> int:
    """The indicator header and rows, (目标,) 一级 and 二级 cells merged over the rows they head."""
    for col, text in enumerate(block.header):
        pen.text(row, col, text, **HEADER)
    first = row + 1
    for r, cells in enumerate(block.rows, start=first):
        for col, cell in enumerate(cells[block.merged :], start=block.merged):
            pen.cell(r, col, cell)
    for col in range(block.merged):
        for start, end in runs([tuple(c.text for c in cells[: col + 1]) for cells in block.rows]):
            pen.merge((first + start, col), (first + end, col), block.rows[start][col], align="center")
    return first + len(block.rows)


def _total(pen: Pen, row: int, layout: Sheet) -> None:
    """总分值 / 总得分 under the weight and score columns, the grade in the last column."""
    lang = layout.lang
    block = layout.indicators
    weight, score = block.column("weight"), block.column("score")
    text = f"{label('total_weight', lang)} / {label('total', lang)}"
    pen.merge((row, 0), (row, weight - 1), Cell(text), bold=True, align="center")
    pen.cell(row, weight, layout.total_weight, bold=True)
    pen.cell(row, score, layout.total, bold=True)
    pen.text(
        row, len(block.keys) - 1, f"{label('grade', lang)}{label('colon', lang)}{layout.grade}", bold=True
    )


def _page(ws: Worksheet, header: int) -> None:
    ws.freeze_panes(header + 1, 0)
    ws.repeat_rows(header)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=LANDSCAPE_MARGIN, right=LANDSCAPE_MARGIN, top=0.5, bottom=0.5)
    ws.ignore_errors({"number_stored_as_text": "A1:H1000"})


# -- plain blocks: findings, the batch summary ------------------------------------------------------
def write_block(book: xlsxwriter.Workbook, styles: Styles, name: str, block: Block) -> None:
    """A sheet holding one header row and its rows, the header frozen."""
    ws = book.add_worksheet(name)
    pen = Pen(ws, styles, [MIN_WIDTH] * len(block.header))
    for col, text in enumerate(block.header):
        pen.text(0, col, text, **HEADER)
    for r, cells in enumerate(block.rows, start=1):
        for col, cell in enumerate(cells):
            pen.cell(r, col, cell)
    pen.fit([max(WIDTH_LIMITS.values()) + 20] * len(block.header))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(block.rows), len(block.header) - 1)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)


# -- workbooks ------------------------------------------------------------------------------------
def render(result: Result, fmt: str, lang: Lang) -> bytes:
    """`render_result` for "xlsx": a workbook of the project's sheet."""
    return workbook([(result.project, sheet(result, lang))])


def workbook(sheets: Sequence[tuple[str, Sheet]], summary: Block | None = None) -> bytes:
    """A workbook: the summary sheet (if any), one sheet per (name, layout), then all findings."""
    out, book = _new_book()
    styles = Styles(book)
    lang = sheets[0][1].lang if sheets else "zh"
    if summary is not None:
        write_block(book, styles, label("summary", lang), summary)
    for name, (_, layout) in zip(
        project_sheets([n for n, _ in sheets], lang, summary is not None), sheets, strict=True
    ):
        write_sheet(book, styles, name, layout)
    findings = _all_findings(sheets, batch=summary is not None)
    if findings is not None:
        write_block(book, styles, _names(lang, [n for n, _ in sheets], summary is not None)[-1], findings)
    book.close()
    return out.getvalue()


def project_sheets(projects: Sequence[str], lang: Lang, summary: bool) -> list[str]:
    """The sheet names `workbook` gives the projects' tables (after a summary sheet, if any): their names,
    made unique (项目, 项目(2) …) and as Excel accepts them."""
    names = _names(lang, projects, summary)
    return names[1 if summary else 0 : -1]


def _names(lang: Lang, projects: Sequence[str], summary: bool) -> list[str]:
    """Every sheet's name, in order: the summary (if any), each project's, the findings."""
    reserved = [label("summary", lang)] if summary else []
    return sheet_names([*reserved, *projects, label("findings", lang)])


def _all_findings(sheets: Sequence[tuple[str, Sheet]], batch: bool) -> Block | None:
    """The findings of every sheet in one block; with a project column in a batch."""
    rows: list[tuple[Cell, ...]] = []
    header: tuple[str, ...] = ()
    for name, layout in sheets:
        if layout.findings is None:
            continue
        header = ((label("project", layout.lang),) if batch else ()) + layout.findings.header
        rows += [((Cell(name),) if batch else ()) + row for row in layout.findings.rows]
    return Block(header, tuple(rows)) if rows else None


def blocks_workbook(blocks: Sequence[tuple[str, Block]]) -> bytes:
    """A workbook of plain blocks, a sheet each (`jixiao audit --format xlsx`: summary, discrepancies)."""
    out, book = _new_book()
    styles = Styles(book)
    for name, (_, block) in zip(sheet_names([n for n, _ in blocks]), blocks, strict=True):
        write_block(book, styles, name, block)
    book.close()
    return out.getvalue()


def _new_book() -> tuple[io.BytesIO, xlsxwriter.Workbook]:
    """An in-memory workbook that never turns text into formulas or links, written the same every time: its
    creation time is `written_at()`, and in memory xlsxwriter dates every zip entry 1980-01-01 00:00."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"created": written_at()})  # xlsxwriter writes it as created and modified
    return out, book


FIXED_TIME = datetime.datetime(1980, 1, 1)  # UTC: the zip entries' time, the earliest a zip can record
LATEST_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC: the last second a four-digit year shows
_EPOCH = re.compile(r"[0-9]{1,12}")


def written_at() -> datetime.datetime:
    """The time a workbook records as created and modified (UTC, without a zone): `SOURCE_DATE_EPOCH` (Unix
    seconds, the reproducible-builds convention) when it is set, else the fixed 1980-01-01 00:00, so that
    the same input always gives the same bytes. Unset or empty is the fixed time (the specification leaves
    that to the tool); a value that is not whole seconds from 1970 to 9999 (`abc`, `1e9`, `-5`, too large)
    is E915, as the specification asks ("If the value is malformed, the build process SHOULD exit with a
    non-zero error code"): the output would silently not carry the time asked for."""
    written = os.environ.get("SOURCE_DATE_EPOCH", "")
    epoch = written.strip()
    if not epoch:
        return FIXED_TIME
    if not _EPOCH.fullmatch(epoch) or int(epoch) > LATEST_EPOCH:
        shown = written if len(written) <= _SHOWN_EPOCH else written[:_SHOWN_EPOCH] + "…"
        raise JixiaoError.single("E915", None, value=shown, latest=LATEST_EPOCH)
    return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(epoch))


_SHOWN_EPOCH = 40  # characters of a malformed value the message shows
