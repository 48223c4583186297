"""`jixiao check`: the command, its exit codes and languages, and the warnings no case file covers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT, SEED_ACTUALS, SEED_RULESET, symlink_or_skip

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import Severity
from jixiao.engine.checks import run_checks
from jixiao.engine.resolve import load, resolve_text
from jixiao.messages import current_lang


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = SEED_RULESET.read_text(encoding="utf-8").replace('"standard/central"', '"central"')
    assert old in text
    (tmp_path / "central.jx").write_text(
        (ROOT / "rulesets/standard/central.jx").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = tmp_path / "2020.jx"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _warnings(text: str) -> list[str]:
    ruleset = resolve_text(text, str(ROOT / "rulesets" / "x.jx"))
    return [d.code for d in run_checks(ruleset) if d.severity is Severity.WARNING]


def test_repo_rulesets_are_clean() -> None:
    code, output = _run(str(ROOT / "rulesets"))
    assert code == 0, output
    assert "0 个错误" in output


def test_changed_weight_names_the_line_the_sum_and_the_total(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "享受补贴人数  目标 ≥1.1万人  分值 20", "享受补贴人数  目标 ≥1.1万人  分值 15")
    code, output = _run(str(path))
    assert code == 1
    assert f"{path}:43:24: error[E401]: 各指标分值合计 95，应为 100" in output
    assert " 43 |     享受补贴人数" in output and "= help:" in output


def test_deleted_brace_points_where_the_block_opened(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "分值 20\n  }\n", "分值 20\n")
    code, output = _run(str(path))
    assert code == 1 and f"{path}:42:15: error[E118]" in output


def test_money_unit_for_people_is_positioned(tmp_path: Path) -> None:
    code, output = _run(str(_mutated(tmp_path, "≥1.1万人", "≥1.1万元")))
    assert code == 1 and ":43:16: error[E304]" in output


def test_qualitative_typo_suggests_the_word(tmp_path: Path) -> None:
    code, output = _run(str(_mutated(tmp_path, "目标 合理", "目标 合里")))
    assert code == 1 and "error[E206]" in output and "是不是要写「合理」" in output


def test_english_by_option_and_by_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(_mutated(tmp_path, "目标 合理", "目标 合里"))
    assert "did you mean “合理”?" in _run(path, "--lang", "en")[1]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "checked 1 file: " in _run(path)[1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "zh"),
        ({"LANG": "C"}, "zh"),
        ({"LANG": "C.UTF-8"}, "zh"),
        ({"LANG": "POSIX"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "en_GB"}, "en"),
        ({"LANG": "en_US", "JIXIAO_LANG": "zh"}, "zh"),
    ],
)
def test_language_precedence(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert current_lang() == expected
    assert current_lang("en") == "en"


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "  金额单位 万元\n", "  金额单位 万元\n  量表 没用 { 好 100%; 坏 0% }\n")
    code, output = _run(str(path))
    assert code == 0 and "warning[W102]" in output
    assert _run(str(path), "--strict")[0] == 1


def test_missing_path_is_an_error() -> None:
    code, output = _run("no/such/file.jx")
    assert code == 1 and "E105" in output and "Traceback" not in output


def test_policy_files_are_checked_alone() -> None:
    code, output = _run(str(ROOT / "rulesets/standard/hubei.jx"))
    assert code == 0, output


PROJECT = """项目 "x" {{
  采用 "standard/central"
{extra}
  产出指标 / 数量指标 {{
    甲  目标 ≥100人  分值 90  {option}
  }}
}}
"""


@pytest.mark.parametrize(
    ("extra", "option", "code"),
    [
        ("", "方法 分档 { ≥95人 → 100%; ≥90人 → 80% }", "W101"),
        ("  量表 没用 { 好 100%; 坏 0% }", "", "W102"),
        ("", "方法 线性递减(多余: 3)", "W103"),
        ("  总分 100", "", "W104"),
        ("  正向 比例", "", "W104"),
        ("", "得分 = 分值 × 实际 ÷ 目标", "W105"),
        ("", "", None),
    ],
)
def test_warnings(extra: str, option: str, code: str | None) -> None:
    assert _warnings(PROJECT.format(extra=extra, option=option)) == ([code] if code else [])


@pytest.mark.parametrize(
    ("extra", "codes"),
    [
        ("  金额单位 万元\n  金额单位 元", ["E130"]),  # was: 万元 used, 元 ignored without a word
        ('  主管部门 "甲"\n  主管部门 "乙"', ["E130"]),
        ('  实施单位 "甲"\n  实施单位 "甲"', ["W115"]),
        ("  舍入 四舍五入 2位\n  舍入 截断 2位", ["W112", "E130"]),
        ("  舍入 指标 截断 2位\n  舍入 截断 2位", ["W112"]),  # different stages: no E130
        ("  复核容差 0.01\n  复核容差 0.02", ["E130"]),
        ("  超额 120%\n  超额 150%", ["E130"]),
        ("  正向 比例\n  正向 达标得满分", ["W104", "E130"]),
        ('  采用 "standard/central"', ["W115"]),
        ("  表列 完成情况\n  表列 单项得分", ["E130"]),
    ],
)
def test_a_setting_given_twice_in_one_file(extra: str, codes: list[str]) -> None:
    """Another value is E130 at the second (naming the first's line), the same value W115."""
    diagnostics = jixiao.check(text=PROJECT.format(extra=extra, option=""))
    assert [d.code for d in diagnostics] == codes
    if codes and codes[-1] == "E130":
        assert "与第 3 行的不同" in diagnostics[-1].message("zh") and diagnostics[-1].span.line == 4
        assert "differently from line 3" in diagnostics[-1].message("en")


def test_magnitude_warning() -> None:
    text = PROJECT.format(extra="", option="").replace("≥100人", "≥2000%")
    assert _warnings(text) == ["W106"]


def test_a_weight_the_rounding_cannot_show_is_a_warning_once_per_weight_written() -> None:
    text = """项目 "x" {
  采用 "standard/central"
  产出指标 / 数量指标 分值 50 {
    甲  目标 ≥1人
    乙  目标 ≥1人
    丙  目标 ≥1人
  }
  效益指标 / 社会效益 {
    丁  目标 ≥1人  分值 40
  }
}
"""
    assert _warnings(text) == ["W113"]  # 50 ÷ 3 = 16.666…: once, at the 二级's 分值 50
    assert _warnings(text.replace("分值 50 {", "分值 50 {\n    戊  目标 ≥1人")) == []  # 12.5 each
    assert _warnings(text.replace("采用", "舍入 指标 不舍入\n  采用")) == []  # exact scores: nothing to cap


def test_guarded_division_is_not_reported() -> None:
    option = "得分 = 如果 实际 > 0 则 封顶(分值 × 目标 ÷ 实际, 分值) 否则 0"
    ruleset = resolve_text(PROJECT.format(extra="", option=option), str(ROOT / "rulesets" / "x.jx"))
    assert run_checks(ruleset) == []


def test_the_whole_corpus_through_the_command() -> None:
    result = CliRunner().invoke(main, ["check", str(ROOT / "tests" / "cases" / "check")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "error[E" in result.output


def test_policy_framework_with_an_uncounted_budget_is_a_warning_at_the_project() -> None:
    case = ROOT / "tests" / "cases" / "check" / "framework-budget-not-counted" / "ruleset.jx"
    found = run_checks(load(case))
    assert [(d.code, d.severity, Path(d.span.path).name, d.span.line) for d in found if d.span] == [
        ("W111", Severity.WARNING, "ruleset.jx", 6)
    ]


@pytest.mark.parametrize(
    ("budget", "column", "how"), [("预算执行 不评分", 8, "不评分"), ("预算执行 { 分值 0 }", 3, "不评分")]
)
def test_a_budget_weight_of_zero_is_not_scored_as_not_scored_is(budget: str, column: int, how: str) -> None:
    """Under a policy whose 结构 gives the budget 20 (hubei), 分值 0 is 不评分 (the plan scores neither):
    W111 at the project's own block, not E404 for the shares (docs/language.md says the two are one)."""
    text = f"""项目 "x" 年度 2020 {{
  采用 "standard/hubei"
  {budget}
  产出指标 / 数量指标 {{ 甲 目标 ≥10个 分值 50 }}
  效益指标 / 社会效益 {{ 乙 目标 ≥10个 分值 30 }}
  满意度指标 / 服务对象满意度 {{ 丙 目标 ≥90% 分值 20 }}
}}"""
    ruleset = resolve_text(text, str(ROOT / "rulesets" / "x.jx"))
    found = [(d.code, d.span.line, d.span.column) for d in run_checks(ruleset) if d.span]
    assert found == [("W111", 3, column)]
    (warning,) = run_checks(ruleset)
    assert how in warning.message("zh")


def test_a_project_framework_with_an_uncounted_budget_points_at_its_own_share() -> None:
    text = """项目 "x" 年度 2020 {
  采用 "standard/central"
  预算执行 不评分
  结构 { 产出指标 100; 预算执行 10 }
  产出指标 / 数量指标 { 甲 目标 ≥100个 分值 100 }
}"""
    ruleset = resolve_text(text, str(ROOT / "rulesets" / "x.jx"))
    found = [(d.code, d.span.line if d.span else 0) for d in run_checks(ruleset)]
    assert found == [("E404", 4)]


def test_a_guarded_formula_is_bounded_by_its_branches() -> None:
    guarded = "甲 目标 ≤10天 分值 10 得分 = 如果 实际 ≤ 目标 则 分值 否则 分值 × 目标 ÷ 实际"
    text = (
        f'项目 "x" 年度 2020 {{\n  采用 "standard/central"\n  产出指标 / 数量指标 {{\n    {guarded}\n  }}\n}}'
    )
    assert "W105" not in _warnings(text)
    unguarded = text.replace("如果 实际 ≤ 目标 则 分值 否则 分值 × 目标 ÷ 实际", "分值 × 实际 ÷ 目标")
    assert "W105" in _warnings(unguarded)


@pytest.mark.parametrize(
    ("formula", "error"),
    [("得分 = (实际 ≥ 目标) × 分值", "E308"), ("得分 = 分值 × 实际 ÷ 0", "E310")],
)
def test_a_formula_with_an_error_has_no_bound_warning(formula: str, error: str) -> None:
    """W105 (最高可达 ∞) is said of a formula that is otherwise right, not beside its E308 or E310."""
    text = PROJECT.format(extra="", option=formula)
    found = [d.code for d in run_checks(resolve_text(text, str(ROOT / "rulesets" / "x.jx")))]
    assert error in found and "W105" not in found


GRADED = """项目 "x" 年度 2020 {{
  采用 "standard/central"
  等级 {{ {grades} }}
  产出指标 / 数量指标 {{ 甲 目标 ≥100人 分值 90 }}
}}"""


@pytest.mark.parametrize(
    ("grades", "zh", "en"),
    [
        (
            "优 90-100; 良 80-89; 中 60-79; 差 0-59",
            "空档：59 到 60 之间、79 到 80 之间、89 到 90 之间的总分不属于任何等级",
            "a gap: totals between 59 and 60, between 79 and 80, between 89 and 90 are in no grade",
        ),
        ("优 (90,100]; 良 [80,90); 差 [0,80)", "空档：恰为 90 的总分", "a gap: totals of exactly 90 are"),
        ("优 ≥90; 良 ≥80; 中 ≥60", "空档：低于 60 的总分不属于", "totals below 60 are in no grade"),
        (
            "优 =95; 良 [0,90)",
            "空档：90（含）到 95（不含）、高于 95 的总分",
            "from 90 (inclusive) to 95 (exclusive), above 95",
        ),
        (
            "优 [85,100]; 良 [80,90); 差 [0,80)",
            "重叠：85（含）到 90（不含）的总分同时属于 良、优",
            "are in both 良 and 优",
        ),
    ],
)
def test_grade_gaps_and_overlaps_are_every_interval_exactly(grades: str, zh: str, en: str) -> None:
    (found,) = [d for d in run_checks(resolve_text(GRADED.format(grades=grades), "x.jx")) if d.code == "E403"]
    assert zh in found.message() and en in found.message("en")


def test_every_hole_of_the_bands_is_said_exactly() -> None:
    text = PROJECT.format(extra="", option="方法 分档 { [95%,100%] → 100%; [80%,90%] → 80%; <80% → 0% }")
    (found,) = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code == "W101"]
    assert found.message() == "分档有空档：90% 到 95% 之间、高于 100% 的值不属于任何一档"
    assert (
        found.message("en")
        == "the bands leave a hole: values between 90% and 95%, above 100% fall in no band"
    )


def test_a_stage_less_project_rounding_says_which_policy_roundings_it_replaces() -> None:
    case = ROOT / "tests" / "cases" / "eval" / "rounding-precedence" / "ruleset.jx"
    found = [d for d in run_checks(load(case)) if d.code == "W112"]
    assert [(d.span.line if d.span else 0, d.message("en")) for d in found] == [
        (
            10,
            "this stage-less rounding also applies to “rate”, replacing the policy's rounding (central.jx:11)",
        )
    ]


def test_no_w112_for_a_stage_the_file_rounds_itself() -> None:
    """A stage-less 舍入 with `舍入 执行率 …` below it in the same file: the rate is rounded by the file's
    staged rule, not taken over by the stage-less one (W112 said it was)."""
    staged = PROJECT.format(extra="  舍入 四舍五入 0位\n  舍入 执行率 四舍五入 4位", option="")
    assert [d.code for d in jixiao.check(text=staged)] == []
    alone = PROJECT.format(extra="  舍入 四舍五入 0位", option="")
    assert [d.code for d in jixiao.check(text=alone)] == ["W112"]


@pytest.mark.parametrize(
    ("extra", "codes"),
    [
        # central rounds the rate 四舍五入 2位 too: nothing is replaced (W112 said the rate's was)
        ("  舍入 四舍五入 2位", ["W104"]),
        ("  舍入 截断 2位", ["W112"]),
        ("  舍入 四舍五入 3位", ["W112"]),
        ("  舍入 四舍五入 2位\n  舍入 执行率 四舍五入 4位", ["W104"]),  # the first line changes nothing
        # a display rounding rounds only what is shown: no stage's rounding is replaced (W112 said it was)
        ("  舍入 显示 截断 0位", []),
        ("  舍入 显示 四舍五入 2位\n  舍入 执行率 显示 截断 0位", []),
    ],
)
def test_w112_only_where_a_different_policy_rounding_is_replaced(extra: str, codes: list[str]) -> None:
    assert [d.code for d in jixiao.check(text=PROJECT.format(extra=extra, option=""))] == codes


@pytest.mark.parametrize(
    ("bands", "hidden"),
    [
        ("≥80% → 50%; ≥95% → 100%; 否则 → 0%", ["≥95%"]),
        ("≥95% → 100%; ≥80% → 50%; 否则 → 0%", []),
        ("[80%,95%) → 50%; [95%,100%] → 100%; [90%,99%] → 70%", ["[90%,99%]"]),  # held by two joined
        ("[80%,95%) → 50%; (95%,100%] → 100%; [90%,99%] → 70%", []),  # 95% itself reaches the third
        ("[80%,95%) → 50%; (95%,100%] → 100%; =95% → 70%", []),
        ("[80%,95%] → 50%; (95%,100%] → 100%; =95% → 70%", ["=95%"]),
        ("≥95% → 100%; >95% → 90%; 否则 → 0%", [">95%"]),
        (">95% → 100%; ≥95% → 90%; 否则 → 0%", []),
        ("≤50% → 0%; <50% → 10%; 否则 → 100%", ["<50%"]),
        ("否则 → 0%; ≥95% → 100%", ["≥95%"]),
        ("≥95人 → 100%; ≥95% → 80%; 否则 → 0%", []),  # different axes: a % band may test actual ÷ target
        ("[90%,100%] → 100%; [80%,90%) → 80%; [60%,80%) → 60%; [0%,60%) → 0%; [50%,95%] → 1%", ["[50%,95%]"]),
    ],
)
def test_a_band_the_bands_above_hold_is_never_used(bands: str, hidden: list[str]) -> None:
    text = PROJECT.format(extra="", option=f"方法 分档 {{ {bands} }}")
    found = run_checks(resolve_text(text, str(ROOT / "rulesets" / "x.jx")))
    w107 = [d for d in found if d.code == "W107"]
    assert [d.args["band"] for d in w107] == hidden
    assert all(d.severity is Severity.WARNING and d.span is not None and d.span.line == 5 for d in w107)


@pytest.mark.parametrize(
    ("bands", "shared"),
    [
        (
            "[90%,100%] → 100%; [85%,95%) → 80%; 否则 → 0%",
            ["90%（含）到 95%（不含）的值已属于前面的「[90%,100%]」"],
        ),
        ("≥95% → 100%; [90%,100%] → 80%; 否则 → 0%", ["95%（含）到 100%（含）的值已属于前面的「≥95%」"]),
        ("[90%,100%] → 100%; [80%,90%] → 80%; 否则 → 0%", []),  # one shared end: 90 含 is the upper band's
        ("≥95% → 100%; ≥90% → 80%; 否则 → 0%", []),  # one-sided, read top-down
        (
            "[90%,100%] → 100%; [80%,99%] → 1%; 否则 → 0%",
            ["90%（含）到 99%（含）的值已属于前面的「[90%,100%]」"],
        ),
        ("[90%,100%] → 100%; [92%,99%] → 1%; 否则 → 0%", []),  # wholly held: W107
    ],
)
def test_a_range_the_bands_above_partly_hold_is_a_warning(bands: str, shared: list[str]) -> None:
    text = PROJECT.format(extra="", option=f"方法 分档 {{ {bands} }}")
    found = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code == "W114"]
    assert [d.message().split("：", 1)[1] for d in found] == shared
    assert all(d.severity is Severity.WARNING and d.span is not None and d.span.line == 5 for d in found)


def test_a_partly_held_band_reads_in_english() -> None:
    text = PROJECT.format(extra="", option="方法 分档 { [90%,100%] → 100%; [85%,95%) → 80%; 否则 → 0% }")
    (found,) = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code == "W114"]
    assert found.message("en") == (
        "the band “[85%,95%)” partly overlaps the bands above:"
        " values from 90% (inclusive) to 95% (exclusive) belong to the bands above ([90%,100%])"
    )


