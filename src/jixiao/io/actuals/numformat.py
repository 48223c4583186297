"""A cell's number as its Excel number format shows it (staff read the sheet as shown, not as stored).

`cell_text` gives what a cell says as text the literal reader understands; `number_text` a number as typed
or shown, never binary noise; `shown_text` a number rounded to its format's decimals; `shown_unit` the unit a
format shows after it (`0"人"`); `placed_text` a number whose format puts text among its digits
(`0!.0000"万元"`: 12900 shown 1.2900万元), exactly, or `BEYOND` (E539) where that cannot be done exactly.
Split from `xlsx` (reading the workbook): this module reads no file.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from typing import Any

from jixiao.language.literals import foreign_currency
from jixiao.language.rounding import written_decimals

TYPED_DIGITS = 15  # Excel keeps 15 significant digits: a value with more came from a formula
SHOWN_DECIMALS = 30  # the most decimal places an Excel number format shows (a longer one shows 30)


def shown_beyond(value: Any, number_format: str) -> bool:
    """Whether a number's format places its digits around text in a way not read exactly (E539)."""
    if type(value) not in (int, float) or placed_sections(number_format) is None:
        return False
    return placed_text(Decimal(value if type(value) is int else repr(value)), number_format) == BEYOND


UNSURE_MONTH = re.compile(r"(?:19|20)[0-9]{2}\.1")  # a number 2020.1 shown so: 2020.1 or 2020.10?


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


def shown_unit(value: Any, number_format: str) -> str:
    """The unit a number's format shows after it (`0"人"`, `#,##0.00"万元"`), or ""."""
    if type(value) not in (int, float) or not number_format or number_format == "General":
        return ""
    return _format(number_format)[3]


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
            text = _with_format(Decimal(value), number_format, typed=True)
        else:
            text = number_text(value, number_format, computed)
        currency = shown_currency(number_format)
        return text if not currency or currency in text else currency + text
    if isinstance(value, dt.datetime):
        if value.day == 1 and value.time() == dt.time() and _month_only(number_format):
            return f"{value.year}年{value.month}月"  # shown 2020年10月 (typed so): the month, not its 1st day
        # a deadline is a day: a date typed with its time (2021-11-30 15:30, `yyyy-mm-dd hh:mm`) is that day
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@functools.lru_cache(maxsize=256)
def shown_currency(number_format: str) -> str:
    """The currency other than 元 a number format shows with the number (`"$"#,##0`, `[$€-407]#,##0`,
    `[$USD] 0.00`), as shown, or "". A cell is read with it (`$12900`), and the literal reader says that
    this is no amount in 元 (E505) rather than reading 12900 bare. The ￥ of a currency format (`￥#,##0.00`,
    `[$¥-804]`) is not read: Excel shows it on any amount, 万元 as well as 元 (bare, as the table's unit)."""
    if not number_format or number_format == "General":
        return ""
    shown: list[str] = []
    for token in _split_sections(number_format)[0]:
        kind, text = _part(token)
        if kind == "text" and text:
            shown.append(text)
        elif not _PLACEHOLDER.fullmatch(token) and not token.isascii():
            shown.append(token)
    return foreign_currency(" ".join(shown)) or ""


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


def stored_text(value: int | float) -> str:
    """A number as it is stored (no format applied): the digits typed, for an excerpt."""
    return _plain(Decimal(value if type(value) is int else repr(value)))
