"""The fast evaluator (engine/fast) gives the reference evaluator's results exactly, or declines.

Differential: every ruleset and case in the repository, and generated projects on the rounding
edges (benchmarks/edges.py), scored by both; totals, digits, grades, findings and every indicator's
score must be equal. Structural: a plan using a field the fast evaluator does not implement — one
added to the language later included — is refused and scored by the reference.
Speed is measured in benchmarks/, never here.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CASES, ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jixiao
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.expr import Env as FractionEnv
from jixiao.engine.expr import EvalError, Unavailable, compile_expr
from jixiao.engine.fast import FastEvaluator, rational, refusal
from jixiao.engine.fast import result as fast_result
from jixiao.engine.fast.rational import Bail, Missing, compile_condition, compile_number, kind
from jixiao.engine.fast.run import grade_bounds, grade_by_bounds
from jixiao.engine.figure import Figure
from jixiao.engine.methods import numeric_met
from jixiao.engine.plan import IndicatorPlan
from jixiao.engine.results import LAZY, Result
from jixiao.io.actuals import collect_actuals
from jixiao.language import nodes as n
from jixiao.language.quantity import Comparator, NumericTarget, Quantity, RangeTarget

sys.path.insert(0, str(ROOT / "benchmarks"))

import differential
import edges


def _scored_cases() -> list[tuple[Path, Path]]:
    pairs = [(p, p.with_name("actuals.csv")) for p in sorted(CASES.glob("*/*/ruleset.jx"))]
    pairs += [(p, p.with_suffix(".actuals.csv")) for p in sorted((ROOT / "rulesets").rglob("*.jx"))]
    return [(r, a) for r, a in pairs if a.exists()]


# -- differential --------------------------------------------------------------------------------------
def test_every_ruleset_and_case_in_the_repository_scores_the_same() -> None:
    outcomes: dict[str, int] = {}
    for ruleset, actuals in _scored_cases():
        try:
            compiled = jixiao.load_ruleset(ruleset)
        except jixiao.JixiaoError:
            continue  # a case about a ruleset error: nothing to score
        plan = compiled.plan
        fast = FastEvaluator(plan) if refusal(plan) is None else None
        how, wrong = differential.difference(plan, fast, actuals)
        assert wrong is None, f"{ruleset}: {wrong}"
        outcomes[how] = outcomes.get(how, 0) + 1
    assert outcomes.get("fast", 0) >= 35, outcomes  # the fast path is used, not silently declined


def test_generated_projects_on_the_rounding_edges_score_the_same() -> None:
    counts, differences = differential.run(seed=2020, projects=600, per_case=30)
    assert differences == []
    assert counts["fast"] > counts["declined"] > 0, counts  # both paths taken
    assert "refused" not in counts and "ruleset with errors" not in counts, counts


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32))
def test_any_generated_ruleset_scores_the_same(seed: int) -> None:
    _, differences = differential.run(seed=seed, projects=12, per_case=12)
    assert differences == []


def test_the_generator_hits_the_edges_it_promises() -> None:
    texts = [csv for _, csvs in edges.projects(7, 20, 10) for csv in csvs]
    cells = "".join(texts)
    for edge in ("100.005%", "99.995%", ",/,", "无", "约", "2021年1月1日"):
        assert edge in cells, edge
    # files naming their project (the ruleset's, written otherwise, or another: F112), general rulesets
    named = {text.split("\n")[1].split(",")[0] for text in texts if text.startswith("项目,")}
    assert {"边界", " 边界 项目", "其他项目"} <= named, named
    assert any("边界（通用）" in case.text for case, _ in edges.projects(7, 20, 10))


# -- the formula compiler --------------------------------------------------------------------------------
NAMES = ("a", "b", "c")
numbers = st.fractions(min_value=-1000, max_value=1000, max_denominator=1000)
leaves = st.one_of(
    numbers.map(lambda v: n.Num(v)), st.sampled_from([*NAMES, "missing"]).map(lambda v: n.Var(v))
)


def _tree(children: st.SearchStrategy[n.Expr]) -> st.SearchStrategy[n.Expr]:
    ops = st.sampled_from(["+", "-", "×", "÷"])
    compares = st.sampled_from(["≥", "≤", ">", "<", "=", "≠"])
    conditions = st.builds(n.Compare, compares, children, children)
    return st.one_of(
        st.builds(n.BinOp, ops, children, children),
        st.builds(n.Neg, children),
        st.builds(
            n.Call, st.sampled_from(["min", "max"]), st.lists(children, min_size=1, max_size=3).map(tuple)
        ),
        st.builds(n.Call, st.sampled_from(["cap", "floor"]), st.tuples(children, children)),
        st.builds(n.Call, st.just("abs"), st.tuples(children)),
        st.builds(
            n.If,
            st.one_of(conditions, st.builds(n.Logic, st.sampled_from(["且", "或"]), conditions, conditions)),
            children,
            children,
        ),
    )


expressions = st.recursive(leaves, _tree, max_leaves=12)


def _exact(expr: n.Expr, values: dict[str, Fraction]) -> object:
    try:
        return compile_expr(expr)(FractionEnv(dict(values)))
    except Unavailable:
        return "missing"
    except EvalError as exc:
        return exc.code


def _integers(expr: n.Expr, values: dict[str, Fraction]) -> object:
    try:
        num, den = compile_number(expr)({k: (v.numerator, v.denominator) for k, v in values.items()})
    except Missing:
        return "missing"
    except Bail:
        return "bail"
    assert den > 0
    return Fraction(num, den)


@settings(max_examples=400, deadline=None)
@given(expressions, st.fixed_dictionaries({name: numbers for name in NAMES}))
def test_formulas_on_integer_pairs_equal_the_exact_fractions(
    expr: n.Expr, values: dict[str, Fraction]
) -> None:
    assert kind(expr) == "number"
    exact, fast = _exact(expr, values), _integers(expr, values)
    if fast == "bail":  # a zero divisor, or a number past the limit: the reference reports an error
        assert exact in ("E601", "E908")
    else:
        assert fast == exact


@settings(max_examples=200, deadline=None)
@given(expressions, expressions, st.fixed_dictionaries({name: numbers for name in NAMES}))
def test_conditions_on_integer_pairs_equal_the_exact_ones(
    left: n.Expr, right: n.Expr, values: dict[str, Fraction]
) -> None:
    condition = n.Logic("或", n.Compare("<", left, right), n.Not(n.Compare("=", left, right)))
    exact = _exact(condition, values)
    try:
        fast: object = compile_condition(condition)(
            {k: (v.numerator, v.denominator) for k, v in values.items()}
        )
    except Missing:
        fast = "missing"
    except Bail:
        fast = "bail"
    assert fast == exact or (fast == "bail" and exact in ("E601", "E908"))


def _nested(depth: int, where: str) -> n.Expr:
    """如果 nested `depth` deep in its 则 side, its 否则 side (an 否则如果 chain) or its condition (each a
    `… 或 (…)` holding the next 如果), the innermost dividing by 实际 - 3 (a zero divisor for 3)."""
    expr: n.Expr = n.BinOp("÷", n.Num(Fraction(1)), n.BinOp("-", n.Var("a"), n.Num(Fraction(3))))
    for i in range(depth):
        test = n.Compare(">", n.Var("a"), n.Num(Fraction(i)))
        if where == "then":
            expr = n.If(test, expr, n.Num(Fraction(i)))
        elif where == "else":
            expr = n.If(test, n.Num(Fraction(i)), expr)
        else:
            deeper = n.Compare("=", expr, n.Num(Fraction(1, 2)))
            expr = n.If(
                n.Logic("或", n.Not(test), n.Logic("且", test, deeper)), n.Num(Fraction(i)), n.Var("b")
            )
    return expr


@pytest.mark.parametrize("where", ["then", "else", "condition"])
def test_if_nested_as_deep_as_a_formula_may_be_compiles_in_linear_time_and_equals_the_exact(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kind` once looked at the 则 side twice per level: 2^depth calls, a batch hung on one ruleset. The
    generated source nests a block per level; deeper than `MAX_BLOCKS` it calls a function of its own."""
    expr = _nested(95 if where != "condition" else 24, where)  # four nodes a level: E904 allows 25
    calls = 0
    real = rational.kind

    def counted(e: n.Expr) -> str | None:
        nonlocal calls
        calls += 1
        assert calls < 10_000, "kind is not linear in the depth"
        return real(e)

    monkeypatch.setattr(rational, "kind", counted)
    assert kind(expr) == "number"
    monkeypatch.undo()
    source = rational._Source()
    source.number(expr, 1)
    assert max(len(line) - len(line.lstrip()) for line in source.lines) <= 4 * (rational.MAX_BLOCKS + 2)
    for a in (-1, 0, 2, 3, 4, 50, 94, 95, 200):
        values = {"a": Fraction(a), "b": Fraction(7)}
        fast, exact = _integers(expr, values), _exact(expr, values)
        assert fast == exact or (fast == "bail" and exact == "E601"), (a, fast, exact)
        condition = n.Compare("≥", expr, n.Num(Fraction(1)))
        try:
            held: object = compile_condition(condition)({"a": (a, 1), "b": (7, 1)})
        except Bail:
            held = "bail"
        assert held == _exact(condition, values) or held == "bail"


