"""Excel workbooks (.xlsx, .xlsm; WPS saves the same format) into one `Grid` per visible sheet.

Read with openpyxl (docs/files.md says why not python-calamine: it loses number formats, so a
percentage cell 0.9376 shown as 93.76% would be read as 0.9376). Cached values of formulas are read
(`data_only`), merged cells give every cell of the range the top-left value, and numbers become the
decimal the user typed or sees (`number_text`), never binary noise; a formula's value is read as shown
(rounded to its format's decimals), whatever its number of digits.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, NoReturn
from xml.etree import ElementTree

from jixiao.diagnostics import Excerpt, JixiaoError, Span, file_span
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.kinds import OLE_MAGIC, not_a_table, zip_kind
from jixiao.io.actuals.numformat import (
    UNSURE_MONTH,
    cell_text,
    shown_beyond,
    shown_text,
    shown_unit,
    stored_text,
)

MAX_UNPACKED = 64 * 1024 * 1024  # bytes a workbook may unpack to (a zip bomb is refused: E125)
# What openpyxl may be given to open (E133, docs/security.md): it takes ~1–1.5 s and ~20 MB per MiB of
# sheet XML (~20–50 µs a cell), and its time grows with the square of the number of sheets (2 000: 5 s,
# 4 000: 23 s). Real workbooks, for the margin: a bureau's table of 5 000 rows × 20 columns is 100 000
# cells, 5.3 MiB; a workbook of 1 000 projects, a sheet each (issue 8), is 135 000 cells, 8.4 MiB.
MAX_SHEETS = 2_000  # sheets in xl/workbook.xml, hidden ones too
MAX_SHEET_XML = 10 * 1024 * 1024  # one sheet's XML unpacked, and the shared strings' (sharedStrings.xml)
MAX_WORKBOOK_XML = 24 * 1024 * 1024  # all XML parts unpacked (sheets, shared strings, styles …) together
MAX_CELLS = 500_000  # <c> elements in all sheets (a styled blank cell is one too)


def read_workbook(data: bytes, path: str, named: str | None = None) -> list[Grid]:
    """Every visible sheet of a workbook, in order, and the hidden sheet `named` (`--sheet`) if it is one:
    a hidden sheet (an old version kept out of sight) is read only when asked for by name."""
    _check_container(data, path)
    try:
        return _read(data, path, named)
    except MemoryError:  # a workbook within the limits, on a machine short of memory (`ulimit -v`)
        raise JixiaoError.single("E134", file_span(path)) from None


def has_hidden(data: bytes) -> bool:
    """Whether a workbook (checked by `read_workbook`) has a hidden sheet, from xl/workbook.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            book = ElementTree.fromstring(_no_dtd(archive.read("xl/workbook.xml")))
        except ElementTree.ParseError:
            return False
    return any(sheet.get("state", "visible") != "visible" for sheet in book.iter(f"{_NS}sheet"))


def read_hidden(data: bytes, path: str) -> list[Grid]:
    """The hidden sheets of a workbook (read to say that one of them looks like the table: E540)."""
    try:
        return _read(data, path, None, hidden=True)
    except MemoryError:
        raise JixiaoError.single("E134", file_span(path)) from None


def _read(data: bytes, path: str, named: str | None, hidden: bool = False) -> list[Grid]:
    import openpyxl  # imported when a workbook is read: not on every start (docs/performance.md)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except MemoryError:
        raise
    except Exception as exc:
        reason = (
            f"文件已损坏或不是 Excel 工作簿（{type(exc).__name__}）",
            f"damaged or not a workbook ({exc})",
        )
        raise JixiaoError.single("E124", file_span(path), reason=reason) from None
    formulas = formula_cells(data)
    try:
        return [
            _grid(sheet, path, *formulas.get(sheet.title, ({}, frozenset())))
            for sheet in book.worksheets
            if (sheet.sheet_state != "visible") == hidden or sheet.title == named
        ]
    finally:
        book.close()


