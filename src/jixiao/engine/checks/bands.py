"""Scales and method bands: levels in order and inside 0–100%, bands without holes.

A scale lists its levels from the highest score down, each within 0%–100%. A
分档 method's pieces (`≥95% → 100%; ≥90% → 80%`) give results within 0–100%
and, unless one says 否则, cover every value the actual can take: a hole is a
warning (the evaluator scores it 0).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Severity
from jixiao.engine.checks.intervals import (
    HIGHEST,
    Cut,
    Interval,
    above,
    before_de,
    below,
    describe,
    holes,
    interval,
)
from jixiao.engine.compiler import directed
from jixiao.engine.methods import fmt, kind_of
from jixiao.engine.resolve import Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import NumericTarget, RangeTarget

ONE = Fraction(1)


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for scale in _own_scales(ruleset):
        out.extend(_scale_range(scale))
        out.extend(_scale_order(scale))
    for method in _methods(ruleset):
        out.extend(_band_results(method))
        out.extend(_band_holes(method))
        out.extend(_unreachable(method))
    for ind in ruleset.indicators:
        if ind.method is not None and ind.weight is not None:
            out.extend(_band_points(ind.method, ind.weight))
        else:
            out.extend(_policy_band_points(ind, ruleset.rules))
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


def _signed(result: n.Expr) -> tuple[Fraction, str] | None:
    """A band's result that is a number, with any minus signs written before it (`→ -2分` is stored as a
    negated number, `Neg(Num)`): its value and unit; None for a formula."""
    sign = 1
    while isinstance(result, n.Neg):  # bounded: E904 caps the signs nested in one formula
        sign, result = -sign, result.operand
    return (sign * result.value, result.unit) if isinstance(result, n.Num) else None


def _band_results(method: n.Method) -> list[Diagnostic]:
    """A % result lies within 0%–100%; a result in points below 0 (a band's score is never negative:
    deductions are 扣分) is E405 here too, for bands of a kind of target that have no weight of their own."""
    out = []
    for band in method.bands:
        found = _signed(band.result)
        if found is None:
            continue
        value, unit = found
        if unit in ("%", "‰") and not 0 <= value <= ONE:
            what = ("分档的得分比例", "a band's score")
            detail = f"{band.condition_text} → {fmt(value * 100)}%"
            out.append(Diagnostic("E405", band.result.span, {"what": what, "detail": detail}))
        elif unit in ("", "分") and value < 0:
            below = (
                f"{band.condition_text} → {fmt(value)}分，得分不能为负（按次扣分用 扣分 方法）",
                f"{band.condition_text} → {fmt(value)} points: a score is never negative (deduct)",
            )
            what = ("分档得分", "a band's score")
            out.append(Diagnostic("E405", band.result.span, {"what": what, "detail": below}))
    return out


def _band_points(method: n.Method, weight: Fraction) -> list[Diagnostic]:
    """A result in points (`→ 50分`, `→ 8`) lies within 0 and the weight, as a % one within 0–100% (E405);
    below 0 it is reported by `_band_results`."""
    out = []
    for band in method.bands:
        found = _signed(band.result)
        if found is None or found[1] not in ("", "分") or not found[0] > weight:
            continue
        value = found[0]
        share = fmt(value / weight * 100)
        detail = (
            f"{band.condition_text} → {fmt(value)}分，是分值 {fmt(weight)} 的 {share}%",
            f"{band.condition_text} → {fmt(value)} points, {share}% of the weight {fmt(weight)}",
        )
        out.append(
            Diagnostic("E405", band.result.span, {"what": ("分档得分", "a band's score"), "detail": detail})
        )
    return out


def _policy_band_points(ind: n.Indicator, rules: Rules) -> list[Diagnostic]:
    """A policy's 分档 (`正向 分档 { ≥100% → 8分 … }`) scores every indicator of its kind with the same
    points, whatever each one's weight: a band above this indicator's weight is E416, at the indicator,
    naming the band's file and line (an indicator of weight 5 would score 8, or be capped unsaid).

    Only an indicator the band scores: no method or 得分 = … of its own, a weight above 0 (a row of
    weight 0 scores 0), not a breakdown (其中) or subtotal (小计) row, which are never scored.
    """
    weight = ind.weight
    if ind.score is not None or weight is None or weight <= 0 or ind.breakdown_of is not None or ind.subtotal:
        return []
    target = directed(ind, rules)
    rule = rules.kinds.get(kind_of(target) if target is not None else "higher")
    if rule is None:
        return []
    over = [
        (found[0], b)
        for b in rule.method.bands
        if (found := _signed(b.result)) is not None and found[1] in ("", "分") and found[0] > weight
    ]
    if not over:
        return []
    value, band = max(over, key=lambda pair: pair[0])
    points, share = fmt(value), fmt(value / weight * 100)
    detail = (
        f"{band.condition_text} → {points}分，是分值 {fmt(weight)} 的 {share}%",
        f"{band.condition_text} → {points} points, {share}% of the weight {fmt(weight)}",
    )
    args: dict[str, object] = {
        "name": ind.name,
        "weight": fmt(weight),
        "points": points,
        "where": f"{band.span.path}:{band.span.line}",
        "detail": detail,
    }
    return [Diagnostic("E416", ind.weight_span or ind.span, args)]


def _band_holes(method: n.Method) -> list[Diagnostic]:
    """The values from 0 up that no band holds (W101), every hole said exactly (`90% 到 95% 之间`)."""
    bands = method.bands
    if not bands or any(b.condition is None for b in bands):
        return []
    targets = [b.condition for b in bands if isinstance(b.condition, NumericTarget | RangeTarget)]
    if len(targets) != len(bands):
        return []
    domain = (below(Fraction(0)), HIGHEST)
    found = holes([interval(t) for t in targets], domain)
    if not found:
        return []
    show = _shown(all(_dimension(t) == "%" for t in targets))
    parts = [describe(hole, show, domain) for hole in found]
    zh, en = "、".join(p[0] for p in parts), ", ".join(p[1] for p in parts)
    detail = (f"{before_de(zh)}的值不属于任何一档", f"values {en} fall in no band")
    return [Diagnostic("W101", method.span, {"detail": detail}, severity=Severity.WARNING)]


def _shown(percent: bool) -> Callable[[Fraction], str]:
    def show(x: Fraction) -> str:
        return f"{fmt(x * 100)}%" if percent else fmt(x)

    return show


def _dimension(target: NumericTarget | RangeTarget) -> str:
    return target.quantity.dimension if isinstance(target, NumericTarget) else target.low.dimension


# -- bands the bands above them hide ----------------------------------------------------------------
# A band's condition is an interval of the value it tests (`checks/intervals.py`). The intervals of the
# bands above, merged where they meet, are kept sorted: a band is hidden when one of them holds its whole
# interval (one bisection per band).

SHOWN = 3  # bands named in the message


@dataclass
class _Held:
    """Merged intervals of the bands above, and the first few of those bands (for the message)."""

    starts: list[Cut]
    ends: list[Cut]
    bands: list[list[str]]


def _unreachable(method: n.Method) -> list[Diagnostic]:
    """Bands no value reaches: after 否则, or inside what the bands above on the same axis already hold."""
    out: list[Diagnostic] = []
    held: dict[str, _Held] = {}  # by the dimension of the condition: % bands may test actual ÷ target
    otherwise: n.Band | None = None
    for band in method.bands:
        cond = band.condition
        if otherwise is not None:
            out.append(_hidden(band, [otherwise.condition_text]))
            continue
        if cond is None:
            otherwise = band
            continue
        start, end = interval(cond)
        axis = held.setdefault(_dimension(cond), _Held([], [], []))
        if start >= end:
            out.append(_hidden(band, []))
            continue
        i = bisect_right(axis.starts, start) - 1
        if i >= 0 and axis.ends[i] >= end:
            out.append(_hidden(band, axis.bands[i]))
            continue
        if isinstance(cond, RangeTarget):
            out.extend(_partly_held(band, axis, (start, end), _shown(_dimension(cond) == "%")))
        _hold(axis, start, end, band.condition_text)
    return out


def _partly_held(
    band: n.Band, axis: _Held, part: Interval, show: Callable[[Fraction], str]
) -> list[Diagnostic]:
    """A range (`[85%,95%)`) some of whose values the bands above already hold (W114): written with both
    ends, it was meant to sit beside them, not to lose a part. A shared end (`[90%,100%]` then
    `[80%,90%]`: 90% is the upper band's, as 90 含 is 优) and a one-sided band after another (`≥95%`
    then `≥90%`, read top-down) are how tables are written, and are not said. The merged intervals it
    shares values with are merged into it next (`_hold`), so each is looked at once."""
    start, end = part
    shared = []
    for k in range(bisect_right(axis.ends, start), bisect_left(axis.starts, end)):
        both = (max(start, axis.starts[k]), min(end, axis.ends[k]))
        if both != (below(both[0][1]), above(both[0][1])):  # more than one value
            shared.append((describe(both, show), axis.bands[k]))
    if not shared:
        return []
    zh = "；".join(f"{before_de(words[0])}的值已属于前面的{_quoted(texts)}" for words, texts in shared)
    en = "; ".join(
        f"values {words[1]} belong to the bands above ({', '.join(texts)})" for words, texts in shared
    )
    args: dict[str, object] = {"band": band.condition_text, "detail": (zh, en)}
    return [Diagnostic("W114", band.span, args, severity=Severity.WARNING)]


def _quoted(texts: list[str]) -> str:
    return "".join(f"「{t}」" if t != "…" else "等" for t in texts)


def _hold(axis: _Held, start: Cut, end: Cut, text: str) -> None:
    """Add [start, end] to the merged intervals, joining those it overlaps or meets."""
    first = bisect_left(axis.ends, start)  # intervals ending before `start` stay
    last = bisect_right(axis.starts, end)  # intervals starting after `end` stay
    texts = [t for group in axis.bands[first:last] for t in group if t != "…"] + [text]
    more = len(texts) > SHOWN or any("…" in group for group in axis.bands[first:last])
    axis.starts[first:last] = [min([start, *axis.starts[first:last]])]
    axis.ends[first:last] = [max([end, *axis.ends[first:last]])]
    axis.bands[first:last] = [texts[:SHOWN] + (["…"] if more else [])]


def _hidden(band: n.Band, above: list[str]) -> Diagnostic:
    if above:
        detail = (
            f"前面的{_quoted(above)}已包括它的所有值",
            f"the bands above ({', '.join(above)}) hold all its values",
        )
    else:
        detail = ("没有值落在这个区间", "no value lies in its interval")
    return Diagnostic(
        "W107", band.span, {"band": band.condition_text, "detail": detail}, severity=Severity.WARNING
    )
