"""What a file says of its project against the ruleset scoring it (engine/identity.py).

F112: a file naming another project (项目名称 cell, 项目 column, YAML key) than the ruleset's 项目 "…" — the
wrong rule file for a folder. Names written otherwise (spaces, full-/half-width, brackets, a trailing 项目)
are the same project; a file naming none, and a general ruleset (no name, 通用, …（通用）), are not
compared. F113: the file's 主管部门/实施单位 differ from the ruleset's; a ruleset giving none shows the
file's. Through `jixiao score` (text, JSON, xlsx, batches with a ruleset per file), and the reference, fast,
generated and columnar evaluators giving the same findings and heading.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.fast import FastEvaluator
from jixiao.engine.identity import _office_key, _project_key, is_general, project_key
from jixiao.io.actuals import collect_actuals

NAME = "城乡居民基本养老保险费财政补助资金"  # the seed ruleset's 项目 "…"
DEPARTMENT = "[332]郑州市上街区人力资源和社会保障局"
UNIT = "郑州市上街区人力资源和社会保障局机关"
OFFICIAL = (ROOT / "tests" / "tables" / "seed-official.csv").read_text(encoding="utf-8")
RULESET = SEED_RULESET.read_text(encoding="utf-8")
# the seed ruleset without its 主管部门 and 实施单位 (a ruleset that leaves them to the files)
BARE = "\n".join(
    line for line in RULESET.splitlines() if not line.strip().startswith(("主管部门", "实施单位"))
)


def official(project: str = NAME, department: str = DEPARTMENT, unit: str = UNIT, extra: str = "") -> str:
    """The seed's official table naming this project, 主管部门 and 实施单位 (and an extra label row)."""
    text = OFFICIAL.replace(f"项目名称,{NAME}", f"项目名称,{project}" + (f"\n{extra}" if extra else ""))
    return text.replace(DEPARTMENT, department).replace(f"实施单位,{UNIT}", f"实施单位,{unit}")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["score", *map(str, args)])


def codes(result: jixiao.Result) -> list[str]:
    return [f.code for f in result.findings]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- F112 through the CLI -------------------------------------------------------------------------------
def test_a_file_of_another_project_is_noted_in_text_json_and_xlsx(tmp_path: Path) -> None:
    other = write(tmp_path, "road.csv", official("道路养护项目"))
    text = run(SEED_RULESET, other)
    assert text.exit_code == 0, text.output
    line = next(x for x in text.stdout.splitlines() if "F112" in x)
    assert "「道路养护项目」" in line and f"「{NAME}」" in line and "规则文件" in line
    assert "99.31" in text.stdout  # scored all the same: a note, not an error

    english = run(SEED_RULESET, other, "--lang", "en")
    line = next(x for x in english.stdout.splitlines() if "F112" in x)
    assert "“道路养护项目”" in line and f"“{NAME}”" in line and "ruleset" in line

    data = json.loads(run(SEED_RULESET, other, "--format", "json").stdout)
    assert data["findings"][0]["code"] == "F112" and "道路养护项目" in data["findings"][0]["message"]

    out = tmp_path / "out"
    written = run(SEED_RULESET, other, "--format", "xlsx", "-o", out, "-q")
    assert written.exit_code == 0, written.output
    book = openpyxl.load_workbook(next(p for p in out.glob("*.xlsx") if p.stem != "汇总"))
    cells = [c for row in book["复核提示"].iter_rows(values_only=True) for c in row if c]
    assert "F112" in cells


@pytest.mark.parametrize(
    "written", [NAME, f" {NAME} ", f"{NAME}项目", "城乡居民 基本养老保险费财政补助资金", f"{NAME}\u200b"]
)
def test_the_ruleset_s_name_written_otherwise_is_the_same_project(tmp_path: Path, written: str) -> None:
    result = run(SEED_RULESET, write(tmp_path, "a.csv", official(written)), "--format", "json")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["F107"]


