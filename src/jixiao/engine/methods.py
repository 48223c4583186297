"""Scoring methods: how a target and an actual value become a share of the weight.

Each method returns an `Outcome`: the points earned (exact, before caps and
rounding), whether the target was met, and explanation steps. Methods never
see text: actual values arrive as quantities in the target's dimension, dates
or scale words, already reconciled by the compiler.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from jixiao.engine.results import Step
from jixiao.language import nodes as n
from jixiao.language.literals import LiteralError, parse_quantity
from jixiao.language.quantity import Comparator, NumericTarget, RangeTarget, Target
from jixiao.language.rounding import format_exact

ONE = Fraction(1)


@dataclass(frozen=True)
class Outcome:
    """Points before caps and rounding; `band` is set when the evaluator gives the score in a band."""

    points: Fraction
    met: bool | None
    steps: tuple[Step, ...] = ()
    band: n.ScaleLevel | None = None
    asserted: bool = (
        False  # the score is the one the actual-value file asserts (方法 认定, or an unknown row)
    )


def fmt(x: Fraction) -> str:
    return format_exact(x, 6)


def numeric_met(target: Target, a: Fraction) -> bool:
    """Whether the value `a` (base units) satisfies a numeric or range target."""
    if isinstance(target, RangeTarget):
        low, high = target.low.base, target.high.base
        above = a >= low if target.low_inclusive else a > low
        below = a <= high if target.high_inclusive else a < high
        return above and below
    assert isinstance(target, NumericTarget)
    return _COMPARE[target.comparator](a, target.quantity.base)


_COMPARE: dict[Comparator, Callable[[Fraction, Fraction], bool]] = {
    Comparator.GE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LE: operator.le,
    Comparator.LT: operator.lt,
    Comparator.EQ: operator.eq,
}


def target_met(target: Target, a: Fraction) -> bool:
    """Whether a scored target is met; a target of `=0` is also met by any actual ≤ 0."""
    if isinstance(target, NumericTarget) and target.comparator is Comparator.EQ and target.quantity.base == 0:
        return a <= 0
    return numeric_met(target, a)


def kind_of(target: Target) -> str:
    if isinstance(target, RangeTarget):
        return "range"
    if isinstance(target, NumericTarget):
        if target.comparator in (Comparator.LE, Comparator.LT):
            return "lower"
        return "equal" if target.comparator is Comparator.EQ else "higher"
    return "deadline" if type(target).__name__ == "DeadlineTarget" else "qualitative"


def _share(fraction: Fraction, weight: Fraction, met: bool, why: Step) -> Outcome:
    clamped = max(Fraction(0), min(fraction, ONE))
    points = weight * clamped
    step = Step(
        lambda: (
            f"得分 = {fmt(weight)} × {fmt(clamped)} = {fmt(points)}",
            f"score = {fmt(weight)} × {fmt(clamped)} = {fmt(points)}",
        )
    )
    if clamped == fraction:
        return Outcome(points, met, (why, step))
    above = fraction > ONE
    limit = Step(
        lambda: (
            f"比例 {fmt(fraction)} " + ("超过 1，按 1 计（得满分）" if above else "低于 0，按 0 计"),
            f"the ratio {fmt(fraction)} is "
            + ("above 1: counted as 1 (full marks)" if above else "below 0: 0"),
        )
    )
    return Outcome(points, met, (why, limit, step))


def _met_step(met: bool, a: Fraction, target: Target) -> Step:
    """The verdict line; the comparison itself (with units) is shown by the explanation."""
    if met:
        return Step(lambda: ("达标，得满分", "target met: full weight"))
    return Step(lambda: (f"未达标（实际 {shown(a, target)}）", f"target missed (actual {shown(a, target)})"))


def shown(x: Fraction, target: Target) -> str:
    """A base-unit value written in the target's unit: 11100 人 against ≥1.1万人 → 1.11万人."""
    quantity = target.quantity if isinstance(target, NumericTarget) else getattr(target, "low", None)
    if quantity is None or not quantity.scale:
        return fmt(x)
    return f"{fmt(x / quantity.scale)}{quantity.unit}"


