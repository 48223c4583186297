"""Files that are not tables (issue 11): an image, a PDF, a Word document, an archive or random bytes
given as actual values are named for what they are, with what to give instead — not "not UTF-8" (E106)
or "binary file" (E105). The reader decides, so the CLI, the API and the server say the same."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import jixiao
from jixiao.cli import main
from jixiao.io.actuals.kinds import SIGNATURES

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "shangjie-pension" / "2020.jx"
SEED_ACTUALS = SEED.with_name("2020.actuals.csv")
NOISE = random.Random(11).randbytes(3000)
PROJECT = "城乡居民基本养老保险费财政补助资金"


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


# (file name, bytes, code, words of the message)
FILES = [
    ("实际值.xlsx", b"\x89PNG\r\n\x1a\n" + NOISE, "E987", "PNG 图片"),
    ("自评表照片.png", b"\x89PNG\r\n\x1a\n" + NOISE, "E987", "PNG 图片"),
    ("扫描件.csv", b"\xff\xd8\xff\xe0" + NOISE, "E987", "JPEG 图片"),
    ("自评表.xlsx", b"%PDF-1.7\n" + NOISE, "E987", "PDF 文档"),
    ("自评报告.xlsx", zipped("[Content_Types].xml", "word/document.xml"), "E987", "Word 文档"),
    ("附件.xlsx", zipped("a.txt"), "E987", "ZIP 压缩包"),
    ("实际值.xlsx", NOISE, "E988", "文件名是 .xlsx"),
    ("实际值.csv", NOISE, "E989", "二进制数据"),
]


@pytest.mark.parametrize(("name", "data", "code", "words"), FILES, ids=[f"{f[2]}-{f[0]}" for f in FILES])
def test_the_cli_names_what_the_file_is(
    tmp_path: Path, name: str, data: bytes, code: str, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    run = CliRunner().invoke(main, ["score", str(SEED), str(path)])
    assert run.exit_code == 1, run.output
    assert f"error[{code}]" in run.output and words in run.output
    if code == "E987":  # as docs/files.md writes it: a space before the kind's Latin name
        assert f"而是 {words}" in run.output
    assert "Traceback" not in run.output and "E105" not in run.output and "E106" not in run.output
    assert (
        "Excel 工作簿（*.xlsx）" in run.output or "Excel 工作簿（.xlsx）" in run.output
    )  # what to give instead


def test_english_names_the_kind_too(tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + NOISE)
    run = CliRunner().invoke(main, ["score", str(SEED), str(path), "--lang", "en"])
    assert "this is not a table file but a PNG image" in run.output


@given(
    st.sampled_from(SIGNATURES), st.binary(max_size=200), st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a"])
)
def test_a_known_signature_is_named_whatever_the_file_is_called(
    signature: tuple[bytes, tuple[str, str]], tail: bytes, name: str
) -> None:
    magic, (kind, _) = signature
    with pytest.raises(jixiao.JixiaoError) as raised:
        jixiao.load_actuals(magic + tail, name=name)
    [diag] = raised.value.diagnostics
    assert diag.code == "E987" and kind in diag.message("zh")


def test_text_in_another_encoding_is_still_an_encoding_problem() -> None:
    """GBK that is not plausible Chinese stays E106: it is text, and the fix is its encoding."""
    data = "一级指标,二级指标,三级指标,实际完成值\n".encode() + bytes([0xFF, 0xFE, 0x41]) * 3
    with pytest.raises(jixiao.JixiaoError) as raised:
        jixiao.load_actuals(data, name="实际值.csv")
    assert [d.code for d in raised.value.diagnostics] == ["E106"]


def test_an_opendocument_spreadsheet_keeps_its_own_advice() -> None:
    with pytest.raises(jixiao.JixiaoError) as raised:
        jixiao.load_actuals(zipped("mimetype", "content.xml"), name="实际值.ods")
    assert [d.code for d in raised.value.diagnostics] == ["E123"]


@given(st.binary(min_size=1, max_size=300), st.sampled_from([".xlsx", ".xls", ".xlsm", ".et"]))
def test_bytes_named_a_workbook_that_no_encoding_reads_are_e988_not_e106(data: bytes, suffix: str) -> None:
    """Random bytes without NUL (100 random bytes named .xlsx were E106 "save it as UTF-8" about one time
    in three): a workbook's name promises a workbook; only text that decodes is read as a table."""
    try:
        jixiao.load_actuals(data, name=f"实际值{suffix}")
    except jixiao.JixiaoError as exc:
        codes = {d.code for d in exc.diagnostics}
        assert "E106" not in codes and "E105" not in codes
        if not ({"E987", "E988", "E123", "E124"} & codes):  # otherwise it read as text: a table's own errors
            assert all(code.startswith(("E5", "F", "W")) for code in codes), codes


