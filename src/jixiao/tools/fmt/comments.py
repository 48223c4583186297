"""Comments: found by a small lexical scan (the parser discards them) and attached to lines of the AST.

A comment is a `#` outside a quoted string ("…", “…”, 「…」) up to the end of
the line. A comment on a line of its own belongs to the next item (statement,
indicator, band, …) or, when a block closes first, to the end of that block;
a comment after code belongs to the item on that line. The printer asks for
them by the source line of each item it prints.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

_CLOSERS = {'"': '"', "“": "”", "「": "」"}


@dataclass(frozen=True)
class Comment:
    line: int
    text: str  # from "#" to the end of the line, trailing space removed
    own_line: bool
    after_blank: bool = False  # a comment on its own line, with a blank line before it


def scan(text: str) -> list[Comment]:
    """Every comment in a source text, in order."""
    found: list[Comment] = []
    previous = "x"
    for number, line in enumerate(text.split("\n"), start=1):
        at = comment_start(line)
        if at is not None:
            own = not line[:at].strip()
            found.append(Comment(number, line[at:].rstrip(), own, own and not previous.strip()))
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

    leading: dict[int, list[str]] = field(default_factory=dict)  # before the item starting on a line
    trailing: dict[int, list[str]] = field(default_factory=dict)  # after the item starting on a line
    closing: dict[int, list[str]] = field(default_factory=dict)  # before the "}" on a line
    closing_trailing: dict[int, list[str]] = field(default_factory=dict)  # after the "}" on a line
    end: list[str] = field(default_factory=list)  # after the whole document
    blank_before: set[int] = field(default_factory=set)  # items whose leading comments follow a blank line
    after_blank: set[int] = field(default_factory=set)  # source lines right after a blank line

    def separated(self, line: int) -> bool:
        """Whether the user set the item on this line apart with a blank line (before it or its comments)."""
        return line in self.blank_before or (line not in self.leading and line in self.after_blank)

    def inside(self, lines: set[int], end: int | None) -> bool:
        """Whether comments belong to these lines (or before/after the "}" on line `end`)."""
        if any(line in self.leading or line in self.trailing for line in lines):
            return True
        return end is not None and (end in self.closing or end in self.closing_trailing)

    def take_leading(self, line: int) -> list[str]:
        return self.leading.pop(line, [])

    def take_trailing(self, line: int) -> str | None:
        texts = self.trailing.pop(line, [])
        return "  ".join(texts) if texts else None

    def take_closing(self, line: int) -> tuple[list[str], str | None]:
        texts = self.closing_trailing.pop(line, [])
        return self.closing.pop(line, []), ("  ".join(texts) if texts else None)

    def rest(self) -> list[str]:
        """Comments nobody asked for (never lost: the printer puts them at the end)."""
        left = [
            t
            for store in (self.leading, self.trailing, self.closing, self.closing_trailing)
            for t in _all(store)
        ]
        self.leading, self.trailing, self.closing, self.closing_trailing = {}, {}, {}, {}
        out, self.end = [*left, *self.end], []
        return out


def _all(store: dict[int, list[str]]) -> list[str]:
    return [text for line in sorted(store) for text in store[line]]


def after_blank(text: str) -> set[int]:
    """The lines (numbered from 1) that follow a blank line."""
    lines = text.split("\n")
    return {
        number + 1 for number, line in enumerate(lines, start=1) if not line.strip() and number < len(lines)
    }


def attach(
    comments: list[Comment], starts: set[int], closes: set[int], blank: set[int] | None = None
) -> Comments:
    """Decide where each comment goes, given the lines where items start and where blocks close.

    `blank` holds the lines that follow a blank line (see `after_blank`).
    """
    out = Comments(after_blank=blank or set())
    anchors = sorted(starts | closes)
    for comment in comments:
        if comment.own_line:
            _attach_own_line(out, comment, anchors, starts)
        else:
            _attach_trailing(out, comment, anchors, starts, closes)
    return out


def _attach_own_line(out: Comments, comment: Comment, anchors: list[int], starts: set[int]) -> None:
    index = bisect.bisect_right(anchors, comment.line)
    if index == len(anchors):
        out.end.append(comment.text)
        return
    line = anchors[index]
    store = out.leading if line in starts else out.closing
    if comment.after_blank and line in starts and line not in store:
        out.blank_before.add(line)
    store.setdefault(line, []).append(comment.text)


def _attach_trailing(
    out: Comments, comment: Comment, anchors: list[int], starts: set[int], closes: set[int]
) -> None:
    line = comment.line
    if line in starts:
        out.trailing.setdefault(line, []).append(comment.text)
    elif line in closes:
        out.closing_trailing.setdefault(line, []).append(comment.text)
    else:
        index = bisect.bisect_right(anchors, line) - 1
        before = anchors[index] if index >= 0 else None
        if before is not None and before in starts:
            out.trailing.setdefault(before, []).append(comment.text)
        elif before is not None:
            out.closing_trailing.setdefault(before, []).append(comment.text)
        else:
            out.end.append(comment.text)
