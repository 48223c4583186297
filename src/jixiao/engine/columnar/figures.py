"""A chunk's budget figures as int64 arrays: 全年预算数 and 全年执行数 of the chosen row, in 元.

The same numbers as `FastBudget._figures` (each figure's `amount`, the integer pair of number × scale; a
bare number's times the money unit), read for every project at once. A project is `ok` when it gives
exactly one of each in the chosen row and no figure in another money dimension; otherwise the fast
evaluator takes it.
A figure that does not fit int64 declines its project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.columnar.arrays import INT64_LIMIT, numpy
from jixiao.engine.fast.budget import FastBudget

BUDGET = attrgetter("budget")
ANNUAL, EXECUTED, OTHER, BAD = 0, 1, 2, 3  # what a figure is for the budget score


@dataclass(frozen=True)
class Figures:
    ok: Any  # bool per project
    annual: tuple[Any, Any]  # 全年预算数 (numerators, denominators) per project
    executed: tuple[Any, Any]  # 全年执行数

    @staticmethod
    def of(files: Sequence[ActualsFile], fast: FastBudget) -> Figures:
        np = numpy()
        count = len(files)
        figs = list(chain.from_iterable(map(BUDGET, files)))
        project = np.repeat(np.arange(count), np.fromiter(map(len, map(BUDGET, files)), np.int64, count))
        kinds = _kinds(figs, fast)
        read = np.flatnonzero(kinds <= EXECUTED)  # the score reads no other figure (`FastBudget._figures`)
        num, den = np.zeros(len(figs), dtype=np.int64), np.ones(len(figs), dtype=np.int64)
        num[read], den[read], big = _numbers([figs[i] for i in read.tolist()], fast)
        kinds[read[big]] = BAD
        ok = np.ones(count, dtype=bool)
        ok[project[kinds == BAD]] = False
        for kind in (ANNUAL, EXECUTED):
            ok &= np.bincount(project[kinds == kind], minlength=count) == 1
        parts = (num, den)
        return Figures(
            ok, _pick(project, kinds, ANNUAL, parts, count), _pick(project, kinds, EXECUTED, parts, count)
        )


def _kinds(figs: list[Any], fast: FastBudget) -> Any:
    """ANNUAL, EXECUTED, OTHER (a figure the score does not read) or BAD (a wrong money unit)."""
    np = numpy()
    row, dimension = fast.plan.row, fast.unit_dimension
    seen: dict[tuple[str, str, str], int] = {}

    def kind(fig: Any) -> int:
        key = (fig.row, fig.figure, fig.dimension)
        if key not in seen:
            dim = key[2]
            if dim not in ("", dimension):
                seen[key] = BAD  # E506
            elif key[0] != row:
                seen[key] = OTHER
            else:
                seen[key] = {"全年预算数": ANNUAL, "全年执行数": EXECUTED}.get(key[1], OTHER)
        return seen[key]

    return np.fromiter(map(kind, figs), np.int8, len(figs))


def _numbers(figs: list[Any], fast: FastBudget) -> tuple[Any, Any, Any]:
    """These figures' numerators and denominators in 元 (exact Python integers, then int64), as
    `FastBudget._figures` computes them, and whether each is too large for int64 (then its value here
    is 0/1 and its project is declined)."""
    np = numpy()
    un, ud = fast.unit_scale

    def in_yuan(fig: Any) -> tuple[int, int]:
        num, den = fig.amount
        if fig.dimension == "":  # a bare number is in the project's money unit
            return num * un, den * ud
        return num, den

    pairs = list(map(in_yuan, figs))
    nums, dens = [p[0] for p in pairs], [p[1] for p in pairs]
    big = [abs(n) >= INT64_LIMIT or d >= INT64_LIMIT for n, d in pairs]
    if any(big):
        nums = [0 if b else n for n, b in zip(nums, big, strict=True)]
        dens = [1 if b else d for d, b in zip(dens, big, strict=True)]
    return np.array(nums, dtype=np.int64), np.array(dens, dtype=np.int64), np.array(big, dtype=bool)


def _pick(project: Any, kinds: Any, kind: int, parts: tuple[Any, Any], count: int) -> tuple[Any, Any]:
    """Per project, the figure of this kind (where there is exactly one; 0/1 elsewhere)."""
    np = numpy()
    chosen = kinds == kind
    num, den = np.zeros(count, dtype=np.int64), np.ones(count, dtype=np.int64)
    num[project[chosen]] = parts[0][chosen]
    den[project[chosen]] = parts[1][chosen]
    return num, den
