"""What every sub-command shares: exit codes, the --lang and --format options, error output."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from jixiao.diagnostics import Diagnostic, JixiaoError, render_all, summary
from jixiao.io.render.json import diagnostics_json
from jixiao.messages import Lang, current_lang

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(enum.IntEnum):
    OK = 0
    INPUT_ERROR = 1  # a ruleset or actual-value file has errors (diagnostics on stderr)
    USAGE = 2  # wrong command line (click)


def ruleset_files(path: Path) -> list[Path]:
    """A file as given; a folder's .jx files, recursively, in a stable order."""
    if path.is_dir():
        return sorted(path.rglob("*.jx"))
    return [path] if path.exists() else []


def format_option(func: F) -> F:
    """--format table|markdown|json, shared by the commands that print a report."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "markdown", "json"]),
        default="table",
        show_default=True,
        help="输出格式 / output format.",
    )(func)


def lang_option(func: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="消息语言 / message language (default: JIXIAO_LANG, else zh).",
    )(func)


def resolve_lang(lang: str | None) -> Lang:
    return current_lang(lang)


def diagnostics_format_option(func: F) -> F:
    """--format text|json for commands whose only report is their diagnostics (check, test)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="诊断输出为文字或 JSON（标准输出，见 jixiao schema diagnostics）/ diagnostics as text or JSON.",
    )(func)


def report_diagnostics(
    diagnostics: list[Diagnostic], lang: Lang, sources: dict[str, str] | None = None, fmt: str = "text"
) -> None:
    """Diagnostics as text on stderr ending with a summary line; with fmt "json", as JSON on stdout."""
    if fmt == "json":
        click.echo(diagnostics_json(diagnostics, lang))
        return
    click.echo(render_all(diagnostics, lang, sources) + "\n", err=True)
    click.echo(summary(diagnostics, lang), err=True)


def fail(
    exc: JixiaoError, lang: Lang, sources: dict[str, str] | None = None, fmt: str = "text", code: int = 1
) -> NoReturn:
    """Report the error's diagnostics (`report_diagnostics`) and exit with `code` (1: input error)."""
    report_diagnostics(exc.diagnostics, lang, sources, "json" if fmt == "json" else "text")
    raise SystemExit(code)
