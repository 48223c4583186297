"""`jixiao test`: the repo's golden test files pass; failures show expected/got; --update restores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main
from jixiao.diagnostics import JixiaoError
from jixiao.tools.golden import read_test_file

SEED_TEST = Path("shangjie-pension") / "2020.test.yaml"


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rulesets", tmp_path / "rulesets")
    return tmp_path / "rulesets"


def _test(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(main, ["test", *args])
    return run.exit_code, run.output


def test_the_repo_rulesets_pass() -> None:
    code, out = _test(str(ROOT / "rulesets"))
    assert code == 0, out
    assert "0 个失败" in out


def test_an_edited_expectation_fails_then_update_restores_it(tmp_path: Path) -> None:
    rulesets = _copy(tmp_path)
    path = rulesets / SEED_TEST
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('享受补贴人数: "18.18"', '享受补贴人数: "18.00"'), encoding="utf-8")
    code, out = _test(str(rulesets), "--lang", "en")
    assert code == 1
    assert "享受补贴人数: expected 18.00, got 18.18" in out
    assert "2020.test.yaml:26" in out
    code, out = _test(str(rulesets), "--update")
    assert code == 0, out
    assert path.read_text(encoding="utf-8") == original  # comments and layout kept


def test_update_rewrites_lists_and_totals(tmp_path: Path) -> None:
    rulesets = _copy(tmp_path)
    path = rulesets / SEED_TEST
    original = path.read_text(encoding="utf-8")
    edited = original.replace('total: "99.31"', "total: 98").replace("findings: [F104, F107]", "findings: []")
    path.write_text(edited, encoding="utf-8")
    code, out = _test(str(rulesets))
    assert code == 1 and "期望 98，得到 99.31" in out
    assert _test(str(rulesets), "--update")[0] == 0
    assert path.read_text(encoding="utf-8") == original.replace('total: "99.31"', "total: 99.31")


def test_coverage_names_what_no_case_exercised() -> None:
    code, out = _test(str(ROOT / "rulesets"), "--coverage")
    assert code == 0, out
    assert "等级" in out and "未覆盖" in out and "良" in out


def test_errors_in_a_test_file_have_lines(tmp_path: Path) -> None:
    bad = tmp_path / "x.test.yaml"
    bad.write_text("cases:\n  - name: a\n    actuals: a.csv\n    expect:\n      totl: 1\n", encoding="utf-8")
    with pytest.raises(JixiaoError) as info:
        read_test_file(bad)
    diag = info.value.diagnostics[0]
    assert diag.code == "E802" and diag.span is not None and diag.span.line == 5
    bad.write_text("cases:\n  - name: [a\n", encoding="utf-8")
    with pytest.raises(JixiaoError) as info:
        read_test_file(bad)
    assert info.value.diagnostics[0].code == "E801"


def test_unknown_indicator_in_expectations_is_positioned(tmp_path: Path) -> None:
    rulesets = _copy(tmp_path)
    path = rulesets / SEED_TEST
    path.write_text(
        path.read_text(encoding="utf-8").replace('享受补贴人数: "20.00"', '享受补贴人: "20.00"'),
        encoding="utf-8",
    )
    code, out = _test(str(path))
    assert code == 1
    assert "E803" in out and "2020.test.yaml:14" in out and "享受补贴人数" in out


@pytest.mark.parametrize(
    "key",
    [
        "指标1：享受补贴人数",
        "指标１: 享受补贴人数",
        "数量指标/指标一：享受补贴人数",
        "产出指标/数量指标/指标1：享受补贴人数",
    ],
)
def test_expectations_name_indicators_as_the_template_numbers_them(tmp_path: Path, key: str) -> None:
    """指标1：享受补贴人数 (the Ministry of Finance template's 三级 name) is 享受补贴人数 in `scores`, as in a row."""
    rulesets = _copy(tmp_path)
    path = rulesets / SEED_TEST
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('享受补贴人数: "18.18"', f'"{key}": "18.18"'), encoding="utf-8")
    code, out = _test(str(path))
    assert code == 0, out
    path.write_text(text.replace('享受补贴人数: "18.18"', f'"{key}": "18.00"'), encoding="utf-8")
    code, out = _test(str(path), "--lang", "en")
    assert code == 1 and f"{key}: expected 18.00, got 18.18" in out


