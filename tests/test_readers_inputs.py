"""Inputs: encodings, binary and special files, size limits, YAML/JSON problems, workbooks, the load_actuals API."""

from __future__ import annotations

import codecs
import datetime as dt
import encodings.aliases
import io
import json
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import given, settings
from hypothesis import strategies as st
from seedfiles import SEED_TEXT

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import render_all
from jixiao.io.actuals.numformat import cell_text, number_text
from jixiao.io.long_table import read_long_text
from jixiao.messages import Lang
from jixiao.source import decode_table, read_bytes, read_text


def _codes(error: pytest.ExceptionInfo[jixiao.JixiaoError]) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in error.value.diagnostics if d.span]


# -- encodings ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "big5"])
def test_encodings_are_detected(encoding: str) -> None:
    text = "一級指標,三級指標,實際完成值\n年度,人數,1萬人\n" if encoding == "big5" else SEED_TEXT
    decoded = decode_table(text.encode(encoding), "x.csv")
    assert decoded.text == text


def test_a_short_gbk_file_is_not_mistaken_for_korean() -> None:
    assert decode_table("名称,值\n满意度,95%\n".encode("gbk"), "x.csv").text == "名称,值\n满意度,95%\n"


def test_a_utf8_file_with_a_damaged_byte_is_refused_where_it_is_damaged_not_read_as_mojibake() -> None:
    data = bytearray(SEED_TEXT.encode("utf-8"))
    at = SEED_TEXT.encode("utf-8").index("约发放人数".encode())
    data[at + 1] = 0xFF
    with pytest.raises(jixiao.JixiaoError) as info:
        decode_table(bytes(data), "x.csv")
    ((code, line, _column),) = _codes(info)
    assert (code, line) == ("E106", 21)


def test_a_forced_encoding_is_used_and_a_wrong_one_is_a_positioned_error() -> None:
    data = SEED_TEXT.encode("gb18030")
    assert decode_table(data, "x.csv", "gb18030").text == SEED_TEXT
    with pytest.raises(jixiao.JixiaoError) as info:
        decode_table(data, "x.csv", "utf-8")
    assert _codes(info) == [("E126", 1, 3)]  # 一 in GB18030 is D2 BB: the third byte is not UTF-8
    with pytest.raises(jixiao.JixiaoError) as unknown:
        decode_table(data, "x.csv", "klingon")
    assert "没有这种编码" in unknown.value.diagnostics[0].message()


NAMED_CODECS = sorted({*encodings.aliases.aliases, *encodings.aliases.aliases.values()})
ODD_NAMES = [
    "undefined",
    "rot13",
    "base64",
    "hex_codec",
    "zip",
    "",
    "\x00",
    "utf-8\x00",
    "\ud800",
    "a" * 5000,
]


@pytest.mark.parametrize("name", NAMED_CODECS + ODD_NAMES)
def test_any_codec_name_reads_text_or_is_E126(name: str) -> None:
    """Only text encodings are used; rot13, base64, zip … (bytes to bytes) and unknown names are E126."""
    for data in (SEED_TEXT.encode("utf-8"), SEED_TEXT.encode("gb18030"), bytes(range(1, 256))):
        try:
            decode_table(data, "x.csv", name)
        except jixiao.JixiaoError as exc:
            assert [d.code for d in exc.diagnostics] == ["E126"]
        else:
            assert codecs.lookup(name)._is_text_encoding


