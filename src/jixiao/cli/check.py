"""`jixiao check RULESET...`: report every problem in rulesets (files or folders) before scoring."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.common import (
    ExitCode,
    actual_values_named,
    diagnostics_format_option,
    lang_option,
    report_diagnostics,
    resolve_lang,
    roots_option,
    ruleset_files,
)
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span, render_all, summary
from jixiao.engine.checks import run_checks
from jixiao.engine.resolve import Ruleset, load
from jixiao.engine.roots import Roots
from jixiao.messages import Lang
from jixiao.suggest import nearby_file


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="警告也算失败（退出码 1） / fail on warnings too.")
@diagnostics_format_option
@roots_option
@lang_option
def check(paths: tuple[str, ...], strict: bool, fmt: str, roots: tuple[str, ...], lang: str | None) -> None:
    """检查规则文件（或文件夹中的全部 .jx 文件），一次列出全部错误和警告。

    Check ruleset files (or every .jx file under a folder) and report every
    error and warning at once, sorted by position. Exit 0 when clean, 1 when
    any error (or any warning with --strict).
    """
    language = resolve_lang(lang)
    misplaced = actual_values_named(paths, "check")  # 2020.actuals.csv: E255, not read as a ruleset
    named = {d.span.path for d in misplaced if d.span is not None}
    files, skipped = ruleset_files(p for p in paths if p not in named)  # W130: a link out of a folder
    missing = [p for p in paths if not Path(p).exists()]
    diagnostics, sources = check_files(files, missing, Roots.of(roots))
    diagnostics = [*misplaced, *skipped, *diagnostics]
    if fmt == "json":
        report_diagnostics(diagnostics, language, fmt="json")
    else:
        if diagnostics:
            click.echo(render_all(diagnostics, language, sources) + "\n", err=True)
        click.echo(checked(len(files), diagnostics, language), err=True)
    failed = any(d.severity is Severity.ERROR or strict for d in diagnostics)
    raise SystemExit(ExitCode.INPUT_ERROR if failed else ExitCode.OK)


def check_files(
    files: list[Path], missing: list[str], roots: Roots | None = None
) -> tuple[list[Diagnostic], dict[str, str]]:
    """Every diagnostic of every file, each file's problems once (a policy used twice is checked once)."""
    found: dict[tuple[str, str, int, int], Diagnostic] = {}
    sources: dict[str, str] = {}
    for name in missing:
        reason = ("文件或文件夹不存在", "no such file or folder")
        diag = Diagnostic("E105", Span.of_path(name), {"reason": reason}, suggestion=nearby_file(Path(name)))
        found[_key(diag)] = diag
    for path in files:
        diagnostics, texts = check_file(path, roots)
        sources.update(texts)
        for diag in diagnostics:
            found.setdefault(_key(diag), diag)
    return list(found.values()), sources


def check_file(path: Path, roots: Roots | None = None) -> tuple[list[Diagnostic], dict[str, str]]:
    try:
        ruleset: Ruleset = load(path, roots, lenient=True)
    except JixiaoError as exc:
        return exc.diagnostics, exc.sources
    return run_checks(ruleset), ruleset.sources


def _key(diag: Diagnostic) -> tuple[str, str, int, int]:
    span = diag.span
    return (diag.code, span.path if span else "", span.line if span else 0, span.column if span else 0)


def checked(files: int, diagnostics: list[Diagnostic], lang: Lang) -> str:
    """The summary line: "检查了 2 个文件：3 个错误，1 个警告" / "checked 2 files: 3 errors, 1 warning"."""
    if lang == "en":
        return f"checked {files} file{'' if files == 1 else 's'}: {summary(diagnostics, lang)}"
    return f"检查了 {files} 个文件：{summary(diagnostics, lang)}"