def test_no_test_files_is_an_error(tmp_path: Path) -> None:
    code, out = _test(str(tmp_path))
    assert code == 1 and "E804" in out


def test_coverage_counts_the_scale_that_decided_and_leaves_formula_rows_out(tmp_path: Path) -> None:
    (tmp_path / "p.jx").write_text(
        """项目 "覆盖" 年度 2020 {
  采用 "standard/central"
  量表 达成度 通用 { 达成 | 达成预期指标 [80%,100%] 取 100%;  未达成 [0%,80%) 取 0% }
  效益指标 / 社会效益 {
    甲  目标 优      分值 30
    乙  目标 效果明显  分值 30
    丙  目标 ≥95%    分值 30  得分 = 如果 实际 ≥ 目标 则 分值 否则 0
  }
}
""",
        encoding="utf-8",
    )
    (tmp_path / "p.test.yaml").write_text(
        """ruleset: p.jx
cases:
  - name: 达成
    rows:
      - {一级指标: 预算执行, 二级指标: 年度资金总额, 三级指标: 全年预算数, 实际完成值: "100"}
      - {一级指标: 预算执行, 二级指标: 年度资金总额, 三级指标: 全年执行数, 实际完成值: "100"}
      - {三级指标: 甲, 实际完成值: 达成预期指标}
      - {三级指标: 乙, 实际完成值: 达成预期指标}
      - {三级指标: 丙, 实际完成值: 96%}
    expect:
      total: 100
""",
        encoding="utf-8",
    )
    code, out = _test(str(tmp_path), "--coverage")
    assert code == 0, out
    # 甲 and 乙 were scored by the 通用 scale's 达成 (was "量表档次 0/4": only 甲's own scale was looked at)
    assert "量表档次: 1/5" in out and "达成度: 达成" not in out
    assert "比例" not in out  # 丙 is scored by its formula, not by 比例 (was "比例 ✓")


ENGLISH_TO_CHINESE = {
    "cases:": "用例:",
    "- name:": "- 名称:",
    "actuals:": "实际值:",
    "rows:": "行:",
    "expect:": "预期:",
    "total:": "总分:",
    "grade:": "等级:",
    "budget:": "预算执行:",
    "scores:": "得分:",
    "findings:": "复核提示:",
    "errors:": "错误:",
}


def _in_chinese(text: str) -> str:
    for english, chinese in ENGLISH_TO_CHINESE.items():
        text = text.replace(f" {english}", f" {chinese}").replace(f"\n{english}", f"\n{chinese}")
    return text


def test_chinese_keys_behave_as_english_ones(tmp_path: Path) -> None:
    """Failures point at the expectation's line and --update rewrites it, whichever language the keys
    are in (with Chinese keys failures were at line 1 and --update changed nothing)."""
    rulesets = _copy(tmp_path)
    path = rulesets / SEED_TEST
    original = path.read_text(encoding="utf-8")
    edited = (
        original.replace('total: "99.31"', 'total: "98"')
        .replace("grade: 优\n      budget", "grade: 良\n      budget")
        .replace('budget: "9.38"', 'budget: "9"')
        .replace('享受补贴人数: "18.18"', '享受补贴人数: "18.00"')
        .replace("findings: [F103, F107]", "findings: [F107]")
        .replace("errors: [E511]\n\n", "errors: [E512]\n\n")
    )
    outputs = []
    for translate in (str, _in_chinese):
        path.write_text(translate(edited), encoding="utf-8")
        code, out = _test(str(path))
        assert code == 1
        outputs.append(out)
        assert _test(str(path), "--update")[1].startswith("已更新 6 个期望值")
        assert path.read_text(encoding="utf-8") == translate(original)
    assert _in_chinese(original) != original and outputs[0] == outputs[1]
    for line in (9, 10, 11, 26, 48, 55):
        assert f"2020.test.yaml:{line}: " in outputs[0]


