"""Pairing the indicators of two rulesets (renames and moves) without comparing every two.

`match` pairs the best candidates first among all pairs of unmatched indicators. It used to score every
pair (1,500 renames: 2.25 million name comparisons, a minute and 350 MB); it now looks for each tier of
candidates only within the groups that can hold them and gives the same pairs (checked against the
all-pairs reference below), and a group too large for all its pairs compares each new indicator with the
old ones near its place: the comparisons grow linearly. Counted, never timed.
"""

from __future__ import annotations

import importlib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.language import nodes as n

match_module = importlib.import_module(
    "jixiao.tools.compare.match"
)  # the package exports `match`, a function


def reference(old: list[n.Indicator], new: list[n.Indicator]) -> list[tuple[int, int]]:
    """The pairing by definition: every pair scored, best first (ties: old place, new place), greedily."""
    scored = [
        (s, i, j)
        for i, o in enumerate(old)
        for j, nw in enumerate(new)
        if (s := match_module.similarity(o, nw))
    ]
    scored.sort(key=lambda c: (-c[0], c[1], c[2]))
    chosen: list[tuple[int, int]] = []
    for _, i, j in scored:
        if all(i != a and j != b for a, b in chosen):
            chosen.append((i, j))
    return sorted(chosen)


def found(old: list[n.Indicator], new: list[n.Indicator]) -> list[tuple[int, int]]:
    places_old = {id(o): i for i, o in enumerate(old)}
    places_new = {id(nw): j for j, nw in enumerate(new)}
    return sorted((places_old[id(o)], places_new[id(nw)]) for o, nw in match_module.renames(old, new))


indicators = st.builds(
    n.Indicator,
    st.sampled_from(["产出指标", "效益指标"]),
    st.sampled_from(["数量指标", "质量指标"]),
    st.text("甲乙丙人数率满意度", min_size=1, max_size=6),
    target_text=st.sampled_from(["≥1", "≥2", "好"]),
    weight=st.sampled_from([Fraction(1), Fraction(5)]),
)


@settings(max_examples=300)
@given(st.lists(indicators, max_size=14), st.lists(indicators, max_size=14))
def test_the_tiers_pair_as_comparing_every_two_does(old: list[n.Indicator], new: list[n.Indicator]) -> None:
    assert found(old, new) == reference(old, new)


def test_a_move_a_rename_and_a_new_weight_pair_as_before() -> None:
    old = [
        n.Indicator("产出指标", "数量指标", name, target_text="≥1", weight=Fraction(1)) for name in "甲乙丙丁"
    ]
    new = [
        n.Indicator("效益指标", "数量指标", "甲", target_text="≥1", weight=Fraction(1)),  # moved
        n.Indicator("产出指标", "数量指标", "乙人", target_text="≥1", weight=Fraction(1)),  # renamed
        n.Indicator("产出指标", "数量指标", "戊", target_text="≥2", weight=Fraction(1)),  # added
        n.Indicator(
            "产出指标", "数量指标", "丙", target_text="≥1", weight=Fraction(5)
        ),  # same name, new weight
    ]
    assert found(old, new) == reference(old, new) == [(0, 0), (1, 1), (2, 3)]  # 丁 removed, 戊 added


def generated(count: int, same_terms: bool) -> tuple[list[n.Indicator], list[n.Indicator]]:
    """`count` indicators of one 二级指标, every one renamed (甲…号 → 乙…号) in its place, the targets
    kept all alike (one group of candidates) or all changed (candidates only by their close names)."""

    def side(prefix: str, target: int) -> list[n.Indicator]:
        return [
            n.Indicator(
                "产出指标",
                "数量指标",
                f"{prefix}指标{k:05d}号",
                target_text=f"≥{1 if same_terms else target + k}人",
                weight=Fraction(1),
            )
            for k in range(count)
        ]

    return side("甲", 1), side("乙", 100_000)


@pytest.mark.parametrize("same_terms", [True, False])
def test_a_large_rename_pairs_each_in_its_place_with_comparisons_linear_in_the_count(
    same_terms: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = match_module.similarity
    counts = []
    for count in (1000, 2000):
        calls = 0

        def counted(old: n.Indicator, new: n.Indicator) -> float:
            nonlocal calls
            calls += 1
            return original(old, new)

        monkeypatch.setattr(match_module, "similarity", counted)
        old, new = generated(count, same_terms)
        pairs = match_module.match(tuple(old), tuple(new))
        assert [(p.old.name if p.old else None, p.new.name if p.new else None) for p in pairs] == [
            (o.name, nw.name) for o, nw in zip(old, new, strict=True)
        ]
        counts.append(calls)
        monkeypatch.undo()
    per_indicator = 2 * match_module.WINDOW * match_module.PASSES
    assert counts[0] <= per_indicator * 1000  # every pair would be a million
    assert counts[1] <= 2.2 * counts[0]  # twice the indicators, about twice the comparisons
