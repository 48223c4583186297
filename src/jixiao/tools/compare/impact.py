"""The impact of a rule change: the same actual values scored under both rulesets.

Each side reads the actual-value file as `score` does under that side's
ruleset (names matched as `score` matches them, the file's own errors
reported), with one addition, through the pairs: a row may name an indicator
by its old or its new name (a file written for either year works), and is
re-labelled to the side's name; a row for an indicator only the other side has
is left out (`Binder`). An indicator with no row on a side (added this year, or
a file that lacks it) is scored as 不适用 there and its row is marked "missing"
with a W140 note, so the rest of the comparison still stands. Weights that do
not add up yet (E401, E404) do not stop the comparison either; they are
reported as notes. A side that cannot score the file (E511, E510, E507 …) has
no total and its errors, led by the side's name (`OnSide`); the other side is
scored all the same.

The rows' deltas add up to the total's: what no row explains — 不适用 rescaling (按百分制折算), the
total's rounding (舍入 合计), the score of a row without an actual value on one side — is its own last row,
「折算与舍入」 (`status` "residual"), shown only when it is not zero.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.engine import evaluate
from jixiao.engine.actuals import ActualRow, ActualsFile, Entry
from jixiao.engine.checks import run_checks
from jixiao.engine.compiler import compile_plan
from jixiao.engine.evaluate.run import Named, hidden_note, indicators_by_name, named_candidates, row_key
from jixiao.engine.plan import Plan
from jixiao.engine.resolve import Ruleset, require_project
from jixiao.engine.results import Figure, Result
from jixiao.io.render.report import diagnostic_report
from jixiao.io.schema import DiagnosticReport
from jixiao.language import nodes as n
from jixiao.language.quantity import NotApplicable
from jixiao.language.rounding import decimal_places, format_fixed
from jixiao.messages import Lang
from jixiao.tools.compare.match import Pair
from jixiao.tools.compare.model import Impact, ImpactRow
from jixiao.tools.compare.names import PLAIN, Names

TOLERATED = frozenset({"E401", "E404", "E408"})  # weights that do not add up: still scorable
BUDGET_ROW = n.BUDGET_LEVEL
RESIDUAL_ROW = "折算与舍入"  # the total's delta that no row explains (rendered by language: render.py)
SHOWN_DIGITS = 6  # an exact value that never ends is shown to this many places, with `exact` beside it
OLD_SIDE, NEW_SIDE = ("旧规则", "old rules"), ("新规则", "new rules")


def compile_side(ruleset: Ruleset) -> tuple[Plan, list[Diagnostic]]:
    """The plan for one side, and the check errors that do not prevent scoring."""
    errors = [d for d in run_checks(ruleset) if d.severity is Severity.ERROR]
    hard = [d for d in errors if d.code not in TOLERATED]
    if hard:
        raise JixiaoError(hard)
    require_project(ruleset)
    return compile_plan(ruleset), errors


@dataclass(frozen=True)
class Side:
    """One side's actual values: the file as `score` reads it under the side's ruleset (a row named with
    the other year's name of a renamed indicator re-labelled; an indicator with no row given a 不适用
    row), and who had no row."""

    actuals: ActualsFile
    missing: tuple[n.Indicator, ...]


@dataclass
class _Home:
    """The row bound to an indicator so far, and whether it named it by the other year's name."""

    entry: Entry
    renamed: bool


