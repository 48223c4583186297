"""The public façade, one function per stage: load, check, compile, score, render.

    >>> import jixiao
    >>> ruleset = jixiao.load_ruleset("rulesets/shangjie-pension/2020.jx")
    >>> result = ruleset.score(jixiao.load_actuals("rulesets/shangjie-pension/2020.actuals.csv"))
    >>> result.total.decimal(), result.grade
    (Decimal('99.31'), '优')

Every failure is a `JixiaoError` carrying the same diagnostics the CLI prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal

from jixiao.actuals import ActualsFile, from_rows, parse_actuals, read_actuals
from jixiao.checks import run_checks
from jixiao.compiler import Evaluator
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity
from jixiao.messages import Lang
from jixiao.render import render_table, to_json
from jixiao.resolve import Ruleset, load, require_project, resolve_text
from jixiao.results import Result

Format = Literal["table", "json"]


class CompiledRuleset:
    """A ruleset checked and compiled once; `score` it against any number of projects."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.warnings = [d for d in run_checks(ruleset) if d.severity is Severity.WARNING]
        errors = [d for d in run_checks(ruleset) if d.severity is Severity.ERROR]
        if errors:
            raise JixiaoError(errors)
        require_project(ruleset)
        self._evaluator = Evaluator(ruleset)

    @property
    def name(self) -> str:
        return self.ruleset.name

    def score(self, actuals: ActualsFile) -> Result:
        result = self._evaluator.score(actuals)
        assert isinstance(result, Result)
        return result

    def score_many(self, batch: Iterable[ActualsFile]) -> Iterator[Result]:
        for actuals in batch:
            yield self.score(actuals)


def parse_ruleset(source: str | Path) -> Ruleset:
    """Read and resolve a ruleset from a path, or from text when it is not a file name."""
    if isinstance(source, Path) or ("\n" not in source and source.endswith(".jx")):
        return load(source)
    return resolve_text(source, "<text>")


def load_ruleset(source: str | Path) -> CompiledRuleset:
    """Load, check and compile a project ruleset (a path or the text itself)."""
    return CompiledRuleset(parse_ruleset(source))


def load_actuals(source: str | Path | Iterable[Mapping[str, str]]) -> ActualsFile:
    """Read actual values from a CSV path, CSV text, or rows of {column header: cell}."""
    if isinstance(source, Path):
        return read_actuals(source)
    if isinstance(source, str):
        return read_actuals(source) if "\n" not in source else parse_actuals(source)
    return from_rows(source)


def check(source: str | Path) -> list[Diagnostic]:
    """Every problem in a ruleset (errors and warnings), sorted by position; never raises."""
    try:
        return run_checks(parse_ruleset(source))
    except JixiaoError as exc:
        return exc.diagnostics


def render(result: Result, fmt: Format = "table", lang: Lang = "zh") -> str:
    return to_json(result, lang) if fmt == "json" else render_table(result, lang)
