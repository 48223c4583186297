"""Totals: 不适用 (rescale or redistribute), 一级 subtotals, the total and its grade."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.evaluate.base import _rounding_step, at_weight, display_steps, figure
from jixiao.engine.identity import named, shown
from jixiao.engine.methods import fmt, numeric_met
from jixiao.engine.plan import Plan, Stage
from jixiao.engine.results import BudgetResult, Figure, Finding, IndicatorResult, Result, Step
from jixiao.language.rounding import exact_sum


def redistribute(
    results: list[IndicatorResult], ev: Plan, unrounded: dict[str, tuple[Step, ...]]
) -> list[IndicatorResult]:
    """Give each 不适用 weight to the applicable indicators of the same 一级指标, pro rata.

    `unrounded` holds each scored row's steps up to its score before rounding: a row's unrounded
    score is scaled, then rounded, so its explanation goes on from there."""
    out = list(results)
    for level in dict.fromkeys(r.level1 for r in results):
        members = [i for i, r in enumerate(results) if r.level1 == level]
        dropped = sum((results[i].weight.value for i in members if results[i].not_applicable), Fraction(0))
        kept = sum((results[i].weight.value for i in members if not results[i].not_applicable), Fraction(0))
        if dropped and kept:
            for i in members:
                out[i] = _scaled(results[i], (kept + dropped) / kept, ev, unrounded)
    return out


def _scaled(
    result: IndicatorResult, factor: Fraction, ev: Plan, unrounded: dict[str, tuple[Step, ...]]
) -> IndicatorResult:
    if result.score is None:
        return result
    plan = ev.by_path[result.path]
    weight = result.weight.value * factor
    # An evaluator's adjusted score is a share of the original weight, like a formula score: scaled as
    # adjusted; a formula score is scaled before its rounding, and rounded after.
    formula = None if result.adjusted else result.formula_score
    base = result.score.value if formula is None else formula.value
    scaled = min(base * factor, weight)
    value = plan.stage.apply(scaled)
    before = result.steps if formula is None else unrounded.get(result.path, result.steps)
    steps = [*before, _redistributed_step(result.weight, weight, base, factor, scaled)]
    if formula is not None and result.item_score is not None:  # 表列 单项得分: from the rounded item score
        value, _ = item_score(scaled, weight, plan.stage, steps)
    elif value != scaled:
        steps.append(_rounding_step(scaled, value, plan.stage, ""))
    # a computed score keeps the stage's display rounding (舍入 指标 显示 …); an adjusted one has none
    score = Figure(value, result.score.digits) if result.adjusted else figure(plan.stage, value)
    steps.extend(display_steps(score))
    # the formula score beside a computed one is the unrounded score on the redistributed weight
    formula_score = result.formula_score if formula is None else Figure(scaled)
    return replace(
        result, weight=Figure(weight), score=score, formula_score=formula_score, steps=tuple(steps)
    )


def item_score(
    capped: Fraction, weight: Fraction, stage: Stage, steps: list[Step]
) -> tuple[Fraction, Fraction]:
    """表列 单项得分: the item score out of 100 is rounded first, the weighted score comes from it."""
    item = stage.apply(capped * 100 / weight)
    score = stage.apply(item * weight / 100)
    steps.append(
        Step(
            lambda: (
                f"单项得分 = {fmt(capped)} ÷ {fmt(weight)} × 100 → {fmt(item)}；"
                f"折算得分 = {fmt(item)} × {fmt(weight)}% → {fmt(score)}",
                f"item score = {fmt(capped)} ÷ {fmt(weight)} × 100 → {fmt(item)}; "
                f"weighted = {fmt(item)} × {fmt(weight)}% → {fmt(score)}",
            )
        )
    )
    return score, item


def _redistributed_step(
    old: Figure, weight: Fraction, base: Fraction, factor: Fraction, scaled: Fraction
) -> Step:
    return Step(
        lambda: (
            f"不适用分值分配：分值 {old.text()} → {fmt(weight)}，"
            f"得分 {fmt(base)} × {fmt(factor)} = {fmt(scaled)}",
            f"n/a weight redistributed: weight {old.text()} → {fmt(weight)}, "
            f"score {fmt(base)} × {fmt(factor)} = {fmt(scaled)}",
        )
    )


def total(
    ev: Plan,
    budget: BudgetResult | None,
    findings: list[Finding],
    indicators: list[IndicatorResult],
    actuals: ActualsFile | None = None,
) -> Result:
    """The project's result: level subtotals, the budget score if it counts, 不适用 rescaling, grade.
    主管部门 and 实施单位 are the ruleset's, else those `actuals` give (identity.shown); a general ruleset's
    project is the one `actuals` names (identity.named)."""
    steps: list[Step] = []
    levels = _levels(indicators, ev, findings, steps)
    indicator_sum = exact_sum(figure.value for _, _, figure in levels)
    steps.append(
        Step(
            lambda: (f"指标得分合计 {fmt(indicator_sum)}", f"indicator scores add up to {fmt(indicator_sum)}")
        )
    )
    raw = _with_budget(indicator_sum, budget, steps)
    unrounded = _rescale(raw, indicators, ev, steps, budget)
    rounded = ev.total_stage.apply(unrounded)
    if rounded != unrounded:
        steps.append(
            Step(
                lambda: (
                    f"总分 {fmt(unrounded)} → {fmt(rounded)}",
                    f"total {fmt(unrounded)} → {fmt(rounded)}",
                )
            )
        )
    whole = _most(ev, levels, budget)
    value = _total_capped(rounded, whole, findings, steps)
    total_figure = figure(ev.total_stage, value) if value == rounded else at_weight(ev.total_stage, value)
    steps.extend(display_steps(total_figure))
    high = _highest(raw, indicators, ev, budget, findings, whole)
    grade = grade_of(value, ev)
    if high is not None and grade_of(high.value, ev) != grade:
        grade = None  # the unknown scores could change the grade
    doc = ev.ruleset
    department, unit = doc.meta("department"), doc.meta("unit")
    if actuals is not None:
        department, unit = shown(department, unit, actuals)
    return Result(
        project=named(doc.name, actuals),
        year=doc.document.year,
        department=department,
        unit=unit,
        money_unit=ev.money_unit.unit,
        budget=budget,
        indicators=tuple(indicators),
        levels=levels,
        total_weight=Figure(ev.rules.total),
        total=total_figure,
        grade=grade,
        findings=tuple(findings),
        policies=ev.rules.policies,
        sources=ev.rules.sources,
        steps=tuple(steps),
        rules=ev.rules,
        total_high=high,
    )


def _highest(
    raw: Fraction,
    indicators: list[IndicatorResult],
    ev: Plan,
    budget: BudgetResult | None,
    findings: list[Finding],
    whole: Fraction,
) -> Figure | None:
    """With unknown scores: the most the total could be (each unknown at full weight), and finding F131."""
    unknown = [r for r in indicators if r.unknown]
    if not unknown:
        return None
    missing = sum((r.weight.value for r in unknown), Fraction(0))
    high = Figure(
        min(ev.total_stage.apply(_rescale(raw + missing, indicators, ev, [], budget)), whole),
        ev.total_stage.digits,
    )
    findings.append(
        Finding("F131", None, {"count": len(unknown), "weight": fmt(missing), "high": high.text()})
    )
    return high


def _with_budget(indicator_sum: Fraction, budget: BudgetResult | None, steps: list[Step]) -> Fraction:
    """Add the budget block's score when it counts in the total."""
    if budget is None or not budget.counted or budget.score is None:
        return indicator_sum
    added, raw = budget.score.computed_text(), indicator_sum + budget.score.value
    shown = budget.score.text()  # 舍入 预算 显示 …: the table prints another figure than the one added
    zh, en = (f"{added} ", "") if shown == added else (f"{added}（显示 {shown}）", f" (shown {shown})")
    steps.append(
        Step(
            lambda: (
                f"加预算执行得分 {zh}→ {fmt(raw)}",
                f"plus the budget score {added}{en} → {fmt(raw)}",
            )
        )
    )
    return raw


