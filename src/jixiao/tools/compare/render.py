"""A diff report as a readable table, as Markdown (for a report or a merge request), or as JSON."""

from __future__ import annotations

from jixiao.diagnostics import Span, one_line, span_place
from jixiao.io.schema import DiagnosticReport, SpanReport
from jixiao.messages import Lang
from jixiao.tools.compare.document import (
    Block,
    Heading,
    Para,
    Table,
    Texts,
    localized,
    to_html,
    to_markdown,
    to_text,
)
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
    "direction": ("方向", "direction"),
    "named_formula": ("命名公式", "named formula"),
    "display": ("显示舍入", "display rounding"),
    "columns": ("表列", "columns"),
    "audit_tolerance": ("复核容差", "audit tolerance"),
    "goal": ("绩效目标", "goal"),
    "row_kind": ("行的性质", "row kind"),
    "sum_check": ("分项合计", "sum check"),
    "unit_note": ("单位说明", "unit note"),
}
LABELS: Texts = {
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
    "depends_on_year": ("（先后取决于年度）", "(earlier or later depends on the 年度)"),
    "was": ("（原为 {path}）", " (was {path})"),
    "notes": ("注意", "Note"),
    "status_added": ("（新增）", " (added)"),
    "status_removed": ("（已删除）", " (removed)"),
    "status_missing": ("（无实际值）", " (no actual value)"),
    "residual": ("折算与舍入", "Rescaling and rounding"),
    "none": ("—", "—"),
    "unchanged": ("其余 {count} 项得分不变。", "{count} other score(s) unchanged."),
}


RIGHT_ALIGNED = ("left", "right", "right", "right")


def label(key: str, lang: Lang, **args: object) -> str:
    return localized(LABELS, key, lang, **args)


def kind_label(change: Change, lang: Lang) -> str:
    zh, en = KIND_LABELS[change.kind]
    text = zh if lang == "zh" else en
    if change.direction is not None:
        word = label(change.direction, lang)
        text = f"{text}{word}" if lang == "zh" else f"{text} {word}"
    return text


def change_line(c: Change, lang: Lang) -> str:
    """A change on one line: "目标提高 产出指标/数量指标/人数：≥1.1万人 → ≥1.2万人"."""
    none = label("none", lang)
    where = c.path if not c.old_path or c.kind in ("renamed", "moved") else f"{c.old_path} → {c.path}"
    colon = "：" if lang == "zh" else ": "
    kind = kind_label(c, lang)
    head = where if where.startswith(kind) else f"{kind} {where}"
    return f"{head}{colon}{c.old or none} → {c.new or none}"


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2)


# -- blocks -----------------------------------------------------------------------------------------------


def change_table(changes: list[Change], lang: Lang, first: str) -> Table:
    headers = [label("change", lang), label(first, lang), label("old", lang), label("new", lang)]
    return Table(headers, [change_row(c, lang) for c in changes])


def change_row(c: Change, lang: Lang) -> list[str]:
    none = label("none", lang)
    where = c.path
    if c.old_path and c.kind not in ("renamed", "moved"):
        where += label("was", lang, path=c.old_path)
    new = c.new or none
    if c.delta is not None:
        new += f" ({c.delta})"
    return [kind_label(c, lang), where, c.old or none, new]


def change_blocks(changes: list[Change], lang: Lang, level: int = 2) -> list[Block]:
    """The rule changes, then the indicator changes, each under its heading."""
    rules = [c for c in changes if c.scope == "ruleset"]
    indicators = [c for c in changes if c.scope == "indicator"]
    out: list[Block] = []
    for name, part, first in (("rules", rules, "where"), ("indicators", indicators, "indicator")):
        if part:
            out += [Heading(label(name, lang), level), change_table(part, lang, first)]
    return out


