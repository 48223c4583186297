"""The generated parser: lark's LALR tables (`tables.py`) run without lark, for a file without errors.

`tables.py` holds what lark builds from grammars/ruleset.lark (`generate.py` writes it): the parse
table, what each rule makes of its children, and each parser state's lexer as patterns and their SRE
code. Loading is importing that module from its bytecode; each lexer's patterns are built from their
code when a state first needs them (`_sre.compile`, which validates the code: no pure-Python regex
compiling). Lexing and parsing follow lark's contextual lexer and LALR parser step for step, and the
tree is built as lark's tree builder builds it (`propagate_positions`, no placeholders), in the
classes below, which carry lark's attribute names: `tests/test_lalr.py` checks every ruleset in the
repository and generated text against lark, node by node and position by position.

Where lark would raise (a character no terminal of the state matches, a token the state has no action
for), `parse` returns None and the caller reads the file with lark (`syntax.py`), which recovers and
names the errors. So does a Python whose `re` is not the one the code was written for (`MAGIC`) or a
checkout whose grammar changed since `tables.py` was written: nothing is guessed.
"""

from __future__ import annotations

import array
import binascii
import functools
import hashlib
import importlib
import re
import sys
from typing import Any

from jixiao.resources import grammar_text

TABLES = "jixiao.language.tables"  # generated (`generate.py`); imported by name when first parsing

try:
    _sre: Any = importlib.import_module("_sre")  # CPython's regular expression engine
except ImportError:
    _sre = None


class Token(str):
    """A terminal as read, with lark's `Token` attributes (a `str`: its text)."""

    type: str
    value: str
    start_pos: int
    line: int
    column: int
    end_line: int
    end_column: int
    end_pos: int

    def __new__(cls, type_: str, value: str, start_pos: int, line: int, column: int) -> Token:
        token = str.__new__(cls, value)
        token.type = type_
        token.value = value
        token.start_pos = start_pos
        token.line = line
        token.column = column
        return token

    def __reduce__(self) -> Any:
        return (_token, (self.type, self.value, self.__dict__))

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"


def _token(type_: str, value: str, state: dict[str, Any]) -> Token:
    token = Token(type_, value, 0, 0, 0)
    token.__dict__.update(state)
    return token


class Meta:
    """A node's position (lark's `Meta`): `empty` until a child with a position gives it one."""

    empty = True
    line: int
    column: int
    start_pos: int
    end_line: int
    end_column: int
    end_pos: int
    container_line: int  # lark's names: where the first and last child (filtered out or not) stand
    container_column: int
    container_start_pos: int
    container_end_line: int
    container_end_column: int
    container_end_pos: int


class Tree:
    """A rule's node: its name (`data`), its children (trees and tokens) and its position (`meta`)."""

    __slots__ = ("children", "data", "meta")

    def __init__(self, data: str, children: list[Any], meta: Meta | None = None) -> None:
        self.data = data
        self.children = children
        self.meta = meta if meta is not None else Meta()

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


class _Lexers:
    """The tables, and each lexer (its compiled patterns, ignored and newline terminals), its patterns
    built from their SRE code when a state first needs them."""

    def __init__(self) -> None:
        self.tables = tables = importlib.import_module(TABLES)
        self.usable = (
            _sre is not None
            and sys.implementation.name == "cpython"
            and getattr(_sre, "MAGIC", None) == getattr(tables, "MAGIC", None)
            and tuple(sys.version_info[:2]) == getattr(tables, "PYTHON", None)
            and hashlib.sha256(grammar_text().encode("utf-8")).hexdigest() == getattr(tables, "GRAMMAR", None)
        )
        self.built: list[_Lexer | None] = [None] * len(getattr(tables, "LEXERS", ()))
        self.actions: list[dict[str, int] | None] = [None] * len(getattr(tables, "ACTIONS", ()))

    def row(self, state: int) -> dict[str, int]:
        """The actions of a parser state (terminal or rule name → shifted state, or ~reduced rule)."""
        names, actions = self.tables.ACTIONS[state]
        row = self.actions[state] = dict(zip(names, actions, strict=True))
        return row

    def lexer(self, index: int) -> _Lexer:
        built = self.built[index]
        if built is None:
            (shapes, ignored, newlines), codes = self.tables.LEXERS[index], self.tables.CODES[index]
            patterns = tuple(_pattern(p, flags, code) for (p, flags), code in zip(shapes, codes, strict=True))
            built = self.built[index] = (patterns, ignored, newlines)
        return built


