"""`--explain` and `jixiao.explain(result)`: how every score came about, as text and as a trace tree."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import CASES, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.engine.methods import deduct

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Chinese characters and punctuation
ADJUSTED = "投入和管理目标,投入管理,预算编制合理性,合理,,0.5,抽查发现编制依据不足"


def _explain(*extra: str) -> str:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--explain", *extra])
    assert run.exit_code == 0, run.output
    return run.output


def test_explain_shows_truncation_and_budget_rounding_with_intermediate_values() -> None:
    out = _explain()
    assert "总得分 99.31" in out  # the table is still printed
    assert "0.9376 → 截断2位 → 0.93" in out
    assert "预算执行得分 = 10 × 封顶(93.76%, 100%) = 9.376" in out  # its arithmetic, as rows show theirs
    assert "9.376 → 四舍五入2位 → 9.38" in out
    assert "93.762886…% → 四舍五入2位 → 93.76%" in out


def test_explain_normalises_units_and_names_the_rule_source() -> None:
    out = _explain()
    assert "1.11万人 = 11100人 ≥ 11000人 → 达标" in out
    assert "93.76% < 100% → 未达标" in out
    assert "评分办法规则 jixiao:rulesets/standard/central.jx:" in out
    assert "依据 财预〔2020〕10号" in out
    assert "等级 优：总得分 99.31 落在 [90,100]" in out
    assert "F107" in out


def test_explain_in_english() -> None:
    out = _explain("--lang", "en")
    assert "1.11万人 = 11100人 ≥ 11000人 → met" in out
    assert "policy rule jixiao:rulesets/standard/central.jx:" in out
    assert "grade 优: the total 99.31 falls in [90,100]" in out
    # methods by their English names (were 比例, 量表): the rule quoted in its English spelling
    assert "method: ratio (higher is better target)" in out and "(higher ratio)" in out
    assert "method: scale (qualitative target)" in out and "(qualitative scale)" in out
    assert "比例" not in out and "量表" not in out


def test_english_explanations_name_methods_and_rules_in_english() -> None:
    """In every case of tests/cases, the method lines and policy rules of an English explanation have no
    Chinese (the user's text, such as a scale's name or a 依据, is on other lines)."""
    seen = 0
    for case in sorted(p.parent for p in CASES.glob("*/*/actuals.csv")):
        if (case / "expected.yaml").exists():
            continue
        result = jixiao.load_ruleset(case / "ruleset.jx").score(jixiao.load_actuals(case / "actuals.csv"))
        for line in jixiao.explain(result, "en").splitlines():
            if line.lstrip("· ").startswith(("method", "policy rule", "built-in")):
                seen += 1
                rule = line.split(".jx:")[-1]  # the path of a policy may be anything
                assert not CJK.search(rule), (case.name, line)
    assert seen > 100


def test_explain_json_is_a_trace_tree() -> None:
    doc = json.loads(_explain("--format", "json"))
    trace = doc["explanation"]["trace"]
    kinds = [node["kind"] for node in trace]
    assert kinds[0] == "budget" and kinds[-2:] == ["total", "grade"]
    rate = next(node for node in trace if node["text"].startswith("投入和管理目标 / 投入管理 / 预算执行率"))
    assert rate["value"] == "0.93"
    assert any("截断2位" in child["text"] for child in rate["children"])
    method = next(child for child in rate["children"] if child["kind"] == "method")
    assert method["value"] == "ratio" and method["children"][0]["kind"] == "source"


def test_the_ruleset_s_own_notes_are_below_the_title(tmp_path: Path) -> None:
    """A top-level 说明 "…" (the project's, after its policy's) is listed below the explanation's title,
    and in the JSON explanation's notes; an indicator's 说明 stays a remark of the ruleset."""
    policy = tmp_path / "policy.jx"
    policy.write_text(
        '评分办法 "本地办法" {\n  采用 "standard/central"\n  说明 "办法的说明"\n}\n', encoding="utf-8"
    )
    text = SEED_RULESET.read_text(encoding="utf-8").replace('采用 "standard/central"', '采用 "policy"', 1)
    text = text.replace("  金额单位 万元\n", '  金额单位 万元\n  说明 "预算执行率截断到 2 位"\n', 1)
    text = text.replace("分值 1  实际 = 执行率", '分值 1  实际 = 执行率  说明 "指标的备注"', 1)
    ruleset = tmp_path / "2020.jx"
    ruleset.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(ruleset), str(SEED_ACTUALS), "--explain"])
    assert run.exit_code == 0, run.output
    explained = run.stdout[run.stdout.index("评分说明：") :].splitlines()
    assert explained[1:4] == ["说明：办法的说明", "说明：预算执行率截断到 2 位", ""], explained[:4]
    assert "指标的备注" not in run.stdout
    english = CliRunner().invoke(
        main, ["score", str(ruleset), str(SEED_ACTUALS), "--explain", "--lang", "en"]
    )
    assert "\nNote: 预算执行率截断到 2 位\n" in english.stdout
    data = json.loads(
        CliRunner()
        .invoke(main, ["score", str(ruleset), str(SEED_ACTUALS), "--explain", "--format", "json"])
        .stdout
    )
    assert data["explanation"]["notes"] == ["办法的说明", "预算执行率截断到 2 位"]
    assert "notes" not in data  # the score itself carries no rules' notes (its sources are 依据)
    plain = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--explain"]).stdout
    assert (
        "说明："
        not in plain.splitlines()[
            plain.splitlines().index("评分说明：城乡居民基本养老保险费财政补助资金（2020）") + 1
        ]
    )


def test_plain_json_has_no_explanation() -> None:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", "json"])
    assert "explanation" not in json.loads(run.output)


def test_adjustment_changes_the_total_and_is_explained(tmp_path: object) -> None:
    text = SEED_ACTUALS.read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",调整得分,调整理由"]
    rows += [ADJUSTED if ",预算编制合理性," in line else line + ",," for line in text[1:]]
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(text="\n".join(rows) + "\n"))
    assert result.total.text() == "98.81"
    item = next(i for i in result.indicators if i.name == "预算编制合理性")
    assert (item.adjusted, item.adjust_reason, item.score and item.score.text()) == (
        True,
        "抽查发现编制依据不足",
        "0.50",
    )
    assert item.formula_score == 1
    assert "F104" in [f.code for f in result.findings]
    explained = jixiao.explain(result)
    assert "人工调整：公式得分 1 → 调整得分 0.50（理由：抽查发现编制依据不足）" in explained
    doc = json.loads(jixiao.render(result, "json"))
    row = next(i for i in doc["indicators"] if i["name"] == "预算编制合理性")
    assert (row["score"], row["formula_score"], row["adjust_reason"]) == ("0.50", "1", "抽查发现编制依据不足")


def test_not_applicable_rescaling_is_explained() -> None:
    text = SEED_ACTUALS.read_text(encoding="utf-8").replace("资金发放及时率,100%,", "资金发放及时率,/,")
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(text=text))
    explained = jixiao.explain(result)
    assert result.total.text() == "99.23"
    assert "不适用：分值 10 不计入" in explained
    assert "按百分制折算：89.31 × 100 ÷ 90" in explained


EXPLAINED = """项目 "解释" 年度 2020 {
  采用 "standard/central"
  量表 合理性 { 合理 100%;  基本合理 60%;  不合理 0% }
  产出指标 / 数量指标 {
    甲  目标 =100个  分值 20
    乙  目标 100%    分值 20  得分 = 如果 实际 ≥ 90% 则 分值 否则 0
    丙  分值 20  得分 = 分值 × 0.9
    丁  目标 合理    分值 30
  }
}
"""
EXPLAINED_ROWS = [
    {"一级指标": "预算执行", "二级指标": "年度资金总额", "三级指标": "全年预算数", "实际完成值": "100"},
    {"一级指标": "预算执行", "二级指标": "年度资金总额", "三级指标": "全年执行数", "实际完成值": "100"},
    {"三级指标": "甲", "实际完成值": "105个"},
    {"三级指标": "乙", "实际完成值": "92%"},
    {"三级指标": "丙", "实际完成值": "/"},
    {"三级指标": "丁", "实际完成值": "基本合理"},
]


def _explained(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "解释.jx"
    path.write_text(EXPLAINED, encoding="utf-8")
    result = jixiao.load_ruleset(path).score(jixiao.load_actuals(EXPLAINED_ROWS))
    text = jixiao.explain(result)
    blocks = text.split("\n\n")
    return {name: next(b for b in blocks if f"/ {name}：" in b) for name in "甲乙丙丁"}


def test_an_exceeded_equal_target_shows_the_rule_that_gives_full_marks(tmp_path: Path) -> None:
    block = _explained(tmp_path)["甲"]
    assert "105个 ≠ 100个 → 未达标" in block
    assert "比例 1.05 超过 1，按 1 计（得满分）" in block


def test_a_formula_row_states_true_comparisons_and_its_own_source(tmp_path: Path) -> None:
    blocks = _explained(tmp_path)
    assert "92% < 100% → 未达标" in blocks["乙"]  # was "92% ≥ 100% → 达标" (the formula gave full marks)
    assert "依据" not in blocks["乙"]  # the policy's 依据 is not the basis of a formula the user wrote
    assert "方法：公式\n" in blocks["丙"] + "\n" and "正向目标" not in blocks["丙"]
    assert "不适用，分值 20" in blocks["丙"]


def test_the_scale_that_decided_is_cited(tmp_path: Path) -> None:
    block = _explained(tmp_path)["丁"]
    assert "按量表「合理性」（解释.jx:3）" in block
    assert "取 60%" in block


OVER = """项目 "超额扣减" 年度 2023 {
  采用 "standard/central"
  超额 ≥120% 扣减 10%
  产出指标 / 数量指标 {
    甲  目标 ≥100个  分值 20
    乙  目标 ≥50次  分值 10
  }
  效益指标 / 社会效益 {
    丙  目标 ≤10天  分值 60
  }
}
"""
OVER_ROWS = "\n".join(
    [
        "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施",
        "预算执行,,全年预算数,100,",
        "预算执行,,全年执行数,100,",
        "产出指标,数量指标,甲,130个,",
        "产出指标,数量指标,乙,50次,",
        "效益指标,社会效益,丙,5天,",
    ]
)


def _over_json(tmp_path: Path, lang: str) -> dict[str, Any]:
    (tmp_path / "r.jx").write_text(OVER, encoding="utf-8")
    (tmp_path / "a.csv").write_text(OVER_ROWS + "\n", encoding="utf-8")
    args = ["score", str(tmp_path / "r.jx"), str(tmp_path / "a.csv"), "--format", "json", "--explain"]
    run = CliRunner().invoke(main, [*args, "--lang", lang])
    assert run.exit_code == 0, run.output
    trace = json.loads(run.output)["explanation"]["trace"]
    return next(node for node in trace if node["text"].startswith("产出指标 / 数量指标 / 甲"))


def test_the_over_achievement_mark_down_is_a_step_of_the_json_trace(tmp_path: Path) -> None:
    for lang, expected in (
        ("zh", "超额扣减 10% × 20 = 2：20 − 2 = 18"),
        ("en", "over-achievement mark-down 10% × 20 = 2: 20 − 2 = 18"),
    ):
        node = _over_json(tmp_path, lang)
        assert node["value"] == "18.00"
        steps = [child["text"] for child in node["children"] if child["kind"] == "step"]
        assert steps[-1] == expected, steps


def test_a_deduction_shows_the_cap_and_the_floor_when_they_apply() -> None:
    capped = deduct(Fraction(4), Fraction(10), Fraction(2), Fraction(5))
    assert capped.points == 5
    assert [capped.steps[0].text("zh"), capped.steps[0].text("en")] == [
        "扣分 min(4 × 2, 上限 5) = 5，得分 10 − 5 = 5",
        "deduct min(4 × 2, limit 5) = 5, score 10 − 5 = 5",
    ]
    below = deduct(Fraction(7), Fraction(20), Fraction(3), Fraction(25))  # the limit does not apply
    assert below.points == 0
    assert [below.steps[0].text("zh"), below.steps[0].text("en")] == [
        "扣分 7 × 3 = 21，得分 max(20 − 21, 0) = 0（扣完为止）",
        "deduct 7 × 3 = 21, score max(20 − 21, 0) = 0 (never below 0)",
    ]


BUDGET_FORMULA = """项目 "预算公式" 年度 2020 {{
  采用 "standard/central"
  预算执行 {{ 得分 = {formula} }}
  产出指标 / 数量指标 {{
    甲  目标 ≥3人  分值 90
  }}
}}
"""
BUDGET_ROWS = """一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施
预算执行,年度资金总额,全年预算数,100,
预算执行,年度资金总额,全年执行数,80,x
产出指标,数量指标,甲,3人,
"""


def test_the_budget_score_step_shows_its_formula_with_the_values(tmp_path: Path) -> None:
    def step(formula: str, lang: str = "zh") -> str:
        (tmp_path / "b.jx").write_text(BUDGET_FORMULA.format(formula=formula), encoding="utf-8")
        result = jixiao.load_ruleset(tmp_path / "b.jx").score(jixiao.load_actuals(text=BUDGET_ROWS))
        assert result.budget is not None
        return next(
            s.text(lang) for s in result.budget.steps if "得分 =" in s.text(lang) or "score =" in s.text(lang)
        )

    assert step("(分值 - 2) × 执行率 + 1") == "预算执行得分 = (10 - 2) × 80% + 1 = 7.4"
    assert step("分值 - (执行率 - 50%) × 10") == "预算执行得分 = 10 - (80% - 50%) × 10 = 7"
    assert step("保底(分值 × 执行率, 0)", "en") == "budget score = floor(10 × 80%, 0) = 8"
    assert (
        step("如果 执行率 ≥ 90% 则 分值 否则 分值 × 执行率") == "预算执行得分 = 8"
    )  # a condition: the result


def test_a_name_ending_with_its_year_is_not_given_the_year_again() -> None:
    """乡村振兴项目（2020） is titled so, not 乡村振兴项目（2020）（2020）; another year in the name stays."""
    text = SEED_RULESET.read_text(encoding="utf-8")
    name = re.search(r'项目 "([^"]+)"', text)
    assert name is not None
    for written, title in (
        (f"{name[1]}（2020）", f"评分说明：{name[1]}（2020）\n"),
        (f"{name[1]}(2020年度)", f"评分说明：{name[1]}(2020年度)\n"),
        (f"{name[1]}（2019）", f"评分说明：{name[1]}（2019）（2020）\n"),
    ):
        renamed = text.replace(f'项目 "{name[1]}"', f'项目 "{written}"', 1)
        ruleset = jixiao.load_ruleset(text=renamed)
        result = ruleset.score(jixiao.load_actuals(SEED_ACTUALS))
        assert jixiao.explain(result).startswith(title)


def test_a_computed_actual_is_shown_as_computed_beside_what_the_table_writes(tmp_path: Path) -> None:
    """预算执行率 (实际 = 执行率) written 93.7629% is scored with the rate as computed and rounded, 93.76%: the
    explanation said 实际 93.7629% and then compared 93.76% (xt15); it names both now."""
    actuals = tmp_path / "a.csv"
    text = SEED_ACTUALS.read_text(encoding="utf-8")
    actuals.write_text(text.replace(",预算执行率,93.76%,", ",预算执行率,93.7629%,"), encoding="utf-8")
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(actuals))
    zh, en = jixiao.explain(result), jixiao.explain(result, "en")
    assert "目标 100%；实际 93.76%（由公式算出；表中写 93.7629%）\n  · 93.76% < 100% → 未达标" in zh
    assert "actual 93.76% (computed; the table writes 93.7629%)" in en
    assert "目标 100%；实际 93.76%\n" in jixiao.explain(jixiao.load_ruleset(SEED_RULESET).score(SEED_ACTUALS))
