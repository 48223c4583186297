"""What a thing means, as a comparable key: two texts with the same key say the same thing.

Spans, keyword language and spelling (≥ or >=, 否则 or else, 比例 or ratio)
do not enter a key; values do.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable

from jixiao.engine.compiler import directed
from jixiao.engine.resolve import Rules
from jixiao.language import nodes as n
from jixiao.language.quantity import DeadlineTarget, NumericTarget, PartialDate, RangeTarget, Target
from jixiao.language.vocabulary import METHOD_PARAMS, name_key


def condition_key(target: Target | None) -> Hashable:
    if target is None:
        return None
    if isinstance(target, NumericTarget):
        q = target.quantity
        return ("num", target.comparator, target.implicit, q.base, q.dimension)
    if isinstance(target, RangeTarget):
        low, high = target.low, target.high
        return ("range", low.base, high.base, low.dimension, target.low_inclusive, target.high_inclusive)
    if isinstance(target, DeadlineTarget):
        return ("date", target.date)
    return ("word", target.text())


def target_key(indicator: n.Indicator) -> Hashable:
    if indicator.target is None:
        return ("text", indicator.target_text)
    return condition_key(indicator.target)


def reading_key(indicator: n.Indicator, rules: Rules) -> Hashable:
    """What a target asks for once its 方向 is applied: `5%` read as a ceiling is `≤5%`."""
    target = directed(indicator, rules)
    if isinstance(target, NumericTarget):
        return ("num", target.comparator, target.quantity.base, target.quantity.dimension)
    return target_key(indicator)


MONTH_END = 99  # a month's last day, however many days the month has: sorts after every other day
DEFAULT_YEAR = 2000  # the year scoring reads a date without a year in, when the project has no 年度


def deadline_order(
    old: DeadlineTarget, old_year: int | None, new: DeadlineTarget, new_year: int | None
) -> int | None:
    """How the new deadline stands to the old, read as scoring reads them (a date without a year is in
    the project's 年度; a month is its last day, so 12月底前, 年底前 and 12月31日前 are one date):
    -1 earlier, 0 the same, 1 later; None when that depends on a 年度 a side does not declare
    (2023年3月底前 against 6月底前 of a project without 年度).

    When both sides declare a 年度, a deadline is compared within its year: 12月底前 of 2023 and of 2024 are
    the same target (the 年度 change is reported once, as such)."""
    a, b = old.date, new.date
    if old_year is not None and new_year is not None:
        return _order(_position(a, old_year, old_year), _position(b, new_year, new_year))
    a_year = a.year if a.year is not None else old_year
    b_year = b.year if b.year is not None else new_year
    if a_year is not None and b_year is not None:
        return _order(_position(a, a_year, 0), _position(b, b_year, 0))
    if a.year is None and b.year is None:  # both in the same unknown year: as written, as scoring does
        year = next((y for y in (old_year, new_year) if y is not None), DEFAULT_YEAR)
        return _order(_position(a, year, year), _position(b, year, year))
    return None


def _position(date: PartialDate, year: int, base: int) -> tuple[int, int, int]:
    """(year − base, month, day) of a deadline's last day, its month's last day as `MONTH_END`."""
    resolved = date.year if date.year is not None else year
    last = calendar.monthrange(resolved, date.month)[1]
    day = MONTH_END if date.day is None or date.day == last else date.day
    return (resolved - base, date.month, day)


def _order(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return (b > a) - (b < a)


def method_key(method: n.Method | None) -> Hashable:
    if method is None:
        return None
    params = METHOD_PARAMS.get(method.id, {})
    args = tuple((params.get(a.name, a.name) if a.name else None, a.value) for a in method.args)
    bands = tuple((condition_key(b.condition), b.result) for b in method.bands)
    return (method.id or method.written, args, bands)


def over_key(over: n.Over | None) -> Hashable:
    return None if over is None else (over.threshold, over.inclusive, over.deduct)


def rounding_key(rounding: n.Rounding | None) -> Hashable:
    """What a rounding does; not declaring one keeps values exact, as 不舍入 does."""
    if rounding is None or rounding.mode is None:
        return None
    return (rounding.mode, rounding.digits)


def same_rounding(a: n.Rounding | None, b: n.Rounding | None) -> bool:
    return rounding_key(a) == rounding_key(b)


def scale_key(scale: n.Scale | None) -> Hashable:
    if scale is None:
        return None
    return (scale.generic, levels_key(scale.levels))


def levels_key(levels: tuple[n.ScaleLevel, ...]) -> Hashable:
    return tuple((lv.words, lv.low, lv.high, lv.low_inclusive, lv.high_inclusive, lv.point) for lv in levels)


def direction_key(scope_and_unit: tuple[str, str]) -> str:
    """The key of a 方向 statement in a change ("direction:成本指标 元"), from `Rules.directions`' key."""
    scope, unit = scope_and_unit
    return f"direction:{scope} {unit}" if unit else f"direction:{scope}"


def statement_direction_key(statement: n.Direction) -> str:
    return direction_key((name_key(statement.scope), name_key(statement.unit or "")))
