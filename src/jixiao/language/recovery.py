"""Syntax error recovery: keep parsing after a mistake, so one run reports every independent one.

Statements end at a line break, so recovery works by lines. After an error it tries a few
repairs, each a small edit of the parser's state and the reading position:

- skip the rest of the line and unwind the parser's stack to the innermost construct that can
  take the line break there (a block the skipped text opens is skipped whole, a `}` on the line
  that closes an enclosing block is kept, so braces stay balanced);
- read the broken line's `{` after all, dropping what was read of the line and pretending to read
  up to two missing tokens (`产出指标 数量指标 {` goes on as a level block);
- take a line break or `}` that came too early as the end of the construct being read;
- close a block left open when the next one starts (E118) as if its `}` were there.

Each repair is tried on a copy and judged by how far parsing then gets; the best one is applied.
When none gets anywhere, parsing stops: one error reported is better than a cascade of errors
that are not there. Only lark mechanics live here; `parser._syntax_error` names the errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import copy
from typing import Any

from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from jixiao.diagnostics import Diagnostic
from jixiao.language.frozen import frozen

MAX_ERRORS = 50  # a file of garbage says enough after this many
MAX_UNWIND = 3  # items of a broken block header that may be dropped to read its "{"
LOOKAHEAD = 30  # tokens a repair is tried on
NESTED = 2  # errors deep a repair is judged (the errors after it are repaired in turn)
MIN_PROGRESS = 8  # a repair that gets less far is a guess: stop instead

# Tokens a repair may pretend to read where one is missing, with harmless values (their line has an
# error already, so nothing built from them is reported).
PLACEHOLDERS: dict[str, str] = {"WORD": "_", "_SLASH": "/", "NUMBER": "0"}

Describe = Callable[[UnexpectedInput], Diagnostic]


@frozen
class _Context:
    text: str
    describe: Describe


class _Cursor:
    """A parser state and a lexer to try repairs on (the shape of lark's InteractiveParser)."""

    def __init__(self, parser_state: Any, lexer_thread: Any) -> None:
        self.parser_state = parser_state
        self.lexer_thread = lexer_thread

    def feed_token(self, token: Token) -> None:
        self.parser_state.feed_token(token, token.type == "$END")


@frozen
class Repair:
    """Drop `drop` items of the parser's stack, read `tokens`, then go on reading at `resume`."""

    drop: int
    tokens: tuple[Token, ...]
    resume: int | None  # a position in the text; None: where the lexer stands


def parse_recovering(
    parser: Lark, text: str, describe: Describe
) -> tuple[Tree[Token] | None, list[Diagnostic]]:
    """Parse `text`; the tree (None if recovery gave up) and a diagnostic for every syntax error.

    A file without syntax errors is read by lark's plain parser (its interactive parser, which repairs
    take, costs twice as much per token); only a file with an error is read again, interactively.
    """
    try:
        return parser.parse(text), []
    except UnexpectedInput:
        pass  # read again below, repairing each mistake
    session = parser.parse_interactive(text)
    ctx = _Context(text, describe)
    found: list[Diagnostic] = []
    while True:
        try:
            for _ in session.iter_parse():
                pass
            tree: Tree[Token] = session.feed_eof(_last_token(session))  # type: ignore[no-untyped-call]
            return tree, found
        except UnexpectedInput as exc:
            if found and _at_end(exc) and _balanced(text):
                return None, found  # an earlier repair left the parser short of the end: not a new mistake
            if found and _same_place(found[-1], describe(exc)):
                return None, found  # the repair did not get past the mistake: stop rather than repeat it
            found.append(describe(exc))
            repair = None if _at_end(exc) or len(found) >= MAX_ERRORS else _best(session, exc, found[-1], ctx)
            if repair is None:
                return None, found
            _apply(session, repair, text)


def structure(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """The braces and statement ends of `text` from `start`: (position, character), in order.

    Strings and comments are passed over; a quote that is not closed on its line is not a
    string (it is the mistake E109 reports), so the braces after it still count.
    """
    closers = {'"': '"', "“": "”", "「": "」"}
    i = start
    while i < len(text):
        ch = text[i]
        if ch in closers:
            close = text.find(closers[ch], i + 1)
            if 0 <= close < _line_end(text, i):
                i = close + 1
                continue
        elif ch == "#":
            i = _line_end(text, i)
            continue
        elif ch in "{｛}｝\n;；":
            yield i, ch
        i += 1


def sync_point(text: str, start: int) -> tuple[int, str]:
    """Where to resume after an error at `start`: the end of the statement, or a `}` it does not open.

    Returns the position and the terminal found there ("_NL", "_RBRACE" or "$END"); blocks
    opened on the way are skipped whole.
    """
    depth = 0
    for i, ch in structure(text, start):
        if ch in "{｛":
            depth += 1
        elif ch in "}｝":
            if depth == 0:
                return i, "_RBRACE"
            depth -= 1
        elif depth == 0:
            return i, "_NL"
    return len(text), "$END"


# -- choosing a repair ---------------------------------------------------------------------------------
def _best(session: Any, exc: UnexpectedInput, diagnostic: Diagnostic, ctx: _Context) -> Repair | None:
    """The repair after which parsing gets furthest (the first one on a tie); None if none gets far."""
    best, reach = None, MIN_PROGRESS - 1
    for repair in _repairs(session, exc, diagnostic, ctx.text):
        progress = _reach(session, repair, ctx, NESTED, _line(exc))
        if progress > reach:
            best, reach = repair, progress
    return best


def _repairs(session: Any, exc: UnexpectedInput, diagnostic: Diagnostic, text: str) -> Iterator[Repair]:
    state, like = session.parser_state, _like(session, exc)
    token = exc.token if isinstance(exc, UnexpectedToken) else None
    if token is not None and diagnostic.code == "E152":  # a misspelt block keyword: skip its block whole
        yield from _skip_block(state, token, text)
        return
    if token is not None and diagnostic.code == "E118":
        yield from _close_block(state, token, text)
    if token is not None and token.type in ("_NL", "_RBRACE") and diagnostic.code != "E108":
        drop = _drop_until(state, (token,))
        if drop is not None:
            yield Repair(drop, (token,), None)
    start = _error_start(session, exc)
    opener = _opener(text, start)
    if opener is not None:
        yield from _enter_block(state, like, opener)
    where, terminal = sync_point(text, start)
    if terminal == "$END":
        yield Repair(0, (), len(text))  # nothing more to read: the end tells whether every block was closed
    else:
        drop = _drop_until(state, (_token(terminal, like),))
        if drop is not None:
            yield Repair(drop, (), where)
    if token is not None and diagnostic.code != "E108":
        yield from _insert_one(state, token)


def _insert_one(state: Any, token: Token) -> Iterator[Repair]:
    """Pretend one missing token was there before the unexpected one (a "{" after a level header)."""
    for name in ("_LBRACE", "_NL", *sorted(PLACEHOLDERS)):
        tokens = (_token(name, token, PLACEHOLDERS.get(name, "")), token)
        if _reads(state, tokens):
            yield Repair(0, tokens, None)


def _error_start(session: Any, exc: UnexpectedInput) -> int:
    """Where the unexpected text starts (after it, for a stray "}", which is dropped)."""
    if isinstance(exc, UnexpectedCharacters):
        return exc.pos_in_stream or 0
    if isinstance(exc, UnexpectedToken) and exc.token.type != "_RBRACE" and exc.token.start_pos is not None:
        return int(exc.token.start_pos)
    return _position(session)


def _skip_block(state: Any, token: Token, text: str) -> Iterator[Repair]:
    """Close the block the error is in as if it ended here, and go on reading after its own `}`."""
    where, terminal = sync_point(text, token.start_pos or 0)
    while terminal == "_NL":  # the block's own "}" is the first one its lines do not open
        where, terminal = sync_point(text, where + 1)
    closing = (_token("_RBRACE", token),)
    drop = _drop_until(state, closing)
    if terminal == "_RBRACE" and drop is not None:
        yield Repair(drop, closing, where + 1)


def _close_block(state: Any, token: Token, text: str) -> Iterator[Repair]:
    """E118: close the open block before the line that starts the next one, then read that line again."""
    tokens = (_token("_RBRACE", token), _token("_NL", token))
    drop = _drop_until(state, tokens)
    if drop is not None:
        yield Repair(drop, tokens, text.rfind("\n", 0, token.start_pos or 0) + 1)


def _enter_block(state: Any, like: Token, opener: int) -> Iterator[Repair]:
    """Read the broken line's `{` after all: drop what was read of it, pretend to read what is missing."""
    for drop in range(min(MAX_UNWIND, len(state.value_stack)) + 1):
        missing = _missing_before(_dropped(_trial(state), drop), "_LBRACE", like)
        if missing is not None:
            yield Repair(drop, tuple(_token(t, like, PLACEHOLDERS[t]) for t in missing), opener)


def _missing_before(state: Any, terminal: str, like: Token) -> tuple[str, ...] | None:
    """The shortest run of placeholder terminals (at most two) after which `terminal` can be read."""
    frontier: list[tuple[Any, tuple[str, ...]]] = [(state, ())]
    for _ in range(3):
        following: list[tuple[Any, tuple[str, ...]]] = []
        for current, path in frontier:
            if _reads(current, (_token(terminal, like),)):
                return path
            for name in sorted(PLACEHOLDERS):
                step = _trial(current)
                if _reads(step, (_token(name, like, PLACEHOLDERS[name]),), keep=True):
                    following.append((step, (*path, name)))
        frontier = following
    return None


def _drop_until(state: Any, tokens: tuple[Token, ...]) -> int | None:
    """How many stack items to drop before `tokens` can be read; None if no depth takes them."""
    for drop in range(len(state.value_stack) + 1):
        if _reads(_dropped(_trial(state), drop), tokens):
            return drop
    return None


def _reach(session: Any, repair: Repair, ctx: _Context, depth: int, line: int) -> int:
    """How far parsing gets after `repair` of an error on `line`, tried on a copy: the tokens read
    before the next error, plus (discounted) how far the best repair of that error gets, `depth`
    errors deep.

    Two mistakes on neighbouring lines thus still count as a good repair, while a repair that
    leads into a cascade of errors does not. A next error on a later line, after part of that line
    was read, is a mistake of its own, not a cascade: the repair counts as good however close the
    lines are (a run of broken lines one after another).
    """
    if repair.resume == len(ctx.text) and not repair.tokens:
        return LOOKAHEAD  # the end of the file: feeding it reports what is left open, or nothing
    cursor = _Cursor(_trial(session.parser_state), copy(session.lexer_thread))
    if not _reads(_dropped(cursor.parser_state, repair.drop), repair.tokens, keep=True):
        return -1
    if repair.resume is not None:
        _move(cursor.lexer_thread.state.line_ctr, ctx.text, repair.resume)
    read = on_line = 0  # tokens read; tokens read since the last line break
    try:
        for token in cursor.lexer_thread.lex(cursor.parser_state):
            cursor.feed_token(token)
            read += 1
            on_line = 0 if token.type == "_NL" else on_line + 1
            if read >= LOOKAHEAD:
                return read
        cursor.feed_token(_token("$END", _last_token(cursor) or Token("$END", "")))
    except UnexpectedInput as exc:
        own = MIN_PROGRESS if _line(exc) > line and on_line > 0 and not _at_end(exc) else 0
        if depth == 0 or _at_end(exc):
            return max(read, own)
        then = _repairs(cursor, exc, ctx.describe(exc), ctx.text)
        nested = max((_reach(cursor, r, ctx, depth - 1, _line(exc)) for r in then), default=0) // 2
        return max(read + nested, own)
    return LOOKAHEAD  # the file ends well


# -- applying it ------------------------------------------------------------------------------------------
def _apply(session: Any, repair: Repair, text: str) -> None:
    _dropped(session.parser_state, repair.drop)
    for token in repair.tokens:
        session.feed_token(token)
    if repair.resume is not None:
        _move(session.lexer_thread.state.line_ctr, text, repair.resume)


def _move(counter: Any, text: str, where: int) -> None:
    """Put the lexer's line counter at `where` (forward or back)."""
    here = counter.char_pos
    if where >= here:
        line = counter.line + text.count("\n", here, where)
    else:
        line = counter.line - text.count("\n", where, here)
    line_start = text.rfind("\n", 0, where) + 1
    counter.char_pos, counter.line_start_pos = where, line_start
    counter.line, counter.column = line, where - line_start + 1


# -- helpers ------------------------------------------------------------------------------------------------
def _trial(state: Any) -> Any:
    """A copy of a parser state to try tokens on, without tree callbacks (as lark's `accepts`)."""
    conf = copy(state.parse_conf)
    conf.callbacks = {}
    return type(state)(conf, state.lexer, list(state.state_stack), list(state.value_stack))


def _dropped(state: Any, drop: int) -> Any:
    if drop:
        del state.state_stack[-drop:]
        del state.value_stack[-drop:]
    return state


def _reads(state: Any, tokens: tuple[Token, ...], keep: bool = False) -> bool:
    """Whether `state` reads `tokens` in turn (on a copy unless `keep`)."""
    target = state if keep else _trial(state)
    try:
        for token in tokens:
            target.feed_token(token, token.type == "$END")
    except UnexpectedToken:
        return False
    return True


def _opener(text: str, start: int) -> int | None:
    """The position of a `{` that the rest of the statement at `start` opens, if any."""
    for i, ch in structure(text, start):
        return i if ch in "{｛" else None
    return None


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _line(exc: UnexpectedInput) -> int:
    return int(getattr(exc, "line", 0) or 0)


def _same_place(a: Diagnostic, b: Diagnostic) -> bool:
    return a.span is not None and b.span is not None and a.span.sort_key() == b.span.sort_key()


def _at_end(exc: UnexpectedInput) -> bool:
    return isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END")


def _balanced(text: str) -> bool:
    depth = 0
    for _, ch in structure(text):
        depth += (ch in "{｛") - (ch in "}｝")
    return depth == 0


def _token(terminal: str, like: Token, value: str = "") -> Token:
    return Token.new_borrow_pos(terminal, value, like)


def _like(session: Any, exc: UnexpectedInput) -> Token:
    """A token to borrow a position from for the tokens a repair pretends to read."""
    if isinstance(exc, UnexpectedToken):
        token: Token = exc.token
        return token
    return _last_token(session) or Token("_NL", "", 0, 1, 1)


def _last_token(session: Any) -> Token | None:
    last: Token | None = session.lexer_thread.state.last_token
    return last


def _position(session: Any) -> int:
    return int(session.lexer_thread.state.line_ctr.char_pos)
