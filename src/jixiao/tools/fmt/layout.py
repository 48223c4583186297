"""Output lines and their final text: indentation, aligned columns and aligned trailing comments."""

from __future__ import annotations

from dataclasses import dataclass

from wcwidth import wcswidth

from jixiao.diagnostics import Span

INDENT = "  "
COMMENT_GAP = 2
MAX_COMMENT_COLUMN = 72
MAX_ALIGN = 40  # display columns (20 Chinese characters): a longer indicator name does not set the column


@dataclass(frozen=True)
class Line:
    depth: int
    code: str  # "" for a blank line
    comment: str | None = None
    span: Span | None = None  # where its statement is written (to say which one would pass the line limit)


def width(text: str) -> int:
    """Display width in a monospaced terminal or editor (CJK characters count 2)."""
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def pad(text: str, to: int) -> str:
    return text + " " * max(0, to - width(text))


def columns(rows: list[list[str]], gap: int = 2, cap: int | None = None) -> list[str]:
    """Join cells so every column starts at the same place; empty trailing cells add nothing.

    With a `cap` (MAX_ALIGN for indicator rows), a wider cell (a very long indicator name) does not
    widen its column: the rest of its own row follows it after the gap, and the other rows stay as
    narrow as they would be without it.
    """
    widths: list[int] = []
    for row in rows:
        for index, cell in enumerate(row):
            if index >= len(widths):
                widths.append(0)
            if cap is None or width(cell) <= cap:
                widths[index] = max(widths[index], width(cell))
    return [_join(row, widths, gap) for row in rows]


def _join(row: list[str], widths: list[int], gap: int) -> str:
    last = max((i for i, cell in enumerate(row) if cell), default=-1)
    cells = [
        pad(cell, max(widths[i], width(cell)) + gap) if i < last else cell
        for i, cell in enumerate(row[: last + 1])
    ]
    return "".join(cells)


def rendered(lines: list[Line]) -> list[str]:
    """The text of each line, one for one."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        end = _run_end(lines, index)
        out.extend(_render_run(lines[index:end]))
        index = end
    return out


def _run_end(lines: list[Line], start: int) -> int:
    """A run is one line without a trailing comment, or consecutive lines that all have one."""
    if lines[start].comment is None or not lines[start].code:
        return start + 1
    end = start + 1
    while end < len(lines) and lines[end].comment is not None and lines[end].depth == lines[start].depth:
        end += 1
    return end


def _render_run(run: list[Line]) -> list[str]:
    codes = [INDENT * line.depth + line.code if line.code else "" for line in run]
    if len(run) == 1 and run[0].comment is None:
        return [codes[0].rstrip()]
    column = max(width(code) for code in codes) + COMMENT_GAP
    if len(run) > 1 and column > MAX_COMMENT_COLUMN:
        column = 0
    return [_with_comment(code, line.comment, column) for code, line in zip(codes, run, strict=True)]


def _with_comment(code: str, comment: str | None, column: int) -> str:
    if comment is None:
        return code.rstrip()
    if not code:
        return comment
    return pad(code, max(column, width(code) + COMMENT_GAP)) + comment