class Binder:
    """Binds the rows of one actual-value file to either side's indicators, through the pairs.

    Each side reads the file as `score` would under its ruleset: a row naming an indicator of the side
    is left as written (the evaluator binds it, and reports what `score` reports: E503, E507, E211,
    E515, the reader's own errors); a row naming, by the other year's name, an indicator renamed or
    moved is re-labelled to this side's name; a row for an indicator only the other side has (added or
    removed) is left out on this side. A file giving one indicator two rows, one under each year's
    name, is read no way: E537 on each side.
    """

    def __init__(self, actuals: ActualsFile, pairs: list[Pair]) -> None:
        self.actuals = actuals
        self.olds = indicators_by_name(p.old for p in pairs if p.old is not None)
        self.news = indicators_by_name(p.new for p in pairs if p.new is not None)
        self.counterpart: dict[str, n.Indicator | None] = {}
        for p in pairs:
            if p.old is not None:
                self.counterpart[f"old:{p.old.path}"] = p.new
            if p.new is not None:
                self.counterpart[f"new:{p.new.path}"] = p.old

    def side(self, indicators: tuple[n.Indicator, ...]) -> Side:
        """The file for these indicators (rows found by either name); 不适用 rows for those without one."""
        by_path = {i.path: i for i in indicators}
        own = indicators_by_name(indicators)
        rows: list[Entry] = []
        homes: dict[str, _Home] = {}
        problems: list[Diagnostic] = []
        for entry in self.actuals.entries:
            _, found = named_candidates(own, entry.row, _itself)
            if found:  # an indicator of this side (or several: E211): as `score` reads it
                rows.append(entry)
                if len(found) == 1:
                    homes.setdefault(found[0].path, _Home(entry, False))
                continue
            other = self._other_name(entry, by_path)  # the other year's name, or place (a moved indicator)
            if other is None:  # no indicator of either side: E503 (or E515) as in `score`
                rows.append(entry)
            elif other is not _ELSEWHERE:
                assert isinstance(other, n.Indicator)
                first = homes.get(other.path)
                if first is not None:
                    problems.append(_twice(entry, first.entry, other))
                    continue
                homes[other.path] = _Home(entry, True)
                rows.append(_relabel(entry, other))
        problems += self._renamed_twice(rows, homes, own)
        missing = tuple(i for i in indicators if i.path not in homes and i.actual is None)
        rows += [self._not_applicable(i) for i in missing]
        diagnostics = [*self.actuals.diagnostics, *problems]
        return Side(dataclasses.replace(self.actuals, entries=rows, diagnostics=diagnostics), missing)

    def _other_name(self, entry: Entry, by_path: dict[str, n.Indicator]) -> n.Indicator | object | None:
        """The indicator of this side a row names by the other year's name; `_ELSEWHERE` for a row of an
        indicator this side does not have (added or removed); None when no side knows the name."""
        for side, index in (("old", self.olds), ("new", self.news)):
            _, found = named_candidates(index, entry.row, _itself)
            if len(found) != 1:
                continue
            other = self.counterpart.get(f"{side}:{found[0].path}")
            if other is not None and other.path in by_path:
                return by_path[other.path]
            return _ELSEWHERE
        return None

    def _renamed_twice(
        self,
        rows: list[Entry],
        homes: dict[str, _Home],
        own: Named[n.Indicator],
    ) -> list[Diagnostic]:
        """A row under this side's name that comes after the row re-labelled to it (E537), which is then
        left out; two rows under this side's own name are left to the evaluator's E507."""
        problems, kept = [], []
        for entry in rows:
            _, found = named_candidates(own, entry.row, _itself)
            home = homes.get(found[0].path) if len(found) == 1 else None
            if home is not None and home.renamed and home.entry.line < entry.line:
                problems.append(_both_names(entry, home.entry, found[0]))
            else:
                kept.append(entry)
        rows[:] = kept
        return problems

    def _not_applicable(self, indicator: n.Indicator) -> Entry:
        row = ActualRow(level1=indicator.level1, level2=indicator.level2, name=indicator.name, actual="/")
        return Entry(row, NotApplicable(), 1, {"name": Span(self.actuals.path, 1, 1)})


_ELSEWHERE = object()  # a row for an indicator only the other side has


def _twice(entry: Entry, first: Entry, indicator: n.Indicator) -> Diagnostic:
    """A second row for an indicator: under the same name E507 (as `score` says it), else E537."""
    if row_key(entry.row.name, breakdown=True) == row_key(first.row.name, breakdown=True):
        args: dict[str, object] = {
            "name": entry.row.name,
            "first_row": first.line,
            "first_hidden": hidden_note(first),
        }
        return Diagnostic("E507", entry.span("name"), args)
    return _both_names(entry, first, indicator)


def _both_names(entry: Entry, first: Entry, indicator: n.Indicator) -> Diagnostic:
    args: dict[str, object] = {
        "name": entry.row.name,
        "first": first.row.name,
        "first_row": first.line,
        "indicator": indicator.name,
    }
    return Diagnostic("E537", entry.span("name"), args)


def _itself(indicator: n.Indicator) -> n.Indicator:
    return indicator


def _relabel(entry: Entry, indicator: n.Indicator) -> Entry:
    update = {"level1": indicator.level1, "level2": indicator.level2, "name": indicator.name}
    if all(getattr(entry.row, key) == value for key, value in update.items()):
        return entry
    return dataclasses.replace(entry, row=entry.row.model_copy(update=update))


@dataclass(frozen=True)
class OnSide(Diagnostic):
    """A diagnostic of one side's scoring, its message led by the side: `新规则: 调整得分「14.5」…`."""

    side: tuple[str, str] = OLD_SIDE

    def message(self, lang: Lang = "zh") -> str:
        return f"{self.side[0] if lang == 'zh' else self.side[1]}: {super().message(lang)}"


def on_side(diagnostic: Diagnostic, side: tuple[str, str]) -> Diagnostic:
    fields = {f.name: getattr(diagnostic, f.name) for f in dataclasses.fields(Diagnostic)}
    return OnSide(**fields, side=side)


