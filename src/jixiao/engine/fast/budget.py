"""The budget block (预算执行) in integers: figures, execution rate, score, F106 and F127.

The same steps as `evaluate.budget.BudgetMixin` for a project whose budget scores plainly; a zero
denominator, a missing figure the score needs, a figure in the wrong unit or an adjusted budget score
raise `Bail` (the reference evaluator reports or handles them).
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.compiler import DEFAULT_RATE, budget_formulas
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
    variables,
)
from jixiao.engine.plan import BudgetPlan, Plan
from jixiao.engine.results import Finding
from jixiao.language import nodes as n
from jixiao.language.rounding import round_scaled
from jixiao.limits import MAX_NUMBER_BITS

# What a project's budget block adds: its score in the run's unit, its findings, and its variables
# (年初预算数, 全年预算数, 全年执行数 in 元, 执行率, 分值: what indicators' formulas read).
Budget = tuple[int, tuple[Finding, ...], Env]
Found = tuple[tuple[Finding, ...], ...]  # a rate's findings by `2 × F106 + F127`


FIGURE_SET = frozenset(FIGURES)
# The budget's variables also hold 执行率 before it is rounded under this key, which no formula can name:
# a derived row's written value may be that rate (F108, `written_differs`)
EXACT_RATE = "\x00执行率"
FOUND_LIMIT = 1 << 12


class FastBudget:
    def __init__(self, plan: Plan, common: int) -> None:
        self.plan: BudgetPlan = plan.budget
        self.year = plan.ruleset.document.year  # the ruleset's 年度: the columnar batch's year test (F138)
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
        rate_rounder = self.plan.rate_stage.rounder
        self.rate_rounder = (
            (rate_rounder.digits, rate_rounder.mode, 10**rate_rounder.digits)
            if rate_rounder is not None
            else None
        )
        read = variables(score).union(*(variables(e.condition) for e in plan.rules.budget.explain))
        self.by_rate = read <= {"执行率", "分值"}
        self.plain_rate = rate == DEFAULT_RATE  # computed without the generated function
        self.rated: dict[Pair, tuple[int, bool, Found]] = {}
        self.found: dict[Pair, Found] = {}

    def run(self, actuals: ActualsFile) -> Budget:
        plan = self.plan
        if not actuals.budget and not plan.required:
            return 0, (), {}
        values = self._figures(actuals)
        try:
            exact = self._plain_rate(values) if self.plain_rate else self.rate(values)
        except Missing:
            if plan.required:
                raise Bail from None  # E510
            return 0, (), values
        rounder = self.rate_rounder
        rate = (round_scaled(exact[0], exact[1], rounder[0], rounder[1]), rounder[2]) if rounder else exact
        values["执行率"] = rate
        values[EXACT_RATE] = exact
        if not plan.scored:
            return 0, (), values
        values["分值"] = self.weight  # read by the score formula; an indicator's own 分值 wins
        if self.by_rate:  # the score and 需说明 read the rate alone: remembered by it
            scored = self.rated.get(rate)
            if scored is None:
                scored = (*self._scored(values), self._found(rate))
                if len(self.rated) >= FOUND_LIMIT:
                    self.rated.clear()
                self.rated[rate] = scored
            points, explains, found = scored
        else:
            points, explains = self._scored(values)
            found = None
        flags = (2 if explains and not actuals.budget_note else 0) + (exact[0] > exact[1])
        if not flags:
            return points, (), values
        return points, (found or self._found(rate))[flags], values

    @staticmethod
    def _plain_rate(values: Env) -> Pair:
        """The default rate, 全年执行数 ÷ 全年预算数, as its compiled formula computes it."""
        annual = values.get("全年预算数")
        if annual is None:
            raise Missing  # the divisor is read first
        if annual[0] == 0:
            raise Bail  # E606, or the rule for a zero budget
        executed = values.get("全年执行数")
        if executed is None:
            raise Missing
        num, den = executed[0] * annual[1], executed[1] * annual[0]
        if den < 0:
            num, den = -num, -den
        if num.bit_length() > MAX_NUMBER_BITS or den.bit_length() > MAX_NUMBER_BITS:
            raise Bail
        return num, den

    def _scored(self, values: Env) -> tuple[int, bool]:
        """The budget's score in the run's unit (0 when not counted) and whether 需说明 holds."""
        weight = self.weight
        raw = self.score(values)
        capped = (0, 1) if raw[0] < 0 else _min(raw, weight)
        score = round_scaled(capped[0], capped[1], self.digits, self.mode)  # type: ignore[arg-type]
        return score * self.shift if self.counted else 0, bool(self.explain) and self._explain(values)

    def _found(self, rate: Pair) -> Found:
        """The findings F106 (needs an explanation) and F127 (above 100%) at a rate, by `2 × F106 + F127`."""
        found = self.found.get(rate)
        if found is None:
            text = rate_text(self.plan, Fraction(*rate))
            found = tuple(
                tuple(Finding(code, n.BUDGET_LEVEL, {"rate": text}) for code in codes)
                for codes in ((), ("F127",), ("F106",), ("F106", "F127"))
            )
            if len(self.found) >= FOUND_LIMIT:
                self.found.clear()
            self.found[rate] = found
        return found

    def _figures(self, actuals: ActualsFile) -> Env:
        """The chosen row's figures in 元 (`BudgetMixin._budget_figures` times the money unit)."""
        values: Env = {}
        row, unit_dimension, (unit_num, unit_den) = self.plan.row, self.unit_dimension, self.unit_scale
        for fig in actuals.budget:
            dimension = fig.dimension
            if dimension != "" and dimension != unit_dimension:
                raise Bail  # E506
            if fig.row == row and fig.figure in FIGURE_SET:
                num, den = fig.amount
                if dimension == "":  # a bare number is in the project's money unit
                    num, den = num * unit_num, den * unit_den
                values[fig.figure] = (num, den)
        return values

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
