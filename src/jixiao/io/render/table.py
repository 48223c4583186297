"""Results → the scored table as the 自评表 prints it, aligned for Chinese (tabulate + wcwidth)."""

from __future__ import annotations

from tabulate import tabulate

from jixiao.engine.results import BudgetResult, Result
from jixiao.io.render.figures import money_text, rate_text, weight_text
from jixiao.messages import Lang

TABLE_FORMAT = "simple"
LABELS: dict[str, tuple[str, str]] = {
    "title": ("项目绩效自评（{year}年度）", "Project performance self-evaluation ({year})"),
    "project": ("项目名称", "Project"),
    "department": ("主管部门", "Department"),
    "unit": ("实施单位", "Implementing unit"),
    "funds": ("项目资金（{unit}）", "Funds ({unit})"),
    "row": ("", ""),
    "initial": ("年初预算数", "Initial budget"),
    "annual": ("全年预算数", "Annual budget"),
    "executed": ("全年执行数", "Executed"),
    "rate": ("执行率", "Rate"),
    "weight": ("分值", "Weight"),
    "score": ("得分", "Score"),
    "indicators": ("绩效指标", "Performance indicators"),
    "level1": ("一级指标", "Level 1"),
    "level2": ("二级指标", "Level 2"),
    "name": ("三级指标", "Indicator"),
    "target": ("指标值", "Target"),
    "actual": ("实际完成值", "Actual"),
    "note": ("偏差原因分析及改进措施", "Deviation and remedy"),
    "status": ("完成情况", "Status"),
    "goal": ("绩效目标", "Goal"),
    "item_score": ("单项得分", "Item score"),
    "done": ("完成", "done"),
    "not_done": ("未完成", "not done"),
    "total": (
        "总分值 {weight}    总得分 {total}    等级 {grade}",
        "Total weight {weight}    total {total}    grade {grade}",
    ),
    "findings": ("复核提示", "Findings"),
    "na": ("不适用", "n/a"),
    "unknown": ("未知", "unknown"),
    "incomplete": ("（不完整，最高可能 {high}）", " (incomplete, at most {high})"),
    "adjusted": ("（调整）", " (adjusted)"),
    "sub": ("其中：", "of which: "),
    "not_counted": ("（不计入总分）", " (not counted)"),
    "policy": ("评分办法：{names}", "Policy: {names}"),
}


def label(key: str, lang: Lang, **args: object) -> str:
    zh, en = LABELS[key]
    return (zh if lang == "zh" else en).format(**args)


def render_table(result: Result, lang: Lang = "zh", markdown: bool = False) -> str:
    """The scored table for a terminal, or as Markdown (for a report) with `markdown`."""
    fmt = "github" if markdown else TABLE_FORMAT
    parts = [_header(result, lang, markdown)]
    if result.budget is not None:
        parts.append(_budget(result.budget, lang, fmt))
    parts.append(_indicators(result, lang, fmt))
    parts.append(
        label(
            "total",
            lang,
            weight=weight_text(result.total_weight),
            total=result.total.text()
            + (label("incomplete", lang, high=result.total_high.text()) if result.total_high else ""),
            grade=result.grade or "—",
        )
    )
    if result.findings:
        bullet = "- " if markdown else "  "
        lines = [f"{bullet}{f.code}  {f.indicator or ''}  {f.message(lang)}" for f in result.findings]
        title = label("findings", lang) + ("：" if lang == "zh" else ":")
        parts.append("\n".join([title, *([""] if markdown else []), *lines]))
    return "\n\n".join(parts) + "\n"


def _header(result: Result, lang: Lang, markdown: bool) -> str:
    title = label("title", lang, year=result.year or "")
    lines = [title]
    lines.append(f"{label('project', lang)}：{result.project}")
    if result.department:
        lines.append(f"{label('department', lang)}：{result.department}")
    if result.unit:
        lines.append(f"{label('unit', lang)}：{result.unit}")
    if result.policies:
        lines.append(label("policy", lang, names="、".join(result.policies)))
    if markdown:
        return f"### {lines[0]}\n\n" + "\n".join(f"- {line}" for line in lines[1:])
    return "\n".join(lines)


