"""Done when: the seed's actual values in every format staff use score 99.31 / 优 through `jixiao score`."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner
from conftest import SEED_RULESET
from test_writers import soffice

import jixiao
from jixiao.cli import main
from jixiao.io.actuals.xlsx import read_workbook

WRITERS = seedfiles.FORMATS


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_format_scores_the_seed_through_the_cli(kind: str, tmp_path: Path) -> None:
    path = WRITERS[kind](tmp_path)
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    document = jixiao.render(jixiao.load_ruleset(SEED_RULESET).score(path), "json")
    assert '"total": "99.31"' in run.output and '"grade": "优"' in run.output
    assert document == run.output.rstrip("\n")


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_format_reads_the_same_rows(kind: str, tmp_path: Path) -> None:
    reference = jixiao.load_actuals(seedfiles.SEED_ACTUALS)
    read = jixiao.load_actuals(WRITERS[kind](tmp_path))
    assert [(e.row.name, e.row.actual, e.row.note) for e in read.entries] == [
        (e.row.name, e.row.actual, e.row.note) for e in reference.entries
    ]
    figures = {(f.row, f.figure): f.quantity.number for f in read.budget}
    assert figures[("年度资金总额", "全年执行数")] == figures[("本年财政拨款", "全年执行数")] == 909.5


def test_the_official_workbook_keeps_what_the_table_prints(tmp_path: Path) -> None:
    actuals = jixiao.load_actuals(seedfiles.official_workbook(tmp_path))
    printed = {k: v.text for k, v in actuals.printed.items()}
    assert printed == {
        "执行率": "93.76%",
        "预算分值": "10.00",
        "预算得分": "9.38",
        "总分值": "100.00",
        "总得分": "99.31",
    }
    rate = actuals.printed["执行率"].span
    assert (rate.sheet, rate.line, rate.column, rate.column_name) == (
        "自评表",
        6,
        6,
        "执行率",
    )  # a formula's cached value
    assert (
        actuals.info["实施单位"] == "郑州市上街区人力资源和社会保障局机关" and actuals.info["年度"] == "2020"
    )
    assert [(e.row.level1, e.row.level2) for e in actuals.entries[1:4]] == [
        ("投入和管理目标", "投入管理"),
        ("投入和管理目标", "投入管理"),
        ("投入和管理目标", "财务管理"),
    ]  # fmt: skip  (merged level cells)
    assert [(e.row.weight, e.row.score) for e in actuals.entries[:1]] == [("1.00", "0.93")]


def test_input_options_on_the_command_line(tmp_path: Path) -> None:
    text = seedfiles.csv_file(tmp_path, "gb18030")
    data = tmp_path / "实际值.dat"
    data.write_bytes(text.read_bytes())
    book = seedfiles.simple_workbook(tmp_path)
    runs = {
        "encoding": ["--encoding", "gb18030", str(text)],
        "wrong encoding": ["--encoding", "utf-16", str(text)],
        "format": ["--input-format", "csv", str(data)],
        "sheet": ["--sheet", "实际值", str(book)],
        "missing sheet": ["--sheet", "实际", str(book)],
    }
    outcome = {k: CliRunner().invoke(main, ["score", str(SEED_RULESET), *args]) for k, args in runs.items()}
    assert {k: r.exit_code for k, r in outcome.items()} == {
        "encoding": 0, "wrong encoding": 1, "format": 0, "sheet": 0, "missing sheet": 1,
    }  # fmt: skip
    assert "E126" in outcome["wrong encoding"].output
    assert "是不是要写「实际值」" in outcome["missing sheet"].output


def test_a_remark_right_of_a_sheets_table_is_not_a_shifted_row(tmp_path: Path) -> None:
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"]["H21"] = "人数以社保系统为准"
    book.save(path)
    assert jixiao.load_ruleset(SEED_RULESET).score(path).total.text() == "99.31"


@pytest.mark.parametrize(
    ("number_format", "shown"), [('"$"#,##0', "$"), ("[$€-407]#,##0", "€"), ("[$USD] 0", "USD")]
)
def test_a_foreign_currency_format_is_an_error_at_its_cell(
    tmp_path: Path, number_format: str, shown: str
) -> None:
    """A number in a $ (€, USD) cell is no amount in 元 nor a bare number: E505 at the cell, in zh and en."""
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"]["D21"] = 11100
    book["实际值"]["D21"].number_format = number_format
    book.save(path)
    for lang, said in (("zh", f"「{shown}」不是人民币"), ("en", f"“{shown}” is not 人民币")):
        run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--lang", lang])
        assert run.exit_code == 1, run.output
        assert "error[E505]" in run.output and "(D21)" in run.output and said in run.output, run.output


def test_a_formula_saved_without_its_value_is_said_to_be_a_formula(tmp_path: Path) -> None:
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"]["D21"] = "=B2*2"  # openpyxl saves formulas without values, as some programs do
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.args["text"], diag.span and diag.span.line) == ("E509", "=B2*2", 21)


@pytest.mark.parametrize(
    ("cell", "formula"),
    [("D21", "=95%"), ("D21", "=1"), ("D2", "=C2*0.9376")],  # an actual value; a budget amount (D2)
)
def test_a_formula_saved_without_its_value_is_never_read_as_one(
    tmp_path: Path, cell: str, formula: str
) -> None:
    """A formula a program saved without its value is E509 at its cell, whatever its text looks like: =95%
    was read as the value 95% (F128, scored), =1 asked whether 1 meant 100% (E605), =C2*0.9376 on a
    budget row was E505 with help for typing amounts (xt19w)."""
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"][cell] = formula
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.args["text"], diag.span and diag.span.line) == ("E509", formula, int(cell[1:]))


def test_the_engines_xlsx_output_reads_back(tmp_path: Path) -> None:
    """The shape `jixiao score --format xlsx` writes (main, issue 8 output): read back, it scores the same."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = seedfiles.PROJECT
    rows: list[list[object]] = [
        ["项目绩效自评（2020年度）"],
        ["项目名称", seedfiles.PROJECT],
        ["主管部门", "[332]郑州市上街区人力资源和社会保障局"],
        ["实施单位", "郑州市上街区人力资源和社会保障局机关"],
        ["评分办法", "项目支出绩效自评（通用）"],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"],
        [None, "年度资金总额", 970, 970, 909.5, 0.9376, 10, 9.38],
        [None, "其中：本年财政拨款", 970, 970, 909.5, "", "", ""],
        [None, "其中：其他资金", 0, 0, 0, "", "", ""],
        ["绩效指标"],
        seedfiles.INDICATOR_HEADER,
    ]
    for l1, l2, name, target, actual, weight, score, note in seedfiles.INDICATORS:
        shown = actual if isinstance(actual, str) else ("93.76%" if actual != 1 else "100%")
        rows.append([l1, l2, name, target, shown, weight, score, note])
    rows.append(["总分值 / 总得分", None, None, None, None, 100, 99.31, "等级：优"])
    for row in rows:
        sheet.append(row)
    for merged in ("A1:H1", "B2:H2", "B3:H3", "B4:H4", "B5:H5", "A6:A9", "A10:H10", "A29:E29"):
        sheet.merge_cells(merged)
    sheet["F7"].number_format = "0.00%"
    findings = book.create_sheet("复核提示")
    findings.append(["代码", "指标", "说明"])
    findings.append(["F107", "产出指标/数量指标/享受补贴人数", "实际值为约数"])
    path = tmp_path / "评分表.xlsx"
    book.save(path)
    actuals = jixiao.load_actuals(path)
    assert (actuals.layout, actuals.sheet) == ("jixiao", seedfiles.PROJECT)
    printed = {k: v.text for k, v in actuals.printed.items()}
    assert printed == {
        "执行率": "93.76%",
        "预算分值": "10",
        "预算得分": "9.38",
        "总分值": "100",
        "总得分": "99.31",
        "等级": "优",
    }
    assert jixiao.load_ruleset(SEED_RULESET).score(actuals).total.text() == "99.31"


