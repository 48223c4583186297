"""Scoring a batch: every project under its ruleset, a failure kept with its diagnostics, never a stop.

`score_projects` turns the `Project`s of `io.projects.read_projects` (or the files of
`io.projects.sources`, read where they are scored) into `Outcome`s in order. A project that names its
own ruleset (`Project.ruleset`) is scored with it, the others with the one given; each ruleset is loaded
once. A project whose file could not be read, whose ruleset has errors or whose scoring failed becomes an
outcome without a result, carrying the diagnostics.

With several processes (this one among them) each reads, scores and finishes its chunks of projects
(`finish`: e.g. renders the project's file and keeps only a `Brief` of the result), so that only what
the caller keeps comes back from a worker.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from jixiao.crash import is_internal
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, file_span
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.figure import Figure
from jixiao.engine.results import Result
from jixiao.engine.roots import normalized_ref, packaged_dir
from jixiao.io.parallel import jobs_for, ordered_map
from jixiao.io.projects import Mapped, Project
from jixiao.io.rulesets import CompiledRuleset, columnar_available, columnar_backend, load_ruleset
from jixiao.language.frozen import frozen


@frozen
class Brief:
    """What a batch's summary shows of a result: all a worker process sends back of it (see `finish`)."""

    total: Figure
    grade: str | None
    rate: Figure | None  # the budget's execution rate
    findings: int
    project: str = ""  # the project's name in its ruleset (项目 "…")

    @classmethod
    def of(cls, result: Result) -> Brief:
        rate = result.budget.rate if result.budget is not None else None
        return cls(result.total, result.grade, rate, len(result.findings), result.project)


@frozen
class Outcome:
    """One project of a batch: its 1-based position, the ruleset used, the result or why there is none.

    A finished outcome (`score_projects(finish=…)`) keeps a `brief` of its result and its rendered
    `part` of the output instead of the result itself."""

    index: int
    project: Project
    ruleset: str
    result: Result | None
    diagnostics: tuple[Diagnostic, ...] = ()
    brief: Brief | None = None
    part: object = None  # what `finish` rendered of the project (a file's bytes, a section of a document)
    title: str = ""  # the project's name in its ruleset (项目 "…") when the ruleset loaded, scored or not

    @property
    def scored(self) -> Brief | None:
        """What the summary shows; None when the project has no result."""
        if self.brief is not None:
            return self.brief
        return Brief.of(self.result) if self.result is not None else None

    @property
    def name(self) -> str:
        """How a summary names the project, scored or not: as its input does (项目名称, a project column, a
        sheet of a workbook), else as its ruleset does (项目 "…") when the ruleset loaded, else by its
        file's stem (the summary shows the file in its file column)."""
        if self.project.named:
            return self.project.name
        scored = self.scored
        title = scored.project if scored is not None and scored.project else self.title
        return title or self.project.name

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


Read = Callable[[Path], list[Project]]
"""How a file of the batch becomes its projects (`io.projects.file_projects` with the caller's options)."""
Finish = Callable[[Outcome], Outcome]
"""What is kept of an outcome (in the worker that scored it); must pickle (a module-level function)."""


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
                policy = missing(exc, path) and policy_name(path, self._roots)
                self._loaded[path] = JixiaoError.single("E215", file_span(path), name=path) if policy else exc
        return self._loaded[path]

    def of(self, project: Project, path: str) -> CompiledRuleset | JixiaoError:
        """The ruleset `path` for `project`: one its ruleset map names and that cannot be read (a file
        not there, a policy's name) is E532 at the map's cell, naming the project and the ruleset."""
        mapped = project.mapped
        if mapped is not None and mapped.span is not None and path == mapped.ruleset and not mapped.written:
            return unusable(project, mapped, None, self._roots)  # an empty cell: no file to look for
        compiled = self.get(path)
        if not isinstance(compiled, JixiaoError) or mapped is None or mapped.span is None:
            return compiled
        if path != mapped.ruleset or not (missing(compiled, path) or compiled.diagnostics[0].code == "E215"):
            return compiled
        return unusable(project, mapped, compiled, self._roots)