def _most(ev: Plan, levels: tuple[tuple[str, Figure, Figure], ...], budget: BudgetResult | None) -> Fraction:
    """What the total may reach: 总分, or the weights' sum when it is more (`jixiao diff` scores a ruleset
    with one change applied alone, whose weights need not add up to 总分: it is not capped to 总分)."""
    weights = exact_sum(weight.value for _, weight, _ in levels)
    if budget is not None and budget.counted and budget.scored:
        weights += budget.weight.value
    return max(ev.rules.total, weights)


def _total_capped(value: Fraction, whole: Fraction, findings: list[Finding], steps: list[Step]) -> Fraction:
    """The total never exceeds 总分 (F136): rounded parts of fractional weights may add up to more."""
    if value <= whole:
        return value
    findings.append(Finding("F136", None, {"sum": fmt(value), "weight": fmt(whole)}))
    steps.append(
        Step(
            lambda: (
                f"总得分 {fmt(value)} 超过总分 {fmt(whole)}，按 {fmt(whole)} 计",
                f"the total {fmt(value)} is above {fmt(whole)}: capped to {fmt(whole)}",
            )
        )
    )
    return whole


def _levels(
    indicators: list[IndicatorResult], ev: Plan, findings: list[Finding], steps: list[Step]
) -> tuple[tuple[str, Figure, Figure], ...]:
    """Each 一级's weight and subtotal; a subtotal never exceeds its weight (F135, and a step saying so):
    full scores on fractional weights (50 ÷ 3 = 16.666… → 16.67 each) may add up to more."""
    groups: dict[str, list[IndicatorResult]] = {}  # by 一级指标, in the order they first come
    for r in indicators:
        groups.setdefault(r.level1, []).append(r)
    out = []
    stage = ev.level_stage
    for level, members in groups.items():
        weight = Figure(exact_sum(r.weight.value for r in _weighted(members, ev)))
        scores = [r.score for r in members if r.score is not None]
        subtotal = exact_sum(s.value for s in scores)
        shown = figure(stage, stage.apply(subtotal)) if stage else Figure(subtotal, sum_digits(scores))
        if shown.value > weight.value:
            shown = _level_capped(level, shown, weight, stage, findings, steps)
        out.append((level, weight, shown))
    return tuple(out)


