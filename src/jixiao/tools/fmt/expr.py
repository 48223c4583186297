"""Print expressions with the fewest parentheses their precedence needs, in canonical spelling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from fractions import Fraction

from jixiao.language import nodes as n
from jixiao.language.quantity import number_text
from jixiao.tools.fmt.words import FUNC_LABELS, VAR_ENGLISH, Keywords, pick, quote, word

# Binding strength, loosest first: 如果 < 或 < 且 < 非 < comparison < + - < × ÷ < unary minus < atom.
IF, OR, AND, NOT, COMPARE, SUM, PRODUCT, UNARY, ATOM = range(9)

_TIGHT: ContextVar[bool] = ContextVar("tight", default=False)


@contextmanager
def tight() -> Iterator[None]:
    """Operators printed without the spaces around them (`实际≥-1579`, `1+1`, `min(a,b)`): how `fmt` keeps
    a formula written tightly within the line limit (E903), where the spaced form would pass it."""
    token = _TIGHT.set(True)
    try:
        yield
    finally:
        _TIGHT.reset(token)


def _gap() -> str:
    return "" if _TIGHT.get() else " "


def number(value: Fraction) -> str:
    return number_text(value)


def percent(value: Fraction) -> str:
    """A fraction as a percentage literal: 4/5 -> "80%"."""
    return number_text(value * 100) + "%"


def expr(e: n.Expr, lang: Keywords, context: int = IF) -> str:
    """The text of an expression; parenthesised when it binds looser than `context` needs."""
    text, strength = _expr(e, lang)
    return f"({text})" if strength < context else text


def _expr(e: n.Expr, lang: Keywords) -> tuple[str, int]:
    if isinstance(e, n.If):
        return _if(e, lang), IF
    if isinstance(e, n.Logic):
        return _logic(e, lang)
    if isinstance(e, n.Not):
        return f"{word('not', lang)} {expr(e.operand, lang, NOT)}", NOT
    if isinstance(e, n.Compare):
        gap = _gap()
        return f"{expr(e.left, lang, SUM)}{gap}{e.op}{gap}{expr(e.right, lang, SUM)}", COMPARE
    if isinstance(e, n.BinOp):
        return _binop(e, lang)
    if isinstance(e, n.Neg):
        return f"-{expr(e.operand, lang, UNARY)}", UNARY
    return _atom(e, lang), ATOM


def _if(e: n.If, lang: Keywords) -> str:
    cond = expr(e.cond, lang, OR)
    then = expr(e.then, lang, OR)
    return f"{word('if', lang)} {cond} {word('then', lang)} {then} {word('else', lang)} {expr(e.else_, lang)}"


def _logic(e: n.Logic, lang: Keywords) -> tuple[str, int]:
    """A chain `a 或 b 且 c …` link by link along its left spine (`nodes.spine`), in a loop, as `_binop`."""
    first, links = n.spine(e)
    text, strength = _expr(first, lang)
    parts = [text]
    for link in links:
        binding = OR if link.op == "或" else AND
        if strength < binding:
            parts.insert(0, "(")
            parts.append(")")
        parts.append(
            f" {word('or' if link.op == '或' else 'and', lang)} {expr(link.right, lang, binding + 1)}"
        )
        strength = binding
    return "".join(parts), strength


def _binop(e: n.BinOp, lang: Keywords) -> tuple[str, int]:
    """A chain `a + b − c …` link by link along its left spine (`nodes.spine`), in a loop: any length.
    (A left side is parenthesised only where the source had parentheses, a level of E904 each.)"""
    first, links = n.spine(e)
    text, strength = _expr(first, lang)
    parts = [text]
    gap = _gap()
    for link in links:
        binding = SUM if link.op in "+-" else PRODUCT
        if strength < binding:
            parts.insert(0, "(")
            parts.append(")")
        parts.append(f"{gap}{link.op}{gap}{expr(link.right, lang, binding + 1)}")
        strength = binding
    return "".join(parts), strength


def _atom(e: n.Expr, lang: Keywords) -> str:
    if isinstance(e, n.Num):
        return num(e)
    if isinstance(e, n.Var):
        return VAR_ENGLISH.get(e.name, e.name) if lang == "en" else e.name
    if isinstance(e, n.Text):
        return quote(e.value)
    assert isinstance(e, n.Call)
    label = FUNC_LABELS.get(e.func)
    func = pick(label, lang) if label else e.func
    return f"{func}({(',' + _gap()).join(expr(a, lang) for a in e.args)})"


def num(e: n.Num) -> str:
    if e.quantity is not None:
        return e.quantity.text()
    if e.unit == "%":
        return percent(e.value)
    if e.unit == "‰":
        return number_text(e.value * 1000) + "‰"
    return number_text(e.value) + e.unit
