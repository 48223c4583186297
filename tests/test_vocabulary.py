"""The keyword table (vocabulary.KEYWORDS) and the grammar agree: one source of spellings."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from jixiao.language.vocabulary import keyword_of_terminal

GRAMMAR = (ROOT / "grammars" / "ruleset.lark").read_text(encoding="utf-8")
# Keyword terminals: NAME.2: /(?:甲|alias|…)(?![^\W\d_])/
KEYWORD_TERMINALS = {
    name: alternatives.split("|")
    for name, alternatives in re.findall(r"^([A-Z_]+)\.2: /\(\?:([^)]*)\)\(\?!", GRAMMAR, flags=re.M)
}
SEVERAL_WORDS = {"KIND"}  # one terminal for six kinds: described by vocabulary.KIND_LABELS


def test_the_grammar_has_keyword_terminals() -> None:
    assert len(KEYWORD_TERMINALS) > 40


@pytest.mark.parametrize("name", sorted(set(KEYWORD_TERMINALS) - SEVERAL_WORDS))
def test_every_keyword_terminal_has_both_spellings_in_the_table(name: str) -> None:
    pair = keyword_of_terminal(name)
    assert pair is not None, name
    zh, en = pair
    assert zh in KEYWORD_TERMINALS[name] and en in KEYWORD_TERMINALS[name], (name, pair)
