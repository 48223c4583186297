"""F108 on files as spreadsheets write them: a derived row's value (实际 = 执行率) filled in by a formula.

Excel, WPS and LibreOffice keep a computed cell as a binary double of 15 significant digits and show it
by its number format: =E6/D6 for 909.5 ÷ 970 is saved as 0.937628865979381 (or 0.93762886597938144, a
program's 17 digits) and shown as 93.76%, 93.7629% or 0.937628866. Each agrees with the computed rate;
a value that differs at its own digits (93.70%, 93.7630%, 15 digits two units off) is still F108.
Every evaluator (reference, fast, the plan's generated function, columnar) must say the same.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner
from conftest import ROOT, SEED_RULESET
from hypothesis import given
from hypothesis import strategies as st
from test_writers import soffice

import jixiao
from jixiao.cli import main
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.fast import FastEvaluator
from jixiao.io.actuals import collect_actuals
from jixiao.language.rounding import double_unit, magnitude

sys.path.insert(0, str(ROOT / "benchmarks"))

import differential

HEADER = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施"
RULESET = """项目 "执行率的写法" 年度 2020 {{
  采用 "standard/central"
  金额单位 元
  舍入 执行率 {rounding}
  产出指标 / 数量指标 {{
    预算执行率  目标 100%  分值 90  实际 = 执行率
  }}
}}
"""


def _plan(rounding: str = "四舍五入 2位") -> jixiao.engine.plan.Plan:
    return jixiao.load_ruleset(text=RULESET.format(rounding=rounding), cache=False).plan


def _project(annual: str, executed: str, written: str) -> str:
    return (
        f"{HEADER}\n预算执行,年度资金总额,全年预算数,{annual},\n预算执行,年度资金总额,全年执行数,{executed},说明\n"
        f"产出指标,数量指标,预算执行率,{written},说明\n"
    )


def _f108(plan: jixiao.engine.plan.Plan, text: str, in_int64: bool = True) -> bool:
    """Whether the reference reports F108, after checking that the fast and columnar evaluators agree (the
    columnar one computes the project unless its amounts are beyond int64: `in_int64`)."""
    fast = FastEvaluator(plan)
    for _ in range(2):  # the second time by the plan's generated function, the row remembered
        how, wrong = differential.difference(plan, fast, text)
        assert wrong is None, wrong
        assert how == "fast", how
    counts, wrongs = differential.columnar_difference(plan, fast, [text, text])
    assert wrongs == [] and counts["columnar" if in_int64 else "columnar declined"] == 2, (counts, wrongs)
    result = reference_score(plan, collect_actuals(text=text, name="<test>"))
    return "F108" in [f.code for f in result.findings]


# 850.25 ÷ 970 = 0.876546391752577319…: 87.65% rounded half up to 2 places (the rule)
@pytest.mark.parametrize(
    ("written", "differs"),
    [
        ("87.65%", False),  # the rounded rate
        ("87.7%", False),  # the rounded rate at fewer digits
        ("88%", False),
        ("87.6546%", False),  # the unrounded rate at 4 decimals (a 0.0000% cell)
        ("87.654639%", False),
        ("87.6546391752577%", False),  # its 15 significant digits
        ("0.876546391752577", False),  # the same as a General cell saves it
        ("0.87654639175257732", False),  # a program's 17 digits
        ("0.876546392", False),  # a General cell as shown
        ("0.876546391752578", False),  # 0.68 units of the 15th digit off: a double's noise
        ("87.60%", True),  # a different rate
        ("87.6547%", True),  # different at its own digits
        ("87.66%", True),
        ("0.876546391752579", True),  # 1.68 units of the 15th digit off: more than half a unit + one
        ("0.876546391752587", True),
        ("0.8765", False),  # the rounded rate as a fraction (E605 reads it two ways: either agrees)
        ("0.8764", True),
        ("—", False),  # no value: the computed one is shown
    ],
)
def test_a_written_rate_agrees_at_its_digits_or_as_a_spreadsheet_keeps_it(
    written: str, differs: bool
) -> None:
    assert _f108(_plan(), _project("970", "850.25", written)) is differs


def test_a_rate_on_a_half_agrees_as_a_spreadsheet_shows_its_15_digits() -> None:
    """87.654999999999999% is kept as 0.876550000000000 and shown as 87.66%; the rule gives 87.65%."""
    annual, executed = "100000000000000000", "87654999999999999"
    assert not _f108(_plan(), _project(annual, executed, "87.66%"), in_int64=False)
    assert not _f108(_plan(), _project(annual, executed, "0.87655"), in_int64=False)
    assert _f108(_plan(), _project(annual, executed, "87.6549%"), in_int64=False)  # 4 decimals: 87.6550
    assert _f108(_plan(), _project(annual, "87654990000000000", "87.66%"), in_int64=False)  # 87.65499%


def test_a_truncated_rule_and_a_cell_rounding_what_it_shows() -> None:
    """The rule truncates to 99.99%; the 0.00% cell shows 0.999999666666667 as 100.00%."""
    plan = _plan("截断 2位")
    assert not _f108(plan, _project("3000000", "2999999", "100.00%"))
    assert not _f108(plan, _project("3000000", "2999999", "99.99%"))
    assert not _f108(plan, _project("3000000", "2999999", "0.999999666666667"))
    assert _f108(plan, _project("3000000", "2999999", "99.98%"))


def test_a_rate_written_truncated_past_a_truncating_rule_s_digits() -> None:
    """The rule truncates (截断): a cell truncated at more digits agrees (93.7628% for 93.76288…%), one
    at the rule's digits is read as before (93.77% is not 93.76%); rounding half up (the default) it is
    F108, and the finding shows the rate at the digits written."""
    truncating, rounding = _plan("截断 2位"), _plan()
    for written in ("93.7628%", "93.762%", "93.76288%", "0.937628"):
        assert not _f108(truncating, _project("970", "909.5", written)), written
        assert _f108(rounding, _project("970", "909.5", written)), written
    assert _f108(truncating, _project("970", "909.5", "93.77%"))
    assert _f108(truncating, _project("970", "909.5", "93.7627%"))
    said = reference_score(truncating, collect_actuals(text=_project("970", "909.5", "93.7100%"), name="a"))
    assert [f.args["derived"] for f in said.findings if f.code == "F108"] == ["93.7628%"]
    said = reference_score(rounding, collect_actuals(text=_project("970", "909.5", "93.7100%"), name="a"))
    assert [f.args["derived"] for f in said.findings if f.code == "F108"] == ["93.7629%"]


def test_the_seed_s_row_truncating_its_score_takes_a_truncated_rate(tmp_path: Path) -> None:
    """The seed's 预算执行率 row rounds 截断 2位; its table writing 93.7628% (909.5 ÷ 970 truncated) is no
    F108; 93.7100% is, its message showing 93.7628%."""
    official = (ROOT / "tests" / "tables" / "seed-official.csv").read_text(encoding="utf-8")
    assert ",93.76%,1.00,0.93," in official
    for written, said in (("93.7628%", None), ("93.7100%", "按规则计算为 93.7628%")):
        path = tmp_path / "a.csv"
        path.write_text(official.replace(",93.76%,1.00,0.93,", f",{written},1.00,0.93,"), encoding="utf-8")
        out = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path)]).stdout
        assert ("F108" in out) is (said is not None), out
        assert said is None or said in out, out


def _half_up(value: Fraction, places: int) -> Decimal:
    scaled = value * 10**places
    return Decimal(int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))).scaleb(
        -places
    )


# 全年预算数 and 全年执行数 in cents, the rate between 0.1% and 1200% (written without an exponent)
budgets = st.tuples(st.integers(10**4, 10**10), st.integers(1, 10**10)).filter(
    lambda b: b[0] <= 1000 * b[1] <= 12000 * b[0]
)


@given(budgets, st.integers(0, 8))
def test_what_a_spreadsheet_shows_or_keeps_of_the_rate_is_never_f108(
    budget: tuple[int, int], places: int
) -> None:
    plan = _plan()
    annual, executed = (Fraction(cents, 100) for cents in budget)
    rate = executed / annual
    double = float(rate)  # what the spreadsheet keeps of =E6/D6, written as it writes it
    shown = [
        f"{_half_up(rate * 100, places):f}%",
        f"{double:.15g}",
        repr(double),
        f"{Decimal(f'{double:.15g}') * 100:f}%",
    ]
    for written in shown:
        assert not _f108(plan, _project(_text(annual), _text(executed), written)), written


@given(budgets, st.integers(2, 8), st.integers(2, 9), st.booleans())
def test_a_rate_two_units_off_at_its_digits_is_f108(
    budget: tuple[int, int], places: int, units: int, up: bool
) -> None:
    plan = _plan()
    annual, executed = (Fraction(cents, 100) for cents in budget)
    rate = executed / annual
    written = _half_up(rate * 100, places) + (units if up else -units) * Decimal(1).scaleb(-places)
    rounded = _half_up(rate * 100, 2)
    if abs(Fraction(written) - Fraction(rounded)) <= Fraction(1, 10**places):
        return  # it is the rule's rounded rate at its digits (87.6500% for 87.6498%): that agrees
    assert _f108(plan, _project(_text(annual), _text(executed), f"{written:f}%"))


@given(budgets, st.integers(3, 8))
def test_a_truncating_rule_s_rate_truncated_at_more_digits_is_never_f108(
    budget: tuple[int, int], places: int
) -> None:
    plan = _plan("截断 2位")
    annual, executed = (Fraction(cents, 100) for cents in budget)
    scaled = executed / annual * 100 * 10**places
    written = Decimal(scaled.numerator // scaled.denominator).scaleb(-places)
    assert not _f108(plan, _project(_text(annual), _text(executed), f"{written:f}%")), written


def _text(amount: Fraction) -> str:
    return f"{Decimal(amount.numerator) / Decimal(amount.denominator):f}"


# -- the digits of a double, exactly --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 0),
        ("9.99", 0),
        ("10", 1),
        ("0.1", -1),
        ("0.0999", -2),
        ("87.65", 1),
        ("1/3", -1),
        ("1e-40", -40),
    ],
)
def test_the_magnitude_of_a_fraction_is_exact(value: str, expected: int) -> None:
    number = Fraction(value)
    assert magnitude(number.numerator, number.denominator) == expected
    assert double_unit(number) == Fraction(10) ** (expected - 14)
    assert double_unit(-number) == double_unit(number)


def test_the_magnitude_of_huge_and_tiny_numbers_stays_quick() -> None:
    """Numbers of 4,096 bits (MAX_NUMBER_BITS) either way: a few comparisons, not a loop over digits."""
    for value in (
        Fraction(2**4096 - 1, 3),
        Fraction(3, 2**4096 - 1),
        Fraction(10**1233),
        Fraction(1, 10**1233),
    ):
        found = magnitude(value.numerator, value.denominator)
        assert Fraction(10) ** found <= value < Fraction(10) ** (found + 1)
    assert double_unit(Fraction(0)) == 0


# -- workbooks ----------------------------------------------------------------------------------------------
FORMATS = {"0.00%": "93.76%", "0.0000%": "93.7629%", "General": "0.937628865979381", "0.0%": "93.8%"}


def _official(folder: Path, number_format: str, value: object = "=E6/D6", cached: str | None = None) -> Path:
    """The seed table with the 预算执行率 row's actual value a formula (or `value`) in `number_format`."""
    table = seedfiles.SEED.replaced("预算执行率", actual=value)
    path = seedfiles.official_book(folder, [("自评表", table)], "official.xlsx")
    _formatted(path, "E14", number_format)
    if cached is not None:
        seedfiles.set_cached(
            path, {"F6": seedfiles.CACHED["F6"], "H6": seedfiles.CACHED["H6"], "E14": cached}
        )
    return path