# -- which plans: structurally ------------------------------------------------------------------------
HOSTILE_NAMES = ("x')\nraise SystemExit('injected')\n#", "__import__('os')._exit(3)", 'a"b', "{0}\\", "c0")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_variable_name_is_a_name_never_source(name: str) -> None:
    """Names and numbers reach a compiled formula through its namespace: no text of a ruleset is code."""
    expr = n.BinOp("+", n.Var(name), n.Num(Fraction(10**40 + 1, 3)))
    formula = compile_number(expr)
    assert formula({name: (1, 1)}) == (10**40 + 4, 3)
    with pytest.raises(Missing):
        formula({"x": (1, 1)})
    condition = compile_condition(n.Compare("<", n.Var(name), n.Num(Fraction(1))))
    assert condition({name: (0, 1)}) is True
    source = rational._Source()
    source.number(expr, 1)
    written = "\n".join(source.lines)
    assert name == "c0" or name not in written, written  # c0 is also one of its locals, and no clash
    assert str(10**40 + 1) not in written


def test_the_seed_plan_is_implemented() -> None:
    assert refusal(jixiao.load_ruleset(SEED_RULESET).plan) is None


def test_a_field_it_does_not_implement_refuses_the_plan() -> None:
    plan = jixiao.load_ruleset(SEED_RULESET).plan
    changed = replace(plan, plans=(replace(plan.plans[0], item_score=True), *plan.plans[1:]))
    assert "item_score" in (refusal(changed) or "")
    assert FastEvaluator.of(changed) is None


