"""Score cells other than one plain 得分 per row, in `jixiao audit` and `jixiao import`: the county template's
two score columns (单项得分 out of 100 and 折算得分 = 单项得分 × 分值%, tests/tables/two-score-columns.csv),
score-like columns no reader reads, scores written as percentages, a 得分 cell merged over several rows.
None of them is passed silently: each is read as what it is, or said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import seedfiles
from conftest import SEED_RULESET
from test_printed_tables import audited, run  # the same CLI helpers

from jixiao.limits import MAX_REPEATS

TABLES = Path(__file__).resolve().parent / "tables"
TWO = (TABLES / "two-score-columns.csv").read_text(encoding="utf-8")
CENTRAL = "standard/central"
COUNTY = '评分办法 "县级" {\n  采用 "standard/central"\n  表列 单项得分\n}\n'
ACCURACY = ",质量指标,资金发放准确率,100%,100%,10.00,100.00,10.00,"  # row 24
RATE = "投入和管理目标,投入管理,预算执行率,100%,93.76%,1.00,93.00,0.93,享受补贴人数不固定"  # row 13


def two(tmp_path: Path, *changes: tuple[str, str], name: str = "县级自评.csv") -> Path:
    """The two-score-column table with each `old` (found exactly once) replaced by its `new`."""
    text = TWO
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def county(tmp_path: Path) -> Path:
    path = tmp_path / "县级.jx"
    path.write_text(COUNTY, encoding="utf-8")
    return path


def found(table: dict[str, Any]) -> list[tuple[str, int, int]]:
    return sorted(
        (d["code"], d["span"]["line"], d["span"]["column"]) if d["span"] else (d["code"], 0, 0)
        for d in table["discrepancies"]
    )


def finding(table: dict[str, Any], code: str) -> dict[str, Any]:
    (one,) = [d for d in table["discrepancies"] if d["code"] == code]
    return one


# -- two score columns ----------------------------------------
def test_the_weighted_score_column_is_the_rows_score_in_audit(tmp_path: Path) -> None:
    """Met, scored 50 of 100 (5 of 10): a mark-down, and the total 99.31 is not the printed scores' sum."""
    table = two(tmp_path, (ACCURACY, ",质量指标,资金发放准确率,100%,100%,10.00,50.00,5.00,"))
    for against in (CENTRAL, county(tmp_path)):
        code, report = audited(against, table)
        assert found(report) == [("F150", 13, 8), ("F151", 24, 8), ("F168", 11, 4)], against
        assert finding(report, "F168")["recomputed"] == "94.31"
        assert code == 1


def test_a_clean_two_score_table_is_only_the_seeds_rounding(tmp_path: Path) -> None:
    for against in (CENTRAL, county(tmp_path)):
        code, report = audited(against, TABLES / "two-score-columns.csv")
        assert found(report) == [("F150", 13, 8)], against
        assert code == 0


def test_a_weighted_score_that_is_not_the_item_score_times_the_weight_is_f185(tmp_path: Path) -> None:
    table = two(tmp_path, (ACCURACY, ",质量指标,资金发放准确率,100%,100%,10.00,100.00,5.00,"))
    code, report = audited(CENTRAL, table)
    assert ("F185", 24, 8) in found(report)
    message = finding(report, "F185")["message"]
    assert "单项得分 100.00 × 分值 10.00% = 10" in message and "5.00" in message
    assert code == 1


def test_an_item_score_is_checked_where_the_rules_declare_the_column(tmp_path: Path) -> None:
    """0.94 of 1 is the rules' score, 94.00 the item score the table prints for it: the rules give 93.76.
    A policy alone reads the table as import does, which declares the column (W189)."""
    table = two(tmp_path, (RATE, RATE.replace("93.00,0.93", "94.00,0.94")), ("总得分,99.31", "总得分,99.32"))
    _, plain = audited(SEED_RULESET, table)
    assert found(plain) == [("F150", 13, 8)]  # the seed ruleset truncates; it declares no 单项得分: no F186
    for against in (CENTRAL, county(tmp_path)):
        code, report = audited(against, table)
        assert found(report) == [("F186", 13, 7)], against
        assert (finding(report, "F186")["printed"], finding(report, "F186")["recomputed"]) == (
            "94.00",
            "93.76",
        )
        assert code == 1


