"""`jixiao diff`: changes of meaning between two rulesets, and their impact on scores."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.resources import rulesets_dir
from jixiao.source import read_text
from jixiao.tools.compare import compare

SEED = read_text(SEED_RULESET)
EXAMPLE_2021 = ROOT / "rulesets" / "shangjie-pension" / "2021.jx"

# The seed reformatted by hand: English keywords, other spacing and blank lines, comments moved.
HAND_FORMATTED = """project "城乡居民基本养老保险费财政补助资金" year 2020 {   # the project
use "standard/central";department "[332]郑州市上街区人力资源和社会保障局"
unit "郑州市上街区人力资源和社会保障局机关"


money_unit 万元
framework { budget 10; 投入和管理目标 10; 产出指标 40
  效益指标 30 ; 满意度指标 10 }
budget { explain when rate<70% }
# a comment that moved
投入和管理目标/投入管理{
预算执行率 target 100% weight 1 actual=rate rounding down 2 digits
预算编制合理性 target 合理 weight 1;预算资金到位情况 target 100% weight 1
}
投入和管理目标 / 财务管理 { 财务管理制度健全性 target 健全 weight 1; 资金使用规范性 target 合规 weight 1; 财务监控有效性 target 有效 weight 1 }
投入和管理目标 / 项目管理 {
  合同管理完备性 target 完备 weight 1
  项目质量可控性 target 可控 weight 1
  政府采购规范性 target 规范 weight 1
  项目管理制度健全性 target 健全 weight 1
}
产出指标 / 数量指标 { 享受补贴人数 target >=1.1万人 weight 20 }
产出指标 / 质量指标 { 资金发放准确率 target 100% weight 10 }
产出指标 / 时效指标 { 资金发放及时率 target 100% weight 10 }
效益指标 / 社会效益 { 保障群众基本生活 target 有效保障 weight 10 }
效益指标 / 经济效益 { 提高群众生活水平 target 有效提高 weight 10 }
效益指标 / 可持续影响 { 维护社会稳定和保障民生 target 显著 weight 10 }
满意度指标 / 服务对象满意度 { 享受补贴群众满意度 target 100% weight 10 }
}
"""


NO_ROUNDING = """项目 "无舍入项目" 年度 2020 {
  预算执行 {
    分值 10
    得分 = 分值 × 封顶(执行率, 100%)
  }
  正向 比例
  等级 { 优 [90,100]; 良 [80,90); 中 [60,80); 差 [0,60) }
  产出指标 / 数量指标 {
    人数  目标 ≥90人  分值 90
  }
}
"""


BUDGET_CSV = """一级指标,二级指标,三级指标,实际完成值
预算执行,年度资金总额,全年预算数,100
预算执行,年度资金总额,全年执行数,100
产出指标,数量指标,人数,100人
"""


def four_changes() -> str:
    text = SEED.replace("享受补贴人数  目标 ≥1.1万人", "享受补贴人数  目标 ≥1.2万人")
    text = text.replace("资金发放准确率  目标 100%  分值 10", "资金发放准确率  目标 100%  分值 12")
    text = text.replace("资金发放及时率  目标 100%  分值 10", "资金发放及时率  目标 100%  分值 8")
    text = text.replace("    财务监控有效性      目标 有效  分值 1\n", "")
    return text.replace("享受补贴群众满意度  目标 100%", "参保群众满意度  目标 100%")


def write(tmp_path: Path, text: str, name: str = "new.jx") -> Path:
    """Write a ruleset beside a copy of the standard policies, so 采用 "standard/central" resolves."""
    if not (tmp_path / "standard").exists():
        shutil.copytree(ROOT / "rulesets" / "standard", tmp_path / "standard")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args])


def test_same_file_is_the_same() -> None:
    result = run(str(SEED_RULESET), str(SEED_RULESET))
    assert result.exit_code == 0, result.output
    assert "含义相同" in result.output


def test_hand_reformatted_copy_is_the_same(tmp_path: Path) -> None:
    path = write(tmp_path, HAND_FORMATTED)
    try:
        result = run(str(SEED_RULESET), str(path))
        assert result.exit_code == 0, result.output
    finally:
        path.unlink()


def test_four_changes_are_reported_exactly(tmp_path: Path) -> None:
    path = write(tmp_path, four_changes())
    try:
        report = compare(str(SEED_RULESET), str(path))
    finally:
        path.unlink()
    kinds = Counter(c.kind for c in report.changes)
    assert kinds == Counter({"target": 1, "weight": 2, "removed": 1, "renamed": 1})
    target = next(c for c in report.changes if c.kind == "target")
    assert (target.old, target.new, target.direction) == ("≥1.1万人", "≥1.2万人", "raised")
    renamed = next(c for c in report.changes if c.kind == "renamed")
    assert (renamed.old, renamed.new) == ("享受补贴群众满意度", "参保群众满意度")
    removed = next(c for c in report.changes if c.kind == "removed")
    assert removed.path == "投入和管理目标/财务管理/财务监控有效性"
    weights = {c.path.split("/")[-1]: c.delta for c in report.changes if c.kind == "weight"}
    assert weights == {"资金发放准确率": "+2", "资金发放及时率": "-2"}


def test_four_changes_with_actuals_show_deltas(tmp_path: Path) -> None:
    path = write(tmp_path, four_changes())
    try:
        result = run(str(SEED_RULESET), str(path), "--actuals", str(SEED_ACTUALS), "--format", "json")
    finally:
        path.unlink()
    assert result.exit_code == 1, result.output
    impact = json.loads(result.output)["impacts"][0]
    rows = {row["path"].split("/")[-1]: row for row in impact["rows"]}
    assert rows["享受补贴人数"]["old_score"] == "20.00" and rows["享受补贴人数"]["new_score"] == "18.50"
    assert rows["享受补贴人数"]["delta"] == "-1.50"
    assert rows["资金发放准确率"]["delta"] == "+2.00"
    assert rows["财务监控有效性"]["status"] == "removed" and rows["财务监控有效性"]["new_score"] is None
    assert (
        rows["财务监控有效性"]["delta"] == "-1.00"
    )  # its score is lost (was null: the column did not add up)
    assert sum(Fraction(row["delta"] or "0") for row in impact["rows"]) == Fraction(impact["delta"])
    assert rows["参保群众满意度"]["old_path"].endswith("享受补贴群众满意度")
    assert (impact["old_total"], impact["new_total"], impact["delta"]) == ("99.31", "96.81", "-2.50")
    assert any("E" not in note and "99" in note for note in impact["notes"])  # weights now add up to 99


def test_example_2021_against_2020() -> None:
    result = run(str(SEED_RULESET), str(EXAMPLE_2021), "--actuals", str(SEED_ACTUALS))
    assert result.exit_code == 1, result.output
    assert "≥1.1万人" in result.output and "≥1.2万人" in result.output and "目标提高" in result.output
    assert "99.31" in result.output and "97.81" in result.output and "-1.50" in result.output


def test_markdown_and_english() -> None:
    result = run(str(SEED_RULESET), str(EXAMPLE_2021), "--format", "markdown", "--lang", "en")
    assert result.exit_code == 1
    assert "| Change" in result.output and "target raised" in result.output


def test_lower_target_direction(tmp_path: Path) -> None:
    old = write(tmp_path, SEED.replace("目标 ≥1.1万人", "目标 ≤5%"), "old.jx")
    new = write(tmp_path, SEED.replace("目标 ≥1.1万人", "目标 ≤3%"), "new.jx")
    try:
        report = compare(str(old), str(new))
    finally:
        old.unlink()
        new.unlink()
    assert [(c.kind, c.direction) for c in report.changes] == [("target", "raised")]


def test_move_to_another_level(tmp_path: Path) -> None:
    moved = SEED.replace("    资金发放准确率  目标 100%  分值 10\n", "").replace(
        "    资金发放及时率  目标 100%  分值 10\n",
        "    资金发放及时率  目标 100%  分值 10\n    资金发放准确率  目标 100%  分值 10\n",
    )
    path = write(tmp_path, moved)
    try:
        report = compare(str(SEED_RULESET), str(path))
    finally:
        path.unlink()
    assert [(c.kind, c.old, c.new) for c in report.changes] == [
        ("moved", "产出指标/质量指标", "产出指标/时效指标")
    ]


def test_policy_switch_shows_what_it_changes(tmp_path: Path) -> None:
    path = write(tmp_path, SEED.replace('采用 "standard/central"', '采用 "standard/hubei"'))
    try:
        report = compare(str(SEED_RULESET), str(path))
    finally:
        path.unlink()
    kinds = {c.kind for c in report.changes}
    assert {"policy", "budget", "rule", "scale"} <= kinds  # the seed keeps its own 结构


def test_added_indicator_without_actual_value_is_marked_not_fatal(tmp_path: Path) -> None:
    added = SEED.replace(
        "    享受补贴人数  目标 ≥1.1万人  分值 20\n",
        "    享受补贴人数  目标 ≥1.1万人  分值 19\n    参保人数增长率  目标 ≥3%  分值 1\n",
    )
    path = write(tmp_path, added)
    try:
        result = run(str(SEED_RULESET), str(path), "--actuals", str(SEED_ACTUALS))
        report = compare(str(SEED_RULESET), str(path), [SEED_ACTUALS])
    finally:
        path.unlink()
    assert result.exit_code == 1, result.output
    assert "参保人数增长率（无实际值）" in result.output and "新增" in result.output
    assert "Traceback" not in result.output
    rows = {row.path.split("/")[-1]: row for row in report.impacts[0].rows}
    assert rows["参保人数增长率"].status == "missing" and rows["参保人数增长率"].new_score is None
    assert rows["享受补贴人数"].delta == "-1.00"
    note = next(n for n in report.impacts[0].notes if "参保人数增长率" in n)
    assert "按不适用计算" in note and "新规则" in note


def test_a_missing_actual_value_is_W140_in_text_and_json(tmp_path: Path) -> None:
    """The note of an indicator without an actual value carries its code, as W141 and W142 do: in the
    text ("注意[W140]: …") and in JSON (`impacts[].diagnostics`, code, help and the indicator's place)."""
    row = "    资金发放准确率  目标 100%  分值 10\n"
    old = write(tmp_path, SEED, "old.jx")
    new = write(tmp_path, SEED.replace(row, row.replace("10", "5") + "    档案完整率  目标 ≥98%  分值 5\n"))
    args = (str(old), str(new), "--actuals", str(SEED_ACTUALS))
    text = run(*args)
    assert text.exit_code == 1, text.output
    assert "注意[W140]: 指标「产出指标/质量指标/档案完整率」在实际值 " in text.output
    assert "Note[W140]: the indicator “产出指标/质量指标/档案完整率”" in run(*args, "--lang", "en").output
    impact = json.loads(run(*args, "--format", "json").output)["impacts"][0]
    (note,) = impact["diagnostics"]
    assert (note["code"], note["severity"], note["span"]["line"]) == ("W140", "warning", 47)
    assert note["message"] == impact["notes"][0] and note["help"].startswith("在实际值文件中为它加一行")


def test_budget_weight_change_keeps_its_decimals(tmp_path: Path) -> None:
    """Issue 9: a budget 9 → 9.9 is +0.9, and exact scores (no rounding declared) keep their places."""
    old = write(tmp_path, NO_ROUNDING.replace("分值 10\n    得分", "分值 9\n    得分"), "old.jx")
    new = write(tmp_path, NO_ROUNDING.replace("分值 10\n    得分", "分值 9.9\n    得分"), "new.jx")
    actuals = tmp_path / "a.csv"
    actuals.write_text(BUDGET_CSV, encoding="utf-8")
    report = compare(old, new, [actuals])
    budget = next(c for c in report.changes if c.key == "budget:weight")
    assert (budget.old, budget.new, budget.delta) == ("9", "9.9", "+0.9")
    row = report.impacts[0].rows[0]
    assert (row.path, row.old_score, row.new_score, row.delta) == ("预算执行", "9", "9.9", "+0.9")
    assert (report.impacts[0].old_total, report.impacts[0].new_total, report.impacts[0].delta) == (
        "99",
        "99.9",
        "+0.9",
    )


def test_non_terminating_scores_are_shown_rounded_with_the_exact_fraction(tmp_path: Path) -> None:
    old = write(tmp_path, NO_ROUNDING, "old.jx")
    new = write(tmp_path, NO_ROUNDING.replace("≥90人", "≥120人"), "new.jx")
    actuals = tmp_path / "a.csv"
    actuals.write_text(BUDGET_CSV, encoding="utf-8")
    impact = compare(old, new, [actuals]).impacts[0]
    row = next(r for r in impact.rows if r.path.endswith("人数"))
    assert (row.old_score, row.new_score, row.delta) == ("90", "75", "-15")
    bad = compare(old, write(tmp_path, NO_ROUNDING.replace("≥90人", "≥110人"), "odd.jx"), [actuals])
    odd = next(r for r in bad.impacts[0].rows if r.path.endswith("人数"))
    assert odd.new_score == "81.818182" and odd.exact["new_score"] == "900/11"
    assert odd.delta == "-8.181818" and odd.exact["delta"] == "-90/11"
    assert "…" not in bad.model_dump_json()


def test_inherited_rounding_shows_the_rule_in_force_and_where_it_comes_from(tmp_path: Path) -> None:
    old = write(tmp_path, SEED, "old.jx")
    new = write(tmp_path, SEED.replace("  实际 = 执行率  舍入 截断 2位", "  实际 = 执行率"), "new.jx")
    report = compare(old, new)
    change = next(c for c in report.changes if c.kind == "rounding")
    assert change.old == "舍入 截断 2位"
    assert change.new is not None and change.new.startswith("舍入 四舍五入 2位（沿用 ")
    assert change.new.endswith("standard/central.jx:10）")
    same = write(
        tmp_path,
        SEED.replace("  实际 = 执行率  舍入 截断 2位", "  实际 = 执行率  舍入 四舍五入 2位"),
        "same.jx",
    )
    assert compare(same, new).same  # declaring what is inherited anyway changes nothing


def test_inherited_method_shows_the_method_in_force_and_where_it_comes_from(tmp_path: Path) -> None:
    """A row that writes 方法 达标 where the policy's 正向 比例 was in force: the old side is 比例 from
    central.jx, not "—"; writing out the inherited method is no change."""
    row = "享受补贴人数  目标 ≥1.1万人  分值 20"
    old = write(tmp_path, SEED, "old.jx")
    new = write(tmp_path, SEED.replace(row, row + "  方法 达标"), "method.jx")
    result = run(str(old), str(new))
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("评分方法"))
    assert "比例（沿用 jixiao:rulesets/standard/central.jx:21）" not in line  # the copy beside the files
    assert "比例（沿用 " in line and "standard/central.jx:21）" in line and line.endswith("达标")
    change = next(c for c in compare(new, old, lang="en").changes if c.kind == "method")
    assert change.old == "pass_fail" and change.new is not None
    assert change.new.startswith("ratio (inherited from ") and change.new.endswith("central.jx:21)")
    same = write(tmp_path, SEED.replace(row, row + "  方法 比例"), "same.jx")
    assert compare(old, same).same


