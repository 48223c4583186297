"""The rulesets of two folders, paired: by project name, then by file name; the rest added or removed.

A file that cannot be read carries its error instead of a ruleset, so one broken file
never stops the others; it is paired by file name only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.resolve import Ruleset, load
from jixiao.engine.roots import Folder, Roots
from jixiao.folders import Listed, listed
from jixiao.io.actuals import ActualsSource, load_actuals
from jixiao.io.actuals.reading import Options
from jixiao.io.projects import Project, read_projects
from jixiao.tools.compare.names import Names


@dataclass(frozen=True)
class Reading:
    """How a diff reads what it is given: the folders where 采用 may look besides each ruleset's own
    (`--root`), how actual values are read (`--input-format`, `--encoding`, `--sheet`), and a map
    project → ruleset file for the projects of a batch (`--rulesets`)."""

    roots: Roots = field(default_factory=Roots)
    options: Options = field(default_factory=Options)
    rulesets: str | Path | None = None

    def actuals(self, source: ActualsSource) -> ActualsFile:
        """One project's actual values (two-file diffs); every problem of the file raises together."""
        o = self.options
        return load_actuals(source, format=o.format, encoding=o.encoding, sheet=o.sheet)

    def projects(self, sources: Sequence[str | Path]) -> Iterator[Project]:
        """The projects of actual-value files and folders (diffs of many projects)."""
        return read_projects(sources, options=self.options, rulesets=self.rulesets)

    def within(self, folder: Path) -> Roots:
        """The roots for a ruleset of `folder` (a folder compared, a revision's tree): that folder first."""
        return self.roots.with_first(Folder.of(folder))


PLAIN_READING = Reading()


@dataclass(frozen=True)
class Loaded:
    """One ruleset file of a side: where it is, and the resolved ruleset or why there is none."""

    rel: str  # relative to the side's folder, with "/" (pairing by file name)
    file: str  # as the report names it
    ruleset: Ruleset | None
    error: JixiaoError | None = None

    @property
    def name(self) -> str | None:
        return self.ruleset.name if self.ruleset is not None else None

    @property
    def is_policy(self) -> bool:
        return self.ruleset is not None and self.ruleset.document.kind == "policy"


@dataclass(frozen=True)
class ProjectPair:
    old: Loaded | None
    new: Loaded | None


def ruleset_files(folder: Path) -> Listed:
    """The .jx files under a folder in a stable order, skipping hidden folders (.git, .venv), and the
    links under it that lead out of it: never read (W130, folders.py)."""
    return listed(folder, _is_ruleset_file, hidden=False)


def _is_ruleset_file(path: Path) -> bool:
    return path.suffix == ".jx" and path.is_file()


def load_side(
    folder: Path, names: Names, files: Iterable[Path] | None = None, reading: Reading = PLAIN_READING
) -> list[Loaded]:
    """Every ruleset file of a folder (or the given files in it), resolved with its policies."""
    roots = reading.within(folder)
    return [
        _load(path, folder, names, roots)
        for path in (ruleset_files(folder).files if files is None else files)
    ]


def _load(path: Path, folder: Path, names: Names, roots: Roots) -> Loaded:
    """A ruleset of the folder; its 采用 finds policies next to it, at the top of the folder, in the other
    roots, or packaged."""
    rel = path.relative_to(folder).as_posix()
    try:
        return Loaded(rel, names.file(path), load(path, roots))
    except JixiaoError as exc:
        return Loaded(rel, names.file(path), None, names.error(exc))


def pair_projects(
    old: list[Loaded], new: list[Loaded], where: tuple[str, str]
) -> tuple[list[ProjectPair], list[Diagnostic]]:
    """Pairs in the new side's order, then the removed files; W142 for names used by several files."""
    warnings = _duplicates(old, where[0]) + _duplicates(new, where[1])
    unique_old, unique_new = _unique(old), _unique(new)
    partner: dict[int, Loaded] = {}  # id(new) -> old
    for item in new:
        name = item.name
        if name is not None and name in unique_new and name in unique_old:
            partner[id(item)] = unique_old[name]
    taken = {id(o) for o in partner.values()}
    by_rel = {o.rel: o for o in old if id(o) not in taken}
    for item in new:
        if id(item) not in partner and item.rel in by_rel:
            partner[id(item)] = by_rel.pop(item.rel)
    used = {id(o) for o in partner.values()}
    pairs = [ProjectPair(partner.get(id(item)), item) for item in new]
    return pairs + [ProjectPair(o, None) for o in old if id(o) not in used], warnings


def _unique(side: list[Loaded]) -> dict[str, Loaded]:
    counts = Counter(item.name for item in side if item.name is not None)
    return {item.name: item for item in side if item.name is not None and counts[item.name] == 1}


def _duplicates(side: list[Loaded], folder: str) -> list[Diagnostic]:
    groups: dict[str, list[Loaded]] = {}
    for item in side:
        if item.name is not None:
            groups.setdefault(item.name, []).append(item)
    return [
        Diagnostic(
            "W142",
            Span.of_path(items[1].file),
            {"count": len(items), "name": name, "files": "、".join(i.file for i in items), "folder": folder},
            severity=Severity.WARNING,
        )
        for name, items in groups.items()
        if len(items) > 1
    ]
