"""Which plans the fast evaluator scores: structurally, by the fields it implements.

For every dataclass the fast evaluator reads (the plan, each indicator's plan and node, its target,
the budget block, the rules), a table below lists the fields it implements, each with a check of the
values it implements. Every other field must be at its default. So a construct added to the language
later — a new field anywhere in these classes — makes the fast compiler refuse the plan until someone
implements it here, and the reference evaluator scores it meanwhile. `refusal` says which field, for
tests and for `jixiao.engine.fast.explain_refusal`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, fields, is_dataclass
from fractions import Fraction
from typing import Any

from jixiao.engine.compiler import budget_formulas
from jixiao.engine.fast.rational import kind, variables
from jixiao.engine.plan import BudgetPlan, IndicatorPlan, Plan, Stage
from jixiao.engine.resolve import BudgetRules, Rules
from jixiao.language.quantity import (
    DeadlineTarget,
    NumericTarget,
    PartialDate,
    QualitativeTarget,
    RangeTarget,
)
from jixiao.language.vocabulary import BUDGET_VARS, FILE_SCORED

Check = Callable[[Any], str | None]  # None: implemented; else why not

FIGURES = frozenset(BUDGET_VARS) - {"执行率"}
ROW_VARIABLES = frozenset(
    {"分值", "目标", "实际", "偏差", "得分"}
)  # what a 需说明 condition of a row may read
DERIVED_VARIABLES = frozenset(BUDGET_VARS) | {"分值", "目标", "偏差"}  # what 实际 = … may read
SCORE_VARIABLES = frozenset({"分值", "目标", "实际", "偏差"})  # what 得分 = … may read (not the budget)
BUDGET_VARIABLES = frozenset(BUDGET_VARS) | {"分值"}
METHODS = frozenset({"ratio", "pass_fail"})  # for numeric and range targets


def anything(_: object) -> str | None:
    return None


def refusal(plan: Plan) -> str | None:
    """Why the fast evaluator does not score this plan (the first field it does not implement), or None."""
    return unimplemented(plan, PLAN, "Plan") or _total(plan)


def unimplemented(obj: Any, known: Mapping[str, Check], where: str) -> str | None:
    """The first field of the dataclass `obj` not implemented: unlisted and not at its default, or listed
    with a value its check refuses."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        check = known.get(f.name)
        if check is None:
            if not _at_default(f, value):
                return f"{where}.{f.name}"
        elif (why := check(value)) is not None:
            return f"{where}.{f.name}{'' if why.startswith('.') else ': '}{why}"
    return None


def _at_default(f: Field[Any], value: object) -> bool:
    if f.default is not MISSING:
        return bool(value == f.default)
    if f.default_factory is not MISSING:
        return bool(value == f.default_factory())
    return False  # a field every instance must give: one the fast evaluator does not know


def each(check: Check) -> Check:
    def run(values: Any) -> str | None:
        items = values.values() if isinstance(values, Mapping) else values
        return next((why for v in items if (why := check(v)) is not None), None)

    return run


def table(known: Mapping[str, Check], name: str) -> Check:
    """A check of a nested dataclass by its own table."""
    return lambda value: unimplemented(value, known, "") if is_dataclass(value) else f"not a {name}"


def equals(expected: object) -> Check:
    return lambda value: None if value == expected else "not implemented"


# -- formulas -----------------------------------------------------------------------------------------
def formula(want: str, allowed: frozenset[str]) -> Check:
    """A formula the integer compiler takes (engine/fast/rational.py), reading only `allowed` names."""

    def run(expr: Any) -> str | None:
        if expr is None:
            return None
        if kind(expr) != want and not (want == "condition" and kind(expr) == "number"):
            return "a formula the fast evaluator does not compile"
        extra = variables(expr) - allowed
        return f"reads {'、'.join(sorted(extra))}" if extra else None

    return run


def stage_rounded(stage: Stage) -> str | None:
    return None if stage.rounder is not None else "not rounded (exact)"


# -- targets --------------------------------------------------------------------------------------------
QUANTITY: dict[str, Check] = {"number": anything, "scale": anything, "unit": anything, "dimension": anything}
TARGETS: dict[type, dict[str, Check]] = {
    NumericTarget: {"comparator": anything, "quantity": table(QUANTITY, "quantity"), "implicit": anything},
    RangeTarget: {
        "low": table(QUANTITY, "quantity"),
        "high": table(QUANTITY, "quantity"),
        "low_inclusive": anything,
        "high_inclusive": anything,
    },
    DeadlineTarget: {
        "date": table({"year": anything, "month": anything, "day": anything}, PartialDate.__name__)
    },
    QualitativeTarget: {"word": anything},
}


def target(value: object) -> str | None:
    if value is None:
        return None  # scored by its formula alone (indicator_plan checks there is one)
    known = TARGETS.get(type(value))
    if known is None:
        return f"{type(value).__name__} targets"
    return unimplemented(value, known, "")


