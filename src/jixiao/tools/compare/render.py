"""A diff report as a readable table, as Markdown (for a report or a merge request), or as JSON."""

from __future__ import annotations

from tabulate import tabulate

from jixiao.messages import Lang
from jixiao.tools.compare.model import Change, Impact, Report

KIND_LABELS: dict[str, tuple[str, str]] = {
    "added": ("新增", "added"),
    "removed": ("删除", "removed"),
    "renamed": ("改名", "renamed"),
    "moved": ("移动", "moved"),
    "target": ("目标", "target"),
    "weight": ("分值", "weight"),
    "method": ("评分方法", "method"),
    "formula": ("公式", "formula"),
    "rounding": ("舍入", "rounding"),
    "over": ("超额", "over"),
    "source": ("依据", "source"),
    "note": ("说明", "note"),
    "meta": ("基本信息", "metadata"),
    "policy": ("评分办法", "policy"),
    "total": ("总分", "total"),
    "budget": ("预算执行", "budget"),
    "rule": ("默认方法", "default method"),
    "scale": ("量表", "scale"),
    "grades": ("等级", "grades"),
    "explain": ("需说明", "explain"),
    "not_applicable": ("不适用", "not applicable"),
    "framework": ("结构", "framework"),
}
LABELS: dict[str, tuple[str, str]] = {
    "title": ("规则比较：{old} → {new}", "Ruleset diff: {old} → {new}"),
    "same": ("两个规则含义相同。", "The rulesets mean the same."),
    "count": ("共 {count} 处差异。", "{count} difference(s)."),
    "rules": ("规则", "Rules"),
    "indicators": ("指标", "Indicators"),
    "change": ("变化", "Change"),
    "where": ("位置", "Where"),
    "indicator": ("指标", "Indicator"),
    "old": ("原", "Old"),
    "new": ("新", "New"),
    "impact": ("得分影响（实际值 {path}）", "Impact on scores (actual values {path})"),
    "old_score": ("原得分", "Old score"),
    "new_score": ("新得分", "New score"),
    "delta": ("差", "Delta"),
    "total": ("总得分", "Total"),
    "grade": ("等级", "Grade"),
    "raised": ("提高", "raised"),
    "lowered": ("降低", "lowered"),
    "was": ("原为 {path}", "was {path}"),
    "notes": ("注意", "Note"),
    "status_added": ("（新增）", " (added)"),
    "status_removed": ("（已删除）", " (removed)"),
    "status_missing": ("（无实际值）", " (no actual value)"),
    "none": ("—", "—"),
    "unchanged": ("其余 {count} 项得分不变。", "{count} other score(s) unchanged."),
}


RIGHT_ALIGNED = ("left", "right", "right", "right")


def label(key: str, lang: Lang, **args: object) -> str:
    zh, en = LABELS[key]
    return (zh if lang == "zh" else en).format(**args)


def kind_label(change: Change, lang: Lang) -> str:
    zh, en = KIND_LABELS[change.kind]
    text = zh if lang == "zh" else en
    if change.direction is not None:
        word = label(change.direction, lang)
        text = f"{text}{word}" if lang == "zh" else f"{text} {word}"
    return text


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2)


# -- rows shared by the table and Markdown ------------------------------------------------------------


def _change_rows(changes: list[Change], lang: Lang, escape: bool) -> list[list[str]]:
    return [_change_row(c, lang, escape) for c in changes]


def _change_row(c: Change, lang: Lang, escape: bool) -> list[str]:
    none = label("none", lang)
    where = c.path
    if c.old_path and c.kind not in ("renamed", "moved"):
        where += f" ({label('was', lang, path=c.old_path)})"
    new = c.new or none
    if c.delta is not None:
        new += f" ({c.delta})"
    cells = [kind_label(c, lang), where, c.old or none, new]
    return [_md(cell) for cell in cells] if escape else cells