@pytest.mark.parametrize(
    ("ruleset", "file", "same"),
    [
        ("道路养护（2020）", "道路养护(2020)", True),
        ("道路养护【一期】", "道路养护[一期]项目", True),
        ("道路养护，一期", "道路养护, 一期", True),
        ("Road Works", "road works 项目", True),
        ("道路养护", "道路养护工程", False),
        ("道路养护一期", "道路养护二期", False),
    ],
)
def test_near_equal_names(ruleset: str, file: str, same: bool) -> None:
    assert (project_key(ruleset) == project_key(file)) is same


@pytest.mark.parametrize("name", ["", "通用", "通用项目", "养老补助（通用）", "养老补助(通用)"])
def test_a_general_ruleset_is_compared_with_no_file(tmp_path: Path, name: str) -> None:
    assert is_general(name)
    ruleset = write(tmp_path, "general.jx", RULESET.replace(f'项目 "{NAME}"', f'项目 "{name}"'))
    result = run(ruleset, write(tmp_path, "a.csv", official("道路养护项目")), "--format", "json")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["F107"], result.output


@pytest.mark.parametrize("name", ["", "通用", "养老补助（通用）"])
def test_a_general_ruleset_s_result_names_the_file_s_project(tmp_path: Path, name: str) -> None:
    """The heading (text, markdown, xlsx) and JSON name the project the file names, not 通用; a file that
    names none keeps the ruleset's name."""
    ruleset = write(tmp_path, "general.jx", RULESET.replace(f'项目 "{NAME}"', f'项目 "{name}"'))
    actuals = write(tmp_path, "a.csv", official("道路养护"))
    assert "项目名称：道路养护" in run(ruleset, actuals).stdout
    assert "- 项目名称：道路养护" in run(ruleset, actuals, "--format", "markdown").stdout
    assert json.loads(run(ruleset, actuals, "--format", "json").stdout)["project"] == "道路养护"
    book = tmp_path / "a.xlsx"
    book.write_bytes(
        CliRunner().invoke(main, ["score", str(ruleset), str(actuals), "--format", "xlsx"]).stdout_bytes
    )
    sheet = openpyxl.load_workbook(book).active
    assert [sheet["A2"].value, sheet["B2"].value] == ["项目名称", "道路养护"]
    assert "评分说明：道路养护" in run(ruleset, actuals, "--explain").stdout
    assert json.loads(run(ruleset, SEED_ACTUALS, "--format", "json").stdout)["project"] == name
    compiled = jixiao.load_ruleset(text=ruleset.read_text(encoding="utf-8"), cache=False)
    fast = FastEvaluator.of(compiled.plan)
    assert fast is not None
    for file in (collect_actuals(actuals), collect_actuals(SEED_ACTUALS)):
        reference = reference_score(compiled.plan, file)
        for _ in range(2):  # the second time by the generated function
            made = fast.score(file)
            assert made is not None and made.project == reference.project, (made.project, reference.project)
            assert pickle.loads(pickle.dumps(made)) == reference


def test_a_real_project_with_通用_in_its_name_is_not_general() -> None:
    assert not is_general("通用航空发展专项资金")


def test_a_file_that_names_no_project_is_not_compared() -> None:
    result = run(SEED_RULESET, SEED_ACTUALS, "--format", "json")  # columns, no 项目名称
    assert "F112" not in result.stdout


def test_a_project_column_and_a_yaml_key_name_the_project(tmp_path: Path) -> None:
    ruleset = write(tmp_path, "r.jx", '项目 "甲" 年度 2020 {\n  采用 "standard/central"\n  预算执行 不评分\n'
                                      "  产出指标 / 数量指标 {\n    完成数量  目标 ≥100个  分值 100\n  }\n}\n")  # fmt: skip
    column = write(
        tmp_path, "c.csv", "项目,一级指标,二级指标,三级指标,实际完成值\n乙,产出指标,数量指标,完成数量,100个\n"
    )
    yaml = write(tmp_path, "y.yaml", "项目: 乙\n实际值:\n  - {三级指标: 完成数量, 实际完成值: 100个}\n")
    same = write(tmp_path, "s.yaml", "项目: 甲项目\n实际值:\n  - {三级指标: 完成数量, 实际完成值: 100个}\n")
    for path, found in ((column, ["F112"]), (yaml, ["F112"]), (same, [])):
        data = json.loads(run(ruleset, path, "--format", "json").stdout)
        assert [f["code"] for f in data["findings"]] == found, path


