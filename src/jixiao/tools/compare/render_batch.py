"""A many-project report as blocks: the summary table first, the impact and its aggregates, then details."""

from __future__ import annotations

from collections import Counter

from jixiao.messages import Lang
from jixiao.tools.compare.chart import delta_chart
from jixiao.tools.compare.document import (
    Block,
    Chart,
    Heading,
    Para,
    Table,
    Texts,
    localized,
    to_html,
    to_markdown,
    to_text,
)
from jixiao.tools.compare.model import Change
from jixiao.tools.compare.render import change_blocks, change_row, change_table, kind_label, note_blocks
from jixiao.tools.compare.reports import Aggregates, Attribution, BatchReport, ProjectDiff, ProjectScore
from jixiao.tools.compare.show import INHERITED

TEXTS: Texts = {
    "title_folders": ("项目比较：{old} → {new}", "Projects compared: {old} → {new}"),
    "title_revisions": ("版本比较：{old} → {new}", "Revisions compared: {old} → {new}"),
    "title_policy": ("评分办法比较：{old} → {new}", "Policy compared: {old} → {new}"),
    "count": ("共 {count} 个文件：{parts}。", "{count} file(s): {parts}."),
    "policy_changes": ("评分办法的变化", "Changes of the policy"),
    "summary": ("汇总", "Summary"),
    "project": ("项目", "Project"),
    "file": ("文件", "File"),
    "status": ("状态", "Status"),
    "changes": ("变化", "Changes"),
    "old_weight": ("原分值合计", "Old weights"),
    "new_weight": ("新分值合计", "New weights"),
    "policy_mark": ("（评分办法）", " (policy)"),
    "impact": ("得分影响", "Impact on scores"),
    "actuals": ("实际值", "Actual values"),
    "old_total": ("原总分", "Old total"),
    "new_total": ("新总分", "New total"),
    "delta": ("差", "Delta"),
    "grade": ("等级", "Grade"),
    "transitions": ("等级变化", "Grade transitions"),
    "old_grade": ("原等级", "Old grade"),
    "new_grade": ("新等级", "New grade"),
    "projects": ("项目数", "Projects"),
    "moved_grade": ("其中等级改变", "Of which grade moved"),
    "alone_grade": ("{delta}（等级 {old} → {new}）", "{delta} (grade {old} → {new})"),
    "moved": (
        "{scored} 个项目在两边都有得分，其中 {moved} 个等级改变；{unscored} 个只有一边的得分或未能评分。",
        "{scored} project(s) scored under both rules, {moved} changed grade; "
        "{unscored} scored on one side or not at all.",
    ),
    "distribution": ("得分差分布", "Distribution of deltas"),
    "range": ("差的区间", "Delta range"),
    "mean": ("平均 {mean}，中位数 {median}。", "Mean {mean}, median {median}."),
    "movers": ("变化最大的项目", "Largest movers"),
    "contributions": (
        "各项变化的贡献（每项变化单独应用于旧规则）",
        "What each change accounts for (each change applied alone to the old rules)",
    ),
    "total": ("合计", "Total"),
    "interaction": (
        "不能归于单项变化的部分（变化之间的交互、不能单独应用的变化）：{value}",
        "Not accounted for by any single change (interactions, changes that cannot stand alone): {value}",
    ),
    "alone": ("单独应用的影响", "Alone"),
    "cannot": ("不能单独应用", "cannot stand alone"),
    "score_line": (
        "得分（实际值 {actuals}）：{old} → {new}（{delta}），等级 {old_grade} → {new_grade}",
        "Score (actual values {actuals}): {old} → {new} ({delta}), grade {old_grade} → {new_grade}",
    ),
    "error": ("错误", "Error"),
    "side_error": ("错误（{sides}）", "Error ({sides})"),
    "old": ("旧", "old"),
    "new": ("新", "new"),
    "inherited": (
        "随评分办法「{policy}」变化：{{rules}}（见上）",
        "Changed with the policy “{policy}”: {{rules}} (see above)",
    ),
    "shared": (
        "与其他项目相同的变化：{{rules}}（见上）",
        "Changes shared with other projects: {{rules}} (see above)",
    ),
    "common": ("多个项目共同的变化", "Changes shared by several projects"),
    "reason": ("原因", "Reason"),
    "unaffected": ("不受影响或未采用的项目", "Projects not affected or not using the policy"),
    "chart": ("得分变化与等级变化图", "Chart of score deltas and grade transitions"),
    "arrow": ("{old} → {new}", "{old} → {new}"),
    "none": ("—", "—"),
}
STATUS: Texts = {
    "same": ("相同", "same"),
    "changed": ("有变化", "changed"),
    "renamed": ("改名", "renamed"),
    "added": ("新增", "added"),
    "removed": ("删除", "removed"),
    "unaffected": ("不受影响", "not affected"),
    "not_using": ("未采用", "does not use it"),
    "error": ("出错", "error"),
}
RIGHT = ("left", "left", "right", "right", "right", "left")