def _rate_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["C1"] = 970, 909.5, "=B1/A1"
    sheet["C1"].number_format = "0.00%"
    book.save(path)
    return path


def test_a_formulas_value_is_read_as_its_cell_shows_it_whatever_its_digits(tmp_path: Path) -> None:
    """LibreOffice saves =B1/A1 (909.5 ÷ 970) as 0.937628865979381: 15 significant digits, which passed
    for a typed value (93.7628865979381%, a false F164 in audit). A formula's value is read as shown."""
    path = _rate_book(tmp_path / "rate.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>B1/A1</f><v />", b"<f>B1/A1</f><v>0.937628865979381</v>")
    parts[sheet] = parts[sheet].replace(b"<f>B1/A1</f></c>", b"<f>B1/A1</f><v>0.937628865979381</v></c>")
    assert b"0.937628865979381" in parts[sheet]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (grid,) = read_workbook(path.read_bytes(), str(path))
    assert grid.rows[0].cells == ("970", "909.5", "93.76%")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_a_workbook_libreoffice_computed_reads_its_formulas_as_shown(tmp_path: Path) -> None:
    source = _rate_book(tmp_path / "made.xlsx")
    profile = (tmp_path / "profile").as_uri()
    out = tmp_path / "lo"
    args = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir"]
    subprocess.run([*args, str(out), str(source)], check=True, capture_output=True, timeout=180)
    (grid,) = read_workbook((out / "made.xlsx").read_bytes(), "lo.xlsx")
    assert grid.rows[0].cells == ("970", "909.5", "93.76%")


# Formats that place text among the digits, in the forms LibreOffice also understands (it shows Excel's
# `!.` as the characters `!.`: `0!.0000"万元"` cases are in test_readers_inputs)
PLACED = [
    (12900, '0"."0000"万元"'),
    (12900, '0"."0,"万元"'),
    (3333330.5, '0"."0000"万元"'),
    (129, '#"."0000'),
    (0.4, '0"."0000'),
    (-12900, '0"."0000"万元"'),
    (-5, '0"."0;(0"."0)'),
    (-0.04, '0"."0'),
    (1290, '0"."00%'),
    (12.55, '0.0"x"0'),
    (1.05, '0.#"x"#'),
    (1.5, '0.0"x"#'),
    (1234567, "000-0000"),
    (123456, '0" "000'),
    (12900, "0.0\\万0"),
    (129, '?"."????'),
]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_text_among_the_digits_reads_as_libreoffice_shows_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row, (value, number_format) in enumerate(PLACED, start=1):
        cell = book.active.cell(row, 1, value)
        cell.number_format = number_format
    source = tmp_path / "placed.xlsx"
    book.save(source)
    profile = (tmp_path / "profile").as_uri()
    as_shown = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"  # UTF-8, cells as shown
    args = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", as_shown, "--outdir"]
    subprocess.run([*args, str(tmp_path / "lo"), str(source)], check=True, capture_output=True, timeout=180)
    shown = (tmp_path / "lo" / "placed.csv").read_text(encoding="utf-8").splitlines()
    (grid,) = read_workbook(source.read_bytes(), str(source))
    read = [row.cells[0] for row in grid.rows]
    assert read == [line.strip('"') for line in shown]
    assert read[:2] == ["1.2900万元", "1.3万元"]
