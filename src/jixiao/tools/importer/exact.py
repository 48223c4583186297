"""The unrounded values behind a result's printed figures: the exact execution rate and budget score.

An indicator keeps its unrounded score (`IndicatorResult.formula_score`); the budget block keeps only
its rounded rate and score, so the exact ones are computed again here from the plan's own formulas
(执行率 = …, 得分 = …) and the figures of the row that feeds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from jixiao.engine.expr import Compiled, Env, EvalError, Unavailable
from jixiao.engine.plan import Plan
from jixiao.engine.results import BudgetResult

FIGURES = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数"}


@dataclass(frozen=True)
class BudgetExact:
    rate: Fraction | None  # 执行数 ÷ 预算数 (or the plan's 执行率 = …), not rounded
    score: Fraction | None  # the budget formula on the rounded rate, capped to [0, 分值], not rounded


def budget_exact(plan: Plan, budget: BudgetResult | None) -> BudgetExact:
    """The exact rate and budget score of a result's budget block (None where they cannot be had)."""
    if budget is None:
        return BudgetExact(None, None)
    row = next((r for r in budget.rows if r.name == budget.row), None)
    if row is None:
        return BudgetExact(None, None)
    scale = plan.money_unit.scale
    values = {
        word: getattr(row, key) * scale for key, word in FIGURES.items() if getattr(row, key) is not None
    }
    rate = _value(plan.budget.rate, Env(dict(values)))
    if rate is None or budget.rate is None or not plan.budget.scored:
        return BudgetExact(rate, None)
    env = Env({**values, "执行率": budget.rate.value, "分值": plan.budget.weight})
    raw = _value(plan.budget.score, env)
    score = None if raw is None else min(max(raw, Fraction(0)), plan.budget.weight)
    return BudgetExact(rate, score)


def _value(formula: Compiled, env: Env) -> Fraction | None:
    try:
        value = formula(env)
    except (EvalError, Unavailable, ZeroDivisionError):
        return None
    return value if isinstance(value, Fraction) else None
