"""`jixiao import`: a filled-in table (made here in the official layout) becomes a project ruleset and its
actual values, which check, keep their layout under `jixiao fmt`, and score what the table means."""

from __future__ import annotations

import importlib
import json
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner, Result
from conftest import SEED_RULESET
from planted import CLEAN, NOT_IMPORTABLE, POLICY

from jixiao.cli import main

SEED_FILES = ("城乡居民基本养老保险费财政补助资金.jx", "城乡居民基本养老保险费财政补助资金.actuals.csv")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def imported(tmp_path: Path, *args: str | Path, table: seedfiles.Filled = seedfiles.SEED) -> Path:
    book = seedfiles.official_workbook(tmp_path, table=table)
    out = tmp_path / "规则"
    done = run("import", book, "--output", out, *args)
    assert done.exit_code == 0, done.output
    return out


def score_json(ruleset: Path, actuals: Path) -> dict[str, object]:
    done = run("score", ruleset, actuals, "--format", "json")
    assert done.exit_code == 0, done.output
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_the_seed_table_round_trips(tmp_path: Path) -> None:
    out = imported(tmp_path)
    ruleset, actuals = (out / name for name in SEED_FILES)
    text = ruleset.read_text(encoding="utf-8")
    assert '采用 "standard/central"' in text and "年度 2020" in text
    assert "# 由 jixiao import 从 自评表.xlsx（工作表「自评表」）生成，" in text  # no space after a 」
    assert (
        "预算执行率        目标 100%  分值 1  实际 = 执行率  舍入 截断 2位" in text
    )  # declared, as the table
    assert "# W176" in text  # and said why, in the file
    assert actuals.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("check", ruleset).exit_code == 0
    assert run("fmt", "--check", ruleset).exit_code == 0
    report = score_json(ruleset, actuals)
    assert (report["total"], report["grade"]) == ("99.31", "优")


def test_the_generated_ruleset_scores_as_the_seed_ruleset(tmp_path: Path) -> None:
    out = imported(tmp_path)
    mine = score_json(out / SEED_FILES[0], out / SEED_FILES[1])
    seed = score_json(SEED_RULESET, SEED_RULESET.with_name("2020.actuals.csv"))
    assert [i["score"] for i in mine["indicators"]] == [i["score"] for i in seed["indicators"]]  # type: ignore[index]


def test_policy_rounding_declares_no_rounding(tmp_path: Path) -> None:
    out = imported(tmp_path, "--policy-rounding")
    assert "截断" not in (out / SEED_FILES[0]).read_text(encoding="utf-8")
    assert score_json(out / SEED_FILES[0], out / SEED_FILES[1])["total"] == "99.32"


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = imported(tmp_path)
    again = run("import", tmp_path / "自评表.xlsx", "--output", out)
    assert again.exit_code == 1 and "E720" in again.output
    assert run("import", tmp_path / "自评表.xlsx", "--output", out, "--force").exit_code == 0


def test_a_table_being_imported_is_never_written_over_even_with_force(tmp_path: Path) -> None:
    """A table named as its project's actual-value file would be replaced by it: E951, nothing written."""
    table = tmp_path / SEED_FILES[1]
    table.write_bytes(
        run("score", SEED_RULESET, seedfiles.official_workbook(tmp_path), "--format", "csv").stdout_bytes
    )
    before = table.read_bytes()
    done = run("import", table, "--output", tmp_path, "--force", "--policy", "standard/central")
    assert done.exit_code == 1 and f"{table}: error[E951]" in done.output
    assert table.read_bytes() == before and not (tmp_path / SEED_FILES[0]).exists()


def test_a_project_ruleset_is_not_a_policy(tmp_path: Path) -> None:
    book = seedfiles.official_workbook(tmp_path)
    done = run("import", book, "--output", tmp_path / "规则", "--policy", SEED_RULESET)
    assert done.exit_code == 1 and "E721" in done.output


