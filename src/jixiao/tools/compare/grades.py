"""Grades compared by meaning: the grade each possible total gets.

A total is graded by the first band it falls in (`engine.evaluate.totals.grade_of`), and totals lie in
[0, 总分]. Two 等级 blocks mean the same when they cut that range into the same intervals with the same
grade names, however written: `优 [90,100]; 良 [80,90) …` and `优 ≥90; 良 ≥80 …; 差 其余` are one
meaning, `良 ≥80` and `良 >80` are not (they grade a total of exactly 80 differently). Exact: the cut
points are the bounds as written (Fractions), each tested at the point and between points.
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.engine.methods import numeric_met
from jixiao.language import nodes as n
from jixiao.language.quantity import RangeTarget

# one interval of totals with one grade: low, low included, high, high included, the grade (None: none)
Piece = tuple[Fraction, bool, Fraction, bool, str | None]


def same_grades(old: n.Grades | None, new: n.Grades | None, top: Fraction) -> bool:
    """Whether two 等级 blocks give every total in [0, top] the same grade (no block: no grades)."""
    if old is None or new is None:
        return old is new
    return partition(old, top) == partition(new, top)


def partition(grades: n.Grades, top: Fraction) -> tuple[Piece, ...]:
    """[0, top] cut into the fewest intervals of one grade each, in order: equal meanings, equal tuples."""
    points = sorted({Fraction(0), top} | {b for g in grades.grades for b in bounds(g) if 0 < b < top})
    pieces: list[Piece] = []
    for low, high in zip(points, [*points[1:], None], strict=True):
        _extend(pieces, (low, True, low, True, grade_at(grades, low)))
        if high is not None:
            _extend(pieces, (low, False, high, False, grade_at(grades, (low + high) / 2)))
    return tuple(pieces)


def _extend(pieces: list[Piece], piece: Piece) -> None:
    """Add the next piece of the range, merged into the last when it has the same grade."""
    if pieces and pieces[-1][4] == piece[4]:
        low, low_closed = pieces[-1][0], pieces[-1][1]
        pieces[-1] = (low, low_closed, piece[2], piece[3], piece[4])
    else:
        pieces.append(piece)


def grade_at(grades: n.Grades, total: Fraction) -> str | None:
    """The grade of a total: the first band it falls in (其余 takes any), as scoring gives it."""
    for grade in grades.grades:
        if grade.condition is None or numeric_met(grade.condition, total):
            return grade.name
    return None


def bounds(grade: n.Grade) -> tuple[Fraction, ...]:
    """The numbers a band's condition compares a total with."""
    condition = grade.condition
    if condition is None:
        return ()
    if isinstance(condition, RangeTarget):
        return (condition.low.base, condition.high.base)
    return (condition.quantity.base,)
