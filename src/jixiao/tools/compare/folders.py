"""Two folders of rulesets compared: a summary per project, each pair's changes, and with actual values
the scores of every project under both rules with their aggregates.

The same machinery compares two git revisions (`revisions`) and, per project, a policy's two versions
(`policy`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Literal

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.engine.resolve import Ruleset
from jixiao.folders import outside_warnings
from jixiao.io.projects import Project
from jixiao.io.render.report import diagnostic_report
from jixiao.io.schema import DiagnosticReport
from jixiao.language.rounding import format_exact
from jixiao.messages import Lang
from jixiao.tools.compare.aggregate import aggregate
from jixiao.tools.compare.attribution import Versions
from jixiao.tools.compare.changes import Show
from jixiao.tools.compare.match import match
from jixiao.tools.compare.model import Change
from jixiao.tools.compare.names import PLAIN, Names
from jixiao.tools.compare.pair import changes_between, total_weight
from jixiao.tools.compare.projects import (
    PLAIN_READING,
    Loaded,
    ProjectPair,
    Reading,
    load_side,
    pair_projects,
    ruleset_files,
)
from jixiao.tools.compare.reports import BatchReport, ProjectDiff, ProjectScore, ProjectStatus, Renamed
from jixiao.tools.compare.scores import Scoring, assign, score_project

Kind = Literal["folders", "policy", "revisions"]
Side = Literal["old", "new"]


@dataclass(frozen=True)
class Batch:
    """A report of many projects and the diagnostics behind it (for the CLI to print with excerpts)."""

    report: BatchReport
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # texts for excerpts of files no longer on disk

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True)
class Compared:
    """One project compared: its summary, and what scoring it needs."""

    diff: ProjectDiff
    versions: Versions | None = None
    sides: tuple[Ruleset | None, Ruleset | None] = (None, None)
    changes: list[Change] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)


def diff_folders(
    old: Path,
    new: Path,
    actuals: Sequence[str | Path] = (),
    lang: Lang = "zh",
    names: Names = PLAIN,
    reading: Reading = PLAIN_READING,
) -> Batch:
    """Every ruleset of two folders, paired and compared; with `actuals`, scored under both. Each folder is
    the first root of its rulesets (a policy at its top is found from any subfolder)."""
    listings = ruleset_files(old), ruleset_files(new)
    for folder, found in zip((old, new), listings, strict=True):
        if not found.files:
            raise JixiaoError.single("E708", Span.of_path(names.file(folder)), path=names.file(folder))
    sides = (
        load_side(old, names, listings[0].files, reading),
        load_side(new, names, listings[1].files, reading),
    )
    labels = (names.file(old), names.file(new))
    # a link named by where it is (its folder as the diff names it), never by where it leads
    outside = outside_warnings(
        (p for found in listings for p in found.outside),
        lambda link: (PurePosixPath(names.file(link.parent)) / link.name).as_posix(),
    )
    return diff_sides(sides, labels, actuals, lang, names, "folders", reading, outside)


def diff_sides(
    sides: tuple[list[Loaded], list[Loaded]],
    labels: tuple[str, str],
    actuals: Sequence[str | Path],
    lang: Lang,
    names: Names,
    kind: Kind,
    reading: Reading = PLAIN_READING,
    skipped: Sequence[Diagnostic] = (),
) -> Batch:
    """`skipped`: W130 for the links leading out of a folder, listed first."""
    pairs, warnings = pair_projects(sides[0], sides[1], labels)
    compared = [compare_pair(p, lang, names) for p in pairs]
    diagnostics = [*skipped, *warnings, *(d for c in compared for d in c.errors)]
    scores = score_all(pairs, compared, actuals, lang, names, reading)
    return finish(kind, lang, labels, compared, diagnostics, scores)


@dataclass(frozen=True)
class Scores:
    per_project: dict[int, list[ProjectScore]]
    scorings: list[Scoring]
    diagnostics: list[Diagnostic]
    asked: bool


def score_all(
    pairs: list[ProjectPair],
    compared: list[Compared],
    actuals: Sequence[str | Path],
    lang: Lang,
    names: Names,
    reading: Reading = PLAIN_READING,
) -> Scores:
    """The batch's projects scored under both rules of the pair each belongs to."""
    if not actuals:
        return Scores({}, [], [], False)
    assigned, problems = assign(pairs, reading.projects(actuals), names)
    per_project: dict[int, list[ProjectScore]] = {}
    scorings: list[Scoring] = []
    for index, projects in sorted(assigned.items()):
        item = compared[index]
        if item.errors or (item.versions is None and item.sides == (None, None)):
            continue  # broken, or (policy diff) not using the policy
        for project in projects:
            scoring, errors = _score(item, project, lang, names)
            per_project.setdefault(index, []).append(scoring.score)
            scorings.append(scoring)
            problems += errors
    return Scores(per_project, scorings, problems, True)


