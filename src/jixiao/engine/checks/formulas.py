"""Formulas: no division by zero for an allowed input, no score above the weight, no cycles.

Bounds are found by interval arithmetic over the inputs a formula may see:
实际 and 偏差 are any value from 0 up, 目标 and 分值 are what the indicator
declares, 执行率 is from 0 up and budget amounts are positive. A divisor that is surely 0 where the
division is surely reached is E310; one whose interval holds 0 can divide by zero (E305, unless an 如果
tests one of its names); a branch an 如果 can never take for this row is not looked into;
a score formula whose upper bound exceeds the weight is silently capped. The budget block's
执行率 = … is not checked for a zero divisor: a zero denominator follows its 零预算 rule.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.expr import reference_name, walk
from jixiao.engine.methods import fmt
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import NumericTarget, RangeTarget
from jixiao.language.vocabulary import name_key
from jixiao.limits import MAX_DERIVED_DEPTH
from jixiao.messages import clip

TINY = Fraction(1, 10**9)


@dataclass(frozen=True)
class Bounds:
    """A closed interval; None is −∞ (low) or +∞ (high)."""

    low: Fraction | None
    high: Fraction | None

    def holds_zero(self) -> bool:
        return (self.low is None or self.low <= 0) and (self.high is None or self.high >= 0)

    def non_negative(self) -> bool:
        return self.low is not None and self.low >= 0


UNKNOWN = Bounds(None, None)
FROM_ZERO = Bounds(Fraction(0), None)
POSITIVE = Bounds(TINY, None)


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out = _cycles(ruleset)
    with_formulas = [ind for ind in ruleset.indicators if ind.actual is not None or ind.score is not None]
    references = _reference_inputs(ruleset) if with_formulas else {}
    for ind in with_formulas:
        inputs = ChainMap(references, _inputs(ind))  # not a copy of every reference per indicator
        for expr in (ind.actual, ind.score):
            if expr is not None:
                out.extend(_divisions(expr, inputs, frozenset(), ind))
        if ind.score is not None and ind.weight is not None:
            out.extend(_over_weight(ind.score, inputs, ind.weight))
    budget = ruleset.rules.budget
    if budget.score is not None and ruleset.document.kind == "project":
        budget_inputs = _budget_inputs(budget.weight)
        out.extend(_divisions(budget.score, budget_inputs, frozenset()))
        if budget.weight is not None:
            out.extend(_over_weight(budget.score, budget_inputs, budget.weight))
    return out


# -- the inputs a formula may see -------------------------------------------------------------------


def _inputs(ind: n.Indicator) -> dict[str, Bounds]:
    weight = Bounds(ind.weight, ind.weight) if ind.weight is not None else POSITIVE
    return {
        "实际": FROM_ZERO,
        "偏差": FROM_ZERO,
        "目标": _target_bounds(ind),
        "分值": weight,
        "得分": Bounds(Fraction(0), ind.weight),
        **_budget_inputs(None),
    }


def _reference_inputs(ruleset: Ruleset) -> dict[str, Bounds]:
    """实际(X) is positive when X plans a positive amount (≥1000人); 得分(X) lies in 0–X's weight."""
    out: dict[str, Bounds] = {}
    for ind in ruleset.indicators:
        target = ind.target
        planned = isinstance(target, NumericTarget) and target.quantity.base > 0 and ind.actual is None
        for name in (ind.name, ind.path):
            out[f"actual_of:{name}"] = POSITIVE if planned else FROM_ZERO
            out[f"score_of:{name}"] = Bounds(Fraction(0), ind.weight)
    return out


def _target_bounds(ind: n.Indicator) -> Bounds:
    target = ind.target
    if isinstance(target, NumericTarget):
        value = target.quantity.base
        return Bounds(value, value)
    if isinstance(target, RangeTarget):
        return Bounds(min(target.low.base, target.high.base), max(target.low.base, target.high.base))
    return FROM_ZERO


