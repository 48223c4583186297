"""Chains of one operator, `a 或 b 或 …`, `a 且 b 且 …` as `a + b + …`: one level of E904 however long.

The parser builds such a chain leaning left, as deep as it is long; every stage walks it along its spine
(`nodes.spine`) in a loop: equality, hash, repr and pickling of the nodes, named formulas, the checks,
both evaluators and fmt. Small chains are compared with the nested operations they stand for; long ones
(5 000 terms, past Python's recursion limit) must go through without a RecursionError. No timing here.
"""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.diagnostics import JixiaoError
from jixiao.engine.checks.formulas import Bounds, truth_of
from jixiao.engine.expr import Env, compile_expr
from jixiao.engine.fast.rational import compile_condition, kind
from jixiao.engine.named import Expander
from jixiao.language import nodes as n
from jixiao.language.parser import parse
from jixiao.limits import MAX_EXPR_DEPTH
from jixiao.tools.fmt.expr import expr as formatted

LONG = 5000  # terms: each stage would need several frames a term if it recursed along the chain


def term(value: int) -> n.Compare:
    return n.Compare("=", n.Var("实际"), n.Num(Fraction(value)))


def chain(ops: list[str], values: list[int]) -> n.Expr:
    """`term(v0) op0 term(v1) op1 …`, leaning left as the parser builds it."""
    node: n.Expr = term(values[0])
    for op, value in zip(ops, values[1:], strict=True):
        node = n.Logic(op, node, term(value))  # type: ignore[arg-type]
    return node


def folded(ops: list[str], values: list[int], actual: int) -> bool:
    """What the nested operations mean, left to right."""
    result = values[0] == actual
    for op, value in zip(ops, values[1:], strict=True):
        result = (result and value == actual) if op == "且" else (result or value == actual)
    return result


def nested_repr(e: object) -> str:
    """The repr dataclasses would generate, recursively (small trees only)."""
    if isinstance(e, n.BinOp | n.Logic):
        return (
            f"{type(e).__qualname__}(op={e.op!r}, left={nested_repr(e.left)}, right={nested_repr(e.right)})"
        )
    return repr(e)


def nested_hash(e: object) -> int:
    if isinstance(e, n.BinOp | n.Logic):
        return hash((e.op, _Hash(nested_hash(e.left)), _Hash(nested_hash(e.right))))
    return hash(e)


class _Hash(int):
    def __hash__(self) -> int:
        return int(self)


pairs = st.integers(min_value=1, max_value=40).flatmap(
    lambda k: st.tuples(
        st.lists(st.sampled_from(["或", "且"]), min_size=k, max_size=k),
        st.lists(st.integers(min_value=0, max_value=3), min_size=k + 1, max_size=k + 1),
    )
)


@settings(max_examples=200, deadline=None)
@given(pairs, st.integers(min_value=0, max_value=3))
def test_a_chain_means_its_nested_operations_in_every_evaluator(
    chain_parts: tuple[list[str], list[int]], actual: int
) -> None:
    ops, values = chain_parts
    condition = chain(ops, values)
    expected = folded(ops, values, actual)
    assert compile_expr(condition)(Env({"实际": Fraction(actual)})) is expected
    assert kind(condition) == "condition"
    assert compile_condition(condition)({"实际": (actual, 1)}) is expected
    assert truth_of(condition, {"实际": Bounds(Fraction(actual), Fraction(actual))}) is expected
    assert truth_of(condition, {}) in (None, expected)  # unknown inputs: undecided, or decided anyway


@settings(max_examples=100, deadline=None)
@given(pairs)
def test_a_chain_shows_hashes_and_compares_as_the_nested_dataclasses(
    chain_parts: tuple[list[str], list[int]],
) -> None:
    ops, values = chain_parts
    condition = chain(ops, values)
    assert repr(condition) == nested_repr(condition)
    assert hash(condition) == nested_hash(condition)
    assert condition == chain(ops, values)
    assert pickle.loads(pickle.dumps(condition)) == condition
    if len(values) > 1:
        assert condition != chain(ops, [*values[:-1], values[-1] + 1])


@settings(max_examples=100, deadline=None)
@given(pairs)
def test_a_chain_prints_and_reads_back_the_same(chain_parts: tuple[list[str], list[int]]) -> None:
    ops, values = chain_parts
    condition = chain(ops, values)
    text = formatted(condition, "zh")
    assert text.count("(") <= len(ops)  # parentheses only where 或 is inside 且
    assert _explain_condition(text) == condition


