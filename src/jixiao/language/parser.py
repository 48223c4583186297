"""Parsing: ruleset text → `nodes.Document`, or a `JixiaoError` with positions.

The Lark parser is built once, lazily; lark's exceptions stop here and become
the project's diagnostics (E1xx), with what was expected said in words.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from dataclasses import replace
from typing import Any

import lark
from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from jixiao.diagnostics import Diagnostic, JixiaoError, Span, has_errors
from jixiao.language import scanners
from jixiao.language.cycles import cycles_uncollected
from jixiao.language.nodes import Document
from jixiao.language.recovery import parse_recovering, structure
from jixiao.language.suggest import closest_keyword
from jixiao.language.transformer import COMMAS, AstBuilder
from jixiao.language.variants import simplified
from jixiao.language.vocabulary import KEYWORDS, keyword_of_terminal
from jixiao.limits import MAX_DIGITS, MAX_EXPR_DEPTH, MAX_LINE_CHARS, MAX_NESTING, MAX_RULESET_CHARS
from jixiao.resources import cache_dir, grammar_text

MAX_DEPTH = MAX_NESTING
# Parse-tree rules that nest inside one another in a formula (one level each).
_OPERATORS = frozenset({"if_expr", "or_expr", "and_expr", "not_expr", "compare", "binop", "neg", "call"})

# What each terminal is called in an error message: (Chinese, English).
TERMINAL_WORDS: dict[str, tuple[str, str]] = {
    "WORD": ("名称", "a name"),
    "STRING": ("带引号的文字", "a quoted string"),
    "NUMBER": ("数字", "a number"),
    "VALUE": ("目标值（如 ≥1.1万人、100%、合理）", "a value such as ≥1.1万人, 100%, 合理"),
    "_NL": ("换行", "a line break"),
    "$END": ("文件结尾", "the end of the file"),
    "_LBRACE": ("「{」", "“{”"),
    "_RBRACE": ("「}」", "“}”"),
    "_LPAR": ("「(」", "“(”"),
    "_RPAR": ("「)」", "“)”"),
    "_SLASH": ("「/」", "“/”"),
    "_EQ": ("「=」", "“=”"),
    "_COMMA": ("「,」", "“,”"),
    "_ARROW": ("「→」", "“→”"),
    "CMP": ("比较符号（≥ ≤ = …）", "a comparison (≥ ≤ = …)"),
    "ADD": ("「+」", "“+”"),
    "SUB": ("「-」", "“-”"),
    "MUL": ("「×」或「÷」", "“×” or “÷”"),
    "PERCENT": ("「%」", "“%”"),
    "ELSE": ("否则", "else"),
    "KIND": ("正向/反向/相等/区间/时限/定性", "higher/lower/equal/range/deadline/qualitative"),
}


@functools.cache
def _lark() -> Lark:
    """The LALR parser, built once per process; from the user's cache when it was built before.

    The whole parser with its lexer's compiled patterns is one pickle (`scanners`), its name keyed by the
    grammar, lark's version and the Python build. Without it, the parser comes from lark's own cache
    (lark keys the cached tables by a hash of the grammar, the options and its own version, and builds
    them again when any of them changed), gets every scanner built, and is pickled. A file that cannot be
    read or written is passed over.
    """
    grammar = grammar_text()
    folder = cache_dir()
    key = f"{grammar}\0{lark.__version__}\0{sys.version_info[:2]}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    if folder is None:
        return Lark(grammar, **_OPTIONS)
    pickled = folder / scanners.file_name(key)
    parser = scanners.load(pickled)
    if parser is None:
        parser = Lark(grammar, **_OPTIONS, cache=str(folder / f"parser-{digest}.lark"))
        scanners.save(scanners.built(parser), pickled)
    return parser


_OPTIONS: dict[str, Any] = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": False}


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
    _check_shape(text, path)
    _check_lines(text, path)
    # keywords in traditional characters too: simplified one character for one, offsets unchanged
    tree, syntax = parse_recovering(_lark(), simplified(text), lambda exc: _syntax_error(exc, text, path))
    if tree is not None:
        _check_tree(tree, path)
    builder = AstBuilder(path, text)
    document = builder.transform(tree) if tree is not None else None
    if syntax or document is None:
        raise JixiaoError([*syntax, *_beside(builder.diagnostics, syntax)])
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


def _check_lines(text: str, path: str) -> None:
    """Each line within its limit (E903), before the lexer sees it."""
    for number, line_text in enumerate(text.split("\n"), start=1):
        if len(line_text) > MAX_LINE_CHARS:
            at = Span(path, number, MAX_LINE_CHARS + 1)
            raise JixiaoError.single("E903", at, limit=MAX_LINE_CHARS)


def _check_tree(tree: Tree[Token], path: str) -> None:
    """Formulas nested at most MAX_EXPR_DEPTH deep (E904) and numbers of at most MAX_DIGITS (E905).

    Walked with an explicit stack: the tree may be deeper than Python's recursion allows.
    """
    stack: list[tuple[Tree[Token] | Token, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Token):
            _check_number(node, path)
            continue
        depth += node.data in _OPERATORS
        if depth > MAX_EXPR_DEPTH:
            span = Span(path, node.meta.line, node.meta.column, node.meta.end_line, node.meta.end_column)
            raise JixiaoError.single("E904", span, limit=MAX_EXPR_DEPTH)
        stack.extend((child, depth) for child in node.children)


def _check_number(token: Token, path: str) -> None:
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


def _syntax_error(exc: UnexpectedInput, text: str, path: str) -> Diagnostic:
    if isinstance(exc, UnexpectedCharacters):
        return _bad_character(exc, text, path)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return _unclosed(text, path, exc)
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    span = Span(path, token.line or 1, token.column or 1, token.end_line, token.end_column)
    found = _describe_token(token)
    if token.type == "_RBRACE" and _open_braces(text, token.start_pos or 0) == []:
        return Diagnostic("E108", span)
    after = _after_the_end(text, path, token)
    if after is not None:
        return after
    misspelt = _misspelt_block(text, path, token.start_pos or 0)
    if misspelt is not None:
        return misspelt
    if token.type != "_RBRACE" and _LEVEL_HEADER.match(_line_of(text, token.start_pos or 0)):
        opened = _open_braces(text, token.start_pos or 0)
        if len(opened) >= 2:  # a new level block starts while the previous one is still open
            line, column = opened[-1]
            at = Span(path, line, column, line, column + 1)
            return Diagnostic("E118", at, {"open_line": line, "next_line": span.line})
    stack = exc.state.value_stack if exc.state else []
    outside = _outside_block(token, stack, exc.expected, text, path)
    if outside is not None:
        return outside
    named = _common_mistake(token, stack, span, exc.expected)
    if named is not None:
        return named
    expected = _expected_words(exc.expected)
    return Diagnostic(
        "E101",
        span,
        {"found_zh": found[0], "found_en": found[1], "expected_zh": expected[0], "expected_en": expected[1]},
        suggestion=_keyword_suggestion(token, exc.expected),
    )


_LEVEL_HEADER = re.compile(r"^\s*(\S+|\"[^\"]*\")\s*[/／]\s*(\S+|\"[^\"]*\")\s*[{｛]\s*(#.*)?$")
_UNIT_WORD = re.compile(r"^(十万|百万|千万|十|百|千|万|亿)?[^\W\d_]{1,4}$")


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start : end if end >= 0 else len(text)]


def _common_mistake(
    token: Token, stack: list[object], span: Span, expected: set[str] | frozenset[str]
) -> Diagnostic | None:
    """Name the mistakes staff make most often (lark's `match_examples`, by parser state)."""
    previous = stack[-1] if stack else None
    if not isinstance(previous, Token):
        return None
    found = _describe_token(token)
    if previous.type in _COLON_KEYWORDS and str(token) in ":：=＝":
        return Diagnostic("E115", span, {"keyword": str(previous)})
    if previous.type == "_WEIGHT":
        return _after_weight(token, span, _indicator_name(stack))
    if previous.type in ("_METHOD", "KIND"):
        return Diagnostic("E119", span)
    if previous.type != "VALUE":
        return None
    comma = _comma_before_keyword(previous, expected)
    if comma is not None:
        return Diagnostic(
            "E150",
            Span(span.path, previous.line or 1, comma, previous.line, comma + 1),
            {"comma": str(previous)[comma - (previous.column or 1)]},
        )
    if token.type in ("VALUE", "NUMBER") and _is_number(str(token)):
        return Diagnostic("E103", span, {"name": _indicator_name(stack)})
    if token.type in ("VALUE", "WORD") and _UNIT_WORD.match(str(token)) and str(previous)[-1:].isdigit():
        return Diagnostic("E116", span, {"value": str(previous), "unit": str(token)})
    suggestion = _keyword_suggestion(token, expected)
    return Diagnostic("E104", span, {"found_zh": found[0], "found_en": found[1]}, suggestion=suggestion)


def _after_the_end(text: str, path: str, token: Token) -> Diagnostic | None:
    """E153: text after the project's (or policy's) closing brace, because a `}` above came too early.

    The mistake is that brace: the first one on a line with other text (a `}` typed after an indicator),
    else the one that closed the document.
    """
    pos = token.start_pos or 0
    if token.type in ("_RBRACE", "$END") or _open_braces(text, pos) or "{" not in text[:pos]:
        return None
    closes = [i for i, ch in structure(text) if i < pos and ch in "}｝"]
    if not closes:
        return None
    early = next((i for i in closes if _line_of(text, i).strip() not in "}｝"), closes[-1])
    line = text.count("\n", 0, early) + 1
    column = early - text.rfind("\n", 0, early)
    args: dict[str, object] = {"line": line, "next_line": token.line or 1}
    return Diagnostic("E153", Span(path, line, column, line, column + 1), args)


def _outside_block(
    token: Token, stack: list[object], expected: set[str] | frozenset[str], text: str, path: str
) -> Diagnostic | None:
    """E151: an indicator line where statements go, because a `}` closed its block too early."""
    name = stack[-1] if stack else None
    if token.type not in _OPTION_KEYWORDS or "_SLASH" not in expected or not isinstance(name, Token):
        return None
    closed = _last_close_before(text, token.start_pos or 0)
    if closed is None:
        return None
    at = Span(path, name.line or 1, name.column or 1, name.end_line, name.end_column)
    return Diagnostic(
        "E151", at, {"name": str(name).strip('"“”「」'), "line": text.count("\n", 0, closed) + 1}
    )


def _last_close_before(text: str, end: int) -> int | None:
    last = None
    for i, ch in structure(text):
        if i >= end:
            break
        if ch in "}｝":
            last = i
    return last


_OPTION_KEYWORDS = frozenset(
    {"_TARGET", "_WEIGHT", "_METHOD", "_ACTUAL", "_SCORE", "TARGET_VAR", "WEIGHT_VAR"}
)


def _comma_before_keyword(value: Token, expected: set[str] | frozenset[str]) -> int | None:
    """The column of a comma that glued the next option to a target value (`≥95%，分值`), if any."""
    text = str(value)
    spellings = [w for name in expected for w in keyword_of_terminal(name) or ()]
    for i, ch in enumerate(text):
        if ch in COMMAS and text[i + 1 :].lstrip().startswith(tuple(spellings)):
            return (value.column or 1) + i
    return None


_COLON_KEYWORDS = frozenset({"_TARGET", "_WEIGHT", "_METHOD", "_ROUND", "_SOURCE", "_NOTE", "_USE", "_TOTAL"})


def _after_weight(token: Token, span: Span, name: str) -> Diagnostic:
    written = str(token)
    if written.startswith(("-", "－")) and _is_number(written[1:]):
        return Diagnostic("E402", span, {"weight": written})
    if token.type == "_NL" or token.type == "$END":
        return Diagnostic("E103", span, {"name": name})
    return Diagnostic("E117", span, {"text": written})


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9０-９]+([.．][0-9０-９]+)?", text))


