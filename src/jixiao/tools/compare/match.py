"""Match the indicators of two rulesets: by path, then renames and moves among the rest.

A rename stays under the same 一级/二级 and keeps its target and weight, or
has a close name (difflib ratio ≥ 0.6). A move keeps its name under another
level, or keeps target, weight and a close name. Best candidates first; of
equal ones, the earlier old indicator, then the earlier new one.

Every candidate of one tier is better than any of the next — the same name; the same level with the
same target and weight; the same level (a close name); the same target and weight (a close name) — so
the tiers are paired one after another, each among the indicators still unpaired and only within the
groups that can hold its candidates (indicators of one name, of one level …): the same pairs as comparing
every two, without comparing every two. A group with more than LIMIT pairs compares each new indicator
only with the WINDOW old ones of the group either side of its place in the old ruleset (in up to PASSES
rounds), so the work grows linearly with the number of indicators (docs/performance.md).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import product

from jixiao.language import nodes as n
from jixiao.tools.compare.keys import target_key

CLOSE = 0.6
LIMIT = 10_000  # pairs of a group compared all with all
WINDOW = 16  # in a larger group: old indicators each side of a new one's place compared with it
PASSES = 3  # rounds of a tier with a larger group, each among the indicators its last round left unpaired

Numbered = tuple[int, n.Indicator]  # an unmatched indicator and its place among them


@dataclass(frozen=True)
class Pair:
    """Two versions of one indicator; `old` None when added, `new` None when removed."""

    old: n.Indicator | None
    new: n.Indicator | None


def match(old: tuple[n.Indicator, ...], new: tuple[n.Indicator, ...]) -> list[Pair]:
    """Pairs in the new ruleset's order, then the removed indicators in the old order."""
    by_path: dict[str, list[n.Indicator]] = {}
    for indicator in old:
        by_path.setdefault(indicator.path, []).append(indicator)
    paired: dict[int, n.Indicator] = {}  # id(new indicator) -> old indicator
    for indicator in new:
        if by_path.get(indicator.path):
            paired[id(indicator)] = by_path[indicator.path].pop(0)
    taken = {id(o) for o in paired.values()}
    left_old = [i for i in old if id(i) not in taken]
    left_new = [i for i in new if id(i) not in paired]
    for o, nw in renames(left_old, left_new):
        paired[id(nw)] = o
    used = {id(o) for o in paired.values()}
    pairs = [Pair(paired.get(id(i)), i) for i in new]
    return pairs + [Pair(i, None) for i in old if id(i) not in used]


def _level(i: n.Indicator) -> Hashable:
    return (i.level1, i.level2)


def _terms(i: n.Indicator) -> Hashable:
    return (target_key(i), i.weight)


TIERS: tuple[Callable[[n.Indicator], Hashable], ...] = (
    lambda i: i.name,
    lambda i: (_level(i), _terms(i)),
    _level,
    _terms,
)


def renames(old: list[n.Indicator], new: list[n.Indicator]) -> list[tuple[n.Indicator, n.Indicator]]:
    """The unmatched indicators paired best first, tier by tier."""
    free_old, free_new = list(enumerate(old)), list(enumerate(new))
    found: list[tuple[n.Indicator, n.Indicator]] = []
    for key in TIERS:
        for _ in range(PASSES):  # again among the still unpaired while a large group was windowed
            candidates, windowed = _candidates(free_old, free_new, key, (len(old), len(new)))
            chosen = _greedy(candidates)
            found += [(old[i], new[j]) for i, j in chosen]
            taken_old, taken_new = {i for i, _ in chosen}, {j for _, j in chosen}
            free_old = [item for item in free_old if item[0] not in taken_old]
            free_new = [item for item in free_new if item[0] not in taken_new]
            if not (windowed and chosen):
                break
    return found


def _candidates(
    old: list[Numbered], new: list[Numbered], key: Callable[[n.Indicator], Hashable], sizes: tuple[int, int]
) -> tuple[list[tuple[float, int, int]], bool]:
    """(similarity, old place, new place) of the pairs of the groups `key` makes, similarity above 0;
    `sizes`: how many old and new indicators were unmatched (a large group's places line up by them).
    Also whether a group was too large to compare all its pairs."""
    groups: dict[Hashable, tuple[list[Numbered], list[Numbered]]] = {}
    for item in old:
        groups.setdefault(key(item[1]), ([], []))[0].append(item)
    for item in new:
        group = groups.get(key(item[1]))
        if group is not None:
            group[1].append(item)
    found = [
        (score, i, j)
        for olds, news in groups.values()
        for (i, o), (j, nw) in _within(olds, news, sizes)
        if (score := similarity(o, nw))
    ]
    return found, any(len(olds) * len(news) > LIMIT for olds, news in groups.values())


def _within(
    olds: list[Numbered], news: list[Numbered], sizes: tuple[int, int]
) -> list[tuple[Numbered, Numbered]]:
    """The pairs of a group compared: all of them, or (a large group) each new indicator with the old
    ones nearest the same place in the old ruleset (a new one two thirds down, two thirds down the old)."""
    if len(olds) * len(news) <= LIMIT:
        return list(product(olds, news))
    places = [i for i, _ in olds]
    out = []
    for item in news:
        middle = bisect_left(places, item[0] * sizes[0] // max(sizes[1], 1))
        out += [(o, item) for o in olds[max(0, middle - WINDOW) : middle + WINDOW]]
    return out


def _greedy(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Best first (ties: earlier old, then earlier new), each indicator in one pair at most."""
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    chosen = []
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            chosen.append((i, j))
    return chosen


def similarity(old: n.Indicator, new: n.Indicator) -> float:
    """How strongly two unmatched indicators look like one (0: not a candidate)."""
    same_level = (old.level1, old.level2) == (new.level1, new.level2)
    same_terms = target_key(old) == target_key(new) and old.weight == new.weight
    if old.name == new.name:
        return 4.0 + (1.0 if same_terms else 0.0)
    ratio = SequenceMatcher(None, old.name, new.name).ratio()
    if same_level and (same_terms or ratio >= CLOSE):
        return 2.0 + ratio + (1.0 if same_terms else 0.0)
    if same_terms and ratio >= CLOSE:
        return ratio
    return 0.0
