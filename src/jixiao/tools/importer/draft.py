"""A filled-in table read as the draft of a project ruleset: a row per indicator, what could not be read.

Each printed row becomes an indicator with the row's target literal and weight; a 其中 row without a
weight a breakdown; a row named 预算执行率 a derived one (实际 = 执行率). What the table does not say
well enough is kept as a warning (W170–W189) for the generated file's comments: a target that cannot
be read makes the row take its printed score (方法 认定), a row without a weight is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.io.actuals.labels import is_sum_label
from jixiao.language.literals import LiteralError, parse_actual, parse_target
from jixiao.language.quantity import NumericActual, NumericTarget, Quantity, RangeTarget, Target
from jixiao.language.rounding import Rounding
from jixiao.language.vocabulary import name_key, unnumbered
from jixiao.tools.importer.policy import Policy
from jixiao.tools.importer.printed import Number, percent_score, printed_number, printed_score, unreadable

BREAKDOWN = re.compile(r"^\s*其中\s*[:：]?\s*")
SUBTOTAL = re.compile(r"^(?:小计.*|.*小计)$")  # 小计, 小计：, 数量指标小计
RATE_NAMES = frozenset({"预算执行率", "资金执行率", "预算资金执行率", "执行率"})
TOTAL_ROW = "年度资金总额"


@dataclass(eq=False)
class Row:
    """One printed indicator row and what it becomes in the ruleset; a row is itself (compared by identity:
    taking one out of the draft's rows compared it field by field with every row before it)."""

    entry: Entry
    name: str
    weight: Number | None
    breakdown: bool = False
    subtotal: bool = False  # 小计: the sum of its 二级 block (or of its 一级), shown and never counted
    whole_level1: bool = False  # a 小计 of the whole 一级: written in the 一级's own block
    derived: bool = False  # 实际 = 执行率
    asserted: bool = False  # 方法 认定: scored by the table's printed score
    judged: bool = False  # target kept, the printed score the evaluator's (调整得分): a band word (W185)
    own_word: bool = False  # a qualitative target the policy's scales lack: in the project's own scale
    unit_note: str = ""  # 单位说明: the target's unit does not fit the name, as the table has it
    target_unit: str = ""  # the actual's unit for a target written as a bare number (≥ | 100, actual 120个)
    rounding: Rounding | None = None  # the table's own rounding, declared on the row
    unread: bool = False  # the reader could not read its actual value (E5xx): none written, asserted
    target_unread: bool = False  # a 其中 row's target that cannot be read or checked: not written (W181)
    dropped: bool = False  # taken out of the rows (方法 认定 without a printed score to take): in `skipped`
    orphan: bool = False  # a 其中 row of a row left out (no weight): left out with it, in `skipped`
    shared: bool = False  # its 得分 cell is merged over several rows: the group's score, not its own (W187)
    notes: list[Diagnostic] = field(default_factory=list)
    levels: tuple[str, str] | None = None  # a simple table's blank 一级/二级 continued from above (同上)

    @property
    def level1(self) -> str:
        return self.levels[0] if self.levels is not None else self.entry.row.level1

    @property
    def level2(self) -> str:
        return self.levels[1] if self.levels is not None else self.entry.row.level2

    @property
    def target(self) -> str:
        return self.entry.row.target + self.target_unit

    @property
    def printed(self) -> Number | None:
        """The row's printed score: a number, not a percentage (W183), nor a cell shared with other rows
        (W187)."""
        return None if self.shared else printed_score(self.entry.row.score)

    @property
    def key(self) -> str:
        return name_key(f"{self.level1}/{'' if self.whole_level1 else self.level2}/{self.name}")

    def span(self, column: str) -> Span:
        return self.entry.span(column)


@dataclass
class Draft:
    """What a table says about its project, as the parts of a ruleset."""

    table: ActualsFile
    policy: Policy
    name: str
    year: int | None
    rows: list[Row] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)  # rows left out (no weight): comments only
    budget_weight: Fraction | None = None  # the table's budget weight, when it differs from the policy's
    budget_scored: bool = True
    budget_rounding: Rounding | None = None
    rate_rounding: Rounding | None = None
    notes: list[Diagnostic] = field(default_factory=list)  # about the whole table
    proposed: dict[str, Fraction] = field(default_factory=dict)  # own-scale words read off printed scores
    item_scores: bool = False  # the table prints 单项得分 beside 折算得分: 表列 单项得分 (W189)

    @property
    def counted_and_breakdowns(self) -> list[Row]:
        """The rows with actual values (a 小计 has none: the engine sums its rows; a 其中 row whose value
        could not be read is left out, as a file may leave out any 其中 row)."""
        return [r for r in self.rows if not r.subtotal and not (r.breakdown and r.unread)]

    @property
    def problems(self) -> list[Diagnostic]:
        """Every warning, the table's first, then the rows' in order."""
        rows = [d for row in (*self.rows, *self.skipped) for d in row.notes]
        return [*self.notes, *rows]

    def info(self, key: str) -> str:
        return self.table.info.get(key, "").strip()

    @property
    def money_unit(self) -> str | None:
        units = {f.quantity.unit for f in self.table.budget if f.quantity.unit}
        return units.pop() if len(units) == 1 else None

    def has_budget(self) -> bool:
        return any(f.row == TOTAL_ROW for f in self.table.budget)


