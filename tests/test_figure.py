"""Figures (scores, weights, totals) behave like numbers and stay exact (issue 10)."""

from __future__ import annotations

import copy
import json
import math
import pickle
import re
from decimal import Context, Decimal, localcontext
from fractions import Fraction

import pytest
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import given
from hypothesis import strategies as st

import jixiao
from jixiao import Figure
from jixiao.language.rounding import decimal_places

fractions = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**4)
digits = st.none() | st.integers(min_value=0, max_value=6)


def _seed() -> jixiao.Result:
    return jixiao.load_ruleset(SEED_RULESET).score(SEED_ACTUALS)


def test_the_seed_total_is_a_number() -> None:
    result = _seed()
    t = result.total
    assert t == Decimal("99.31") and Decimal("99.31") == t
    assert t == Fraction(9931, 100) and t != 99 and t > 99 and t < 100 and t >= Decimal("99.31")
    assert Decimal(t) == Decimal("99.31") and str(Decimal(t)) == "99.31"
    assert (str(t), f"{t}", f"{t:.1f}", f"{t:>7}", f"{t:.3%}") == (
        "99.31",
        "99.31",
        "99.3",
        "  99.31",
        "9931.000%",
    )
    assert float(t) == 99.31 and int(t) == 99 and round(t) == 99 and round(t, 1) == Decimal("99.3")
    assert (
        t + 1 == Decimal("100.31") and 1 + t == t + 1 and t - t == 0 and str(t + Decimal("0.69")) == "100.00"
    )
    assert (t.value, t.digits, t.text(), t.decimal()) == (Fraction(9931, 100), 2, "99.31", Decimal("99.31"))
    assert hash(t) == hash(Decimal("99.31")) == hash(Fraction(9931, 100))
    assert {t: "x"}[Decimal("99.31")] == "x"
    assert repr(t) == "Figure('99.31', digits=2)"


def test_results_sort_and_sum_by_their_figures() -> None:
    result = _seed()
    ranked = sorted(result.indicators, key=lambda i: (i.score, i.name), reverse=True)
    assert ranked[0].name == "享受补贴人数" and str(ranked[0].score) == "20.00"
    scores = [i.score for i in result.indicators if i.score is not None]
    assert sum(scores, Decimal(0)) + result.budget.score == result.total  # type: ignore[union-attr]
    assert max(scores) == 20 and min(scores) == Fraction(93, 100)


def test_weights_and_formula_scores_are_figures_too() -> None:
    result = _seed()
    rate = next(i for i in result.indicators if i.name == "预算执行率")
    assert isinstance(rate.weight, Figure) and rate.weight == 1 and str(rate.weight) == "1"
    assert isinstance(rate.formula_score, Figure) and rate.formula_score == Decimal("0.9376")
    assert isinstance(result.total_weight, Figure) and result.total_weight == 100
    assert all(isinstance(w, Figure) and isinstance(s, Figure) for _, w, s in result.levels)
    assert result.budget is not None and result.budget.weight == 10


def test_json_dumps_through_the_documented_helper() -> None:
    result = _seed()
    with pytest.raises(TypeError):
        json.dumps({"total": result.total})
    text = json.dumps({"total": result.total, "weight": result.total_weight}, default=jixiao.json_default)
    assert json.loads(text) == {"total": "99.31", "weight": "100"}
    with pytest.raises(TypeError):
        json.dumps({"x": object()}, default=jixiao.json_default)


def test_floats_do_not_mix_in_arithmetic_but_compare_exactly() -> None:
    t = Figure(Fraction(1, 10), 1)
    with pytest.raises(TypeError):
        _ = t + 0.1  # type: ignore[operator]
    assert t != 0.1 and t < 0.1000000000000001 and float(t) == 0.1  # 0.1 the float is not exactly 1/10


def test_a_value_that_never_ends_keeps_its_exact_value() -> None:
    third = Figure(Fraction(1, 3))
    assert third * 3 == 1 and third.value == Fraction(1, 3)
    assert f"{third:.4f}" == "0.3333" and third.text() == "0.333333…"
    assert third != Decimal(third)  # Decimal() gives 40 digits, not the exact value
    assert int(Figure(Fraction(-7, 2))) == -3 and math.floor(Figure(Fraction(-7, 2))) == -4


@given(fractions, digits)
def test_equality_ordering_and_hash_follow_the_exact_value(value: Fraction, places: int | None) -> None:
    figure = Figure(value, places)
    assert figure == value and hash(figure) == hash(value)
    assert figure == Figure(value, None) and hash(figure) == hash(Figure(value, 3))
    assert (figure < value + Fraction(1, 10**9)) and not (figure > value)
    if (exact := Decimal(value.numerator) / Decimal(value.denominator)) == value:
        assert figure == exact and hash(figure) == hash(exact) and Decimal(figure) == exact


@given(fractions, fractions, digits, digits)
def test_arithmetic_is_exact(a: Fraction, b: Fraction, da: int | None, db: int | None) -> None:
    x, y = Figure(a, da), Figure(b, db)
    assert x + y == a + b and x - y == a - b and x * y == a * b and -x == -a and abs(x) == abs(a)
    assert a + y == a + b and b - x == b - a
    if b:
        assert x / y == a / b


