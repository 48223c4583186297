"""Recomputing a table under the rules even when some of its rows cannot be scored.

`jixiao score` stops at a table with a bad cell; an audit must go on and say what is wrong with each
row. Scoring is tried; every error that points into a row becomes a discrepancy and the row is set
aside (its score unknown, `?`), every row missing from the table is added as unknown, a row the
ruleset does not have is dropped, and scoring is tried again. A band word (部分达成) takes the table's
printed score as the evaluator's. Budget figures that cannot be read leave the budget unscored. What
remains (an error in the ruleset, in no row) is the table's error: its audit is incomplete.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from jixiao.diagnostics import Diagnostic, Span, capped
from jixiao.engine.actuals import ActualRow, ActualsFile, Entry
from jixiao.engine.plan import IndicatorPlan, Plan
from jixiao.engine.results import Result
from jixiao.language.quantity import NotApplicable, Unknown, number_text
from jixiao.tools.audit.allowed import allowed_scores
from jixiao.tools.audit.model import BUDGET, Discrepancy
from jixiao.tools.audit.zero import rate_rows, without_formulas, zero_budget, zero_figure, zero_row
from jixiao.tools.importer.printed import percent_score, printed_score
from jixiao.tools.importer.settle import Errors, scored_or_errors

MAX_ROUNDS = 6  # each round sets aside every row that failed (all of them: not only those an error shows)
UNKNOWN = "?"
REASON = "原表得分"
ZERO_REASON = "零预算 满分"
BUDGET_CODES = frozenset({"E510", "E518", "E535", "E606"})


@dataclass
class Recomputed:
    result: Result | None
    actuals: ActualsFile
    found: list[Discrepancy] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    set_aside: set[int] = field(default_factory=set)  # lines of rows not recomputed (said why already)
    budget_unread: bool = False
    plan: Plan | None = None  # the plan scored: the given one, adjusted for what is set aside
    unchecked: set[int] = field(default_factory=set)  # lines of rows whose printed score is not compared
    zero_said: bool = False  # a zero budget was reported (F174, F175) and its rows were handled
    rows: Rows | None = None  # the table's rows while a round patches them (`actuals` again after it)


class Rows:
    """The table's rows while a round patches them: replaced, added and dropped in place and found by their
    line, the diagnostics said dropped at the end. A new copy of the table for each row patched, and a
    look through every row for each diagnostic, made an audit of 5 000 bad rows quadratic."""

    def __init__(self, actuals: ActualsFile) -> None:
        self.actuals = actuals
        self.entries: list[Entry | None] = list(actuals.entries)  # None: dropped
        self.count = len(self.entries)
        self.index = {id(e): i for i, e in enumerate(self.entries)}  # where each (live) entry is
        self.lines: dict[int, list[int]] = {}  # a line → the indexes of its entries, in order
        for i, entry in enumerate(self.entries):
            assert entry is not None
            self.lines.setdefault(entry.line, []).append(i)
        self.said_ids: set[int] = set()
        self.said_spans: set[Span | None] = set()
        self.said: list[Diagnostic] = []  # kept alive: `said_ids` are theirs

    def at(self, span: Span) -> Entry | None:
        """The first row on the span's line with a cell in the span's file."""
        for i in self.lines.get(span.line, ()):
            entry = self.entries[i]
            if entry is not None and any(s.path == span.path for s in entry.spans.values()):
                return entry
        return None

    def replace(self, old: Entry, new: Entry) -> None:
        i = self.index.pop(id(old), None)
        if i is None:
            return
        self.entries[i] = new
        self.index[id(new)] = i
        if new.line != old.line:
            self.lines[old.line].remove(i)
            insort(self.lines.setdefault(new.line, []), i)

    def drop(self, entry: Entry) -> None:
        i = self.index.pop(id(entry), None)
        if i is not None:
            self.entries[i] = None
            self.count -= 1

    def add(self, entry: Entry) -> None:
        self.index[id(entry)] = len(self.entries)
        self.lines.setdefault(entry.line, []).append(len(self.entries))
        self.entries.append(entry)
        self.count += 1

    def without(self, diagnostic: Diagnostic | None) -> None:
        """The reader's diagnostic (and any other at its cell) said: not given to the scoring again."""
        if diagnostic is not None:
            self.said.append(diagnostic)
            self.said_ids.add(id(diagnostic))
            self.said_spans.add(diagnostic.span)

    def live(self) -> list[Entry]:
        return [e for e in self.entries if e is not None]

    def table(self) -> ActualsFile:
        """The table as patched."""
        kept = [
            d
            for d in self.actuals.diagnostics
            if id(d) not in self.said_ids and d.span not in self.said_spans
        ]
        return replace(self.actuals, entries=self.live(), diagnostics=kept)


