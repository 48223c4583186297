"""Did-you-mean suggestions within a bounded amount of work.

`difflib.get_close_matches` compares a word with every candidate; 4 000 unknown rows against 4 000
indicators is 16 million comparisons (over a minute). A `Suggester` spends at most
MAX_SUGGESTION_WORK comparisons in one run; past that, problems are still reported, only without a
suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path

from jixiao.limits import MAX_POLICY_CANDIDATES, MAX_SUGGESTION_WORK


class Suggester:
    """The closest candidate for a word, while the run's budget of comparisons lasts."""

    def __init__(self, budget: int = MAX_SUGGESTION_WORK) -> None:
        self.left = budget

    def closest(self, word: str, candidates: Sequence[str], cutoff: float) -> str | None:
        if len(candidates) > self.left:
            self.left = 0
            return None
        self.left -= len(candidates)
        close = get_close_matches(word, candidates, n=1, cutoff=cutoff)
        return close[0] if close else None


def nearby_file(path: Path) -> str | None:
    """The closest file name in the same folder (did-you-mean for a path that does not exist), as the
    path was written with the name replaced ("d1/olx.jx" → "d1/old.jx")."""
    folder = path.parent
    try:
        if not folder.is_dir():
            return None
        entries = [p for _, p in zip(range(MAX_POLICY_CANDIDATES), folder.iterdir(), strict=False)]
        names = [p.name for p in entries if p.is_file()]
    except (OSError, ValueError):
        return None
    close = get_close_matches(path.name, names, n=1, cutoff=0.6) or get_close_matches(
        path.name.lower(), names, n=1, cutoff=0.6
    )
    return (folder / close[0]).as_posix() if close else None