def test_a_file_the_user_named_keeps_its_name_and_a_packaged_policy_is_named_jixiao(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path into the packaged folder is printed as typed (not renamed jixiao:rulesets/…); the policy that
    采用 finds among the packaged ones is named jixiao:rulesets/… (docs/cli.md)."""
    old = rulesets_dir() / "shangjie-pension" / "2020.jx"
    row = "享受补贴人数  目标 ≥1.1万人  分值 20"
    (tmp_path / "method.jx").write_text(SEED.replace(row, row + "  方法 达标"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(str(old), "method.jx", "--actuals", str(SEED_ACTUALS))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"规则比较：{old} → method.jx"
    assert f"得分影响（实际值 {SEED_ACTUALS}）" in lines
    assert any(x.endswith("比例（沿用 jixiao:rulesets/standard/central.jx:21）  达标") for x in lines)
    report = json.loads(run(str(old), "method.jx", "--format", "json").output)
    assert report["old"] == str(old)


def test_default_method_and_inherited_over_are_shown_as_in_force(tmp_path: Path) -> None:
    """No 正向 rule anywhere: the language's default, marked 未声明; a row's 超额 against the policy's."""
    old = write(tmp_path, NO_ROUNDING.replace("  正向 比例\n", ""), "old.jx")
    new = write(tmp_path, NO_ROUNDING.replace("  正向 比例\n", "").replace("分值 90", "分值 90  方法 达标"))
    change = next(c for c in compare(old, new).changes if c.kind == "method")
    assert (change.old, change.new) == ("比例（未声明）", "达标")
    row = "享受补贴人数  目标 ≥1.1万人  分值 20"
    seed = write(tmp_path, SEED, "seed.jx")
    over = write(tmp_path, SEED.replace(row, row + "  超额 ≥150%"), "over.jx")
    change = next(c for c in compare(seed, over).changes if c.kind == "over")
    assert change.old is not None and change.old.startswith("超额 ≥120%（沿用 ")
    assert change.old.endswith("standard/central.jx:61）") and change.new == "超额 ≥150%"
    assert compare(seed, write(tmp_path, SEED.replace(row, row + "  超额 ≥120%"), "same.jx")).same


def test_change_inside_the_policy_shows_up(tmp_path: Path) -> None:
    old = write(tmp_path, SEED, "old.jx")
    before = compare(str(old), str(old))
    central = tmp_path / "standard" / "central.jx"
    central.write_text(read_text(central).replace("[90,100]", "[85,100]").replace("[80,90)", "[80,85)"))
    after = compare(str(SEED_RULESET), str(old))
    assert before.same
    assert [c.kind for c in after.changes] == ["grades"]


def test_missing_file_exits_2() -> None:
    result = run(str(SEED_RULESET), "no/such/file.jx")
    assert result.exit_code == 2
    assert "error[E105]" in result.output


# -- the API: jixiao.diff takes what load_ruleset takes, and jixiao.render renders the report ---------------------


def test_diff_takes_paths_texts_bytes_files_and_compiled_rulesets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    new_text = EXAMPLE_2021.read_text(encoding="utf-8")
    expected = [(c.kind, c.path) for c in jixiao.diff(SEED_RULESET, EXAMPLE_2021).changes]
    assert len(expected) == 8
    variants = [
        jixiao.diff(str(SEED_RULESET), new_text=new_text),
        jixiao.diff(old_text=SEED, new_text=new_text),
        jixiao.diff(SEED_RULESET.read_bytes(), EXAMPLE_2021.read_bytes()),
        jixiao.diff(io.BytesIO(SEED_RULESET.read_bytes()), io.StringIO(new_text)),
        jixiao.diff(jixiao.load_ruleset(SEED_RULESET), "jixiao:rulesets/shangjie-pension/2021.jx"),
    ]
    for report in variants:
        assert [(c.kind, c.path) for c in report.changes] == expected
    assert variants[1].old == "<old>" and variants[1].new == "<new>"
    with pytest.raises(TypeError):
        jixiao.diff(SEED_RULESET)
    with pytest.raises(jixiao.JixiaoError) as error:
        jixiao.diff("年度 2020 项目", SEED_RULESET)  # a str is a path, never text
    assert error.value.diagnostics[0].code == "E105"


def test_a_diff_report_renders_in_every_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = jixiao.diff(SEED_RULESET, EXAMPLE_2021, actuals=[SEED_ACTUALS])
    table, markdown = jixiao.render(report), jixiao.render(report, "markdown")
    assert "总得分" in table and "97.81" in table
    assert markdown.startswith("### 规则比较") and "\n| 目标提高 " in markdown
    assert jixiao.DiffReport.model_validate_json(jixiao.render(report, "json")) == report
    page = jixiao.render(report, "html", lang="en")
    assert page.startswith("<!DOCTYPE html>") and "<td>target raised</td>" in page
    with pytest.raises(TypeError, match="diff report"):
        jixiao.render(report, "explain")
    result = jixiao.load_ruleset(SEED_RULESET).score(SEED_ACTUALS)
    assert jixiao.render(result, "html").startswith("<!DOCTYPE html>")  # a scored result has html too
