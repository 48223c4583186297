"""`jixiao serve` from the command line: its help, the message without the web extra, the token rule."""

from __future__ import annotations

import importlib
import importlib.util
import socket
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


@pytest.mark.skipif(importlib.util.find_spec("uvicorn") is None, reason="the web extra is not installed")
def test_a_port_in_use_or_an_address_not_here_is_e990_before_anything_is_served() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--no-browser", "--port", str(port)])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert (
            f"error[E990]: jixiao serve 无法在 127.0.0.1:{port} 上监听：端口已被另一个程序占用"
            in result.output
        )
    token = ["--token-file", __file__, "--no-browser", "--lang", "en"]
    unknown = CliRunner().invoke(main, ["serve", "--host", "no-such-host.invalid", *token])
    assert unknown.exit_code == 1 and "E990" in unknown.output and "cannot be resolved" in unknown.output
    beyond = CliRunner().invoke(main, ["serve", "--no-browser", "--port", "70000"])
    assert beyond.exit_code == 2 and "--port 的值不对：70000 超出允许的范围（0<=x<=65535）" in beyond.output


@pytest.mark.skipif(importlib.util.find_spec("uvicorn") is None, reason="the web extra is not installed")
def test_the_socket_is_bound_once_and_its_port_is_the_one_served() -> None:
    server = importlib.import_module("jixiao.web.server")
    with server.listening("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
        assert port > 0
        with socket.socket() as again, pytest.raises(OSError):
            again.bind(("127.0.0.1", port))
