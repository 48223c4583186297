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
from pathlib import Path

from jixiao.engine.resolve import load
from jixiao.io.actuals import ActualsSource
from jixiao.messages import Lang
from jixiao.tools.compare.match import Pair, match
from jixiao.tools.compare.model import Change, Impact, ImpactRow, Report
from jixiao.tools.compare.names import Names
from jixiao.tools.compare.pair import compare_rulesets
from jixiao.tools.compare.projects import PLAIN_READING, Reading
from jixiao.tools.compare.render import render_html, render_markdown, render_report, render_table, to_json

__all__ = [
    "Change",
    "Impact",
    "ImpactRow",
    "Names",
    "Pair",
    "Reading",
    "Report",
    "compare",
    "compare_rulesets",
    "match",
    "render_html",
    "render_markdown",
    "render_report",
    "render_table",
    "to_json",
]


def compare(
    old: str | Path,
    new: str | Path,
    actuals: Sequence[ActualsSource] = (),
    lang: Lang = "zh",
    reading: Reading = PLAIN_READING,
) -> Report:
    """Load, resolve and compare two ruleset files; score each set of actual values under both.

    `reading` gives more roots for 采用 and how the actual values are read."""
    old_ruleset, new_ruleset = load(old, reading.roots), load(new, reading.roots)
    return compare_rulesets(old_ruleset, new_ruleset, [reading.actuals(a) for a in actuals], lang)