def test_what_cannot_be_read_is_a_comment_and_a_warning(tmp_path: Path) -> None:
    out = imported(tmp_path, table=POLICY["actual unreadable"].table)
    text = (out / SEED_FILES[0]).read_text(encoding="utf-8")
    assert "# W174" in text and "资金发放及时率    分值 10  方法 认定" in text
    assert run("check", out / SEED_FILES[0]).exit_code == 0


def test_a_band_word_keeps_its_target_and_the_printed_score_is_the_evaluators(tmp_path: Path) -> None:
    """部分达成 has no fixed score: the row keeps its target and carries the printed score as 调整得分
    (W185), so that an audit with the generated ruleset still finds a wrong score next year."""
    partly = CLEAN.replaced("资金发放准确率", actual="部分达成", score=7, note="部分发放有误")
    out = imported(tmp_path, table=partly)
    text = (out / SEED_FILES[0]).read_text(encoding="utf-8")
    assert "# W185" in text and "资金发放准确率  目标 100%  分值 10\n" in text and "认定" not in text
    assert "部分达成,部分发放有误,7.00,原表得分" in (out / SEED_FILES[1]).read_text(encoding="utf-8-sig")
    assert score_json(out / SEED_FILES[0], out / SEED_FILES[1])["total"] == "96.32"
    full = seedfiles.official_workbook(
        tmp_path, "次年.xlsx", table=partly.replaced("资金发放准确率", score=10)
    )
    done = run("audit", out / SEED_FILES[0], full, "--format", "json")
    found = [
        (d["code"], d["printed"], d["recomputed"])
        for d in json.loads(done.stdout)["tables"][0]["discrepancies"]
    ]
    assert done.exit_code == 1 and ("F154", "10.00", "[6,8)") in found


def test_a_printed_score_outside_the_band_falls_back_to_asserted_and_says_what_audit_checks(
    tmp_path: Path,
) -> None:
    table = CLEAN.replaced("资金发放准确率", actual="部分达成", score=9, note="部分发放有误")
    out = imported(tmp_path, table=table)
    text = (out / SEED_FILES[0]).read_text(encoding="utf-8")
    assert "# W185" not in text and "# W174" in text and "资金发放准确率    分值 10  方法 认定" in text
    assert "只查得分是否在 0 到分值之间" in text
    assert run("check", out / SEED_FILES[0]).exit_code == 0


def test_words_of_the_projects_own_scale_are_read_off_consistent_printed_scores(tmp_path: Path) -> None:
    """明显 is in no scale; 较明显 scores 80% and 一般 60% on every row that has them: W186 puts them in
    the project's own scale, and the generated files score what the table printed."""
    table = (
        CLEAN.replaced("维护社会稳定和保障民生", target="明显", actual="较明显", score=8, note="仍有不足")
        .replaced("提高群众生活水平", target="明显", actual="一般", score=6, note="收入增长慢")
        .replaced("保障群众基本生活", target="明显", actual="较明显", score=8, note="仍有不足")
    )
    out = imported(tmp_path, table=table)
    text = (out / SEED_FILES[0]).read_text(encoding="utf-8")
    assert "量表 本表定性目标 { 明显 100%;  较明显 80%;  一般 60% }" in text
    assert text.count("# W186") == 3 and "认定" not in text
    assert score_json(out / SEED_FILES[0], out / SEED_FILES[1])["total"] == "91.32"


def test_words_with_inconsistent_printed_scores_are_not_put_in_a_scale(tmp_path: Path) -> None:
    table = CLEAN.replaced(
        "维护社会稳定和保障民生", target="明显", actual="较明显", score=8, note="仍有不足"
    ).replaced("保障群众基本生活", target="明显", actual="较明显", score=7, note="仍有不足")
    out = imported(tmp_path, table=table)
    text = (out / SEED_FILES[0]).read_text(encoding="utf-8")
    assert "较明显 " not in text.split("量表 本表定性目标")[1].split("}")[0] and "# W186" not in text
    assert text.count("分值 10  方法 认定") == 2


