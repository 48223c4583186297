"""The `jixiao` command: a thin click group; one module per sub-command, imported when it runs.

`jixiao --help` lists the commands from `COMMANDS` without importing them (the engine, the readers and
the renderers are what takes time to import; tests/test_cli_usage.py keeps the table equal to the
commands' own help); `jixiao score` imports the score command alone.
"""

from __future__ import annotations

import gc
import importlib
import keyword
from collections.abc import Sequence
from typing import Any

import click

from jixiao import __version__
from jixiao.cli.common import CrashGuard, ExitCode, console_safe
from jixiao.cli.usage import LocalizedGroup

# Each command: its module (which defines a click command of the same name) and its short help.
COMMANDS: dict[str, tuple[str, str]] = {
    "score": (
        "jixiao.cli.score",
        "按评分规则 RULESET 给实际值文件 ACTUALS 评分，打印评分表；多个文件或文件夹则批量评分并汇总。",
    ),
    "schema": (
        "jixiao.cli.schema",
        "打印 JSON 输出的 JSON Schema（供网络服务校验）：NAME 为 score 评分结果（默认）、batch 批量评分、"
        " explanation 评分说明、diagnostics 诊断（check、score、diff、test 的 --format json 出错时的输出）、"
        " diff 两个规则的比较、diff-batch 多个项目的比较（文件夹、评分办法、版本）、audit 复核（jixiao audit"
        " --format json）。",
    ),
    "test": ("jixiao.cli.test", "运行 PATH 下（默认当前目录）所有 *.test.yaml 评分测试。"),
    "fmt": (
        "jixiao.cli.fmt",
        "把规则文件（或文件夹中的全部 .jx 文件）改写为统一的格式（缩进、空格、对齐），保留注释。",
    ),
    "diff": (
        "jixiao.cli.diff",
        "比较规则的含义（不看格式和注释）：两个文件、两个文件夹、评分办法对项目的影响、git 版本。",
    ),
    "check": ("jixiao.cli.check", "检查规则文件（或文件夹中的全部 .jx 文件），一次列出全部错误和警告。"),
    "serve": (
        "jixiao.cli.serve",
        "在浏览器中打开评分工作台，并提供 JSON HTTP 接口（默认只监听本机 127.0.0.1）。",
    ),
    "audit": (
        "jixiao.cli.audit",
        "按规则复核填好的自评表：重算每一项，列出每一处不一致（只差舍入、已完成却扣分、未完成却满分、 算错、"
        "执行率、预算得分、分值合计、总分、等级、缺说明、读不懂的格……）及其严重程度；多张表时先给汇总。",
    ),
    "import": (
        "jixiao.cli.import_",
        "把填好的自评表（官方样式的工作簿、CSV 等）转为项目规则与实际值文件：每个项目 `项目.jx` 与"
        " `项目.actuals.csv`。读不懂的内容写成规则中的注释，并作为警告列出。",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands are imported by name when one runs (click's lazy-loading pattern)."""

    # Set by `run` (the console script): the cycle collector is off until the sub-command is imported.
    whole_process = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            attribute = f"{cmd_name}_" if keyword.iskeyword(cmd_name) else cmd_name  # `import` is import_
            command: click.Command = getattr(importlib.import_module(COMMANDS[cmd_name][0]), attribute)
            self.add_command(command)
            if self.whole_process and not gc.isenabled():
                started()
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list as click writes it, from the table: nothing imported to show it."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)) for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class Main(LocalizedGroup, LazyGroup, CrashGuard):
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


def run() -> None:
    """The console script `jixiao` and `python -m jixiao`: `main`, owning the whole process.

    Starting makes some 60,000 objects (modules, classes, functions, the sub-command's imports) that live
    until the process ends and hold no garbage, and Python's cycle collector walks every one of them each
    time it runs: about 15% of `jixiao score`'s CPU time (docs/performance.md, "启动 / Start"). So the
    collector is off until the sub-command is imported, and what was made by then is frozen
    (`gc.freeze`): later collections walk only what the command makes itself, and still collect it (a
    batch of 100,000 projects). Only here: a test or an embedding program calls `main` in its own
    process, whose collector this leaves alone.
    """
    gc.disable()
    LazyGroup.whole_process = True
    main(prog_name="jixiao")


def started() -> None:
    """The start-up done: its objects frozen out of the cycle collector's way, the collector on again."""
    # `gc.freeze()`, remembered there (`froze`: not counted again); the sub-command imported the module
    # already, `--help` never does
    importlib.import_module("jixiao.language.cycles").freeze()
    gc.enable()


__all__ = ["ExitCode", "main", "run"]