@dataclass(frozen=True)
class Scored:
    """One project's actual values scored under both rulesets; a side that cannot score them has no
    result and its errors (each led by the side's name) instead."""

    old: Result | None
    new: Result | None
    missing: tuple[str, ...]  # paths of indicators without an actual value (scored as 不适用)
    notes: tuple[Diagnostic, ...]  # check errors tolerated on either side, and W140 for each missing value
    old_errors: tuple[Diagnostic, ...] = ()
    new_errors: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return self.old_errors + self.new_errors


def score_both(old: Ruleset, new: Ruleset, pairs: list[Pair], actuals: ActualsFile) -> Scored:
    """Both sides scored, each on its own: one that cannot score the file does not stop the other."""
    binder = Binder(actuals, pairs)
    before, after = try_side(old, binder, OLD_SIDE), try_side(new, binder, NEW_SIDE)
    missing = dict.fromkeys([*before.missing, *after.missing])
    return Scored(
        before.result, after.result, tuple(missing), before.notes + after.notes, before.errors, after.errors
    )


@dataclass(frozen=True)
class SideScore:
    result: Result | None
    missing: tuple[str, ...]
    notes: tuple[Diagnostic, ...]
    errors: tuple[Diagnostic, ...] = ()


def try_side(ruleset: Ruleset, binder: Binder, side_name: tuple[str, str]) -> SideScore:
    """`score_side`, or why this side cannot score the file (its errors, each led by the side's name)."""
    try:
        return score_side(ruleset, binder, side_name)
    except JixiaoError as exc:
        return SideScore(None, (), (), tuple(on_side(d, side_name) for d in exc.diagnostics))


def score_side(ruleset: Ruleset, binder: Binder, side_name: tuple[str, str]) -> SideScore:
    """One side scored: its tolerated check errors and its indicators without a value become notes."""
    plan, tolerated = compile_side(ruleset)
    side = binder.side(ruleset.indicators)
    notes = [dataclasses.replace(d, args={**d.args, "side": side_name}) for d in tolerated]
    notes += [_missing_note(i, binder.actuals, side_name) for i in side.missing]
    missing = tuple(i.path for i in side.missing)
    return SideScore(evaluate.score(plan, side.actuals), missing, tuple(notes))


def _missing_note(indicator: n.Indicator, actuals: ActualsFile, side: tuple[str, str]) -> Diagnostic:
    args: dict[str, object] = {"name": indicator.path, "actuals": actuals.path, "side": side}
    return Diagnostic("W140", indicator.span, args, severity=Severity.WARNING)


def note_text(note: Diagnostic, lang: Lang) -> str:
    side = note.args.get("side")
    prefix = (
        f"{side[0] if lang == 'zh' else side[1]}: " if isinstance(side, tuple) and note.code != "W140" else ""
    )
    return f"{prefix}{note.message(lang)}"


def note_reports(notes: tuple[Diagnostic, ...], lang: Lang) -> list[DiagnosticReport]:
    """The notes as published diagnostics (code, message, help, span), in the order of the note texts."""
    return [diagnostic_report(d, lang) for d in notes]


def impact(
    old: Ruleset,
    new: Ruleset,
    pairs: list[Pair],
    actuals: ActualsFile,
    label: str,
    lang: Lang,
    names: Names = PLAIN,
) -> Impact:
    scored = score_both(old, new, pairs, actuals)
    before, after = scored.old, scored.new
    exact: dict[str, str] = {}
    return Impact(
        actuals=label,
        rows=_rows(pairs, before, after, scored.missing) if before is not None and after is not None else [],
        old_total=shown(before.total, "old_total", exact) if before is not None else None,
        new_total=shown(after.total, "new_total", exact) if after is not None else None,
        delta=signed(after.total, before.total, "delta", exact)
        if before is not None and after is not None
        else None,
        old_grade=before.grade if before is not None else None,
        new_grade=after.grade if after is not None else None,
        notes=[note_text(d, lang) for d in scored.notes],
        diagnostics=note_reports(tuple(map(names.diagnostic, scored.notes)), lang),
        old_errors=[diagnostic_report(names.diagnostic(d), lang) for d in scored.old_errors],
        new_errors=[diagnostic_report(names.diagnostic(d), lang) for d in scored.new_errors],
        exact=exact,
    )


# -- rows --------------------------------------------------------------------------------------------


