"""Hostile sizes in actual-value files: workbooks refused before openpyxl opens them (E133, E134), the
diagnostics of one kind capped per file (`diagnostics.capped`), and values right of a sheet's header
(E534, F178). The limits are lowered here so that the files stay small; the real ones are in
io/actuals/xlsx.py and docs/security.md."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner
from conftest import SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import Diagnostic, JixiaoError, Span, capped, summary
from jixiao.io.actuals import xlsx
from jixiao.limits import MAX_REPEATS

HEADER = ["一级指标", "二级指标", "三级指标", "实际完成值", "偏差原因分析及改进措施"]


def _workbook(path: Path, sheets: int = 1, rows: int = 3) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "项目0"
    for number in range(1, sheets):
        book.create_sheet(f"项目{number}")
    for sheet in book.worksheets:
        sheet.append(HEADER)
        for row in range(rows):
            sheet.append(["产出指标", "数量指标", f"指标{row}", "100%", ""])
    book.save(path)
    return path


def _refused(path: Path) -> Diagnostic:
    with pytest.raises(JixiaoError) as info:
        jixiao.load_actuals(path)
    (diag,) = info.value.diagnostics
    return diag


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused workbook is never given to openpyxl (that is what takes minutes)."""

    def opened(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl opened a workbook that is over a limit")

    monkeypatch.setattr(openpyxl, "load_workbook", opened)


def test_too_many_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "多表.xlsx", sheets=6)
    monkeypatch.setattr(xlsx, "MAX_SHEETS", 5)
    monkeypatch.setattr(openpyxl, "load_workbook", None)  # not reached
    diag = _refused(path)
    assert diag.code == "E133" and diag.span is not None and diag.span.path == str(path)
    assert diag.message() == "工作簿太大：有 6 张工作表，上限为 5 张，不予读取"
    assert (
        diag.message("en")
        == "the workbook is too large: it has 6 sheets, the limit is 5 sheets; it is not read"
    )
    assert "拆成几个文件" in (diag.help() or "") and "delete unused sheets" in (diag.help("en") or "")


@pytest.mark.usefixtures("no_openpyxl")
def test_a_sheet_too_large_unpacked_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "大表.xlsx", sheets=2, rows=3)
    with zipfile.ZipFile(path) as archive:
        sizes = {i.filename: i.file_size for i in archive.infolist()}
    monkeypatch.setattr(xlsx, "MAX_SHEET_XML", sizes["xl/worksheets/sheet1.xml"] - 1)
    assert "工作表「项目0」解压后" in _refused(path).message()


@pytest.mark.usefixtures("no_openpyxl")
def test_too_many_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "多格.xlsx", sheets=2, rows=10)  # 2 × 11 rows × 5 cells = 110 (4 blank)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 60)
    diag = _refused(path)
    assert diag.code == "E133" and "单元格多于" in diag.message() and "60 个单元格" in diag.message()


@pytest.mark.usefixtures("no_openpyxl")
def test_shared_strings_too_large_under_any_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared strings part is the one the workbook's relationships name, whatever its file name."""
    source = _workbook(tmp_path / "源.xlsx")
    path = tmp_path / "字符串.xlsx"
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>x</t></si>" * 500
    )
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="strs.xml" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            new.writestr(info, data)
        new.writestr("xl/strs.xml", strings)
    monkeypatch.setattr(xlsx, "MAX_SHEET_XML", len(strings) - 1)
    diag = _refused(path)
    assert diag.code == "E133" and "共享字符串" in diag.message()


@pytest.mark.usefixtures("no_openpyxl")
def test_all_parts_too_large_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "合计.xlsx", sheets=3)
    monkeypatch.setattr(xlsx, "MAX_WORKBOOK_XML", 10_000)
    assert "工作表等内容解压后共" in _refused(path).message()


