"""Named formulas: `公式 封顶比例 = …` written once (in a policy or a project), used by name in any formula.

`resolve` expands every use into the formula's expression before the checks run, so a named formula is
checked (units, division by zero, the weight bound) and scored exactly as if it were written in each row;
its nodes keep the spans of the definition, so an error inside it points there. A formula may use other
named formulas; a cycle is E216, and a name that is already a variable (实际, 执行率 …) is E217.

Each formula is expanded once, innermost first with an explicit stack (a chain of thousands is no
recursion), and every use shares that one expansion. The later stages walk the expanded rows as trees,
so a formula that uses another twice doubles with each level (`f2 = f1 + f1`: 30 levels are a
billion nodes): a formula, its named formulas written out, has at most MAX_FORMULA_NODES nodes and
MAX_EXPR_DEPTH levels of operations, and a ruleset's expanded formulas MAX_EXPANDED_NODES nodes in all
(E912, E904), each measured from the sizes of the formulas it uses, never by writing it out first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.language import nodes as n
from jixiao.language.vocabulary import BUDGET_VARS, INDICATOR_VARS
from jixiao.limits import MAX_EXPANDED_NODES, MAX_EXPR_DEPTH, MAX_FORMULA_NODES

RESERVED = frozenset((*INDICATOR_VARS, *BUDGET_VARS))
Formulas = dict[str, n.FormulaDef]
_ALL = ("规则中的公式合计", "the total of the ruleset's formulas")


class Sized(NamedTuple):
    """An expanded expression, the nodes it has as a tree and its operators nested (as E904 counts)."""

    expr: n.Expr
    size: int
    depth: int


def check_names(formulas: Formulas) -> None:
    """A named formula may not take the name of a variable (E217)."""
    taken = [f for f in formulas.values() if f.name in RESERVED]
    if taken:
        raise JixiaoError([Diagnostic("E217", f.span, {"name": f.name}) for f in taken])


class Expander:
    """The named formulas of one ruleset, each expanded once, and the nodes expanded so far (`total`)."""

    def __init__(self, formulas: Formulas) -> None:
        self.formulas = formulas
        self.done: dict[str, Sized] = {}
        self.total = 0  # nodes the checks and the compiler will walk beyond those written in the rows
        self.steps = 0  # nodes built: each written node once per expression or definition, never per use

    def expand(self, expr: n.Expr) -> n.Expr:
        """`expr` with every named formula written out; E904/E912 at `expr` when that is too deep or large."""
        for name in _uses(expr, self.formulas):
            self.settle(name)
        written = self.steps
        sized = _bounded(self._build(expr), expr.span, ("这个公式", "this formula"))
        return self._counted(sized, sized.size - (self.steps - written), expr.span)

    def formula(self, name: str) -> n.Expr:
        """The named formula `name` written out (counted in `total`, as the checks walk it)."""
        self.settle(name)
        return self._counted(self.done[name], self.done[name].size, self.formulas[name].span)

    def settle(self, name: str) -> None:
        """Expand `name` and the formulas it uses, innermost first; a cycle is E216 at its first formula."""
        if name in self.done:
            return
        path, on_path = [name], {name}
        pending: list[Iterator[str]] = [iter(_uses(self.formulas[name].expr, self.formulas))]
        while pending:
            use = next((u for u in pending[-1] if u not in self.done), None)
            if use is None:
                pending.pop()
                done = path.pop()
                on_path.discard(done)
                self.done[done] = self._define(done)
            elif use in on_path:
                cycle = " → ".join([*path[path.index(use) :], use])
                raise JixiaoError.single("E216", self.formulas[use].span, cycle=cycle)
            else:
                path.append(use)
                on_path.add(use)
                pending.append(iter(_uses(self.formulas[use].expr, self.formulas)))

    def _define(self, name: str) -> Sized:
        definition = self.formulas[name]
        return _bounded(self._build(definition.expr), definition.span, _called(name))

    def _build(self, expr: n.Expr) -> Sized:
        """`expr` rebuilt over its children's expansions (only its own written nodes are visited)."""
        if isinstance(expr, n.BinOp | n.Logic):
            return self._chain(expr)
        self.steps += 1
        if isinstance(expr, n.Var) and expr.name in self.formulas:
            return self.done[expr.name]
        children = _children(expr)
        if not children:
            return Sized(expr, 1, 0)
        built = [self._build(child) for child in children]
        same = all(b.expr is child for b, child in zip(built, children, strict=True))
        rebuilt = expr if same else _rebuild(expr, [b.expr for b in built])
        return Sized(rebuilt, 1 + sum(b.size for b in built), 1 + max(b.depth for b in built))

    def _chain(self, expr: n.BinOp | n.Logic) -> Sized:
        """A chain `a + b − c …` (or `a 或 b 或 …`) rebuilt link by link, in a loop: one level of E904
        however long (a link continues the chain when its left operand, written out, is of its kind:
        + − or × ÷, 或, 且)."""
        first, links = n.spine(expr)
        built = self._build(first)
        for link in links:
            self.steps += 1
            right = self._build(link.right)
            same = built.expr is link.left and right.expr is link.right
            rebuilt = link if same else replace(link, left=built.expr, right=right.expr)
            continues = same_kind(built.expr, link)
            depth = max(built.depth if continues else 1 + built.depth, 1 + right.depth)
            built = Sized(rebuilt, 1 + built.size + right.size, depth)
        return built

    def _counted(self, sized: Sized, added: int, span: Span) -> n.Expr:
        """`sized.expr`, `added` nodes (more than written) counted in `total`: E912 past the limit."""
        self.total += added
        if self.total > MAX_EXPANDED_NODES:
            raise JixiaoError.single("E912", span, what=_ALL, limit=MAX_EXPANDED_NODES)
        return sized.expr