def _t(key: str, lang: Lang, **args: object) -> str:
    return localized(TEXTS, key, lang, **args)


def _status(key: str, lang: Lang) -> str:
    return localized(STATUS, key, lang)


def batch_blocks(report: BatchReport, lang: Lang = "zh", chart_file: str | None = None) -> list[Block]:
    title = _t(f"title_{report.kind}", lang, old=report.old, new=report.new)
    out: list[Block] = [Heading(title, 1), Para(_counts(report, lang))]
    if report.policy_changes:
        out += [Heading(_t("policy_changes", lang)), change_table(report.policy_changes, lang, "where")]
    out += [Heading(_t("summary", lang)), _summary(report.projects, lang)]
    policies = _policy_files(report)
    inherited = _policy_changes(report, policies)
    common = _common(report, inherited, policies)
    if common:
        headers = [*change_table([], lang, "where").headers, _t("projects", lang)]
        rows = [[*change_row(c, lang), str(n)] for c, n in common.values()]
        out += [Heading(_t("common", lang)), Table(headers, rows)]
    unaffected = [p for p in report.projects if p.status in ("unaffected", "not_using")]
    if unaffected:
        rows = [
            [p.project, "；".join(p.reasons) if lang == "zh" else "; ".join(p.reasons)] for p in unaffected
        ]
        out += [Heading(_t("unaffected", lang)), Table([_t("project", lang), _t("reason", lang)], rows)]
    if report.impact is not None:
        out += _impact(report, report.impact, lang, chart_file)
    shared = {key: _t("inherited", lang, policy=policy) for key, policy in inherited.items()}
    shared |= {key: _t("shared", lang) for key in common}
    for project in report.projects:
        out += _details(project, lang, shared, policies)
    return out


RuleChange = tuple[str | None, str | None, str | None]  # (rule key, old text, new text)


def rule_key(c: Change, policies: frozenset[str]) -> RuleChange:
    """A rule change as a key that names it whichever file shows it: a project shows a rule it takes from a
    policy with where it is written ("截断 1位（沿用 2024/bureau.jx:4）"), the policy itself without; that
    place is left out when it is one of the `policies` of the diff."""
    return (c.key, _unlocated(c.old, policies), _unlocated(c.new, policies))


def _unlocated(text: str | None, policies: frozenset[str]) -> str | None:
    if text is None:
        return None
    for template in INHERITED:
        head, tail = template.split("{where}")
        start = text.rfind(head)
        if start < 0 or not text.endswith(tail):
            continue
        file, _, line = text[start + len(head) : len(text) - len(tail)].rpartition(":")
        if file in policies and line.isdigit():
            return text[:start]
    return text


def _policy_files(report: BatchReport) -> frozenset[str]:
    """The files of the policies in the diff, as the report names them."""
    files = {f for p in report.projects if p.policy for f in (p.old_file, p.new_file) if f}
    return frozenset(files | ({report.old, report.new} if report.kind == "policy" else set()))


def _policy_changes(report: BatchReport, policies: frozenset[str]) -> dict[RuleChange, str]:
    """The rule changes of the policies in the diff: projects that use one show the same change."""
    found = {rule_key(c, policies): report.new for c in report.policy_changes}
    ours = {rule_key(c, policies): p.project for p in report.projects if p.policy for c in p.changes}
    return found | ours


def _common(
    report: BatchReport, inherited: dict[RuleChange, str], policies: frozenset[str]
) -> dict[RuleChange, tuple[Change, int]]:
    """Rule changes several projects share (a new 年度, a policy outside the folders): listed once."""
    counts: Counter[RuleChange] = Counter()
    first: dict[RuleChange, Change] = {}
    for p in report.projects:
        for c in p.changes if not p.policy else []:
            key = rule_key(c, policies)
            if c.scope == "ruleset" and key not in inherited:
                counts[key] += 1
                first.setdefault(key, c)
    return {key: (first[key], n) for key, n in counts.items() if n > 1}