def recompute(plan: Plan, table: ActualsFile) -> Recomputed:
    """Score the table, setting aside what cannot be scored; what is left is in `errors`. Each round
    patches every row its scoring failed on (not only the first MAX_REPEATS of each kind that the error
    shows), so a long table takes as few rounds as a short one."""
    done = Recomputed(None, table, plan=plan)
    if plan.budget.zero != "error" and rate_rows(plan, table) and zero_figure(table, plan) is not None:
        done.rows = Rows(done.actuals)
        _zero_budget(done, plan, None)  # the engine scores these rows by 零预算 too; the audit says so
        done.actuals, done.rows = done.rows.table(), None
        plan = done.plan or plan
    last: list[Diagnostic] = []
    for _ in range(MAX_ROUNDS):
        scored = scored_or_errors(plan, done.actuals)
        if not isinstance(scored, Errors):
            done.result = scored
            return done
        last = scored.shown
        done.rows = Rows(done.actuals)
        patched = [_patch(done, plan, d) for d in scored.every]
        done.actuals, done.rows = done.rows.table(), None
        if not any(patched):
            done.errors = scored.shown
            return done
        done.errors = capped([d for d, fixed in zip(scored.every, patched, strict=True) if not fixed])
        plan = done.plan or plan  # without the formulas of rows computed from a zero budget
        if done.budget_unread and plan.budget.scored:
            plan = replace(plan, budget=replace(plan.budget, scored=False))
        done.plan = plan
    done.errors = done.errors or list(last)  # still failing after every round: incomplete
    return done


def _rows(done: Recomputed) -> Rows:
    assert done.rows is not None  # set by `recompute` around each round's patches
    return done.rows


def _patch(done: Recomputed, plan: Plan, diagnostic: Diagnostic) -> bool:
    """Make the table scoreable past one diagnostic; whether it could be."""
    if _zero(done.actuals, plan, diagnostic):
        return _zero_budget(done, plan, diagnostic)
    if diagnostic.code in BUDGET_CODES or _in_budget(done.actuals, diagnostic):
        return _budget(done, diagnostic)
    if diagnostic.code == "E508":
        return _missing(done, plan, diagnostic)
    entry = _entry_at(_rows(done), diagnostic)
    if entry is None:
        return False
    tried = entry.row.reason == REASON  # scored by its printed score already, and still failing
    if diagnostic.code in ("E603", "E608") and not tried and entry.line not in done.set_aside:
        return _printed_score(done, entry, diagnostic)
    return _set_aside(done, entry, diagnostic)


def _entry_at(rows: Rows, diagnostic: Diagnostic) -> Entry | None:
    span = diagnostic.span
    return rows.at(span) if span is not None else None


def _in_budget(actuals: ActualsFile, diagnostic: Diagnostic) -> bool:
    return diagnostic.span is not None and any(f.span == diagnostic.span for f in actuals.budget)


def _budget(done: Recomputed, diagnostic: Diagnostic) -> bool:
    if done.budget_unread:
        return False
    done.budget_unread = True
    detail = (diagnostic.message("zh"), diagnostic.message("en"))
    args: dict[str, object] = {"what": ("预算数", "budget figure"), "detail": detail}
    name = str(diagnostic.args.get("name", ""))  # 全年预算数 …: the figure, where its cell says nothing
    done.found.append(Discrepancy("F159", diagnostic.span, BUDGET, name, args=args))
    _rows(done).without(diagnostic)
    return True


def _zero(actuals: ActualsFile, plan: Plan, diagnostic: Diagnostic) -> bool:
    """A zero budget under 零预算 报错: E606, at the budget or at a row computing from the rate (the
    engine applies 不评分 and 满分 itself; `recompute` says so up front)."""
    return diagnostic.code == "E606" and zero_figure(actuals, plan) is not None


def _zero_budget(done: Recomputed, plan: Plan, diagnostic: Diagnostic | None) -> bool:
    """The rules' 零预算 reported at the budget and applied to every row computed from the rate."""
    figure = zero_figure(done.actuals, plan)
    if figure is None or done.zero_said:
        return False
    done.zero_said = True
    mode = plan.budget.zero
    done.found.append(zero_budget(mode, figure))
    done.budget_unread = done.budget_unread or mode == "error"
    patched = _rows(done)
    rows = rate_rows(plan, replace(done.actuals, entries=patched.live()))
    done.plan = without_formulas(plan, {indicator.path for _, indicator in rows})
    for entry, indicator in rows:
        done.found.extend(zero_row(mode, figure, entry, indicator))
        _replaced(patched, entry, _zero_row(done, entry, indicator, mode), diagnostic)
    patched.without(diagnostic)
    return True


