"""`jixiao test [PATH...]`: run the golden test files (*.test.yaml) under the paths."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.common import (
    ExitCode,
    diagnostics_format_option,
    lang_option,
    report_diagnostics,
    resolve_lang,
)
from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.folders import outside_warnings
from jixiao.tools.golden import coverage, coverage_text, find_test_files, run_file, summary, update_file
from jixiao.tools.golden.report import say, skipped_lines


@click.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--update",
    is_flag=True,
    help="按当前结果改写失败的期望值（请在版本控制中复核）/ rewrite failing expectations.",
)
@click.option(
    "--coverage",
    "show_coverage",
    is_flag=True,
    help="报告未被任何用例覆盖的指标、方法、档次 / report coverage.",
)
@diagnostics_format_option
@lang_option
def test(paths: tuple[str, ...], update: bool, show_coverage: bool, fmt: str, lang: str | None) -> None:
    """运行 PATH 下（默认当前目录）所有 *.test.yaml 评分测试。

    Run every golden test file (*.test.yaml) under PATH (default: the current
    directory); print each failure as expected/got; exit 1 if any fails.
    """
    language = resolve_lang(lang)
    roots = [Path(p) for p in paths] or [Path(".")]
    found = find_test_files(roots)
    files = [run_file(path) for path in found.files]
    outside = outside_warnings(found.outside)  # W130: links leading out of a folder given, never read
    if not files:
        where = "、".join(str(r) for r in roots)
        none = Diagnostic("E804", Span.of_path(where), {"paths": where})
        report_diagnostics([*outside, none], language, fmt=fmt)
        raise SystemExit(ExitCode.INPUT_ERROR)
    diagnostics = [*outside, *(d for f in files for d in f.diagnostics)]
    json = fmt == "json"  # then stdout holds only the diagnostics' JSON, the rest goes to stderr
    if update:
        changed, skipped = 0, []
        for file in files:
            try:
                updated = update_file(file)
            except JixiaoError as exc:  # the file is left as it was; say why in one line
                report_diagnostics(exc.diagnostics, language)
                continue
            changed += updated.changed
            skipped.extend(updated.skipped)
        click.echo(say(language, f"已更新 {changed} 个期望值", f"updated {changed} expectations"), err=json)
        for line in skipped_lines(skipped, language):
            click.echo(line, err=json)
        files = [run_file(f.path) for f in files]
        diagnostics = [*outside, *(d for f in files for d in f.diagnostics)]
    click.echo(summary(files, language), err=json)
    if show_coverage:
        click.echo("", err=json)
        click.echo(coverage_text(coverage(files), language), err=json)
    if diagnostics or json:
        report_diagnostics(diagnostics, language, fmt=fmt)
    if diagnostics or any(not c.passed for f in files for c in f.cases):
        raise SystemExit(ExitCode.INPUT_ERROR)