def _columns(folder: Path, number_format: str, value: object = None, cached: str | None = None) -> Path:
    """The seed's actual values in columns with the 预算执行率 row a formula (or `value`): 全年执行数 ÷
    全年预算数 of the rows above."""
    path = seedfiles.simple_workbook(folder, "columns.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["实际值"]
    where = {(sheet.cell(r, 2).value, sheet.cell(r, 3).value): r for r in range(2, sheet.max_row + 1)}
    annual, executed = where[("年度资金总额", "全年预算数")], where[("年度资金总额", "全年执行数")]
    row = where[("投入管理", "预算执行率")]
    sheet.cell(row, 4).value = value if value is not None else f"=D{executed}/D{annual}"
    sheet.cell(row, 4).number_format = number_format
    book.save(path)
    if cached is not None:
        seedfiles.set_cached(path, {f"D{row}": cached})
    return path


def _formatted(path: Path, cell: str, number_format: str) -> None:
    book = openpyxl.load_workbook(path)
    book.active[cell].number_format = number_format
    book.save(path)


def _codes(path: Path) -> tuple[str, list[str], str]:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    row = next(i for i in result.indicators if i.name == "预算执行率")
    return str(row.actual), [f.code for f in result.findings], run.output


LAYOUTS = {"official": _official, "columns": _columns}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("number_format", list(FORMATS))
def test_a_formula_cell_as_excel_saves_it_is_no_f108(layout: str, number_format: str, tmp_path: Path) -> None:
    """=E6/D6 with the value Excel saves (17 digits), read as its format shows it."""
    path = LAYOUTS[layout](tmp_path, number_format, cached="0.93762886597938144")
    _, codes, output = _codes(path)
    assert "F108" not in codes and '"total": "99.31"' in output
    assert FORMATS[number_format] in output


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize(
    ("value", "differs"),
    [
        (0.937628865979381, False),
        (0.9376, False),
        (0.937629, False),
        (0.937, True),
        (0.937630, False),
        (0.93764, True),
    ],
)
def test_a_typed_rate_in_a_percent_cell(layout: str, value: float, differs: bool, tmp_path: Path) -> None:
    """A value typed or pasted (15 digits at most: read as typed, 93.7628865979381%), in a 0.00% cell."""
    path = LAYOUTS[layout](tmp_path, "0.00%", value=value)
    _, codes, _ = _codes(path)
    assert ("F108" in codes) is differs


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_formulas_libreoffice_computed_are_no_f108(tmp_path: Path) -> None:
    """Both layouts, each number format, saved by LibreOffice with the values it computed."""
    made, out = tmp_path / "made", tmp_path / "lo"
    sources = []
    for number, number_format in enumerate(FORMATS):
        for layout, write in LAYOUTS.items():
            folder = made / f"{layout}{number}"
            folder.mkdir(parents=True)
            sources.append(write(folder, number_format))
    profile = (tmp_path / "profile").as_uri()
    for source in sources:
        target = out / source.parent.name
        args = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx"]
        subprocess.run(
            [*args, "--outdir", str(target), str(source)], check=True, capture_output=True, timeout=180
        )
        actual, codes, output = _codes(target / source.name)
        assert "F108" not in codes and '"total": "99.31"' in output, (source, actual, codes)


def test_the_cells_read_as_shown_or_typed(tmp_path: Path) -> None:
    """What the comparison is given: a formula rounded to its format, a typed value as typed."""
    for number_format, shown in FORMATS.items():
        folder = tmp_path / number_format.replace("%", "p").replace(".", "_")
        folder.mkdir()
        actual = collect_actuals(_columns(folder, number_format, cached="0.93762886597938144"))
        assert next(e.row.actual for e in actual.entries if e.row.name == "预算执行率") == shown
    folder = tmp_path / "typed"
    folder.mkdir()
    actual = collect_actuals(_columns(folder, "0.00%", value=0.937628865979381))
    assert next(e.row.actual for e in actual.entries if e.row.name == "预算执行率") == "93.7628865979381%"


def test_a_rate_above_100_percent_in_a_general_cell() -> None:
    """995.12 ÷ 970 = 1.02589690721649…: a General cell shows 1.025896907 and keeps 1.02589690721649,
    a bare number above 1 that a percentage reads as 1.0259% unless read as a fraction (either agrees)."""
    for written in ("1.025896907", "1.02589690721649", "1.025896907216495", "102.59%", "1.0259"):
        assert not _f108(_plan(), _project("970", "995.12", written)), written
    assert _f108(_plan(), _project("970", "995.12", "1.0249"))
