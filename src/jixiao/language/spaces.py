"""Spaces the eye cannot tell from a plain one, read as a plain one outside quoted text.

Text pasted from Word, WPS or a web page brings no-break spaces (U+00A0), the other Unicode spaces
(U+2000–U+200A, U+202F, U+205F) and invisible characters (the zero-width space U+200B and its
kin). In a ruleset they separate words like a space, so `甲 目标 ≥90%` with a no-break space reads as
written. The mapping is one character for one, so every offset of the file is kept, and the names
and quoted texts the transformer takes from the file itself keep what was written.
"""

from __future__ import annotations

SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e"  # zero-width space, (non-)joiners, word joiner, BOM, …
_TABLE = str.maketrans(dict.fromkeys(SPACES + INVISIBLE, " "))
_ALL = frozenset(SPACES + INVISIBLE)


def blanked(text: str) -> str:
    """`text` with every Unicode space and invisible character as a plain space (same length)."""
    if text.isascii() or _ALL.isdisjoint(text):  # the common case, at C speed: nothing to change
        return text
    return text.translate(_TABLE)
