"""The changes between two resolved rulesets: per indicator, then per rule of the ruleset."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from jixiao.engine.resolve import BudgetRules, Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import Comparator, DeadlineTarget, NumericTarget, Target
from jixiao.language.vocabulary import KIND_LABELS, STAGE_LABELS
from jixiao.tools.compare.keys import grades_key, method_key, over_key, rounding_key, scale_key, target_key
from jixiao.tools.compare.match import Pair
from jixiao.tools.compare.model import Change, ChangeKind, Direction
from jixiao.tools.fmt.comments import Comments
from jixiao.tools.fmt.expr import expr, number
from jixiao.tools.fmt.printer import Printer
from jixiao.tools.fmt.words import Keywords


class Show:
    """Texts of rule pieces in one keyword language (the printer's spelling)."""

    def __init__(self, lang: Keywords) -> None:
        self.lang = lang
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


# -- indicators ---------------------------------------------------------------------------------


def indicator_changes(pairs: list[Pair], show: Show) -> list[Change]:
    out: list[Change] = []
    for pair in pairs:
        out.extend(_pair_changes(pair, show))
    return out


def _pair_changes(pair: Pair, show: Show) -> list[Change]:
    old, new = pair.old, pair.new
    if old is None:
        assert new is not None
        return [Change(scope="indicator", kind="added", path=new.path, new=summary(new, show))]
    if new is None:
        return [Change(scope="indicator", kind="removed", path=old.path, old=summary(old, show))]
    return _identity(old, new) + _terms(old, new, show)


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


def _terms(old: n.Indicator, new: n.Indicator, show: Show) -> list[Change]:
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
    for label, before, after in (("实际", old.actual, new.actual), ("得分", old.score, new.score)):
        if before != after:
            add("formula", _formula(label, before, show), _formula(label, after, show))
    _simple_terms(old, new, show, add)
    return out


def _simple_terms(old: n.Indicator, new: n.Indicator, show: Show, add: Callable[..., None]) -> None:
    if rounding_key(old.rounding) != rounding_key(new.rounding):
        add("rounding", show.rounding(old.rounding), show.rounding(new.rounding))
    if over_key(old.over) != over_key(new.over):
        add("over", show.over(old.over), show.over(new.over))
    if old.source != new.source:
        add("source", old.source, new.source)
    if old.note != new.note:
        add("note", old.note, new.note)


def _formula(label: str, e: n.Expr | None, show: Show) -> str | None:
    if e is None:
        return None
    keyword = {"实际": "actual", "得分": "score"}[label]
    return f"{show.printer.kw(keyword)} = {show.expr(e)}"


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
    out: list[Change] = []

    def add(kind: ChangeKind, section: str, before: str | None, after: str | None, **extra: object) -> None:
        out.append(Change(scope="ruleset", kind=kind, path=section, old=before, new=after, **extra))  # type: ignore[arg-type]

    _meta(old, new, show, add)
    _rules(old.rules, new.rules, show, add)
    _budget(old.rules.budget, new.rules.budget, show, add)
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
            add("meta", show.printer.kw(key), before, after)
    if old.rules.policies != new.rules.policies:
        add("policy", show.printer.kw("use"), " → ".join(old.rules.policies), " → ".join(new.rules.policies))


def _rules(old: Rules, new: Rules, show: Show, add: Callable[..., None]) -> None:
    if old.total != new.total:
        add(
            "total",
            show.printer.kw("total"),
            number(old.total),
            number(new.total),
            delta=_delta(old.total, new.total),
        )
    for stage in sorted(set(old.rounding) | set(new.rounding)):
        before, after = old.rounding.get(stage), new.rounding.get(stage)
        if rounding_key(before) != rounding_key(after):
            section = show.printer.kw("rounding") + (
                "" if stage == "default" else " " + show.pick(STAGE_LABELS[stage])
            )
            add("rounding", section, show.rounding(before), show.rounding(after))
    if grades_key(old.grades) != grades_key(new.grades):
        add("grades", show.printer.kw("grades"), _grades(old.grades), _grades(new.grades))
    if tuple(e.condition for e in old.explain) != tuple(e.condition for e in new.explain):
        add("explain", show.printer.kw("explain"), _explains(old.explain, show), _explains(new.explain, show))
    if over_key(old.over) != over_key(new.over):
        add("over", show.printer.kw("over"), show.over(old.over), show.over(new.over))
    if old.not_applicable != new.not_applicable:
        add(
            "not_applicable",
            show.printer.kw("not_applicable"),
            show.printer.kw(old.not_applicable),
            show.printer.kw(new.not_applicable),
        )
    _framework(old.framework, new.framework, show, add)


def _budget(old: BudgetRules, new: BudgetRules, show: Show, add: Callable[..., None]) -> None:
    if old.weight != new.weight:
        add(
            "budget",
            show.printer.kw("weight"),
            _num(old.weight),
            _num(new.weight),
            delta=_delta(old.weight, new.weight),
        )
    if old.score != new.score:
        add("budget", show.printer.kw("score"), show.expr(old.score), show.expr(new.score))
    if old.counted != new.counted:
        yes_no = {True: show.printer.kw("yes"), False: show.printer.kw("no")}
        add("budget", show.printer.kw("counted"), yes_no[old.counted], yes_no[new.counted])
    if tuple(e.condition for e in old.explain) != tuple(e.condition for e in new.explain):
        add("budget", show.printer.kw("explain"), _explains(old.explain, show), _explains(new.explain, show))
    if rounding_key(old.rounding) != rounding_key(new.rounding):
        add("budget", show.printer.kw("rounding"), show.rounding(old.rounding), show.rounding(new.rounding))
    if old.source != new.source:
        add("budget", show.printer.kw("source"), old.source, new.source)


def _named(old: Rules, new: Rules, show: Show, add: Callable[..., None]) -> None:
    for kind in [k for k in KIND_LABELS if k in old.kinds or k in new.kinds]:
        before, after = old.kinds.get(kind), new.kinds.get(kind)
        if method_key(before.method if before else None) != method_key(after.method if after else None):
            add(
                "rule",
                show.pick(KIND_LABELS[kind]),
                show.method(before.method if before else None),
                show.method(after.method if after else None),
            )
    for name in list(dict.fromkeys([*old.scales, *new.scales])):
        a, b = old.scales.get(name), new.scales.get(name)
        if scale_key(a) != scale_key(b):
            add("scale", f"{show.printer.kw('scale')} {name}", _scale(a), _scale(b))


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
            )


def _grades(grades: n.Grades | None) -> str | None:
    if grades is None:
        return None
    return "  ".join(f"{g.name} {g.text}" for g in grades.grades)


def _scale(scale: n.Scale | None) -> str | None:
    if scale is None:
        return None
    return "; ".join(f"{'|'.join(lv.words)} {lv.text}" for lv in scale.levels)


def _explains(items: tuple[n.ExplainWhen, ...], show: Show) -> str | None:
    return "; ".join(show.expr(e.condition) or "" for e in items) or None


def _str(x: object) -> str | None:
    return None if x is None else str(x)
