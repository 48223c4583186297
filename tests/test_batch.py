"""Batch scoring: many projects in one command, a summary, one file each, the broken ones reported."""

from __future__ import annotations

import csv
import errno
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import CASES, SEED_ACTUALS, SEED_RULESET, seed_score_process
from hypothesis import given
from hypothesis import strategies as st

import jixiao
from jixiao.cli import batch as batch_cli
from jixiao.cli import main
from jixiao.cli import progress as progress_module
from jixiao.cli.progress import Progress
from jixiao.diagnostics import Diagnostic, Span
from jixiao.io import parallel, projects, rulesets
from jixiao.io.batch import score_projects
from jixiao.io.projects import read_projects
from jixiao.io.render.summary import file_names
from jixiao.io.render.written import attempt

SEED = SEED_ACTUALS.read_text(encoding="utf-8")
TABLES = Path(__file__).resolve().parent / "tables"
PEOPLE = "约发放人数1.11万人"


def project(folder: Path, name: str, people: str = PEOPLE) -> Path:
    path = folder / f"{name}.csv"
    path.write_text(SEED.replace(PEOPLE, people), encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["score", str(SEED_RULESET), *map(str, args)])


SEED_NAME = "城乡居民基本养老保险费财政补助资金"  # the seed ruleset's 项目 "…"


