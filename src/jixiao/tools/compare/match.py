"""Match the indicators of two rulesets: by path, then renames and moves among the rest.

A rename stays under the same 一级/二级 and keeps its target and weight, or
has a close name (difflib ratio ≥ 0.6). A move keeps its name under another
level, or keeps target, weight and a close name. Best candidates first.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from jixiao.language import nodes as n
from jixiao.tools.compare.keys import target_key

CLOSE = 0.6


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
    for o, nw in _best_first(left_old, left_new):
        if id(nw) not in paired and all(o is not p for p in paired.values()):
            paired[id(nw)] = o
    used = {id(o) for o in paired.values()}
    pairs = [Pair(paired.get(id(i)), i) for i in new]
    return pairs + [Pair(i, None) for i in old if id(i) not in used]


def _best_first(old: list[n.Indicator], new: list[n.Indicator]) -> list[tuple[n.Indicator, n.Indicator]]:
    scored = [
        (s, index, o, nw) for index, (o, nw) in enumerate(_all_pairs(old, new)) if (s := similarity(o, nw))
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(o, nw) for _, _, o, nw in scored]


def _all_pairs(old: list[n.Indicator], new: list[n.Indicator]) -> list[tuple[n.Indicator, n.Indicator]]:
    return [(o, nw) for o in old for nw in new]


def similarity(old: n.Indicator, new: n.Indicator) -> float:
    """How strongly two unmatched indicators look like one (0: not a candidate)."""
    same_level = (old.level1, old.level2) == (new.level1, new.level2)
    same_terms = target_key(old) == target_key(new) and old.weight == new.weight
    ratio = SequenceMatcher(None, old.name, new.name).ratio()
    if old.name == new.name:
        return 4.0 + (1.0 if same_terms else 0.0)
    if same_level and (same_terms or ratio >= CLOSE):
        return 2.0 + ratio + (1.0 if same_terms else 0.0)
    if same_terms and ratio >= CLOSE:
        return ratio
    return 0.0