def _rows(pairs: list[Pair], old: Result, new: Result, missing_paths: tuple[str, ...]) -> list[ImpactRow]:
    rows = [_budget_row(old, new)] if old.budget or new.budget else []
    before = {r.path: r.score for r in old.indicators}
    after = {r.path: r.score for r in new.indicators}
    for pair in pairs:
        a = before.get(pair.old.path) if pair.old else None
        b = after.get(pair.new.path) if pair.new else None
        path = (pair.new or pair.old).path  # type: ignore[union-attr]
        old_path = pair.old.path if pair.old and pair.new and pair.old.path != pair.new.path else None
        missing = path in missing_paths or (old_path is not None and old_path in missing_paths)
        rows.append(_row(path, old_path, pair, a, b, missing))
    residual = _residual_row(old.total, new.total, rows)
    return rows if residual is None else [*rows, residual]


def _residual_row(old: Figure, new: Figure, rows: list[ImpactRow]) -> ImpactRow | None:
    """The total's delta no row explains (rescaling, the total's rounding), so that the rows add up to
    it exactly; None when they already do."""
    explained = sum((_exact_delta(row) for row in rows), Fraction(0))
    rest = new.value - old.value - explained
    if rest == 0:
        return None
    exact: dict[str, str] = {}
    text = _text(abs(rest), places(new, old), "delta", exact, rest)
    delta = ("+" if rest > 0 else "-") + text if _nonzero(text) else text
    return ImpactRow(path=RESIDUAL_ROW, status="residual", delta=delta, exact=exact)


def _exact_delta(row: ImpactRow) -> Fraction:
    """A row's delta exactly (its `exact` value when the text is rounded)."""
    if row.delta is None:
        return Fraction(0)
    return Fraction(row.exact.get("delta") or row.delta)


def _row(
    path: str, old_path: str | None, pair: Pair, a: Figure | None, b: Figure | None, missing: bool
) -> ImpactRow:
    status = "added" if pair.old is None else "removed" if pair.new is None else "same"
    exact: dict[str, str] = {}
    delta = signed(b, a, "delta", exact) if a is not None and b is not None else None
    if status == "removed" and a is not None:  # its score is lost: the rows add up to the total's change
        delta = signed(Figure(0), a, "delta", exact)
    elif status == "added" and b is not None:
        delta = signed(b, Figure(0), "delta", exact)
    if status == "same" and ((delta is None and (a is None) != (b is None)) or (delta and _nonzero(delta))):
        status = "changed"
    if missing:
        status = "missing"
    return ImpactRow(
        path=path,
        old_path=old_path,
        status=status,  # type: ignore[arg-type]
        old_score=shown(a, "old_score", exact) if a else None,
        new_score=shown(b, "new_score", exact) if b else None,
        delta=delta,
        exact=exact,
    )


def _budget_row(old: Result, new: Result) -> ImpactRow:
    a = old.budget.score if old.budget and old.budget.counted else None
    b = new.budget.score if new.budget and new.budget.counted else None
    exact: dict[str, str] = {}
    delta = signed(b, a, "delta", exact) if a is not None and b is not None else None
    changed = (a is None) != (b is None) or bool(delta and _nonzero(delta))
    return ImpactRow(
        path=BUDGET_ROW,
        status="changed" if changed else "same",
        old_score=shown(a, "old_score", exact) if a else None,
        new_score=shown(b, "new_score", exact) if b else None,
        delta=delta,
        exact=exact,
    )


# -- numbers as shown ----------------------------------------------------------------------------------


def places(*figures: Figure) -> int:
    """The places to show figures at together: the most any rounding kept, else what the exact values need."""
    rounded = [f.digits for f in figures if f.digits is not None]
    exact = [decimal_places(f.value) for f in figures if f.digits is None]
    needed = [SHOWN_DIGITS if p is None else min(p, SHOWN_DIGITS) for p in exact]
    return max([*rounded, *needed, 0])


def shown(figure: Figure, field: str, exact: dict[str, str]) -> str:
    """A figure as the report shows it; a value that does not end is also given exactly in `exact`."""
    return _text(figure.value, places(figure), field, exact)


def signed(new: Figure, old: Figure, field: str = "delta", exact: dict[str, str] | None = None) -> str:
    """new − old with a sign, to the places the two figures show: "+1.50", "-0.70", "+0.9", "0.00"."""
    d: Fraction = new.value - old.value
    text = _text(abs(d), places(new, old), field, {} if exact is None else exact, d)
    if _nonzero(text):
        return ("+" if d > 0 else "-") + text
    return text


def _text(
    value: Fraction, digits: int, field: str, exact: dict[str, str], signed_value: Fraction | None = None
) -> str:
    text = format_fixed(value, digits)
    if Fraction(text) != value:
        whole = value if signed_value is None else signed_value
        exact[field] = f"{whole.numerator}/{whole.denominator}"
    return text


def _nonzero(text: str) -> bool:
    return any(ch not in "0.+-" for ch in text)
