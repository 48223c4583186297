"""The 自评表 of one result as labelled cells, laid out once for every writer.

The terminal table, Markdown, CSV, xlsx and HTML all show the same sheet: a title, the project's
particulars, the budget block (资金, 执行率, 分值, 得分), the indicator block (一级/二级/三级指标, 指标值,
实际完成值, 分值, 得分, 偏差原因), the total and grade, and the findings. Cell text is what the user
wrote; each writer makes it safe for its medium (`render.safe`). Numbers keep their exact value and
declared digits so a spreadsheet can store them as numbers with the right format.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jixiao.diagnostics import span_place
from jixiao.engine.results import BudgetResult, Figure, Finding, IndicatorResult, Result
from jixiao.io.render.figures import MONEY_DIGITS, WEIGHT_DIGITS, money_text, rate_text, weight_text
from jixiao.language.frozen import frozen
from jixiao.language.rounding import decimal_places
from jixiao.messages import Lang

LABELS: dict[str, tuple[str, str]] = {
    "title": ("项目绩效自评", "Project performance self-evaluation"),
    "year": ("（{year}年度）", " ({year})"),
    "colon": ("：", ": "),
    "project": ("项目名称", "Project"),
    "department": ("主管部门", "Department"),
    "unit": ("实施单位", "Implementing unit"),
    "policy": ("评分办法", "Policy"),
    "funds": ("项目资金（{unit}）", "Funds ({unit})"),
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
    "total_weight": ("总分值", "Total weight"),
    "total": ("总得分", "Total"),
    "grade": ("等级", "Grade"),
    "findings": ("复核提示", "Findings"),
    "summary": ("汇总", "Summary"),
    # a batch's summary
    "index": ("序号", "No."),
    "origin": ("文件", "File"),
    "output": ("输出文件", "Output file"),
    "sheet": ("工作表", "Sheet"),
    "ruleset": ("评分规则", "Ruleset"),
    "errors": ("错误", "Errors"),
    "more": ("（共 {n} 个）", " ({n} in all)"),
    "batch_title": ("批量评分汇总", "Batch scoring summary"),
    "scored": ("评分 {ok} 个项目，{failed} 个有错误", "{ok} project(s) scored, {failed} with errors"),
    "code": ("代码", "Code"),
    "indicator": ("指标", "Indicator"),
    "message": ("说明", "Message"),
    "na": ("不适用", "n/a"),
    "unknown": ("未知", "unknown"),
    "adjusted": ("（调整）", " (adjusted)"),
    "sub": ("其中：", "of which: "),
    "not_counted": ("（不计入总分）", " (not counted)"),
    "incomplete": ("（不完整，最高可能 {high}）", " (incomplete, at most {high})"),
    "status": ("完成情况", "Status"),
    "goal": ("绩效目标", "Goal"),
    "item_score": ("单项得分", "Item score"),
    "done": ("完成", "done"),
    "not_done": ("未完成", "not done"),
}
NUMBER_KEYS = frozenset({"weight", "item_score", "score"})


def label(key: str, lang: Lang, **args: object) -> str:
    zh, en = LABELS[key]
    return (zh if lang == "zh" else en).format(**args)


@frozen
class Cell:
    """What a cell shows, and for numbers their exact value and declared decimals."""

    text: str
    value: Fraction | None = None
    digits: int | None = None  # None: as many as the exact value needs
    percent: bool = False  # value is a ratio shown as a percentage (0.9376 → 93.76%)
    suffix: str = ""  # shown after the number ("（调整）")


@frozen
class Block:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    keys: tuple[str, ...] = ()  # what each column is (level1, name, weight …), when the writer needs it
    merged: int = 0  # the leading columns (goal, 一级, 二级) a writer merges over the rows they head

    def column(self, key: str) -> int:
        return self.keys.index(key)


@frozen
class Sheet:
    title: str
    info: tuple[tuple[str, str], ...]  # (label, value): 项目名称, 主管部门, 实施单位, 评分办法
    budget: Block | None  # header[0] is the block's label, 项目资金（万元）
    budget_note: str
    indicators: Block  # level cells filled on every row; writers merge or blank repeats
    total_weight: Cell
    total: Cell
    grade: str
    findings: Block | None
    lang: Lang


def sheet(result: Result, lang: Lang = "zh") -> Sheet:
    """Lay out one result."""
    title = label("title", lang) + (label("year", lang, year=result.year) if result.year else "")
    info = [("project", result.project), ("department", result.department), ("unit", result.unit)]
    info.append(("policy", "、".join(result.policies)))
    budget = result.budget
    return Sheet(
        title=title,
        info=tuple((label(k, lang), v) for k, v in info if v),
        budget=_budget(budget, lang) if budget is not None else None,
        budget_note=budget.note if budget is not None else "",
        indicators=_indicators(result, lang),
        total_weight=weight_cell(result.total_weight),
        total=figure_cell(result.total, _incomplete(result, lang)),
        grade=result.grade or "—",
        findings=_findings(result, lang),
        lang=lang,
    )


def weight_cell(weight: Fraction | Figure) -> Cell:
    return Cell(weight_text(weight), Fraction(weight), WEIGHT_DIGITS)


def figure_cell(figure: Figure | None, suffix: str = "") -> Cell:
    if figure is None:
        return Cell("")
    return Cell(figure.text() + suffix, figure.value, figure.digits, suffix=suffix)


def rate_cell(rate: Figure | None) -> Cell:
    if rate is None:
        return Cell("")
    return Cell(rate_text(rate) or "", rate.value, rate.digits, percent=True)


def _money(value: Fraction | None) -> Cell:
    if value is None:
        return Cell("")
    return Cell(money_text(value) or "", value, max(decimal_places(value) or MONEY_DIGITS, MONEY_DIGITS))


def _budget(budget: BudgetResult, lang: Lang) -> Block:
    header = [label("funds", lang, unit=budget.money_unit)]
    header += [label(k, lang) for k in ("initial", "annual", "executed", "rate", "weight", "score")]
    rows = []
    for i, row in enumerate(budget.rows):
        name = row.name if i == 0 else label("sub", lang) + row.name
        amounts = (_money(row.initial), _money(row.annual), _money(row.executed))
        tail = (Cell(""), Cell(""), Cell(""))
        if row.name == budget.row:  # the rate, weight and score belong to the row that gives them
            weight = weight_cell(budget.weight) if budget.scored else Cell("")
            score = figure_cell(budget.score, "" if budget.counted else label("not_counted", lang))
            tail = (rate_cell(budget.rate), weight, score)
        rows.append((Cell(name), *amounts, *tail))
    return Block(tuple(header), tuple(rows))


def _incomplete(result: Result, lang: Lang) -> str:
    """Unknown scores leave the total incomplete: it says so, with the most it could be."""
    return "" if result.total_high is None else label("incomplete", lang, high=result.total_high.text())


def indicator_keys(result: Result) -> tuple[str, ...]:
    """The indicator block's columns: the official eight, with the goal, status and item score a
    ruleset declares (绩效目标 blocks, 表列 完成情况 单项得分)."""
    extra = result.rules.columns if result.rules is not None else ()
    keys = ["level1", "level2", "name", "target", "actual", "weight", "score", "note"]
    if any(i.goal for i in result.indicators):
        keys.insert(0, "goal")
    if "status" in extra:
        keys.insert(keys.index("weight"), "status")
    if "item_score" in extra:
        keys.insert(keys.index("score"), "item_score")
    return tuple(keys)


def _indicators(result: Result, lang: Lang) -> Block:
    keys = indicator_keys(result)
    rows = tuple(_indicator(i, keys, lang) for i in result.indicators)
    merged = keys.index("level2") + 1
    return Block(tuple(label(k, lang) for k in keys), rows, keys, merged)


def _indicator(i: IndicatorResult, keys: tuple[str, ...], lang: Lang) -> tuple[Cell, ...]:
    breakdown = i.breakdown_of is not None  # a 其中 row: shown under its indicator, never scored
    if breakdown:
        score = Cell("")
    elif i.score is None:
        score = Cell(label("unknown" if i.unknown else "na", lang))
    else:
        score = figure_cell(i.score, label("adjusted", lang) if i.adjusted else "")
    cells = {
        "goal": Cell(i.goal or ""),
        "level1": Cell(i.level1),
        "level2": Cell(i.level2),
        "name": Cell("  " + label("sub", lang) + i.name if breakdown else i.name),
        "target": Cell(i.target),
        "actual": Cell(i.actual),
        "status": Cell(_status(i, lang)),
        "weight": Cell("") if breakdown else weight_cell(i.weight),
        "item_score": figure_cell(i.item_score),
        "score": score,
        "note": Cell(i.note),
    }
    return tuple(cells[k] for k in keys)


def _status(i: IndicatorResult, lang: Lang) -> str:
    """完成 / 未完成, as county tables print it (the target met or not)."""
    if i.score is None or i.met is None:
        return "/"
    return label("done" if i.met else "not_done", lang)


def _findings(result: Result, lang: Lang) -> Block | None:
    if not result.findings:
        return None
    header = (label("code", lang), label("indicator", lang), label("message", lang))
    rows = tuple((Cell(f.code), Cell(_about(f, lang)), Cell(f.message(lang))) for f in result.findings)
    return Block(header, rows)


def _about(finding: Finding, lang: Lang) -> str:
    """What a finding is about: its indicator, or the cell of the file it concerns (F138: the title cell
    giving the year, `2019.xlsx:2:1: 工作表「自评表」第2行 (A2)`), or nothing (the file as a whole)."""
    if finding.indicator is not None:
        return finding.indicator
    return span_place(finding.span, lang) if finding.span is not None else ""


def runs(keys: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(first, last) index of each run of equal keys."""
    out: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        if out and keys[out[-1][0]] == key:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out
