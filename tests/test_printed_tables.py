"""`jixiao import` and `jixiao audit` on tables in the official layout saved as CSV (tests/tables/):
the seed table with one thing changed, as reviewers' tables come in."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.cli import main
from jixiao.io.actuals import collect_actuals, load_actuals
from jixiao.language.vocabulary import name_key
from jixiao.tools.importer import find_policy
from jixiao.tools.importer.cells import cell_text
from jixiao.tools.importer.draft import draft
from jixiao.tools.importer.settle import Names, settle

TABLES = Path(__file__).resolve().parent / "tables"
SEED = (TABLES / "seed-official.csv").read_text(encoding="utf-8")
CENTRAL = "standard/central"
SEED_TABLE = load_actuals(TABLES / "seed-official.csv")
CENTRAL_POLICY = find_policy(CENTRAL)
LONG = "9" * 4301  # past Python's int-from-string limit (4 300 digits)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def variant(tmp_path: Path, old: str, new: str, name: str = "自评.csv") -> Path:
    """The seed table with `old` (found exactly once) replaced by `new`."""
    assert SEED.count(old) == 1, old
    path = tmp_path / name
    path.write_text(SEED.replace(old, new), encoding="utf-8")
    return path


def audited(*args: str | Path) -> tuple[int, dict[str, Any]]:
    done = run("audit", *args, "--format", "json")
    assert done.exit_code in (0, 1), done.output
    report: dict[str, Any] = json.loads(done.stdout)
    return done.exit_code, report["tables"][0]


def codes(table: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return sorted(
        (d["code"], d["where"], d["span"]["line"], d["span"]["column"])
        if d["span"]
        else (d["code"], d["where"], 0, 0)
        for d in table["discrepancies"]
    )


# -- 1. a number of more digits than a literal may have -------------------------------------------
SCORE_ROW = ",质量指标,资金发放准确率,100%,100%,10.00,10.00,"
LONG_CELLS = {
    "score": (SCORE_ROW, f",质量指标,资金发放准确率,100%,100%,10.00,{LONG},", "得分", (24, 7)),
    "weight": (SCORE_ROW, f",质量指标,资金发放准确率,100%,100%,{LONG},10.00,", "分值", (24, 6)),
    "total": ("总得分,99.31,", f"总得分,{LONG},", "总得分", (11, 4)),
}


@pytest.mark.parametrize("cell", LONG_CELLS)
def test_a_number_past_the_digit_limit_is_an_unreadable_cell_in_audit(cell: str, tmp_path: Path) -> None:
    old, new, what, place = LONG_CELLS[cell]
    code, table = audited(CENTRAL, variant(tmp_path, old, new))
    (found,) = [d for d in table["discrepancies"] if d["code"] == "F159"]
    assert (found["span"]["line"], found["span"]["column"]) == place
    assert f"的{what}" in found["message"] and "数字超过 40 位" in found["message"]
    assert len(found["message"]) < 400  # the cell is not echoed whole
    assert code == 1


@pytest.mark.parametrize("cell", LONG_CELLS)
def test_a_number_past_the_digit_limit_does_not_stop_import(cell: str, tmp_path: Path) -> None:
    old, new, _, _ = LONG_CELLS[cell]
    done = run("import", variant(tmp_path, old, new), "--policy", CENTRAL, "--output", tmp_path / "out")
    assert done.exit_code in (0, 1), done.output
    assert "内部错误" not in done.output and LONG not in done.output
    if cell == "weight":
        assert "24:6" in done.output and "W171" in done.output and "数字超过 40 位" in done.output


def test_forty_digits_are_still_a_number(tmp_path: Path) -> None:
    table = variant(
        tmp_path,
        SCORE_ROW,
        ",质量指标,资金发放准确率,100%,100%,10.00,10.000000000000000000000000000000000000,",
    )
    _, found = audited(CENTRAL, table)
    assert [d["code"] for d in found["discrepancies"]] == ["F150"]  # the seed's truncated rate only


# -- 6. a blank weight ----------------------------------------------------------------------------
def test_a_blank_weight_says_so_at_the_rows_full_path(tmp_path: Path) -> None:
    table = variant(tmp_path, SCORE_ROW, ",质量指标,资金发放准确率,100%,100%,,10.00,")
    code, found = audited(CENTRAL, table)
    (blank,) = [d for d in found["discrepancies"] if d["code"] == "F159"]
    assert blank["where"] == "产出指标/质量指标/资金发放准确率" and blank["printed"] == ""
    assert blank["message"].endswith("无法读取：分值是空的")
    assert (blank["span"]["line"], blank["span"]["column"]) == (24, 6) and code == 1
    _, english = audited(CENTRAL, table, "--lang", "en")
    assert english["discrepancies"][-1]["message"].endswith("cannot be read: the weight is blank")


def test_a_weight_that_is_not_a_number_says_why(tmp_path: Path) -> None:
    table = variant(tmp_path, SCORE_ROW, ",质量指标,资金发放准确率,100%,100%,十分,10.00,")
    _, found = audited(CENTRAL, table)
    (bad,) = [d for d in found["discrepancies"] if d["code"] == "F159"]
    assert bad["message"] == "「产出指标/质量指标/资金发放准确率」的分值「十分」无法读取：不是数"
    done = run("import", table, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert "「资金发放准确率」没有可用的分值（「十分」：不是数）" in done.output


# -- 2. a line break in a name ----------------------------------------------------------------------
BROKEN = ',,"预算资金\n到位情况",100%,100%,1.00,1.00,'


def test_a_line_break_in_a_name_imports_and_scores_the_tables_total(tmp_path: Path) -> None:
    table = variant(tmp_path, ",,预算资金到位情况,100%,100%,1.00,1.00,", BROKEN)
    out = tmp_path / "out"
    done = run("import", table, "--policy", CENTRAL, "--output", out)
    assert done.exit_code == 0, done.output
    (ruleset,) = out.glob("*.jx")
    assert "    预算资金到位情况  目标 100%  分值 1\n" in ruleset.read_text(encoding="utf-8")
    (actuals,) = out.glob("*.actuals.csv")
    scored = run("score", ruleset, actuals, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert (json.loads(scored.stdout)["total"], json.loads(scored.stdout)["grade"]) == ("99.31", "优")
    code, audit = audited(CENTRAL, table)
    assert [d["code"] for d in audit["discrepancies"]] == ["F150"] and code == 0  # the seed's rate only


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("预算资金\n到位情况", "预算资金到位情况"),
        ("Budget\r\nexecution", "Budget execution"),
        ("资金\u2028到位 \n 情况", "资金到位情况"),
        ('a"b”c」d', "a＂b”c」d"),
        ("  合理  ", "合理"),
    ],
)
def test_cell_text_is_one_line_matched_as_the_cell(text: str, written: str) -> None:
    assert cell_text(text) == written and name_key(written) == name_key(text)


_TRICKY = ("\n", "\r", "\r\n", "\u2028", '"', "”", "“", "「", "」", " ", "#", "\\", "{", "}", "/", "：")
_PRINTABLE = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"))
_CELLS = st.lists(st.one_of(st.sampled_from(_TRICKY), _PRINTABLE), min_size=1, max_size=30).map("".join)


def _cell_name(text: str) -> bool:
    """Names the table reader gives a meaning of their own are not names to write (其中, 小计, formulas)."""
    key = name_key(text)
    special = ("其中", "小计", "合计", "总分", "总计", "说明")
    return bool(key) and not key.startswith(special) and key[0] not in "=+-@'\"\\"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CELLS.filter(_cell_name))
def test_any_printable_name_round_trips_through_the_generated_ruleset(text: str) -> None:
    made = draft(SEED_TABLE, CENTRAL_POLICY)
    row = next(r for r in made.rows if r.name == "预算资金到位情况")
    row.name = text
    imported = settle(made, Names("<项目>.jx", "<项目>.actuals.csv"))
    assert imported.remaining == [] and imported.result is not None, imported.remaining
    assert imported.result.total.text() == "99.31"
    (indicator,) = [
        i
        for i in imported.result.indicators
        if i.level2 == "投入管理" and i.weight.value == 1 and name_key(i.name) == name_key(text)
    ]
    assert indicator.score is not None and indicator.score.text() == "1.00"


# -- 3. the totals row right under the budget block -------------------------------------------------
def test_a_totals_row_right_under_the_budget_rows_is_the_totals_not_a_fund_source(tmp_path: Path) -> None:
    table = TABLES / "totals-under-budget.csv"  # 总分值,100,总得分,87.47,等级,良 with no blank row above
    read = load_actuals(table)
    assert {f.row for f in read.budget} == {"年度资金总额", "本年财政拨款"}
    assert {k: read.printed[k].text for k in ("总分值", "总得分", "等级")} == {
        "总分值": "100",
        "总得分": "87.47",
        "等级": "良",
    }
    done = run("import", table, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert done.exit_code == 0, done.output
    (actuals,) = (tmp_path / "out").glob("*.actuals.csv")
    assert "87.47" not in actuals.read_text(encoding="utf-8-sig")
    code, audit = audited(CENTRAL, table)
    assert audit["diagnostics"] == [] and audit["printed_total"] == "87.47"
    assert [d["code"] for d in audit["discrepancies"]] == ["F168", "F163"] and code == 1


# -- 4. a 小计 row ---------------------------------------------------------------------------------
SUBTOTAL = (
    TABLES / "subtotal-row.csv"
)  # ,,小计,,,40.00,40.00, under 产出指标 (its 二级 carried down: 时效指标)


def test_a_subtotal_row_is_imported_as_a_subtotal_never_counted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("import", SUBTOTAL, "--policy", CENTRAL, "--output", out)
    assert done.exit_code == 0, done.output
    (ruleset,) = out.glob("*.jx")
    text = ruleset.read_text(encoding="utf-8")
    block = text[text.index("  产出指标 {\n    小计") :].split("\n")[:3]
    assert block[1].split() == ["小计", '"小计"', "分值", "40"] and block[2] == "  }"
    assert "方法 认定" not in text
    (actuals,) = out.glob("*.actuals.csv")
    assert "小计" not in actuals.read_text(encoding="utf-8-sig")
    assert run("fmt", "--check", ruleset).exit_code == 0
    scored = run("score", ruleset, SUBTOTAL, "--format", "json")  # the table itself: its 小计 row binds
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["total"] == "99.31"


@pytest.mark.parametrize("against", ["policy", "project"])
def test_a_subtotal_row_is_audited_as_the_sum_of_its_rows(against: str, tmp_path: Path) -> None:
    ruleset: str | Path = CENTRAL
    if against == "project":
        run("import", SUBTOTAL, "--policy", CENTRAL, "--output", tmp_path / "out", "--policy-rounding")
        (ruleset,) = (tmp_path / "out").glob("*.jx")
    code, audit = audited(ruleset, SUBTOTAL)
    assert code == 0
    assert [d["code"] for d in audit["discrepancies"] if d["code"] != "F150"] == []
    wrong = tmp_path / "小计错.csv"
    text = SUBTOTAL.read_text(encoding="utf-8")
    wrong.write_text(text.replace(",,小计,,,40.00,40.00,", ",,小计,,,40.00,39.00,"), encoding="utf-8")
    _, audit = audited(ruleset, wrong)
    (found,) = [d for d in audit["discrepancies"] if d["code"] != "F150"]
    assert (found["code"], found["where"], found["printed"], found["recomputed"]) == (
        "F154",
        "产出指标/小计",
        "39.00",
        "40.00",
    )
    assert "小计应为所合计各项得分之和" in found["message"]


# -- 4b. a 合计 row inside the block: a subtotal, not the table's end -----------------------------------
SUBTOTAL_ROW = ",,小计,,,40.00,40.00,"
BELOW = ["保障群众基本生活", "提高群众生活水平", "维护社会稳定和保障民生", "享受补贴群众满意度"]


def _summed(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "合计.csv"
    text = SUBTOTAL.read_text(encoding="utf-8")
    assert text.count(SUBTOTAL_ROW) == 1
    path.write_text(text.replace(SUBTOTAL_ROW, row), encoding="utf-8")
    return path


@pytest.mark.parametrize("label", ["合计", "合  计", "合计：", "产出指标合计", "分值合计", "总计"])
def test_a_sum_row_inside_the_block_is_a_subtotal_not_the_end(label: str, tmp_path: Path) -> None:
    """`,,合计,,,40.00,40.00,` under 产出指标 ended the table: the four rows below it were dropped without a
    word (audit: weights 60, total 59.32, 差); 产出指标合计 and 分值合计 were a 40-point indicator (139.32)."""
    path = _summed(tmp_path, f",,{label},,,40.00,40.00,")
    read = load_actuals(path)
    assert read.diagnostics == []
    names = [e.row.name for e in read.entries]
    assert names[-5:] == [label, *BELOW]
    code, audit = audited(CENTRAL, path)
    assert code == 0 and (audit["printed_total"], audit["total"], audit["grade"]) == ("99.31", "99.32", "优")
    assert [d["code"] for d in audit["discrepancies"]] == ["F150"]  # 预算执行率's rounding, as for 小计
    out = tmp_path / "out"
    done = run("import", path, "--policy", CENTRAL, "--output", out)
    assert done.exit_code == 0, done.output
    (ruleset,) = out.glob("*.jx")
    text = ruleset.read_text(encoding="utf-8")
    assert re.search(rf'^ *小计 "?{re.escape(label)}"? +分值 40$', text, re.MULTILINE), text
    assert all(name in text for name in BELOW)


@pytest.mark.parametrize("level1", ["", "产出指标"])
def test_a_sum_row_in_the_level2_column_is_a_subtotal_named_so(level1: str, tmp_path: Path) -> None:
    """`,合计,,,,40.00,40.00,`: the 三级 blank, its label in the 二级 column (not E529, a row with no name);
    the same with its 一级 written again (`产出指标,合计,…`, or merged down in a sheet: xt19s, was E529)."""
    read = load_actuals(_summed(tmp_path, f"{level1},合计,,,,40.00,40.00,"))
    (entry,) = [e for e in read.entries if e.row.name == "合计"]
    assert (entry.row.level1, entry.row.level2, entry.line) == ("产出指标", "时效指标", 27)
    assert [e.row.name for e in read.entries][-4:] == BELOW
    code, audit = audited(CENTRAL, _summed(tmp_path, f"{level1},合计,,,,40.00,40.00,"))
    assert code == 0 and audit["total"] == "99.32"


def test_a_sum_row_in_the_level1_column_with_rows_below_is_an_error(tmp_path: Path) -> None:
    """合计 in the 一级 column ends the table (as the table's own 合计 row does): the rows below it are
    not read, which E538 says at that row (they were dropped silently)."""
    path = _summed(tmp_path, "合计,,,,,40.00,40.00,")
    read = collect_actuals(path)
    (diag,) = read.diagnostics
    assert (diag.code, diag.span.line if diag.span else 0, diag.span.column if diag.span else 0) == (
        "E538",
        27,
        1,
    )
    assert "第27行「合计」结束了指标表，但它下面第28行起还有指标行" in diag.message("zh")
    assert "row 27 (“合计”) ends the indicator table" in diag.message("en")
    done = run("audit", CENTRAL, path)
    assert done.exit_code == 1 and "error[E538]" in done.output


def test_the_tables_own_totals_row_still_ends_it(tmp_path: Path) -> None:
    """A 合计 row with no indicator row below it is the table's totals, wherever its label is; a
    signature row below it (no 分值) is no indicator row."""
    path = _summed(tmp_path, SUBTOTAL_ROW)
    text = path.read_text(encoding="utf-8")
    last = "满意度指标,服务对象满意度,享受补贴群众满意度,100%,100%,10.00,10.00,\n"
    signed = "单位负责人,张三,财务负责人,李四,填表人,王五,,\n"
    for row in (",,合计,,,100.00,99.31,\n", "合计,,,,,100.00,99.31,\n", "合计,,,,,100.00,99.31,\n" + signed):
        path.write_text(text.replace(last, last + row), encoding="utf-8")
        read = load_actuals(path)
        assert read.diagnostics == [] and read.entries[-1].row.name == "享受补贴群众满意度"


# -- the budget's explanation (需说明 当 执行率 < 90%) in the official layout --------------------------
LOW = (
    ",年度资金总额：,970.00,970.00,909.50,93.76%,10.00,9.38",
    ",年度资金总额：,970.00,970.00,800.00,,10.00,",
)
RATE_NOTE = "投入和管理目标,投入管理,预算执行率,100%,93.76%,1.00,0.93,享受补贴人数不固定"


def test_the_rate_rows_note_explains_a_low_execution(tmp_path: Path) -> None:
    """The budget block has no note column: the 预算执行率 row's 偏差原因 is the budget's (was F163)."""
    explained = variant(tmp_path, *LOW)
    assert load_actuals(explained).budget_note == "享受补贴人数不固定"
    assert "F163" not in [d["code"] for d in audited(CENTRAL, explained)[1]["discrepancies"]]
    silent = tmp_path / "silent.csv"
    silent.write_text(
        explained.read_text(encoding="utf-8").replace("0.93,享受补贴人数不固定", "0.93,"), "utf-8"
    )
    assert load_actuals(silent).budget_note == ""
    assert "F163" in [d["code"] for d in audited(CENTRAL, silent)[1]["discrepancies"]]


def test_a_note_column_beside_the_budget_figures_is_the_budgets_note(tmp_path: Path) -> None:
    """A 偏差原因分析 header beside the budget figures (was ignored): its text explains the budget, and
    import writes it on the first budget row, so the imported files score as the table does."""
    header = "项目资金（万元）,,年初预算数,全年预算数,全年执行数,执行率,资金执行分值,资金执行得分"
    table = variant(tmp_path, *LOW).read_text(encoding="utf-8")
    table = table.replace(header, header + ",偏差原因分析").replace(LOW[1], LOW[1] + ",资金结转下年")
    table = table.replace(RATE_NOTE, RATE_NOTE.replace(",享受补贴人数不固定", ","))
    path = tmp_path / "note.csv"
    path.write_text(table, encoding="utf-8")
    assert load_actuals(path).budget_note == "资金结转下年"
    assert "F163" not in [d["code"] for d in audited(CENTRAL, path)[1]["discrepancies"]]
    done = run("import", path, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert done.exit_code == 0, done.output
    (actuals,) = (tmp_path / "out").glob("*.actuals.csv")
    assert load_actuals(actuals).budget_note == "资金结转下年"


@pytest.mark.parametrize("dash", ["—", "/", "无", "－", "--"])
def test_a_dash_beside_the_budget_figures_explains_nothing(tmp_path: Path, dash: str) -> None:
    """偏差原因分析 written — (/, 无) at a low execution rate is no explanation: F163 in the audit, F106 in the
    score, as a blank cell and as a CSV budget row's — (the official layout took the dash for a note)."""
    header = "项目资金（万元）,,年初预算数,全年预算数,全年执行数,执行率,资金执行分值,资金执行得分"
    table = variant(tmp_path, *LOW).read_text(encoding="utf-8")
    table = table.replace(header, header + ",偏差原因分析").replace(LOW[1], LOW[1] + f",{dash}")
    table = table.replace(RATE_NOTE, RATE_NOTE.replace(",享受补贴人数不固定", f",{dash}"))
    path = tmp_path / "dash.csv"
    path.write_text(table, encoding="utf-8")
    assert load_actuals(path).budget_note == ""
    assert "F163" in [d["code"] for d in audited(CENTRAL, path)[1]["discrepancies"]]
