"""The keyword table (vocabulary.KEYWORDS) and the grammar agree: one source of spellings."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from jixiao.language.vocabulary import keyword_of_terminal, level_key, unnumbered

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


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("指标1：养护里程", "养护里程"),
        ("指标12:养护里程", "养护里程"),
        ("指标１２：养护里程", "养护里程"),
        (" 指标 三 ： 养护里程", "养护里程"),
        ("指标十二：养护里程", "养护里程"),
        ("指标1：", "指标1："),  # nothing but the number: kept
        ("指标1养护里程", "指标1养护里程"),  # no colon: a name
        ("指标a：养护里程", "指标a：养护里程"),
        ("养护里程指标1：x", "养护里程指标1：x"),
    ],
)
def test_the_ministry_templates_number_is_no_part_of_a_name(written: str, name: str) -> None:
    assert unnumbered(written) == name


def test_a_level_is_matched_without_a_trailing_zhibiao() -> None:
    assert level_key("社会效益指标") == level_key("社会效益") == "社会效益"
    assert level_key(" 产出 指标") == "产出" and level_key("指标") == "指标"
    assert level_key("指标指标") == "指标"  # one 指标 only


def test_a_hostile_name_is_read_in_one_pass() -> None:
    long = "指标" + "1" * 200_000
    assert unnumbered(long) == long and unnumbered(long + "：x") == "x"