def test_memory_running_out_is_not_a_damaged_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _workbook(tmp_path / "内存.xlsx")

    def short_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(openpyxl, "load_workbook", short_of_memory)
    diag = _refused(path)
    assert diag.code == "E134" and "损坏" not in diag.message() and "没有损坏" in (diag.help() or "")


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize("command", ["score", "audit", "import"])
def test_every_command_that_reads_workbooks_refuses_them(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "多表.xlsx", sheets=4)
    monkeypatch.setattr(xlsx, "MAX_SHEETS", 3)
    args = {"score": [str(SEED_RULESET)], "audit": [str(SEED_RULESET)], "import": []}[command]
    extra = ["-o", str(tmp_path / "out")] if command == "import" else []
    run = CliRunner().invoke(main, [command, *args, str(path), *extra])
    assert "E133" in run.output + run.stderr and "Traceback" not in run.output + run.stderr


# -- diagnostics of one kind, capped ------------------------------------------------------------------------
def test_a_header_of_many_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "宽.csv"
    unknown = [f"c{i}" for i in range(500)]
    path.write_text(",".join([*HEADER, *unknown]) + "\n产出指标,数量指标,指标,1,\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--format", "json"])
    document = json.loads(run.stdout)
    found = document["diagnostics"]
    assert [d["code"] for d in found] == ["E502"] * MAX_REPEATS
    assert [d["more"] for d in found] == [0] * (MAX_REPEATS - 1) + [500 - MAX_REPEATS]
    assert found[-1]["span"]["column"] == len(HEADER) + MAX_REPEATS  # the first ones by position
    text = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path)])
    assert f"另有 {500 - MAX_REPEATS} 个同类问题未列出" in text.stderr and "500 个错误" in text.stderr
    english = CliRunner().invoke(main, ["score", "--lang", "en", str(SEED_RULESET), str(path)])
    assert f"and {500 - MAX_REPEATS} more like it (E502)" in english.stderr


