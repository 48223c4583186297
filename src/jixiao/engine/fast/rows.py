"""One indicator scored in integers: its weight, target, formulas and rounding folded in once.

`Folded.score` takes the actual value a row gives (after `evaluate.actual.written_actual`, shared with
the reference evaluator) and returns the score as an integer count of 10**-digits, with the findings
the reference would record. Rationals are (numerator, denominator > 0) pairs; nothing here makes a
`Fraction` except on the rare paths that build a finding's text. Anything the reference would report
or treat specially raises `Bail`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from jixiao.engine.evaluate.findings import over_achieved
from jixiao.engine.evaluate.scoring import DONE_WORDS, LATE_WORDS
from jixiao.engine.fast.rational import Bail, ConditionFn, Env, Missing, NumberFn, Pair
from jixiao.engine.plan import IndicatorPlan, Plan
from jixiao.engine.results import Finding
from jixiao.language import nodes as n
from jixiao.language.quantity import (
    Comparator,
    DateActual,
    DeadlineTarget,
    NumericActual,
    NumericTarget,
    QualitativeTarget,
    RangeTarget,
    WordActual,
)
from jixiao.language.rounding import RoundingMode, round_scaled

ZERO = (0, 1)
ONE = (1, 1)
SCORED = (NumericActual, WordActual, DateActual)  # the actual values an indicator is scored on here


@dataclass(frozen=True)
class Folded:
    """An indicator prepared for integer scoring (see `fold`)."""

    index: int
    plan: IndicatorPlan
    weight: Pair
    digits: int  # the indicator stage's rounding
    mode: RoundingMode
    shift: int  # 10 ** (the run's digits - digits): the score in the run's common unit
    target: NumericTarget | RangeTarget | DeadlineTarget | QualitativeTarget | None
    words: dict[str, n.ScaleLevel]  # every scale word the indicator takes, first scale first
    band_words: frozenset[str]  # the words of the 定性 rule's scale, usable for a numeric target
    due: date | None  # a deadline's last day
    year: int
    formula: NumberFn | None  # 得分 = …
    derived: NumberFn | None  # 实际 = …
    explain: tuple[ConditionFn, ...]  # 需说明 当 … (each row without a note)
    constant: Env | None  # what a derived formula reads besides the budget (`env(None)`), made once
    # the highest score within the weight when full marks round above it (50 ÷ 3 → 16.67): a score above
    # it may carry its 一级 over its weight, which the reference caps (F135); such rows are the reference's
    ceiling: int | None = None
    dated: bool = True  # the project has a 年度 (a date without a year is in it)

    @property
    def bit(self) -> int:
        return 1 << self.index

    def score(self, actual: object, noted: bool) -> tuple[int, list[Finding]]:
        """The score (count of 10**-digits) of `actual`, and the findings F102 and F101."""
        if not isinstance(actual, SCORED):
            raise Bail  # 不适用 (F103, the weight rescaled), 未知 (a range of totals): the reference's
        points = self._points(actual)
        findings: list[Finding] = []
        if self.plan.over is not None and self._over_possible(actual):
            exact, finding = over_achieved(self.plan, actual, Fraction(*points))
            if finding is not None:
                findings.append(finding)
                points = (exact.numerator, exact.denominator)
        capped = _clamp(points, self.weight)
        score = round_scaled(capped[0], capped[1], self.digits, self.mode)
        if self.ceiling is not None and score > self.ceiling:
            raise Bail
        if not noted and self.explain and self._explain(actual, (score, 10**self.digits)):
            findings.append(Finding("F101", self.plan.path, {}))
        return score, findings

    # -- the method ------------------------------------------------------------------------------------
    def _points(self, actual: object) -> Pair:
        """The points before 超额 and the cap (`ScoringMixin._outcome`)."""
        if self.formula is not None:
            return self.formula(self.env(actual))
        target = self.target
        if isinstance(actual, NumericActual):
            a = _pair(actual)
            if isinstance(target, NumericTarget | RangeTarget):
                return self._numeric(target, a)
            if actual.quantity.dimension == "%":  # a qualitative or deadline target scored by a share
                return _share(_min(a, ONE), self.weight)
            raise Bail
        if isinstance(actual, WordActual):
            return self._word(actual.word)
        if isinstance(actual, DateActual) and isinstance(target, DeadlineTarget):
            if not self.dated and (actual.date.year is None) != (target.date.year is None):
                raise Bail  # 9月底前 against 2020年12月31日前 without a 年度: E611, the reference's
            assert self.due is not None
            if not actual.date.exists_in(self.year):
                raise Bail  # 2月29日 in 2023: E603, the reference's
            return self.weight if actual.date.last_day(self.year) <= self.due else ZERO
        raise Bail

    def _word(self, word: str) -> Pair:
        target = self.target
        if isinstance(target, DeadlineTarget):
            if word in DONE_WORDS or word in LATE_WORDS:
                return self.weight if word in DONE_WORDS else ZERO
            raise Bail
        if isinstance(target, QualitativeTarget) or word in self.band_words:
            level = self.words.get(word)
            if level is not None and level.point is not None:
                return _share((level.point.numerator, level.point.denominator), self.weight)
        raise Bail  # not in any scale, or a band without a fixed point: the reference says so

    def _numeric(self, target: NumericTarget | RangeTarget, a: Pair) -> Pair:
        if _met(target, a):
            return self.weight
        if self.plan.method.id == "pass_fail":
            return ZERO
        return _share(_ratio(target, a), self.weight)

    # -- findings --------------------------------------------------------------------------------------
    def _over_possible(self, actual: object) -> bool:
        """Whether 超额 can apply (its exact test and finding are `over_achieved`'s)."""
        over, target = self.plan.over, self.target
        if over is None or not isinstance(actual, NumericActual) or not isinstance(target, NumericTarget):
            return False
        if self.plan.kind not in ("higher", "equal"):
            return False
        t, (an, ad) = _base(target), _pair(actual)
        if t[0] <= 0:
            return False
        # share = a ÷ t against the threshold, on integers: an·td·thr_d ≥ thr_n·ad·tn
        left = an * t[1] * over.threshold.denominator
        right = over.threshold.numerator * ad * t[0]
        return left >= right

    def _explain(self, actual: object, score: Pair) -> bool:
        env = self.env(actual)
        env["得分"] = score
        for condition in self.explain:
            try:
                if condition(env):
                    return True
            except Missing:  # a variable without a value: the condition does not hold
                continue
        return False

    def env(self, actual: object) -> Env:
        """What a formula of this row reads: 分值, 目标, 实际, 偏差 (`RunBase._env` without the budget)."""
        env: Env = {"分值": self.weight}
        target = self.target
        if isinstance(target, NumericTarget):
            env["目标"] = _base(target)
        if isinstance(actual, NumericActual):
            env["实际"] = a = _pair(actual)
            t = env.get("目标")
            if t is not None and t[0] != 0:
                num, den = abs(a[0] * t[1] - t[0] * a[1]), a[1] * t[0]
                env["偏差"] = (-num, -den) if den < 0 else (num, den)
        env.setdefault("偏差", ZERO)
        return env


# -- folding a plan's indicators ----------------------------------------------------------------------------
def fold(
    plan: Plan,
    index: int,
    common: int,
    explain: tuple[ConditionFn, ...],
    number: Callable[[n.Expr], NumberFn],
) -> Folded:
    """An indicator's plan as integers: weight, target, rounding, scale words, compiled formulas."""
    ip = plan.plans[index]
    rounder = ip.stage.rounder
    assert rounder is not None  # accept.stage_rounded
    target = ip.indicator.target
    words: dict[str, n.ScaleLevel] = {}
    for scale in plan.scales_for(ip):
        for level in scale.levels:
            for word in level.words:
                words.setdefault(word, level)
    band = plan.band_scale()
    year = plan.ruleset.document.year or 2000
    folded = Folded(
        index=index,
        plan=ip,
        weight=(ip.weight.numerator, ip.weight.denominator),
        digits=rounder.digits,
        mode=rounder.mode,
        shift=10 ** (common - rounder.digits),
        target=target
        if isinstance(target, NumericTarget | RangeTarget | DeadlineTarget | QualitativeTarget)
        else None,
        words=words,
        band_words=frozenset(w for level in band.levels for w in level.words) if band else frozenset(),
        due=target.date.last_day(year) if isinstance(target, DeadlineTarget) else None,
        year=year,
        formula=number(ip.indicator.score) if ip.indicator.score is not None else None,
        derived=number(ip.indicator.actual) if ip.indicator.actual is not None else None,
        explain=explain,
        constant=None,
        ceiling=_ceiling(plan, ip),
        dated=plan.ruleset.document.year is not None,
    )
    return replace(folded, constant=folded.env(None)) if folded.derived is not None else folded


# -- integer helpers ---------------------------------------------------------------------------------------
def _pair(actual: NumericActual) -> Pair:
    base = actual.quantity.base
    return base.numerator, base.denominator


def _base(target: NumericTarget) -> Pair:
    base = target.quantity.base
    return base.numerator, base.denominator


def _less(a: Pair, b: Pair) -> bool:
    return a[0] * b[1] < b[0] * a[1]


def _min(a: Pair, b: Pair) -> Pair:
    return b if _less(b, a) else a


def _clamp(x: Pair, weight: Pair) -> Pair:
    """min(max(x, 0), weight), as the reference caps a score."""
    if x[0] < 0:
        return ZERO
    return weight if _less(weight, x) else x


def _share(fraction: Pair, weight: Pair) -> Pair:
    """`methods._share`: the weight times the fraction clamped to [0, 1]."""
    if fraction[0] <= 0:
        return ZERO
    if not _less(fraction, ONE):
        return weight
    return fraction[0] * weight[0], fraction[1] * weight[1]


_COMPARE = {
    Comparator.GE: lambda a, t: a[0] * t[1] >= t[0] * a[1],
    Comparator.GT: lambda a, t: a[0] * t[1] > t[0] * a[1],
    Comparator.LE: lambda a, t: a[0] * t[1] <= t[0] * a[1],
    Comparator.LT: lambda a, t: a[0] * t[1] < t[0] * a[1],
    Comparator.EQ: lambda a, t: a[0] * t[1] == t[0] * a[1],
}


def _met(target: NumericTarget | RangeTarget, a: Pair) -> bool:
    """`methods.target_met` on integers."""
    if isinstance(target, RangeTarget):
        low, high = _quantity(target.low), _quantity(target.high)
        above = not _less(a, low) if target.low_inclusive else _less(low, a)
        below = not _less(high, a) if target.high_inclusive else _less(a, high)
        return above and below
    t = _base(target)
    if target.comparator is Comparator.EQ and t[0] == 0:
        return a[0] <= 0
    return bool(_COMPARE[target.comparator](a, t))


def _ratio(target: NumericTarget | RangeTarget, a: Pair) -> Pair:
    """`methods._ratio_fraction` on integers."""
    if isinstance(target, RangeTarget):
        low, high = _quantity(target.low), _quantity(target.high)
        below = _less(a, low) or (a[0] * low[1] == low[0] * a[1] and not target.low_inclusive)
        return _safe(a, low) if below else _safe(high, a)
    t = _base(target)
    if target.comparator in (Comparator.LE, Comparator.LT):
        return _safe(t, a)
    if target.comparator is Comparator.EQ and t[0] == 0:
        return ZERO
    return _safe(a, t)


def _safe(num: Pair, den: Pair) -> Pair:
    """num ÷ den when both are positive, else 0 (`methods._safe`)."""
    if den[0] <= 0 or num[0] <= 0:
        return ZERO
    return num[0] * den[1], num[1] * den[0]


def _quantity(q: object) -> Pair:
    base = q.base  # type: ignore[attr-defined]
    return base.numerator, base.denominator


def _ceiling(plan: Plan, ip: IndicatorPlan) -> int | None:
    """`Folded.ceiling`: None when full marks, rounded, stay within the weight (as they mostly do), or when
    the full marks of its whole 一级 add up to no more than the level's weight (2.25 → 2 beside 3.75 → 4)."""
    weight, stage = ip.weight, ip.stage
    if stage.apply(weight) <= weight:
        return None
    members = [
        p for p in plan.plans if p.indicator.level1 == ip.indicator.level1 and not p.indicator.subtotal
    ]
    if sum((p.stage.apply(p.weight) for p in members), Fraction(0)) <= sum(
        (p.weight for p in members), Fraction(0)
    ):
        return None
    assert stage.rounder is not None  # accept.stage_rounded
    unit: int = 10**stage.rounder.digits
    return int(weight.numerator * unit // weight.denominator)
