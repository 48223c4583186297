"""`jixiao score RULESET ACTUALS...`: score one project or a batch; print the tables or write them to files.

One actual-value file prints its table (or JSON, CSV, xlsx, HTML). Several files, a folder, or
`--output DIR` make a batch: a summary of every project, then each project's table (to stdout, or
one file per project and the summary in DIR). A project with errors never stops the others; its
diagnostics are listed at the end and the exit status is 1.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from pathlib import Path

import click

from jixiao.cli import LazyGroup
from jixiao.cli.common import (
    FORMATS,
    check_order,
    fail,
    format_option,
    lang_option,
    resolve_lang,
    roots_option,
)
from jixiao.cli.inputs import InputOptions, input_options
from jixiao.cli.output import emit
from jixiao.diagnostics import JixiaoError, file_span, render_all
from jixiao.io.batch import Outcome, Rulesets, score_projects
from jixiao.io.projects import Project
from jixiao.io.render import render_result
from jixiao.io.render.csv import ENCODINGS
from jixiao.io.rulesets import BACKENDS, columnar_available, keep_checked, reference_alone
from jixiao.messages import Lang
from jixiao.resources import cache_dir

TEXTS: dict[str, tuple[str, str]] = {
    "scoring": ("评分", "scoring"),
    "failed": ("有错误的项目（{n} 个）：", "Projects with errors ({n}):"),
    "project": ("第 {index} 个项目「{name}」（{origin}）：", "project {index} “{name}” ({origin}):"),
    "above": ("  （同上，见前面的错误）", "  (the same errors as above)"),
    "written": ("已写入 {n} 个文件到 {folder}", "wrote {n} file(s) to {folder}"),
    "binary": (
        "xlsx 是二进制文件，不能显示在终端上：请用 --output 文件夹，或把输出重定向到文件（> 结果.xlsx）",
        "xlsx is binary and cannot be shown on a terminal: use --output DIR or redirect (> result.xlsx)",
    ),
    "explain": (
        "--explain 只能与 table、markdown、json 格式同用",
        "--explain works with table, markdown and json only",
    ),
    "folder": (
        "--output 是文件夹（每个项目一个文件，另加汇总），「{name}」像是文件名：要一个文件请重定向"
        "（--format {fmt} > {name}），或给文件夹名（--output 结果 --format {fmt}）",
        "--output is a folder (a file per project and the summary), and “{name}” looks like a file name: "
        "redirect for one file (--format {fmt} > {name}), or name a folder (--output results --format {fmt})",
    ),
}
# Suffixes of the files score writes: an --output so named (结果.xlsx) that is no folder is taken for a file
FILE_SUFFIXES = {
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".json": "json",
    ".md": "markdown",
    ".html": "html",
    ".txt": "table",
}
EXPLAINED = ("table", "markdown", "json")
BATCH = "jixiao.cli.batch"  # the module that scores and writes out a batch, imported for a batch only


def say(key: str, lang: Lang, **args: object) -> str:
    zh, en = TEXTS[key]
    return (zh if lang == "zh" else en).format(**args)


@click.command()
@click.argument("ruleset", type=click.Path(dir_okay=False))
@click.argument("actuals", nargs=-1, required=True, type=click.Path())
@lambda func: format_option(func, (*FORMATS, "csv", "xlsx", "html"))
@click.option(
    "--explain",
    is_flag=True,
    help="说明每项得分的由来（JSON 中为 explanation 追踪树）/ explain how every score came about.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="每个项目一个文件，另加汇总，写入此文件夹 / write one file per project and the summary into DIR.",
)
@click.option(
    "--output-encoding",
    type=click.Choice(list(ENCODINGS)),
    default=None,
    help="CSV 与文本文件的编码（CSV 默认 utf-8-sig，即带 BOM 的 UTF-8）/ encoding of CSV and text output.",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条 / no progress bar.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="同时评分的进程数，0 为每个处理器核一个 / processes scoring at once (0: one per core).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="auto",
    show_default=True,
    help="批量评分的方式：auto 与 fast 逐个项目（从文件读入时比建数组快），columnar 整批用列式后端"
    "（需 jixiao[fast]）；结果完全相同 / how a batch is scored: auto and fast one project at a time (the "
    "faster from files), columnar on arrays (jixiao[fast]); results are identical.",
)
@roots_option
@lang_option
@input_options
def score(
    ruleset: str,
    actuals: tuple[str, ...],
    fmt: str,
    explain: bool,
    output: Path | None,
    output_encoding: str | None,
    quiet: bool,
    jobs: int,
    backend: str,
    roots: tuple[str, ...],
    lang: str | None,
    inputs: InputOptions,
) -> None:
    """按评分规则 RULESET 给实际值文件 ACTUALS 评分，打印评分表；多个文件或文件夹则批量评分并汇总。

    Score the actual values in ACTUALS (CSV, tab text, XLSX, YAML, JSON; docs/files.md) under the
    project ruleset RULESET (any file name, e.g. 2023.jx).
    Several files or a folder make a batch: a summary, then every project's table (--output DIR: one
    file each). Policies (采用) are looked for next to the ruleset, in --root folders and among the
    packaged standard policies.
    """
    language = resolve_lang(lang)
    if LazyGroup.whole_process:  # the console script: checked rulesets kept in the user's cache folder
        keep_checked(cache_dir())
    check_order(ruleset, actuals[0], language)
    _check_options(fmt, explain, output, language)
    if backend == "columnar" and not columnar_available():
        fail(JixiaoError.single("E174", file_span(ruleset)), language)
        return
    rulesets = Rulesets(roots)  # the ruleset loaded once: for its warnings, then to score with
    _ruleset_warnings(rulesets, ruleset, language)
    sources: list[Path | Project] = inputs.sources(actuals)
    read = inputs.reader()
    if output is None and len(sources) == 1 and not any(Path(a).is_dir() for a in actuals):
        sources = [*read(sources[0])] if isinstance(sources[0], Path) else sources
        if len(sources) == 1:  # one project: its own table (or JSON, CSV, xlsx, HTML)
            # "auto": the reference evaluator alone, which fills in the printed tables in any case (the
            # fast evaluator pays from a few projects on)
            chosen = reference_alone() if backend == "auto" else contextlib.nullcontext()
            with chosen:
                outcome = next(
                    score_projects(
                        sources,
                        ruleset,
                        roots,
                        backend="fast" if backend == "auto" else backend,
                        rulesets=rulesets,
                    )
                )
            _single(outcome, fmt, explain, output_encoding, language)
            return
    batch = importlib.import_module(BATCH)  # a batch's summary, progress bar and files: not for one file
    written = (fmt, explain, output, output_encoding)
    named = {str(Path(a)) for a in actuals}  # a file named, never skipped (a folder's are listed)
    batch.score_batch(
        sources,
        ruleset,
        roots,
        written,
        (jobs, backend),
        quiet,
        language,
        read,
        inputs.unmatched,
        named,
        rulesets,
    )


def _ruleset_warnings(rulesets: Rulesets, ruleset: str, lang: Lang) -> None:
    """The ruleset's warnings (those `jixiao check` gives: a band never used, an uncapped formula …) on
    stderr before anything is scored; the projects are scored all the same. Loaded once, into `rulesets`,
    which scoring uses: a ruleset that does not load says why where it is scored, not loaded again."""
    loaded = rulesets.get(ruleset)
    if not isinstance(loaded, JixiaoError) and loaded.warnings:
        click.echo(render_all(loaded.warnings, lang, loaded.ruleset.sources) + "\n", err=True)


def _check_options(fmt: str, explain: bool, output: Path | None, lang: Lang) -> None:
    if explain and fmt not in EXPLAINED:
        raise click.UsageError(say("explain", lang))
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise click.UsageError(say("binary", lang))
    if output is not None and output.suffix.lower() in FILE_SUFFIXES and not output.is_dir():
        raise click.UsageError(
            say("folder", lang, name=output.name, fmt=FILE_SUFFIXES[output.suffix.lower()])
        )


def _single(outcome: Outcome, fmt: str, explain: bool, encoding: str | None, lang: Lang) -> None:
    """One project: its table (or JSON, CSV, xlsx, HTML) on stdout, or its errors on stderr."""
    if outcome.result is None:
        fail(JixiaoError(list(outcome.diagnostics)), lang, fmt=fmt)
        return
    kind = "explain-json" if fmt == "json" and explain else fmt
    emit(render_result(outcome.result, kind, lang), fmt, encoding)  # type: ignore[arg-type]
    if explain and fmt != "json":
        click.echo("")
        click.echo(render_result(outcome.result, "explain", lang), nl=False)
