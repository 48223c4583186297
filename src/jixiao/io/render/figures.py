"""How figures are written in every output: weights, money amounts, rates, exact values.

Outputs never re-round a rounded figure and never pass off a cut-off decimal as exact: a value that
ends within a few places is written in full; one that does not (1/3) is written at its declared digits,
and the machine-readable outputs give the exact value beside it as a fraction (`exact_text`).
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.engine.results import Figure
from jixiao.language.rounding import decimal_places, format_exact, format_fixed, format_percent

WEIGHT_DIGITS = 2
MONEY_DIGITS = 2  # amounts show at least two decimals (970 → 970.00) and every decimal as written
EXACT_PLACES = 12  # a decimal that ends within this many places is written in full
UNDECLARED_DIGITS = 6  # the digits of a value no declared rounding fixed, when it never ends


def weight_text(weight: Fraction | Figure) -> str:
    return decimal_text(Fraction(weight), WEIGHT_DIGITS)


def money_text(value: Fraction | None) -> str | None:
    """An amount as written: 207.4538 stays 207.4538, 970 shows as 970.00."""
    return None if value is None else decimal_text(value, MONEY_DIGITS)


def rate_text(rate: Figure | None) -> str | None:
    if rate is None:
        return None
    if rate.digits is None:
        return format_exact(rate.value * 100, UNDECLARED_DIGITS) + "%"
    return format_percent(rate.value, rate.digits)


def decimal_text(value: Fraction, digits: int | None, pad: bool = True) -> str:
    """`value` as a decimal string: in full if it ends soon (padded to `digits`), else at `digits`.

    Rounded (half up, for display only) exactly when `exact_text(value, digits)` is not None.
    """
    places = decimal_places(value)
    if places is not None and places <= max(digits or 0, EXACT_PLACES):
        return format_fixed(value, max(places, (digits or 0) if pad else 0))
    return format_fixed(value, UNDECLARED_DIGITS if digits is None else digits)


def exact_text(value: Fraction, digits: int | None) -> str | None:
    """The exact value as a fraction ("1/3") when `decimal_text` could not write it in full, else None."""
    places = decimal_places(value)
    if places is not None and places <= max(digits or 0, EXACT_PLACES):
        return None
    return f"{value.numerator}/{value.denominator}"


def figure_text(figure: Figure) -> str:
    """A score as a decimal string for machines: its declared digits, never "…"."""
    return decimal_text(figure.value, figure.digits)


def percent_text(rate: Figure) -> str:
    """A rate as a percentage string for machines: "93.76%", never "…"."""
    return decimal_text(rate.value * 100, rate.digits) + "%"
