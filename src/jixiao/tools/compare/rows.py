"""What a row of the table is and how it reads, beyond its target, weight and method: 方向, 显示舍入,
其中 and 小计 rows, 分项合计, 单位说明, and the goal block (绩效目标) it is under.

A rule a row inherits (a 方向 statement, a display rounding of the ruleset) is reported where it is
written, once; a row reports it only when the row itself declares its own on either side.
"""

from __future__ import annotations

from jixiao.engine.compiler import direction_rule
from jixiao.engine.resolve import Rules
from jixiao.language import nodes as n
from jixiao.language.quantity import NumericTarget
from jixiao.language.vocabulary import KIND_LABELS
from jixiao.tools.compare.keys import same_rounding
from jixiao.tools.compare.show import NO_DISPLAY, Add, Show, Sides

FROM_STATEMENT = ("{kind}（沿用「方向」语句）", "{kind} (from a direction statement)")
UNDECLARED = ("{kind}（未声明）", "{kind} (none declared)")
ROW_KINDS = {
    "scored": ("计分指标", "scored indicator"),
    "breakdown": ("其中行（属于 {parent}）", "breakdown row (under {parent})"),
    "subtotal": ("小计行", "subtotal row"),
}


def reading(indicator: n.Indicator, rules: Rules) -> str | None:
    """How an unsigned numeric target reads (higher, lower, equal); None for any other target."""
    target = indicator.target
    if not isinstance(target, NumericTarget) or not target.implicit:
        return None
    return indicator.direction or direction_rule(indicator, target, rules) or "higher"


def direction_text(indicator: n.Indicator, rules: Rules, show: Show) -> str | None:
    """The row's own 方向, else the reading in force and where it comes from."""
    if indicator.direction is not None:
        return f"{show.kw('direction')} {show.pick(KIND_LABELS[indicator.direction])}"
    kind = reading(indicator, rules)
    if kind is None:
        return None
    target = indicator.target
    assert isinstance(target, NumericTarget)
    how = FROM_STATEMENT if direction_rule(indicator, target, rules) else UNDECLARED
    return show.pick(how).format(kind=show.pick(KIND_LABELS[kind]))


def indicator_display(indicator: n.Indicator, rules: Rules) -> n.Rounding | None:
    """How a row's score is shown: its own display rounding, else the ruleset's for indicators."""
    return indicator.display_rounding or rules.display_for("indicator")


def display_term(old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, add: Add) -> None:
    if old.display_rounding is None and new.display_rounding is None:
        return
    before, after = indicator_display(old, sides.old.rules), indicator_display(new, sides.new.rules)
    if not same_rounding(before, after):
        texts = (
            show.inherited(before, sides.old.path, NO_DISPLAY),
            show.inherited(after, sides.new.path, NO_DISPLAY),
        )
        add("display", *texts)


def row_kind(indicator: n.Indicator, parent: str | None = None) -> tuple[str, str | None]:
    """("scored" | "breakdown" | "subtotal", the parent a breakdown row belongs to)."""
    if indicator.breakdown_of is not None:
        return "breakdown", parent or indicator.breakdown_of
    return ("subtotal" if indicator.subtotal else "scored"), None


def row_kind_text(indicator: n.Indicator, show: Show) -> str:
    kind, parent = row_kind(indicator)
    return show.pick(ROW_KINDS[kind]).format(parent=parent)


def role_terms(old: n.Indicator, new: n.Indicator, renamed: dict[str, str], show: Show, add: Add) -> None:
    """其中/小计 (a breakdown row's parent followed through its rename), 分项合计, 单位说明, 绩效目标."""
    parent = renamed.get(old.breakdown_of or "", old.breakdown_of)
    if row_kind(old, parent) != row_kind(new):
        add("row_kind", row_kind_text(old, show), row_kind_text(new, show))
    if old.sum_check != new.sum_check:
        add("sum_check", *(show.kw("sum_check") if i.sum_check else None for i in (old, new)))
    if old.unit_note != new.unit_note:
        add("unit_note", old.unit_note, new.unit_note)
    if old.goal != new.goal:
        add("goal", old.goal, new.goal)
