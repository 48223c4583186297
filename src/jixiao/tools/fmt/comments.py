"""Comments: found by a small lexical scan (the parser discards them) and attached to items of the AST.

A comment is a `#` outside a quoted string ("…", “…”, 「…」) up to the end of
the line. A comment on a line of its own belongs to the next item (statement,
indicator, band, grade, …) or, when a block closes first, to the end of that
block. A comment after code belongs to the last item that starts before it on
its line (`等级 { 优 ≥90;  # 优秀` is 优's); after a "}" it belongs to that
block and stays after it: at the end of the block's line when the block is printed on one line, after
its "}" when it is printed on several.
Items are keyed by where they start (line, column); the printer asks for them
by the start of each item it prints.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from jixiao.diagnostics import Span

_CLOSERS = {'"': '"', "“": "”", "「": "」"}

Pos = tuple[int, int]  # (line, column), both from 1: where an item starts


def at(span: Span) -> Pos:
    """The position the comments of the item with this span are keyed by."""
    return (span.line, span.column)


@dataclass(frozen=True)
class Comment:
    line: int
    text: str  # from "#" to the end of the line, trailing space removed
    own_line: bool
    after_blank: bool = False  # a comment on its own line, with a blank line before it
    column: int = 1  # of the "#", from 1 (characters)


def scan(text: str) -> list[Comment]:
    """Every comment in a source text, in order."""
    found: list[Comment] = []
    previous = "x"
    for number, line in enumerate(text.split("\n"), start=1):
        at_ = comment_start(line)
        if at_ is not None:
            own = not line[:at_].strip()
            found.append(Comment(number, line[at_:].rstrip(), own, own and not previous.strip(), at_ + 1))
        previous = line
    return found


def comment_start(line: str) -> int | None:
    """The index of the `#` that starts a comment on this line, if any."""
    quote = ""
    for index, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in _CLOSERS:
            quote = _CLOSERS[ch]
        elif ch == "#":
            return index
    return None


@dataclass
class Comments:
    """Comments keyed by where the printer will put them; each is handed out once."""

    leading: dict[Pos, list[str]] = field(default_factory=dict)  # before the item starting there
    trailing: dict[Pos, list[str]] = field(default_factory=dict)  # after the item starting there
    closing: dict[int, list[str]] = field(default_factory=dict)  # before the "}" on a line
    closing_trailing: dict[int, list[str]] = field(default_factory=dict)  # after the "}" on a line
    after: dict[Pos, list[str]] = field(default_factory=dict)  # after a block written on one line
    end: list[str] = field(default_factory=list)  # after the whole document
    blank_before: set[Pos] = field(default_factory=set)  # items whose leading comments follow a blank line
    after_blank: set[Pos] = field(default_factory=set)  # items first on a line right after a blank line

    def separated(self, pos: Pos) -> bool:
        """Whether the user set the item starting here apart with a blank line (before it or its comments)."""
        return pos in self.blank_before or (pos not in self.leading and pos in self.after_blank)

    def inside(self, positions: set[Pos], end: int | None) -> bool:
        """Whether comments belong to items starting here (or before/after the "}" on line `end`)."""
        if any(pos in self.leading or pos in self.trailing or pos in self.after for pos in positions):
            return True
        return end is not None and (end in self.closing or end in self.closing_trailing)

    def take_leading(self, pos: Pos) -> list[str]:
        return self.leading.pop(pos, [])

    def take_trailing(self, pos: Pos) -> str | None:
        texts = self.trailing.pop(pos, [])
        return "  ".join(texts) if texts else None

    def take_after(self, pos: Pos) -> list[str]:
        """The comments after the "}" of the block written on one line that starts here."""
        return self.after.pop(pos, [])

    def take_closing(self, line: int) -> tuple[list[str], str | None]:
        texts = self.closing_trailing.pop(line, [])
        return self.closing.pop(line, []), ("  ".join(texts) if texts else None)

    def rest(self) -> list[str]:
        """Comments nobody asked for (never lost: the printer puts them at the end)."""
        left = [
            t
            for store in (self.leading, self.trailing, self.closing, self.closing_trailing, self.after)
            for t in _all(store)
        ]
        self.leading, self.trailing, self.closing, self.closing_trailing, self.after = {}, {}, {}, {}, {}
        out, self.end = [*left, *self.end], []
        return out


def _all(store: dict[Pos, list[str]] | dict[int, list[str]]) -> list[str]:
    return [text for _key, texts in sorted(store.items()) for text in texts]


def after_blank(text: str) -> set[int]:
    """The lines (numbered from 1) that follow a blank line."""
    lines = text.split("\n")
    return {
        number + 1 for number, line in enumerate(lines, start=1) if not line.strip() and number < len(lines)
    }


@dataclass(frozen=True)
class _Anchor:
    pos: Pos
    close: bool  # a block's "}" (else where an item starts)


def attach(
    comments: list[Comment], starts: set[Pos], blocks: list[Span], blank: set[int] | None = None
) -> Comments:
    """Decide where each comment goes, given where printed items start and the spans of blocks.

    `blocks` are the spans ending in a "}"; `blank` holds the lines that follow a blank line
    (see `after_blank`).
    """
    closes = [
        _Anchor((b.end_line, (b.end_column or 1) - 1), True)
        for b in blocks
        if b.end_line is not None and b.end_line > b.line
    ]
    anchors = sorted([_Anchor(pos, False) for pos in starts] + closes, key=lambda a: (a.pos, a.close))
    keys = [a.pos for a in anchors]
    first: dict[int, _Anchor] = {}
    for anchor in anchors:
        first.setdefault(anchor.pos[0], anchor)
    out = Comments(after_blank={a.pos for a in first.values() if not a.close and a.pos[0] in (blank or ())})
    for comment in comments:
        if comment.own_line:
            _attach_own_line(out, comment, anchors, keys)
        else:
            _attach_trailing(out, comment, anchors, keys, blocks)
    return out


def _attach_own_line(out: Comments, comment: Comment, anchors: list[_Anchor], keys: list[Pos]) -> None:
    index = bisect.bisect_right(keys, (comment.line, 1 << 30))
    if index == len(anchors):
        out.end.append(comment.text)
        return
    anchor = anchors[index]
    if anchor.close:
        out.closing.setdefault(anchor.pos[0], []).append(comment.text)
        return
    if comment.after_blank and anchor.pos not in out.leading:
        out.blank_before.add(anchor.pos)
    out.leading.setdefault(anchor.pos, []).append(comment.text)


def _attach_trailing(
    out: Comments, comment: Comment, anchors: list[_Anchor], keys: list[Pos], blocks: list[Span]
) -> None:
    line, column = comment.line, comment.column
    ended = [b for b in blocks if b.end_line == line and (b.end_column or 1 << 30) <= column]
    after = False
    if ended:  # after a "}": the comment follows that block (the outermost one closing here)
        outer = min(ended, key=at)
        if outer.line < line:
            out.closing_trailing.setdefault(line, []).append(comment.text)
            return
        limit = (outer.line, outer.column + 1)  # the last item starting where the block starts, or before
        after = True
    else:
        limit = (line, column)
    index = bisect.bisect_left(keys, limit) - 1
    if index < 0:
        out.end.append(comment.text)
    elif anchors[index].close:
        out.closing_trailing.setdefault(anchors[index].pos[0], []).append(comment.text)
    else:
        (out.after if after else out.trailing).setdefault(anchors[index].pos, []).append(comment.text)