def test_a_hidden_band_is_positioned_and_names_the_bands_above() -> None:
    text = PROJECT.format(
        extra="", option="方法 分档 { [80%,95%) → 50%;  [95%,100%] → 100%;  [90%,99%] → 70% }"
    )
    (found,) = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code == "W107"]
    assert found.span is not None and (found.span.line, found.span.column) == (5, 71)
    assert found.message() == "分档「[90%,99%]」永远用不到：前面的「[80%,95%)」「[95%,100%]」已包括它的所有值"
    assert found.message("en") == (
        "the band “[90%,99%]” is never used: the bands above ([80%,95%), [95%,100%]) hold all its values"
    )


@pytest.mark.parametrize(("result", "code"), [("100分", "E405"), ("91", "E405"), ("90分", None), ("0", None)])
def test_a_band_score_in_points_lies_within_the_weight(result: str, code: str | None) -> None:
    text = PROJECT.format(extra="", option=f"方法 分档 {{ ≥95人 → {result}; 否则 → 0% }}")
    found = [d for d in run_checks(resolve_text(text, str(ROOT / "rulesets" / "x.jx"))) if d.code == "E405"]
    assert [d.code for d in found] == ([code] if code else [])


@pytest.mark.parametrize(
    ("target", "formula", "found"),
    [
        ("显著", "得分 = 分值 × 实际", ["W108"]),  # a word target: 实际 has a value only for 100%
        ("12月底前", "得分 = 如果 实际 > 0 则 分值 否则 0", ["W108"]),
        ("显著", "得分 = 分值", []),
        ("≥100人", "得分 = 如果 实际 ≥ 目标 则 分值 否则 0", []),
        ("90-100人", "得分 = 如果 实际 ≥ 90人 则 分值 否则 0", []),  # a range: the actual is a number
    ],
)
def test_actual_in_the_formula_of_a_word_target_is_a_warning(
    target: str, formula: str, found: list[str]
) -> None:
    text = PROJECT.format(extra="", option=formula).replace("≥100人", target)
    assert [c for c in _warnings(text) if c == "W108"] == found


