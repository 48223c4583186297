"""Traditional characters read as simplified ones: 萬元 = 万元, 年初預算數 = 年初预算数.

Tables from some counties and mirrors are written in traditional characters. Names, units,
keywords and budget labels match across simplified and traditional the way they match across
full and half width. The mapping is data (`traditional.tsv`, derived from OpenCC), one character
to one character, so a normalised text keeps every offset of the original.
"""

from __future__ import annotations

import functools
from importlib.resources import files


@functools.cache
def _table() -> dict[int, str]:
    """The mapping as a `str.translate` table, read once."""
    text = files("jixiao.language").joinpath("traditional.tsv").read_text(encoding="utf-8")
    return _pairs(text) or _lines(text)


def _pairs(text: str) -> dict[int, str] | None:
    """The table at C speed when the file is as written (comment lines, then `X<TAB>Y` lines): every
    fourth character is a traditional one, the one two further its simplified one; else None."""
    start = 0
    while text.startswith("#", start):
        start = text.find("\n", start) + 1 or len(text)
    body = text[start:]
    count = len(body) // 4
    if not count or len(body) != 4 * count or body[1::4] != "\t" * count or body[3::4] != "\n" * count:
        return None
    if "#" in body[0::4]:
        return None
    return dict(zip(map(ord, body[0::4]), body[2::4], strict=True))


def _lines(text: str) -> dict[int, str]:
    """The table read line by line (any other layout of the file)."""
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            traditional, simple = line.split("\t")
            table[ord(traditional)] = simple
    return table


def simplified(text: str) -> str:
    """`text` with every traditional character replaced by its simplified form (same length)."""
    return text.translate(_table())


def first_traditional(text: str) -> int | None:
    """The offset of the first character that `simplified` would change, or None."""
    table = _table()
    if text.translate(table) == text:  # the common case, at C speed: nothing to find
        return None
    return next((i for i, c in enumerate(text) if ord(c) in table), None)


@functools.cache
def _characters() -> frozenset[str]:
    return frozenset(chr(code) for code in _table())


def has_traditional(text: str) -> bool:
    """Whether `simplified` would change `text` (`first_traditional` is not None), in one C-level scan."""
    return not _characters().isdisjoint(text)
