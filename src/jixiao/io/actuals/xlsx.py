"""Excel workbooks (.xlsx, .xlsm; WPS saves the same format) into one `Grid` per visible sheet.

Read with openpyxl (docs/files.md says why not python-calamine: it loses number formats, so a
percentage cell 0.9376 shown as 93.76% would be read as 0.9376). Cached values of formulas are read
(`data_only`), merged cells give every cell of the range the top-left value, and numbers become the
decimal the user typed or sees (`number_text`), never binary noise; a formula's value is read as shown
(rounded to its format's decimals), whatever its number of digits.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from typing import Any, NoReturn
from xml.etree import ElementTree

from jixiao.diagnostics import Excerpt, JixiaoError, Span, file_span
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.kinds import OLE_MAGIC, not_a_table, zip_kind
from jixiao.language.rounding import written_decimals

MAX_UNPACKED = 64 * 1024 * 1024  # bytes a workbook may unpack to (a zip bomb is refused: E125)
# What openpyxl may be given to open (E133, docs/security.md): it takes ~1–1.5 s and ~20 MB per MiB of
# sheet XML (~20–50 µs a cell), and its time grows with the square of the number of sheets (2 000: 5 s,
# 4 000: 23 s). Real workbooks, for the margin: a bureau's table of 5 000 rows × 20 columns is 100 000
# cells, 5.3 MiB; a workbook of 1 000 projects, a sheet each (issue 8), is 135 000 cells, 8.4 MiB.
MAX_SHEETS = 2_000  # sheets in xl/workbook.xml, hidden ones too
MAX_SHEET_XML = 10 * 1024 * 1024  # one sheet's XML unpacked, and the shared strings' (sharedStrings.xml)
MAX_WORKBOOK_XML = 24 * 1024 * 1024  # all XML parts unpacked (sheets, shared strings, styles …) together
MAX_CELLS = 500_000  # <c> elements in all sheets (a styled blank cell is one too)
TYPED_DIGITS = 15  # Excel keeps 15 significant digits: a value with more came from a formula
SHOWN_DECIMALS = 30  # the most decimal places an Excel number format shows (a longer one shows 30)


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
    merged, tops, copies = _merges(sheet, computed)
    fill = {**uncached, **merged}
    hidden = {number for number, row in sheet.row_dimensions.items() if row.hidden}
    rows: list[Row] = []
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
            else:
                # a merged range's every cell is its top-left cell, number format and all (E610, E531, …)
                source = tops.get(key, cell)
                value, number_format = source.value, source.number_format  # a style lookup each: read once
                texts.append(fill[key] if key in merged else cell_text(value, number_format, key in computed))
                if _unshown(value, number_format):
                    unshown = unshown or (index, number_format)
                    texts[-1] = _plain(Decimal(value if type(value) is int else repr(value)))  # as stored
                unit = _shown_unit(value, number_format)
                if unit:
                    shown.append((index, unit))
                if type(value) is float:
                    text = texts[-1]
                    if len(text) == 6 and text[5] == "1" and _UNSURE_MONTH.fullmatch(text):
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
                )
            )
    return Grid(path, rows, sheet=sheet.title, separator=" | ", format="xlsx")


def _unshown(value: Any, number_format: str) -> bool:
    """Whether a number's format places its digits around text in a way not read exactly (E539)."""
    if type(value) not in (int, float) or placed_sections(number_format) is None:
        return False
    return placed_text(Decimal(value if type(value) is int else repr(value)), number_format) == BEYOND


def _unshown_error(
    path: str, title: str, number: int, texts: list[str], index: int, number_format: str, hidden: bool
) -> NoReturn:
    """E539 at a number cell whose display cannot be read exactly: it is not read as the stored number."""
    excerpt = Excerpt(_trim(list(texts)), index, " | ", hidden)
    span = Span(path, number, index + 1, sheet=title, excerpt=excerpt)
    raise JixiaoError.single("E539", span, format=number_format)


_UNSURE_MONTH = re.compile(r"(?:19|20)[0-9]{2}\.1")  # a number 2020.1 shown so: 2020.1 or 2020.10?


