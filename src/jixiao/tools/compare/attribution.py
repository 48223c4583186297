"""Which change accounts for a project's score delta: each change applied alone to the old rules.

For a change C, the old ruleset with only C applied is scored with the same actual
values; C's share is that total minus the old total. Changes that touch different
indicators and no shared rule add up exactly (each indicator's score depends only on
its own terms) — except through what combines scores: total rounding, 不适用 rescaling,
a weight that moves between indicators of one level, formulas that read another
indicator. What the shares do not explain is reported as the interaction
(delta − Σ shares). A change that cannot stand alone (a formula naming an indicator
another change adds) has no share; its effect is in the interaction too.

Changes that cannot move a score (renames, moves, notes, sources, metadata, 需说明,
结构, display roundings, goal blocks, 分项合计, 单位说明) get no share. A named formula's change is
applied by expanding the old rows again with its new definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TypeVar

from jixiao.diagnostics import JixiaoError
from jixiao.engine import evaluate
from jixiao.engine.resolve import Rules, Ruleset
from jixiao.engine.results import Result
from jixiao.language import nodes as n
from jixiao.tools.compare.formulas import with_formula
from jixiao.tools.compare.impact import Binder, compile_side
from jixiao.tools.compare.keys import direction_key
from jixiao.tools.compare.match import Pair
from jixiao.tools.compare.model import Change

T = TypeVar("T")
Directions = dict[tuple[str, str], n.Direction]
TERMS: dict[str, tuple[str, ...]] = {
    "target": ("target", "target_text", "target_span"),
    "weight": ("weight", "weight_span"),
    "method": ("method",),
    "formula:actual": ("actual",),
    "formula:score": ("score",),
    "rounding": ("rounding",),
    "over": ("over",),
    "direction": ("direction",),
    "row_kind": ("breakdown_of", "subtotal"),
}
RULE_FIELDS = ("total", "grades", "over", "not_applicable", "columns")
NO_SCORE = frozenset(
    {
        "meta",
        "source",
        "note",
        "policy",
        "explain",
        "framework",
        "audit_tolerance",
        "display",
        "goal",
        "budget:explain",
        "budget:source",
        "budget:display_rounding",
    }
)


@dataclass(frozen=True)
class Share:
    change: Change
    delta: Fraction | None  # None: the change cannot be applied alone
    grade: str | None = None  # the grade with the change alone, when it is not the old grade


def scoring_changes(changes: list[Change]) -> list[Change]:
    """The changes that can move a score."""
    return [c for c in changes if _edit_key(c) is not None]


@dataclass(frozen=True)
class Versions:
    """The two rulesets of one project and their indicators paired."""

    old: Ruleset
    new: Ruleset
    pairs: list[Pair]


def shares(versions: Versions, changes: list[Change], binder: Binder, base: Result) -> list[Share]:
    """Each scoring change applied alone to the old ruleset: its effect on the total (exact) and on the
    grade (a change of the grade bands moves grades, not totals)."""
    out = []
    for change in scoring_changes(changes):
        hybrid = _apply(versions, change)
        out.append(_share(change, None if hybrid is None else _score(hybrid, binder), base))
    return out


def _share(change: Change, result: Result | None, base: Result) -> Share:
    if result is None:
        return Share(change, None)
    grade = result.grade if result.grade != base.grade else None
    return Share(change, result.total.value - base.total.value, grade)


def _score(hybrid: Ruleset, binder: Binder) -> Result | None:
    try:
        plan, _ = compile_side(hybrid)
        return evaluate.score(plan, binder.side(hybrid.indicators).actuals)
    except JixiaoError:
        return None


# -- one change on top of the old ruleset -----------------------------------------------------------------


def _edit_key(change: Change) -> str | None:
    if change.scope == "indicator":
        key = f"formula:{change.key}" if change.kind == "formula" else change.kind
        return key if key in TERMS or key in ("added", "removed") else None
    key = change.key or ""
    if key in NO_SCORE or key.split(":")[0] in NO_SCORE:
        return None
    return key


def _apply(versions: Versions, change: Change) -> Ruleset | None:
    key = _edit_key(change)
    assert key is not None
    old = versions.old
    if change.scope == "ruleset" and key.startswith("formula:"):
        name = key.partition(":")[2]
        return _with_document(
            old, with_formula(old.document, old.rules.formulas, versions.new.rules.formulas, name)
        )
    if change.scope == "ruleset":
        return replace(old, rules=_with_rule(old.rules, versions.new.rules, key))
    pair = _pair(versions.pairs, change)
    if pair is None:
        return None
    if key == "added":
        assert pair.new is not None
        return _with_document(old, _insert(old.document, pair.new))
    assert pair.old is not None
    if key == "removed":
        return _with_document(old, _map_indicators(old.document, lambda i: None if i is pair.old else i))
    assert pair.new is not None
    edited = replace(pair.old, **{f: getattr(pair.new, f) for f in TERMS[key]})
    return _with_document(old, _map_indicators(old.document, lambda i: edited if i is pair.old else i))


def _pair(pairs: list[Pair], change: Change) -> Pair | None:
    """The indicator pair a change is about, by its (old path, new path)."""
    wanted = {"added": (None, change.path), "removed": (change.path, None)}.get(
        change.kind, (change.old_path or change.path, change.path)
    )
    return next((p for p in pairs if (_path(p.old), _path(p.new)) == wanted), None)


def _path(indicator: n.Indicator | None) -> str | None:
    return None if indicator is None else indicator.path


def _with_rule(old: Rules, new: Rules, key: str) -> Rules:
    name, _, arg = key.partition(":")
    if name in RULE_FIELDS:
        return replace(old, **{name: getattr(new, name)})
    if name == "budget":
        return replace(old, budget=replace(old.budget, **{arg: getattr(new.budget, arg)}))
    if name == "rule":
        return replace(old, kinds=_with_entry(old.kinds, new.kinds, arg))
    if name == "scale":
        return replace(old, scales=_with_entry(old.scales, new.scales, arg))
    if name == "direction":
        return replace(old, directions=_with_direction(old.directions, new.directions, key))
    return replace(old, rounding=_with_entry(old.rounding, new.rounding, arg))


def _with_entry(old: dict[str, T], new: dict[str, T], key: str) -> dict[str, T]:
    """`old` with the entry `key` as `new` has it (or without it)."""
    out = {k: v for k, v in old.items() if k != key}
    if key in new:
        out[key] = new[key]
    return out


def _with_direction(old: Directions, new: Directions, key: str) -> Directions:
    """`old` with the 方向 statement whose change key is `key` as `new` has it (or without it)."""
    out = {k: v for k, v in old.items() if direction_key(k) != key}
    out.update({k: v for k, v in new.items() if direction_key(k) == key})
    return out


def _with_document(old: Ruleset, document: n.Document) -> Ruleset:
    return replace(old, document=document)


def _map_indicators(document: n.Document, edit: Callable[[n.Indicator], n.Indicator | None]) -> n.Document:
    """Every indicator edited (or dropped), those in goal blocks too."""
    return document.map_blocks(
        lambda b: replace(b, indicators=tuple(e for i in b.indicators if (e := edit(i)) is not None))
    )


def _insert(document: n.Document, indicator: n.Indicator) -> n.Document:
    """`indicator` added at the end of the first block of its levels (a new block at the end if none)."""
    home = next(
        (b for b in document.level_blocks if (b.level1, b.level2) == (indicator.level1, indicator.level2)),
        None,
    )
    if home is None:
        block = n.LevelBlock(indicator.level1, indicator.level2, (indicator,))
        return replace(document, statements=(*document.statements, block))
    return document.map_blocks(
        lambda b: replace(b, indicators=(*b.indicators, indicator)) if b is home else b
    )
