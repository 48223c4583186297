"""The seed's actual values saved the way staff save them: encodings, workbooks, YAML/JSON, the official layout.

Every writer takes a folder and returns the file it made. The official workbook reproduces the seed
table as printed (/work/shared/seed/seed-table.yaml): title rows, project info, the budget block with
its fund-source rows, the goals, the printed totals, the indicator table with merged level cells;
numbers are typed as numbers with the table's formats, the rate and the budget score are formulas
with cached values, as Excel saves them.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import yaml
from conftest import SEED_ACTUALS
from openpyxl.styles import Alignment

SEED_TEXT = SEED_ACTUALS.read_text(encoding="utf-8")
HEADER, *LINES = SEED_TEXT.splitlines()
ROWS = [dict(zip(HEADER.split(","), line.split(","), strict=True)) for line in LINES]

PROJECT = "城乡居民基本养老保险费财政补助资金"
INDICATOR_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
INDICATORS = [  # [一级, 二级, 三级, 指标值, 实际完成值, 分值, 得分, 偏差原因]: seed-table.yaml
    ["投入和管理目标", "投入管理", "预算执行率", "100%", 0.9376, 1, 0.93, "享受补贴人数不固定"],
    ["投入和管理目标", "投入管理", "预算编制合理性", "合理", "合理", 1, 1, ""],
    ["投入和管理目标", "投入管理", "预算资金到位情况", "100%", 1, 1, 1, ""],
    ["投入和管理目标", "财务管理", "财务管理制度健全性", "健全", "健全", 1, 1, ""],
    ["投入和管理目标", "财务管理", "资金使用规范性", "合规", "合规", 1, 1, ""],
    ["投入和管理目标", "财务管理", "财务监控有效性", "有效", "有效", 1, 1, ""],
    ["投入和管理目标", "项目管理", "合同管理完备性", "完备", "完备", 1, 1, ""],
    ["投入和管理目标", "项目管理", "项目质量可控性", "可控", "可控", 1, 1, ""],
    ["投入和管理目标", "项目管理", "政府采购规范性", "规范", "规范", 1, 1, ""],
    ["投入和管理目标", "项目管理", "项目管理制度健全性", "健全", "健全", 1, 1, ""],
    ["产出指标", "数量指标", "享受补贴人数", "≥1.1万人", "约发放人数1.11万人", 20, 20, ""],
    ["产出指标", "质量指标", "资金发放准确率", "100%", 1, 10, 10, ""],
    ["产出指标", "时效指标", "资金发放及时率", "100%", 1, 10, 10, ""],
    ["效益指标", "社会效益", "保障群众基本生活", "有效保障", 1, 10, 10, ""],
    ["效益指标", "经济效益", "提高群众生活水平", "有效提高", 1, 10, 10, ""],
    ["效益指标", "可持续影响", "维护社会稳定和保障民生", "显著", "显著", 10, 10, ""],
    ["满意度指标", "服务对象满意度", "享受补贴群众满意度", "100%", 1, 10, 10, ""],
]


def csv_file(folder: Path, encoding: str, name: str = "实际值.csv") -> Path:
    path = folder / name
    path.write_bytes(SEED_TEXT.replace("\n", "\r\n").encode(encoding))
    return path


def unicode_text(folder: Path) -> Path:
    """Excel's "Unicode 文本": UTF-16 with a BOM, tab-separated, CRLF."""
    path = folder / "实际值.txt"
    path.write_bytes(SEED_TEXT.replace(",", "\t").replace("\n", "\r\n").encode("utf-16"))
    return path


def of_2019(folder: Path, actual: str) -> tuple[Path, Path]:
    """A ruleset of 2020 (one indicator A, ≥100人) and a simple table whose title row says 2019年度 (its
    A being `actual`): the year a file gives by its title cell (F138 in score, F177 in audit)."""
    table = folder / "2019.csv"
    table.write_text(
        "某项目（2019年度）\n一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n"
        f"产出指标,数量指标,A,≥100人,{actual},100,100\n",
        encoding="utf-8",
    )
    ruleset = folder / "a.jx"
    ruleset.write_text('项目 "某项目" 年度 2020 {\n  采用 "standard/central"\n  预算执行 不评分\n'
                       "  产出指标 / 数量指标 {\n    A  目标 ≥100人  分值 100\n  }\n}\n", encoding="utf-8")  # fmt: skip
    return ruleset, table


