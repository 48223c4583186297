"""The official layout's budget block as tables fill it in (workbooks built with openpyxl, as the seed
table's in seedfiles.py): money units declared in two places (E531), a 合计 / 总计 row as 年度资金总额, a
block that cannot be read (E510 pointing into it), an 一级 cell merged across the 二级 column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner
from conftest import SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import Diagnostic
from jixiao.io.actuals import collect_actuals

Sheet = openpyxl.worksheet.worksheet.Worksheet


def workbook(folder: Path, change: Callable[[Sheet], None], name: str = "自评表.xlsx") -> Path:
    """The seed table in the official layout with `change` made to its sheet (formulas' values cached)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    seedfiles.write_official(sheet)
    change(sheet)
    path = folder / name
    book.save(path)
    seedfiles.set_cached(path, seedfiles.CACHED)
    return path


def cells(**values: object) -> Callable[[Sheet], None]:
    def change(sheet: Sheet) -> None:
        for ref, value in values.items():
            sheet[ref] = value

    return change


def errors(path: Path) -> list[Diagnostic]:
    return [d for d in collect_actuals(path).diagnostics if d.severity.value == "error"]


def total(path: Path) -> str:
    return jixiao.load_ruleset(SEED_RULESET).score(path).total.text()


# -- 1. a money unit declared twice -------------------------------------------------------------------
# (cells changed, the cell of the second unit, the first unit's row, cell text and unit, the second's)
TITLE = "项目绩效自评（单位：{}）"
TWO_UNITS = [
    ({"A1": TITLE.format("元")}, "A5", 1, TITLE.format("元"), "元", "项目资金（万元）", "万元"),
    ({"A2": "（2020年度）单位：万元", "A5": "项目资金（元）"}, "A5", 2, "（2020年度）单位：万元", "万元",
     "项目资金（元）", "元"),
    ({"A5": "项目资金", "D5": "全年预算数（元）"}, None, 0, "", "", "", ""),  # one unit: read in 元
    ({"A1": TITLE.format("万元"), "A5": "项目资金", "D5": "全年预算数（元）"}, "D5", 1, TITLE.format("万元"),
     "万元", "全年预算数（元）", "元"),
    ({"A1": TITLE.format("千元"), "C5": "年初预算数（千元）"}, "A5", 1, TITLE.format("千元"), "千元",
     "项目资金（万元）", "万元"),
    ({"A1": TITLE.format("万元")}, None, 0, "", "", "", ""),  # the same unit twice
    ({"A2": "（2020年度）填报单位：元江县社保局"}, None, 0, "", "", "", ""),  # a name, not 单位：元
]  # fmt: skip


@pytest.mark.parametrize(("change", "at", "row", "first", "a", "second", "b"), TWO_UNITS)
def test_two_cells_declaring_different_money_units_are_an_error(
    change: dict[str, str], at: str | None, row: int, first: str, a: str, second: str, b: str, tmp_path: Path
) -> None:
    """The title's 单位：元 and the block's 项目资金（万元） (or a figure's header) give the amounts two units:
    the first was taken silently (350.00 read as 元 under 项目资金（万元）). E531 at the second cell, naming
    both; no amount is read."""
    path = workbook(tmp_path, cells(**change))
    found = errors(path)
    if at is None:
        assert found == [] and total(path) == "99.31"
        return
    (diag,) = found
    assert diag.code == "E531" and diag.span is not None
    assert (diag.span.line, diag.span.column) == (int(at[1:]), ord(at[0]) - 64)
    assert diag.message("zh") == (
        f"第{row}行「{first}」写的金额单位是「{a}」，"
        f"第{int(at[1:])}行「{second}」写的金额单位是「{b}」：970.00 是 970.00{a} 还是 970.00{b}？"
    )
    assert "does 970.00 mean 970.00" in diag.message("en")
    assert f"删去「{first}」或「{second}」中的单位" in (diag.help("zh") or "")
    assert collect_actuals(path).budget == []


SIMPLE = (
    "一级指标,二级指标,三级指标{unit},实际完成值{header}\n预算执行,年度资金总额,全年预算数{cell},970.00\n"
)


@pytest.mark.parametrize(
    ("title", "unit", "header", "cell", "at"),
    [
        ("自评表（单位：万元）", "", "（元）", "", (2, 4)),  # the CSV took the header's unit silently
        ("自评表（单位：元）", "", "（万元）", "", (2, 4)),
        ("单位：万元", ",计量单位", "", ",元", (3, 4)),  # a budget row's 计量单位 cell
        ("单位：万元", ",计量单位", "", ",万元", None),  # the cell completes the number in the title's unit
        ("单位：万元", "", "（万元）", "", None),
        ("单位：万元", "", "", "", None),
    ],
)
def test_a_simple_tables_title_unit_and_its_amounts_unit_must_agree(
    title: str, unit: str, header: str, cell: str, at: tuple[int, int] | None
) -> None:
    text = title + "\n" + SIMPLE.format(unit=unit, header=header, cell=cell)
    read = collect_actuals(text=text, name="实际值.csv")
    if at is None:
        assert read.diagnostics == []
        (figure,) = read.budget
        assert figure.quantity.text() == "970万元"
        return
    (diag,) = read.diagnostics
    assert diag.code == "E531" and diag.span is not None
    assert (diag.span.line, diag.span.column) == at
    assert diag.message("zh").endswith("970.00 是 970.00万元 还是 970.00元？") or diag.message("zh").endswith(
        "970.00 是 970.00元 还是 970.00万元？"
    )
    assert read.budget == [] and read.budget_unreadable


# -- 2. the block's total row written 合计 / 总计 -------------------------------------------------------
def total_below(label: str) -> Callable[[Sheet], None]:
    """The fund sources first, the total last (as K3 of the tester's tables): 本年财政拨款, 其他资金, 合计."""

    def change(sheet: Sheet) -> None:
        sheet["B6"], sheet["B7"], sheet["B8"] = "其中：本年财政拨款", "其他资金", label
        for column in "CDE":
            sheet[f"{column}8"] = sheet[f"{column}6"].value
        sheet["C7"], sheet["D7"], sheet["E7"] = 0, 0, 0
        for column, value in zip("FGH", (0.9376, 10, 9.38), strict=True):
            sheet[f"{column}6"], sheet[f"{column}8"] = None, value

    return change


@pytest.mark.parametrize("label", ["合计", "总计", "合计：", "合　计"])
@pytest.mark.parametrize("where", ["top", "bottom"])
def test_a_total_row_labelled_heji_is_the_years_total(label: str, where: str, tmp_path: Path) -> None:
    """合计 / 总计 name 年度资金总额 (docs/files.md), as in a simple table; in the budget block they ended it:
    on the first row the whole block was dropped, under the sources the row was ignored (E510, and
    `audit` recomputed without the budget: 85.02 良 beside 94.54 优)."""
    change = cells(B6=label) if where == "top" else total_below(label)
    path = workbook(tmp_path, change)
    read = collect_actuals(path)
    assert read.diagnostics == []
    figures = {(f.row, f.figure): f.quantity.text() for f in read.budget}
    assert figures[("年度资金总额", "全年预算数")] == "970万元"
    assert figures[("本年财政拨款", "全年执行数")] == "909.5万元"
    assert read.printed["执行率"].text
    assert total(path) == "99.31"


def test_a_budget_block_without_its_total_row_says_so_at_the_block(tmp_path: Path) -> None:
    """No 年度资金总额 row in the block (only fund sources): the error was E510 at the indicator header,
    with help about a simple table's 预算执行 rows. Now E535 at the block, with help about the block."""
    path = workbook(tmp_path, cells(B6="上年结转资金"))
    with pytest.raises(jixiao.JixiaoError) as info:
        total(path)
    (diag,) = info.value.diagnostics
    assert diag.code == "E535" and diag.span is not None
    assert (diag.span.line, diag.span.column) == (5, 1)
    assert "预算块" in diag.message("zh") and "「合计」「总计」" in (diag.help("zh") or "")
    assert "budget block" in diag.message("en")


def test_a_simple_tables_missing_budget_row_is_still_e510() -> None:
    text = "一级指标,二级指标,三级指标,实际完成值\n产出指标,数量指标,享受补贴人数,1.11万人\n"
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(collect_actuals(text=text, name="实际值.csv"))
    assert "E510" in [d.code for d in info.value.diagnostics]


# -- 3. an 一级 cell merged across the 二级 column ---------------------------------------------------------
SATISFACTION = 14 + next(i for i, row in enumerate(seedfiles.INDICATORS) if row[0] == "满意度指标")


def across(label: str) -> Callable[[Sheet], None]:
    """The 满意度指标 row's 一级 and 二级 cells as one merged cell (A:B) reading `label`."""

    def change(sheet: Sheet) -> None:
        sheet[f"B{SATISFACTION}"] = None
        sheet[f"A{SATISFACTION}"] = label
        sheet.merge_cells(f"A{SATISFACTION}:B{SATISFACTION}")

    return change


def test_an_level1_cell_merged_across_level2_gives_no_level2(tmp_path: Path) -> None:
    """The user sees one cell 「满意度指标」 spanning both columns: one label for the 一级, the 二级 not given
    (matched by the 三级 name). Its copy in the 二级 column was read as the 二级 (E515 「满意度指标/满意度指标」)."""
    path = workbook(tmp_path, across("满意度指标"))
    read = collect_actuals(path)
    assert read.diagnostics == []
    (entry,) = [e for e in read.entries if e.row.level1 == "满意度指标"]
    assert (entry.row.level1, entry.row.level2, entry.row.name) == ("满意度指标", "", "享受补贴群众满意度")
    assert total(path) == "99.31"


def test_a_merged_level_cell_that_names_the_level2_is_reported_at_the_merged_cell(tmp_path: Path) -> None:
    """The merged cell names the 二级 (服务对象满意度): read as the 一级, it is E515, the place naming both
    columns, so the message says the cell spans them."""
    path = workbook(tmp_path, across("服务对象满意度"))
    with pytest.raises(jixiao.JixiaoError) as info:
        total(path)
    (diag,) = info.value.diagnostics
    assert diag.code == "E515" and diag.span is not None
    assert (diag.span.line, diag.span.column, diag.span.column_name) == (SATISFACTION, 1, "一级指标+二级指标")
    assert "「服务对象满意度/」" in diag.message("zh")


@pytest.mark.parametrize("label", ["合计", "总计"])
def test_a_total_row_labelled_heji_in_the_official_layout_saved_as_csv(label: str, tmp_path: Path) -> None:
    """The same table saved as CSV (tests/tables/seed-official.csv), its total row last."""
    seed = (Path(__file__).parent / "tables" / "seed-official.csv").read_text(encoding="utf-8")
    total_row = ",年度资金总额：,970.00,970.00,909.50,93.76%,10.00,9.38\n"
    assert total_row in seed
    others = ",其中：本年财政拨款,970.00,970.00,909.50,,,\n,其他资金,0.00,0.00,0.00,,,\n"
    table = seed.replace(total_row, "").replace(others, others + total_row.replace("年度资金总额：", label))
    path = tmp_path / "自评.csv"
    path.write_text(table, encoding="utf-8")
    read = collect_actuals(path)
    assert read.diagnostics == [] and read.printed["执行率"].text == "93.76%"
    assert total(path) == "99.31"


def test_import_says_the_budget_is_missing_at_the_block(tmp_path: Path) -> None:
    """`jixiao import` of a block without its total row: W178 points at the block, not the indicator header."""
    path = workbook(tmp_path, cells(B6="上年结转资金"))
    done = CliRunner().invoke(main, ["import", str(path), "--policy", "standard/central", "--output",
                                     str(tmp_path / "out")])  # fmt: skip
    assert "warning[W178]" in done.output
    assert "自评表.xlsx:5:1:" in done.output.split("warning[W178]")[0].splitlines()[-1]


# -- 4. a 二级 written once per group, left blank (not merged) below, beside a merged 一级 ----------------
def _level2_unmerged(sheet: Sheet) -> None:
    """Column B's merged runs undone: the 二级 in the group's first row, blank below (column A merged)."""
    for merged in [r for r in sheet.merged_cells.ranges if r.min_col == r.max_col == 2 and r.min_row >= 14]:
        sheet.unmerge_cells(str(merged))


def test_a_blank_level2_beside_a_merged_level1_is_as_above(tmp_path: Path) -> None:
    """The merged 一级 gives each row its text; a blank 二级 beside it was read as none (「产出指标//…」,
    F171/F172 in audit), where the same cells without merges continue the 二级 above (空白即同上)."""
    merged = collect_actuals(workbook(tmp_path, lambda sheet: None, "merged.xlsx"))
    path = workbook(tmp_path, _level2_unmerged)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B15"].value is None and "A14:A23" in {str(r) for r in sheet.merged_cells.ranges}
    read = collect_actuals(path)
    assert read.diagnostics == []
    levels = [(e.row.level1, e.row.level2, e.row.name) for e in read.entries]
    assert levels == [(e.row.level1, e.row.level2, e.row.name) for e in merged.entries]
    assert ("投入和管理目标", "投入管理", "预算编制合理性") in levels
    assert total(path) == "99.31"


def test_a_heji_row_beside_a_merged_level1_is_a_subtotal(tmp_path: Path) -> None:
    """合计 in the 三级 column, its 一级 the merged 产出指标: it was imported as an 80-point indicator (方法
    认定), counted twice."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目支出绩效自评表"])
    sheet.merge_cells("A1:H1")
    sheet.append(
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    )
    sheet.append(["产出指标", "数量指标", "培训人数", "≥100人", "100人", 30, 30, None])
    sheet.append([None, None, "培训场次", "≥10次", "10次", 20, 20, None])
    sheet.append([None, "质量指标", "合格率", "≥90%", "95%", 30, 30, None])
    sheet.append([None, None, "合计", None, None, 80, 80, None])
    sheet.append(["满意度指标", "服务对象满意度", "满意度", "≥90%", "95%", 10, 10, None])
    sheet.append(["合计", None, None, None, None, 90, 90, None])
    sheet.merge_cells("A3:A6")
    path = tmp_path / "表.xlsx"
    book.save(path)
    done = CliRunner().invoke(
        main, ["import", str(path), "--policy", "standard/central", "--output", str(tmp_path)]
    )
    assert "error" not in done.output, done.output
    (ruleset,) = tmp_path.glob("*.jx")
    text = ruleset.read_text(encoding="utf-8")
    assert '  产出指标 {\n    小计 "合计"    分值 80\n  }\n' in text and "方法 认定" not in text
    assert (
        "  产出指标 / 数量指标 {\n    培训人数  目标 ≥100人  分值 30\n    培训场次  目标 ≥10次   分值 20\n  }\n"
        in text
    )
