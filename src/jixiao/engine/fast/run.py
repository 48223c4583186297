"""Scoring a project on integers, with a memo of the rows already seen.

A row's score depends only on the row (its cells and parsed value) for every indicator the fast
compiler takes, except the derived ones (实际 = …, which read the budget). So each distinct row is
bound and scored once per compiled ruleset; the next project with the same row (合理, 100%, 按时完成
are everywhere) costs a dictionary lookup. The memo is keyed by the row's text (`Entry.key`) and
holds the parsed value it was scored for: a row whose value is another object is scored again.
The budget block, the derived indicators and the total are computed per project.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import chain
from operator import itemgetter

from jixiao.engine.actuals import ActualsFile, Entry, explains
from jixiao.engine.evaluate.actual import Problem, differs, written_actual, written_agrees, written_differs
from jixiao.engine.evaluate.base import figure
from jixiao.engine.evaluate.findings import other_year
from jixiao.engine.evaluate.run import row_candidates
from jixiao.engine.evaluate.totals import grade_of
from jixiao.engine.fast.budget import EXACT_RATE, FastBudget
from jixiao.engine.fast.rational import Bail, Env, Missing, NumberFn, compile_condition, compile_number
from jixiao.engine.fast.rows import Folded, fold
from jixiao.engine.figure import Figure
from jixiao.engine.identity import Identity
from jixiao.engine.plan import Plan, target_quantity
from jixiao.engine.results import Finding
from jixiao.language import nodes as n
from jixiao.language.quantity import Comparator, NumericActual, NumericTarget, Quantity, RangeTarget
from jixiao.language.rounding import round_scaled

# A row's record: (the parsed value scored, its score and the indicator's bit packed in one integer
# (`FastRun.pack`), its findings — None when it has none, DERIVED for a row giving a derived
# indicator's value —, the indicator's index, the indicator's token in this run (`FastRun.tokens`:
# whose record it is, and for which indicator, when a row keeps it, `actuals.Scorable`), its score
# alone (0 for a derived indicator's row))
Record = tuple[object, int, tuple[Finding, ...] | None, int, object, int]
DERIVED: tuple[Finding, ...] = (Finding("", None),)  # a marker, never a finding of a result
MEMO_LIMIT = 1 << 16  # rows remembered per compiled ruleset; the memo starts over beyond that
# A derived row's memo: its points, findings (without F108 when that is decided per project), the value
# written, and the derived value when F108 is decided per project (with the unrounded rate), else None
Derived = tuple[int, tuple[Finding, ...], object, NumericActual | None]
_first, _second = itemgetter(0), itemgetter(1)  # a derived row: its score, findings, the value written
RATE = n.Var("执行率")  # 实际 = 执行率: a derived indicator whose value is the budget's rate itself


class Unrounded(Bail):
    """A derived row's written value must be compared with the value at the unrounded rate (F108), and the
    budget's variables hold only the rounded one (the columnar path: it asks for each project's)."""


class FastRun:
    """The integer evaluator of one plan (see `fast.compile_fast`); shared by threads, like the plan.

    A project's rows are added up in one integer per row: the row's score shifted left past the bits
    of every indicator, plus the indicator's bit. The sum's low bits tell which indicators have a row:
    with no more rows than indicators they cannot carry into the score, and they hold as many set bits
    as there are rows exactly when no indicator has two rows (a sum of k powers of two has fewer than
    k set bits unless they are all different)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.year = plan.ruleset.document.year  # a table of another year goes to the reference (F138)
        stages = [p.stage.rounder for p in plan.plans] + [plan.budget.stage.rounder]
        self.digits = max((r.digits for r in stages if r is not None), default=0)
        explain = tuple(compile_condition(e.condition) for e in plan.rules.explain)
        formulas: dict[n.Expr, NumberFn] = {}  # the same formula (a 公式 used by many rows) compiled once

        def number(expr: n.Expr) -> NumberFn:
            if expr not in formulas:
                formulas[expr] = compile_number(expr)
            return formulas[expr]

        self.folded = tuple(fold(plan, i, self.digits, explain, number) for i in range(len(plan.plans)))
        self.index = {p.path: i for i, p in enumerate(plan.plans)}
        self.derived = tuple(f for f in self.folded if f.derived is not None)
        self.count = len(self.folded)
        self.shift = self.count + self.count.bit_length()  # the bits below a row's score
        self.low = (1 << self.shift) - 1
        self.required = sum(f.bit for f in self.folded if f.derived is None)
        self.budget = FastBudget(plan, self.digits)
        doc = (
            plan.ruleset
        )  # what each file's project name, 主管部门, 实施单位 are compared with (None: nothing)
        self.identity = Identity.of(doc.name, doc.meta("department"), doc.meta("unit"))
        self.memo: dict[str | tuple[str, ...], Record] = {}
        # per indicator, in each of its records: a row keeping a record names the run and the indicator by
        # it (a plain object: a row keeping it keeps no plan alive); `owned`: a record is this run's
        self.tokens = tuple(object() for _ in self.folded)
        self.owned = frozenset(self.tokens)
        self.bindings: dict[tuple[str, str, str], int] = {}  # bounded by the rows of the memo
        self.derived_memo: dict[tuple[object, ...], Derived] = {}
        self.rate_derived = frozenset(  # 实际 = 执行率 (the budget's rate, read as it is)
            f.index
            for f in self.derived
            if f.plan.indicator.actual == RATE and f.constant is not None and RATE.name not in f.constant
        )
        total = plan.total_stage.rounder
        assert total is not None  # accept.stage_rounded
        self.total_digits, self.total_mode = total.digits, total.mode
        self.totals: dict[int, tuple[Figure, str | None]] = {}
        stage = plan.total_stage
        self.plain_total = stage.display is None and stage.digits == total.digits
        self.grades = grade_bounds(plan.rules.grades, total.digits)

    def _grade(self, rounded: int) -> str | None:
        assert self.grades is not None
        return grade_by_bounds(self.grades, rounded)

    def pack(self, score: int, bit: int) -> int:
        """A row's score (in the run's unit, never negative) and its indicator's bit in one integer."""
        return (score << self.shift) | bit

    def score(self, actuals: ActualsFile) -> tuple[int, tuple[Finding, ...]] | None:
        """A project's total (in the run's unit) and findings, or None: the reference must score it."""
        entries = actuals.entries
        if actuals.diagnostics or actuals.traditional or actuals.budget_adjustment is not None:
            return None
        if actuals.info and other_year(actuals, self.year) is not None:
            return None  # F138: the reference says so
        given: Sequence[Finding] = actuals.findings  # F112, F113 first when the file names a project
        if self.identity is not None and (actuals.project or actuals.info):
            given = self.identity.given(actuals)
        if len(entries) > self.count:
            return None  # E507 (two rows for one indicator) or E503 (a row for none)
        get = self.memo.get
        packed = 0
        extras: list[tuple[Record, Entry]] | None = None
        try:
            for entry in entries:
                record = get(entry.key)
                if record is None or record[0] is not entry.value:
                    record = self._row(entry)
                packed += record[1]
                if record[2] is not None:
                    if extras is None:
                        extras = [(record, entry)]
                    else:
                        extras.append((record, entry))
            bits = packed & self.low
            if bits & self.required != self.required or bits.bit_count() != len(entries):
                return None  # E508: an indicator without its row; E507: two rows for one indicator
            points, found, values = self.budget.run(actuals)
            points += packed >> self.shift
            if extras is None and not self.derived:  # nothing more to compute: the common case
                return points, (*given, *found) if given else found
            derived, more = self._indicators(values, extras or [])
        except Bail:
            return None
        if given or found:
            return points + derived, (*given, *found, *more)
        return points + derived, more

    # -- a row seen for the first time ------------------------------------------------------------------
    def _row(self, entry: Entry) -> Record:
        if entry.row.adjusted:
            raise Bail  # an evaluator's score (调整得分): the reference checks and records it
        folded = self._bound(entry)
        if folded.derived is not None:  # the value is computed; the row may give it too (F108)
            record: Record = (entry.value, folded.bit, DERIVED, folded.index, self.tokens[folded.index], 0)
        else:
            record = self._scored_row(folded, entry)
        if len(self.memo) >= MEMO_LIMIT:
            self.memo.clear()
        self.memo[entry.key] = record
        return record

    def _bound(self, entry: Entry) -> Folded:
        """The indicator a row is for (`Run._match`), remembered by its three names."""
        row = entry.row
        names = (row.level1, row.level2, row.name)
        index = self.bindings.get(names)
        if index is None:
            _, candidates = row_candidates(self.plan, row)
            if len(candidates) != 1:
                raise Bail  # E503, E515, E211
            index = self.bindings[names] = self.index[candidates[0].path]
        return self.folded[index]

    def _scored_row(self, folded: Folded, entry: Entry) -> Record:
        if entry.value is None:
            raise Bail  # E504, or a row scored by the file (得分系数, 认定)
        try:
            actual, findings = written_actual(folded.plan, entry, entry.value)
        except Problem:
            raise Bail from None
        score, more = folded.score(actual, explains(entry.row.note))
        found = (*findings, *more)
        scaled = score * folded.shift
        packed = self.pack(scaled, folded.bit)
        return (entry.value, packed, found or None, folded.index, self.tokens[folded.index], scaled)

    # -- derived indicators and findings -------------------------------------------------------------------
    def _indicators(self, budget: Env, extras: list[tuple[Record, Entry]]) -> tuple[int, tuple[Finding, ...]]:
        """The derived indicators' scores, and every indicator's findings in table order."""
        written: dict[int, Entry] = {}
        found: list[tuple[int, tuple[Finding, ...]]] = []
        for record, entry in extras:
            if record[2] is DERIVED:
                written[record[3]] = entry
            else:
                found.append((record[3], record[2]))  # type: ignore[arg-type]  # not None in extras
        points = 0
        for folded in self.derived:
            score, findings = self._derived(folded, budget, written.get(folded.index))
            points += score
            if findings:
                found.append((folded.index, findings))
        if len(found) < 2:
            return points, found[0][1] if found else ()
        found.sort(key=_first)
        return points, tuple(chain.from_iterable(map(_second, found)))

    def _derived(self, folded: Folded, budget: Env, entry: Entry | None) -> tuple[int, tuple[Finding, ...]]:
        """A derived indicator (实际 = …) from the budget's variables, remembered by its value and row."""
        score, findings, _ = self.derived_hit(folded, budget, entry)
        return score, findings

    def derived_hit(
        self, folded: Folded, budget: Env, entry: Entry | None
    ) -> tuple[int, tuple[Finding, ...], bool]:
        """`_derived`, and whether the result holds for any project with its row and rounded rate: not when
        the row's value disagrees with the derived value and is compared with the value at the project's
        unrounded rate too (F108). The score is remembered either way; that F108 is decided each time."""
        assert folded.derived is not None and folded.constant is not None
        if folded.index in self.rate_derived:  # 实际 = 执行率: the rate's pair, as the formula gives it
            rate = budget.get("执行率")
            if rate is None:
                raise Missing
            key: tuple[object, ...] = (folded.index, rate, entry.key if entry else None)
            num, den = rate
        else:
            num, den = folded.derived({**budget, **folded.constant})
            common = math.gcd(num, den)
            key = (folded.index, num // common, den // common, entry.key if entry else None)
        written = entry.value if entry else None
        hit = self.derived_memo.get(key)
        if hit is not None and hit[2] is written:
            if hit[3] is None:
                return hit[0], hit[1], True
            assert entry is not None  # the row's number disagrees with the derived value: F108 unless it is
            exact = self._unrounded(folded, budget, hit[3])  # the value at this project's unrounded rate
            if exact is not None and written_agrees(entry, exact, folded.plan, hit[3]):
                return hit[0], hit[1], False
            return hit[0], (differs(folded.plan, hit[3], entry, exact), *hit[1]), False
        value = _derived_actual(folded, Fraction(num, den))
        score, scored = folded.score(value, explains(entry.row.note) if entry else False)
        points, more = score * folded.shift, tuple(scored)
        asked: list[bool] = []

        def unrounded() -> NumericActual | None:
            asked.append(True)
            return self._unrounded(folded, budget, value)

        finding = written_differs(folded.plan, value, entry, unrounded)
        found = more if finding is None else (finding, *more)
        if hit is None or hit[2] is not written:
            if len(self.derived_memo) >= MEMO_LIMIT:
                self.derived_memo.clear()
            self.derived_memo[key] = (
                (points, more, written, value) if asked else (points, found, written, None)
            )
        return points, found, not asked

    def _unrounded(self, folded: Folded, budget: Env, derived: NumericActual) -> NumericActual | None:
        """`Run._unrounded`: the derived value at the rate before rounding, or None when it is the same.
        Raises `Unrounded` when the budget's variables lack that rate (the columnar path groups projects by
        the rounded one)."""
        assert folded.derived is not None and folded.constant is not None
        rate = budget.get("执行率")
        if rate is None:
            return None  # no rate: the formula reads none
        exact = budget.get(EXACT_RATE)
        if exact is None:
            raise Unrounded
        if exact[0] * rate[1] == rate[0] * exact[1]:
            return None
        if folded.index in self.rate_derived:
            num, den = exact
        else:
            num, den = folded.derived({**budget, **folded.constant, "执行率": exact})
        value = Fraction(num, den)
        if value == derived.quantity.base:
            return None
        return _derived_actual(folded, value)

    def scores(self, actuals: ActualsFile) -> dict[str, Fraction] | None:
        """Each indicator's score by path, as this evaluator computes it (for differential tests), or None."""
        if self.score(actuals) is None:
            return None
        unit = 10**self.digits
        rows = {
            self.plan.plans[r[3]].path: Fraction(r[1] >> self.shift, unit)
            for r in map(self._row, actuals.entries)
        }
        written = {self._bound(e).index: e for e in actuals.entries}
        budget = self.budget.run(actuals)[2]
        for folded in self.derived:
            points, _ = self._derived(folded, budget, written.get(folded.index))
            rows[folded.plan.path] = Fraction(points, unit)
        return rows

    # -- the total ----------------------------------------------------------------------------------------
    def total(self, total: int) -> tuple[Figure, str | None]:
        """The total as a figure (rounded at the total stage) and its grade, remembered by value."""
        hit = self.totals.get(total)
        if hit is not None:
            return hit
        rounded = round_scaled(total, 10**self.digits, self.total_digits, self.total_mode)
        if self.grades is not None and self.plain_total:  # in integers: the usual case
            found = (Figure.scaled(rounded, self.total_digits), self._grade(rounded))
        else:
            value = Fraction(rounded, 10**self.total_digits)
            found = (figure(self.plan.total_stage, value), grade_of(value, self.plan))
        if len(self.totals) < MEMO_LIMIT:
            self.totals[total] = found
        return found


# A bound of a grade's condition on the total scaled by 10**digits: (the bound's numerator × 10**digits,
# its denominator, the signs of `scaled total × denominator − that numerator` it allows: -1, 0, 1)
Bound = tuple[int, int, frozenset[int]]
_SIGNS = {
    Comparator.GE: frozenset({0, 1}),
    Comparator.GT: frozenset({1}),
    Comparator.LE: frozenset({-1, 0}),
    Comparator.LT: frozenset({-1}),
    Comparator.EQ: frozenset({0}),
}


def grade_bounds(grades: n.Grades | None, digits: int) -> tuple[tuple[str, tuple[Bound, ...]], ...] | None:
    """Each grade's name and its condition (`numeric_met`) as bounds on a total scaled by 10**digits;
    None: no grades, or a condition not given in these terms (then `grade_of` decides)."""
    if grades is None:
        return None
    out: list[tuple[str, tuple[Bound, ...]]] = []
    for grade in grades.grades:
        condition = grade.condition
        if condition is None:
            out.append((grade.name, ()))
        elif isinstance(condition, NumericTarget) and condition.comparator in _SIGNS:
            out.append((grade.name, (_bound(condition.quantity, condition.comparator, digits),)))
        elif isinstance(condition, RangeTarget):
            low = _bound(condition.low, Comparator.GE if condition.low_inclusive else Comparator.GT, digits)
            high = _bound(
                condition.high, Comparator.LE if condition.high_inclusive else Comparator.LT, digits
            )
            out.append((grade.name, (low, high)))
        else:
            return None
    return tuple(out)


def _bound(quantity: Quantity, comparator: Comparator, digits: int) -> Bound:
    base = quantity.base
    return base.numerator * 10**digits, base.denominator, _SIGNS[comparator]


def grade_by_bounds(grades: tuple[tuple[str, tuple[Bound, ...]], ...], rounded: int) -> str | None:
    """`grade_of` a total `rounded` (in 10**-digits of `grade_bounds`), by integer comparisons."""
    for name, bounds in grades:
        for num, den, signs in bounds:
            difference = rounded * den - num
            if (difference > 0) - (difference < 0) not in signs:
                break
        else:
            return name
    return None


def _derived_actual(folded: Folded, value: Fraction) -> NumericActual:
    """`Run._derived`: the value in the target's unit."""
    target = target_quantity(folded.plan)
    if target is None:
        return NumericActual(Quantity(value, Fraction(1), "", ""), False)
    return NumericActual(Quantity(value / target.scale, target.scale, target.unit, target.dimension), False)
