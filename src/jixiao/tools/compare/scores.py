"""Many projects scored under both rules: per project totals, deltas, grades and each change's share.

Actual values come as a batch (`io.projects.read_projects`: a folder of CSV files, or
files naming several projects). A batch project belongs to the ruleset whose file has
its name (``p01.csv`` or ``p01.actuals.csv`` for ``p01.jx``), else the ruleset whose
project has its name (or the ruleset the input itself names).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePosixPath

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.resolve import Ruleset
from jixiao.engine.results import Figure, Result
from jixiao.io.projects import Project
from jixiao.io.render.report import diagnostic_report
from jixiao.messages import Lang
from jixiao.tools.compare.attribution import Share, Versions, shares
from jixiao.tools.compare.impact import (
    NEW_SIDE,
    OLD_SIDE,
    Binder,
    Scored,
    note_reports,
    note_text,
    places,
    score_both,
    score_side,
    shown,
    signed,
)
from jixiao.tools.compare.model import Change
from jixiao.tools.compare.names import PLAIN, Names
from jixiao.tools.compare.projects import Loaded, ProjectPair
from jixiao.tools.compare.render import change_line
from jixiao.tools.compare.reports import Attribution, ProjectScore

ACTUALS_SUFFIX = ".actuals"


# -- which actual values belong to which project ---------------------------------------------------------


def assign(
    pairs: list[ProjectPair], batch: Iterable[Project], names: Names
) -> tuple[dict[int, list[Project]], list[Diagnostic]]:
    """Batch projects per pair (by index); W141 for a batch project that matches none; read errors as is."""
    keys: dict[str, int] = {}
    for index, pair in enumerate(pairs):
        for side in (pair.new, pair.old):  # the new side's names win a clash
            for key in _keys(side):
                keys.setdefault(key, index)
    found: dict[int, list[Project]] = {}
    problems: list[Diagnostic] = []
    for project in batch:
        if project.error is not None:
            problems += [names.diagnostic(d) for d in project.error.diagnostics]
            continue
        where = _find(project, keys)
        if where is None:
            problems.append(_unmatched(project, names))
        else:
            found.setdefault(where, []).append(project)
    return found, problems


def _keys(side: Loaded | None) -> list[str]:
    if side is None or side.is_policy:
        return []
    rel = PurePosixPath(side.rel)
    keys = [f"file:{rel.with_suffix('').as_posix()}", f"file:{rel.stem}"]
    return [*keys, f"name:{side.name}"] if side.name is not None else keys


def _find(project: Project, keys: dict[str, int]) -> int | None:
    wanted = [project.ruleset] if project.ruleset else []
    wanted.append(project.name.removesuffix(ACTUALS_SUFFIX))
    for name in wanted:
        stem = (
            PurePosixPath(name.replace("\\", "/")).with_suffix("").as_posix()
            if name.endswith(".jx")
            else name
        )
        for key in (f"file:{stem}", f"file:{PurePosixPath(stem).name}", f"name:{name}"):
            if key in keys:
                return keys[key]
    return None


def _unmatched(project: Project, names: Names) -> Diagnostic:
    span = Span.of_path(names.file(project.origin))
    return Diagnostic("W141", span, {"actuals": names.file(project.origin)}, severity=Severity.WARNING)


# -- one project's scores --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scoring:
    """A project's scores, kept exact for the aggregates."""

    project: str
    score: ProjectScore
    old: Result | None = None
    new: Result | None = None
    shares: tuple[Share, ...] = ()


def score_project(
    project: str,
    versions: Versions | None,
    one_side: tuple[Ruleset | None, Ruleset | None],
    changes: list[Change],
    actuals: ActualsFile,
    label: str,
    lang: Lang,
    names: Names = PLAIN,
) -> tuple[Scoring, list[Diagnostic]]:
    """Score one project's actual values under both rules (or the one side an added/removed project has);
    `names` names the files of its notes' diagnostics."""
    try:
        if versions is None:
            return _one_side(project, one_side, actuals, label, lang, names), []
        return _both(project, versions, changes, actuals, label, lang, names)
    except JixiaoError as exc:  # a revision's ruleset is named as git names it, never by its temporary copy
        errors = [names.diagnostic(d) for d in exc.diagnostics]
        report = ProjectScore(actuals=label, errors=[diagnostic_report(d, lang) for d in errors])
        return Scoring(project, report), errors