def same_kind(a: n.Expr, b: n.BinOp | n.Logic) -> bool:
    """Whether `a`, the left operand of `b`, continues its chain as one level: both + or −, both × or ÷,
    both 或 or both 且."""
    if isinstance(b, n.Logic):
        return isinstance(a, n.Logic) and a.op == b.op
    return isinstance(a, n.BinOp) and (a.op in "+-") == (b.op in "+-")


def _called(name: str) -> tuple[str, str]:
    return (f"公式「{name}」", f"formula “{name}”")


def _bounded(sized: Sized, span: Span, what: tuple[str, str]) -> Sized:
    if sized.depth > MAX_EXPR_DEPTH:
        raise JixiaoError.single("E904", span, limit=MAX_EXPR_DEPTH)
    if sized.size > MAX_FORMULA_NODES:
        raise JixiaoError.single("E912", span, what=what, limit=MAX_FORMULA_NODES)
    return sized


def _uses(expr: n.Expr, formulas: Formulas) -> list[str]:
    """The named formulas `expr` uses, left to right, each once."""
    found: dict[str, None] = {}
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, n.Var) and e.name in formulas:
            found[e.name] = None
        stack.extend(reversed(_children(e)))
    return list(found)


def _children(expr: n.Expr) -> list[n.Expr]:
    """The sub-expressions expansion looks into, in order (not the indicator named by 实际(…), 得分(…))."""
    if isinstance(expr, n.BinOp | n.Compare | n.Logic):
        return [expr.left, expr.right]
    if isinstance(expr, n.Neg | n.Not):
        return [expr.operand]
    if isinstance(expr, n.If):
        return [expr.cond, expr.then, expr.else_]
    if isinstance(expr, n.Call) and expr.func not in ("actual_of", "score_of"):
        return list(expr.args)
    return []


def _rebuild(expr: n.Expr, children: list[n.Expr]) -> n.Expr:
    """The same node with new sub-expressions (in the order of `_children`)."""
    if isinstance(expr, n.BinOp | n.Compare | n.Logic):
        return replace(expr, left=children[0], right=children[1])
    if isinstance(expr, n.Neg | n.Not):
        return replace(expr, operand=children[0])
    if isinstance(expr, n.If):
        return replace(expr, cond=children[0], then=children[1], else_=children[2])
    assert isinstance(expr, n.Call)  # the only other node with children
    return replace(expr, args=tuple(children))


def expand_indicator(ind: n.Indicator, expander: Expander) -> n.Indicator:
    """An indicator whose 实际 = … and 得分 = … use no named formula any more."""
    actual = expander.expand(ind.actual) if ind.actual is not None else None
    score = expander.expand(ind.score) if ind.score is not None else None
    return replace(ind, actual=actual, score=score)


def expand_explain(explain: tuple[n.ExplainWhen, ...], expander: Expander) -> tuple[n.ExplainWhen, ...]:
    """`需说明 当 …` conditions with every named formula written out (each measured as an indicator's);
    `explain` itself when none uses one."""
    if not any(_uses(e.condition, expander.formulas) for e in explain):
        return explain
    return tuple(replace(e, condition=expander.expand(e.condition)) for e in explain)


def expand_document(
    document: n.Document, formulas: Formulas, *explain: tuple[n.ExplainWhen, ...]
) -> tuple[n.Document, tuple[tuple[n.ExplainWhen, ...], ...]]:
    """The document with named formulas expanded in its indicators' formulas, and each set of `需说明`
    conditions (`explain`) likewise; every definition, used or not, is measured too (the checks walk each
    one expanded)."""
    if not formulas:
        return document, explain
    check_names(formulas)
    expander = Expander(formulas)
    expanded = document.map_blocks(
        lambda b: replace(b, indicators=tuple(expand_indicator(i, expander) for i in b.indicators))
    )
    conditions = tuple(expand_explain(e, expander) for e in explain)
    for name in formulas:
        expander.formula(name)
    return expanded, conditions
