"""`jixiao diff` at the scale of a bureau: two folders of 20 projects, a policy change, the impact on scores.

The bureau (tests/bureau.py) has known differences; every figure below is worked out by hand there:
a project scores 10 (budget) + 30 (完成数量) + 20 (验收合格率) + 20 (群众受益) + 20 (满意度); 部分达成
scores 60% of 20 = 12 under the 2023 policy and 50% of 20 = 10 under 2024's.
"""

from __future__ import annotations

import contextlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from bureau import make_bureau
from click.testing import CliRunner
from conftest import ROOT

import jixiao
from jixiao.cli import main
from jixiao.tools.compare.reports import BatchReport, ProjectDiff

SVG = "{http://www.w3.org/2000/svg}"
ROOT_RULESETS = ROOT / "rulesets"


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bureau(tmp_path_factory.mktemp("bureau"))


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    with contextlib.chdir(folder):
        yield


@pytest.fixture(scope="module")
def folders(bureau: Path) -> BatchReport:
    with inside(bureau):
        return jixiao.diff_folders("2023", "2024", actuals=["actuals"])


@pytest.fixture(scope="module")
def policy(bureau: Path) -> BatchReport:
    with inside(bureau):
        return jixiao.diff_policy("2023/bureau.jx", "2024/bureau.jx", projects="2024", actuals=["actuals"])


def by_file(report: BatchReport) -> dict[str, ProjectDiff]:
    return {Path(p.new_file or p.old_file or "").stem: p for p in report.projects}


# -- two folders ------------------------------------------------------------------------------------------


def test_folder_summary_lists_every_project_with_its_changes(folders: BatchReport) -> None:
    rows = {
        stem: (p.status, p.renamed, p.counts, p.old_weight, p.new_weight)
        for stem, p in by_file(folders).items()
    }
    year_and_scale = {"meta": 1, "scale": 1}
    expected: dict[str, tuple[str, list[str], dict[str, int], str | None, str | None]] = {
        f"p{n:02d}": ("changed", [], year_and_scale, "100", "100") for n in range(1, 20)
    }
    expected |= {
        "bureau": ("changed", [], {"scale": 1}, None, None),
        "p03": ("changed", [], {"meta": 1, "scale": 1, "target": 1}, "100", "100"),
        "p04": (
            "changed",
            [],
            {"meta": 1},
            "100",
            "100",
        ),  # its own scale: the policy's change does not reach it
        "p05": ("changed", [], {"meta": 1, "scale": 1, "weight": 2}, "100", "100"),
        "p07": ("changed", [], {"meta": 1, "scale": 1, "renamed": 1}, "100", "100"),
        "p09": ("changed", [], {"meta": 1}, "100", "100"),
        "p11b": ("changed", ["file"], year_and_scale, "100", "100"),
        "p13": ("changed", [], {"meta": 1}, "100", "100"),  # the national policy, not the bureau's
        "p20": ("removed", [], {}, "100", None),
        "p21": ("added", [], {}, None, "100"),
    }
    del expected["p11"]
    assert rows == expected
    assert [p.new_file for p in folders.projects][-2:] == ["2024/p21.jx", None]  # new order, removed last
    assert by_file(folders)["p11b"].old_file == "2023/p11.jx"
    assert not folders.same


def test_folder_changes_per_project(folders: BatchReport) -> None:
    projects = by_file(folders)
    target = next(c for c in projects["p03"].changes if c.kind == "target")
    assert (target.path, target.old, target.new, target.direction) == (
        "产出指标/数量指标/完成数量",
        "≥100个",
        "≥120个",
        "raised",
    )
    weights = {c.path: c.delta for c in projects["p05"].changes if c.kind == "weight"}
    assert weights == {"产出指标/质量指标/验收合格率": "-5", "满意度指标/服务对象满意度/服务对象满意度": "+5"}
    renamed = next(c for c in projects["p07"].changes if c.kind == "renamed")
    assert (renamed.old, renamed.new) == ("群众受益情况", "群众获得感")
    scale = next(c for c in projects["bureau"].changes if c.kind == "scale")
    assert (scale.key, scale.old, scale.new) == (
        "scale:达成度",
        "部分达成 [60%,80%) 取 60%; 未达成 [0%,60%) 取 0%",
        "部分达成 [50%,80%) 取 50%; 未达成 [0%,50%) 取 0%",
    )
    year = next(c for c in projects["p01"].changes if c.kind == "meta")
    assert (year.key, year.old, year.new) == ("meta:year", "2023", "2024")