def _zero_row(done: Recomputed, entry: Entry, indicator: IndicatorPlan, mode: str) -> Entry:
    """A row computed from a zero budget, as 零预算 says: unknown (报错), 不适用 (不评分) or full marks."""
    done.unchecked.add(entry.line)  # F174 or F175 gives its printed and recomputed score
    if mode == "full":
        cells = entry.row.model_copy(
            update={"adjusted": number_text(indicator.weight), "reason": ZERO_REASON}
        )
        return replace(entry, row=cells)
    if mode == "none":
        return replace(entry, row=entry.row.model_copy(update={"actual": "/"}), value=NotApplicable())
    done.set_aside.add(entry.line)
    cells = entry.row.model_copy(update={"actual": UNKNOWN, "adjusted": "", "reason": ""})
    return replace(entry, row=cells, value=Unknown())


def _missing(done: Recomputed, plan: Plan, diagnostic: Diagnostic) -> bool:
    """An indicator of the ruleset the table has no row for: F172, and an unknown row in its place."""
    name = str(diagnostic.args.get("name", ""))
    indicator = plan.by_path.get(name)
    if indicator is None:
        return False
    done.found.append(Discrepancy("F172", diagnostic.span, name, indicator=name))
    rows = _rows(done)
    entry = _unknown_entry(indicator, rows.count, done.actuals.file_span())
    done.set_aside.add(entry.line)
    rows.add(entry)
    return True


def _unknown_entry(plan: IndicatorPlan, count: int, span: Span) -> Entry:
    """A row in place of one the table lacks, on no line of the table (`count`: the table's rows so far)."""
    ind = plan.indicator
    row = ActualRow(level1=ind.level1, level2=ind.level2, name=ind.name, actual=UNKNOWN)
    return Entry(row, Unknown(), -count - 1, {"name": span})


def _printed_score(done: Recomputed, entry: Entry, diagnostic: Diagnostic) -> bool:
    """A band word or an asserted row: the table's printed score is the evaluator's."""
    printed = printed_score(entry.row.score)
    if printed is None:
        weight = printed_score(entry.row.weight)
        percent = percent_score(entry.row.score, weight.value if weight is not None else None)
        if percent is not None:  # 80%: not read as 0.8 points (F159 says what to write)
            where = "/".join((entry.row.level1, entry.row.level2, entry.row.name))
            args: dict[str, object] = {"what": ("得分", "score"), "detail": percent}
            done.found.append(Discrepancy("F159", entry.span("score"), where, entry.row.score, args=args))
        return _set_aside(done, entry, diagnostic)
    cells = entry.row.model_copy(update={"adjusted": printed.text(), "reason": REASON})
    _replaced(_rows(done), entry, replace(entry, row=cells), diagnostic)
    return True


def _set_aside(done: Recomputed, entry: Entry, diagnostic: Diagnostic) -> bool:
    """A row that cannot be recomputed: say why (F159 …), and take its score as unknown."""
    if entry.line in done.set_aside and diagnostic.code not in ("E503", "E507", "E515", "E211"):
        return False
    done.found.extend(_discrepancies(entry, diagnostic, done.plan))
    done.set_aside.add(entry.line)
    rows = _rows(done)
    if diagnostic.code in ("E503", "E507", "E515", "E211"):  # not a row of the ruleset: left out
        rows.drop(entry)
        rows.without(diagnostic)
        return True
    cells = entry.row.model_copy(update={"actual": UNKNOWN, "adjusted": "", "reason": ""})
    _replaced(rows, entry, replace(entry, row=cells, value=Unknown()), diagnostic)
    return True


def _discrepancies(entry: Entry, diagnostic: Diagnostic, plan: Plan | None) -> Iterator[Discrepancy]:
    row, code = entry.row, diagnostic.code
    where = "/".join((row.level1, row.level2, row.name))
    detail = (diagnostic.message("zh"), diagnostic.message("en"))
    if code == "E506":
        yield Discrepancy(
            "F160", diagnostic.span, where, row.actual, "", {"target": row.target, "detail": detail}
        )
    elif code in ("E503", "E515", "E211"):
        yield Discrepancy("F171", diagnostic.span, where, args={"detail": detail})
    elif code == "E507":
        yield Discrepancy("F173", diagnostic.span, where, args={"detail": detail})
    elif code == "E504" and not row.target.strip():
        yield Discrepancy("F162", diagnostic.span, where)
    elif code == "E511":  # the printed score is not one the rules allow (outside the word's band, > 分值)
        allowed = allowed_scores(plan, entry)
        span = entry.span("score") if row.reason == REASON else diagnostic.span  # the printed score's cell
        yield Discrepancy("F154", span, where, row.adjusted or row.score, allowed, {"detail": detail})
    else:
        what = ("得分", "score") if code == "E608" else ("实际完成值", "actual value")
        yield Discrepancy("F159", diagnostic.span, where, row.actual, "", {"what": what, "detail": detail})


def _replaced(rows: Rows, old: Entry, new: Entry, diagnostic: Diagnostic | None) -> None:
    rows.replace(old, new)
    rows.without(diagnostic)
