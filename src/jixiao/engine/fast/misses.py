"""What the plan's generated functions (special.py) call when a memo of theirs has no answer, and the memos
only they keep: rows not seen before learnt, the budget block at a new rate, a derived indicator's row,
a project's findings made when first read.

`Misses` holds no generated function (each gets what it calls back as an argument: `learn`'s `again`):
the functions hold it, never the other way round, so a compiled ruleset that is dropped is freed at
once, with its memos, not when the cycle collector next walks the heap (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from jixiao.crash import internal_error
from jixiao.engine.actuals import ActualsFile, RowLine
from jixiao.engine.fast.budget import EXACT_RATE, FastBudget
from jixiao.engine.fast.rational import Bail, Pair
from jixiao.engine.fast.result import Disagreement
from jixiao.engine.fast.run import DERIVED, MEMO_LIMIT, FastRun, Record
from jixiao.engine.results import Finding, Result

Score = Callable[[ActualsFile], Result | None]
# A derived indicator at a rate, by its row's record: that record, the score, its findings
DerivedHit = tuple[Record, int, tuple[Finding, ...]]
# What a rounded rate gives: the budget's points, whether 需说明 holds, its findings by `2 × F106 + F127`,
# and per derived indicator a memo of its score by its row's record
Rated = tuple[int, bool, tuple[tuple[Finding, ...], ...], tuple[dict[int, DerivedHit], ...]]
# A project's findings by the ids of what they come from, with those objects (so no id is reused meanwhile)
Found = tuple[tuple[Finding, ...], object, object, object]
_first = itemgetter(0)
THIRD = itemgetter(2)  # a record's findings
_FIFTH = itemgetter(4)  # a record's token (`FastRun.tokens`: its run and indicator)
_SIXTH = itemgetter(5)  # a record's score alone
# `found_miss` remembers a project's findings the second time their key comes: most projects of a batch
# differ in some row with findings, and a memo entry per project (four objects the collector walks again
# and again, 65,536 of them at most) cost more than making the findings. A key seen once is a mark in a
# table of `SEEN_SLOTS` bytes (by its hash; nothing the collector walks), cleared when `SEEN_CLEARED` are
# marked: a mark another key set makes it remembered the first time, which is only a memo entry more.
SEEN_SLOTS = 1 << 16
SEEN_CLEARED = SEEN_SLOTS // 8


class Misses:
    """The memos only the generated functions keep, and what they call when one has no answer."""

    def __init__(self, run: FastRun, general: Score) -> None:
        self.run, self.general = run, general
        budget: FastBudget = run.budget
        assert budget.rate_rounder is not None  # special.fits()
        self.budget, self.power = budget, budget.rate_rounder[2]
        self.rated: dict[int, Rated] = {}
        self.derived_kept = 0  # entries in the derived memos of all rates (bounded by MEMO_LIMIT)
        self.derived = tuple(f.index for f in run.derived)
        self.where = [0] * len(self.derived)  # where each derived indicator's row was last
        self.found: dict[tuple[int, ...], Found] = {}  # a project's findings, see `found_miss`
        self.seen = bytearray(SEEN_SLOTS)  # the keys of findings made once (`SEEN_SLOTS`)
        self.marked = 0

    def learn(self, actuals: ActualsFile, again: Score) -> Result | None:
        """A project with rows not seen before: those rows scored into the memo (`FastRun._row`, as the
        general path would), then the project by `again`, the generated function that does not learn
        (it keeps their records in the rows); the general path when a row is not the fast evaluator's
        to score or the memo does not keep them all (it starts over)."""
        try:
            self._records(actuals)
        except Bail:
            return self.general(actuals)
        return again(actuals)

    def rated_miss(self, rate: int) -> Rated | None:
        """The budget block at a rounded rate (as `FastBudget.run` scores it), remembered; None: it bails."""
        budget = self.budget
        pair = (rate, self.power)
        try:
            points, explains = budget._scored({"执行率": pair, "分值": budget.weight})
        except Bail:
            return None
        found = budget._found(pair)
        if len(self.rated) >= MEMO_LIMIT:
            self.rated.clear()
        rated = self.rated[rate] = (points, explains, found, tuple({} for _ in self.derived))
        return rated

    def where_miss(self, which: int, records: tuple[Record, ...]) -> Record:
        """The row of the `which`-th derived indicator (every indicator has one), its position remembered."""
        index = self.derived[which]
        at = next(at for at, record in enumerate(records) if record[3] == index)
        self.where[which] = at
        return records[at]

    def derived_miss(
        self,
        which: int,
        rate: int,
        record: Record,
        records: tuple[Record, ...],
        actuals: ActualsFile,
        memo: dict[int, DerivedHit],
        exact: Pair,
    ) -> DerivedHit | None:
        """The `which`-th derived indicator (实际 = 执行率) at a rounded rate, given by the row of `record`
        (its memo record: one per row text and value), remembered by that record unless its value was
        also compared with the `exact` rate (F108); None: it bails."""
        entry = next(e for e, r in zip(actuals.entries, records, strict=True) if r is record)
        folded = self.run.folded[self.derived[which]]
        try:
            budget = {"执行率": (rate, self.power), EXACT_RATE: exact}
            score, findings, by_rate = self.run.derived_hit(folded, budget, entry)
        except Bail:
            return None
        if not by_rate:
            return (record, score, findings)
        self.derived_kept += 1
        if self.derived_kept > MEMO_LIMIT:  # all rates' derived memos together: the budget's memo starts over
            self.rated.clear()
            self.derived_kept = 0
        # keyed by the record's id: the value holds the record, so no other object has that id meanwhile
        got = memo[id(record)] = (record, score, findings)
        return got

    def deferred(self, state: tuple[Any, ...]) -> tuple[Finding, ...]:
        """The findings of a project the generated function scored, made when first read (`Result.findings`)
        from what it kept: `(its Pending, its actual values, this method, the sum of its rows' scores,
        the budget's findings, each derived hit)`. The rows' records are looked up again (scored again
        if the memo has started over meanwhile) and must add up to the same sum: rows changed after the
        file was scored so that they score otherwise are an error (E901), as when its table is filled in."""
        try:
            records = self._kept(state[1]) or self._records(state[1])
        except Exception as exc:
            raise internal_error(exc) from exc
        if sum(map(_SIXTH, records)) != state[3]:
            raise internal_error(Disagreement("the file's rows changed after it was scored"))
        budget: tuple[Finding, ...] = state[4]
        derived: tuple[DerivedHit, ...] = state[5:]
        rows = [*filter(THIRD, records)]  # the rows with findings, and those of derived indicators
        key = (id(budget), *map(id, derived), *map(id, rows))
        hit = self.found.get(key)
        if hit is not None:
            return hit[0]
        return self.found_miss(key, (), budget, rows, derived)

    def _kept(self, actuals: ActualsFile) -> list[Record] | None:
        """The records a file's rows keep for this run (`actuals.Scorable`), in table order; None when a row
        keeps none of this run's (the memo's then, `_records`)."""
        try:
            records: list[Record] = [row.scored for row in _rows(actuals)]  # type: ignore[attr-defined]
        except AttributeError:  # a row of another kind
            return None
        return records if self.run.owned.issuperset(map(_FIFTH, records)) else None

    def _records(self, actuals: ActualsFile) -> list[Record]:
        """The memo's records of a file's rows, in table order; a row whose record is not there (not seen
        yet, or the memo started over) or is for another value is scored into the memo (`FastRun._row`,
        as the general path would). Raises `Bail` for a row that is not the fast evaluator's to score."""
        given = _rows(actuals)
        memo, row = self.run.memo, self.run._row
        records = [memo.get(line.key) for line in given]
        if all(r is not None and r[0] is line.value for r, line in zip(records, given, strict=True)):
            return records  # type: ignore[return-value]  # (none is None)
        return [  # the entries, made of the deferred rows if need be: `_row` reads an `Entry`
            r if r is not None and r[0] is entry.value else row(entry)
            for r, entry in zip(records, actuals.entries, strict=True)
        ]

    def found_miss(
        self,
        key: tuple[int, ...] | None,
        given: Sequence[Finding],
        budget: tuple[Finding, ...],
        rows: list[Record],
        derived: tuple[DerivedHit, ...],
    ) -> tuple[Finding, ...]:
        """A project's findings (as `FastRun.score` orders them: the file's, the budget's, each indicator's
        in table order), remembered by `key`: the ids of the tuples and records they come from, which the
        memo holds (so no other object has one of these ids while the key is there); only from the second
        time a key comes (`SEEN_SLOTS`)."""
        by_index = [(r[3], r[2]) for r in rows if r[2] is not None and r[2] is not DERIVED]
        by_index += [(self.derived[w], got[2]) for w, got in enumerate(derived) if got[2]]
        by_index.sort(key=_first)
        findings = (*given, *budget, *chain.from_iterable(f for _, f in by_index))
        if key is not None and self._again_seen(key):
            if len(self.found) >= MEMO_LIMIT:
                self.found.clear()
            self.found[key] = (findings, budget, rows, derived)
        return findings

    def _again_seen(self, key: tuple[int, ...]) -> bool:
        """Whether `key` (or another with its mark) came before; else its mark is set."""
        slot = hash(key) & (SEEN_SLOTS - 1)
        if self.seen[slot]:
            return True
        if self.marked >= SEEN_CLEARED:
            self.seen[:] = bytes(SEEN_SLOTS)
            self.marked = 0
        self.seen[slot] = 1
        self.marked += 1
        return False


def _rows(actuals: ActualsFile) -> Sequence[RowLine]:
    """A file's rows as the generated function reads them: as a reader read them (a long table's, or a
    first read's, `Deferred`), else its entries."""
    deferred = actuals._lines
    return actuals.entries if deferred is None else deferred.lines