TOTALS = {  # stem: (old total, new total, delta, old grade, new grade) — under 2023 and 2024 rules
    "p01": ("100.00", "100.00", "0.00", "优", "优"),
    "p02": ("91.20", "89.20", "-2.00", "优", "良"),
    "p03": ("100.00", "97.50", "-2.50", "优", "优"),
    "p04": ("94.00", "94.00", "0.00", "优", "优"),
    "p05": ("98.00", "97.50", "-0.50", "优", "优"),
    "p06": ("91.50", "89.50", "-2.00", "优", "良"),
    "p07": ("100.00", "100.00", "0.00", "优", "优"),
    "p08": ("88.00", "86.00", "-2.00", "良", "良"),
    "p09": ("92.00", "92.00", "0.00", "优", "优"),
    "p10": ("88.00", "86.00", "-2.00", "良", "良"),
    "p11b": ("100.00", "100.00", "0.00", "优", "优"),
    "p12": ("89.00", "87.00", "-2.00", "良", "良"),
    "p13": ("100.00", "100.00", "0.00", "优", "优"),
    "p14": ("80.00", "78.00", "-2.00", "良", "中"),
    "p15": ("100.00", "100.00", "0.00", "优", "优"),
    "p16": ("92.00", "90.00", "-2.00", "优", "优"),
    "p17": ("80.00", "80.00", "0.00", "良", "良"),
    "p18": ("100.00", "100.00", "0.00", "优", "优"),
    "p19": ("100.00", "100.00", "0.00", "优", "优"),
    "p20": ("100.00", None, None, "优", None),
    "p21": (None, "100.00", None, None, "优"),
}


def test_folder_impact_scores_every_project_under_both_years(folders: BatchReport) -> None:
    scores = {
        stem: (s.old_total, s.new_total, s.delta, s.old_grade, s.new_grade)
        for stem, p in by_file(folders).items()
        for s in p.scores
    }
    assert scores == TOTALS
    assert by_file(folders)["p11b"].scores[0].actuals == "actuals/p11.csv"  # matched by the old file name


def test_folder_aggregates(folders: BatchReport) -> None:
    impact = folders.impact
    assert impact is not None
    assert (impact.scored, impact.unscored, impact.moved_grade) == (19, 2, 3)
    assert {(t.old, t.new): t.count for t in impact.transitions} == {
        ("优", "优"): 12,
        ("良", "良"): 4,
        ("优", "良"): 2,
        ("良", "中"): 1,
    }
    assert [(b.label, b.count) for b in impact.distribution] == [
        ("≤ -5", 0),
        ("(-5, -1]", 8),
        ("(-1, 0)", 1),
        ("0", 10),
        ("(0, 1)", 0),
        ("[1, 5)", 0),
        ("≥ 5", 0),
    ]
    assert (impact.mean, impact.median) == ("-0.89", "0.00")  # −17/19
    assert impact.exact["mean"] == "-17/19"
    assert [(m.project, m.delta) for m in impact.movers][:2] == [
        ("义务教育营养餐项目", "-2.50"),
        ("公共文化服务项目", "-2.00"),
    ]
    assert [(c.change.split("：")[0], c.projects, c.total) for c in impact.contributions] == [
        ("量表 达成度", 7, "-14.00"),
        ("分值 产出指标/质量指标/验收合格率", 1, "-5.00"),
        ("分值 满意度指标/服务对象满意度/服务对象满意度", 1, "+4.50"),
        ("目标提高 产出指标/数量指标/完成数量", 1, "-2.50"),
    ]
    assert impact.interaction == "0.00"


