"""Formulas as exact integer arithmetic: a rational number is a pair (numerator, denominator > 0).

The reference evaluator compiles a formula into closures over `Fraction`s (engine/expr.py). Here the
same nodes become the source of one Python function over int pairs: no object per operation, no gcd,
no closure per node. It computes the same exact value; whatever the reference would report instead of
a value (a missing variable, a zero divisor, a number past `MAX_NUMBER_BITS`) raises `Bail`, and the
project goes to the reference evaluator, which reports it. A missing variable in a condition is False,
as in the reference (`RunBase._condition`), so it raises `Missing`, which callers of conditions catch.

Only the nodes and functions below compile (`supported`); a plan with any other formula is refused
by the fast compiler and scored by the reference evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jixiao.engine.expr import walk
from jixiao.language import nodes as n
from jixiao.limits import MAX_NUMBER_BITS

Pair = tuple[int, int]
Env = dict[str, Pair]
NumberFn = Callable[[Env], Pair]
ConditionFn = Callable[[Env], bool]

FUNCTIONS = {"min": (1, None), "max": (1, None), "abs": (1, 1), "cap": (2, 2), "floor": (2, 2)}
MAX_BLOCKS = 16  # blocks nested in one generated function; deeper parts are functions of their own
COMPARE = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "==", "≠": "!="}


class Bail(Exception):
    """This project needs the reference evaluator: it would report something, or the fast path stops."""


class Missing(Bail):
    """A variable has no value here (the reference's `Unavailable`)."""


def kind(expr: n.Expr) -> str | None:
    """ "number" or "condition" for a formula the compiler takes; None for one it does not."""
    if isinstance(expr, n.Num | n.Var):
        return "number"
    if isinstance(expr, n.BinOp | n.Neg):  # a chain `a + b + …` along its spine, in a loop
        first, links = n.spine(expr) if isinstance(expr, n.BinOp) else (expr.operand, [])
        operands = [first, *(link.right for link in links)]
        return "number" if all(kind(o) == "number" for o in operands) else None
    if isinstance(expr, n.Call):
        return "number" if _call_ok(expr) else None
    if isinstance(expr, n.Compare):
        return "condition" if kind(expr.left) == kind(expr.right) == "number" else None
    if isinstance(expr, n.Logic):  # a chain `a 或 b 或 …` along its spine, in a loop
        first, chain = n.spine(expr)
        operands = [first, *(link.right for link in chain)]
        return "condition" if all(kind(o) == "condition" for o in operands) else None
    if isinstance(expr, n.Not):
        return "condition" if kind(expr.operand) == "condition" else None
    if isinstance(expr, n.If):  # each side once: `如果 … 则 (如果 …) 否则 …` nested 100 deep stays linear
        then = kind(expr.then)
        return then if then == kind(expr.else_) and kind(expr.cond) == "condition" else None
    return None  # Text, 实际(…) / 得分(…) of another indicator


def _call_ok(call: n.Call) -> bool:
    arity = FUNCTIONS.get(call.func)
    if arity is None:
        return False
    low, high = arity
    count = len(call.args)
    return count >= low and (high is None or count <= high) and all(kind(a) == "number" for a in call.args)


def variables(expr: n.Expr) -> set[str]:
    """The variable names a formula reads."""
    return {node.name for node in walk(expr) if isinstance(node, n.Var)}


def compile_number(expr: n.Expr) -> NumberFn:
    """A number formula as a function of the variables' pairs; `kind(expr)` must be "number"."""
    gen = _Source()
    result = gen.number(expr, 1)
    return gen.function(f"return {result}n, {result}d")  # type: ignore[return-value]


def compile_condition(expr: n.Expr) -> ConditionFn:
    """A condition; a number used as a condition is true when it is not 0 (as `bool(Fraction)`)."""
    gen = _Source()
    if kind(expr) == "number":
        result = gen.number(expr, 1)
        return gen.function(f"return {result}n != 0")  # type: ignore[return-value]
    return gen.function(f"return {gen.condition(expr, 1)}")  # type: ignore[return-value]


def defined(text: str, namespace: dict[str, object], name: str) -> Callable[..., object]:
    """The function `name` that `text` (source written here, never a ruleset's text) defines in `namespace`,
    taken out of it again: a function its own namespace holds is a reference cycle (a dropped compiled
    ruleset would wait for the cycle collector)."""
    exec(text, namespace)
    return namespace.pop(name)  # type: ignore[return-value]


@dataclass
class _Source:
    """Python source for one formula: each node's value in fresh locals (`tN` or `tNn`, `tNd`).

    The source holds only what this class writes (locals, operators, `ck`); variable names and
    numbers from the ruleset reach the function through its namespace (`constant`), so no text of
    a ruleset is ever read as Python."""

    lines: list[str] = field(default_factory=list)
    count: int = 0
    constants: list[object] = field(default_factory=list)  # names and numbers, read as ck

    def function(self, last: str) -> Callable[[Env], object]:
        body = "\n".join([*self.lines, f"    {last}"])
        scope: dict[str, object] = {"Bail": Bail, "Missing": Missing, "LIMIT": MAX_NUMBER_BITS}
        scope["C"] = tuple(self.constants)
        bound = "".join(f", c{k}=C[{k}]" for k in range(len(self.constants)))  # locals: fast to read
        return defined(f"def formula(env{bound}):\n{body}\n", scope, "formula")

    def constant(self, value: object) -> str:
        """A name or number of the formula, passed in the function's namespace, never as source."""
        self.constants.append(value)
        return f"c{len(self.constants) - 1}"

    def fresh(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def _outlined(self, e: n.Expr, t: str, depth: int, *, number: bool) -> None:
        """`e` as a function of its own, called here: blocks nested past `MAX_BLOCKS` (branches of 如果, the
        right sides of 或 / 且 inside one another) start again at the left margin, so the source never nears
        Python's limit on indentation (100 levels: "too many levels of indentation")."""
        inner = _Source()
        if number:
            value = inner.number(e, 1)
            call = self.constant(inner.function(f"return {value}n, {value}d"))
            self.emit(depth, f"{t}n, {t}d = {call}(env)")
        else:
            call = self.constant(inner.function(f"return {inner.condition(e, 1)}"))
            self.emit(depth, f"{t} = {call}(env)")

    # -- numbers: the value of node t is in tn / td -----------------------------------------------------
    def number(self, e: n.Expr, depth: int) -> str:
        t = self.fresh()
        if depth > MAX_BLOCKS and isinstance(e, n.BinOp | n.Neg | n.Call | n.If):
            self._outlined(e, t, depth, number=True)
        elif isinstance(e, n.Num):
            self.emit(
                depth,
                f"{t}n, {t}d = {self.constant(e.value.numerator)}, {self.constant(e.value.denominator)}",
            )
        elif isinstance(e, n.Var):
            self.emit(depth, f"{t} = env.get({self.constant(e.name)})")
            self.emit(depth, f"if {t} is None: raise Missing")
            self.emit(depth, f"{t}n, {t}d = {t}")
        elif isinstance(e, n.BinOp):
            self._binop(e, t, depth)
        elif isinstance(e, n.Neg):
            a = self.number(e.operand, depth)
            self.emit(depth, f"{t}n, {t}d = -{a}n, {a}d")
        elif isinstance(e, n.Call):
            self._call(e, t, depth)
        else:
            assert isinstance(e, n.If)
            self._choice(e, t, depth, number=True)
        return t

    def _binop(self, e: n.BinOp, t: str, depth: int) -> None:
        """A chain `a + b − c …` along its spine (`nodes.spine`), in a loop; in the reference's order: every
        divisor before the left side it divides (outermost first), any other right side after it."""
        first, links = n.spine(e)
        divisors: dict[int, str] = {}
        for i in reversed(range(len(links))):
            if links[i].op == "÷":
                divisors[i] = b = self.number(links[i].right, depth)
                self.emit(depth, f"if {b}n == 0: raise Bail")
        a = self.number(first, depth)
        for i, link in enumerate(links):
            out = t if i == len(links) - 1 else self.fresh()
            self._link(
                link.op, a, divisors[i] if i in divisors else self.number(link.right, depth), out, depth
            )
            a = out

    def _link(self, op: str, a: str, b: str, t: str, depth: int) -> None:
        if op == "÷":
            self.emit(depth, f"{t}n, {t}d = {a}n * {b}d, {a}d * {b}n")
            self.emit(depth, f"if {t}d < 0: {t}n, {t}d = -{t}n, -{t}d")
        elif op == "×":
            self.emit(depth, f"{t}n, {t}d = {a}n * {b}n, {a}d * {b}d")
        else:
            sign = "+" if op == "+" else "-"
            self.emit(depth, f"{t}n, {t}d = {a}n * {b}d {sign} {b}n * {a}d, {a}d * {b}d")
        # E908 in the reference is about the reduced value; ours is never smaller, so this never bails late
        self.emit(depth, f"if {t}n.bit_length() > LIMIT or {t}d.bit_length() > LIMIT: raise Bail")

    def _call(self, e: n.Call, t: str, depth: int) -> None:
        args = [self.number(a, depth) for a in e.args]  # the reference evaluates every argument first
        if e.func == "abs":
            self.emit(depth, f"{t}n, {t}d = abs({args[0]}n), {args[0]}d")
            return
        if e.func in ("cap", "floor"):
            args = args[:2]
        below = e.func in ("min", "cap")  # min keeps the first of equal values, as Python's min does
        self.emit(depth, f"{t}n, {t}d = {args[0]}n, {args[0]}d")
        for other in args[1:]:
            test = f"{other}n * {t}d {'<' if below else '>'} {t}n * {other}d"
            self.emit(depth, f"if {test}: {t}n, {t}d = {other}n, {other}d")

    def _choice(self, e: n.If, t: str, depth: int, *, number: bool) -> None:
        cond = self.condition(e.cond, depth)
        for branch, header in ((e.then, f"if {cond}:"), (e.else_, "else:")):
            self.emit(depth, header)
            if number:
                value = self.number(branch, depth + 1)
                self.emit(depth + 1, f"{t}n, {t}d = {value}n, {value}d")
            else:
                self.emit(depth + 1, f"{t} = {self.condition(branch, depth + 1)}")

    # -- conditions: the value of node t is in t --------------------------------------------------------
    def condition(self, e: n.Expr, depth: int) -> str:
        t = self.fresh()
        if depth > MAX_BLOCKS:
            self._outlined(e, t, depth, number=False)
        elif isinstance(e, n.Compare):
            a, b = self.number(e.left, depth), self.number(e.right, depth)
            self.emit(depth, f"{t} = {a}n * {b}d {COMPARE[e.op]} {b}n * {a}d")
        elif isinstance(e, n.Logic):  # a chain `a 或 b 或 …` along its spine (`nodes.spine`), in a loop
            first, links = n.spine(e)
            self.emit(depth, f"{t} = {self.condition(first, depth)}")
            for link in links:
                self.emit(depth, f"if {'' if link.op == '且' else 'not '}{t}:")  # short-circuit, as and / or
                self.emit(depth + 1, f"{t} = {self.condition(link.right, depth + 1)}")
        elif isinstance(e, n.Not):
            self.emit(depth, f"{t} = not {self.condition(e.operand, depth)}")
        else:
            assert isinstance(e, n.If)
            self._choice(e, t, depth, number=False)
        return t