def test_formula_types_read_in_english() -> None:
    text = PROJECT.format(extra="", option="得分 = (实际 ≥ 目标) × 分值")
    (found,) = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code == "E308"]
    assert found.message("en") == "“实际 ≥ 目标” in the formula is a condition, but a number is needed here"
    assert (
        found.help("en")
        == "a condition belongs in “if … then … else …”, e.g. if 实际 ≥ 目标 then 分值 else 0"
    )


@pytest.mark.parametrize(
    ("weight", "zh", "en"),
    [("85", "差 5", "short by 5"), ("95", "多 5", "over by 5")],
)
def test_weights_off_the_total_say_short_or_over(weight: str, zh: str, en: str) -> None:
    text = PROJECT.format(extra="", option="").replace("分值 90", f"分值 {weight}")
    (found,) = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code == "E401"]
    assert f"；{zh}，" in (found.help() or "") and f"; {en}: " in (found.help("en") or "")


def test_a_unit_typed_for_another_is_a_warning_with_the_unit_meant() -> None:
    """万园 and 万无 for 万元, 平方未 for 平方米 (W109); 万圆 (the formal 元) and 头 (a unit of its own) pass."""
    case = ROOT / "tests" / "cases" / "check" / "unit-typo" / "ruleset.jx"
    code, output = _run(str(case))
    assert code == 0
    assert output.count("W109") == 3
    for meant in ("万元", "万元", "平方米"):
        assert f"是不是要写「{meant}」" in output
    assert "单位「万圆」" not in output and "单位「头」" not in output


