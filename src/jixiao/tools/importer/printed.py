"""What a printed table says in numbers, and which roundings of an exact value give what it prints.

A filled-in 自评表 prints a score as `0.93`, a weight as `1.00` or `20%`, a rate as `93.76%`. Both
`jixiao import` (to declare the rounding the table used) and `jixiao audit` (to tell a rounding-only
difference from an arithmetic error) ask the same question: is the printed figure the exact value
rounded some way — half-up, truncated, rounded up or to even, to at most as many decimals as printed?
Everything is exact (`Fraction`); a float never takes part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from jixiao.language.literals import REASONS, normalize
from jixiao.language.rounding import (
    Rounding,
    RoundingMode,
    digits_text,
    double_unit,
    format_exact,
    format_fixed,
)
from jixiao.limits import MAX_DIGITS

MODES = (RoundingMode.HALF_UP, RoundingMode.DOWN, RoundingMode.UP, RoundingMode.HALF_EVEN)
_NUMBER = re.compile(r"([+-]?)(\d+(?:,\d{3})*)(?:\.(\d+))?\s*(%|分)?")
MAX_PLACES = 8  # a printed figure with more decimals than this is not a rounding anyone declares


@dataclass(frozen=True)
class Number:
    """A printed figure: its exact value (a rate as a ratio: 93.76% is 0.9376) and the decimals printed
    (for a percentage, the decimals of the percentage)."""

    value: Fraction
    places: int
    percent: bool = False

    def text(self) -> str:
        if self.percent:
            return format_fixed(self.value * 100, self.places) + "%"
        return format_fixed(self.value, self.places)


def printed_number(text: str) -> Number | None:
    """`0.93` → 0.93 (2 places), `20.00分` → 20, `93.76%` → 0.9376 (2 places, percent); None if not one
    plain number (blank, `/`, a word, a formula) or one of more than MAX_DIGITS digits, as a literal."""
    match = _NUMBER.fullmatch(normalize(text))
    if match is None or _digits(match) > MAX_DIGITS:
        return None
    sign, whole, decimals, suffix = match.groups()
    places = len(decimals or "")
    value = Fraction(int((whole + (decimals or "")).replace(",", "")), 10**places)
    value = -value if sign == "-" else value
    if suffix == "%":
        return Number(value / 100, places, percent=True)
    return Number(value, places)


def printed_score(text: str) -> Number | None:
    """A printed score: `printed_number`, but never a percentage. `80%` in a 得分 cell of weight 10 is
    8 points (80% of the weight) or 80 (80% of the total 100), and a score is in points: it is not read
    (`jixiao audit` says F159, `jixiao import` W187, `percent_score` what to write)."""
    number = printed_number(text)
    return None if number is None or number.percent else number


def percent_score(text: str, weight: Fraction | None) -> tuple[str, str] | None:
    """Why a score written as a percentage is not read, and what to write (zh, en); None if it is none."""
    number = printed_number(text)
    if number is None or not number.percent:
        return None
    share = format_exact(number.value * 100) + "%"
    if weight is None or weight <= 0:
        return (
            f"写成了百分比 {share}：得分按分计，写分数（分值的 {share} 折成分）",
            f"a percentage {share}: a score is in points, write the points ({share} of the weight)",
        )
    points, whole = format_exact(number.value * weight), format_exact(weight)
    return (
        f"写成了百分比：得分按分计，分值 {whole} 的 {share} 写作 {points}",
        f"a percentage: a score is in points, {share} of the weight {whole} is written {points}",
    )


def _digits(match: re.Match[str]) -> int:
    whole: str = match.group(2)
    decimals: str = match.group(3) or ""
    return len(whole.replace(",", "")) + len(decimals)


def unreadable(text: str) -> tuple[str, str]:
    """Why a printed figure is not a number (zh, en): a number of more digits than a literal may have,
    a formula saved without its value, or not a number at all."""
    match = _NUMBER.fullmatch(normalize(text))
    if match is not None and _digits(match) > MAX_DIGITS:
        return REASONS["too_many_digits"]
    if text.strip().startswith("="):
        return (
            "是公式，文件中没有保存它的计算结果：在 Excel 或 WPS 中打开、保存后再复核",
            "a formula saved without its value: open and save the file in Excel or WPS, then audit again",
        )
    return ("不是数", "not a number")


@dataclass(frozen=True)
class Way:
    """How a printed figure came from an exact value: a rounding, or none (printed unrounded)."""

    rounding: Rounding | None  # digits count the decimals of the printed figure (of the percentage)

    def text(self, lang: str = "zh") -> str:
        if self.rounding is None:
            return "未舍入" if lang == "zh" else "none"
        return rounding_text(self.rounding, lang)


ENGLISH_MODES = {  # the language's English words for the modes (docs/language.md, 舍入方式)
    RoundingMode.HALF_UP: "half_up",
    RoundingMode.DOWN: "truncate",
    RoundingMode.UP: "up",
    RoundingMode.HALF_EVEN: "half_even",
}


def rounding_text(rounding: Rounding | None, lang: str = "zh") -> str:
    """As a ruleset writes it: 截断 2位 (truncate 2 digits); None is 不舍入 (none)."""
    if rounding is None:
        return "不舍入" if lang == "zh" else "none"
    if lang == "zh":
        return f"{rounding.mode.value} {rounding.digits}位"
    return f"{ENGLISH_MODES[rounding.mode]} {digits_text(rounding.digits, 'en')}"


def ways(exact: Fraction, printed: Number) -> list[Way]:
    """Every way the printed figure comes from `exact`: unrounded if equal or the 15 significant digits a
    spreadsheet keeps of it (`kept_double`), else each mode at the printed decimals (a percentage's
    decimals count in percent), half-up first. Never at fewer decimals than it
    shows: 0.9376 printed 0.00 is a point lost, not 0.9376 cut to 0 decimals and shown with two."""
    if exact == printed.value or kept_double(exact, printed):
        return [Way(None)]
    if printed.places > MAX_PLACES:
        return []
    shift = 2 if printed.percent else 0
    return [
        Way(Rounding(mode, printed.places))
        for mode in MODES
        if Rounding(mode, printed.places + shift).apply(exact) == printed.value
    ]


def kept_double(exact: Fraction, printed: Number) -> bool:
    """Whether the printed figure is `exact` as a spreadsheet keeps a computed cell, printed with all its
    digits: a formula's value pasted as a value, 0.937628865979381 (93.7628865979381%) for 909.5 ÷ 970.
    Its last digit is at or past the 15th significant digit, and it is at most half a unit of that digit
    plus one unit of the 15th significant digit away (the binary double between them)."""
    unit = double_unit(exact)
    if unit == 0:
        return False
    last = Fraction(1, 10 ** (printed.places + (2 if printed.percent else 0)))  # of the ratio
    return last <= unit and abs(printed.value - exact) <= last / 2 + unit


def rounding_args(
    exact: Fraction, printed: Number, way: Way, rule: Rounding | None, rate: bool = False
) -> dict[str, object]:
    """Message arguments of a figure printed with another rounding than the rule's: the printed figure,
    the exact value, the table's way and the rule's (`rule` as a stage holds it: a rate's in ratio digits).
    `rate`: the execution rate, whose rule the ruleset writes in percent digits (舍入 执行率 四舍五入 2位):
    printed as a fraction (0.9), its ratio digits are said with the rule as written beside them."""
    shown = rule
    if rule is not None and (printed.percent or rate):
        shown = Rounding(rule.mode, rule.digits - 2)
    said = (rounding_text(shown), rounding_text(shown, "en"))
    if rule is not None and rate and not printed.percent:  # the table's way in ratio digits: the rule too
        said = (
            f"{rounding_text(rule)}（即 舍入 执行率 {said[0]}）",
            f"{rounding_text(rule, 'en')} (rounding rate {said[1]} as written)",
        )
    return {
        "printed": printed.text(),
        "exact": exact_text(exact, printed.percent),
        "way": (way.text("zh"), way.text("en")),
        "rule": said,
    }


def exact_text(value: Fraction, percent: bool = False) -> str:
    """An exact value as a reviewer reads it: 0.9376, 93.762887%, 0.333333…"""
    return format_exact(value * 100) + "%" if percent else format_exact(value)
