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
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from jixiao.crash import SourceTypeError, guarded, internal_error
from jixiao.diagnostics import Diagnostic, JixiaoError, render_all
from jixiao.engine.checks import run_checks
from jixiao.engine.results import Result
from jixiao.io.actuals import ActualsSource
from jixiao.io.actuals import load_actuals as _load_actuals
from jixiao.io.render import render_table, to_json
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
from jixiao.io.schema import json_schema
from jixiao.messages import Lang
from jixiao.tools.compare import compare

load_actuals = guarded(_load_actuals)

Format = Literal["table", "markdown", "json", "explain", "explain-json"]

__all__ = [
    "ActualsSource",
    "CompiledRuleset",
    "RulesetSource",
    "check",
    "clear_cache",
    "diff",
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
        return run_checks(parse_ruleset(source, text=text, name=name, roots=roots))
    except JixiaoError as exc:
        return exc.diagnostics
    except SourceTypeError:  # an argument of a type check does not take: the caller's programming error
        raise
    except Exception as exc:  # check never raises for any input: a bug is returned as E901
        return internal_error(exc).diagnostics


@guarded
def diff(old: str | Path, new: str | Path, **options: Any) -> Any:
    """The semantic difference between two ruleset files (`jixiao.tools.compare.compare`).

    Options are those of `compare` (`actuals=[CSV paths]` to re-score, `lang`); the returned report
    renders with `jixiao.tools.compare.render_table`, `render_markdown` or `to_json`.
    """
    return compare(str(old), str(new), **options)


# -- rendering -----------------------------------------------------------------------------------------
@guarded
def render(result: Result, fmt: Format = "table", lang: Lang = "zh") -> str:
    """A result as the score table (terminal or Markdown), JSON, an explanation, or JSON with the trace."""
    if fmt == "json":
        return to_json(result, lang)
    if fmt == "explain-json":
        return to_json(result, lang, explain=True)
    if fmt == "explain":
        return explain(result, lang)
    return render_table(result, lang, markdown=fmt == "markdown")


@guarded
def explain(result: Result, lang: Lang = "zh") -> str:
    """How every score came about, as text (same as `result.explain(lang)`)."""
    return explain_text(result, lang)


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
    if fmt == "json":
        return diagnostics_json(diagnostics, lang)
    return render_all(diagnostics, lang, sources)


def schema(model: str = "score") -> dict[str, Any]:
    """The JSON Schema of a published model: "score", "explanation" or "diagnostics"."""
    return json_schema(model)