def _level_capped(
    level: str, shown: Figure, weight: Figure, stage: Stage | None, findings: list[Finding], steps: list[Step]
) -> Figure:
    over, cap = shown.value, weight.value
    findings.append(Finding("F135", level, {"level": level, "sum": fmt(over), "weight": fmt(cap)}))
    steps.append(
        Step(
            lambda: (
                f"{level}各项得分合计 {fmt(over)} 超过分值 {fmt(cap)}，按 {fmt(cap)} 计",
                f"{level}: the scores add up to {fmt(over)}, above its weight {fmt(cap)}: capped",
            )
        )
    )
    return at_weight(stage, cap) if stage else Figure(cap, shown.digits)


def sum_digits(figures: list[Figure]) -> int | None:
    """A sum shows as many decimals as its most precise part; exact if any part is exact."""
    if any(f.digits is None for f in figures):
        return None
    return max((f.digits for f in figures if f.digits is not None), default=0)


def _weighted(members: list[IndicatorResult], ev: Plan) -> list[IndicatorResult]:
    """The members whose weight counts in the level: under 分配 the 不适用 ones gave theirs away."""
    applicable = [r for r in members if not r.not_applicable]
    if ev.rules.not_applicable == "redistribute" and applicable:
        return applicable
    return members


def _budget_dropped(budget: BudgetResult | None) -> Fraction:
    """The weight of a counted budget block that could not be scored (零预算 不评分)."""
    return (
        budget.weight.value
        if budget is not None and budget.counted and budget.not_applicable
        else Fraction(0)
    )


def unshared(indicators: list[IndicatorResult]) -> set[str]:
    """The 一级 whose indicators are all 不适用: under 分配 nobody takes their weight, so it is rescaled (as
    a 零预算 不评分 budget's is)."""
    levels = {r.level1 for r in indicators if r.not_applicable}
    return levels - {r.level1 for r in indicators if not r.not_applicable}


def _rescale(
    raw: Fraction, indicators: list[IndicatorResult], ev: Plan, steps: list[Step], budget: BudgetResult | None
) -> Fraction:
    if ev.rules.not_applicable == "rescale":
        rescaled = [r for r in indicators if r.not_applicable]
    else:
        alone = unshared(indicators)
        rescaled = [r for r in indicators if r.not_applicable and r.level1 in alone]
    dropped = sum((r.weight.value for r in rescaled), _budget_dropped(budget))
    whole = ev.rules.total
    if not dropped or dropped >= whole:
        return raw
    scaled = raw * whole / (whole - dropped)
    steps.append(
        Step(
            lambda: (
                f"不适用分值 {fmt(dropped)}，按百分制折算："
                f"{fmt(raw)} × {fmt(whole)} ÷ {fmt(whole - dropped)} = {fmt(scaled)}",
                f"n/a weight {fmt(dropped)}, rescaled: "
                f"{fmt(raw)} × {fmt(whole)} ÷ {fmt(whole - dropped)} = {fmt(scaled)}",
            )
        )
    )
    return scaled


def grade_of(value: Fraction, ev: Plan) -> str | None:
    """The grade of a total: the first band its value falls in (None without 等级 or outside every band)."""
    grades = ev.rules.grades
    if grades is None:
        return None
    for grade in grades.grades:
        if grade.condition is None or numeric_met(grade.condition, value):
            return grade.name
    return None
