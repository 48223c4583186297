"""A bug is told apart from bad input: the API raises only JixiaoError, the CLI exits 70 ("please report").

Exit statuses (docs/cli.md): 0 success, 1 input errors, 2 usage errors, 70 an internal error. The
traceback of an internal error is shown only with --debug (or JIXIAO_DEBUG=1).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from conftest import SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.engine import evaluate
from jixiao.engine.fast import FastEvaluator
from jixiao.engine.fast.run import FastRun
from jixiao.io.rulesets import clear_cache


def _boom(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("a bug planted by the test")


@pytest.fixture
def broken_scoring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(evaluate, "score", _boom)  # the reference evaluator
    monkeypatch.setattr(FastEvaluator, "score", _boom)  # and the fast one (engine/fast)
    monkeypatch.setattr(FastRun, "_row", _boom)  # a row seen for the first time (engine/fast/run.py)
    clear_cache()  # a compiled ruleset binds its fast scorer once: none made before the bug was planted
    yield
    clear_cache()  # nor one made with it


@pytest.mark.usefixtures("broken_scoring")
def test_a_crash_in_the_cli_exits_70_with_one_line_and_no_traceback() -> None:
    result = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS)])
    assert result.exit_code == 70
    assert "jixiao 内部错误" in result.stderr and "ZeroDivisionError" in result.stderr
    assert "Traceback" not in result.stderr
    assert "--debug" in result.stderr


@pytest.mark.usefixtures("broken_scoring")
def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(main, ["--debug", "score", str(SEED_RULESET), str(SEED_ACTUALS)])
    assert result.exit_code == 70
    assert "Traceback" in result.stderr and "_boom" in result.stderr


@pytest.mark.usefixtures("broken_scoring")
def test_the_api_raises_a_jixiao_error_with_the_bug_as_cause() -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    with pytest.raises(jixiao.JixiaoError) as info:
        ruleset.score(SEED_ACTUALS)
    assert [d.code for d in info.value.diagnostics] == ["E901"]
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_check_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jixiao.engine.checks.PASSES", (_boom,))
    assert [d.code for d in jixiao.check(SEED_RULESET)] == ["E901"]


def test_input_errors_exit_1_and_usage_errors_2(tmp_path: object) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["score", "nowhere.jx", str(SEED_ACTUALS)]).exit_code == 1
    assert runner.invoke(main, ["score", "--no-such-option"]).exit_code == 2
    assert runner.invoke(main, ["score", str(SEED_ACTUALS), str(SEED_RULESET)]).exit_code == 2


def test_a_wrong_argument_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        jixiao.load_ruleset(12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        jixiao.load_ruleset(SEED_RULESET, text="项目 x {}")
