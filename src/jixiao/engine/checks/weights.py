"""Weights add up: indicators (+ the budget block when it counts) to 总分, and each 一级 to its share."""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Span
from jixiao.engine.methods import fmt
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out = _framework_total(ruleset)
    indicators = [i for i in ruleset.indicators if i.weight is not None and i.weight > 0]
    if not indicators:
        return out
    return out + _total(ruleset, indicators) + _framework(ruleset, indicators)


def _framework_total(ruleset: Ruleset) -> list[Diagnostic]:
    """The shares of a framework (budget included when it counts) add up to 总分."""
    framework = ruleset.rules.framework
    if framework is None:
        return []
    counted = ruleset.rules.budget.counted
    found = sum((s.weight for s in framework.shares if counted or s.level != n.BUDGET_LEVEL), Fraction(0))
    expected = ruleset.rules.total
    if found == expected:
        return []
    return [Diagnostic("E408", framework.span, {"sum": fmt(found), "total": fmt(expected)})]


def _budget_weight(ruleset: Ruleset) -> Fraction:
    budget = ruleset.rules.budget
    return budget.weight if budget.weight is not None and budget.counted else Fraction(0)


def _total(ruleset: Ruleset, indicators: list[n.Indicator]) -> list[Diagnostic]:
    budget = _budget_weight(ruleset)
    found = sum((i.weight or Fraction(0) for i in indicators), budget)
    expected = ruleset.rules.total
    if found == expected:
        return []
    detail = (
        f"指标分值 {fmt(found - budget)} + 预算执行 {fmt(budget)} = {fmt(found)}；"
        f"差 {fmt(expected - found)}，请调整某个指标的分值",
        f"indicators {fmt(found - budget)} + budget {fmt(budget)} = {fmt(found)}; "
        f"off by {fmt(expected - found)}: adjust a weight",
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
            span = ruleset.rules.budget.span or share.span
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
