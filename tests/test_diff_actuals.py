"""`diff --actuals`: each side reads the actual-value file as `score` reads it under that side's ruleset."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main

OLD = """项目 "农村饮水安全巩固提升项目" 年度 2023 {
  采用 "standard/central"
  金额单位 万元
  结构 { 预算执行 10; 产出指标 50; 效益指标 30; 满意度指标 10 }
  产出指标 / 数量指标 {
    新建供水工程数量  目标 ≥12处   分值 15
    受益人口          目标 ≥2万人  分值 15
  }
  产出指标 / 质量指标 {
    水质达标率  目标 ≥90%  分值 10
  }
  产出指标 / 时效指标 {
    工程完工及时性  目标 2023年12月底前  分值 10
  }
  效益指标 / 社会效益 {
    群众饮水条件改善  目标 显著  分值 15
    供水保证率        目标 ≥95%  分值 15
  }
  满意度指标 / 服务对象满意度 {
    受益群众满意度  目标 ≥90%  分值 10
  }
}
"""
# a year later: one indicator renamed (新建集中供水工程数量), 3 points moved to 受益人口, a target raised
NEW = (
    OLD.replace("新建供水工程数量  目标 ≥12处   分值 15", "新建集中供水工程数量  目标 ≥12处  分值 12")
    .replace("受益人口          目标 ≥2万人  分值 15", "受益人口          目标 ≥2万人  分值 18")
    .replace("水质达标率  目标 ≥90%", "水质达标率  目标 ≥95%")
)
HEAD = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施\n"
BUDGET = "预算执行,年度资金总额,全年预算数,500.00,\n预算执行,年度资金总额,全年执行数,460.00,\n"
ROWS = {
    "新建供水工程数量": "产出指标,数量指标,新建供水工程数量,11处,一处未完工\n",
    "受益人口": "产出指标,数量指标,受益人口,2.1万人,\n",
    "水质达标率": "产出指标,质量指标,水质达标率,92%,\n",
    "工程完工及时性": "产出指标,时效指标,工程完工及时性,2023年12月20日,\n",
    "群众饮水条件改善": "效益指标,社会效益,群众饮水条件改善,显著,\n",
    "供水保证率": "效益指标,社会效益,供水保证率,96%,\n",
    "受益群众满意度": "满意度指标,服务对象满意度,受益群众满意度,93%,\n",
}
ACTUALS = HEAD + BUDGET + "".join(ROWS.values())  # 97.95 under OLD; 97.88 under NEW


def files(tmp_path: Path, actuals: str, old: str = OLD, new: str = NEW) -> tuple[str, str, str]:
    paths = (tmp_path / "old.jx", tmp_path / "new.jx", tmp_path / "a.csv")
    for path, text in zip(paths, (old, new, actuals), strict=True):
        path.write_text(text, encoding="utf-8")
    return str(paths[0]), str(paths[1]), str(paths[2])


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def folders(tmp_path: Path, actuals: str, old: str = OLD, new: str = NEW) -> tuple[str, str, str]:
    """The two rulesets as p.jx in folders o and n, the actual values as a/p.csv."""
    for name, text in (("o/p.jx", old), ("n/p.jx", new), ("a/p.csv", actuals)):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / "o"), str(tmp_path / "n"), str(tmp_path / "a")


# -- rows are matched by name as `score` matches them --------------------------------------------------


def test_a_row_written_in_half_width_brackets_is_the_indicator_as_in_score(tmp_path: Path) -> None:
    old_text = OLD.replace("受益人口          目标", '"受益人口（城镇）"  目标')
    actuals = ACTUALS.replace(",受益人口,", ",受益人口(城镇),")
    old, new, csv = files(tmp_path, actuals, old_text)
    score = CliRunner().invoke(main, ["score", old, csv])
    assert "总得分 97.95" in score.output, score.output
    result = run(old, new, "--actuals", csv)
    assert "97.95     97.88" in result.output, result.output
    assert "W140" not in result.output and "无实际值" not in result.output


def test_a_row_in_traditional_characters_is_the_indicator_as_in_score(tmp_path: Path) -> None:
    old, new, csv = files(tmp_path, ACTUALS.replace("水质达标率", "水質達標率"))
    report = jixiao.diff(old, new, actuals=[csv])
    impact = report.impacts[0]
    assert (impact.old_total, impact.new_total) == ("97.95", "97.88")
    assert impact.notes == [] and all(r.status != "missing" for r in impact.rows)


def test_folders_match_rows_as_score_does(tmp_path: Path) -> None:
    old, new, actuals = folders(tmp_path, ACTUALS.replace("水质达标率", "水質達標率"))
    score = jixiao.diff_folders(old, new, actuals=[actuals]).projects[0].scores[0]
    assert (score.old_total, score.new_total, score.missing) == ("97.95", "97.88", [])


# -- the file's own errors, and no row read two ways --------------------------------------------------


def test_two_rows_for_one_indicator_are_E507_as_in_score(tmp_path: Path) -> None:
    old, _, csv = files(tmp_path, ACTUALS + "产出指标,数量指标,受益人口,1万人,\n")
    result = run(old, old, "--actuals", csv)
    assert result.exit_code == 2, result.output
    assert "a.csv:11:3" in result.output and "error[E507]" in result.output
    assert "{first_hidden}" not in result.output and "（第一次在第" in result.output
    assert "97.95" not in result.output  # no total from whichever row came first


def test_a_row_naming_no_indicator_is_E503_as_in_score(tmp_path: Path) -> None:
    old, new, csv = files(tmp_path, ACTUALS + "产出指标,数量指标,新建水厂数量,2座,\n")
    result = run(old, new, "--actuals", csv)
    assert result.exit_code == 2 and "a.csv:11:3" in result.output and "error[E503]" in result.output


def test_a_row_for_an_indicator_only_one_side_has_is_left_out_on_the_other(tmp_path: Path) -> None:
    new_text = OLD.replace("    供水保证率        目标 ≥95%  分值 15\n", "").replace(
        "群众饮水条件改善  目标 显著  分值 15", "群众饮水条件改善  目标 显著  分值 30"
    )
    old, new, csv = files(tmp_path, ACTUALS, new=new_text)
    impact = jixiao.diff(old, new, actuals=[csv]).impacts[0]
    assert (impact.old_total, impact.new_total) == ("97.95", "97.95")
    assert [r.status for r in impact.rows if r.path.endswith("供水保证率")] == ["removed"]


def test_either_years_name_of_a_renamed_indicator_is_read_on_both_sides(tmp_path: Path) -> None:
    renamed = ACTUALS.replace(",新建供水工程数量,", ",新建集中供水工程数量,")
    for text in (ACTUALS, renamed):
        old, new, csv = files(tmp_path, text)
        impact = jixiao.diff(old, new, actuals=[csv]).impacts[0]
        assert (impact.old_total, impact.new_total, impact.notes) == ("97.95", "97.88", [])


@pytest.mark.parametrize("last", [True, False])
def test_both_years_names_of_a_renamed_indicator_are_E537_not_a_first_row(tmp_path: Path, last: bool) -> None:
    """Last year's and this year's name of one indicator, on two rows: which row counts would depend on
    their order, so neither does: E537 at the later row, on each side."""
    other = "产出指标,数量指标,新建集中供水工程数量,12处,\n"
    text = (
        ACTUALS + other
        if last
        else ACTUALS.replace(ROWS["新建供水工程数量"], other + ROWS["新建供水工程数量"])
    )
    old, new, csv = files(tmp_path, text)
    result = run(old, new, "--actuals", csv)
    assert result.exit_code == 2, result.output
    assert "error[E537]" in result.output and ("a.csv:11:3" if last else "a.csv:5:3") in result.output
    assert "97.95" not in result.output and "99.20" not in result.output
    english = run(old, new, "--actuals", csv, "--lang", "en")
    assert "are one indicator" in english.output and "old rules" in english.output


def test_folders_report_the_files_own_errors(tmp_path: Path) -> None:
    old, new, actuals = folders(tmp_path, ACTUALS + "产出指标,数量指标,受益人口,1万人,\n")
    score = jixiao.diff_folders(old, new, actuals=[actuals]).projects[0].scores[0]
    assert "E507" in {e.code for e in score.errors}
    assert (score.old_total, score.new_total) == (None, None)


# -- a side that cannot score the values does not stop the other ---------------------------------------

# an evaluator's 调整得分 14.5: within the old weight 15, over the new weight 12 (E511 under the new rules)
ADJUSTED = (
    HEAD.replace("改进措施\n", "改进措施,调整得分,调整理由\n")
    + BUDGET.replace(",\n", ",,,\n")
    + "".join(ROWS.values())
    .replace(",\n", ",,,\n")
    .replace("一处未完工\n", "一处未完工,14.5,一处已基本完工\n")
)


def test_a_side_that_cannot_score_is_marked_with_its_errors_and_the_other_is_shown(tmp_path: Path) -> None:
    old, new, csv = files(tmp_path, ADJUSTED)
    result = run(old, new, "--actuals", csv)
    assert result.exit_code == 2, result.output
    assert "目标提高" in result.output  # the rule diff is printed
    assert "总得分     98.70         —" in result.output
    assert (
        "a.csv:4:6: 第4行「调整得分」列: error[E511]: 新规则: 调整得分「14.5」超出 0 到分值的范围"
        in result.output
    )
    assert "   = help: 调整得分须在 0 到分值 12 之间" in result.output
    english = run(old, new, "--actuals", csv, "--lang", "en")
    assert "error[E511]: new rules: " in english.output and english.exit_code == 2


def test_a_side_that_cannot_score_in_json_and_the_api(tmp_path: Path) -> None:
    old, new, csv = files(tmp_path, ADJUSTED)
    impact = jixiao.diff(old, new, actuals=[csv]).impacts[0]
    assert (impact.old_total, impact.new_total, impact.delta, impact.old_grade) == ("98.70", None, None, "优")
    assert impact.old_errors == [] and [e.code for e in impact.new_errors] == ["E511"]
    error = impact.new_errors[0]
    assert error.message.startswith("新规则: ") and error.span is not None and error.span.line == 4
    assert "新规则" not in jixiao.render(jixiao.diff(old, new, actuals=[csv], lang="en"), "markdown")


def test_the_old_side_that_cannot_score_is_named_as_the_old_rules(tmp_path: Path) -> None:
    rate = OLD.replace(
        "  金额单位 万元\n", "  金额单位 万元\n  预算执行 { 执行率 = 全年执行数 ÷ 年初预算数 }\n"
    )
    old, new, csv = files(tmp_path, ACTUALS, old=rate, new=OLD)
    result = run(old, new, "--actuals", csv)
    assert result.exit_code == 2 and "执行率" in result.output
    assert "error[E510]: 旧规则: 预算数据「年初预算数」缺失或无法识别" in result.output
    assert "总得分         —     97.95" in result.output


def test_folders_show_the_side_that_could_be_scored(tmp_path: Path) -> None:
    old, new, actuals = folders(tmp_path, ADJUSTED)
    score = jixiao.diff_folders(old, new, actuals=[actuals]).projects[0].scores[0]
    assert (score.old_total, score.new_total, score.old_grade, score.new_grade) == ("98.70", None, "优", None)
    assert [(e.code, e.message[:5]) for e in score.errors] == [("E511", "新规则: ")]
    result = run(old, new, "--actuals", actuals)
    assert result.exit_code == 2 and "98.70         —" in result.output
    assert "a/p.csv:4:6" in result.output and "error[E511]: 新规则: " in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_rev_shows_the_side_that_could_be_scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, check=True)

    git("init", "-q")
    git("config", "user.email", "staff@example.invalid")
    git("config", "user.name", "staff")
    (tmp_path / "p.jx").write_text(OLD, encoding="utf-8")
    git("add", "p.jx")
    git("commit", "-q", "-m", "2023")
    (tmp_path / "p.jx").write_text(NEW, encoding="utf-8")
    (tmp_path / "a.csv").write_text(ADJUSTED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("--rev", "HEAD", "p.jx", "--actuals", "a.csv")
    assert result.exit_code == 2, result.output
    assert "总得分     98.70         —" in result.output and "error[E511]: 新规则: " in result.output


def test_a_row_at_last_years_place_of_a_moved_indicator_is_read_on_both_sides(tmp_path: Path) -> None:
    moved = OLD.replace("    工程完工及时性  目标 2023年12月底前  分值 10\n", "").replace(
        "    水质达标率  目标 ≥90%  分值 10\n",
        "    水质达标率  目标 ≥90%  分值 10\n    工程完工及时性  目标 2023年12月底前  分值 10\n",
    )
    old, new, csv = files(tmp_path, ACTUALS, new=moved)
    impact = jixiao.diff(old, new, actuals=[csv]).impacts[0]
    assert (impact.old_total, impact.new_total, impact.notes, impact.new_errors) == ("97.95", "97.95", [], [])


def test_two_rows_under_last_years_name_of_a_renamed_indicator_are_E507_on_both_sides(tmp_path: Path) -> None:
    old, new, csv = files(tmp_path, ACTUALS + "产出指标,数量指标,新建供水工程数量,12处,\n")
    impact = jixiao.diff(old, new, actuals=[csv]).impacts[0]
    assert [e.code for e in impact.old_errors] == ["E507"] and [e.code for e in impact.new_errors] == ["E507"]
    assert impact.new_errors[0].message == "新规则: 指标「新建供水工程数量」重复出现（第一次在第4行）"


def _seed_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The seed ruleset, and a year later: 2 points moved, an indicator replaced by one the actual values
    do not have yet (不适用 there: the rest rescaled to 100), the total truncated to one place."""
    shutil.copytree(ROOT / "rulesets" / "standard", tmp_path / "standard")
    old = tmp_path / "a.jx"
    old.write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    text = (
        old.read_text(encoding="utf-8")
        .replace('采用 "standard/central"', '采用 "standard/central"\n  舍入 合计 截断 1位')
        .replace("资金发放准确率  目标 100%  分值 10", "资金发放准确率  目标 100%  分值 12")
        .replace("资金发放及时率  目标 100%  分值 10", "资金发放及时率  目标 100%  分值 8")
        .replace("享受补贴群众满意度  目标 100%  分值 10", "参保对象满意度  目标 ≥95%  分值 10")
    )
    new = tmp_path / "c.jx"
    new.write_text(text, encoding="utf-8")
    return old, new


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rows_add_up_to_the_totals_delta_with_rescaling_and_rounding(tmp_path: Path, lang: str) -> None:
    """Rows +2, −2, −10 and a total 99.31 → 99.2: the rescaling and the total's rounding showed nowhere."""
    old, new = _seed_pair(tmp_path)
    args = ["diff", str(old), str(new), "--actuals", str(SEED_ACTUALS), "--lang", lang]
    report = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).output)
    (impact,) = report["impacts"]
    deltas = [Fraction(r["exact"].get("delta") or r["delta"]) for r in impact["rows"] if r["delta"]]
    assert sum(deltas) == Fraction(impact["delta"]) == Fraction("-0.11")
    residual = impact["rows"][-1]
    assert (residual["path"], residual["status"], residual["delta"]) == ("折算与舍入", "residual", "+9.89")
    label = {"zh": "折算与舍入", "en": "Rescaling and rounding"}[lang]
    for fmt in ("table", "markdown"):
        shown = CliRunner().invoke(main, [*args, "--format", fmt]).output
        assert label in shown and "+9.89" in shown


def test_no_residual_row_when_the_rows_add_up(tmp_path: Path) -> None:
    new = tmp_path / "b.jx"
    new.write_text(
        SEED_RULESET.read_text(encoding="utf-8")
        .replace("分值 20", "分值 21")
        .replace("目标 100%  分值 10\n  }\n  产出指标 / 时效", "目标 100%  分值 9\n  }\n  产出指标 / 时效"),
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "rulesets" / "standard", tmp_path / "standard")
    report = jixiao.diff(SEED_RULESET, new, actuals=[SEED_ACTUALS])
    (impact,) = report.impacts
    assert [r.delta for r in impact.rows if r.status != "same"] == ["+1.00", "-1.00"]
    assert impact.delta == "0.00" and all(r.status != "residual" for r in impact.rows)
