"""An exception the caller's own object raises (a generator giving the batch, an `__iter__`, an
`__fspath__`, a file's `read()`) is theirs: it comes through unchanged, never as jixiao's internal error
E901, which stays for jixiao's own bugs (docs/api.md, "Errors and checks")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.io import rulesets

A = str(SEED_ACTUALS)


class Theirs(Exception):
    """What the caller's code raises."""


class BadPath:
    def __fspath__(self) -> str:
        raise Theirs("__fspath__")


class BadIterable:
    def __iter__(self) -> Iterator[Any]:
        raise Theirs("__iter__")


def _ending(count: int) -> Iterator[str]:
    yield from [A] * count
    raise Theirs("generator")


class BadCell:
    def __str__(self) -> str:
        raise Theirs("__str__")


class _ReadFails:
    name = "stream.csv"

    def read(self, size: int = -1) -> bytes:
        raise Theirs("read")


CALLS: dict[str, Callable[[], object]] = {
    "load_ruleset(__fspath__)": lambda: jixiao.load_ruleset(BadPath()),
    "load_ruleset(roots=__iter__)": lambda: jixiao.load_ruleset(SEED_RULESET, roots=BadIterable()),
    "load_ruleset(roots=[__fspath__])": lambda: jixiao.load_ruleset(SEED_RULESET, roots=[BadPath()]),
    "load_ruleset(read)": lambda: jixiao.load_ruleset(_ReadFails()),
    "check(__fspath__)": lambda: jixiao.check(BadPath()),
    "load_actuals(__fspath__)": lambda: jixiao.load_actuals(BadPath()),
    "load_actuals(rows=__iter__)": lambda: jixiao.load_actuals(rows=BadIterable()),
    "load_actuals(read)": lambda: jixiao.load_actuals(_ReadFails()),
    "load_actuals(rows=[{__str__}])": lambda: jixiao.load_actuals(
        rows=[{"三级指标": "x", "实际完成值": BadCell()}]
    ),
    "score(__fspath__)": lambda: jixiao.load_ruleset(SEED_RULESET).score(BadPath()),
    "score_many(__iter__)": lambda: list(jixiao.load_ruleset(SEED_RULESET).score_many(BadIterable())),
    "score_many([__fspath__])": lambda: list(jixiao.load_ruleset(SEED_RULESET).score_many([BadPath()])),
    "diff(actuals=generator)": lambda: jixiao.diff(SEED_RULESET, SEED_RULESET, actuals=_ending(1)),
    "diff_folders(__fspath__)": lambda: jixiao.diff_folders(BadPath(), BadPath()),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_the_callers_exception_comes_through_unchanged(call: Callable[[], object]) -> None:
    with pytest.raises(Theirs):
        call()


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("count", [0, 3, 80])
def test_a_batch_that_raises_gives_the_results_before_it_then_its_exception(jobs: int, count: int) -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    results = []
    with pytest.raises(Theirs, match="generator"):
        for result in ruleset.score_many(_ending(count), jobs=jobs):
            results.append(result)
    assert len(results) == count


def test_a_closed_file_is_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    """E105 with the reason, as `load_ruleset` says of a closed file; it was E901 for actual values."""
    with open(SEED_ACTUALS, "rb") as handle:
        pass
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.load_actuals(handle)
    assert [d.code for d in caught.value.diagnostics] == ["E105"]
    assert "closed" in caught.value.text("en")


def test_a_bug_in_jixiao_is_still_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: object) -> bytes:
        raise RuntimeError("a bug planted by the test")

    monkeypatch.setattr(rulesets, "read_bytes", broken)
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    for call in (lambda: ruleset.score(Path(A)), lambda: list(ruleset.score_many([Path(A)]))):
        with pytest.raises(jixiao.JixiaoError) as caught:
            call()
        assert [d.code for d in caught.value.diagnostics] == ["E901"]
        assert isinstance(caught.value.__cause__, RuntimeError)