def missing(exc: JixiaoError, path: str) -> bool:
    """Whether loading `path` failed because there is no such file (E105, and nothing else)."""
    return len(exc.diagnostics) == 1 and exc.diagnostics[0].code == "E105" and not Path(path).is_file()


def policy_name(ref: str, roots: Sequence[str] = ()) -> bool:
    """Whether `ref` is a policy's name (standard/hubei) that 采用 finds in `roots` or among the packaged
    policies: given as the ruleset to score with, it has no indicators."""
    try:
        name = normalized_ref(ref, file_span(ref))
    except JixiaoError:
        return False
    folders = [*(Path(folder) for folder in roots), packaged_dir()]
    return any((folder / name).is_file() for folder in folders)


def unusable(project: Project, mapped: Mapped, exc: JixiaoError | None, roots: Sequence[str]) -> JixiaoError:
    """E532 at the map's cell: `exc` is why its ruleset could not be loaded (None: the cell is empty)."""
    args: dict[str, object] = {"project": project.name, "ruleset": mapped.written}
    if exc is None:
        args["problem"] = ("是空的：这一格没有写规则文件", "is empty: the cell names no ruleset file")
        args["fix"] = (
            "在这一格写项目的规则文件（路径从对应表所在的文件夹算起）；用命令行给的规则评分的项目可删去这一行",
            "name the project's ruleset file in this cell (a path from the map's folder); delete the row "
            "of a project scored with the command line's ruleset",
        )
    elif policy_name(mapped.written, roots) or exc.diagnostics[0].code == "E215":
        args["problem"] = (
            "是评分办法，不是项目规则：评分办法没有项目的指标，不能单独给项目评分",
            "is a policy, not a project ruleset: a policy has no indicators and cannot score a project alone",
        )
        args["fix"] = (
            f"在对应表中写项目的规则文件（.jx，采用「{mapped.written}」并列出指标）；填好的自评表可先用 "
            f"jixiao import --policy {mapped.written} 生成项目规则，或用 jixiao audit 按评分办法复核"
            "（audit 同样读 --rulesets 对应表）",
            f"name the project's ruleset file (.jx, using “{mapped.written}” and listing the indicators); "
            f"make one from a filled-in table with jixiao import --policy {mapped.written}, or check the "
            "table against the policy with jixiao audit (which reads the same --rulesets map)",
        )
    else:
        reason = exc.diagnostics[0].args.get("reason", ("", ""))
        zh, en = reason if isinstance(reason, tuple) else (str(reason), str(reason))
        args["problem"] = (f"无法读取（{mapped.ruleset}：{zh}）", f"cannot be read ({mapped.ruleset}: {en})")
        args["fix"] = (
            "规则文件的路径从对应表所在的文件夹算起；改正文件名，或写已有的项目规则文件",
            "a ruleset's path is taken from the map's folder: correct the name, or name an existing ruleset",
        )
    return JixiaoError([Diagnostic("E532", mapped.span, args)])


