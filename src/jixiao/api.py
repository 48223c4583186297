"""The public façade, one function per stage: load, check, compile, score, explain, render.

    >>> import jixiao
    >>> ruleset = jixiao.load_ruleset("rulesets/shangjie-pension/2020.jx")
    >>> result = ruleset.score(jixiao.load_actuals("rulesets/shangjie-pension/2020.actuals.csv"))
    >>> result.total.decimal(), result.grade
    (Decimal('99.31'), '优')

A ruleset comes from a file, from text, or from a package resource
(``"jixiao:rulesets/shangjie-pension/2020.jx"`` or an `importlib.resources`
Traversable). Compiling is cached by content, and a `CompiledRuleset` may be
shared between threads. Every failure is a `JixiaoError` carrying the same
diagnostics the CLI prints.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, cast, get_args, overload

from jixiao.crash import (
    SourceTypeError,
    callers_items,
    callers_path,
    choice,
    expect,
    guarded,
    internal_error,
    is_callers,
    several,
)
from jixiao.diagnostics import Diagnostic, JixiaoError, render_all
from jixiao.engine.checks import run_checks
from jixiao.engine.resolve import Ruleset
from jixiao.engine.results import Result
from jixiao.engine.roots import Roots
from jixiao.io.actuals import ActualsSource
from jixiao.io.actuals import load_actuals as _load_actuals
from jixiao.io.render import FORMATS, Format, TextFormat, render_result
from jixiao.io.render.explain import explain_text
from jixiao.io.render.json import diagnostics_json
from jixiao.io.rulesets import (
    CompiledRuleset,
    RulesetSource,
    clear_cache,
    load_ruleset,
    parse_ruleset,
    read_ruleset,
)
from jixiao.io.schema import MODELS, json_schema
from jixiao.messages import Lang
from jixiao.tools.compare import Reading, compare_rulesets, render_report
from jixiao.tools.compare import Report as DiffReport
from jixiao.tools.compare.folders import Batch
from jixiao.tools.compare.folders import diff_folders as diff_folders_batch
from jixiao.tools.compare.policy import diff_policy as diff_policy_batch
from jixiao.tools.compare.render_batch import render_batch
from jixiao.tools.compare.reports import BatchReport
from jixiao.tools.compare.revisions import diff_revisions as diff_revisions_batch

load_actuals = guarded(_load_actuals)

DIFF_FORMATS = ("table", "markdown", "json", "html")
LANGS = get_args(Lang)  # (diagnostics.LANGS too)
SCHEMA_MODELS = tuple(MODELS)
Rendered = Result | DiffReport | BatchReport
RulesetInput = RulesetSource | CompiledRuleset

__all__ = [
    "ActualsSource",
    "BatchReport",
    "CompiledRuleset",
    "DiffReport",
    "RulesetSource",
    "check",
    "clear_cache",
    "diff",
    "diff_folders",
    "diff_policy",
    "diff_revisions",
    "explain",
    "load_actuals",
    "load_ruleset",
    "parse_ruleset",
    "read_ruleset",
    "render",
    "render_diagnostics",
    "schema",
]


# -- checks, diff ---------------------------------------------------------------------------------------
def check(
    source: RulesetSource | None = None,
    *,
    text: str | None = None,
    name: str | None = None,
    roots: Iterable[str | os.PathLike[str]] | None = None,
) -> list[Diagnostic]:
    """Every problem in a ruleset (errors and warnings), sorted by position; never raises.

    Takes what `load_ruleset` takes. A bug inside jixiao is returned as an E901 diagnostic.
    """
    try:
        return run_checks(parse_ruleset(source, text=text, name=name, roots=roots, lenient=True))
    except JixiaoError as exc:
        return exc.diagnostics
    except SourceTypeError:  # an argument of a type check does not take: the caller's programming error
        raise
    except Exception as exc:  # check never raises for any input: a bug is returned as E901
        if is_callers(exc):  # the caller's own object raised it (its __fspath__, read()): theirs
            raise
        return internal_error(exc).diagnostics


@guarded
def diff(
    old: RulesetInput | None = None,
    new: RulesetInput | None = None,
    *,
    old_text: str | None = None,
    new_text: str | None = None,
    actuals: Sequence[ActualsSource] = (),
    lang: Lang = "zh",
    roots: Sequence[str | os.PathLike[str]] = (),
) -> DiffReport:
    """What changed in meaning between two rulesets and, per set of `actuals`, the impact on scores.

    Each side is what `load_ruleset` takes (a `str` or `os.PathLike` given positionally is always a
    path; a package resource "jixiao:rulesets/…", bytes, a file object), a `CompiledRuleset`, or the
    text itself as `old_text=` / `new_text=`; their 采用 look in their own folder, in `roots` and among
    the packaged policies. Render the report with `jixiao.render(report, "table" | "markdown" | "json" |
    "html")`.
    """
    several(actuals, "actuals (the projects to score under both rulesets)")
    _lang(lang)
    before = _ruleset(old, old_text, "<old>", roots)
    after = _ruleset(new, new_text, "<new>", roots)
    return compare_rulesets(before, after, [_load_actuals(a) for a in callers_items(actuals)], lang)


@guarded
def diff_folders(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    actuals: Sequence[str | os.PathLike[str]] = (),
    lang: Lang = "zh",
    roots: Sequence[str | os.PathLike[str]] = (),
) -> BatchReport:
    """Every ruleset of two folders paired (by project name, then file name) and compared.

    `actuals` are actual-value files or folders of them (each matched to its project by file name or
    project name): every project is then scored under both rules, with the aggregates. 采用 looks next
    to each ruleset, at the top of its folder, in `roots` and among the packaged policies.
    """
    reading = Reading(Roots.of(roots))
    before, after = _paths((old, new), "a folder")
    _lang(lang)
    return diff_folders_batch(before, after, _paths(actuals, "actuals"), lang, reading=reading).report


@guarded
def diff_policy(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    projects: str | os.PathLike[str],
    actuals: Sequence[str | os.PathLike[str]] = (),
    lang: Lang = "zh",
    roots: Sequence[str | os.PathLike[str]] = (),
) -> BatchReport:
    """A policy's two versions as each project in `projects` sees them (unaffected ones with the reason)."""
    _lang(lang)
    before, after, folder = _paths((old, new, projects), "a policy or the projects' folder")
    batch = diff_policy_batch(
        before,
        after,
        folder,
        _paths(actuals, "actuals"),
        lang,
        reading=Reading(Roots.of(roots)),
    )
    return batch.report