def _budget(budget: BudgetResult, lang: Lang, fmt: str) -> str:
    headers = [label("funds", lang, unit=budget.money_unit)] + [
        label(k, lang) for k in ("initial", "annual", "executed", "rate", "weight", "score")
    ]
    rows = []
    for i, row in enumerate(budget.rows):
        name = row.name if i == 0 else label("sub", lang) + row.name
        scored = row.name == budget.row  # the rate, weight and score belong to the row that gives them
        rows.append(
            [
                name,
                money_text(row.initial) or "",
                money_text(row.annual) or "",
                money_text(row.executed) or "",
                (rate_text(budget.rate) or "") if scored else "",
                weight_text(budget.weight) if scored and budget.scored else "",
                _budget_score(budget, lang) if scored else "",
            ]
        )
    table: str = tabulate(_cells(rows, fmt), headers=headers, tablefmt=fmt, disable_numparse=True)
    gap = "\n\n" if fmt == "github" else "\n"  # Markdown: a line right after a table is another row
    return table + (f"{gap}{label('note', lang)}：{budget.note}" if budget.note else "")


def _budget_score(budget: BudgetResult, lang: Lang) -> str:
    """The budget score, marked 「不计入总分」 when it is shown but not counted."""
    if budget.score is None:
        return ""
    return budget.score.text() + ("" if budget.counted else label("not_counted", lang))


def _indicators(result: Result, lang: Lang, fmt: str) -> str:
    extra = result.rules.columns if result.rules is not None else ()
    keys = ["level1", "level2", "name", "target", "actual", "weight", "score", "note"]
    if any(i.goal for i in result.indicators):
        keys.insert(0, "goal")
    if "status" in extra:
        keys.insert(5, "status")
    if "item_score" in extra:
        keys.insert(keys.index("score"), "item_score")
    rows, previous, goal = [], ("", ""), None
    for i in result.indicators:
        shown_goal = i.goal if i.goal != goal else ""
        if i.goal != goal:
            goal, previous = i.goal, ("", "")
        level1 = i.level1 if i.level1 != previous[0] else ""
        level2 = i.level2 if (i.level1, i.level2) != previous else ""
        previous = (i.level1, i.level2)
        score = label("unknown" if i.unknown else "na", lang) if i.score is None else i.score.text()
        if i.adjusted:
            score += label("adjusted", lang)
        if i.breakdown_of is not None:
            score = ""  # a 其中 row is shown, never scored
        cells = {
            "goal": shown_goal or "",
            "level1": level1,
            "level2": level2,
            "name": i.name if i.breakdown_of is None else "  " + label("sub", lang) + i.name,
            "target": i.target,
            "actual": i.actual,
            "status": _status(i.met, i.score is None, lang),
            "weight": weight_text(i.weight) if i.breakdown_of is None else "",
            "item_score": i.item_score.text() if i.item_score is not None else "",
            "score": score,
            "note": i.note,
        }
        rows.append([cells[k] for k in keys])
    numbers = {"weight", "item_score", "score"}
    table = tabulate(
        _cells(rows, fmt),
        headers=[label(k, lang) for k in keys],
        tablefmt=fmt,
        disable_numparse=True,
        colalign=tuple("right" if k in numbers else "left" for k in keys),
    )
    gap = "\n\n" if fmt == "github" else "\n"
    return f"{label('indicators', lang)}{gap}{table}"


def _status(met: bool | None, unscored: bool, lang: Lang) -> str:
    """完成 / 未完成, as county tables print it (the target met or not)."""
    if unscored or met is None:
        return "/"
    return label("done" if met else "not_done", lang)


def _cells(rows: list[list[str]], fmt: str) -> list[list[str]]:
    """Markdown cells cannot hold a bare "|"."""
    if fmt != "github":
        return rows
    return [[cell.replace("|", "\\|") for cell in row] for row in rows]
