"""Checked rulesets kept between processes (io/checked.py): the same ruleset, warnings and scores as
checking again; a tampered, truncated or foreign file is passed over (rebuilt), never run; a policy
file that changed or appeared makes the kept one stale."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET, seed_score_process

from jixiao.diagnostics import JixiaoError, render_all
from jixiao.io import checked, rulesets
from jixiao.io.render import render_result
from jixiao.io.rulesets import CompiledRuleset, clear_cache, keep_checked, load_ruleset


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    folder.mkdir()
    clear_cache()
    keep_checked(folder)
    yield folder
    keep_checked(None)
    clear_cache()


class CheckedAgain(Exception):
    """Raised (and reported as E901 by the API's guard) when a ruleset is resolved and checked again."""


def _restored(path: Path, monkeypatch: pytest.MonkeyPatch) -> CompiledRuleset:
    """`path` loaded again in a fresh process's state: from the kept file only (checking it again fails)."""
    clear_cache()
    with monkeypatch.context() as patch:
        patch.setattr(rulesets, "resolve_input", _not_again)
        return load_ruleset(path)


def _not_again(*_args: object, **_kwargs: object) -> None:
    raise CheckedAgain


def _checked_again(path: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    try:
        _restored(path, monkeypatch)
    except JixiaoError as exc:
        return isinstance(exc.__cause__, CheckedAgain)
    return False


def _name(path: Path) -> str:
    """The name a ruleset file's text is kept under (its name in messages)."""
    text = path.read_text(encoding="utf-8")
    return next(k for k, v in load_ruleset(path, cache=False).ruleset.sources.items() if v == text)


def _compiling() -> list[Path]:
    found = []
    for path in sorted([*ROOT.glob("rulesets/**/*.jx"), *ROOT.glob("tests/cases/**/*.jx")]):
        try:
            load_ruleset(path, cache=False)
        except JixiaoError:
            continue
        found.append(path)
    return found


def test_every_ruleset_of_the_repository_is_kept_as_checked(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ruleset that compiles: the kept one is the same ruleset with the same sources, policies and
    warnings (rendered the same), and the seed scores the same."""
    paths = _compiling()
    assert len(paths) > 100
    warned = 0
    for path in paths:
        fresh = load_ruleset(path)
        again = _restored(path, monkeypatch)
        assert again is not fresh
        assert again.ruleset == fresh.ruleset, path
        assert again.ruleset.sources == fresh.ruleset.sources, path
        assert again.ruleset.depends == fresh.ruleset.depends, path
        assert again.ruleset.base_rules == fresh.ruleset.base_rules, path
        assert again.warnings == fresh.warnings, path
        sources = fresh.ruleset.sources
        for lang in ("zh", "en"):
            assert render_all(again.warnings, lang, sources) == render_all(fresh.warnings, lang, sources)
        warned += bool(fresh.warnings)
    assert warned >= 5
    seed = _restored(SEED_RULESET, monkeypatch).score(SEED_ACTUALS)
    reference = load_ruleset(SEED_RULESET, cache=False).score(SEED_ACTUALS)
    assert (seed.total, seed.grade, seed.findings) == (reference.total, reference.grade, reference.findings)
    for fmt in ("table", "json", "csv"):
        assert render_result(seed, fmt) == render_result(reference, fmt)  # type: ignore[arg-type]


def test_a_ruleset_with_errors_is_not_kept(kept: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jx"
    broken.write_text(SEED_RULESET.read_text(encoding="utf-8") + "\n}\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(JixiaoError):
            load_ruleset(broken)
    assert list(kept.glob("ruleset-*")) == []


def _pickled_call(module: str, name: str, *args: object) -> bytes:
    """A pickle that calls `module.name(*args)` when loaded by a plain unpickler."""
    return (
        pickle.PROTO
        + bytes([2])
        + pickle.GLOBAL
        + f"{module}\n{name}\n".encode()
        + pickle.MARK
        + b"".join(pickle.SHORT_BINUNICODE + bytes([len(a.encode())]) + a.encode() for a in map(str, args))
        + pickle.TUPLE
        + pickle.REDUCE
        + pickle.STOP
    )


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("os", "system"),
        ("builtins", "eval"),
        ("subprocess", "getoutput"),
        ("jixiao.io.rulesets", "load_ruleset"),  # a function of jixiao's
        ("jixiao.engine.resolve", "read_text"),  # a function in an allowed module
        ("jixiao.engine.resolve", "os.system"),  # reached through an allowed module
        ("jixiao.language.nodes", "frozen"),  # not defined there
        ("jixiao.engine.resolve", "_Follow"),  # a class there that is no dataclass
    ],
)
def test_a_tampered_file_runs_nothing_and_is_written_again(
    kept: Path, tmp_path: Path, module: str, name: str
) -> None:
    marker = tmp_path / "ran"
    load_ruleset(SEED_RULESET)
    (file,) = kept.glob("ruleset-*.pickle")
    argument = (
        f"touch {marker}" if name in ("system", "getoutput", "os.system") else f"open({str(marker)!r}, 'w')"
    )
    file.write_bytes(_pickled_call(module, name, argument))
    assert checked.load(file, SEED_RULESET.read_text(encoding="utf-8"), "2020.jx") is None
    clear_cache()
    assert load_ruleset(SEED_RULESET).warnings == []
    assert not marker.exists()
    again = file.read_bytes()
    assert again != _pickled_call(module, name, argument) and b"Ruleset" in again  # rebuilt and written


def test_the_hostile_pickle_would_run_without_the_restricted_loader(tmp_path: Path) -> None:
    """(The test above is meaningful: a plain unpickler runs such a file.)"""
    marker = tmp_path / "ran"
    pickle.loads(_pickled_call("os", "mkdir", str(marker)))
    assert marker.exists()


def test_a_truncated_or_foreign_file_is_passed_over(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ruleset(SEED_RULESET)
    (file,) = kept.glob("ruleset-*.pickle")
    whole = file.read_bytes()
    text, name = SEED_RULESET.read_text(encoding="utf-8"), _name(SEED_RULESET)
    for damaged in (
        whole[: len(whole) // 2],
        b"",
        b"not a pickle",
        pickle.dumps({"ruleset": 1, "warnings": []}),
    ):
        file.write_bytes(damaged)
        assert checked.load(file, text, name) is None
    file.write_bytes(whole)
    assert checked.load(file, text.replace("2020", "2021"), name) is None  # kept for another text
    assert checked.load(file, text, name) is not None
    assert _restored(SEED_RULESET, monkeypatch).warnings == []


def test_a_policy_file_that_appears_or_changes_makes_the_kept_ruleset_stale(
    kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seed adopts "standard/central": a file of that name beside it is looked for first."""
    project = tmp_path / "project"
    project.mkdir()
    ruleset = project / "2020.jx"
    shutil.copy(SEED_RULESET, ruleset)
    packaged = load_ruleset(ruleset)
    assert _restored(ruleset, monkeypatch).ruleset == packaged.ruleset
    policy = project / "standard" / "central.jx"
    policy.parent.mkdir()
    policy.write_text((ROOT / "rulesets" / "standard" / "central.jx").read_text(encoding="utf-8"), "utf-8")
    assert _checked_again(ruleset, monkeypatch)  # a file looked for first appeared: checked again
    clear_cache()
    local = load_ruleset(ruleset)
    assert str(policy) in {str(d.path) for d in local.ruleset.depends}
    assert not _checked_again(ruleset, monkeypatch)  # kept with the local policy
    policy.write_text(policy.read_text(encoding="utf-8") + "\n", "utf-8")
    assert _checked_again(ruleset, monkeypatch)  # the policy's text changed


def test_the_console_script_keeps_the_checked_seed_and_then_needs_no_parser(tmp_path: Path) -> None:
    """Two runs of `jixiao score`: the second loads the kept ruleset and never imports the parser."""
    probe = "int('jixiao.language.parser' in sys.modules)"
    environment = {"JIXIAO_CACHE_DIR": str(tmp_path)}
    first, built = seed_score_process(probe, environment)
    assert built == "1" and len(list(tmp_path.glob("ruleset-*.pickle"))) == 1
    second, loaded = seed_score_process(probe, environment)
    assert second == first and "99.31" in second
    assert loaded == "0"


def test_nothing_is_kept_for_a_program_not_in_files(
    kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module of jixiao's that is no file of its own (a zip archive): the program has no key, nothing kept."""
    zipped = types.ModuleType("jixiao._zipped")
    zipped.__file__ = str(tmp_path / "jixiao.zip" / "jixiao" / "_zipped.py")
    monkeypatch.setitem(sys.modules, "jixiao._zipped", zipped)
    checked.program.cache_clear()
    try:
        assert checked.program() is None
        assert load_ruleset(SEED_RULESET).warnings == []
        assert list(kept.glob("ruleset-*")) == []
    finally:
        monkeypatch.delitem(sys.modules, "jixiao._zipped")
        checked.program.cache_clear()
    assert checked.program() is not None


def test_at_most_kept_files_stay_the_oldest_go_first(
    kept: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond KEPT files the oldest go, PRUNED are left (so that pruning is seldom)."""
    monkeypatch.setattr(checked, "KEPT", 3)
    monkeypatch.setattr(checked, "PRUNED", 2)
    text = SEED_RULESET.read_text(encoding="utf-8")
    stray = kept / "parser-0.pickle"  # not a kept ruleset: never pruned
    stray.write_bytes(b"")
    made = []
    for i in range(5):
        path = tmp_path / f"{i}.jx"
        path.write_text(f"{text}\n# {i}\n", encoding="utf-8")
        load_ruleset(path)
        (new,) = set(kept.glob("ruleset-*.pickle")) - set(made)
        made.append(new)
        os.utime(new, ns=(i * 10**9, i * 10**9))  # written in this order, a second apart
        if i == 3:  # a fourth file: two left, the newest ones
            assert sorted(kept.glob("ruleset-*.pickle")) == sorted(made[2:])
    assert sorted(kept.glob("ruleset-*.pickle")) == sorted(made[2:])  # three: not pruned
    assert stray.exists()
