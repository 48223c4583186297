"""Syntax errors, read by lark: a file the generated parser (`lalr.py`) cannot read is read again here.

Lark's parser (built once, lazily, and kept in the user's cache: `scanners`) reads the file with
recovery (`recovery.py`), so that one run reports every independent mistake; lark's exceptions stop
here and become the project's diagnostics (E1xx), with what was expected said in words. The tree it
builds is handed on in `lalr`'s classes, the ones the transformer reads. `generate.py` writes the
generated parser's tables from the lark parser made with `OPTIONS`.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from typing import Any

import lark
from lark import Lark, Token, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from jixiao.diagnostics import Diagnostic, Span
from jixiao.language import lalr, scanners
from jixiao.language.recovery import parse_recovering, structure
from jixiao.language.suggest import closest_keyword
from jixiao.language.transformer import COMMAS
from jixiao.language.vocabulary import KEYWORDS, keyword_of_terminal
from jixiao.resources import cache_dir, grammar_text

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
        return Lark(grammar, **OPTIONS)
    pickled = folder / scanners.file_name(key)
    parser = scanners.load(pickled)
    if parser is None:
        parser = Lark(grammar, **OPTIONS, cache=str(folder / f"parser-{digest}.lark"))
        scanners.save(scanners.built(parser), pickled)
    return parser


OPTIONS: dict[str, Any] = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": False}


def read(simple: str, text: str, path: str) -> tuple[lalr.Tree | None, list[Diagnostic]]:
    """`simple` (the file with its keywords in simplified characters) read by lark with recovery: the
    tree in `lalr`'s classes (None if recovery gave up) and a diagnostic for every syntax error."""
    tree, syntax = parse_recovering(_lark(), simple, lambda exc: _syntax_error(exc, text, path))
    return (lalr.from_lark(tree) if tree is not None else None), syntax


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
        suggestion=_unquoted_use(token, stack, text) or _keyword_suggestion(token, exc.expected),
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
    before = stack[-2] if len(stack) >= 2 else None
    if previous.type == "NUMBER" and isinstance(before, Token) and before.type == "_WEIGHT":
        if str(token) in ("分", "分值"):  # 分值 40分: the unit written after the weight
            return Diagnostic("E117", span, {"text": f"{previous}{token}"})
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
    if str(previous) in _COMPARATORS and str(token)[:1] in _DIGITS:  # 优 ≥ 90, 目标 ≥ 90%
        return Diagnostic("E154", span, {"op": str(previous), "value": str(token)})
    if token.type in ("VALUE", "NUMBER") and _is_number(str(token)):
        return Diagnostic("E103", span, {"name": _indicator_name(stack)})
    unit = token.type in ("VALUE", "WORD", "PERCENT") and _is_unit(str(token))
    if unit and _SCALED_NUMBER.search(str(previous)):  # ≥1.1万 人, ≥90 %
        return Diagnostic("E116", span, {"value": str(previous), "unit": str(token)})
    suggestion = _keyword_suggestion(token, expected)
    return Diagnostic("E104", span, {"found_zh": found[0], "found_en": found[1]}, suggestion=suggestion)


_COMPARATORS = frozenset({"≥", "≤", ">", "<", "=", "≧", "≦", ">=", "<=", "＞", "＜", "＝", "＞＝", "＜＝"})
_DIGITS = "0123456789０１２３４５６７８９"
_SCALED_NUMBER = re.compile(r"[0-9０-９](十万|百万|千万|十|百|千|万|亿)?$")


def _is_unit(text: str) -> bool:
    return text in ("%", "％", "‰") or bool(_UNIT_WORD.match(text))


def _unquoted_use(token: Token, stack: list[object], text: str) -> str | None:
    """`采用 standard/central` written without quotes: the quoted form, for the did-you-mean."""
    if len(stack) < 2 or not isinstance(stack[-1], Token) or not isinstance(stack[-2], Token):
        return None
    keyword, first = stack[-2], stack[-1]
    if keyword.type != "_USE" or token.type == "_NL":
        return None
    start = first.start_pos or 0
    end = text.find("\n", start)
    rest = text[start : end if end >= 0 else len(text)]
    rest = rest.split("#", 1)[0].strip()
    return f'{keyword} "{rest}"' if rest and '"' not in rest else None


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
