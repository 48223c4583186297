"""English text says 1 digit, 1 decimal, 1 cell (not “1 digits”), and 2 digits: messages (a `Count`
argument: "{count} {count:cell|cells}"), explanations, `jixiao fmt` and the rounding an audit or import
shows. A ruleset may write `1 digit` as well as `1 digits` (the language reads both; fmt writes the first).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import jixiao
from jixiao.cli import main
from jixiao.language.rounding import Rounding, RoundingMode, digits_text
from jixiao.messages import message

RULESET = """project "digits" year 2020 {{
  use "standard/central"
  rounding indicator half_up {digits}
  产出指标 / 数量指标 {{
    甲  target ≥3人  weight 10.25
    乙  target ≥3人  weight 79.75  rounding up {digits}
  }}
}}
"""
ACTUALS = "一级指标,二级指标,三级指标,实际完成值\n预算执行,年度资金总额,全年预算数,100\n预算执行,年度资金总额,全年执行数,95\n产出指标,数量指标,甲,2人\n产出指标,数量指标,乙,?\n"


def _files(tmp_path: Path, digits: str) -> tuple[Path, Path]:
    ruleset, actuals = tmp_path / "r.jx", tmp_path / "a.csv"
    ruleset.write_text(RULESET.format(digits=digits), encoding="utf-8")
    actuals.write_text(ACTUALS, encoding="utf-8")
    return ruleset, actuals


@pytest.mark.parametrize("written", ["1 digit", "1 digits", "1位"])
def test_one_digit_is_singular_in_english(tmp_path: Path, written: str) -> None:
    ruleset, actuals = _files(tmp_path, written)
    runner = CliRunner()
    check = runner.invoke(main, ["check", str(ruleset), "--lang", "en"])
    assert "cannot be shown with 1 decimal:" in check.output and "with 1 decimal that add up" in check.output
    explained = runner.invoke(main, ["score", str(ruleset), str(actuals), "--lang", "en", "--explain"]).stdout
    assert "→ half_up 1 digit →" in explained and "1 digits" not in explained, explained
    assert "1 score is unknown" in explained
    assert runner.invoke(main, ["fmt", "--keywords", "en", str(ruleset)]).exit_code == 0
    formatted = ruleset.read_text(encoding="utf-8")
    assert "half_up 1 digit\n" in formatted and "up 1 digit\n" in formatted and "1 digits" not in formatted
    assert jixiao.load_ruleset(ruleset).plan.by_path["产出指标/数量指标/乙"].stage.digits == 1


def test_two_digits_stay_plural(tmp_path: Path) -> None:
    ruleset, actuals = _files(tmp_path, "2 digits")
    explained = CliRunner().invoke(main, ["score", str(ruleset), str(actuals), "--lang", "en", "--explain"])
    assert "→ half_up 2 digits →" in explained.stdout


def test_counts_in_messages_and_rounding_texts() -> None:
    assert [digits_text(n, "en") for n in (0, 1, 2)] == ["0 digits", "1 digit", "2 digits"]
    assert digits_text(1) == "1位"
    assert Rounding(RoundingMode.DOWN, 1).text("en") == "down 1 digit"
    cells = {"row": 3, "text": "預算", "simple": "预算"}
    assert message("F125", "en", {"count": 1, **cells}).startswith("1 cell of the actual-value file is in")
    assert message("F125", "en", {"count": 2, **cells}).startswith("2 cells of the actual-value file are in")
    assert message("F125", "zh", {"count": 1, **cells}).startswith("实际值文件中有 1 个单元格")
    unread = {"row": 3, "cell": "H3", "text": "备注"}
    assert message("F178", "en", {"count": 1, **unread}).startswith(
        "1 cell in columns without a header is not"
    )
    assert message("W113", "en", {"weight": "10.25", "digits": 0, "level": "甲"}).count("0 decimals") == 1
