"""`jixiao test --coverage`: indicators, method branches, bands, scale points and grades no case reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from jixiao.diagnostics import JixiaoError
from jixiao.engine.methods import numeric_met
from jixiao.engine.plan import Plan
from jixiao.engine.results import IndicatorResult
from jixiao.io.rulesets import CompiledRuleset
from jixiao.language import nodes as n
from jixiao.language.quantity import NumericActual, NumericTarget, Quantity, RangeTarget, WordActual
from jixiao.messages import Lang
from jixiao.tools.golden.model import Document
from jixiao.tools.golden.report import say
from jixiao.tools.golden.run import CaseResult, FileResult, find_indicator


# -- coverage -------------------------------------------------------------------------------------------
@dataclass
class Coverage:
    """What the cases of one ruleset exercised, against everything that could be exercised."""

    ruleset: str
    cases: int = 0
    items: dict[str, dict[str, bool]] = field(default_factory=dict)  # category → item → exercised

    def mark(self, category: str, item: str) -> None:
        self.items.setdefault(category, {})[item] = True

    def add(self, category: str, item: str) -> None:
        self.items.setdefault(category, {}).setdefault(item, False)


CATEGORIES = {
    "indicators": ("指标（用例按名称检查了得分）", "indicators (score checked by name)"),
    "methods": ("方法分支（达标/未达标）", "method branches (met / not met)"),
    "bands": ("分档", "bands"),
    "scales": ("量表档次", "scale points"),
    "grades": ("等级", "grade bands"),
}


def coverage(files: list[FileResult]) -> list[Coverage]:
    """Per ruleset: indicators, method branches, bands, scale points and grades no case exercised."""
    by_ruleset: dict[str, Coverage] = {}
    for file in files:
        if file.ruleset is None or file.document is None:
            continue
        cov = by_ruleset.get(file.ruleset.path)
        if cov is None:
            cov = by_ruleset[file.ruleset.path] = _universe(file.ruleset)
        for index, case in enumerate(file.cases):
            _exercised(cov, file.document, index, case, file.ruleset.plan)
    return list(by_ruleset.values())


def _universe(compiled: CompiledRuleset) -> Coverage:
    ev = compiled.plan
    cov = Coverage(compiled.path)
    for plan in ev.plans:
        if plan.indicator.breakdown_of is not None or plan.indicator.subtotal:
            continue  # 其中 and 小计 rows are shown, never scored
        cov.add("indicators", plan.path)
        if plan.score is None and plan.method.id in ("ratio", "pass_fail", "linear_decay", "deduct", "scale"):
            cov.add("methods", f"{plan.method.written} ✓")
            cov.add("methods", f"{plan.method.written} ✗")
        for band in plan.method.bands:
            cov.add("bands", f"{plan.indicator.name}: {band.condition_text or '否则'}")
        scale = ev.scale_for(plan) if plan.kind == "qualitative" else None
        if scale is not None:
            for level in scale.levels:
                cov.add("scales", f"{scale.name}: {level.words[0]}")
    grades = ev.rules.grades
    for grade in grades.grades if grades else ():
        cov.add("grades", grade.name)
    return cov


def _exercised(cov: Coverage, doc: Document, index: int, case: CaseResult, ev: Plan) -> None:
    result = case.result
    if result is None:
        return
    cov.cases += 1
    if result.grade:
        cov.mark("grades", result.grade)
    for name in doc.model.cases[index].expect.scores or {}:
        try:
            cov.mark("indicators", find_indicator(result, name, case.span).path)
        except JixiaoError:
            continue
    for indicator in result.indicators:
        _exercised_indicator(cov, indicator, ev)


def _exercised_indicator(cov: Coverage, indicator: IndicatorResult, ev: Plan) -> None:
    plan = indicator.plan
    if plan is None or indicator.not_applicable:
        return
    if indicator.met is not None and f"{plan.method.written} ✓" in cov.items.get("methods", {}):
        cov.mark("methods", f"{plan.method.written} {'✓' if indicator.met else '✗'}")
    band = _band_hit(indicator)
    if band is not None:
        cov.mark("bands", f"{indicator.name}: {band}")
    if plan.kind != "qualitative" or plan.score is not None:
        return
    for scale in ev.scales_for(plan):  # the scale that decided, as scoring looks them up
        level = _level_hit(scale, indicator.parsed_actual)
        if level is not None:
            cov.mark("scales", f"{scale.name}: {level.words[0]}")
            return


def _band_hit(indicator: IndicatorResult) -> str | None:
    plan, actual = indicator.plan, indicator.parsed_actual
    target = plan.indicator.target if plan else None
    if (
        plan is None
        or not isinstance(actual, NumericActual)
        or not isinstance(target, NumericTarget | RangeTarget)
    ):
        return None
    target_q = target.quantity if isinstance(target, NumericTarget) else target.low
    for band in plan.method.bands:
        value = actual.quantity.base
        q = getattr(band.condition, "quantity", None) or getattr(band.condition, "low", None)
        if isinstance(q, Quantity) and q.dimension == "%" and target_q.dimension != "%" and target_q.base:
            value = value / target_q.base
        if band.condition is None or numeric_met(band.condition, value):
            return band.condition_text or "否则"
    return None


def _level_hit(scale: n.Scale, actual: object) -> n.ScaleLevel | None:
    """The scale level a word names, or the level whose band holds a percentage."""
    if isinstance(actual, WordActual):
        return next((lv for lv in scale.levels if actual.word in lv.words), None)
    if isinstance(actual, NumericActual) and actual.quantity.dimension == "%":
        share = min(actual.quantity.base, Fraction(1))
        return next((lv for lv in scale.levels if _in_level(lv, share)), None)
    return None


def _in_level(level: n.ScaleLevel, share: Fraction) -> bool:
    above = share >= level.low if level.low_inclusive else share > level.low
    below = share <= level.high if level.high_inclusive else share < level.high
    return above and below


def coverage_text(items: list[Coverage], lang: Lang = "zh") -> str:
    lines: list[str] = []
    for cov in items:
        lines.append(
            say(
                lang,
                f"覆盖率 {cov.ruleset}（{cov.cases} 个用例）",
                f"coverage {cov.ruleset} ({cov.cases} cases)",
            )
        )
        for category, label in CATEGORIES.items():
            entries = cov.items.get(category, {})
            if not entries:
                continue
            done = sum(entries.values())
            lines.append(f"  {say(lang, *label)}: {done}/{len(entries)}")
            missing = [item for item, hit in entries.items() if not hit]
            if missing:
                lines.append("    " + say(lang, "未覆盖：", "not exercised: ") + "、".join(missing))
    return "\n".join(lines)