def _impact_rows(impact: Impact, lang: Lang, everything: bool) -> list[list[str]]:
    none = label("none", lang)
    rows = []
    for row in impact.rows:
        if row.status == "same" and not everything:
            continue
        name = row.path if row.status != "residual" else label("residual", lang)
        if row.status in ("added", "removed", "missing"):
            name += label(f"status_{row.status}", lang)
        elif row.old_path:
            name += label("was", lang, path=row.old_path)
        if row.status == "residual":  # no score of its own: only the delta the rows leave to the total's
            rows.append([name, "", "", row.delta or ""])
            continue
        rows.append([name, row.old_score or none, row.new_score or none, row.delta or ""])
    totals = [impact.old_total or none, impact.new_total or none, impact.delta or ""]
    rows.append([label("total", lang), *totals])
    rows.append([label("grade", lang), impact.old_grade or none, impact.new_grade or none, ""])
    return rows


def impact_blocks(impact: Impact, lang: Lang, everything: bool) -> list[Block]:
    headers = [label(k, lang) for k in ("indicator", "old_score", "new_score", "delta")]
    out: list[Block] = [
        Heading(label("impact", lang, path=impact.actuals)),
        Table(headers, _impact_rows(impact, lang, everything), RIGHT_ALIGNED),
    ]
    count = sum(row.status == "same" for row in impact.rows)
    if count and not everything:
        out.append(Para(label("unchanged", lang, count=count), tight=True))
    out += note_blocks(impact.notes, impact.diagnostics, lang)
    return out + error_blocks([*impact.old_errors, *impact.new_errors], lang)


def error_blocks(errors: list[DiagnosticReport], lang: Lang) -> list[Block]:
    """Why a side cannot score the values, each error as a diagnostic's first line says it (its place, code
    and message, led by the side: `a.csv:4:6: 第4行「调整得分」列: error[E511]: 新规则: …`) and its help."""
    out: list[Block] = []
    for error in errors:
        place = f"{span_place(_span(error.span), lang)}: " if error.span is not None else ""
        out.append(Para(one_line(f"{place}{error.severity}[{error.code}]: {error.message}"), tight=True))
        if error.help:
            out.append(Para(one_line(f"   = help: {error.help}"), tight=True, note=True))
    return out


def _span(span: SpanReport) -> Span:
    if span.line is None or span.column is None:
        return Span.of_path(span.path)
    return Span(span.path, span.line, span.column, column_name=span.column_name, sheet=span.sheet)


def note_blocks(notes: list[str], diagnostics: list[DiagnosticReport], lang: Lang) -> list[Block]:
    """Each note with its code, as a diagnostic shows it: "注意[W140]: 指标「…」…"."""
    codes = [f"[{d.code}]" for d in diagnostics] if len(diagnostics) == len(notes) else [""] * len(notes)
    return [
        Para(f"{label('notes', lang)}{code}: {note}", tight=True, note=True)
        for note, code in zip(notes, codes, strict=True)
    ]


def report_blocks(report: Report, lang: Lang = "zh", everything: bool = False) -> list[Block]:
    """A two-ruleset report: title, count, rule and indicator changes, then each impact table."""
    out: list[Block] = [Heading(label("title", lang, old=report.old, new=report.new), 1)]
    out.append(Para(label("same", lang) if report.same else label("count", lang, count=len(report.changes))))
    out += change_blocks(report.changes, lang)
    for impact in report.impacts:
        out += impact_blocks(impact, lang, everything)
    return out


def render_table(report: Report, lang: Lang = "zh", everything: bool = False) -> str:
    """The report for a terminal; `everything` lists unchanged scores too."""
    return to_text(report_blocks(report, lang, everything))


def render_markdown(report: Report, lang: Lang = "zh", everything: bool = False) -> str:
    """The report as Markdown, for a written report or a merge request."""
    return to_markdown(report_blocks(report, lang, everything))


def render_html(report: Report, lang: Lang = "zh", everything: bool = False) -> str:
    """The report as a self-contained HTML page."""
    return to_html(report_blocks(report, lang, everything), lang)


def render_report(report: Report, fmt: str, lang: Lang = "zh", everything: bool = False) -> str:
    """The report as "table", "markdown", "html" or "json"."""
    if fmt == "json":
        return to_json(report)
    if fmt == "markdown":
        return render_markdown(report, lang, everything)
    if fmt == "html":
        return render_html(report, lang, everything)
    return render_table(report, lang, everything)
