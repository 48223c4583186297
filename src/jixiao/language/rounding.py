"""Exact rounding of rational numbers and their display.

Every number in the engine is a `fractions.Fraction`; nothing here ever goes
through a float or Python's `round()`. A `Rounding` rounds a fraction to a
number of decimal places by one of the modes published tables use, and the
`format_*` helpers turn fractions into the text shown to a reviewer.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from jixiao.language.frozen import frozen


class RoundingMode(enum.Enum):
    """How a value is brought to a number of decimal places."""

    HALF_UP = "四舍五入"
    DOWN = "截断"
    UP = "进位"
    HALF_EVEN = "银行家"


_ENGLISH: dict[RoundingMode, str] = {
    RoundingMode.HALF_UP: "half_up",
    RoundingMode.DOWN: "down",
    RoundingMode.UP: "up",
    RoundingMode.HALF_EVEN: "half_even",
}

MODE_WORDS: dict[str, RoundingMode] = {
    "四舍五入": RoundingMode.HALF_UP,
    "half_up": RoundingMode.HALF_UP,
    "round": RoundingMode.HALF_UP,
    "截断": RoundingMode.DOWN,
    "去尾": RoundingMode.DOWN,
    "truncate": RoundingMode.DOWN,
    "down": RoundingMode.DOWN,
    "进位": RoundingMode.UP,
    "进一": RoundingMode.UP,
    "up": RoundingMode.UP,
    "ceiling": RoundingMode.UP,
    "银行家": RoundingMode.HALF_EVEN,
    "银行家舍入": RoundingMode.HALF_EVEN,
    "half_even": RoundingMode.HALF_EVEN,
    "bankers": RoundingMode.HALF_EVEN,
}


def _round_ratio(num: int, den: int, mode: RoundingMode) -> int:
    """Round the non-negative rational num/den (den > 0) to an integer by `mode`, in integers only."""
    whole, rest = divmod(num, den)
    if rest == 0 or mode is _DOWN:
        return whole
    if mode is _UP:
        return whole + 1
    twice = 2 * rest
    if twice > den or (twice == den and (mode is _HALF_UP or whole % 2)):
        return whole + 1
    return whole


# Enum members looked up once (a class attribute lookup on an Enum costs more than the rounding)
_DOWN, _UP, _HALF_UP = RoundingMode.DOWN, RoundingMode.UP, RoundingMode.HALF_UP
_POWERS = tuple(10**k for k in range(32))


def round_scaled(num: int, den: int, digits: int, mode: RoundingMode) -> int:
    """num/den (den > 0) rounded to `digits` places (≥ 0), as a count of 10**-digits: `Rounding.apply` on
    integers, for an evaluator that keeps its values as scaled integers, and what the display rounds."""
    factor = _POWERS[digits] if 0 <= digits < len(_POWERS) else _power(digits)
    if num < 0:
        return -_round_ratio(-num * factor, den, mode)
    return _round_ratio(num * factor, den, mode)


def round_integer(x: Fraction, mode: RoundingMode) -> int:
    """Round `x` to an integer; DOWN/UP/HALF_UP are symmetric about zero."""
    return round_scaled(x.numerator, x.denominator, 0, mode)


@frozen
class Rounding:
    """A rounding rule: a mode and a number of decimal places."""

    mode: RoundingMode
    digits: int

    def apply(self, x: Fraction) -> Fraction:
        """Round `x` exactly to `digits` decimal places (integer arithmetic on numerator/denominator)."""
        return Fraction(round_scaled(x.numerator, x.denominator, self.digits, self.mode), 10**self.digits)

    def text(self, lang: str = "zh") -> str:
        """Describe the rule, e.g. "四舍五入2位" or "half_up 2 digits"."""
        if lang == "zh":
            return f"{self.mode.value}{self.digits}位"
        return f"{_ENGLISH[self.mode]} {digits_text(self.digits, 'en')}"


def digits_text(count: int, lang: str = "zh") -> str:
    """A number of digits as a ruleset writes it: 2位, 2 digits, 1 digit (the language reads both)."""
    if lang == "zh":
        return f"{count}位"
    return f"{count} digit" if count == 1 else f"{count} digits"


def _power(digits: int) -> int:
    """10**digits, for a number of places (never negative: the language allows 0–6)."""
    if digits < 0:
        raise ValueError("digits must not be negative")
    power: int = _POWERS[digits] if digits < len(_POWERS) else 10**digits
    return power


def _scaled_integer(x: Fraction, digits: int) -> int:
    """`x` times 10**digits (digits ≥ 0), which must be an integer."""
    units, rest = divmod(x.numerator * _power(digits), x.denominator)
    if rest:
        raise ValueError(f"{x} has more than {digits} decimal places")
    return units


def exact_sum(values: Iterable[Fraction | int]) -> Fraction:
    """The exact sum, as `sum(values, Fraction(0))`, on integers: one reduction at the end instead of a
    `Fraction` (and its gcd) per addition."""
    num, den = 0, 1
    for value in values:
        n, d = value.numerator, value.denominator
        if d == den:
            num += n
        else:
            common = den // math.gcd(den, d) * d
            num, den = num * (common // den) + n * (common // d), common
    return Fraction(num, den)


def _fixed_text(units: int, digits: int) -> str:
    """Render the integer `units` (in steps of 10**-digits) as fixed-point text."""
    body = str(abs(units)).rjust(digits + 1, "0")
    sign = "-" if units < 0 else ""
    if digits == 0:
        return sign + body
    return f"{sign}{body[:-digits]}.{body[-digits:]}"


def to_decimal(x: Fraction, digits: int) -> Decimal:
    """Convert `x` to a Decimal with exactly `digits` places.

    `x` must already be exact at `digits` places (round it first); the Decimal
    is built from its digits, so no context precision is involved.
    """
    if digits < 0:
        raise ValueError("digits must not be negative")
    return Decimal(_fixed_text(_scaled_integer(x, digits), digits))


def format_fixed(x: Fraction, digits: int) -> str:
    """Show `x` with exactly `digits` places (≥ 0), rounding HALF_UP for display (in integers: a table
    shows hundreds of figures, and `Fraction` arithmetic made most of the time to render one)."""
    return _fixed_text(round_scaled(x.numerator, x.denominator, digits, _HALF_UP), digits)


def decimal_places(x: Fraction) -> int | None:
    """The number of places `x` needs as a decimal, or None if it never ends."""
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    return max(twos, fives) if d == 1 else None


def exact_decimal(x: Fraction) -> str | None:
    """The shortest exact decimal text of `x`, or None if it does not terminate."""
    places = decimal_places(x)
    if places is None:
        return None
    return _fixed_text(_scaled_integer(x, places), places)


def format_exact(x: Fraction, max_digits: int = 6) -> str:
    """The exact decimal of `x` if it has at most `max_digits` places.

    Otherwise the value truncated to `max_digits` places followed by "…",
    e.g. ``0.9376288659…``; used in explanations.
    """
    places = decimal_places(x)
    if places is not None and places <= max_digits:
        return _fixed_text(_scaled_integer(x, places), places)
    return _fixed_text(round_scaled(x.numerator, x.denominator, max_digits, _DOWN), max_digits) + "…"


_WRITTEN_DECIMALS = re.compile(r"[0-9０-９][.．]([0-9０-９]+)")


def written_decimals(text: str) -> int:
    """How many decimals the (first) number in a text is written with: "93.70%" has 2, "120" none."""
    match = _WRITTEN_DECIMALS.search(text)
    return len(match.group(1)) if match else 0


def format_percent(x: Fraction, digits: int) -> str:
    """Show a ratio as a percentage, e.g. 0.937628… with 2 digits -> "93.76%"."""
    return format_fixed(x * 100, digits) + "%"


# -- the digits a spreadsheet keeps ------------------------------------------------------------------------
DOUBLE_DIGITS = (
    15  # significant digits Excel, WPS and LibreOffice show and save of a number (a binary double)
)


def double_unit(value: Fraction) -> Fraction:
    """One unit of the 15th significant digit of `value` (0 for 0): how far the number a spreadsheet
    keeps of a computed value (a binary double, shown and saved with 15 significant digits) may be from
    the exact value."""
    if value == 0:
        return Fraction(0)
    exponent = magnitude(abs(value.numerator), value.denominator) - (DOUBLE_DIGITS - 1)
    return Fraction(10**exponent) if exponent >= 0 else Fraction(1, 10**-exponent)


def magnitude(num: int, den: int) -> int:
    """⌊log10 (num ÷ den)⌋ of positive integers, exactly: estimated from their bits, then corrected."""
    estimate = (num.bit_length() - den.bit_length()) * 30103 // 100000
    while not _at_least(num, den, estimate):
        estimate -= 1
    while _at_least(num, den, estimate + 1):
        estimate += 1
    return estimate


def _at_least(num: int, den: int, exponent: int) -> bool:
    """num ÷ den ≥ 10**exponent."""
    return bool(num >= den * 10**exponent if exponent >= 0 else num * 10**-exponent >= den)