def test_rulesets_stay_utf8(tmp_path: Path) -> None:
    path = tmp_path / "规则.jx"
    path.write_bytes(SEED_RULESET.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(path)
    assert info.value.diagnostics[0].code == "E106"


# -- binary, special and large files ---------------------------------------------------------------------
def test_a_nul_byte_anywhere_is_refused_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(SEED_TEXT.encode("utf-8") + b"x" * 10_000 + b"\n\x00")
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert _codes(info) == [("E131", 29, 1)]  # text but for its NUL: said so, where it is (was E105)
    with pytest.raises(jixiao.JixiaoError):
        read_text(path)


@pytest.mark.parametrize(
    ("tail", "count", "place"),
    [
        (
            "投入和管理目标,投入管理,预算执行率,9\x0093.76%\n",
            1,
            (2, 21),
        ),  # one NUL in a cell (was E989 at 1:1)
        ("投入和管理目标,投入管理,预算执行率,93.76%\n" + "\x00" * 1000, 1000, (3, 1)),  # a save cut short
    ],
)
def test_a_text_table_with_stray_nuls_says_so_at_the_first(
    tail: str, count: int, place: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    for encoding in ("utf-8", "gbk"):
        path.write_bytes(("一级指标,二级指标,三级指标,实际完成值\n" + tail).encode(encoding))
        with pytest.raises(jixiao.JixiaoError) as info:
            jixiao.load_actuals(path)
        assert _codes(info) == [("E131", *place)]
        assert f"文件中有 {count} 个空字符" in info.value.diagnostics[0].message("zh")
    path.write_bytes(bytes(range(256)) * 4)  # binary data is still not a table
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert [d.code for d in info.value.diagnostics] == ["E989"]


@pytest.mark.parametrize(("first", "then"), [("utf-8", "gbk"), ("gbk", "utf-8")])
def test_rows_in_another_encoding_are_said_to_be_mixed(first: str, then: str, tmp_path: Path) -> None:
    """Rows pasted from a file in another encoding were "not UTF-8, save as UTF-8" (which cannot help)."""
    head = "一级指标,二级指标,三级指标,实际完成值\n产出指标,数量指标,享受补贴人数,1.11万人\n"
    rest = "满意度指标,服务对象满意度,享受补贴群众满意度,100%\n"
    path = tmp_path / "x.csv"
    path.write_bytes(head.encode(first) + b"\n" + rest.encode(then))
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert _codes(info) == [("E132", 4, 1)]
    names = {"utf-8": "UTF-8", "gbk": "GBK"}
    zh = info.value.diagnostics[0].message("zh")
    assert f"前面的行是 {names[first]}（如第 1 行），从第 4 行起是 {names[then]}" in zh


@pytest.mark.parametrize("length", [100_001, 131_073, 1_000_000])
def test_a_cell_too_long_is_said_at_the_cell_whatever_its_length(length: int, tmp_path: Path) -> None:
    """Past the csv module's own limit (131,072) it was 「CSV 格式错误：field larger than field limit
    (131072)」 at the row, in English; now the same message as from 100,001 on, at the cell."""
    path = tmp_path / "x.csv"
    text = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施\n"
    path.write_text(text + '产出指标,数量指标,享受补贴人数,1.11万人,"说' + "长" * length + '"\n', "utf-8")
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert _codes(info) == [("E514", 2, 25)]
    assert info.value.diagnostics[0].message("zh").endswith("单元格超过 100000 个字符")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system (Windows)")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            jixiao.load_actuals(fifo)
        except jixiao.JixiaoError as exc:
            outcome.append(exc.diagnostics[0].code)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=30)  # a generous bound: it returns at once, or it is waiting on the pipe
    assert outcome == ["E122"]


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(jixiao.JixiaoError) as info:
        read_bytes(path, limit=1024)
    assert info.value.diagnostics[0].code == "E121"


def test_old_and_damaged_workbooks_are_explained(tmp_path: Path) -> None:
    old = tmp_path / "表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x01" * 600)
    damaged = tmp_path / "表.xlsx"
    damaged.write_bytes(b"PK\x03\x04broken")
    codes = []
    for path in (old, damaged):
        with pytest.raises(jixiao.JixiaoError) as info:
            jixiao.load_actuals(path)
        codes.append(info.value.diagnostics[0].code)
    assert codes == ["E123", "E124"]


# -- YAML and JSON -------------------------------------------------------------------------------------
def test_yaml_values_are_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "实际值:\n  - {三级指标: 享受补贴人数, 实际完成值: 1.10}\n  - {三级指标: x, 实际完成值: 0.5}\n",
        "utf-8",
    )
    actuals = jixiao.load_actuals(path)
    assert [e.row.actual for e in actuals.entries] == ["1.10", "0.5"]
    assert actuals.entries[1].span("actual").line == 3


