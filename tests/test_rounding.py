"""Tests for exact rounding and number display."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.language.rounding import (
    MODE_WORDS,
    Rounding,
    RoundingMode,
    _fixed_text,
    decimal_places,
    exact_sum,
    format_exact,
    format_fixed,
    format_percent,
    round_integer,
    to_decimal,
)

F = Fraction
HU, DN, UP, HE = (
    RoundingMode.HALF_UP,
    RoundingMode.DOWN,
    RoundingMode.UP,
    RoundingMode.HALF_EVEN,
)

CASES = [
    # value, mode, digits, expected
    ("0.125", HU, 2, "0.13"),
    ("0.125", HE, 2, "0.12"),
    ("0.125", DN, 2, "0.12"),
    ("0.125", UP, 2, "0.13"),
    ("0.135", HE, 2, "0.14"),
    ("0.9376", DN, 2, "0.93"),
    ("0.9376", HU, 2, "0.94"),
    ("0.9376", HE, 2, "0.94"),
    ("0.9376", UP, 2, "0.94"),
    ("9.376", HU, 2, "9.38"),
    ("9.376", DN, 2, "9.37"),
    ("2.5", HU, 0, "3"),
    ("2.5", HE, 0, "2"),
    ("3.5", HE, 0, "4"),
    ("2.5", DN, 0, "2"),
    ("2.5", UP, 0, "3"),
    ("2.1", UP, 0, "3"),
    ("2.9", DN, 0, "2"),
    ("0.25", HU, 1, "0.3"),
    ("0.25", HE, 1, "0.2"),
    ("0.35", HE, 1, "0.4"),
    ("0.25", DN, 1, "0.2"),
    ("0.21", UP, 1, "0.3"),
    ("-0.125", HU, 2, "-0.13"),
    ("-0.125", HE, 2, "-0.12"),
    ("-0.125", DN, 2, "-0.12"),
    ("-0.125", UP, 2, "-0.13"),
    ("-2.5", HU, 0, "-3"),
    ("-2.5", HE, 0, "-2"),
    ("-2.5", DN, 0, "-2"),
    ("-2.5", UP, 0, "-3"),
    ("-0.25", HU, 1, "-0.3"),
    ("-0.25", HE, 1, "-0.2"),
    ("-0.21", DN, 1, "-0.2"),
    ("-0.21", UP, 1, "-0.3"),
    ("5", HU, 2, "5"),
    ("0", UP, 0, "0"),
]


@pytest.mark.parametrize(("value", "mode", "digits", "expected"), CASES)
def test_apply(value: str, mode: RoundingMode, digits: int, expected: str) -> None:
    assert Rounding(mode, digits).apply(F(value)) == F(expected)


def test_exact_arithmetic_example() -> None:
    a = F(13) * 3 / 120
    b = F(13) / 120 * 3
    assert a == b == F(13, 40)
    rounded = Rounding(HU, 2).apply(a)
    assert rounded == F(33, 100)
    assert to_decimal(rounded, 2) == Decimal("0.33")
    assert str(to_decimal(rounded, 2)) == "0.33"


def test_one_third_rounds_by_mode() -> None:
    third = F(1, 3)
    assert Rounding(UP, 2).apply(third) == F(34, 100)
    assert Rounding(DN, 2).apply(-third) == F(-33, 100)


@pytest.mark.parametrize(
    ("word", "mode"),
    [
        ("四舍五入", HU),
        ("half_up", HU),
        ("round", HU),
        ("截断", DN),
        ("去尾", DN),
        ("truncate", DN),
        ("down", DN),
        ("进位", UP),
        ("进一", UP),
        ("up", UP),
        ("ceiling", UP),
        ("银行家", HE),
        ("银行家舍入", HE),
        ("half_even", HE),
        ("bankers", HE),
    ],
)
def test_mode_words(word: str, mode: RoundingMode) -> None:
    assert MODE_WORDS[word] is mode


@pytest.mark.parametrize(
    ("rounding", "zh", "en"),
    [
        (Rounding(HU, 2), "四舍五入2位", "half_up 2 digits"),
        (Rounding(DN, 0), "截断0位", "down 0 digits"),
        (Rounding(UP, 1), "进位1位", "up 1 digit"),
        (Rounding(HE, 2), "银行家2位", "half_even 2 digits"),
    ],
)
def test_rounding_text(rounding: Rounding, zh: str, en: str) -> None:
    assert rounding.text() == zh
    assert rounding.text("en") == en


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (F("99.31"), 2, "99.31"),
        (F("0.93"), 2, "0.93"),
        (F("9.38"), 2, "9.38"),
        (F(10), 2, "10.00"),
        (F(0), 2, "0.00"),
        (F("-0.5"), 2, "-0.50"),
        (F(7), 0, "7"),
        (F("0.5"), 1, "0.5"),
    ],
)
def test_to_decimal(value: Fraction, digits: int, expected: str) -> None:
    result = to_decimal(value, digits)
    assert str(result) == expected
    assert result == Decimal(expected)


def test_to_decimal_rejects_unrounded() -> None:
    with pytest.raises(ValueError):
        to_decimal(F(1, 3), 2)
    with pytest.raises(ValueError):
        to_decimal(F(1), -1)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (F("99.31"), 2, "99.31"),
        (F("0.93"), 2, "0.93"),
        (F("9.376"), 2, "9.38"),
        (F(10), 2, "10.00"),
        (F("0.125"), 2, "0.13"),
        (F("-0.125"), 2, "-0.13"),
        (F("-0.001"), 2, "0.00"),
        (F(2, 3), 0, "1"),
        (F(1, 3), 1, "0.3"),
    ],
)
def test_format_fixed(value: Fraction, digits: int, expected: str) -> None:
    assert format_fixed(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "max_digits", "expected"),
    [
        (F("0.5"), 6, "0.5"),
        (F(13, 40), 6, "0.325"),
        (F(3), 6, "3"),
        (F(-1, 4), 6, "-0.25"),
        (F(1, 3), 6, "0.333333…"),
        (F(9095, 9700), 10, "0.9376288659…"),
        (F("0.1234567"), 6, "0.123456…"),
    ],
)
def test_format_exact(value: Fraction, max_digits: int, expected: str) -> None:
    assert format_exact(value, max_digits) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (F(9095, 9700), 2, "93.76%"),
        (F(1), 2, "100.00%"),
        (F("1.0259"), 2, "102.59%"),
        (F(1, 8), 0, "13%"),
        (F("0.9376"), 1, "93.8%"),
    ],
)
def test_format_percent(value: Fraction, digits: int, expected: str) -> None:
    assert format_percent(value, digits) == expected


# -- property: exact rounding agrees with Decimal quantize on every mode --------------------------------


DECIMAL_MODES = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.DOWN: ROUND_DOWN,
    RoundingMode.UP: ROUND_UP,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
}


@given(
    st.integers(-(10**9), 10**9),
    st.integers(0, 6),
    st.sampled_from(list(RoundingMode)),
    st.integers(0, 3),
)
def test_rounding_terminating_decimals_matches_decimal_quantize(
    units: int, scale: int, mode: RoundingMode, digits: int
) -> None:
    x = Fraction(units, 10**scale)
    expected = (Decimal(units).scaleb(-scale, Context(prec=50))).quantize(
        Decimal(1).scaleb(-digits), rounding=DECIMAL_MODES[mode], context=Context(prec=50)
    )
    assert Rounding(mode, digits).apply(x) == Fraction(expected)


def _fixed_by_fractions(x: Fraction, digits: int) -> str:
    """`format_fixed` as it was written with `Fraction` arithmetic (the reference for the integer one)."""
    units = round_integer(x * Fraction(10) ** digits, RoundingMode.HALF_UP)
    return _fixed_text(units, digits)


def _exact_by_fractions(x: Fraction, max_digits: int) -> str:
    places = decimal_places(x)
    if places is not None and places <= max_digits:
        return _fixed_text((x * Fraction(10) ** places).numerator, places)
    return _fixed_text(round_integer(x * Fraction(10) ** max_digits, RoundingMode.DOWN), max_digits) + "…"


@given(
    st.fractions(max_denominator=10**9).filter(lambda x: abs(x) < 10**12),
    st.integers(min_value=0, max_value=40),
)
@example(Fraction(-1, 200), 2)
@example(Fraction(5, 1000), 2)
@example(Fraction(-25, 10), 0)
def test_integer_formatting_is_the_fraction_formatting(x: Fraction, digits: int) -> None:
    assert format_fixed(x, digits) == _fixed_by_fractions(x, digits)
    assert format_exact(x, digits) == _exact_by_fractions(x, digits)
    places = decimal_places(x)
    if places is not None:
        assert to_decimal(x, places) == Decimal(_fixed_by_fractions(x, places))
        with pytest.raises(ValueError):
            to_decimal(x, places - 1) if places else format_fixed(x, -1)


@given(st.lists(st.fractions(max_denominator=10**6) | st.integers(-(10**12), 10**12), max_size=40))
def test_exact_sum_is_the_sum_of_fractions(values: list[Fraction | int]) -> None:
    """In any order: the same exact value as adding `Fraction`s one by one."""
    assert exact_sum(values) == sum(values, Fraction(0))
    assert exact_sum(reversed(values)) == exact_sum(values)
    assert type(exact_sum(values)) is Fraction
