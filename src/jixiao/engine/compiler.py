"""The compiler: a resolved, checked ruleset becomes a `plan.Plan`, once.

Formulas become closures, each indicator gets its method and rounding stage,
the budget block its formula; evaluators then score projects from the plan.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from fractions import Fraction

from jixiao.engine.expr import compile_expr
from jixiao.engine.methods import kind_of
from jixiao.engine.order import evaluation_order, formulas, name_lookup, referenced
from jixiao.engine.plan import DEFAULT_RATE_TEXT, BudgetPlan, IndicatorPlan, Plan, Stage, stage_of
from jixiao.engine.resolve import Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.cycles import cycles_uncollected
from jixiao.language.literals import LiteralError, parse_quantity
from jixiao.language.quantity import (
    Comparator,
    NumericTarget,
    Quantity,
    Target,
    UnitError,
    known_unit,
    resolve_unit,
    split_magnitude,
)
from jixiao.language.rounding import RoundingMode
from jixiao.language.vocabulary import DEFAULT_BUDGET_ROW, name_key

DEFAULT_BUDGET_SCORE = n.Call("cap", (n.BinOp("×", n.Var("分值"), n.Var("执行率")), n.Var("分值")))
DEFAULT_RATE = n.BinOp("÷", n.Var("全年执行数"), n.Var("全年预算数"))
DEFAULT_MONEY_UNIT = "万元"
DEFAULT_METHODS = {
    "higher": "ratio",
    "lower": "ratio",
    "equal": "ratio",
    "range": "ratio",
    "deadline": "pass_fail",
    "qualitative": "scale",
}


@cycles_uncollected()
def compile_plan(ruleset: Ruleset) -> Plan:
    """The plan of a checked ruleset (checking is the caller's: `api.CompiledRuleset`)."""
    rules = ruleset.rules
    plans = tuple(_indicator_plan(i, rules) for i in ruleset.indicators)
    by_name: dict[str, list[IndicatorPlan]] = {}
    for plan in plans:
        by_name.setdefault(name_key(plan.indicator.name), []).append(plan)
    level = rules.rounding_for("level")
    by_path_key = {name_key(p.path): p for p in plans}
    level_display = rules.display_for("level")
    return Plan(
        ruleset=ruleset,
        money_unit=_money_unit(ruleset.meta("money_unit") or DEFAULT_MONEY_UNIT),
        plans=plans,
        budget=_budget_plan(rules, ruleset.sources),
        explain=tuple(compile_expr(e.condition) for e in rules.explain),
        level_stage=stage_of(level, display=level_display) if level or level_display else None,
        total_stage=stage_of(rules.rounding_for("total"), display=rules.display_for("total")),
        by_path={p.path: p for p in plans},
        by_path_key=by_path_key,
        by_name=by_name,
        order=_order(plans, by_path_key, by_name),
    )


def _order(
    plans: tuple[IndicatorPlan, ...],
    by_path_key: dict[str, IndicatorPlan],
    by_name: dict[str, list[IndicatorPlan]],
) -> tuple[IndicatorPlan, ...]:
    """The plans in the order a run scores them: references first (`engine.order`)."""
    by_path = {p.path: p for p in plans}
    lookup = name_lookup(
        {k: p.path for k, p in by_path_key.items()}, {k: [p.path for p in v] for k, v in by_name.items()}
    )
    names = {p.path: referenced(formulas(p.indicator, p.method)) for p in plans}
    order = evaluation_order([p.path for p in plans], names.__getitem__, lookup)
    return tuple(by_path[path] for path in order)


def _indicator_plan(ind: n.Indicator, rules: Rules) -> IndicatorPlan:
    target = directed(ind, rules)
    if target is not ind.target:  # (a copy only when 方向 turned the target: replace costs)
        ind = replace(ind, target=target)
    kind = kind_of(ind.target) if ind.target is not None else "higher"
    method, origin = _method(ind, kind, rules)
    rounding = ind.rounding or rules.rounding_for("indicator")
    display = ind.display_rounding or rules.display_for("indicator")
    return IndicatorPlan(
        indicator=ind,
        weight=ind.weight or Fraction(0),
        kind=kind,
        method=method,
        method_origin=origin,
        actual=compile_expr(ind.actual) if ind.actual is not None else None,
        score=compile_expr(ind.score) if ind.score is not None else None,
        stage=_stage(rounding, display),
        over=ind.over or rules.over,
        params={a.name: compile_expr(a.value) for a in method.args if a.name is not None},
        band_results=tuple(compile_expr(b.result) for b in method.bands),
        item_score="item_score" in rules.columns,
        written_modes=_directed(rounding, rules.rounding_for("rate")) if ind.actual is not None else (),
    )


def _directed(*roundings: n.Rounding | None) -> tuple[RoundingMode, ...]:
    """The modes of these roundings that round one way (截断, 进位), each once: a number rounded by the
    others (四舍五入, 银行家) is within half a unit of its last digit, which F108 allows anyway."""
    modes = (r.mode for r in roundings if r is not None)
    return tuple(dict.fromkeys(m for m in modes if m in (RoundingMode.DOWN, RoundingMode.UP)))


@functools.lru_cache(maxsize=256)
def _stage(rounding: n.Rounding | None, display: n.Rounding | None) -> Stage:
    """An indicator's stage: most share the rules' rounding, so it is made once (stages are frozen)."""
    return stage_of(rounding, display=display)


COMPARATORS = {"higher": Comparator.GE, "lower": Comparator.LE, "equal": Comparator.EQ}


def directed(ind: n.Indicator, rules: Rules) -> Target | None:
    """An unsigned target read by its 方向: the indicator's, else its 二级's, its 一级's, its unit's."""
    target = ind.target
    if not isinstance(target, NumericTarget) or not target.implicit:
        return target
    kind = ind.direction or direction_rule(ind, target, rules)
    if kind is None:
        return target
    return replace(target, comparator=COMPARATORS[kind])


def direction_rule(ind: n.Indicator, target: NumericTarget, rules: Rules) -> str | None:
    """The kind a 方向 statement gives this unsigned target: the most specific match, the last one written.

    A level with a unit (方向 成本指标 元 反向) beats a level alone, 二级 beats 一级, and a unit alone
    (方向 元 反向) comes last.
    """
    dimension = target.quantity.dimension
    best: tuple[int, str] | None = None
    for rule in rules.directions.values():
        rank = _direction_rank(rule, ind, dimension)
        if rank and (best is None or rank >= best[0]):
            best = (rank, rule.kind)
    return best[1] if best else None


def _direction_rank(rule: n.Direction, ind: n.Indicator, dimension: str) -> int:
    """How specifically a 方向 statement matches (0: not at all)."""
    if rule.unit is not None and unit_dimension(rule.unit) != dimension:
        return 0
    unit = 2 if rule.unit is not None else 0
    scope = name_key(rule.scope)
    if scope == name_key(ind.level2):
        return 3 + unit
    if scope == name_key(ind.level1):
        return 2 + unit
    return 1 if rule.unit is None and unit_dimension(rule.scope) == dimension else 0


def unit_dimension(word: str) -> str | None:
    """The dimension of a known unit word (万元 → 元, % → %), else None (a level name)."""
    try:
        _, _, dimension = resolve_unit(word)
    except UnitError:
        return None
    return dimension if known_unit(split_magnitude(word)[2]) is not None else None


def _method(ind: n.Indicator, kind: str, rules: Rules) -> tuple[n.Method, str]:
    if ind.method is not None:
        return ind.method, "indicator"
    rule = rules.kinds.get(kind)
    if rule is not None:
        return rule.method, "policy"
    default = DEFAULT_METHODS[kind]
    return n.Method(default, default), "default"


def budget_formulas(rules: Rules) -> tuple[n.Expr, n.Expr]:
    """The budget block's score and rate formulas: as written, else the defaults."""
    return rules.budget.score or DEFAULT_BUDGET_SCORE, rules.budget.rate or DEFAULT_RATE


def _budget_plan(rules: Rules, sources: dict[str, str]) -> BudgetPlan:
    budget = rules.budget
    weight = budget.weight or Fraction(0)
    score, rate = budget_formulas(rules)
    return BudgetPlan(
        weight=weight,
        score=compile_expr(score),
        counted=budget.counted,
        explain=tuple(compile_expr(e.condition) for e in budget.explain),
        rate_stage=stage_of(rules.rounding_for("rate"), extra_digits=2),
        stage=stage_of(
            budget.rounding or rules.rounding_for("budget"),
            display=budget.display_rounding or rules.display_for("budget"),
        ),
        rate=compile_expr(rate),
        rate_text=written(budget.rate, sources) if budget.rate is not None else DEFAULT_RATE_TEXT,
        row=budget.row or DEFAULT_BUDGET_ROW,
        zero=budget.zero,
        scored=budget.scored and weight > 0,
        score_formula=score,
    )


def written(expr: n.Expr, sources: dict[str, str]) -> str:
    """An expression's text as written in its file (one line), found by its span."""
    span = expr.span
    lines = sources.get(span.path, "").splitlines()
    if not 0 < span.line <= len(lines):
        return ""
    line = lines[span.line - 1]
    end = span.end_column if span.end_line == span.line and span.end_column else len(line) + 1
    return line[span.column - 1 : end - 1].strip()


def _money_unit(text: str) -> Quantity:
    try:
        return parse_quantity("1" + text)
    except LiteralError:
        return parse_quantity("1万元")
