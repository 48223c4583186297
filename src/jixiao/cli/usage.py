"""Command-line usage errors (a missing argument, an unknown option) in the user's language.

click words its own usage errors in English; staff who never used a command line get them in
Chinese, with the command to run for help. `--lang en` (or JIXIAO_LANG=en) keeps click's wording.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from jixiao.messages import Lang, current_lang

# click's messages → Chinese; unmatched messages are shown as click wrote them.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing argument '(.+)'\.?$"), "缺少参数 {0}"),
    (re.compile(r"^Missing option '(.+)'\.?$"), "缺少选项 {0}"),
    (re.compile(r"^No such option:? '?([^'\s]+)'?\.?(?: Did you mean '?([^'?]+)'?\?)?$"), "没有选项 {0}{1}"),
    (re.compile(r"^No such command '([^']+)'\.?(?: Did you mean '([^']+)'\?)?$"), "没有命令「{0}」{1}"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "多余的参数：{0}"),
    (re.compile(r"^Invalid value for ('.+?'(?: / '.+?')*): (.+)$"), "{0} 的值不对：{1}"),
    (re.compile(r"^Option '(.+)' requires an argument\.?$"), "选项 {0} 后面需要一个值"),
)
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^File '(.+)' is a directory\.$"), "「{0}」是文件夹，这里需要文件"),
    (re.compile(r"^Directory '(.+)' is a file\.$"), "「{0}」是文件，这里需要文件夹"),
    (re.compile(r"^(?:File|Directory|Path) '(.+)' does not exist\.$"), "「{0}」不存在"),
    (re.compile(r"^(?:File|Directory|Path) '(.+)' is not readable\.$"), "「{0}」不能读（没有权限）"),
    (re.compile(r"^(?:File|Directory|Path) '(.+)' is not writable\.$"), "「{0}」不能写（没有权限）"),
    (re.compile(r"^'(.*)' is not a valid integer(?: range)?\.$"), "「{0}」不是整数"),
    (re.compile(r"^'(.*)' is not a valid float(?: range)?\.$"), "「{0}」不是数"),
    (re.compile(r"^'(.+)' is not one of (.+)\.$"), "「{0}」不是可选的值（可选：{1}）"),
    (re.compile(r"^'(.+)' is not ('[^']*')\.$"), "「{0}」不是可选的值（只能是 {1}）"),
    (re.compile(r"^(.+) is not in the range (.+)\.$"), "{0} 超出允许的范围（{1}）"),
)


class LocalizedGroup(click.Group):
    """A click group whose usage errors are printed in the user's language."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, False, **extra)
        try:
            return super().main(argv, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            _report(exc, _lang(argv))
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止 / Aborted!", err=True)
            sys.exit(1)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Bare `jixiao` prints the help and succeeds, as git and cargo do."""
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)


def _lang(argv: list[str]) -> Lang:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return current_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return current_lang(arg.split("=", 1)[1])
    return current_lang()


def _report(exc: click.UsageError, lang: Lang) -> None:
    if lang == "en":
        exc.show()
        return
    ctx = exc.ctx
    if ctx is not None:
        click.echo(f"用法：{ctx.get_usage().removeprefix('Usage: ')}", err=True)
    click.echo(f"错误：{translate(exc.format_message())}", err=True)
    if ctx is not None:
        click.echo(f"运行「{ctx.command_path} --help」查看用法。", err=True)


def translate(message: str) -> str:
    """click's English usage message in Chinese, where the wording is known."""
    for pattern, template in _PATTERNS:
        match = pattern.match(message)
        if match:
            parts = [_detail(g) if g else "" for g in match.groups()]
            if template.startswith("没有") and len(parts) > 1 and parts[1]:
                parts[1] = f"（是不是要写 {parts[1]}？）"
            return template.format(*parts)
    return message


def _detail(text: str) -> str:
    if _NAMES.match(text):  # an option's names as click quotes them: '--output' / '-o' → --output / -o
        return " / ".join(name.strip("'") for name in text.split(" / "))
    for pattern, template in _DETAILS:
        match = pattern.match(text)
        if match:
            return template.format(*match.groups())
    return text


_NAMES = re.compile(r"^'[^']+'(?: / '[^']+')*$")
