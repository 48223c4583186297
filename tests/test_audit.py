"""`jixiao audit`: filled-in tables (made here in the official layout) against a policy or a project ruleset.

Each planted discrepancy (tests/planted.py) must be found exactly: its code at its row, nothing else.
"""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
import jsonschema
import openpyxl
import pytest
import seedfiles
from click.testing import CliRunner, Result
from conftest import SEED_RULESET
from planted import CLEAN, POLICY, PROJECT, Plant

import jixiao
from jixiao.cli import main
from jixiao.cli.audit import Tolerance
from jixiao.messages import CATALOG
from jixiao.tools.audit import KINDS
from jixiao.tools.audit.report import KIND_NAMES, KIND_NAMES_EN
from jixiao.tools.audit.source import named

CENTRAL = "standard/central"


def audit(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["audit", *map(str, args)])


def audit_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    run = audit(*args, "--format", "json")
    assert run.exit_code in (0, 1), run.output
    return run.exit_code, json.loads(run.stdout)


def found(table: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((d["code"], d["where"].split("/")[-1]) for d in table["discrepancies"])


def test_the_seed_against_the_policy_alone_is_the_truncated_rate_and_nothing_else(tmp_path: Path) -> None:
    code, report = audit_json(CENTRAL, seedfiles.official_workbook(tmp_path))
    (table,) = report["tables"]
    (finding,) = table["discrepancies"]
    assert (finding["code"], finding["kind"], finding["severity"]) == ("F150", "rounding_only", "warning")
    assert finding["where"] == "投入和管理目标/投入管理/预算执行率"
    assert (finding["printed"], finding["recomputed"]) == ("0.93", "0.94")
    assert (finding["span"]["sheet"], finding["span"]["line"], finding["span"]["column"]) == ("自评表", 14, 7)
    assert (
        "0.9376" in finding["message"]
        and "截断 2位" in finding["message"]
        and "四舍五入 2位" in finding["message"]
    )
    assert table["policy_only"] and table["complete"] and table["diagnostics"] == []
    assert (table["printed_total"], table["total"], table["grade"]) == ("99.31", "99.32", "优")
    assert code == 0  # a rounding difference is a warning


def test_the_seed_against_its_own_ruleset_is_clean(tmp_path: Path) -> None:
    run = audit(SEED_RULESET, seedfiles.official_workbook(tmp_path))
    assert run.exit_code == 0, run.output
    assert "没有发现问题" in run.output and "99.31" in run.output


@pytest.mark.parametrize("name", POLICY)
def test_each_planted_discrepancy_against_the_policy(name: str, tmp_path: Path) -> None:
    _check(POLICY[name], CENTRAL, tmp_path)


@pytest.mark.parametrize("name", PROJECT)
def test_each_planted_discrepancy_against_a_project_ruleset(name: str, tmp_path: Path) -> None:
    _check(PROJECT[name], str(SEED_RULESET), tmp_path)


def _check(plant: Plant, ruleset: str, tmp_path: Path) -> None:
    code, report = audit_json(ruleset, seedfiles.official_workbook(tmp_path, table=plant.table))
    (table,) = report["tables"]
    assert found(table) == sorted(plant.expected)
    assert table["complete"], table["diagnostics"]
    errors = [d for d in table["discrepancies"] if d["severity"] == "error"]
    assert code == (1 if errors else 0)
    for finding in table["discrepancies"]:  # every finding names its cell
        assert finding["span"] is None or finding["span"]["line"] >= 1, finding


def test_a_finding_gives_its_rule_with_explain(tmp_path: Path) -> None:
    table = POLICY["arithmetic"].table
    run = audit(CENTRAL, seedfiles.official_workbook(tmp_path, table=table), "--explain")
    assert run.exit_code == 1
    assert "F154 产出指标/数量指标/享受补贴人数" in run.output
    assert "按规则的计算" in run.output and "1.1万人" in run.output
    _, report = audit_json(CENTRAL, tmp_path / "自评表.xlsx", "--explain")
    (finding,) = report["tables"][0]["discrepancies"]
    assert finding["explanation"]["children"], finding


def test_the_tolerance_lets_small_differences_pass(tmp_path: Path) -> None:
    table = POLICY["marked down although met"].table.replaced("资金发放准确率", score=9.99)
    book = seedfiles.official_workbook(tmp_path, table=table)
    _, strict = audit_json(CENTRAL, book)
    assert found(strict["tables"][0]) == [("F151", "资金发放准确率")]
    code, tolerant = audit_json(CENTRAL, book, "--tolerance", "0.01")
    assert (code, found(tolerant["tables"][0])) == (0, [])
    assert audit(CENTRAL, book, "--tolerance", "-1").exit_code == 2


TOLERANT_POLICY = """评分办法 "复核用" {
  采用 "standard/central"
  复核容差 0.01
}
"""


def test_the_rulesets_tolerance_lets_small_differences_pass_and_the_option_overrides_it(
    tmp_path: Path,
) -> None:
    policy = tmp_path / "复核用.jx"
    policy.write_text(TOLERANT_POLICY, encoding="utf-8")
    table = POLICY["marked down although met"].table.replaced("资金发放准确率", score=9.99)
    book = seedfiles.official_workbook(tmp_path, table=table)
    code, tolerant = audit_json(policy, book)
    assert (code, found(tolerant["tables"][0]), tolerant["tables"][0]["tolerance"]) == (0, [], "0.01")
    assert "容差 0.01" in audit(policy, book).output
    code, strict = audit_json(policy, book, "--tolerance", "0")
    assert (code, found(strict["tables"][0])) == (1, [("F151", "资金发放准确率")])
    assert strict["tables"][0]["tolerance"] == "0"
    beyond = seedfiles.official_workbook(
        tmp_path, "差得多.xlsx", table=table.replaced("资金发放准确率", score=9.98)
    )
    assert found(audit_json(policy, beyond)[1]["tables"][0]) == [("F151", "资金发放准确率")]


def test_a_project_inherits_the_policys_tolerance_and_may_override_it(tmp_path: Path) -> None:
    (tmp_path / "复核用.jx").write_text(TOLERANT_POLICY, encoding="utf-8")
    seed = SEED_RULESET.read_text(encoding="utf-8").replace('采用 "standard/central"', '采用 "复核用"')
    inherits, overrides = tmp_path / "继承.jx", tmp_path / "覆盖.jx"
    inherits.write_text(seed, encoding="utf-8")
    overrides.write_text(seed.replace('采用 "复核用"', '采用 "复核用"\n  复核容差 0'), encoding="utf-8")
    table = seedfiles.SEED.replaced("资金发放准确率", score=9.99)
    book = seedfiles.official_workbook(tmp_path, table=table)
    code, report = audit_json(inherits, book)
    assert (code, report["tables"][0]["discrepancies"], report["tables"][0]["tolerance"]) == (0, [], "0.01")
    code, report = audit_json(overrides, book)
    assert (code, found(report["tables"][0])) == (1, [("F151", "资金发放准确率")])


# -- each table against the ruleset it names: a 规则 cell, or the ruleset map (--rulesets) ----------------------


def named_book(tmp_path: Path, rulesets: dict[str, str]) -> Path:
    """Sheets 甲 乙 丙 (the clean table), each with a 规则 cell when `rulesets` names one; the seed's project
    ruleset copied to 规则/2020.jx."""
    (tmp_path / "规则").mkdir()
    (tmp_path / "规则" / "2020.jx").write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in ("甲", "乙", "丙"):
        sheet = book.create_sheet(name)
        seedfiles.write_official(sheet, table=replace(CLEAN, project=name))
        if name in rulesets:
            sheet["F11"], sheet["G11"] = "规则", rulesets[name]  # beside 总分值 … 总得分 …
    path = tmp_path / "各项目.xlsx"
    book.save(path)
    return path


def by_project(report: dict[str, Any]) -> dict[str, tuple[str, bool, list[tuple[str, str]]]]:
    return {t["project"]: (Path(t["ruleset"]).name, t["policy_only"], found(t)) for t in report["tables"]}


def test_a_sheet_is_audited_against_the_ruleset_its_cell_names(tmp_path: Path) -> None:
    book = named_book(tmp_path, {"甲": "规则/2020.jx", "丙": "规则/没有.jx"})
    code, report = audit_json(CENTRAL, book)
    tables = by_project(report)
    # the project ruleset truncates 预算执行率 (0.93): the clean table's 0.94 is a rounding difference there;
    # the sheet names the project 甲, the ruleset another (F112, as jixiao score notes it)
    assert tables["甲"] == ("2020.jx", False, [("F112", "项目名称"), ("F150", "预算执行率")])
    assert tables["乙"] == ("central", True, [])
    missing = report["tables"][2]
    assert (missing["project"], missing["complete"], tables["丙"][0]) == ("丙", False, "没有.jx")
    assert all(d["span"] is not None for d in missing["diagnostics"]), missing
    assert code == 1  # a table could not be audited


def test_the_ruleset_map_names_a_project_ruleset_or_a_policy(tmp_path: Path) -> None:
    book = named_book(tmp_path, {})
    rulesets = tmp_path / "对应表.csv"
    rulesets.write_text("项目,规则\n甲,规则/2020.jx\n乙,standard/central\n", encoding="utf-8")
    code, report = audit_json(tmp_path / "规则" / "2020.jx", book, "--rulesets", rulesets)
    tables = by_project(report)
    assert tables["甲"] == ("2020.jx", False, [("F112", "项目名称"), ("F150", "预算执行率")])
    assert tables["乙"] == ("central", True, [])
    # not in the map: the command line's
    assert tables["丙"] == ("2020.jx", False, [("F112", "项目名称"), ("F150", "预算执行率")])
    assert code == 0 and all(t["complete"] for t in report["tables"])
    summary = audit(tmp_path / "规则" / "2020.jx", book, "--rulesets", rulesets).output
    assert "standard/central" in summary and "2020.jx" in summary


def test_a_named_policy_is_read_back_as_its_name_and_a_missing_file_stays_where_it_was_named(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "表"
    assert named(str(folder / "standard" / "central"), [folder]) == "standard/central"
    assert named(str(folder / "2020.jx"), [folder]) == str(folder / "2020.jx")  # not looked for elsewhere


# -- a zero budget (0/0/0) and a printed 预算执行率 row: the rules' 零预算, the rest audited ---------------------

ZERO = replace(CLEAN, amounts=(0, 0, 0), rate="0.00%", budget_score=0).replaced(
    "预算执行率", actual="0.00%", score=0
)
ZERO_POLICY = """评分办法 "零预算{mode}" {{
  采用 "standard/central"
  预算执行 {{
    零预算 {mode}
  }}
}}
"""


def zero_policy(tmp_path: Path, mode: str) -> Path:
    path = tmp_path / f"零预算{mode}.jx"
    path.write_text(ZERO_POLICY.format(mode=mode), encoding="utf-8")
    return path


def test_a_zero_budget_under_zero_budget_error_is_reported_and_the_rest_audited(tmp_path: Path) -> None:
    planted = ZERO.replaced("资金发放准确率", score=8)  # a discrepancy elsewhere is still found
    code, report = audit_json(CENTRAL, seedfiles.official_workbook(tmp_path, table=planted))
    (table,) = report["tables"]
    assert (table["complete"], table["diagnostics"]) == (True, [])
    assert found(table) == [("F151", "资金发放准确率"), ("F174", "预算执行"), ("F174", "预算执行率")]
    budget = next(d for d in table["discrepancies"] if d["where"] == "预算执行")
    assert (budget["span"]["line"], budget["span"]["column"], budget["severity"]) == (6, 4, "error")
    assert "零预算 报错" in budget["message"] and "全年预算数为 0" in budget["message"]
    assert code == 1


@pytest.mark.parametrize(
    ("mode", "table", "row"),
    [
        ("不评分", replace(ZERO, total=100), ("0.00", "/")),  # both 不适用: 89 of 89 points, rescaled to 100
        ("满分", replace(ZERO.replaced("预算执行率", score=1), budget_score=10, total=100), ("1.00", "1.00")),
    ],
)
def test_a_zero_budget_follows_the_rules_zero_budget_policy(
    tmp_path: Path, mode: str, table: Any, row: tuple[str, str]
) -> None:
    code, report = audit_json(zero_policy(tmp_path, mode), seedfiles.official_workbook(tmp_path, table=table))
    (audited,) = report["tables"]
    assert found(audited) == [("F175", "预算执行"), ("F175", "预算执行率")]
    found_row = next(d for d in audited["discrepancies"] if d["where"].endswith("预算执行率"))
    assert (found_row["printed"], found_row["recomputed"], found_row["severity"]) == (*row, "warning")
    assert f"零预算 {mode}" in found_row["message"]
    assert (code, audited["total"], audited["complete"]) == (0, "100.00", True)


def test_a_zero_budget_printed_otherwise_than_zero_budget_full_says_so(tmp_path: Path) -> None:
    code, report = audit_json(
        zero_policy(tmp_path, "满分"), seedfiles.official_workbook(tmp_path, table=ZERO)
    )
    (table,) = report["tables"]
    # the budget score and the row printed 0 where 零预算 满分 gives full marks; the total is their sum
    assert found(table) == [
        ("F154", "预算执行率"),
        ("F165", "预算执行"),
        ("F175", "预算执行"),
        ("F175", "预算执行率"),
    ]
    assert code == 1


def test_a_score_outside_the_words_band_is_given_with_the_band_the_rules_allow(tmp_path: Path) -> None:
    table = CLEAN.replaced("资金发放准确率", actual="部分达成", score=9, note="部分发放有误")
    book = seedfiles.official_workbook(tmp_path, table=table)
    code, report = audit_json(CENTRAL, book)
    (finding,) = report["tables"][0]["discrepancies"]
    # 部分达成 is [60%,80%) of the weight 10: the evaluator may give 6 up to (not including) 8
    assert (finding["code"], finding["printed"], finding["recomputed"]) == ("F154", "9.00", "[6,8)")
    assert "按规则为 [6,8)（" in finding["message"] and code == 1
    assert (finding["span"]["line"], finding["span"]["column"]) == (25, 7)  # G25, the printed score
    _, english = audit_json(CENTRAL, book, "--lang", "en")
    assert "the rules give [6,8) (" in english["tables"][0]["discrepancies"][0]["message"]


def test_good_fair_average_are_the_policys_words(tmp_path: Path) -> None:
    """好 / 较好 / 一般 / 差 is a scale of standard/central (80%, 60%): a table scored so audits clean."""
    table = CLEAN.replaced(
        "维护社会稳定和保障民生", target="好", actual="较好", score=8, note="部分站点人手不足"
    ).replaced("提高群众生活水平", target="好", actual="一般", score=6, note="收入增长慢")
    code, report = audit_json(CENTRAL, seedfiles.official_workbook(tmp_path, table=table))
    assert (code, report["tables"][0]["discrepancies"]) == (0, [])


def test_a_weight_changed_in_the_ruleset_is_F155_and_not_also_a_mark_down(tmp_path: Path) -> None:
    """The table gives 10 of its 10 where the ruleset now says 15: the weight differs (F155); the score
    is the rules' for the printed weight, so no F151 “marked down although met” on top."""
    text = SEED_RULESET.read_text(encoding="utf-8")
    text = text.replace("享受补贴人数  目标 ≥1.1万人  分值 20", "享受补贴人数  目标 ≥1.1万人  分值 15")
    ruleset = tmp_path / "2021.jx"
    ruleset.write_text(
        text.replace("资金发放准确率  目标 100%  分值 10", "资金发放准确率  目标 100%  分值 15")
    )
    code, report = audit_json(ruleset, seedfiles.official_workbook(tmp_path, table=CLEAN))
    codes = [(d["code"], d["where"].split("/")[-1]) for d in report["tables"][0]["discrepancies"]]
    assert ("F155", "资金发放准确率") in codes and ("F151", "资金发放准确率") not in codes
    assert not [c for c in codes if c[0] in ("F151", "F152", "F154")] and code == 1


def test_english_messages(tmp_path: Path) -> None:
    run = audit(CENTRAL, seedfiles.official_workbook(tmp_path), "--lang", "en")
    assert "a rounding difference only" in run.output and "“truncate 2 digits” in the table" in run.output
    assert "“half_up 2 digits” by the rules" in run.output and "the table down" not in run.output


# -- many tables: the summary ----------------------------------------------------------------------
def test_the_summary_counts_tables_and_kinds(tmp_path: Path) -> None:
    names = ["clean", "seed: 预算执行率 truncated", "grade", "rate"]
    books = [
        seedfiles.official_workbook(tmp_path, f"{n}.xlsx", table=POLICY[name].table)
        for n, name in enumerate(names)
    ]
    code, report = audit_json(CENTRAL, *books)
    summary = report["summary"]
    assert (summary["tables"], summary["clean"], summary["with_errors"], summary["warnings_only"]) == (
        4,
        1,
        2,
        1,
    )
    assert {k["code"]: (k["tables"], k["count"]) for k in summary["kinds"]} == {
        "F150": (1, 1),
        "F164": (1, 1),
        "F170": (1, 1),
    }
    assert code == 1
    markdown = audit(CENTRAL, *books, "--format", "markdown").output
    assert "## 复核汇总：4 张表" in markdown and "无问题 1 张，有错误 2 张，只有警告 1 张" in markdown
    assert "| F170" in markdown


def test_the_summary_as_a_workbook(tmp_path: Path) -> None:
    books = [
        seedfiles.official_workbook(tmp_path, f"{n}.xlsx", table=POLICY[name].table)
        for n, name in enumerate(["clean", "grade"])
    ]
    out = tmp_path / "复核.xlsx"
    run = audit(CENTRAL, *books, "--format", "xlsx", "--output", out)
    assert run.exit_code == 1, run.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["复核汇总", "问题", "各类问题"]
    findings = list(book["问题"].iter_rows(values_only=True))
    assert findings[0][:4] == ("项目", "文件", "严重程度", "代码") and findings[0][-1] == "改法"
    assert [row[3] for row in findings[1:]] == ["F170"]
    assert findings[1][1] == str(books[1])  # the file (or file:sheet) each finding is in
    assert findings[1][-1] == "按评分办法的等级划分改正等级"  # what to do, as score gives it
    assert [row[0] for row in book["各类问题"].iter_rows(min_row=2, values_only=True)] == ["F170"]
    summary = list(book["复核汇总"].iter_rows(min_row=2, values_only=True))
    assert all(
        isinstance(row[4], float) and isinstance(row[5], float) for row in summary
    )  # both totals numbers


def test_the_help_is_shown_in_the_terminal_and_in_markdown(tmp_path: Path) -> None:
    book = seedfiles.official_workbook(tmp_path, table=POLICY["marked down although met"].table)
    text = audit(CENTRAL, book).output
    assert "改法：\n  F151  核对实际完成值与得分；确需扣分时在偏差原因中写明理由" in text
    markdown = audit(CENTRAL, book, "--format", "markdown").output
    assert "- F151 核对实际完成值与得分" in markdown
    assert "What to do:\n  F151  check the actual value" in audit(CENTRAL, book, "--lang", "en").output


def test_over_achievement_is_flagged_for_review_as_score_does(tmp_path: Path) -> None:
    """超额 ≥120% in the policy: score flags 2.0万人 of ≥1.1万人 (F102); audit says so too (F176)."""
    table = CLEAN.replaced("享受补贴人数", actual="2.0万人", note="扩面征缴，超额完成")
    code, report = audit_json(CENTRAL, seedfiles.official_workbook(tmp_path, table=table))
    (finding,) = report["tables"][0]["discrepancies"]
    assert (finding["code"], finding["severity"], finding["printed"]) == ("F176", "warning", "2.0万人")
    assert "实际值 2万人 达到目标的 181.82%，超过 ≥120%" in finding["message"] and code == 0


def _of_2019(tmp_path: Path) -> Path:
    """The clean official table, its title saying 2019年度 (the ruleset's year is 2020)."""
    book = openpyxl.Workbook()
    seedfiles.write_official(book.active, table=CLEAN)
    book.active["A2"] = "（ 2019 年度）"
    book.save(tmp_path / "2019.xlsx")
    return tmp_path / "2019.xlsx"


def test_a_table_of_another_year_than_the_rulesets_is_said_to_be(tmp_path: Path) -> None:
    code, report = audit_json(SEED_RULESET, _of_2019(tmp_path))
    assert code == 0  # a warning
    years = [d for d in report["tables"][0]["discrepancies"] if d["code"] == "F177"]
    assert [(d["printed"], d["recomputed"]) for d in years] == [("2019", "2020")]
    assert "表的年度 2019 与规则的年度 2020 不同" in years[0]["message"]
    _, same = audit_json(SEED_RULESET, seedfiles.official_workbook(tmp_path, table=CLEAN))
    assert not [d for d in same["tables"][0]["discrepancies"] if d["code"] == "F177"]


def test_another_year_is_said_at_the_title_cell_that_gives_it(tmp_path: Path) -> None:
    """F177 pointed at the table (its header row, A13), not at the title A2 that says 2019年度."""
    _, report = audit_json(SEED_RULESET, _of_2019(tmp_path))
    (year,) = [d for d in report["tables"][0]["discrepancies"] if d["code"] == "F177"]
    assert (year["span"]["line"], year["span"]["column"]) == (2, 1)
    assert "A2" in audit(SEED_RULESET, tmp_path / "2019.xlsx").output.split("F177")[1].split("\n")[0]
    ruleset, table = seedfiles.of_2019(tmp_path, "120人")  # a simple table with a title row above its header
    _, report = audit_json(ruleset, table)
    (year,) = [d for d in report["tables"][0]["discrepancies"] if d["code"] == "F177"]
    assert (year["span"]["line"], year["span"]["column"]) == (1, 1)


def test_villages_counted_with_ge_are_audited_as_villages_and_as_ge(tmp_path: Path) -> None:
    """9个行政村 in a row of 村 was unreadable (F159, E531); the table's ≥12 in 村 was another target than a
    ruleset's ≥12个行政村 (F156). 9个村民小组 in a row of 村 stays unreadable: groups are no villages."""
    table = tmp_path / "表.csv"
    table.write_text(
        "一级指标,二级指标,三级指标,指标值,计量单位,实际完成值,分值,得分,偏差原因分析及改进措施\n"
        "产出指标,数量指标,覆盖村数,≥12,村,9个行政村,50,37.5,进度滞后\n"
        "产出指标,数量指标,覆盖村个数,≥12,个,9个行政村,50,37.5,进度滞后\n",
        encoding="utf-8",
    )
    ruleset = tmp_path / "a.jx"
    ruleset.write_text('项目 "表" 年度 2020 {\n  采用 "standard/central"\n  预算执行 不评分\n'
                       "  产出指标 / 数量指标 {\n    覆盖村数  目标 ≥12个行政村  分值 50\n"
                       "    覆盖村个数  目标 ≥12个  分值 50\n  }\n}\n", encoding="utf-8")  # fmt: skip
    for rules in (CENTRAL, ruleset):
        code, report = audit_json(rules, table)
        assert (code, report["tables"][0]["discrepancies"]) == (0, []), rules
        assert report["tables"][0]["total"] == "75.00"
    table.write_text(
        table.read_text(encoding="utf-8").replace("村,9个行政村", "村,9个村民小组"), encoding="utf-8"
    )
    code, report = audit_json(CENTRAL, table)
    assert code == 1 and found(report["tables"][0]) == [("F159", "覆盖村数")]
    assert "9个村民小组" in report["tables"][0]["discrepancies"][0]["message"]


def test_the_report_never_replaces_a_table_it_audits(tmp_path: Path) -> None:
    book = seedfiles.official_workbook(tmp_path, "表.xlsx", table=POLICY["clean"].table)
    before = book.read_bytes()
    for target in (book, tmp_path):  # the table itself; a folder of tables and the report inside it
        out = book if target == book else tmp_path / "表.xlsx"
        run = audit(CENTRAL, target, "--format", "xlsx", "--output", out, "--lang", "en")
        assert run.exit_code == 1
        assert f"{out}: error[E951]: not writing this file: it is “{book}”" in run.stderr
        assert "Traceback" not in run.output and " | " not in run.stderr  # no line of the workbook shown
        assert book.read_bytes() == before


def test_a_table_that_cannot_be_read_is_incomplete_not_clean(tmp_path: Path) -> None:
    broken = tmp_path / "坏表.xlsx"
    broken.write_bytes(b"not a workbook")
    code, report = audit_json(CENTRAL, broken, seedfiles.official_workbook(tmp_path, table=CLEAN))
    assert code == 1
    assert report["summary"]["incomplete"] == 1 and report["summary"]["clean"] == 1
    bad = report["tables"][0]
    assert not bad["complete"] and bad["diagnostics"][0]["code"].startswith("E")


def test_an_empty_indicator_table_is_E722(tmp_path: Path) -> None:
    table = seedfiles.Filled(indicators=())
    code, report = audit_json(CENTRAL, seedfiles.official_workbook(tmp_path, table=table))
    assert code == 1 and [d["code"] for d in report["tables"][0]["diagnostics"]] == ["E722"]


def test_tolerance_is_read_exactly() -> None:
    assert Tolerance().convert("0.1", None, None) == Fraction(1, 10)


def test_every_kind_has_a_chinese_name_and_a_message() -> None:
    assert set(KIND_NAMES) == set(KINDS) and set(KINDS) <= set(CATALOG)


def test_the_json_follows_its_schema(tmp_path: Path) -> None:
    tables = [POLICY[name].table for name in ("arithmetic", "budget score", "grade")]
    books = [seedfiles.official_workbook(tmp_path, f"{n}.xlsx", table=t) for n, t in enumerate(tables)]
    broken = tmp_path / "坏表.xlsx"
    broken.write_bytes(b"not a workbook")
    _, report = audit_json(CENTRAL, *books, broken, "--explain")
    jsonschema.validate(report, jixiao.schema("audit"))
    assert [len(t["discrepancies"]) for t in report["tables"]] == [1, 1, 1, 0]


def test_weights_against_another_policys_framework(tmp_path: Path) -> None:
    code, report = audit_json("standard/hubei", seedfiles.official_workbook(tmp_path))
    (table,) = report["tables"]
    assert found(table) == [("F150", "预算执行率"), ("F167", "分值合计")]
    (framework,) = [d for d in table["discrepancies"] if d["code"] == "F167"]
    assert "「预算执行」分值合计 10，结构规定为 20" in framework["message"]
    assert code == 1
    span = framework["span"]  # at the printed budget weight (was nowhere: null)
    assert span is not None and (span["line"], span["column"]) == (6, 7)


def test_a_level_off_the_framework_is_placed_at_its_first_row(tmp_path: Path) -> None:
    """F167 for an indicator level points at the 一级指标 cell of its first row (was null)."""
    book = seedfiles.official_workbook(tmp_path, table=CLEAN.replaced("享受补贴人数", weight=30, score=30))
    _, report = audit_json("standard/hubei", book)
    (framework,) = [
        d
        for d in report["tables"][0]["discrepancies"]
        if d["code"] == "F167" and "「产出指标」" in d["message"]
    ]
    sheet = openpyxl.load_workbook(book).active
    first = next(row[0].row for row in sheet.iter_rows() if row[0].value == "产出指标")
    assert framework["span"] is not None, framework
    assert (framework["span"]["line"], framework["span"]["column"]) == (first, 1)


def test_a_csv_with_the_printed_columns_is_audited(tmp_path: Path) -> None:
    table = tmp_path / "自评.csv"
    table.write_text(
        "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,偏差原因分析及改进措施\n"
        "产出指标,数量指标,享受补贴人数,≥1.1万人,1.0万人,20,20,\n"
        "产出指标,质量指标,资金发放准确率,100%,100%,10,8,\n",
        encoding="utf-8",
    )
    _, report = audit_json(CENTRAL, table)
    got = found(report["tables"][0])
    assert ("F153", "享受补贴人数") in got and ("F151", "资金发放准确率") in got
    assert ("F166", "分值合计") in got  # 30 of 100


def test_formulas_saved_without_their_values_are_said_to_be(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    seedfiles.write_official(book.active)  # openpyxl saves formulas without the values Excel keeps
    book.save(tmp_path / "未计算.xlsx")
    code, report = audit_json(CENTRAL, tmp_path / "未计算.xlsx")
    (table,) = report["tables"]
    assert found(table) == [("F150", "预算执行率"), ("F159", "执行率"), ("F159", "预算执行")]
    assert all("没有保存它的计算结果" in d["message"] for d in table["discrepancies"] if d["code"] == "F159")
    assert code == 1


def test_a_yaml_table_with_the_printed_columns_is_audited(tmp_path: Path) -> None:
    table = tmp_path / "自评.yaml"
    table.write_text(
        "项目: 测试项目\n实际值:\n"
        "  - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 享受补贴人数, 指标值: ≥1.1万人, 实际完成值: 1.0万人,"
        " 分值: 20, 得分: 20}\n",
        encoding="utf-8",
    )
    _, report = audit_json(CENTRAL, table)
    (finding,) = [d for d in report["tables"][0]["discrepancies"] if d["code"] == "F153"]
    assert (finding["span"]["line"], finding["printed"], finding["recomputed"]) == (3, "20", "18.18")


def test_a_wrong_total_of_a_table_with_rows_not_applicable_names_the_rescaling(tmp_path: Path) -> None:
    book = seedfiles.official_workbook(tmp_path, table=replace(ZERO, total=99))
    code, report = audit_json(zero_policy(tmp_path, "不评分"), book)
    (total,) = [d for d in report["tables"][0]["discrepancies"] if d["code"] == "F168"]
    # the printed parts add up to 89 (budget and 预算执行率 不适用): 89 of 89 points is 100 of 100
    assert (total["printed"], total["recomputed"]) == ("99.00", "100.00")
    assert "印出的各项相加为 89，按不适用折算" in total["message"] and code == 1
    _, english = audit_json(zero_policy(tmp_path, "不评分"), book, "--lang", "en")
    (total,) = [d for d in english["tables"][0]["discrepancies"] if d["code"] == "F168"]
    assert "(89 as printed, rescaled for 不适用)" in total["message"]


def test_the_report_goes_into_a_folder_made_for_it(tmp_path: Path) -> None:
    """As `import -o` makes its folder: `-o 新文件夹/复核.xlsx` (E950 "no such file or directory" before)."""
    target = tmp_path / "新" / "文件夹" / "复核.xlsx"
    run = audit(CENTRAL, seedfiles.official_workbook(tmp_path), "--format", "xlsx", "-o", target)
    assert run.exit_code == 0, run.output
    assert openpyxl.load_workbook(target).sheetnames[0]


@pytest.mark.parametrize("written", ["1e999999999", "1" * 41, "0x10", "inf", "1/3", "-0.01", ""])
def test_a_tolerance_is_a_plain_bounded_decimal(written: str) -> None:
    """`Fraction("1e999999999")` alone took minutes: an exponent, more than 40 digits or a fraction is a
    usage error at once."""
    assert Tolerance().convert("0.010", None, None) == Fraction(1, 100)
    with pytest.raises(click.BadParameter):
        Tolerance().convert(written, None, None)


def test_english_reports_name_kinds_and_items_in_english(tmp_path: Path) -> None:
    """--lang en: kinds by English names (not `rounding_only`), table-wide items (总得分, 等级) in English."""
    table = seedfiles.official_workbook(tmp_path, table=replace(CLEAN, total=95, grade="良"))
    (tmp_path / "b").mkdir()
    other = seedfiles.official_workbook(tmp_path / "b", table=seedfiles.SEED)
    run = audit(CENTRAL, table, other, "--lang", "en")
    text = run.output
    assert "Kinds of finding:" in text and "Kinds of finding：" not in text
    assert "rounding_only" not in text and "total_sum" not in text
    rows = [line for line in text.splitlines() if line.startswith(("error", "warning"))]
    assert rows and all("总得分" not in line and "等级  " not in line for line in rows)
    assert any(" total " in line for line in rows) and any(" grade " in line for line in rows)
    assert set(KIND_NAMES_EN) == set(KIND_NAMES)


def _rate_book(tmp_path: Path, name: str, rate: float, number_format: str | None = None) -> Path:
    table = replace(seedfiles.SEED, rate=rate, budget_score=9.38)
    path = seedfiles.official_workbook(tmp_path, name, table=table)
    if number_format is not None:
        book = openpyxl.load_workbook(path)
        (cell,) = [c for row in book.active.iter_rows() for c in row if c.value == rate]
        cell.number_format = number_format
        book.save(path)
    return path


@pytest.mark.parametrize("rate", [0.937628865979381, 0.93762886597938145, 0.9376289, 0.937628865979391])
def test_a_rate_is_compared_as_its_cell_shows_it_whatever_its_digits(tmp_path: Path, rate: float) -> None:
    """=E6/D6 pasted as a value keeps the 15 significant digits of 909.5 ÷ 970: 0.937628865979381. In a
    0.00% cell it shows 93.76%, the rules' rate: no discrepancy, as for 17 digits or 7 (the value staff
    see is compared, not the digits typed)."""
    code, report = audit_json(SEED_RULESET, _rate_book(tmp_path, "r.xlsx", rate, "0.00%"))
    assert report["tables"][0]["discrepancies"] == [] and code == 0


def test_a_rate_shown_unrounded_is_a_rounding_difference_and_one_shown_off_is_miscalculated(
    tmp_path: Path,
) -> None:
    """In a General cell 0.937628865979381 shows all its digits: the exact rate unrounded (F150, a warning),
    not a miscalculated rate (F164, an error); a rate whose shown value is off still is."""
    code, report = audit_json(SEED_RULESET, _rate_book(tmp_path, "g.xlsx", 0.937628865979381, "General"))
    (finding,) = report["tables"][0]["discrepancies"]
    assert (finding["code"], finding["printed"], finding["recomputed"]) == (
        "F150",
        "0.937628865979381",
        "93.76%",
    )
    assert "未舍入" in finding["message"] and code == 0
    _, report = audit_json(SEED_RULESET, _rate_book(tmp_path, "off.xlsx", 0.9386, "0.00%"))
    assert [d["code"] for d in report["tables"][0]["discrepancies"]] == ["F164"]


@pytest.mark.parametrize(
    ("value", "shown", "rule"),
    [
        (0.9, "0.0", "规则为 四舍五入 4位（即 舍入 执行率 四舍五入 2位）"),
        (0.938, "0.0%", "规则为 四舍五入 2位"),
    ],
)
def test_a_rate_rounded_otherwise_names_the_rules_rounding_as_the_ruleset_writes_it(
    tmp_path: Path, value: float, shown: str, rule: str
) -> None:
    """A rate printed 0.9 is rounded in ratio digits (1位), and the rule, written 舍入 执行率 四舍五入 2位 (percent
    digits), was said as 四舍五入 4位 alone: the same rule read two ways in two tables (xt19). A rate
    printed 93.8% says the rule in percent digits, as before."""
    _, report = audit_json(SEED_RULESET, _rate_book(tmp_path, "r.xlsx", value, shown))
    (finding,) = report["tables"][0]["discrepancies"]
    assert finding["code"] == "F150" and rule in finding["message"], finding["message"]


def test_a_negative_printed_score_is_out_of_range_not_marked_down(tmp_path: Path) -> None:
    """-1.00 for a met target was F151 (目标已完成却扣了分), as if a deduction could go below zero: F154 saying the
    score is outside 0 to the weight (xt19)."""
    text = (Path(__file__).parent / "tables" / "seed-official.csv").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",资金发放及时率," in line)
    path = tmp_path / "负分.csv"
    path.write_text(text.replace(row, row.replace(",10.00,10.00,", ",10.00,-1.00,")), encoding="utf-8")
    _, report = audit_json("standard/central", path)
    (finding,) = [d for d in report["tables"][0]["discrepancies"] if d["printed"] == "-1.00"]
    assert finding["code"] == "F154" and "得分不在 0 到分值 10 之间" in finding["message"], finding


def test_a_table_naming_another_project_or_office_is_noted_as_score_notes_it(tmp_path: Path) -> None:
    """F112 (another project than the ruleset's) and F113 (another 主管部门): warnings, as jixiao score's
    notes; a name differing only by a trailing 项目 or the kind of bracket is the same project."""
    table = replace(seedfiles.SEED, project="农村道路养护工程")
    book = openpyxl.Workbook()
    seedfiles.write_official(book.active, table=table)
    book.active["B4"] = "[332]别的局"
    path = tmp_path / "别的.xlsx"
    book.save(path)
    seedfiles.set_cached(path, seedfiles.CACHED, "sheet1")
    code, report = audit_json(SEED_RULESET, path)
    (audited,) = report["tables"]
    assert found(audited) == [("F112", "项目名称"), ("F113", "主管部门")] and code == 0
    f112 = next(d for d in audited["discrepancies"] if d["code"] == "F112")
    assert (f112["kind"], f112["severity"], f112["printed"]) == (
        "other_project",
        "warning",
        "农村道路养护工程",
    )
    same = replace(seedfiles.SEED, project=seedfiles.PROJECT + "项目")
    run = audit(SEED_RULESET, seedfiles.official_workbook(tmp_path, "同.xlsx", table=same))
    assert run.exit_code == 0 and "没有发现问题" in run.output, run.output
    en = audit(SEED_RULESET, path, "--lang", "en")
    assert "project name" in en.output and "F112" in en.output


def test_the_output_file_s_suffix_names_the_format(tmp_path: Path) -> None:
    """-o 复核.xlsx without --format wrote the text report into a file named .xlsx."""
    table = Path(__file__).parent / "tables" / "seed-official.csv"
    assert audit(CENTRAL, table, "-o", tmp_path / "复核.xlsx").exit_code in (0, 1)
    assert openpyxl.load_workbook(tmp_path / "复核.xlsx").sheetnames[0] == "复核汇总"
    assert audit(CENTRAL, table, "-o", tmp_path / "r.json").exit_code in (0, 1)
    assert "summary" in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert audit(CENTRAL, table, "-o", tmp_path / "r.json", "--format", "markdown").exit_code in (0, 1)
    assert (tmp_path / "r.json").read_text(encoding="utf-8").startswith("### ")  # --format given: as given


def test_words_of_the_tables_own_scale_are_read_as_import_reads_them(tmp_path: Path) -> None:
    """明显 is in no scale of the policy; 较明显 scores 80% and 一般 60% on every row with them. Import puts
    them in the project's own scale (W186); audit against the policy alone said F159 (cannot be read) for
    each: now it scores them so (F179, a warning) and the total is the table's."""
    table = (
        CLEAN.replaced("维护社会稳定和保障民生", target="明显", actual="较明显", score=8, note="仍有不足")
        .replaced("提高群众生活水平", target="明显", actual="一般", score=6, note="收入增长慢")
        .replaced("保障群众基本生活", target="明显", actual="较明显", score=8, note="仍有不足")
    )
    book = seedfiles.official_workbook(tmp_path, table=table)
    code, report = audit_json("standard/central", book)
    found = [(d["code"], d["printed"]) for d in report["tables"][0]["discrepancies"]]
    assert code == 0 and ("F159", "较明显") not in found, found
    assert sorted(c for c, p in found if p in ("较明显", "一般")) == ["F179", "F179", "F179"], found
    assert report["tables"][0]["total"] == "91.32", report["tables"][0]
    text = audit("standard/central", book).output
    assert "「较明显」不在评分办法的量表中：表中有这个词的各行得分都是分值的 80%" in text
    assert "用 jixiao import 生成项目规则" in text
    imported = CliRunner().invoke(main, ["import", str(book), "--output", str(tmp_path / "规则")])
    assert imported.output.count("W186") == 3  # the same words, as import reads them


def test_a_word_of_the_tables_own_scale_at_different_shares_says_what_to_do(tmp_path: Path) -> None:
    """较明显 scores 80% on one row and 70% on another: no share to read (import takes the printed scores,
    W174). Audit said F159 「较明显」无法读取 with the help to write the cell as a literal: now F180 says
    why and what to do, and the rows count with their printed scores."""
    table = CLEAN.replaced(
        "维护社会稳定和保障民生", target="明显", actual="较明显", score=8, note="仍有不足"
    ).replaced("保障群众基本生活", target="明显", actual="较明显", score=7, note="仍有不足")
    book = seedfiles.official_workbook(tmp_path, table=table)
    code, report = audit_json("standard/central", book)
    found = [(d["code"], d["printed"]) for d in report["tables"][0]["discrepancies"]]
    assert code == 1 and sorted(found) == [("F180", "较明显"), ("F180", "较明显")], found
    assert "各行得分比例不同（70%、80%）" in report["tables"][0]["discrepancies"][0]["message"]
    assert "在评分办法或项目规则中写明这个词的量表" in report["tables"][0]["discrepancies"][0]["help"]
    english = audit("standard/central", book, "--lang", "en").output
    assert "different shares of their weights (70%, 80%)" in english, english


def test_every_row_with_a_word_of_the_tables_own_scale_is_said_however_many(tmp_path: Path) -> None:
    """Scoring reports a few rows of each kind (MAX_REPEATS): every row with the word is said all the same,
    the rows grouped by their word once (a long table stays linear)."""
    rows = "".join(
        f"产出指标,数量指标,指标{i},明显,较明显,1,{'0.8' if i % 2 else '0.7'}\n" for i in range(100)
    )
    table = tmp_path / "表.csv"
    table.write_text("一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n" + rows, encoding="utf-8")
    code, report = audit_json("standard/central", table)
    codes = [d["code"] for d in report["tables"][0]["discrepancies"]]
    assert code == 1 and codes.count("F180") == 100 and "F159" not in codes, sorted(set(codes))


def test_a_breakdown_rows_unreadable_target_is_f159_at_its_cell(tmp_path: Path) -> None:
    """Against a policy alone a 其中 row's target too long to read was E111 at a made-up `<表>`, the table
    not audited: now F159 at its cell, and the rest audited."""
    table = tmp_path / "表.csv"
    table.write_text(
        "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n产出指标,数量指标,生猪出栏,≥100头,100头,100,100\n"
        f"产出指标,数量指标,其中：能繁母猪,≥{'9' * 50}头,12头,,\n",
        encoding="utf-8",
    )
    code, report = audit_json("standard/central", table)
    audited = report["tables"][0]
    assert audited["complete"] and audited["total"] == "100.00", audited
    (unread,) = audited["discrepancies"]
    assert (unread["code"], unread["span"]["line"], unread["span"]["column"]) == ("F159", 3, 4), unread
    assert "数字超过 40 位" in unread["message"] and code == 1


def test_the_ministry_templates_names_are_the_rulesets(tmp_path: Path) -> None:
    """社会效益指标 is the ruleset's 社会效益 and 指标14：保障群众基本生活 its 保障群众基本生活: the rows are
    audited (a marked-down row found), not reported missing (F172) or unknown (F171)."""
    table = seedfiles.ministry_template(seedfiles.SEED.replaced("维护社会稳定和保障民生", score=9))
    code, report = audit_json(SEED_RULESET, seedfiles.official_workbook(tmp_path, table=table))
    assert (code, found(report["tables"][0])) == (1, [("F151", "维护社会稳定和保障民生")])


def test_a_blank_weight_above_a_breakdown_row_is_f159_at_its_cell(tmp_path: Path) -> None:
    """Against a policy alone a blank 分值 with a 其中 row under it was E411 at a line of the drafted ruleset
    (<项目>:22:5), nothing audited (xt15): now F159 「分值是空的」 at the cell, and the rest audited."""
    table = tmp_path / "表.csv"
    table.write_text(
        "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n"
        "产出指标,数量指标,养护里程,≥266公里,258.6公里,,14.58\n产出指标,数量指标,其中：村道,≥120公里,125公里,,\n"
        "产出指标,数量指标,验收合格率,≥95%,96%,100,100\n",
        encoding="utf-8",
    )
    code, report = audit_json("standard/central", table)
    audited = report["tables"][0]
    assert "E411" not in json.dumps(report, ensure_ascii=False)
    (blank,) = audited["discrepancies"]  # and no F171 for the 其中 row: it goes with its indicator
    assert blank["code"] == "F159", blank
    assert (blank["span"]["line"], blank["span"]["column"]) == (2, 6) and "分值是空的" in blank["message"]
    assert code == 1
