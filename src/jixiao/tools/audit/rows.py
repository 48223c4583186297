"""The indicator rows of a table against their recomputed scores.

A printed score that differs from the rule's (beyond the tolerance) is classified, first match wins:
full marks although the target was missed (F153); a rounding of the unrounded score other than the
rule's — truncated, rounded up, to fewer decimals, or not rounded (F150); marked down although the
target was met, without or with a reason (F151, F152); otherwise an arithmetic error (F154). Against
a project ruleset the printed weight and target must also be the ruleset's (F155, F156).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from jixiao.engine.actuals import ActualsFile, Entry, ScoreCells
from jixiao.engine.evaluate.run import row_keys
from jixiao.engine.levels import Levels
from jixiao.engine.results import Figure, IndicatorResult, Result
from jixiao.language.literals import LiteralError, parse_target
from jixiao.language.quantity import NumericTarget, RangeTarget, Target, read_as
from jixiao.language.rounding import format_exact
from jixiao.language.vocabulary import name_key
from jixiao.tools.audit.model import Discrepancy
from jixiao.tools.importer.printed import (
    Number,
    exact_text,
    percent_score,
    printed_number,
    printed_score,
    rounding_args,
    unreadable,
    ways,
)

SCORE_CODES = frozenset({"F150", "F151", "F152", "F153", "F154"})


@dataclass(frozen=True)
class Context:
    """What every row check needs besides the row: the result, the rules' total, how it was audited."""

    result: Result
    tolerance: Fraction
    project: bool  # audited against a project ruleset (its targets and weights are the reference)
    skipped: frozenset[int]  # lines of rows not score-checked (set aside, or scored by their printed score)
    set_aside: frozenset[int]  # lines of rows not recomputed at all
    budget_weight: Fraction | None = None  # the budget's weight in the total when it was not recomputed
    scores: ScoreCells = field(default_factory=ScoreCells)  # the table's 单项得分, merged 得分 cells

    @property
    def total(self) -> Fraction:
        return self.result.total_weight.value


def bind(result: Result, actuals: ActualsFile) -> dict[str, Entry]:
    """The table's row of each indicator, matched as scoring matches them (`row_candidates`: the name,
    and the levels if given, read as `engine.levels` reads them). The indicators are grouped by name
    once: each row looked through every indicator, 1.5 s of a table of 2 000 rows and four times that
    for twice as many."""
    out: dict[str, Entry] = {}
    named: dict[str, list[IndicatorResult]] = {}
    for indicator in result.indicators:
        named.setdefault(name_key(indicator.name), []).append(indicator)
    levels = Levels((i.level1, i.level2) for i in result.indicators)
    for entry in actuals.entries:
        key = next((k for k in row_keys(entry.row.name) if k in named), None)  # 其中：能繁母猪 is 能繁母猪
        for indicator in named.get(key, []) if key is not None else []:
            if _levels_fit(levels, entry, indicator):
                out.setdefault(indicator.path, entry)
    return out


def _levels_fit(levels: Levels, entry: Entry, indicator: IndicatorResult) -> bool:
    row = entry.row
    whole = indicator.subtotal and not indicator.level2  # a 小计 of its 一级: any 二级 carried down
    level2 = whole or levels.fits2(row.level2, indicator.level2)
    return level2 and levels.fits1(row.level1, indicator.level1)


def check_rows(context: Context, rows: dict[str, Entry]) -> Iterator[Discrepancy]:
    groups = merged_groups(context, rows)
    grouped = {entry.line for members in groups.values() for _, entry in members}
    for indicator in context.result.indicators:
        entry = rows.get(indicator.path)
        if entry is not None and indicator.subtotal:
            yield from _subtotal(context, entry, indicator)
        if entry is None or indicator.breakdown_of is not None or indicator.subtotal:
            continue
        if entry.line in context.set_aside:
            continue
        yield from _weight(context, entry, indicator)
        if context.project:
            yield from _target(entry, indicator)
        checked = entry.line not in context.skipped and entry.line not in grouped
        found = list(_score(context, entry, indicator)) if checked else []
        if entry.line not in context.skipped:
            found += _item(context, entry, indicator, scored=bool(found))
        yield from found
        yield from _findings(entry, indicator, explained=bool(found))
    for members in groups.values():
        yield from _merged(context, members)


