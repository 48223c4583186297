"""Many projects in one run: every input names one or more projects, each read on its own.

A batch is a sequence of `Project`s. A project whose file cannot be read carries its
`JixiaoError` instead of actual values, so one broken file never stops the others.
Today an input is an actual-value file (one project, named by the file's stem) or a
folder of them (read in a stable order).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jixiao.diagnostics import JixiaoError, Span
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals import read_actuals

ACTUALS_SUFFIXES = (".csv",)


@dataclass(frozen=True)
class Project:
    """One project of a batch: its actual values, or why they could not be read."""

    name: str  # how a summary calls it: a file's stem, a sheet's name, a project column's value
    origin: str  # where it came from, for messages: a path, or "path:sheet"
    actuals: ActualsFile | None
    error: JixiaoError | None = None
    ruleset: str | None = None  # a ruleset the input itself names; None means the command line's


def read_projects(inputs: Iterable[str | Path]) -> Iterator[Project]:
    """The projects of every input, in order: a file is one project, a folder each file in it."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ACTUALS_SUFFIXES)
            if not files:
                reason = ("文件夹中没有实际值文件（.csv）", "the folder holds no actual-value file (.csv)")
                yield Project(
                    path.name,
                    str(path),
                    None,
                    JixiaoError.single("E105", Span(str(path), 1, 1), reason=reason),
                )
            for file in files:
                yield _file_project(file)
        else:
            yield _file_project(path)


def _file_project(path: Path) -> Project:
    try:
        return Project(path.stem, str(path), read_actuals(path))
    except JixiaoError as exc:
        return Project(path.stem, str(path), None, exc)
