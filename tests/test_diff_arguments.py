"""`jixiao diff` arguments (issues 8, 12): --root like score and check, the input options of score for
--actuals, and arguments in the wrong place named at their file (E250–E252, exit 2)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import diff as diff_cli
from jixiao.cli import main

POLICY = """评分办法 "区办法" {
  采用 "standard/central"
  量表 达成度 {
    达成 [80%,100%] 取 100%
    未达成 [0%,80%) 取 0%
  }
}
"""
PROJECT = """项目 "{name}" 年度 2020 {{
  采用 "bureau"
  产出指标 / 数量指标 {{
    人数  目标 ≥{target}人  分值 90
  }}
}}
"""
VALUES = """一级指标,二级指标,三级指标,实际完成值
预算执行,年度资金总额,全年预算数,100
预算执行,年度资金总额,全年执行数,100
产出指标,数量指标,人数,{people}人
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def project(path: Path, target: int = 100, name: str = "某项目") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PROJECT.format(name=name, target=target), encoding="utf-8")
    return path


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A folder of shared policies outside the projects' folders."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "bureau.jx").write_text(POLICY, encoding="utf-8")
    return tmp_path / "shared"


# -- --root ----------------------------------------------------------------------------------------------


def test_two_files_find_their_policy_in_a_root(tmp_path: Path, shared: Path) -> None:
    old, new = project(tmp_path / "a" / "old.jx"), project(tmp_path / "a" / "new.jx", target=120)
    without = run(old, new)
    assert without.exit_code == 2 and "error[E204]" in without.output
    assert str(shared) not in without.output  # a folder outside the roots is never named
    found = run(old, new, "--root", shared, "--format", "json")
    assert found.exit_code == 1, found.output
    changes = json.loads(found.output)["changes"]
    assert [(c["kind"], c["old"], c["new"]) for c in changes] == [("target", "≥100人", "≥120人")]
    assert jixiao.diff(old, new, roots=[shared]).changes[0].kind == "target"


def test_folders_are_roots_of_their_rulesets_and_take_more_roots(tmp_path: Path, shared: Path) -> None:
    for side, target in (("old", 100), ("new", 120)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "bureau.jx").write_text(POLICY, encoding="utf-8")
        project(
            tmp_path / side / "sub" / "p.jx", target
        )  # 采用 "bureau" from a subfolder: the top of the folder
    report = jixiao.diff_folders(tmp_path / "old", tmp_path / "new")
    assert [(p.status, p.counts) for p in report.projects if not p.policy] == [("changed", {"target": 1})]
    for side, target in (("old2", 100), ("new2", 100)):
        project(tmp_path / side / "p.jx", target)  # the policy only in --root
    assert run(tmp_path / "old2", tmp_path / "new2").exit_code == 2
    result = run(tmp_path / "old2", tmp_path / "new2", "--root", shared)
    assert result.exit_code == 0, result.output
    assert jixiao.diff_folders(tmp_path / "old2", tmp_path / "new2", roots=[shared]).same