def _ratio_step(target: Target, a: Fraction, fraction: Fraction) -> Step:
    def texts() -> tuple[str, str]:
        if _zero_target(target):  # not divided by: an actual above a target of 0 gets 0
            actual = shown(a, target)
            return (
                f"比例 0：目标为 0，实际 {actual} 大于 0",
                f"ratio 0: the target is 0, the actual {actual} above it",
            )
        zh, en, both = _ratio_formula(target, a)
        num, den = _ratio_terms(target, a)
        if den <= 0 or num < 0:  # 分子或分母不为正时得 0 (docs/language.md)
            return (
                f"比例 {zh} = {both}：分子或分母不为正，按 0 计",
                f"ratio {en} = {both}: a term is not positive, taken as 0",
            )
        return f"比例 {zh} = {both} = {fmt(fraction)}", f"ratio {en} = {both} = {fmt(fraction)}"

    return Step(texts)


def _ratio_formula(target: Target, a: Fraction) -> tuple[str, str, str]:
    """The ratio's terms in words (zh, en), and in numbers as written."""
    if isinstance(target, RangeTarget):
        if _below_range(target, a):
            return "实际 ÷ 下限", "actual ÷ lower bound", f"{shown(a, target)} ÷ {target.low.text()}"
        return "上限 ÷ 实际", "upper bound ÷ actual", f"{target.high.text()} ÷ {shown(a, target)}"
    assert isinstance(target, NumericTarget)
    if kind_of(target) == "lower":
        return "目标 ÷ 实际", "target ÷ actual", f"{target.quantity.text()} ÷ {shown(a, target)}"
    return "实际 ÷ 目标", "actual ÷ target", f"{shown(a, target)} ÷ {target.quantity.text()}"


def _ratio_terms(target: Target, a: Fraction) -> tuple[Fraction, Fraction]:
    """The ratio's numerator and denominator, in base units."""
    if isinstance(target, RangeTarget):
        return (a, target.low.base) if _below_range(target, a) else (target.high.base, a)
    assert isinstance(target, NumericTarget)
    t = target.quantity.base
    return (t, a) if kind_of(target) == "lower" else (a, t)


def _zero_target(target: Target) -> bool:
    """`=0`: met by any actual ≤ 0, else 0 (never divided by)."""
    return (
        isinstance(target, NumericTarget) and target.comparator is Comparator.EQ and target.quantity.base == 0
    )


def _below_range(target: RangeTarget, a: Fraction) -> bool:
    low = target.low.base
    return a < low or (a == low and not target.low_inclusive)


def ratio(target: Target, a: Fraction, weight: Fraction) -> Outcome:
    """比例: met → full; else weight × actual/target (≥) or × target/actual (≤)."""
    met = target_met(target, a)
    if met:
        return _share(ONE, weight, True, _met_step(True, a, target))
    fraction = _ratio_fraction(target, a)
    return _share(fraction, weight, False, _ratio_step(target, a, fraction))


def _ratio_fraction(target: Target, a: Fraction) -> Fraction:
    return Fraction(0) if _zero_target(target) else _safe(*_ratio_terms(target, a))


def _safe(num: Fraction, den: Fraction) -> Fraction:
    return num / den if den > 0 and num > 0 else Fraction(0)


def linear_decay(target: Target, a: Fraction, weight: Fraction, zero_at: Fraction) -> Outcome:
    """线性递减: met → full; else lose the weight linearly, reaching 0 at `zero_at` × target."""
    met = target_met(target, a)
    why = _met_step(met, a, target)
    if met:
        return _share(ONE, weight, True, why)
    reference, deviation = _deviation(target, a)
    span = reference * (zero_at - 1)
    fraction = ONE - deviation / span if span > 0 else Fraction(0)
    return _share(fraction, weight, False, why)


def _deviation(target: Target, a: Fraction) -> tuple[Fraction, Fraction]:
    if isinstance(target, RangeTarget):
        low, high = target.low.base, target.high.base
        return (low, low - a) if a < low else (high, a - high)
    assert isinstance(target, NumericTarget)
    t = target.quantity.base
    return t, abs(a - t)


def pass_fail(met: bool, weight: Fraction, why: Step) -> Outcome:
    """达标: met → full weight, else 0."""
    return _share(ONE if met else Fraction(0), weight, met, why)