def shown_text(value: Any, number_format: str, read: str | None = None) -> str:
    """A number as its cell shows it, rounded half up to its format's decimals ("" for text, a General
    cell, or a format showing no fixed decimals): what staff see, whatever the digits typed. `read`: the
    cell's text as read, "" when it has no more decimals than the format shows (it is what is shown)."""
    if type(value) not in (int, float) or not number_format or number_format == "General":
        return ""
    if placed_sections(number_format) is not None:
        return ""  # read as shown (`placed_text`)
    places = _format(number_format)[2]
    if places is None or (read is not None and written_decimals(read) <= places):
        return ""
    return _with_format(Decimal(repr(value)), number_format, typed=False)


def _shown_unit(value: Any, number_format: str) -> str:
    """The unit a number's format shows after it (`0"人"`, `#,##0.00"万元"`), or ""."""
    if type(value) not in (int, float) or not number_format or number_format == "General":
        return ""
    return _format(number_format)[3]


def _merges(
    sheet: Any, computed: frozenset[tuple[int, int]]
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], Any], set[tuple[int, int]]]:
    """The sheet's merged ranges, in one pass over their cells: every cell → the text of its range's
    top-left cell; every cell of a range whose top-left cell is a number → that cell, read with its value
    and number format (a merged 2020.1 is as unsure a month as an unmerged one, E610; its format's unit,
    E531); the cells in no range's first column, which repeat a cell to their left (`Row.copies`)."""
    fill: dict[tuple[int, int], str] = {}
    tops: dict[tuple[int, int], Any] = {}
    starts: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col)
        text = cell_text(top.value, top.number_format, (merged.min_row, merged.min_col) in computed)
        number = type(top.value) in (int, float)
        for row in range(merged.min_row, merged.max_row + 1):
            starts.add((row, merged.min_col))
            for column in range(merged.min_col, merged.max_col + 1):
                fill[(row, column)] = text
                if number:
                    tops[(row, column)] = top
    return fill, tops, fill.keys() - starts


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


