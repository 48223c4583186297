"""Findings of a whole batch at once: each project's findings as a row of ids, each distinct row once.

A project's findings are, in the fast evaluator's order, the file's (F110 …), the budget block's (F106,
F127), then each indicator's in table order. Every findings tuple a row, a derived indicator or the
budget block gives is numbered once (`Registry`); a project is then a row of ids — column 0 the budget
block, column 1 + i indicator i — and each distinct row of ids becomes one tuple, shared by every
project that has it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial, reduce
from operator import add
from typing import Any

from jixiao.engine.columnar.arrays import numpy, unique_rows
from jixiao.engine.results import Finding

Found = tuple[Finding, ...]


class Registry:
    """Findings tuples numbered by identity (a finding holds a dict: not hashable); 0 is no findings.
    The registry keeps every tuple it numbered, so no identity is reused while it lives."""

    def __init__(self) -> None:
        self.ids: dict[int, int] = {}
        self.found: list[Found] = [()]

    def id(self, found: Found) -> int:
        if not found:
            return 0
        number = self.ids.get(id(found))
        if number is None:
            number = self.ids[id(found)] = len(self.found)
            self.found.append(found)
        return number


class Table:
    """Per project, the id of each column's findings (see the module's docstring)."""

    def __init__(self, count: int, indicators: int) -> None:
        np = numpy()
        self.registry = Registry()
        self.ids = np.zeros((count, 1 + indicators), dtype=np.int64)

    def budget(self, ids: Any) -> None:
        self.ids[:, 0] = ids

    def indicator(self, projects: Any, indexes: Any, ids: Any) -> None:
        self.ids[projects, 1 + indexes] = ids

    def tuples(self, chosen: Any, files: Sequence[Sequence[Finding]]) -> list[Found]:
        """The findings of each chosen project, in order."""
        np = numpy()
        ids = self.ids[chosen]
        ids = ids[:, np.flatnonzero(ids.any(axis=0))]
        if ids.shape[1] == 0:
            answer: list[Found] = [()] * len(chosen)
        else:
            distinct, inverse = unique_rows(ids)
            answer = self._joined(distinct)[inverse].tolist()
        noted = np.fromiter(map(bool, files), bool, len(files))[chosen]
        for at in np.flatnonzero(noted).tolist():
            answer[at] = (*files[int(chosen[at])], *answer[at])
        return answer

    def _joined(self, distinct: Any) -> Any:
        """Each row of ids as one tuple (an object array): rows with k ids are joined column by column,
        k tuples at a time (`tuple + tuple` in C), and a row with one id shares its registered tuple."""
        np = numpy()
        found = self.registry.found
        filled = distinct != 0
        counts = filled.sum(axis=1)
        joined = np.empty(len(distinct), dtype=object)
        for empty in np.flatnonzero(counts == 0).tolist():  # at most one: the rows are distinct
            joined[empty] = ()
        for k in np.unique(counts[counts > 0]).tolist():
            which = np.flatnonzero(counts == k)
            rows = distinct[which]
            columns = rows[filled[which]].reshape(-1, k).T.tolist()  # row-major: each row's ids in order
            parts = [map(found.__getitem__, column) for column in columns]
            tuples = reduce(partial(map, add), parts[1:], parts[0])
            joined[which] = np.fromiter(tuples, dtype=object, count=len(which))
        return joined
