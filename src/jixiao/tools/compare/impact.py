"""The impact of a rule change: the same actual values scored under both rulesets.

Rows of the actual-value file are bound to indicators per side: a row for an
indicator that was renamed or moved is re-labelled to its new name, a row
for a removed indicator is left out of the new side (and a row for an added
one out of the old side). Weights that do not add up yet (E401, E404) do not
stop the comparison; they are reported as notes.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity
from jixiao.engine import evaluate
from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.engine.checks import run_checks
from jixiao.engine.compiler import compile_plan
from jixiao.engine.plan import Plan
from jixiao.engine.resolve import Ruleset, require_project
from jixiao.engine.results import Figure, Result
from jixiao.io.actuals import read_actuals
from jixiao.language import nodes as n
from jixiao.language.rounding import format_fixed
from jixiao.messages import Lang
from jixiao.tools.compare.match import Pair
from jixiao.tools.compare.model import Impact, ImpactRow

TOLERATED = frozenset({"E401", "E404"})  # weights that do not add up: still scorable
BUDGET_ROW = n.BUDGET_LEVEL


def compile_side(ruleset: Ruleset, lang: Lang, side: str) -> tuple[Plan, list[str]]:
    """The plan for one side, and notes for the check errors that do not prevent scoring."""
    errors = [d for d in run_checks(ruleset) if d.severity is Severity.ERROR]
    hard = [d for d in errors if d.code not in TOLERATED]
    if hard:
        raise JixiaoError(hard)
    require_project(ruleset)
    return compile_plan(ruleset), [f"{side}: {d.message(lang)}" for d in errors]


def impact(old: Ruleset, new: Ruleset, pairs: list[Pair], path: str, lang: Lang) -> Impact:
    actuals = read_actuals(path)
    old_ev, old_notes = compile_side(old, lang, "旧规则" if lang == "zh" else "old")
    new_ev, new_notes = compile_side(new, lang, "新规则" if lang == "zh" else "new")
    old_result = evaluate.score(old_ev, side_actuals(actuals, old.indicators, {}))
    renames: dict[int, n.Indicator | None] = {id(p.old): p.new for p in pairs if p.old and p.new}
    _require_values(new, pairs, actuals, renames)
    new_result = evaluate.score(new_ev, side_actuals(actuals, new.indicators, renames, old.indicators))
    return Impact(
        actuals=path,
        rows=_rows(pairs, old_result, new_result),
        old_total=old_result.total.text(),
        new_total=new_result.total.text(),
        delta=signed(new_result.total, old_result.total),
        old_grade=old_result.grade,
        new_grade=new_result.grade,
        notes=old_notes + new_notes,
    )


# -- binding rows per side ---------------------------------------------------------------------


def bind(entry: Entry, indicators: tuple[n.Indicator, ...]) -> n.Indicator | None:
    """The indicator a row names (its levels narrow the name when given), if exactly one."""
    row = entry.row
    found = [
        i
        for i in indicators
        if i.name == row.name
        and (not row.level1 or i.level1 == row.level1)
        and (not row.level2 or i.level2 == row.level2)
    ]
    return found[0] if len(found) == 1 else None


def side_actuals(
    actuals: ActualsFile,
    indicators: tuple[n.Indicator, ...],
    renames: dict[int, n.Indicator | None],
    old_indicators: tuple[n.Indicator, ...] = (),
) -> ActualsFile:
    """The rows that belong to one side's indicators, re-labelled where an indicator was renamed or moved."""
    entries: list[Entry] = []
    fed: set[str] = set()
    for entry in actuals.entries:
        target = _new_home(entry, indicators, renames, old_indicators)
        if target is not None and target.path not in fed:
            fed.add(target.path)
            entries.append(_relabel(entry, target))
    return dataclasses.replace(actuals, entries=entries, diagnostics=[])


def _new_home(
    entry: Entry,
    indicators: tuple[n.Indicator, ...],
    renames: dict[int, n.Indicator | None],
    old_indicators: tuple[n.Indicator, ...],
) -> n.Indicator | None:
    if old_indicators:
        old = bind(entry, old_indicators)
        if old is not None:
            return renames.get(id(old))
    return bind(entry, indicators)


def _relabel(entry: Entry, indicator: n.Indicator) -> Entry:
    row = entry.row
    if (row.level1 or indicator.level1, row.level2 or indicator.level2, row.name) == (
        indicator.level1,
        indicator.level2,
        indicator.name,
    ):
        return entry
    update = {"level1": indicator.level1, "level2": indicator.level2, "name": indicator.name}
    return dataclasses.replace(entry, row=row.model_copy(update=update))


def _require_values(
    new: Ruleset, pairs: list[Pair], actuals: ActualsFile, renames: dict[int, n.Indicator | None]
) -> None:
    """An indicator added in the new ruleset needs its actual value in the file."""
    fed = side_actuals(actuals, new.indicators, renames, tuple(p.old for p in pairs if p.old is not None))
    have = {i.path for e in fed.entries if (i := bind(e, new.indicators)) is not None}
    missing = [
        Diagnostic("E701", i.span, {"name": i.path, "actuals": actuals.path})
        for i in new.indicators
        if i.path not in have and i.actual is None
    ]
    if missing:
        raise JixiaoError(missing)


# -- rows --------------------------------------------------------------------------------------------


def _rows(pairs: list[Pair], old: Result, new: Result) -> list[ImpactRow]:
    rows = [_budget_row(old, new)] if old.budget or new.budget else []
    before = {f"{r.level1}/{r.level2}/{r.name}": r.score for r in old.indicators}
    after = {f"{r.level1}/{r.level2}/{r.name}": r.score for r in new.indicators}
    for pair in pairs:
        a = before.get(pair.old.path) if pair.old else None
        b = after.get(pair.new.path) if pair.new else None
        path = (pair.new or pair.old).path  # type: ignore[union-attr]
        old_path = pair.old.path if pair.old and pair.new and pair.old.path != pair.new.path else None
        rows.append(_row(path, old_path, pair, a, b))
    return rows


def _row(path: str, old_path: str | None, pair: Pair, a: Figure | None, b: Figure | None) -> ImpactRow:
    status = "added" if pair.old is None else "removed" if pair.new is None else "same"
    delta = signed(b, a) if a is not None and b is not None else None
    if status == "same" and ((delta is None and (a is None) != (b is None)) or (delta and _nonzero(delta))):
        status = "changed"
    return ImpactRow(
        path=path,
        old_path=old_path,
        status=status,  # type: ignore[arg-type]
        old_score=a.text() if a else None,
        new_score=b.text() if b else None,
        delta=delta,
    )


def _budget_row(old: Result, new: Result) -> ImpactRow:
    a = old.budget.score if old.budget and old.budget.counted else None
    b = new.budget.score if new.budget and new.budget.counted else None
    delta = signed(b, a) if a is not None and b is not None else None
    changed = (a is None) != (b is None) or bool(delta and _nonzero(delta))
    return ImpactRow(
        path=BUDGET_ROW,
        status="changed" if changed else "same",
        old_score=a.text() if a else None,
        new_score=b.text() if b else None,
        delta=delta,
    )


def signed(new: Figure, old: Figure) -> str:
    """new − old with a sign, to the places the two figures show: "+1.50", "-0.70", "0.00"."""
    digits = max(d for d in (new.digits, old.digits, 0) if d is not None)
    d: Fraction = new.value - old.value
    text = format_fixed(abs(d), digits)
    if _nonzero(text):
        return ("+" if d > 0 else "-") + text
    return text


def _nonzero(text: str) -> bool:
    return any(ch not in "0.+-" for ch in text)