def summary_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_a_thousand_projects_with_one_broken(tmp_path: Path) -> None:
    """1,000 generated projects, number 537 broken: 999 scored into files, the broken one reported, exit 1."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for i in range(1, 1001):
        people = "很多人" if i == 537 else f"{10000 + i}人"  # ≥1.1万人: 11000 and up score full marks
        project(inputs, f"p{i:04d}", people)
    result = run(inputs, "--output", out, "--format", "csv", "--quiet")
    assert result.exit_code == 1
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 1000 and "汇总.csv" in files and "p0537.csv" not in files
    rows = summary_rows((out / "汇总.csv").read_bytes())
    header, body = rows[0], rows[1:]
    assert header == [
        "序号",
        "项目名称",
        "文件",
        "输出文件",
        "评分规则",
        "总得分",
        "等级",
        "执行率",
        "复核提示",
        "错误",
    ]
    assert len(body) == 1000
    broken = body[536]
    # named as the scored ones are, by the ruleset's 项目 "…" (the file is in its own column); no output file
    assert broken[:4] == ["537", SEED_NAME, str(inputs / "p0537.csv"), ""]
    assert broken[5:7] == ["", ""] and broken[9] == f"E603 {inputs / 'p0537.csv'}:21:4"
    assert body[0][1] == SEED_NAME and body[0][3] == "p0001.csv"
    assert body[0][5:8] == ["97.49", "优", "93.76%"]  # 10001 of 11000 people: 20 × 10001 ÷ 11000 = 18.18
    assert body[999][5:8] == ["99.31", "优", "93.76%"]  # 11000 people: full marks
    assert all(row[9] == "" for i, row in enumerate(body) if i != 536)
    assert f"{inputs / 'p0537.csv'}:21:4: 第21行「实际完成值」列: error[E603]" in result.stderr
    assert f"第 537 个项目「{SEED_NAME}」" in result.stderr
    assert "评分 999 个项目，1 个有错误" in result.stdout
    one = list(csv.reader(io.StringIO((out / "p0999.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert ["总分值", "100.00", "总得分", "99.31", "等级", "优"] in one


@pytest.fixture
def three(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    project(folder, "a")
    project(folder, "b", "很多人")
    project(folder, "c", "1.0万人")
    return folder


def test_a_batch_on_stdout_is_the_summary_then_each_table(three: Path) -> None:
    result = run(three)
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("批量评分汇总\n")
    assert out.index("==== 1. a") < out.index("==== 3. c")
    assert "==== 2. b" not in out  # the broken one has no table, only its errors
    assert out.count("总分值 100.00") == 2
    assert "E603" in result.stderr


def test_a_batch_as_json(three: Path) -> None:
    result = run(three, "--format", "json")
    document = json.loads(result.stdout)
    jsonschema.validate(document, jixiao.schema("batch"))
    assert [row["total"] for row in document["summary"]] == ["99.31", None, "97.49"]
    assert [p["total"] for p in document["projects"]] == ["99.31", "97.49"]
    (failed,) = document["failed"]
    assert (failed["index"], failed["diagnostics"][0]["code"]) == (2, "E603")
    assert failed["diagnostics"][0]["span"]["line"] == 21


def test_a_batch_as_one_workbook(three: Path) -> None:
    result = run(three, "--format", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert book.sheetnames == ["汇总", "a", "c", "复核提示"]
    summary = book["汇总"]
    assert summary["D1"].value == "工作表"  # which sheet holds each project's table
    assert [c.value for c in summary[4]][:8] == [
        3,
        "城乡居民基本养老保险费财政补助资金",  # the ruleset's project: c.csv has no 项目名称
        str(three / "c.csv"),
        "c",
        str(SEED_RULESET),
        97.49,
        "优",
        0.9376,
    ]
    assert summary["F4"].number_format == "0.00" and summary["H4"].number_format == "0.00%"
    assert summary.cell(4, 10).value in (None, "")
    assert summary.cell(3, 10).value.startswith("E603 ")
    assert summary.cell(3, 4).value in (None, "")  # b.csv has errors: no sheet
    assert book["复核提示"]["A1"].value == "项目名称"  # a batch's findings name their project


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv", "xlsx", "html"])
def test_every_format_writes_one_file_per_project_and_the_summary(
    three: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / fmt
    result = run(three, "--output", out, "--format", fmt)
    assert result.exit_code == 1
    ext = {"table": "txt", "markdown": "md"}.get(fmt, fmt)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"a.{ext}", f"c.{ext}", f"汇总.{ext}"])
    assert "序号" in result.stdout  # the summary is shown on the terminal too
    assert f"已写入 3 个文件到 {out}" in result.stderr


def test_the_html_summary_links_each_project(three: Path, tmp_path: Path) -> None:
    out = tmp_path / "html"
    run(three, "--output", out, "--format", "html")
    page = (out / "汇总.html").read_text(encoding="utf-8")
    name = "城乡居民基本养老保险费财政补助资金"  # the ruleset's project: the files have no 项目名称
    assert f'<a href="a.html">{name}</a>' in page and f'<a href="c.html">{name}</a>' in page
    assert 'href="b.html"' not in page


def test_the_json_summary_names_each_projects_file_as_the_text_summary_does(
    three: Path, tmp_path: Path
) -> None:
    """汇总.json had no counterpart of the 输出文件 column: each row's "output" is the project's file in the
    folder, null for one not written (it failed); the batch on stdout writes no files and has no key."""
    out = tmp_path / "json"
    result = run(three, "--output", out, "--format", "json", "--quiet")
    assert result.exit_code == 1
    document = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, jixiao.schema("batch"))
    assert [row["output"] for row in document["summary"]] == ["a.json", None, "c.json"]
    assert list(document["summary"][1])[:5] == ["index", "project", "origin", "output", "ruleset"]
    assert all((out / row["output"]).is_file() for row in document["summary"] if row["output"])
    printed = json.loads(run(three, "--format", "json").stdout)
    assert all("output" not in row for row in printed["summary"])


def test_one_folder_is_a_batch_even_with_one_file(tmp_path: Path) -> None:
    project(tmp_path, "only")
    result = run(tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith("批量评分汇总")


README_ZH = "这个文件夹放的是 2020 年的自评表。\n请用 jixiao score 评分。\n"
README_EN = "Read me, please. Scores are computed, exactly.\n\nSecond paragraph, with commas.\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_readme_in_a_folder_is_skipped_and_said(tmp_path: Path, jobs: str) -> None:
    """A README.txt (Chinese or English) in the folder is listed as skipped (W131), not a failed project;
    readme.md and 说明.docx are not read at all (their suffixes); the others are numbered without it."""
    folder = tmp_path / "表"
    folder.mkdir()
    (folder / "README.txt").write_text(README_ZH, encoding="utf-8")
    (folder / "b-readme.txt").write_text(README_EN, encoding="utf-8")
    (folder / "readme.md").write_text("# 说明\n", encoding="utf-8")
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not really a document")
    project(folder, "c")
    result = run(folder, "-q", "-j", jobs)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning[W131]") == 2 and "README.txt" in result.stderr, result.stderr
    assert "b-readme.txt" in result.stderr
    rows = [line for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert len(rows) == 1 and rows[0].startswith("1 ") and "c.csv" in rows[0], rows
    english = run(folder, "-q", "--lang", "en")
    assert "skipped “" in english.stderr and "a text such as a readme" in english.stderr
    out = tmp_path / "结果"
    written = run(folder, "-q", "-o", out, "--format", "csv")
    assert written.exit_code == 0 and "W131" in written.stderr
    assert [row[0] for row in summary_rows((out / "汇总.csv").read_bytes())[1:]] == ["1"]


def test_a_broken_table_in_a_text_file_still_fails(tmp_path: Path) -> None:
    """Tab-separated data, or a header with a known column, is a table whose header went wrong: an error
    as before; so is a README named on the command line, or the only file of a folder."""
    project(tmp_path, "a")
    (tmp_path / "b.txt").write_text("一级指标\t二级指标\t三级\t实际\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("一级指标,二级指标,三级,实际\n", encoding="utf-8")
    result = run(tmp_path, "-q")
    assert result.exit_code == 1 and "W131" not in result.stderr
    assert "b.txt" in result.stderr and "c.txt" in result.stderr
    readme = tmp_path / "README.txt"
    readme.write_text(README_ZH, encoding="utf-8")
    named = run(SEED_ACTUALS, readme, "-q")
    assert named.exit_code == 1 and "E530" in named.stderr and "W131" not in named.stderr
    alone = tmp_path / "only"
    alone.mkdir()
    (alone / "README.txt").write_text(README_ZH, encoding="utf-8")
    only = run(alone, "-q")
    assert only.exit_code == 1 and "E530" in only.stderr and "W131" not in only.stderr


def test_a_hostile_text_is_looked_at_in_bounded_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """W131 looks at most at NOTE_LINES lines of NOTE_CELLS cells, whatever the file's size."""
    path = tmp_path / "huge.txt"
    path.write_text(("x," * 10_000 + "\n") * 300, encoding="utf-8")  # 6 MB, 3 million cells
    looked: list[str] = []

    class Counting:
        def column(self, label: str) -> None:
            looked.append(label)

    monkeypatch.setattr(projects, "shared_vocabulary", Counting)
    found = projects.not_a_table(str(path), [Diagnostic("E530", Span(str(path), 1, 1), {})])
    assert found is not None and found.code == "W131"
    assert len(looked) <= projects.NOTE_LINES * projects.NOTE_CELLS