def test_a_policy_diff_resolves_its_projects_with_the_roots(tmp_path: Path, shared: Path) -> None:
    project(tmp_path / "projects" / "p.jx")
    newer = tmp_path / "bureau-new.jx"
    newer.write_text(
        POLICY.replace("[80%,100%]", "[60%,100%]").replace("[0%,80%)", "[0%,60%)"), encoding="utf-8"
    )
    args = [shared / "bureau.jx", newer, "--projects", tmp_path / "projects"]
    result = run(*args, "--root", shared, "--format", "json")
    assert result.exit_code == 1, result.output
    (item,) = [p for p in json.loads(result.output)["projects"] if not p["policy"]]
    assert item["status"] == "changed" and item["counts"] == {"scale": 1}
    assert (
        jixiao.diff_policy(*args[:2], projects=tmp_path / "projects", roots=[shared]).projects[0].status
        == "changed"
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_revisions_and_the_git_driver_resolve_from_the_top_and_the_roots(
    tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["config", "user.email", "s@example.invalid"], ["config", "user.name", "s"]):
        git(repo, *args)
    (repo / "bureau.jx").write_text(POLICY, encoding="utf-8")  # at the top: found from projects/
    project(repo / "projects" / "p.jx")
    project(repo / "elsewhere" / "q.jx").write_text(  # its policy only in --root
        PROJECT.format(name="别处", target=100).replace('"bureau"', '"shared/bureau"'), encoding="utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2020")
    project(repo / "projects" / "p.jx", target=120)
    monkeypatch.chdir(repo)
    single = run("--rev", "HEAD", "projects/p.jx", "--format", "json")
    assert single.exit_code == 1, single.output
    assert [c["kind"] for c in json.loads(single.output)["changes"]] == ["target"]
    unrooted = run("--rev", "HEAD", "elsewhere")
    assert unrooted.exit_code == 2 and "E204" in unrooted.output
    assert run("--rev", "HEAD", "elsewhere", "--root", tmp_path).exit_code == 0
    old = tmp_path / "old-p.jx"
    project(old)
    driver = ["--git", "projects/p.jx", str(old), ".", ".", "projects/p.jx", ".", "."]
    shown = run(*driver)
    assert shown.exit_code == 0 and "≥100人" in shown.output and "≥120人" in shown.output
    assert "E204" not in shown.output


# -- the input options for --actuals ------------------------------------------------------------------------


def workbook(path: Path, people: dict[str, int]) -> Path:
    """A workbook with one project sheet per name (甲, 乙), the same table with other values."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, count in people.items():
        ws = book.create_sheet(sheet)
        for line in VALUES.format(people=count).splitlines():
            ws.append(line.split(","))
    book.save(path)
    return path


def test_sheet_encoding_and_format_reach_the_actual_values(tmp_path: Path, shared: Path) -> None:
    old, new = project(tmp_path / "old.jx"), project(tmp_path / "new.jx", target=120)
    book = workbook(tmp_path / "values.xlsx", {"甲": 90, "乙": 60})
    args = [old, new, "--root", shared, "--actuals", book, "--format", "json"]
    unpicked = run(*args)
    assert unpicked.exit_code == 2 and "E521" in unpicked.output  # two project sheets: --sheet says which
    totals = {}
    for sheet in ("甲", "乙"):
        picked = run(*args, "--sheet", sheet)
        assert picked.exit_code == 1, picked.output
        impact = json.loads(picked.output)["impacts"][0]
        totals[sheet] = (impact["old_total"], impact["new_total"])
    assert totals == {"甲": ("91.00", "77.50"), "乙": ("64.00", "55.00")}  # 10 + 90 × 90/100 …
    gbk = tmp_path / "values.dat"
    gbk.write_bytes(VALUES.format(people=90).encode("gb18030"))
    forced = run(
        old, new, "--root", shared, "--actuals", gbk, "--input-format", "csv", "--encoding", "gb18030"
    )
    assert forced.exit_code == 1, forced.output
    assert "91.00" in forced.output and "77.50" in forced.output
    wrong = run(old, new, "--root", shared, "--actuals", gbk, "--input-format", "csv", "--encoding", "utf-16")
    assert wrong.exit_code == 2 and "error[E126]" in wrong.output


def test_a_ruleset_map_assigns_the_projects_of_a_folder_diff(tmp_path: Path, shared: Path) -> None:
    for side, target in (("old", 100), ("new", 120)):
        project(tmp_path / side / "p1.jx", target)
    (tmp_path / "values").mkdir()
    (tmp_path / "values" / "某单位报表.csv").write_text(VALUES.format(people=90), encoding="utf-8")
    args = [tmp_path / "old", tmp_path / "new", "--root", shared, "--actuals", tmp_path / "values"]
    unmatched = json.loads(run(*args, "--format", "json").stdout)
    assert [d["code"] for d in unmatched["diagnostics"]] == ["W141"] and unmatched["impact"]["scored"] == 0
    rulesets = tmp_path / "map.csv"
    rulesets.write_text("项目,规则\n某单位报表,new/p1.jx\n", encoding="utf-8")
    mapped = run(*args, "--rulesets", rulesets, "--format", "json")
    assert mapped.exit_code == 1, mapped.output
    (scored,) = json.loads(mapped.stdout)["projects"][0]["scores"]
    assert (scored["old_total"], scored["new_total"], scored["delta"]) == ("91.00", "77.50", "-13.50")


# -- arguments in the wrong place ---------------------------------------------------------------------------


def test_actual_values_given_as_a_ruleset_are_named(tmp_path: Path) -> None:
    for args in ([SEED_RULESET, SEED_ACTUALS], [SEED_ACTUALS, SEED_RULESET]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert f"{SEED_ACTUALS.as_posix()}: error[E250]" in result.output.replace(
            str(SEED_ACTUALS), SEED_ACTUALS.as_posix()
        )
        assert "--actuals" in result.output and "E101" not in result.output
    named_csv = tmp_path / "rules.csv"  # a ruleset whatever its name: compared, not refused
    named_csv.write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    same = run(SEED_RULESET, named_csv)
    assert "E250" not in same.output


def test_a_ruleset_after_actuals_and_a_file_after_projects_are_named_together() -> None:
    result = run(
        SEED_RULESET, SEED_RULESET, "--actuals", SEED_RULESET, "--projects", SEED_RULESET, "--format", "json"
    )
    assert result.exit_code == 2
    diagnostics = json.loads(result.output)["diagnostics"]
    assert [(d["code"], d["span"]["line"], d["span"]["column"]) for d in diagnostics] == [
        ("E251", None, None),  # about the file as a whole: no line
        ("E252", None, None),
    ]
    assert all(d["span"]["path"].endswith("2020.jx") for d in diagnostics)
    english = run(SEED_RULESET, SEED_RULESET, "--actuals", SEED_RULESET, "--lang", "en")
    assert "is a ruleset, not actual values" in english.output


def test_a_ruleset_map_in_a_two_file_diff_is_a_usage_error(tmp_path: Path) -> None:
    rulesets = tmp_path / "map.csv"
    rulesets.write_text("项目,规则\n某项目,2020.jx\n", encoding="utf-8")
    result = run(SEED_RULESET, SEED_RULESET, "--actuals", SEED_ACTUALS, "--rulesets", rulesets)
    assert result.exit_code == 2
    assert "--rulesets 只用于多个项目的比较" in result.output
    assert run(SEED_RULESET, SEED_RULESET, "--actuals", SEED_ACTUALS).exit_code == 0


# -- a file that does not exist: did you mean … (as score says for a ruleset) --------------------------------


@pytest.mark.parametrize(
    ("command", "missing", "nearby"),
    [
        (["diff", "olx.jx", "old.jx"], "olx.jx", "old.jx"),
        (["diff", "old.jx", "olx.jx"], "olx.jx", "old.jx"),
        (["diff", "old.jx", "old.jx", "--actuals", "x.csv"], "x.csv", "a.csv"),
        (["score", "old.jx", "x.csv"], "x.csv", "a.csv"),
        (["audit", "old.jx", "acx.xlsx"], "acx.xlsx", "act.xlsx"),
        (["import", "acx.xlsx", "--output", "out"], "acx.xlsx", "act.xlsx"),
    ],
)
def test_a_missing_file_suggests_the_closest_name(
    command: list[str], missing: str, nearby: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E105 for a missing ruleset, actual-value file or workbook names the closest file of its folder;
    its help no longer asks for a text file (a workbook is not one)."""
    shutil.copy(SEED_RULESET, tmp_path / "old.jx")
    shutil.copytree(SEED_RULESET.parents[1] / "standard", tmp_path / "standard")
    shutil.copy(SEED_ACTUALS, tmp_path / "a.csv")
    openpyxl.Workbook().save(tmp_path / "act.xlsx")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, command)
    assert result.exit_code != 0
    assert f"{missing}: error[E105]" in result.output, result.output
    assert f"是不是要写「{nearby}」？" in result.output
    assert "文本文件" not in result.output


def test_an_official_table_or_long_table_after_actuals_is_not_taken_for_a_ruleset(tmp_path: Path) -> None:
    """Their first cell starts with 项目 (项目绩效自评表, a 项目 column) as a ruleset's first word does."""
    official = ROOT / "tests" / "tables" / "seed-official.csv"
    long_table = tmp_path / "long.csv"
    long_table.write_text("项目,一级指标,二级指标,三级指标,实际完成值\n", encoding="utf-8")
    titled = tmp_path / "titled.txt"
    titled.write_text("项目绩效自评表\n", encoding="utf-8")
    assert not misplaced_codes([str(official), str(long_table)])
    assert misplaced_codes([str(SEED_RULESET)]) == ["E251"]
    assert not diff_cli.is_ruleset(titled)
    named = tmp_path / "named.txt"
    named.write_text('# 注释\n项目"某项目" {\n', encoding="utf-8")
    assert diff_cli.is_ruleset(named)


def misplaced_codes(actuals: list[str]) -> list[str]:
    try:
        diff_cli.misplaced([], actuals, None)
    except jixiao.JixiaoError as exc:
        return [d.code for d in exc.diagnostics]
    return []
