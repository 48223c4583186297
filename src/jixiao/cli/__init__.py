"""The `jixiao` command: a thin click group; one module per sub-command."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from jixiao import __version__
from jixiao.cli.audit import audit
from jixiao.cli.check import check
from jixiao.cli.common import CrashGuard, ExitCode, console_safe
from jixiao.cli.diff import diff
from jixiao.cli.fmt import fmt
from jixiao.cli.import_ import import_
from jixiao.cli.schema import schema
from jixiao.cli.score import score
from jixiao.cli.serve import serve
from jixiao.cli.test import test
from jixiao.cli.usage import LocalizedGroup


class Main(LocalizedGroup, CrashGuard):
    """The jixiao group: usage errors in the user's language, no traceback for a bug (exit 70), and
    output that survives any console encoding (see `common.console_safe`)."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        console_safe()
        return super().main(args, *rest, **extra)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
@click.option(
    "--debug",
    is_flag=True,
    help="程序出错时显示详细的调用栈（也可设 JIXIAO_DEBUG=1）/ show the traceback of an internal error.",
)
def main(debug: bool) -> None:
    """jixiao（绩效）：项目支出绩效自评表评分工具。

    Score Chinese fiscal performance self-evaluation tables (项目支出绩效自评表)
    under a ruleset. Messages are in Chinese; use --lang en or JIXIAO_LANG=en
    for English. Exit codes: 0 success, 1 input errors, 2 usage errors,
    70 an internal error (a bug: please report it; --debug shows the traceback).
    """


main.add_command(score)
main.add_command(schema)
main.add_command(test)
main.add_command(fmt)
main.add_command(diff)
main.add_command(check)
main.add_command(serve)
main.add_command(import_)
main.add_command(audit)

__all__ = ["ExitCode", "main"]
