"""Compile formula expressions to Python closures, once per ruleset.

Values are exact `Fraction`s (or booleans for conditions); nothing is a float.
A closure takes an `Env` that knows the variables of the indicator being
scored and how to reach other indicators. Failures carry the span of the node
that failed (`EvalError`), so the user sees where in the ruleset it happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.language import nodes as n
from jixiao.limits import MAX_NUMBER_BITS

Value = Fraction | bool
Compiled = Callable[["Env"], Value]


class EvalError(Exception):
    """An expression could not be evaluated: code E601/E602 at `span`."""

    def __init__(self, code: str, span: Span, detail: tuple[str, str] = ("", "")) -> None:
        super().__init__(detail[1])
        self.code = code
        self.span = span
        self.detail = detail


class Unavailable(Exception):
    """A variable has no value for this indicator (e.g. 实际 of a qualitative target)."""

    def __init__(self, name: str, span: Span) -> None:
        super().__init__(name)
        self.name = name
        self.span = span


@dataclass
class Env:
    """Variables visible to a formula, and access to other indicators."""

    values: dict[str, Fraction] = field(default_factory=dict)
    actual_of: Callable[[str, Span], Fraction] | None = None
    score_of: Callable[[str, Span], Fraction] | None = None


def compile_expr(expr: n.Expr) -> Compiled:
    """Turn an expression node into a closure computing its exact value."""
    compiler = _COMPILERS.get(type(expr))
    if compiler is None:  # pragma: no cover - the transformer builds only known nodes
        raise TypeError(type(expr).__name__)
    return compiler(expr)


def number(value: Value, span: Span) -> Fraction:
    if isinstance(value, bool):
        raise EvalError("E602", span, ("条件不能当作数", "a condition is not a number"))
    return value


def truth(value: Value, span: Span) -> bool:
    if not isinstance(value, bool):
        raise EvalError("E602", span, ("数不能当作条件", "a number is not a condition"))
    return value


def _num(e: n.Num) -> Compiled:
    value = e.value
    return lambda env: value


def _var(e: n.Var) -> Compiled:
    name, span = e.name, e.span

    def run(env: Env) -> Value:
        try:
            return env.values[name]
        except KeyError:
            raise Unavailable(name, span) from None

    return run


def _text(e: n.Text) -> Compiled:
    span = e.span

    def run(env: Env) -> Value:
        raise EvalError("E602", span, ("文字只能用作指标名", "text is only an indicator name"))

    return run


def _binop(e: n.BinOp) -> Compiled:
    """A chain `a + b − c …` (`nodes.spine`) as one closure that loops over its links: a sum of any length
    is no deeper a call than one operation. Its parts are computed in the order of the nested
    operations: a divisor before the left side it divides (its zero is E601 first), any other right
    side after it."""
    first, chain = n.spine(e)
    if len(chain) == 1:
        return _link(e.op, compile_expr(first), compile_expr(e.right), e.span, e.right.span)
    start = compile_expr(first)
    links = tuple((link.op, compile_expr(link.right), link.span, link.right.span) for link in chain)
    divisions = tuple(i for i in reversed(range(len(links))) if links[i][0] == "÷")

    def run(env: Env) -> Value:
        divisors = {i: _divisor(links[i][1](env), links[i][2], links[i][3]) for i in divisions}
        value = start(env)
        for i, (op, right, span, _) in enumerate(links):
            left = number(value, span)
            if op == "÷":
                value = bounded(left / divisors[i], span)
            else:
                value = bounded(_ARITH[op](left, number(right(env), span)), span)
        return value

    return run


_ARITH: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "×": lambda a, b: a * b,
}


def _divisor(value: Value, span: Span, at: Span) -> Fraction:
    divisor = number(value, span)
    if divisor == 0:
        raise EvalError("E601", at)
    return divisor


def _link(op: str, left: Compiled, right: Compiled, span: Span, right_span: Span) -> Compiled:
    if op == "+":
        return lambda env: bounded(number(left(env), span) + number(right(env), span), span)
    if op == "-":
        return lambda env: bounded(number(left(env), span) - number(right(env), span), span)
    if op == "×":
        return lambda env: bounded(number(left(env), span) * number(right(env), span), span)

    def divide(env: Env) -> Value:
        divisor = _divisor(right(env), span, right_span)
        return bounded(number(left(env), span) / divisor, span)

    return divide


def bounded(value: Fraction, span: Span) -> Fraction:
    """An exact result no larger than MAX_NUMBER_BITS (E908): squaring along a chain cannot run away."""
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_NUMBER_BITS:
        limit = MAX_NUMBER_BITS
        raise EvalError("E908", span, (f"超过 {limit} 位二进制", f"more than {limit} bits"))
    return value


def _neg(e: n.Neg) -> Compiled:
    operand, span = compile_expr(e.operand), e.span
    return lambda env: -number(operand(env), span)


_COMPARE: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "≥": lambda a, b: a >= b,
    "≤": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "≠": lambda a, b: a != b,
}


def _compare(e: n.Compare) -> Compiled:
    left, right, span, test = compile_expr(e.left), compile_expr(e.right), e.span, _COMPARE[e.op]
    return lambda env: test(number(left(env), span), number(right(env), span))


def _logic(e: n.Logic) -> Compiled:
    """A chain `a 或 b 且 c …` (`nodes.spine`) as one closure that loops over its links, each short-circuit
    as the nested operations are: a condition of any length is no deeper a call than one 或."""
    first, chain = n.spine(e)
    if len(chain) == 1:
        left, right, span = compile_expr(e.left), compile_expr(e.right), e.span
        if e.op == "且":
            return lambda env: truth(left(env), span) and truth(right(env), span)
        return lambda env: truth(left(env), span) or truth(right(env), span)
    start = compile_expr(first)
    links = tuple((link.op == "且", compile_expr(link.right), link.span) for link in chain)

    def run(env: Env) -> Value:
        value = truth(start(env), links[0][2])
        for both, right, span in links:
            if value is both:  # 且 after true, 或 after false: the right side decides
                value = truth(right(env), span)
        return value

    return run


def _not(e: n.Not) -> Compiled:
    operand, span = compile_expr(e.operand), e.span
    return lambda env: not truth(operand(env), span)


def _if(e: n.If) -> Compiled:
    cond, then, else_, span = (
        compile_expr(e.cond),
        compile_expr(e.then),
        compile_expr(e.else_),
        e.span,
    )
    return lambda env: then(env) if truth(cond(env), span) else else_(env)


def _call(e: n.Call) -> Compiled:
    if e.func in ("actual_of", "score_of"):
        return _reference(e)
    args = tuple(compile_expr(a) for a in e.args)
    span, func = e.span, _FUNCS[e.func]
    return lambda env: func([number(a(env), span) for a in args])


def _reference(e: n.Call) -> Compiled:
    target, span, which = reference_name(e), e.span, e.func

    def run(env: Env) -> Value:
        lookup = env.actual_of if which == "actual_of" else env.score_of
        if lookup is None:
            raise Unavailable(target, span)
        return lookup(target, span)

    return run


def reference_name(e: n.Call) -> str:
    """The indicator a 实际(…)/得分(…) call names (a bare name or a quoted path)."""
    arg = e.args[0] if e.args else None
    if isinstance(arg, n.Var):
        return arg.name
    if isinstance(arg, n.Text):
        return arg.value
    return ""


_FUNCS: dict[str, Callable[[list[Fraction]], Fraction]] = {
    "min": min,
    "max": max,
    "abs": lambda xs: abs(xs[0]),
    "cap": lambda xs: min(xs[0], xs[1]),
    "floor": lambda xs: max(xs[0], xs[1]),
}

_COMPILERS: dict[type, Callable[..., Compiled]] = {
    n.Num: _num,
    n.Var: _var,
    n.Text: _text,
    n.BinOp: _binop,
    n.Neg: _neg,
    n.Compare: _compare,
    n.Logic: _logic,
    n.Not: _not,
    n.If: _if,
    n.Call: _call,
}


def walk(expr: n.Expr) -> list[n.Expr]:
    """Every node of an expression, parents first, left to right (used by checks); with an explicit
    stack, so a long chain `a + b + …` is no recursion."""
    out: list[n.Expr] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children(node)))
    return out


def children(expr: n.Expr) -> tuple[n.Expr, ...]:
    if isinstance(expr, n.BinOp | n.Compare | n.Logic):
        return (expr.left, expr.right)
    if isinstance(expr, n.Neg | n.Not):
        return (expr.operand,)
    if isinstance(expr, n.If):
        return (expr.cond, expr.then, expr.else_)
    if isinstance(expr, n.Call):
        return () if expr.func in ("actual_of", "score_of") else expr.args
    return ()
