"""Two resolved rulesets compared: the changes of meaning and, per actual-value file, the impact on scores."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.resolve import Ruleset
from jixiao.messages import Lang
from jixiao.tools.compare.budget import scores
from jixiao.tools.compare.changes import Show, Sides, indicator_changes, ruleset_changes
from jixiao.tools.compare.impact import impact
from jixiao.tools.compare.match import Pair, match
from jixiao.tools.compare.model import Change, Report
from jixiao.tools.compare.names import PLAIN, Names


def changes_between(old: Ruleset, new: Ruleset, pairs: list[Pair], show: Show) -> list[Change]:
    return ruleset_changes(old, new, show) + indicator_changes(pairs, show, Sides(old, new))


def compare_rulesets(
    old: Ruleset,
    new: Ruleset,
    actuals: Sequence[ActualsFile] = (),
    lang: Lang = "zh",
    names: Names = PLAIN,
) -> Report:
    """The changes between two resolved rulesets and, per actual-value file, the impact on scores."""
    pairs = match(old.indicators, new.indicators)
    changes = changes_between(old, new, pairs, Show(lang, names))
    impacts = [impact(old, new, pairs, a, names.file(a.path), lang, names) for a in actuals]
    return Report(
        old=names.file(old.path), new=names.file(new.path), same=not changes, changes=changes, impacts=impacts
    )


def total_weight(ruleset: Ruleset) -> Fraction | None:
    """The weights of the indicators and of the budget block when it scores and counts, added up (None for
    a policy): 预算执行 不评分 adds nothing, as 分值 0 does."""
    if ruleset.document.kind != "project":
        return None
    budget = ruleset.rules.budget
    counted = (
        budget.weight if budget.weight is not None and scores(budget) and budget.counted else Fraction(0)
    )
    return sum((i.weight for i in ruleset.indicators if i.weight is not None), counted)