def warning(code: str, span: Span | None, **args: object) -> Diagnostic:
    return Diagnostic(code, span, args, Severity.WARNING)


def draft(table: ActualsFile, policy: Policy, name: str | None = None) -> Draft:
    """The draft of `table`'s ruleset under `policy`."""
    year = table.info.get("年度", "")
    result = Draft(
        table, policy, name or _project_name(table), int(year) if year.isdigit() and len(year) == 4 else None
    )
    seen: dict[str, int] = {}
    parent_kept = True  # the indicator a 其中 row belongs to (the last row before it) is in the draft
    above = ("", "")  # the 一级 and 二级 of the row above, which a simple table's blank cells continue
    for entry in table.entries:
        row = _row(entry, result)
        if row is None:
            continue
        if table.layout == "columns":  # the official layout's reader continues them (空白即同上)
            above = _as_above(row, above)
        _unique(row, seen)
        kept = row.weight is not None or row.subtotal or (row.breakdown and parent_kept)
        if not row.breakdown:
            parent_kept = kept
        row.orphan = row.breakdown and not kept
        (result.rows if kept else result.skipped).append(row)  # 其中 rows of a row left out go with it
    _subtotals(result)
    _budget(result)
    _score_columns(result)
    return result


def _as_above(row: Row, above: tuple[str, str]) -> tuple[str, str]:
    """A row's blank 一级/二级 cells as the row above's (同上), as the official layout reads them: a ruleset
    must place every indicator, and a printed table leaves a repeated level blank, merged or not (its
    二级 was written as a 一级 block, `质量指标 {`, and its row then failed as E515). A new 一级 starts
    without a 二级. A 二级 under a blank 一级 with no 一级 above belongs to none: E541 at the 一级 cell.
    The levels continued go to the generated ruleset and actual values alike; the table is not changed."""
    level1, level2 = row.entry.row.level1.strip(), row.entry.row.level2.strip()
    if level1 and level1 != above[0]:
        return level1, level2
    if not level1 and not above[0]:
        if level2 and "level1" in row.entry.spans:
            args: dict[str, object] = {"row": row.entry.line, "level2": level2}
            row.notes.append(Diagnostic("E541", row.span("level1"), args))
        return level1, level2
    levels = (level1 or above[0], level2 or above[1])
    if levels != (level1, level2):
        row.levels = levels
    return levels


def _score_columns(draft: Draft) -> None:
    """Score-like columns the reader does not read (W184, as `jixiao audit` says F187); a 得分 cell merged
    over several rows (W187); a table with 单项得分 beside its 折算得分 (its ruleset declares 表列
    单项得分, W189 says so)."""
    cells = draft.table.scores
    if cells is None:
        return
    for column, span, why in cells.unread:
        draft.notes.append(warning("W184", span, column=column, why=UNREAD_WHY[why]))
    groups: dict[tuple[int, int], list[Row]] = {}
    for row in draft.rows:
        lines = cells.merged.get(row.entry.line)
        if lines is not None and not (row.breakdown or row.subtotal):
            groups.setdefault(lines, []).append(row)
    for (first, last), rows in groups.items():
        if len(rows) < 2:
            continue  # a merged cell over one row and blank ones is that row's own
        for row in rows:  # the group's score together: no row's own (W187, F188 in audit)
            row.shared = True
        text = rows[0].entry.row.score.strip()
        args = {"name": rows[0].name, "text": text, "first": first, "last": last, "count": len(rows)}
        rows[0].notes.append(warning("W187", rows[0].span("score"), **args))
    if cells.items and "item_score" not in draft.policy.rules.columns:  # the policy's own: nothing to say
        top = min(cells.items.values(), key=lambda cell: cell.span.line)
        draft.notes.append(warning("W189", top.span))
        draft.item_scores = True


