"""The changes between two resolved rulesets: per indicator, then per rule of the ruleset.

Meaning is compared, not text: a target is compared as it reads once its 方向 is applied, a formula
after named formulas are expanded, a weight in points (分值 20% of 总分 100 is 20), a rule not written
as its default. Rules a row inherits are reported once, where they are written.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.engine.compiler import DEFAULT_METHODS, directed
from jixiao.engine.methods import kind_of
from jixiao.engine.resolve import Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import Comparator, DeadlineTarget, NumericTarget, Target
from jixiao.tools.compare.budget import budget_changes
from jixiao.tools.compare.formulas import named_changes, written_formula
from jixiao.tools.compare.keys import (
    deadline_order,
    method_key,
    over_key,
    reading_key,
    same_rounding,
    target_key,
)
from jixiao.tools.compare.match import Pair
from jixiao.tools.compare.model import Change, ChangeKind, Direction
from jixiao.tools.compare.rows import direction_text, display_term, role_terms, row_kind, row_kind_text
from jixiao.tools.compare.rules import (
    direction_changes,
    goal_changes,
    method_changes,
    rounding_changes,
    rule_changes,
)
from jixiao.tools.compare.show import Add, Show, Sides, delta, num, text
from jixiao.tools.fmt.expr import number

__all__ = ["Show", "Sides", "indicator_changes", "method_in_force", "ruleset_changes"]

UNDECLARED = ("{rule}（未声明）", "{rule} (none declared)")


# -- indicators ---------------------------------------------------------------------------------


def indicator_changes(pairs: list[Pair], show: Show, sides: Sides) -> list[Change]:
    renamed = {p.old.name: p.new.name for p in pairs if p.old is not None and p.new is not None}
    out: list[Change] = []
    for pair in pairs:
        out.extend(_pair_changes(pair, show, sides, renamed))
    return out


def _pair_changes(pair: Pair, show: Show, sides: Sides, renamed: dict[str, str]) -> list[Change]:
    old, new = pair.old, pair.new
    if old is None:
        assert new is not None
        return [Change(scope="indicator", kind="added", path=new.path, new=summary(new, show))]
    if new is None:
        return [Change(scope="indicator", kind="removed", path=old.path, old=summary(old, show))]
    return _identity(old, new) + _terms(old, new, show, sides, renamed)


def summary(i: n.Indicator, show: Show) -> str:
    """An added or removed row in brief: 其中/小计 when it is one, its target and weight."""
    parts = [row_kind_text(i, show)] if row_kind(i)[0] != "scored" else []
    if i.target_text:
        parts.append(f"{show.kw('target')} {i.target_text}")
    if i.weight is not None:
        parts.append(f"{show.kw('weight')} {number(i.weight)}")
    return "  ".join(parts)


def _identity(old: n.Indicator, new: n.Indicator) -> list[Change]:
    out: list[Change] = []
    common = {"scope": "indicator", "path": new.path, "old_path": old.path}
    if old.name != new.name:
        out.append(Change(kind="renamed", old=old.name, new=new.name, **common))  # type: ignore[arg-type]
    if (old.level1, old.level2) != (new.level1, new.level2):
        before, after = f"{old.level1}/{old.level2}", f"{new.level1}/{new.level2}"
        out.append(Change(kind="moved", old=before, new=after, **common))  # type: ignore[arg-type]
    return out


def _terms(
    old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, renamed: dict[str, str]
) -> list[Change]:
    out: list[Change] = []
    moved = old.path != new.path

    def add(kind: ChangeKind, before: str | None, after: str | None, **extra: object) -> None:
        out.append(
            Change(
                scope="indicator",
                kind=kind,
                path=new.path,
                old_path=old.path if moved else None,
                old=before,
                new=after,
                **extra,  # type: ignore[arg-type]
            )
        )

    _target_terms(old, new, show, sides, add)
    if old.weight != new.weight:
        add("weight", num(old.weight), num(new.weight), delta=delta(old.weight, new.weight))
    _method_term(old, new, show, sides, add)
    _formula_terms(old, new, show, sides, add)
    _rounding_term(old, new, show, sides, add)
    _over_term(old, new, show, sides, add)
    display_term(old, new, show, sides, add)
    _simple_terms(old, new, show, add)
    role_terms(old, new, renamed, show, add)
    return out


def _target_terms(old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, add: Add) -> None:
    """The target as it reads (方向 applied): a changed literal is a target change; the same literal read
    another way is a 方向 change of the row (or of a 方向 statement, reported there)."""
    rules_old, rules_new = sides.old.rules, sides.new.rules
    before, after = directed(old, rules_old), directed(new, rules_new)
    if isinstance(before, DeadlineTarget) and isinstance(after, DeadlineTarget):
        order = deadline_order(before, sides.old.document.year, after, sides.new.document.year)
        if order == 0:  # 12月底前 and 2023年12月31日前 in 2023: the same date
            return
        add("target", old.target_text or None, new.target_text or None, direction=DEADLINE_DIRECTIONS[order])
    else:
        if reading_key(old, rules_old) == reading_key(new, rules_new):
            return
        if target_key(old) != target_key(new):
            raised = direction(before, after)
            add("target", old.target_text or None, new.target_text or None, direction=raised)
    if old.direction != new.direction:
        add("direction", direction_text(old, rules_old, show), direction_text(new, rules_new, show))


def _formula_terms(old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, add: Add) -> None:
    """实际 = … and 得分 = … as written; a row whose formula changed only through a named formula it uses
    is not reported (the named formula's change is, once)."""
    formulas_old, formulas_new = sides.old.rules.formulas, sides.new.rules.formulas
    for key in ("actual", "score"):
        before, after = getattr(old, key), getattr(new, key)
        if before == after:
            continue
        before, after = written_formula(before, formulas_old), written_formula(after, formulas_new)
        if before != after:
            add("formula", _formula(key, before, show), _formula(key, after, show), key=key)


def indicator_rounding(indicator: n.Indicator, rules: Rules) -> n.Rounding | None:
    """The rounding an indicator's score gets: its own, else the ruleset's for indicators (as compiled)."""
    return indicator.rounding or rules.rounding_for("indicator")


def _rounding_term(
    old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, add: Callable[..., None]
) -> None:
    """A rounding change of the indicator itself; an inherited one is shown with where it comes from.

    When neither side declares its own, a change of the ruleset's rounding is reported once, there.
    """
    if old.rounding is None and new.rounding is None:
        return
    before, after = indicator_rounding(old, sides.old.rules), indicator_rounding(new, sides.new.rules)
    if same_rounding(before, after):
        return
    add("rounding", show.inherited(before, sides.old.path), show.inherited(after, sides.new.path))


def method_in_force(indicator: n.Indicator, rules: Rules) -> tuple[n.Method, n.KindRule | None]:
    """The method an indicator is scored by (as compiled) and the 正向 比例 … rule it comes from, if any:
    its own, else its kind's rule, else the language's default for the kind (no rule)."""
    if indicator.method is not None:
        return indicator.method, None
    target = directed(indicator, rules)
    kind = kind_of(target) if target is not None else "higher"
    rule = rules.kinds.get(kind)
    if rule is not None:
        return rule.method, rule
    return n.Method(DEFAULT_METHODS[kind], DEFAULT_METHODS[kind]), None


def _method_text(indicator: n.Indicator, ruleset: Ruleset, show: Show) -> str:
    """The row's own method, else the one in force and where it is written (未声明: the default)."""
    method, rule = method_in_force(indicator, ruleset.rules)
    text = show.method(method) or ""
    if indicator.method is not None:
        return text
    if rule is None:
        return show.pick(UNDECLARED).format(rule=text)
    return show.located(text, rule.span, ruleset.path)


def _method_term(old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, add: Add) -> None:
    """A method change of the row itself, between the methods in force (an inherited one is shown with
    where it comes from). When neither side writes its own, a change of the kind's method is reported once,
    at the ruleset; writing out the inherited method is no change."""
    if old.method is None and new.method is None:
        return
    before, after = method_in_force(old, sides.old.rules)[0], method_in_force(new, sides.new.rules)[0]
    if method_key(before) != method_key(after):
        add("method", _method_text(old, sides.old, show), _method_text(new, sides.new, show))


def _over_term(old: n.Indicator, new: n.Indicator, show: Show, sides: Sides, add: Add) -> None:
    """An 超额 change of the row itself, between the rules in force (the row's own, else the ruleset's,
    shown with where it comes from); the ruleset's own change is reported once, at the ruleset."""
    if old.over is None and new.over is None:
        return
    before, after = old.over or sides.old.rules.over, new.over or sides.new.rules.over
    if over_key(before) != over_key(after):
        add("over", _over_text(before, sides.old, show), _over_text(after, sides.new, show))


def _over_text(over: n.Over | None, ruleset: Ruleset, show: Show) -> str | None:
    text = show.over(over)
    return None if over is None or text is None else show.located(text, over.span, ruleset.path)


def _simple_terms(old: n.Indicator, new: n.Indicator, show: Show, add: Callable[..., None]) -> None:
    if old.source != new.source:
        add("source", old.source, new.source)
    if old.note != new.note:
        add("note", old.note, new.note)


def _formula(keyword: str, e: n.Expr | None, show: Show) -> str | None:
    return None if e is None else f"{show.kw(keyword)} = {show.expr(e)}"


def direction(old: Target | None, new: Target | None) -> Direction | None:
    """Raised when the new target asks for more: a larger ≥ value, a smaller ≤ value (deadlines, which
    need the 年度 of each side, are compared by `deadline_order`)."""
    if isinstance(old, NumericTarget) and isinstance(new, NumericTarget):
        return _numeric_direction(old, new)
    return None


# an earlier deadline asks for more; which is earlier may depend on a 年度 a side does not declare
DEADLINE_DIRECTIONS: dict[int | None, Direction] = {-1: "raised", 1: "lowered", None: "depends_on_year"}


def _numeric_direction(old: NumericTarget, new: NumericTarget) -> Direction | None:
    if old.comparator != new.comparator or old.quantity.dimension != new.quantity.dimension:
        return None
    a, b = old.quantity.base, new.quantity.base
    if a == b or (old.comparator is Comparator.EQ and not old.implicit):
        return None
    if old.comparator in (Comparator.LE, Comparator.LT):
        return "raised" if b < a else "lowered"
    return "raised" if b > a else "lowered"


# -- the ruleset's own rules ------------------------------------------------------------------------


def ruleset_changes(old: Ruleset, new: Ruleset, show: Show) -> list[Change]:
    """Changes of the rules in force (after policies); `key` names the rule whatever the language."""
    out: list[Change] = []

    def add(kind: ChangeKind, section: str, before: str | None, after: str | None, **extra: object) -> None:
        out.append(Change(scope="ruleset", kind=kind, path=section, old=before, new=after, **extra))  # type: ignore[arg-type]

    sides = Sides(old, new)
    _meta(old, new, show, add)
    rule_changes(old.rules, new.rules, show, add)
    rounding_changes(sides, show, add)
    budget_changes(sides, show, add)
    method_changes(old.rules, new.rules, show, add)
    direction_changes(old.rules, new.rules, show, add)
    named_changes(old.rules, new.rules, show, add)
    goal_changes(old, new, show, add)
    return out


def _meta(old: Ruleset, new: Ruleset, show: Show, add: Add) -> None:
    pairs = [
        ("project", old.document.name, new.document.name),
        ("year", text(old.document.year), text(new.document.year)),
        *((key, old.meta(key), new.meta(key)) for key in ("department", "unit", "money_unit")),
    ]
    for key, before, after in pairs:
        if before != after:
            add("meta", show.kw(key), before, after, key=f"meta:{key}")
    for key, before_texts, after_texts in (
        ("source", old.rules.sources, new.rules.sources),
        ("note", old.rules.notes, new.rules.notes),
    ):
        if before_texts != after_texts:  # 依据/说明 of the ruleset and its policies, as the explanation cites
            add(key, show.kw(key), "、".join(before_texts) or None, "、".join(after_texts) or None, key=key)
    if old.rules.policies != new.rules.policies:
        before, after = " → ".join(old.rules.policies), " → ".join(new.rules.policies)
        add("policy", show.kw("use"), before, after, key="policy")
