"""`jixiao import TABLE...`: turn filled-in tables into project rulesets and actual-value files.

Each project (a file, or each sheet of a workbook) becomes `<项目>.jx` and `<项目>.actuals.csv` in
--output (default: the current folder). What could not be read is a comment in the ruleset and a
warning here. Exit 0 when every ruleset was written and checks and scores; 1 otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from jixiao.cli.common import ExitCode, isatty, lang_option, resolve_lang, roots_option
from jixiao.cli.inputs import InputOptions, input_files, input_options
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, render_all, summary
from jixiao.io.projects import Project
from jixiao.io.render.written import identities
from jixiao.messages import Lang
from jixiao.tools.importer import DEFAULT, Policy, find_policy, import_table
from jixiao.tools.importer.files import Place, places, write
from jixiao.tools.importer.report import Line
from jixiao.tools.importer.report import summary as import_summary

TEXTS: dict[str, tuple[str, str]] = {
    "policy": (
        "评分办法（如 standard/central 或 某办法.jx）",
        "policy (e.g. standard/central or a .jx file)",
    ),
    "written": (
        "已写入 {n} 个项目的规则与实际值到 {folder}",
        "wrote the rulesets and actual values of {n} project(s) to {folder}",
    ),
    "project": ("「{name}」（{origin}）：", "“{name}” ({origin}):"),
}


def say(key: str, lang: Lang, **args: object) -> str:
    zh, en = TEXTS[key]
    return (zh if lang == "zh" else en).format(**args)


@click.command("import")
@click.argument("tables", nargs=-1, required=True, type=click.Path())
@click.option("--policy", default=None, help=f"评分办法（默认 {DEFAULT}）/ the policy (default {DEFAULT}).")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="写入此文件夹 / write into this folder.",
)
@click.option("--force", is_flag=True, help="覆盖已有的文件 / overwrite existing files.")
@click.option(
    "--policy-rounding",
    is_flag=True,
    help="不照原表声明舍入，一律按评分办法 / declare no rounding from the table: the policy's everywhere.",
)
@roots_option
@lang_option
@input_options
def import_(
    tables: tuple[str, ...],
    policy: str | None,
    output: Path,
    force: bool,
    policy_rounding: bool,
    roots: tuple[str, ...],
    lang: str | None,
    inputs: InputOptions,
) -> None:
    """把填好的自评表（官方样式的工作簿、CSV 等）转为项目规则与实际值文件：每个项目 `项目.jx` 与
    `项目.actuals.csv`。读不懂的内容写成规则中的注释，并作为警告列出。

    Turn filled-in tables (the official layout; docs/files.md) into a project ruleset and an
    actual-value file per project, under --policy (asked for on a terminal; default standard/central).
    """
    language = resolve_lang(lang)
    chosen = _policy(policy, roots, language)
    projects = list(inputs.projects(tables))
    targets = places(output, [p.name for p in projects])
    read = identities(input_files(projects))  # the tables: never written over (E951)
    lines = [
        _one(project, place, chosen, force, not policy_rounding, read)
        for project, place in zip(projects, targets, strict=True)
    ]
    click.echo(import_summary(lines, language))
    _report(projects, lines, language)
    written = sum(1 for line in lines if line.imported is not None)
    click.echo(say("written", language, n=written, folder=output), err=True)
    failed = any(_failed(line) for line in lines)
    raise SystemExit(ExitCode.INPUT_ERROR if failed else ExitCode.OK)


def _policy(policy: str | None, roots: Sequence[str], lang: Lang) -> Policy:
    if policy is None:
        policy = click.prompt(say("policy", lang), default=DEFAULT) if isatty(sys.stdin) else DEFAULT
    return find_policy(policy, roots)


def _one(
    project: Project,
    place: Place,
    policy: Policy,
    force: bool,
    rounding: bool,
    read: Mapping[tuple[int, int], Path],
) -> Line:
    if project.actuals is None:
        errors = project.error.diagnostics if project.error is not None else []
        return Line(project.name, None, None, errors)
    try:
        imported = import_table(project.actuals, policy, names=place.names(), rounding=rounding)
        write(imported, place, force, read)
    except JixiaoError as exc:
        return Line(project.name, None, None, exc.diagnostics)
    return Line(project.name, imported, place)


def _failed(line: Line) -> bool:
    if line.imported is None or line.imported.remaining or line.imported.sums:
        return True
    return any(d.severity is Severity.ERROR for d in line.imported.warnings)  # E531: a table read two ways


def _report(projects: Sequence[Project], lines: Sequence[Line], lang: Lang) -> None:
    """Each project's warnings (or errors), on stderr, with the table's rows they are about."""
    everything: list[Diagnostic] = []
    for project, line in zip(projects, lines, strict=True):
        found = list(line.errors) if line.imported is None else line.imported.warnings
        if not found:
            continue
        click.echo("", err=True)
        click.echo(say("project", lang, name=project.name, origin=project.origin), err=True)
        sources = line.imported.sources if line.imported is not None else None
        click.echo(render_all(found, lang, sources), err=True)
        everything.extend(found)
    if everything:
        click.echo("\n" + summary(everything, lang), err=True)
