"""方向: how an unsigned target reads — the indicator's own, else the most specific 方向 statement."""

from __future__ import annotations

import pytest
from conftest import ROOT

from jixiao.engine.compiler import compile_plan
from jixiao.engine.resolve import resolve_text
from jixiao.language.quantity import Comparator, NumericTarget

HEAD = '项目 "x" 年度 2020 {\n  采用 "standard/central"\n'


def _comparator(statements: str, level2: str, target: str, option: str = "") -> Comparator:
    text = f"{HEAD}{statements}\n  产出指标 / {level2} {{\n    甲 目标 {target} 分值 90 {option}\n  }}\n}}"
    plan = compile_plan(resolve_text(text, str(ROOT / "rulesets" / "x.jx")))
    target_node = plan.plans[0].indicator.target
    assert isinstance(target_node, NumericTarget)
    return target_node.comparator


@pytest.mark.parametrize(
    ("statements", "level2", "target", "option", "expected"),
    [
        (
            "",
            "成本指标",
            "2万元",
            "",
            Comparator.LE,
        ),  # the central policy: amounts under 成本指标 are ceilings
        ("", "成本指标", "10%", "", Comparator.GE),  # … but not percentages
        ("", "数量指标", "2万元", "", Comparator.GE),
        ("  方向 元 正向", "成本指标", "2万元", "", Comparator.LE),  # level + unit beats unit alone
        ("  方向 成本指标 正向", "成本指标", "2万元", "", Comparator.LE),  # … and level alone
        ("  方向 产出指标 反向", "数量指标", "30%", "", Comparator.LE),  # a 一级 name
        ("  方向 万元 反向", "数量指标", "300元", "", Comparator.LE),  # a unit matches its dimension
        ("", "成本指标", "2万元", "方向 相等", Comparator.EQ),  # the indicator's own direction wins
        ("", "成本指标", "≥2万元", "", Comparator.GE),  # a written sign is never changed
    ],
)
def test_direction(statements: str, level2: str, target: str, option: str, expected: Comparator) -> None:
    assert _comparator(statements, level2, target, option) is expected
