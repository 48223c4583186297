"""Traditional characters read as simplified ones: one character to one character, data not code."""

from __future__ import annotations

from importlib.resources import files

from hypothesis import given
from hypothesis import strategies as st

from jixiao.language import variants
from jixiao.language.literals import parse_quantity, parse_target
from jixiao.language.quantity import NumericTarget, QualitativeTarget
from jixiao.language.variants import first_traditional, simplified
from jixiao.language.vocabulary import name_key


@given(st.text())
def test_simplified_keeps_every_offset(text: str) -> None:
    assert len(simplified(text)) == len(text)


def test_budget_labels_and_units_match_their_simplified_twins() -> None:
    assert name_key("年初預算數") == name_key("年初预算数")
    assert name_key("（城鎮）居民人數") == name_key("(城镇)居民人数")
    assert parse_quantity("7.29萬元").base == parse_quantity("7.29万元").base == 72900


def test_standard_simplified_characters_are_left_alone() -> None:
    # 著 is traditional for 着 but also the simplified 著 of 显著, a scale word of the standard policy
    assert simplified("显著、乾净、较显著") == "显著、乾净、较显著"
    assert first_traditional("显著") is None
    assert parse_target("顯著") == QualitativeTarget("显著")


def test_first_traditional_points_at_the_character() -> None:
    assert first_traditional("金额单位 萬元") == 5
    target = parse_target("≥1.1萬人")
    assert isinstance(target, NumericTarget) and target.quantity.base == 11000


def test_the_table_read_at_c_speed_is_the_one_read_line_by_line() -> None:
    text = files("jixiao.language").joinpath("traditional.tsv").read_text(encoding="utf-8")
    assert variants._pairs(text) == variants._lines(text) == variants._table()
    assert len(variants._table()) > 4000
    for other in (
        text.replace("\n", "\r\n"),  # another layout: read line by line
        text + "\n",
        text + "# a comment at the end\n",
        text.replace("\t", " \t", 1),
        "#只有注释\n",
        "",
    ):
        assert variants._pairs(other) is None
    assert variants._pairs("# 注释\n萬\t万\n後\t后\n") == variants._lines("# 注释\n萬\t万\n後\t后\n")
