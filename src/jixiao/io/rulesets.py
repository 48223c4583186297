"""Rulesets from outside: a path, a package resource, bytes, a file object or text → `CompiledRuleset`.

A `str` is always a path (ruleset text is given as `text=`, bytes or a file object). Compiling is
cached by everything resolution depended on; a `CompiledRuleset` holds no per-project state, so one
instance scores from several threads at once.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import itertools
import operator
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any, Literal

from jixiao.crash import (
    SourceTypeError,
    callers_items,
    callers_path,
    choice,
    expect,
    guarded,
    internal_error,
    is_callers,
    is_internal,
    mark_callers,
    several,
)
from jixiao.diagnostics import ChoiceError, Diagnostic, JixiaoError, Severity, Span, file_span
from jixiao.engine import evaluate
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.checks import run_checks
from jixiao.engine.compiler import compile_plan
from jixiao.engine.fast import FastEvaluator
from jixiao.engine.plan import Plan
from jixiao.engine.resolve import Ruleset, read_file, require_project, resolve_text
from jixiao.engine.results import Figure, Finding, Result
from jixiao.engine.roots import Roots, display, packaged_dir, shown
from jixiao.io import checked
from jixiao.io.actuals import ActualsSource, collect_actuals
from jixiao.io.parallel import jobs_for, ordered_map, start_method
from jixiao.limits import MAX_RULESET_CHARS
from jixiao.resources import resource
from jixiao.source import decode, os_reason, read_bytes
from jixiao.suggest import nearby_file

if TYPE_CHECKING:
    from jixiao.engine.columnar import ColumnarEvaluator

RESOURCE_PREFIX = "jixiao:"
TEXT_NAME = "<text>"
CACHE_SIZE = 64

RulesetSource = str | os.PathLike[str] | Traversable | bytes | bytearray | memoryview | IO[bytes] | IO[str]


class CompiledRuleset:
    """A ruleset checked and compiled once; `score` it against any number of projects.

    It holds no per-project state (each `score` creates its own run; the fast evaluator's memo of rows
    already scored is bounded and shared), so one instance can score from several threads at once.
    """

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        diagnostics = run_checks(ruleset)
        self.warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        if errors:
            error = JixiaoError(errors)
            error.sources.update(ruleset.sources)
            raise error
        require_project(ruleset)
        self._plan = compile_plan(ruleset)
        self._fast: FastEvaluator | Literal[False] | None = (
            False  # made when first scoring; None: not for this plan
        )
        self._columnar: ColumnarEvaluator | bool | None = False  # likewise, for batches (engine/columnar)
        self._quick: Callable[[ActualsFile], Result | None] | None = None  # `_quick_scorer`, made once

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
        Raises only `JixiaoError` (as `crash.guarded` does: written out here, one call less per project).
        """
        try:
            if type(actuals) is ActualsFile:  # read already: the common case of a batch, checked first
                result = (self._quick or self._quick_scorer())(actuals)
                return result if result is not None else self._reference(actuals)
            return self._score_read(*_read_actuals(actuals))
        except (JixiaoError, SourceTypeError):
            raise
        except Exception as exc:
            if is_callers(exc):  # the caller's own object raised it (crash.py): theirs, unchanged
                raise
            raise internal_error(exc) from exc

    def _quick_scorer(self) -> Callable[[ActualsFile], Result | None]:
        """What scores a read file first: the fast evaluator's `quick` (its plan's generated function when
        it has one), or for a plan it does not take a function that always declines. Inside
        `reference_alone` it declines too, without building the fast evaluator (and is not kept)."""
        if _REFERENCE_ALONE.get():
            return _declined
        fast = self._fast_evaluator()
        self._quick = fast.quick if fast is not None else _declined
        return self._quick

    def _score_read(self, loaded: ActualsFile, raw: Raw | None) -> Result:
        fast = self._fast if self._fast is not False else self._fast_evaluator()
        result = fast.score(loaded, _again(raw)) if fast else None
        return result if result is not None else self._reference(loaded)

    def _reference(self, loaded: ActualsFile) -> Result:
        """The reference evaluator's result (engine/evaluate): every project the fast one declines."""
        try:
            return evaluate.score(self._plan, loaded)
        except JixiaoError as exc:
            exc.sources.update({k: v for k, v in self.ruleset.sources.items() if k not in exc.sources})
            raise

    def _fast_evaluator(self) -> FastEvaluator | None:
        """The fast evaluator when it implements this plan (engine/fast), made on first use."""
        if self._fast is False:
            self._fast = FastEvaluator.of(self._plan)
        return self._fast if isinstance(self._fast, FastEvaluator) else None

    def __getstate__(self) -> dict[str, Any]:
        """Pickled as the checked ruleset; the plan (compiled formulas are closures) is compiled again."""
        return {"ruleset": self.ruleset, "warnings": self.warnings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.ruleset, self.warnings = state["ruleset"], state["warnings"]
        self._plan = compile_plan(self.ruleset)
        self._fast = self._columnar = False
        self._quick = None

    @guarded
    def score_many(
        self, batch: Iterable[ActualsSource], *, jobs: int | None = 1, backend: str = "auto"
    ) -> Iterator[Result]:
        """Score a batch lazily, in order; the first project with errors raises its `JixiaoError`.

        `jobs` processes score it (0 or None: one per core): this one and `jobs` − 1 workers, started once
        the batch is worth it (for a list, as soon as what is left would take about 0.1 s; else once this
        process has scored about 30 ms of it; io/parallel.py); this one hands out chunks, scores the next
        ones while the workers' results have not come, and gives the results back in order; paths, bytes
        and `ActualsFile`s are read where they are scored, other sources here first (a list or tuple of
        them is copied when workers are forked, which then take its items by position: changing the list
        afterwards changes nothing). Every result is the one
        `score` would give, wherever it was scored: a fast result fills its tables in when first read
        (from the file, or the bytes it was read from, which come back from a worker for a path), one
        the reference scored comes whole. The batch streams either way.

        `backend`: "auto" (the default) and "fast" score one project at a time (the fast evaluator,
        else the reference): from read files, CSV or paths this is faster than making arrays of them
        (docs/performance.md, "列式后端"); "columnar" scores chunks on exact arrays (engine/columnar,
        numpy, `pip install "jixiao[fast]"`; `jobs` ignored; E174 without numpy). Results are identical
        either way.

        The arguments are checked at the call, before the first result is asked for: a `TypeError` for
        one project given as the batch (a path, bytes: score it with `score`), a `jobs` that is not an int
        or None, an unknown `backend` or a negative or boolean `jobs` (`crash.ChoiceError`, also a
        ValueError); E174 for "columnar" without numpy.
        """
        several(batch, "score_many()'s batch (one project is scored with score())")
        expect(jobs, (int, type(None)), "jobs (a number of processes, or None)")
        if isinstance(jobs, bool) or (jobs is not None and jobs < 0):  # True is an int to Python, not a count
            raise ChoiceError(f"jobs is a number of processes (0 or None: one per core), not {jobs!r}")
        return self._score_many(batch, jobs_for(jobs), self._columnar_for(backend))

    def _score_many(
        self, batch: Iterable[ActualsSource], count: int, columnar: ColumnarEvaluator | None
    ) -> Iterator[Result]:
        """`score_many`'s results; anything but a `JixiaoError` (a bug, a worker that ended: killed, out
        of memory, or spawned from a script without `if __name__ == "__main__":`) is E901; what the
        batch itself raises as it is iterated (a generator's own error) comes through unchanged."""
        try:
            if columnar is not None:
                given = _Given(batch)
                yield from self._score_columnar(given, columnar)
                given.raise_kept()
            elif count == 1:
                yield from (self.score(actuals) for actuals in callers_items(batch))
            else:
                given = _Given(batch)
                yield from self._score_pool(given, count)
                given.raise_kept()
        except (JixiaoError, SourceTypeError):
            raise
        except Exception as exc:
            if is_callers(exc):
                raise
            raise internal_error(exc) from exc

    def _score_pool(self, batch: Iterable[ActualsSource], count: int) -> Iterator[Result]:
        """A batch scored here and in `count` − 1 workers (io/parallel.py). The pool is closed before an
        error leaves (workers ended, the collector thawed): the error's traceback holds this frame, and
        with it the pool's generator, until a collection finds the cycle."""
        pairs: Iterable[tuple[ActualsSource, Sent]]
        mapped: Generator[tuple[Any, Sent], None, None]
        inherited = _inherited(batch)
        if inherited is not None:  # forked workers read the items themselves: sent their positions
            state = (self, inherited)
            mapped = ordered_map(
                _score_at, range(len(inherited)), count, state, _score_here_at, len(inherited)
            )
            pairs = ((inherited[index], outcome) for index, outcome in mapped)
        else:
            portable = (_portable(a) for a in batch)
            expected = operator.length_hint(batch) or None
            mapped = ordered_map(_score_chunk, portable, count, self, here=_score_here, expected=expected)
            pairs = mapped
        try:
            for source, outcome in pairs:
                if type(outcome) is tuple:  # a worker's (`Scored`)
                    yield self._scored(source, outcome)
                elif isinstance(outcome, Result):
                    yield outcome
                else:
                    assert isinstance(outcome, Failed)
                    error = JixiaoError(outcome.diagnostics)
                    error.sources.update(outcome.sources)
                    raise error
        finally:
            mapped.close()

    def score_batch(self, files: Sequence[ActualsFile], *, backend: str = "auto") -> list[Result | None]:
        """The results the columnar backend finishes for these read files, in order; None for a project
        to score with `score` (one it declines, or every one when `backend` does not use it)."""
        several(files, "score_batch()'s files")
        columnar = self._columnar_for(backend)
        if columnar is None:
            return [None] * len(files)
        for file in files:
            expect(file, ActualsFile, "score_batch()'s file (read it with load_actuals)")
        results: list[Result | None] = []
        size = columnar_backend().CHUNK
        for start in range(0, len(files), size):
            chunk: list[tuple[ActualsFile, Raw | None]] = [
                (file, None) for file in files[start : start + size]
            ]
            results += self._columnar_results(chunk, columnar)
        return results

    def _columnar_for(self, backend: str) -> ColumnarEvaluator | None:
        """The columnar evaluator `backend` asks for, or None (one project at a time)."""
        choice(backend, BACKENDS, "backend")
        if backend == "columnar" and not columnar_available():
            raise JixiaoError.single("E174", file_span(self.path))
        if backend != "columnar":
            return None  # "auto" too: one project at a time is the faster from files (see score_many)
        evaluator = columnar_backend().ColumnarEvaluator
        if self._columnar is False:
            fast = self._fast_evaluator()
            self._columnar = evaluator.of(fast) if fast is not None else None
        return self._columnar if isinstance(self._columnar, evaluator) else None

    def _score_columnar(
        self, batch: Iterable[ActualsSource], columnar: ColumnarEvaluator
    ) -> Iterator[Result]:
        """A chunk of projects read, scored on arrays, the rest one at a time; an unreadable project
        raises in its place, after the results before it."""
        iterator = iter(batch)
        while chunk := list(itertools.islice(iterator, columnar_backend().STREAM)):
            loaded: list[tuple[ActualsFile, Raw | None]] = []
            error = None
            for source in chunk:
                try:
                    loaded.append(_read_guarded(source))
                except JixiaoError as exc:
                    error = exc
                    break
            yield from self._columnar_chunk(loaded, columnar)
            if error is not None:
                raise error

    @guarded
    def _columnar_results(
        self, loaded: list[tuple[ActualsFile, Raw | None]], columnar: ColumnarEvaluator
    ) -> list[Result | None]:
        fast = columnar.fast
        scored = columnar.totals([file for file, _ in loaded])
        return [
            None if t is None else fast.result(*t, _again(raw) or file)
            for (file, raw), t in zip(loaded, scored, strict=True)
        ]

    def _columnar_chunk(
        self, loaded: list[tuple[ActualsFile, Raw | None]], columnar: ColumnarEvaluator
    ) -> Iterator[Result]:
        for (file, raw), result in zip(loaded, self._columnar_results(loaded, columnar), strict=True):
            yield result if result is not None else self._score_read(file, raw)

    def _scored(self, source: ActualsSource, scored: Scored) -> Result:
        """A worker's fast result made whole here: its table read again from the file when first read."""
        fast = self._fast_evaluator()
        assert fast is not None  # the worker's evaluator is this one's
        again: ActualsFile | Callable[[], ActualsFile]
        sent, grade, findings, data, name = scored
        if isinstance(source, ActualsFile):
            again = source
        else:
            read = data if data is not None else source
            assert isinstance(read, bytes)  # `_portable`: a path (its bytes come back) or bytes
            again = _rereads((read, name))
        return fast.result(_total(sent), grade, findings, again)

    def __repr__(self) -> str:
        return f"CompiledRuleset({self.name!r}, path={self.path!r})"


Raw = tuple[bytes, str | None]  # a file's bytes and the name messages use for it
BACKENDS = ("auto", "columnar", "fast")
COLUMNAR = "jixiao.engine.columnar"  # imported when a batch may be scored on arrays, not to score one file


def columnar_backend() -> ModuleType:
    """The columnar backend's package (engine/columnar), imported when first needed."""
    return importlib.import_module(COLUMNAR)


def columnar_available() -> bool:
    """Whether numpy, which the columnar backend needs, can be imported."""
    available: bool = columnar_backend().available()
    return available


def _read_actuals(actuals: ActualsSource) -> tuple[ActualsFile, Raw | None]:
    """The actual values, and for a path or bytes what they were read from (a kept fast result holds
    those bytes, a few KiB, instead of the read file, to read them again when its table is read)."""
    if isinstance(actuals, ActualsFile):
        return actuals, None
    if isinstance(actuals, str | os.PathLike):
        path = callers_path(actuals)
        raw: Raw = (read_bytes(path), path)
    elif isinstance(actuals, bytes):
        raw = (actuals, None)
    else:
        return collect_actuals(actuals), None
    return collect_actuals(raw[0], name=raw[1]), raw


_read_guarded = guarded(_read_actuals)


_REFERENCE_ALONE = contextvars.ContextVar("reference_alone", default=False)


@contextlib.contextmanager
def reference_alone() -> Iterator[None]:
    """Read files scored by the reference evaluator alone while inside (this thread or task only).

    For one project whose tables are printed (`jixiao score` of one file): the fast evaluator's result
    would have its tables filled in by the reference evaluator anyway, so building the fast evaluator
    (a few ms, its generated function included) and scoring twice is work that one project never pays
    back. The results are the same: every fast result is checked against the reference's (E901)."""
    token = _REFERENCE_ALONE.set(True)
    try:
        yield
    finally:
        _REFERENCE_ALONE.reset(token)


def _declined(_: ActualsFile) -> None:
    """The quick scorer of a plan the fast evaluator does not take: the reference scores every project."""
    return None


def _again(raw: Raw | None) -> Callable[[], ActualsFile] | None:
    return None if raw is None else _rereads(raw)


def _rereads(raw: Raw) -> Callable[[], ActualsFile]:
    """What reads a file again from the bytes it was read from (a kept result's table, when read)."""
    return functools.partial(collect_actuals, raw[0], name=raw[1])


def _portable(actuals: ActualsSource) -> ActualsSource:
    """What a worker process can be sent: a path, bytes or a read file as they are; else read here."""
    return actuals if _as_is(actuals) else collect_actuals(actuals)


def _as_is(actuals: ActualsSource) -> bool:
    """Whether a worker reads `actuals` itself (a path, bytes, a read file), rather than this process."""
    return type(actuals) is bytes or isinstance(actuals, ActualsFile | str | os.PathLike | bytes)


# A fast result as a worker sends it: (its total — a decimal one as its units and digits, `_sent` —, its
# grade, its findings, the bytes it read for a path or None, the name it read them under or None). A plain
# tuple, which a worker makes, pickles and this process unpickles in about half the time of a dataclass's
# (~1.5 µs a project less); the only tuples a chunk's results hold (`Failed` for errors).
Scored = tuple[Figure | tuple[int, int], str | None, tuple[Finding, ...], bytes | None, str | None]


@dataclass(frozen=True)
class Failed:
    """A project with errors as a chunk's results hold it (in its turn, raised as its `JixiaoError`)."""

    diagnostics: list[Diagnostic]
    sources: dict[str, str]


def _total(sent: Figure | tuple[int, int]) -> Figure:
    """A worker's total, made again by `Figure.scaled` when it was sent as two integers (remembered: a batch
    has few distinct totals, and `Figure.scaled` is about 4 µs of this process's time a result)."""
    if isinstance(sent, Figure):
        return sent
    made = _TOTALS.get(sent)
    if made is None:
        if len(_TOTALS) >= TOTALS_KEPT:
            _TOTALS.clear()
        made = _TOTALS[sent] = Figure.scaled(*sent)
    return made


TOTALS_KEPT = 1 << 14  # totals remembered from workers' results (units, digits → Figure); emptied when full
_TOTALS: dict[tuple[int, int], Figure] = {}


Sent = Result | Scored | Failed


def _score_here(compiled: CompiledRuleset, chunk: list[ActualsSource]) -> list[Sent]:
    """A chunk scored in this process (`score_many` with workers): each result as `score` gives it, so no
    `Scored` is made only to be made whole again; a project with errors gives its diagnostics and sources
    (raised in its turn), and a bug raises here, as in a worker."""
    return [_result_or_error(compiled, actuals) for actuals in chunk]


def _result_or_error(compiled: CompiledRuleset, actuals: ActualsSource) -> Sent:
    try:
        return compiled.score(actuals)
    except JixiaoError as exc:
        if is_internal(exc):
            raise
        return Failed(exc.diagnostics, exc.sources)


class _Given:
    """The caller's batch, read ahead (chunks for the workers, for the columnar backend): an exception its
    iteration raises ends it and is kept, raised by `raise_kept` after the results of the projects before
    it, in its turn, as `score_many` with one process raises it (marked the caller's: unchanged)."""

    def __init__(self, batch: Iterable[ActualsSource]) -> None:
        self.batch = batch
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[ActualsSource]:
        try:
            yield from callers_items(self.batch)
        except Exception as exc:
            self.error = exc

    def __length_hint__(self) -> int:
        try:
            return operator.length_hint(self.batch)
        except Exception:  # the caller's __len__ raising: its length is simply not known
            return 0

    def raise_kept(self) -> None:
        if self.error is not None:
            raise self.error


def _inherited(batch: Iterable[ActualsSource]) -> tuple[ActualsSource, ...] | None:
    """The batch as forked workers read it themselves, or None (its items are sent to them).

    Sending a chunk of CSV bytes cost this process about 3–5 µs a project (pickled, written to the pipe by
    the executor's thread): most of what it spends on a batch beside the workers. A list or tuple of
    bytes, paths and read files (what `_portable` sends as it is) is copied into a tuple here, which a
    worker forked from this process already holds, and workers are sent positions in it. Only when
    workers are forked (`start_method`; spawned ones would be sent the whole tuple each) and for a list,
    whose later changes then change nothing: this tuple is what is scored and what results read again."""
    given = batch.batch if isinstance(batch, _Given) else batch
    if not isinstance(given, list | tuple) or start_method() != "fork":
        return None
    items = (
        tuple(given) if type(given) is list or type(given) is tuple else tuple(batch)
    )  # those cannot raise
    return items if all(map(_as_is, items)) else None


def _score_at(state: tuple[CompiledRuleset, tuple[ActualsSource, ...]], chunk: list[int]) -> list[Sent]:
    """`_score_chunk` of the items at these positions of the batch the worker inherited."""
    compiled, items = state
    return _score_chunk(compiled, [items[index] for index in chunk])


def _score_here_at(state: tuple[CompiledRuleset, tuple[ActualsSource, ...]], chunk: list[int]) -> list[Sent]:
    """`_score_here` of the items at these positions."""
    compiled, items = state
    return _score_here(compiled, [items[index] for index in chunk])


def _score_chunk(compiled: CompiledRuleset, chunk: list[ActualsSource]) -> list[Sent]:
    """Score a chunk in a worker; a project with errors gives its diagnostics and sources instead."""
    return [_score_sent(compiled, actuals) for actuals in chunk]


@guarded
def _score_sent(compiled: CompiledRuleset, actuals: ActualsSource) -> Sent:
    try:
        loaded, raw = _read_actuals(actuals)
        fast = compiled._fast_evaluator()
        scored = fast.totals(loaded) if fast is not None else None
        if scored is None:
            return compiled._reference(loaded)
        path = raw is not None and raw[1] is not None  # the parent has bytes it sent, not a file's
        total, grade, findings = scored
        return (_sent(total), grade, findings, raw[0] if path and raw else None, raw[1] if raw else None)
    except JixiaoError as exc:
        return Failed(exc.diagnostics, exc.sources)


def _sent(total: Figure) -> Figure | tuple[int, int]:
    """A total as a worker sends it back: a decimal total (the fast evaluator's, `Figure.scaled`) as its
    units and digits, which `Figure.scaled` turns back into the same figure cheaply (unpickling a
    `Figure` formats its Fraction again: about 6 µs of the parent's time per project); else the figure."""
    digits = total.digits
    if digits is None or total.shown is not None or total.shown_digits is not None:
        return total
    units, rest = divmod(total.value.numerator * 10**digits, total.value.denominator)
    return total if rest else (units, digits)


# -- reading a ruleset from what the caller gives ----------------------------------------------------------
@dataclass(frozen=True)
class RulesetInput:
    """A ruleset's text, the name messages use for it, and the file it was read from (if any)."""

    text: str
    name: str
    file: Path | None = None


def read_ruleset(
    source: RulesetSource | None = None, *, text: str | None = None, name: str | None = None
) -> RulesetInput:
    """The text of a ruleset given as a path, a package resource, bytes, a file object or `text=`.

    A `str` or `os.PathLike` is always a path, never ruleset text: text comes as `text=`, `bytes` or a
    file object. Package resources are `"jixiao:rulesets/…"` names or `Traversable`s.
    """
    if (source is None) == (text is None):
        raise SourceTypeError("give either a ruleset source or text=, not both or neither")
    expect(name, (str, type(None)), "name= (how messages call the ruleset)")
    if text is not None:
        expect(text, str, "text= (the ruleset's text; bytes are given positionally)")
        return RulesetInput(normalize_newlines(text), name or TEXT_NAME)
    if isinstance(source, str) and source.startswith(RESOURCE_PREFIX):
        return _resource_input(source)
    if isinstance(source, str | os.PathLike):
        return _path_input(Path(callers_path(source)))
    if isinstance(source, bytes | bytearray | memoryview):
        return _content_input(bytes(source), name or TEXT_NAME)
    if isinstance(source, Traversable):
        return _traversable_input(source)
    if callable(getattr(source, "read", None)):
        return _content_input(_read_stream(source, name), name or _stream_name(source))
    raise SourceTypeError(f"a ruleset source cannot be a {type(source).__name__}")


def _path_input(path: Path) -> RulesetInput:
    if "\n" in str(path):
        reason = (
            "给出的是规则文字，不是路径；文字请用 text=… 传入",
            "this is ruleset text, not a path; pass text=…",
        )
        raise JixiaoError.single("E105", Span.of_path(TEXT_NAME), reason=reason)
    if not _exists(path):
        raise JixiaoError.single(
            "E105", Span.of_path(shown(path)), nearby_file(path), reason=("文件不存在", "no such file")
        )
    return RulesetInput(read_file(path), shown(path), path)


def _exists(path: Path) -> bool:
    """Whether a path names something (a name too long or holding NUL names nothing)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _resource_input(source: str) -> RulesetInput:
    name = source.removeprefix(RESOURCE_PREFIX)
    found = resource(name) if name.startswith("rulesets/") else None
    if found is None:
        raise JixiaoError.single(
            "E105", Span.of_path(source), reason=("找不到包内资源", "package resource not found")
        )
    return _traversable_input(found)


def _traversable_input(item: Traversable) -> RulesetInput:
    local = Path(str(item))
    if local.is_file():
        return _path_input(local) if not _is_packaged(local) else _packaged_input(local)
    if not item.is_file():
        raise JixiaoError.single(
            "E105", Span.of_path(item.name), reason=("找不到包内资源", "package resource not found")
        )
    return _content_input(item.read_bytes(), item.name)


def _is_packaged(path: Path) -> bool:
    return path.resolve().is_relative_to(packaged_dir())


def _packaged_input(path: Path) -> RulesetInput:
    name = display(path.resolve(), None)
    return RulesetInput(decode(path.read_bytes(), name), name, path)


def _content_input(data: bytes | str, name: str) -> RulesetInput:
    text = decode(data, name) if isinstance(data, bytes) else normalize_newlines(data)
    return RulesetInput(text, name)


def _read_stream(stream: Any, name: str | None) -> bytes | str:
    """At most one character more than a ruleset may hold (the parser reports the limit)."""
    try:
        data = stream.read(MAX_RULESET_CHARS * 4 + 1)
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else (str(exc), str(exc))
        raise JixiaoError.single("E105", Span.of_path(name or _stream_name(stream)), reason=reason) from None
    except Exception as exc:  # the caller's read() raised it: theirs, unchanged
        mark_callers(exc)
        raise
    if not isinstance(data, bytes | str):
        raise SourceTypeError(f"read() of a ruleset source returned a {type(data).__name__}")
    return data


def _stream_name(stream: Any) -> str:
    written = getattr(stream, "name", None)
    return shown(written) if isinstance(written, str) and not written.startswith("<") else TEXT_NAME


def normalize_newlines(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# -- resolving, checking, compiling; the cache --------------------------------------------------------------
def resolve_input(source: RulesetInput, roots: Roots, *, lenient: bool = False) -> Ruleset:
    """`lenient`: literal errors wait in the document for `run_checks` (the caller runs the checks)."""
    return resolve_text(source.text, source.name, roots, source.file, lenient=lenient)


@guarded
def parse_ruleset(
    source: RulesetSource | None = None,
    *,
    text: str | None = None,
    name: str | None = None,
    roots: Iterable[str | os.PathLike[str]] | None = None,
    lenient: bool = False,
) -> Ruleset:
    """Read and resolve a ruleset (policies included) without checking or compiling it.

    `lenient`: literal errors do not raise but wait in `ruleset.document.diagnostics` for `run_checks`.
    """
    reading = read_ruleset(source, text=text, name=name)
    return resolve_input(reading, Roots.of(() if roots is None else roots), lenient=lenient)


CacheKey = tuple[str, str, tuple[str, ...], str]


class _CompileCache:
    """Compiled rulesets keyed by everything resolution depended on.

    The key holds the text, its name, the roots and the file it came from; a hit is served only while
    every policy file it used still has the same text and no file has appeared before it in the lookup.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[CacheKey, CompiledRuleset] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[CacheKey, threading.Event] = {}  # keys a thread is compiling now
        self.folder: Path | None = None  # where checked rulesets are kept between processes (`keep_checked`)

    def get(self, source: RulesetInput, roots: Roots) -> CompiledRuleset:
        """The compiled ruleset of `source`; compiled once when threads ask for it at the same time (the
        others wait for the first, then take its result, or compile themselves if it failed)."""
        key = (source.text, source.name, roots.key(), str(source.file.resolve()) if source.file else "")
        hit = self._hit(key)
        if hit is not None:
            return hit
        with self._lock:
            other = self._loading.get(key)
            if other is None:
                mine = self._loading[key] = threading.Event()
        if other is not None:  # another thread compiles it: its result, unless it failed
            other.wait()
            return self._hit(key) or self._compiled(key, source, roots)
        try:
            return self._compiled(key, source, roots)
        finally:
            with self._lock:
                del self._loading[key]
            mine.set()

    def _hit(self, key: CacheKey) -> CompiledRuleset | None:
        """The kept compiled ruleset of `key` while every policy file it used is unchanged; else None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is not None and all(d.holds() for d in hit.ruleset.depends):
            return hit
        return None

    def _compiled(self, key: CacheKey, source: RulesetInput, roots: Roots) -> CompiledRuleset:
        compiled = self._restored(source, roots)
        if compiled is None:
            compiled = CompiledRuleset(resolve_input(source, roots, lenient=True))
            kept = self._kept_file(source, roots)
            if kept is not None:
                checked.save(kept, compiled.ruleset, compiled.warnings)
        with self._lock:
            self._items[key] = compiled
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def _restored(self, source: RulesetInput, roots: Roots) -> CompiledRuleset | None:
        """The checked ruleset kept in the user's cache (`keep_checked`), compiled again; else None."""
        file = self._kept_file(source, roots)
        kept = checked.load(file, source.text, source.name) if file is not None else None
        if kept is None:
            return None
        compiled = CompiledRuleset.__new__(CompiledRuleset)
        compiled.__setstate__({"ruleset": kept[0], "warnings": kept[1]})
        return compiled

    def _kept_file(self, source: RulesetInput, roots: Roots) -> Path | None:
        """Where this ruleset is kept (`keep_checked`); None: not kept."""
        if self.folder is None:
            return None
        file = str(source.file.resolve()) if source.file else ""
        return checked.file_for(self.folder, (source.text, source.name, file, *roots.key()))


_CACHE = _CompileCache(CACHE_SIZE)


@guarded
def load_ruleset(
    source: RulesetSource | None = None,
    *,
    text: str | None = None,
    name: str | None = None,
    roots: Iterable[str | os.PathLike[str]] | None = None,
    cache: bool = True,
) -> CompiledRuleset:
    """Load, check and compile a project ruleset.

    `source` is a path (`str` or `os.PathLike`, never ruleset text), a package resource
    (`"jixiao:rulesets/…"` or a `Traversable`), `bytes` or a file object; or give the text as `text=`.
    `name` names text in messages. Its 采用 policies are looked for in the file's own folder, in `roots`
    and among the packaged policies, nowhere else. The same input loaded twice returns the same compiled
    object (unless `cache=False`) while the policy files it used are unchanged.
    """
    source_input = read_ruleset(source, text=text, name=name)
    folders = Roots.of(() if roots is None else roots)
    if not cache:
        return CompiledRuleset(resolve_input(source_input, folders, lenient=True))
    return _CACHE.get(source_input, folders)


def keep_checked(folder: Path | None) -> None:
    """Keep checked rulesets in `folder` between processes, and load them from there (io/checked.py);
    None: not. The `jixiao` command does it in the user's cache folder; the API does not by default."""
    _CACHE.folder = folder


def clear_cache() -> None:
    """Forget every compiled ruleset (e.g. after editing policy files in a long-lived process)."""
    _CACHE.clear()
