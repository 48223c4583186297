"""CSV, xlsx and HTML output: read back, converted to PDF by LibreOffice, rendered by Chromium.

The pictures (PDF pages, screenshots) are left in pytest's tmp folder for a person to look at; the
assertions read the files the way a program would.
"""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import CASES, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.io.render.safe import formula_like, spreadsheet

HOSTILE = CASES / "render" / "hostile-text"


def result(case: Path | None = None) -> jixiao.Result:
    if case is None:
        return jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(SEED_ACTUALS))
    return jixiao.load_ruleset(case / "ruleset.jx").score(jixiao.load_actuals(case / "actuals.csv"))


def score(*args: str | Path) -> bytes:
    run = CliRunner().invoke(main, ["score", *map(str, args)])
    assert run.exit_code == 0, run.output
    return run.stdout_bytes


# -- CSV -------------------------------------------------------------------------------------------
def csv_rows(data: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def test_csv_has_a_bom_and_the_official_blocks() -> None:
    data = score(SEED_RULESET, SEED_ACTUALS, "--format", "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel recognises UTF-8 only by the BOM
    rows = csv_rows(data)
    assert rows[0] == ["项目绩效自评（2020年度）"]
    assert ["年度资金总额", "970.00", "970.00", "909.50", "93.76%", "10.00", "9.38"] in rows
    header = rows.index(
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    )
    assert rows[header + 1] == [
        "投入和管理目标",
        "投入管理",
        "预算执行率",
        "100%",
        "93.76%",
        "1.00",
        "0.93",
        "享受补贴人数不固定",
    ]
    assert rows[header + 2][:3] == ["投入和管理目标", "投入管理", "预算编制合理性"]  # levels repeated
    assert ["总分值", "100.00", "总得分", "99.31", "等级", "优"] in rows
    assert rows[-1][0] == "F107"


def test_csv_in_gbk_on_request() -> None:
    data = score(SEED_RULESET, SEED_ACTUALS, "--format", "csv", "--output-encoding", "gbk")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("gbk").startswith("项目绩效自评（2020年度）")  # GBK proper: what Excel on cp936 reads


def test_csv_neutralises_formulas_and_keeps_amounts_as_written() -> None:
    rows = csv_rows(score(HOSTILE / "ruleset.jx", HOSTILE / "actuals.csv", "--format", "csv"))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("https://evil.example/","点击")' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert ["年度资金总额", "", "207.4538", "89.974", "43.37%", "10.00", "4.34"] in rows
    assert not any("\x1b" in c or "\x07" in c for c in cells)


@pytest.mark.parametrize(
    ("cell", "neutralised"),
    [
        ("=1+2", True),
        ("+1+2", True),
        ("-2+3", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("-5", False),
        ("+3.5", False),
        ("-12.5%", False),
        ("1e5", False),
        ("合理", False),
        ("≥1.1万人", False),
        ("", False),
    ],
)
def test_formula_like_cells(cell: str, neutralised: bool) -> None:
    assert formula_like(cell) is neutralised
    assert spreadsheet(cell) == ("'" + cell if neutralised else cell)


# -- xlsx ------------------------------------------------------------------------------------------
def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def find(ws: openpyxl.worksheet.worksheet.Worksheet, value: object) -> openpyxl.cell.Cell:
    return next(c for row in ws.iter_rows() for c in row if c.value == value)


def test_xlsx_in_the_official_layout() -> None:
    data = jixiao.render(result(), "xlsx")
    assert isinstance(data, bytes) and data.startswith(b"PK")
    book = workbook(data)
    assert book.sheetnames == ["城乡居民基本养老保险费财政补助资金", "复核提示"]
    ws = book.worksheets[0]
    assert ws["A1"].value == "项目绩效自评（2020年度）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:H1" in merged  # the title across the table
    funds = find(ws, "项目资金（万元）")
    assert f"A{funds.row}:A{funds.row + 3}" in merged  # down the budget block: header and three rows
    total_row = find(ws, "年度资金总额").row
    assert [ws.cell(total_row, c).value for c in range(3, 9)] == [970, 970, 909.5, 0.9376, 10, 9.38]
    assert [ws.cell(total_row, c).number_format for c in range(3, 9)] == ["0.00"] * 3 + [
        "0.00%",
        "0.00",
        "0.00",
    ]
    header = find(ws, "一级指标").row
    assert ws.freeze_panes == f"A{header + 1}"
    first = header + 1
    assert f"A{first}:A{first + 9}" in merged  # 投入和管理目标 over its ten indicators
    assert f"B{first}:B{first + 2}" in merged  # 投入管理 over three
    assert ws.cell(first, 1).value == "投入和管理目标"
    row = [ws.cell(first, c).value for c in range(3, 9)]
    assert row == ["预算执行率", "100%", "93.76%", 1, 0.93, "享受补贴人数不固定"]
    assert ws.cell(first, 7).number_format == "0.00"
    last = first + 17
    assert [ws.cell(last, c).value for c in (1, 6, 7, 8)] == ["总分值 / 总得分", 100, 99.31, "等级：优"]
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["C"] > widths["A"] > widths["F"]  # 三级指标 wider than 一级 wider than 分值
    findings = book["复核提示"]
    assert [c.value for c in findings[1]] == ["代码", "指标", "说明"]
    assert findings["A2"].value == "F107"
    assert findings.freeze_panes == "A2"


def test_xlsx_amounts_as_written_and_formulas_neutralised() -> None:
    ws = workbook(jixiao.render(result(HOSTILE), "xlsx")).worksheets[0]
    row = find(ws, "年度资金总额").row
    assert (ws.cell(row, 4).value, ws.cell(row, 4).number_format) == (207.4538, "0.0000")
    assert (ws.cell(row, 5).value, ws.cell(row, 5).number_format) == (89.974, "0.000")
    note = find(ws, "偏差原因分析及改进措施").row + 1
    assert ws.row_dimensions[note].height > 2 * 13.5  # a long note wraps: its row grows to show it
    formula = find(ws, '=HYPERLINK("https://evil.example/","点击")')
    assert formula.data_type == "s" and formula.quotePrefix  # text, marked as text for Excel
    cells = [c for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert not any("\x1b" in c.value or "\x07" in c.value for c in cells)
    assert all(c.data_type == "s" for c in cells)


def test_xlsx_is_byte_for_byte_the_same_under_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible output: with SOURCE_DATE_EPOCH the creation time is that time."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1606780800")  # 2020-12-01 00:00 UTC
    first = jixiao.render(result(), "xlsx")
    assert jixiao.render(result(), "xlsx") == first
    created = workbook(first).properties.created
    assert created is not None and (created.year, created.month, created.day) == (2020, 12, 1)


FIXED = datetime.datetime(1980, 1, 1)


def xlsx_times(
    data: bytes,
) -> tuple[set[tuple[int, ...]], datetime.datetime | None, datetime.datetime | None]:
    """The zip entries' times, and the workbook's created and modified properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.date_time for info in archive.infolist()}
    properties = workbook(data).properties
    return entries, properties.created, properties.modified


def test_xlsx_from_the_command_line_is_the_same_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--format xlsx` recorded the time of writing as created and modified: two runs gave different bytes.
    Without SOURCE_DATE_EPOCH the time is fixed (1980-01-01 00:00, as the zip entries are): a single
    project, a batch's files and an audit's workbook are the same bytes every run."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = score(SEED_RULESET, SEED_ACTUALS, "--format", "xlsx")
    assert score(SEED_RULESET, SEED_ACTUALS, "--format", "xlsx") == first
    assert xlsx_times(first) == ({(1980, 1, 1, 0, 0, 0)}, FIXED, FIXED)
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED_ACTUALS, inputs / "a.csv")
    shutil.copy(SEED_ACTUALS, inputs / "b.csv")
    runs = []
    for out in (tmp_path / "one", tmp_path / "two"):
        done = CliRunner().invoke(
            main, ["score", str(SEED_RULESET), str(inputs), "-o", str(out), "--format", "xlsx"]
        )
        assert done.exit_code == 0, done.output
        runs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert runs[0] == runs[1] and sorted(runs[0]) == ["a.xlsx", "b.xlsx", "汇总.xlsx"]
    assert all(xlsx_times(data)[1:] == (FIXED, FIXED) for data in runs[0].values())
    audits = []
    for name in ("one.xlsx", "two.xlsx"):
        args = [
            "audit",
            str(SEED_RULESET),
            str(SEED_ACTUALS),
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / name),
        ]
        CliRunner().invoke(main, args)
        audits.append((tmp_path / name).read_bytes())
    assert audits[0] == audits[1] and xlsx_times(audits[0])[1:] == (FIXED, FIXED)


@pytest.mark.parametrize(
    ("epoch", "created"),
    [
        ("0", datetime.datetime(1970, 1, 1)),
        (" 1606780800 ", datetime.datetime(2020, 12, 1)),
        ("253402300799", datetime.datetime(9999, 12, 31, 23, 59, 59)),
        ("", FIXED),  # empty is unset: the specification leaves that to the tool
        ("  ", FIXED),
    ],
)
def test_a_source_date_epoch_gives_its_time_and_an_empty_one_the_fixed_one(
    monkeypatch: pytest.MonkeyPatch, epoch: str, created: datetime.datetime
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert xlsx_times(jixiao.render(result(), "xlsx"))[1:] == (created, created)


MALFORMED_EPOCHS = [
    "abc",
    "-5",
    "1e9",
    "1606780800.5",
    "١٢٣",  # digits, but not ASCII ones
    "253402300800",  # after year 9999 (was an internal error, E901, then silently the fixed time)
    "99999999999999999999",
]


@pytest.mark.parametrize("epoch", MALFORMED_EPOCHS)
def test_a_malformed_source_date_epoch_is_an_error(monkeypatch: pytest.MonkeyPatch, epoch: str) -> None:
    """reproducible-builds.org: "If the value is malformed, the build process SHOULD exit with a non-zero
    error code". It was silently the fixed 1980-01-01: a build asking for its time got another one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.render(result(), "xlsx")
    assert [d.code for d in caught.value.diagnostics] == ["E915"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_malformed_source_date_epoch_stops_the_command_line_with_a_message(lang: str) -> None:
    args = ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", "xlsx", "--lang", lang]
    run = CliRunner().invoke(main, args, env={"SOURCE_DATE_EPOCH": "1e9"})
    assert run.exit_code == 1 and "Traceback" not in run.output
    assert "E915" in run.output and "1e9" in run.output
    if lang == "zh":
        assert "环境变量 SOURCE_DATE_EPOCH" in run.output and "整数秒" in run.output
    else:
        assert "environment variable SOURCE_DATE_EPOCH" in run.output and "whole seconds" in run.output
    text = CliRunner().invoke(main, [*args[:3], "--lang", lang], env={"SOURCE_DATE_EPOCH": "1e9"})
    assert text.exit_code == 0  # a text table records no time: the variable is not read


def test_xlsx_from_the_command_line(tmp_path: Path) -> None:
    data = score(SEED_RULESET, SEED_ACTUALS, "--format", "xlsx")
    assert workbook(data).worksheets[0]["A1"].value == "项目绩效自评（2020年度）"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_xlsx_converts_to_a_pdf_of_the_official_table(tmp_path: Path) -> None:
    book = tmp_path / "seed.xlsx"
    book.write_bytes(jixiao.render(result(), "xlsx"))
    profile = (tmp_path / "profile").as_uri()  # a profile of its own: other soffice runs do not interfere
    args = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*args, str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "seed.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    page = text.stdout
    assert "项目绩效自评（2020年度）" in page
    assert "城乡居民基本养老保险费财政补助资金" in page
    assert "享受补贴群众满意度" in page and "99.31" in page and "等级：优" in page
    first = page.split("\f")[0]  # the table fits one page wide: the whole indicator block on page 1
    assert "一级指标" in first and "偏差原因分析及改进措施" in first and "99.31" in first
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").exists()  # for a person: tmp_path holds the picture


# -- HTML ------------------------------------------------------------------------------------------
def test_html_is_standalone_and_escaped() -> None:
    page = jixiao.render(result(HOSTILE), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert not any(tag in page for tag in ("<script", "<link", "<img", "<iframe", "url(", "@import"))
    assert "default-src 'none'" in page  # nothing can be loaded, whatever slips through
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>测试" not in page and "&lt;b&gt;测试" in page
    assert "\x1b" not in page and "\x07" not in page
    assert "<br>总分值 100.00" in page  # the note's line break is a line break inside its cell


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(chromium() is None, reason="Chromium is not installed; .ci/run installs it")
def test_html_renders_in_a_browser(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    page_file = tmp_path / "seed.html"
    page_file.write_text(jixiao.render(result(), "html"), encoding="utf-8")
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            assert page.title() == "项目绩效自评（2020年度）"
            body = page.inner_text("body")
            cells = page.eval_on_selector_all("td[rowspan]", "tds => tds.map(t => [t.innerText, t.rowSpan])")
            page.screenshot(path=str(tmp_path / "seed.png"), full_page=True)
        finally:
            browser.close()
    assert requests == [page_file.as_uri()]  # nothing fetched but the page itself
    assert "99.31" in body and "享受补贴群众满意度" in body
    assert ["投入和管理目标", 10] in cells and ["投入管理", 3] in cells
    assert (tmp_path / "seed.png").stat().st_size > 10_000
