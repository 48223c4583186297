"""A batch scored on arrays: rows (rows.py), budget (budget.py), derived indicators, totals, findings.

Derived indicators (实际 = …) whose formula reads no budget figure but 执行率 depend on the rounded rate
and on the row that may also give the value (F108): each distinct (rate, row) pair is scored once by
`FastRun._derived`. Totals are rounded and graded once per distinct total (`FastRun.total`); findings
are shared per distinct combination (findings.py). A project the arrays cannot finish is `None` in
the answer: the caller gives it to the fast evaluator, then the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar

from jixiao.engine.columnar.arrays import numpy, unique_rows
from jixiao.engine.columnar.batch import Batch
from jixiao.engine.columnar.budget import Budgets, ColumnarBudget
from jixiao.engine.columnar.findings import Table
from jixiao.engine.columnar.rows import Rows, score_rows
from jixiao.engine.fast.budget import EXACT_RATE, FIGURE_SET
from jixiao.engine.fast.rational import Bail, variables
from jixiao.engine.fast.rows import Folded
from jixiao.engine.fast.run import FastRun, Unrounded
from jixiao.engine.figure import Figure
from jixiao.engine.results import Finding

Totals = tuple[Figure, str | None, tuple[Finding, ...]]


@dataclass(frozen=True)
class Columns:
    """A batch's totals as columns, project by project: the total (None: the fast evaluator must score the
    project), its grade and its findings. Three lists of shared objects, where a tuple per project would
    be one more object per project for the cycle collector to walk (docs/performance.md, "列式")."""

    totals: Sequence[Figure | None]
    grades: Sequence[str | None]
    findings: Sequence[tuple[Finding, ...]]

    def rows(self) -> list[Totals | None]:
        """(total, grade, findings) per project; None where the total is None."""
        return [
            None if total is None else (total, grade, found)
            for total, grade, found in zip(self.totals, self.grades, self.findings, strict=True)
        ]


_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_V = TypeVar("_V")
_B = TypeVar("_B")


def derived_refusal(run: FastRun) -> str | None:
    """Why a derived indicator is not scored by rate here, or None."""
    for folded in run.derived:
        formula = folded.plan.indicator.actual
        if formula is None or variables(formula) & FIGURE_SET:
            return f"「{folded.plan.path}」的实际值公式读取预算数字"
    return None


class ColumnarRun:
    """A plan's batches scored on arrays; `refusal` (package) must be None for its plan."""

    def __init__(self, run: FastRun) -> None:
        self.run = run
        self.budget = ColumnarBudget(run.budget)

    def totals(self, batch: Batch) -> list[Totals | None]:
        """Total, grade and findings per project of the batch; None: the fast evaluator must score it."""
        return self.columns(batch).rows()

    def columns(self, batch: Batch) -> Columns:
        """The batch's totals, grades and findings as three lists (`Columns`): no object per project."""
        np = numpy()
        table = Table(batch.count, len(self.run.folded))
        rows = score_rows(self.run, batch)
        budgets = self.budget.run(batch, table.registry)
        table.budget(budgets.findings)
        ok = rows.ok & budgets.ok & batch.plain
        points = rows.points + budgets.points
        if self.run.derived:
            ok &= self._derived(batch, rows, budgets, ok, points, table)
        _row_findings(batch, rows, table)
        chosen = np.flatnonzero(ok)
        figures, grades = self._graded(points, chosen)
        found = table.tuples(chosen, batch.findings)
        if len(chosen) == batch.count:
            return Columns(figures, grades, found)
        where, count = chosen.tolist(), batch.count
        return Columns(
            _spread(where, figures, count, None),
            _spread(where, grades, count, None),
            _spread(where, found, count, ()),
        )

    def _graded(self, points: Any, chosen: Any) -> tuple[list[Figure], list[str | None]]:
        """The chosen projects' rounded totals and their grades, computed once per distinct total."""
        np = numpy()
        distinct, inverse = np.unique(points[chosen], return_inverse=True)
        graded = list(map(self.run.total, distinct.tolist()))
        totals = np.fromiter(map(_FIRST, graded), dtype=object, count=len(graded))
        grades = np.fromiter(map(_SECOND, graded), dtype=object, count=len(graded))
        inverse = inverse.reshape(-1)
        return totals[inverse].tolist(), grades[inverse].tolist()

    def _derived(self, batch: Batch, rows: Rows, budgets: Budgets, ok: Any, points: Any, table: Table) -> Any:
        """Add the derived indicators' scores to `points`; False where the fast evaluator must score."""
        np = numpy()
        unit = 10**self.budget.digits
        fine = ok.copy()
        chosen = np.flatnonzero(ok)
        for folded in self.run.derived:
            written = _written(batch, rows, folded)
            pairs = np.stack([budgets.rates[chosen], written[chosen]], axis=1)
            distinct, inverse = unique_rows(pairs)
            scored = [self._one(folded, r, w, batch, unit) for r, w in distinct.tolist()]
            declined = np.array([hit is None for hit in scored], dtype=bool)
            each = np.array([hit is UNROUNDED for hit in scored], dtype=bool)
            score = np.array(
                [0 if hit is None or hit is UNROUNDED else hit[0] for hit in scored], dtype=np.int64
            )
            ids = np.array(
                [0 if hit is None or hit is UNROUNDED else table.registry.id(hit[1]) for hit in scored],
                dtype=np.int64,
            )
            fine[chosen[declined[inverse]]] = False
            score, ids = score[inverse], ids[inverse]
            for at in np.flatnonzero(each[inverse]).tolist():  # compared with the project's unrounded rate
                hit = self._each(folded, int(chosen[at]), int(written[chosen[at]]), batch, budgets)
                if hit is None:
                    fine[chosen[at]] = False
                else:
                    score[at], ids[at] = hit[0], table.registry.id(hit[1])
            points[chosen] += score
            table.indicator(chosen, folded.index, ids)
        return fine

    def _one(self, folded: Folded, rate: int, code: int, batch: Batch, unit: int) -> Any:
        """The derived indicator at a rounded rate with a row: (points, findings); None where the fast
        evaluator must score; `UNROUNDED` where the row's value is compared with each project's unrounded
        rate (F108, `FastRun.derived_hit`)."""
        entry = batch.entries[code] if code >= 0 else None
        try:
            return self.run._derived(folded, {"执行率": (rate, unit)}, entry)
        except Unrounded:
            return UNROUNDED
        except Bail:
            return None

    def _each(
        self, folded: Folded, project: int, code: int, batch: Batch, budgets: Budgets
    ) -> tuple[int, tuple[Finding, ...]] | None:
        """`_one` for one project, with its unrounded rate."""
        entry = batch.entries[code] if code >= 0 else None
        num, den = budgets.exact
        budget = {
            "执行率": (int(budgets.rates[project]), 10**self.budget.digits),
            EXACT_RATE: (int(num[project]), int(den[project])),
        }
        try:
            points, found, _ = self.run.derived_hit(folded, budget, entry)
        except Bail:
            return None
        return points, found


UNROUNDED = object()  # `ColumnarRun._one`: the value depends on each project's unrounded rate


def _spread(where: list[int], part: Sequence[_V], count: int, blank: _B) -> list[_V | _B]:
    """`part`'s items at the places `where`, `blank` everywhere else (a list `count` long)."""
    every: list[_V | _B] = [blank] * count
    for i, value in zip(where, part, strict=True):
        every[i] = value
    return every


def _written(batch: Batch, rows: Rows, folded: Folded) -> Any:
    """Per project, the code of the row giving this derived indicator, or -1."""
    np = numpy()
    written = np.full(batch.count, -1, dtype=np.int64)
    mine = np.flatnonzero(rows.index == folded.index)
    written[batch.project[mine]] = batch.code[mine]
    return written


def _row_findings(batch: Batch, rows: Rows, table: Table) -> None:
    """Each indicator row's findings into the table."""
    np = numpy()
    codes = rows.codes
    ids = np.zeros(len(codes.findings), dtype=np.int64)
    special = np.flatnonzero(codes.special)
    ids[special] = [table.registry.id(codes.findings[c]) for c in special.tolist()]
    noted = np.flatnonzero(rows.noted)
    table.indicator(batch.project[noted], rows.index[noted], ids[batch.code[noted]])