def _explain_condition(text: str) -> n.Expr:
    """`text` read back as the condition of a 需说明 rule."""
    document = parse(f'项目 "x" 年度 2020 {{\n  需说明 当 {text}\n}}\n', "<chain>")
    found = [s for s in document.statements if isinstance(s, n.ExplainWhen)]
    return found[0].condition


@pytest.mark.parametrize("op", ["或", "且"])
def test_a_chain_of_5000_terms_goes_through_every_stage(op: str) -> None:
    ops, values = [op] * (LONG - 1), list(range(LONG))
    condition = chain(ops, values)
    last = LONG - 1
    assert compile_expr(condition)(Env({"实际": Fraction(last)})) is (op == "或")
    assert compile_condition(condition)({"实际": (last, 1)}) is (op == "或")
    assert kind(condition) == "condition"
    assert truth_of(condition, {"实际": Bounds(Fraction(last), Fraction(last))}) is (op == "或")
    text = formatted(condition, "zh")
    assert text == f" {op} ".join(f"实际 = {v}" for v in values)
    assert formatted(condition, "en").count(" or " if op == "或" else " and ") == LONG - 1
    shown = repr(condition)
    assert shown.startswith(f"Logic(op='{op}', left=" * (LONG - 1) + "Compare(op='=', left=Var(name='实际')")
    assert shown.count("Compare(") == LONG
    assert pickle.loads(pickle.dumps(condition)) == condition
    assert hash(condition) == hash(chain(ops, values)) and condition == chain(ops, values)


def test_a_sum_of_5000_terms_shows_without_recursion() -> None:
    node: n.Expr = n.Num(Fraction(0))
    for i in range(1, LONG):
        node = n.BinOp("+" if i % 2 else "-", node, n.Var(f"v{i}"))
    shown = repr(node)
    assert shown.count("BinOp(") == LONG - 1 and shown.endswith(f"right=Var(name='v{LONG - 1}'))")
    inside = repr(n.Call("cap", (node, n.Var("分值"))))  # inside another node, in a list: the same text
    assert inside == f"Call(func='cap', args=({shown}, Var(name='分值')))" and str([node]) == f"[{shown}]"


def test_a_named_condition_chain_is_one_level_and_real_nesting_is_E904() -> None:
    formulas = {"g0": n.FormulaDef("g0", term(0))}
    for i in range(1, 2000):  # 或 after 或: one chain written out, one level
        formulas[f"g{i}"] = n.FormulaDef(f"g{i}", n.Logic("或", n.Var(f"g{i - 1}"), term(i)))
    first, links = n.spine(Expander(formulas).formula("g1999"))  # type: ignore[arg-type]
    assert first == term(0) and len(links) == 1999
    for i in range(1, 2000):  # (g 或 t) 且 t: an 或 inside a 且 inside an 或 …, a level each
        inner = n.Logic("或", n.Var(f"g{i - 1}"), term(i))
        formulas[f"g{i}"] = n.FormulaDef(f"g{i}", n.Logic("且", inner, term(i)))
    with pytest.raises(JixiaoError) as caught:
        Expander(formulas).formula("g1999")
    assert [d.code for d in caught.value.diagnostics] == ["E904"]


def _line(condition: str) -> str:
    return f'项目 "x" 年度 2020 {{\n  需说明 当 {condition}\n}}\n'


@pytest.mark.parametrize("op", ["或", "且", "or", "and"])
def test_a_flat_chain_past_the_depth_limit_is_no_E904(op: str) -> None:
    terms = f" {op} ".join(f"得分 > {i}" for i in range(3 * MAX_EXPR_DEPTH))
    parse(_line(terms), "<flat>")  # no JixiaoError


def test_alternating_parenthesised_or_and_is_nesting() -> None:
    text = "得分 > 0"
    for i in range(MAX_EXPR_DEPTH // 2 + 2):  # ((a 或 b) 且 c) 或 d …: each parenthesis a level
        text = f"({text} 或 得分 > {i}) 且 得分 > {i}"
    with pytest.raises(JixiaoError) as caught:
        parse(_line(text), "<nested>")
    assert "E904" in [d.code for d in caught.value.diagnostics]
