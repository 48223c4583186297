"""`jixiao diff OLD NEW [--actuals FILE]...`: what changed in meaning, and what it does to scores.

Exit codes follow diff(1): 0 the rulesets mean the same, 1 they differ, 2 an error.
"""

from __future__ import annotations

import click

from jixiao.cli.common import fail, format_option, lang_option, resolve_lang
from jixiao.diagnostics import JixiaoError
from jixiao.tools.compare import compare, render_markdown, render_table, to_json

SAME, DIFFERENT, TROUBLE = 0, 1, 2


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--actuals",
    "actuals",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="用同一份实际值在新旧规则下评分（可重复）/ score these actual values under both (repeatable).",
)
@format_option
@click.option("--all", "everything", is_flag=True, help="列出得分不变的指标 / also list unchanged scores.")
@lang_option
def diff(old: str, new: str, actuals: tuple[str, ...], fmt: str, everything: bool, lang: str | None) -> None:
    """比较两个规则文件的含义（不看格式和注释），并可显示对得分的影响。

    Compare two rulesets by meaning (not layout or comments); with --actuals,
    show the impact on scores. Exit codes: 0 same, 1 different, 2 error.
    """
    language = resolve_lang(lang)
    try:
        report = compare(old, new, actuals, language)
    except JixiaoError as exc:
        fail(exc, language, fmt=fmt, code=TROUBLE)
    if fmt == "json":
        click.echo(to_json(report))
    elif fmt == "markdown":
        click.echo(render_markdown(report, language, everything), nl=False)
    else:
        click.echo(render_table(report, language, everything))
    raise SystemExit(SAME if report.same else DIFFERENT)
