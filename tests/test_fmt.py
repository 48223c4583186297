"""`jixiao fmt`: parse → print → parse is the identity, printing is idempotent, comments survive.

Data-driven cases live in tests/cases/fmt/<name>/input.jx with the expected
output in expected.jx (JIXIAO_UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT, SEED_RULESET, update_golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.cli import main
from jixiao.diagnostics import JixiaoError, has_errors
from jixiao.engine.resolve import resolve_text
from jixiao.language import nodes as n
from jixiao.language.literals import parse_quantity, parse_target
from jixiao.language.parser import parse
from jixiao.language.rounding import RoundingMode
from jixiao.language.settings import repeated_settings
from jixiao.source import read_text
from jixiao.tools.compare import compare_rulesets
from jixiao.tools.fmt import format_document, format_text
from jixiao.tools.fmt.comments import scan


def repo_rulesets() -> list[Path]:
    found = sorted((ROOT / "rulesets").rglob("*.jx")) + sorted((ROOT / "tests").rglob("*.jx"))
    out = []
    for path in found:
        try:
            parse(read_text(path), str(path))
        except JixiaoError:
            continue  # error cases are not meant to parse
        out.append(path)
    return out


RULESETS = repo_rulesets()
FMT_CASES = sorted(p for p in (CASES / "fmt").iterdir() if (p / "input.jx").is_file())


# -- every ruleset in the repository ------------------------------------------------------------------


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_round_trip_and_idempotent(path: Path) -> None:
    text = read_text(path)
    printed = format_text(text, str(path))
    assert parse(printed, str(path)) == parse(text, str(path))
    assert format_text(printed, str(path)) == printed


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_comments_are_kept(path: Path) -> None:
    text = read_text(path)
    before = sorted(c.text for c in scan(text))
    assert sorted(c.text for c in scan(format_text(text, str(path)))) == before


@pytest.mark.parametrize("keywords", ["zh", "en"])
@pytest.mark.parametrize("path", RULESETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_switching_keywords_keeps_meaning(path: Path, keywords: str) -> None:
    text = read_text(path)
    switched = format_text(text, str(path), keywords)  # type: ignore[arg-type]
    assert parse(switched, str(path)).keywords == keywords
    assert format_text(switched, str(path), keywords) == switched  # type: ignore[arg-type]
    # Keyword spelling is not meaning: the AST is the same in either language.
    assert replace(parse(switched, str(path)), keywords="zh") == replace(
        parse(text, str(path)), keywords="zh"
    )
    try:
        old = resolve_text(text, str(path))
    except JixiaoError:
        pytest.skip("does not resolve (an error case)")
    assert compare_rulesets(old, resolve_text(switched, str(path))).same


def test_the_2021_example_is_formatted() -> None:
    path = ROOT / "rulesets" / "shangjie-pension" / "2021.jx"
    assert format_text(read_text(path), str(path)) == read_text(path)


# -- data-driven cases --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", FMT_CASES, ids=lambda p: p.name)
def test_fmt_case(case: Path) -> None:
    text = read_text(case / "input.jx")
    printed = format_text(text, str(case / "input.jx"))
    expected = case / "expected.jx"
    if update_golden() or not expected.exists():
        expected.write_text(printed, encoding="utf-8")
    assert printed == read_text(expected)
    assert parse(printed) == parse(text)
    assert format_text(printed) == printed


def test_english_case_translates_both_ways() -> None:
    text = read_text(CASES / "fmt" / "english" / "input.jx")
    chinese = format_text(text, keywords="zh")
    assert "采用" in chinese and "扣分(每次: 2分)" in chinese and " use " not in chinese
    assert format_text(chinese, keywords="en") == format_text(text, keywords="en")


# -- generated documents ---------------------------------------------------------------------------------

NAMES = st.sampled_from(
    ["享受补贴人数", "资金发放及时率", "满意度", "人均成本", "回访率二", "budget率", "培训·人次"]
)
QUOTED = st.sampled_from(["预算执行", "目标", "a b", "(一)人数", "1号线", '含"引号"的名'])
NAME = st.one_of(NAMES, QUOTED)
TARGETS = st.sampled_from(
    ["≥1.1万人", "100%", "合理", "≤5%", "12月底前", "[80%,100%]", "90%~100%", "=0起", "≥0.95"]
)
VARS = st.sampled_from(["实际", "目标", "分值", "得分", "执行率", "偏差", "全年预算数", "享受补贴人数"])


def _num() -> st.SearchStrategy[n.Num]:
    decimals = st.integers(0, 100000).map(lambda k: Fraction(k, 100))
    plain = decimals.map(lambda v: n.Num(v, ""))
    percent = decimals.map(lambda v: n.Num(v / 100, "%"))
    points = decimals.map(lambda v: n.Num(v, "分"))
    quantity = st.sampled_from(["1.1万人", "970万元", "3次", "2.5千克"]).map(parse_quantity)
    quantities = quantity.map(lambda q: n.Num(q.base, q.unit, q))
    return st.one_of(plain, percent, points, quantities)


def _expr() -> st.SearchStrategy[n.Expr]:
    leaves: st.SearchStrategy[n.Expr] = st.one_of(
        _num(), VARS.map(n.Var), st.sampled_from(["合理", "a b"]).map(n.Text)
    )

    def extend(inner: st.SearchStrategy[n.Expr]) -> st.SearchStrategy[n.Expr]:
        return st.one_of(
            st.builds(n.BinOp, st.sampled_from(["+", "-", "×", "÷"]), inner, inner),
            st.builds(n.Neg, inner),
            st.builds(n.Compare, st.sampled_from(["≥", "≤", ">", "<", "=", "≠"]), inner, inner),
            st.builds(n.Logic, st.sampled_from(["且", "或"]), inner, inner),
            st.builds(n.Not, inner),
            st.builds(n.If, inner, inner, inner),
            st.builds(
                n.Call,
                st.sampled_from(["min", "max", "cap", "floor", "abs"]),
                st.lists(inner, min_size=1, max_size=3).map(tuple),
            ),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def _band(text: str | None, result: n.Expr) -> n.Band:
    return n.Band(None if text is None else parse_target(text), text or "否则", result)


def _method() -> st.SearchStrategy[n.Method]:
    simple = st.sampled_from([("ratio", "比例"), ("pass_fail", "达标"), ("linear_decay", "线性递减")]).map(
        lambda p: n.Method(p[0], p[1])
    )
    deduct = _num().map(
        lambda v: n.Method("deduct", "扣分", (n.Arg("each", v),))
    )  # args are stored by canonical name
    bands = st.lists(
        st.builds(_band, st.sampled_from(["≥95%", "≥90%", "≥85%"]), _num()), min_size=1, max_size=3
    ).map(lambda bs: n.Method("bands", "分档", (), (*bs, _band(None, n.Num(Fraction(0), "%")))))
    scale = st.just(n.Method("scale", "量表", (n.Arg(None, n.Var("达成度")),)))
    return st.one_of(simple, deduct, bands, scale)


def _indicator(level1: str, level2: str) -> st.SearchStrategy[n.Indicator]:
    def build(
        name: str,
        target: str,
        weight: int,
        method: n.Method | None,
        score: n.Expr | None,
        rounding: n.Rounding | None,
        note: str | None,
        extra: dict[str, object],
    ) -> n.Indicator:
        return n.Indicator(
            level1,
            level2,
            name,
            parse_target(target),
            target,
            Fraction(weight),
            method,
            rounding,
            None,
            score,
            None,
            note,
            **extra,  # type: ignore[arg-type]
        )

    return st.builds(
        build,
        NAME,
        TARGETS,
        st.integers(1, 40),
        st.none() | _method(),
        st.none() | _expr(),
        st.none() | _rounding(),
        st.none() | st.sampled_from(["见附件", "含 空格"]),
        st.fixed_dictionaries(
            {},
            optional={
                "unit_note": st.sampled_from(["表中用「个」计人数", "口语量词"]),
                "direction": st.sampled_from(["higher", "lower", "equal"]),
                "weight_percent": st.booleans(),
            },
        ),
    )


def _rounding() -> st.SearchStrategy[n.Rounding]:
    return st.builds(
        n.Rounding,
        st.none() | st.sampled_from(["indicator", "level", "budget", "total", "rate"]),
        st.none() | st.sampled_from(list(RoundingMode)),
        st.integers(0, 6),
    )


def _level_block() -> st.SearchStrategy[n.LevelBlock]:
    def build(levels: tuple[str, str], indicators: list[n.Indicator]) -> n.LevelBlock:
        seen: dict[str, n.Indicator] = {i.name: i for i in indicators}
        return n.LevelBlock(levels[0], levels[1], tuple(seen.values()))

    levels = st.sampled_from([("产出指标", "数量指标"), ("效益指标", "社会效益"), ("预算执行", "目标")])
    return levels.flatmap(lambda lv: st.lists(_indicator(*lv), max_size=4).map(lambda xs: build(lv, xs)))


def _statement() -> st.SearchStrategy[n.Statement]:
    grades = st.just(parse("评分办法 x { 等级 { 优 ≥90;  良 [80,90);  差 其余 } }").statements[0])
    scales = st.just(parse("评分办法 x { 量表 s { 好 | 很好 [80%,100%] 取 90%;  差 0% } }").statements[0])
    return st.one_of(
        st.builds(n.Meta, st.sampled_from(["department", "unit", "source", "note", "use"]), NAME),
        st.builds(n.Meta, st.just("money_unit"), st.sampled_from(["万元", "元"])),
        st.builds(n.Total, st.integers(1, 200).map(Fraction)),
        _rounding(),
        st.builds(n.KindRule, st.sampled_from(["higher", "lower", "equal", "range", "deadline"]), _method()),
        st.builds(n.ExplainWhen, _expr()),
        st.builds(n.NotApplicableRule, st.sampled_from(["rescale", "redistribute"])),
        st.builds(
            n.Budget,
            st.lists(
                st.one_of(
                    st.builds(n.Weight, st.integers(0, 30).map(Fraction), percent=st.booleans()),
                    st.builds(n.ScoreFormula, _expr()),
                    st.builds(n.Counted, st.booleans()),
                    st.builds(n.NotScored),
                    st.builds(n.RateFormula, _expr()),
                    st.builds(n.BudgetRowChoice, st.sampled_from(["本年财政拨款", "其中 上年结转"])),
                    st.builds(n.ZeroBudget, st.sampled_from(["none", "full", "error"])),
                ),
                max_size=3,
            ).map(tuple),
        ),
        st.builds(
            n.Framework,
            st.lists(
                st.builds(
                    n.Share,
                    st.sampled_from([n.BUDGET_LEVEL, "产出指标", "效益指标"]),
                    st.integers(0, 60).map(Fraction),
                ),
                min_size=1,
                max_size=3,
            ).map(tuple),
        ),
        grades,
        scales,
        st.just(
            parse("评分办法 x { 量表 达成度 通用 { 达成 | 达成预期指标 [80%,100%] 取 100% } }").statements[0]
        ),
        st.builds(
            n.Direction, NAME, st.sampled_from(["higher", "lower", "equal"]), st.none() | st.just("万元")
        ),
        st.builds(n.FormulaDef, NAME, _expr()),
        _level_block(),
    )


DOCUMENTS = st.builds(
    n.Document,
    st.sampled_from(["policy", "project"]),
    NAME,
    st.none() | st.integers(2000, 2030),
    st.lists(_statement(), max_size=6).map(tuple),
    st.sampled_from(["zh", "en"]),
).filter(lambda d: d.kind == "project" or d.year is None)
DOCUMENTS = DOCUMENTS.filter(
    lambda d: not has_errors(repeated_settings(d.statements))
)  # E130: 总分 10, 总分 20


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_generated_documents_round_trip(document: n.Document) -> None:
    printed = format_document(document)
    assert parse(printed) == document, printed
    assert format_text(printed) == printed


# -- the command ----------------------------------------------------------------------------------------


def test_cli_check_lists_files_that_would_change(tmp_path: Path) -> None:
    messy = tmp_path / "messy.jx"
    messy.write_text(read_text(CASES / "fmt" / "messy" / "input.jx"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["fmt", "--check", str(messy)])
    assert result.exit_code == 1
    assert str(messy) in result.output
    assert read_text(messy) == read_text(CASES / "fmt" / "messy" / "input.jx")


def test_cli_rewrites_then_check_passes(tmp_path: Path) -> None:
    messy = tmp_path / "messy.jx"
    messy.write_text(read_text(CASES / "fmt" / "messy" / "input.jx"), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["fmt", str(messy)]).exit_code == 0
    assert read_text(messy) == read_text(CASES / "fmt" / "messy" / "expected.jx")
    assert runner.invoke(main, ["fmt", "--check", str(messy)]).exit_code == 0


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("zh", "重新格式化 1 个文件，1 个文件无需改动，2 个文件有错误（未改动）"),
        ("en", "1 file(s) reformatted, 1 unchanged, 2 with errors (left as they are)"),
    ],
)
def test_cli_summary_counts_every_file_with_errors(tmp_path: Path, lang: str, summary: str) -> None:
    """Two broken files, one to reformat, one already formatted: each counted once, none left out."""
    (tmp_path / "a.jx").write_text(read_text(CASES / "fmt" / "messy" / "input.jx"), encoding="utf-8")
    (tmp_path / "b.jx").write_text(read_text(CASES / "fmt" / "messy" / "expected.jx"), encoding="utf-8")
    for broken in ("c.jx", "d.jx"):
        (tmp_path / broken).write_text('项目 "坏" 年度 2020 {\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(tmp_path), "--lang", lang])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == summary
    assert read_text(tmp_path / "c.jx") == '项目 "坏" 年度 2020 {\n'


def test_cli_an_actual_value_file_is_named_not_read_or_rewritten(tmp_path: Path) -> None:
    actuals = tmp_path / "2020.actuals.csv"
    text = "一级指标,二级指标,三级指标,实际完成值\n产出指标,数量指标,甲,1个\n"
    actuals.write_text(text, encoding="utf-8")
    messy = tmp_path / "messy.jx"
    messy.write_text(read_text(CASES / "fmt" / "messy" / "input.jx"), encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(actuals), str(messy)])
    assert result.exit_code == 1
    assert "error[E255]" in result.stderr and "E101" not in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1]
        == "重新格式化 1 个文件，0 个文件无需改动，1 个文件有错误（未改动）"
    )
    assert read_text(actuals) == text and read_text(messy) == read_text(
        CASES / "fmt" / "messy" / "expected.jx"
    )


def test_cli_diff_shows_the_change_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "seed.jx"
    path.write_text(read_text(SEED_RULESET).replace("  结构 {", "结构{"), encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", "--diff", str(path)])
    assert result.exit_code == 0
    assert "-结构{" in result.output and "+  结构 {" in result.output
    assert "结构{" in read_text(path)


def test_cli_keywords_en(tmp_path: Path) -> None:
    path = tmp_path / "seed.jx"
    path.write_text(read_text(SEED_RULESET), encoding="utf-8")
    assert CliRunner().invoke(main, ["fmt", "--keywords", "en", str(path)]).exit_code == 0
    text = read_text(path)
    assert text.count("project ") == 1 and "target ≥1.1万人  weight 20" in text
    assert "# 本表模板：预算执行率低于 70% 时需说明原因" in text


def test_cli_syntax_error_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "bad.jx"
    path.write_text('项目 "x" {\n  产出指标 / 数量指标 {\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 1
    assert "error[E102]" in result.output and "Traceback" not in result.output


def test_repo_rulesets_are_in_canonical_layout() -> None:
    run = CliRunner().invoke(main, ["fmt", "--check", str(ROOT / "rulesets")])
    assert run.exit_code == 0, run.output


# -- mutated real rulesets: whatever still parses must round-trip, in either keyword language ------------


def _readable(paths: list[Path]) -> list[str]:
    """The texts of the corpus files that are text at all (the error corpus has binary and GBK files)."""
    texts = []
    for path in paths:
        try:
            texts.append(read_text(path))
        except JixiaoError:
            continue
    return texts


CORPUS = _readable(sorted(CASES.glob("*/*/ruleset.jx")) + RULESETS)
MUTATION_CHARS = list(
    '{}()（）/;#"「」≥≤=<>%％万人元个0123456789.-→:|、 \n目标分值实际得分方法舍入截断位量表等级其余否则如果则且或'
)


@st.composite
def mutated_rulesets(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "copy"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(MUTATION_CHARS)) + text[at:]
        else:
            start = draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[start : start + draw(st.integers(1, 8))] + text[at:]
    return text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_rulesets())
def test_whatever_parses_round_trips_in_both_languages(text: str) -> None:
    try:
        document = parse(text, "x.jx")
    except JixiaoError:
        return
    for keywords in (None, "zh", "en"):
        printed = format_text(text, "x.jx", keywords)  # type: ignore[arg-type]
        assert replace(parse(printed, "x.jx"), keywords=document.keywords) == document
        assert format_text(printed, "x.jx", keywords) == printed  # type: ignore[arg-type]


# -- the line limit ---------------------------------------------------------------------------------------
def _one_formula(formula: str) -> str:
    row = f"    甲 目标 ≥1人 分值 90 得分 = {formula}"
    return f'项目 "x" 年度 2020 {{\n  采用 "standard/central"\n  产出指标 / 数量指标 {{\n{row}\n  }}\n}}\n'


def test_a_tight_formula_near_the_line_limit_stays_within_it(tmp_path: Path) -> None:
    """Spaces around 4 900 operators would pass 10 000 characters (E903): that file's operators stay tight."""
    formula = f"封顶({'+'.join(['1'] * 4900)}-4900+分值,分值)"
    text = _one_formula(formula)
    assert max(len(line) for line in text.splitlines()) < 10_000
    path = tmp_path / "long.jx"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["fmt", str(path)]).exit_code == 0
    printed = read_text(path)
    assert max(len(line) for line in printed.splitlines()) <= 10_000
    assert "1+1+1" in printed and '采用 "standard/central"' in printed  # the rest is formatted as ever
    assert parse(printed, "long.jx") == parse(text, "long.jx")
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", str(path)]).exit_code == 0  # idempotent
    assert "得分 = 1 + 1\n" in format_text(_one_formula("1+1"))  # a short formula is spaced


def test_a_line_too_long_even_tight_is_e914_and_the_file_stays(tmp_path: Path) -> None:
    """1 100 「且」 become 「and」: longer than a line may be however it is spaced; the file is unchanged."""
    text = _one_formula("如果 " + " 且 ".join(f"实际≠{i}" for i in range(1100)) + " 则 分值 否则 0")
    path = tmp_path / "long.jx"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0
    result = runner.invoke(main, ["fmt", "--keywords", "en", str(path)])
    assert result.exit_code == 1
    assert "long.jx:4:5: error[E914]" in result.output
    assert read_text(path) == text
    assert runner.invoke(main, ["fmt", str(path)]).exit_code == 0  # in Chinese it fits, tight
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0