# -- weights and targets ----------------------------------------
def _weight(context: Context, entry: Entry, indicator: IndicatorResult) -> Iterator[Discrepancy]:
    text = entry.row.weight.strip()
    span, where = entry.span("weight"), indicator.path
    printed = printed_number(text)
    if printed is not None and printed.percent:
        yield Discrepancy("F157", span, where, text, _points_text(printed, context.total))
    if not context.project or not text or indicator.plan is None:
        return
    if printed is None:
        yield Discrepancy(
            "F159", span, where, text, args={"what": ("分值", "weight"), "detail": unreadable(text)}
        )
    elif points(printed, context.total) != indicator.plan.weight:
        yield Discrepancy("F155", span, where, text, indicator.weight.text())


def points(weight: Number, total: Fraction) -> Fraction:
    """A printed weight in points: 20% of a total of 100 is 20."""
    return weight.value * total if weight.percent else weight.value


def _points_text(weight: Number, total: Fraction) -> str:
    return Number(points(weight, total), weight.places).text()


def _target(entry: Entry, indicator: IndicatorResult) -> Iterator[Discrepancy]:
    text = entry.row.target.strip()
    plan = indicator.plan
    if not text or plan is None or plan.indicator.target is None:
        return
    span, where = entry.span("target"), indicator.path
    try:
        printed = parse_target(text)
    except LiteralError as exc:
        detail = (exc.message("zh"), exc.message("en"))
        yield Discrepancy("F159", span, where, text, args={"what": ("指标值", "target"), "detail": detail})
        return
    if not same_target(printed, plan.indicator.target):
        yield Discrepancy("F156", span, where, text, plan.indicator.target_text)


def same_target(a: Target, b: Target) -> bool:
    """The same target whatever the spelling: `100%` and `≥100%`, `1.1万人` and `≥11000人`, `≥12村` and
    `≥12个行政村` (villages counted with 个: `read_as`)."""
    if isinstance(a, NumericTarget) and isinstance(b, NumericTarget):
        sign = a.comparator == b.comparator or a.implicit or b.implicit
        counted = read_as(a.quantity, b.quantity) is not None
        return sign and counted and a.quantity.base == b.quantity.base
    if isinstance(a, RangeTarget) and isinstance(b, RangeTarget):
        ends = (a.low.base, a.high.base, a.low_inclusive, a.high_inclusive)
        return ends == (b.low.base, b.high.base, b.low_inclusive, b.high_inclusive)
    return a == b


# -- scores ----------------------------------------
def _score(context: Context, entry: Entry, indicator: IndicatorResult) -> Iterator[Discrepancy]:
    if indicator.score is None:  # 不适用, or unknown: nothing to compare
        return
    text = entry.row.score.strip()
    span, where = entry.span("score"), indicator.path
    printed = printed_score(text)
    if printed is None:
        percent = percent_score(text, indicator.weight.value)
        if percent is not None:
            yield Discrepancy("F159", span, where, text, args={"what": ("得分", "score"), "detail": percent})
        elif text:
            args: dict[str, object] = {"what": ("得分", "score"), "detail": unreadable(text)}
            yield Discrepancy("F159", span, where, text, args=args)
        else:
            yield Discrepancy("F158", span, where, "", indicator.score.text(), indicator=where)
        return
    score = indicator.score
    if abs(printed.value - score.value) <= context.tolerance or _weight_alone(
        context, entry, indicator, printed
    ):
        return
    yield _classified(
        printed, indicator, entry, Discrepancy("F154", span, where, text, score.text(), indicator=where)
    )


def _weight_alone(context: Context, entry: Entry, indicator: IndicatorResult, printed: Number) -> bool:
    """Whether the printed score is the rules' score for the printed weight (10 of 10 where the ruleset
    gives 15 of 15): the difference is the weight's alone, and F155 says so already."""
    weight = printed_number(entry.row.weight)
    rule = indicator.weight.value
    if not context.project or weight is None or rule <= 0 or indicator.score is None:
        return False
    given = points(weight, context.total)
    if given == rule or given <= 0:
        return False
    scaled = indicator.score.value * given / rule
    formula = indicator.formula_score.value * given / rule if indicator.formula_score is not None else None
    return abs(printed.value - scaled) <= context.tolerance or (
        formula is not None and bool(ways(formula, printed))
    )


