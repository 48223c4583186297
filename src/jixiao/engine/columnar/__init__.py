"""The columnar backend (`pip install "jixiao[fast]"`): a batch of projects of one plan on numpy arrays.

    columnar = ColumnarEvaluator.of(fast)        # None: numpy missing, or a plan it does not take
    results = columnar.score(files)              # a Result per project; None: the caller's evaluators

Exact scaled integers (int64, bounds checked before every product; never a float): each distinct row
is scored once by the fast evaluator's own row path, the budget block is computed on arrays and scored
once per distinct rate, sums and checks per project are array operations. A project the arrays cannot
finish is handed back as None (the fast evaluator, then the reference, score it), so results are the
reference evaluator's, digit for digit; tables fill in lazily like the fast evaluator's results.
Modules: `arrays` (numpy loaded on first use, integer rounding), `rows`, `figures`, `budget`, `run`.
See docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.columnar.arrays import available
from jixiao.engine.columnar.batch import Batch, read_files
from jixiao.engine.columnar.budget import refusal as budget_refusal
from jixiao.engine.columnar.run import ColumnarRun, Totals, derived_refusal
from jixiao.engine.fast import FastEvaluator
from jixiao.engine.results import Result

__all__ = ["CHUNK", "STREAM", "ColumnarEvaluator", "available", "refusal"]

CHUNK = 8192  # projects per array pass: bounds memory (a project × indicator table of counts)
STREAM = 1024  # projects a stream (`score_many`) reads ahead: a read file from text keeps tens of KiB


def refusal(fast: FastEvaluator) -> str | None:
    """Why the columnar backend does not take this plan (then every project goes to `fast`), or None."""
    if not available():
        return "numpy 未安装"
    return budget_refusal(fast.plan) or derived_refusal(fast.run)


class ColumnarEvaluator:
    """Scores batches of one plan on arrays; projects it cannot finish come back as None."""

    def __init__(self, fast: FastEvaluator) -> None:
        self.fast = fast
        self.run = ColumnarRun(fast.run)

    @staticmethod
    def of(fast: FastEvaluator) -> ColumnarEvaluator | None:
        return ColumnarEvaluator(fast) if refusal(fast) is None else None

    def read(self, files: Sequence[ActualsFile]) -> Batch:
        """The batch of these files (at most `CHUNK` of them), the columnar backend's parsed form."""
        return read_files(files, self.fast.run.budget, self.fast.run.identity)

    def totals(self, files: Sequence[ActualsFile]) -> list[Totals | None]:
        """Total, grade and findings per project (None: not finished here), a chunk at a time."""
        found: list[Totals | None] = []
        for start in range(0, len(files), CHUNK):
            found += self.run.totals(self.read(files[start : start + CHUNK]))
        return found

    def score(self, files: Sequence[ActualsFile]) -> list[Result | None]:
        """A lazy result per project (its table filled in by the reference when read), or None."""
        fast = self.fast
        return [
            None if t is None else fast.result(*t, file)
            for file, t in zip(files, self.totals(files), strict=True)
        ]