def test_a_key_written_in_both_languages_is_repeated(tmp_path: Path) -> None:
    bad = tmp_path / "x.test.yaml"
    bad.write_text(
        "cases:\n  - name: a\n    actuals: a.csv\n    expect: {total: '1', 总分: '2'}\n", encoding="utf-8"
    )
    with pytest.raises(JixiaoError) as info:
        read_test_file(bad)
    diag = info.value.diagnostics[0]
    assert diag.code == "E805" and diag.span is not None and (diag.span.line, diag.span.column) == (4, 26)


def test_update_and_failure_lines_speak_one_language(tmp_path: Path) -> None:
    """`--update`'s count and each expected/got line were bilingual in Chinese mode; now Chinese by
    default, English with --lang en."""
    rulesets = _copy(tmp_path)
    path = rulesets / SEED_TEST
    original = path.read_text(encoding="utf-8")
    edited = original.replace('total: "99.31"', 'total: "98"')
    path.write_text(edited, encoding="utf-8")
    out = _test(str(path))[1]
    assert "期望 98，得到 99.31" in out and "expected" not in out
    out = _test(str(path), "--lang", "en")[1]
    assert "expected 98, got 99.31" in out and "期望" not in out
    out = _test(str(path), "--update")[1]
    assert out.startswith("已更新 1 个期望值\n") and "updated" not in out
    path.write_text(edited, encoding="utf-8")
    out = _test(str(path), "--update", "--lang", "en")[1]
    assert out.startswith("updated 1 expectations\n") and "已更新" not in out


ERRING = '{三级指标: 预算编制合理性, 调整得分: "0.5"}'  # an adjustment without a reason: E511


def _seed_folder(tmp_path: Path, text: str) -> Path:
    shutil.copy(SEED_RULESET, tmp_path / "2020.jx")
    shutil.copy(SEED_ACTUALS, tmp_path / "2020.actuals.csv")
    path = tmp_path / "2020.test.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_update_records_the_errors_a_case_now_ends_in(tmp_path: Path) -> None:
    """A case expecting a total that now ends in E511 was left failing by --update, without a word: now
    its expectations become `errors: [E511]` (in the language of its keys), comments on their own lines
    kept, in block, flow and missing `expect`s alike."""
    text = f"""# 测试
规则: 2020.jx
用例:
  - 名称: 中文键
    实际值: 2020.actuals.csv
    行:
      - {ERRING}
    预期:
      总分: "99.31"   # 原来的总分
      # 得分如下
      得分:
        预算执行率: "0.93"
        # 人数
        享受补贴人数: "20.00"
      等级: 优
    # 下一个用例
  - name: flow
    actuals: 2020.actuals.csv
    rows: [{ERRING}]
    expect: {{total: "1", grade: 优}}
  - name: no expect
    actuals: 2020.actuals.csv
    rows: [{ERRING}]
  - {{name: flow case, actuals: 2020.actuals.csv, rows: [{ERRING}]}}
  - name: last
    actuals: 2020.actuals.csv
    rows: [{ERRING}]
    expect:
      total: "1\""""
    path = _seed_folder(tmp_path, text)
    code, out = _test(str(path), "--update")
    assert code == 0, out
    assert out.startswith("已更新 5 个期望值\n") and "5 个通过，0 个失败" in out
    assert (
        path.read_text(encoding="utf-8")
        == f"""# 测试
规则: 2020.jx
用例:
  - 名称: 中文键
    实际值: 2020.actuals.csv
    行:
      - {ERRING}
    预期:
      错误: [E511]
      # 得分如下
    # 下一个用例
  - name: flow
    actuals: 2020.actuals.csv
    rows: [{ERRING}]
    expect: {{errors: [E511]}}
  - name: no expect
    actuals: 2020.actuals.csv
    rows: [{ERRING}]
    expect:
      errors: [E511]
  - {{name: flow case, actuals: 2020.actuals.csv, rows: [{ERRING}], expect: {{errors: [E511]}}}}
  - name: last
    actuals: 2020.actuals.csv
    rows: [{ERRING}]
    expect:
      errors: [E511]
"""
    )


