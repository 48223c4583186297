"""Making a draft into files that check and score: try, read the diagnostics, adjust the draft, again.

Each round writes the ruleset and the actual values, checks the ruleset and scores the actual values
with it, the way `jixiao check` and `jixiao score` would. What fails on a row changes that row: a
qualitative target the policy's scales lack goes into the project's own scale; a target unit that
does not fit the name gets 单位说明; an actual word the own scale lacks goes into it at the share its
printed scores give, when every row agrees; a band word without a fixed score (部分达成) keeps the target
and takes the printed score as the evaluator's (调整得分); a row that still cannot be checked or scored
takes its printed score (方法 认定). With `rounding`, a printed score that is the formula score rounded
another way than the policy says declares that rounding on the row (and likewise for the budget score
and the rate).
Whatever cannot be fixed is kept as diagnostics: `import` says why the file does not check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span, capped, sorted_diagnostics
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.checks import SUMS, run_checks
from jixiao.engine.compiler import compile_plan
from jixiao.engine.evaluate import Run
from jixiao.engine.plan import Plan, Stage
from jixiao.engine.resolve import Ruleset, resolve_text
from jixiao.engine.results import Figure, IndicatorResult, Result
from jixiao.engine.roots import Roots
from jixiao.io.actuals import collect_actuals
from jixiao.language.quantity import WordActual, number_text
from jixiao.language.rounding import Rounding
from jixiao.language.vocabulary import name_key, same_grade
from jixiao.tools.importer.actuals import actuals_text, csv_lines
from jixiao.tools.importer.draft import ACTUAL, TARGET, Draft, Row, leave_out, warning
from jixiao.tools.importer.exact import budget_exact
from jixiao.tools.importer.printed import Number, Way, printed_number, rounding_args, ways
from jixiao.tools.importer.ruleset import OWN_SCALE, ruleset_text

MAX_ROUNDS = 12  # each round fixes at least one row or stops; a table has few kinds of trouble
UNIT_NOTE = "照原表"


@dataclass
class Imported:
    """A table imported: the ruleset and actual-value texts, their score, what could not be done."""

    draft: Draft
    ruleset: str
    actuals: str
    result: Result | None = None
    remaining: list[Diagnostic] = field(default_factory=list)  # errors `check`/`score` still report
    sums: list[Diagnostic] = field(default_factory=list)  # weights that do not add up (E401, E404, E408)
    checks: list[Diagnostic] = field(default_factory=list)  # `check`'s warnings on the ruleset (W110 …)
    names: Names | None = None  # how messages call the generated files

    @property
    def warnings(self) -> list[Diagnostic]:
        """What the import says: the draft's warnings (and read errors), then `check`'s on the ruleset."""
        return [*self.draft.problems, *self.checks]

    @property
    def sources(self) -> dict[str, str]:
        """The generated texts by the names messages give them (the excerpts of `check`'s warnings)."""
        return {} if self.names is None else {self.names.ruleset: self.ruleset}


@dataclass(frozen=True)
class Names:
    """The names messages give the generated files."""

    ruleset: str
    actuals: str


def settle(draft: Draft, names: Names, rounding: bool = True) -> Imported:
    """Adjust `draft` until its files check and score (or nothing more can be done)."""
    imported = Imported(draft, "", "")
    _read_errors(draft)
    for _ in range(MAX_ROUNDS):
        check = checked(draft, names.ruleset)
        imported = Imported(
            draft,
            check.text,
            actuals_text(draft),
            sums=check.sums,
            remaining=check.remaining,
            checks=check.warnings,
            names=names,
        )
        if check.ruleset is None or not _scores(imported, check.ruleset, names, rounding):
            break
    _still_failing(imported)
    return imported


@dataclass
class Checked:
    """A draft's ruleset after the check rounds: its text, the resolved ruleset unless errors remain
    (weights that do not add up are kept apart: the ruleset still compiles and scores)."""

    text: str
    ruleset: Ruleset | None
    sums: list[Diagnostic]
    remaining: list[Diagnostic]
    warnings: list[Diagnostic] = field(default_factory=list)  # `check`'s (W110: a cell in traditional …)


def checked(draft: Draft, name: str) -> Checked:
    """Check the draft's ruleset, fixing rows that fail (own scale, 单位说明, 方法 认定), until it checks."""
    for _ in range(MAX_ROUNDS):
        text = ruleset_text(draft)
        ruleset = resolve_text(text, name, Roots.of(draft.policy.roots), lenient=True)
        found = run_checks(ruleset)
        errors = [d for d in found if d.severity is Severity.ERROR]
        others = [d for d in errors if d.code not in SUMS]
        rows = Where(draft, ruleset)
        if not any([_fix_check(draft, rows, d) for d in others]):  # every row this round
            sums = [d for d in errors if d.code in SUMS]
            warnings = [d for d in found if d.severity is Severity.WARNING]
            return Checked(text, None if others else ruleset, sums, others, warnings)
    return Checked(text, None, [], others)


def _scores(imported: Imported, ruleset: Ruleset, names: Names, rounding: bool) -> bool:
    """Score the draft's actual values with its ruleset; whether the draft changed (another round)."""
    draft = imported.draft
    plan = compile_plan(ruleset)
    actuals = collect_actuals(text=imported.actuals, name=names.actuals)
    scored = scored_or_errors(plan, actuals)
    if isinstance(scored, Errors):
        rows = Where(draft, ruleset, csv_lines(draft))
        if _proposals(draft, rows, scored.every):  # own-scale words first
            return True
        if any([_fix_score(draft, rows, d) for d in scored.every]):  # every row this round
            return True
        imported.remaining = scored.shown
        return False
    imported.result = scored
    if rounding and _declare_roundings(draft, plan, imported.result):
        return True
    _differences(draft, imported.result)
    return False


@dataclass(frozen=True)
class Errors:
    """Why scoring failed: every error (`every`, in order), and those the exception shows (`shown`: at
    most MAX_REPEATS of one code in one file)."""

    every: list[Diagnostic]
    shown: list[Diagnostic]


def scored_or_errors(plan: Plan, actuals: ActualsFile) -> Result | Errors:
    """Score as `jixiao score` does; its errors all of them, not only those its exception keeps: a round
    fixes every row that fails, where it fixed 20 (MAX_REPEATS) of each kind and scored the whole table
    again for the next 20 (and stopped after MAX_ROUNDS, the rest of a long table not fixed)."""
    run: Run | None = None
    try:
        run = Run(plan, actuals)
        return run.result()
    except JixiaoError as exc:
        if run is not None and run.diagnostics:
            every = sorted_diagnostics(run.diagnostics)
            if capped(every) == exc.diagnostics:  # the exception is about these (not another one)
                return Errors(every, exc.diagnostics)
        return Errors(exc.diagnostics, exc.diagnostics)


# -- rows that do not check or score -------------------------------------------------------------------
class Where:
    """The draft row a diagnostic of one round is about, looked up without scanning the ruleset or the
    draft for each diagnostic (a table of 5 000 rows, each with one, took a minute): the first indicator
    whose lines hold the diagnostic's line, the first row of the draft with its key (a row the round
    takes out of the draft, `_assert`, is no longer found), or the row written on an actual-value line."""

    def __init__(self, draft: Draft, ruleset: Ruleset, lines: dict[int, Row] | None = None) -> None:
        self.draft = draft
        self.path = ruleset.path
        self.lines = lines or {}
        self.keys: dict[int, str] = {}  # a line of the ruleset → the key of the indicator it is in
        for indicator in ruleset.indicators:
            where = indicator.span
            key = name_key(indicator.path)
            for line in range(where.line, (where.end_line or where.line) + 1):
                self.keys.setdefault(line, key)
        self.rows: dict[str, list[Row]] = {}
        for row in draft.rows:
            self.rows.setdefault(row.key, []).append(row)

    def at(self, diagnostic: Diagnostic) -> Row | None:
        """The draft row of the indicator a ruleset diagnostic points into."""
        span = diagnostic.span
        if span is None or span.path != self.path:
            return None
        key = self.keys.get(span.line)
        rows = self.rows.get(key, []) if key is not None else []
        return next((r for r in rows if not r.dropped), None)

    def scored(self, diagnostic: Diagnostic) -> Row | None:
        """The draft row a scoring diagnostic is about (at its actual-value line, or its ruleset line)."""
        span = diagnostic.span
        row = self.lines.get(span.line) if span is not None and span.path != self.path else None
        return row or self.at(diagnostic)


def _fix_check(draft: Draft, rows: Where, diagnostic: Diagnostic) -> bool:
    row = rows.at(diagnostic)
    if row is None or row.asserted:
        return False
    if diagnostic.code == "E206" and not row.own_word:
        row.own_word = True
        row.notes.append(warning("W173", row.span("target"), name=row.name, word=row.target.strip()))
        return True
    if diagnostic.code == "E304" and not row.unit_note:
        row.unit_note = UNIT_NOTE
        row.notes.append(warning("W182", row.span("target"), name=row.name, text=row.target.strip()))
        return True
    if row.breakdown:  # never scored: its target is left out (W181), not its printed score taken
        if row.target_unread:
            return False
        reason = (diagnostic.message("zh"), diagnostic.message("en"))
        leave_out(row, TARGET, row.target.strip(), reason, row.span("target"))
        return True
    return _assert(draft, row, "W170", diagnostic, column="target", text=row.target.strip())


def _proposals(draft: Draft, rows: Where, diagnostics: list[Diagnostic]) -> bool:
    """Actual words the own scale lacks, put in it from the printed scores (W186); whether any was.
    The rows are grouped by their word once a round, and each word is looked at once (not once for each
    of its rows): a table of many rows stays linear."""
    failing = _failing_words(rows, diagnostics)
    if not failing:
        return False
    targets = {r.target.strip() for r in draft.rows if r.own_word}
    groups: dict[str, list[Row]] = {}
    for other in draft.rows:
        word = actual_word(other) if other.own_word else None
        if word is not None:
            groups.setdefault(word, []).append(other)
    changed = False
    tried: set[str] = set()  # words whose rows disagree: asking again gives the same answer
    for row in failing:
        word = actual_word(row)
        if word is not None and word not in draft.proposed and word not in targets and word not in tried:
            tried.add(word)
            changed = _propose(draft, word, groups[word]) or changed
    return changed


def _failing_words(rows: Where, diagnostics: list[Diagnostic]) -> list[Row]:
    """The rows of the project's own scale whose actual word it lacks (E603), not yet scored otherwise."""
    return [
        row
        for d in diagnostics
        if d.code == "E603"
        and (row := rows.scored(d)) is not None
        and row.own_word
        and not (row.asserted or row.judged)
    ]


@dataclass(frozen=True)
class Words:
    """What `propose_words` did: whether it put words in the own scale (check again), else the rows whose
    word it could not put there (the rows with that word give it different shares of their weights)."""

    changed: bool
    unscaled: list[Row] = field(default_factory=list)


def propose_words(draft: Draft, ruleset: Ruleset, names: Names) -> Words:
    """Score the draft's actual values once with its checked ruleset and put the actual words the
    project's own scale lacks in it from the printed scores (W186), as the import does. Nothing to do,
    and no scoring, without a row in the own scale."""
    if not any(row.own_word for row in draft.rows):
        return Words(False)
    actuals = collect_actuals(text=actuals_text(draft), name=names.actuals)
    scored = scored_or_errors(compile_plan(ruleset), actuals)
    if isinstance(scored, Errors):
        rows = Where(draft, ruleset, csv_lines(draft))
        if _proposals(draft, rows, scored.every):
            return Words(True)
        return Words(False, _failing_words(rows, scored.every))
    return Words(False)


def word_shares(draft: Draft) -> dict[str, list[Fraction]]:
    """Each actual word of the own-scale rows: the shares of their weights its rows score, each once, in
    order (one pass over the rows, however many ask)."""
    found: dict[str, set[Fraction]] = {}
    for row in draft.rows:
        word = actual_word(row) if row.own_word else None
        share = share_of(row) if word is not None else None
        if word is not None:
            found.setdefault(word, set()).update([share] if share is not None else [])
    return {word: sorted(shares) for word, shares in found.items()}


def actual_word(row: Row) -> str | None:
    """The row's actual value when it is a word (较明显), else None."""
    value = row.entry.value
    return value.word if isinstance(value, WordActual) else None


def _fix_score(draft: Draft, rows: Where, diagnostic: Diagnostic) -> bool:
    row = rows.scored(diagnostic)
    if row is None or row.asserted or row.breakdown:
        return False
    printed = row.printed
    if diagnostic.code == "E603" and not row.judged and printed is not None:
        # a band word without a fixed point (部分达成): the evaluator's score is the printed one, and the
        # target stays, so that `jixiao audit` with this ruleset still checks next year's score
        row.judged = True
        text = row.entry.row.actual or "—"
        row.notes.append(warning("W185", row.span("actual"), name=row.name, text=text, score=printed.text()))
        return True
    if row.judged:  # the printed score as 调整得分 fails too (outside the band …): 方法 认定
        row.judged = False
        row.notes = [n for n in row.notes if n.code != "W185"]
    why = _reason(diagnostic) if diagnostic.code == "E603" else None  # 「较好」不在量表中…
    return _assert(draft, row, "W174", diagnostic, column="actual", text=row.entry.row.actual, reason=why)


def _reason(diagnostic: Diagnostic) -> tuple[str, str] | None:
    """E603's own reason (zh, en): why the actual does not score, without the message around it."""
    given = diagnostic.args.get("reason")
    if isinstance(given, tuple) and len(given) == 2:
        return (str(given[0]), str(given[1]))
    return None


def _propose(draft: Draft, word: str, rows: list[Row]) -> bool:
    """An actual word the project's own scale lacks (较好 for the target 好), put in the scale at the
    share of the weight its printed scores give, when every row with that word (`rows`) gives the same
    share (a whole percentage or one with at most two decimals, 0% to 100%); W186 says so on each row."""
    shares = {share_of(r) for r in rows}
    share = shares.pop() if len(shares) == 1 else None
    if share is None or not 0 <= share <= 1 or (share * 10**4).denominator != 1:
        return False
    draft.proposed[word] = share
    percent = number_text(share * 100) + "%"
    for other in rows:
        printed = other.printed
        assert printed is not None  # share_of gave a share
        args = {"name": other.name, "word": word, "percent": percent}
        args |= {"score": printed.text(), "weight": other.entry.row.weight.strip(), "scale": OWN_SCALE}
        other.notes.append(warning("W186", other.span("actual"), **args))
    return True


def share_of(row: Row) -> Fraction | None:
    """The printed score's share of the weight (12 of 15: 4/5), or None."""
    printed, weight = row.printed, row.weight
    if printed is None or weight is None or printed.percent or weight.percent or weight.value <= 0:
        return None
    return printed.value / weight.value


def _assert(
    draft: Draft,
    row: Row,
    code: str,
    diagnostic: Diagnostic,
    column: str,
    text: str,
    reason: tuple[str, str] | None = None,
) -> bool:
    """The row takes its printed score (方法 认定); without one it is left out."""
    reason = reason or (diagnostic.message("zh"), diagnostic.message("en"))
    row.notes.append(warning(code, row.span(column), name=row.name, text=text or "—", reason=reason))
    if row.printed is None:
        why = ("没有印出可用的得分，无法按原表得分认定", "no usable printed score to take instead")
        row.notes.append(
            warning("W171", row.span("score"), name=row.name, weight=row.entry.row.weight, reason=why)
        )
        draft.rows.remove(row)
        draft.skipped.append(row)
        row.dropped = True
        row.weight = None
    row.asserted = True
    return True


def _read_errors(draft: Draft) -> None:
    """Every error the table's reader found (E5xx: a value that cannot be read, a row with more cells
    than the header, a number whose unit the table gives two ways …) is an error of the import, at its
    cell, as `score` reports it. Its row takes its printed score (方法 认定), as a row whose value cannot
    be read does (W170 at the target, W174 at the actual value or the row as a whole), the unreadable
    value left out of the actual-value file; without a printed score the row is left out (W171)."""
    errors = [d for d in draft.table.diagnostics if d.severity is Severity.ERROR]
    if not errors:
        return
    rows = [*draft.rows, *draft.skipped]
    cells = {  # each row's cells, looked up once per error (a long table stays linear)
        span: (row, column) for row in rows for column, span in row.entry.spans.items()
    }
    lines: dict[tuple[str, str | None, int], Row] = {}  # an error about the whole row (E512)
    for row in rows:
        for cell in row.entry.spans.values():
            lines.setdefault((cell.path, cell.sheet, cell.line), row)
    counted = {id(row) for row in draft.rows}  # not a skipped row (no weight): it has no score to take
    for diagnostic in errors:
        where = diagnostic.span
        found = cells.get(where) if where is not None else None
        if found is None and where is not None and (line := lines.get((where.path, where.sheet, where.line))):
            found = (line, "row")
        if found is None:
            draft.notes.append(diagnostic)  # a budget row's, the file's: not a row of the ruleset
            continue
        row, column = found
        row.notes.append(diagnostic)
        if row.breakdown:  # a 其中 row is never scored: the unreadable part is left out (W181)
            _breakdown_error(row, column, diagnostic)
            continue
        if id(row) not in counted or row.asserted:
            continue
        if column == "target":
            _assert(draft, row, "W170", diagnostic, column="target", text=row.target.strip())
        else:
            row.unread = row.unread or column in ("actual", "row")
            _assert(draft, row, "W174", diagnostic, column="actual", text=row.entry.row.actual)


def _breakdown_error(row: Row, column: str, diagnostic: Diagnostic) -> None:
    """A read error in a 其中 row: its target (the ruleset's) or its actual value (the actual-value file's,
    the whole row when the error is about the row) is left out, once."""
    reason = (diagnostic.message("zh"), diagnostic.message("en"))
    if column == "target" and not row.target_unread:
        leave_out(row, TARGET, row.target.strip(), reason, row.span("target"))
    elif column != "target" and not row.unread:
        leave_out(row, ACTUAL, row.entry.row.actual.strip(), reason, row.span("actual"))


def _still_failing(imported: Imported) -> None:
    """Errors no round could fix: weights that do not add up (W177, each), other errors (W179, once) —
    but not a budget figure missing because the table's cell could not be read: its read error (an error
    of the import, at the cell) is the one report of it."""
    for problem in imported.sums:
        reason = (problem.message("zh"), problem.message("en"))
        imported.draft.notes.append(warning("W177", imported.draft.table.file_span(), reason=reason))
    remaining = [d for d in imported.remaining if not _follows_read_error(imported.draft, d)]
    if remaining:
        codes = "、".join(dict.fromkeys(d.code for d in remaining))
        first = remaining[0]
        imported.draft.notes.append(
            warning("W179", first.span, codes=codes, first=(first.message("zh"), first.message("en")))
        )


BUDGET_MISSING = frozenset({"E510", "E518", "E535"})  # a budget figure the scoring needs is not there


def _follows_read_error(draft: Draft, diagnostic: Diagnostic) -> bool:
    """Whether a scoring error is only the consequence of a read error already reported: a budget figure
    missing from the actual values because its cell in the table could not be read."""
    return diagnostic.code in BUDGET_MISSING and draft.table.budget_unreadable


# -- roundings the table used ------------------------------------------------------------------------
def _declare_roundings(draft: Draft, plan: Plan, result: Result) -> bool:
    """Declare each rounding the table used where the policy's gives another figure; whether any."""
    changed = False
    for row, indicator in _scored(draft, result):
        formula = indicator.formula_score.value if indicator.formula_score is not None else None
        figure = Printed(row.name, formula, row.printed, row.span("score"))
        row.rounding = _declared(row.notes, figure, plan.by_path[indicator.path].stage)
        changed = changed or row.rounding is not None
    budget = budget_exact(plan, result.budget)
    if draft.rate_rounding is None:
        rate = _figure(draft, "执行率", "执行率", budget.rate)
        draft.rate_rounding = _declared(draft.notes, rate, plan.budget.rate_stage)
        if draft.rate_rounding is not None:
            return True  # the budget score follows the rate: look at it in the next round
    if draft.budget_rounding is None:
        score = _figure(draft, "预算得分", "预算执行得分", budget.score)
        draft.budget_rounding = _declared(draft.notes, score, plan.budget.stage)
        changed = changed or draft.budget_rounding is not None
    return changed


@dataclass(frozen=True)
class Printed:
    """A figure the table prints beside the exact value it stands for."""

    name: str
    exact: Fraction | None
    printed: Number | None
    span: Span | None


def _figure(draft: Draft, key: str, name: str, exact: Fraction | None) -> Printed:
    printed = draft.table.printed.get(key)
    if printed is None:
        return Printed(name, exact, None, None)
    return Printed(name, exact, printed_number(printed.text), printed.span)


def _declared(notes: list[Diagnostic], figure: Printed, stage: Stage) -> Rounding | None:
    """The table's rounding of a figure, when the stage's gives another; W176 says so."""
    way = _other_rounding(figure.exact, figure.printed, stage)
    if way is None or figure.exact is None or figure.printed is None:
        return None
    args = rounding_args(figure.exact, figure.printed, Way(way), stage.rounder)
    notes.append(warning("W176", figure.span, name=figure.name, **args))
    return way


def _scored(draft: Draft, result: Result) -> Iterator[tuple[Row, IndicatorResult]]:
    """Rows scored by the rules (not by their printed score) with their results."""
    by_key = {name_key(i.path): i for i in result.indicators}
    for row in draft.rows:
        indicator = by_key.get(row.key)
        if indicator is None or row.asserted or row.judged or row.breakdown:
            continue
        if indicator.score is not None:
            yield row, indicator


def _other_rounding(exact: Fraction | None, printed: Number | None, stage: Stage) -> Rounding | None:
    """The rounding that gives the printed figure from the exact value, when the stage's does not
    (one with the stage's digits first: a table that truncates where the policy rounds half-up)."""
    if exact is None or printed is None or stage.apply(exact) == printed.value:
        return None
    shift = 2 if printed.percent else 0
    found = [w.rounding for w in ways(exact, printed) if w.rounding is not None]
    same = [r for r in found if stage.rounder is not None and r.digits + shift == stage.rounder.digits]
    return next(iter(same or found), None)


# -- printed scores the rules do not give ---------------------------------------------------------------
def _differences(draft: Draft, result: Result) -> None:
    for row, indicator in _scored(draft, result):
        _differs(row.notes, Printed(row.name, None, row.printed, row.span("score")), indicator.score)
    if result.budget is not None:
        _differs(draft.notes, _figure(draft, "预算得分", "预算执行得分", None), result.budget.score)
    _differs(draft.notes, _figure(draft, "总得分", "总得分", None), result.total)
    grade = draft.table.printed.get("等级")
    if grade is not None and grade.text.strip() and result.grade and not same_grade(result.grade, grade.text):
        args = {
            "name": "等级",
            "what": ("等级", "grade"),
            "printed": grade.text.strip(),
            "score": result.grade,
        }
        draft.notes.append(warning("W175", grade.span, **args))


def _differs(notes: list[Diagnostic], figure: Printed, score: Figure | None) -> None:
    """W175 when the printed figure is not the score the rules give."""
    if figure.printed is not None and score is not None and figure.printed.value != score.value:
        args = {
            "name": figure.name,
            "what": ("得分", "score"),
            "printed": figure.printed.text(),
            "score": score.text(),
        }
        notes.append(warning("W175", figure.span, **args))