def _score(item: Compared, project: Project, lang: Lang, names: Names) -> tuple[Scoring, list[Diagnostic]]:
    actuals = project.actuals
    assert actuals is not None
    label = names.file(project.origin)
    return score_project(
        item.diff.project, item.versions, item.sides, item.changes, actuals, label, lang, names
    )


def finish(
    kind: Kind,
    lang: Lang,
    labels: tuple[str, str],
    compared: list[Compared],
    diagnostics: list[Diagnostic],
    scores: Scores,
    policy_changes: list[Change] | None = None,
) -> Batch:
    projects = [
        c.diff.model_copy(update={"scores": scores.per_project.get(i, [])}) for i, c in enumerate(compared)
    ]
    everything = _once(diagnostics + scores.diagnostics)
    same = all(p.status in ("same", "unaffected", "not_using") for p in projects)
    report = BatchReport(
        kind=kind,
        old=labels[0],
        new=labels[1],
        same=same and not policy_changes,
        policy_changes=policy_changes or [],
        projects=projects,
        impact=aggregate(scores.scorings) if scores.asked else None,
        diagnostics=[diagnostic_report(d, lang) for d in everything],
    )
    return Batch(report, everything)


def _once(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once: a broken policy fails every project that uses it with the same diagnostic."""
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.code, d.span, d.severity, d.message(), d.help())
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# -- one pair of files ------------------------------------------------------------------------------------


def compare_pair(pair: ProjectPair, lang: Lang, names: Names) -> Compared:
    old, new = pair.old, pair.new
    named: tuple[tuple[Side, Loaded | None], ...] = (("old", old), ("new", new))
    found = [
        (name, d) for name, side in named if side is not None and side.error for d in side.error.diagnostics
    ]
    if found:
        errors = [d for _, d in found]
        reports = [diagnostic_report(d, lang) for d in errors]
        summary = project_summary(old, new, "error", errors=reports, error_sides=[name for name, _ in found])
        return Compared(summary, errors=errors)
    if old is None or new is None:
        sides = (None if old is None else old.ruleset, None if new is None else new.ruleset)
        return Compared(project_summary(old, new, "added" if old is None else "removed"), sides=sides)
    assert old.ruleset is not None and new.ruleset is not None
    versions = Versions(old.ruleset, new.ruleset, match(old.ruleset.indicators, new.ruleset.indicators))
    changes = changes_between(versions.old, versions.new, versions.pairs, Show(lang, names))
    meaning = [c for c in changes if c.key != "meta:project"]
    status: ProjectStatus = "changed" if meaning else "renamed" if _renamed(old, new) else "same"
    return Compared(project_summary(old, new, status, changes), versions, changes=changes)


def project_summary(
    old: Loaded | None,
    new: Loaded | None,
    status: ProjectStatus,
    changes: list[Change] | None = None,
    errors: list[DiagnosticReport] | None = None,
    error_sides: list[Side] | None = None,
) -> ProjectDiff:
    newer = new if new is not None and new.name is not None else old
    either = new or old
    assert either is not None
    renamed = _renamed(old, new) if old is not None and new is not None else []
    return ProjectDiff(
        project=newer.name if newer is not None and newer.name is not None else either.rel,
        policy=bool(newer and newer.is_policy),
        old_project=old.name if old is not None and "project" in renamed else None,
        old_file=old.file if old else None,
        new_file=new.file if new else None,
        status=status,
        renamed=renamed,
        counts=dict(Counter(c.kind for c in changes or [])),
        old_weight=_weight(old.ruleset if old else None),
        new_weight=_weight(new.ruleset if new else None),
        changes=changes or [],
        errors=errors or [],
        error_sides=error_sides or [],
    )


def _renamed(old: Loaded | None, new: Loaded | None) -> list[Renamed]:
    if old is None or new is None:
        return []
    out: list[Renamed] = []
    if old.rel != new.rel:
        out.append("file")
    if old.name is not None and new.name is not None and old.name != new.name:
        out.append("project")  # a file that cannot be read has no name: that is no rename
    return out


def _weight(ruleset: Ruleset | None) -> str | None:
    weight: Fraction | None = total_weight(ruleset) if ruleset is not None else None
    return None if weight is None else format_exact(weight)
