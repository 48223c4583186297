"""`jixiao score RULESET ACTUALS`: print the scored table (or JSON), optionally explained."""

from __future__ import annotations

import click

from jixiao.api import load_ruleset, render
from jixiao.cli.common import fail, format_option, lang_option, resolve_lang
from jixiao.cli.inputs import InputOptions, input_options
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
@lang_option
@input_options
def score(
    ruleset: str, actuals: str, fmt: str, explain: bool, lang: str | None, inputs: InputOptions
) -> None:
    """按评分规则 RULESET 给实际值文件 ACTUALS 评分，打印评分表。

    Score the actual values in ACTUALS (CSV, tab text, XLSX, YAML, JSON; docs/files.md) under RULESET (.jx).
    """
    language = resolve_lang(lang)
    try:
        compiled = load_ruleset(ruleset)
        result = compiled.score(inputs.read(actuals))
    except JixiaoError as exc:
        fail(exc, language)
        return
    if fmt == "json":
        click.echo(render(result, "explain-json" if explain else "json", language))
        return
    click.echo(render(result, "markdown" if fmt == "markdown" else "table", language))
    if explain:
        click.echo("")
        click.echo(render(result, "explain", language), nl=False)
