"""A table whose budget is 0 (转移支付表常见 0/0/0): its rows that compute from the execution rate.

There is no 执行率 when its denominator is 0, so a row such as 预算执行率 (`实际 = 执行率`) follows the
rules' 零预算 as the budget block does (the engine does the same, with F126): 报错 — the row cannot be
recomputed (F174, an error); 不评分 — the row is 不适用, 满分 — it gets its full weight (F175, a warning
that says which, compared with what the table printed). Everything else is audited as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from jixiao.diagnostics import Span
from jixiao.engine.actuals import ActualsFile, BudgetFigure, Entry
from jixiao.engine.evaluate.base import figure as stage_figure
from jixiao.engine.evaluate.run import row_candidates
from jixiao.engine.expr import walk
from jixiao.engine.plan import IndicatorPlan, Plan
from jixiao.language import nodes as n
from jixiao.language.vocabulary import BUDGET_VARS, KEYWORDS
from jixiao.tools.audit.model import BUDGET, Discrepancy
from jixiao.tools.importer.printed import printed_score

DENOMINATORS = ("全年预算数", "年初预算数", "全年执行数")  # which zero figure is named, as the engine does
EFFECTS: dict[str, tuple[str, str]] = {
    "none": ("按不适用处理", "treated as not applicable"),
    "full": ("得满分", "given full marks"),
}


def zero_figure(actuals: ActualsFile, plan: Plan) -> BudgetFigure | None:
    """The budget figure of the rules' 预算行 that is 0, if one is."""
    figures = [f for f in actuals.budget if f.row == plan.budget.row and f.quantity.base == 0]
    return next((f for name in DENOMINATORS for f in figures if f.figure == name), None)


def uses_rate(indicator: n.Indicator) -> bool:
    """Whether the row's actual or score formula reads a budget figure (执行率, 全年预算数 …)."""
    formulas = [e for e in (indicator.actual, indicator.score) if e is not None]
    return any(isinstance(x, n.Var) and x.name in BUDGET_VARS for e in formulas for x in walk(e))


def rate_rows(plan: Plan, actuals: ActualsFile) -> list[tuple[Entry, IndicatorPlan]]:
    """The table's rows whose indicator computes from the budget figures."""
    found = []
    for entry in actuals.entries:
        for indicator in row_candidates(plan, entry.row)[0]:
            if uses_rate(indicator.indicator):
                found.append((entry, indicator))
    return found


def without_formulas(plan: Plan, paths: set[str]) -> Plan:
    """The plan with the formulas of the indicators at `paths` taken out (scored from their cells)."""

    def swap(one: IndicatorPlan) -> IndicatorPlan:
        return replace(one, actual=None, score=None) if one.path in paths else one

    return _mapped(plan, swap)


def _mapped(plan: Plan, swap: Callable[[IndicatorPlan], IndicatorPlan]) -> Plan:
    return replace(
        plan,
        plans=tuple(map(swap, plan.plans)),
        order=tuple(map(swap, plan.order)),
        by_path={k: swap(v) for k, v in plan.by_path.items()},
        by_path_key={k: swap(v) for k, v in plan.by_path_key.items()},
        by_name={k: [swap(v) for v in vs] for k, vs in plan.by_name.items()},
    )


def policy_words(mode: str) -> tuple[str, str]:
    """零预算 报错 / zero_budget error, as the rules write it."""
    zh, en = KEYWORDS["zero_budget"]
    word_zh, word_en = KEYWORDS[f"zero_{mode}"]
    return f"{zh} {word_zh}", f"{en} {word_en}"


def zero_budget(mode: str, figure: BudgetFigure) -> Discrepancy:
    """At the budget's zero figure: F174 (零预算 报错: no rate, no budget score) or F175 (零预算 applied)."""
    return _zero(mode, figure, BUDGET, figure.span, figure.quantity.text(), "")


def zero_row(mode: str, figure: BudgetFigure, entry: Entry, indicator: IndicatorPlan) -> list[Discrepancy]:
    """At a row computed from the rate: its printed score and what the rules give (none, /, full) —
    and, under 零预算 满分, a printed score other than the full weight is wrong (F154)."""
    full = stage_figure(indicator.stage, indicator.weight).text()  # the weight at the row's digits
    recomputed = {"none": "/", "full": full}.get(mode, "")
    span, score = entry.span("score"), entry.row.score
    found = [_zero(mode, figure, indicator.path, span, score, recomputed, indicator)]
    number = printed_score(score)
    if mode == "full" and number is not None and number.value != indicator.weight:
        detail = policy_words(mode)
        found.append(
            Discrepancy("F154", span, indicator.path, score, recomputed, {"detail": detail}, indicator.path)
        )
    return found


def _zero(
    mode: str,
    figure: BudgetFigure,
    where: str,
    span: Span,
    printed: str,
    recomputed: str,
    indicator: IndicatorPlan | None = None,
) -> Discrepancy:
    args: dict[str, object] = {
        "name": figure.figure,
        "figure": figure.quantity.text(),
        "policy": policy_words(mode),
    }
    code = "F174" if mode == "error" else "F175"
    if mode != "error":
        args["effect"] = EFFECTS[mode]
    path = indicator.path if indicator is not None else None
    return Discrepancy(code, span, where, printed, recomputed, args, path)