UNREAD_WHY = {  # why a score-like column is not read (zh, en), as `jixiao audit` says it (F187)
    "alone": (
        "表中有「单项得分」而没有「折算得分」或「得分」列，不知它是满分 100 的单项得分还是按分值计的得分",
        "the table has a 单项得分 column but no 折算得分 or 得分 column: an item score out of 100, or the "
        "row's score in points?",
    ),
    "unknown": (
        "这个列名不是认得的得分列（得分、自评得分、指标得分、折算得分、单项得分），各行的得分没有从这一列读取",
        "the header is none of the score columns read (得分, 自评得分, 指标得分, 折算得分, 单项得分): "
        "no row's score is read from it",
    ),
}


def _project_name(table: ActualsFile) -> str:
    return table.project or table.info.get("项目名称") or table.sheet or Path(table.path).stem or "项目"


def _row(entry: Entry, draft: Draft) -> Row | None:
    cells = entry.row
    weight = printed_number(cells.weight)
    name = unnumbered(cells.name).strip()  # 指标1：养护里程 (the Ministry of Finance template) is 养护里程
    if BREAKDOWN.match(name) and weight is None:
        row = Row(entry, BREAKDOWN.sub("", name), None, breakdown=True)
        _breakdown_target(row)
        return row
    if SUBTOTAL.match(name_key(name)) or (is_sum_label(name) and not cells.actual.strip()):
        return Row(entry, name, weight, subtotal=True)  # 小计; 合计, 分值合计 without a value of their own
    row = Row(entry, name, weight if weight is not None and weight.value > 0 else None)
    _own_score(row)
    if row.weight is None:
        reason = weight_problem(cells.weight)
        row.notes.append(
            warning("W171", entry.span("weight"), name=name, weight=cells.weight or "—", reason=reason)
        )
        return row
    _target(row, draft)
    return row


def _own_score(row: Row) -> None:
    """A printed score written as a percentage (W183: 80% is 8 of a weight of 10, or 80 of the total?):
    not taken as the row's score (`Row.printed`)."""
    text = row.entry.row.score.strip()
    percent = percent_score(text, row.weight.value if row.weight is not None else None)
    if percent is not None:
        row.notes.append(warning("W183", row.span("score"), name=row.name, text=text, reason=percent))


def _target(row: Row, draft: Draft) -> None:
    text, actual = row.target.strip(), row.entry.row.actual.strip()
    if not text:
        code = "W172" if not actual else "W170"
        row.notes.append(warning(code, row.span("target"), name=row.name, text="—", reason=_EMPTY))
        row.asserted = True
        return
    try:
        target = parse_target(text)
    except LiteralError as exc:
        reason = (exc.message("zh"), exc.message("en"))
        row.notes.append(warning("W170", row.span("target"), name=row.name, text=text, reason=reason))
        row.asserted = True
        return
    row.target_unit = _actual_unit(text, target, actual)
    percent = isinstance(target, NumericTarget) and target.quantity.dimension == "%"
    row.derived = percent and name_key(row.name) in RATE_NAMES and draft.has_budget()


_EMPTY = ("指标值是空的", "the target is blank")
TARGET = (("指标值", "target"), ("生成的规则", "generated ruleset"))
ACTUAL = (("实际完成值", "actual value"), ("实际值文件", "actual-value file"))


def _breakdown_target(row: Row) -> None:
    """A 其中 row's target that cannot be read is left out of the ruleset (W181): the row is never scored,
    and `其中 名称` needs no target."""
    text = row.target.strip()
    if not text:
        return
    try:
        parse_target(text)
    except LiteralError as exc:
        leave_out(row, TARGET, text, (exc.message("zh"), exc.message("en")), row.span("target"))


