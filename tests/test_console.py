"""Output survives any console encoding: what the console cannot encode is replaced, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main

COMMANDS = {  # the command, and a line of its output with a character GBK lacks (now "?")
    "score --explain": (["score", str(SEED_RULESET), str(SEED_ACTUALS), "--explain"], "  ? F107 "),  # ⚑
    "test": (["test", str(ROOT / "rulesets")], "  ? 原表 / the published table"),  # ✓
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_gbk_console_gets_replacement_characters(command: str) -> None:
    args, line = COMMANDS[command]
    run = CliRunner(charset="gbk").invoke(main, args)
    assert run.exception is None or isinstance(run.exception, SystemExit), repr(run.exception)
    assert run.exit_code == 0, run.output
    text = run.stdout_bytes.decode("gbk")
    assert line in text


def test_redirected_output_on_chinese_windows() -> None:
    """As `jixiao score … --explain > out.txt` on a cp936 console: a real process, real streams."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    cli = "from jixiao.cli import main; main()"
    args = [sys.executable, "-c", cli, "score", str(SEED_RULESET), str(SEED_ACTUALS), "--explain"]
    run = subprocess.run(args, capture_output=True, env=env, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr.decode("gbk", "replace")
    text = run.stdout.decode("gbk")
    assert "总得分 99.31" in text
    assert "? F107" in text  # the ⚑ bullet, replaced


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_json_and_html_are_utf8_whatever_the_console(fmt: str) -> None:
    run = CliRunner(charset="gbk").invoke(
        main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", fmt]
    )
    assert run.exit_code == 0
    text = run.stdout_bytes.decode("utf-8")  # the page says charset=utf-8; JSON is UTF-8 by definition
    assert "城乡居民基本养老保险费财政补助资金" in text