def test_an_empty_file_says_so(tmp_path: Path) -> None:
    for name, data, code in (
        ("零.xlsx", b"", "E528"),  # 0 bytes: empty, whatever its name (not "a damaged workbook")
        ("零.csv", b"", "E528"),
        ("空行.csv", b"\xef\xbb\xbf\r\n  \r\n", "E528"),
        ("零.json", b"", "E528"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        run = CliRunner().invoke(main, ["score", str(SEED), str(path)])
        assert run.exit_code == 1 and f"{path}:1:1: error[{code}]" in run.output, run.output
        assert "E501" not in run.output and "三级指标" not in run.output


def test_an_approximate_budget_amount_says_why_it_is_refused() -> None:
    """约95 in a budget cell: "must be exact", not "a number is expected here" (it holds one)."""
    case = ROOT / "tests" / "cases" / "errors" / "budget-approximate"
    run = CliRunner().invoke(main, ["score", str(case / "ruleset.jx"), str(case / "actuals.csv")])
    assert "无法识别的实际完成值「约95」：金额要写确切的数，不能是约数" in run.output
    assert "此处应有一个数" not in run.output


def test_an_empty_workbook_says_it_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(path)
    run = CliRunner().invoke(main, ["score", str(SEED), str(path)])
    assert run.exit_code == 1 and "error[E528]: 实际值文件是空的" in run.output, run.output
    assert "三级指标" not in run.output


def test_a_readme_in_a_folder_is_said_to_be_no_table(tmp_path: Path) -> None:
    (tmp_path / "说明.txt").write_text("本文件夹为2020年度自评表，请勿删除。\n", encoding="utf-8")
    (tmp_path / "实际值.csv").write_bytes(SEED_ACTUALS.read_bytes())
    run = CliRunner().invoke(main, ["score", str(SEED), str(tmp_path)])  # found in a folder: skipped (W131)
    assert run.exit_code == 0 and "99.31" in run.stdout
    assert "warning[W131]: 跳过" in run.stderr and "E519" not in run.stderr and "E530" not in run.stderr
    run = CliRunner().invoke(main, ["score", str(SEED), str(tmp_path / "说明.txt")])  # named: what it is
    assert run.exit_code == 1 and "error[E530]: 这不是实际值表格" in run.stderr and "E519" not in run.stderr
    typo = tmp_path / "错字.csv"  # a header with typos is still told column by column
    typo.write_text("三级之标,实际完成直\n享受补贴人数,1.11万人\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED), str(typo)])
    assert "E502" in run.output and "E530" not in run.output


@pytest.mark.parametrize(
    "first", ["项目名称：某项目", "项目名称：某项目，备注：无", "备注：见附件", "三级指标：见下表"]
)
def test_a_note_starting_with_a_label_and_its_value_is_said_to_be_no_table(
    tmp_path: Path, first: str
) -> None:
    """`项目名称：某项目` is a label and its value, not a typo of the 项目名称 column: E530 as for prose,
    not E502 and two E501s; in a folder, a text skipped (W131) as prose is."""
    (tmp_path / "notes.txt").write_text(f"{first}\n说明：见附件\n", encoding="utf-8")
    (tmp_path / "实际值.csv").write_bytes(SEED_ACTUALS.read_bytes())
    run = CliRunner().invoke(main, ["score", str(SEED), str(tmp_path)])
    assert run.exit_code == 0 and "99.31" in run.stdout
    assert f"{tmp_path / 'notes.txt'}: warning[W131]" in run.stderr
    run = CliRunner().invoke(main, ["score", str(SEED), str(SEED_ACTUALS), str(tmp_path / "notes.txt")])
    assert run.exit_code == 1 and "99.31" in run.stdout
    assert f"{tmp_path / 'notes.txt'}:1:1: error[E530]" in run.stderr
    assert "E502" not in run.stderr and "E501" not in run.stderr
    header = tmp_path / "表头.csv"  # a header whose cells end in a colon, or hold a unit, is still a header
    header.write_text("三级指标：,实际完成值（单位：万人）\n享受补贴人数,1.11\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED), str(header)])
    assert "E530" not in run.output


@pytest.mark.parametrize(
    "note",
    [
        "项目名称: 某项目\n说明: 见附件\n",  # a flat mapping as YAML reads it (was E524)
        "项目名称: 某项目\n这个项目的说明如下\n负责人: 张三\n",  # a line of text: a YAML error (was E525)
        "说明: 时间: 2020年\n",  # a colon in the value: a YAML error (was E525)
        "# 备忘\n负责人: 张三\n- 第一点\n",  # a bullet of text
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_note_with_half_width_colons_is_no_table_as_its_full_width_twin(
    tmp_path: Path, note: str, lang: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(note, encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED), str(path), "--lang", lang])
    assert run.exit_code == 1
    first = next(n for n, line in enumerate(note.splitlines(), 1) if not line.startswith("#"))
    assert f"{path}:{first}:1: error[E530]" in run.stderr
    assert ("这不是实际值表格" if lang == "zh" else "this is not a table of actual values") in run.stderr
    assert "E524" not in run.stderr and "E525" not in run.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("项目: 某项目\n规则: 2020.jx\n", "E524"),  # a document whose rows are missing
        ("三级指标: 享受补贴人数\n实际完成值: 1.11万人\n", "E524"),  # a row without its list
        ("项目: 某项目\n实际值: 1\n", "E524"),
        ("负责人: 张三\n实际值:\n  - {三级指标: 享受补贴人数, 实际完成值: [}\n", "E525"),
    ],
)
def test_a_yaml_document_with_a_mistake_is_still_told_its_yaml_error(text: str, code: str) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text, name="实际值.yaml")
    assert [d.code for d in info.value.diagnostics] == [code]


@pytest.mark.parametrize(
    "text",
    ["负责人: 张三\n" * 200_000, "x" * 2_000_000, "负责人: 张三\n" * 100_000 + "- 第一点\n" + "y" * 100_000],
)
def test_a_huge_note_is_e530_at_its_first_line_with_a_short_excerpt(text: str) -> None:
    """Hostile size: one pass over the lines (PyYAML took a minute over 200 000 such lines: E524); the
    excerpt shows the start of a line, never the whole of a huge one."""
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text, format="yaml", name="说明.txt")
    (diag,) = info.value.diagnostics
    assert diag.code == "E530" and diag.span is not None and (diag.span.line, diag.span.column) == (1, 1)
    assert len(jixiao.render_diagnostics([diag])) < 2000


def test_a_yaml_actual_value_file_with_a_comment_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "实际值.yaml").write_text(
        "# 备忘: 按月发放\n项目名称: 城乡居民基本养老保险费财政补助资金\n规则: 2020.jx\n实际值:\n"
        "  - {三级指标: 享受补贴人数, 实际完成值: 约发放人数1.11万人}\n",
        encoding="utf-8",
    )
    actuals = jixiao.load_actuals(tmp_path / "实际值.yaml")
    assert [e.row.actual for e in actuals.entries] == ["约发放人数1.11万人"]