def test_known_units_are_not_typos_and_a_typo_keeps_its_dimension(tmp_path: Path) -> None:
    """立方米 is a volume, not a typo of 平方米; 平方千米, 平方 are areas; 立方未 may be 立方米, never 平方米."""
    rows = [
        "立方米",
        "万立方米",
        "亿立方米",
        "平方千米",
        "平方",
        "升",
        "台套",
        "m³",
        "m2",
        "人·次",
        "千瓦·时",
        "个村",  # units as published tables write them: no typos, no E111
        "行政村",
        "公里数",
        "度电",
        "m",
        "mm",
        "行政区",  # a unit of its own (not a typo of 行政村: places are no units one mistypes)
        "村民",  # not 村 and stray 民
        "度",  # 度 alone: a unit of its own, as before
    ]
    lines = "\n".join(f"    指标{i}  目标 ≥5{unit}  分值 1" for i, unit in enumerate(rows))
    text = PROJECT_UNITS.format(rows=lines + "\n    甲  目标 ≥5立方未  分值 1")
    found = [d for d in run_checks(resolve_text(text, "x.jx")) if d.code in ("W109", "E111")]
    assert [(d.code, d.suggestion) for d in found] == [("W109", "立方米")]


PROJECT_UNITS = """项目 "单位" 年度 2023 {{
  采用 "standard/central"
  产出指标 / 数量指标 {{
{rows}
  }}
}}
"""


