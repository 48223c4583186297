"""`jixiao serve [FOLDER]`: the workbench and the HTTP API over a folder (needs the `web` extra).

The web packages are optional, so this module does not import them: `serve` looks for them when it
runs and, when they are missing, says how to install them (E984) instead of failing with a traceback.
"""

from __future__ import annotations

import errno
import importlib
import importlib.util
import os
import socket
from pathlib import Path
from typing import Any

import click

from jixiao.cli.common import ExitCode, lang_option, report_diagnostics, resolve_lang
from jixiao.diagnostics import Diagnostic, Span
from jixiao.messages import Lang, current_lang

WEB_PACKAGES = ("starlette", "uvicorn")


def web_server() -> Any | None:
    """The `jixiao.web.server` module, or None when the web extra is not installed."""
    if any(importlib.util.find_spec(name) is None for name in WEB_PACKAGES):
        return None
    return importlib.import_module("jixiao.web.server")


@click.command("serve")
@click.argument("folder", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="端口（默认 0：自动选择空闲端口）/ port (default 0: a free one).",
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器 / do not open the browser.")
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=2,
    show_default=True,
    help="评分进程数 / scoring processes.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(0.1, 600),
    default=10.0,
    show_default=True,
    help="每个请求的时限（秒）/ seconds per request.",
)
@click.option(
    "--max-body",
    type=click.IntRange(1024),
    default=4 * 1024 * 1024,
    show_default=True,
    help="JSON 请求上限（字节）/ JSON body limit in bytes.",
)
@click.option(
    "--queue",
    type=click.IntRange(0, 10_000),
    default=64,
    show_default=True,
    help="等待评分的请求数上限，超过时回答 503 / requests that may wait for a worker before 503.",
)
@click.option("--read-only", is_flag=True, help="不允许保存文件 / never write files.")
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="API 访问令牌文件；监听 127.0.0.1 以外的地址时必须提供 / bearer token (required off loopback).",
)
@lang_option
def serve(
    folder: str,
    host: str,
    port: int,
    no_browser: bool,
    workers: int,
    deadline: float,
    max_body: int,
    queue: int,
    read_only: bool,
    token_file: str | None,
    lang: str | None,
) -> None:
    """在浏览器中打开评分工作台，并提供 JSON HTTP 接口（默认只监听本机 127.0.0.1）。

    Serve the workbench and the HTTP API over FOLDER (default: the current folder) on 127.0.0.1 and a
    free port, and open the browser. See docs/workbench.md and docs/http.md.
    """
    language = resolve_lang(lang)
    server = web_server()
    if server is None:
        report_diagnostics([Diagnostic("E984", Span("jixiao serve", 1, 1))], language)
        raise SystemExit(ExitCode.INPUT_ERROR)
    token = Path(token_file).read_text(encoding="utf-8").strip() if token_file else None
    if not server.is_loopback(host) and not token:
        raise click.UsageError("--token-file is required when listening on an address other than 127.0.0.1")
    settings = server.Settings(
        Path(folder),
        max_body=max_body,
        workers=workers,
        deadline=deadline,
        queue=queue,
        read_only=read_only or bool(token),
        token=token,
        host=host,
        lang=http_lang(lang),
    )
    try:
        sock = server.listening(host, port)
    except OSError as exc:
        where = {"address": server.address(host, port), "reason": listen_reason(exc)}
        found = Diagnostic("E990", Span("jixiao serve", 1, 1), where)
        report_diagnostics([found], language)
        raise SystemExit(ExitCode.INPUT_ERROR) from None
    stop = "按 Ctrl-C 停止" if language == "zh" else "Ctrl-C stops it"
    click.echo(f"jixiao serve: {server.url(sock)}  ({Path(folder).resolve()}; {stop})", err=True)
    server.serve(settings, sock, open_browser=not no_browser)


def http_lang(lang: str | None) -> Lang:
    """Messages for requests that do not say their language: --lang, else JIXIAO_LANG, else Chinese (not
    the server's locale, which says nothing of its callers)."""
    return current_lang(lang) if lang or os.environ.get("JIXIAO_LANG") else "zh"


_LISTEN_REASONS = {  # errno → why a server cannot listen there, in both languages
    errno.EADDRINUSE: ("端口已被另一个程序占用", "the port is in use by another program"),
    errno.EACCES: ("没有权限使用这个端口（1024 以下的端口要管理员权限）", "no permission for this port"),
    errno.EADDRNOTAVAIL: ("这不是本机的地址", "the address is not one of this machine's"),
}


def listen_reason(exc: OSError) -> tuple[str, str]:
    """Why `listening` failed, in both languages."""
    if isinstance(exc, socket.gaierror):
        return (
            "找不到这个地址（主机名或 IP 写错了？）",
            "the address cannot be resolved (a typo in the host?)",
        )
    known = _LISTEN_REASONS.get(exc.errno or 0)
    return known if known is not None else (exc.strerror or str(exc),) * 2