def test_an_old_workbook_is_named_apart_from_the_words_around_it(tmp_path: Path) -> None:
    path = tmp_path / "旧.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(600))
    run = CliRunner().invoke(main, ["score", str(SEED), str(path)])
    assert "无法读取 Excel 97-2003（.xls）" in run.output


@pytest.mark.parametrize("colon", [":", "："])
@pytest.mark.parametrize("separator", ["\t", ","])
def test_a_project_line_above_a_delimited_header_is_read_as_in_csv(
    tmp_path: Path, colon: str, separator: str
) -> None:
    """`项目名称: 某项目` above a tab- or comma-separated header (a .txt): not YAML, not one column of
    comma text — the header below is found as in a .csv file."""
    seed = SEED_ACTUALS.read_text(encoding="utf-8").splitlines()
    lines = [f"项目名称{colon} {PROJECT}", *(line.replace(",", separator) for line in seed)]
    path = tmp_path / "实际值.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED), str(path)])
    assert run.exit_code == 0, run.output
    assert "99.31" in run.stdout and "E530" not in run.output


def test_a_flat_mapping_in_a_yaml_file_is_told_what_a_yaml_file_holds(tmp_path: Path) -> None:
    """A file named .yaml that is a flat `指标: 值` mapping is E524 (实际值 missing, the shape shown); the
    same text in a .txt is a note (E530); a huge one is said at once."""
    text = "享受补贴人数: 1.11万人\n发放准确率: 100%\n群众满意度: 95%\n"
    for name, code in (("实际值.yaml", "E524"), ("实际值.yml", "E524"), ("说明.txt", "E530")):
        with pytest.raises(jixiao.JixiaoError) as info:
            jixiao.load_actuals(text=text, name=name)
        assert [d.code for d in info.value.diagnostics] == [code], name
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED), str(tmp_path / "a.yaml")])
    assert "error[E524]" in run.stderr and "实际值: [{三级指标" in run.stderr
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text="负责人: 张三\n" * 200_000, name="大.yaml")
    assert [d.code for d in info.value.diagnostics] == ["E524"]