def test_weights_that_do_not_add_up_say_why_the_ruleset_does_not_check(tmp_path: Path) -> None:
    book = seedfiles.official_workbook(tmp_path, table=POLICY["weights add up to 105"].table)
    done = run("import", book, "--output", tmp_path / "规则")
    assert done.exit_code == 1 and "W177" in done.output and "105" in done.output


# -- 30 projects, one sheet each: import and audit the same workbook ----------------------------------
THIRTY = [name for name in POLICY if name not in NOT_IMPORTABLE]  # every other planted kind


def thirty(folder: Path) -> tuple[Path, list[str]]:
    kinds = [THIRTY[n % len(THIRTY)] for n in range(30)]
    tables = [
        (f"项目{n:02d}", replace(POLICY[kind].table, project=f"项目{n:02d}")) for n, kind in enumerate(kinds)
    ]
    return seedfiles.official_book(folder, tables, "三十个项目.xlsx"), kinds


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return thirty(tmp_path_factory.mktemp("thirty"))


def test_thirty_projects_import_to_thirty_rulesets_that_check(workbook: tuple[Path, list[str]]) -> None:
    book, _ = workbook
    out = book.parent / "规则"
    done = run("import", book, "--output", out)
    assert done.exit_code == 0, done.output
    rulesets = sorted(out.glob("*.jx"))
    assert [p.stem for p in rulesets] == [f"项目{n:02d}" for n in range(30)]
    assert len(list(out.glob("*.actuals.csv"))) == 30
    checked = run("check", out)
    assert checked.exit_code == 0, checked.output
    assert run("fmt", "--check", out).exit_code == 0


def test_thirty_projects_audit_finds_exactly_what_was_planted(workbook: tuple[Path, list[str]]) -> None:
    book, kinds = workbook
    done = run("audit", "standard/central", book, "--format", "json", "--quiet")
    report = json.loads(done.stdout)
    assert [t["project"] for t in report["tables"]] == [f"项目{n:02d}" for n in range(30)]
    for table, kind in zip(report["tables"], kinds, strict=True):
        got = sorted((d["code"], d["where"].split("/")[-1]) for d in table["discrepancies"])
        assert (kind, got) == (kind, sorted(POLICY[kind].expected))
        assert table["complete"], (kind, table["diagnostics"])
    assert report["summary"]["clean"] == sum(1 for k in kinds if not POLICY[k].expected)
    assert done.exit_code == 1


def test_a_clean_table_imports_without_a_warning(tmp_path: Path) -> None:
    book = seedfiles.official_workbook(tmp_path, table=CLEAN)
    done = run("import", book, "--output", tmp_path / "规则")
    assert done.exit_code == 0 and "warning" not in done.output


def test_the_policy_is_asked_for_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("jixiao.cli.import_")  # the package's `import_` is the command
    monkeypatch.setattr(module, "isatty", lambda stream: True)
    book = seedfiles.official_workbook(tmp_path)
    done = CliRunner().invoke(
        main, ["import", str(book), "--output", str(tmp_path / "规则")], input="standard/hubei\n"
    )
    assert "评分办法" in done.output
    assert '采用 "standard/hubei"' in (tmp_path / "规则" / SEED_FILES[0]).read_text(encoding="utf-8")