_Lexer = tuple[tuple[Any, ...], frozenset[str], frozenset[str]]


def _pattern(pattern: str, flags: int, stored: tuple[str, int, tuple[tuple[str, int], ...]] | None) -> Any:
    """The pattern from its SRE code (validated by `_sre`), else compiled from its text."""
    if stored is not None:
        written, groups, groupindex = stored
        try:
            code = _code(written)
        except (ValueError, binascii.Error):
            code = None
        built = from_code(pattern, flags, code, groups, dict(groupindex)) if code is not None else None
        if built is not None:
            return built
    return re.compile(pattern, flags)


def from_code(pattern: str, flags: int, code: list[int], groups: int, groupindex: dict[str, int]) -> Any:
    """`pattern` made from the SRE code `re` compiles it to, which CPython validates; None when `_sre`
    refuses the code (or there is no `_sre`). Also used for the pickled lark parser (`scanners`)."""
    if _sre is None:
        return None
    indexgroup: list[str | None] = [None] * (groups + 1)
    for name, number in groupindex.items():
        indexgroup[number] = name
    try:
        return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
    except (RuntimeError, TypeError, ValueError, IndexError):
        return None


def _code(written: str) -> list[int]:
    """SRE code from its base64 form (little-endian unsigned 32-bit words: `generate._words`)."""
    words = array.array("I")
    if words.itemsize != 4:
        raise ValueError("no 32-bit array type here")
    words.frombytes(binascii.a2b_base64(written))
    if sys.byteorder == "big":
        words.byteswap()
    return words.tolist()


@functools.cache
def _lexers() -> _Lexers:
    return _Lexers()


def usable() -> bool:
    """Whether the generated tables serve here: written for this grammar, and for this Python's `re`."""
    return _lexers().usable


def parse(text: str) -> Tree | None:
    """The tree lark's parser builds for `text`, or None where lark would raise (a syntax error), or
    when the tables do not serve here (`usable`)."""
    if not _lexers().usable:
        return None
    try:
        return _parse(text)
    except _Stop:
        return None


class _Stop(Exception):
    """Lark would raise here: the file has a syntax error."""


def _parse(text: str) -> Tree:
    lexers = _lexers()
    tables = lexers.tables
    rules, state_lexer, end_state = tables.RULES, tables.STATE_LEXER, tables.END
    built, rows = lexers.built, lexers.actions
    new_token = str.__new__
    states: list[int] = [tables.START]
    values: list[Any] = []
    pos, line, line_start, end = 0, 1, 0, len(text)
    while True:
        # -- the next token, by the lexer of the state on top (lark's ContextualLexer)
        token: Token | None = None
        while pos < end:
            index = state_lexer[states[-1]]
            patterns, ignored, newlines = built[index] or lexers.lexer(index)
            for pattern in patterns:
                found = pattern.match(text, pos, end)
                if found:
                    break
            else:
                raise _Stop
            value, kind = found.group(0), found.lastgroup
            start, start_line, column = pos, line, pos - line_start + 1
            if kind in newlines:
                count = value.count("\n")
                if count:
                    line += count
                    line_start = pos + value.rindex("\n") + 1
            pos += len(value)
            if kind not in ignored:
                token = new_token(Token, value)
                token.__dict__ = {
                    "type": kind,
                    "value": value,
                    "start_pos": start,
                    "line": start_line,
                    "column": column,
                    "end_line": line,
                    "end_column": pos - line_start + 1,
                    "end_pos": pos,
                }
                break
        kind = "$END" if token is None else token.type  # `$END`: no more text
        # -- reduce as the token asks, then shift it (lark's ParserState.feed_token)
        while True:
            state = states[-1]
            action = (rows[state] or lexers.row(state)).get(kind)
            if action is None:
                raise _Stop
            if action >= 0:
                if token is None:
                    raise _Stop  # lark asserts the end is never shifted
                states.append(action)
                values.append(token)
                break
            origin, size, name, single, kept = rules[~action]
            if size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
            else:
                children = []
            values.append(_node(children, name, single, kept))
            state = states[-1]
            goto = (rows[state] or lexers.row(state)).get(origin)
            if goto is None or goto < 0:
                raise _Stop
            states.append(goto)
            if token is None and goto == end_state:
                tree = values[-1]
                if type(tree) is not Tree:
                    raise _Stop
                return tree