def _counts(report: BatchReport, lang: Lang) -> str:
    counts: Counter[str] = Counter(p.status for p in report.projects)
    sep = "、" if lang == "zh" else ", "
    parts = sep.join(f"{_status(s, lang)} {counts[s]}" for s in STATUS if counts[s])
    return _t("count", lang, count=len(report.projects), parts=parts)


def _summary(projects: list[ProjectDiff], lang: Lang) -> Table:
    headers = [_t(k, lang) for k in ("project", "file", "status", "old_weight", "new_weight", "changes")]
    return Table(
        headers, [_summary_row(p, lang) for p in projects], ("left", "left", "left", "right", "right", "left")
    )


def _summary_row(p: ProjectDiff, lang: Lang) -> list[str]:
    none = _t("none", lang)
    name = p.project + (_t("policy_mark", lang) if p.policy else "")
    if p.old_project:
        name = f"{p.old_project} → {name}"
    files = p.new_file or p.old_file or none
    if p.old_file and p.new_file and p.old_file != p.new_file and "file" in p.renamed:
        files = f"{p.old_file} → {p.new_file}"
    counts = Counter(kind_label(c, lang) for c in p.changes)
    sep = "、" if lang == "zh" else ", "
    changed = sep.join(f"{k} {v}" for k, v in counts.items()) or none
    return [name, files, _status(p.status, lang), p.old_weight or none, p.new_weight or none, changed]


# -- impact ------------------------------------------------------------------------------------------


def _impact(report: BatchReport, impact: Aggregates, lang: Lang, chart_file: str | None) -> list[Block]:
    headers = [_t(k, lang) for k in ("project", "actuals", "old_total", "new_total", "delta", "grade")]
    rows = [_score_row(p, s, lang) for p in report.projects for s in p.scores]
    out: list[Block] = [Heading(_t("impact", lang)), Table(headers, rows, RIGHT)]
    out.append(
        Para(_t("moved", lang, scored=impact.scored, moved=impact.moved_grade, unscored=impact.unscored))
    )
    out.append(Chart(delta_chart(report, lang), _t("chart", lang), chart_file))
    grades = [[t.old, t.new, str(t.count)] for t in impact.transitions]
    grade_headers = [_t(k, lang) for k in ("old_grade", "new_grade", "projects")]
    out += [Heading(_t("transitions", lang)), Table(grade_headers, grades, ("left", "left", "right"))]
    buckets = [[b.label, str(b.count)] for b in impact.distribution]
    out += [
        Heading(_t("distribution", lang)),
        Table([_t("range", lang), _t("projects", lang)], buckets, ("left", "right")),
    ]
    if impact.mean is not None:
        out.append(Para(_t("mean", lang, mean=impact.mean, median=impact.median), tight=True))
    if impact.movers:
        movers = [
            [m.project, m.actuals, m.old_total, m.new_total, m.delta, _grades(m.old_grade, m.new_grade, lang)]
            for m in impact.movers
        ]
        out += [Heading(_t("movers", lang)), Table(headers, movers, RIGHT)]
    if impact.contributions:
        parts = [[c.change, str(c.projects), str(c.moved_grade), c.total] for c in impact.contributions]
        part_headers = [_t(k, lang) for k in ("changes", "projects", "moved_grade", "total")]
        table = Table(part_headers, parts, ("left", "right", "right", "right"))
        out += [Heading(_t("contributions", lang)), table]
    out.append(Para(_t("interaction", lang, value=impact.interaction), tight=True))
    return out


def _score_row(p: ProjectDiff, s: ProjectScore, lang: Lang) -> list[str]:
    none = _t("none", lang)
    grade = _t("error", lang) if s.errors else _grades(s.old_grade, s.new_grade, lang)
    return [p.project, s.actuals, s.old_total or none, s.new_total or none, s.delta or "", grade]


def _grades(old: str | None, new: str | None, lang: Lang) -> str:
    none = _t("none", lang)
    return _t("arrow", lang, old=old or none, new=new or none)


# -- details -----------------------------------------------------------------------------------------