@given(fractions, fractions, digits, digits)
def test_floor_division_remainder_and_powers_are_exact_as_for_fractions(
    a: Fraction, b: Fraction, da: int | None, db: int | None
) -> None:
    x, y = Figure(a, da), Figure(b, db)
    if b:
        for got, want in ((x // y, a // b), (x % y, a % b), (a // y, a // b), (a % y, a % b)):
            assert type(got) is Figure and got.value == want
        assert divmod(x, y) == divmod(a, b) and divmod(a, y) == divmod(a, b)
        assert all(type(part) is Figure for part in divmod(x, y))
    for power in (0, 1, 2, 3) + ((-1, -2) if a else ()):
        assert type(x**power) is Figure and (x**power).value == a**power
    assert (x**2).digits == (None if da is None else 2 * da)


def test_powers_without_an_exact_value_are_type_errors() -> None:
    t = Figure(Fraction(9931, 100), 2)
    assert t // 3 == 33 and t % 3 == Decimal("0.31") and (t % 3).digits == 2
    assert Figure(Fraction(-7, 2)) // 2 == -2 and Figure(Fraction(-7, 2)) % 2 == Fraction(1, 2)  # floor
    assert 2 ** Figure(3, 0) == 8 and Decimal("1.5") ** Figure(2, 0) == Decimal("2.25")
    assert Figure(Fraction(1, 3)) ** 3 == Fraction(1, 27)  # not 28 digits of Decimal's context
    for power in (lambda: t**0.5, lambda: 2**t, lambda: t ** Fraction(1, 2), lambda: pow(t, 2, 5)):
        with pytest.raises(TypeError):
            power()


@given(fractions, digits)
def test_pickle_and_copy_keep_value_and_digits(value: Fraction, places: int | None) -> None:
    figure = Figure(value, places)
    for back in (pickle.loads(pickle.dumps(figure)), copy.copy(figure), copy.deepcopy(figure)):
        assert (back.value, back.digits) == (value, places)


@given(st.integers(min_value=-(10**8), max_value=10**8), st.integers(min_value=0, max_value=4))
def test_format_specs_match_decimal(units: int, places: int) -> None:
    value = Fraction(units, 10**places)
    figure, decimal = Figure(value, places), Decimal(units).scaleb(-places)
    for spec in ("", ".1f", ".0f", "10.3f", ",.2f", ".2%", "e", "g"):
        assert format(figure, spec) == format(decimal, spec), spec
    assert str(figure) == format(decimal, "f")


@given(fractions | st.integers(min_value=-(10**9), max_value=10**9).map(lambda u: Fraction(u, 100)), digits)
def test_the_face_is_the_exact_decimal_with_at_least_its_digits(value: Fraction, places: int | None) -> None:
    """What a figure presents as a Decimal: its exact value with at least `digits` places (a rounded score
    takes the quick way, written from its integer), else 40 significant digits."""
    face = Decimal(Figure(value, places))
    if decimal_places(value) is None:
        with localcontext(Context(prec=40)):
            assert str(face) == str(Decimal(value.numerator) / Decimal(value.denominator))
        return
    assert Fraction(face) == value
    assert -face.as_tuple().exponent == max(decimal_places(value) or 0, places or 0)


def test_the_source_never_asks_a_figure_whether_it_is_true() -> None:
    """A score of 0 is falsy like any number: `if result.score` would show 0 as 不适用 (use `is None`)."""
    pattern = re.compile(
        r"\bif (not )?[\w.]*\.(score|total|rate|weight|formula_score)\s*(:|\)|else\b|and\b|or\b)"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in (ROOT / "src" / "jixiao").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_the_budget_rate_prints_as_the_table_does() -> None:
    rate = _seed().budget.rate  # type: ignore[union-attr]
    assert rate == Decimal("0.9376") and rate.digits == 2 and isinstance(rate, Figure)
    assert (
        rate.text() == "93.76%" and str(rate) == "0.9376" and (rate * 100).text() == "93.7600"
    )  # as Decimal
    assert abs(rate).text() == "93.76%" and (-rate).text() == "-93.76%"
    for figure in (rate + 0, rate * 1, rate % 1, rate**1):  # a figure of the value's four decimals, not 0.94
        assert type(figure) is Figure and figure.text() == "0.9376" and figure.digits == 4
    assert (rate + _seed().total).text() == "100.2476"
    assert repr(rate) == "Rate('0.9376', digits=2)" and pickle.loads(pickle.dumps(rate)).text() == "93.76%"


def test_json_default_writes_a_value_that_never_ends_as_its_fraction() -> None:
    third, total = Figure(Fraction(1, 3)), Figure(Fraction(9, 10), 2)
    text = json.dumps([third, total, Fraction(1, 8), Decimal("1.50")], default=jixiao.json_default)
    assert text == '["1/3", "0.90", "0.125", "1.50"]'
    assert [Fraction(x) for x in json.loads(text)[:3]] == [Fraction(1, 3), Fraction(9, 10), Fraction(1, 8)]


def test_comparing_with_something_not_a_number_names_the_figure() -> None:
    t = Figure(Fraction(9931, 100), 2)
    assert (t == "99.31") is False and (t != "99.31") is True
    with pytest.raises(TypeError, match="'Figure' and 'str'"):
        _ = t < "x"  # type: ignore[operator]
