"""`jixiao audit RULESET TABLE...`: review filled-in tables against the rules, every discrepancy listed.

RULESET is a project ruleset (its targets and weights are the reference), or a policy alone — a name
such as standard/central or a policy file — whose rules recompute the table's own targets and weights.
A table that names its own ruleset (a 规则 cell or column, --rulesets MAP) is audited against that one.
Exit 0 when no table has an error-level discrepancy and every table could be audited; 1 otherwise.
"""

from __future__ import annotations

import re
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import click

from jixiao.cli.common import (
    ExitCode,
    format_option,
    isatty,
    lang_option,
    resolve_lang,
    roots_option,
)
from jixiao.cli.inputs import InputOptions, input_files, input_options
from jixiao.cli.output import emit
from jixiao.cli.progress import Progress
from jixiao.diagnostics import render_diagnostic
from jixiao.io.render.written import attempt, identities, spare
from jixiao.limits import MAX_DIGITS
from jixiao.messages import Lang
from jixiao.tools.audit import Choices, TableAudit, against, audit_projects
from jixiao.tools.audit.report import render_audits

TEXTS: dict[str, tuple[str, str]] = {
    "auditing": ("复核", "auditing"),
    "binary": (
        "xlsx 是二进制文件，不能显示在终端上：请用 --output 文件，或把输出重定向到文件（> 复核.xlsx）",
        "xlsx is binary and cannot be shown on a terminal: use --output FILE or redirect (> audit.xlsx)",
    ),
    "tolerance": (
        f"容差应为不小于 0 的小数，不超过 {MAX_DIGITS} 位，如 0.01",
        f"the tolerance is a decimal of 0 or more, at most {MAX_DIGITS} digits, e.g. 0.01",
    ),
    "written": ("已写入 {path}", "wrote {path}"),
}


# The format an --output file's suffix names when --format is not given (-o 复核.xlsx is a workbook)
SUFFIX_FORMATS = {".xlsx": "xlsx", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


def _format_of(fmt: str, output: Path | None) -> str:
    """--format as given, else the one the --output file's suffix names (it wrote text into a .xlsx)."""
    context = click.get_current_context()
    if output is None or context.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT:
        return fmt
    return SUFFIX_FORMATS.get(output.suffix.lower(), fmt)


def say(key: str, lang: Lang, **args: object) -> str:
    zh, en = TEXTS[key]
    return (zh if lang == "zh" else en).format(**args)


class Tolerance(click.ParamType):  # type: ignore[type-arg]
    """A non-negative decimal read exactly (never through a float)."""

    name = "tolerance"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Fraction:
        if isinstance(value, Fraction):
            return value
        text = str(value).strip()
        if not _DECIMAL.fullmatch(text) or sum(map(str.isdigit, text)) > MAX_DIGITS:
            self.fail(say("tolerance", resolve_lang(None)), param, ctx)  # 1e999999999 would take minutes
        return Fraction(text)


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")  # a plain decimal: no sign, no exponent


@click.command()
@click.argument("ruleset")
@click.argument("tables", nargs=-1, required=True, type=click.Path())
@lambda func: format_option(func, ("table", "markdown", "json", "xlsx"))
@click.option(
    "--explain",
    is_flag=True,
    help="每个问题附上按规则的计算过程 / explain how the rules compute each figure.",
)
@click.option(
    "--tolerance",
    type=Tolerance(),
    default=None,
    help="得分相差不超过此数不算问题（如 0.01；缺省为规则的「复核容差」，没有则为 0）/ score differences "
    "up to this are not reported (default: the ruleset's audit_tolerance, else 0).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="写入此文件而不是标准输出 / write to this file instead of standard output.",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条 / no progress bar.")
@roots_option
@lang_option
@input_options
def audit(
    ruleset: str,
    tables: tuple[str, ...],
    fmt: str,
    explain: bool,
    tolerance: Fraction | None,
    output: Path | None,
    quiet: bool,
    roots: tuple[str, ...],
    lang: str | None,
    inputs: InputOptions,
) -> None:
    """按规则复核填好的自评表：重算每一项，列出每一处不一致（只差舍入、已完成却扣分、未完成却满分、
    算错、执行率、预算得分、分值合计、总分、等级、缺说明、读不懂的格……）及其严重程度；多张表时先给汇总。

    Audit filled-in tables (official layout, CSV, YAML/JSON) against RULESET: a project ruleset, or
    a policy alone (standard/central, a policy file) whose rules recompute the table's own targets and
    weights. A table naming its own ruleset (a 规则 cell or column, --rulesets MAP) is audited against
    it, as jixiao score does. Exit 1 when any table has an error-level discrepancy or could not be audited.
    """
    language = resolve_lang(lang)
    fmt = _format_of(fmt, output)
    if fmt == "xlsx" and output is None and isatty(sys.stdout):
        raise click.UsageError(say("binary", language))
    if output is not None:  # E951 before any table is read: the report never replaces a table it audits
        spare(output, identities(input_files(inputs.sources(tables))))
    map_folders = [Path(inputs.rulesets).parent] if inputs.rulesets else []
    rules = Choices(against(ruleset, roots), roots, map_folders)
    audits = _audit(inputs, tables, rules, tolerance, quiet, language)
    content = render_audits(audits, fmt, language, explain)
    if output is None:
        emit(content, fmt, None)
    else:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        attempt(output, lambda: _write(output, data))
        click.echo(say("written", language, path=output), err=True)
    failed = any(a.failed for a in audits)
    raise SystemExit(ExitCode.INPUT_ERROR if failed else ExitCode.OK)


def _audit(
    inputs: InputOptions,
    tables: tuple[str, ...],
    rules: Choices,
    tolerance: Fraction | None,
    quiet: bool,
    lang: Lang,
) -> list[TableAudit]:
    projects = list(inputs.projects(tables))
    progress = Progress(len(projects), say("auditing", lang), quiet=quiet)
    audits = []
    for one in audit_projects(projects, rules, tolerance):
        audits.append(one)
        progress.advance(one.name)
    progress.close()
    if len(projects) > 1:  # a batch: W188 for each row of the ruleset map that names none of its tables
        for warning in inputs.unmatched([p.name for p in projects]):
            click.echo(render_diagnostic(warning, lang), err=True)
    return audits


def _write(output: Path, data: bytes) -> None:
    """The report, its folder made if missing (as `import -o` makes its folder)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
