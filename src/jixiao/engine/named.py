"""Named formulas: `公式 封顶比例 = …` written once (in a policy or a project), used by name in any formula.

`resolve` expands every use into the formula's expression before the checks run, so a named formula is
checked (units, division by zero, the weight bound) and scored exactly as if it were written in each row;
its nodes keep the spans of the definition, so an error inside it points there. A formula may use other
named formulas; a cycle is E216, and a name that is already a variable (实际, 执行率 …) is E217.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from jixiao.diagnostics import Diagnostic, JixiaoError
from jixiao.language import nodes as n
from jixiao.language.vocabulary import BUDGET_VARS, INDICATOR_VARS

RESERVED = frozenset((*INDICATOR_VARS, *BUDGET_VARS))


def check_names(formulas: dict[str, n.FormulaDef]) -> None:
    """A named formula may not take the name of a variable (E217)."""
    taken = [f for f in formulas.values() if f.name in RESERVED]
    if taken:
        raise JixiaoError([Diagnostic("E217", f.span, {"name": f.name}) for f in taken])


def expand(expr: n.Expr, formulas: dict[str, n.FormulaDef], stack: tuple[str, ...] = ()) -> n.Expr:
    """`expr` with every use of a named formula replaced by the formula's (expanded) expression."""
    if isinstance(expr, n.Var) and expr.name in formulas:
        if expr.name in stack:
            cycle = " → ".join([*stack[stack.index(expr.name) :], expr.name])
            raise JixiaoError.single("E216", formulas[expr.name].span, cycle=cycle)
        return expand(formulas[expr.name].expr, formulas, (*stack, expr.name))
    return _rebuild(expr, lambda child: expand(child, formulas, stack))


def _rebuild(expr: n.Expr, f: Callable[[n.Expr], n.Expr]) -> n.Expr:
    """The same node with `f` applied to its sub-expressions."""
    if isinstance(expr, n.BinOp | n.Compare | n.Logic):
        return replace(expr, left=f(expr.left), right=f(expr.right))
    if isinstance(expr, n.Neg | n.Not):
        return replace(expr, operand=f(expr.operand))
    if isinstance(expr, n.If):
        return replace(expr, cond=f(expr.cond), then=f(expr.then), else_=f(expr.else_))
    if isinstance(expr, n.Call) and expr.func not in ("actual_of", "score_of"):
        return replace(expr, args=tuple(f(a) for a in expr.args))
    return expr


def expand_indicator(ind: n.Indicator, formulas: dict[str, n.FormulaDef]) -> n.Indicator:
    """An indicator whose 实际 = … and 得分 = … use no named formula any more."""
    actual = expand(ind.actual, formulas) if ind.actual is not None else None
    score = expand(ind.score, formulas) if ind.score is not None else None
    return replace(ind, actual=actual, score=score)


def expand_document(document: n.Document, formulas: dict[str, n.FormulaDef]) -> n.Document:
    """The document with named formulas expanded in its indicators' formulas."""
    if not formulas:
        return document
    check_names(formulas)
    return document.map_blocks(
        lambda b: replace(b, indicators=tuple(expand_indicator(i, formulas) for i in b.indicators))
    )