def _budget_inputs(weight: Fraction | None) -> dict[str, Bounds]:
    # 全年预算数 is positive once the rate exists (a zero one follows 零预算); 年初预算数 is often 0 or blank.
    inputs = {"执行率": FROM_ZERO, "年初预算数": FROM_ZERO, "全年预算数": POSITIVE, "全年执行数": FROM_ZERO}
    if weight is not None:
        inputs["分值"] = Bounds(weight, weight)
    return inputs


# -- division by zero -----------------------------------------------------------------------------


def _divisions(
    expr: n.Expr, inputs: Mapping[str, Bounds], guarded: frozenset[str], row: n.Indicator | None = None
) -> list[Diagnostic]:
    """E310 for a divisor that is 0 where the division is surely reached, E305 where it may be 0; left to
    right, with an explicit stack (a long chain `a + b + …` is no recursion).

    A `÷ 0` (no input in it) is E310 wherever it stands. A divisor that is 0 only in this row (目标 of a
    `=0起` target) is E310 at the row when every enclosing 如果 surely takes the branch it is in; a branch
    that no input of this row can take (如果 目标 > 0 … with 目标 = 0) is not looked into; when unsure, the
    old rule stands: E305 unless an enclosing 如果 tests one of the divisor's names.
    """
    out: list[Diagnostic] = []
    stack: list[tuple[n.Expr, Mapping[str, Bounds], frozenset[str], str]] = [(expr, inputs, guarded, "sure")]
    while stack:
        e, known, names, reach = stack.pop()
        if isinstance(e, n.If):
            inside = names | _names(e.cond)
            truth = truth_of(e.cond, known) if reach != "dead" else None
            branches = []
            for branch, holds in ((e.then, True), (e.else_, False)):
                taken = (
                    reach
                    if truth is holds
                    else "dead"
                    if truth is (not holds) or reach == "dead"
                    else "maybe"
                )
                branches.append((branch, narrowed(e.cond, known, holds), inside, taken))
            stack.extend(reversed(branches))
            continue
        if isinstance(e, n.BinOp) and e.op == "÷":
            out.extend(_zero_divisor(e.right, known, names, row, reach))
        stack.extend((child, known, names, reach) for child in reversed(_children(e)))
    return out


def _zero_divisor(
    divisor: n.Expr,
    inputs: Mapping[str, Bounds],
    guarded: frozenset[str],
    row: n.Indicator | None,
    reach: str,
) -> Iterator[Diagnostic]:
    described = _describe(divisor)
    if _is_zero(bounds(divisor, {})):  # `÷ 0`, `÷ (1 - 1)`: always, whatever the inputs and the guards
        yield Diagnostic("E310", divisor.span, {"divisor": described, "why": _ALWAYS, "fix": _FIX_ALWAYS})
        return
    if reach == "dead":
        return
    interval = bounds(divisor, inputs)
    if _is_zero(interval) and reach == "sure" and row is not None:
        yield Diagnostic("E310", _row_span(divisor, row), {"divisor": described, **_in_row(row, described)})
    elif interval.holds_zero() and not (_names(divisor) & guarded):
        yield Diagnostic("E305", divisor.span, {"divisor": described})


_ALWAYS = ("总是 0", "is always 0")
_FIX_ALWAYS = (
    "除数写错了：改正它；不需要除法时删去这一步除法",
    "correct the divisor, or delete the division if none is meant",
)


def _in_row(row: n.Indicator, divisor: str) -> dict[str, object]:
    name, target = clip(row.name), clip(row.target_text or "0")
    return {
        "why": (f"在指标「{name}」（目标 {target}）中是 0", f"is 0 for “{name}” (target {target})"),
        "fix": (
            f"这一行一定会做这步除法：先判断除数，例如 如果 {divisor} > 0 则 … 否则 …，"
            "或为这一行另写得分公式",
            f"this row always reaches the division: guard it, e.g. if {divisor} > 0 then … else …, "
            "or give this row a formula of its own",
        ),
    }


def _row_span(divisor: n.Expr, row: n.Indicator) -> Span:
    """The divisor when written in the row; else (a named formula's) the row's target, where the 0 is."""
    start, end = row.span, divisor.span
    inside = end.path == start.path and start.line <= end.line <= (start.end_line or start.line)
    return divisor.span if inside else row.target_span or row.span