# -- a cell's value as text ------------------------------------------------------------------------------
def cell_text(value: Any, number_format: str = "General", computed: bool = False) -> str:
    """What a cell says, as text the literal reader understands (`computed`: a formula's value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        placed = placed_text(Decimal(value if isinstance(value, int) else repr(value)), number_format)
        if placed is not None and placed != BEYOND:
            return placed  # 12900 in a 0!.0000"万元" cell: 1.2900万元, as shown
    if isinstance(value, int):
        return _with_format(Decimal(value), number_format, typed=True)
    if isinstance(value, float):
        return number_text(value, number_format, computed)
    if isinstance(value, dt.datetime):
        if value.day == 1 and value.time() == dt.time() and _month_only(number_format):
            return f"{value.year}年{value.month}月"  # shown 2020年10月 (typed so): the month, not its 1st day
        # a deadline is a day: a date typed with its time (2021-11-30 15:30, `yyyy-mm-dd hh:mm`) is that day
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@functools.lru_cache(maxsize=256)
def _month_only(number_format: str) -> bool:
    """Whether a date format shows a year and a month but no day or time (`yyyy"年"m"月"`, `mmm-yy`,
    `yyyy.mm`): Excel stores 2020年10月 typed as 2020-10-01, and the sheet shows the month. Read as the
    day, a deadline of 10月15日前 would be met by a month the sheet says may end on the 31st. (A day other
    than the 1st was typed as a date: that day is read, whatever the format hides.)"""
    codes = "".join(
        token.lower()
        for token in _TOKEN.findall(number_format or "")
        if token[0] not in '"[_*\\!' or len(token) == 1
    )
    return "y" in codes and "m" in codes and not any(c in codes for c in "dhs")


def number_text(value: float, number_format: str = "General", computed: bool = False) -> str:
    """A float cell as the decimal the user typed or sees.

    A value of at most 15 significant digits is what was typed (Excel keeps no more): it is read
    exactly, padded to the decimals its format shows (970 in a 0.00 cell is 970.00). A longer value
    came from a formula (909.5/970 = 0.93762886597938…): it is read as shown, rounded half up to the
    decimals of its format, or to 15 significant digits in a General cell (0.1+0.2 → 0.3).
    A percentage format reads as a percentage: 0.9376 in a 0.00% cell is "93.76%". A `computed` value
    (a formula's) is read as shown whatever its digits.
    """
    exact = Decimal(repr(value))
    typed = not computed and (
        len(exact.as_tuple().digits) <= TYPED_DIGITS or exact == exact.to_integral_value()
    )
    return _with_format(exact, number_format, typed)


_TOKEN = re.compile(r'"[^"]*"|[\\!].|\[[^\]]*\]|[_*].|(?i:general)|.', re.DOTALL)
_PLACEHOLDER = re.compile(r"[0#?]")


# -- formats that place digits around text (Excel's 万元 tricks) ---------------------------------------------
# `0!.0000"万元"`, `0"."0000"万元"` show 12900 as 1.2900万元 and `0!.0,"万元"` as 1.3万元: the text between
# digit placeholders is shown between the digits, and Excel fills the placeholders from the decimal point
# outwards. Such a cell is read as it shows (`placed_text`), never as 12900 times the unit it shows.
BEYOND = "beyond"  # a format section placing digits in a way not rendered here exactly (E539)
_SHOWN_AS_IS = frozenset("$-+():^'{}<>=&~ ")  # characters a format shows without quotes
MAX_PLACED_PARTS = 300  # digit placeholders and texts of a section rendered (a longer one is E539)


@dataclass(frozen=True)
class Placed:
    """A format section as the digits, the decimal point and the texts it shows, in order."""

    parts: tuple[tuple[str, str], ...]  # ("digit", "0"/"#"/"?"), ("point", "."), ("text", shown)
    scale: int  # the power of ten the number is shown at: +2 a percent sign, -3 a trailing comma
    decimals: int


Section = Placed | str | None  # placed, BEYOND, or None: no text between its digits (`_with_format` reads it)


@functools.lru_cache(maxsize=256)
def placed_sections(number_format: str) -> tuple[Section, ...] | None:
    """The sections (positive; negative; zero) of a format one of which shows text between its digits
    (`0!.0000"万元"`), or None when none does: the number is then read by `_with_format`. A section is
    BEYOND where the digits are not placed exactly here: a condition (`[>=10000]`), Chinese digits
    (`[DBNum1]`), thousands separators among placed texts."""
    sections = _split_sections(number_format)[:3]
    if all(_placed_section(section) is None for section in sections):
        return None
    if any(token.startswith("[") and _condition(token) for s in sections for token in s):
        return tuple(BEYOND for _ in sections)  # which section a number takes is its condition's
    # every section by the same rules: `0!.0000"万元";-0` shows -12900 as -12900, not -12900万元
    return tuple(_placed_section(section, every=True) for section in sections)


def _split_sections(number_format: str) -> list[list[str]]:
    sections: list[list[str]] = [[]]
    for token in _TOKEN.findall(number_format or ""):
        if token == ";":
            sections.append([])
        else:
            sections[-1].append(token)
    return sections


def _condition(token: str) -> bool:
    """A `[…]` that is no colour and no currency or locale (`[Red]`, `[Color10]`, `[$¥-804]`)."""
    inner = token[1:-1]
    return not (inner.startswith("$") or inner.isalpha() or re.fullmatch(r"(?i)color\d+", inner))


def _placed_section(tokens: list[str], every: bool = False) -> Section:
    """A section with text between two digit placeholders as `Placed` (BEYOND if it cannot be shown exactly
    here), else None (`every`: any section, a format's other section). A fraction (`# ?/?`) or exponent
    (`0.00E+00`) is no such section."""
    parts: list[tuple[str, str]] = []
    commas: list[int] = []  # at which part each comma stands
    percents = 0
    beyond = False
    for token in tokens:
        kind, shown = _part(token)
        if kind == "fraction":
            return BEYOND if every else None
        if kind == "comma":
            commas.append(len(parts))
        elif kind == "percent":
            percents += 1
            parts.append(("text", "%"))
        elif kind == "beyond":
            beyond = True
        elif kind != "none" and (shown or kind != "text"):  # `[$-804]`, `""`: no text shown
            parts.append((kind, shown))
    digits = [i for i, (kind, _) in enumerate(parts) if kind == "digit"]
    placing = bool(digits) and any(parts[i][0] == "text" for i in range(digits[0], digits[-1]))
    if not placing and not every:
        return None
    points = [i for i, (kind, _) in enumerate(parts) if kind == "point"]
    grouped = any(at <= digits[-1] for at in commas) if digits else False  # thousands separators
    if beyond or grouped or len(points) > 1 or len(parts) > MAX_PLACED_PARTS:
        return BEYOND
    point = points[0] if points else len(parts)
    decimals = sum(1 for i in digits if i > point)
    scale = 2 * percents - 3 * len(commas)
    return Placed(tuple(parts), scale, decimals)


def _part(token: str) -> tuple[str, str]:
    """What one token of a format section is: a digit placeholder, the point, a comma, a percent sign,
    shown text, nothing shown (a colour, a fill), a fraction or exponent, or beyond."""
    if token[0] == '"' and len(token) > 1:
        return "text", token[1:-1]
    if token[0] in "\\!" and len(token) == 2:
        return "text", token[1]
    if token[0] == "_" and len(token) == 2:
        return "text", " "  # a space as wide as the character
    if token[0] == "*" and len(token) == 2:
        return "none", ""  # the character repeated to fill the cell's width
    if token[0] == "[" and len(token) > 1:
        inner = token[1:-1]
        if inner.startswith("$"):
            return "text", inner[1:].split("-")[0]  # [$¥-804] shows ¥; [$-804] nothing
        return ("none", "") if not _condition(token) else ("beyond", "")
    if token in ("0", "#", "?"):
        return "digit", token
    if token in (".", ",", "%"):
        return {".": "point", ",": "comma", "%": "percent"}[token], token
    if token in "/Ee":
        return "fraction", token
    if token in _SHOWN_AS_IS or not token.isascii():
        return "text", token
    return "beyond", token  # General, @, a date or time code, a letter


def placed_text(value: Decimal, number_format: str) -> str | None:
    """A number as a format placing digits around text shows it, exactly (`0!.0000"万元"`: 12900 →
    1.2900万元); BEYOND where this format's digits are not placed exactly here; None for a format that
    places none (`_with_format` reads it)."""
    sections = placed_sections(number_format)
    if sections is None:
        return None
    if value < 0 and len(sections) > 1:
        section, sign = sections[1], ""
    elif value == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if value < 0 else ""
    if section is None or section == BEYOND:
        return section
    assert isinstance(section, Placed)
    shown = abs(value).scaleb(section.scale)
    with localcontext() as context:
        context.prec = max(shown.adjusted(), 0) + section.decimals + 2
        shown = shown.quantize(Decimal(1).scaleb(-section.decimals), rounding=ROUND_HALF_UP)
    if not shown:
        sign = ""  # -0.04 shown 0.0
    whole, _, fraction = format(shown, "f").partition(".")
    return sign + _fill(section, "" if whole == "0" else whole, fraction)


def _fill(section: Placed, whole: str, fraction: str) -> str:
    """The section's parts with the digits in place: the whole number's from the point leftwards (the
    leftmost placeholder takes what digits are left), the decimals' from the point rightwards; a
    placeholder with no digit shows 0, a space (`?`) or nothing (`#`), as does a decimal's trailing 0."""
    parts = section.parts
    point = next((i for i, (kind, _) in enumerate(parts) if kind == "point"), len(parts))
    out = [shown if kind != "digit" else "" for kind, shown in parts]
    places = [i for i in range(point) if parts[i][0] == "digit"]
    if not places and whole and point < len(parts):  # `.00"x"00`: the whole number before the point
        out[point] = whole + out[point]
    left = len(whole)
    for n, i in enumerate(reversed(places)):
        if n == len(places) - 1 and left > 0:
            out[i] = whole[:left]
        elif left > 0:
            left -= 1
            out[i] = whole[left]
        else:
            out[i] = _empty(parts[i][1])
    last = len(fraction.rstrip("0"))
    for n, i in enumerate(i for i in range(point, len(parts)) if parts[i][0] == "digit"):
        out[i] = fraction[n] if n < last or parts[i][1] == "0" else _empty(parts[i][1])
    return "".join(out)


def _empty(placeholder: str) -> str:
    return {"0": "0", "?": " "}.get(placeholder, "")


def _with_format(exact: Decimal, number_format: str, typed: bool) -> str:
    percent, thousands, decimals, suffix = _format(number_format)
    shown = (exact * 100).normalize() if percent else exact
    if thousands:
        shown = shown.scaleb(-3 * thousands)
    needed = shown.adjusted() + 2 + SHOWN_DECIMALS  # digits of the places shown (quantize must not raise)
    if needed > getcontext().prec:
        with localcontext() as context:
            context.prec = needed
            shown = _placed(shown, decimals, typed)
    else:
        shown = _placed(shown, decimals, typed)
    return _plain(shown) + ("%" if percent else "") + suffix


def _placed(shown: Decimal, decimals: int | None, typed: bool) -> Decimal:
    """A formula's value rounded to the places shown; a typed one padded to them (970 → 970.00)."""
    if not typed:
        return _rounded(shown, decimals)
    if decimals is not None and _places(shown) < decimals:
        return shown.quantize(Decimal(1).scaleb(-decimals))
    return shown


@functools.lru_cache(maxsize=1024)  # a workbook uses a few formats for all its cells
def _format(number_format: str) -> tuple[bool, int, int | None, str]:
    """What a number format does to the number (its first section): a percentage, thousands divided out,
    the decimals shown (at most `SHOWN_DECIMALS`; None for General), and the text after the number."""
    section, suffix = _layout((number_format or "General").split(";")[0])
    decimals = _decimals(section)
    return (
        "%" in section,
        _thousands(section),
        None if decimals is None else min(decimals, SHOWN_DECIMALS),
        suffix,
    )


def _layout(written: str) -> tuple[str, str]:
    """A format section's codes (its literals, `[…]` and spacing left out) and the text it shows after
    the number: the unit of `0"人"`, `#,##0.00"万元"` or `0\\人` (a LibreOffice save), or ""."""
    codes: list[str] = []
    suffix: list[str] = []
    for token in _TOKEN.findall(written):
        if token[0] == '"' and len(token) > 1:
            suffix.append(token[1:-1])
        elif token[0] in "\\!" and len(token) == 2:  # `\人`, and `!.` (Excel's own escape)
            suffix.append(token[1])
        elif token[0] not in "[_*" or len(token) == 1:
            codes.append(token)
            if _PLACEHOLDER.match(token) or token.lower() == "general":
                suffix.clear()
    return "".join(codes), "".join(suffix).strip()


def _thousands(section: str) -> int:
    """How many times a format divides the number by 1000: the commas after its last digit placeholder
    (`#,##0,"千元"` shows 12345 as 12千元)."""
    match = re.search(r"[0#?](,+)[^0#?]*$", section)
    return len(match.group(1)) if match else 0


def _places(value: Decimal) -> int:
    return max(-int(value.as_tuple().exponent), 0)


def _decimals(section: str) -> int | None:
    """How many decimals a number format shows; None for General (and text)."""
    if not re.search(r"[0#?]", section):
        return None
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


def _rounded(value: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        magnitude = value.adjusted() if value else 0
        decimals = max(TYPED_DIGITS - 1 - magnitude, 0)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP).normalize()
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _plain(value: Decimal) -> str:
    """Fixed-point text, never an exponent (1E+3 → 1000)."""
    text = format(value, "f")
    return "0" if text in ("-0", "") else text