def _subtotal(context: Context, entry: Entry, indicator: IndicatorResult) -> Iterator[Discrepancy]:
    """A printed 小计 (shown, never counted) that is not the sum of the scores of its rows (F154)."""
    printed, score = printed_number(entry.row.score), indicator.score
    if printed is None or score is None or abs(printed.value - score.value) <= context.tolerance:
        return
    detail = ("小计应为所合计各项得分之和", "a subtotal is the sum of the scores of its rows")
    where = "/".join(part for part in (indicator.level1, indicator.level2, indicator.name) if part)
    yield Discrepancy(
        "F154",
        entry.span("score"),
        where,
        entry.row.score.strip(),
        score.text(),
        {"detail": detail},
        indicator.path,
    )


def _classified(printed: Number, indicator: IndicatorResult, entry: Entry, base: Discrepancy) -> Discrepancy:
    score, weight = indicator.score, indicator.weight.value
    assert score is not None
    formula = indicator.formula_score.value if indicator.formula_score is not None else None
    if printed.value < 0 or printed.value > weight:  # no rounding nor reason gives it (-1.00, 12 of 10)
        shown = format_exact(weight)
        outside = (f"得分不在 0 到分值 {shown} 之间", f"a score outside 0 to the weight {shown}")
        return _as(base, "F154", detail=outside)
    if indicator.met is False and printed.value == weight and score.value < weight:
        return _as(base, "F153")
    found = ways(formula, printed) if formula is not None else []
    if found and formula is not None:
        rule = indicator.plan.stage.rounder if indicator.plan is not None else None
        return _as(base, "F150", **rounding_args(formula, printed, found[0], rule))
    if indicator.met is True and printed.value < score.value:
        return _as(base, "F152" if entry.row.note.strip() else "F151", note=entry.row.note.strip())
    return _as(base, "F154", detail=formula_detail(formula))


def formula_detail(formula: Fraction | None) -> tuple[str, str]:
    if formula is None:  # no unrounded value (a zero budget given full marks by 零预算 满分)
        return ("按规则", "by the rules")
    return (f"公式得分 {exact_text(formula)}", f"formula score {exact_text(formula)}")


def _as(base: Discrepancy, code: str, **args: object) -> Discrepancy:
    return Discrepancy(
        code, base.span, base.where, base.printed, base.recomputed, {**base.args, **args}, base.indicator
    )


def _findings(entry: Entry, indicator: IndicatorResult, explained: bool) -> Iterator[Discrepancy]:
    """Engine findings the audit reports: a missing explanation (unless the score is already in
    question on this row), a comparison sign copied into the actual value, an over-achievement (超额)."""
    codes = {f.code for f in indicator.findings}
    if "F101" in codes and not explained:
        yield Discrepancy("F163", entry.span("note"), indicator.path, indicator=indicator.path)
    if "F128" in codes:
        yield Discrepancy("F161", entry.span("actual"), indicator.path, entry.row.actual)
    for finding in (f for f in indicator.findings if f.code == "F102"):  # 超额: what score flags for review
        yield Discrepancy(
            "F176", entry.span("actual"), indicator.path, entry.row.actual, args=dict(finding.args)
        )


