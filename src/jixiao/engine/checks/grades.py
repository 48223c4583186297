"""Grade bands cover 0 to 总分 exactly once: no gap, no overlap, nothing outside.

Each grade's condition is an exact interval of the total (`checks/intervals.py`): a gap or an overlap is
said as the values it holds (`89 到 90 之间的总分不属于任何等级`), every one of them in one E403.
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Diagnostic
from jixiao.engine.checks.intervals import (
    Interval,
    above,
    before_de,
    below,
    describe,
    holes,
    interval,
    shared,
)
from jixiao.engine.methods import fmt
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
    return _placed(out, ruleset) if out else out


def _placed(found: list[Diagnostic], ruleset: Ruleset) -> list[Diagnostic]:
    """E403 where a file changed 总分 under grades written in another (a project's 总分 80 under a policy's
    优 [90,100]): one E403 at that 总分 (the change; the excerpt shows it), naming each grade's file and
    line (the policy's grades are not this file's mistake, and may be a packaged file). Grades written in
    the ruleset's own file stay where they are."""
    total_span = ruleset.rules.total_span
    grades = ruleset.rules.grades
    if total_span is None or grades is None or grades.span.path in (total_span.path, ruleset.path):
        return found
    total = f"{total_span.path}:{total_span.line}"
    value = str(found[0].args["total"])
    parts = [_with_places(d) for d in found]
    problems = [_pair(d.args["problem"]) for d in found]
    args: dict[str, object] = {
        "problem": (
            "、".join(dict.fromkeys(p[0] for p in problems)),
            ", ".join(dict.fromkeys(p[1] for p in problems)),
        ),
        "detail": (
            f"{'；'.join(p[0] for p in parts)}；总分 {value} 写在 {total}，评分办法的等级不再适用："
            f"请在这里写出自己的「等级」",
            f"{'; '.join(p[1] for p in parts)}; the total {value} is set at {total}, where the policy's "
            "grades no longer fit: write this file's own grades",
        ),
        "total": value,
    }
    return [Diagnostic("E403", total_span, args)]


def _with_places(diag: Diagnostic) -> tuple[str, str]:
    """The diagnostic's detail followed by the grade's file and line (`(central.jx:54)`)."""
    zh, en = _pair(diag.args["detail"])
    where = f"{diag.span.path}:{diag.span.line}" if diag.span is not None else ""
    return f"{zh}（{where}）", f"{en} ({where})"


def _pair(value: object) -> tuple[str, str]:
    return (value[0], value[1]) if isinstance(value, tuple) else (str(value), str(value))


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
    """Every gap between 0 and 总分 (none with a 其余 grade), else every overlap (unless read top-down)."""
    domain = (below(Fraction(0)), above(total))
    named = [(g.name, interval(g.condition)) for g in grades.grades if g.condition is not None]
    if len(named) == len(grades.grades):
        gaps = holes([i for _, i in named], domain)
        if gaps:
            parts = [describe(gap, fmt, domain) for gap in gaps]
            zh = f"{before_de('、'.join(p[0] for p in parts))}的总分不属于任何等级"
            en = f"totals {', '.join(p[1] for p in parts)} are in no grade"
            return ("空档", "a gap"), (zh, en)
    if _first_match_ok(grades):
        return None
    both = [(_within(part, domain), a, b) for part, a, b in shared(named)]
    overlaps = [(part, a, b) for part, a, b in both if part[0] < part[1]]
    if not overlaps:
        return None
    said = [(describe(part, fmt, domain), a, b) for part, a, b in overlaps]
    zh = "；".join(f"{before_de(words[0])}的总分同时属于 {a}、{b}" for words, a, b in said)
    en = "; ".join(f"totals {words[1]} are in both {a} and {b}" for words, a, b in said)
    return ("重叠", "an overlap"), (zh, en)


def _within(part: Interval, domain: Interval) -> Interval:
    return max(part[0], domain[0]), min(part[1], domain[1])


def _first_match_ok(grades: n.Grades) -> bool:
    """`优 ≥90 良 ≥80 …` is read top-down (first match wins): thresholds must then descend."""
    bounds = [_bounds(g) for g in grades.grades if g.condition is not None]
    singles = [b[0] for b in bounds if len(b) == 1]
    return len(singles) == len(bounds) and singles == sorted(singles, reverse=True)
