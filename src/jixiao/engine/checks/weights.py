"""Weights add up: indicators (+ the budget block when it counts) to 总分, and each 一级 to its share."""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.methods import fmt
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.rounding import Rounding as Rounder


def check(ruleset: Ruleset) -> list[Diagnostic]:
    return _goals(ruleset) + _blocks(ruleset) + _subtotals(ruleset) + _weights(ruleset) + _fractional(ruleset)


def _fractional(ruleset: Ruleset) -> list[Diagnostic]:
    """A weight its rounding cannot show (W113): 二级 分值 50 shared by 3 gives 16.666… each, whose full
    scores round to 16.67 and add up to 50.01; the subtotal is capped to 50 (F135). Once per weight."""
    out: dict[Span, Diagnostic] = {}
    for ind in ruleset.indicators:
        rounding = ind.rounding or ruleset.rules.rounding_for("indicator")
        if ind.weight is None or not counted(ind) or rounding is None or rounding.mode is None:
            continue
        if Rounder(rounding.mode, rounding.digits).apply(ind.weight) == ind.weight:
            continue
        span = ind.weight_span or ind.span
        if span not in out:
            args: dict[str, object] = {
                "weight": fmt(ind.weight),
                "digits": rounding.digits,
                "level": ind.level1,
            }
            out[span] = Diagnostic("W113", span, args, Severity.WARNING)
    return list(out.values())


def _goals(ruleset: Ruleset) -> list[Diagnostic]:
    """A goal block written with its weight (年度绩效目标1 分值 40): its indicators add up to it (E414)."""
    out = []
    for goal in ruleset.document.statements:
        if isinstance(goal, n.GoalBlock) and goal.weight is not None:
            weight = _points(goal.weight, ruleset.rules.total)
            found = sum(
                (i.weight or Fraction(0) for b in goal.blocks for i in b.indicators if counted(i)),
                Fraction(0),
            )
            if found != weight:
                args: dict[str, object] = {"goal": goal.name, "weight": fmt(weight), "sum": fmt(found)}
                out.append(Diagnostic("E414", goal.weight.span, args))
    return out


def _points(weight: n.Weight, total: Fraction) -> Fraction:
    return weight.value * total / 100 if weight.percent else weight.value


def _blocks(ruleset: Ruleset) -> list[Diagnostic]:
    """A 二级 written with its weight: its indicators' weights add up to it (E413)."""
    out = []
    total = ruleset.rules.total
    for block in ruleset.document.level_blocks:
        if block.weight is not None:
            weight = _points(block.weight, total)
            found = sum((i.weight or Fraction(0) for i in block.indicators if counted(i)), Fraction(0))
            if found != weight:
                args: dict[str, object] = {"level": block.level2, "weight": fmt(weight), "sum": fmt(found)}
                out.append(Diagnostic("E413", block.weight.span, args))
    return out


def counted(ind: n.Indicator) -> bool:
    """An indicator whose weight counts: not a 其中 row, not a 小计 row."""
    return ind.breakdown_of is None and not ind.subtotal


def members(subtotal: n.Indicator, indicators: tuple[n.Indicator, ...]) -> list[n.Indicator]:
    """The counted indicators a 小计 row adds up: its block, or its whole 一级 when its 二级 is empty."""
    return [
        i
        for i in indicators
        if counted(i) and i.level1 == subtotal.level1 and (not subtotal.level2 or i.level2 == subtotal.level2)
    ]


def _subtotals(ruleset: Ruleset) -> list[Diagnostic]:
    """A 小计 row's weight, when written, is the sum of the weights it repeats (E412)."""
    out = []
    for ind in ruleset.indicators:
        if ind.subtotal and ind.weight is not None:
            found = sum((i.weight or Fraction(0) for i in members(ind, ruleset.indicators)), Fraction(0))
            if found != ind.weight:
                args: dict[str, object] = {"name": ind.name, "weight": fmt(ind.weight), "sum": fmt(found)}
                out.append(Diagnostic("E412", ind.weight_span or ind.span, args))
    return out


def _weights(ruleset: Ruleset) -> list[Diagnostic]:
    if _policy_framework_without_budget(ruleset):
        return [_framework_skipped(ruleset), *_indicator_total(ruleset)]
    out = _framework_total(ruleset)
    indicators = [i for i in ruleset.indicators if i.weight is not None and i.weight > 0 and counted(i)]
    if not indicators:
        return out
    return out + _total(ruleset, indicators) + _framework(ruleset, indicators)


def _indicator_total(ruleset: Ruleset) -> list[Diagnostic]:
    indicators = [i for i in ruleset.indicators if i.weight is not None and i.weight > 0 and counted(i)]
    return _total(ruleset, indicators) if indicators else []


