"""How figures are written in every output: weights, money amounts, rates."""

from __future__ import annotations

from fractions import Fraction

from jixiao.engine.results import Figure
from jixiao.language.rounding import format_exact, format_fixed, format_percent

WEIGHT_DIGITS = 2


def weight_text(weight: Fraction | Figure) -> str:
    return format_fixed(Fraction(weight), WEIGHT_DIGITS)


def money_text(value: Fraction | None) -> str | None:
    return None if value is None else format_fixed(value, 2)


def rate_text(rate: Figure | None) -> str | None:
    if rate is None:
        return None
    if rate.digits is None:
        return format_exact(rate.value * 100, 6) + "%"
    return format_percent(rate.value, rate.digits)