def _indicator_name(stack: list[object]) -> str:
    """The indicator being written: the name token after the last line break on the stack."""
    for i in range(len(stack) - 1, -1, -1):
        item = stack[i]
        if isinstance(item, Token) and item.type == "_NL":
            following = stack[i + 1] if i + 1 < len(stack) else None
            return str(following).strip('"“”「」') if isinstance(following, Token) else "?"
    return "?"


def _keyword_suggestion(token: Token, expected: set[str] | frozenset[str]) -> str | None:
    """A did-you-mean for a mistyped keyword: the likeliest of the keywords expected here (`suggest`)."""
    if token.type not in ("WORD", "VALUE"):
        return None
    return closest_keyword(str(token), [w for name in expected for w in keyword_of_terminal(name) or ()])


def _bad_character(exc: UnexpectedCharacters, text: str, path: str) -> Diagnostic:
    span = Span(path, exc.line, exc.column, exc.line, exc.column + 1)
    pos = exc.pos_in_stream or 0
    char = text[pos] if pos < len(text) else ""
    if char in '"“「':
        return Diagnostic("E109", span)
    expected = _expected_words(exc.allowed or set())
    found = (f"字符「{char}」", f"the character “{char}”")
    return Diagnostic(
        "E101",
        span,
        {"found_zh": found[0], "found_en": found[1], "expected_zh": expected[0], "expected_en": expected[1]},
    )