@dataclass(frozen=True)
class _Later(IndicatorPlan):
    """An indicator plan as a later version of the language might have it: one more field."""

    novelty: int = 0


def test_a_field_added_later_refuses_the_plan_until_it_is_implemented() -> None:
    plan = jixiao.load_ruleset(SEED_RULESET).plan
    first = plan.plans[0]
    fields = {f: getattr(first, f) for f in first.__dataclass_fields__}
    at_default = replace(plan, plans=(_Later(**fields), *plan.plans[1:]))
    assert refusal(at_default) is None  # the new construct is not used: nothing changes
    used = replace(plan, plans=(_Later(**fields, novelty=1), *plan.plans[1:]))
    assert "novelty" in (refusal(used) or "")


def test_a_refused_plan_is_scored_by_the_reference() -> None:
    case = CASES / "eval" / "bands"
    compiled = jixiao.load_ruleset(case / "ruleset.jx")
    assert refusal(compiled.plan) is not None
    result = compiled.score(case / "actuals.csv")
    assert "_kept" not in vars(result)  # a complete result, from the reference
    assert result.total == reference_score(compiled.plan, collect_actuals(case / "actuals.csv")).total


# -- fast results ------------------------------------------------------------------------------------------
def test_a_fast_result_fills_in_its_rows_when_read_and_renders_like_the_reference() -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    result = compiled.score(SEED_ACTUALS)
    assert "indicators" not in vars(result)  # not built until read
    assert (result.total.text(), result.grade) == ("99.31", "优")
    reference = reference_score(compiled.plan, collect_actuals(SEED_ACTUALS))
    for fmt in ("json", "table", "csv", "html"):
        assert jixiao.render(result, fmt) == jixiao.render(reference, fmt), fmt  # type: ignore[arg-type]
    assert jixiao.explain(result) == jixiao.explain(reference)
    assert len(result.indicators) == 17 and "_kept" not in vars(result)