def _is_zero(interval: Bounds) -> bool:
    return interval.low == interval.high == 0


def _children(expr: n.Expr) -> tuple[n.Expr, ...]:
    if isinstance(expr, n.BinOp | n.Compare | n.Logic):
        return (expr.left, expr.right)
    if isinstance(expr, n.Neg | n.Not):
        return (expr.operand,)
    if isinstance(expr, n.Call) and expr.func not in ("actual_of", "score_of"):
        return expr.args
    return ()


def _names(expr: n.Expr) -> frozenset[str]:
    found = {e.name for e in walk(expr) if isinstance(e, n.Var)}
    found |= {f"{e.func}:{reference_name(e)}" for e in walk(expr) if isinstance(e, n.Call)}
    return frozenset(found)


def _describe(expr: n.Expr) -> str:
    if isinstance(expr, n.Var):
        return expr.name
    if isinstance(expr, n.Num):
        return fmt(expr.value)
    if isinstance(expr, n.BinOp):
        first, links = n.spine(expr)
        return " ".join([_describe(first), *(f"{link.op} {_describe(link.right)}" for link in links)])
    if isinstance(expr, n.Call):
        return f"{expr.func}({reference_name(expr)})" if expr.func in ("actual_of", "score_of") else expr.func
    return "…"


# -- bounds ---------------------------------------------------------------------------------------


def bounds(expr: n.Expr, inputs: Mapping[str, Bounds]) -> Bounds:
    """An interval holding every value the expression can take (UNKNOWN when not numeric)."""
    if isinstance(expr, n.Num):
        return Bounds(expr.value, expr.value)
    if isinstance(expr, n.Var):
        return inputs.get(expr.name, UNKNOWN)
    if isinstance(expr, n.Neg):
        inner = bounds(expr.operand, inputs)
        return Bounds(_negate(inner.high), _negate(inner.low))
    if isinstance(expr, n.BinOp):  # a chain `a + b + …` link by link, in a loop
        first, links = n.spine(expr)
        value = bounds(first, inputs)
        for link in links:
            value = _arith(link.op, value, bounds(link.right, inputs))
        return value
    if isinstance(expr, n.If):
        then = bounds(expr.then, narrowed(expr.cond, inputs, True))
        return _union(then, bounds(expr.else_, narrowed(expr.cond, inputs, False)))
    if isinstance(expr, n.Call):
        return _call(expr, inputs)
    return UNKNOWN


_FLIP = {"≥": "≤", "≤": "≥", ">": "<", "<": ">"}
_NOT = {"≥": "<", "≤": ">", ">": "≤", "<": "≥"}


def narrowed(cond: n.Expr, inputs: Mapping[str, Bounds], holds: bool) -> Mapping[str, Bounds]:
    """The inputs where `cond` holds (or not): 如果 实际 ≤ 目标 … 否则 … bounds 实际 below 目标 in the else.

    Only a comparison of a variable with anything bounded narrows; everything else leaves the inputs.
    """
    if not isinstance(cond, n.Compare) or cond.op not in _FLIP:
        return inputs
    op = cond.op if holds else _NOT[cond.op]
    if isinstance(cond.left, n.Var) and cond.left.name in inputs:
        return _narrow(inputs, cond.left.name, op, bounds(cond.right, inputs))
    if isinstance(cond.right, n.Var) and cond.right.name in inputs:
        return _narrow(inputs, cond.right.name, _FLIP[op], bounds(cond.left, inputs))
    return inputs


