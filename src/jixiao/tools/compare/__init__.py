"""`jixiao diff`: what changed in meaning between two rulesets, and what it does to scores.

Both rulesets are resolved first (policies applied), so a change inside a
policy shows up as the rules it changes; comments, layout and the language
of keywords are not changes.

    >>> from jixiao.tools.compare import compare
    >>> report = compare("rulesets/shangjie-pension/2020.jx", "rulesets/shangjie-pension/2020.jx")
    >>> report.same, report.changes
    (True, [])
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.engine.resolve import Ruleset, load
from jixiao.messages import Lang
from jixiao.tools.compare.changes import Show, indicator_changes, ruleset_changes
from jixiao.tools.compare.impact import impact
from jixiao.tools.compare.match import Pair, match
from jixiao.tools.compare.model import Change, Impact, ImpactRow, Report
from jixiao.tools.compare.render import render_markdown, render_table, to_json

__all__ = [
    "Change",
    "Impact",
    "ImpactRow",
    "Pair",
    "Report",
    "compare",
    "compare_rulesets",
    "match",
    "render_markdown",
    "render_table",
    "to_json",
]


def compare(old: str, new: str, actuals: Sequence[str] = (), lang: Lang = "zh") -> Report:
    """Load, resolve and compare two ruleset files; score each actual-value file under both."""
    return compare_rulesets(load(old), load(new), actuals, lang)


def compare_rulesets(old: Ruleset, new: Ruleset, actuals: Sequence[str] = (), lang: Lang = "zh") -> Report:
    pairs = match(old.indicators, new.indicators)
    show = Show(lang)
    changes = ruleset_changes(old, new, show) + indicator_changes(pairs, show)
    impacts = [impact(old, new, pairs, path, lang) for path in actuals]
    return Report(old=old.path, new=new.path, same=not changes, changes=changes, impacts=impacts)