def simple_workbook(folder: Path, name: str = "实际值.xlsx") -> Path:
    """The CSV's columns in a sheet; numbers typed as numbers (93.76% as 0.9376 in a 0.00% cell)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "实际值"
    sheet.append(HEADER.split(","))
    for row_number, row in enumerate(ROWS, start=2):
        for column, text in enumerate(row.values(), start=1):
            value, number_format = typed(text)
            sheet.cell(row_number, column, value).number_format = number_format
    notes = book.create_sheet("填表说明")
    notes.append(["请在「实际值」工作表中填写实际完成值。"])
    book.save(folder / name)
    return folder / name


def photographed_workbook(folder: Path, mib: int) -> Path:
    """The simple workbook carrying a photo (a scanned seal) of `mib` MiB that does not compress."""
    path = simple_workbook(folder, "盖章实际值.xlsx")
    with zipfile.ZipFile(path, "a") as book:
        book.writestr("xl/media/公章.png", os.urandom(mib * 1024 * 1024))
    return path


def typed(text: str) -> tuple[object, str]:
    """A cell as staff type it: 970.00 as the number 970 shown with 2 decimals, 93.76% as 0.9376 in %."""
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        decimals = len(text.partition(".")[2])
        return float(text), "0." + "0" * decimals if decimals else "0"
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?%", text):
        decimals = len(text[:-1].partition(".")[2])
        value = float(Decimal(text[:-1]) / 100)
        return value, ("0." + "0" * decimals if decimals else "0") + "%"
    return (text or None), "General"


def yaml_file(folder: Path) -> Path:
    path = folder / "实际值.yaml"
    document = {"项目": PROJECT, "实际值": [{k: v for k, v in row.items() if v} for row in ROWS]}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def json_file(folder: Path) -> Path:
    path = folder / "实际值.json"
    path.write_text(json.dumps({"rows": ROWS}, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# -- the official layout, as printed ------------------------------------------------------------------
@dataclass(frozen=True)
class Filled:
    """One filled-in table in the official layout: the seed's unless told (tests plant discrepancies by
    changing a field). A str starting with = is a formula; numbers are typed as numbers."""

    project: str = PROJECT
    indicators: tuple[tuple[object, ...], ...] = tuple(tuple(row) for row in INDICATORS)
    amounts: tuple[float, float, float] = (970, 970, 909.5)  # 年初预算数, 全年预算数, 全年执行数
    rate: object = "=E6/D6"
    budget_weight: object = 10
    budget_score: object = "=ROUND(G6*F6,2)"
    total_weight: object = 100
    total: object = None  # None: the sum of the printed scores and the budget score, as a table adds them
    grade: str | None = None

    def printed_total(self) -> object:
        """The printed total: as given, or the printed scores and budget score added up."""
        if self.total is not None:
            return self.total
        cached = {SEED.budget_score: CACHED["H6"]}
        parts = [row[6] for row in self.indicators] + [cached.get(self.budget_score, self.budget_score)]
        numbers = [str(p) for p in parts if isinstance(p, int | float | str)]
        return float(sum(Decimal(p) for p in numbers if re.fullmatch(r"-?[0-9.]+(e[0-9]+)?", p)))

    def replaced(self, row_name: str, /, **cells: object) -> Filled:
        """The table with cells of the row `row_name` changed: name, target, actual, weight, score, note."""
        rows = tuple(_changed(row, cells) if row[2] == row_name else row for row in self.indicators)
        return replace(self, indicators=rows)


SEED = Filled()


def ministry_template(table: Filled) -> Filled:
    """The table as the Ministry of Finance template writes it: 社会效益指标 (a trailing 指标) for the level
    社会效益, and 指标1： printed before each 三级 name."""
    for number, row in enumerate(table.indicators, 1):
        level2 = str(row[1])
        level2 = level2 if level2.endswith("指标") else f"{level2}指标"
        table = table.replaced(str(row[2]), level2=level2, name=f"指标{number}：{row[2]}")
    return table


CELLS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")


def _changed(row: tuple[object, ...], cells: dict[str, object]) -> tuple[object, ...]:
    return tuple(cells.get(key, value) for key, value in zip(CELLS, row, strict=True))


CACHED = {"F6": "0.93762886597938144", "H6": "9.38"}  # the seed's formulas, as Excel saved them


def official_workbook(
    folder: Path, name: str = "自评表.xlsx", sheet_title: str = "自评表", table: Filled = SEED
) -> Path:
    return official_book(folder, [(sheet_title, table)], name)


def official_book(folder: Path, tables: list[tuple[str, Filled]], name: str = "自评表.xlsx") -> Path:
    """A workbook with a sheet per table; the seed's formulas get the values Excel would have saved."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, table in tables:
        write_official(book.create_sheet(title), table=table)
    path = folder / name
    book.save(path)
    for number, (_, table) in enumerate(tables, start=1):
        if table.rate == SEED.rate:
            set_cached(path, CACHED, f"sheet{number}")
    return path