def truth_of(cond: n.Expr, inputs: Mapping[str, Bounds]) -> bool | None:
    """True when `cond` holds for every input, False when for none, None when it depends or is not known.

    `目标 > 0` is False where 目标 is 0, so `如果 目标 > 0 则 … ÷ 目标` never divides by that 0.
    """
    if isinstance(cond, n.Not):
        inner = truth_of(cond.operand, inputs)
        return None if inner is None else not inner
    if isinstance(cond, n.Logic):  # a chain `a 或 b 或 …` link by link along its spine, in a loop
        first, links = n.spine(cond)
        value = truth_of(first, inputs)
        for link in links:
            right = truth_of(link.right, inputs)
            decided = link.op == "或"  # what either side decides: false for 且, true for 或
            if decided in (value, right):
                value = decided
            else:
                value = None if None in (value, right) else not decided
        return value
    if isinstance(cond, n.Compare):
        return _compare(cond.op, bounds(cond.left, inputs), bounds(cond.right, inputs))
    return None


def _compare(op: str, a: Bounds, b: Bounds) -> bool | None:
    if op in ("<", "≤"):
        return _compare(">" if op == "<" else "≥", b, a)
    if op in ("=", "≠"):
        equal = _equal(a, b)
        return equal if op == "=" or equal is None else not equal
    strict = op == ">"
    if a.low is not None and b.high is not None and (a.low > b.high or (a.low == b.high and not strict)):
        return True
    if a.high is not None and b.low is not None and (a.high < b.low or (a.high == b.low and strict)):
        return False
    return None


def _equal(a: Bounds, b: Bounds) -> bool | None:
    if a.low is not None and a.low == a.high == b.low == b.high:
        return True
    apart = (a.high is not None and b.low is not None and a.high < b.low) or (
        b.high is not None and a.low is not None and b.high < a.low
    )
    return False if apart else None


def _narrow(inputs: Mapping[str, Bounds], name: str, op: str, other: Bounds) -> Mapping[str, Bounds]:
    """`name op other`: a lower bound from ≥/>, an upper bound from ≤/< (closed, so never too tight)."""
    current = inputs[name]
    if op in ("≥", ">") and other.low is not None:
        low = other.low if current.low is None else max(current.low, other.low)
        return _With(inputs, name, Bounds(low, current.high))
    if op in ("≤", "<") and other.high is not None:
        high = other.high if current.high is None else min(current.high, other.high)
        return _With(inputs, name, Bounds(current.low, high))
    return inputs


class _With(Mapping[str, Bounds]):
    """`inputs` with the bounds of one of its names replaced, not copied (a ruleset's references are many)."""

    def __init__(self, inputs: Mapping[str, Bounds], name: str, value: Bounds) -> None:
        self.inputs, self.name, self.value = inputs, name, value

    def __getitem__(self, key: str) -> Bounds:
        return self.value if key == self.name else self.inputs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.inputs)

    def __len__(self) -> int:
        return len(self.inputs)


def _negate(x: Fraction | None) -> Fraction | None:
    return None if x is None else -x


def _union(a: Bounds, b: Bounds) -> Bounds:
    low = None if a.low is None or b.low is None else min(a.low, b.low)
    high = None if a.high is None or b.high is None else max(a.high, b.high)
    return Bounds(low, high)


def _arith(op: str, a: Bounds, b: Bounds) -> Bounds:
    if op == "+":
        return Bounds(_add(a.low, b.low), _add(a.high, b.high))
    if op == "-":
        return Bounds(_add(a.low, _negate(b.high)), _add(a.high, _negate(b.low)))
    if not (a.non_negative() and b.non_negative()):
        return UNKNOWN
    if op == "×":
        return Bounds(_mul(a.low, b.low), _mul(a.high, b.high))
    if b.holds_zero():
        return Bounds(Fraction(0), None)
    assert b.low is not None
    low = Fraction(0) if b.high is None or a.low is None else a.low / b.high
    return Bounds(low, None if a.high is None else a.high / b.low)


def _add(x: Fraction | None, y: Fraction | None) -> Fraction | None:
    return None if x is None or y is None else x + y


def _mul(x: Fraction | None, y: Fraction | None) -> Fraction | None:
    if x == 0 or y == 0:
        return Fraction(0)
    return None if x is None or y is None else x * y