def test_each_change_applied_alone_accounts_for_the_delta(folders: BatchReport) -> None:
    p05 = by_file(folders)["p05"].scores[0]
    assert [(a.kind, a.path, a.delta) for a in p05.attribution] == [
        ("scale", "量表 达成度", "0.00"),
        ("weight", "产出指标/质量指标/验收合格率", "-5.00"),
        ("weight", "满意度指标/服务对象满意度/服务对象满意度", "+4.50"),
    ]
    assert (p05.delta, p05.interaction) == ("-0.50", "0.00")
    p02 = by_file(folders)["p02"].scores[0]
    assert [(a.kind, a.delta) for a in p02.attribution] == [("scale", "-2.00")]


# -- a policy change --------------------------------------------------------------------------------------


def test_policy_change_through_every_project(policy: BatchReport) -> None:
    projects = by_file(policy)
    statuses = {stem: p.status for stem, p in projects.items()}
    assert statuses == {
        **{f"p{n:02d}": "changed" for n in (1, 2, 3, 5, 6, 7, 8, 10, 12, 14, 15, 16, 17, 18, 19, 21)},
        "p11b": "changed",
        "p04": "unaffected",
        "p09": "unaffected",
        "p13": "not_using",
    }
    assert projects["p04"].reasons == ["「量表 达成度」由 2024/p04.jx:5 覆盖"]
    assert projects["p09"].reasons == ["「量表 达成度」由 2024/p09.jx:5 覆盖"]
    assert projects["p13"].reasons == ["未采用此评分办法（采用：项目支出绩效自评（通用））"]
    assert [(c.kind, c.key) for c in policy.policy_changes] == [("scale", "scale:达成度")]
    assert [(c.kind, c.key) for c in projects["p01"].changes] == [("scale", "scale:达成度")]


def test_policy_change_impact(policy: BatchReport) -> None:
    impact = policy.impact
    assert impact is not None
    deltas = {stem: s.delta for stem, p in by_file(policy).items() for s in p.scores}
    moved = {"p02", "p06", "p08", "p10", "p12", "p14", "p16"}
    assert {stem for stem, d in deltas.items() if d != "0.00"} == moved
    assert all(deltas[stem] == "-2.00" for stem in moved)
    assert "p13" not in deltas and "p11b" not in deltas  # not using it; p11.csv names the 2023 file
    assert {(t.old, t.new): t.count for t in impact.transitions} == {
        ("优", "优"): 11,
        ("良", "良"): 4,
        ("优", "良"): 2,
        ("良", "中"): 1,
    }
    assert [(c.projects, c.moved_grade, c.total) for c in impact.contributions] == [(7, 3, "-14.00")]
    assert [d.code for d in policy.diagnostics] == ["W141", "W141"]  # p11.csv, p20.csv match no 2024 project


def test_new_grade_bands_count_the_projects_whose_grade_they_move(bureau: Path, tmp_path: Path) -> None:
    """优 ≥88 instead of [90,100]: no total moves, but 公共文化服务项目 (89.50) goes from 良 to 优 — the
    contributions table counts it and says so, and the project's details show the grade it moves."""
    policy = (bureau / "2024" / "bureau.jx").read_text(encoding="utf-8")
    new = tmp_path / "new.jx"
    new.write_text(
        policy.replace("{\n", "{\n  等级 { 优 ≥88; 良 ≥78; 中 ≥60; 差 其余 }\n", 1), encoding="utf-8"
    )
    args = ["diff", "2024/bureau.jx", str(new), "--projects", "2024", "--actuals", "actuals"]
    with inside(bureau):
        report = jixiao.diff_policy("2024/bureau.jx", new, projects="2024", actuals=["actuals"])
        result = CliRunner().invoke(main, args)
    assert report.impact is not None
    (grades,) = report.impact.contributions
    assert (grades.projects, grades.moved_grade, grades.total) == (3, 3, "0.00")
    (share,) = by_file(report)["p06"].scores[0].attribution
    assert (share.delta, share.grade) == ("0.00", "优")
    assert "项目数    其中等级改变    合计" in result.stdout, result.output
    assert "得分（实际值 actuals/p06.csv）：89.50 → 89.50（0.00），等级 良 → 优" in result.stdout
    assert "0.00（等级 良 → 优）" in result.stdout