def test_a_space_before_the_unit_calls_the_value_a_value_not_a_number(tmp_path: Path) -> None:
    """≥1.1万 is a value (数值, as E154 says), not a 数字 (E116)."""
    path = _mutated(tmp_path, "目标 ≥1.1万人", "目标 ≥1.1万 人")
    code, output = _run(str(path))
    assert code != 0 and "error[E116]: 数值「≥1.1万」和单位「人」之间不能有空格" in output
    code, output = _run("--lang", "en", str(path))
    assert "no space between the value “≥1.1万” and the unit “人”" in output


POLICY_BANDS = CASES / "check" / "policy-band-points-over-weight"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_policy_band_above_a_weight_points_at_the_indicator_and_names_the_band(lang: str) -> None:
    code, output = _run("--lang", lang, str(POLICY_BANDS / "ruleset.jx"))
    assert code == 1
    folder = output.split("ruleset.jx:6:18:")[0]  # the case's folder, as the CLI shows paths
    band = f"{folder}policy.jx:4"  # the policy's `≥100% → 8分`
    if lang == "zh":
        assert f"ruleset.jx:6:18: error[E416]: 指标「甲」分值 5，而适用于它的分档（{band}）给 8分" in output
        assert "把档次写成分值的百分比" in output and "给本指标写自己的 方法 分档" in output
    else:
        assert (
            "ruleset.jx:6:18: error[E416]: the indicator “甲” has the weight 5, but the bands for its kind"
            in output
        )
        assert f"({band}) give 8 points" in output and "raise its weight" in output
    assert "乙" not in output and "丙" not in output and "丁" not in output  # 8 ≤ 8; own method; own formula