def _call(expr: n.Call, inputs: Mapping[str, Bounds]) -> Bounds:
    if expr.func in ("actual_of", "score_of"):
        return inputs.get(f"{expr.func}:{reference_name(expr)}", FROM_ZERO)
    args = [bounds(a, inputs) for a in expr.args]
    if not args:
        return UNKNOWN
    if expr.func in ("cap", "min"):
        highs = [a.high for a in args if a.high is not None]
        low = None if any(a.low is None for a in args) else min(a.low for a in args if a.low is not None)
        return Bounds(low, min(highs) if highs else None)
    if expr.func in ("floor", "max"):
        lows = [a.low for a in args if a.low is not None]
        high = None if any(a.high is None for a in args) else max(a.high for a in args if a.high is not None)
        return Bounds(max(lows) if lows else None, high)
    return Bounds(Fraction(0), None) if expr.func == "abs" else UNKNOWN


def _over_weight(expr: n.Expr, inputs: Mapping[str, Bounds], weight: Fraction) -> list[Diagnostic]:
    high = bounds(expr, inputs).high
    if high is not None and high <= weight:
        return []
    bound = "∞" if high is None else fmt(high)
    return [Diagnostic("W105", expr.span, {"bound": bound, "weight": fmt(weight)}, severity=Severity.WARNING)]


# -- cycles among derived indicators --------------------------------------------------------------


def _cycles(ruleset: Ruleset) -> list[Diagnostic]:
    """Cycles among derived indicators (E207); without one, chains longer than the limit (E906)."""
    indicators = ruleset.indicators
    by_name: dict[str, n.Indicator] = {}
    for ind in indicators:
        by_name.setdefault(name_key(ind.name), ind)
        by_name.setdefault(name_key(ind.path), ind)
    edges = {ind.path: sorted(_references(ind, by_name)) for ind in indicators}
    spans = {ind.path: ind.span for ind in indicators}
    out: list[Diagnostic] = []
    for cycle in _find_cycles([ind.path for ind in indicators], edges):
        names = " → ".join(p.rsplit("/", 1)[-1] for p in [*cycle, cycle[0]])
        out.append(Diagnostic("E207", spans[cycle[0]], {"cycle": names}))
    if not out:
        out.extend(_long_chains([ind.path for ind in indicators], edges, spans))
    return out


def _find_cycles(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per back edge of a depth-first search, in table order (each node visited once)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    cycles: list[list[str]] = []
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        path, stack = [root], [iter(edges.get(root, ()))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :])
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(edges.get(nxt, ())))
    return cycles


def _long_chains(nodes: list[str], edges: dict[str, list[str]], spans: dict[str, Span]) -> list[Diagnostic]:
    """The first indicator (in table order) heading a chain of derived values longer than the limit."""
    depth: dict[str, int] = {}
    for root in nodes:
        stack = [root]
        while stack:
            node = stack[-1]
            waiting = [m for m in edges.get(node, ()) if m not in depth and m != node]
            if waiting and node not in depth:
                stack.extend(waiting)
                continue
            stack.pop()
            depth.setdefault(
                node, 1 + max((depth.get(m, 0) for m in edges.get(node, ()) if m != node), default=0)
            )
    for node in nodes:
        if depth[node] > MAX_DERIVED_DEPTH:
            name = node.rsplit("/", 1)[-1]
            return [Diagnostic("E906", spans[node], {"limit": MAX_DERIVED_DEPTH, "name": name})]
    return []


def _references(ind: n.Indicator, by_name: dict[str, n.Indicator]) -> set[str]:
    """The indicators whose actual value or score this one's formulas need (itself for 实际 in 实际 = …)."""
    found: set[str] = set()
    for which, expr in (("actual", ind.actual), ("score", ind.score)):
        if expr is None:
            continue
        for node in walk(expr):
            if isinstance(node, n.Call) and node.func in ("actual_of", "score_of"):
                other = by_name.get(name_key(reference_name(node)))
                if other is not None:
                    found.add(other.path)
            elif isinstance(node, n.Var) and node.name in _SELF[which]:
                found.add(ind.path)
    return found


_SELF = {"actual": ("实际", "得分", "偏差"), "score": ("得分",)}