def _check_container(data: bytes, path: str) -> None:
    if data.startswith(OLE_MAGIC):
        kind = (
            "Excel 97-2003（.xls）、WPS（.et）或加密的工作簿",
            "Excel 97-2003 (.xls), WPS (.et) or protected",
        )
        raise JixiaoError.single("E123", file_span(path), format=kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        reason = ("文件已损坏或不是 Excel 工作簿", "damaged, or not a workbook")
        raise JixiaoError.single("E124", file_span(path), reason=reason) from None
    if "xl/workbook.xml" not in names:
        other = zip_kind(names)
        if other is not None:
            raise not_a_table(path, other)
        kind = ("OpenDocument（.ods）或其他压缩", "OpenDocument (.ods) or another zip-based")
        raise JixiaoError.single("E123", file_span(path), format=kind)
    if unpacked > MAX_UNPACKED:
        raise JixiaoError.single("E125", file_span(path), limit=f"{MAX_UNPACKED // (1024 * 1024)} MiB")
    _check_size(data, path)


def _check_size(data: bytes, path: str) -> None:
    """E133 for a workbook openpyxl would take minutes or a gigabyte to open, seen from its zip directory
    and parts before it is opened (docs/security.md): too many sheets (opening them is quadratic in their
    number), a sheet or the shared strings too large unpacked, all parts too large, too many cells. The
    sizes in the zip's directory are those read: zipfile stops a part at its declared size (a part longer
    than it says fails its CRC: E124), so no ratio of packed to unpacked size needs checking."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        listed = infos["xl/workbook.xml"].file_size <= MAX_SHEET_XML
        sheets = len(_SHEET.findall(archive.read("xl/workbook.xml"))) if listed else MAX_SHEETS + 1
        if sheets > MAX_SHEETS:
            _too_large(
                path, (f"有 {sheets} 张工作表", f"it has {sheets} sheets"), _count(MAX_SHEETS, "张", "sheets")
            )
        parts = {title: part for title, part in _sheet_parts(archive).items() if part in infos}
        for title, part in parts.items():
            size = infos[part].file_size
            if size > MAX_SHEET_XML:
                found = (f"工作表「{title}」解压后 {_mib(size)}", f"sheet “{title}” unpacks to {_mib(size)}")
                _too_large(path, found, _mib(MAX_SHEET_XML))
        strings = sum(
            infos[name].file_size
            for name in {_strings_part(archive), "xl/sharedStrings.xml"}
            if name in infos
        )
        if strings > MAX_SHEET_XML:
            found = (
                f"共享字符串（sharedStrings.xml）解压后 {_mib(strings)}",
                f"its shared strings unpack to {_mib(strings)}",
            )
            _too_large(path, found, _mib(MAX_SHEET_XML))
        xml = sum(info.file_size for name, info in infos.items() if name.lower().endswith((".xml", ".rels")))
        if xml > MAX_WORKBOOK_XML:
            found = (f"工作表等内容解压后共 {_mib(xml)}", f"its sheets and other parts unpack to {_mib(xml)}")
            _too_large(path, found, _mib(MAX_WORKBOOK_XML))
        cells = 0
        for part in parts.values():
            content = archive.read(part)
            # a merged range's every cell is made a cell of its own on opening (A1:Z200000 in 5 KB of
            # zip took a minute and gigabytes): its area counts as cells
            cells += len(_CELL.findall(content)) + sum(_area(*ref) for ref in _MERGE.findall(content))
            if cells > MAX_CELLS:
                found = (f"单元格多于 {cells:,} 个", f"it has more than {cells:,} cells")
                _too_large(path, found, _count(MAX_CELLS, "个单元格", "cells"))


def _count(number: int, zh: str, en: str) -> tuple[str, str]:
    return f"{number:,} {zh}", f"{number:,} {en}"


_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet[\s/>]")  # a <sheet> of xl/workbook.xml
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")  # a <c> (cell) of a sheet
# a <mergeCell ref="C3:Z20"> of a sheet: its corners
_MERGE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref="\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})"'
)


def _area(first_column: bytes, first_row: bytes, last_column: bytes, last_row: bytes) -> int:
    """The cells of a merged range, from its corners' letters and numbers."""
    columns = abs(_column(last_column) - _column(first_column)) + 1
    return columns * (abs(int(last_row) - int(first_row)) + 1)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _too_large(path: str, found: tuple[str, str], limit: str | tuple[str, str]) -> NoReturn:
    raise JixiaoError.single("E133", file_span(path), found=found, limit=limit)


def _grid(
    sheet: Any, path: str, uncached: dict[tuple[int, int], str], computed: frozenset[tuple[int, int]]
) -> Grid:
    merged, tops, copies, down = _merges(sheet, computed)
    fill = {**uncached, **merged}
    hidden = {number for number, row in sheet.row_dimensions.items() if row.hidden}
    rows: list[Row] = []
    formulas: set[tuple[int, int]] = set()  # (row, column as `Grid.span` counts it) of each uncached formula
    for cells in sheet.iter_rows():
        texts: list[str] = []
        shown: list[tuple[int, str]] = []
        unsure: list[int] = []
        values: list[tuple[int, str]] = []
        unshown: tuple[int, str] | None = None  # a cell whose format's display is not read exactly (E539)
        for index, cell in enumerate(cells):
            key = (cell.row, cell.column)
            if key in fill and key not in tops:
                texts.append(fill[key])
                if key in uncached:
                    formulas.add((cell.row, index + 1))
            else:
                # a merged range's every cell is its top-left cell, number format and all (E610, E531, …)
                source = tops.get(key, cell)
                value, number_format = source.value, source.number_format  # a style lookup each: read once
                texts.append(fill[key] if key in merged else cell_text(value, number_format, key in computed))
                if shown_beyond(value, number_format):
                    unshown = unshown or (index, number_format)
                    texts[-1] = stored_text(value)  # as stored
                unit = shown_unit(value, number_format)
                if unit:
                    shown.append((index, unit))
                if type(value) is float:
                    text = texts[-1]
                    if len(text) == 6 and text[5] == "1" and UNSURE_MONTH.fullmatch(text):
                        unsure.append(index)
                    if "." in text:  # else no more decimals than any format shows
                        seen = shown_text(value, number_format, text)
                        if seen and seen != text:
                            values.append((index, seen))
        if unshown is not None:
            _unshown_error(path, sheet.title, cells[0].row, texts, *unshown, cells[0].row in hidden)
        if cells:
            rows.append(
                Row(
                    cells[0].row,
                    _trim(texts),
                    hidden=cells[0].row in hidden,
                    shown_units=tuple(shown),
                    unsure_months=tuple(unsure),
                    copies=frozenset(i for i, c in enumerate(cells) if (c.row, c.column) in copies)
                    if copies
                    else frozenset(),
                    shown_values=tuple(values),
                    merged_down=tuple((c - cells[0].column, a, b) for c, a, b in down.get(cells[0].row, ())),
                )
            )
    return Grid(path, rows, sheet=sheet.title, separator=" | ", format="xlsx", formulas=frozenset(formulas))


def _unshown_error(
    path: str, title: str, number: int, texts: list[str], index: int, number_format: str, hidden: bool
) -> NoReturn:
    """E539 at a number cell whose display cannot be read exactly: it is not read as the stored number."""
    excerpt = Excerpt(_trim(list(texts)), index, " | ", hidden)
    span = Span(path, number, index + 1, sheet=title, excerpt=excerpt)
    raise JixiaoError.single("E539", span, format=number_format)


Merges = tuple[
    dict[tuple[int, int], str],
    dict[tuple[int, int], Any],
    set[tuple[int, int]],
    dict[int, list[tuple[int, int, int]]],
]


def _merges(sheet: Any, computed: frozenset[tuple[int, int]]) -> Merges:
    """The sheet's merged ranges, in one pass over their cells: every cell → the text of its range's
    top-left cell; every cell of a range whose top-left cell is a number → that cell, read with its value
    and number format (a merged 2020.1 is as unsure a month as an unmerged one, E610; its format's unit,
    E531); the cells in no range's first column, which repeat a cell to their left (`Row.copies`); each
    row of a range over several rows → (column, first row, last row) of its cells (`Row.merged_down`)."""
    fill: dict[tuple[int, int], str] = {}
    down: dict[int, list[tuple[int, int, int]]] = {}
    tops: dict[tuple[int, int], Any] = {}
    starts: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col)
        text = cell_text(top.value, top.number_format, (merged.min_row, merged.min_col) in computed)
        number = type(top.value) in (int, float)
        rows = range(merged.min_row, merged.max_row + 1)
        for row in rows:
            starts.add((row, merged.min_col))
            for column in range(merged.min_col, merged.max_col + 1):
                fill[(row, column)] = text
                if number:
                    tops[(row, column)] = top
                if len(rows) > 1:
                    down.setdefault(row, []).append((column, merged.min_row, merged.max_row))
    return fill, tops, fill.keys() - starts, down


