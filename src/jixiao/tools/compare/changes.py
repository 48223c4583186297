"""The changes between two resolved rulesets: per indicator, then per rule of the ruleset."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from fractions import Fraction

from jixiao.engine.resolve import Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import Comparator, DeadlineTarget, NumericTarget, Target
from jixiao.language.vocabulary import KIND_LABELS, STAGE_LABELS
from jixiao.tools.compare.keys import grades_key, method_key, over_key, same_rounding, scale_key, target_key
from jixiao.tools.compare.match import Pair
from jixiao.tools.compare.model import Change, ChangeKind, Direction
from jixiao.tools.compare.names import PLAIN, Names
from jixiao.tools.fmt.comments import Comments
from jixiao.tools.fmt.expr import expr, number
from jixiao.tools.fmt.printer import Printer
from jixiao.tools.fmt.words import Keywords


class Show:
    """Texts of rule pieces in one keyword language (the printer's spelling), files named by `names`."""

    def __init__(self, lang: Keywords, names: Names = PLAIN) -> None:
        self.lang = lang
        self.names = names
        self.printer = Printer(n.Document("project", "", None, ()), Comments(), lang)

    def expr(self, e: n.Expr | None) -> str | None:
        return None if e is None else expr(e, self.lang)

    def method(self, m: n.Method | None) -> str | None:
        return None if m is None else self.printer.inline_bands(m)

    def rounding(self, r: n.Rounding | None) -> str | None:
        return None if r is None else self.printer.rounding(r)

    def over(self, o: n.Over | None) -> str | None:
        return None if o is None else self.printer.over(o)

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[0] if self.lang == "zh" else pair[1]

    def inherited(self, r: n.Rounding | None, own: str) -> str:
        """A rounding in force and, when another file declares it, where: "… 2位（沿用 central.jx:10）"."""
        if r is None:
            return self.pick(NO_ROUNDING)
        text = self.printer.rounding(r)
        if r.span.path == own:
            return text
        return text + self.pick(INHERITED).format(where=self.names.where(r.span))


NO_ROUNDING = ("不舍入（未声明）", "exact (none declared)")
INHERITED = ("（沿用 {where}）", " (inherited from {where})")


# -- indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sides:
    """The two resolved rulesets an indicator pair belongs to (for rules it inherits)."""

    old: Ruleset
    new: Ruleset


def indicator_changes(pairs: list[Pair], show: Show, sides: Sides) -> list[Change]:
    out: list[Change] = []
    for pair in pairs:
        out.extend(_pair_changes(pair, show, sides))
    return out


def _pair_changes(pair: Pair, show: Show, sides: Sides) -> list[Change]:
    old, new = pair.old, pair.new
    if old is None:
        assert new is not None
        return [Change(scope="indicator", kind="added", path=new.path, new=summary(new, show))]
    if new is None:
        return [Change(scope="indicator", kind="removed", path=old.path, old=summary(old, show))]
    return _identity(old, new) + _terms(old, new, show, sides)


def summary(i: n.Indicator, show: Show) -> str:
    parts = [f"{show.printer.kw('target')} {i.target_text}"] if i.target_text else []
    if i.weight is not None:
        parts.append(f"{show.printer.kw('weight')} {number(i.weight)}")
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


def _terms(old: n.Indicator, new: n.Indicator, show: Show, sides: Sides) -> list[Change]:
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

    if target_key(old) != target_key(new):
        add(
            "target",
            old.target_text or None,
            new.target_text or None,
            direction=direction(old.target, new.target),
        )
    if old.weight != new.weight:
        add("weight", _num(old.weight), _num(new.weight), delta=_delta(old.weight, new.weight))
    if method_key(old.method) != method_key(new.method):
        add("method", show.method(old.method), show.method(new.method))
    for key, before, after in (("actual", old.actual, new.actual), ("score", old.score, new.score)):
        if before != after:
            add("formula", _formula(key, before, show), _formula(key, after, show), key=key)
    _rounding_term(old, new, show, sides, add)
    _simple_terms(old, new, show, add)
    return out


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


def _simple_terms(old: n.Indicator, new: n.Indicator, show: Show, add: Callable[..., None]) -> None:
    if over_key(old.over) != over_key(new.over):
        add("over", show.over(old.over), show.over(new.over))
    if old.source != new.source:
        add("source", old.source, new.source)
    if old.note != new.note:
        add("note", old.note, new.note)


def _formula(keyword: str, e: n.Expr | None, show: Show) -> str | None:
    return None if e is None else f"{show.printer.kw(keyword)} = {show.expr(e)}"


def _num(x: Fraction | None) -> str | None:
    return None if x is None else number(x)


def _delta(old: Fraction | None, new: Fraction | None) -> str | None:
    if old is None or new is None:
        return None
    d = new - old
    return ("+" if d > 0 else "-") + number(abs(d))


def direction(old: Target | None, new: Target | None) -> Direction | None:
    """Raised when the new target asks for more: a larger ≥ value, a smaller ≤ value, an earlier deadline."""
    if isinstance(old, NumericTarget) and isinstance(new, NumericTarget):
        return _numeric_direction(old, new)
    if isinstance(old, DeadlineTarget) and isinstance(new, DeadlineTarget):
        a, b = old.date.last_day(2000), new.date.last_day(2000)
        return None if a == b else ("raised" if b < a else "lowered")
    return None


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

    _meta(old, new, show, add)
    _rules(old.rules, new.rules, show, add)
    _roundings(Sides(old, new), show, add)
    _budget(Sides(old, new), show, add)
    _named(old.rules, new.rules, show, add)
    return out


def _meta(old: Ruleset, new: Ruleset, show: Show, add: Callable[..., None]) -> None:
    pairs = [
        ("project", old.document.name, new.document.name),
        ("year", _str(old.document.year), _str(new.document.year)),
        *((key, old.meta(key), new.meta(key)) for key in ("department", "unit", "money_unit")),
    ]
    for key, before, after in pairs:
        if before != after:
            add("meta", show.printer.kw(key), before, after, key=f"meta:{key}")
    if old.rules.policies != new.rules.policies:
        before, after = " → ".join(old.rules.policies), " → ".join(new.rules.policies)
        add("policy", show.printer.kw("use"), before, after, key="policy")


def _rules(old: Rules, new: Rules, show: Show, add: Callable[..., None]) -> None:
    if old.total != new.total:
        total = (number(old.total), number(new.total))
        add("total", show.printer.kw("total"), *total, delta=_delta(old.total, new.total), key="total")
    if grades_key(old.grades) != grades_key(new.grades):
        add("grades", show.printer.kw("grades"), _grades(old.grades), _grades(new.grades), key="grades")
    if tuple(e.condition for e in old.explain) != tuple(e.condition for e in new.explain):
        explains = (_explains(old.explain, show), _explains(new.explain, show))
        add("explain", show.printer.kw("explain"), *explains, key="explain")
    if over_key(old.over) != over_key(new.over):
        add("over", show.printer.kw("over"), show.over(old.over), show.over(new.over), key="over")
    if old.not_applicable != new.not_applicable:
        modes = (show.printer.kw(old.not_applicable), show.printer.kw(new.not_applicable))
        add("not_applicable", show.printer.kw("not_applicable"), *modes, key="not_applicable")
    _framework(old.framework, new.framework, show, add)


def stage_rounding(rules: Rules, stage: str) -> n.Rounding | None:
    """The rounding in force for a stage key of `Rules.rounding` ("default" is itself)."""
    return rules.rounding.get("default") if stage == "default" else rules.rounding_for(stage)


def _roundings(sides: Sides, show: Show, add: Callable[..., None]) -> None:
    """Per declared stage, the rounding in force on each side (a stage without its own uses the default)."""
    old, new = sides.old.rules, sides.new.rules
    for stage in sorted(set(old.rounding) | set(new.rounding)):
        before, after = stage_rounding(old, stage), stage_rounding(new, stage)
        if same_rounding(before, after):
            continue
        section = show.printer.kw("rounding") + (
            "" if stage == "default" else " " + show.pick(STAGE_LABELS[stage])
        )
        texts = (show.inherited(before, sides.old.path), show.inherited(after, sides.new.path))
        add("rounding", section, *texts, key=f"rounding:{stage}")


def budget_rounding(rules: Rules) -> n.Rounding | None:
    """The rounding of the budget score: the budget block's own, else the ruleset's for the budget."""
    return rules.budget.rounding or rules.rounding_for("budget")


def _budget(sides: Sides, show: Show, add: Callable[..., None]) -> None:
    old, new = sides.old.rules.budget, sides.new.rules.budget
    kw = show.printer.kw
    if old.weight != new.weight:
        weights = (_num(old.weight), _num(new.weight))
        add("budget", kw("weight"), *weights, delta=_delta(old.weight, new.weight), key="budget:weight")
    if old.score != new.score:
        add("budget", kw("score"), show.expr(old.score), show.expr(new.score), key="budget:score")
    if old.counted != new.counted:
        yes_no = {True: kw("yes"), False: kw("no")}
        add("budget", kw("counted"), yes_no[old.counted], yes_no[new.counted], key="budget:counted")
    if tuple(e.condition for e in old.explain) != tuple(e.condition for e in new.explain):
        explains = (_explains(old.explain, show), _explains(new.explain, show))
        add("budget", kw("explain"), *explains, key="budget:explain")
    before, after = budget_rounding(sides.old.rules), budget_rounding(sides.new.rules)
    if (old.rounding or new.rounding) and not same_rounding(before, after):
        texts = (show.inherited(before, sides.old.path), show.inherited(after, sides.new.path))
        add("budget", kw("rounding"), *texts, key="budget:rounding")
    if old.source != new.source:
        add("budget", kw("source"), old.source, new.source, key="budget:source")


def _named(old: Rules, new: Rules, show: Show, add: Callable[..., None]) -> None:
    for kind in [k for k in KIND_LABELS if k in old.kinds or k in new.kinds]:
        before, after = old.kinds.get(kind), new.kinds.get(kind)
        if method_key(before.method if before else None) != method_key(after.method if after else None):
            add(
                "rule",
                show.pick(KIND_LABELS[kind]),
                show.method(before.method if before else None),
                show.method(after.method if after else None),
                key=f"rule:{kind}",
            )
    for name in list(dict.fromkeys([*old.scales, *new.scales])):
        a, b = old.scales.get(name), new.scales.get(name)
        if scale_key(a) != scale_key(b):
            add("scale", f"{show.printer.kw('scale')} {name}", *_scales(a, b, show), key=f"scale:{name}")


def _framework(
    old: n.Framework | None, new: n.Framework | None, show: Show, add: Callable[..., None]
) -> None:
    a = {s.level: s.weight for s in old.shares} if old else {}
    b = {s.level: s.weight for s in new.shares} if new else {}
    for level in dict.fromkeys([*a, *b]):
        if a.get(level) != b.get(level):
            section = f"{show.printer.kw('framework')} {show.printer.share_level(level)}"
            add(
                "framework",
                section,
                _num(a.get(level)),
                _num(b.get(level)),
                delta=_delta(a.get(level), b.get(level)),
                key=f"framework:{level}",
            )


def _grades(grades: n.Grades | None) -> str | None:
    if grades is None:
        return None
    return "  ".join(f"{g.name} {g.text}" for g in grades.grades)


def _scales(old: n.Scale | None, new: n.Scale | None, show: Show) -> tuple[str | None, str | None]:
    """The levels that differ, each side (all levels of a scale only one side has).

    A level named by the same words on both sides is named by its first word only.
    """
    a, b = (old.levels if old else ()), (new.levels if new else ())
    if a and b and len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if _level_key(x) != _level_key(y)]
        a, b = tuple(a[i] for i in differ), tuple(b[i] for i in differ)
        if all(x.words == y.words for x, y in zip(a, b, strict=True)):
            a, b = _first_words(a), _first_words(b)
    return _levels(a, show), _levels(b, show)


def _first_words(levels: tuple[n.ScaleLevel, ...]) -> tuple[n.ScaleLevel, ...]:
    return tuple(replace(level, words=level.words[:1]) for level in levels)


def _level_key(level: n.ScaleLevel) -> Hashable:
    return (level.words, level.low, level.high, level.low_inclusive, level.high_inclusive, level.point)


def _levels(levels: tuple[n.ScaleLevel, ...], show: Show) -> str | None:
    return "; ".join(" ".join(show.printer.scale_level(level)) for level in levels) or None


def _explains(items: tuple[n.ExplainWhen, ...], show: Show) -> str | None:
    return "; ".join(show.expr(e.condition) or "" for e in items) or None


def _str(x: object) -> str | None:
    return None if x is None else str(x)