def test_an_item_score_column_without_a_weighted_one_is_said_not_read(tmp_path: Path) -> None:
    """单项得分 alone: out of 100, or the row's score? Never guessed, never passed over."""
    lines = [line.rsplit(",", 2)[0] + "," + line.rsplit(",", 1)[1] for line in TWO.splitlines()]
    path = tmp_path / "单项得分.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, report = audited(CENTRAL, path)
    assert ("F187", 12, 7) in found(report)
    assert "单项得分" in finding(report, "F187")["message"]
    assert code == 1


def test_an_unknown_score_column_is_said_not_read(tmp_path: Path) -> None:
    table = two(tmp_path, ("单项得分,折算得分", "单项得分,考核得分"))
    code, report = audited(CENTRAL, table)
    assert ("F187", 12, 8) in found(report) and ("F158", 24, 3) in found(report)
    assert ("F187", 12, 7) in found(report)  # and 单项得分, now without a 折算得分 beside it
    assert any("考核得分" in d["message"] for d in report["discrepancies"] if d["code"] == "F187")
    assert code == 1


def test_import_reads_the_weighted_score_and_declares_the_item_score_column(tmp_path: Path) -> None:
    table = two(tmp_path, (ACCURACY, ",质量指标,资金发放准确率,100%,100%,10.00,50.00,5.00,"))
    done = run("import", table, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert "W189" in done.output and "W175" in done.output  # 5.00 printed, the rules give 10.00
    (ruleset,) = (tmp_path / "out").glob("*.jx")
    assert "  表列 单项得分\n" in ruleset.read_text(encoding="utf-8")
    (actuals,) = (tmp_path / "out").glob("*.actuals.csv")
    scored = run("score", ruleset, actuals, "--format", "json")
    assert json.loads(scored.stdout)["total"] == "99.31", scored.output


def test_import_says_a_score_column_it_does_not_read(tmp_path: Path) -> None:
    table = two(tmp_path, ("单项得分,折算得分", "单项得分,考核得分"))
    done = run("import", table, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert "W184" in done.output and "考核得分" in done.output


# -- scores written as percentages ----------------------------------------
def _seed_variant(tmp_path: Path, old: str, new: str) -> Path:
    seed = (TABLES / "seed-official.csv").read_text(encoding="utf-8")
    assert seed.count(old) == 1, old
    path = tmp_path / "百分比.csv"
    path.write_text(seed.replace(old, new), encoding="utf-8")
    return path


def test_a_printed_score_written_as_a_percentage_is_unreadable_in_audit(tmp_path: Path) -> None:
    table = _seed_variant(
        tmp_path,
        ",质量指标,资金发放准确率,100%,100%,10.00,10.00,",
        ",质量指标,资金发放准确率,100%,100%,10.00,100%,",
    )
    code, report = audited(CENTRAL, table)
    assert found(report) == [("F150", 13, 7), ("F159", 24, 7)]  # not a mark-down to 1 point (F151)
    assert "写成了百分比" in finding(report, "F159")["message"]
    assert "分值 10 的 100% 写作 10" in finding(report, "F159")["message"]
    assert code == 1


def test_a_percentage_score_of_a_word_off_the_scale_is_said_and_f180_counts_it(tmp_path: Path) -> None:
    seed = (TABLES / "seed-official.csv").read_text(encoding="utf-8")
    text = seed.replace(
        ",经济效益,提高群众生活水平,有效提高,100%,10.00,10.00,",
        ",经济效益,提高群众生活水平,明显,较明显,10.00,8.00,",
    )
    text = text.replace(
        ",可持续影响,维护社会稳定和保障民生,显著,显著,10.00,10.00,",
        ",可持续影响,维护社会稳定和保障民生,明显,较明显,10.00,80%,",
    )
    path = tmp_path / "量表外.csv"
    path.write_text(text, encoding="utf-8")
    code, report = audited(CENTRAL, path)
    assert ("F159", 28, 7) in found(report)
    messages = [d["message"] for d in report["discrepancies"] if d["code"] == "F180"]
    assert messages and all("可读的得分都是分值的 80%，另有 1 行的得分不能读作分数" in m for m in messages)
    assert all("比例不同" not in m for m in messages)  # one share is no difference of shares
    assert code == 1
    done = run("import", path, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert "W183" in done.output
    (actuals,) = (tmp_path / "out").glob("*.actuals.csv")
    assert "80%" not in actuals.read_text(encoding="utf-8")  # never copied as a 调整得分 of 0.8


def test_an_english_percentage_score_says_what_to_write(tmp_path: Path) -> None:
    table = _seed_variant(
        tmp_path,
        ",质量指标,资金发放准确率,100%,100%,10.00,10.00,",
        ",质量指标,资金发放准确率,100%,100%,10.00,100%,",
    )
    done = run("audit", CENTRAL, table, "--lang", "en")
    assert "100% of the weight 10 is written 10" in done.output


# -- a 得分 cell merged over several rows ----------------------------------------
def _merged_book(tmp_path: Path, score: int) -> Path:
    """The seed workbook with 资金发放准确率 and 资金发放及时率 (rows 25, 26, 10 each) scored by one
    merged cell G25:G26."""
    path = seedfiles.official_workbook(tmp_path)
    book = openpyxl.load_workbook(path, data_only=True)  # the formulas' cached values kept as values
    sheet = book["自评表"]
    assert (sheet["C25"].value, sheet["C26"].value) == ("资金发放准确率", "资金发放及时率")
    sheet["G25"] = score
    sheet["G26"] = None
    sheet.merge_cells("G25:G26")
    merged = tmp_path / "合并.xlsx"
    book.save(merged)
    return merged


def test_a_merged_score_cell_is_one_score_for_its_rows_counted_once(tmp_path: Path) -> None:
    code, report = audited(SEED_RULESET, _merged_book(tmp_path, 20))
    assert found(report) == [("F188", 25, 7)]  # said once; no F154 per row, no F168 (119.31)
    merged = finding(report, "F188")
    assert (merged["printed"], merged["recomputed"]) == ("20.00", "20.00")
    assert "第25–26行" in merged["message"]
    assert code == 0


def test_a_merged_score_cell_other_than_its_rows_sum_is_f154_once(tmp_path: Path) -> None:
    code, report = audited(SEED_RULESET, _merged_book(tmp_path, 15))
    assert found(report) == [("F154", 25, 7), ("F168", 11, 4)]  # the total: 15 counted once, 94.31
    assert "合并" in finding(report, "F154")["message"]
    assert finding(report, "F168")["recomputed"] == "94.31"
    assert code == 1


def test_import_takes_a_merged_score_cell_as_no_rows_own(tmp_path: Path) -> None:
    done = run("import", _merged_book(tmp_path, 20), "--policy", CENTRAL, "--output", tmp_path / "out")
    assert done.exit_code == 0, done.output
    assert "W187" in done.output


def test_an_adjusted_score_with_a_unit_is_e511_saying_what_to_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/cases/eval/err-adjustment-percent: 80% is neither 0.8 points nor converted; 8人 has a unit."""
    monkeypatch.chdir(Path(__file__).resolve().parent / "cases" / "eval" / "err-adjustment-percent")
    done = run("score", "ruleset.jx", "actuals.csv")
    assert done.exit_code == 1, done.output
    assert "actuals.csv:4:6" in done.output and "分值 10 的 80% 写作 8" in done.output
    assert "actuals.csv:5:6" in done.output and "带单位「人」" in done.output
    english = run("score", "ruleset.jx", "actuals.csv", "--lang", "en")
    assert "80% of the weight 10 is 8" in english.output


def test_a_column_that_explains_scores_is_no_score_column(tmp_path: Path) -> None:
    table = two(tmp_path, ("折算得分,偏差原因分析及改进措施", "折算得分,扣分原因"))
    _, report = audited(CENTRAL, table)
    assert "F187" not in {d["code"] for d in report["discrepancies"]}


def test_many_unread_score_columns_are_said_a_bounded_number_of_times(tmp_path: Path) -> None:
    """A header of 5 000 columns 考核得分1 … (hostile): each said at most MAX_REPEATS times, quickly."""
    extra = ",".join(f"考核得分{i}" for i in range(5000))
    table = two(tmp_path, ("折算得分,偏差原因分析及改进措施", f"折算得分,偏差原因分析及改进措施,{extra}"))
    code, report = audited(CENTRAL, table)
    unread = [d for d in report["discrepancies"] if d["code"] == "F187"]
    assert 1 <= len(unread) <= MAX_REPEATS
    assert code == 1


def test_import_under_a_policy_declaring_the_item_score_column_adds_nothing(tmp_path: Path) -> None:
    done = run(
        "import", TABLES / "two-score-columns.csv", "--policy", county(tmp_path), "--output", tmp_path / "out"
    )
    assert done.exit_code == 0, done.output
    assert "W189" not in done.output
    (ruleset,) = (tmp_path / "out").glob("*.jx")
    assert "表列" not in ruleset.read_text(encoding="utf-8")  # the policy's 表列 单项得分 applies