# -- 单项得分 beside 折算得分, and 得分 cells merged over several rows ----------------------------
def _item(context: Context, entry: Entry, indicator: IndicatorResult, scored: bool) -> Iterator[Discrepancy]:
    """A row's printed 单项得分 (out of 100): its 折算得分 must be 单项得分 × 分值% (F185, whatever the
    rules), and where the rules declare 表列 单项得分 it must be theirs (F186; F150 for a rounding) —
    unless the row's 折算得分 is said already (`scored`) and the 单项得分 only follows from it."""
    cell = context.scores.items.get(entry.line)
    item = printed_score(cell.text) if cell is not None else None
    if cell is None:
        return
    where = indicator.path
    if item is None:  # not a number, or a percentage
        detail = percent_score(cell.text, Fraction(100)) or unreadable(cell.text)
        yield Discrepancy(
            "F159", cell.span, where, cell.text, args={"what": ("单项得分", "item score"), "detail": detail}
        )
        return
    weight, score = printed_number(entry.row.weight), printed_score(entry.row.score)
    if weight is not None and score is not None:
        product = item.value * points(weight, context.total) / 100
        if abs(product - score.value) > context.tolerance and not ways(product, score):
            args: dict[str, object] = {"item": item.text(), "weight": _points_text(weight, context.total)}
            args["product"] = exact_text(product)
            yield Discrepancy(
                "F185", entry.span("score"), where, score.text(), exact_text(product), args, where
            )
            return
    rule = indicator.item_score
    if scored or rule is None or indicator.score is None or abs(item.value - rule.value) <= context.tolerance:
        return
    exact = _unrounded_item(indicator)
    found = ways(exact, item) if exact is not None else []
    if found and exact is not None:
        rounder = indicator.plan.stage.rounder if indicator.plan is not None else None
        args = rounding_args(exact, item, found[0], rounder)
        yield Discrepancy("F150", cell.span, where, item.text(), rule.text(), args, where)
        return
    detail = formula_detail(exact)
    yield Discrepancy("F186", cell.span, where, item.text(), rule.text(), {"detail": detail}, where)


def _unrounded_item(indicator: IndicatorResult) -> Fraction | None:
    """The item score before its rounding: the formula score out of the weight, as a share of 100."""
    formula, weight = indicator.formula_score, indicator.weight.value
    if formula is None or indicator.adjusted or weight <= 0:
        return None
    return min(max(formula.value, Fraction(0)), weight) * 100 / weight


Members = list[tuple[IndicatorResult, Entry]]


def merged_groups(context: Context, rows: dict[str, Entry]) -> dict[tuple[int, int], Members]:
    """The rows whose 得分 cell is one merged cell over several rows, by the cell's rows: two or more
    scored rows each (a merged cell over one scored row and blank rows is that row's own)."""
    merged = context.scores.merged
    if not merged:
        return {}
    groups: dict[tuple[int, int], Members] = {}
    for indicator in context.result.indicators:
        entry = rows.get(indicator.path)
        if entry is None or indicator.breakdown_of is not None or indicator.subtotal:
            continue
        if entry.line in merged and entry.line not in context.set_aside:
            groups.setdefault(merged[entry.line], []).append((indicator, entry))
    return {cells: members for cells, members in groups.items() if len(members) > 1}


def group_sum(members: Members) -> Fraction | None:
    """The rules' scores of a group's rows added up; None if one has none (不适用, unknown)."""
    scores = [indicator.score for indicator, _ in members]
    if any(s is None for s in scores):
        return None
    return sum((s.value for s in scores if s is not None), Fraction(0))


def _merged(context: Context, members: Members) -> Iterator[Discrepancy]:
    """A 得分 cell merged over several rows: one score for the group, said once at the merged cell —
    F188 when it is the sum of the rules' scores of its rows, else F154 (which says the cell is merged)."""
    first, entry = members[0]
    text = entry.row.score.strip()
    span, where = entry.span("score"), first.path
    lines = context.scores.merged[entry.line]
    args: dict[str, object] = {"count": len(members), "first": lines[0], "last": lines[1]}
    expected = group_sum(members)
    shown = (
        Figure(expected, first.score.digits if first.score is not None else None).text()
        if expected is not None
        else "—"
    )
    printed = printed_score(text)
    if printed is None:
        percent = percent_score(text, None)
        detail = percent or unreadable(text)
        yield Discrepancy("F159", span, where, text, args={"what": ("得分", "score"), "detail": detail})
        return
    if expected is not None and any(e.line in context.skipped for _, e in members):
        expected = None
    if expected is None or abs(printed.value - expected) <= context.tolerance:
        yield Discrepancy("F188", span, where, text, shown, args, where)
        return
    detail = (
        f"得分格合并了第{lines[0]}–{lines[1]}行，表中 {text} 是这 {len(members)} 行共同的得分，"
        "按规则为各行得分之和",
        f"the score cell is merged over rows {lines[0]}–{lines[1]}: {text} is the score of its "
        f"{len(members)} rows, and the rules give the sum of their scores",
    )
    yield Discrepancy("F154", span, where, text, shown, {"detail": detail}, where)
