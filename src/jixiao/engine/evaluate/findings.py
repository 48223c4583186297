"""Findings on a scored indicator: over-achievement, manual adjustments, missing explanations."""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.engine.actuals import ActualsFile, Entry, explains
from jixiao.engine.evaluate.base import Failed, RunBase, adjusted_points, adjustment_problem
from jixiao.engine.methods import fmt
from jixiao.engine.plan import IndicatorPlan
from jixiao.engine.results import Figure, Finding, Step
from jixiao.language.nodes import ScaleLevel
from jixiao.language.quantity import NumericActual, NumericTarget
from jixiao.language.rounding import format_fixed


class FindingsMixin(RunBase):
    # -- over-achievement, adjustments, explanations -------------------------------------------------------
    def _over(
        self, plan: IndicatorPlan, actual: object, points: Fraction, findings: list[Finding]
    ) -> Fraction:
        points, finding = over_achieved(plan, actual, points)
        if finding is not None:
            findings.append(finding)
        return points

    def _adjustment(
        self,
        plan: IndicatorPlan,
        entry: Entry | None,
        score: Fraction,
        findings: list[Finding],
        band: ScaleLevel | None = None,
    ) -> Figure | None:
        if entry is None or not entry.row.adjusted:
            return None
        value = self._adjusted_value(plan, entry, band)
        findings.append(
            Finding(
                "F104",
                plan.path,
                {
                    "formula": fmt(score) if band is None else _band_formula(band),
                    "adjusted": fmt(value),
                    "reason": entry.row.reason,
                },
            )
        )
        digits = len(entry.row.adjusted.split(".")[1]) if "." in entry.row.adjusted else 0
        return Figure(value, max(digits, plan.stage.digits or 0))

    def _adjusted_value(self, plan: IndicatorPlan, entry: Entry, band: ScaleLevel | None = None) -> Fraction:
        """The 调整得分 cell: 0 to the weight (inside the band, if any), with a reason (else E511)."""
        span = entry.span("adjusted")
        value = adjusted_points(entry.row.adjusted, plan.weight)
        if isinstance(value, tuple):
            self._error("E511", span, score=entry.row.adjusted, problem=value, weight=fmt(plan.weight))
            raise Failed
        problem = adjustment_problem(value, plan.weight, entry.row.reason) or _outside_band(value, plan, band)
        if problem is not None:
            self._error("E511", span, score=entry.row.adjusted, problem=problem, weight=fmt(plan.weight))
            raise Failed
        return value

    def _explain_required(
        self, plan: IndicatorPlan, actual: object, score: Fraction, note: str, findings: list[Finding]
    ) -> None:
        if explains(note) or not self.ev.explain:
            return
        env = self._env(plan, actual)
        env.values["得分"] = score
        if any(self._condition(c, env) for c in self.ev.explain):
            findings.append(Finding("F101", plan.path, {}))


def over_achieved(plan: IndicatorPlan, actual: object, points: Fraction) -> tuple[Fraction, Finding | None]:
    """超额: an actual above the threshold share of its target is F102 (and marked down if declared)."""
    over, target = plan.over, plan.indicator.target
    if over is None or plan.kind not in ("higher", "equal") or not isinstance(actual, NumericActual):
        return points, None
    if not isinstance(target, NumericTarget):  # a formula-only indicator has no target to exceed
        return points, None
    t = target.quantity.base
    if t <= 0:
        return points, None
    share = actual.quantity.base / t
    if not (share > over.threshold or (over.inclusive and share == over.threshold)):
        return points, None
    args: dict[str, object] = {
        "actual": actual.quantity.text(),
        "ratio": f"{format_fixed(share * 100, 2)}%",
        "threshold": over.text,
    }
    marked = points - over.deduct * plan.weight if over.deduct is not None else points
    return marked, Finding("F102", plan.path, args)


def _band_formula(band: ScaleLevel) -> tuple[str, str]:
    """F104's formula score of a band word: none, and the band the evaluator scored in."""
    return f"—（{band.words[0]} {band.text}）", f"— ({band.words[0]} {band.text})"


def marked_down_step(plan: IndicatorPlan, before: Fraction, after: Fraction) -> Step:
    """超额 … 扣减: the share of the weight taken off the method's points (before the cap to 0–分值)."""
    assert plan.over is not None and plan.over.deduct is not None
    share, weight, cut = f"{fmt(plan.over.deduct * 100)}%", fmt(plan.weight), fmt(before - after)
    return Step(
        lambda: (
            f"超额扣减 {share} × {weight} = {cut}：{fmt(before)} − {cut} = {fmt(after)}",
            f"over-achievement mark-down {share} × {weight} = {cut}: {fmt(before)} − {cut} = {fmt(after)}",
        )
    )


def _outside_band(value: Fraction, plan: IndicatorPlan, band: ScaleLevel | None) -> tuple[str, str] | None:
    """A score given for a band word (部分达成 …) must lie inside that band of the weight."""
    if band is None:
        return None
    low, high = band.low * plan.weight, band.high * plan.weight
    above = value >= low if band.low_inclusive else value > low
    below = value <= high if band.high_inclusive else value < high
    if above and below:
        return None
    return (
        f"不在档次「{band.words[0]}」{band.text} 的得分范围 {fmt(low)}–{fmt(high)} 内",
        f"is outside the band “{band.words[0]}” {band.text}, i.e. {fmt(low)}–{fmt(high)}",
    )


def other_year(actuals: ActualsFile, year: int | None) -> str | None:
    """The table's year (its title's 2019年度) when the ruleset's 年度 is another one, else None (also when
    either gives none). Once per file: the fast evaluators decline such a file, the reference says F138."""
    if year is None or not actuals.info:
        return None
    printed = actuals.info.get("年度", "")
    return printed if printed.isdigit() and int(printed) != year else None


def year_finding(printed: str, year: int, span: Span | None = None) -> Finding:
    """F138, at the title cell that gives the table's year (`ActualsFile.year_span`) where it is known."""
    return Finding("F138", None, {"table": printed, "rules": year}, span)
