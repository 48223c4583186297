"""The compiler: a resolved, checked ruleset becomes an `Evaluator`, once.

Everything that depends only on the rules (formulas as closures, the method
of each indicator, its rounding, the grade bands) is prepared here; scoring a
project (`evaluate.Run`) then does no parsing and no lookups by text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from jixiao import nodes as n
from jixiao.expr import Compiled, compile_expr
from jixiao.literals import LiteralError, parse_quantity
from jixiao.methods import kind_of
from jixiao.quantity import NumericTarget, Quantity
from jixiao.resolve import Rules, Ruleset
from jixiao.rounding import Rounding as Rounder
from jixiao.vocabulary import name_key

if TYPE_CHECKING:
    from jixiao.actuals import ActualsFile
    from jixiao.results import Result

DEFAULT_BUDGET_SCORE = n.Call("cap", (n.BinOp("×", n.Var("分值"), n.Var("执行率")), n.Var("分值")))
DEFAULT_MONEY_UNIT = "万元"
DEFAULT_METHODS = {
    "higher": "ratio",
    "lower": "ratio",
    "equal": "ratio",
    "range": "ratio",
    "deadline": "pass_fail",
    "qualitative": "scale",
}


@dataclass(frozen=True)
class Stage:
    """A rounding point: None rounder means the value stays exact."""

    rounder: Rounder | None
    digits: int | None
    origin: n.Rounding | None

    def apply(self, x: Fraction) -> Fraction:
        return self.rounder.apply(x) if self.rounder else x


def stage_of(rounding: n.Rounding | None, extra_digits: int = 0) -> Stage:
    if rounding is None:
        rounding = n.Rounding(None, None, 2)
    if rounding.mode is None:
        return Stage(None, None, rounding)
    digits = rounding.digits + extra_digits
    return Stage(Rounder(rounding.mode, digits), rounding.digits, rounding)


@dataclass(frozen=True)
class IndicatorPlan:
    """Everything needed to score one indicator, prepared once."""

    indicator: n.Indicator
    weight: Fraction
    kind: str
    method: n.Method
    method_origin: str
    actual: Compiled | None
    score: Compiled | None
    stage: Stage
    over: n.Over | None
    params: dict[str, Compiled]  # named method arguments by canonical name (每次 → each)
    band_results: tuple[Compiled, ...]  # one per band of a 分档 method, in order

    @functools.cached_property
    def path(self) -> str:
        return self.indicator.path


@dataclass(frozen=True)
class BudgetPlan:
    weight: Fraction
    score: Compiled
    counted: bool
    explain: tuple[Compiled, ...]
    rate_stage: Stage
    stage: Stage


class Evaluator:
    """A compiled ruleset: call `score(actuals)` as often as needed, from any thread."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.rules: Rules = ruleset.rules
        self.money_unit = _money_unit(ruleset.meta("money_unit") or DEFAULT_MONEY_UNIT)
        self.plans = tuple(self._plan(i) for i in ruleset.indicators)
        self.by_path = {p.path: p for p in self.plans}
        # Lookups by what a user writes: name_key makes widths and spaces irrelevant.
        self.by_path_key = {name_key(p.path): p for p in self.plans}
        self.by_name: dict[str, list[IndicatorPlan]] = {}
        for plan in self.plans:
            self.by_name.setdefault(name_key(plan.indicator.name), []).append(plan)
        self.budget = self._budget_plan()
        self.explain = tuple(compile_expr(e.condition) for e in self.rules.explain)
        self.level_stage = (
            stage_of(self.rules.rounding_for("level")) if self.rules.rounding_for("level") else None
        )
        self.total_stage = stage_of(self.rules.rounding_for("total"))

    def score(self, actuals: ActualsFile) -> Result:
        """Score one project; each call is an independent `evaluate.Run` (safe across threads)."""
        from jixiao.evaluate import Run  # evaluate imports this module

        return Run(self, actuals).result()

    def _plan(self, ind: n.Indicator) -> IndicatorPlan:
        kind = kind_of(ind.target) if ind.target is not None else "higher"
        method, origin = self._method(ind, kind)
        rounding = ind.rounding or self.rules.rounding_for("indicator")
        return IndicatorPlan(
            indicator=ind,
            weight=ind.weight or Fraction(0),
            kind=kind,
            method=method,
            method_origin=origin,
            actual=compile_expr(ind.actual) if ind.actual is not None else None,
            score=compile_expr(ind.score) if ind.score is not None else None,
            stage=stage_of(rounding),
            over=ind.over or self.rules.over,
            params={a.name: compile_expr(a.value) for a in method.args if a.name is not None},
            band_results=tuple(compile_expr(b.result) for b in method.bands),
        )

    def _method(self, ind: n.Indicator, kind: str) -> tuple[n.Method, str]:
        if ind.method is not None:
            return ind.method, "indicator"
        rule = self.rules.kinds.get(kind)
        if rule is not None:
            return rule.method, "policy"
        default = DEFAULT_METHODS[kind]
        return n.Method(default, default), "default"

    def _budget_plan(self) -> BudgetPlan | None:
        budget = self.rules.budget
        if budget.weight is None:
            return None
        rate_rounding = self.rules.rounding_for("rate")
        return BudgetPlan(
            weight=budget.weight,
            score=compile_expr(budget.score or DEFAULT_BUDGET_SCORE),
            counted=budget.counted,
            explain=tuple(compile_expr(e.condition) for e in budget.explain),
            rate_stage=stage_of(rate_rounding, extra_digits=2),
            stage=stage_of(budget.rounding or self.rules.rounding_for("budget")),
        )

    def scale_for(self, plan: IndicatorPlan) -> n.Scale | None:
        """The scale of a qualitative target: the indicator's own 量表(…), else the one with its word."""
        named = scale_argument(plan.method)
        if named is not None and plan.method_origin == "indicator":
            return self.rules.scales.get(named)
        word = getattr(plan.indicator.target, "word", None)
        return next(
            (s for s in self.rules.scales.values() if any(word in level.words for level in s.levels)), None
        )

    def band_scale(self) -> n.Scale | None:
        """The scale named by the policy's 定性 rule: band words usable for any target."""
        rule = self.rules.kinds.get("qualitative")
        name = scale_argument(rule.method) if rule else None
        return self.rules.scales.get(name) if name else None


def scale_argument(method: n.Method) -> str | None:
    for arg in method.args:
        if arg.name is None and isinstance(arg.value, n.Var | n.Text):
            return arg.value.name if isinstance(arg.value, n.Var) else arg.value.value
    return None


def _money_unit(text: str) -> Quantity:
    try:
        return parse_quantity("1" + text)
    except LiteralError:
        return parse_quantity("1万元")


def target_quantity(plan: IndicatorPlan) -> Quantity | None:
    target = plan.indicator.target
    if isinstance(target, NumericTarget):
        return target.quantity
    low = getattr(target, "low", None)
    return low if isinstance(low, Quantity) else None
