"""`jixiao score` through click's CliRunner: the seed table, JSON, and errors without tracebacks."""

from __future__ import annotations

import contextlib
import importlib
import json
import re
from pathlib import Path

import click
import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner, Result
from conftest import CASES, ROOT, SEED_ACTUALS, SEED_RULESET
from wcwidth import wcswidth

from jixiao.cli import main
from jixiao.cli import score as score_command
from jixiao.engine.fast import FastEvaluator
from jixiao.io.actuals import load_actuals
from jixiao.io.rulesets import clear_cache, load_ruleset

EVAL = CASES / "eval"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["score", *map(str, args)])


def positioned(stderr: str, path: Path, line: int, column: int, code: str) -> bool:
    """Whether a diagnostic line `path:line:col: [(列名)] error[CODE]` is in the output."""
    prefix = f"{path}:{line}:{column}: "
    return any(x.startswith(prefix) and f"error[{code}]" in x for x in stderr.splitlines())


def indicator_rows(table: str) -> list[str]:
    """The header, rule and body lines of the indicator table (up to the blank line after it)."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("一级指标"))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_seed_table() -> None:
    result = run(SEED_RULESET, SEED_ACTUALS)
    assert result.exit_code == 0, result.output
    assert "93.76%" in result.stdout
    assert "9.38" in result.stdout
    assert "99.31" in result.stdout
    assert "优" in result.stdout


def display_cells(line: str) -> list[str]:
    """The line as one entry per terminal column (a CJK character fills two, the second is "")."""
    out: list[str] = []
    for ch in line:
        out.append(ch)
        out.extend([""] * (wcswidth(ch) - 1))
    return out


def test_seed_table_columns_are_aligned() -> None:
    rows = indicator_rows(run(SEED_RULESET, SEED_ACTUALS).stdout)
    assert len(rows) == 2 + 17  # header, rule, 17 indicators
    rule = rows[1]
    width = wcswidth(rule)
    gaps = [i for i, ch in enumerate(rule) if ch == " "]  # the rule is ASCII: index = display column
    assert gaps, rule
    for row in rows:
        # padded with the trailing blanks the renderer strips, every row is exactly as wide as the rule
        assert wcswidth(row) <= width, row
        cells = display_cells(row) + [" "] * (width - wcswidth(row))
        assert len(cells) == width
        # and the gaps between columns are blank in every row: no cell spills into its neighbour
        assert all(cells[i] == " " for i in gaps), row


def test_seed_json() -> None:
    result = run(SEED_RULESET, SEED_ACTUALS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["total"], data["grade"]) == ("99.31", "优")
    assert data["budget"]["rate"] == "93.76%"
    assert data["budget"]["score"] == "9.38"


def test_syntax_error_is_positioned_without_traceback() -> None:
    case = EVAL / "err-syntax-token"
    result = run(case / "ruleset.jx", case / "actuals.csv")
    assert result.exit_code == 1
    assert "tests/cases/eval/err-syntax-token/ruleset.jx:6:30: error[E101]" in result.stderr  # relative
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_unknown_indicator_has_row_column_and_did_you_mean() -> None:
    case = EVAL / "err-unknown-indicator"
    result = run(case / "ruleset.jx", case / "actuals.csv")
    assert result.exit_code == 1
    assert positioned(result.stderr, case / "actuals.csv", 5, 3, "E503")
    assert "补贴资金金额" in result.stderr
    assert "是不是要写「补贴资金」" in result.stderr
    assert "Traceback" not in result.output


def test_english_messages() -> None:
    case = EVAL / "err-unknown-indicator"
    result = run(case / "ruleset.jx", case / "actuals.csv", "--lang", "en")
    assert result.exit_code == 1
    assert "the ruleset has no indicator “补贴资金金额”" in result.stderr
    assert "did you mean “补贴资金”?" in result.stderr
    table = run(SEED_RULESET, SEED_ACTUALS, "--lang", "en").stdout
    assert "99.31" in table
    assert "规则中没有指标" not in result.stderr


def test_english_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_LANG", "en")
    case = EVAL / "err-unit-mismatch"
    result = run(case / "ruleset.jx", case / "actuals.csv")
    assert result.exit_code == 1
    assert positioned(result.stderr, case / "actuals.csv", 5, 4, "E506")
    assert "does not match the unit" in result.stderr


@pytest.mark.parametrize("which", ["ruleset", "actuals"])
def test_missing_file_is_positioned(tmp_path: Path, which: str) -> None:
    missing = tmp_path / ("nope.jx" if which == "ruleset" else "nope.csv")
    args = (missing, SEED_ACTUALS) if which == "ruleset" else (SEED_RULESET, missing)
    result = run(*args)
    assert result.exit_code == 1
    assert f"{missing}: error[E105]" in result.stderr
    assert "Traceback" not in result.output


def test_not_a_project(tmp_path: Path) -> None:
    """Scoring a policy file is an input error, not a crash."""
    result = run(Path("rulesets/standard/central.jx").resolve(), SEED_ACTUALS)
    assert result.exit_code == 1
    assert "error[E" in result.stderr
    assert "Traceback" not in result.output


def test_markdown_output_is_a_report() -> None:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", "markdown"])
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert lines[0] == "### 项目绩效自评（2020年度）"
    assert (
        "| 年度资金总额       | 970.00       | 970.00       | 909.50       | 93.76%   | 10.00  | 9.38   |"
        in lines
    )
    assert any(line.startswith("| 投入和管理目标") and "0.93" in line for line in lines)
    assert "总分值 100.00    总得分 99.31    等级 优" in lines


def test_small_rendering_defects_of_issue_15() -> None:
    """No "（年度）" without a year, ASCII colons in English, and 不适用 rows not shown as "得分 / /"."""
    case = CASES / "render" / "hostile-text"  # no 年度, one row 不适用
    table = run(case / "ruleset.jx", case / "actuals.csv").stdout
    assert table.splitlines()[0] == "项目绩效自评"
    english = run(case / "ruleset.jx", case / "actuals.csv", "--lang", "en", "--explain").stdout
    assert english.splitlines()[:2] == ["Project performance self-evaluation", "Project: 恶意文本<b>测试</b>"]
    assert "：" not in "\n".join(english.splitlines()[:5])
    assert "产出指标 / 数量指标 / 乙: not applicable, weight 20" in english
    seed = run(SEED_RULESET, SEED_ACTUALS, "--lang", "en").stdout
    assert seed.splitlines()[0] == "Project performance self-evaluation (2020)"
    chinese = run(case / "ruleset.jx", case / "actuals.csv", "--explain").stdout
    assert "产出指标 / 数量指标 / 乙：不适用，分值 20" in chinese
    assert "/ /" not in chinese


def test_budget_amounts_are_shown_as_written() -> None:
    case = CASES / "render" / "hostile-text"
    table = run(case / "ruleset.jx", case / "actuals.csv").stdout
    row = next(line for line in table.splitlines() if line.startswith("年度资金总额"))
    assert row.split()[1:3] == ["207.4538", "89.974"]
    data = json.loads(run(case / "ruleset.jx", case / "actuals.csv", "--format", "json").stdout)
    assert (data["budget"]["rows"][0]["annual"], data["budget"]["rows"][0]["executed"]) == (
        "207.4538",
        "89.974",
    )


def _cases_with_actuals() -> list[Path]:
    return sorted(p.parent for p in [*CASES.glob("eval/*/actuals.csv"), *CASES.glob("render/*/actuals.csv")])


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
def test_one_project_by_the_reference_alone_prints_what_the_fast_evaluator_did(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jixiao score` of one file scores it with the reference evaluator alone (`reference_alone`): the
    output, errors and exit code are those of the fast evaluator filled in by the reference, case by case."""
    cases = _cases_with_actuals()
    assert len(cases) > 50
    extra = ["--explain"] if fmt in ("table", "json") else []
    alone = [run(c / "ruleset.jx", c / "actuals.csv", "--format", fmt, *extra) for c in cases]
    monkeypatch.setattr(score_command, "reference_alone", contextlib.nullcontext)
    fast = [run(c / "ruleset.jx", c / "actuals.csv", "--format", fmt, *extra) for c in cases]
    for case, a, f in zip(cases, alone, fast, strict=True):
        assert (a.exit_code, a.stdout, a.stderr) == (f.exit_code, f.stdout, f.stderr), case.name


