"""Many projects: a workbook with a sheet per project, a long table with a project column, folders, globs, maps."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner
from conftest import SEED_RULESET
from seedfiles import HEADER, LINES

from jixiao.cli import main
from jixiao.io.projects import read_projects


def test_a_thousand_project_workbook_with_one_broken_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    for number in range(1000):
        sheet = book.create_sheet(f"项目{number:04d}")
        sheet.append(HEADER.split(","))
        for line in LINES:
            cells = line.split(",")
            if number == 637 and cells[2] == "享受补贴人数":
                cells[3] = "1.11万人或1.2万人"  # two numbers: which one?
            sheet.append(cells)
    path = tmp_path / "全部项目.xlsx"
    book.save(path)
    # One command scores the workbook into a summary and a file per project (issue 8's "done when").
    out = tmp_path / "结果"
    run = CliRunner().invoke(
        main, ["score", str(SEED_RULESET), str(path), "--format", "csv", "-o", str(out), "-q"]
    )
    assert run.exit_code == 1, run.output
    place = f"{path}:21:4: 工作表「项目0637」第21行「实际完成值」列 (D21): error[E505]"
    assert place in run.stderr
    assert "第 638 个项目「项目0637」" in run.stderr and "有错误的项目（1 个）" in run.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 1000 and "汇总.csv" in written  # 999 scored projects and the summary
    summary = (out / "汇总.csv").read_text(encoding="utf-8-sig")
    assert summary.count(",99.31,优,") == 999 and "项目0637" in summary


def test_a_long_table_with_a_project_column_and_its_rulesets(tmp_path: Path) -> None:
    rows = [f"项目,规则,{HEADER}"]
    for project in ("甲", "乙"):
        rows += [f"{project},{'2020.jx' if i == 0 else ''},{line}" for i, line in enumerate(LINES)]
    path = tmp_path / "汇总.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    projects = list(read_projects([path]))
    assert [(p.name, p.origin, p.ruleset) for p in projects] == [
        ("甲", f"{path}#甲", str(tmp_path / "2020.jx")),
        ("乙", f"{path}#乙", str(tmp_path / "2020.jx")),
    ]
    assert all(p.error is None for p in projects)
    assert projects[1].actuals is not None and projects[1].actuals.entries[0].line == 37


def test_two_rulesets_for_one_project_are_an_error_of_that_project_only(tmp_path: Path) -> None:
    rows = [f"项目,规则,{HEADER}", f"甲,a.jx,{LINES[10]}", f"甲,b.jx,{LINES[11]}", f"乙,a.jx,{LINES[10]}"]
    path = tmp_path / "汇总.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    first, second = read_projects([path])
    assert first.error is not None and [d.code for d in first.error.diagnostics] == ["E527"]
    assert second.error is None


def test_folders_globs_and_a_ruleset_map(tmp_path: Path) -> None:
    seedfiles.csv_file(tmp_path, "gb18030", "甲.csv")
    seedfiles.official_workbook(tmp_path, "乙.xlsx")
    seedfiles.yaml_file(tmp_path)  # names its project 城乡居民…
    (tmp_path / "~$乙.xlsx").write_bytes(b"lock")  # Excel's lock file is not a project
    (tmp_path / "规则对应.csv").write_text("项目,规则文件\n甲,甲.jx\n", encoding="utf-8")
    projects = list(
        read_projects([tmp_path / "*.csv", tmp_path / "*.xlsx"], rulesets=tmp_path / "规则对应.csv")
    )
    names = [p.name for p in projects]
    assert names == ["甲", "城乡居民基本养老保险费财政补助资金"]  # the map *.csv matches is not a table
    assert projects[0].ruleset == str(tmp_path / "甲.jx") and projects[1].ruleset is None
    mapped = projects[0].mapped
    assert mapped is not None and mapped.span is not None and (mapped.span.line, mapped.span.column) == (2, 2)
    folder = list(read_projects([tmp_path], rulesets={"城乡居民基本养老保险费财政补助资金": "x.jx"}))
    assert len(folder) == 4 and all(p.ruleset == "x.jx" for p in folder if p.name.startswith("城乡"))
    named = list(read_projects([tmp_path / "规则对应.csv"], rulesets=tmp_path / "规则对应.csv"))
    assert [p.name for p in named] == ["规则对应"] and named[0].error is not None  # given by name: read


def _mapped_folder(tmp_path: Path, entry: str) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    seedfiles.csv_file(data, "utf-8", "甲.csv")
    (data / "map.csv").write_text(f"项目,规则\n甲,{entry}\n", encoding="utf-8")
    return data, data / "map.csv"


def test_a_map_inside_the_folder_scored_is_not_read_as_a_table(tmp_path: Path) -> None:
    data, map_file = _mapped_folder(tmp_path, "../rules.jx")
    (tmp_path / "rules.jx").write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert "E501" not in run.output and "map.csv" not in run.output, run.output
    assert run.exit_code == 0 and "99.31" in run.stdout


def test_a_map_entry_naming_no_file_is_placed_at_the_maps_cell(tmp_path: Path) -> None:
    data, map_file = _mapped_folder(tmp_path, "rulesx.jx")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert run.exit_code == 1
    assert f"{map_file}:2:2: 第2行「规则」列: error[E532]" in run.stderr, run.stderr
    assert f"的规则「rulesx.jx」无法读取（{data / 'rulesx.jx'}：文件不存在）" in run.stderr


def test_a_policy_named_by_the_map_cannot_score_alone(tmp_path: Path) -> None:
    data, map_file = _mapped_folder(tmp_path, "standard/central")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert run.exit_code == 1 and "无法读取文件" not in run.stderr
    assert f"{map_file}:2:2: 第2行「规则」列: error[E532]" in run.stderr, run.stderr
    assert (
        "是评分办法，不是项目规则" in run.stderr and "jixiao import --policy standard/central" in run.stderr
    )
    alone = CliRunner().invoke(main, ["score", "standard/central", str(data / "甲.csv"), "--lang", "en"])
    assert alone.exit_code == 1 and "error[E215]" in alone.stderr and "jixiao audit" in alone.stderr


def _mapped_data(tmp_path: Path, rows: str) -> tuple[Path, Path]:
    """data/甲.csv and data/乙.csv (projects named by their files), the seed's ruleset as 规则.jx beside a
    map written with `rows` under its header."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("甲", "乙"):
        seedfiles.csv_file(data, "utf-8", f"{name}.csv")
    (tmp_path / "规则.jx").write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    map_file = tmp_path / "map.csv"
    map_file.write_text(f"项目,规则\n{rows}", encoding="utf-8")
    return data, map_file