@guarded
def diff_revisions(
    rev: str,
    new_rev: str | None = None,
    paths: Sequence[str | os.PathLike[str]] = (),
    *,
    actuals: Sequence[str | os.PathLike[str]] = (),
    lang: Lang = "zh",
    roots: Sequence[str | os.PathLike[str]] = (),
) -> BatchReport:
    """The rulesets at git revision `rev` against `new_rev` (default: the working tree), under `paths`."""
    _lang(lang)
    revs = (rev,) if new_rev is None else (rev, new_rev)
    result = diff_revisions_batch(
        revs,
        [os.fspath(p) for p in _paths(paths, "paths")],
        _paths(actuals, "actuals"),
        lang,
        single=False,
        reading=Reading(Roots.of(roots)),
    )
    assert isinstance(result, Batch)
    return result.report


def _paths(values: Iterable[str | os.PathLike[str]], what: str) -> list[Path]:
    """Paths given as a list (a `TypeError` for one path alone, which would be taken apart, or a non-path)."""
    several(values, what)
    listed = list(callers_items(values))
    for value in listed:
        expect(value, (str, os.PathLike), f"{what} (a path)")
    return [Path(callers_path(value)) for value in listed]


def _ruleset(
    source: RulesetInput | None, text: str | None, name: str, roots: Sequence[str | os.PathLike[str]]
) -> Ruleset:
    if isinstance(source, CompiledRuleset):
        return source.ruleset
    if source is None and text is None:
        raise SourceTypeError(
            f"diff() needs the {name[1:-1]} ruleset: a path, bytes, a file, or {name[1:-1]}_text="
        )
    return parse_ruleset(source, text=text, name=name if text is not None else None, roots=roots)


# -- rendering -----------------------------------------------------------------------------------------
@overload
def render(result: Result, fmt: Literal["xlsx"], lang: Lang = "zh") -> bytes: ...
@overload
def render(result: Rendered, fmt: TextFormat = "table", lang: Lang = "zh") -> str: ...
@overload
def render(result: Rendered, fmt: str, lang: str = "zh") -> str | bytes: ...
@guarded
def render(result: Rendered, fmt: str = "table", lang: str = "zh") -> str | bytes:
    """A scored result as the score table (terminal or Markdown), JSON, an explanation, JSON with the
    trace, CSV or a standalone HTML page (all `str`), or an Excel workbook in the official layout
    (`bytes`); a diff report as a table, Markdown, JSON or a self-contained HTML page (with a chart for
    many projects). An unknown `fmt` or `lang` is a `TypeError` (`crash.ChoiceError`, a `ValueError` too)."""
    language = _lang(lang)
    if isinstance(result, BatchReport):
        return render_batch(result, _diff_format(fmt), language)
    if isinstance(result, DiffReport):
        return render_report(result, _diff_format(fmt), language)
    expect(result, Result, "render()'s first argument (a Result, DiffReport or BatchReport)")
    choice(fmt, FORMATS, "a result's format")
    return render_result(result, cast(Format, fmt), language)


def _diff_format(fmt: str) -> str:
    choice(fmt, DIFF_FORMATS, "a diff report's format")
    return fmt


def _lang(lang: object) -> Lang:
    choice(lang, LANGS, "lang")
    return cast(Lang, lang)


@guarded
def explain(result: Result, lang: Lang = "zh") -> str:
    """How every score came about, as text."""
    expect(result, Result, "explain()'s result")
    return explain_text(result, _lang(lang))


def render_diagnostics(
    diagnostics: Iterable[Diagnostic],
    fmt: Literal["text", "json"] = "text",
    lang: Lang = "zh",
    sources: dict[str, str] | None = None,
) -> str:
    """Diagnostics as the CLI prints them, or as JSON (`schema.DiagnosticsReport`).

    `sources` (a `JixiaoError.sources`) gives the texts the excerpts come from; without it a file named
    by a diagnostic is read from disk.
    """
    choice(fmt, ("text", "json"), "render_diagnostics()'s format")
    _lang(lang)
    several(diagnostics, "diagnostics")
    listed = list(diagnostics)
    for diagnostic in listed:
        expect(diagnostic, Diagnostic, "a diagnostic")
    if sources is not None:
        expect(sources, dict, "sources (a JixiaoError's sources)")
    if fmt == "json":
        return diagnostics_json(listed, lang)
    return render_all(listed, lang, sources)


def schema(model: str = "score") -> dict[str, Any]:
    """The JSON Schema of a published model: "score", "batch", "explanation", "diagnostics", "diff" (two
    rulesets compared) or "diff-batch" (folders, a policy, revisions); another is a `crash.ChoiceError`."""
    choice(model, SCHEMA_MODELS, "schema()'s model")
    return json_schema(model)
