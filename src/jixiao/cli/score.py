"""`jixiao score RULESET ACTUALS`: print the scored table (or JSON), optionally explained."""

from __future__ import annotations

import click

from jixiao.api import load_actuals, load_ruleset, render
from jixiao.cli.common import check_order, fail, format_option, lang_option, resolve_lang, roots_option
from jixiao.diagnostics import JixiaoError


@click.command()
@click.argument("ruleset", type=click.Path(dir_okay=False))
@click.argument("actuals", type=click.Path(dir_okay=False))
@format_option
@click.option(
    "--explain",
    is_flag=True,
    help="说明每项得分的由来（JSON 中为 explanation 追踪树）/ explain how every score came about.",
)
@roots_option
@lang_option
def score(
    ruleset: str, actuals: str, fmt: str, explain: bool, roots: tuple[str, ...], lang: str | None
) -> None:
    """按评分规则 RULESET 给实际值文件 ACTUALS 评分，打印评分表。

    Score the actual values in ACTUALS (CSV) under the project ruleset RULESET (any file name, e.g.
    2023.jx). Its policies (采用) are looked for next to it, in --root folders and among the packaged
    standard policies.
    """
    language = resolve_lang(lang)
    check_order(ruleset, actuals, language)
    try:
        compiled = load_ruleset(ruleset, roots=roots)
        result = compiled.score(load_actuals(actuals))
    except JixiaoError as exc:
        fail(exc, language)
    if fmt == "json":
        click.echo(render(result, "explain-json" if explain else "json", language))
        return
    click.echo(render(result, "markdown" if fmt == "markdown" else "table", language))
    if explain:
        click.echo("")
        click.echo(render(result, "explain", language), nl=False)
