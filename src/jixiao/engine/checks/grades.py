"""Grade bands cover 0 to 总分 exactly once: no gap, no overlap, nothing outside."""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Diagnostic
from jixiao.engine.methods import fmt, numeric_met
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import RangeTarget


def check(ruleset: Ruleset) -> list[Diagnostic]:
    grades = ruleset.rules.grades
    if grades is None:
        return []
    total = ruleset.rules.total
    out = _outside(grades, total)
    problem = _coverage(grades, total)
    if problem is not None:
        kind, detail = problem
        out.append(Diagnostic("E403", grades.span, {"problem": kind, "detail": detail, "total": fmt(total)}))
    return out


def _outside(grades: n.Grades, total: Fraction) -> list[Diagnostic]:
    out = []
    for grade in grades.grades:
        bounds = _bounds(grade)
        if any(b < 0 or b > total for b in bounds):
            out.append(
                Diagnostic(
                    "E403",
                    grade.span,
                    {
                        "problem": ("越界", "a bound out of range"),
                        "detail": f"{grade.name} {grade.text}",
                        "total": fmt(total),
                    },
                )
            )
    return out


def _bounds(grade: n.Grade) -> list[Fraction]:
    cond = grade.condition
    if cond is None:
        return []
    if isinstance(cond, RangeTarget):
        return [cond.low.base, cond.high.base]
    return [cond.quantity.base]


def _coverage(grades: n.Grades, total: Fraction) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """Probe every bound, just below and just above it: each point must match exactly one band."""
    points = {Fraction(0), total}
    for grade in grades.grades:
        for b in _bounds(grade):
            points |= {b, b - Fraction(1, 1000), b + Fraction(1, 1000)}
    for p in sorted(x for x in points if 0 <= x <= total):
        matched = _matching(grades, p)
        if len(matched) == 0:
            return ("空档", "a gap"), (f"{fmt(p)} 不属于任何等级", f"{fmt(p)} is in no grade")
        if len(matched) > 1 and not _first_match_ok(grades):
            names = "、".join(matched)
            return ("重叠", "an overlap"), (f"{fmt(p)} 同时属于 {names}", f"{fmt(p)} is in {names}")
    return None


def _matching(grades: n.Grades, p: Fraction) -> list[str]:
    matched = [g.name for g in grades.grades if g.condition is not None and numeric_met(g.condition, p)]
    if not matched and any(g.condition is None for g in grades.grades):
        matched = [next(g.name for g in grades.grades if g.condition is None)]
    return matched


def _first_match_ok(grades: n.Grades) -> bool:
    """`优 ≥90 良 ≥80 …` is read top-down (first match wins): thresholds must then descend."""
    bounds = [_bounds(g) for g in grades.grades if g.condition is not None]
    singles = [b[0] for b in bounds if len(b) == 1]
    return len(singles) == len(bounds) and singles == sorted(singles, reverse=True)
