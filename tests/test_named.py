"""Named formulas (engine/named.py): each expanded once and shared, the work counted in written nodes.

`f2 = f1 + f1` doubles with each level, so expansion must never write a formula out per use: these tests
count the nodes the expander builds (`Expander.steps`), never time.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao
from jixiao.diagnostics import JixiaoError
from jixiao.engine.named import Expander
from jixiao.language import nodes as n
from jixiao.limits import MAX_EXPANDED_NODES, MAX_EXPR_DEPTH, MAX_FORMULA_NODES


def doubling(levels: int) -> dict[str, n.FormulaDef]:
    """f0 = 实际, f{i} = f{i-1} + f{i-1}: f{k} written out has 2^(k+1) - 1 nodes."""
    formulas = {"f0": n.FormulaDef("f0", n.Var("实际"))}
    for i in range(1, levels + 1):
        use = n.Var(f"f{i - 1}")
        formulas[f"f{i}"] = n.FormulaDef(f"f{i}", n.BinOp("+", use, use))
    return formulas


def naive(expr: n.Expr, formulas: dict[str, n.FormulaDef]) -> int:
    """The nodes of `expr` written out as a tree, counted the slow way (small inputs only)."""
    if isinstance(expr, n.Var) and expr.name in formulas:
        return naive(formulas[expr.name].expr, formulas)
    if isinstance(expr, n.BinOp):
        return 1 + naive(expr.left, formulas) + naive(expr.right, formulas)
    return 1


def test_each_level_is_built_once_however_often_it_is_used() -> None:
    expander = Expander(doubling(12))
    expanded = expander.formula("f12")
    assert expander.total == 2**13 - 1  # the tree the checks will walk
    assert expander.steps == 1 + 3 * 12  # but only the written nodes were built: 3 per level
    assert expanded.left is expanded.right  # the uses share one expansion


@pytest.mark.parametrize("levels", [13, 40, 1000])
def test_doubling_past_the_limit_is_E912_at_the_first_formula_too_large(levels: int) -> None:
    expander = Expander(doubling(levels))
    with pytest.raises(JixiaoError) as caught:
        expander.formula(f"f{levels}")
    assert [d.code for d in caught.value.diagnostics] == ["E912"]
    assert caught.value.diagnostics[0].args["what"] == ("公式「f13」", "formula “f13”")
    assert expander.steps <= 1 + 3 * 13  # nothing past f13 was built


def test_a_chain_of_thousands_is_no_recursion_and_real_nesting_past_the_limit_is_E904() -> None:
    formulas = {"g0": n.FormulaDef("g0", n.Var("实际"))}
    for i in range(1, 5000):
        formulas[f"g{i}"] = n.FormulaDef(f"g{i}", n.Var(f"g{i - 1}"))  # renames only: depth 0
    assert Expander(formulas).formula("g4999") == n.Var("实际")
    for i in range(1, 5000):  # a sum of 5000 terms written out: one chain, one level (E904 counts nesting)
        formulas[f"g{i}"] = n.FormulaDef(f"g{i}", n.BinOp("+", n.Var(f"g{i - 1}"), n.Num(Fraction(1))))
    first, links = n.spine(Expander(formulas).formula("g4999"))  # type: ignore[arg-type]
    assert first == n.Var("实际") and len(links) == 4999
    for i in range(1, 5000):  # (g × 2) + 1: a product inside a sum inside a product …, a level each
        product = n.BinOp("×", n.Var(f"g{i - 1}"), n.Num(Fraction(2)))
        formulas[f"g{i}"] = n.FormulaDef(f"g{i}", n.BinOp("+", product, n.Num(Fraction(1))))
    expander = Expander(formulas)
    with pytest.raises(JixiaoError) as caught:
        expander.formula("g4999")
    assert [d.code for d in caught.value.diagnostics] == ["E904"]
    assert caught.value.diagnostics[0].args["limit"] == MAX_EXPR_DEPTH
    assert expander.steps <= 3 * (MAX_EXPR_DEPTH + 2)


def test_the_rows_together_are_bounded() -> None:
    levels = MAX_FORMULA_NODES.bit_length() - 2  # the largest doubling allowed in one formula
    expander = Expander(doubling(levels))
    with pytest.raises(JixiaoError) as caught:
        for _ in range(MAX_EXPANDED_NODES // 2**levels + 2):
            expander.expand(n.Var(f"f{levels}"))
    assert [d.code for d in caught.value.diagnostics] == ["E912"]
    assert expander.total <= MAX_EXPANDED_NODES + MAX_FORMULA_NODES
    assert expander.steps < 10 * MAX_EXPANDED_NODES // 2**levels + 3 * levels


@st.composite
def formula_sets(draw: st.DrawFn) -> dict[str, n.FormulaDef]:
    """Formulas h0 … hk, each a sum of earlier ones, 实际 and numbers."""
    formulas: dict[str, n.FormulaDef] = {}
    for i in range(draw(st.integers(1, 12))):
        leaves = [n.Var("实际"), n.Num(Fraction(1)), *(n.Var(name) for name in formulas)]
        terms = draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=4))
        expr = terms[0]
        for term in terms[1:]:
            expr = n.BinOp("+", expr, term)
        formulas[f"h{i}"] = n.FormulaDef(f"h{i}", expr)
    return formulas


@settings(max_examples=200, deadline=None)
@given(formula_sets())
def test_expansion_work_is_the_written_nodes_whatever_the_expanded_size(
    formulas: dict[str, n.FormulaDef],
) -> None:
    written = sum(naive(f.expr, {}) for f in formulas.values())
    sizes = {name: naive(f.expr, formulas) for name, f in formulas.items()}
    expander = Expander(formulas)
    try:
        for name in formulas:
            expander.formula(name)
    except JixiaoError as exc:
        assert {d.code for d in exc.diagnostics} <= {"E912", "E904"}
        assert max(sizes.values()) > MAX_FORMULA_NODES or sum(sizes.values()) > MAX_EXPANDED_NODES
    else:
        assert expander.total == sum(sizes.values())
    assert expander.steps <= written


def test_forty_levels_in_a_ruleset_are_E912_at_the_definition() -> None:
    lines = ["公式 f0 = 实际", *(f"公式 f{i} = f{i - 1} + f{i - 1}" for i in range(1, 41))]
    body = "\n".join(f"  {line}" for line in lines)
    text = f'项目 "x" 年度 2020 {{\n{body}\n  产出指标 / 数量指标 {{\n    人数 目标 ≥10人 分值 100 得分 = f40\n  }}\n}}\n'
    found = jixiao.check(text=text)
    assert [(d.code, d.span.line if d.span else 0) for d in found] == [("E912", 15)]
