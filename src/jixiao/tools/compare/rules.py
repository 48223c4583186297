"""Changes of the rules a ruleset puts in force (after its policies): totals, grades, roundings and display
roundings, default methods, scales, 方向 statements, 表列, 结构 and goal blocks.

Each finder calls `add(kind, where, old, new, key=…, …)`; `key` names the rule whatever the language
("scale:达成度", "display:budget", "direction:成本指标 元"), for attribution and for policy reasons.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from fractions import Fraction
from typing import Literal

from jixiao.engine.resolve import Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.vocabulary import COLUMN_LABELS, KIND_LABELS, STAGE_LABELS
from jixiao.tools.compare.budget import explain_term
from jixiao.tools.compare.grades import same_grades
from jixiao.tools.compare.keys import (
    direction_key,
    levels_key,
    method_key,
    over_key,
    same_rounding,
    scale_key,
)
from jixiao.tools.compare.show import NO_DISPLAY, NO_ROUNDING, Add, Show, Sides, delta, num
from jixiao.tools.fmt.words import language_of

NO_WEIGHT = ("（无分值）", "(no weight)")


def rule_changes(old: Rules, new: Rules, show: Show, add: Add) -> None:
    kw = show.kw
    if old.total != new.total:
        add(
            "total",
            kw("total"),
            num(old.total),
            num(new.total),
            delta=delta(old.total, new.total),
            key="total",
        )
    if not same_grades(old.grades, new.grades, max(old.total, new.total)):
        add("grades", kw("grades"), _grades(old.grades, show), _grades(new.grades, show), key="grades")
    explain_term(old.explain, new.explain, show, add, "explain", "explain")
    if over_key(old.over) != over_key(new.over):
        add("over", kw("over"), show.over(old.over), show.over(new.over), key="over")
    if old.not_applicable != new.not_applicable:
        modes = (kw(old.not_applicable), kw(new.not_applicable))
        add("not_applicable", kw("not_applicable"), *modes, key="not_applicable")
    if old.audit_tolerance != new.audit_tolerance:
        tolerances = (num(old.audit_tolerance), num(new.audit_tolerance))
        add("audit_tolerance", kw("audit_tolerance"), *tolerances, key="audit_tolerance")
    if old.columns != new.columns:
        add("columns", kw("columns"), _columns(old.columns, show), _columns(new.columns, show), key="columns")
    _framework(old.framework, new.framework, show, add)


def stage_rounding(rules: Rules, stage: str) -> n.Rounding | None:
    """The rounding in force for a stage key of `Rules.rounding` ("default" is itself)."""
    return rules.rounding.get("default") if stage == "default" else rules.rounding_for(stage)


def stage_display(rules: Rules, stage: str) -> n.Rounding | None:
    """The display rounding in force for a stage key of `Rules.display` ("default" is itself)."""
    return rules.display.get("default") if stage == "default" else rules.display_for(stage)


def rounding_changes(sides: Sides, show: Show, add: Add) -> None:
    """Per declared stage, the rounding and the display rounding in force on each side (a stage without
    its own uses the stage-less one)."""
    _stages(sides, show, add, "rounding")
    _stages(sides, show, add, "display")


def _stages(sides: Sides, show: Show, add: Add, table: Literal["rounding", "display"]) -> None:
    display = table == "display"
    find, none = (stage_display, NO_DISPLAY) if display else (stage_rounding, NO_ROUNDING)
    old, new = sides.old.rules, sides.new.rules
    for stage in sorted({**getattr(old, table), **getattr(new, table)}):
        before, after = find(old, stage), find(new, stage)
        if same_rounding(before, after):
            continue
        section = show.kw("rounding") + ("" if stage == "default" else " " + show.pick(STAGE_LABELS[stage]))
        if display:
            section += " " + show.kw("display")
        texts = (show.inherited(before, sides.old.path, none), show.inherited(after, sides.new.path, none))
        add(table, section, *texts, key=f"{table}:{stage}")


def method_changes(old: Rules, new: Rules, show: Show, add: Add) -> None:
    """The default method of each kind of target, and every scale (a generic one marked 通用)."""
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
            add("scale", f"{show.kw('scale')} {name}", *scale_texts(a, b, show), key=f"scale:{name}")


def direction_changes(old: Rules, new: Rules, show: Show, add: Add) -> None:
    """方向 statements: how unsigned targets under a level or in a unit read."""
    for key in dict.fromkeys([*old.directions, *new.directions]):
        a, b = old.directions.get(key), new.directions.get(key)
        if (a.kind if a else None) == (b.kind if b else None):
            continue
        shown = b or a
        assert shown is not None
        unit = f" {shown.unit}" if shown.unit else ""
        where = f"{show.kw('direction')} {shown.scope}{unit}"
        kinds = (show.pick(KIND_LABELS[a.kind]) if a else None, show.pick(KIND_LABELS[b.kind]) if b else None)
        add("direction", where, *kinds, key=direction_key(key))


def goal_changes(old: Ruleset, new: Ruleset, show: Show, add: Add) -> None:
    """Goal blocks (绩效目标 …) added, removed or given another weight."""
    a, b = _goals(old), _goals(new)
    for name in dict.fromkeys([*a, *b]):
        if name in a and name in b and a[name] == b[name]:
            continue
        texts = (_goal_text(a, name, show), _goal_text(b, name, show))
        add(
            "goal",
            f"{show.kw('goal')} {name}",
            *texts,
            delta=delta(a.get(name), b.get(name)),
            key=f"goal:{name}",
        )


def _goals(ruleset: Ruleset) -> dict[str, Fraction | None]:
    """Each goal block's weight in points (None: no weight)."""
    total = ruleset.rules.total
    out: dict[str, Fraction | None] = {}
    for s in ruleset.document.statements:
        if isinstance(s, n.GoalBlock):
            w = s.weight
            out[s.name] = None if w is None else w.value * total / 100 if w.percent else w.value
    return out