# -- indicators ------------------------------------------------------------------------------------------
INDICATOR: dict[str, Check] = {
    **{name: anything for name in ("level1", "level2", "name", "target_text", "weight", "method")},
    **{name: anything for name in ("rounding", "source", "note", "over", "unit_note", "direction")},
    **{name: anything for name in ("span", "target_span", "weight_span", "option_spans", "weight_percent")},
    "display_rounding": anything,  # only what is shown (Stage.display)
    "goal": anything,
    "target": target,
    "actual": formula("number", DERIVED_VARIABLES),
    "score": formula("number", SCORE_VARIABLES),
}
OVER: dict[str, Check] = {name: anything for name in ("threshold", "inclusive", "deduct", "text", "span")}
METHOD: dict[str, Check] = {"id": anything, "written": anything, "args": anything, "span": anything}
INDICATOR_PLAN: dict[str, Check] = {
    "indicator": table(INDICATOR, "indicator"),
    "weight": anything,
    "kind": anything,
    "method": table(METHOD, "method"),
    "method_origin": anything,
    "actual": anything,  # compiled from indicator.actual, checked there
    "score": anything,  # compiled from indicator.score, checked there
    "stage": stage_rounded,
    "over": lambda over: None if over is None else unimplemented(over, OVER, ""),
    "params": equals({}),
    "band_results": equals(()),
    "written_modes": anything,  # F108 of a derived row: evaluate/actual.py `written_agrees`, shared
}


def indicator_plan(plan: IndicatorPlan) -> str | None:
    why = unimplemented(plan, INDICATOR_PLAN, "")
    if why is not None:
        return f"{plan.path}{why}"
    method, target = plan.method.id, plan.indicator.target
    if method in FILE_SCORED:  # the file gives the score, or blank actual values are fine
        return f"{plan.path}: the method {plan.method.written}"
    if plan.indicator.score is not None:
        return None  # 得分 = …: the method is not used
    if target is None or (isinstance(target, NumericTarget | RangeTarget) and method not in METHODS):
        return f"{plan.path}: the method {plan.method.written}"
    return None


# -- the budget block and the rules ------------------------------------------------------------------------
BUDGET_PLAN: dict[str, Check] = {
    **{name: anything for name in ("weight", "counted", "explain", "rate_stage", "stage", "score")},
    **{name: anything for name in ("rate", "rate_text", "row", "zero", "scored", "score_formula")},
}
BUDGET_RULES: dict[str, Check] = {
    **{name: anything for name in ("weight", "counted", "rounding", "display_rounding", "source", "span")},
    **{name: anything for name in ("weight_percent", "scored", "row", "zero", "scored_span")},
    "score": formula("number", BUDGET_VARIABLES),
    "rate": formula("number", FIGURES),
    "explain": each(lambda e: formula("condition", BUDGET_VARIABLES)(e.condition)),
}


def budget_plan(budget: BudgetPlan) -> str | None:
    why = unimplemented(budget, BUDGET_PLAN, "")
    if why is None and budget.scored and budget.stage.rounder is None:
        return ".stage: not rounded (exact)"
    if why is None and budget.scored and not kept_within(budget.weight, budget.stage):
        return ".weight: full marks round above it (the reference caps the score to it, F137)"
    return why


def kept_within(weight: Fraction, stage: Stage) -> bool:
    """Whether full marks stay within the weight once rounded: 12.5 does not at 0 digits half-up (13), and
    the reference caps such a budget score to its weight (F137). (Rows are checked per row:
    `Folded.ceiling`.)"""
    return stage.apply(weight) <= weight


def rules(value: Rules) -> str | None:
    score, rate = budget_formulas(value)
    return (
        unimplemented(value, RULES, "")
        or formula("number", BUDGET_VARIABLES)(score)
        or formula("number", FIGURES)(rate)
    )


RULES: dict[str, Check] = {
    **{name: anything for name in ("total", "rounding", "display", "kinds", "scales", "grades", "over")},
    **{name: anything for name in ("not_applicable", "framework", "directions", "formulas", "columns")},
    **{name: anything for name in ("sources", "notes", "policies", "total_span")},  # no effect on scores
    "budget": lambda b: unimplemented(b, BUDGET_RULES, "") if isinstance(b, BudgetRules) else "budget",
    "explain": each(lambda e: formula("condition", ROW_VARIABLES)(e.condition)),
}
RULESET: dict[str, Check] = {
    **{name: anything for name in ("document", "path", "sources", "base_rules", "roots", "depends")},
    "rules": rules,
}
PLAN: dict[str, Check] = {
    **{name: anything for name in ("money_unit", "explain", "by_path", "by_path_key", "by_name", "order")},
    "ruleset": lambda r: unimplemented(r, RULESET, ""),
    "plans": each(indicator_plan),
    "budget": budget_plan,
    "level_stage": equals(None),
    "total_stage": stage_rounded,
}


def _total(plan: Plan) -> str | None:
    return None if kept_within(plan.rules.total, plan.total_stage) else "total: 总分 rounds above itself"
