"""Findings of a whole batch at once: each project's findings as a row of ids, each distinct row once.

A project's findings are, in the fast evaluator's order, the file's (F110 …), the budget block's (F106,
F127), then each indicator's in table order. Every findings tuple a row, a derived indicator or the
budget block gives is numbered once (`Registry`); a project is then a row of ids — column 0 the budget
block, column 1 + i indicator i — and each distinct row of ids becomes one tuple, shared by every
project that has it.
"""

from __future__ import annotations

from itertools import chain
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

    def tuples(self, chosen: Any, files: list[list[Finding]]) -> list[Found]:
        """The findings of each chosen project, in order."""
        np = numpy()
        ids = self.ids[chosen]
        ids = ids[:, np.flatnonzero(ids.any(axis=0))]
        found = self.registry.found
        if ids.shape[1] == 0:
            answer: list[Found] = [()] * len(chosen)
        else:
            distinct, inverse = unique_rows(ids)
            shared = [tuple(chain.from_iterable(map(found.__getitem__, row))) for row in distinct.tolist()]
            answer = list(map(shared.__getitem__, inverse.tolist()))
        for at, project in enumerate(chosen.tolist()):
            if files[project]:
                answer[at] = (*files[project], *answer[at])
        return answer
