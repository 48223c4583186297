"""`jixiao serve` from the command line: its help, the message without the web extra, the token rule."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli import main


def test_help_names_the_folder_and_the_defaults() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "--no-browser" in result.output


def test_without_the_web_extra_it_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def missing(name: str, *args: Any) -> Any:
        return None if name == "starlette" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", missing)
    result = CliRunner().invoke(main, ["serve", "--no-browser"])
    assert result.exit_code == 1
    assert "E984" in result.output and 'pip install "jixiao[web]"' in result.output
    assert "Traceback" not in result.output
    english = CliRunner().invoke(main, ["serve", "--no-browser", "--lang", "en"])
    assert "needs the web extra" in english.output


@pytest.mark.skipif(importlib.util.find_spec("uvicorn") is None, reason="the web extra is not installed")
def test_listening_beyond_loopback_needs_a_token() -> None:
    result = CliRunner().invoke(main, ["serve", "--no-browser", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token-file" in result.output