def test_a_policy_band_in_percent_or_within_every_weight_is_fine(tmp_path: Path) -> None:
    policy = (POLICY_BANDS / "policy.jx").read_text(encoding="utf-8")
    (tmp_path / "policy.jx").write_text(policy.replace("→ 8分", "→ 100%"), encoding="utf-8")
    project = tmp_path / "ruleset.jx"
    project.write_text((POLICY_BANDS / "ruleset.jx").read_text(encoding="utf-8"), encoding="utf-8")
    assert _run(str(project)) == (0, "检查了 1 个文件：0 个错误，0 个警告\n")
    (tmp_path / "policy.jx").write_text(policy.replace("→ 8分", "→ 3分"), encoding="utf-8")
    assert _run(str(project))[0] == 0


TOTAL_CHANGED = CASES / "check" / "total-changed-under-policy-grades"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            "ruleset.jx:5:3: error[E403]: 等级划分有越界：优 [90,100]（jixiao:rulesets/standard/central.jx:54）；"
            "良 [80,90)（jixiao:rulesets/standard/central.jx:55）；总分 80 写在 {folder}ruleset.jx:5",
        ),
        (
            "en",
            "ruleset.jx:5:3: error[E403]: the grade bands have a bound out of range: 优 [90,100] "
            "(jixiao:rulesets/standard/central.jx:54); 良 [80,90) (jixiao:rulesets/standard/central.jx:55); "
            "the total 80 is set at {folder}ruleset.jx:5",
        ),
    ],
)
def test_a_total_changed_under_a_policys_grades_names_the_grades_and_the_change(
    lang: str, words: str
) -> None:
    code, output = _run("--lang", lang, str(TOTAL_CHANGED / "ruleset.jx"))
    folder = output.split("ruleset.jx:5:3:")[0]
    assert code == 1 and words.format(folder=folder) in output
    assert "总分 80" in output.splitlines()[1]  # the excerpt is the project's line