def _impact_rows(impact: Impact, lang: Lang, escape: bool, everything: bool) -> list[list[str]]:
    none = label("none", lang)
    rows = []
    for row in impact.rows:
        if row.status == "same" and not everything:
            continue
        name = row.path
        if row.status in ("added", "removed", "missing"):
            name += label(f"status_{row.status}", lang)
        elif row.old_path:
            name += f" ({label('was', lang, path=row.old_path)})"
        rows.append([name, row.old_score or none, row.new_score or none, row.delta or ""])
    rows.append([label("total", lang), impact.old_total, impact.new_total, impact.delta])
    rows.append([label("grade", lang), impact.old_grade or none, impact.new_grade or none, ""])
    return [[_md(cell) for cell in r] for r in rows] if escape else rows


def _md(cell: str) -> str:
    return cell.replace("|", "\\|")


def _headers(lang: Lang, first: str) -> list[str]:
    return [label("change", lang), label(first, lang), label("old", lang), label("new", lang)]


def _impact_headers(lang: Lang) -> list[str]:
    return [label(k, lang) for k in ("indicator", "old_score", "new_score", "delta")]


def _split(report: Report) -> tuple[list[Change], list[Change]]:
    rules = [c for c in report.changes if c.scope == "ruleset"]
    indicators = [c for c in report.changes if c.scope == "indicator"]
    return rules, indicators


# -- the readable table and Markdown ------------------------------------------------------------------------


def _unchanged(impact: Impact, lang: Lang, everything: bool) -> str:
    count = sum(row.status == "same" for row in impact.rows)
    return "" if everything or not count else label("unchanged", lang, count=count)


def render_table(report: Report, lang: Lang = "zh", everything: bool = False) -> str:
    """The report for a terminal; `everything` lists unchanged scores too."""
    return _render(report, lang, everything, markdown=False)


def render_markdown(report: Report, lang: Lang = "zh", everything: bool = False) -> str:
    """The report as Markdown, for a written report or a merge request."""
    return _render(report, lang, everything, markdown=True) + "\n"


def _render(report: Report, lang: Lang, everything: bool, markdown: bool) -> str:
    fmt, heading = ("github", "#### ") if markdown else ("simple", "")
    title = label("title", lang, old=f"`{report.old}`", new=f"`{report.new}`") if markdown else None
    parts = [f"### {_md(title)}" if title else label("title", lang, old=report.old, new=report.new)]
    parts.append(label("same", lang) if report.same else label("count", lang, count=len(report.changes)))
    rules, indicators = _split(report)
    gap = "\n\n" if markdown else "\n"
    for name, changes, first in (("rules", rules, "where"), ("indicators", indicators, "indicator")):
        if changes:
            table = tabulate(_change_rows(changes, lang, markdown), _headers(lang, first), tablefmt=fmt)
            parts.append(f"{heading}{label(name, lang)}{gap}{table}")
    for impact in report.impacts:
        parts.append(_impact_table(impact, lang, everything, markdown))
    return "\n\n".join(parts)


def _impact_table(impact: Impact, lang: Lang, everything: bool, markdown: bool) -> str:
    rows = _impact_rows(impact, lang, markdown, everything)
    table = tabulate(
        rows,
        _impact_headers(lang),
        tablefmt="github" if markdown else "simple",
        disable_numparse=True,
        colalign=RIGHT_ALIGNED,
    )
    unchanged = _unchanged(impact, lang, everything)
    if markdown:
        notes = f"\n\n{unchanged}" if unchanged else ""
        notes += "".join(f"\n\n> {label('notes', lang)}: {_md(n)}" for n in impact.notes)
        return f"#### {label('impact', lang, path=f'`{impact.actuals}`')}\n\n{table}{notes}"
    text = f"{label('impact', lang, path=impact.actuals)}\n{table}"
    if unchanged:
        text += "\n" + unchanged
    for note in impact.notes:
        text += f"\n{label('notes', lang)}: {note}"
    return text
