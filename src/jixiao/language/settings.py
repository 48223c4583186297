"""A setting written twice in one file (`金额单位 万元` … `金额单位 元`, two `主管部门`, two `总分`).

Across files a later setting overrides an earlier one (the project over its policies: docs/language.md
「覆盖顺序」); inside one file one of the two would be used without a word, the first for some settings
(主管部门, 金额单位) and the last for others (总分, 舍入). Different values are E130 at the second, naming
the first's line; the same value twice is W115. An indicator's own options given twice are E113
(`transformer._indicator_option`); 采用, 依据, 说明 and 需说明 may be given many times (a second `采用` of
the same policy is W115).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jixiao.diagnostics import Diagnostic, Severity
from jixiao.language import nodes as n
from jixiao.language.vocabulary import KIND_LABELS, STAGE_LABELS

_META = {
    "department": ("主管部门", "department"),
    "unit": ("实施单位", "unit"),
    "money_unit": ("金额单位", "money_unit"),
}
_BUDGET = ("预算执行", "budget")
_BUDGET_ITEMS: dict[type, tuple[str, str]] = {
    n.Weight: ("分值", "weight"),
    n.ScoreFormula: ("得分", "score"),
    n.Counted: ("计入总分", "counted"),
    n.NotScored: ("不评分", "not_scored"),
    n.RateFormula: ("执行率", "rate"),
    n.BudgetRowChoice: ("预算行", "budget_row"),
    n.ZeroBudget: ("零预算", "zero_budget"),
}
_ONCE: dict[type, tuple[str, str]] = {
    n.Total: ("总分", "total"),
    n.Grades: ("等级", "grades"),
    n.Over: ("超额", "over"),
    n.NotApplicableRule: ("不适用", "not_applicable"),
    n.Framework: ("结构", "framework"),
    n.AuditTolerance: ("复核容差", "audit_tolerance"),
    n.Columns: ("表列", "columns"),
}
Keyword = tuple[str, str]


def repeated_settings(statements: Iterable[Any]) -> list[Diagnostic]:
    """E130 for a setting given again with another value, W115 for one given again as it was."""
    seen: dict[Any, Any] = {}
    out: list[Diagnostic] = []
    for key, keyword, statement in _settings(statements):
        first = seen.get(key)
        if first is None:
            seen[key] = statement
            continue
        same = first == statement  # what it sets: spans take no part in a node's equality
        args = {"keyword": keyword, "first_line": first.span.line}
        severity = Severity.WARNING if same else Severity.ERROR
        out.append(Diagnostic("W115" if same else "E130", statement.span, args, severity))
    return out


def _settings(statements: Iterable[Any]) -> Iterable[tuple[Any, Keyword, Any]]:
    """(what it sets, its keyword, the statement) for each setting a file may give once."""
    for s in statements:
        if isinstance(s, n.Meta) and s.key in _META:
            yield ("meta", s.key), _META[s.key], s
        elif isinstance(s, n.Meta) and s.key == "use":
            yield ("use", s.value), ("采用", "use"), s  # several policies may be used, each once
        elif isinstance(s, n.Rounding):
            yield ("rounding", s.stage, s.display), _rounding(s), s
        elif isinstance(s, n.KindRule):
            yield ("kind", s.kind), KIND_LABELS.get(s.kind, (s.kind, s.kind)), s
        elif isinstance(s, n.Scale):
            yield ("scale", s.name), (f"量表 {s.name}", f"scale {s.name}"), s
        elif isinstance(s, n.FormulaDef):
            yield ("formula", s.name), (f"公式 {s.name}", f"formula {s.name}"), s
        elif isinstance(s, n.Direction):
            yield ("direction", s.scope, s.unit), (f"方向 {s.scope}", f"direction {s.scope}"), s
        elif isinstance(s, n.Budget):
            yield from _budget_items(s)
        elif type(s) in _ONCE:
            yield type(s).__name__, _ONCE[type(s)], s


def _budget_items(block: n.Budget) -> Iterable[tuple[Any, Keyword, Any]]:
    """The items of a 预算执行 block (two blocks in one file are merged item by item: each item once)."""
    for item in block.items:
        if isinstance(item, n.Rounding):
            zh, en = _rounding(item)
            yield ("budget", "rounding", item.display), (f"预算执行 {zh}", f"budget {en}"), item
        elif isinstance(item, n.Meta) and item.key == "source":
            yield ("budget", "source"), ("预算执行 依据", "budget source"), item
        elif type(item) in _BUDGET_ITEMS:
            zh, en = _BUDGET_ITEMS[type(item)]
            yield ("budget", type(item).__name__), (f"{_BUDGET[0]} {zh}", f"{_BUDGET[1]} {en}"), item


def _rounding(s: n.Rounding) -> Keyword:
    display = (" 显示", " display") if s.display else ("", "")
    stage = (f" {STAGE_LABELS[s.stage][0]}", f" {STAGE_LABELS[s.stage][1]}") if s.stage else ("", "")
    return f"舍入{stage[0]}{display[0]}", f"rounding{stage[1]}{display[1]}"


__all__ = ["repeated_settings"]