def test_a_fast_result_reads_the_plans_fields_until_filled_in_then_is_the_reference_result() -> None:
    """A fast result holds its total and grade itself, what makes its findings when first read, and
    reads the plan's fields (project, year, weights, rules …) from what it shares with the plan's other
    results; once its table is read it is the reference's result field for field, in the same order,
    equal and pickled alike."""
    compiled = jixiao.load_ruleset(SEED_RULESET)
    actuals = collect_actuals(SEED_ACTUALS)
    result, reference = compiled.score(actuals), reference_score(compiled.plan, actuals)
    own = set(vars(result))
    assert own == {"total", "grade", "_kept"}, own  # findings not made yet
    assert len(vars(result)["_kept"]) > 2  # (its Pending, its file, what makes its findings …)
    assert result.findings == reference.findings and result.findings is result.findings
    own = set(vars(result))
    assert own == {"total", "grade", "findings", "_kept"}, own  # made once, then held
    assert vars(result)["_kept"][1] is actuals
    shared = [f.name for f in fields(Result) if f.name not in own and f.name not in LAZY]
    assert shared and all(getattr(result, f) == getattr(reference, f) for f in shared), shared
    assert result.rules is reference.rules is compiled.plan.rules
    assert "indicators" not in vars(result)  # reading the plan's fields fills nothing in
    with pytest.raises(AttributeError):
        result.no_such_field  # noqa: B018
    assert not hasattr(result, "no_such_field")
    changed = replace(result, grade="良")  # dataclasses' own replace reads every field
    assert (changed.project, changed.total, changed.grade) == (reference.project, reference.total, "良")
    assert len(result.indicators) == 17  # fills the table in
    assert list(vars(result)) == list(vars(reference))
    for made in (result, pickle.loads(pickle.dumps(result))):
        assert made == reference  # every field, the table and its explanation steps too
        assert jixiao.render(made, "json") == jixiao.render(reference, "json")
    with pytest.raises(AttributeError):
        result.no_such_field  # noqa: B018
    defaults = Result(
        **{
            f.name: getattr(reference, f.name)
            for f in fields(Result)
            if f.init and f.name not in ("policies", "sources", "steps", "rules", "total_high")
        }
    )
    assert (defaults.policies, defaults.sources, defaults.steps, defaults.rules, defaults.total_high) == (
        (),
        (),
        (),
        None,
        None,
    )


def test_results_and_compiled_rulesets_pickle() -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    result = compiled.score(SEED_ACTUALS)
    back = pickle.loads(pickle.dumps(result))
    assert (back.total, back.total.digits, back.grade, back.findings) == (
        result.total,
        result.total.digits,
        result.grade,
        result.findings,
    )
    assert [i.score for i in back.indicators] == [i.score for i in result.indicators]
    assert [s.text("zh") for s in back.steps] == [s.text("zh") for s in result.steps]
    assert back == result == compiled.score(SEED_ACTUALS)  # steps compare by their texts
    again = pickle.loads(pickle.dumps(compiled))
    assert jixiao.render(again.score(SEED_ACTUALS), "json") == jixiao.render(result, "json")


def test_a_row_scored_again_with_another_value_object_is_not_taken_from_the_memo() -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    first = compiled.score(SEED_ACTUALS)
    text = SEED_ACTUALS.read_text(encoding="utf-8-sig").replace("约发放人数1.11万人", "约发放人数1.0万人")
    second = compiled.score(jixiao.load_actuals(text=text))
    assert second.total < first.total
    assert second.total == reference_score(compiled.plan, jixiao.load_actuals(text=text)).total


def test_rows_with_the_separator_in_a_cell_do_not_share_a_memo_entry() -> None:
    header = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施"
    one = jixiao.load_actuals(text=f'{header}\n产出指标,数量指标,享受补贴人数,"1.2万人","a\x1fb"\n')
    two = jixiao.load_actuals(text=f'{header}\n产出指标,数量指标,享受补贴人数,"1.2万人","a\x1fb"\n')
    assert one.entries[0].key == two.entries[0].key and isinstance(one.entries[0].key, tuple)


@pytest.mark.parametrize("path", [SEED_RULESET], ids=["seed"])
def test_score_many_streams_in_order(path: Path) -> None:
    compiled = jixiao.load_ruleset(path)
    text = SEED_ACTUALS.read_text(encoding="utf-8-sig")
    batch = (jixiao.load_actuals(text=text.replace("1.11万人", f"{1 + k / 100}万人")) for k in range(5))
    results = compiled.score_many(batch)
    assert next(results).total < next(results).total  # lazily, one at a time, in order