def score_projects(
    projects: Iterable[Project | Path],
    ruleset: str,
    roots: Sequence[str] = (),
    jobs: int | None = 1,
    read: Read | None = None,
    finish: Finish | None = None,
    backend: str = "auto",
    rulesets: Rulesets | None = None,
) -> Iterator[Outcome]:
    """Score every project in order: with its own ruleset if it names one, else with `ruleset`; in `jobs`
    processes (0 or None: one per core; io/parallel.py), each loading the rulesets it needs once.

    A `Path` among `projects` is a file read with `read` where it is scored (in a worker, or here for a
    chunk this process scores itself); `finish` turns each outcome into what is kept, there too. With
    several processes outcomes come without their projects' actual values, wherever they were scored.
    In one process, `backend="columnar"` (`CompiledRuleset.score_many`) scores a chunk of each ruleset's
    projects on arrays first (engine/columnar); the others, and every project with "auto" or "fast",
    are scored one at a time, with the same results. `rulesets`: the rulesets loaded already (the command
    line's, loaded for its warnings), else loaded here as projects name them."""
    work = _Work(rulesets if rulesets is not None else Rulesets(roots), ruleset, read, finish, backend)
    count = jobs_for(jobs)
    done: Iterator[list[Outcome]]
    if count == 1 and (backend != "columnar" or not columnar_available()):
        done = (work.outcomes(item) for item in projects)  # streams one by one
    elif count == 1:
        items = iter(projects)
        stream = columnar_backend().STREAM
        done = (work.chunk(c) for c in iter(lambda: list(itertools.islice(items, stream)), []))
    else:
        expected = operator.length_hint(projects) or None
        done = (o for _item, o in ordered_map(_work_chunk, projects, count, work, expected=expected))
    index = 0
    for outcomes in done:
        for outcome in outcomes:
            index += 1
            yield replace(outcome, index=index)


@frozen
class _Work:
    """What a worker needs to turn an item of the batch into its outcomes (sent once to each)."""

    rulesets: Rulesets
    ruleset: str
    read: Read | None
    finish: Finish | None
    backend: str = "auto"

    def projects(self, item: Project | Path) -> list[Project]:
        if isinstance(item, Path):
            if self.read is None:
                raise TypeError("score_projects: a file among the projects needs read=")
            return self.read(item)
        return [item]

    def outcomes(self, item: Project | Path) -> list[Outcome]:
        """The outcomes of one item (a file may hold several projects), numbered later."""
        outcomes = [
            score_project(0, p, p.ruleset or self.ruleset, self.rulesets) for p in self.projects(item)
        ]
        return self._finished(outcomes)

    def chunk(self, items: list[Project | Path]) -> list[Outcome]:
        """The outcomes of a chunk in one process: each ruleset's projects on arrays first, if it can."""
        work = [
            (i, p, p.ruleset or self.ruleset)
            for i, p in enumerate(x for item in items for x in self.projects(item))
        ]
        done = _columnar_chunk(work, self.rulesets, self.backend)
        outcomes = [
            Outcome(0, p, path, done[i]) if i in done else score_project(0, p, path, self.rulesets)
            for i, p, path in work
        ]
        return self._finished(outcomes)

    def _finished(self, outcomes: list[Outcome]) -> list[Outcome]:
        return [self.finish(o) for o in outcomes] if self.finish is not None else outcomes


def _work_chunk(work: _Work, chunk: list[Project | Path]) -> list[list[Outcome]]:
    """A chunk in a worker: each item's outcomes, sent back without the actual values read."""
    return [
        [replace(o, project=replace(o.project, actuals=None)) for o in work.outcomes(item)] for item in chunk
    ]


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


def score_project(index: int, project: Project, ruleset: str, rulesets: Rulesets) -> Outcome:
    compiled = rulesets.of(project, ruleset)
    title = compiled.name if not isinstance(compiled, JixiaoError) else ""  # the summary's name (`name`)
    if project.actuals is None:
        diagnostics = project.error.diagnostics if project.error is not None else []
        return Outcome(index, project, ruleset, None, tuple(diagnostics), title=title)
    if isinstance(compiled, JixiaoError):
        return Outcome(index, project, ruleset, None, tuple(compiled.diagnostics))
    try:
        return Outcome(index, project, ruleset, compiled.score(project.actuals), title=title)
    except JixiaoError as exc:
        if is_internal(exc):  # a bug, not this project's input: it stops the run (exit 70, see crash.py)
            raise
        return Outcome(index, project, ruleset, None, tuple(exc.diagnostics), title=title)