def _both(
    project: str,
    versions: Versions,
    changes: list[Change],
    actuals: ActualsFile,
    label: str,
    lang: Lang,
    names: Names,
) -> tuple[Scoring, list[Diagnostic]]:
    scored = score_both(versions.old, versions.new, versions.pairs, actuals)
    if scored.old is None or scored.new is None:
        return _one_failed(project, scored, label, lang, names)
    binder = Binder(actuals, versions.pairs)
    parts = tuple(shares(versions, changes, binder, scored.old))
    exact: dict[str, str] = {}
    digits = places(scored.old.total, scored.new.total)
    delta = scored.new.total.value - scored.old.total.value
    explained = sum((s.delta for s in parts if s.delta is not None), Fraction(0))
    score = ProjectScore(
        actuals=label,
        old_total=shown(scored.old.total, "old_total", exact),
        new_total=shown(scored.new.total, "new_total", exact),
        delta=signed(scored.new.total, scored.old.total, "delta", exact),
        old_grade=scored.old.grade,
        new_grade=scored.new.grade,
        missing=list(scored.missing),
        attribution=[_attribution(s, digits, lang) for s in parts],
        interaction=signed(
            Figure(delta - explained, digits), Figure(Fraction(0), digits), "interaction", exact
        ),
        notes=[note_text(d, lang) for d in scored.notes],
        diagnostics=note_reports(tuple(map(names.diagnostic, scored.notes)), lang),
        exact=exact,
    )
    return Scoring(project, score, scored.old, scored.new, parts), []


def _one_failed(
    project: str, scored: Scored, label: str, lang: Lang, names: Names
) -> tuple[Scoring, list[Diagnostic]]:
    """A side that cannot score the values: the other side's total, and this side's errors (each led by
    the side's name: 新规则: …)."""
    exact: dict[str, str] = {}
    errors = [names.diagnostic(d) for d in scored.errors]
    score = ProjectScore(
        actuals=label,
        old_total=shown(scored.old.total, "old_total", exact) if scored.old is not None else None,
        new_total=shown(scored.new.total, "new_total", exact) if scored.new is not None else None,
        old_grade=scored.old.grade if scored.old is not None else None,
        new_grade=scored.new.grade if scored.new is not None else None,
        missing=list(scored.missing),
        notes=[note_text(d, lang) for d in scored.notes],
        diagnostics=note_reports(tuple(map(names.diagnostic, scored.notes)), lang),
        errors=[diagnostic_report(d, lang) for d in errors],
        exact=exact,
    )
    return Scoring(project, score, scored.old, scored.new), errors


def _attribution(share: Share, digits: int, lang: Lang) -> Attribution:
    c = share.change
    exact: dict[str, str] = {}
    delta = None
    if share.delta is not None:
        delta = signed(Figure(share.delta, digits), Figure(Fraction(0), digits), "delta", exact)
    line = change_line(c, lang)
    return Attribution(change=line, kind=c.kind, path=c.path, delta=delta, grade=share.grade, exact=exact)


def _one_side(
    project: str,
    sides: tuple[Ruleset | None, Ruleset | None],
    actuals: ActualsFile,
    label: str,
    lang: Lang,
    names: Names,
) -> Scoring:
    old, new = sides
    ruleset = new or old
    assert ruleset is not None
    scored = score_side(ruleset, Binder(actuals, []), NEW_SIDE if new else OLD_SIDE)
    result = scored.result
    assert result is not None  # score_side raises when the side cannot score the values
    exact: dict[str, str] = {}
    total = shown(result.total, "new_total" if new else "old_total", exact)
    score = ProjectScore(
        actuals=label,
        old_total=None if new else total,
        new_total=total if new else None,
        old_grade=None if new else result.grade,
        new_grade=result.grade if new else None,
        missing=list(scored.missing),
        notes=[note_text(d, lang) for d in scored.notes],
        diagnostics=note_reports(tuple(map(names.diagnostic, scored.notes)), lang),
        exact=exact,
    )
    return Scoring(project, score, None if new else result, result if new else None)
