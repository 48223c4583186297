"""The budget block (预算执行) in integers: figures, execution rate, score, F106 and F127.

The same steps as `evaluate.budget.BudgetMixin` for a project whose budget scores plainly; a zero
denominator, a missing figure the score needs, a figure in the wrong unit or an adjusted budget score
raise `Bail` (the reference evaluator reports or handles them).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.compiler import budget_formulas
from jixiao.engine.evaluate.budget import FIGURES, rate_text
from jixiao.engine.fast.rational import (
    Bail,
    ConditionFn,
    Env,
    Missing,
    NumberFn,
    Pair,
    compile_condition,
    compile_number,
)
from jixiao.engine.plan import BudgetPlan, Plan
from jixiao.engine.results import Finding
from jixiao.language import nodes as n
from jixiao.language.rounding import round_scaled


@dataclass(frozen=True)
class Budget:
    """What a project's budget block adds: its score in the run's unit, its findings, its variables."""

    points: int
    findings: tuple[Finding, ...]
    values: Env  # 年初预算数, 全年预算数, 全年执行数 (in 元), 执行率: what indicators' formulas read


FIGURE_SET = frozenset(FIGURES)
FOUND_LIMIT = 1 << 12


class FastBudget:
    def __init__(self, plan: Plan, common: int) -> None:
        self.plan: BudgetPlan = plan.budget
        score, rate = budget_formulas(plan.rules)
        self.score: NumberFn = compile_number(score)
        self.rate: NumberFn = compile_number(rate)
        self.explain: tuple[ConditionFn, ...] = tuple(
            compile_condition(e.condition) for e in plan.rules.budget.explain
        )
        self.weight: Pair = (self.plan.weight.numerator, self.plan.weight.denominator)
        unit = plan.money_unit
        self.unit_dimension = unit.dimension
        self.unit_scale: Pair = (unit.scale.numerator, unit.scale.denominator)
        rounder = self.plan.stage.rounder
        self.digits = rounder.digits if rounder is not None else 0
        self.mode = rounder.mode if rounder is not None else None
        self.shift = 10 ** (common - self.digits)
        self.counted = self.plan.counted and self.plan.scored
        self.found: dict[tuple[Pair, bool, bool], tuple[Finding, ...]] = {}

    def run(self, actuals: ActualsFile) -> Budget:
        plan = self.plan
        values, any_figures = self._figures(actuals)
        if not any_figures and not plan.required:
            return Budget(0, (), values)
        try:
            exact = self.rate(values)
        except Missing:
            if plan.required:
                raise Bail from None  # E510
            return Budget(0, (), values)
        rounder = plan.rate_stage.rounder
        if rounder is not None:
            rate = (round_scaled(exact[0], exact[1], rounder.digits, rounder.mode), 10**rounder.digits)
        else:
            rate = exact
        values["执行率"] = rate
        if not plan.scored:
            return Budget(0, (), values)
        env = {**values, "分值": self.weight}
        raw = self.score(env)
        capped = (0, 1) if raw[0] < 0 else _min(raw, self.weight)
        score = round_scaled(capped[0], capped[1], self.digits, self.mode)  # type: ignore[arg-type]
        explain = not actuals.budget_note and self.explain and self._explain(env)
        findings = (
            self._findings(rate, bool(explain), exact[0] > exact[1]) if explain or exact[0] > exact[1] else ()
        )
        return Budget(score * self.shift if self.counted else 0, findings, values)

    def _findings(self, rate: Pair, explain: bool, above: bool) -> tuple[Finding, ...]:
        """F106 (the rate needs an explanation) and F127 (above 100%), remembered by rate."""
        key = (rate, explain, above)
        found = self.found.get(key)
        if found is None:
            text = rate_text(self.plan, Fraction(*rate))
            found = self.found[key] = tuple(
                Finding(code, n.BUDGET_LEVEL, {"rate": text})
                for code, present in (("F106", explain), ("F127", above))
                if present
            )
            if len(self.found) > FOUND_LIMIT:
                self.found.clear()
        return found

    def _figures(self, actuals: ActualsFile) -> tuple[Env, bool]:
        """The chosen row's figures in 元 (`BudgetMixin._budget_figures` times the money unit), and
        whether the file gives any figure at all."""
        values: Env = {}
        row, unit_dimension = self.plan.row, self.unit_dimension
        for fig in actuals.budget:
            q = fig.quantity
            number, scale = q.number, q.scale
            num, den = number.numerator * scale.numerator, number.denominator * scale.denominator
            if q.dimension == "":  # a bare number is in the project's money unit
                num, den = num * self.unit_scale[0], den * self.unit_scale[1]
            elif q.dimension != unit_dimension:
                raise Bail  # E506
            if fig.row == row and fig.figure in FIGURE_SET:
                values[fig.figure] = (num, den)
        return values, bool(actuals.budget)

    def _explain(self, env: Env) -> bool:
        for condition in self.explain:
            try:
                if condition(env):
                    return True
            except Missing:
                continue
        return False


def _min(a: Pair, b: Pair) -> Pair:
    return b if b[0] * a[1] < a[0] * b[1] else a
