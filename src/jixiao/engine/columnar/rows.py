"""A batch's indicator rows: each distinct row scored once, then sums and checks on arrays.

Each code (a distinct row, batch.py) is scored once by the fast evaluator's own row path (`FastRun`:
binding, `written_actual`, the folded indicator, and its memo), so the columnar backend reads and
scores a row exactly as the fast and reference evaluators do. Per project, on int64 arrays: the sum of
row scores, no indicator twice (E507), none missing (E508), and whether every row could be scored
here (not a row the fast evaluator declines, nor a value other than the one scored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.engine.actuals import Entry
from jixiao.engine.columnar.arrays import fits, largest, numpy
from jixiao.engine.columnar.batch import Batch
from jixiao.engine.fast.rational import Bail
from jixiao.engine.fast.run import DERIVED, FastRun
from jixiao.engine.results import Finding

DECLINED = -1  # the indicator index of a row the fast evaluator declines


@dataclass(frozen=True)
class Codes:
    """What each distinct row gives: its indicator, its score, its findings (by code)."""

    index: Any  # int64 indicator index; DECLINED for a declined row
    score: Any  # int64 score in the run's unit (0 for a derived indicator's row)
    findings: list[tuple[Finding, ...]]  # DERIVED marks a derived indicator's row


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
    codes = _score_codes(run, batch.entries)
    index, lengths, count = codes.index[batch.code], batch.lengths, batch.count
    ok = (lengths > 0) & _all_per_project(batch.same & (index != DECLINED), batch.project, count)
    ok &= _each_once(run, index, batch.project, count)
    if not fits(largest(codes.score), int(lengths.max(initial=0))):
        ok[:] = False
    points = np.zeros(count, dtype=np.int64)
    filled = lengths > 0
    if filled.any():
        points[filled] = np.add.reduceat(codes.score[batch.code], batch.start[filled])
    special = np.fromiter((bool(f) and f is not DERIVED for f in codes.findings), bool, len(codes.findings))
    return Rows(codes, index, ok, points, special[batch.code])


def _score_codes(run: FastRun, entries: list[Entry]) -> Codes:
    """Each distinct row through the fast evaluator's row path (and its memo)."""
    np = numpy()
    index, score, findings = [], [], []
    memo = run.memo
    for entry in entries:
        record = memo.get(entry.key)
        if record is None or record[0] is not entry.value:
            try:
                record = run._row(entry)
            except Bail:
                record = (entry.value, 0, None, DECLINED)
        index.append(record[3])
        score.append(record[1] >> run.shift)  # the record packs the score with the indicator's bit
        findings.append(record[2] or ())
    if score and largest(score) >= 1 << 62:  # a score beyond int64: every row of this batch declines
        index = [DECLINED] * len(index)
        score = [0] * len(score)
    return Codes(np.array(index, dtype=np.int64), np.array(score, dtype=np.int64), findings)


def _all_per_project(flags: Any, project: Any, count: int) -> Any:
    np = numpy()
    return np.bincount(project[~flags], minlength=count) == 0


def _each_once(run: FastRun, index: Any, project: Any, count: int) -> Any:
    """No indicator twice in a project (E507) and every one that must have a row has one (E508)."""
    np = numpy()
    width = len(run.folded)
    valid = index >= 0
    cells = project[valid] * width + index[valid]
    seen = np.bincount(cells, minlength=count * width).reshape(count, width)
    required = np.array([f.derived is None for f in run.folded], dtype=bool)
    return (seen.max(axis=1, initial=0) <= 1) & (seen[:, required].min(axis=1, initial=1) >= 1)
