"""Scoring a batch: every project under its ruleset, a failure kept with its diagnostics, never a stop.

`score_projects` turns the `Project`s of `io.projects.read_projects` into `Outcome`s in order. A
project that names its own ruleset (`Project.ruleset`) is scored with it, the others with the one
given; each ruleset is loaded once. A project whose file could not be read, whose ruleset has errors
or whose scoring failed becomes an outcome without a result, carrying the diagnostics.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.crash import is_internal
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.columnar import STREAM
from jixiao.engine.results import Result
from jixiao.io.parallel import jobs_for, ordered_map
from jixiao.io.projects import Project
from jixiao.io.rulesets import CompiledRuleset, load_ruleset


@dataclass(frozen=True)
class Outcome:
    """One project of a batch: its 1-based position, the ruleset used, the result or why there is none."""

    index: int
    project: Project
    ruleset: str
    result: Result | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


class Rulesets:
    """Rulesets loaded once each, by the path a project or the command line names; their policies (采用)
    are looked for next to each ruleset, in `roots` and among the packaged policies."""

    def __init__(self, roots: Sequence[str] = ()) -> None:
        self._roots = roots
        self._loaded: dict[str, CompiledRuleset | JixiaoError] = {}

    def get(self, path: str) -> CompiledRuleset | JixiaoError:
        if path not in self._loaded:
            try:
                self._loaded[path] = load_ruleset(Path(path), roots=self._roots)
            except JixiaoError as exc:
                self._loaded[path] = exc
        return self._loaded[path]


def score_projects(
    projects: Iterable[Project],
    ruleset: str,
    roots: Sequence[str] = (),
    jobs: int | None = 1,
    backend: str = "auto",
) -> Iterator[Outcome]:
    """Score every project in order: with its own ruleset if it names one, else with `ruleset`; in `jobs`
    processes (0 or None: one per core; io/parallel.py), each loading the rulesets it needs once. In one
    process, `backend` (`CompiledRuleset.score_many`) may score a chunk of each ruleset's projects on
    arrays first (engine/columnar); the others are scored one at a time, with the same results."""
    rulesets = Rulesets(roots)
    work = ((index, project, project.ruleset or ruleset) for index, project in enumerate(projects, start=1))
    count = jobs_for(jobs)
    if count == 1:
        while chunk := list(itertools.islice(work, STREAM)):
            done = _columnar_chunk(chunk, rulesets, backend)
            for index, project, path in chunk:
                result = done.get(index)
                yield (
                    Outcome(index, project, path, result)
                    if result is not None
                    else score_project(index, project, path, rulesets)
                )
    else:
        for (index, project, path), (result, diagnostics) in ordered_map(_score_chunk, work, count, rulesets):
            yield Outcome(index, project, path, result, diagnostics)


def _columnar_chunk(
    chunk: list[tuple[int, Project, str]], rulesets: Rulesets, backend: str
) -> dict[int, Result]:
    """The results the columnar backend finishes, by position: each ruleset's readable projects at once."""
    groups: dict[str, list[tuple[int, ActualsFile]]] = {}
    for index, project, path in chunk:
        if project.actuals is not None:
            groups.setdefault(path, []).append((index, project.actuals))
    done: dict[int, Result] = {}
    for path, members in groups.items():
        compiled = rulesets.get(path)
        if isinstance(compiled, JixiaoError):
            continue
        results = compiled.score_batch([file for _, file in members], backend=backend)
        done.update((index, r) for (index, _), r in zip(members, results, strict=True) if r is not None)
    return done


def _score_chunk(
    rulesets: Rulesets, chunk: list[tuple[int, Project, str]]
) -> list[tuple[Result | None, tuple[Diagnostic, ...]]]:
    """A chunk scored in a worker: each result (complete) or diagnostics; the projects are the caller's."""
    outcomes = [score_project(index, project, path, rulesets) for index, project, path in chunk]
    return [(o.result, o.diagnostics) for o in outcomes]


def score_project(index: int, project: Project, ruleset: str, rulesets: Rulesets) -> Outcome:
    if project.actuals is None:
        diagnostics = project.error.diagnostics if project.error is not None else []
        return Outcome(index, project, ruleset, None, tuple(diagnostics))
    compiled = rulesets.get(ruleset)
    if isinstance(compiled, JixiaoError):
        return Outcome(index, project, ruleset, None, tuple(compiled.diagnostics))
    try:
        return Outcome(index, project, ruleset, compiled.score(project.actuals))
    except JixiaoError as exc:
        if is_internal(exc):  # a bug, not this project's input: it stops the run (exit 70, see crash.py)
            raise
        return Outcome(index, project, ruleset, None, tuple(exc.diagnostics))