def test_map_names_are_compared_as_f112_compares_project_names(tmp_path: Path) -> None:
    """桥梁维修项目 in the map is the file's 桥梁维修 (spaces, widths, brackets and a trailing 项目 make no
    difference, as for F112): the row is used, not the command line's ruleset."""
    data, map_file = _mapped_data(tmp_path, "甲项目,规则.jx\n 乙 ,规则.jx\n")
    projects = list(read_projects([data], rulesets=map_file))
    assert [(p.name, p.ruleset) for p in projects] == [(n, str(tmp_path / "规则.jx")) for n in ("乙", "甲")]
    mapped = list(read_projects([data], rulesets={"（甲）项目": "x.jx", "ＡＢ": "y.jx"}))
    assert [p.ruleset for p in mapped] == [None, None]  # （甲） is not 甲: only the kind of bracket is alike
    assert [p.ruleset for p in read_projects([data], rulesets={"甲 项目": "x.jx"})] == [None, "x.jx"]


def test_a_map_row_naming_no_project_is_a_warning_at_the_row(tmp_path: Path) -> None:
    data, map_file = _mapped_data(tmp_path, "甲,规则.jx\n乙,规则.jx\n丙,规则.jx\n")
    for lang, text in (
        ("zh", "规则对应表中的项目「丙」没有对应的实际值文件"),
        ("en", "“丙” in the ruleset map"),
    ):
        run = CliRunner().invoke(
            main, ["score", str(SEED_RULESET), str(data), "--rulesets", str(map_file), "--lang", lang]
        )
        assert run.exit_code == 0, run.output
        assert f"{map_file}:4:1: " in run.stderr and "warning[W188]" in run.stderr and text in run.stderr
        assert run.stderr.count("W188") == 1
    audit = CliRunner().invoke(main, ["audit", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert f"{map_file}:4:1: " in audit.stderr and audit.stderr.count("warning[W188]") == 1, audit.stderr


def test_a_project_mapped_twice_to_different_rulesets_is_an_error_naming_the_first_row(
    tmp_path: Path,
) -> None:
    data, map_file = _mapped_data(tmp_path, "甲,规则.jx\n乙,规则.jx\n甲项目,其他.jx\n乙,规则.jx\n")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert run.exit_code == 1
    assert f"{map_file}:4:1: 第4行「项目」列: error[E536]" in run.stderr, run.stderr
    assert "已在第 2 行出现（「甲」→「规则.jx」），这里又给了规则「其他.jx」" in run.stderr
    assert run.stderr.count("E536") == 1  # 乙 twice with the same ruleset is no conflict


def test_an_empty_ruleset_cell_of_the_map_is_said_to_be_empty(tmp_path: Path) -> None:
    data, map_file = _mapped_data(tmp_path, "甲,\n乙,规则.jx\n")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert run.exit_code == 1
    assert (
        f"{map_file}:2:2: 第2行「规则」列: error[E532]: 规则对应表中项目「甲」的规则「」是空的" in run.stderr
    )
    assert "这是文件夹" not in run.stderr, run.stderr
    audit = CliRunner().invoke(main, ["audit", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert audit.exit_code == 1 and "error[E532]" in audit.output and "是空的" in audit.output


def test_audit_places_a_missing_mapped_ruleset_at_the_maps_cell(tmp_path: Path) -> None:
    data, map_file = _mapped_data(tmp_path, "甲,没有.jx\n乙,规则.jx\n")
    run = CliRunner().invoke(main, ["audit", str(SEED_RULESET), str(data), "--rulesets", str(map_file)])
    assert run.exit_code == 1
    assert f"{map_file}:2:2: 第2行「规则」列: error[E532]" in run.output, run.output
    assert "E105" not in run.output


def test_a_sheet_names_its_ruleset(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    seedfiles.write_official(book.active)
    book.active["F11"], book.active["G11"] = "规则", "rules/2020.jx"  # beside 总分值 … 总得分 …
    path = tmp_path / "表.xlsx"
    book.save(path)
    (project,) = read_projects([path])
    assert project.ruleset == str(tmp_path / "rules" / "2020.jx")


def test_a_sheet_with_a_broken_header_does_not_stop_the_other_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    good = book.active
    good.title = "甲"
    seedfiles.write_official(good)
    broken = book.create_sheet("乙")
    broken.append(["一级指标", "二级指标", "三级指标", "实际完成值", "完成值"])  # two actual-value columns
    broken.append(["产出指标", "数量指标", "享受补贴人数", "1.11万人", "1.2万人"])
    path = tmp_path / "两个.xlsx"
    book.save(path)
    first, second = read_projects([path])
    assert (first.name, first.error) == ("城乡居民基本养老保险费财政补助资金", None)
    assert second.name == "乙" and second.actuals is None and second.error is not None
    (diag,) = second.error.diagnostics
    assert (diag.code, diag.span and diag.span.sheet) == ("E517", "乙")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_long_table_under_a_title_row_is_split_into_its_projects(tmp_path: Path, suffix: str) -> None:
    rows = [["2020年度项目支出绩效自评汇总表（单位：万元）"], [], f"项目,{HEADER}".split(",")]
    for project in ("甲", "乙"):
        rows += [[project, *line.split(",")] for line in LINES]
    path = tmp_path / f"汇总{suffix}"
    if suffix == ".csv":
        path.write_bytes("\n".join(",".join(row) for row in rows).encode("gbk"))
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    projects = list(read_projects([path]))
    assert [(p.name, p.error) for p in projects] == [("甲", None), ("乙", None)]
    first = projects[0].actuals
    assert first is not None and first.info == {
        "标题": "2020年度项目支出绩效自评汇总表（单位：万元）",
        "年度": "2020",
    }
    assert first.origin is not None and first.origin.line == 3 and first.entries[0].line == 13
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path)])
    assert run.exit_code == 0, run.output
    assert run.stdout.count("99.31") >= 2 and "评分 2 个项目，0 个有错误" in run.stdout


def test_a_long_table_under_rows_that_are_no_title_keeps_them_as_notes(tmp_path: Path) -> None:
    rows = ["填报单位,人社局,,单位：元", "", f"项目,{HEADER}"] + [f"甲,{line}" for line in LINES]
    path = tmp_path / "汇总.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    (project,) = read_projects([path])
    assert project.actuals is not None and project.actuals.notes == ["填报单位 人社局 单位：元"]
    first = project.actuals.budget[0]
    assert (first.row, first.figure, first.amount, first.dimension) == (
        "年度资金总额",
        "年初预算数",
        (970, 1),
        "元",
    )


def test_a_ruleset_named_up_a_folder_is_shown_without_the_detour(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "汇总.csv"
    path.write_text("\n".join([f"项目,规则,{HEADER}", *(f"甲,../rules/2020.jx,{line}" for line in LINES)]))
    (project,) = read_projects([path])
    assert project.ruleset == str(tmp_path / "rules" / "2020.jx")
