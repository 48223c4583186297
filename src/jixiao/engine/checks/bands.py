"""Scales and method bands: levels in order and inside 0–100%, bands without holes.

A scale lists its levels from the highest score down, each within 0%–100%. A
分档 method's pieces (`≥95% → 100%; ≥90% → 80%`) give results within 0–100%
and, unless one says 否则, cover every value the actual can take: a hole is a
warning (the evaluator scores it 0).
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Severity
from jixiao.engine.methods import fmt, numeric_met
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import NumericTarget, RangeTarget

ONE = Fraction(1)
EPSILON = Fraction(1, 10**6)


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for scale in _own_scales(ruleset):
        out.extend(_scale_range(scale))
        out.extend(_scale_order(scale))
    for method in _methods(ruleset):
        out.extend(_band_results(method))
        out.extend(_band_holes(method))
    return out


def _own_scales(ruleset: Ruleset) -> list[n.Scale]:
    """Scales in force whose text is in this ruleset or its policies (all of `rules.scales`)."""
    return list(ruleset.rules.scales.values())


def _methods(ruleset: Ruleset) -> list[n.Method]:
    methods = [r.method for r in ruleset.rules.kinds.values()]
    return methods + [i.method for i in ruleset.indicators if i.method is not None]


def _scale_range(scale: n.Scale) -> list[Diagnostic]:
    out = []
    for level in scale.levels:
        values = [level.low, level.high] + ([level.point] if level.point is not None else [])
        if any(v < 0 or v > ONE for v in values):
            what = (f"量表「{scale.name}」的档次", f"a level of the scale “{scale.name}”")
            out.append(
                Diagnostic("E405", level.span, {"what": what, "detail": f"{level.words[0]} {level.text}"})
            )
    return out


def _scale_order(scale: n.Scale) -> list[Diagnostic]:
    for before, after in zip(scale.levels, scale.levels[1:], strict=False):
        if (after.high, after.low) > (before.high, before.low):
            detail = f"{before.words[0]} {before.text} → {after.words[0]} {after.text}"
            return [Diagnostic("E406", after.span, {"scale": scale.name, "detail": detail})]
    return []


def _band_results(method: n.Method) -> list[Diagnostic]:
    out = []
    for band in method.bands:
        result = band.result
        if isinstance(result, n.Num) and result.unit in ("%", "‰") and not 0 <= result.value <= ONE:
            what = ("分档的得分比例", "a band's score")
            detail = f"{band.condition_text} → {fmt(result.value * 100)}%"
            out.append(Diagnostic("E405", result.span, {"what": what, "detail": detail}))
    return out


def _band_holes(method: n.Method) -> list[Diagnostic]:
    bands = method.bands
    if not bands or any(b.condition is None for b in bands):
        return []
    targets = [b.condition for b in bands if isinstance(b.condition, NumericTarget | RangeTarget)]
    if len(targets) != len(bands):
        return []
    hole = _first_hole(targets)
    if hole is None:
        return []
    percent = all(_dimension(t) == "%" for t in targets)
    above = [b for t in targets for b in _bounds(t) if b > hole]
    detail = _hole_text(hole, min(above) if above else None, percent)
    return [Diagnostic("W101", method.span, {"detail": detail}, severity=Severity.WARNING)]


def _hole_text(start: Fraction, end: Fraction | None, percent: bool) -> tuple[str, str]:
    def show(x: Fraction) -> str:
        return f"{fmt(x * 100)}%" if percent else fmt(x)

    if end is None:
        return (f"{show(start)} 以上不属于任何一档", f"values above {show(start)} fall in no band")
    if start == 0:
        return (f"低于 {show(end)} 不属于任何一档", f"values below {show(end)} fall in no band")
    return (
        f"{show(start)} 附近（低于 {show(end)}）不属于任何一档",
        f"values near {show(start)} fall in no band",
    )


def _dimension(target: NumericTarget | RangeTarget) -> str:
    return target.quantity.dimension if isinstance(target, NumericTarget) else target.low.dimension


def _first_hole(targets: list[NumericTarget | RangeTarget]) -> Fraction | None:
    """The lowest probe value (from 0 up) that no band matches, or None."""
    points = {Fraction(0)}
    for t in targets:
        for b in _bounds(t):
            points |= {b, b - EPSILON, b + EPSILON}
    points.add(max(points) * 2 + 1)
    for p in sorted(x for x in points if x >= 0):
        if not any(numeric_met(t, p) for t in targets):
            return p
    return None


def _bounds(target: NumericTarget | RangeTarget) -> list[Fraction]:
    if isinstance(target, NumericTarget):
        return [target.quantity.base]
    return [target.low.base, target.high.base]
