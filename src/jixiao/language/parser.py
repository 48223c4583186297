"""Parsing: ruleset text → `nodes.Document`, or a `JixiaoError` with positions.

The Lark parser is built once, lazily; lark's exceptions stop here and become
the project's diagnostics (E1xx), with what was expected said in words.
"""

from __future__ import annotations

import functools
import re
from difflib import get_close_matches

from lark import Lark, Token, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from jixiao.diagnostics import Diagnostic, JixiaoError, Span, has_errors
from jixiao.language.nodes import Document
from jixiao.language.transformer import AstBuilder
from jixiao.language.variants import simplified
from jixiao.language.vocabulary import keyword_of_terminal
from jixiao.resources import grammar_text

MAX_DEPTH = 100

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
    return Lark(grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse(text: str, path: str = "<text>") -> Document:
    """Parse one ruleset file; raise JixiaoError with every problem found."""
    _check_shape(text, path)
    try:
        tree = _lark().parse(simplified(text))  # keywords in traditional characters too; offsets unchanged
    except UnexpectedInput as exc:
        raise JixiaoError([_syntax_error(exc, text, path)]) from None
    builder = AstBuilder(path, text)
    document = builder.transform(tree)
    if has_errors(builder.diagnostics):
        raise JixiaoError(builder.diagnostics)
    return document


def _check_shape(text: str, path: str) -> None:
    stripped = "\n".join(line.split("#", 1)[0] for line in text.splitlines()).strip()
    if not stripped:
        raise JixiaoError.single("E107", Span(path, 1, 1))
    depth, line, column = _max_depth(text)
    if depth > MAX_DEPTH:
        raise JixiaoError.single("E110", Span(path, line, column), limit=MAX_DEPTH)


def _max_depth(text: str) -> tuple[int, int, int]:
    """The deepest nesting, and where it first goes past MAX_DEPTH (else where it peaks)."""
    depth = best = 0
    line, column, where = 1, 0, (1, 1)
    for ch in text:
        column += 1
        if ch == "\n":
            line, column = line + 1, 0
        elif ch in "{(｛（":
            depth += 1
            if depth > best and best <= MAX_DEPTH:
                best, where = depth, (line, column)
        elif ch in "})｝）":
            depth -= 1
    return best, where[0], where[1]


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
    if token.type != "_RBRACE" and _LEVEL_HEADER.match(_line_of(text, token.start_pos or 0)):
        opened = _open_braces(text, token.start_pos or 0)
        if len(opened) >= 2:  # a new level block starts while the previous one is still open
            line, column = opened[-1]
            at = Span(path, line, column, line, column + 1)
            return Diagnostic("E118", at, {"open_line": line, "next_line": span.line})
    stack = exc.state.value_stack if exc.state else []
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
    if previous.type == "_WEIGHT":
        return _after_weight(token, span, _indicator_name(stack))
    if previous.type in ("_METHOD", "KIND"):
        return Diagnostic("E119", span)
    if previous.type in _COLON_KEYWORDS and str(token) in ":：=＝":
        return Diagnostic("E115", span, {"keyword": str(previous)})
    if previous.type != "VALUE":
        return None
    if token.type in ("VALUE", "NUMBER") and _is_number(str(token)):
        return Diagnostic("E103", span, {"name": _indicator_name(stack)})
    if token.type in ("VALUE", "WORD") and _UNIT_WORD.match(str(token)) and str(previous)[-1:].isdigit():
        return Diagnostic("E116", span, {"value": str(previous), "unit": str(token)})
    suggestion = _keyword_suggestion(token, expected)
    return Diagnostic("E104", span, {"found_zh": found[0], "found_en": found[1]}, suggestion=suggestion)


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
    """A did-you-mean for a mistyped keyword: the closest spelling among the keywords expected here."""
    if token.type not in ("WORD", "VALUE"):
        return None
    spellings = [w for name in expected for w in keyword_of_terminal(name) or ()]
    close = get_close_matches(str(token), spellings, n=1, cutoff=0.5)
    return close[0] if close else None


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


def _open_braces(text: str, end: int) -> list[tuple[int, int]]:
    """Positions (line, column) of the braces still open at `end`, skipping strings and comments."""
    stack: list[tuple[int, int]] = []
    line, column, quote, comment = 1, 0, "", False
    closers = {'"': '"', "“": "”", "「": "」"}
    for ch in text[:end]:
        column += 1
        if ch == "\n":
            line, column, quote, comment = line + 1, 0, "", False
        elif comment:
            continue
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in closers:
            quote = closers[ch]
        elif ch == "#":
            comment = True
        elif ch in "{｛":
            stack.append((line, column))
        elif ch in "}｝" and stack:
            stack.pop()
    return stack


def _describe_token(token: Token) -> tuple[str, str]:
    if keyword_of_terminal(token.type) is not None:
        return (f"关键字「{token}」", f"the keyword “{token}”")
    if token.type == "_NL":
        return ("换行", "a line break")
    words = TERMINAL_WORDS.get(token.type)
    if words is None:
        return (f"「{token}」", f"“{token}”")
    return (f"{words[0]}「{token}」", f"{words[1]} “{token}”")


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