def test_a_batch_compares_each_file_with_the_ruleset_that_scores_it(tmp_path: Path) -> None:
    """A file naming its own ruleset (规则) is compared with that one, not with the command line's."""
    folder = tmp_path / "in"
    folder.mkdir()
    write(tmp_path, "road.jx", RULESET.replace(f'项目 "{NAME}"', '项目 "道路养护"'))
    write(folder, "road.csv", official("道路养护项目", extra="规则,../road.jx"))  # its own ruleset: same name
    write(folder, "wrong.csv", official("道路养护项目"))  # the command line's: another project
    write(folder, "seed.csv", official())
    for backend in ("fast", "columnar"):
        result = run(
            SEED_RULESET, folder, "--format", "json", "--root", ROOT / "rulesets", "--backend", backend
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        found = {
            Path(s["origin"]).name: [f["code"] for f in p["findings"]]
            for s, p in zip(data["summary"], data["projects"], strict=True)
        }
        assert found == {"road.csv": ["F107"], "seed.csv": ["F107"], "wrong.csv": ["F112", "F107"]}, backend


# -- 主管部门, 实施单位 -------------------------------------------------------------------------------------
def test_a_ruleset_without_department_and_unit_shows_the_file_s(tmp_path: Path) -> None:
    ruleset = write(tmp_path, "bare.jx", BARE)
    actuals = write(tmp_path, "a.csv", official(department="某区财政局", unit="某区财政局机关"))
    text = run(ruleset, actuals)
    assert "主管部门：某区财政局" in text.stdout and "实施单位：某区财政局机关" in text.stdout, text.output
    data = json.loads(run(ruleset, actuals, "--format", "json").stdout)
    assert (data["department"], data["unit"]) == ("某区财政局", "某区财政局机关")
    assert [f["code"] for f in data["findings"]] == ["F107"]  # nothing to disagree with
    out = tmp_path / "out"
    assert run(ruleset, actuals, "--format", "xlsx", "-o", out, "-q").exit_code == 0
    sheet = openpyxl.load_workbook(next(p for p in out.glob("*.xlsx") if p.stem != "汇总")).worksheets[0]
    rows = {r[0]: r[1] for r in sheet.iter_rows(max_row=6, values_only=True) if r[0]}
    assert (rows["主管部门"], rows["实施单位"]) == ("某区财政局", "某区财政局机关")


def test_the_file_s_department_of_a_result_scored_from_a_path(tmp_path: Path) -> None:
    """A result scored from a path keeps the file's bytes, read again when its table is filled in: the
    department read first fills it in (it raised KeyError: the dict it looked in had been replaced)."""
    compiled = jixiao.load_ruleset(text=BARE)
    for table, department in (
        (official(department="某区财政局"), "某区财政局"),
        (SEED_ACTUALS.read_text("utf-8"), None),
    ):
        result = compiled.score(write(tmp_path, "a.csv", table))
        assert "_kept" in result.__dict__  # a fast result, not filled in yet
        assert result.department == department and result.total.text() == "99.31"


def test_a_file_whose_department_differs_from_the_ruleset_s_is_noted(tmp_path: Path) -> None:
    actuals = write(tmp_path, "a.csv", official(department="[401]某区财政局"))
    data = json.loads(run(SEED_RULESET, actuals, "--format", "json").stdout)
    assert data["department"] == DEPARTMENT  # the ruleset's is shown, and the difference said
    first = data["findings"][0]
    assert (
        first["code"] == "F113" and "[401]某区财政局" in first["message"] and DEPARTMENT in first["message"]
    )
    english = run(SEED_RULESET, actuals, "--lang", "en").stdout
    assert "department “[401]某区财政局”" in english


@pytest.mark.parametrize(
    "department",
    [
        DEPARTMENT,
        "郑州市上街区人力资源和社会保障局",
        "［332］郑州市上街区人力资源和社会保障局",
        "—",
        "332-郑州市上街区人力资源和社会保障局",
        "（332）郑州市上街区人力资源和社会保障局",
        "332：郑州市上街区人力资源和社会保障局",
        "332 郑州市上街区人力资源和社会保障局",
    ],
)
def test_the_same_department_written_otherwise_is_not_noted(tmp_path: Path, department: str) -> None:
    actuals = write(tmp_path, "a.csv", official(department=department))
    assert "F113" not in run(SEED_RULESET, actuals, "--format", "json").stdout


@pytest.mark.parametrize(
    ("ruleset", "file"),
    [
        ("3号楼管理处", "号楼管理处"),
        ("号楼管理处", "3号楼管理处"),
        ("[3]号楼管理处", "3号楼管理处"),
        ("332某局", "某局"),
        ("12345工程指挥部", "345工程指挥部"),
    ],
)
def test_a_name_that_starts_with_digits_keeps_them(tmp_path: Path, ruleset: str, file: str) -> None:
    """Only a code is left out (in brackets, or digits and a separator): 3号楼管理处 is not 号楼管理处."""
    rules = write(tmp_path, "r.jx", RULESET.replace(DEPARTMENT, ruleset))
    actuals = write(tmp_path, "a.csv", official(department=file))
    found = json.loads(run(rules, actuals, "--format", "json").stdout)["findings"]
    assert found[0]["code"] == "F113" and file in found[0]["message"], found


def _label_row(tmp_path: Path, department: str | None, merged: bool) -> Path:
    """An official workbook whose 主管部门 cell (B4, merged B4:D4 or not) is blank or filled, beside the
    label 实施单位 in E4 and its value in F4."""
    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["项目支出绩效自评表"],
        ["项目名称", "道路养护"],
        ["主管部门及代码", department, None, None, "实施单位", "某局机关"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"],
        [None, "年度资金总额：", 100, 100, 100, "100%", 10, 10],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "完成数量", "≥100个", "100个", 90, 90],
    ]
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells("B3:D3")
    path = tmp_path / "表.xlsx"
    book.save(path)
    return path


