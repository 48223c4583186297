"""Output survives any console encoding: what the console cannot encode is replaced, never a crash."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main
from jixiao.cli.common import TerminalText, console_safe

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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_no_control_characters_from_any_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """`jixiao diff`, `test`, `check`: whatever a command prints to a terminal loses ESC, BEL and CR."""
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    console_safe()
    assert isinstance(sys.stdout, TerminalText)
    click.echo("指标「\x1b]8;;https://evil.example/\x07甲\x1b]8;;\x07」\r伪造\t得分 10")
    assert screen.getvalue() == "指标「]8;;https://evil.example/甲]8;;」伪造\t得分 10\n"
    console_safe()  # twice: not wrapped twice
    assert sys.stdout._stream is screen  # type: ignore[attr-defined]


def test_output_to_a_file_is_left_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    file = io.StringIO()
    monkeypatch.setattr(sys, "stdout", file)
    console_safe()
    assert sys.stdout is file


def test_a_reader_that_stops_early_is_not_a_crash() -> None:
    """`jixiao score … --explain | head -2`: the pipe closes early; no "internal error", no traceback."""
    cli = "from jixiao.cli import main; main()"
    args = [sys.executable, "-c", cli, "score", str(SEED_RULESET), str(SEED_ACTUALS), "--explain"]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # as `head` does once it has its lines
        error = process.stderr.read().decode("utf-8", "replace")
        status = process.wait(timeout=120)
    assert "E901" not in error and "内部错误" not in error and "Traceback" not in error
    assert status != 70
