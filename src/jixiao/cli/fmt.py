"""`jixiao fmt FILE...`: rewrite rulesets in the canonical layout (or --check / --diff them)."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from jixiao.cli.common import (
    ExitCode,
    actual_values_named,
    lang_option,
    report_diagnostics,
    resolve_lang,
    ruleset_files,
)
from jixiao.diagnostics import JixiaoError
from jixiao.engine.resolve import read_file
from jixiao.messages import Lang
from jixiao.tools.fmt import Keywords, format_text
from jixiao.tools.rewrite import rewrite

TEXTS: dict[str, tuple[str, str]] = {
    "would": ("需要重新格式化：{path}", "would reformat {path}"),
    "done": ("已重新格式化：{path}", "reformatted {path}"),
    "summary_check": (
        "{changed} 个文件需要重新格式化，{same} 个文件无需改动",
        "{changed} file(s) would be reformatted, {same} unchanged",
    ),
    "summary": (
        "重新格式化 {changed} 个文件，{same} 个文件无需改动",
        "{changed} file(s) reformatted, {same} unchanged",
    ),
    "failed": ("，{failed} 个文件有错误（未改动）", ", {failed} with errors (left as they are)"),
}


def say(key: str, lang: Lang, **args: object) -> str:
    zh, en = TEXTS[key]
    return (zh if lang == "zh" else en).format(**args)


@click.command("fmt")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--check", is_flag=True, help="只检查：有文件需要改动时退出码为 1 / exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="显示改动而不写入 / show the change, do not write.")
@click.option(
    "--keywords",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="关键字统一为中文或英文（默认保持原样）/ write keywords in one language (default: as written).",
)
@lang_option
def fmt(paths: tuple[str, ...], check: bool, show_diff: bool, keywords: str | None, lang: str | None) -> None:
    """把规则文件（或文件夹中的全部 .jx 文件）改写为统一的格式（缩进、空格、对齐），保留注释。

    Rewrite ruleset files (or every .jx file in a folder) in the canonical layout, keeping comments.
    Exit codes: 0 done / nothing to change; 1 a file would change (--check) or has errors.
    """
    language = resolve_lang(lang)
    misplaced = actual_values_named(paths, "fmt")  # 2020.actuals.csv: E255, never rewritten
    named = {d.span.path for d in misplaced if d.span is not None}
    found, skipped = ruleset_files(p for p in paths if p not in named)
    files = [str(f) for f in found]
    if skipped or misplaced:  # no excerpt: the file a link points to outside the folder is not read
        shown = [*misplaced, *skipped]
        report_diagnostics(shown, language, {d.span.path: "" for d in shown if d.span})
    outcomes = [_one(name, check or show_diff, show_diff, keywords, language) for name in files]  # type: ignore[arg-type]
    changed, same = outcomes.count(True), outcomes.count(False)
    failed = outcomes.count(None) + len(misplaced)
    key = "summary_check" if check or show_diff else "summary"
    errors = say("failed", language, failed=failed) if failed else ""
    click.echo(say(key, language, changed=changed, same=same) + errors, err=True)
    if failed or (check and changed):
        raise SystemExit(ExitCode.INPUT_ERROR)


def _one(name: str, dry: bool, show_diff: bool, keywords: Keywords | None, lang: Lang) -> bool | None:
    """Format one file: True if it changes (or would), False if not, None on error."""
    try:
        text = read_file(Path(name), name)
        formatted = format_text(text, name, keywords)
    except JixiaoError as exc:
        report_diagnostics(exc.diagnostics, lang, exc.sources)
        return None
    if formatted == text:
        return False
    if show_diff:
        click.echo(unified(text, formatted, name), nl=False)
    if dry:
        click.echo(say("would", lang, path=name), err=True)
        return True
    try:
        rewrite(name, formatted)  # a temporary file, fsync, rename: never a half-written ruleset
    except JixiaoError as exc:
        report_diagnostics(exc.diagnostics, lang)
        return None
    click.echo(say("done", lang, path=name), err=True)
    return True


def unified(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"{name}", f"{name} (fmt)"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
