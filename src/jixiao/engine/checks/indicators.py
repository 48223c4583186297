"""Every indicator has a target and a positive weight; names are unique within a 二级指标."""

from __future__ import annotations

from jixiao.diagnostics import Diagnostic
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import DeadlineTarget
from jixiao.language.vocabulary import FILE_SCORED, name_key


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[tuple[str, str, str], int] = {}
    for ind in ruleset.indicators:
        if ind.breakdown_of is not None:
            out.extend(_breakdown(ind))
            continue
        if ind.subtotal:
            continue  # its weight is checked against its block's (weights.py, E412)
        key = (name_key(ind.level1), name_key(ind.level2), name_key(ind.name))
        if key in seen:
            out.append(Diagnostic("E205", ind.span, {"name": ind.name, "first_line": seen[key]}))
        seen.setdefault(key, ind.span.line)
        if ind.weight is None:
            out.append(Diagnostic("E103", ind.span, {"name": ind.name}))
        elif ind.weight <= 0:
            out.append(Diagnostic("E402", ind.weight_span or ind.span, {"weight": str(ind.weight)}))
        from_file = ind.method is not None and ind.method.id in FILE_SCORED
        bad_target = ind.target_span is not None  # a target was written but could not be read (E111)
        if ind.target is None and ind.score is None and not from_file and not bad_target:
            out.append(Diagnostic("E114", ind.span, {"name": ind.name}))
        out.extend(_no_such_day(ind, ruleset.document.year))
    return out


def _no_such_day(ind: n.Indicator, year: int | None) -> list[Diagnostic]:
    """E111 for a deadline whose day is not in the project's year (2月29日前 in 2023): it reads only with a
    year, which the literal alone does not have."""
    target = ind.target
    if year is None or not isinstance(target, DeadlineTarget) or target.date.exists_in(year):
        return []
    date = target.date
    reason = (
        f"{year}年（项目的年度）没有{date.month}月{date.day}日",
        f"{year} (the project's year) has no {date.month}/{date.day}",
    )
    return [Diagnostic("E111", ind.target_span or ind.span, {"text": ind.target_text, "reason": reason})]


def _breakdown(ind: n.Indicator) -> list[Diagnostic]:
    """A 其中 row is shown, never scored: it has no weight (E410)."""
    if ind.weight is None:
        return []
    return [Diagnostic("E410", ind.weight_span or ind.span, {"name": ind.name, "parent": ind.breakdown_of})]