def test_a_printed_total_or_grade_the_generated_rules_do_not_give_is_a_warning(tmp_path: Path) -> None:
    """The generated rules score 99.32 优: a table printing 95.00 良 is told so at those cells (W175)."""
    book = seedfiles.official_workbook(tmp_path, table=replace(CLEAN, total=95, grade="良"))
    done = run("import", book, "--output", tmp_path / "规则", "--lang", "en")
    assert done.exit_code == 0, done.output
    warnings = [line for line in done.output.splitlines() if "warning[W175]" in line]
    assert any("“总得分”: the table prints 95.00, the rules give 99.32" in w for w in warnings), done.output
    assert any("“等级”: the table prints 良, the rules give 优" in w for w in warnings), done.output
    (tmp_path / "zh").mkdir()
    book = seedfiles.official_workbook(tmp_path / "zh", table=replace(CLEAN, total=95, grade="良"))
    done = run("import", book, "--output", tmp_path / "zh" / "规则", "--lang", "zh")
    assert "「等级」原表等级 良，按规则计算为 优" in done.output  # was 原表得分 良: a grade is not a score
    assert "「总得分」原表得分 95.00，按规则计算为 99.32" in done.output
    (tmp_path / "c").mkdir()
    clean = run("import", seedfiles.official_workbook(tmp_path / "c", table=replace(CLEAN, grade="优秀")),
                "--output", tmp_path / "c" / "规则")  # fmt: skip
    assert clean.exit_code == 0 and "warning" not in clean.output  # 优秀 is 优