def test_update_records_a_grade_or_budget_score_the_result_no_longer_has(tmp_path: Path) -> None:
    """A table with an unreadable score has no grade, a zero budget under 零预算 不评分 no budget score:
    --update said it could not write one and left the case failing; it now writes "/" (none, as for an
    indicator not scored), which the next run reads back and passes. Only those values change."""
    text = (
        "cases:\n  - name: 看不清\n    actuals: 2020.actuals.csv\n    rows:\n"
        "      - {三级指标: 享受补贴人数, 实际完成值: 看不清}\n    expect:\n      grade: 优   # 等级\n"
        "      total: '79.31'\n"
        "  - 名称: 零预算\n    实际值: zero.csv\n    预期:\n      预算执行: 9.38\n      等级: 优\n"
    )
    path = _seed_folder(tmp_path, text)
    ruleset = tmp_path / "2020.jx"
    rule = ruleset.read_text(encoding="utf-8")
    ruleset.write_text(rule.replace("需说明 当 执行率 < 70%", "需说明 当 执行率 < 70%\n    零预算 不评分"))
    seed = SEED_ACTUALS.read_text(encoding="utf-8").splitlines(keepends=True)
    zero = [
        ",".join([*r.split(",")[:3], "0", *r.split(",")[4:]]) if r.startswith("预算执行") else r for r in seed
    ]
    (tmp_path / "zero.csv").write_text("".join(zero), encoding="utf-8")
    code, out = _test(str(path))
    assert code == 1 and "等级: 期望 优，得到 —" in out and "预算执行得分: 期望 9.38，得到 —" in out
    code, out = _test(str(path), "--update")
    assert code == 0 and "已更新 2 个期望值" in out and "未能更新" not in out
    assert path.read_text(encoding="utf-8") == text.replace("grade: 优   #", 'grade: "/"   #').replace(
        "预算执行: 9.38", '预算执行: "/"'
    )
    code, out = _test(str(path))
    assert code == 0 and "2 个通过，0 个失败" in out
    (tmp_path / "zero.csv").write_text(SEED_ACTUALS.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = _test(str(path))  # "/" is compared: a budget score now there is a failure
    assert code == 1 and "预算执行得分: 期望 /，得到 9.38" in out


def test_a_case_that_cannot_run_is_listed_failed_and_counted(tmp_path: Path) -> None:
    """A case naming a missing file (E105) or one outside the folder (E253) vanished from the list and the
    counts ("✓ 原表 / 1 个通过，0 个失败", exit 1, the error only on stderr): now it is ✗ with its error at
    its place, counted as failed; the others run as usual."""
    path = _seed_folder(
        tmp_path,
        "ruleset: 2020.jx\ncases:\n"
        '  - name: 缺文件\n    actuals: nope.csv\n    expect: {total: "1"}\n'
        '  - name: 越界\n    actuals: ../outside.csv\n    expect: {total: "1"}\n'
        '  - name: 原表\n    actuals: 2020.actuals.csv\n    expect: {total: "99.31"}\n',
    )
    run = CliRunner().invoke(main, ["test", str(path)])
    assert run.exit_code == 1
    where = path.as_posix()
    assert run.stdout.splitlines()[1:] == [
        "  ✗ 缺文件",
        f"      {where}:4:14: E105 无法读取文件：测试文件中写的「nope.csv」不存在",
        "  ✗ 越界",
        f"      {where}:7:14: E253 测试文件中的路径「../outside.csv」不能是绝对路径，也不能含「..」",
        "  ✓ 原表",
        "1 个通过，2 个失败",
    ]
    assert f"{where}:4:14: error[E105]" in run.stderr  # with its excerpt, as before
    english = CliRunner().invoke(main, ["test", str(path), "--lang", "en", "--coverage"])
    assert "1 passed, 2 failed" in english.stdout and "coverage" in english.stdout


def test_a_row_replaces_the_file_s_row_of_the_indicator_score_would_bind_it_to(tmp_path: Path) -> None:
    """受益人口(城镇) is the file's 受益人口（城镇） for score (name_key): the case's row replaced nothing and was
    added, and the case failed with E507 at 第5行 (the CSV's line, shown at the YAML's row)."""
    (tmp_path / "p.jx").write_text(
        """项目 "饮水" 年度 2023 {
  采用 "standard/central"
  产出指标 / 数量指标 {
    新建供水工程数量  目标 ≥12处   分值 45
    "受益人口（城镇）"  目标 ≥2万人  分值 45
  }
}
""",
        encoding="utf-8",
    )
    (tmp_path / "a.csv").write_text(
        "一级指标,二级指标,三级指标,实际完成值\n预算执行,年度资金总额,全年预算数,500\n"
        "预算执行,年度资金总额,全年执行数,500\n产出指标,数量指标,新建供水工程数量,12处\n"
        "产出指标,数量指标,受益人口（城镇）,2.1万人\n",
        encoding="utf-8",
    )
    (tmp_path / "p.test.yaml").write_text(
        """cases:
  - name: 半角括号
    actuals: a.csv
    rows:
      - {三级指标: 受益人口(城镇), 实际完成值: 1万人}
    expect:
      total: "77.5"
  - name: 写了一级、二级，繁体
    actuals: a.csv
    rows:
      - {一级指标: 產出指標, 二级指标: 数量指标, 三级指标: 受益人口 (城镇), 实际完成值: 1万人}
    expect:
      total: "77.5"
""",
        encoding="utf-8",
    )
    code, out = _test(str(tmp_path / "p.test.yaml"))
    assert code == 0, out
    assert "E507" not in out and "2 个通过，0 个失败" in out


def test_a_ruleset_given_runs_the_test_file_beside_it(tmp_path: Path) -> None:
    """`jixiao test 2020.jx` read the ruleset as YAML: E801 at 2020.jx:13:3."""
    folder = _copy(tmp_path) / "shangjie-pension"
    code, out = _test(str(folder / "2020.jx"))
    assert code == 0 and "2020.test.yaml" in out and "E801" not in out, out
    (folder / "2020.test.yaml").unlink()
    run = CliRunner().invoke(main, ["test", str(folder / "2020.jx")])
    assert run.exit_code == 1 and "E801" not in run.output, run.output
    assert "2020.jx: error[E808]" in run.output and "是规则文件，不是测试文件" in run.output
    assert "2020.test.yaml" in run.output
    english = CliRunner().invoke(main, ["test", "--lang", "en", str(folder / "2020.jx")])
    assert "is a ruleset, not a test file" in english.output, english.output


def test_a_row_written_as_the_ministry_template_writes_it_replaces_the_indicators_row(tmp_path: Path) -> None:
    """指标1：保障群众基本生活 under 社会效益指标 is the seed's 保障群众基本生活 (as score binds it): the case's row
    replaces the file's, and the indicator scores 9 of 10 (90% of 100%)."""
    row = "{一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 指标1：保障群众基本生活, 实际完成值: 90%}"
    text = f"规则: 2020.jx\n用例:\n  - 名称: 样表\n    实际值: 2020.actuals.csv\n    行:\n      - {row}\n"
    path = _seed_folder(tmp_path, text + '    预期:\n      总分: "98.31"\n')
    code, out = _test(str(path))
    assert code == 0 and "1 个通过，0 个失败" in out, out