def leave_out(
    row: Row, part: tuple[tuple[str, str], tuple[str, str]], text: str, reason: tuple[str, str], span: Span
) -> None:
    """A 其中 row's target (TARGET) or actual value (ACTUAL) that cannot be used: not written (W181)."""
    if part is TARGET:
        row.target_unread = True
    else:
        row.unread = True
    what, where = part
    row.notes.append(
        warning("W181", span, name=row.name, what=what, text=text or "—", reason=reason, file=where)
    )


def _actual_unit(text: str, target: Target, actual: str) -> str:
    """The unit a target written as a bare number takes from the row's actual value (≥ | 100 beside 120个
    is ≥100个; the table has no 计量单位 column, or it is blank): only a unit without a magnitude or a
    percentage, as 100 beside 1.2万人 could be 100人 or 100万人 (the score's E609 asks then)."""
    if not isinstance(target, NumericTarget | RangeTarget) or not text[-1:].isdigit():
        return ""
    if any(q.unit for q in _quantities(target)):
        return ""
    try:
        value = parse_actual(actual)
    except LiteralError:
        return ""
    if not isinstance(value, NumericActual):
        return ""
    q = value.quantity
    return q.unit if q.unit and q.scale == 1 and q.dimension not in ("", "%") else ""


def _quantities(target: NumericTarget | RangeTarget) -> tuple[Quantity, ...]:
    return (target.quantity,) if isinstance(target, NumericTarget) else (target.low, target.high)


def weight_problem(text: str) -> tuple[str, str]:
    """Why a printed weight cannot be used (zh, en): blank, not a number, or not more than 0."""
    if not text.strip():
        return ("分值是空的", "the weight is blank")
    if printed_number(text) is None:
        return unreadable(text)
    return ("分值不大于 0", "the weight is not more than 0")


def _unique(row: Row, seen: dict[str, int]) -> None:
    """A name given twice under one 二级指标 gets a number: （2）, （3）…"""
    count = seen.get(row.key, 0) + 1
    seen[row.key] = count
    if count > 1:
        new = f"{row.name}（{count}）"
        row.notes.append(warning("W180", row.span("name"), name=row.name, new=new))
        row.name = new
        seen[row.key] = 1


def _subtotals(draft: Draft) -> None:
    """Each 小计 row sums its 二级 block when its printed weight is that block's, else its whole 一级; a
    printed weight that is neither sum is left out (the engine shows the sum)."""
    blocks: dict[tuple[str, str], Fraction] = {}  # the counted rows' weights summed once, not per 小计
    levels: dict[str, Fraction] = {}
    for r in draft.rows:
        if r.weight is not None and not r.breakdown and not r.subtotal:
            blocks[(r.level1, r.level2)] = blocks.get((r.level1, r.level2), Fraction(0)) + r.weight.value
            levels[r.level1] = levels.get(r.level1, Fraction(0)) + r.weight.value
    for row in (r for r in draft.rows if r.subtotal):
        block = blocks.get((row.level1, row.level2), Fraction(0))
        whole = levels.get(row.level1, Fraction(0))
        printed = row.weight.value if row.weight is not None and not row.weight.percent else None
        row.whole_level1 = printed is None or printed != block
        if printed is not None and printed != (whole if row.whole_level1 else block):
            row.weight = None


def _budget(draft: Draft) -> None:
    """The budget block: the table's weight when it differs from the policy's; none when not printed."""
    rules = draft.policy.rules.budget
    printed = (
        printed_number(draft.table.printed["预算分值"].text) if "预算分值" in draft.table.printed else None
    )
    if printed is not None and printed.value != (rules.weight or 0):
        draft.budget_weight = printed.value
    if draft.has_budget() or not rules.scored or not rules.weight or not rules.counted:
        return
    total = draft.policy.rules.total
    weights = sum((_points(r.weight, total) for r in draft.rows if r.weight is not None), Fraction(0))
    if weights == total:
        draft.budget_scored = False  # the table's indicators make up the whole total: no budget score
    else:
        where = draft.table.budget_block or draft.table.file_span()  # the official layout's budget block
        draft.notes.append(warning("W178", where, weight=str(rules.weight)))


def _points(weight: Number, total: Fraction) -> Fraction:
    return weight.value * total if weight.percent else weight.value
