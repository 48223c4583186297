"""User text made harmless for each medium it is written to.

Names, targets, actual values and notes come from files staff receive from others. Written out,
they must not act on the reader: a terminal must not receive escape sequences (colours, OSC 8
links, BEL) nor a line break that starts a forged row; Markdown and HTML must not receive markup
(`<img onerror=…>`, `[x](javascript:…)`); a spreadsheet must not receive a formula (`=cmd|…`,
OWASP "CSV injection"), which a cell starting with `=`, `+`, `-` or `@` becomes unless it is a number.
"""

from __future__ import annotations

import re

from jixiao.diagnostics import one_line, printable

_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# html.escape(…, quote=True) in one pass (`import html` loads its table of 2,231 entities: not at start-up)
_HTML = str.maketrans({**_ENTITIES, '"': "&quot;", "'": "&#x27;"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(text: str) -> str:
    """A terminal table cell or line: one line, no control characters, no tab (it would break the columns)."""
    return one_line(text).replace("\t", " ")


def markdown(text: str) -> str:
    """Markdown inline text: one line; markup characters escaped, HTML as entities (no tags, no links)."""
    escaped = _MARKDOWN.sub(r"\\\1", one_line(text))
    return "".join(_ENTITIES.get(ch, ch) for ch in escaped)


def html_text(text: str) -> str:
    """HTML text content or attribute value: escaped, line breaks kept as <br>."""
    lines = printable(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(line.translate(_HTML) for line in lines)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take `text` for a formula: it starts with = + - @ and is no number."""
    return text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None


def spreadsheet(text: str) -> str:
    """A CSV cell: no control characters but line breaks and tabs; a formula-like cell gets a leading '."""
    clean = printable(text)
    return "'" + clean if formula_like(clean) else clean
