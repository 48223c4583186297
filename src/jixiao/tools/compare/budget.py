"""Changes of the budget block (预算执行): every item a ruleset can write, compared as it takes effect.

An item not written means its default (得分 = 分值 × 封顶(执行率, 100%), 执行率 = 全年执行数 ÷ 全年预算数,
预算行 年度资金总额, 零预算 报错), so writing the default out is no change; a weight written as a share
of 总分 (分值 10%) is compared as the points it makes; 不评分 and 分值 0 are the same (no budget score).
"""

from __future__ import annotations

from jixiao.engine.compiler import DEFAULT_BUDGET_SCORE, DEFAULT_RATE
from jixiao.engine.resolve import BudgetRules, Rules
from jixiao.language import nodes as n
from jixiao.language.vocabulary import DEFAULT_BUDGET_ROW, name_key
from jixiao.tools.compare.keys import same_rounding
from jixiao.tools.compare.show import NO_DISPLAY, Add, Show, Sides, delta, num

DEFAULT = ("{text}（缺省）", "{text} (default)")


def budget_rounding(rules: Rules) -> n.Rounding | None:
    """The rounding of the budget score: the budget block's own, else the ruleset's for the budget."""
    return rules.budget.rounding or rules.rounding_for("budget")


def budget_display(rules: Rules) -> n.Rounding | None:
    """How the budget score is shown: the budget block's own display rounding, else the ruleset's."""
    return rules.budget.display_rounding or rules.display_for("budget")


def budget_changes(sides: Sides, show: Show, add: Add) -> None:
    old, new = sides.old.rules.budget, sides.new.rules.budget
    _scoring(old, new, show, add)
    _figures(old, new, show, add)
    explain_term(old.explain, new.explain, show, add, "budget", "budget:explain")
    _roundings(sides, show, add)
    if old.source != new.source:
        add("budget", show.kw("source"), old.source, new.source, key="budget:source")


def scores(budget: BudgetRules) -> bool:
    """Whether the budget block gives a score: not 不评分 and a 分值 above 0 (as compiled)."""
    return budget.scored and (budget.weight or 0) > 0


def _scoring(old: BudgetRules, new: BudgetRules, show: Show, add: Add) -> None:
    """Whether and how the budget block scores: 分值, 得分 =, 计入总分, 不评分. When neither side scores
    (`预算执行 不评分` and `分值 0` mean the same), none of these can change anything."""
    if not scores(old) and not scores(new):
        return
    kw = show.kw
    if old.weight != new.weight:
        weights = (num(old.weight), num(new.weight))
        add("budget", kw("weight"), *weights, delta=delta(old.weight, new.weight), key="budget:weight")
    before, after = old.score or DEFAULT_BUDGET_SCORE, new.score or DEFAULT_BUDGET_SCORE
    if before != after:
        add(
            "budget",
            kw("score"),
            _or_default(old.score, show),
            _or_default(new.score, show),
            key="budget:score",
        )
    if old.counted != new.counted:
        add("budget", kw("counted"), show.yes_no(old.counted), show.yes_no(new.counted), key="budget:counted")
    if old.scored != new.scored:
        flags = (show.yes_no(not old.scored), show.yes_no(not new.scored))
        add("budget", kw("not_scored"), *flags, key="budget:scored")


def _figures(old: BudgetRules, new: BudgetRules, show: Show, add: Add) -> None:
    """Which figures make the rate: 执行率 =, 预算行, 零预算."""
    kw = show.kw
    if (old.rate or DEFAULT_RATE) != (new.rate or DEFAULT_RATE):
        rates = (_or_default(old.rate, show, DEFAULT_RATE), _or_default(new.rate, show, DEFAULT_RATE))
        add("budget", kw("rate"), *rates, key="budget:rate")
    if name_key(old.row or DEFAULT_BUDGET_ROW) != name_key(new.row or DEFAULT_BUDGET_ROW):
        add("budget", kw("budget_row"), _row(old, show), _row(new, show), key="budget:row")
    if old.zero != new.zero:
        add("budget", kw("zero_budget"), kw("zero_" + old.zero), kw("zero_" + new.zero), key="budget:zero")


def _roundings(sides: Sides, show: Show, add: Add) -> None:
    """The budget block's own rounding and display rounding, as in force (inherited ones with their place)."""
    old, new = sides.old.rules, sides.new.rules
    before, after = budget_rounding(old), budget_rounding(new)
    if (old.budget.rounding or new.budget.rounding) and not same_rounding(before, after):
        texts = (show.inherited(before, sides.old.path), show.inherited(after, sides.new.path))
        add("budget", show.kw("rounding"), *texts, key="budget:rounding")
    before, after = budget_display(old), budget_display(new)
    if (old.budget.display_rounding or new.budget.display_rounding) and not same_rounding(before, after):
        texts = (
            show.inherited(before, sides.old.path, NO_DISPLAY),
            show.inherited(after, sides.new.path, NO_DISPLAY),
        )
        section = f"{show.kw('rounding')} {show.kw('display')}"
        add("budget", section, *texts, key="budget:display_rounding")


def _or_default(e: n.Expr | None, show: Show, default: n.Expr = DEFAULT_BUDGET_SCORE) -> str | None:
    if e is not None:
        return show.expr(e)
    return show.pick(DEFAULT).format(text=show.expr(default))


def _row(budget: BudgetRules, show: Show) -> str:
    return budget.row if budget.row is not None else show.pick(DEFAULT).format(text=DEFAULT_BUDGET_ROW)


def explain_term(
    old: tuple[n.ExplainWhen, ...], new: tuple[n.ExplainWhen, ...], show: Show, add: Add, kind: str, key: str
) -> None:
    """需说明 conditions (the set written in one file replaces the set before it)."""
    if tuple(e.condition for e in old) != tuple(e.condition for e in new):
        add(kind, show.kw("explain"), explain_texts(old, show), explain_texts(new, show), key=key)


def explain_texts(items: tuple[n.ExplainWhen, ...], show: Show) -> str | None:
    return "; ".join(show.expr(e.condition) or "" for e in items) or None
