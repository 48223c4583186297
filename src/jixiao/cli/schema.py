"""`jixiao schema`: print the JSON Schema of what `score`, `check`, `diff` and `test` emit as JSON."""

from __future__ import annotations

import json

import click

from jixiao.io.schema import MODELS, json_schema


@click.command()
@click.argument("name", required=False, type=click.Choice(sorted(MODELS)))
@click.option(
    "--model",
    type=click.Choice(sorted(MODELS)),
    default="score",
    show_default=True,
    help="同 NAME / the same as NAME.",
)
def schema(name: str | None, model: str) -> None:
    """打印 JSON 输出的 JSON Schema（供网络服务校验）：NAME 为 score 评分结果（默认）、batch 批量评分、
    explanation 评分说明、diagnostics 诊断（check、score、diff、test 的 --format json 出错时的输出）、
    diff 两个规则的比较、diff-batch 多个项目的比较（文件夹、评分办法、版本）、audit 复核（jixiao audit
    --format json）。

    Print the JSON Schema of the JSON output, so a service can validate what it receives: NAME is
    score (the default), batch, explanation, diagnostics (what check, score, diff and test print with
    --format json when there are problems), diff (two rulesets compared), diff-batch (folders, a
    policy, revisions) or audit (jixiao audit --format json). Decimals are strings ("99.31").
    """
    click.echo(json.dumps(json_schema(name or model), ensure_ascii=False, indent=2))
