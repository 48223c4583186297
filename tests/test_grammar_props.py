"""Property tests against the grammar.

- Generated valid project rulesets (random CJK indicator names, targets from
  the spellings tables use, weights that add up, optional options) parse,
  check, compile and score without error, and the total stays within 0–100.
- Arbitrary text given to `jixiao.language.parser.parse` raises only `JixiaoError`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jixiao
from jixiao.language.parser import parse

# Characters for indicator names: no one-character keyword (若 或 且 非 则 当 取 位 …) and no
# word the unit check reads meaning into (人数, 金额, 率 …).
NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"

# target spelling → actual values that go with it
TARGETS: dict[str, tuple[str, ...]] = {
    "≥1.1万人": ("约发放人数1.11万人", "9000人", "1.2万人", "/"),
    "100%": ("93.76%", "100%", "100.00%"),
    "≥95%": ("96%", "80%", "９５％"),
    "＞＝９５％": ("96%", "50%"),
    "≤90万元": ("85万元", "100万元", "900000元", "95万元"),  # a bare 95 is 95元 or 95万元 (E609)
    "不超过3天": ("4天", "2天", "5"),  # a bare number in an unscaled unit: 5天 (F105)
    "=0次": ("0次", "3次"),
    "[80%,100%]": ("90%", "70%", "120%"),
    "90%-100%": ("95%", "60%"),
    "不少于12场": ("12场", "10场", "15场"),
    "12月底前": ("2020年11月20日", "按时完成", "未完成", "12月"),
    "合理": ("合理", "基本合理", "不合理", "90%"),
    "有效保障": ("有效保障", "基本保障", "100%"),
    "显著": ("显著", "较显著"),
}
OPTIONS = ("", "舍入 截断 1位", "舍入 进位 0位", "舍入 银行家 2位", "超额 ≥120% 扣减 10%")
NUMERIC_ONLY_OPTIONS = ("方法 达标", "方法 pass_fail")


@st.composite
def names(draw: st.DrawFn, count: int) -> list[str]:
    return draw(
        st.lists(
            st.text(alphabet=NAME_CHARS, min_size=2, max_size=6),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )


@st.composite
def projects(draw: st.DrawFn) -> tuple[str, str]:
    count = draw(st.integers(min_value=1, max_value=8))
    indicator_names = draw(names(count))
    weights = draw(st.lists(st.integers(min_value=1, max_value=20), min_size=count, max_size=count))
    weights[-1] += 90 - sum(weights)
    if weights[-1] <= 0:  # keep every weight positive: spread 90 evenly instead
        weights = [90 // count] * count
        weights[-1] += 90 - sum(weights)
    lines, rows = [], []
    for name, weight in zip(indicator_names, weights, strict=True):
        target = draw(st.sampled_from(sorted(TARGETS)))
        actual = draw(st.sampled_from(TARGETS[target]))
        numeric = any(c.isdigit() for c in target) and "月" not in target
        option = draw(st.sampled_from(OPTIONS + (NUMERIC_ONLY_OPTIONS if numeric else ())))
        lines.append(f"    {name}  目标 {target}  分值 {weight}  {option}".rstrip())
        rows.append(f"产出指标,数量指标,{name},{actual},偏差说明")
    ruleset = "\n".join(
        [
            '项目 "生成的项目" 年度 2020 {',
            '  采用 "standard/central"',
            "  产出指标 / 数量指标 {",
            *lines,
            "  }",
            "}",
        ]
    )
    actuals = "\n".join(
        [
            "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施",
            "预算执行,年度资金总额,全年预算数,970.00,",
            "预算执行,年度资金总额,全年执行数,909.50,",
            *rows,
        ]
    )
    return ruleset, actuals + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_generated_rulesets_score(project: tuple[str, str]) -> None:
    ruleset, actuals = project
    compiled = jixiao.load_ruleset(text=ruleset)
    rows = jixiao.load_actuals(text=actuals)
    if all(entry.row.actual == "/" for entry in rows.entries):  # nothing applies: E604, not a total
        with pytest.raises(jixiao.JixiaoError) as caught:
            compiled.score(rows)
        assert [d.code for d in caught.value.diagnostics] == ["E604"]
        return
    result = compiled.score(rows)
    assert Decimal(0) <= result.total.decimal() <= Decimal(100)
    assert result.grade in ("优", "良", "中", "差")
    assert len(result.indicators) == ruleset.count("目标 ")


# Fragments of the language, so random text often gets past the first token.
FRAGMENTS = (
    "项目",
    "评分办法",
    "project",
    '"名称"',
    "「名」",
    "{",
    "}",
    "（",
    ")",
    "\n",
    ";",
    "/",
    "目标",
    "分值",
    "得分",
    "=",
    "实际",
    "≥1.1万人",
    "100%",
    "舍入",
    "截断",
    "2位",
    "如果",
    "则",
    "否则",
    "×",
    "÷",
    "-",
    "→",
    "分档",
    "量表",
    "等级",
    "#注释",
    " ",
    "甲乙",
    "12",
    "[80%,100%)",
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_fragments_raise_only_jixiao_errors(text: str) -> None:
    try:
        parse(text)
    except jixiao.JixiaoError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_jixiao_errors(text: str) -> None:
    try:
        parse(text)
    except jixiao.JixiaoError:
        pass
