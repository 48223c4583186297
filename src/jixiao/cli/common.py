"""What every sub-command shares: exit codes, the --lang and --root options, error and crash output."""

from __future__ import annotations

import enum
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from jixiao.crash import internal_error, is_internal
from jixiao.diagnostics import Diagnostic, JixiaoError, Span, render_all
from jixiao.messages import Lang, current_lang

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(enum.IntEnum):
    OK = 0
    INPUT_ERROR = 1  # a ruleset or actual-value file has errors (diagnostics on stderr)
    USAGE = 2  # wrong command line (click), or arguments the wrong way round
    CRASH = 70  # a bug in jixiao (sysexits EX_SOFTWARE): a short "please report" line, --debug for more


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


def report_diagnostics(
    diagnostics: list[Diagnostic], lang: Lang, sources: dict[str, str] | None = None
) -> None:
    click.echo(render_all(diagnostics, lang, sources), err=True)


def fail(exc: JixiaoError, lang: Lang, sources: dict[str, str] | None = None) -> NoReturn:
    """Print the diagnostics and exit 1 (or report a crash when the error is a bug, E901)."""
    if is_internal(exc):
        crash(exc.__cause__ or exc, lang)
    report_diagnostics(exc.diagnostics, lang, {**exc.sources, **(sources or {})})
    raise SystemExit(ExitCode.INPUT_ERROR)


ACTUALS_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".et")


def check_order(ruleset: str, actuals: str, lang: Lang) -> None:
    """Arguments given the wrong way round (actual values first, the ruleset second): E911, exit 2."""
    if ruleset.lower().endswith(ACTUALS_SUFFIXES) and actuals.lower().endswith(".jx"):
        diagnostic = Diagnostic("E911", Span(ruleset, 1, 1), {"ruleset": ruleset, "actuals": actuals})
        click.echo(render_all([diagnostic], lang), err=True)
        raise SystemExit(ExitCode.USAGE)


def roots_option(func: F) -> F:
    """--root DIR (repeatable): more folders where 采用 may find policies."""
    return click.option(
        "--root",
        "roots",
        multiple=True,
        type=click.Path(file_okay=False),
        help="「采用」也在此文件夹中查找评分办法（可重复）/ also look for policies (采用) in this folder.",
    )(func)


def debugging() -> bool:
    """--debug on the command line (before the sub-command) or JIXIAO_DEBUG=1 in the environment."""
    context = click.get_current_context(silent=True)
    flag = bool(context and context.find_root().params.get("debug"))
    return flag or os.environ.get("JIXIAO_DEBUG", "") not in ("", "0")


def crash(exc: BaseException, lang: Lang) -> NoReturn:
    """A bug: one line asking for a report (the traceback with --debug), exit status 70."""
    cause = exc.__cause__ if isinstance(exc, JixiaoError) and exc.__cause__ else exc
    diagnostic = internal_error(cause).diagnostics[0]
    click.echo(f"{diagnostic.message(lang)}\n   = help: {diagnostic.help(lang)}", err=True)
    if debugging():
        traceback.print_exception(cause, file=sys.stderr)
    raise SystemExit(ExitCode.CRASH)


class CrashGuard(click.Group):
    """A group whose sub-commands never show a traceback: input errors exit 1, bugs exit 70."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except JixiaoError as exc:
            fail(exc, current_lang())
        except Exception as exc:
            crash(exc, current_lang())
