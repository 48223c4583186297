"""A batch's indicator rows: each distinct row scored once, then sums and checks on arrays.

Each code (a distinct row, batch.py) is scored once by the fast evaluator's own row path (`FastRun`:
binding, `written_actual`, the folded indicator, and its memo), so the columnar backend reads and
scores a row exactly as the fast and reference evaluators do. Per project, on int64 arrays: the sum of
row scores, no indicator twice (E507), none missing (E508), and whether every row could be scored
here (not a row the fast evaluator declines, nor a value other than the one scored).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import is_, is_not, itemgetter, rshift
from typing import Any

from jixiao.engine.actuals import Entry
from jixiao.engine.columnar.arrays import fits, largest, numpy
from jixiao.engine.columnar.batch import Batch
from jixiao.engine.fast.rational import Bail
from jixiao.engine.fast.run import DERIVED, FastRun, Record
from jixiao.engine.results import Finding

DECLINED = -1  # the indicator index of a row the fast evaluator declines
_FIRST, _SECOND, _THIRD, _FOURTH = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)
_UNSEEN: Record = (object(), 0, None, DECLINED, None, 0)  # a row the memo does not hold: never its value


@dataclass(frozen=True)
class Codes:
    """What each distinct row gives: its indicator, its score, its findings (by code)."""

    index: Any  # int64 indicator index; DECLINED for a declined row
    score: Any  # int64 score in the run's unit (0 for a derived indicator's row)
    findings: list[tuple[Finding, ...] | None]  # None: none; DERIVED marks a derived indicator's row
    special: Any  # bool: findings of the row's own (neither none nor DERIVED)


@dataclass(frozen=True)
class Rows:
    """Per project the row sum and whether the arrays can finish it (`ok`); per row, findings."""

    codes: Codes
    index: Any  # int64 indicator per row
    ok: Any  # bool per project
    points: Any  # int64 per project: the sum of its rows' scores
    noted: Any  # bool per row: a row with findings


def score_rows(run: FastRun, batch: Batch) -> Rows:
    np = numpy()
    codes = _score_codes(run, batch)
    index, lengths, count = codes.index[batch.code], batch.lengths, batch.count
    ok = (lengths > 0) & _all_per_project(batch.same & (index != DECLINED), batch.project, count)
    if not fits(largest(codes.score), int(lengths.max(initial=0))):
        ok[:] = False
    points = np.zeros(count, dtype=np.int64)
    filled = lengths > 0
    if filled.any():
        points[filled] = np.add.reduceat(codes.score[batch.code], batch.start[filled])
    ok &= each_once([f.derived is None for f in run.folded], index, batch.project, lengths)
    return Rows(codes, index, ok, points, codes.special[batch.code])


def _score_codes(run: FastRun, batch: Batch) -> Codes:
    """Each distinct row through the fast evaluator's row path (and its memo): a dictionary lookup per
    row the memo holds for the same value, the row path for the others."""
    np = numpy()
    records = list(map(run.memo.get, batch.keys, repeat(_UNSEEN)))
    same = list(map(is_, map(_FIRST, records), batch.values))
    if not all(same):
        for at in [at for at, hit in enumerate(same) if not hit]:
            records[at] = _row(run, batch.entries[at])
    packed = list(map(_SECOND, records))
    score = list(map(rshift, packed, repeat(run.shift)))  # the record packs the indicator's bit in
    index = list(map(_FOURTH, records))
    if score and max(max(score), -min(score)) >= 1 << 62:  # beyond int64: every row here declines
        index, score = [DECLINED] * len(index), [0] * len(score)
    findings = list(map(_THIRD, records))
    count = len(findings)
    special = np.fromiter(map(bool, findings), bool, count)
    special &= np.fromiter(map(is_not, findings, repeat(DERIVED)), bool, count)
    return Codes(np.array(index, dtype=np.int64), np.array(score, dtype=np.int64), findings, special)


def _row(run: FastRun, entry: Entry) -> Record:
    try:
        return run._row(entry)
    except Bail:
        return (entry.value, 0, None, DECLINED, None, 0)


def _all_per_project(flags: Any, project: Any, count: int) -> Any:
    np = numpy()
    return np.bincount(project[~flags], minlength=count) == 0


def each_once(required: list[bool], index: Any, project: Any, lengths: Any) -> Any:
    """Per project (its rows `lengths` long, one after the other), no indicator twice (E507) and every
    required one present (E508); rows with a negative index do not count.

    With an indicator's bit per row, a project's rows add up to their OR exactly when no bit comes
    twice, and the OR holds every required bit exactly when none is missing. Too many indicators for
    such bits: a project × indicator table of counts (`each_once_counted`)."""
    np = numpy()
    if not fits(1 << len(required), int(lengths.max(initial=0))):
        return each_once_counted(required, index, project, len(lengths))
    filled = np.flatnonzero(lengths > 0)
    starts = (np.cumsum(lengths) - lengths)[filled]
    bits = np.where(index >= 0, np.left_shift(1, np.maximum(index, 0)), 0)
    wanted = sum(1 << i for i, r in enumerate(required) if r)
    once = np.zeros(len(lengths), dtype=bool)
    if len(filled):
        added, joined = np.add.reduceat(bits, starts), np.bitwise_or.reduceat(bits, starts)
        once[filled] = (added == joined) & ((joined & wanted) == wanted)
    return once


def each_once_counted(required: list[bool], index: Any, project: Any, count: int) -> Any:
    """`each_once` with a project × indicator table of counts."""
    np = numpy()
    width = len(required)
    valid = index >= 0
    cells = project[valid] * width + index[valid]
    seen = np.bincount(cells, minlength=count * width).reshape(count, width)
    wanted = np.array(required, dtype=bool)
    return (seen.max(axis=1, initial=0) <= 1) & (seen[:, wanted].min(axis=1, initial=1) >= 1)
