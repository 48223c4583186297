"""What every sub-command shares: exit codes, the --lang, --format and --root options, error and crash
output."""

from __future__ import annotations

import enum
import fnmatch
import importlib
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar

import click

from jixiao.crash import internal_error, is_internal
from jixiao.diagnostics import Diagnostic, JixiaoError, Span, printable, render_all, summary
from jixiao.folders import listed, outside_warnings
from jixiao.messages import Lang, current_lang

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(enum.IntEnum):
    OK = 0
    INPUT_ERROR = 1  # a ruleset or actual-value file has errors (diagnostics on stderr)
    USAGE = 2  # wrong command line (click), or arguments the wrong way round
    CRASH = 70  # a bug in jixiao (sysexits EX_SOFTWARE): a short "please report" line, --debug for more


def console_safe() -> None:
    """Output that survives the console: unencodable characters replaced, no control characters on a terminal.

    A Chinese Windows console redirected to a file writes cp936 (GBK), which has no ✓ or ⚑; a
    C-locale terminal writes ASCII: such characters become "?", never a UnicodeEncodeError. On a
    terminal, text written to stdout loses the control characters a ruleset, a test file or an
    actual-value file may carry (ESC sequences, BEL, CR): every command's output goes through here.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    if isatty(sys.stdout) and not isinstance(sys.stdout, TerminalText):
        sys.stdout = TerminalText(sys.stdout)


class TerminalText:
    """A text stream to a terminal that drops the control characters written to it (tab, line feed stay)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def fileno(self) -> int:
        """None to give: click would otherwise write to a Windows console's own stream, past this filter."""
        raise io.UnsupportedOperation("fileno")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def isatty(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (False for anything that cannot say)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def ruleset_files(paths: Iterable[str]) -> tuple[list[Path], list[Diagnostic]]:
    """The rulesets `check` and `fmt` read: a file as given; a folder's .jx files, recursively, in a stable
    order. Under a folder, a link to a file or a folder that leads out of it is never read (nor a folder it
    leads to listed): it is skipped with W130, which names it (folders.py). Paths that do not exist give
    nothing."""
    files: list[Path] = []
    skipped: list[Diagnostic] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = listed(path, _is_jx)
            files += found.files
            skipped += outside_warnings(found.outside)
        elif path.exists():
            files.append(path)
    return files, skipped


def _is_jx(path: Path) -> bool:
    return fnmatch.fnmatch(path.name, "*.jx")


FORMATS = ("table", "markdown", "json")


def format_option(func: F, choices: tuple[str, ...] = FORMATS) -> F:
    """--format table|markdown|json, shared by the commands that print a report (`choices` to add more)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
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
    """The command's message language (--lang, else the environment's); kept for an error that escapes
    the command, which `CrashGuard` then reports in it."""
    chosen = _RESOLVED[0] = current_lang(lang)
    return chosen


_RESOLVED: list[Lang | None] = [None]  # the language the running command resolved (`resolve_lang`)


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


def diagnostics_json(diagnostics: list[Diagnostic], lang: Lang) -> str:
    """`io.render.json.diagnostics_json`, imported when first needed: the JSON writers (pydantic and the
    whole result model) are not loaded by every command start (docs/performance.md)."""
    writer: Callable[[list[Diagnostic], Lang], str] = importlib.import_module(JSON_WRITER).diagnostics_json
    return writer(diagnostics, lang)


JSON_WRITER = "jixiao.io.render.json"


def fail(
    exc: JixiaoError, lang: Lang, sources: dict[str, str] | None = None, fmt: str = "text", code: int = 1
) -> NoReturn:
    """Report the error's diagnostics (`report_diagnostics`) and exit with `code` (1: input error); a bug
    (E901) is reported as a crash instead."""
    if is_internal(exc):
        crash(exc.__cause__ or exc, lang)
    shown = {**exc.sources, **(sources or {})}
    report_diagnostics(exc.diagnostics, lang, shown, "json" if fmt == "json" else "text")
    raise SystemExit(code)


ACTUALS_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".et")


# -- a file where the other kind belongs (diff: E250, E251; check and fmt: E255) --------------------------
RULESET_HEADS = ("项目", "评分办法", "project", "policy", "項目", "評分辦法")
ACTUAL_VALUE_SUFFIXES = (*ACTUALS_SUFFIXES, ".yaml", ".yml", ".json")
SNIFF_BYTES = 4096
_AFTER_HEAD = (
    '"',
    "“",
    "「",
    "{",
)  # 项目"名称" written without a space; not 项目绩效自评表,,, (a table's title)


def is_ruleset(path: Path) -> bool:
    """Whether a file begins like a ruleset (项目 … or 评分办法 …, after comments and blank lines): the
    keyword as a word of its own, not the start of a table's title (项目绩效自评表,,,)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES).decode("utf-8-sig", "replace")
    except OSError:
        return False
    for line in head.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            first = words[0]
            return any(
                first.startswith(h) and first[len(h) : len(h) + 1] in ("", *_AFTER_HEAD)
                for h in RULESET_HEADS
            )
    return False


def actual_values_named(paths: Sequence[str], command: str) -> list[Diagnostic]:
    """E255 for each file named where a ruleset belongs that holds actual values (`jixiao check 2020.csv`):
    said so at once, not read as a ruleset (E101 at its header line). One that begins like a ruleset, whatever
    its name, is a ruleset."""
    return [
        Diagnostic("E255", Span.of_path(p), {"path": p, "command": command})
        for p in paths
        if p.lower().endswith(ACTUAL_VALUE_SUFFIXES) and Path(p).is_file() and not is_ruleset(Path(p))
    ]


def check_order(ruleset: str, actuals: str, lang: Lang) -> None:
    """Arguments given the wrong way round (actual values first, the ruleset second): E911, exit 2."""
    if ruleset.lower().endswith(ACTUALS_SUFFIXES) and actuals.lower().endswith(".jx"):
        diagnostic = Diagnostic("E911", Span.of_path(ruleset), {"ruleset": ruleset, "actuals": actuals})
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
        _RESOLVED[0] = None  # until the command resolves its --lang
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader went away (`jixiao … | head`): click ends quietly, not a bug
            raise
        except JixiaoError as exc:
            fail(exc, _RESOLVED[0] or current_lang())
        except Exception as exc:
            crash(exc, _RESOLVED[0] or current_lang())