def test_policy_cli_lists_unaffected_projects_with_reasons(bureau: Path) -> None:
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2023/bureau.jx", "2024/bureau.jx", "--projects", "2024"])
    assert result.exit_code == 1, result.output
    assert "社区卫生服务项目    「量表 达成度」由 2024/p04.jx:5 覆盖" in result.output
    assert "未采用此评分办法" in result.output


# -- output -----------------------------------------------------------------------------------------------


def test_cli_folder_table_summary_first_then_details(bureau: Path) -> None:
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2023", "2024", "--actuals", "actuals"])
    assert result.exit_code == 1, result.output
    out = result.output
    assert (
        out.index("汇总")
        < out.index("得分影响")
        < out.index("义务教育营养餐项目（2023/p03.jx → 2024/p03.jx）")
    )
    assert "城市道路照明项目                  2023/p11.jx → 2024/p11b.jx  有变化" in out
    assert "随评分办法「某区项目支出绩效自评」变化：量表 达成度（见上）" in out
    assert "Traceback" not in out


def test_markdown_embeds_the_chart_and_html_inlines_it(
    folders: BatchReport, bureau: Path, tmp_path: Path
) -> None:
    markdown = jixiao.render(folders, "markdown")
    page = jixiao.render(folders, "html")
    chart = tmp_path / "chart.svg"
    with inside(bureau):
        args = ["diff", "2023", "2024", "--actuals", "actuals", "--format", "markdown", "--chart", str(chart)]
        linked = CliRunner().invoke(main, args)
    assert "![得分变化与等级变化图](data:image/svg+xml;base64," in markdown
    assert f"![得分变化与等级变化图]({chart.as_posix()})" in linked.output
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_a_chart_that_cannot_be_written_is_E950_after_the_whole_report(bureau: Path, tmp_path: Path) -> None:
    """The chart is an extra: the report is printed all the same (the chart embedded in it), then E950,
    whose help names --chart (diff has no --output); exit 2, diff's code for an error."""
    (tmp_path / "图").write_text("a file where a folder is needed", encoding="utf-8")
    blocked = tmp_path / "图" / "chart.svg"
    with inside(bureau):
        args = ["diff", "2023", "2024", "--actuals", "actuals", "--chart", str(blocked), "--lang", "en"]
        result = CliRunner().invoke(main, [*args, "--format", "markdown"])
    assert result.exit_code == 2
    assert (
        f"{blocked}: error[E950]: cannot write the output file: a file stands where a folder" in result.stderr
    )
    assert "choose another folder with --chart" in result.stderr and "--output" not in result.stderr
    assert "Traceback" not in result.output and "internal" not in result.output
    assert result.stdout.startswith("### Projects compared: 2023 → 2024")
    assert "](data:image/svg+xml;base64," in result.stdout  # not a link to the file that is not there


def test_a_chart_into_a_missing_folder_makes_the_folder(bureau: Path, tmp_path: Path) -> None:
    """As `score --output` and `import -o` do: the report is printed, the chart written, exit 1 (changes)."""
    chart = tmp_path / "新" / "图" / "chart.svg"
    with inside(bureau):
        result = CliRunner().invoke(
            main, ["diff", "2023", "2024", "--actuals", "actuals", "--chart", str(chart)]
        )
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("项目比较：2023 → 2024") and "E950" not in result.stderr
    assert chart.read_text(encoding="utf-8").startswith("<svg")


def test_a_chart_of_identical_folders_into_a_missing_folder_exits_0(bureau: Path, tmp_path: Path) -> None:
    chart = tmp_path / "nodir" / "c.svg"
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2024", "2024", "--chart", str(chart)])
    assert result.exit_code == 0, result.stderr
    assert "相同 21" in result.stdout and chart.is_file()


