"""The text of a table's cell as the generated files write it: on one line, matched as the cell.

A cell may hold a line break (Alt+Enter in Excel or WPS). A quoted name or value of a ruleset ends at a
line break, and a lone carriage return splits a CSV row, so the importer folds line breaks away; names
match by `name_key`, which ignores spaces, so the folded name still matches the table's row.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]\s*")
_QUOTES = ('"', "”", "」")


def cell_text(text: str) -> str:
    """A cell's text as the ruleset can quote it, matched as the table's (names match by `name_key`,
    which ignores spaces and reads ＂ as "): a line break typed in the cell (Alt+Enter) is folded
    away — to a space between two ASCII letters or digits — and a text holding every quote mark has
    its " written ＂ (a quoted text ends at its closing mark or a line break)."""
    text = _BREAK.sub(_fold, text.strip())
    if all(mark in text for mark in _QUOTES):
        text = text.replace('"', "＂")
    return text


def _fold(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    between = start > 0 and end < len(text) and text[start - 1].isascii() and text[end].isascii()
    return " " if between and text[start - 1].isalnum() and text[end].isalnum() else ""


def csv_cell(text: str) -> str:
    """A free text (an actual value, a note) for the actual-value CSV: its line breaks kept as "\\n",
    which the CSV writer quotes (a lone "\\r" it would not)."""
    return re.sub(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", text)