# -- a number whose unit the table gives two ways (E531) ----------------------------------------------------
def test_a_unit_given_two_ways_is_an_error_of_the_import_at_its_cell(tmp_path: Path) -> None:
    """`score` says E531; import used to write 120人 into a clean ruleset and actual-value file."""
    table = tmp_path / "表.csv"
    table.write_text(
        "一级指标,二级指标,三级指标,指标值,计量单位,实际完成值（万元）,分值,得分\n"
        "预算执行,年度资金总额,全年预算数,,,100,,\n预算执行,年度资金总额,全年执行数,,,100,,\n"
        "产出指标,数量指标,A,≥100,人,120,90,90\n",
        encoding="utf-8",
    )
    done = run("import", table, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 1, done.output
    assert f"{table}:4:6: 第4行「实际完成值（万元）」列: error[E531]" in done.output
    assert "W174" in done.output  # what import did with the row: its printed score
    ruleset = (tmp_path / "out" / "表.jx").read_text(encoding="utf-8")
    assert "# E531" in ruleset and "方法 认定" in ruleset
    english = run(
        "import", table, "--output", tmp_path / "en", "--policy", "standard/central", "--lang", "en"
    )
    assert english.exit_code == 1 and "error[E531]" in english.output and "does 120 mean" in english.output


def test_a_number_format_against_the_header_is_an_error_of_the_import(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值（万元）", "分值", "得分"])
    sheet.append(["预算执行", "年度资金总额", "全年预算数", None, 100])
    sheet.append(["预算执行", "年度资金总额", "全年执行数", None, 100])
    sheet.append(["产出指标", "数量指标", "完成数量", "≥100个", 100, 90, 90])
    sheet["E4"].number_format = '0"个"'
    path = tmp_path / "表.xlsx"
    book.save(path)
    done = run("import", path, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 1 and ":4:5: " in done.output and "error[E531]" in done.output, done.output


VILLAGES = (
    "一级指标,二级指标,三级指标,指标值,计量单位,实际完成值,分值,得分\n"
    "预算执行,年度资金总额,全年预算数,,,100万元,,\n预算执行,年度资金总额,全年执行数,,,100万元,,\n"
    "产出指标,数量指标,覆盖村数,≥12,村,9个行政村,45,33.75\n产出指标,数量指标,覆盖村个数,≥12,个,9个行政村,45,33.75\n"
)


def test_villages_counted_with_ge_import_under_a_unit_of_cun_and_of_ge(tmp_path: Path) -> None:
    """9个行政村 in a row of 村 is 9村 (was E531 and W174: the row took its printed score, 认定), in a row
    of 个 9个; both score as printed, against targets as the table writes them."""
    table = tmp_path / "表.csv"
    table.write_text(VILLAGES, encoding="utf-8")
    done = run("import", table, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 0, done.output
    assert "E531" not in done.output and "W174" not in done.output
    ruleset = tmp_path / "out" / "表.jx"
    text = ruleset.read_text(encoding="utf-8")
    assert "覆盖村数    目标 ≥12村  分值 45" in text and "认定" not in text
    report = score_json(ruleset, tmp_path / "out" / "表.actuals.csv")
    scores = {row["name"]: row["score"] for row in report["indicators"]}  # type: ignore[attr-defined]
    assert scores == {"覆盖村数": "33.75", "覆盖村个数": "33.75"}
    groups = tmp_path / "组" / "表.csv"  # groups of villagers are no villages: still E531 in a row of 村
    groups.parent.mkdir()
    groups.write_text(VILLAGES.replace("村,9个行政村", "村,9个村民小组"), encoding="utf-8")
    done = run("import", groups, "--output", tmp_path / "组" / "out", "--policy", "standard/central")
    assert done.exit_code == 1 and f"{groups}:4:6: 第4行「实际完成值」列: error[E531]" in done.output


# -- every error the table's reader finds (as `score` reports it), not only E531 -----------------------------
COLUMNS = "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n"
BUDGET = "预算执行,年度资金总额,全年预算数,,100万元,,\n预算执行,年度资金总额,全年执行数,,100万元,,\n"


def imported_csv(tmp_path: Path, rows: str, *args: str) -> tuple[Result, Path]:
    tmp_path.mkdir(exist_ok=True)
    table = tmp_path / "表.csv"
    table.write_text(COLUMNS + BUDGET + rows, encoding="utf-8")
    out = tmp_path / "out"
    return run("import", table, "--output", out, "--policy", "standard/central", *args), out


def test_a_row_with_more_cells_than_the_header_is_an_error_of_the_import(tmp_path: Path) -> None:
    """`score` says E512; import used to write the row's (maybe shifted) 120人 silently, exit 0."""
    rows = "产出指标,数量指标,A,≥100人,120人,45,45,99\n产出指标,数量指标,B,≥100人,130人,45,45\n"
    done, out = imported_csv(tmp_path, rows)
    assert done.exit_code == 1, done.output
    assert f"{tmp_path / '表.csv'}:4:1: error[E512]: 第4行有 8 列，表头有 7 列" in done.output
    assert "warning[W174]: 「A」的实际完成值「120人」" in done.output  # the row takes its printed score
    assert "1 个错误" in done.output
    actuals = (out / "表.actuals.csv").read_text(encoding="utf-8-sig")
    assert "产出指标,数量指标,A,,,45,原表得分" in actuals and "120人" not in actuals
    assert "130人" in actuals  # the other row as it was
    assert "# E512" in (out / "表.jx").read_text(encoding="utf-8")
    english, _ = imported_csv(tmp_path / "en", rows, "--lang", "en")
    assert english.exit_code == 1 and "error[E512]: row 4 has 8 cells, the header has 7" in english.output


def test_a_value_too_long_to_read_is_an_error_at_its_cell_and_not_written(tmp_path: Path) -> None:
    """E505 was only a warning about the generated file (W179), at the generated file's line."""
    huge = "9" * 5000
    done, out = imported_csv(
        tmp_path, f"产出指标,数量指标,A,≥100人,120人,45,45\n产出指标,数量指标,B,≥100人,{huge},45,35\n"
    )
    assert done.exit_code == 1, done.output
    assert f"{tmp_path / '表.csv'}:5:5: 第5行「实际完成值」列: error[E505]" in done.output
    assert "W174" in done.output and "W179" not in done.output  # the generated files check and score
    assert huge not in (out / "表.actuals.csv").read_text(encoding="utf-8-sig")
    assert "90.00" in done.output and "1 个错误，1 个警告" in done.output  # 45 + 35 (printed) + 10


def test_an_unreadable_value_in_a_workbook_is_an_error_at_its_sheet_and_cell(tmp_path: Path) -> None:
    table = seedfiles.SEED.replaced("资金使用规范性", actual="9" * 600)
    book = seedfiles.official_workbook(tmp_path, table=table)
    done = run("import", book, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 1, done.output
    assert "工作表「自评表」" in done.output and "error[E505]" in done.output, done.output
    assert "W174" in done.output and "W179" not in done.output
    english = run("import", book, "--output", tmp_path / "en", "--policy", "standard/central", "--lang", "en")
    assert english.exit_code == 1 and "error[E505]" in english.output and "sheet" in english.output


def test_a_column_given_twice_is_not_imported(tmp_path: Path) -> None:
    table = tmp_path / "表.csv"
    table.write_text(
        "一级指标,二级指标,三级指标,指标值,实际完成值,实际完成值,分值,得分\n产出指标,数量指标,A,≥100人,120人,130人,90,90\n",
        encoding="utf-8",
    )
    done = run("import", table, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 1 and f"{table}:1:6: " in done.output and "error[E517]" in done.output
    assert not (tmp_path / "out" / "表.jx").exists()


SPLIT = """项目支出绩效自评表,,,,,,,,
（2021年度）,,,,,,,,
项目名称,时限项目,,,,,,,
主管部门,某局,,,实施单位,某局机关,,,
项目资金（万元）,,年初预算数,全年预算数,全年执行数,执行率,分值,得分,
,年度资金总额,100,100,100,100%,10,10,
一级指标,二级指标,三级指标,指标性质,指标值,实际完成值,分值,得分,偏差原因分析及改进措施
产出指标,数量指标,完成数量,≥,100,120个,30,30,
产出指标,数量指标,覆盖人数,≥,1.1,1.2万人,30,30,
产出指标,时效指标,完成时间,定性,按时完成,按时完成,30,30,
"""


def test_split_kind_and_value_columns_import_as_the_table_means(tmp_path: Path) -> None:
    """指标性质 定性 is a kind, not part of the value (was 定性按时完成: W173/W174, 认定); ≥ | 100 beside
    120个 with no 计量单位 column is ≥100个 (was a unit mismatch, 认定). Beside 1.2万人 the bare 1.1 stays
    unsure (1.1人 or 1.1万人): a warning and 认定, as before."""
    table = tmp_path / "自评表.csv"
    table.write_text(SPLIT, encoding="utf-8")
    done = run("import", "--policy", "standard/central", "--output", tmp_path / "out", table)
    assert done.exit_code == 0, done.output
    (ruleset,) = (tmp_path / "out").glob("*.jx")
    text = ruleset.read_text(encoding="utf-8")
    assert "完成数量  目标 ≥100个" in text
    assert "完成时间  目标 按时完成" in text and "定性按时完成" not in text
    assert "W174" in done.output and "覆盖人数" in done.output and done.output.count("W174") == 1


# -- what `check` says about the generated ruleset, as it would say it ------------------------------------
def test_checks_warnings_on_the_generated_ruleset_are_shown(tmp_path: Path) -> None:
    """A target in traditional characters is read as simplified (W110 from `check`): import said nothing."""
    rows = "产出指标,数量指标,A,≥1萬人,1.2万人,90,90\n"
    done, out = imported_csv(tmp_path, rows)
    assert done.exit_code == 0, done.output
    ruleset = out / "表.jx"
    assert f"{ruleset}:" in done.output and "warning[W110]" in done.output, done.output
    assert "目标 ≥1萬人" in done.output  # the generated line, as `check` shows it
    assert "0 个错误，1 个警告" in done.output
    assert "warning[W110]" in run("check", ruleset).output  # the same warning
    english, _ = imported_csv(tmp_path / "en", rows, "--lang", "en")
    assert "warning[W110]" in english.output and "traditional" in english.output, english.output


def test_an_unreadable_budget_amount_is_reported_once_at_its_cell(tmp_path: Path) -> None:
    """The read error E505 was followed by W179 for E510 (the figure missing from the generated file)."""
    tmp_path.mkdir(exist_ok=True)
    table = tmp_path / "表.csv"
    table.write_text(
        f"{COLUMNS}预算执行,年度资金总额,全年预算数,,一百万元,,\n预算执行,年度资金总额,全年执行数,,100万元,,\n"
        "产出指标,数量指标,A,≥100人,120人,90,90\n",
        encoding="utf-8",
    )
    done = run("import", table, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 1, done.output
    assert f"{table}:2:5: 第2行「实际完成值」列: error[E505]" in done.output
    assert "W179" not in done.output and "E510" not in done.output, done.output
    assert "1 个错误，0 个警告" in done.output
    assert "# E505" in (tmp_path / "out" / "表.jx").read_text(encoding="utf-8")


def test_a_breakdown_row_with_a_read_error_is_left_out_as_other_rows_take_their_printed_score(
    tmp_path: Path,
) -> None:
    """A 其中 row (never scored, no printed score) with an unreadable actual value: the read error, and the
    value left out of the actual-value file (W181), so the generated files score (was W179: they did not).
    Its unreadable target is left out of the ruleset (was E111 at a made-up `<表>`: nothing imported)."""
    huge = "9" * 50
    done, out = imported_csv(
        tmp_path,
        f"产出指标,数量指标,生猪出栏,≥100头,120头,90,90\n产出指标,数量指标,其中：能繁母猪,≥10头,{huge}头,,\n",
    )
    assert done.exit_code == 1, done.output
    assert f"{tmp_path / '表.csv'}:5:5: 第5行「实际完成值」列: error[E505]" in done.output
    assert "warning[W181]: 其中行「能繁母猪」的实际完成值" in done.output and "W179" not in done.output
    actuals = (out / "表.actuals.csv").read_text(encoding="utf-8-sig")
    assert huge not in actuals and "能繁母猪" not in actuals
    assert "其中 能繁母猪  目标 ≥10头" in (out / "表.jx").read_text(encoding="utf-8")
    assert run("score", out / "表.jx", out / "表.actuals.csv").exit_code == 0
    target, out = imported_csv(
        tmp_path / "t",
        f"产出指标,数量指标,生猪出栏,≥100头,120头,90,90\n产出指标,数量指标,其中：能繁母猪,≥{huge}头,12头,,\n",
    )
    assert target.exit_code == 0 and "E111" not in target.output, target.output
    assert "5:4: 第5行「指标值」列: warning[W181]" in target.output
    text = (out / "表.jx").read_text(encoding="utf-8")
    assert "    其中 能繁母猪\n" in text and run("check", out / "表.jx").exit_code == 0
    assert run("score", out / "表.jx", out / "表.actuals.csv").exit_code == 0


def test_a_table_too_large_for_a_ruleset_is_an_error_at_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 000 rows each with a read error made a ruleset over the 2 000 000-character limit: E902 at a
    made-up `<表>`. The limit made small here: E724 at the table's row where the ruleset passes it."""
    ruleset = importlib.import_module("jixiao.tools.importer.ruleset")
    monkeypatch.setattr(ruleset, "MAX_RULESET_CHARS", 4000, raising=False)
    huge = "9" * 50
    rows = "".join(f"产出指标,数量指标,指标{i},≥100人,{huge}人,2,2\n" for i in range(50))
    done, out = imported_csv(tmp_path, rows)
    assert done.exit_code == 1, done.output
    assert "<表>" not in done.output and "E902" not in done.output, done.output
    table = tmp_path / "表.csv"
    (place,) = [line for line in done.output.splitlines() if "error[E724]" in line]
    assert place.startswith(f"{table}:") and "「三级指标」列" in place, place
    assert 4 < int(place.split(":")[1]) < 53  # a row of the table, not the first nor past the last
    assert "表太大" in place and "4000" in place and "50 个指标行" in place
    assert "把表拆成几张较小的表" in done.output and not (out / "表.jx").exists()
    english, _ = imported_csv(tmp_path / "en", rows, "--lang", "en")
    assert "error[E724]: the table is too large" in english.output, english.output


def test_the_ministry_templates_numbers_are_no_part_of_the_names(tmp_path: Path) -> None:
    """指标1：养护里程 (the Ministry of Finance template) becomes the indicator 养护里程, in the ruleset and
    in the actual values; its levels are kept as written (社会效益指标) and score as the seed's."""
    out = imported(tmp_path, table=seedfiles.ministry_template(seedfiles.SEED))
    ruleset, actuals = (out / name for name in SEED_FILES)
    text = ruleset.read_text(encoding="utf-8")
    assert "指标1" not in text and "指标14" not in actuals.read_text(encoding="utf-8-sig")
    assert "效益指标 / 社会效益指标 {\n    保障群众基本生活" in text
    assert score_json(SEED_RULESET, actuals)["total"] == "99.31"


def test_a_breakdown_row_of_a_row_left_out_is_left_out_with_it(tmp_path: Path) -> None:
    """养护里程 has no 分值 (W171: left out); its 其中 row went into the ruleset alone, which then failed E411
    at a line of the generated file (nothing imported). Both are comments now, and the rest is imported."""
    done, out = imported_csv(
        tmp_path,
        "产出指标,数量指标,养护里程,≥266公里,258.6公里,,14.58\n产出指标,数量指标,其中：村道,≥120公里,125公里,,\n"
        "产出指标,数量指标,验收合格率,≥95%,96%,90,90\n",
    )
    assert "E411" not in done.output and "warning[W171]" in done.output, done.output
    text = (out / "表.jx").read_text(encoding="utf-8")
    assert "# 其中 村道  目标 ≥120公里（所属的指标没有分值，未导入）" in text
    assert "验收合格率" in text and run("check", out / "表.jx").exit_code == 0


# -- a simple table's blank 一级/二级: as above (同上), merged or not ---------------------------------------
BLANK_LEVELS = "产出指标,数量指标,培训人数,≥100人,100人,40,40\n,,培训场次,≥10次,10次,20,20\n,质量指标,合格率,≥90%,95%,30,30\n"
PLACED = ("  产出指标 / 数量指标 {\n    培训人数  目标 ≥100人  分值 40\n    培训场次  目标 ≥10次   分值 20\n  }\n"
          "  产出指标 / 质量指标 {\n    合格率  目标 ≥90%  分值 30\n  }\n")  # fmt: skip


def test_a_simple_tables_blank_levels_are_as_above(tmp_path: Path) -> None:
    """培训场次 was written outside any block and 质量指标 as a 一级 (`质量指标 {`, then E515 and W174)."""
    done, out = imported_csv(tmp_path, BLANK_LEVELS)
    assert done.exit_code == 0 and "warning[" not in done.output, done.output
    assert PLACED in (out / "表.jx").read_text(encoding="utf-8")
    actuals = (out / "表.actuals.csv").read_text(encoding="utf-8-sig")
    assert "产出指标,数量指标,培训场次,10次," in actuals and "产出指标,质量指标,合格率,95%," in actuals


def test_a_simple_workbooks_level1_merged_down_with_a_blank_level2_reads_as_without_merges(
    tmp_path: Path,
) -> None:
    """Column A merged down its group, column B written once per group: 培训场次 went to `产出指标 {`."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (COLUMNS + BUDGET + BLANK_LEVELS).splitlines():
        sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    assert sheet["A4"].value == "产出指标" and sheet["A5"].value is None and sheet["B5"].value is None
    sheet.merge_cells("A4:A6")  # each of its rows reads 产出指标; B5 stays blank, unmerged
    table = tmp_path / "表.xlsx"
    book.save(table)
    done = run("import", table, "--output", tmp_path / "out", "--policy", "standard/central")
    assert done.exit_code == 0, done.output
    (ruleset,) = (tmp_path / "out").glob("*.jx")
    assert PLACED in ruleset.read_text(encoding="utf-8")


def test_a_level2_under_a_blank_level1_with_none_above_is_an_error_of_the_import(tmp_path: Path) -> None:
    done, _ = imported_csv(tmp_path, ",质量指标,合格率,≥90%,95%,100,100\n")
    assert done.exit_code == 1
    assert (
        f"{tmp_path / '表.csv'}:4:1: 第4行「一级指标」列: error[E541]: 第4行写了二级指标「质量指标」"
        in done.output
    )
