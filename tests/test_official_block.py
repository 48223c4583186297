"""The official layout's budget block as tables fill it in (workbooks built with openpyxl, as the seed
table's in seedfiles.py): money units declared in two places (E531), a 合计 / 总计 row as 年度资金总额, a
block that cannot be read (E510 pointing into it), an 一级 cell merged across the 二级 column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from conftest import SEED_RULESET

import jixiao
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