def _details(
    p: ProjectDiff, lang: Lang, shared: dict[RuleChange, str], policies: frozenset[str]
) -> list[Block]:
    """A project's own changes, its reasons, errors and moved scores; nothing if it has none of these.

    Changes listed once above (a policy's, or shared by several projects) are named in one line.
    """
    reasons = p.reasons if p.status not in ("unaffected", "not_using") else []
    own = p.changes if p.policy else [c for c in p.changes if rule_key(c, policies) not in shared]
    scores = [block for s in p.scores for block in _score_blocks(s, lang)]
    if not (own or p.errors or reasons or scores):
        return []
    files = " → ".join(dict.fromkeys(f for f in (p.old_file, p.new_file) if f))
    out: list[Block] = [Heading(f"{p.project}（{files}）" if lang == "zh" else f"{p.project} ({files})")]
    out += _error_lines(p, lang)
    by_line: dict[str, list[str]] = {}
    for c in p.changes:
        if c not in own:
            by_line.setdefault(shared[rule_key(c, policies)], []).append(c.path)
    sep = "、" if lang == "zh" else ", "
    out += [Para(line.format(rules=sep.join(paths)), tight=True) for line, paths in by_line.items()]
    out += [Para(reason, tight=True) for reason in reasons]
    return out + change_blocks(own, lang, level=3) + scores


def _error_lines(p: ProjectDiff, lang: Lang) -> list[Block]:
    """Each error of a file that cannot be read, once, with its side: "错误（旧、新）: 找不到评分办法「x」"
    when both files fail the same way (each file's diagnostic, with its place, goes to standard error)."""
    sides: dict[tuple[str, str], list[str]] = {}
    for i, e in enumerate(p.errors):
        side = p.error_sides[i] if i < len(p.error_sides) else None
        named = sides.setdefault((e.code, e.message), [])
        if side is not None and side not in named:
            named.append(side)
    out: list[Block] = []
    for (_, message), named in sides.items():
        which = ("、" if lang == "zh" else ", ").join(_t(side, lang) for side in named)
        label = _t("error", lang) if not which else _t("side_error", lang, sides=which)
        out.append(Para(f"{label}: {message}", tight=True, note=True))
    return out


def _score_blocks(s: ProjectScore, lang: Lang) -> list[Block]:
    """A project's score line with each change's share, when something moved; its notes."""
    none = _t("none", lang)
    if s.errors:
        return [Para(f"{_t('error', lang)}: {e.message}", note=True) for e in s.errors]
    out: list[Block] = []
    moved = _nonzero(s.delta) or s.old_grade != s.new_grade
    moved = moved or any(_nonzero(a.delta) or a.grade is not None for a in s.attribution)
    if moved:
        grades = {"old_grade": s.old_grade or none, "new_grade": s.new_grade or none}
        totals = {"old": s.old_total or none, "new": s.new_total or none, "delta": s.delta or none}
        out.append(Para(_t("score_line", lang, actuals=s.actuals, **totals, **grades)))
    if moved and s.attribution:
        rows = [[a.change, _alone(a, s.old_grade or none, lang)] for a in s.attribution]
        out.append(Table([_t("changes", lang), _t("alone", lang)], rows, ("left", "right")))
        if _nonzero(s.interaction):
            out.append(Para(_t("interaction", lang, value=s.interaction), tight=True))
    return out + note_blocks(s.notes, s.diagnostics, lang)


def _alone(a: Attribution, old_grade: str, lang: Lang) -> str:
    """What a change does alone: the delta, and the grade when it moves it ("0.00（等级 良 → 优）")."""
    if a.delta is None:
        return _t("cannot", lang)
    return a.delta if a.grade is None else _t("alone_grade", lang, delta=a.delta, old=old_grade, new=a.grade)


def _nonzero(text: str | None) -> bool:
    return text is None or any(ch not in "0.+-" for ch in text)


def render_batch(report: BatchReport, fmt: str, lang: Lang = "zh", chart_file: str | None = None) -> str:
    """The report as "table" (terminal), "markdown", "html" or "json"."""
    if fmt == "json":
        return report.model_dump_json(indent=2)
    blocks = batch_blocks(report, lang, chart_file)
    if fmt == "markdown":
        return to_markdown(blocks)
    if fmt == "html":
        return to_html(blocks, lang)
    return to_text(blocks) + "\n"