def _trim(texts: list[str]) -> tuple[str, ...]:
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


# -- formulas saved without their values ----------------------------------------------------------------
_REF = re.compile(r"([A-Z]+)([0-9]+)")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


Formulas = tuple[dict[tuple[int, int], str], frozenset[tuple[int, int]]]


def formula_cells(data: bytes) -> dict[str, Formulas]:
    """Per sheet, its formula cells: those saved without a computed value (by a program, never opened in
    Excel) with their formula, and those with one.

    openpyxl reads a formula without a value as empty; it is read as its formula instead (`=E6/D6`), so
    the message says a formula is there (E509) rather than that the value is missing. A computed value is
    read as its cell shows it (`number_text`): LibreOffice saves 909.5/970 as 0.937628865979381, 15
    significant digits, which would otherwise pass for a typed value.
    """
    found: dict[str, Formulas] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        for title, part in _sheet_parts(archive).items():
            xml = archive.read(part) if part in names else b""
            if b"<f" in xml or b":f>" in xml or b":f " in xml:
                found[title] = _formulas(xml)
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → the zip part holding it (xl/workbook.xml and its relationships)."""
    try:
        book = ElementTree.fromstring(_no_dtd(archive.read("xl/workbook.xml")))
        rels = ElementTree.fromstring(_no_dtd(archive.read("xl/_rels/workbook.xml.rels")))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): (r.get("Target") or "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(_REL), "")
        parts[sheet.get("name") or ""] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _strings_part(archive: zipfile.ZipFile) -> str:
    """The zip part holding the shared strings, as the workbook's relationships name it."""
    try:
        rels = ElementTree.fromstring(_no_dtd(archive.read("xl/_rels/workbook.xml.rels")))
    except (KeyError, ElementTree.ParseError):
        return "xl/sharedStrings.xml"
    for rel in rels:
        if (rel.get("Type") or "").endswith("/sharedStrings"):
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/sharedStrings.xml"


