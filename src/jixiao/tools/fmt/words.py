"""The spellings the printer writes: every keyword in Chinese and English, and how names are quoted.

The grammar (grammars/ruleset.lark) is the authority; these tables pick one
spelling of each keyword per language, the first one the grammar lists.
"""

from __future__ import annotations

import re
from typing import Literal

from jixiao.language.rounding import RoundingMode
from jixiao.language.vocabulary import KEYWORDS, KIND_LABELS, METHOD_LABELS, STAGE_LABELS, VAR_ALIASES

Keywords = Literal["zh", "en"]

ROUNDING_WORDS: dict[RoundingMode, tuple[str, str]] = {
    RoundingMode.HALF_UP: ("四舍五入", "half_up"),
    RoundingMode.DOWN: ("截断", "down"),
    RoundingMode.UP: ("进位", "up"),
    RoundingMode.HALF_EVEN: ("银行家", "half_even"),
}
FUNC_LABELS: dict[str, tuple[str, str]] = {
    "cap": ("封顶", "cap"),
    "floor": ("保底", "floor"),
    "actual_of": ("实际", "actual"),
    "score_of": ("得分", "score"),
}
# Variables: canonical (Chinese) name -> English spelling.
VAR_ENGLISH: dict[str, str] = {
    **{zh: en for en, zh in VAR_ALIASES.items() if en.isascii()},
    "实际": "actual",
    "目标": "target",
    "分值": "weight",
    "得分": "score",
}
ELSE_WORDS = frozenset({"否则", "其余", "else"})

_ALL_KEYWORDS = sorted(
    {
        *(w for pair in KEYWORDS.values() for w in pair),
        *(w for pair in KIND_LABELS.values() for w in pair),
        *(w for pair in STAGE_LABELS.values() for w in pair),
        *("若", "那么", "其余", "或者", "并且", "sum", "level", "indicator", "rate"),
    },
    key=len,
    reverse=True,
)
_KEYWORD_START = re.compile("(?:" + "|".join(map(re.escape, _ALL_KEYWORDS)) + r")(?![^\W\d_])")
_WORD = re.compile(r"[^\W\d_][\w·]*")
_VALUE = re.compile(r"(?:[^\s{}｛｝\"“”「」#;；→:：|｜\-]|-(?!>))+")


def word(key: str, lang: Keywords) -> str:
    """A keyword in one language."""
    zh, en = KEYWORDS[key]
    return zh if lang == "zh" else en


def language_of(word: str) -> Keywords:
    """The keyword language a word is written in: English words are Latin letters."""
    return "en" if word.isascii() else "zh"


def pick(pair: tuple[str, str], lang: Keywords) -> str:
    return pair[0] if lang == "zh" else pair[1]


def kind_word(kind: str, lang: Keywords) -> str:
    return pick(KIND_LABELS[kind], lang)


def stage_word(stage: str, lang: Keywords) -> str:
    return pick(STAGE_LABELS[stage], lang)


def method_word(method_id: str, lang: Keywords) -> str | None:
    pair = METHOD_LABELS.get(method_id)
    return pick(pair, lang) if pair else None


def quote(text: str) -> str:
    """Quote a text with the first quote style it does not contain."""
    if '"' not in text:
        return f'"{text}"'
    if "”" not in text:
        return f"“{text}”"
    return f"「{text}」"


def is_bare_word(text: str) -> bool:
    """Whether a name can be written without quotes: a WORD that no keyword captures."""
    return bool(_WORD.fullmatch(text)) and not _KEYWORD_START.match(text)


def name(text: str) -> str:
    """A name (level, indicator, scale, grade): bare when it can be, else quoted."""
    return text if is_bare_word(text) else quote(text)


def value(text: str) -> str:
    """A literal as written (≥1.1万人, [80%,100%]): bare when the lexer reads it whole, else quoted."""
    if _VALUE.fullmatch(text) and not _KEYWORD_START.fullmatch(text):
        return text
    return quote(text)