ROAD = '项目 "道路养护" 年度 2024 {\n  采用 "standard/central"\n@  产出指标 / 数量指标 {\n    完成数量  目标 ≥100个  分值 90\n  }\n}\n'


@pytest.mark.parametrize("merged", [False, True], ids=["plain", "merged"])
@pytest.mark.parametrize("department", [None, "[332]某局"], ids=["blank", "filled"])
def test_a_label_beside_a_blank_cell_is_never_its_value(
    tmp_path: Path, department: str | None, merged: bool
) -> None:
    path = _label_row(tmp_path, department, merged)
    file = collect_actuals(path)
    assert file.info.get("主管部门") == department and file.info.get("实施单位") == "某局机关"
    bare = write(tmp_path, "bare.jx", ROAD.replace("@", ""))
    data = json.loads(run(bare, path, "--format", "json").stdout)
    assert (data["department"], data["unit"]) == (department, "某局机关")
    assert "主管部门：实施单位" not in run(bare, path).stdout
    given = write(tmp_path, "given.jx", ROAD.replace("@", '  主管部门 "某局"\n  实施单位 "某局机关"\n'))
    data = json.loads(run(given, path, "--format", "json").stdout)
    assert "F113" not in [f["code"] for f in data["findings"]]  # not 「实施单位」 against 某局