def _unclosed(text: str, path: str, exc: UnexpectedInput) -> Diagnostic:
    opened = _open_braces(text, len(text))
    if opened:
        line, column = opened[-1]
        return Diagnostic("E102", Span(path, line, column, line, column + 1), {"open_line": line})
    lines = text.rstrip().splitlines() or [""]
    span = Span(path, len(lines), len(lines[-1]) + 1)
    expected = _expected_words(getattr(exc, "expected", set()) or set())
    return Diagnostic(
        "E101",
        span,
        {
            "found_zh": "文件结尾",
            "found_en": "the end of the file",
            "expected_zh": expected[0],
            "expected_en": expected[1],
        },
    )


# Statements that open a block of their own: a misspelling of one reads as a one-level indicator block.
BLOCK_KEYWORDS = ("budget", "grades", "framework", "scale")
_ONE_WORD_HEADER = re.compile(r"^(\s*)(\S+)\s*[{｛]\s*(#.*)?$")


def _misspelt_block(text: str, path: str, pos: int) -> Diagnostic | None:
    """E152: the error is inside a block whose one-word header looks like a block keyword (`结够 {`):
    the header is the mistake, not each line of the block (recovery then skips the block whole)."""
    opened = _open_braces(text, pos)
    if not opened:
        return None
    line, _column = opened[-1]
    header = _ONE_WORD_HEADER.match(text.split("\n")[line - 1])
    if header is None:
        return None
    word = header.group(2)
    words = [spelling for key in BLOCK_KEYWORDS for spelling in KEYWORDS[key]]
    if word in words:
        return None
    keyword = closest_keyword(word, words)
    if keyword is None:
        return None
    start = len(header.group(1)) + 1
    span = Span(path, line, start, line, start + len(word))
    return Diagnostic("E152", span, {"word": word, "keyword": keyword}, suggestion=keyword)