def test_a_broken_ruleset_is_reported_once(three: Path) -> None:
    bad = CASES / "eval" / "err-syntax" / "ruleset.jx"
    result = CliRunner().invoke(main, ["score", str(bad), str(three)])
    assert result.exit_code == 1
    assert result.stderr.count("error[E1") == 1  # printed for the first project, "as above" for the others
    assert result.stderr.count("同上") == 2


def test_projects_naming_their_own_ruleset_are_scored_with_it(three: Path) -> None:
    case = CASES / "eval" / "not-applicable-rescale"
    own = next(read_projects([case / "actuals.csv"]))
    mine = type(own)(own.name, own.origin, own.actuals, own.error, str(case / "ruleset.jx"))
    outcomes = list(score_projects([*read_projects([three / "a.csv"]), mine], str(SEED_RULESET)))
    assert [o.ruleset for o in outcomes] == [str(SEED_RULESET), str(case / "ruleset.jx")]
    assert [o.result.total.text() for o in outcomes if o.result] == ["99.31", "95.71"]


def test_file_names_are_safe_and_unique() -> None:
    names = file_names(["a/b", "A/B", "con", "x\x1b[31m", "汇总", "..", "   "], "csv", reserved=["汇总.csv"])
    assert names == [
        "a_b.csv",
        "A_B-2.csv",
        "con_.csv",
        "x[31m.csv",
        "汇总-2.csv",
        "project.csv",
        "project-2.csv",
    ]