def _budget_counts(ruleset: Ruleset) -> bool:
    budget = ruleset.rules.budget
    return budget.counted and _budget_scored(ruleset)


def _budget_scored(ruleset: Ruleset) -> bool:
    """As the plan has it (`BudgetPlan.scored`): 预算执行 不评分 and 分值 0 alike are not scored."""
    budget = ruleset.rules.budget
    return budget.scored and (budget.weight or 0) > 0


def _policy_framework_without_budget(ruleset: Ruleset) -> bool:
    """A policy's 结构 gives the budget a share, but this project does not count the budget."""
    framework = ruleset.rules.framework
    if framework is None or _budget_counts(ruleset) or framework.span.path == ruleset.path:
        return False
    return any(share.level == n.BUDGET_LEVEL for share in framework.shares)


def _framework_skipped(ruleset: Ruleset) -> Diagnostic:
    """W111 where the project turned the budget off: the policy's split no longer applies, say so there."""
    framework = ruleset.rules.framework
    assert framework is not None
    budget = ruleset.rules.budget
    share = next(s for s in framework.shares if s.level == n.BUDGET_LEVEL)
    how = ("不计入总分", "not counted") if _budget_scored(ruleset) else ("不评分", "not scored")
    args: dict[str, object] = {"weight": fmt(share.weight), "how": how}
    where = budget.scored_span  # 不评分, 计入总分 否; 分值 0: the project's own 预算执行 block
    if budget.scored and budget.counted:
        where = next((b.span for b in ruleset.document.statements if isinstance(b, n.Budget)), None)
    return Diagnostic("W111", where or ruleset.document.span, args, Severity.WARNING)


def _framework_total(ruleset: Ruleset) -> list[Diagnostic]:
    """The shares of a framework (budget included when it counts) add up to 总分."""
    framework = ruleset.rules.framework
    if framework is None:
        return []
    counted = _budget_counts(ruleset)
    found = sum((s.weight for s in framework.shares if counted or s.level != n.BUDGET_LEVEL), Fraction(0))
    expected = ruleset.rules.total
    if found == expected:
        return []
    return [Diagnostic("E408", framework.span, {"sum": fmt(found), "total": fmt(expected)})]


def _budget_weight(ruleset: Ruleset) -> Fraction:
    budget = ruleset.rules.budget
    return budget.weight if budget.weight is not None and _budget_counts(ruleset) else Fraction(0)


def _total(ruleset: Ruleset, indicators: list[n.Indicator]) -> list[Diagnostic]:
    budget = _budget_weight(ruleset)
    found = sum((i.weight or Fraction(0) for i in indicators), budget)
    expected = ruleset.rules.total
    if found == expected:
        return []
    gap = abs(expected - found)
    zh, en = ("差", "short by") if found < expected else ("多", "over by")
    detail = (
        f"指标分值 {fmt(found - budget)} + 预算执行 {fmt(budget)} = {fmt(found)}；"
        f"{zh} {fmt(gap)}，请调整某个指标的分值",
        f"indicators {fmt(found - budget)} + budget {fmt(budget)} = {fmt(found)}; "
        f"{en} {fmt(gap)}: adjust a weight",
    )
    span = _culprit(ruleset, indicators)
    return [Diagnostic("E401", span, {"sum": fmt(found), "expected": fmt(expected), "detail": detail})]


def _culprit(ruleset: Ruleset, indicators: list[n.Indicator]) -> Span:
    """Point at the indicator whose weight differs from the last good version of its level, else the first."""
    framework = ruleset.rules.framework
    if framework is not None:
        for share in framework.shares:
            members = [i for i in indicators if i.level1 == share.level]
            if members and sum((i.weight or Fraction(0) for i in members), Fraction(0)) != share.weight:
                return _odd_one(members)
    return _odd_one(indicators)


def _odd_one(members: list[n.Indicator]) -> Span:
    weights = [i.weight for i in members]
    common = max(set(weights), key=weights.count)
    odd = [i for i in members if i.weight != common]
    chosen = odd[0] if len(odd) == 1 else members[0]
    return chosen.weight_span or chosen.span


def _framework(ruleset: Ruleset, indicators: list[n.Indicator]) -> list[Diagnostic]:
    framework = ruleset.rules.framework
    if framework is None:
        return []
    out = []
    for share in framework.shares:
        if share.level == n.BUDGET_LEVEL:
            found = _budget_weight(ruleset)
            span = (ruleset.rules.budget.span if _budget_counts(ruleset) else None) or share.span
        else:
            members = [i for i in indicators if i.level1 == share.level]
            found = sum((i.weight or Fraction(0) for i in members), Fraction(0))
            span = members[0].span if members else share.span
        if found != share.weight:
            out.append(
                Diagnostic(
                    "E404", span, {"level": share.level, "sum": fmt(found), "expected": fmt(share.weight)}
                )
            )
    return out
