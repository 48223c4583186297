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

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from jixiao.actuals import ActualsFile, from_rows, parse_actuals, read_actuals
from jixiao.checks import run_checks
from jixiao.compiler import Evaluator
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.messages import Lang
from jixiao.render import render_table, to_json
from jixiao.resolve import Ruleset, require_project, resolve_text
from jixiao.results import Result
from jixiao.source import read_text

Format = Literal["table", "markdown", "json", "explain", "explain-json"]
RESOURCE_PREFIX = "jixiao:"
CACHE_SIZE = 64

RulesetSource = str | Path | Traversable
ActualsSource = ActualsFile | str | Path | Iterable[Mapping[str, str]]


class CompiledRuleset:
    """A ruleset checked and compiled once; `score` it against any number of projects.

    It holds no per-project state (each `score` creates its own run), so one
    instance can score from several threads at once.
    """

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        diagnostics = run_checks(ruleset)
        self.warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if errors:
            raise JixiaoError(errors)
        require_project(ruleset)
        self._evaluator = Evaluator(ruleset)

    @property
    def name(self) -> str:
        return self.ruleset.name

    @property
    def path(self) -> str:
        return self.ruleset.path

    @property
    def evaluator(self) -> Evaluator:
        """The compiled form (plans per indicator), for tools such as test coverage."""
        return self._evaluator

    def score(self, actuals: ActualsSource) -> Result:
        """Score one project's actual values (an `ActualsFile`, or anything `load_actuals` reads)."""
        loaded = actuals if isinstance(actuals, ActualsFile) else load_actuals(actuals)
        return self._evaluator.score(loaded)

    def score_many(self, batch: Iterable[ActualsSource]) -> Iterator[Result]:
        """Score a batch lazily, in order; the first project with errors raises its `JixiaoError`."""
        for actuals in batch:
            yield self.score(actuals)

    def __repr__(self) -> str:
        return f"CompiledRuleset({self.name!r}, path={self.path!r})"


# -- loading rulesets ----------------------------------------------------------------------------------
def read_ruleset_source(source: RulesetSource) -> tuple[str, str]:
    """(text, path) of a ruleset given as a path, a package resource, a Traversable, or text."""
    if isinstance(source, Path):
        return read_text(source), str(source)
    if isinstance(source, str):
        if source.startswith(RESOURCE_PREFIX):
            return _read_resource(files("jixiao").joinpath(source.removeprefix(RESOURCE_PREFIX)))
        if "\n" not in source and source.endswith(".jx"):
            return read_text(source), source
        return source, "<text>"
    return _read_resource(source)


def _read_resource(resource: Traversable) -> tuple[str, str]:
    name = str(resource)
    if not resource.is_file():
        raise JixiaoError.single(
            "E105", Span(name, 1, 1), reason="package resource not found / 找不到包内资源"
        )
    text = read_text(name) if Path(name).is_file() else resource.read_text(encoding="utf-8")
    return text, name


def parse_ruleset(source: RulesetSource) -> Ruleset:
    """Read and resolve a ruleset (policies included) without checking or compiling it."""
    text, path = read_ruleset_source(source)
    return resolve_text(text, path)


class _CompileCache:
    """Compiled rulesets keyed by (text, path); a hit is reused only if its policy files are unchanged."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str], CompiledRuleset] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, path: str) -> CompiledRuleset:
        key = (text, path)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is not None and _policies_unchanged(hit, path):
            return hit
        compiled = CompiledRuleset(resolve_text(text, path))
        with self._lock:
            self._items[key] = compiled
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _policies_unchanged(compiled: CompiledRuleset, path: str) -> bool:
    for policy, text in compiled.ruleset.sources.items():
        if policy == path:
            continue
        try:
            if read_text(policy) != text:
                return False
        except JixiaoError:
            return False
    return True


_CACHE = _CompileCache(CACHE_SIZE)


def load_ruleset(source: RulesetSource, *, cache: bool = True) -> CompiledRuleset:
    """Load, check and compile a project ruleset: a path, a package resource, or the text itself.

    Loading the same content twice returns the same compiled object (unless `cache=False`).
    """
    text, path = read_ruleset_source(source)
    if not cache:
        return CompiledRuleset(resolve_text(text, path))
    return _CACHE.get(text, path)


def clear_cache() -> None:
    """Forget every compiled ruleset (e.g. after editing policy files in a long-lived process)."""
    _CACHE.clear()


# -- actual values, checks, diff ------------------------------------------------------------------------
def load_actuals(source: ActualsSource, *, path: str | None = None) -> ActualsFile:
    """Read actual values from a CSV path, CSV text, or rows of {column header: cell}."""
    if isinstance(source, ActualsFile):
        return source
    if isinstance(source, Path):
        return read_actuals(source)
    if isinstance(source, str):
        if "\n" not in source:
            return read_actuals(source)
        return parse_actuals(source, path or "<actuals>")
    return from_rows(source, path or "<rows>")


def check(source: RulesetSource) -> list[Diagnostic]:
    """Every problem in a ruleset (errors and warnings), sorted by position; never raises."""
    try:
        return run_checks(parse_ruleset(source))
    except JixiaoError as exc:
        return exc.diagnostics


def diff(old: str | Path, new: str | Path, **options: Any) -> Any:
    """The semantic difference between two ruleset files (`jixiao.compare.compare`).

    Options are those of `compare` (`actuals=[CSV paths]` to re-score, `lang`); the returned report
    renders with `jixiao.compare.render_table`, `render_markdown` or `to_json`.
    """
    from jixiao.compare import compare

    return compare(str(old), str(new), **options)


# -- rendering -----------------------------------------------------------------------------------------
def render(result: Result, fmt: Format = "table", lang: Lang = "zh") -> str:
    """A result as the score table (terminal or Markdown), JSON, an explanation, or JSON with the trace."""
    if fmt == "json":
        return to_json(result, lang)
    if fmt == "explain-json":
        return to_json(result, lang, explain=True)
    if fmt == "explain":
        return explain(result, lang)
    return render_table(result, lang, markdown=fmt == "markdown")


def explain(result: Result, lang: Lang = "zh") -> str:
    """How every score came about, as text (same as `result.explain(lang)`)."""
    from jixiao.render.explain import explain_text

    return explain_text(result, lang)


def render_diagnostics(
    diagnostics: Iterable[Diagnostic], fmt: Literal["text", "json"] = "text", lang: Lang = "zh"
) -> str:
    """Diagnostics as the CLI prints them, or as JSON (`schema.DiagnosticsReport`)."""
    if fmt == "json":
        from jixiao.render.json import diagnostics_json

        return diagnostics_json(diagnostics, lang)
    from jixiao.diagnostics import render_all

    return render_all(diagnostics, lang)


def schema(model: str = "score") -> dict[str, Any]:
    """The JSON Schema of a published model: "score", "explanation" or "diagnostics"."""
    from jixiao.schema import json_schema

    return json_schema(model)