_LAUGHS = '实际值: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)  # "billion laughs": 9**10 strings if aliases were expanded


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("实际值:\n  - &a {三级指标: x, 实际完成值: 1}\n  - *a\n", "E526", 2),
        ("实际值:\n  - {三级指标: x, 实际完成值: [1, 2]}\n", "E524", 2),
        ("实际值:\n  三级指标: x\n", "E524", 2),
        ("实际值:\n  - 三级指标: x\n   实际完成值: 1\n", "E525", 3),
        ("项目: a\n其他: b\n实际值: []\n", "E524", 2),
        (_LAUGHS, "E526", 1),  # refused at its first anchor, before any alias is expanded
    ],
)
def test_yaml_problems_are_positioned(text: str, code: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert [(c, ln) for c, ln, _ in _codes(info)] == [(code, line)]


def test_json_syntax_errors_are_positioned_and_tabs_are_fine(tmp_path: Path) -> None:
    bad = tmp_path / "a.json"
    bad.write_text('{"rows": [\n\t{"三级指标": "x", "实际完成值": "1"},\n]}', encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(bad)
    assert [(c, ln) for c, ln, _ in _codes(info)] == [("E525", 3)]
    good = seedfiles.json_file(tmp_path)
    good.write_text(good.read_text(encoding="utf-8").replace("  ", "\t"), encoding="utf-8")
    assert jixiao.load_ruleset(SEED_RULESET).score(good).total.text() == "99.31"


@pytest.mark.parametrize(
    ("name", "text", "key", "place"),
    [
        ("a.yaml", "实际值:\n  - {三级指标: x, 实际完成值: 100%, 实际完成值: 50%}\n", "实际完成值", (2, 28)),
        ("a.yaml", "实际值:\n  - 三级指标: x\n    实际完成值: 1\n    实际完成值: 2\n", "实际完成值", (4, 5)),
        ("a.yaml", "项目: a\n实际值: []\n项目: b\n", "项目", (3, 1)),
        ("a.json", '[{"三级指标": "x",\n  "三级指标": "y", "实际完成值": "1"}]', "三级指标", (2, 3)),
        ("a.json", '{"rows": [], "rows": [{"三级指标": "x", "实际完成值": "1"}]}', "rows", (1, 14)),
    ],
)
def test_a_key_given_twice_is_an_error_at_the_second(
    name: str, text: str, key: str, place: tuple[int, int], tmp_path: Path
) -> None:
    """A repeated key was read last-wins (YAML, JSON): 50% scored where 100% was also written (CSV: E517)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert _codes(info) == [("E533", *place)]
    assert f"键「{key}」写了两次" in info.value.diagnostics[0].message("zh")
    assert f"the key “{key}” is given twice" in info.value.diagnostics[0].message("en")


@pytest.mark.parametrize("number", ["9" * 5000, "1" + "0" * 5000 + ".5", "1e99999", "-" + "9" * 5000])
def test_a_json_number_of_thousands_of_digits_is_read_as_a_cell_not_a_crash(
    number: str, tmp_path: Path
) -> None:
    """int() refuses more than 4,300 digits: reading the JSON was an internal error (ValueError)."""
    path = tmp_path / "a.json"
    path.write_text('[{"三级指标": "享受补贴人数",\n  "实际完成值": ' + number + "}]", encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as info:  # as the same text in a CSV cell: not a value
        jixiao.load_actuals(path)
    assert _codes(info) == [("E505", 2, 12)]


def test_a_yaml_cell_error_points_at_its_line(tmp_path: Path) -> None:
    path = seedfiles.yaml_file(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("约发放人数1.11万人", "1.1万元"), encoding="utf-8"
    )
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    (diag,) = info.value.diagnostics
    assert diag.code == "E506" and diag.span is not None
    assert path.read_text(encoding="utf-8").splitlines()[diag.span.line - 1].strip() == "实际完成值: 1.1万元"


# -- workbooks: numbers exactly, sheets ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (909.5, "0.00", "909.50"),
        (970, "0.00", "970.00"),
        (207.4538, "0.00", "207.4538"),  # typed digits are kept even where the format hides them
        (0.9376, "0.00%", "93.76%"),
        (1, "0%", "100%"),
        (909.5 / 970, "0.00%", "93.76%"),  # a formula's value, as shown
        (909.5 / 970, "General", "0.937628865979381"),
        (0.1 + 0.2, "General", "0.3"),
        (10 * (909.5 / 970), "0.00", "9.38"),
        (1e20, "General", "100000000000000000000"),
        (-0.5, '"¥"#,##0.00;[Red]-"¥"#,##0.00', "-0.50"),
        # the unit a number format shows after the number is part of what the cell says
        (10500, '0"人"', "10500人"),
        (10500, '#,##0"人"', "10500人"),
        (10500, "0\\人", "10500人"),  # LibreOffice saves 0"人" so
        (1.05, '0.00" 万人"', "1.05万人"),
        (10500, 'General"人"', "10500人"),
        (95, '0"%"', "95%"),  # a quoted % is shown, not multiplied
        (12345, '#,##0,"千元"', "12.345千元"),  # a trailing comma shows thousands: read exactly
        (970, "#,##0.00_);(#,##0.00)", "970.00"),  # `_)` is a space, not a unit
        (5, '[$-804]0"个"', "5个"),
        # more places than Decimal's 28 digits (a crafted format: Excel shows at most 30)
        (1.5, "0." + "0" * 30, "1." + "5" + "0" * 29),
        (1.5, "0." + "0" * 100_000, "1." + "5" + "0" * 29),
        (123456789.25, "0." + "0" * 30, "123456789.25" + "0" * 28),
        # text among the digits is shown among them (Excel's 万元 tricks): read as shown, exactly
        (12900, '0!.0000"万元"', "1.2900万元"),  # not 12900.0000万元
        (12900, '0"."0000"万元"', "1.2900万元"),  # not 12900万元
        (12900, '0\\.0000"万元"', "1.2900万元"),
        (12900, '0!.0,"万元"', "1.3万元"),  # ÷1000, then a point before the last digit: not 12.900万元
        (12900.0, '0!.00,"万元"', "0.13万元"),
        (3500000, '0"."0000"万元"', "350.0000万元"),
        (3333330.5, '0!.0000"万元"', "333.3331万元"),  # rounded half up to the digits shown
        (129, '0!.0000"万元"', "0.0129万元"),
        (129, '#!.0000"万元"', ".0129万元"),
        (0, '0!.0000"万元"', "0.0000万元"),
        (-12900, '0!.0000"万元"', "-1.2900万元"),
        (-5, "0!.0;(0!.0)", "(0.5)"),
        (1290, "0!.00%", "1290.00%"),
        (12.5, '0.0"x"0', "12.5x0"),
        (1.05, '0.#"x"#', "1.0x5"),
        (1.5, '0.0"x"#', "1.5x"),
        (1234567, "000-0000", "123-4567"),
        (12900, "0_)!.0000", "1 .2900"),
        (1.5, "# ?/?", "1.5"),  # a fraction is read as its number
        (5, '0[$-804]0""0', "5"),  # nothing shown among the digits
        (-12900, '0!.0000"万元";-0', "-12900"),  # a format's other sections by the same rules
        (-12900, '0!.0000"万元";"负"0!.0', "负1290.0"),
        (0, '0!.0000"万元";-0;"—"', "—"),
        (0, '0!.0000"万元";-0;', ""),
        # a currency other than 元 the format shows is read with the number, never left out (E505 then); the
        # ￥ of a currency format is not read: Excel shows it on any amount, 万元 as well as 元
        (12900, '"$"#,##0', "$12900"),
        (12900, "$#,##0", "$12900"),
        (12900, "\\$#,##0", "$12900"),
        (12900, "[$$-409]#,##0.00", "$12900.00"),
        (12900, "#,##0 [$€-407]", "€12900"),
        (12900, '#,##0.00 "€"', "12900.00€"),
        (12900, "[$USD] #,##0", "USD12900"),
        (12900, "£#,##0", "£12900"),
        (12900, '#,##0"美元"', "12900美元"),
        (12900, '"¥"#,##0.00', "12900.00"),
        (12900, "￥#,##0.00", "12900.00"),
        (12900, "[$¥-804]#,##0", "12900"),
        (12900, "[$CNY] #,##0", "12900"),
    ],
)
def test_float_cells_read_as_typed_or_shown(value: float, number_format: str, text: str) -> None:
    assert cell_text(value, number_format) == text


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_typed_decimals_come_back_exactly(typed: Decimal) -> None:
    shown = Decimal(number_text(float(str(typed)), "General"))
    assert shown == typed


def test_a_workbook_with_one_table_sheet_skips_the_others(tmp_path: Path) -> None:
    path = seedfiles.simple_workbook(tmp_path)  # 实际值 + 填表说明
    assert jixiao.load_actuals(path).sheet == "实际值"


def test_several_project_sheets_need_a_sheet_name(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "甲"
    seedfiles.write_official(book.active)
    seedfiles.write_official(book.create_sheet("乙"))
    path = tmp_path / "两个.xlsx"
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert info.value.diagnostics[0].code == "E521"
    assert jixiao.load_actuals(path, sheet="乙").sheet == "乙"
    with pytest.raises(jixiao.JixiaoError) as missing:
        jixiao.load_actuals(path, sheet="丙")
    assert missing.value.diagnostics[0].code == "E522"


def _unit_error_shown(tmp_path: Path, lang: Lang) -> tuple[Path, str]:
    """A workbook whose D21 holds 1.1万元 for a target in 人, and how its error is printed."""
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["实际值"]["D21"] = "1.1万元"
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    return path, jixiao.render_diagnostics(info.value.diagnostics, lang=lang)


def test_a_sheet_error_names_the_sheet_and_the_cell(tmp_path: Path) -> None:
    path, shown = _unit_error_shown(tmp_path, "zh")
    assert f"{path}:21:4: 工作表「实际值」第21行「实际完成值」列 (D21): error[E506]" in shown
    assert " 21 | 产出指标 | 数量指标 | 享受补贴人数 | 1.1万元" in shown


def test_an_error_in_a_hidden_row_says_the_row_is_hidden(tmp_path: Path) -> None:
    path, _ = _unit_error_shown(tmp_path, "zh")
    book = openpyxl.load_workbook(path)
    book["实际值"].row_dimensions[21].hidden = True  # the old figure kept out of sight
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    zh = jixiao.render_diagnostics(info.value.diagnostics, lang="zh")
    assert "第21行「实际完成值」列 (D21)（第21行是隐藏行）: error[E506]" in zh
    en = jixiao.render_diagnostics(info.value.diagnostics, lang="en")
    assert "column “实际完成值” (D21) (row 21 is hidden): error[E506]" in en
    for lang in ("zh", "en"):  # JSON says it in a field of its own, as the text does in words
        run = CliRunner().invoke(
            main, ["score", str(SEED_RULESET), str(path), "--format", "json", "--lang", lang]
        )
        (diag,) = json.loads(run.stdout)["diagnostics"]
        assert run.exit_code == 1 and diag["code"] == "E506"
        assert (diag["span"]["line"], diag["span"]["sheet"], diag["span"]["hidden_row"]) == (
            21,
            "实际值",
            True,
        )
    book["实际值"].row_dimensions[21].hidden = False
    book.save(path)
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--format", "json"])
    assert json.loads(run.stdout)["diagnostics"][0]["span"]["hidden_row"] is False


def test_a_duplicate_of_a_hidden_row_says_the_first_row_is_hidden(tmp_path: Path) -> None:
    """E507 at a row repeating a hidden one named the hidden row without saying it was hidden."""
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["实际值"]
    sheet.insert_rows(21)
    for column in range(1, sheet.max_column + 1):
        sheet.cell(21, column).value = sheet.cell(22, column).value
    sheet.row_dimensions[21].hidden = True  # the old figure kept out of sight, the new one below it
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.span and diag.span.line) == ("E507", 22)
    assert "重复出现（第一次在第21行）（第21行是隐藏行）" in jixiao.render_diagnostics([diag], lang="zh")
    assert "(first on row 21) (row 21 is hidden)" in jixiao.render_diagnostics([diag], lang="en")
    sheet.row_dimensions[21].hidden = False
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as shown:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    assert "（第一次在第21行）\n" in jixiao.render_diagnostics(shown.value.diagnostics, lang="zh")


def test_a_hidden_sheet_is_skipped_unless_named(tmp_path: Path) -> None:
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    old = book.copy_worksheet(book["实际值"])
    old.title, old.sheet_state = "旧版", "hidden"
    old["D21"] = "0.9万人"
    book.save(path)
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    assert jixiao.load_actuals(path).sheet == "实际值"  # not E521: the hidden sheet is not read
    named = jixiao.load_actuals(path, sheet="旧版")
    assert named.sheet == "旧版" and ruleset.score(named).total.text() != "99.31"


def test_a_hidden_table_sheet_beside_only_a_readme_is_said_to_be_hidden(tmp_path: Path) -> None:
    """The table hidden, only 填表说明 visible: E530 spoke of 填表说明; E540 names the hidden sheet and
    --sheet."""
    path = seedfiles.simple_workbook(tmp_path)  # 实际值 + 填表说明
    book = openpyxl.load_workbook(path)
    book["实际值"].sheet_state = "hidden"
    book.active = book.sheetnames.index("填表说明")
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert [d.code for d in info.value.diagnostics] == ["E540"]
    zh = jixiao.render_diagnostics(info.value.diagnostics, lang="zh")
    assert "（「填表说明」）都没有指标表" in zh and "「实际值」是隐藏的" in zh and "--sheet 实际值" in zh
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--lang", "en"])
    assert run.exit_code == 1 and "error[E540]" in run.output and "--sheet 实际值" in run.output
    assert (
        jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(path, sheet="实际值")).total.text()
        == "99.31"
    )


def test_a_unit_in_the_number_format_is_read_with_the_number(tmp_path: Path) -> None:
    """10500 in a 0"人" cell shows 10500人: 20 × 10500 ÷ 11000 = 19.09 against ≥1.1万人, not 10500万人."""
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    cell = book["实际值"]["D21"]
    cell.value, cell.number_format = 10500, '#,##0"人"'
    book.save(path)
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    (row,) = [i for i in result.indicators if i.name == "享受补贴人数"]
    assert (row.actual, row.score.text() if row.score else None) == ("10500人", "19.09")
    assert "F105" not in [f.code for f in row.findings]
    cell.number_format = "#,##0"  # a bare 10500 against 万人: 10500人 or 10500万人? (E609)
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    (diag,) = info.value.diagnostics
    assert diag.code == "E609" and diag.span is not None and diag.span.line == 21


@pytest.mark.parametrize(
    ("number_format", "score"),
    [('0!.0000"万人"', "19.09"), ('0"."0000"万人"', "19.09"), ('0!.0,"万人"', "20.00")],
)
def test_a_format_placing_text_among_the_digits_is_read_as_shown(
    tmp_path: Path, number_format: str, score: str
) -> None:
    """10500 in a 0!.0000"万人" cell shows 1.0500万人 (19.09 against ≥1.1万人), not 10500.0000万人 (20.00);
    0!.0,"万人" shows 1.1万人 (÷1000 and rounded: 11, a point before its last digit)."""
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    cell = book["实际值"]["D21"]
    cell.value, cell.number_format = 10500, number_format
    book.save(path)
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    (row,) = [i for i in result.indicators if i.name == "享受补贴人数"]
    assert row.score is not None and row.score.text() == score
    assert row.actual in ("1.0500万人", "1.1万人")


@pytest.mark.parametrize(
    "number_format",
    [
        '[>=10000]0!.0000"万人";0',
        '[DBNum1]0!.0000"万人"',
        '#,##0!.0000"万人"',
        '0"x"' * 100_000 + "0",  # a crafted format: not laid out digit by digit
    ],
)
def test_a_placed_format_not_read_exactly_is_an_error_at_the_cell(tmp_path: Path, number_format: str) -> None:
    path = seedfiles.simple_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    cell = book["实际值"]["D21"]
    cell.value, cell.number_format = 10500, number_format
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(path)
    assert _codes(info) == [("E539", 21, 4)]
    zh = jixiao.render_diagnostics(info.value.diagnostics, lang="zh")
    assert "工作表「实际值」第21行 (D21): error[E539]" in zh and "设为文本" in zh
    en = jixiao.render_diagnostics(info.value.diagnostics, lang="en")
    assert "make the cell text" in en


# -- the load_actuals API ----------------------------------------------------------------------------------
def test_every_kind_of_input(tmp_path: Path) -> None:
    data = SEED_ACTUALS.read_bytes()
    workbook = seedfiles.simple_workbook(tmp_path).read_bytes()
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    inputs = [
        jixiao.load_actuals(SEED_ACTUALS),
        jixiao.load_actuals(str(SEED_ACTUALS)),
        jixiao.load_actuals(data.decode("utf-8").encode("gb18030")),
        jixiao.load_actuals(io.BytesIO(workbook)),
        jixiao.load_actuals(io.StringIO(SEED_TEXT)),
        jixiao.load_actuals(text=SEED_TEXT),
        jixiao.load_actuals(rows=seedfiles.ROWS),
        jixiao.load_actuals(data, format="csv", encoding="utf-8", name="上传的文件.csv"),
    ]
    assert [ruleset.score(a).total.text() for a in inputs] == ["99.31"] * len(inputs)
    assert inputs[-1].path == "上传的文件.csv" and inputs[3].format == "xlsx"


def test_a_str_is_always_a_path() -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(SEED_TEXT.splitlines()[0])
    assert info.value.diagnostics[0].code == "E105"


@pytest.mark.parametrize(
    "call", [lambda: jixiao.load_actuals(42), lambda: jixiao.load_actuals(b"", text="x"), jixiao.load_actuals]
)
def test_wrong_inputs_are_jixiao_errors(call: object) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        call()  # type: ignore[operator]
    assert info.value.diagnostics[0].code == "E520"


# -- only JixiaoErrors, whatever comes in ------------------------------------------------------------------
FORMATS = st.sampled_from([None, "csv", "tsv", "yaml", "json", "xlsx"])
TABLE_TEXT = st.text(
    alphabet=",，\t\n\r\"'/—-:：[]{}&*!#| 0123456789.%万人元约一级二三指标实际完成值预算执行年度资金总额全年数其中项目规则",
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), FORMATS)
def test_arbitrary_bytes_raise_only_jixiao_errors(data: bytes, fmt: str | None) -> None:
    for content in (data, b"PK\x03\x04" + data, b"\xef\xbb\xbf" + data):
        try:
            jixiao.load_actuals(content, format=fmt)
        except jixiao.JixiaoError:
            pass


@settings(max_examples=150, deadline=None)
@given(TABLE_TEXT, FORMATS)
def test_arbitrary_table_text_raises_only_jixiao_errors(text: str, fmt: str | None) -> None:
    for content in (text, SEED_TEXT[: len(text)] + text, "三级指标,实际完成值\n" + text):
        try:
            jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(text=content, format=fmt))
        except jixiao.JixiaoError:
            pass


def test_the_encoding_benchmark_samples_are_all_decoded_right() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_encodings

    outcomes = {
        label: bench_encodings.cascade(data) for label, (data, _) in bench_encodings.samples().items()
    }
    expected = {
        label: text or "<refused: JixiaoError>" for label, (_, text) in bench_encodings.samples().items()
    }
    assert outcomes == expected


def test_a_format_that_text_cannot_have_is_said() -> None:
    codes = []
    for fmt in ("xlsx", "dat"):
        with pytest.raises(jixiao.JixiaoError) as info:
            jixiao.load_actuals(text=SEED_TEXT, format=fmt)
        codes.append(info.value.diagnostics[0].code)
    assert codes == ["E520", "E127"]


def test_places_read_well_in_english(tmp_path: Path) -> None:
    path, shown = _unit_error_shown(tmp_path, "en")
    assert f"{path}:21:4: sheet “实际值”, row 21, column “实际完成值” (D21): error[E506]" in shown


@pytest.mark.parametrize(
    ("fmt", "text", "place", "problem"),
    [
        ("json", "[" * 100_000 + "]" * 100_000, (1, 33), "括号嵌套超过 32 层"),
        ("json", '{"a":' * 10_000 + "1" + "}" * 10_000, (1, 161), "括号嵌套超过 32 层"),
        # PyYAML's scanner is quadratic in depth: refused before it
        ("yaml", "a: " + "[" * 100_000, (1, 36), "括号嵌套超过 32 层"),
        ("yaml", "a:\n" + "- " * 5_000 + "x\n", (2, 201), "缩进超过 200 列"),
        ("yaml", "".join(" " * i + f"k{i}:\n" for i in range(1_000)), (202, 201), "缩进超过 200 列"),
    ],
)
def test_deep_nesting_is_a_syntax_error_at_its_place_not_a_crash(
    fmt: str, text: str, place: tuple[int, int], problem: str
) -> None:
    """At the bracket or the line that goes too deep, with the line (was 1:1, no line shown)."""
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text, format=fmt)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "E525" and diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == place
    assert problem in diagnostic.message("zh")
    shown = render_all(info.value.diagnostics, "en")
    assert f"<text>:{place[0]}:{place[1]}" in shown and "^" in shown, shown


@pytest.mark.parametrize(
    ("name", "text", "place"),
    [
        ("a.json", '[{"' + "键" * 1_100 + '": "1"}]', (1, 3)),  # valid JSON: was "expected ',' or '}'"
        ("a.yaml", "- 三级指标: x\n  " + "键" * 1_100 + ": 1\n", (2, 3)),
    ],
)
def test_a_key_longer_than_pyyaml_reads_is_said_to_be_too_long(
    name: str, text: str, place: tuple[int, int]
) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text.encode(), name=name)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "E525" and diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == place
    assert "键超过 1024 个字符" in diagnostic.message("zh")
    assert "a key longer than 1024 characters" in diagnostic.message("en")


LONE = "\ud800"  # no character: text given to the API, or a JSON escape, can hold one


@pytest.mark.parametrize(
    ("given", "line", "column"),
    [
        ({"text": f"三级指标,实际完成值\n享受补贴人数,1{LONE}\n"}, 2, 2),  # the quick reader's kind of text
        ({"text": f'三级指标,实际完成值\n"享受补贴人数",1{LONE}\n'}, 2, 2),  # the full reader's
        ({"text": '{"实际值": [{"三级指标": "x", "实际完成值": "1\\ud800"}]}', "format": "json"}, 1, 33),
        ({"rows": [{"三级指标": f"x{LONE}", "实际完成值": "1"}]}, 2, 1),
    ],
    ids=["csv", "csv-quoted", "json-escape", "rows"],
)
def test_a_lone_surrogate_is_an_error_at_its_cell_never_dropped(
    given: dict[str, object], line: int, column: int
) -> None:
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.load_actuals(**given)  # type: ignore[arg-type]
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "E128" and diagnostic.args["code"] == "D800"
    assert diagnostic.span is not None and (diagnostic.span.line, diagnostic.span.column) == (line, column)
    assert "U+D800" in caught.value.text("zh") and "lone UTF-16 surrogate" in caught.value.text("en")


def test_a_lone_surrogate_in_a_long_tables_project_name_is_reported_by_the_full_reader() -> None:
    text = f"项目,三级指标,实际完成值\n甲{LONE},享受补贴人数,1\n乙,享受补贴人数,2\n"
    assert read_long_text(text, "long.csv", "csv") is None  # declined: the full reader reports it
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.load_actuals(text=text.split("乙")[0])
    assert [(d.code, d.span and d.span.column) for d in caught.value.diagnostics] == [("E128", 1)]


def _deadline_book(tmp_path: Path, typed: object, number_format: str | None = None) -> Path:
    """A ruleset with one deadline (12月底前, 年度 2020) beside it, and a workbook whose one row is `typed`."""
    (tmp_path / "r.jx").write_text(
        '项目 "道路" 年度 2020 {\n  采用 "standard/central"\n  预算执行 不评分\n'
        "  产出指标 / 时效指标 {\n    完成时间  目标 12月底前  分值 100\n  }\n}\n",
        encoding="utf-8",
    )
    book = openpyxl.Workbook()
    book.active.append(["三级指标", "实际完成值"])
    book.active.append(["完成时间", typed])
    if number_format is not None:
        book.active["B2"].number_format = number_format
    book.save(tmp_path / "a.xlsx")
    return tmp_path / "a.xlsx"


def test_a_date_serial_in_a_general_cell_is_explained(tmp_path: Path) -> None:
    """44185 in a General cell is the date 2020-12-20 that lost its format: E603 says so."""
    workbook = _deadline_book(tmp_path, 44185)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(tmp_path / "r.jx").score(workbook)
    (diag,) = info.value.diagnostics
    assert diag.code == "E603"
    assert "像是 Excel 的日期序号（即 2020-12-20）" in jixiao.render_diagnostics([diag], lang="zh")
    assert "Excel date serial (2020-12-20)" in jixiao.render_diagnostics([diag], lang="en")


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        (dt.datetime(2020, 12, 31, 15, 30), "100.00"),  # the day of the deadline, whatever the hour
        (dt.datetime(2020, 12, 31, 23, 59, 59), "100.00"),
        (dt.datetime(2021, 1, 1, 0, 30), "0.00"),
    ],
)
def test_a_date_with_a_time_is_read_as_its_day(tmp_path: Path, typed: dt.datetime, score: str) -> None:
    """2020-12-31 15:30 in a `yyyy-mm-dd hh:mm` cell was E505 (「值中有不止一个数」): a deadline is a day."""
    workbook = _deadline_book(tmp_path, typed, "yyyy-mm-dd hh:mm")
    result = jixiao.load_ruleset(tmp_path / "r.jx").score(workbook)
    (row,) = result.indicators
    assert row.actual == typed.date().isoformat()
    assert row.score is not None and row.score.text() == score


def test_a_message_about_a_yaml_file_shows_its_own_line(tmp_path: Path) -> None:
    """E508 (an indicator missing) points at the rows' first line as written: it showed the column names
    joined (一级指标, 二级指标, …), a line the file does not have."""
    path = tmp_path / "a.yaml"
    path.write_text("实际值:\n  - {三级指标: 享受补贴人数, 实际完成值: 1.11万人}\n", encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.load_ruleset(SEED_RULESET).score(path)
    first = caught.value.diagnostics[0]
    shown = render_all([first])
    assert first.code == "E508" and first.span is not None and first.span.line == 2
    assert "三级指标, 实际完成值" not in shown and "- {三级指标: 享受补贴人数" in shown, shown