def test_a_total_changed_past_a_policys_grades_is_a_gap_named_the_same_way(tmp_path: Path) -> None:
    text = (TOTAL_CHANGED / "ruleset.jx").read_text(encoding="utf-8")
    path = tmp_path / "ruleset.jx"
    path.write_text(text.replace("总分 80", "总分 120").replace("分值 40", "分值 80"), encoding="utf-8")
    code, output = _run(str(path))
    assert code == 1 and output.count("error[") == 1
    assert "ruleset.jx:5:3: error[E403]: 等级划分有空档：高于 100 的总分不属于任何等级" in output
    assert "（jixiao:rulesets/standard/central.jx:53）；总分 120 写在" in output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_actual_value_file_given_to_check_is_named_as_such(tmp_path: Path, lang: str) -> None:
    """`jixiao check 2020.actuals.csv` read the table as a ruleset (E101 at its header line): E255 says what
    the file is and what to run; the rulesets named beside it are checked as usual."""
    actuals = tmp_path / "2020.actuals.csv"
    actuals.write_text(SEED_ACTUALS.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(actuals), str(SEED_RULESET), "--lang", lang])
    assert result.exit_code == 1
    assert f"{actuals}: error[E255]" in result.stderr and "E101" not in result.stderr
    assert f"jixiao score {'规则.jx' if lang == 'zh' else 'RULES.jx'} {actuals}" in result.stderr
    named_like_a_table = tmp_path / "规则.csv"  # begins like a ruleset: a ruleset, whatever its name
    named_like_a_table.write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    assert CliRunner().invoke(main, ["check", str(named_like_a_table)]).exit_code == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_dir_names_links_out_of_the_folder_and_never_reads_them(tmp_path: Path, lang: str) -> None:
    """A link under the folder to a file or a folder outside it is W130, as `fmt DIR` says it (was: the file
    linked was read and checked, the folder linked skipped without a word); a link inside is read."""
    broken = '项目 "外面" {\n  产出指标 / 数量指标 { 甲  目标 ≥1个  分直 100 }\n}\n'  # E104 if it were read
    outside = tmp_path / "外面"
    (outside / "子").mkdir(parents=True)
    (outside / "坏.jx").write_text(broken, encoding="utf-8")
    (outside / "子" / "坏.jx").write_text(broken, encoding="utf-8")
    rules = tmp_path / "规则"
    rules.mkdir()
    (rules / "2020.jx").write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    symlink_or_skip(rules / "外部.jx", outside / "坏.jx")
    symlink_or_skip(rules / "共享", outside / "子")
    symlink_or_skip(rules / "同一.jx", rules / "2020.jx")  # inside the folder: read like any file
    result = CliRunner().invoke(main, ["check", str(rules), "--lang", lang])
    assert result.exit_code == 0, result.output  # warnings only
    for link in (rules / "外部.jx", rules / "共享"):
        assert f"{link}: warning[W130]" in result.output, result.output
    assert "E104" not in result.output and str(outside) not in result.output
    assert ("检查了 2 个文件" if lang == "zh" else "checked 2 files") in result.output
    strict = CliRunner().invoke(main, ["check", str(rules), "--strict", "--format", "json"])
    assert strict.exit_code == 1
    found = [(d["code"], d["span"]["path"]) for d in json.loads(strict.stdout)["diagnostics"]]
    assert found == [("W130", str(rules / "共享")), ("W130", str(rules / "外部.jx"))]
    formatted = CliRunner().invoke(main, ["fmt", "--check", str(rules)])  # the same walk, the same warnings
    assert all(f"{link}: warning[W130]" in formatted.stderr for link in (rules / "外部.jx", rules / "共享"))