def _goal_text(goals: dict[str, Fraction | None], name: str, show: Show) -> str | None:
    if name not in goals:
        return None
    weight = goals[name]
    return show.pick(NO_WEIGHT) if weight is None else f"{show.kw('weight')} {num(weight)}"


def _framework(old: n.Framework | None, new: n.Framework | None, show: Show, add: Add) -> None:
    a = {s.level: s.weight for s in old.shares} if old else {}
    b = {s.level: s.weight for s in new.shares} if new else {}
    for level in dict.fromkeys([*a, *b]):
        if a.get(level) != b.get(level):
            section = f"{show.kw('framework')} {show.printer.share_level(level)}"
            add(
                "framework",
                section,
                num(a.get(level)),
                num(b.get(level)),
                delta=delta(a.get(level), b.get(level)),
                key=f"framework:{level}",
            )


def _columns(columns: tuple[str, ...], show: Show) -> str | None:
    return " ".join(show.pick(COLUMN_LABELS[c]) for c in columns) or None


def _grades(grades: n.Grades | None, show: Show) -> str | None:
    """The bands as written; 否则/其余 in the report's language (as a method's bands are)."""
    if grades is None:
        return None
    texts = (
        g.text if g.condition or language_of(g.text) == show.lang else show.kw("else") for g in grades.grades
    )
    return "  ".join(f"{g.name} {text}" for g, text in zip(grades.grades, texts, strict=True))


def scale_texts(old: n.Scale | None, new: n.Scale | None, show: Show) -> tuple[str | None, str | None]:
    """The levels that differ, each side (all levels of a scale only one side has); a generic scale
    (通用) says so. A level named by the same words on both sides is named by its first word only."""
    a, b = (old.levels if old else ()), (new.levels if new else ())
    if a and b and len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if _level_key(x) != _level_key(y)]
        a, b = tuple(a[i] for i in differ), tuple(b[i] for i in differ)
        if all(x.words == y.words for x, y in zip(a, b, strict=True)):
            a, b = _first_words(a), _first_words(b)
    texts = _levels(a, show), _levels(b, show)
    if old is None or new is None or old.generic == new.generic:
        return texts
    return _generic(old, texts[0], show), _generic(new, texts[1], show)


def _generic(scale: n.Scale, levels: str | None, show: Show) -> str:
    word = show.kw("generic") if scale.generic else show.pick(("非通用", "not generic"))
    return f"{word}  {levels}" if levels else word


def _first_words(levels: tuple[n.ScaleLevel, ...]) -> tuple[n.ScaleLevel, ...]:
    return tuple(replace(level, words=level.words[:1]) for level in levels)


def _level_key(level: n.ScaleLevel) -> Hashable:
    return levels_key((level,))


def _levels(levels: tuple[n.ScaleLevel, ...], show: Show) -> str | None:
    return "; ".join(" ".join(show.printer.scale_level(level)) for level in levels) or None
