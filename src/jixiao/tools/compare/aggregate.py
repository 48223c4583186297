"""What a rule change does across projects: grade transitions, the spread of deltas, who moves most, why.

All arithmetic is exact; figures are shown at the places the totals show.
Deltas fall into half-open buckets: ≤ -5, (-5, -1], (-1, 0), 0, (0, 1), [1, 5), ≥ 5.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from fractions import Fraction

from jixiao.engine.results import Figure
from jixiao.tools.compare.impact import places, signed
from jixiao.tools.compare.reports import Aggregates, Bucket, Contribution, Mover, Transition
from jixiao.tools.compare.scores import Scoring

MOVERS = 5
NO_GRADE = "—"
BUCKETS: tuple[tuple[str, Callable[[Fraction], bool]], ...] = (
    ("≤ -5", lambda d: d <= -5),
    ("(-5, -1]", lambda d: -5 < d <= -1),
    ("(-1, 0)", lambda d: -1 < d < 0),
    ("0", lambda d: d == 0),
    ("(0, 1)", lambda d: 0 < d < 1),
    ("[1, 5)", lambda d: 1 <= d < 5),
    ("≥ 5", lambda d: d >= 5),
)


def aggregate(scorings: list[Scoring]) -> Aggregates:
    both = [s for s in scorings if s.old is not None and s.new is not None]
    totals = [r.total for s in both for r in (s.old, s.new) if r is not None]
    digits = places(*totals) if totals else 0
    deltas = [_delta(s) for s in both]
    exact: dict[str, str] = {}
    explained = sum((share.delta for s in both for share in s.shares if share.delta is not None), Fraction(0))
    return Aggregates(
        scored=len(both),
        unscored=len(scorings) - len(both),
        moved_grade=sum(_grade(s, "old") != _grade(s, "new") for s in both),
        transitions=_transitions(both),
        distribution=[Bucket(label=name, count=sum(test(d) for d in deltas)) for name, test in BUCKETS],
        mean=_show(sum(deltas, Fraction(0)) / len(deltas), digits, "mean", exact) if deltas else None,
        median=_show(_median(deltas), digits, "median", exact) if deltas else None,
        movers=_movers(both),
        contributions=_contributions(both, digits),
        interaction=_show(sum(deltas, Fraction(0)) - explained, digits, "interaction", exact),
        exact=exact,
    )


def _delta(s: Scoring) -> Fraction:
    assert s.old is not None and s.new is not None
    return s.new.total.value - s.old.total.value


def _grade(s: Scoring, side: str) -> str:
    result = s.old if side == "old" else s.new
    return (result.grade if result is not None else None) or NO_GRADE


def _transitions(both: list[Scoring]) -> list[Transition]:
    counts = Counter((_grade(s, "old"), _grade(s, "new")) for s in both)
    return [
        Transition(old=a, new=b, count=c)
        for (a, b), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _median(values: list[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _show(value: Fraction, digits: int, field: str, exact: dict[str, str]) -> str:
    return signed(Figure(value, digits), Figure(Fraction(0), digits), field, exact)


def _movers(both: list[Scoring]) -> list[Mover]:
    moving = [s for s in both if _delta(s) != 0]
    moving.sort(key=lambda s: (-abs(_delta(s)), s.project))
    return [
        Mover(
            project=s.project,
            actuals=s.score.actuals,
            old_total=s.score.old_total or "",
            new_total=s.score.new_total or "",
            delta=s.score.delta or "",
            old_grade=s.score.old_grade,
            new_grade=s.score.new_grade,
        )
        for s in moving[:MOVERS]
    ]


def _contributions(both: list[Scoring], digits: int) -> list[Contribution]:
    """Shares of the same change (same description) added up across projects, largest first; a change
    counts the projects whose total or grade it moves alone (new grade bands move grades only)."""
    sums: dict[str, Fraction] = {}
    moved: Counter[str] = Counter()
    graded: Counter[str] = Counter()
    for s in both:
        for share, line in zip(s.shares, s.score.attribution, strict=True):
            if share.delta is None:
                continue
            sums[line.change] = sums.get(line.change, Fraction(0)) + share.delta
            moved[line.change] += share.delta != 0 or share.grade is not None
            graded[line.change] += share.grade is not None
    ordered = sorted(sums, key=lambda change: (-abs(sums[change]), -graded[change], change))
    out = []
    for change in ordered:
        exact: dict[str, str] = {}
        total = _show(sums[change], digits, "total", exact)
        counts = {"projects": moved[change], "moved_grade": graded[change]}
        out.append(Contribution(change=change, **counts, total=total, exact=exact))
    return out