@pytest.mark.parametrize("target", ["2024/p01.jx", "actuals/p01.csv"])
def test_a_chart_never_replaces_a_file_the_diff_reads(bureau: Path, target: str) -> None:
    """E951 before anything is read (was: the ruleset or the actual values overwritten with the SVG)."""
    before = (bureau / target).read_bytes()
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2023", "2024", "--actuals", "actuals", "--chart", target])
    assert result.exit_code == 2
    assert f"{target}: error[E951]: 不写出这个文件：它就是这次要读的文件「{target}」" in result.stderr
    assert "用 --chart 换一个文件夹或文件名" in result.stderr and result.stdout == ""
    assert (bureau / target).read_bytes() == before


def test_chart_draws_each_moved_project_and_the_transition_grid(folders: BatchReport) -> None:
    root = ET.fromstring(
        jixiao.render(folders, "html").split("<figure", 1)[1].split(">", 1)[1].rsplit("</figure>", 1)[0]
    )
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") in ("#c62828", "#2e7d32")]
    assert len(bars) == 9  # the projects whose total moved
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "10 个项目总得分不变" in texts and "义务教育营养餐项目" in texts and "-2.50" in texts
    cells = [t for t in texts if t in ("12", "4", "2", "1", "·")]
    assert sorted(cells) == sorted(["12", "2", "·", "·", "4", "1", "·", "·", "·"])


def test_json_is_the_report_model(bureau: Path) -> None:
    with inside(bureau):
        result = CliRunner().invoke(
            main, ["diff", "2023", "2024", "--actuals", "actuals", "--format", "json"]
        )
    report = BatchReport.model_validate_json(result.output)
    assert report.kind == "folders" and len(report.projects) == 22
    assert "…" not in result.output
    assert json.loads(result.output)["impact"]["moved_grade"] == 3


def test_english(bureau: Path) -> None:
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2023", "2024", "--actuals", "actuals", "--lang", "en"])
    assert "Projects compared: 2023 → 2024" in result.output and "Grade transitions" in result.output
    assert "changed" in result.output and "有变化" not in result.output


# -- attribution where changes do not add up ------------------------------------------------------------------

SIMPLE = """项目 "简单项目" 年度 2024 {{
  采用 "standard/central"
  产出指标 / 数量指标 {{
    人数  目标 ≥{target}人  分值 {weight}
    次数  目标 ≥10次  分值 {rest}
  }}
{extra}}}
"""
SIMPLE_ACTUALS = """一级指标,二级指标,三级指标,实际完成值
预算执行,年度资金总额,全年预算数,100
预算执行,年度资金总额,全年执行数,100
产出指标,数量指标,人数,80人
产出指标,数量指标,次数,10次
产出指标,质量指标,新增数,5个
产出指标,质量指标,引用数,5个
"""
# only the rows of SIMPLE's indicators: a row naming no indicator of either side is E503, as in `score`
TWO_ROWS = SIMPLE_ACTUALS.replace("产出指标,质量指标,新增数,5个\n", "").replace(
    "产出指标,质量指标,引用数,5个\n", ""
)


def simple(tmp_path: Path, name: str, **values: object) -> Path:
    fields: dict[str, object] = {"target": 100, "weight": 50, "rest": 40, "extra": ""} | values
    path = tmp_path / name
    path.write_text(SIMPLE.format(**fields), encoding="utf-8")
    return path


