"""Named formulas in a diff: a row's formula shown as written, and a change of a formula reported once.

`resolve` expands every use of a named formula (公式 封顶比例 = …) into the rows before the checks, so a
resolved row holds the formula's expression, its nodes keeping the spans of the definition. `collapse`
folds such an expansion back into the name, so a row reads `得分 = 0.9 × 封顶比例` again; a row whose
folded formula is unchanged changed only through the named formula, which is reported once, as the
definition's change (`named_changes`). `with_formula` puts one definition's new version into the old
rows, for attributing a score change to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import replace

from jixiao.diagnostics import JixiaoError, Span
from jixiao.engine.named import Expander
from jixiao.engine.resolve import Rules
from jixiao.language import nodes as n
from jixiao.tools.compare.show import Add, Show

Formulas = dict[str, n.FormulaDef]


def collapse(e: n.Expr, formulas: Formulas) -> n.Expr:
    """`e` with each expanded use of a named formula folded back into the formula's name."""
    uses = _expansions(formulas)
    if not uses:
        return e

    def named(x: n.Expr) -> n.Expr | None:
        for name, body, span in uses:
            if x.span == span and x == body:
                return n.Var(name, span)
        return None

    def fold(x: n.Expr) -> n.Expr:
        found = named(x)
        if found is not None:
            return found
        if isinstance(x, n.BinOp | n.Logic):
            return _fold_chain(x, named, fold)
        return _map_children(x, fold)

    return fold(e)


def _fold_chain(
    x: n.BinOp | n.Logic, named: Callable[[n.Expr], n.Expr | None], fold: Callable[[n.Expr], n.Expr]
) -> n.Expr:
    """A chain `a + b + …` (`a 或 b …`) folded along its spine in a loop: the outermost link that is a
    named formula's expansion becomes its name, and the links outside it are rebuilt over it."""
    first, links = n.spine(x)
    built, start = None, 0
    for i in reversed(range(len(links) - 1)):  # `x` itself (the last link) is no expansion
        built = named(links[i])
        if built is not None:
            start = i + 1
            break
    if built is None:
        built = fold(first)
    for link in links[start:]:
        right = fold(link.right)
        if built is not link.left or right is not link.right:
            built = replace(link, left=built, right=right)
        else:
            built = link
    return built


def _expansions(formulas: Formulas) -> list[tuple[str, n.Expr, Span]]:
    """Each formula's expansion as `resolve` puts it into a row, with the span its root keeps."""
    out = []
    expander = Expander(formulas)
    for name in formulas:
        try:
            body = expander.formula(name)
        except JixiaoError:  # a cycle (E216): no row can use it
            continue
        out.append((name, body, body.span))
    return out


def _map_children(e: n.Expr, f: Callable[[n.Expr], n.Expr]) -> n.Expr:
    """The same node with `f` applied to each sub-expression (fields and tuples of expressions)."""
    updates: dict[str, object] = {}
    for field in dataclasses.fields(e):
        value = getattr(e, field.name)
        if isinstance(value, n.Expr):
            updates[field.name] = f(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, n.Expr) for v in value):
            updates[field.name] = tuple(f(v) for v in value)
    return replace(e, **updates) if updates else e  # type: ignore[arg-type]


def written_formula(e: n.Expr | None, formulas: Formulas) -> n.Expr | None:
    return None if e is None else collapse(e, formulas)


def named_changes(old: Rules, new: Rules, show: Show, add: Add) -> None:
    """A named formula added, removed or redefined (its text as written; uses of other names kept)."""
    for name in dict.fromkeys([*old.formulas, *new.formulas]):
        a, b = old.formulas.get(name), new.formulas.get(name)
        before, after = (a.expr if a else None), (b.expr if b else None)
        if before != after:
            where = f"{show.kw('formula')} {name}"
            add("named_formula", where, show.expr(before), show.expr(after), key=f"formula:{name}")


def with_formula(document: n.Document, old: Formulas, new: Formulas, name: str) -> n.Document:
    """The old document with the named formula `name` as the new ruleset defines it (or without it)."""
    formulas = {k: v for k, v in old.items() if k != name}
    if name in new:
        formulas[name] = new[name]

    expander = Expander(formulas)

    def again(e: n.Expr | None) -> n.Expr | None:
        return None if e is None else expander.expand(collapse(e, old))

    def indicator(i: n.Indicator) -> n.Indicator:
        return replace(i, actual=again(i.actual), score=again(i.score))

    return document.map_blocks(lambda b: replace(b, indicators=tuple(indicator(i) for i in b.indicators)))
