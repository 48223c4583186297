"""Rulesets from outside: a path, a package resource or text becomes a `CompiledRuleset`, once.

Compiling is cached by content; a `CompiledRuleset` holds no per-project state,
so one instance scores from several threads at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from importlib.resources.abc import Traversable
from pathlib import Path

from jixiao.diagnostics import JixiaoError, Severity, Span
from jixiao.engine import evaluate
from jixiao.engine.checks import run_checks
from jixiao.engine.compiler import compile_plan
from jixiao.engine.plan import Plan
from jixiao.engine.resolve import Ruleset, require_project, resolve_text
from jixiao.engine.results import Result
from jixiao.io.actuals import ActualsSource, collect_actuals
from jixiao.resources import resource
from jixiao.source import read_text

RESOURCE_PREFIX = "jixiao:"
CACHE_SIZE = 64

RulesetSource = str | Path | Traversable


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
        self._plan = compile_plan(ruleset)

    @property
    def name(self) -> str:
        return self.ruleset.name

    @property
    def path(self) -> str:
        return self.ruleset.path

    @property
    def plan(self) -> Plan:
        """The compiled form (a plan per indicator), for tools such as test coverage."""
        return self._plan

    def score(self, actuals: ActualsSource) -> Result:
        """Score one project's actual values (an `ActualsFile`, or anything `load_actuals` reads).

        Errors in the file's cells are raised together with binding and scoring errors (one run).
        """
        loaded = collect_actuals(actuals)
        return evaluate.score(self._plan, loaded)

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
            name = source.removeprefix(RESOURCE_PREFIX)
            found = resource(name)
            if found is None:
                raise JixiaoError.single(
                    "E105", Span(source, 1, 1), reason=("找不到包内资源", "package resource not found")
                )
            return _read_resource(found)
        if "\n" not in source and source.endswith(".jx"):
            return read_text(source), source
        return source, "<text>"
    return _read_resource(source)


def _read_resource(item: Traversable) -> tuple[str, str]:
    name = str(item)
    if not item.is_file():
        raise JixiaoError.single(
            "E105", Span(name, 1, 1), reason=("找不到包内资源", "package resource not found")
        )
    text = read_text(name) if Path(name).is_file() else item.read_text(encoding="utf-8")
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