def _node(children: list[Any], name: str, single: bool, kept: tuple[tuple[int, bool], ...] | None) -> Any:
    """What lark's tree builder makes of a rule's children: those kept (an inlined `_rule`'s children
    in its place), a single child in place of a `?rule`, and the positions of the first and last child
    (`PropagatePositions`, with its "container" positions of children that were filtered or inlined).

    A tree's meta here has a position exactly when it is not `empty`, and then its container positions
    too (set together below); a token has its own position and no container: lark's `hasattr` and
    `getattr(…, "container_…", …)` come to these tests."""
    if kept is None:
        filtered = children
    else:
        filtered = []
        for i, inlined in kept:
            if inlined:
                if filtered:
                    filtered += children[i].children
                else:
                    filtered = children[i].children
            else:
                filtered.append(children[i])
    if single and len(filtered) == 1:
        result = filtered[0]
        if type(result) is not Tree:
            return result
    else:
        result = Tree(name, filtered)
    for first in children:
        if type(first) is not Tree:
            line, column, start_pos = first.line, first.column, first.start_pos
            break
        if not first.meta.empty:
            meta = first.meta
            line, column, start_pos = meta.container_line, meta.container_column, meta.container_start_pos
            break
    else:
        return result  # no child has a position (then the last has none either)
    for last in reversed(children):
        if type(last) is not Tree:
            end_line, end_column, end_pos = last.end_line, last.end_column, last.end_pos
            break
        if not last.meta.empty:
            meta = last.meta
            end_line, end_column, end_pos = (
                meta.container_end_line,
                meta.container_end_column,
                meta.container_end_pos,
            )
            break
    meta = result.meta
    if meta.empty:
        meta.line, meta.column, meta.start_pos = line, column, start_pos
        meta.end_line, meta.end_column, meta.end_pos = end_line, end_column, end_pos
        meta.empty = False
    meta.container_line, meta.container_column, meta.container_start_pos = line, column, start_pos
    meta.container_end_line, meta.container_end_column, meta.container_end_pos = end_line, end_column, end_pos
    return result


def from_lark(tree: Any) -> Tree:
    """A lark tree (the parse of a file with a syntax error, recovered) in these classes, the same
    attributes copied; walked with an explicit stack (it may be deeper than Python's recursion)."""
    root = Tree(tree.data, [], _copy_meta(tree.meta))
    stack = [(tree, root)]
    while stack:
        theirs, ours = stack.pop()
        for child in theirs.children:
            if hasattr(child, "children"):
                node = Tree(child.data, [], _copy_meta(child.meta))
                stack.append((child, node))
                ours.children.append(node)
            else:
                token = Token(child.type, child.value, child.start_pos, child.line, child.column)
                token.end_line, token.end_column, token.end_pos = (
                    child.end_line,
                    child.end_column,
                    child.end_pos,
                )
                ours.children.append(token)
    return root


def _copy_meta(theirs: Any) -> Meta:
    meta = Meta()
    meta.__dict__.update(vars(theirs))
    return meta
