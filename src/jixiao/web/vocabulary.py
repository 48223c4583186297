"""The words the editor highlights and completes, from the one source of truth: the grammar's keyword
terminals (every spelling, both languages) and the vocabulary the engine resolves after parsing."""

from __future__ import annotations

import functools
import re
from typing import get_args

from pydantic import BaseModel

from jixiao.language import vocabulary as v
from jixiao.language.rounding import MODE_WORDS
from jixiao.resources import grammar_text
from jixiao.tools.compare.model import Direction
from jixiao.tools.compare.render import KIND_LABELS, LABELS
from jixiao.tools.golden.report import WHAT_LABELS

KEYWORD_TERMINAL = re.compile(r"^(_?[A-Z_]+)\.2: /\(\?:([^)]*)\)\(\?!", re.MULTILINE)


class Keyword(BaseModel):
    words: list[str]  # every spelling, Chinese first
    label: str  # "目标 / target"


class Vocabulary(BaseModel):
    keywords: list[Keyword]
    methods: list[str]
    rounding: list[str]
    functions: list[str]
    variables: list[str]
    change_kinds: dict[str, str]  # /v1/diff's change kinds in Chinese: "weight" → "分值"
    change_directions: dict[str, str]  # /v1/diff's directions in Chinese: "raised" → "提高"
    test_values: dict[str, str]  # /v1/test's mismatches other than an indicator: "total" → "总得分"


@functools.cache
def vocabulary() -> Vocabulary:
    keywords: dict[str, list[str]] = {}
    for terminal, spellings in KEYWORD_TERMINAL.findall(grammar_text()):
        words = spellings.split("|")
        label = v.keyword_of_terminal(terminal)
        key = " / ".join(label) if label else " / ".join(words)
        keywords.setdefault(key, [])
        keywords[key] += [w for w in words if w not in keywords[key]]
    return Vocabulary(
        keywords=[Keyword(words=words, label=label) for label, words in keywords.items()],
        methods=sorted({w for pair in v.METHOD_LABELS.values() for w in pair} | set(v.KIND_WORDS)),
        rounding=sorted(MODE_WORDS),
        functions=sorted(v.FUNC_WORDS),
        variables=sorted({*v.INDICATOR_VARS, *v.BUDGET_VARS}),
        change_kinds={kind: zh for kind, (zh, _) in KIND_LABELS.items()},
        change_directions={d: LABELS[d][0].strip("（）") for d in get_args(Direction)},
        test_values={what: zh for what, (zh, _) in WHAT_LABELS.items()},
    )
