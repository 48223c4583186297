"""Rows of text cells as aligned columns: tabulate's "simple" (terminal) and "github" (Markdown) tables,
character for character, without importing tabulate and wcwidth for ordinary cells.

Importing tabulate 0.10 costs about as much as the whole rest of printing a table (it reads its own
version through importlib.metadata, and loads wcwidth's tables), so a table whose every cell is
ordinary is written here: printable ASCII, CJK ideographs, CJK and full-width punctuation and a few
common symbols (`WIDE`, `NARROW`), whose display widths wcwidth gives as 2 and 1, one character at a
time. Anything else (another script, a combining mark, an emoji, a cell with surrounding white space, a
line break, no row at all) goes to tabulate itself, imported then: the output is the same either way
(tests/test_aligned.py compares the two on generated tables, and every code point listed with wcwidth).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

TABULATE = "tabulate"  # the general case, imported when first needed

# Display width 2 (wcwidth): CJK ideographs (extension A and the main block), the ideographic space,
# CJK punctuation (、。〃 〈〉《》「」『』【】 〔〕〖〗〘〙〚〛), full-width forms and signs (！（），：；￥).
WIDE: tuple[tuple[str, str], ...] = (
    ("\u3000", "\u3003"), ("\u3008", "\u3011"), ("\u3014", "\u301b"), ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"), ("\uff01", "\uff60"), ("\uffe0", "\uffe6"),
)  # fmt: skip
# Display width 1 beside printable ASCII: symbols that targets, figures and notes use (all below U+3000).
NARROW = frozenset("·×÷—‘’“”…‰℃±≠≤≥√")
_FORMATS = {"simple": ("", "  ", "", 0), "github": ("|", "|", "|", 1)}  # begin, separator, end, padding


def aligned(
    header: Sequence[str], rows: Sequence[Sequence[str]], fmt: str, align: Sequence[str] | None
) -> str:
    """`tabulate(rows, headers=header, tablefmt=fmt, disable_numparse=True, colalign=align)`."""
    aligns = [*(align or ())][: len(header)]
    aligns += ["left"] * (len(header) - len(aligns))
    if not _ordinary(header, rows, fmt, aligns):
        tabulate = importlib.import_module(TABULATE).tabulate
        table: str = tabulate(rows, headers=header, tablefmt=fmt, disable_numparse=True, colalign=align)
        return table
    # A column is as wide as its widest cell, and at least its header and two spaces (tabulate's padding).
    widths = [max(width(h) + 2, *(width(row[c]) for row in rows)) for c, h in enumerate(header)]
    begin, separator, end, padding = _FORMATS[fmt]
    pad = " " * padding

    def line(cells: Sequence[str]) -> str:
        placed = [pad + _place(cell, w, a) + pad for cell, w, a in zip(cells, widths, aligns, strict=True)]
        return (begin + separator.join(placed) + end).rstrip()

    rule = (begin + separator.join("-" * (w + 2 * padding) for w in widths) + end).rstrip()
    return "\n".join([line(header), rule, *map(line, rows)])


def width(text: str) -> int:
    """The display width of an ordinary text: 2 for each wide character (from U+3000 on), 1 for others."""
    return len(text) if text.isascii() else len(text) + sum(1 for c in text if c >= "\u3000")


def ordinary(text: str) -> bool:
    """Whether every character of `text` is printable ASCII, `NARROW` or `WIDE`."""
    if text.isascii():
        return text.isprintable()
    return all(" " <= c <= "~" or c in NARROW or any(lo <= c <= hi for lo, hi in WIDE) for c in text)


def _place(text: str, room: int, align: str) -> str:
    gap = " " * (room - width(text))
    return gap + text if align == "right" else text + gap


def _ordinary(header: Sequence[str], rows: Sequence[Sequence[str]], fmt: str, aligns: list[str]) -> bool:
    """Whether every cell is ordinary and the table one this module writes as tabulate does."""
    if fmt not in _FORMATS or not header or not rows or any(a not in ("left", "right") for a in aligns):
        return False
    if any(len(row) != len(header) for row in rows):
        return False
    cells = [*header, *(cell for row in rows for cell in row)]
    # tabulate strips the white space around a body cell (not around a header)
    return all(map(ordinary, cells)) and all(cell == cell.strip() for row in rows for cell in row)
