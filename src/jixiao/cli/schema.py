"""`jixiao schema`: print the JSON Schema of what `jixiao score --format json` emits."""

from __future__ import annotations

import json

import click

from jixiao.io.schema import MODELS, json_schema


@click.command()
@click.option(
    "--model",
    type=click.Choice(sorted(MODELS)),
    default="score",
    show_default=True,
    help="哪个模型：score 评分结果，explanation 评分说明，diagnostics 诊断 / which model.",
)
def schema(model: str) -> None:
    """打印 JSON 输出的 JSON Schema（供网络服务校验）。

    Print the JSON Schema of the JSON output (score results by default), so a
    service can validate what it receives. Decimals are strings ("99.31").
    """
    click.echo(json.dumps(json_schema(model), ensure_ascii=False, indent=2))
