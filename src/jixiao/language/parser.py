"""Parsing: ruleset text → `nodes.Document`, or a `JixiaoError` with positions.

A file is read by the parser generated from the grammar (`lalr.py` running `tables.py`: no lark, no
regular expression compiled at start-up). A file it cannot read, a syntax error somewhere, is read
again by lark in `syntax.py` (imported then, by name), which recovers after each mistake and reports
them all. Either way the tree is the same (tests/test_lalr.py) and goes to the transformer.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import replace
from types import ModuleType

from jixiao.diagnostics import Diagnostic, JixiaoError, Span, has_errors
from jixiao.language import lalr
from jixiao.language.cycles import cycles_uncollected
from jixiao.language.nodes import Document
from jixiao.language.spaces import blanked
from jixiao.language.transformer import AstBuilder
from jixiao.language.variants import simplified
from jixiao.limits import MAX_DIGITS, MAX_EXPR_DEPTH, MAX_LINE_CHARS, MAX_NESTING, MAX_RULESET_CHARS

MAX_DEPTH = MAX_NESTING
# Parse-tree rules that nest inside one another in a formula (one level each).
_OPERATORS = frozenset({"if_expr", "or_expr", "and_expr", "not_expr", "compare", "binop", "neg", "call"})
SYNTAX = "jixiao.language.syntax"  # lark, for a file with a syntax error: imported by name when needed


def syntax() -> ModuleType:
    """`language/syntax.py` (lark, recovery, the syntax errors' words), imported on first use."""
    return importlib.import_module(SYNTAX)


def parse(text: str, path: str = "<text>") -> Document:
    """Parse one ruleset file; raise JixiaoError with every problem found (and the text it was in)."""
    document = parse_lenient(text, path)
    if has_errors(document.diagnostics):
        error = JixiaoError(document.diagnostics)
        error.sources.setdefault(path, text)
        raise error
    return document


def parse_lenient(text: str, path: str = "<text>") -> Document:
    """Parse one ruleset file; raise JixiaoError with every syntax error (and the literal errors beside them).

    Without syntax errors, literal errors (`目标 ""`, a bad rounding mode) do not raise: they are kept in
    `document.diagnostics`, the literal left out of the document, so that the checks report them together
    with the weight and structure errors behind them (`engine.checks.run_checks`).
    """
    try:
        with cycles_uncollected():
            return _parse_lenient(text, path)
    except JixiaoError as exc:
        exc.sources.setdefault(path, text)
        raise


def _parse_lenient(text: str, path: str) -> Document:
    _check_size(text, path)
    _check_characters(text, path)
    _check_shape(text, path)
    _check_lines(text, path)
    # keywords in traditional characters too: simplified one character for one, offsets unchanged;
    # no-break and zero-width spaces (pasted from Word, WPS, web pages) are spaces
    simple = blanked(simplified(text))
    tree = lalr.parse(simple)
    errors: list[Diagnostic] = []
    if tree is None:  # a syntax error somewhere: lark reads the file again, recovering after each one
        tree, errors = syntax().read(simple, text, path)
    if tree is not None:
        _check_tree(tree, path)
    builder = AstBuilder(path, text)
    document = builder.transform(tree) if tree is not None else None
    if errors or document is None:
        raise JixiaoError([*errors, *_beside(builder.diagnostics, errors)])
    return replace(document, diagnostics=tuple(builder.diagnostics))


def _beside(literal: list[Diagnostic], syntax: list[Diagnostic]) -> list[Diagnostic]:
    """Literal errors on lines without a syntax error (a broken line's literals are half read)."""
    broken = {d.span.line for d in syntax if d.span is not None}
    return [d for d in literal if d.span is None or d.span.line not in broken]


def _check_size(text: str, path: str) -> None:
    """The file within its limit (E902), before anything else looks at it."""
    if len(text) > MAX_RULESET_CHARS:
        line = text.count("\n", 0, MAX_RULESET_CHARS) + 1
        column = MAX_RULESET_CHARS - text.rfind("\n", 0, MAX_RULESET_CHARS)
        raise JixiaoError.single("E902", Span(path, line, column), limit=MAX_RULESET_CHARS)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_characters(text: str, path: str) -> None:
    """No lone surrogate (E136): text decoded from a file never holds one, but text given to the API
    may; nothing could write it out again (an xlsx, UTF-8, a terminal), so it is refused where the first
    one is, the excerpt showing U+FFFD in its place."""
    found = _SURROGATE.search(text)
    if found is not None:
        start = found.start()
        line, column = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        code = f"{ord(found.group()):04X}"
        error = JixiaoError(
            [Diagnostic("E136", Span(path, line, column), {"code": code, "code_lower": code.lower()})]
        )
        error.sources[path] = _SURROGATE.sub("\ufffd", text)  # its excerpt shows U+FFFD, which prints
        raise error


def _check_lines(text: str, path: str) -> None:
    """Each line within its limit (E903), before the lexer sees it."""
    for number, line_text in enumerate(text.split("\n"), start=1):
        if len(line_text) > MAX_LINE_CHARS:
            at = Span(path, number, MAX_LINE_CHARS + 1)
            raise JixiaoError.single("E903", at, limit=MAX_LINE_CHARS)


def _check_tree(tree: lalr.Tree, path: str) -> None:
    """Formulas nested at most MAX_EXPR_DEPTH deep (E904) and numbers of at most MAX_DIGITS (E905).

    A chain of one kind of operator (`a + b − c + …`, `a × b ÷ c`, `a 或 b 或 c`, `a 且 b 且 c`) is one
    level, however long: the parser builds it leaning left (`((a + b) − c) + …`), and every stage walks
    such a left spine in a loop (`nodes.spine`), so only real nesting — parentheses, a function's
    arguments, a product inside a sum, an 或 inside a 且 — deepens the recursion. Walked with an
    explicit stack: the tree may be deeper than recursion allows.
    """
    stack: list[tuple[lalr.Tree | lalr.Token, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, lalr.Token):
            _check_number(node, path)
            continue
        depth += node.data in _OPERATORS
        if depth > MAX_EXPR_DEPTH:
            span = Span(path, node.meta.line, node.meta.column, node.meta.end_line, node.meta.end_column)
            raise JixiaoError.single("E904", span, limit=MAX_EXPR_DEPTH)
        stack.extend((child, depth - _continues(node, child)) for child in node.children)


def _continues(node: lalr.Tree, child: lalr.Tree | lalr.Token) -> bool:
    """Whether `child` is the left operand of `node` in one chain of + −, of × ÷, of 或 or of 且 (not a
    new level)."""
    if node.data not in _CHAINS or not isinstance(child, lalr.Tree) or child.data != node.data:
        return False
    return child is node.children[0] and (node.data != "binop" or _family(child) == _family(node))


_CHAINS = frozenset({"binop", "or_expr", "and_expr"})


def _family(binop: lalr.Tree) -> bool:
    """True for + and −, False for × and ÷."""
    token = binop.children[1]
    return isinstance(token, lalr.Token) and token.type in ("ADD", "SUB")


def _check_number(token: lalr.Token, path: str) -> None:
    if token.type == "NUMBER" and len(token) > MAX_DIGITS and sum(ch.isdigit() for ch in token) > MAX_DIGITS:
        span = Span(path, token.line or 1, token.column or 1, token.end_line, token.end_column)
        shown = f"{token[:12]}…{token[-4:]}"
        raise JixiaoError.single("E905", span, number=shown, limit=MAX_DIGITS)


def _check_shape(text: str, path: str) -> None:
    stripped = "\n".join(line.split("#", 1)[0] for line in text.splitlines()).strip()
    if not stripped:
        raise JixiaoError.single("E107", Span(path, 1, 1))
    depth, line, column = _max_depth(text)
    if depth > MAX_DEPTH:
        raise JixiaoError.single("E110", Span(path, line, column), limit=MAX_DEPTH)


_BRACKETS = re.compile(r"[{(｛（})｝）]")


def _max_depth(text: str) -> tuple[int, int, int]:
    """The deepest nesting, and where it first goes past MAX_DEPTH (else where it peaks)."""
    depth = best = 0
    where = 0
    for found in _BRACKETS.finditer(text):  # only the brackets: a loop over every character is slow
        if found.group() in "{(｛（":
            depth += 1
            if depth > best and best <= MAX_DEPTH:
                best, where = depth, found.start()
        else:
            depth -= 1
    if not best:
        return 0, 1, 1
    return best, text.count("\n", 0, where) + 1, where - text.rfind("\n", 0, where)
