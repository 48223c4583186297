"""The summary `jixiao test` prints: each failure as expected/got with its line in the test file."""

from __future__ import annotations

from jixiao.diagnostics import Span
from jixiao.messages import Lang
from jixiao.tools.golden.run import CaseResult, FileResult
from jixiao.tools.golden.update import Skipped


# -- reporting ------------------------------------------------------------------------------------------
def say(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def summary(files: list[FileResult], lang: Lang = "zh") -> str:
    """One line per case, each failure as expected/got, then the counts."""
    lines: list[str] = []
    for file in files:
        if file.cases:
            lines.append(str(file.path))
        for case in file.cases:
            lines.extend(_case_lines(case, lang))
    passed = sum(c.passed for f in files for c in f.cases)
    failed = sum(not c.passed for f in files for c in f.cases)
    lines.append(say(lang, f"{passed} 个通过，{failed} 个失败", f"{passed} passed, {failed} failed"))
    return "\n".join(lines)


def _case_lines(case: CaseResult, lang: Lang) -> list[str]:
    if case.passed:
        return [f"  ✓ {case.name}"]
    out = [f"  ✗ {case.name}"]
    for m in case.mismatches:
        where = f"{m.span.path}:{m.span.line}"
        label = _label(m.what, lang)
        out.append(
            f"      {where}: {label}: "
            + say(
                lang, f"期望 {m.expected}，得到 {m.got or '—'}", f"expected {m.expected}, got {m.got or '—'}"
            )
        )
    if case.errors and case.mismatches and case.mismatches[0].what == "errors":
        out.extend(f"      {_where(d.span)}: {d.code} {d.message(lang)}" for d in case.errors)
    out.extend(f"      {_where(d.span)}: {d.code} {d.message(lang)}" for d in case.problems)
    return out


def skipped_lines(skipped: list[Skipped], lang: Lang) -> list[str]:
    """A line for each failing expectation `--update` left as it was: where, which case, and why."""
    return [
        f"  {s.span.path}:{s.span.line}: "
        + say(
            lang,
            f"未能更新用例「{s.case}」的{_label(s.what, lang)}：{s.reason.zh}",
            f"could not update the {_label(s.what, lang)} of case “{s.case}”: {s.reason.en}",
        )
        for s in skipped
    ]


def _where(span: Span | None) -> str:
    if span is None:
        return "?"
    return span.path if span.whole else f"{span.path}:{span.line}:{span.column}"


# what a mismatch is about, when not an indicator's name (the workbench shows these too, by /v1/vocabulary)
WHAT_LABELS = {
    "total": ("总得分", "total"),
    "grade": ("等级", "grade"),
    "budget": ("预算执行得分", "budget score"),
    "findings": ("复核提示", "findings"),
    "errors": ("错误", "errors"),
}


def _label(what: str, lang: Lang) -> str:
    pair = WHAT_LABELS.get(what)
    return what if pair is None else say(lang, *pair)
