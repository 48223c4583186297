"""A batch of projects as columns: the parsed form the columnar backend scores (`read_files`).

Every row of every project becomes a code: rows with the same cells (`Entry.key`) share one, and
`entries` keeps one entry per code, the one scored. The budget figures become int64 arrays in 元
(figures.py). What `FastRun.score` tests on the whole file (reading errors, traditional cells, an
adjusted budget score) becomes a flag per project. Building a batch reads every entry's attributes
once, in Python; scoring it (run.py) touches only arrays and the distinct rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, is_, is_not
from typing import Any

from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.engine.columnar.arrays import numpy
from jixiao.engine.columnar.figures import Figures
from jixiao.engine.evaluate.findings import other_year
from jixiao.engine.fast.budget import FastBudget
from jixiao.engine.identity import Identity
from jixiao.engine.results import Finding

ENTRIES, KEY, VALUE = attrgetter("entries"), attrgetter("key"), attrgetter("value")
DIAGNOSTICS, TRADITIONAL = attrgetter("diagnostics"), attrgetter("traditional")
INFO = attrgetter("info")
ADJUSTMENT, NOTE, FINDINGS = (
    attrgetter("budget_adjustment"),
    attrgetter("budget_note"),
    attrgetter("findings"),
)


@dataclass(frozen=True)
class Batch:
    """Projects of one plan as arrays (see the module's docstring)."""

    count: int
    entries: list[Entry]  # one per code
    keys: list[str | tuple[str, ...]]  # each code's `Entry.key`
    values: list[object]  # each code's parsed value
    code: Any  # int64 per row, the projects one after the other
    lengths: Any  # int64 rows per project
    start: Any  # int64 first row of each project
    project: Any  # int64 project of each row
    same: Any  # bool per row: its parsed value is its code's (the same object, or equal)
    plain: Any  # bool per project: no reading error, traditional cell or adjusted budget score
    noted: Any  # bool per project: the budget block has a note (偏差原因)
    findings: list[Sequence[Finding]]  # per project: the findings of reading it (F112, F113, F110 …)
    figures: Figures


def read_files(files: Sequence[ActualsFile], budget: FastBudget, identity: Identity | None = None) -> Batch:
    """The batch of parsed files (`ActualsFile`s of one plan's projects); `identity`: what the plan
    compares each file's project name, 主管部门 and 实施单位 with (F112, F113 before the file's findings)."""
    np = numpy()
    count = len(files)
    lengths = np.fromiter(map(len, map(ENTRIES, files)), np.int64, count)
    entries = list(chain.from_iterable(map(ENTRIES, files)))
    keys = list(map(KEY, entries))
    first = dict(zip(keys, entries, strict=True))  # one entry per distinct row
    numbering = dict(zip(first, range(len(first)), strict=True))
    listed = list(map(numbering.__getitem__, keys))
    kept = list(first.values())
    scored = list(map(VALUE, kept))
    start = np.concatenate(([0], np.cumsum(lengths)[:-1])) if count else np.zeros(0, np.int64)
    return Batch(
        count=count,
        entries=kept,
        keys=list(first),
        values=scored,
        code=np.array(listed, dtype=np.int64),
        lengths=lengths,
        start=start.astype(np.int64),
        project=np.repeat(np.arange(count, dtype=np.int64), lengths),
        same=_same_values(entries, scored, listed),
        plain=_plain(files, budget.year),
        noted=np.fromiter(map(bool, map(NOTE, files)), bool, count),
        findings=list(map(FINDINGS, files)) if identity is None else _given(files, identity),
        figures=Figures.of(files, budget),
    )


def _given(files: Sequence[ActualsFile], identity: Identity) -> list[Sequence[Finding]]:
    """Each file's findings with F112 and F113 first (`FastRun.score`): a file naming no project and
    carrying no project information has only its own."""
    return [identity.given(f) if f.project or f.info else f.findings for f in files]


def _same_values(entries: list[Entry], scored: list[object], listed: list[int]) -> Any:
    np = numpy()
    values = list(map(VALUE, entries))
    same = np.fromiter(map(is_, values, map(scored.__getitem__, listed)), bool, len(values))
    for row in np.flatnonzero(~same).tolist():
        same[row] = values[row] == scored[listed[row]]
    return same


def _plain(files: Sequence[ActualsFile], year: int | None) -> Any:
    """`FastRun.score`'s first test: no reading errors, no traditional cells, no adjusted budget, no
    year other than the ruleset's in the title (F138)."""
    np = numpy()
    count = len(files)
    errors = np.fromiter(map(bool, map(DIAGNOSTICS, files)), bool, count)
    traditional = np.fromiter(map(bool, map(TRADITIONAL, files)), bool, count)
    adjusted = np.fromiter(map(is_not, map(ADJUSTMENT, files), repeat(None)), bool, count)
    plain = ~(errors | traditional | adjusted)
    if year is not None:  # a title's year (only a table with a title has info): compared once per file
        for index in np.flatnonzero(np.fromiter(map(bool, map(INFO, files)), bool, count)).tolist():
            plain[index] &= other_year(files[index], year) is None
    return plain