def _no_dtd(xml: bytes) -> bytes:
    """A workbook part never has a DTD; one with a DTD (entity expansion) is not parsed."""
    return b"<x/>" if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml else xml


def _formulas(xml: bytes) -> Formulas:
    cells: dict[tuple[int, int], str] = {}
    computed: set[tuple[int, int]] = set()
    try:
        for _, cell in ElementTree.iterparse(io.BytesIO(_no_dtd(xml)), events=("end",)):
            if cell.tag == f"{_NS}c":
                _formula(cell, cells, computed)
                cell.clear()
    except ElementTree.ParseError:
        pass  # openpyxl has read the sheet; a part it accepted is not refused here
    return cells, frozenset(computed)


def _formula(
    cell: ElementTree.Element, cells: dict[tuple[int, int], str], computed: set[tuple[int, int]]
) -> None:
    """Record a formula cell: with no value, its formula (an empty text result is t="str" with an empty v);
    with one, its place."""
    formula, value = cell.find(f"{_NS}f"), cell.find(f"{_NS}v")
    ref = _REF.fullmatch(cell.get("r") or "")
    if formula is None or ref is None:
        return
    key = (int(ref.group(2)), _column_number(ref.group(1)))
    if (value is not None and value.text) or cell.get("t") == "str":
        computed.add(key)
    else:
        cells[key] = "=" + (formula.text or "…")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
