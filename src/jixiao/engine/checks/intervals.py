"""Conditions as exact intervals: the values a band or a grade holds, its holes and its overlaps.

A condition (`≥95%`, `[80,90)`, `=100`) holds the values of one interval. Its ends are cuts between
numbers: (0, v, 0) lies just below v, (0, v, 1) just above it, so `≥95%` starts at (0, 0.95, 0) and
`<95%` ends there too; (−1, 0, 0) and (1, 0, 0) are −∞ and +∞. Comparing cuts compares ends exactly,
open or closed: no value is probed, so `80-89` and `90-100` leave exactly the values between 89 and 90.
Used by the checks of grades (E403) and of method bands (W101, W107, W114).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from jixiao.language.quantity import Comparator, NumericTarget, RangeTarget

Cut = tuple[int, Fraction, int]
Interval = tuple[Cut, Cut]
LOWEST: Cut = (-1, Fraction(0), 0)
HIGHEST: Cut = (1, Fraction(0), 0)


def below(v: Fraction) -> Cut:
    return (0, v, 0)


def above(v: Fraction) -> Cut:
    return (0, v, 1)


def interval(target: NumericTarget | RangeTarget) -> Interval:
    """The values `target` holds, from one cut to another (empty when the start is not below the end)."""
    if isinstance(target, RangeTarget):
        low, high = target.low.base, target.high.base
        start = below(low) if target.low_inclusive else above(low)
        return start, above(high) if target.high_inclusive else below(high)
    v, c = target.quantity.base, target.comparator
    start = {Comparator.GE: below(v), Comparator.GT: above(v), Comparator.EQ: below(v)}.get(c, LOWEST)
    end = {Comparator.LE: above(v), Comparator.LT: below(v), Comparator.EQ: above(v)}.get(c, HIGHEST)
    return start, end


def holes(intervals: Sequence[Interval], domain: Interval) -> list[Interval]:
    """The parts of `domain` that none of `intervals` holds, in order (sorted once: n·log n)."""
    out: list[Interval] = []
    reached, end = domain
    for start, stop in sorted(intervals):
        if start > reached:
            hole = (reached, min(start, end))
            if hole[0] < hole[1]:
                out.append(hole)
        reached = max(reached, stop)
        if reached >= end:
            return out
    return [*out, (reached, end)] if reached < end else out


def shared(named: Sequence[tuple[str, Interval]]) -> list[tuple[Interval, str, str]]:
    """Values two of the intervals hold: each part shared with the one before it reaching furthest, and
    the two names (sorted once: n·log n)."""
    out: list[tuple[Interval, str, str]] = []
    furthest: tuple[Cut, str] | None = None
    for start, stop, name in sorted((i[0], i[1], name) for name, i in named if i[0] < i[1]):
        if furthest is not None and start < furthest[0]:
            out.append(((start, min(stop, furthest[0])), furthest[1], name))
        if furthest is None or stop > furthest[0]:
            furthest = (stop, name)
    return out


def describe(
    part: Interval, show: Callable[[Fraction], str], domain: Interval = (LOWEST, HIGHEST)
) -> tuple[str, str]:
    """The values of `part` in words, in Chinese and English: `89 到 90 之间` / `between 89 and 90`,
    `低于 60` / `below 60`, `高于 100%` / `above 100%`, `恰为 85` / `of exactly 85`; an end at an end of
    `domain` (the values there are, e.g. 0 to 总分 for a total) is said as `低于 …` or `高于 …`."""
    (low_rank, low, low_side), (high_rank, high, high_side) = part
    low_in, high_in = low_side == 0, high_side == 1
    if low_rank == 0 and high_rank == 0 and low == high:
        return f"恰为 {show(low)}", f"of exactly {show(low)}"
    from_floor, to_top = part[0] <= domain[0], part[1] >= domain[1]
    if from_floor and to_top:
        return "任何值", "any value"
    if from_floor:
        if high_in:
            return f"{show(high)} 及以下", f"up to {show(high)}"
        return f"低于 {show(high)}", f"below {show(high)}"
    if to_top:
        if low_in:
            return f"{show(low)} 及以上", f"from {show(low)} up"
        return f"高于 {show(low)}", f"above {show(low)}"
    if not low_in and not high_in:
        return f"{show(low)} 到 {show(high)} 之间", f"between {show(low)} and {show(high)}"
    zh = f"{show(low)}（{_side(low_in)}）到 {show(high)}（{_side(high_in)}）"
    en = f"from {show(low)} ({_side_en(low_in)}) to {show(high)} ({_side_en(high_in)})"
    return zh, en


def before_de(phrase: str) -> str:
    """`phrase` ready for 的: a space after a number (`低于 60 的总分`), none after a word (`之间的`)."""
    return phrase if phrase.endswith(("间", "值", "上", "下", "）")) else f"{phrase} "


def _side(inclusive: bool) -> str:
    return "含" if inclusive else "不含"


def _side_en(inclusive: bool) -> str:
    return "inclusive" if inclusive else "exclusive"
