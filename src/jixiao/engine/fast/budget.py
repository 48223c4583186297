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

    def run(self, actuals: ActualsFile) -> Budget:
        plan = self.plan
        figures = self._figures(actuals)
        chosen = figures.get(plan.row, {})
        values: Env = {key: chosen[key] for key in FIGURES if key in chosen}
        if not figures and not plan.required:
            return Budget(0, (), values)
        try:
            exact = self.rate(values)
        except Missing:
            if plan.required:
                raise Bail from None  # E510
            return Budget(0, (), values)
        values["执行率"] = rate = self._rounded_rate(exact)
        if not plan.scored:
            return Budget(0, (), values)
        return self._scored(actuals, values, exact, rate)

    def _scored(self, actuals: ActualsFile, values: Env, exact: Pair, rate: Pair) -> Budget:
        env = {**values, "分值": self.weight}
        raw = self.score(env)
        capped = (0, 1) if raw[0] < 0 else _min(raw, self.weight)
        assert self.mode is not None  # accept.budget_plan: a scored budget is rounded
        score = round_scaled(capped[0], capped[1], self.digits, self.mode)
        findings: list[Finding] = []
        if not actuals.budget_note and self.explain and self._explain(env):
            findings.append(Finding("F106", n.BUDGET_LEVEL, {"rate": rate_text(self.plan, Fraction(*rate))}))
        if exact[0] > exact[1]:
            findings.append(Finding("F127", n.BUDGET_LEVEL, {"rate": rate_text(self.plan, Fraction(*rate))}))
        return Budget(score * self.shift if self.counted else 0, tuple(findings), values)

    def _figures(self, actuals: ActualsFile) -> dict[str, dict[str, Pair]]:
        """Each row's figures in 元 (`BudgetMixin._budget_figures` times the money unit)."""
        figures: dict[str, dict[str, Pair]] = {}
        for fig in actuals.budget:
            q = fig.quantity
            number, scale = q.number, q.scale
            value = (number.numerator * scale.numerator, number.denominator * scale.denominator)
            if q.dimension == "":  # a bare number is in the project's money unit
                value = (value[0] * self.unit_scale[0], value[1] * self.unit_scale[1])
            elif q.dimension != self.unit_dimension:
                raise Bail  # E506
            figures.setdefault(fig.row, {})[fig.figure] = value
        return figures

    def _rounded_rate(self, exact: Pair) -> Pair:
        rounder = self.plan.rate_stage.rounder
        if rounder is None:
            return exact
        return round_scaled(exact[0], exact[1], rounder.digits, rounder.mode), 10**rounder.digits

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
