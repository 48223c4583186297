"""The scores the rules let an evaluator give a row: a band word's share of the weight (部分达成
[60%,80%) of 10 → [6,8)), else 0 to the weight — the recomputed value of a printed score outside them."""

from __future__ import annotations

from fractions import Fraction

from jixiao.engine.actuals import Entry
from jixiao.engine.evaluate.run import row_candidates
from jixiao.engine.methods import fmt
from jixiao.engine.plan import IndicatorPlan, Plan
from jixiao.language.nodes import ScaleLevel
from jixiao.language.vocabulary import name_key


def allowed_scores(plan: Plan | None, entry: Entry) -> str:
    """The interval of scores the rules allow the row, as rulesets write bands: "[6,8)", "[0,10]"."""
    indicator = _indicator(plan, entry) if plan is not None else None
    if plan is None or indicator is None:
        return ""
    level = _level(plan, indicator, entry.row.actual)
    weight = indicator.weight
    if level is None:
        return _interval(Fraction(0), weight, True, True)
    return _interval(level.low * weight, level.high * weight, level.low_inclusive, level.high_inclusive)


def _indicator(plan: Plan, entry: Entry) -> IndicatorPlan | None:
    """The indicator the row is for, as scoring binds it (`row_candidates`), if exactly one."""
    candidates = row_candidates(plan, entry.row)[1]
    return candidates[0] if len(candidates) == 1 else None


def _level(plan: Plan, indicator: IndicatorPlan, word: str) -> ScaleLevel | None:
    key = name_key(word)
    levels = (level for scale in plan.scales_for(indicator) for level in scale.levels)
    return next((level for level in levels if key in {name_key(w) for w in level.words}), None)


def _interval(low: Fraction, high: Fraction, low_inclusive: bool, high_inclusive: bool) -> str:
    return f"{'[' if low_inclusive else '('}{fmt(low)},{fmt(high)}{']' if high_inclusive else ')'}"