def test_one_project_builds_no_fast_evaluator_and_leaves_the_api_as_it_was() -> None:
    clear_cache()
    assert run(SEED_RULESET, SEED_ACTUALS).exit_code == 0
    compiled = load_ruleset(SEED_RULESET)
    assert compiled._fast is False  # not built while scoring the one project
    compiled.score(load_actuals(SEED_ACTUALS))
    assert compiled._fast  # outside the command: the fast evaluator as before


def test_the_summary_workbook_of_an_output_folder_is_the_summary_sheet(tmp_path: Path) -> None:
    """docs/cli.md and files.md: in a folder each project has its own workbook; the summary lists them."""
    openpyxl = pytest.importorskip("openpyxl")
    run = CliRunner().invoke(
        main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), str(SEED_ACTUALS), "-o", str(tmp_path / "o"),
               "--format", "xlsx", "-q"],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    summary = openpyxl.load_workbook(tmp_path / "o" / "汇总.xlsx")
    assert summary.sheetnames == ["汇总"]
    projects = sorted(p.name for p in (tmp_path / "o").iterdir() if p.name != "汇总.xlsx")
    assert len(projects) == 2 and all(name.endswith(".xlsx") for name in projects)


def test_docs_cli_md_has_one_score_section_with_every_option() -> None:
    """docs/cli.md describes `jixiao score` once (two sections had drifted apart), its synopsis names every
    option `jixiao score --help` has, and no option table row strays into an example's code block."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^## jixiao score$", text, flags=re.MULTILINE)) == 1
    section = text.split("\n## jixiao score\n", 1)[1].split("\n## ", 1)[0]
    synopsis = section.split("```\n", 2)[1]
    command = main.get_command(click.Context(main), "score")
    assert command is not None
    options = [o for p in command.params for o in p.opts if o.startswith("--") and o != "--help"]
    assert [o for o in options if o not in synopsis] == []
    assert "ACTUALS..." in synopsis
    blocks = text.split("```")[1::2]
    assert [line for block in blocks for line in block.splitlines() if line.startswith("| `--")] == []


def test_a_table_of_another_year_than_the_rulesets_is_flagged_by_every_backend(tmp_path: Path) -> None:
    """The seed table titled 2019 scored with the 2020 ruleset: F138 names both years, whichever evaluator
    scores it (the fast ones decline such a file; one compare per file); the 2020 table has none."""
    book = openpyxl.Workbook()
    seedfiles.write_official(book.active)
    book.active["A2"] = "（ 2019 年度）"
    book.save(tmp_path / "2019.xlsx")
    seedfiles.set_cached(tmp_path / "2019.xlsx", seedfiles.CACHED)
    assert FastEvaluator.of(load_ruleset(SEED_RULESET).plan) is not None  # the fast path takes the plan
    for backend in ("auto", "fast", "columnar"):
        done = run(
            SEED_RULESET,
            tmp_path / "2019.xlsx",
            tmp_path / "2019.xlsx",
            "--format",
            "json",
            "--backend",
            backend,
        )
        if backend == "columnar" and "E174" in done.output:
            continue  # numpy is not installed
        assert done.exit_code == 0, done.output
        for project in json.loads(done.stdout)["projects"]:
            year = [f for f in project["findings"] if f["code"] == "F138"]
            assert len(year) == 1 and "表的年度 2019 与规则的年度 2020 不同" in year[0]["message"], backend
            span = year[0]["span"]  # the title cell A2 that says 2019年度
            assert (span["path"], span["sheet"], span["line"], span["column"]) == (
                str(tmp_path / "2019.xlsx"), "Sheet", 2, 1,
            ), backend  # fmt: skip
    same = run(SEED_RULESET, seedfiles.official_workbook(tmp_path), "--format", "json")
    assert "F138" not in same.stdout
    text = run(SEED_RULESET, tmp_path / "2019.xlsx")
    assert f"  F138  {tmp_path / '2019.xlsx'}:2:1: 工作表「Sheet」第2行 (A2)  表的年度 2019 与" in text.stdout
    english = run(SEED_RULESET, tmp_path / "2019.xlsx", "--lang", "en")
    assert (
        f"  F138  {tmp_path / '2019.xlsx'}:2:1: sheet “Sheet”, row 2 (A2)  the table's year 2019"
        in english.stdout
    )


def test_another_year_is_said_at_the_title_cell_of_a_text_table(tmp_path: Path) -> None:
    """F138 had no position (text: an empty indicator column; JSON: none), though the title cell that gives
    the year is known (audit's F177 is placed there). A file whose title gives no year has no F138."""
    ruleset, table = seedfiles.of_2019(tmp_path, "100人")
    done = run(ruleset, table)
    assert done.exit_code == 0, done.output
    assert f"复核提示：\n  F138  {table}:1:1  表的年度 2019 与规则的年度 2020 不同\n" in done.stdout
    english = run(ruleset, table, "--lang", "en")
    assert (
        f"  F138  {table}:1:1  the table's year 2019 differs from the ruleset's year 2020\n" in english.stdout
    )
    report = json.loads(run(ruleset, table, "--format", "json").stdout)
    (year,) = report["findings"]
    assert (year["code"], year["indicator"], year["span"]["path"]) == ("F138", None, str(table))
    assert (year["span"]["line"], year["span"]["column"], year["span"]["sheet"]) == (1, 1, None)
    table.write_text(table.read_text(encoding="utf-8").replace("（2019年度）", ""), encoding="utf-8")
    report = json.loads(run(ruleset, table, "--format", "json").stdout)
    assert report["findings"] == []


def test_an_output_named_like_a_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    """--output is a folder: -o 结果.xlsx made a folder 结果.xlsx of .txt files."""
    done = run(SEED_RULESET, SEED_ACTUALS, "-o", tmp_path / "结果.xlsx", "--lang", "en")
    assert done.exit_code == 2 and "--format xlsx > 结果.xlsx" in done.output, done.output
    assert not (tmp_path / "结果.xlsx").exists()
    (tmp_path / "v1.json").mkdir()  # an existing folder of that name is a folder
    assert run(SEED_RULESET, SEED_ACTUALS, "-o", tmp_path / "v1.json", "-q").exit_code == 0


WARNED_RULESET = """项目 "测试项目" 年度 2020 {
  采用 "standard/central"
  金额单位 万元
  量表 没用的 { 好极了 100%;  差极了 0% }
  产出指标 / 数量指标 {
    培训人数  目标 ≥100人  分值 50
  }
  效益指标 / 社会效益 {
    群众满意  目标 合理  分值 40
  }
}
"""
WARNED_ACTUALS = """一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施
预算执行,年度资金总额,全年预算数,100,
预算执行,年度资金总额,全年执行数,100,
产出指标,数量指标,培训人数,100人,
效益指标,社会效益,群众满意,合理,
"""


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ruleset_warnings_are_shown_before_scoring(tmp_path: Path, many: bool, lang: str) -> None:
    """The ruleset's warnings (those `jixiao check` gives) on stderr, positioned, once; stdout is the table
    or the batch's summary, and the projects are scored (exit 0)."""
    ruleset, actuals = tmp_path / "规则.jx", tmp_path / "p1.csv"
    ruleset.write_text(WARNED_RULESET, encoding="utf-8")
    actuals.write_text(WARNED_ACTUALS, encoding="utf-8")
    files = [actuals, actuals] if many else [actuals]
    result = run(ruleset, *files, "--format", "json", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning[W102]") == 1
    assert f"{ruleset}:4:3: warning[W102]" in result.stderr
    assert ("never used" if lang == "en" else "没有被使用") in result.stderr
    assert "W102" not in result.stdout
    document = json.loads(result.stdout)
    totals = [p["total"] for p in document["projects"]] if many else [document["total"]]
    assert totals == ["100.00"] * len(files)


def test_a_clean_ruleset_adds_nothing_to_stderr() -> None:
    result = run(SEED_RULESET, SEED_ACTUALS)
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize("many", [False, True])
def test_the_ruleset_is_loaded_once_for_its_warnings_and_the_scoring(
    tmp_path: Path, many: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its warnings are read before scoring: a ruleset with an error (not cached) was loaded twice."""
    batch_module = importlib.import_module("jixiao.io.batch")
    loads = []
    original = batch_module.load_ruleset

    def counted(*args: object, **kwargs: object) -> object:
        loads.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(batch_module, "load_ruleset", counted)
    broken = tmp_path / "r.jx"
    broken.write_text(WARNED_RULESET.replace("分值 40", "分值 30"), encoding="utf-8")  # weights 90: E401
    files = [SEED_ACTUALS, SEED_ACTUALS] if many else [SEED_ACTUALS]
    result = run(broken, *files)
    assert result.exit_code == 1 and "E401" in result.stderr
    assert len(loads) == 1