def test_a_sheet_of_many_unknown_columns(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append([*HEADER, *(f"c{i}" for i in range(100))])
    book.active.append(["产出指标", "数量指标", "指标", "1"])
    book.save(tmp_path / "宽.xlsx")
    with pytest.raises(JixiaoError) as info:
        jixiao.load_actuals(tmp_path / "宽.xlsx")
    found = info.value.diagnostics
    assert len(found) == MAX_REPEATS and sum(1 + d.more for d in found) == 100


def _official(tmp_path: Path) -> tuple[Path, openpyxl.Workbook, int]:
    """The seed table in the official layout, and the row of its indicator header."""
    book = openpyxl.Workbook()
    seedfiles.write_official(book.active)
    header = next(r for r in range(1, 40) if book.active.cell(r, 3).value == "三级指标")
    return tmp_path / "自评表.xlsx", book, header


def test_a_printed_table_of_many_unknown_columns_says_how_many(tmp_path: Path) -> None:
    path, book, header = _official(tmp_path)
    for column in range(9, 9 + 60):
        book.active.cell(header, column, f"备用{column}")
    book.save(path)
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    columns = [f for f in result.findings if f.code == "F111"]
    assert len(columns) == MAX_REPEATS + 1 and "另有 40 列" in columns[-1].message()


def test_a_figure_right_of_a_printed_tables_header_is_an_error(tmp_path: Path) -> None:
    path, book, header = _official(tmp_path)
    book.active.cell(header + 3, 10, "50%")
    book.save(path)
    with pytest.raises(JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    assert [d.code for d in info.value.diagnostics] == ["E534"]


def test_many_unreadable_values(tmp_path: Path) -> None:
    rows = "".join(f"产出指标,数量指标,指标{i},1.{i}万人或1.2万人,\n" for i in range(300))
    path = tmp_path / "坏值.csv"
    path.write_text(",".join(HEADER) + "\n" + rows, encoding="utf-8")
    file = jixiao.io.actuals.collect_actuals(path)  # the cell problems of the file, before scoring
    assert [d.code for d in file.diagnostics] == ["E505"] * 300
    with pytest.raises(JixiaoError) as info:
        jixiao.load_actuals(path)
    shown = info.value.diagnostics
    assert len(shown) == MAX_REPEATS and [d.line for d in (s.span for s in shown) if d] == list(range(2, 22))
    assert summary(shown) == summary(file.diagnostics) == "300 个错误，0 个警告"
    last = info.value.text().splitlines()[-1]  # str(error) says what was left out, as the rendered text does
    assert len(info.value.text().splitlines()) == MAX_REPEATS and "另有 280 个同类问题未列出" in last
    assert "and 280 more like it" in info.value.text("en").splitlines()[-1]


def test_capping_again_keeps_the_count() -> None:
    spans = [Span("a.csv", line, 1) for line in range(1, 101)]
    first = capped([Diagnostic("E505", span) for span in spans[:60]])
    joined = capped([*first, *(Diagnostic("E505", span) for span in spans[60:])])
    assert len(joined) == MAX_REPEATS and sum(1 + d.more for d in joined) == 100
    assert capped(joined) == joined
    other = capped([Diagnostic("E505", Span("b.csv", 1, 1)), *joined])  # per file
    assert len(other) == MAX_REPEATS + 1


# -- a value right of a sheet's header -----------------------------------------------------------------------
def test_a_figure_right_of_the_header_is_an_error(tmp_path: Path) -> None:
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"]["H21"] = "50%"
    book.save(path)
    with pytest.raises(JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    (diag,) = [d for d in info.value.diagnostics if d.code == "E534"]
    assert diag.span is not None and (diag.span.line, diag.span.column, diag.span.sheet) == (21, 8, "实际值")
    assert "50%" in diag.message() and "表头" in diag.message()


def test_a_remark_right_of_the_header_is_said_once(tmp_path: Path) -> None:
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"]["H21"] = "人数以社保系统为准"
    book["实际值"]["H22"] = "见附件"
    book.save(path)
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    assert result.total.text() == "99.31"
    (remark,) = [f for f in result.findings if f.code == "F178"]
    assert (
        remark.message()
        == "没有表头的列中有 2 个单元格未读取（不参与评分），如第21行 H21「人数以社保系统为准」"
    )


def _blank_column_csv(path: Path, value: str, project: bool = False) -> Path:
    """The seed CSV with a column whose header cell is blank, and `value` in it on the 预算执行率 row."""
    lines = seedfiles.SEED_ACTUALS.read_text(encoding="utf-8").splitlines()
    out = []
    for number, line in enumerate(lines):
        cells = line.split(",")
        cells.insert(4, value if "预算执行率" in line else "")
        out.append(("项目," if number == 0 else "甲,") * project + ",".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("project", [False, True])  # the quick reader, the long-table reader
def test_a_figure_under_a_blank_header_cell_is_an_error(tmp_path: Path, project: bool) -> None:
    path = _blank_column_csv(tmp_path / "空表头.csv", "50%", project)
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "-q"])
    assert run.exit_code == 1 and "error[E534]" in run.stderr and "「50%」" in run.stderr


def test_a_remark_under_a_blank_header_cell_is_said(tmp_path: Path) -> None:
    path = _blank_column_csv(tmp_path / "空表头.csv", "已核实")
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    assert result.total.text() == "99.31"
    (remark,) = [f for f in result.findings if f.code == "F178"]
    assert "第5列「已核实」" in remark.message() and "column 5 “已核实”" in remark.message("en")


def test_a_merged_range_counts_its_cells_before_opening(tmp_path: Path) -> None:
    """openpyxl makes every cell of a merged range a cell of its own: C3:Z200000 in a 5 KB workbook took
    a minute and gigabytes. Its area counts toward the cell limit, checked before openpyxl opens it."""
    small = tmp_path / "small.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["三级指标", "实际完成值"])
    book.save(small)
    merged = tmp_path / "merged.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(merged, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                ranges = b'<mergeCells count="1"><mergeCell ref="C3:Z200000"/></mergeCells>'
                data = data.replace(b"</sheetData>", b"</sheetData>" + ranges)
            out.writestr(item, data)
    with pytest.raises(JixiaoError) as info:
        jixiao.load_actuals(merged)
    assert [d.code for d in info.value.diagnostics] == [
        "E133"
    ] and "4,799,954" in info.value.text()  # 24 × 199,998 + 2 cells