def test_two_changes_to_one_indicator_leave_an_interaction(tmp_path: Path) -> None:
    """Target 100 → 80 and weight 50 → 60 at an actual of 80: alone +10 and +8, together +20 (interaction +2)."""
    old, new = simple(tmp_path, "old.jx"), simple(tmp_path, "new.jx", target=80, weight=60, rest=30)
    (tmp_path / "a.csv").write_text(TWO_ROWS, encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old.rename(tmp_path / "old" / "a.jx")
    new.rename(tmp_path / "new" / "a.jx")
    report = jixiao.diff_folders(tmp_path / "old", tmp_path / "new", actuals=[tmp_path / "a.csv"])
    score = report.projects[0].scores[0]
    assert (score.old_total, score.new_total, score.delta) == ("90.00", "100.00", "+10.00")
    shares = {(a.kind, a.path.split("/")[-1]): a.delta for a in score.attribution}
    assert shares == {("target", "人数"): "+10.00", ("weight", "人数"): "+8.00", ("weight", "次数"): "-10.00"}
    assert score.interaction == "+2.00"  # (60 − 50) × (80/80 − 80/100)
    assert report.impact is not None and report.impact.interaction == "+2.00"


def test_a_change_that_cannot_stand_alone_has_no_share(tmp_path: Path) -> None:
    """A new indicator whose score reads another new indicator cannot be scored without it."""
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    simple(tmp_path / "old", "a.jx")
    extra = "  产出指标 / 质量指标 {\n    新增数  目标 ≥5个  分值 5\n    引用数  目标 ≥5个  分值 5  得分 = 得分(新增数)\n  }\n"
    simple(tmp_path / "new", "a.jx", rest=30, extra=extra)
    (tmp_path / "a.csv").write_text(SIMPLE_ACTUALS, encoding="utf-8")
    report = jixiao.diff_folders(tmp_path / "old", tmp_path / "new", actuals=[tmp_path / "a.csv"])
    score = report.projects[0].scores[0]
    shares = {(a.kind, a.path.split("/")[-1]): a.delta for a in score.attribution}
    assert shares == {("weight", "次数"): "-10.00", ("added", "新增数"): "+5.00", ("added", "引用数"): None}
    assert (score.old_total, score.new_total, score.delta, score.interaction) == (
        "90.00",
        "90.00",
        "0.00",
        "+5.00",
    )
    assert "不能单独应用" in jixiao.render(report, "table")


# -- pairing, warnings and errors ---------------------------------------------------------------------------


def test_a_renamed_project_pairs_by_file_and_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    simple(tmp_path / "old", "a.jx")
    (tmp_path / "new" / "a.jx").write_text(
        SIMPLE.format(target=100, weight=50, rest=40, extra="").replace("简单项目", "改名项目")
    )
    simple(tmp_path / "old", "b.jx")
    (tmp_path / "new" / "b.jx").write_text("项目 {", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.exit_code == 2, result.output
    report = jixiao.diff_folders(tmp_path / "old", tmp_path / "new")
    a, b = report.projects
    assert (a.project, a.old_project, a.status, a.renamed) == ("改名项目", "简单项目", "renamed", ["project"])
    assert b.status == "error" and b.errors[0].code.startswith("E1")
    assert "改名" in result.output and "error[E1" in result.output


def test_a_broken_file_is_not_shown_as_a_renamed_project(tmp_path: Path) -> None:
    """A file that cannot be read has no project name: its row is not "简单项目 → 简单项目"."""
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
    simple(tmp_path / "old", "b.jx")
    (tmp_path / "new" / "b.jx").write_text("项目 {", encoding="utf-8")
    report = jixiao.diff_folders(tmp_path / "old", tmp_path / "new")
    (b,) = report.projects
    assert (b.project, b.old_project, b.status, b.renamed) == ("简单项目", None, "error", [])
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.exit_code == 2 and "→ 简单项目" not in result.stdout and "出错" in result.stdout


def test_a_file_broken_on_both_sides_names_each_side_once(tmp_path: Path) -> None:
    """Both files use a policy that is not there: one line per error, labelled with its sides (旧、新),
    each file's diagnostic with its place on standard error; an error of the old file only is 旧."""
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        simple(tmp_path / side, "a.jx").write_text(
            SIMPLE.format(target=100, weight=50, rest=40, extra="").replace("standard/central", "nope"),
            encoding="utf-8",
        )
    args = ["diff", str(tmp_path / "old"), str(tmp_path / "new")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stdout.count("找不到评分办法") == 1, result.stdout
    assert "错误（旧、新）: 找不到评分办法「nope」" in result.stdout
    assert result.stderr.count("error[E204]") == 2
    english = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert "Error (old, new): cannot find the policy “nope”" in english.stdout, english.stdout
    simple(tmp_path / "new", "a.jx")
    result = CliRunner().invoke(main, args)
    assert "错误（旧）: 找不到评分办法「nope」" in result.stdout and "错误（新）" not in result.stdout
    (a,) = jixiao.diff_folders(tmp_path / "old", tmp_path / "new").projects
    assert [e.code for e in a.errors] == ["E204"] and a.error_sides == ["old"]


def test_a_broken_policy_is_reported_once_not_once_per_project(tmp_path: Path) -> None:
    """Every project using a broken policy fails with the policy's diagnostic: it is printed once."""
    bureau = make_bureau(tmp_path)
    policy = bureau / "2024" / "bureau.jx"
    policy.write_text(policy.read_text(encoding="utf-8").replace("量表 达成度 {", "量表 达成度 {{"), "utf-8")
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2023", "2024"])
        report = jixiao.diff_folders("2023", "2024")
    assert result.exit_code == 2, result.output
    assert result.stderr.count("2024/bureau.jx:") == 1, result.stderr
    assert len(report.diagnostics) == 1 and sum(p.status == "error" for p in report.projects) > 10


def test_a_rounding_the_policy_changes_is_listed_with_the_policy_changes(tmp_path: Path) -> None:
    """A project shows the rounding it takes from the policy with where it is written (沿用 …bureau.jx:4),
    the policy without: it is the policy's change all the same, like its grades and scales."""
    bureau = make_bureau(tmp_path)
    policy = bureau / "2024" / "bureau.jx"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("\n\n  量表", "\n  舍入 合计 截断 1位\n\n  量表", 1), encoding="utf-8")
    for lang, line in (
        ("zh", "随评分办法「某区项目支出绩效自评」变化：舍入 合计、量表 达成度（见上）"),
        ("en", "Changed with the policy “某区项目支出绩效自评”: rounding sum, scale 达成度 (see above)"),
    ):
        with inside(bureau):
            result = CliRunner().invoke(main, ["diff", "2023", "2024", "--lang", lang])
        assert line in result.stdout, result.stdout
        assert (
            "沿用 2024/bureau.jx" not in result.stdout
            and "inherited from 2024/bureau.jx" not in result.stdout
        )
    with inside(bureau):
        result = CliRunner().invoke(main, ["diff", "2023/bureau.jx", "2024/bureau.jx", "--projects", "2023"])
    assert "截断 1位（沿用" not in result.stdout, result.stdout


def test_folder_warnings(tmp_path: Path) -> None:
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        simple(tmp_path / side, "a.jx")
    simple(tmp_path / "new", "copy.jx")  # the same project name twice
    (tmp_path / "acts").mkdir()
    (tmp_path / "acts" / "zz.csv").write_text(SIMPLE_ACTUALS, encoding="utf-8")
    report = jixiao.diff_folders(tmp_path / "old", tmp_path / "new", actuals=[tmp_path / "acts"])
    codes = sorted(d.code for d in report.diagnostics)
    assert codes == ["W141", "W142"]
    assert [(p.new_file and Path(p.new_file).name, p.status) for p in report.projects] == [
        ("a.jx", "same"),
        ("copy.jx", "added"),
    ]


def test_a_missing_actual_value_in_a_batch_is_W140(tmp_path: Path) -> None:
    """A project's indicator without an actual value: W140 with its code in the details and in JSON."""
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
    simple(tmp_path / "old", "a.jx")
    simple(
        tmp_path / "new",
        "a.jx",
        rest=30,
        extra="  产出指标 / 时效指标 {\n    及时率  目标 100%  分值 10\n  }\n",
    )
    (tmp_path / "a.csv").write_text(TWO_ROWS, encoding="utf-8")
    args = ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--actuals", str(tmp_path / "a.csv")]
    result = CliRunner().invoke(main, args)
    assert "注意[W140]: 指标「产出指标/时效指标/及时率」" in result.stdout, result.output
    score = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)["projects"][0]["scores"][
        0
    ]
    assert [d["code"] for d in score["diagnostics"]] == ["W140"] and score["missing"] == [
        "产出指标/时效指标/及时率"
    ]
    assert score["diagnostics"][0]["span"]["path"].endswith("a.jx")


def test_usage_errors_of_folders_and_policies(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    rules = simple(tmp_path / "full", "a.jx")
    cases = {
        "E706": ["diff", str(tmp_path / "full"), str(rules)],
        "E708": ["diff", str(tmp_path / "empty"), str(tmp_path / "full")],
        "E707": ["diff", str(rules), str(rules), "--projects", str(tmp_path / "full")],
    }
    for code, args in cases.items():
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and f"error[{code}]" in result.output, (code, result.output)
    central = ROOT_RULESETS / "standard" / "central.jx"
    unused = CliRunner().invoke(
        main, ["diff", str(central), str(central), "--projects", str(tmp_path / "empty")]
    )
    assert unused.exit_code == 2 and "E708" in unused.output
    hubei = ROOT_RULESETS / "standard" / "hubei.jx"
    nobody = CliRunner().invoke(main, ["diff", str(hubei), str(hubei), "--projects", str(tmp_path / "full")])
    assert nobody.exit_code == 0 and "warning[W143]" in nobody.output
    missing = CliRunner().invoke(main, ["diff", str(tmp_path / "full"), str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "error[E105]" in missing.output
    one = CliRunner().invoke(main, ["diff", str(rules)])
    assert one.exit_code == 2 and "需要两个路径" in one.output


# -- docs/cli.md shows real output ---------------------------------------------------------------------------


def doc_examples() -> list[tuple[list[str], list[str]]]:
    """(command arguments, expected lines) of each `$ jixiao diff` run in examples/bureau in docs/cli.md."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    examples = []
    for block in text.split("```\n$ cd examples/bureau\n")[1:]:
        body = block.split("\n```", 1)[0].split("\n")
        command = body[0].removeprefix("$ jixiao ").split()
        examples.append((command, body[1:]))
    return examples


def matches(expected: list[str], got: list[str]) -> bool:
    """Line by line; a line "…" stands for any number of lines."""
    if not expected:
        return not got
    if expected[0] == "…":
        return any(matches(expected[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and got[0] == expected[0] and matches(expected[1:], got[1:])


def test_the_examples_in_docs_cli_md_are_real_output() -> None:
    examples = doc_examples()
    assert len(examples) == 3
    with inside(ROOT / "examples" / "bureau"):
        for command, expected in examples:
            got = CliRunner().invoke(main, command).stdout.rstrip("\n").split("\n")
            assert matches(expected, got), (command, "\n".join(got))


def test_the_W141_warnings_docs_cli_md_promises_are_those_printed() -> None:
    """The policy example's stderr has the two W141 the text after it shows; the folder diff has none."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    promised = sorted(line for line in text.splitlines() if line.startswith("actuals/") and "[W141]" in line)
    assert len(promised) == 2
    with inside(ROOT / "examples" / "bureau"):
        policy = ["diff", "2023/bureau.jx", "2024/bureau.jx", "--projects", "2024", "--actuals", "actuals"]
        printed = CliRunner().invoke(main, policy).stderr.splitlines()
        folders = CliRunner().invoke(main, ["diff", "2023", "2024", "--actuals", "actuals"])
    assert sorted(line for line in printed if "[W141]" in line) == promised
    assert folders.exit_code == 1 and "W141" not in folders.stderr


def test_examples_bureau_is_what_tests_bureau_makes(tmp_path: Path) -> None:
    made = make_bureau(tmp_path)
    committed = ROOT / "examples" / "bureau"
    names = sorted(p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file())
    for name in names:
        assert (made / name).read_bytes() == (committed / name).read_bytes(), name