def test_a_yaml_or_json_file_gives_department_and_unit(tmp_path: Path) -> None:
    budget = [{"一级指标": "预算执行", "二级指标": "年度资金总额", "三级指标": n, "实际完成值": "100"}
              for n in ("全年预算数", "全年执行数")]  # fmt: skip
    items = [*budget, {"三级指标": "完成数量", "实际完成值": "100个"}]
    rows = "实际值:\n" + "".join(f"  - {json.dumps(item, ensure_ascii=False)}\n" for item in items)
    bare = write(tmp_path, "bare.jx", ROAD.replace("@", ""))
    given = write(tmp_path, "given.jx", ROAD.replace("@", '  主管部门 "某局"\n'))
    yaml = write(tmp_path, "a.yaml", "项目: 道路养护\n主管部门: 332-某局\n实施单位: 某局机关\n" + rows)
    english = write(tmp_path, "b.json", json.dumps(
        {"department": "[401]某区财政局", "unit": "某单位", "rows": items}, ensure_ascii=False))  # fmt: skip
    data = json.loads(run(bare, yaml, "--format", "json").stdout)
    assert (data["department"], data["unit"]) == ("332-某局", "某局机关"), data
    assert "F113" not in [
        f["code"] for f in json.loads(run(given, yaml, "--format", "json").stdout)["findings"]
    ]
    found = json.loads(run(given, english, "--format", "json").stdout)["findings"]
    assert found[0]["code"] == "F113" and "[401]某区财政局" in found[0]["message"]
    assert json.loads(run(bare, english, "--format", "json").stdout)["unit"] == "某单位"


# -- every evaluator alike ------------------------------------------------------------------------------
FILES = {
    "same": official(),
    "other": official("道路养护项目"),
    "department": official(department="某区财政局"),
    "both": official("道路养护项目", unit="某单位"),
    "columns": SEED_ACTUALS.read_text(encoding="utf-8"),
}


@pytest.mark.parametrize("text", [RULESET, BARE], ids=["with-meta", "bare"])
def test_reference_fast_generated_and_columnar_agree(text: str) -> None:
    compiled = jixiao.load_ruleset(text=text, cache=False)
    plan = compiled.plan
    fast = FastEvaluator.of(plan)
    assert fast is not None and fast.special is not None  # the seed has a generated function
    files = {name: collect_actuals(text=t, name=f"{name}.csv") for name, t in FILES.items()}
    reference = {name: reference_score(plan, f) for name, f in files.items()}
    for _ in range(2):  # the second time by the generated function, the rows learnt
        for name, actuals in files.items():
            result = fast.score(actuals)
            assert result is not None
            assert "indicators" not in result.__dict__  # lazy: nothing filled in yet
            assert result.findings == reference[name].findings, name
            assert (result.department, result.unit) == (reference[name].department, reference[name].unit)
            assert "indicators" not in result.__dict__  # read from the kept file: still nothing filled in
            assert pickle.loads(pickle.dumps(result)) == reference[name]
    assert codes(reference["other"])[:1] == ["F112"] and codes(reference["both"])[:1] == ["F112"]
    if text == RULESET:
        assert codes(reference["department"])[:1] == ["F113"] and "F113" in codes(reference["both"])
    else:
        assert reference["department"].department == "某区财政局" and reference["both"].unit == "某单位"
        assert reference["columns"].department is None
    columnar = pytest.importorskip("jixiao.engine.columnar")
    if columnar.available():
        evaluator = columnar.ColumnarEvaluator.of(fast)
        assert evaluator is not None
        got = evaluator.totals(list(files.values()))
        for (name, ref), totals in zip(reference.items(), got, strict=True):
            assert totals is not None and totals[2] == ref.findings, name


def test_a_hostile_project_name_is_compared_once_and_kept_by_no_cache(tmp_path: Path) -> None:
    """A name of any length is read (in linear time) and never remembered: the caches keep short names."""
    long = "某" * 100_000  # near the CSV reader's cell limit (131,072 characters)
    before = (_project_key.cache_info().currsize, _office_key.cache_info().currsize)
    result = run(SEED_RULESET, write(tmp_path, "a.csv", official(long, department=long)), "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["findings"]
    assert [f["code"] for f in found] == ["F112", "F113", "F107"]
    assert len(found[0]["message"]) < 1_000  # the name shown shortened
    assert (_project_key.cache_info().currsize, _office_key.cache_info().currsize) == before