def _first_free(names: list[str], extension: str, reserved: list[str]) -> list[str]:
    """`file_names` as first written: each suffix tried from 1 (quadratic for one name many times)."""
    taken = {r.lower() for r in reserved}
    out = []
    for name in names:
        (base,) = file_names([name], "x")  # its safe form, alone
        base = base[: -len(".x")]
        candidate, n = f"{base}.{extension}", 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}-{n}.{extension}"
        taken.add(candidate.lower())
        out.append(candidate)
    return out


@given(
    st.lists(
        st.sampled_from(["a", "A", "a-2", "a-3", "A-2", "b", "con", "汇总", "", "..", "a.b", "x/y", "x_y"])
    )
)
def test_file_names_are_the_first_free_suffix(names: list[str]) -> None:
    """Names that take the suffix a name was last given (not trying each from 1) are still the first free
    one, whatever names came before: a project named like another's suffixed name (a-2) included."""
    assert file_names(names, "csv", reserved=["汇总.csv"]) == _first_free(names, "csv", ["汇总.csv"])


@given(st.text(alphabet=st.sampled_from("城乡居民a1 .😀é"), min_size=80, max_size=300))
def test_a_long_project_name_fits_the_systems_name_limit(name: str) -> None:
    """Linux and macOS take 255 bytes a name (85 Chinese characters): a long 项目名称 is cut on a character,
    with room for a suffix and the longest extension (`import`'s .actuals.csv)."""
    for made in file_names([name] * 12, "actuals.csv"):
        assert len(made.encode("utf-8")) <= 255 and not made.startswith((" ", "."))


def test_a_file_name_too_long_says_so_in_chinese(
    three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def long(self: Path, data: bytes) -> int:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(self))

    monkeypatch.setattr(Path, "write_bytes", long)
    result = run(three, "--output", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        "error[E950]: 无法写入输出文件：文件名或路径太长" in result.stderr
        and "File name" not in result.stderr
    )


def test_many_projects_of_one_name_are_numbered_in_order() -> None:
    names = file_names(["同名"] * 3000 + ["同名-2"], "json")
    assert names[:3] == ["同名.json", "同名-2.json", "同名-3.json"] and names[2999] == "同名-3000.json"
    assert names[3000] == "同名-2-2.json" and len(set(names)) == 3001


# -- the progress bar -----------------------------------------------------------------------------
class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_waits_a_second_then_draws_and_erases_itself() -> None:
    now = [0.0]
    stream = Terminal()
    progress = Progress(4, "评分", stream=stream, clock=lambda: now[0])
    progress.advance("a")
    assert stream.getvalue() == ""  # a short run shows nothing
    now[0] = 1.5
    progress.advance("项目\x1b[2J乙")
    assert "评分 2/4 [############............]  50%  项目[2J乙" in stream.getvalue()
    assert "\x1b" not in stream.getvalue()
    progress.close()
    assert stream.getvalue().endswith("\r")


def test_no_progress_bar_off_a_terminal_or_when_quiet() -> None:
    now = [0.0]
    for stream, quiet in ((io.StringIO(), False), (Terminal(), True)):
        progress = Progress(2, "评分", stream=stream, quiet=quiet, clock=lambda: now[0])
        now[0] = 5.0
        progress.advance("a")
        progress.close()
        assert stream.getvalue() == ""


@given(
    st.text(alphabet=st.sampled_from("ab 1%·…—“”≥项目预算（），。：甲乙\u0301\u200b😀é\t"), max_size=30),
    st.integers(0, 40),
)
def test_the_bar_measures_names_as_wcwidth_does(name: str, room: int) -> None:
    """Ordinary names are measured without wcwidth (`aligned.ordinary`), others with it: the same widths."""
    from wcwidth import wcwidth

    expected = sum(max(wcwidth(ch), 0) for ch in name)
    assert progress_module._width(name) == expected
    cut = progress_module.fit(name, room)
    assert name.startswith(cut) and progress_module._width(cut) <= room
    rest = name[len(cut) :]
    assert not rest or progress_module._width(cut + rest[0]) > room


