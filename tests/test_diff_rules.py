"""`jixiao diff` reports the rules added after it was written (issues 15, 16): 方向, named formulas, the
budget block's newer items, display roundings, 表列, 其中 and 小计 rows, goal blocks, 得分系数 and 认定,
generic scales and 单位说明 — each kind of change exactly, and, where it can move a score, its share
of the score change when applied alone to the old rules.

The base project uses every one of them; each case edits one place. By hand, under the base rules
(`A_CSV`): budget 90 ÷ 100 = 90% → 9; 生猪出栏 1000头 → 30; 培训人次 450 of 500 → 27 (封顶比例);
结转结余率 5% read as a ceiling (方向 效益指标 反向), actual 4% → 10; 帮扶人数 8个 → 10; 项目管理 认定 8.
Total 94.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import jixiao
from jixiao.cli import main
from jixiao.tools.compare.model import Change

BASE = """项目 "全部新规则" 年度 2020 {
  采用 "standard/central"
  公式 封顶比例 = 如果 实际 ≥ 目标 则 分值 否则 分值 × 实际 ÷ 目标
  方向 效益指标 反向
  表列 完成情况
  舍入 预算 显示 截断 0位
  量表 达成度 通用 {
    达成 | 达成预期指标         [80%,100%] 取 100%
    部分达成                  [60%,80%)  取 70%
    未达成                    [0%,60%)   取 0%
  }
  预算执行 {
    执行率 = 全年执行数 ÷ 全年预算数
    零预算 报错
  }
  绩效目标 年度绩效目标1 分值 60 {
    产出指标 / 数量指标 {
      生猪出栏  目标 ≥1000头  分值 30  分项合计
      其中 能繁母猪  目标 ≥300头
      培训人次  目标 ≥500人次  分值 30  得分 = 封顶比例
    }
  }
  绩效目标 年度绩效目标2 分值 30 {
    效益指标 / 经济效益 {
      结转结余率  目标 5%  分值 10
      帮扶人数    目标 =8个  分值 10  单位说明 "表中用「个」计人数"
      项目管理    分值 10  方法 认定
    }
  }
}
"""

A_CSV = """一级指标,二级指标,三级指标,实际完成值,调整得分,调整理由,得分系数
预算执行,年度资金总额,年初预算数,80,,,
预算执行,年度资金总额,全年预算数,100,,,
预算执行,年度资金总额,全年执行数,90,,,
预算执行,本年财政拨款,全年预算数,100,,,
预算执行,本年财政拨款,全年执行数,95,,,
产出指标,数量指标,生猪出栏,1000头,,,
产出指标,数量指标,能繁母猪,300头,,,
产出指标,数量指标,培训人次,450人次,,,
效益指标,经济效益,结转结余率,4%,,,
效益指标,经济效益,帮扶人数,8个,,,80%
效益指标,经济效益,项目管理,,8,按认定,90%
"""

PIGS = "产出指标/数量指标/生猪出栏"
TRAINING = "产出指标/数量指标/培训人次"
CARRYOVER = "效益指标/经济效益/结转结余率"
HELPED = "效益指标/经济效益/帮扶人数"
MANAGED = "效益指标/经济效益/项目管理"

Row = tuple[str, str, str, str | None, str | None, str | None]  # scope, kind, path, old, new, key


def edit(old: str, new: str, count: int = 1) -> str:
    assert BASE.count(old) == count, old
    return BASE.replace(old, new)


def rows(changes: list[Change]) -> list[Row]:
    return [(c.scope, c.kind, c.path, c.old, c.new, c.key) for c in changes]


# (name, the edit, the changes it makes)
CASES: list[tuple[str, tuple[str, str], list[Row]]] = [
    (
        "a named formula redefined is one change, not one per row using it",
        ("否则 分值 × 实际 ÷ 目标", "否则 0"),
        [
            (
                "ruleset",
                "named_formula",
                "公式 封顶比例",
                "如果 实际 ≥ 目标 则 分值 否则 分值 × 实际 ÷ 目标",
                "如果 实际 ≥ 目标 则 分值 否则 0",
                "formula:封顶比例",
            )
        ],
    ),
    (
        "a row's formula is shown with the named formula's name",
        ("得分 = 封顶比例", "得分 = 0.9 × 封顶比例"),
        [("indicator", "formula", TRAINING, "得分 = 封顶比例", "得分 = 0.9 × 封顶比例", "score")],
    ),
    (
        "a 方向 statement",
        ("方向 效益指标 反向", "方向 效益指标 正向"),
        [("ruleset", "direction", "方向 效益指标", "反向", "正向", "direction:效益指标")],
    ),
    (
        "a row's own 方向 against the reading it inherited",
        ("结转结余率  目标 5%  分值 10", "结转结余率  目标 5%  分值 10  方向 正向"),
        [("indicator", "direction", CARRYOVER, "反向（沿用「方向」语句）", "方向 正向", None)],
    ),
    (
        "表列",
        ("表列 完成情况", "表列 完成情况 单项得分"),
        [("ruleset", "columns", "表列", "完成情况", "完成情况 单项得分", "columns")],
    ),
    (
        "a display rounding of a stage",
        ("舍入 预算 显示 截断 0位", "舍入 预算 显示 截断 1位"),
        [
            (
                "ruleset",
                "display",
                "舍入 预算 显示",
                "舍入 预算 显示 截断 0位",
                "舍入 预算 显示 截断 1位",
                "display:budget",
            )
        ],
    ),
    (
        "a row's own display rounding",
        ("分值 10  方法 认定", "分值 10  方法 认定  舍入 显示 四舍五入 0位"),
        [("indicator", "display", MANAGED, "按计算值显示（未声明）", "舍入 显示 四舍五入 0位", None)],
    ),
    (
        "a generic scale made specific",
        ("量表 达成度 通用 {", "量表 达成度 {"),
        [("ruleset", "scale", "量表 达成度", "通用", "非通用", "scale:达成度")],
    ),
    (
        "执行率 = …",
        ("执行率 = 全年执行数 ÷ 全年预算数", "执行率 = 全年执行数 ÷ 年初预算数"),
        [
            (
                "ruleset",
                "budget",
                "执行率",
                "全年执行数 ÷ 全年预算数",
                "全年执行数 ÷ 年初预算数",
                "budget:rate",
            )
        ],
    ),
    (
        "零预算",
        ("零预算 报错", "零预算 满分"),
        [("ruleset", "budget", "零预算", "报错", "满分", "budget:zero")],
    ),
    (
        "预算行 against its default",
        ("零预算 报错", "零预算 报错\n    预算行 本年财政拨款"),
        [("ruleset", "budget", "预算行", "年度资金总额（缺省）", "本年财政拨款", "budget:row")],
    ),
    (
        "不评分",
        ("零预算 报错", "零预算 报错\n    不评分"),
        [("ruleset", "budget", "不评分", "否", "是", "budget:scored")],
    ),
    (
        "the budget block's own display rounding",
        ("零预算 报错", "零预算 报错\n    舍入 显示 截断 1位"),
        [
            (
                "ruleset",
                "budget",
                "舍入 显示",
                "舍入 预算 显示 截断 0位",
                "舍入 显示 截断 1位",
                "budget:display_rounding",
            )
        ],
    ),
    (
        "a goal block's weight",
        ("年度绩效目标2 分值 30", "年度绩效目标2 分值 35"),
        [("ruleset", "goal", "绩效目标 年度绩效目标2", "分值 30", "分值 35", "goal:年度绩效目标2")],
    ),
    (
        "a goal block renamed: the block and each row under it",
        ("年度绩效目标2", "年度绩效目标3"),
        [
            ("ruleset", "goal", "绩效目标 年度绩效目标2", "分值 30", None, "goal:年度绩效目标2"),
            ("ruleset", "goal", "绩效目标 年度绩效目标3", None, "分值 30", "goal:年度绩效目标3"),
            ("indicator", "goal", CARRYOVER, "年度绩效目标2", "年度绩效目标3", None),
            ("indicator", "goal", HELPED, "年度绩效目标2", "年度绩效目标3", None),
            ("indicator", "goal", MANAGED, "年度绩效目标2", "年度绩效目标3", None),
        ],
    ),
    (
        "分项合计",
        ("分值 30  分项合计", "分值 30"),
        [("indicator", "sum_check", PIGS, "分项合计", None, None)],
    ),
    (
        "a 其中 row added says whose it is",
        ("其中 能繁母猪  目标 ≥300头", "其中 能繁母猪  目标 ≥300头\n      其中 仔猪  目标 ≥600头"),
        [
            (
                "indicator",
                "added",
                "产出指标/数量指标/仔猪",
                None,
                "其中行（属于 生猪出栏）  目标 ≥600头",
                None,
            )
        ],
    ),
    (
        "a 其中 row made a scored row",
        (
            "分值 30  分项合计\n      其中 能繁母猪  目标 ≥300头",
            "分值 20  分项合计\n      能繁母猪  目标 ≥300头  分值 10",
        ),
        [
            ("indicator", "weight", PIGS, "30", "20", None),
            ("indicator", "weight", "产出指标/数量指标/能繁母猪", None, "10", None),
            (
                "indicator",
                "row_kind",
                "产出指标/数量指标/能繁母猪",
                "其中行（属于 生猪出栏）",
                "计分指标",
                None,
            ),
        ],
    ),
    (
        "a 小计 row added",
        ("      培训人次", "      小计 数量合计\n      培训人次"),
        [("indicator", "added", "产出指标/数量指标/数量合计", None, "小计行", None)],
    ),
    (
        "单位说明",
        ('单位说明 "表中用「个」计人数"', '单位说明 "口语量词"'),
        [("indicator", "unit_note", HELPED, "表中用「个」计人数", "口语量词", None)],
    ),
    (
        "认定 → 得分系数",
        ("方法 认定", "方法 得分系数"),
        [("indicator", "method", MANAGED, "认定", "得分系数", None)],
    ),
    (
        "复核容差 (jixiao audit's tolerance) set",
        ("  表列 完成情况\n", "  表列 完成情况\n  复核容差 0.01\n"),
        [("ruleset", "audit_tolerance", "复核容差", None, "0.01", "audit_tolerance")],
    ),
]

SAME: list[tuple[str, tuple[str, str]]] = [
    (
        "a named formula written out in the row",
        ("得分 = 封顶比例", "得分 = 如果 实际 ≥ 目标 则 分值 否则 分值 × 实际 ÷ 目标"),
    ),
    ("a sign written the way 方向 reads it", ("结转结余率  目标 5%", "结转结余率  目标 ≤5%")),
    ("the budget weight as a share of 总分", ("零预算 报错", "零预算 报错\n    分值 10%")),
    ("the default 预算行 written out", ("零预算 报错", "零预算 报错\n    预算行 年度资金总额")),
    ("the default rate left out", ("    执行率 = 全年执行数 ÷ 全年预算数\n", "")),
    ("a 其中 row's parent renamed is the parent's rename only", ("生猪出栏  目标", "生猪出栏数  目标")),
]


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_newer_rule_is_reported(name: str, change: tuple[str, str], expected: list[Row]) -> None:
    report = jixiao.diff(old_text=BASE, new_text=edit(*change, count=BASE.count(change[0])))
    assert rows(report.changes) == expected


@pytest.mark.parametrize(("name", "change"), SAME, ids=[c[0] for c in SAME])
def test_the_same_meaning_written_otherwise_is_no_change(name: str, change: tuple[str, str]) -> None:
    report = jixiao.diff(old_text=BASE, new_text=edit(*change))
    kinds = [c.kind for c in report.changes]
    assert kinds == (["renamed"] if "renamed" in name else []), rows(report.changes)


NOT_SCORED = edit("零预算 报错", "零预算 报错\n    不评分")
WEIGHT_0 = edit("零预算 报错", "零预算 报错\n    分值 0")


def test_not_scored_and_weight_0_are_the_same(tmp_path: Path) -> None:
    """`预算执行 不评分` and `分值 0` both mean no budget score (docs/language.md): no change either way,
    and the same total weight (不评分 keeps the policy's 分值 10 out of it)."""
    for old, new in ((NOT_SCORED, WEIGHT_0), (WEIGHT_0, NOT_SCORED)):
        assert jixiao.diff(old_text=old, new_text=new).same
    both_off = WEIGHT_0.replace("分值 0", "分值 0\n    不评分\n    得分 = 分值 × 执行率\n    计入总分 否")
    assert jixiao.diff(old_text=NOT_SCORED, new_text=both_off).same
    for side, text in (("old", NOT_SCORED), ("new", WEIGHT_0)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "p.jx").write_text(text, encoding="utf-8")
    project = jixiao.diff_folders(tmp_path / "old", tmp_path / "new").projects[0]
    assert (project.status, project.old_weight, project.new_weight) == ("same", "90", "90")


def test_turning_the_budget_score_off_is_one_change_either_way() -> None:
    report = jixiao.diff(old_text=BASE, new_text=NOT_SCORED)
    assert rows(report.changes) == [("ruleset", "budget", "不评分", "否", "是", "budget:scored")]
    report = jixiao.diff(old_text=WEIGHT_0, new_text=BASE)
    assert [(c.kind, c.old, c.new, c.key) for c in report.changes] == [("budget", "0", "10", "budget:weight")]


def test_a_target_under_a_ceiling_reading_is_raised_when_it_gets_lower() -> None:
    report = jixiao.diff(old_text=BASE, new_text=edit("结转结余率  目标 5%", "结转结余率  目标 3%"))
    assert [(c.kind, c.old, c.new, c.direction) for c in report.changes] == [("target", "5%", "3%", "raised")]


def test_english_labels_for_the_new_kinds() -> None:
    report = jixiao.diff(old_text=BASE, new_text=edit("零预算 报错", "零预算 满分"), lang="en")
    assert rows(report.changes) == [("ruleset", "budget", "zero_budget", "error", "full", "budget:zero")]
    english = jixiao.diff(old_text=BASE, new_text=edit("方向 效益指标 反向", "方向 效益指标 正向"), lang="en")
    assert rows(english.changes) == [
        ("ruleset", "direction", "direction 效益指标", "lower", "higher", "direction:效益指标")
    ]
    assert "direction" in jixiao.render(english, "markdown", lang="en")


# -- the share of each change in a score change (each applied alone to the old rules) ----------------------

SHARES: list[tuple[str, tuple[str, str], str | None]] = [
    ("named formula: 培训人次 27 → 0", ("否则 分值 × 实际 ÷ 目标", "否则 0"), "-27.00"),
    ("0.9 × 封顶比例: 27 → 24.3", ("得分 = 封顶比例", "得分 = 0.9 × 封顶比例"), "-2.70"),
    ("方向 statement: 4% under ≥5% → 8", ("方向 效益指标 反向", "方向 效益指标 正向"), "-2.00"),
    (
        "a row's 方向: the same",
        ("结转结余率  目标 5%  分值 10", "结转结余率  目标 5%  分值 10  方向 正向"),
        "-2.00",
    ),
    ("rate over 年初预算数: 112.5% → 10", ("÷ 全年预算数", "÷ 年初预算数"), "+1.00"),
    ("预算行 本年财政拨款: 95% → 9.5", ("零预算 报错", "零预算 报错\n    预算行 本年财政拨款"), "+0.50"),
    ("得分系数 80%: 10 → 8", ("分值 10  单位说明", "分值 10  方法 得分系数  单位说明"), "-2.00"),
    ("认定 → 得分系数: the 调整得分 given stays", ("方法 认定", "方法 得分系数"), "0.00"),
    ("不评分: the budget's 9 leaves the total", ("零预算 报错", "零预算 报错\n    不评分"), "-9.00"),
    ("零预算 moves nothing when the budget is not 0", ("零预算 报错", "零预算 满分"), "0.00"),
]


def folders(tmp_path: Path, new: str) -> jixiao.BatchReport:
    for side, text in (("old", BASE), ("new", new)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "p.jx").write_text(text, encoding="utf-8")
    (tmp_path / "p.csv").write_text(A_CSV, encoding="utf-8")
    return jixiao.diff_folders(tmp_path / "old", tmp_path / "new", actuals=[tmp_path / "p.csv"])


@pytest.mark.parametrize(("name", "change", "share"), SHARES, ids=[c[0] for c in SHARES])
def test_the_share_of_each_scoring_change(
    tmp_path: Path, name: str, change: tuple[str, str], share: str | None
) -> None:
    score = folders(tmp_path, edit(*change)).projects[0].scores[0]
    assert score.old_total == "94.00"
    assert [a.delta for a in score.attribution] == [share]
    assert score.delta == share and score.interaction == "0.00"


@pytest.mark.parametrize(
    "change",
    [
        ("舍入 预算 显示 截断 0位", "舍入 预算 显示 截断 1位"),
        ("分值 30  分项合计", "分值 30"),
        ('单位说明 "表中用「个」计人数"', '单位说明 "口语量词"'),
        ("  表列 完成情况\n", "  表列 完成情况\n  复核容差 0.5\n"),
    ],
)
def test_changes_that_cannot_move_a_score_get_no_share(tmp_path: Path, change: tuple[str, str]) -> None:
    project = folders(tmp_path, edit(*change)).projects[0]
    assert project.status == "changed" and project.scores[0].delta == "0.00"
    assert project.scores[0].attribution == []


# -- a policy change of the newer rules, and the projects that override them -------------------------------

POLICY = """评分办法 "区办法" {{
  采用 "standard/central"
  表列 {columns}
  方向 成本指标 反向
  公式 封顶比例 = {formula}
  预算执行 {{
    零预算 {zero}
  }}
}}
"""
OVERRIDING = """项目 "自有规则" 年度 2020 {
  采用 "policy"
  表列 完成情况
  公式 封顶比例 = 分值
  预算执行 {
    零预算 报错
  }
  产出指标 / 数量指标 {
    甲  目标 ≥10个  分值 90  得分 = 封顶比例
  }
}
"""


def test_a_policy_change_of_newer_rules_names_each_override(tmp_path: Path) -> None:
    old = POLICY.format(columns="完成情况", zero="报错", formula="分值")
    new = POLICY.format(columns="完成情况 单项得分", zero="满分", formula="分值 × 实际 ÷ 目标")
    projects = tmp_path / "projects"
    projects.mkdir()
    (projects / "policy.jx").write_text(old, encoding="utf-8")
    (projects / "own.jx").write_text(OVERRIDING, encoding="utf-8")
    (projects / "plain.jx").write_text(
        OVERRIDING.replace("表列", "# 表列").replace("零预算 报错", ""), encoding="utf-8"
    )
    (tmp_path / "new.jx").write_text(new, encoding="utf-8")
    report = jixiao.diff_policy(projects / "policy.jx", tmp_path / "new.jx", projects=projects)
    assert [(c.kind, c.key) for c in report.policy_changes] == [
        ("columns", "columns"),
        ("budget", "budget:zero"),
        ("named_formula", "formula:封顶比例"),
    ]
    by_name = {p.new_file: p for p in report.projects if not p.policy}
    own = next(p for name, p in by_name.items() if name and name.endswith("own.jx"))
    plain = next(p for name, p in by_name.items() if name and name.endswith("plain.jx"))
    assert own.status == "unaffected"
    where = (projects / "own.jx").as_posix()
    assert [r.replace(where, "own.jx") for r in own.reasons] == [
        "「表列」由 own.jx:3 覆盖",
        "「零预算」由 own.jx:6 覆盖",
        "「公式 封顶比例」由 own.jx:4 覆盖",
    ]
    assert plain.status == "changed"
    assert [(c.kind, c.key) for c in plain.changes] == [
        ("columns", "columns"),
        ("budget", "budget:zero"),
    ]
    assert plain.reasons == ["「公式 封顶比例」由 " + (projects / "plain.jx").as_posix() + ":4 覆盖"]


# -- the published schema: `jixiao schema diff` and `diff-batch` validate real output ------------------------


def schema_of(name: str) -> dict[str, object]:
    run = CliRunner().invoke(main, ["schema", name])
    assert run.exit_code == 0, run.output
    loaded: dict[str, object] = json.loads(run.output)
    return loaded


def test_diff_json_validates_against_jixiao_schema_diff(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    new = edit("否则 分值 × 实际 ÷ 目标", "否则 0").replace("≥1000头", "≥1250头")
    for name, text in (("old.jx", BASE), ("new.jx", new)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "a.csv").write_text(A_CSV, encoding="utf-8")
    args = ["diff", str(tmp_path / "old.jx"), str(tmp_path / "new.jx"), "--actuals", str(tmp_path / "a.csv")]
    out = CliRunner().invoke(main, [*args, "--format", "json"])
    assert out.exit_code == 1, out.output
    document = json.loads(out.output)
    jsonschema.validate(document, schema_of("diff"))
    assert document["impacts"][0]["delta"] == "-33.00"  # 27 of 培训人次, 30 − 30 × 1000 ÷ 1250 of 生猪出栏
    assert {c["kind"] for c in document["changes"]} == {"named_formula", "target"}
    broken = dict(document, impacts=[dict(document["impacts"][0], delta="-32")])
    broken["impacts"][0]["old_total"] = "94.00…"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema_of("diff"))


def test_batch_diff_json_validates_against_jixiao_schema_diff_batch(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for side, text in (("old", BASE), ("new", edit("方向 效益指标 反向", "方向 效益指标 正向"))):
        (tmp_path / side).mkdir()
        (tmp_path / side / "p.jx").write_text(text, encoding="utf-8")
        (tmp_path / side / "q.jx").write_text(BASE.replace("全部新规则", "另一个项目"), encoding="utf-8")
    (tmp_path / "p.csv").write_text(A_CSV, encoding="utf-8")
    args = ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--actuals", str(tmp_path / "p.csv")]
    out = CliRunner().invoke(main, [*args, "--format", "json"])
    assert out.exit_code == 1, out.output
    document = json.loads(out.output)
    jsonschema.validate(document, schema_of("diff-batch"))
    assert document["impact"]["contributions"][0]["total"] == "-2.00"
    assert jixiao.BatchReport.model_validate_json(out.output).kind == "folders"
    policy = CliRunner().invoke(
        main,
        [
            "diff",
            str(tmp_path / "old" / "p.jx"),
            str(tmp_path / "new" / "p.jx"),
            "--projects",
            str(tmp_path / "old"),
            "--format",
            "json",
        ],
    )
    assert policy.exit_code == 2  # two projects, not policies: E707 as diagnostics JSON
    jsonschema.validate(json.loads(policy.output), schema_of("diagnostics"))


def test_the_api_publishes_the_same_schemas() -> None:
    assert jixiao.schema("diff") == jixiao.DiffReport.model_json_schema()
    assert jixiao.schema("diff-batch") == jixiao.BatchReport.model_json_schema()
    assert jixiao.schema("diff")["title"] == "DiffReport"
