"""Values in formulas: what would fail at every score (E602) is found before scoring.

- E308: a condition (a comparison, 且/或/非) where a number is needed — in arithmetic, as a function's
  argument, as a formula's result — or a number where a condition is needed (如果 …, 且/或/非, 需说明 当 …).
- E309: a variable that never has a value where it is used: 目标 in a formula of an indicator whose target
  is not one number (a word, a deadline, a range), and 实际 in a band's result, a method's argument or the
  formula that computes 实际 itself (those are computed before, or without, the actual).
- W108: 实际 in the score formula of an indicator whose target is a word or a deadline: it has a value
  only when the actual-value file gives a number (`100%`), not when it gives a word or a date.
"""

from __future__ import annotations

from jixiao.diagnostics import Diagnostic, Severity
from jixiao.engine.compiler import written
from jixiao.engine.expr import children, walk
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import DeadlineTarget, QualitativeTarget, RangeTarget, Target

NUMBER, CONDITION = "number", "condition"
KINDS = {NUMBER: ("数", "number"), CONDITION: ("条件", "condition")}
FIXES = {
    NUMBER: (
        "条件只能用在「如果 … 则 … 否则 …」中，例如 如果 实际 ≥ 目标 则 分值 否则 0",
        "a condition belongs in “if … then … else …”, e.g. if 实际 ≥ 目标 then 分值 else 0",
    ),
    CONDITION: (
        "写出比较，例如 如果 实际 > 0 则 … 否则 …",
        "write a comparison, e.g. if 实际 > 0 then … else …",
    ),
}
# where 实际 is never given a value: the method's pieces and the formula that computes it
TARGET_FIX = (
    "「目标」只在目标是一个数（如 ≥90%）时有值：定性目标按量表评分，区间和时限目标在公式中写出数值",
    "目标 has a value only when the target is one number (≥90%): score a word by its scale, and write"
    " the numbers of a range or a deadline in the formula",
)
ACTUAL_FIX = (
    "「实际」只在得分公式（得分 = …）中有值：得分要用实际值时写得分公式",
    "实际 has a value only in a score formula (得分 = …): write one when the score depends on the actual",
)
NO_ACTUAL = {
    "band": ("分档的结果", "a band's result"),
    "param": ("方法的参数", "a method's argument"),
    "actual": ("计算实际值的公式", "the formula that computes the actual"),
}


def check(ruleset: Ruleset) -> list[Diagnostic]:
    sources = ruleset.sources
    out: list[Diagnostic] = []
    for ind in ruleset.indicators:
        target = _target_kind(ind.target)
        if ind.score is not None:
            out.extend(_kinds(ind.score, NUMBER, sources))
            out.extend(_target(ind.score, ind.target_text, target))
            out.extend(_actual_maybe(ind.score, ind.target_text, target))
        if ind.actual is not None:
            out.extend(_kinds(ind.actual, NUMBER, sources))
            out.extend(_target(ind.actual, ind.target_text, target))
            out.extend(_no_actual(ind.actual, "actual"))
        if ind.method is not None:
            out.extend(_method(ind.method, sources, ind.target_text, target))
    for rule in ruleset.rules.kinds.values():
        out.extend(_method(rule.method, sources, "", None))
    budget = ruleset.rules.budget
    if budget.score is not None:
        out.extend(_kinds(budget.score, NUMBER, sources))
    for explain in (*ruleset.rules.explain, *budget.explain):
        out.extend(_kinds(explain.condition, CONDITION, sources))
    return out


def _target_kind(target: Target | None) -> tuple[str, str] | None:
    """What a target is when 目标 has no value in formulas (only a single number gives it one)."""
    if isinstance(target, QualitativeTarget):
        return ("文字", "a word")
    if isinstance(target, DeadlineTarget):
        return ("时限", "a deadline")
    if isinstance(target, RangeTarget):
        return ("区间", "a range")
    return None


def _method(
    method: n.Method, sources: dict[str, str], target_text: str, target: tuple[str, str] | None
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for where, exprs in (
        ("band", [b.result for b in method.bands]),
        ("param", [a.value for a in method.args]),
    ):
        for expr in exprs:
            out.extend(_kinds(expr, NUMBER, sources))
            out.extend(_no_actual(expr, where))
            out.extend(_target(expr, target_text, target))
    return out


def _kinds(root: n.Expr, want: str, sources: dict[str, str]) -> list[Diagnostic]:
    """E308 where a node gives a condition and a number is needed, or the reverse (iteratively)."""
    out: list[Diagnostic] = []
    stack: list[tuple[n.Expr, str | None]] = [(root, want)]
    while stack:
        expr, needed = stack.pop()
        got = _gives(expr)
        if got is not None and needed is not None and got != needed:
            args = {"text": written(expr, sources) or "…", "got": KINDS[got], "want": KINDS[needed]}
            out.append(Diagnostic("E308", expr.span, {**args, "fix": FIXES[needed]}))
        stack.extend(_needs(expr, needed))
    return out


def _gives(expr: n.Expr) -> str | None:
    if isinstance(expr, n.Compare | n.Logic | n.Not):
        return CONDITION
    if isinstance(expr, n.If | n.Text):
        return None  # an 如果 gives what its branches give; text only names an indicator
    return NUMBER


def _needs(expr: n.Expr, needed: str | None) -> list[tuple[n.Expr, str | None]]:
    """Each child with what it must give."""
    if isinstance(expr, n.If):
        return [(expr.cond, CONDITION), (expr.then, needed), (expr.else_, needed)]
    if isinstance(expr, n.Logic | n.Not):
        return [(c, CONDITION) for c in children(expr)]
    return [(c, NUMBER) for c in children(expr)]


def _uses(root: n.Expr, name: str) -> list[n.Var]:
    return [e for e in walk(root) if isinstance(e, n.Var) and e.name == name]


def _target(root: n.Expr, target_text: str, target: tuple[str, str] | None) -> list[Diagnostic]:
    if target is None:
        return []
    why = (f"目标「{target_text}」是{target[0]}", f"the target “{target_text}” is {target[1]}")
    args: dict[str, object] = {"name": "目标", "why": why, "fix": TARGET_FIX}
    return [Diagnostic("E309", var.span, args) for var in _uses(root, "目标")]


def _no_actual(root: n.Expr, where: str) -> list[Diagnostic]:
    zh, en = NO_ACTUAL[where]
    args: dict[str, object] = {
        "name": "实际",
        "why": (f"{zh}不使用实际值", f"{en} is computed without the actual"),
        "fix": ACTUAL_FIX,
    }
    return [Diagnostic("E309", var.span, args) for var in _uses(root, "实际")]


def _actual_maybe(root: n.Expr, target_text: str, target: tuple[str, str] | None) -> list[Diagnostic]:
    if target is None or target[0] == "区间":
        return []
    args: dict[str, object] = {"target": target_text, "kind": target}
    return [Diagnostic("W108", var.span, args, severity=Severity.WARNING) for var in _uses(root, "实际")]