def test_a_result_from_a_file_keeps_what_it_read_not_the_path(tmp_path: Path) -> None:
    """The table is filled in from the bytes read when scoring: a file changed or gone since is not read."""
    copy = tmp_path / "项目.csv"
    copy.write_bytes(SEED_ACTUALS.read_bytes())
    compiled = jixiao.load_ruleset(SEED_RULESET)
    result = compiled.score(copy)
    copy.unlink()
    reference = reference_score(compiled.plan, collect_actuals(SEED_ACTUALS.read_bytes(), name=str(copy)))
    assert jixiao.render(result, "json") == jixiao.render(reference, "json")


def test_a_fast_result_the_reference_disagrees_with_is_a_bug_never_a_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    result = compiled.score(SEED_ACTUALS)
    monkeypatch.setattr(fast_result, "compare", lambda fast, reference: "total: planted by the test")
    with pytest.raises(jixiao.JixiaoError) as caught:
        _ = result.indicators
    assert caught.value.diagnostics[0].code == "E901"
    assert "Disagreement" in str(caught.value)


# -- totals in integers: the figure and the grade ------------------------------------------------------------
@given(st.integers(-(10**30), 10**30), st.integers(0, 8))
def test_a_scaled_figure_is_the_figure_of_its_fraction(units: int, digits: int) -> None:
    mine, theirs = Figure.scaled(units, digits), Figure(Fraction(units, 10**digits), digits)
    assert (str(mine), repr(mine), mine.value, mine.digits, mine.shown, mine.shown_digits) == (
        str(theirs),
        repr(theirs),
        theirs.value,
        theirs.digits,
        theirs.shown,
        theirs.shown_digits,
    )
    assert Decimal(mine).as_tuple() == Decimal(theirs).as_tuple() and mine.text() == theirs.text()


_BOUND = st.builds(Fraction, st.integers(-200, 200), st.integers(1, 12))
_CONDITION = st.one_of(
    st.none(),
    st.builds(NumericTarget, st.sampled_from(list(Comparator)), st.builds(Quantity.of, _BOUND)),
    st.builds(
        RangeTarget,
        st.builds(Quantity.of, _BOUND),
        st.builds(Quantity.of, _BOUND),
        st.booleans(),
        st.booleans(),
    ),
)


@given(st.lists(_CONDITION, min_size=1, max_size=5), st.integers(-3000, 3000), st.integers(0, 3))
def test_grades_by_integer_bounds_are_grade_of(conditions: list[object], rounded: int, digits: int) -> None:
    grades = n.Grades(tuple(n.Grade(f"等级{i}", c, "") for i, c in enumerate(conditions)))  # type: ignore[arg-type]
    bounds = grade_bounds(grades, digits)
    assert bounds is not None
    value = Fraction(rounded, 10**digits)
    expected = next(
        (g.name for g in grades.grades if g.condition is None or numeric_met(g.condition, value)), None
    )
    assert grade_by_bounds(bounds, rounded) == expected


def test_a_result_of_a_path_reads_the_files_department_first(tmp_path: Path) -> None:
    """A fast result of a path, its ruleset without 主管部门: reading `department` before anything else
    fills the table in and then answers from the filled-in fields (it read the replaced ones: KeyError)."""
    ruleset = tmp_path / "x.jx"
    ruleset.write_text(
        '项目 "x" 年度 2020 {\n  采用 "standard/central"\n  产出指标 / 数量指标 {\n    甲 目标 ≥1人 分值 90\n  }\n}\n',
        encoding="utf-8",
    )
    actuals = tmp_path / "x.csv"
    actuals.write_text(
        "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施\n预算执行,年度资金总额,全年预算数,100,\n"
        "预算执行,年度资金总额,全年执行数,100,\n产出指标,数量指标,甲,2人,\n",
        encoding="utf-8",
    )
    compiled = jixiao.load_ruleset(ruleset, cache=False)
    assert compiled._fast_evaluator() is not None
    result = compiled.score(actuals)
    assert result.department is None and result.unit is None
    assert "总得分 100.00" in jixiao.render(result)