def _open_braces(text: str, end: int) -> list[tuple[int, int]]:
    """Positions (line, column) of the braces still open at `end`, skipping strings and comments."""
    stack: list[int] = []
    for i, ch in structure(text):
        if i >= end:
            break
        if ch in "{｛":
            stack.append(i)
        elif ch in "}｝" and stack:
            stack.pop()
    return [(text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)) for i in stack]


def _describe_token(token: Token) -> tuple[str, str]:
    if keyword_of_terminal(token.type) is not None:
        return (f"关键字「{token}」", f"the keyword “{token}”")
    if token.type == "_NL":
        return ("换行", "a line break")
    words = TERMINAL_WORDS.get(token.type)
    if words is None or token.type in _NAMED_BY_TEXT:
        return (f"「{token}」", f"“{token}”")
    return (f"{words[0]}「{token}」", f"{words[1]} “{token}”")


# Terminals shown by their text alone: punctuation names itself, and free text outside a target
# (lexed as VALUE) is not a target value.
_NAMED_BY_TEXT = frozenset(
    {"VALUE", *(name for name in TERMINAL_WORDS if name.startswith("_") and name != "_NL")}
)


def _expected_words(names: set[str] | frozenset[str]) -> tuple[str, str]:
    pairs = sorted({_terminal_words(name) for name in names if not name.startswith("__")})
    if not pairs:
        return ("", "")
    zh = "、".join(p[0] for p in pairs[:8])
    en = ", ".join(p[1] for p in pairs[:8])
    return zh, en


def _terminal_words(name: str) -> tuple[str, str]:
    pair = keyword_of_terminal(name)
    if pair is not None:
        zh, en = pair
        return (f"「{zh}」", f"“{en}”")
    if name in TERMINAL_WORDS:
        return TERMINAL_WORDS[name]
    label = name.strip("_").lower()
    return (label, label)