def numeric_pass_fail(target: Target, a: Fraction, weight: Fraction) -> Outcome:
    met = target_met(target, a)
    return pass_fail(met, weight, _met_step(met, a, target))


def deadline(done: date, due: date, weight: Fraction) -> Outcome:
    met = done <= due
    why = Step(
        lambda: (
            f"完成日期 {done.isoformat()}，期限 {due.isoformat()} → {'按时' if met else '逾期'}",
            f"done {done.isoformat()}, due {due.isoformat()} → {'on time' if met else 'late'}",
        )
    )
    return pass_fail(met, weight, why)


def deduct(count: Fraction, weight: Fraction, each: Fraction, limit: Fraction | None) -> Outcome:
    """扣分: weight − count × each, never below 0 (扣完为止), at most `limit` deducted."""
    product = count * each
    deduction = product if limit is None else min(product, limit)
    points = max(Fraction(0), weight - deduction)
    cap = limit if limit is not None and product > limit else None
    step = Step(lambda: _deduct_texts(count, each, cap, weight, deduction))
    return Outcome(points, count == 0, (step,))


def _deduct_texts(
    count: Fraction, each: Fraction, cap: Fraction | None, weight: Fraction, deduction: Fraction
) -> tuple[str, str]:
    """`扣分 min(4 × 2, 上限 5) = 5，得分 10 − 5 = 5`: the cap and the floor at 0 shown when they apply."""
    product = f"{fmt(count)} × {fmt(each)}"
    cut = (product, product)
    if cap is not None:
        cut = (f"min({product}, 上限 {fmt(cap)})", f"min({product}, limit {fmt(cap)})")
    rest = f"{fmt(weight)} − {fmt(deduction)}"
    left = (f"{rest} = {fmt(weight - deduction)}",) * 2
    if weight < deduction:
        left = (f"max({rest}, 0) = 0（扣完为止）", f"max({rest}, 0) = 0 (never below 0)")
    return (
        f"扣分 {cut[0]} = {fmt(deduction)}，得分 {left[0]}",
        f"deduct {cut[1]} = {fmt(deduction)}, score {left[1]}",
    )


def scale_point(level: n.ScaleLevel, word: str, weight: Fraction) -> Outcome:
    point = level.point
    assert point is not None
    why = Step(
        lambda: (
            f"「{word}」属于档次 {level.words[0]}（{level.text}），取 {fmt(point * 100)}%",
            f"“{word}” is level {level.words[0]} ({level.text}), at {fmt(point * 100)}%",
        )
    )
    return _share(point, weight, point == 1, why)


def percent_share(a: Fraction, weight: Fraction) -> Outcome:
    why = Step(
        lambda: (
            f"实际值为百分比 {fmt(a * 100)}%，按比例得分",
            f"the actual value is a percentage {fmt(a * 100)}%, scored in proportion",
        )
    )
    return _share(a, weight, a >= 1, why)


def read_coefficient(text: str) -> tuple[Fraction | None, tuple[str, str]]:
    """A 得分系数 cell as a share of the weight: 95% or 95 (the column is in %) → 0.95.

    A bare number in (0, 1) reads two ways (0.95 = 95% or 0.95%?) and is refused, like a share
    outside 0–100%.
    """
    if not text:
        return None, ("缺失", "is missing")
    try:
        quantity = parse_quantity(text)
    except LiteralError:
        return None, ("不是百分比", "is not a percentage")
    if quantity.dimension not in ("", "%"):
        return None, ("不是百分比", "is not a percentage")
    if quantity.dimension == "" and 0 < quantity.number < 1:
        return None, (
            f"是 {fmt(quantity.number * 100)}% 还是 {fmt(quantity.number)}%？请写明百分号",
            "is ambiguous: write the percent sign",
        )
    share = quantity.number / 100 if quantity.dimension == "" else quantity.base
    if not 0 <= share <= 1:
        return None, ("超出 0% 到 100%", "is outside 0% to 100%")
    return share, ("", "")


def coefficient_share(share: Fraction, text: str, weight: Fraction) -> Outcome:
    why = Step(lambda: (f"得分系数 {text}", f"score coefficient {text}"))
    return _share(share, weight, share >= 1, why)
