"""The order in which a run scores indicators: each one after the indicators its formulas refer to.

Scoring on demand (实际(X) scores X when first needed) nests one Python call per reference; a long
chain of derived values would exhaust the stack. Scoring in this order, computed once per plan, leaves
every reference already scored: the depth of a run no longer grows with the chain. The order is the
one on-demand scoring would take (depth first, in table order), so findings keep their order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from jixiao.engine.expr import reference_name, walk
from jixiao.language import nodes as n
from jixiao.language.vocabulary import name_key


def formulas(ind: n.Indicator, method: n.Method | None = None) -> Iterator[n.Expr]:
    """Every formula of an indicator, in the order a run evaluates them."""
    yield from (e for e in (ind.actual, ind.score) if e is not None)
    for found in (method or ind.method,):
        if found is not None:
            yield from (a.value for a in found.args)
            yield from (b.result for b in found.bands)


def referenced(exprs: Iterator[n.Expr]) -> list[str]:
    """Names of the indicators that 实际(…) and 得分(…) refer to, in order of appearance."""
    names: list[str] = []
    for expr in exprs:
        for node in walk(expr):
            if isinstance(node, n.Call) and node.func in ("actual_of", "score_of"):
                names.append(reference_name(node))
    return names


def evaluation_order(
    items: Sequence[str], references: Callable[[str], list[str]], lookup: Callable[[str], str | None]
) -> list[str]:
    """`items` (keys) so that each comes after those it references (iterative; a cycle is just cut)."""
    done: set[str] = set()
    order: list[str] = []
    for item in items:
        if item in done:  # already placed, as a reference of an earlier item
            continue
        stack: list[tuple[str, Iterator[str]]] = [(item, iter(references(item)))]
        done.add(item)
        while stack:
            key, pending = stack[-1]
            nxt = next((k for name in pending if (k := lookup(name)) is not None and k not in done), None)
            if nxt is None:
                stack.pop()
                order.append(key)
                continue
            done.add(nxt)
            stack.append((nxt, iter(references(nxt))))
    return order


def name_lookup(by_path: dict[str, str], by_name: dict[str, list[str]]) -> Callable[[str], str | None]:
    """How a run finds the indicator a reference names: its path, else its unique name."""

    def lookup(name: str) -> str | None:
        key = name_key(name)
        if key in by_path:
            return by_path[key]
        found = by_name.get(key, [])
        return found[0] if len(found) == 1 else None

    return lookup