def test_a_batch_of_ordinary_names_does_not_load_wcwidth() -> None:
    output, loaded = seed_score_process(
        "'wcwidth' in sys.modules", options=(str(SEED_ACTUALS), "--format", "csv")
    )
    assert output.count("99.31") >= 2 and loaded == "False"


def test_the_seed_copied_twice_scores_the_same(tmp_path: Path) -> None:
    shutil.copy(SEED_ACTUALS, tmp_path / "x.csv")
    shutil.copy(SEED_ACTUALS, tmp_path / "y.csv")
    result = run(tmp_path / "x.csv", tmp_path / "y.csv", "--format", "json")
    assert result.exit_code == 0
    assert [r["total"] for r in json.loads(result.stdout)["summary"]] == ["99.31", "99.31"]


def test_an_output_folder_that_cannot_be_made_is_E950(three: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    result = run(three, "--output", blocker / "out")
    assert result.exit_code == 1
    assert (
        f"{blocker / 'out'}: error[E950]: 无法写入输出文件：路径中有一个同名的文件挡住了文件夹"
        in result.stderr
    )
    assert "Traceback" not in result.output


def test_E950_says_a_missing_folder_in_the_users_language_and_names_the_option() -> None:
    """The OS's reason is never shown in English to a Chinese reader; the help names the option that chose
    the file (--output unless told: diff's --chart)."""

    def missing() -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "nodir/c.svg")

    with pytest.raises(jixiao.JixiaoError) as plain:
        attempt(Path("out/a.csv"), missing)
    with pytest.raises(jixiao.JixiaoError) as chart:
        attempt(Path("nodir/c.svg"), missing, option="--chart")
    found = plain.value.diagnostics[0]
    assert found.message("zh") == "无法写入输出文件：文件夹不存在"
    assert found.message("en") == "cannot write the output file: the folder does not exist"
    assert (found.help("zh") or "").endswith("或用 --output 换一个文件夹")
    assert (chart.value.diagnostics[0].help("en") or "").endswith("choose another folder with --chart")


