"""The right suggestion for each mistake quoted in issue 10, as `jixiao check` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.language.suggest import closest_keyword, resemblance

AFTER_TARGET = ["分值", "方法", "舍入", "实际", "得分", "依据", "说明", "超额", "weight", "method", "score"]


def _check(tmp_path: Path, old: str, new: str, *extra: str) -> str:
    text = SEED_RULESET.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "2020.jx"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(path), *extra])
    assert run.exit_code == 1
    return run.output


@pytest.mark.parametrize("typed", ["分直", "分数", "权重", "份值"])
def test_a_mistyped_weight_keyword_suggests_fen_zhi(tmp_path: Path, typed: str) -> None:
    output = _check(tmp_path, "≥1.1万人  分值 20", f"≥1.1万人  {typed} 20")
    assert "error[E104]" in output and f"这里是「{typed}」" in output
    assert "help: 是不是要写「分值」？" in output
    assert closest_keyword(typed, AFTER_TARGET) == "分值"


def test_sound_shape_and_meaning_beat_edit_distance() -> None:
    assert resemblance("分直", "分值") > resemblance("分直", "得分")  # same sound zhi
    assert resemblance("舍人", "舍入") > resemblance("舍人", "实际")  # 人 looks like 入
    assert closest_keyword("weigth", AFTER_TARGET) == "weight"
    assert closest_keyword("得份", AFTER_TARGET) == "得分"
    assert closest_keyword("随便", AFTER_TARGET) is None


@pytest.mark.parametrize(
    ("written", "comma", "column"),
    [("≥1.1万人，分值 20", "，", 22), ("≥1.1万人,分值 20", ",", 22), ("≥1.1万人， 分值 20", "，", 22)],
)
def test_a_comma_between_options_is_named(tmp_path: Path, written: str, comma: str, column: int) -> None:
    output = _check(tmp_path, "≥1.1万人  分值 20", written)
    assert f":43:{column}: error[E150]: 目标值后面多了一个逗号「{comma}」" in output
    assert "help: 选项之间用空格分开，不写逗号，例如：目标 ≥95% 分值 10" in output
    assert "E103" not in output and "缺少分值" not in output


def test_a_comma_in_english(tmp_path: Path) -> None:
    output = _check(tmp_path, "≥1.1万人  分值 20", "≥1.1万人,分值 20", "--lang", "en")
    assert "error[E150]: a comma “,” after the target value" in output
    assert "separate the options with spaces, not commas" in output


@pytest.mark.parametrize(
    ("old", "new", "scale", "example"),
    [
        (
            "目标 合规",
            "目标 合格",
            "合规性（合规、基本合规、不合规）",
            "量表 合规性 { 合规|合格 100%;  基本合规 80%;  不合规 0% }",
        ),
        (
            "目标 显著",
            "目标 显著提升",
            "显著性（显著、较显著、不显著）",
            "量表 显著性 { 显著|显著提升 100%;  较显著 80%;  不显著 0% }",
        ),
    ],
)
def test_a_word_in_no_scale_lists_close_scales_and_how_to_add_it(
    tmp_path: Path, old: str, new: str, scale: str, example: str
) -> None:
    output = _check(tmp_path, old, new)
    word = new.removeprefix("目标 ")
    assert f"error[E206]: 定性目标「{word}」不在任何量表中" in output
    assert "是不是要写" not in output  # not a slip of 合规 / 显著: a word of its own
    assert f"相近的量表：{scale}" in output
    assert (
        f"在项目文件中写一个收进这个词的量表（项目中的量表覆盖评分办法中的同名量表），例如：{example}"
        in output
    )
    assert "评分办法中为它定义量表" not in output


def test_the_scale_the_help_shows_makes_the_word_score(tmp_path: Path) -> None:
    """Following the help: the project's scale overrides the policy's, and 合格 scores like 合规."""
    text = SEED_RULESET.read_text(encoding="utf-8").replace("目标 合规", "目标 合格")
    text = text.replace(
        "金额单位 万元", "金额单位 万元\n  量表 合规性 { 合规|合格 100%;  基本合规 80%;  不合规 0% }"
    )
    path = tmp_path / "2020.jx"
    path.write_text(text, encoding="utf-8")
    actuals = SEED_ACTUALS.read_text(encoding="utf-8").replace("资金使用规范性,合规", "资金使用规范性,合格")
    result = jixiao.load_ruleset(path).score(jixiao.load_actuals(text=actuals))
    assert result.total == jixiao.load_ruleset(SEED_RULESET).score(SEED_ACTUALS).total


def test_a_slip_of_a_scale_word_still_gets_its_did_you_mean(tmp_path: Path) -> None:
    output = _check(tmp_path, "目标 合理", "目标 合里")
    assert "error[E206]" in output and "是不是要写「合理」" in output


def test_a_policy_written_without_quotes_suggests_the_quoted_form(tmp_path: Path) -> None:
    output = _check(tmp_path, '采用 "standard/central"', "采用 standard/central  # 注释")
    assert "E101" in output and '是不是要写「采用 "standard/central"」' in output
