"""`jixiao diff`: what changed in meaning, and what it does to scores — for two files, two folders,
a policy and the projects that use it, or git revisions.

    jixiao diff OLD.jx NEW.jx [--actuals FILE]...
    jixiao diff OLD_DIR NEW_DIR [--actuals FILE_OR_DIR]...
    jixiao diff OLD_POLICY.jx NEW_POLICY.jx --projects DIR [--actuals FILE_OR_DIR]...
    jixiao diff --rev REV [--rev REV2] [PATH]...
    jixiao diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE   (called by git)

with --root DIR (more folders for 采用) and the input options of `score` for the actual values.
Arguments in the wrong place (actual values where a ruleset belongs, a ruleset after --actuals, a file
after --projects) are named with their position (E250–E252), exit 2.

Exit codes follow diff(1): 0 the same meaning, 1 different, 2 an error. `--git` always exits 0
(git stops at an external diff that exits otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from jixiao.cli.common import (
    ACTUAL_VALUE_SUFFIXES,
    FORMATS,
    fail,
    format_option,
    is_ruleset,
    lang_option,
    report_diagnostics,
    resolve_lang,
    roots_option,
)
from jixiao.cli.inputs import InputOptions, input_files, input_options
from jixiao.diagnostics import Diagnostic, JixiaoError, Span, render_all
from jixiao.engine.roots import Roots
from jixiao.io.render.written import attempt, identities, spare
from jixiao.messages import Lang
from jixiao.tools.compare import Reading, compare, render_report, render_table
from jixiao.tools.compare.chart import delta_chart
from jixiao.tools.compare.document import Texts, localized
from jixiao.tools.compare.folders import Batch, diff_folders
from jixiao.tools.compare.model import Report
from jixiao.tools.compare.policy import diff_policy
from jixiao.tools.compare.projects import ruleset_files
from jixiao.tools.compare.render_batch import render_batch
from jixiao.tools.compare.revisions import diff_revisions, external_diff

SAME, DIFFERENT, TROUBLE = 0, 1, 2
USAGE: Texts = {
    "two": (
        "需要两个路径：旧 新（两个规则文件或两个文件夹）",
        "give two paths: OLD NEW (two ruleset files or two folders)",
    ),
    "revs": ("--rev 最多写两次（旧版本、新版本）", "give --rev at most twice (the old and the new revision)"),
    "mixed": ("--rev、--git 与 --projects 不能同时使用", "--rev, --git and --projects cannot be combined"),
    "chart": (
        "--chart 只用于多个项目的比较（文件夹、评分办法、版本）",
        "--chart is for diffs of many projects",
    ),
    "rulesets": (
        "--rulesets 只用于多个项目的比较（文件夹、评分办法、版本）：两个规则文件的比较"
        "中实际值都按这两份规则评分",
        "--rulesets is for diffs of many projects: comparing two ruleset files scores every value under both",
    ),
}


@dataclass(frozen=True)
class Output:
    fmt: str
    everything: bool
    chart: Path | None
    lang: Lang


@click.command("diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--actuals",
    "actuals",
    multiple=True,
    type=click.Path(),
    help="实际值文件或文件夹，在新旧规则下分别评分（可重复）/ actual values scored under both (repeatable).",
)
@click.option(
    "--projects",
    type=click.Path(),
    help="比较两份评分办法：此文件夹中采用它的项目 / compare two policies through the projects here.",
)
@click.option(
    "--rev",
    "revs",
    multiple=True,
    help="与 git 版本比较（写两次比较两个版本）/ compare with a git revision (twice: two revisions).",
)
@click.option(
    "--git", "git_driver", is_flag=True, help="git 外部比较程序的 7 个参数 / git's external diff arguments."
)
@lambda func: format_option(func, (*FORMATS, "html"))
@click.option(
    "--chart", type=click.Path(dir_okay=False), help="把得分变化图写入此 SVG 文件 / write the chart here."
)
@click.option("--all", "everything", is_flag=True, help="列出得分不变的指标 / also list unchanged scores.")
@roots_option
@lang_option
@input_options
def diff(
    paths: tuple[str, ...],
    actuals: tuple[str, ...],
    projects: str | None,
    revs: tuple[str, ...],
    git_driver: bool,
    fmt: str,
    chart: str | None,
    everything: bool,
    roots: tuple[str, ...],
    lang: str | None,
    inputs: InputOptions,
) -> None:
    """比较规则的含义（不看格式和注释）：两个文件、两个文件夹、评分办法对项目的影响、git 版本。

    Compare rulesets by meaning (not layout or comments): two files, two folders,
    a policy as its projects see it, or git revisions; with --actuals, the impact
    on scores. Policies (采用) are looked for next to each ruleset, at the top of a
    compared folder or revision, in --root folders and among the packaged ones.
    Exit codes: 0 same, 1 different, 2 error.
    """
    language = resolve_lang(lang)
    out = Output(fmt, everything, Path(chart) if chart else None, language)
    _check_usage(paths, projects, revs, git_driver, language)
    reading = Reading(Roots.of(roots), inputs.options, inputs.rulesets)
    if git_driver:
        _git(paths, language, reading.roots)
    try:
        misplaced(paths if not revs else (), actuals, projects)
        if out.chart is not None:  # E951 before anything is read: the chart never replaces a file compared
            read = identities(_read(paths or ((".",) if revs else ()), actuals, projects, inputs))
            spare(out.chart, read, option="--chart")
        result = _run(paths, actuals, projects, revs, language, reading)
    except JixiaoError as exc:
        fail(exc, language, fmt=fmt, code=TROUBLE)
    raise SystemExit(_print(result, out))


def _check_usage(
    paths: tuple[str, ...], projects: str | None, revs: tuple[str, ...], git_driver: bool, lang: Lang
) -> None:
    if sum((bool(projects), bool(revs), git_driver)) > 1:
        _usage("mixed", lang)
    if len(revs) > 2:
        _usage("revs", lang)
    if not revs and not git_driver and len(paths) != 2:
        _usage("two", lang)


def _usage(key: str, lang: Lang) -> None:
    raise click.UsageError(localized(USAGE, key, lang))


# -- arguments in the wrong place -----------------------------------------------------------------------


def misplaced(paths: Sequence[str], actuals: Sequence[str], projects: str | None) -> None:
    """Actual values where a ruleset belongs (E250), a ruleset after --actuals (E251), a file after
    --projects (E252): each named at its file, all of them at once."""
    found = [
        Diagnostic("E250", Span.of_path(p), {"path": p})
        for p in paths
        if p.lower().endswith(ACTUAL_VALUE_SUFFIXES) and Path(p).is_file() and not is_ruleset(Path(p))
    ]
    found += [
        Diagnostic("E251", Span.of_path(a), {"path": a})
        for a in actuals
        if Path(a).is_file()
        and (
            a.lower().endswith(".jx")
            or (not a.lower().endswith(ACTUAL_VALUE_SUFFIXES) and is_ruleset(Path(a)))
        )
    ]
    if projects is not None and Path(projects).is_file():
        found.append(Diagnostic("E252", Span.of_path(projects), {"path": projects}))
    if found:
        raise JixiaoError(found)


def _read(
    paths: Sequence[str], actuals: Sequence[str], projects: str | None, inputs: InputOptions
) -> list[Path]:
    """The files a diff reads: its paths (a folder: its .jx files), the actual values, the map."""
    places = [Path(p) for p in (*paths, *((projects,) if projects else ()))]
    found = [f for p in places for f in (ruleset_files(p).files if p.is_dir() else [p])]
    found += input_files(inputs.sources(actuals))
    return found + ([Path(inputs.rulesets)] if inputs.rulesets else [])


def _run(
    paths: tuple[str, ...],
    actuals: tuple[str, ...],
    projects: str | None,
    revs: tuple[str, ...],
    lang: Lang,
    reading: Reading,
) -> Report | Batch:
    if revs:
        return diff_revisions(revs, paths, actuals, lang, reading=reading)
    old, new = Path(paths[0]), Path(paths[1])
    if projects is not None:
        return diff_policy(old, new, Path(projects), actuals, lang, reading=reading)
    if old.is_dir() and new.is_dir():
        return diff_folders(old, new, actuals, lang, reading=reading)
    if (old.is_dir() or new.is_dir()) and old.exists() and new.exists():
        raise _mixed(old, new)
    if reading.rulesets is not None:
        _usage("rulesets", lang)
    return compare(old, new, actuals, lang, reading)


def _mixed(old: Path, new: Path) -> JixiaoError:
    kinds = {True: ("文件夹", "folder"), False: ("文件", "file")}
    args: dict[str, object] = {"path": str(old), "kind": kinds[old.is_dir()]}
    args |= {"other": str(new), "other_kind": kinds[new.is_dir()]}
    return JixiaoError([Diagnostic("E706", Span.of_path(str(new)), args)])


def _print(result: Report | Batch, out: Output) -> int:
    if isinstance(result, Report):
        if out.chart is not None:
            _usage("chart", out.lang)
        text = render_report(result, out.fmt, out.lang, out.everything)
        click.echo(text, nl=out.fmt not in ("markdown", "html"))
        if any(i.old_errors or i.new_errors for i in result.impacts):
            return TROUBLE  # a side could not score the actual values: its errors are in the report
        return SAME if result.same else DIFFERENT
    if result.diagnostics:
        report_diagnostics(result.diagnostics, out.lang, result.sources)
    unwritten = _write_chart(out.chart, result, out.lang) if out.chart is not None else None
    chart_file = out.chart.as_posix() if out.chart is not None and unwritten is None else None
    click.echo(render_batch(result.report, out.fmt, out.lang, chart_file), nl=False)
    if unwritten is not None:  # the report is printed all the same (with the chart in it), then E950
        report_diagnostics(unwritten.diagnostics, out.lang)
        return TROUBLE
    return TROUBLE if result.failed else SAME if result.report.same else DIFFERENT


def _write_chart(chart: Path, result: Batch, lang: Lang) -> JixiaoError | None:
    """Write the chart, making its folder as `--output` does; E950 (returned) when it cannot be."""
    svg = delta_chart(result.report, lang).encode("utf-8")

    def write() -> None:
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_bytes(svg)

    try:
        attempt(chart, write, option="--chart")
    except JixiaoError as exc:
        return exc
    return None


def _git(paths: tuple[str, ...], lang: Lang, roots: Roots) -> None:
    """git's external diff: print the meaning of the change, always exit 0 (else git stops)."""
    try:
        report = external_diff(paths, lang, roots)
    except JixiaoError as exc:
        if exc.diagnostics and exc.diagnostics[0].code == "E705":
            report_diagnostics(exc.diagnostics, lang)
            raise SystemExit(TROUBLE) from None
        click.echo(render_all(exc.diagnostics, lang, exc.sources))  # each version's own lines
        raise SystemExit(SAME) from None
    click.echo(render_table(report, lang))
    raise SystemExit(SAME)