def test_a_file_open_in_excel_is_E950(three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(self: Path, data: bytes) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.xlsx").write_bytes(b"PK\x03\x04 docProps/app.xml \x00\xff")  # the open workbook
    monkeypatch.setattr(Path, "write_bytes", locked)
    result = run(three, "--output", tmp_path / "out", "--format", "xlsx", "--lang", "en")
    assert result.exit_code == 1
    assert (
        "error[E950]: cannot write the output file: permission denied, or the file is open (Excel, WPS)"
        in result.stderr
    )
    assert "Traceback" not in result.output
    assert "docProps" not in result.stderr and " | " not in result.stderr  # no line of a workbook shown


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_are_written_as_the_batch_comes_and_a_file_that_cannot_be_stops_it(
    tmp_path: Path, jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each project's file is written when its outcome comes, not after the batch: a name taken by a folder
    (b.json) is E950 at that file, the file before it is there, none after it, nor the summary."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a", "b", "c"):
        project(inputs, name)
    out = tmp_path / "out"
    (out / "b.json").mkdir(parents=True)
    scored = batch_cli.score_projects
    seen: list[list[str]] = []  # the folder as each outcome comes

    def watched(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for outcome in scored(*args, **kwargs):
            seen.append(sorted(p.name for p in out.iterdir()))
            yield outcome

    monkeypatch.setattr(batch_cli, "score_projects", watched)
    result = run(inputs, "--output", out, "--format", "json", "--quiet", "--jobs", jobs)
    assert seen[:2] == [["b.json"], ["a.json", "b.json"]]  # a.json there before the batch went on
    assert result.exit_code == 1
    assert (
        f"{out / 'b.json'}: error[E950]: 无法写入输出文件：有一个同名的文件夹挡住了这个文件" in result.stderr
    )
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    assert json.loads((out / "a.json").read_bytes())["total"] == "99.31"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_result_never_replaces_an_actual_value_file_of_the_batch(tmp_path: Path, jobs: str) -> None:
    """--output into the folder of the actual values, with their format: the first result named like an
    input (甲.csv) is E951 and stops the batch; every input file is as it was."""
    inputs = tmp_path / "实际值"
    inputs.mkdir()
    written = {name: project(inputs, name).read_bytes() for name in ("甲", "乙", "丙")}
    (inputs / "notes.txt").write_text("not a table", encoding="utf-8")
    result = run(inputs, "--output", inputs, "--format", "csv", "--quiet", "--jobs", jobs)
    assert result.exit_code == 1
    first = inputs / "丙.csv"  # the batch's first project (by path)
    assert f"{first}: error[E951]: 不写出这个文件：它就是这次要读的文件「{first}」" in result.stderr
    assert "Traceback" not in result.output
    assert {name: (inputs / f"{name}.csv").read_bytes() for name in written} == written
    assert sorted(p.name for p in inputs.iterdir()) == ["notes.txt", "丙.csv", "乙.csv", "甲.csv"]


def test_a_summary_named_like_an_input_writes_nothing(tmp_path: Path) -> None:
    """The summary's name is known at once: an input 汇总.csv stops the batch before any file is written."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    kept = project(inputs, "汇总").read_bytes()
    project(inputs, "a")
    result = run(inputs, "--output", inputs, "--format", "csv")  # 汇总.csv: the summary's name in Chinese
    assert result.exit_code == 1
    assert f"{inputs / '汇总.csv'}: error[E951]: 不写出这个文件" in result.stderr
    assert sorted(p.name for p in inputs.iterdir()) == ["a.csv", "汇总.csv"]
    assert (inputs / "汇总.csv").read_bytes() == kept
    other = run(inputs, "--output", inputs, "--format", "xlsx", "--quiet")  # other names: written beside
    assert other.exit_code == 0, other.output
    assert sorted(p.name for p in inputs.iterdir()) == [
        "a.csv",
        "a.xlsx",
        "汇总-2.xlsx",
        "汇总.csv",
        "汇总.xlsx",
    ]


def test_jobs_give_the_same_files_and_summary_in_the_same_order(tmp_path: Path) -> None:
    """--jobs 2: two processes score the batch; files, summary and errors are those of one process."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(1, 151):
        project(inputs, f"p{i:03d}", "很多人" if i == 77 else f"{10000 + i * 7}人")
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run(inputs, "--output", out, "--format", "json", "--quiet", "--jobs", jobs)
        assert (
            result.exit_code == 1 and f"第 77 个项目「{SEED_NAME}」（{inputs / 'p077.csv'}）" in result.stderr
        )
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1] and len(outs[0]) == 150


def test_score_many_in_processes_streams_results_in_order_and_raises_at_the_broken_one() -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    texts = [SEED.replace(PEOPLE, f"{10000 + i * 9}人") for i in range(140)]
    sources = [t.encode("utf-8") for t in texts]
    one = [r.total for r in ruleset.score_many(sources)]
    many = ruleset.score_many(sources, jobs=2)
    assert [r.total for r in many] == one
    again = [jixiao.load_actuals(text=t) for t in texts]
    assert jixiao.render(next(ruleset.score_many(again, jobs=2)), "json") == jixiao.render(
        ruleset.score(again[0]), "json"
    )
    broken = [*sources[:100], SEED.replace(PEOPLE, "很多人").encode("utf-8"), *sources[100:]]
    scored = []
    with pytest.raises(jixiao.JixiaoError) as caught:
        scored.extend(ruleset.score_many(broken, jobs=2))
    assert len(scored) == 100 and caught.value.diagnostics[0].code == "E603"
    assert caught.value.sources  # the file's text, to show the line


def test_score_many_in_processes_gives_the_results_of_one_wherever_a_project_was_scored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With workers, this process scores the first project and chunk itself (`score` itself, no `Scored`
    sent and made whole): the results, tables included, are those of one process, and a broken project it
    scores raises in turn."""
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setattr(parallel, "POOL_AFTER", 0.0)
    monkeypatch.setattr(parallel, "POOL_WORTH", 0.0)
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    sources = [SEED.replace(PEOPLE, f"{10000 + i * 13}人").encode("utf-8") for i in range(60)]
    one = [jixiao.render(r, "json") for r in ruleset.score_many(sources)]
    assert [jixiao.render(r, "json") for r in ruleset.score_many(sources, jobs=2)] == one
    broken = SEED.replace(PEOPLE, "很多人").encode("utf-8")
    with pytest.raises(jixiao.JixiaoError) as caught:
        next(ruleset.score_many([broken, *sources], jobs=2))  # the first project is always scored here
    assert caught.value.diagnostics[0].code == "E603" and caught.value.sources


def test_workers_forked_for_a_list_are_sent_positions_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A list or tuple of bytes, paths and read files is copied once and inherited by forked workers,
    which are sent positions in it; a generator, a list holding something this process must read (a
    file object), or spawned workers get the items themselves. The results are the same either way."""
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setattr(parallel, "POOL_AFTER", 0.0)
    monkeypatch.setattr(parallel, "POOL_WORTH", 0.0)
    sources = [SEED.replace(PEOPLE, f"{10000 + i * 13}人").encode("utf-8") for i in range(30)]
    assert rulesets._inherited(iter(sources)) is None
    assert rulesets._inherited([*sources, io.BytesIO(sources[0])]) is None
    if parallel.start_method() == "fork":
        assert rulesets._inherited([*sources, str(SEED_ACTUALS)]) == (*sources, str(SEED_ACTUALS))
        sent: list[object] = []
        submit = parallel._Pool._send
        monkeypatch.setattr(
            parallel._Pool,
            "_send",
            lambda pool, worker, chunk: sent.append(chunk) or submit(pool, worker, chunk),
        )
        ruleset = jixiao.load_ruleset(SEED_RULESET)
        one = [jixiao.render(r, "json") for r in ruleset.score_many(sources)]
        assert [jixiao.render(r, "json") for r in ruleset.score_many(sources, jobs=2)] == one
        assert sent and all(type(i) is int for chunk in sent for i in chunk)  # type: ignore[attr-defined]
    monkeypatch.setattr(rulesets, "start_method", lambda: "spawn")
    assert rulesets._inherited(sources) is None  # spawned workers would be sent the whole tuple each


def _workbook(path: Path, sheets: dict[str, str]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, text in sheets.items():
        ws = book.create_sheet(title)
        for row in csv.reader(io.StringIO(text)):
            ws.append(row)
    book.save(path)


def _comparable(data: bytes, fmt: str) -> object:
    """An output to compare: a workbook by its parts, but the time it was written (docProps/core.xml)."""
    if fmt != "xlsx":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv", "xlsx", "html"])
@pytest.mark.parametrize("to_folder", [False, True])
def test_jobs_write_what_one_process_writes_byte_for_byte(
    fmt: str, to_folder: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--jobs 2 (workers read, score and render each project; small chunks, so both workers take several):
    stdout, stderr, the exit status and every file are those of --jobs 1, in the same order. The batch
    has a broken project, two projects of one name and a workbook holding two projects."""
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "POOL_AFTER", 0.0)  # workers after the first chunk, however quick
    monkeypatch.setattr(parallel, "POOL_WORTH", 0.0)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(1, 10):
        project(inputs, f"p{i}", "很多人" if i == 4 else f"{10000 + i * 300}人")
    (inputs / "sub").mkdir()
    project(inputs / "sub", "p2")
    _workbook(inputs / "p5.xlsx", {"甲": SEED, "乙": SEED.replace(PEOPLE, "9000人")})
    explain = ["--explain"] if fmt in ("table", "json") else []
    seen = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        folder = ["--output", str(out)] if to_folder else []
        result = run(inputs, "--format", fmt, *explain, *folder, "--quiet", "--jobs", jobs)
        files = {p.name: _comparable(p.read_bytes(), fmt) for p in out.iterdir()} if to_folder else {}
        stdout = result.stdout_bytes.replace(str(out).encode(), b"OUT")
        stderr = result.stderr.replace(str(out), "OUT")
        seen.append((result.exit_code, _comparable(stdout, fmt) if not to_folder else stdout, stderr, files))
    assert seen[0][0] == 1 and f"「{SEED_NAME}」（{inputs / 'p4.csv'}）" in seen[0][2]
    assert seen[1] == seen[0]
    if to_folder:
        assert len(seen[0][3]) == 12  # 11 projects scored (p4 is broken) and the summary


def test_the_summary_names_each_project_not_its_file(tmp_path: Path) -> None:
    """The summary's 项目名称 was the file's stem (2020.actuals): now the file's 项目名称 cell, else the
    ruleset's project (项目 "…"); the file stays in its own column. Alike in csv, xlsx and json, and for a
    project that could not be scored (it kept its file's stem, z, beside scored ones named by the ruleset);
    with --output an 输出文件 column names each project's file."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_ACTUALS, folder / "2020.actuals.csv")
    official = (TABLES / "seed-official.csv").read_text(encoding="utf-8")
    (folder / "named.csv").write_text(
        official.replace("项目名称,城乡居民基本养老保险费财政补助资金", "项目名称,另一个名称"),
        encoding="utf-8",
    )
    project(folder, "z", "很多人")  # E603: not scored
    ruleset = "城乡居民基本养老保险费财政补助资金"
    expected = [
        [ruleset, str(folder / "2020.actuals.csv")],
        ["另一个名称", str(folder / "named.csv")],
        [ruleset, str(folder / "z.csv")],
    ]
    out = tmp_path / "csv"
    run(folder, "--output", out, "--format", "csv", "--quiet")
    rows = summary_rows((out / "汇总.csv").read_bytes())
    assert [row[1:3] for row in rows[1:]] == expected
    assert [row[3] for row in rows] == ["输出文件", "2020.actuals.csv", "另一个名称.csv", ""]
    assert sorted(p.name for p in out.iterdir()) == ["2020.actuals.csv", "另一个名称.csv", "汇总.csv"]
    result = run(folder, "--format", "json")
    assert [[row["project"], row["origin"]] for row in json.loads(result.stdout)["summary"]] == expected
    book = openpyxl.load_workbook(io.BytesIO(run(folder, "--format", "xlsx").stdout_bytes))
    assert [[c.value for c in row][1:3] for row in book["汇总"].iter_rows(min_row=2)] == expected


def test_a_workbook_s_summary_names_each_project_s_sheet_when_names_repeat(tmp_path: Path) -> None:
    """Projects of one name get sheets 名称, 名称(2) …: the summary says which sheet is which file's."""
    folder = tmp_path / "表格"
    folder.mkdir()
    text = SEED_ACTUALS.read_text(encoding="utf-8")
    for name in ("p1.csv", "p2.csv", "p3.csv"):
        (folder / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(folder), "--format", "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    summary = book[book.sheetnames[0]]
    sheets = [summary.cell(row, 4).value for row in (2, 3, 4)]
    assert sheets == book.sheetnames[1:4]
    assert len(set(sheets)) == 3
    assert [Path(summary.cell(row, 3).value).name for row in (2, 3, 4)] == ["p1.csv", "p2.csv", "p3.csv"]


def test_an_opendocument_sheet_in_a_folder_is_named_not_skipped(tmp_path: Path) -> None:
    """A folder's .ods (LibreOffice's own format) is a project with E123 (how to save it as xlsx), as .xls
    and .et are, not left out of the batch without a word."""
    folder = tmp_path / "表格"
    folder.mkdir()
    (folder / "p1.csv").write_text(SEED_ACTUALS.read_text(encoding="utf-8"), encoding="utf-8")
    with zipfile.ZipFile(folder / "p2.ods", "w") as sheet:
        sheet.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        sheet.writestr("content.xml", "<office:document-content/>")
    result = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(folder)])
    assert result.exit_code == 1
    assert "p2.ods" in result.stdout and "E123" in result.stdout
    assert "99.31" in result.stdout