def write_official(
    sheet: openpyxl.worksheet.worksheet.Worksheet, project: str | None = None, table: Filled = SEED
) -> None:
    """The seed table's cells, row by row, with its merges (8 columns, A–H)."""
    put = sheet.cell
    _merged(sheet, "A1:H1", "项目绩效自评")
    _merged(sheet, "A2:H2", "（ 2020 年度）")
    put(3, 1, "项目名称")
    _merged(sheet, "B3:H3", project or table.project)
    put(4, 1, "主管部门及代码")
    _merged(sheet, "B4:D4", "[332]郑州市上街区人力资源和社会保障局")
    put(4, 5, "实施单位")
    _merged(sheet, "F4:H4", "郑州市上街区人力资源和社会保障局机关")
    _merged(sheet, "A5:A8", "项目资金\n（万元）")
    for column, label in enumerate(
        ["年初预算数", "全年预算数", "全年执行数", "执行率", "资金执行分值", "资金执行得分"], 3
    ):
        put(5, column, label)
    _amounts(sheet, 6, "年度资金总额：", list(table.amounts))
    put(6, 6, table.rate).number_format = "0.00%"
    put(6, 7, table.budget_weight).number_format = "0.00"
    put(6, 8, table.budget_score).number_format = "0.00"
    _amounts(sheet, 7, "其中：本年财政拨款", list(table.amounts))
    _amounts(sheet, 8, "其他资金", [0, 0, 0])
    _merged(sheet, "A9:D9", "预期目标")
    _merged(sheet, "E9:H9", "目标实际完成情况")
    _merged(sheet, "A10:D10", "按时对此笔资金进行支付，确保了我区城乡居民社会养老保险待遇享受。")
    _merged(sheet, "E10:H10", "已按时对此笔资金进行支付，确保了我区城乡居民社会养老保险待遇享受。")
    put(11, 1, "总分值")
    put(11, 2, table.total_weight).number_format = "0.00"
    put(11, 3, "总得分")
    put(11, 4, table.printed_total()).number_format = "0.00"
    if table.grade is not None:
        put(11, 5, "等级")
        put(11, 6, table.grade)
    put(12, 1, "说明")
    _merged(sheet, "B12:H12", "预算执行率低于70%或项目实施存在较大问题时，请说明原因和改进措施")
    for column, label in enumerate(INDICATOR_HEADER, 1):
        put(13, column, label)
    _indicator_rows(sheet, 14, table.indicators)


def _merged(sheet: openpyxl.worksheet.worksheet.Worksheet, where: str, value: str) -> None:
    sheet.merge_cells(where)
    cell = sheet[where.split(":")[0]]
    cell.value = value
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _amounts(
    sheet: openpyxl.worksheet.worksheet.Worksheet, row: int, label: str, values: list[float]
) -> None:
    sheet.cell(row, 2, label)
    for column, value in enumerate(values, 3):
        sheet.cell(row, column, value).number_format = "0.00"


def _indicator_rows(
    sheet: openpyxl.worksheet.worksheet.Worksheet, first: int, rows: tuple[tuple[object, ...], ...]
) -> None:
    """Level cells merged over their groups (only the top cell holds the text, as Excel keeps it)."""
    for offset, (l1, l2, name, target, actual, weight, score, note) in enumerate(rows):
        row = first + offset
        for column, value in enumerate([l1, l2, name, target, actual, weight, score, note], 1):
            cell = sheet.cell(row, column, value if value != "" else None)
            if column == 5 and isinstance(value, float | int):
                cell.number_format = "0.00%" if value != 1 else "0%"
            elif column in (6, 7):
                cell.number_format = "0.00"
    for column in (1, 2):
        _merge_runs(sheet, first, column, rows)


def _merge_runs(
    sheet: openpyxl.worksheet.worksheet.Worksheet,
    first: int,
    column: int,
    rows: tuple[tuple[object, ...], ...],
) -> None:
    keys = [tuple(r[:column]) for r in rows]
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            if index - start > 1:
                sheet.merge_cells(start_row=first + start, start_column=column, end_row=first + index - 1,
                                  end_column=column)  # fmt: skip
            start = index


def set_cached(path: Path, values: dict[str, str], sheet_file: str = "sheet1") -> None:
    """Give formula cells the cached values Excel would have saved (openpyxl writes formulas without)."""
    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    part = f"xl/worksheets/{sheet_file}.xml"
    sheet = items[part].decode("utf-8")
    for ref, value in values.items():
        sheet = re.sub(
            rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/?>(?:</v>)?', rf"\1<f>\2</f><v>{value}</v>", sheet
        )
    items[part] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items.items():
            archive.writestr(name, data)


FORMATS: dict[str, Callable[[Path], Path]] = {  # every way staff save the seed's actual values
    "UTF-8 CSV": lambda folder: csv_file(folder, "utf-8"),
    "UTF-8-BOM CSV": lambda folder: csv_file(folder, "utf-8-sig"),
    "GBK CSV (Excel on Chinese Windows)": lambda folder: csv_file(folder, "gb18030"),
    "Excel Unicode text (UTF-16, tabs)": unicode_text,
    "xlsx": simple_workbook,
    "official 自评表 xlsx": official_workbook,
    "YAML": yaml_file,
    "JSON": json_file,
}
