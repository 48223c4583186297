"""Reading tables as staff fill them: every error in one run, nothing read silently wrong, budget rows as printed."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SEED_RULESET
from seedfiles import SEED_TEXT

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import render_all
from jixiao.io.actuals import collect_actuals
from jixiao.io.actuals.labels import column_unit, label_key
from jixiao.language.literals import parse_actual


def _score(text: str) -> jixiao.Result:
    return jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(text=text, name="实际值.csv"))


def _errors(text: str) -> list[tuple[str, int, int]]:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(collect_actuals(text=text, name="实际值.csv"))
    return [(d.code, d.span.line, d.span.column) for d in info.value.diagnostics if d.span]


def _edit(*pairs: tuple[str, str]) -> str:
    text = SEED_TEXT
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


# -- every error of a file in one run -------------------------------------------------------------------
def test_an_empty_cell_a_name_typo_and_a_unit_error_are_reported_together(tmp_path: Path) -> None:
    text = _edit(
        ("资金发放准确率,100%,", "资金发放准确率,,"),
        ("保障群众基本生活", "保障群众基本生还"),
        ("约发放人数1.11万人", "1.1万元"),
    )
    path = tmp_path / "实际值.csv"
    path.write_bytes(text.encode("gb18030"))  # as Excel saves it: the excerpts must still be right
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path)])
    assert run.exit_code == 1
    codes = [line.split("error[")[1][:4] for line in run.output.splitlines() if "error[" in line]
    assert codes == ["E506", "E504", "E503"]  # by row; no E508 for the misspelt row's indicator
    assert f"{path}:22:4: 第22行「实际完成值」列: error[E504]" in run.output
    assert " 24 | 效益指标,社会效益,保障群众基本生还,100%," in run.output
    assert "�" not in run.output


def test_load_actuals_alone_still_raises_on_a_bad_cell() -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=_edit(("资金发放准确率,100%,", "资金发放准确率,#DIV/0!,")))
    assert [d.code for d in info.value.diagnostics] == ["E509"]


def test_a_blank_cell_is_an_error_only_where_the_ruleset_needs_the_value() -> None:
    """Only the ruleset knows a derived row (实际 = 执行率: computed, never read): a blank is E504 when
    scored, not when read."""
    blank_rate = jixiao.load_actuals(text=_edit(("预算执行率,93.76%,", "预算执行率,,")))
    result = jixiao.load_ruleset(SEED_RULESET).score(blank_rate)
    (rate,) = [i for i in result.indicators if i.name == "预算执行率"]
    assert (rate.actual, result.total.text()) == ("93.76%", "99.31")
    blank = jixiao.load_actuals(text=_edit(("资金发放准确率,100%,", "资金发放准确率,,")))
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_RULESET).score(blank)
    assert [d.code for d in info.value.diagnostics] == ["E504"]


def test_a_budget_cell_error_is_not_followed_by_a_missing_figure_error() -> None:
    text = _edit(("年度资金总额,全年执行数,909.50", "年度资金总额,全年执行数,九百"))
    assert _errors(text) == [("E505", 4, 4)]


def test_the_row_is_shown_under_the_error_with_a_caret_under_the_cell() -> None:
    text = _edit(("约发放人数1.11万人", "1.1万元"))
    with pytest.raises(jixiao.JixiaoError) as info:
        _score(text)
    shown = render_all(info.value.diagnostics)
    assert " 21 | 产出指标,数量指标,享受补贴人数,1.1万元," in shown
    assert "    |                                ^^^^^^^" in shown


# -- full-width commas ------------------------------------------------------------------------------------
def test_a_row_typed_with_full_width_commas_is_said_and_its_values_still_read() -> None:
    text = _edit(("产出指标,质量指标,资金发放准确率,100%,", "产出指标，质量指标，资金发放准确率，100%，"))
    assert _errors(text) == [("E519", 22, 1)]
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text)
    assert "全角逗号" in info.value.diagnostics[0].message()


def test_a_header_typed_with_full_width_commas_is_said() -> None:
    text = "一级指标，二级指标，三级指标，实际完成值\n产出指标，数量指标，享受补贴人数，1.11万人\n"
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text)
    assert [d.code for d in info.value.diagnostics] == ["E519"]


# -- no silent misreads: two values for one figure ---------------------------------------------------------
def test_two_actual_value_columns_are_an_error_naming_both() -> None:
    lines = SEED_TEXT.splitlines()
    text = "\n".join([lines[0] + ",实际值"] + [line + ",1" for line in lines[1:]]) + "\n"
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text)
    (diag,) = info.value.diagnostics
    assert diag.code == "E517" and diag.span is not None and diag.span.column == 6
    assert diag.message() == "「实际完成值」和「实际值」两列都是「实际完成值」列"


def test_two_note_columns_are_an_error() -> None:
    text = "三级指标,实际完成值,偏差原因分析及改进措施,说明\n享受补贴人数,1.11万人,,\n"
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text)
    assert [d.code for d in info.value.diagnostics] == ["E517"]


@pytest.mark.parametrize("figure", ["全年预算数", "调整后预算数", "预算数"])
def test_a_second_annual_budget_is_an_error_naming_both_rows(figure: str) -> None:
    text = _edit(
        (
            "预算执行,年度资金总额,全年执行数,909.50,\n",
            f"预算执行,年度资金总额,全年执行数,909.50,\n预算执行,年度资金总额,{figure},1030.00,\n",
        )
    )
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text)
    (diag,) = info.value.diagnostics
    assert diag.code == "E516" and diag.span is not None and diag.span.line == 5
    assert "第3行「实际完成值」列和第5行「实际完成值」列" in diag.message()


# -- the budget block as tables print it -------------------------------------------------------------------
def test_budget_labels_as_printed_read_as_known_sources() -> None:
    text = _edit(
        ("预算执行,本年财政拨款,", "预算执行情况,其中：当年财政拨款,"),
        ("预算执行,其他资金,", "预算执行,其中:上年结余,"),
        ("预算执行,年度资金总额,全年预算数", "预算执行,年度资金总额：,预算数(A)"),
        ("预算执行,年度资金总额,全年执行数", "预算执行,年度资金总额,执行数(B)"),
    )
    result = _score(text)
    assert result.total.text() == "99.31" and result.budget is not None
    assert [r.name for r in result.budget.rows] == ["年度资金总额", "本年财政拨款", "上年结转资金"]
    assert not [f for f in result.findings if f.code == "F110"]


def test_an_unknown_fund_source_is_an_extra_row_with_a_finding_and_never_scored() -> None:
    text = SEED_TEXT + "预算执行,社会捐赠资金,全年预算数,50.00,\n预算执行,社会捐赠资金,全年执行数,1.00,\n"
    result = _score(text)
    assert result.total.text() == "99.31" and result.budget is not None
    assert result.budget.rows[-1].name == "社会捐赠资金" and result.budget.rows[-1].executed == 1
    (finding,) = [f for f in result.findings if f.code == "F110"]
    assert finding.message() == "预算行「社会捐赠资金」不是已知的资金来源，作为其他来源列出，不参与评分"


@pytest.mark.parametrize("blank", ["", "—", "-", "/", "／"])
def test_blank_and_dashes_in_budget_amounts_mean_no_amount(blank: str) -> None:
    text = _edit(
        ("年度资金总额,年初预算数,970.00", f"年度资金总额,年初预算数,{blank}"),
        ("其他资金,年初预算数,0.00", f"其他资金,年初预算数,{blank}"),
    )
    result = _score(text)
    assert result.total.text() == "99.31" and result.budget is not None
    assert result.budget.rows[0].initial is None


def test_to_arrive_is_a_figure_of_its_own() -> None:
    text = SEED_TEXT + "预算执行,年度资金总额,到位数,960.00,\n"
    actuals = jixiao.load_actuals(text=text)
    assert ("年度资金总额", "到位数") in {(f.row, f.figure) for f in actuals.budget}
    assert _score(text).total.text() == "99.31"


def test_an_adjusted_budget_score_is_read_and_adjusts_the_budget_score() -> None:
    lines = SEED_TEXT.splitlines()
    rows = [lines[0] + ",调整得分,调整理由"] + [line + ",," for line in lines[1:]]
    rows[3] = rows[3][:-2] + ",10,执行率按到位资金计"
    result = _score("\n".join(rows) + "\n")
    assert result.budget is not None and result.budget.score is not None
    assert result.budget.score.text() == "10.00"  # was 9.38: the adjustment counts, with F104
    assert "F104" in [f.code for f in result.findings]


def test_printed_budget_figures_are_kept_not_scored() -> None:
    text = SEED_TEXT + "预算执行,年度资金总额,执行率,93.76%,\n预算执行,年度资金总额,资金执行得分,9.50,\n"
    actuals = jixiao.load_actuals(text=text)
    assert {k: v.text for k, v in actuals.printed.items()} == {"执行率": "93.76%", "预算得分": "9.50"}
    assert _score(text).budget.score.text() == "9.38"  # type: ignore[union-attr]


# -- the official layout as text, and the engine's own table read back ---------------------------------
ENGINE_TABLE = """项目绩效自评（2020年度）
项目名称：城乡居民基本养老保险费财政补助资金
主管部门：[332]郑州市上街区人力资源和社会保障局
评分办法：项目支出绩效自评（通用）

项目资金（万元）,年初预算数,全年预算数,全年执行数,执行率,分值,得分
年度资金总额,970.00,970.00,909.50,93.76%,10.00,9.38
其中：本年财政拨款,970.00,970.00,909.50
其中：其他资金,0.00,0.00,0.00

绩效指标
一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,偏差原因分析及改进措施
投入和管理目标,投入管理,预算执行率,100%,93.76%,1.00,0.93,享受补贴人数不固定
,,预算编制合理性,合理,合理,1.00,1.00,
,,预算资金到位情况,100%,100%,1.00,1.00,
,财务管理,财务管理制度健全性,健全,健全,1.00,1.00,
,,资金使用规范性,合规,合规,1.00,1.00,
,,财务监控有效性,有效,有效,1.00,1.00,
,项目管理,合同管理完备性,完备,完备,1.00,1.00,
,,项目质量可控性,可控,可控,1.00,1.00,
,,政府采购规范性,规范,规范,1.00,1.00,
,,项目管理制度健全性,健全,健全,1.00,1.00,
产出指标,数量指标,享受补贴人数,≥1.1万人,约发放人数1.11万人,20.00,20.00,
,质量指标,资金发放准确率,100%,100%,10.00,10.00,
,时效指标,资金发放及时率,100%,100%,10.00,10.00,
效益指标,社会效益,保障群众基本生活,有效保障,100%,10.00,10.00,
,经济效益,提高群众生活水平,有效提高,100%,10.00,10.00,
,可持续影响,维护社会稳定和保障民生,显著,显著,10.00,10.00,
满意度指标,服务对象满意度,享受补贴群众满意度,100%,100%,10.00,10.00,

总分值,100.00,总得分,99.31,等级,优

复核提示：
F107,产出指标/数量指标/享受补贴人数,实际值为约数「约发放人数1.11万人」，按 1.11万人 计
"""


@pytest.mark.parametrize("blank", ["\n", ""])
def test_a_row_of_totals_pairs_under_the_table_is_read_by_its_labels(blank: str) -> None:
    """总分值,100.00,总得分,99.31,等级,优 right under the indicator rows: 总分值 is 100.00, not the 优 in its
    weight column. The table's own totals row (总分值 in its first cell, the totals in its columns) still
    gives both, with or without a blank row before it."""
    last = "享受补贴群众满意度,100%,100%,10.00,10.00,\n"
    text = ENGINE_TABLE.replace(f"{last}\n总分值", f"{last}{blank}总分值")
    printed = jixiao.load_actuals(text=text, name="评分表.csv").printed
    assert {k: printed[k].text for k in ("总分值", "总得分", "等级")} == {
        "总分值": "100.00",
        "总得分": "99.31",
        "等级": "优",
    }
    columns = ENGINE_TABLE.replace(
        f"{last}\n总分值,100.00,总得分,99.31,等级,优", f"{last}{blank}总分值,,,,,100.00,99.31,"
    )
    printed = jixiao.load_actuals(text=columns, name="评分表.csv").printed
    assert (printed["总分值"].text, printed["总得分"].text) == ("100.00", "99.31")
    assert printed["总得分"].span.column == 7


def test_the_engines_own_table_reads_back_and_scores_the_same() -> None:
    actuals = jixiao.load_actuals(text=ENGINE_TABLE, name="评分表.csv")
    assert actuals.layout == "jixiao" and actuals.project == "城乡居民基本养老保险费财政补助资金"
    assert {k: v.text for k, v in actuals.printed.items()} == {
        "执行率": "93.76%", "预算分值": "10.00", "预算得分": "9.38", "总分值": "100.00", "总得分": "99.31", "等级": "优",
    }  # fmt: skip
    assert actuals.entries[1].row.level1 == "投入和管理目标"  # a blank level cell continues the one above
    assert actuals.entries[3].row.level2 == "财务管理"
    assert actuals.notes[0].startswith("复核提示")
    result = jixiao.load_ruleset(SEED_RULESET).score(actuals)
    assert (result.total.text(), result.grade) == ("99.31", "优")


def test_printed_target_weight_and_score_are_kept_per_row() -> None:
    actuals = jixiao.load_actuals(text=ENGINE_TABLE)
    row = actuals.entries[0].row
    assert (row.target, row.weight, row.score) == ("100%", "1.00", "0.93")
    assert actuals.entries[0].span("score").column == 7


CENTRAL_TABLE = """项目支出绩效自评表
（2020年度）
项目名称,城乡居民基本养老保险费财政补助资金,,,,,,
主管部门,[332]郑州市上街区人力资源和社会保障局,,,实施单位,郑州市上街区人力资源和社会保障局机关,,
项目资金（万元）,,年初预算数,全年预算数,全年执行数,分值,执行率,得分
,年度资金总额,970.00,970.00,909.50,10,93.76%,9.38
,其中：当年财政拨款,970.00,970.00,909.50,—,—,—
,上年结转资金,—,—,—,—,—,—
,其他资金,0.00,0.00,0.00,—,—,—
年度总体目标,预期目标,,,实际完成情况,,,
年度总体目标,按时支付,,,已按时支付,,,
绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施
绩效指标,投入和管理目标,投入管理,预算执行率,100%,93.76%,1,0.93,享受补贴人数不固定
{rows}
总分,,,,,,100,99.31,
自评等级,优
说明：本表按财预〔2020〕10号填报。
"""


def test_the_central_template_with_its_goals_and_total_row() -> None:
    rows = [line.split(",") for line in SEED_TEXT.splitlines()[11:]]
    body = "\n".join(",".join(["", *cells[:3], "", cells[3], "", "", cells[4]]) for cells in rows)
    actuals = jixiao.load_actuals(text=CENTRAL_TABLE.format(rows=body), name="自评表.csv")
    assert actuals.layout == "central"
    assert (actuals.info["预期目标"], actuals.info["目标实际完成情况"], actuals.info["年度"]) == (
        "按时支付",
        "已按时支付",
        "2020",
    )
    assert {k: v.text for k, v in actuals.printed.items()} == {
        "预算分值": "10", "执行率": "93.76%", "预算得分": "9.38", "总分值": "100", "总得分": "99.31", "等级": "优",
    }  # fmt: skip
    assert actuals.notes == ["说明：本表按财预〔2020〕10号填报。"]
    assert not actuals.findings  # 绩效指标 is the block's title, not an unknown column
    assert jixiao.load_ruleset(SEED_RULESET).score(actuals).total.text() == "99.31"


def test_a_serial_number_column_and_a_unit_column_are_understood() -> None:
    text = "序号,三级指标,实际完成值,度量单位,指标性质,指标值\n1,享受补贴人数,1.11,万人,≥,1.1\n"
    (entry,) = jixiao.load_actuals(text=text).entries
    assert (entry.row.actual, entry.row.target) == ("1.11万人", "≥1.1万人")


def test_a_kind_in_the_comparator_column_is_not_part_of_the_target() -> None:
    """指标性质 holds a sign (≥, ＝, 不少于) or a kind (定性, 定量): only a sign goes before the target."""
    text = "三级指标,指标性质,指标值,实际完成值\n按时完成,定性,按时完成,按时完成\n数量,＝,100%,100%\n人数,不少于,5,6\n"
    targets = [entry.row.target for entry in jixiao.load_actuals(text=text).entries]
    assert targets == ["按时完成", "＝100%", "不少于5"]


def test_a_total_row_in_a_simple_table_is_kept_as_printed_not_read_as_an_indicator() -> None:
    lines = SEED_TEXT.splitlines()
    text = (
        "\n".join([lines[0] + ",分值,得分"] + [line + ",," for line in lines[1:]] + ["合计,,,,,100,99.31"])
        + "\n"
    )
    actuals = jixiao.load_actuals(text=text)
    assert {k: v.text for k, v in actuals.printed.items()} == {"总分值": "100", "总得分": "99.31"}
    assert _score(text).total.text() == "99.31"


# -- the official layout's rows: spacers, unfilled template rows -------------------------------------------
OFFICIAL = (Path(__file__).parent / "tables" / "seed-official.csv").read_text(encoding="utf-8")


def _official(*pairs: tuple[str, str]) -> str:
    text = OFFICIAL
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    "spacer",
    [
        ("\n效益指标,", "\n,,,,,,,\n\n效益指标,"),  # blank rows before 效益指标
        ("偏差原因分析及改进措施\n", "偏差原因分析及改进措施\n,,,,,,,\n"),  # a blank row under the header
    ],
)
def test_a_blank_spacer_row_inside_the_indicator_table_does_not_end_it(spacer: tuple[str, str]) -> None:
    table = jixiao.load_actuals(text=_official(spacer), name="自评表.csv")
    assert len(table.entries) == 17 and table.notes == [
        "说明 预算执行率低于70%或项目实施存在较大问题时，请说明原因和改进措施"
    ]
    assert (
        _score(_official(spacer)).total
        == jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(text=OFFICIAL)).total
    )


@pytest.mark.parametrize(
    "below", ["填表人：张三,,联系电话：123,,,,,", "说明,请说明原因,,,,,,", "审核意见,,同意,同意,同意,,,"]
)
def test_after_a_blank_row_a_note_or_a_signature_ends_the_table(below: str) -> None:
    text = _official(("\n说明,", f"\n\n{below}\n说明,"))
    table = jixiao.load_actuals(text=text, name="自评表.csv")
    assert len(table.entries) == 17 and len(table.notes) == 2


@pytest.mark.parametrize("blank", ["", ",,,,,,,\n", ",,,,,,,\n\n", ",,,,,,,\n,,,,,,,\n"])
def test_blank_rows_before_the_totals_row_do_not_lose_its_printed_totals(blank: str) -> None:
    text = _official(
        ("总分值,100.00,总得分,99.31,,,,\n", ""), ("\n说明,", f"\n{blank}合计,,,,,100.00,89.31,\n说明,")
    )
    table = jixiao.load_actuals(text=text, name="自评表.csv")
    assert {k: v.text for k, v in table.printed.items() if k in ("总分值", "总得分")} == {
        "总分值": "100.00",
        "总得分": "89.31",
    }
    line = text.splitlines().index("合计,,,,,100.00,89.31,") + 1
    assert (table.printed["总得分"].span.line, table.printed["总得分"].span.column) == (line, 7)
    assert len(table.entries) == 17 and table.notes == [
        "说明 预算执行率低于70%或项目实施存在较大问题时，请说明原因和改进措施"
    ]


def test_a_table_below_the_totals_row_is_not_read_as_indicator_rows() -> None:
    other = "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,偏差原因分析及改进措施\n产出指标,数量指标,新指标,≥1,5,20.00,20.00,\n"
    text = _official(("\n说明,", f"\n,,,,,,,\n合计,,,,,100.00,99.31,\n\n{other}说明,"))
    table = jixiao.load_actuals(text=text, name="自评表.csv")
    assert len(table.entries) == 17 and "新指标" not in {e.row.name for e in table.entries}
    assert table.printed["总得分"].text == "99.31"


def test_an_unfilled_template_row_is_skipped_and_a_row_without_a_name_is_said() -> None:
    unfilled = _official(("\n效益指标,", "\n,成本指标,,,,,,\n效益指标,"))
    assert len(jixiao.load_actuals(text=unfilled, name="自评表.csv").entries) == 17
    assert _score(unfilled).total == _score(OFFICIAL).total
    weighed = _official(("\n效益指标,", "\n,成本指标,,≤10万元,,5.00,,\n效益指标,"))
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=weighed, name="自评表.csv")
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.span and (diag.span.line, diag.span.column)) == ("E529", (26, 3))
    assert diag.message() == "第26行没有三级指标，却填了「指标值」、「分值」"
    assert diag.message("en") == "row 26 has no 三级指标 but fills “指标值”, “分值”"
    simple = SEED_TEXT + "产出指标,成本指标,,,\n"  # the simple layout too
    assert len(jixiao.load_actuals(text=simple).entries) == len(jixiao.load_actuals(text=SEED_TEXT).entries)


# -- the unit of a bare number: a 计量单位 cell, else the column header's brackets ----------------------
@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("实际完成值（万元）", "万元"),
        ("实际完成值(万元)", "万元"),
        ("实际完成值【万元】", "万元"),
        ("实际完成值[万人次]", "万人次"),
        ("实际完成值（单位：万元）", "万元"),
        ("实际完成值 ( 单位: 元/人·月 )", "元/人·月"),
        ("实际完成值（%）", "%"),
        ("实际完成值", None),
        ("预算数(A)", None),
        ("执行率（B/A）", None),
        ("实际完成值（说明）", None),
        ("实际完成值（万%）", None),
        # ￥ is 元; a foreign currency's sign is kept (its numbers read 520$, an error), never left out
        ("实际完成值（￥）", "元"),
        ("实际完成值(¥)", "元"),
        ("实际完成值（美元）", "美元"),
        ("实际完成值（$）", "$"),
        ("实际完成值（单位：US$）", "US$"),
        ("实际完成值【€】", "€"),
    ],
)
def test_a_known_unit_in_a_headers_brackets_is_the_columns_unit(header: str, unit: str | None) -> None:
    assert column_unit(header) == unit
    assert label_key(header) in {"实际完成值", "预算数", "执行率"}  # the column is still recognised


def _bare(header: str, cells: str = ",520", unit_column: str = ",计量单位") -> str:
    return f"一级指标,二级指标,三级指标{unit_column},{header}\n产出指标,数量指标,完成投资{cells}\n"


_INVEST = """项目 "投资" 年度 2020 {
  采用 "standard/central"
  预算执行 不评分
  产出指标 / 数量指标 {
    完成投资 目标 ≥500万元 分值 100
  }
}
"""


def _invest(text: str) -> jixiao.Result:
    ruleset = jixiao.load_ruleset(text=_INVEST, name="投资.jx")
    return ruleset.score(collect_actuals(text=text, name="实际值.csv"))


@pytest.mark.parametrize(("header", "shown"), [("实际完成值（$）", "$"), ("实际完成值（US$）", "US$")])
def test_a_bare_number_under_a_foreign_currency_header_is_an_error(header: str, shown: str) -> None:
    """520 under （$） is no 520万元 (the target's unit): E505 at the number, naming the currency."""
    with pytest.raises(jixiao.JixiaoError) as info:
        _invest(_bare(header, ",520", ""))
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.span and (diag.span.line, diag.span.column)) == ("E505", (2, 4))
    assert f"「{shown}」不是人民币" in diag.message()


@pytest.mark.parametrize("header", ["实际完成值（万元）", "实际完成值【万元】", "实际完成值(单位:万元)"])
def test_a_bare_number_under_a_header_in_wan_yuan_is_wan_yuan(header: str) -> None:
    for text in (_bare(header, ",520", ""), _bare(header, ",,520")):
        (row,) = _invest(text).indicators
        assert row.actual == "520万元"


def test_a_unit_cell_agreeing_with_the_header_completes_the_number_and_a_blank_cell_is_no_unit() -> None:
    for cells in (",万元,520", ",万圆,520", ",萬元,520"):  # 万圆 formally, 萬元 in traditional: the same unit
        (row,) = _invest(_bare("实际完成值（万元）", cells)).indicators
        assert row.actual == "520" + cells.split(",")[1]
    with pytest.raises(jixiao.JixiaoError) as info:
        _invest(_bare("实际完成值", ",,520"))
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.span.line, diag.span.column) == ("E609", 2, 5)
    assert "计量单位格" in (diag.help("zh") or "") and "计量单位" in (diag.help("en") or "")


@pytest.mark.parametrize(
    ("header", "cells", "cell", "written"),
    [
        (
            "实际完成值（万元）",
            ",元,5200000",
            "元",
            "万元",
        ),  # the 计量单位 cell used to win silently: 5200000元
        ("实际完成值（万元）", ",万人,520", "万人", "万元"),
        ("实际完成值（万人）", ",人,520", "人", "万人"),
        ("实际完成值（万元）", ",元,约520", "元", "万元"),  # a number the cell's unit completes
    ],
)
def test_a_unit_cell_and_a_header_giving_different_units_is_an_error_at_the_number(
    header: str, cells: str, cell: str, written: str
) -> None:
    text = _bare(header, cells)
    assert [d.code for d in collect_actuals(text=text, name="实际值.csv").diagnostics] == ["E531"]
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text=text, name="实际值.csv")
    (diag,) = info.value.diagnostics
    assert diag.span is not None
    assert (diag.code, diag.span.line, diag.span.column, diag.span.column_name) == ("E531", 2, 5, header)
    number = cells.split(",")[2]
    assert diag.message("zh") == (
        f"本行「计量单位」格写的单位是「{cell}」，列标题「{header}」中的单位是「{written}」："
        f"{number} 是 {number}{cell} 还是 {number}{written}？"
    )
    assert diag.message("en") == (
        f"the unit in this row's “计量单位” cell is “{cell}” and the unit in the header “{header}” is "
        f"“{written}”: does {number} mean {number}{cell} or {number}{written}?"
    )
    assert "清空「计量单位」格" in (diag.help("zh") or "") and "clear the “计量单位” cell" in (
        diag.help("en") or ""
    )


@pytest.mark.parametrize(
    ("cells", "written", "cell", "number"),
    [
        (",人,520万元", "万元", "人", "520"),  # another dimension: was read as 520万元 silently
        (",万元,520.5万", "万", "万元", "520.5"),  # 520.5万元, or 520.5万 万元?
        (",%,95人", "人", "%", "95"),
        (",万元,12000人次", "人次", "万元", "12000"),
    ],
)
def test_a_value_written_with_another_unit_than_its_rows_unit_cell_is_an_error(
    cells: str, written: str, cell: str, number: str
) -> None:
    """A value's own unit and the row's 计量单位 cell measure different things: E531 at the value, the
    value not read (as for a bare number whose unit two places give differently)."""
    actuals = collect_actuals(text=_bare("实际完成值", cells), name="实际值.csv")
    (diag,) = actuals.diagnostics
    assert diag.span is not None
    assert (diag.code, diag.span.line, diag.span.column) == ("E531", 2, 5)
    assert diag.message("zh") == (
        f"这一格中数后面写的单位是「{written}」，本行「计量单位」格写的单位是「{cell}」："
        f"{number} 是 {number}{written} 还是 {number}{cell}？"
    )
    assert diag.message("en").startswith(f"the unit written after the number in this cell is “{written}”")
    assert "删去数后面的单位" in (diag.help("zh") or "") and "drop the unit after the number" in (
        diag.help("en") or ""
    )
    assert [entry.value for entry in actuals.entries] == [None]


@pytest.mark.parametrize(
    "cells",
    [
        ",万人,1.2万人",
        ",万人,12000人",  # the number's own unit gives its scale: no one reads 12000万人
        ",人,1.2万人",
        ",人,约发放人数1.2万人",
        ",人次,1.2万人次",
        ",万元,5200000元",
        ",人,12000名",  # the same unit written two ways
        ",万元,520萬元",
        ",万元,520万圆",
        ",/,12000人",  # no unit in the 计量单位 cell: nothing to disagree with
        ",—,12000人",
        ",,12000人",
        ",万元,约520",  # a bare number: the cell completes it
    ],
)
def test_a_value_whose_own_unit_agrees_with_its_rows_unit_cell_reads_silently(cells: str) -> None:
    actuals = collect_actuals(text=_bare("实际完成值", cells), name="实际值.csv")
    assert not actuals.diagnostics


@pytest.mark.parametrize(
    ("cells", "read"),
    [(",人次,1.25万", "1.25万人次"), (",人,约1.15万", "约1.15万人"), (",元,5.2万", "5.2万元")],
)
def test_a_number_and_a_bare_magnitude_take_the_rows_unit(cells: str, read: str) -> None:
    """1.25万 in a row of 人次 is 1.25万人次: the 计量单位 cell completes the magnitude as it completes a bare
    number (it was E506, then E531, whose help to drop 万 led to 1.25人次)."""
    actuals = collect_actuals(text=_bare("实际完成值", cells), name="实际值.csv")
    assert not actuals.diagnostics
    (entry,) = actuals.entries
    assert entry.value == parse_actual(read)


def test_a_target_written_with_another_unit_than_its_rows_unit_cell_is_an_error() -> None:
    header = "一级指标,二级指标,三级指标,指标值,计量单位,实际完成值\n"
    for target, unit, found in (
        ("≥1万人", "人", []),  # as the published seed table writes it
        ("≥1万元", "人", [("E531", 2, 4)]),
        ("90%-100%", "人", [("E531", 2, 4)]),
        ("≥10000名", "人", []),
        ("≥10000", "人", []),
        ("合理", "人", []),
    ):
        text = f"{header}产出指标,数量指标,受益人数,{target},{unit},12000\n"
        diagnostics = collect_actuals(text=text, name="实际值.csv").diagnostics
        assert [(d.code, d.span.line, d.span.column) for d in diagnostics if d.span] == found, target


def test_a_unit_conflict_is_told_by_the_cli_in_both_languages_and_in_long_and_official_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "实际值.csv"
    path.write_text(_bare("实际完成值（万元）", ",万人,520"), encoding="utf-8")
    ruleset = tmp_path / "投资.jx"
    ruleset.write_text(_INVEST, encoding="utf-8")
    root = ["--root", str(SEED_RULESET.parents[1])]
    for lang, words in (("zh", "第2行「实际完成值（万元）」列: error[E531]"), ("en", "row 2, column")):
        run = CliRunner().invoke(main, ["score", str(ruleset), str(path), "--lang", lang, *root])
        assert run.exit_code == 1 and f"{path}:2:5: {words}" in run.output
        assert "E506" not in run.output  # the row's value is not read: no message about its unit
    long = tmp_path / "长表.csv"
    long.write_text(
        "项目,三级指标,计量单位,实际完成值（万元）\n甲,完成投资,万元,520\n乙,完成投资,万人,520\n",
        encoding="utf-8",
    )
    run = CliRunner().invoke(main, ["score", str(ruleset), str(long), *root])
    assert run.exit_code == 1 and f"{long}:3:4: 第3行「实际完成值（万元）」列: error[E531]" in run.output
    lines = OFFICIAL.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("一级指标,"))
    for i in range(at, len(lines) - 1):  # a 计量单位 column after 三级指标; the last line is a note
        cells = lines[i].split(",")
        unit = {"一级指标": "计量单位", "享受补贴人数": "人"}.get(cells[0] if i == at else cells[2], "")
        lines[i] = ",".join([*cells[:3], unit, *cells[3:]])
    lines[at] = lines[at].replace(",实际完成值,", ",实际完成值（万人）,")
    lines = [line.replace(",约发放人数1.11万人,", ",1.11,") for line in lines]
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text="\n".join(lines) + "\n", name="自评表.csv")
    # the target ≥1.1万人 writes its own unit, of the dimension of the row's 计量单位 人: no conflict there
    found = [(d.code, d.span.column_name) for d in info.value.diagnostics if d.span is not None]
    assert found == [("E531", "实际完成值（万人）")]


def _formatted(tmp_path: Path, header: str, unit: str | None, number_format: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "实际值"
    sheet.append(["一级指标", "二级指标", "三级指标", "计量单位", header])
    sheet.append(["产出指标", "数量指标", "完成投资", unit, 520])
    sheet.cell(2, 5).number_format = number_format
    path = tmp_path / "实际值.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "unit", "number_format", "other"),
    [
        ("实际完成值", "万人", '0"万元"', "本行「计量单位」格写的单位是「万人」"),
        ("实际完成值（万元）", "万人", '#,##0"万元"', "本行「计量单位」格写的单位是「万人」"),
        ("实际完成值（万人）", None, '0"万元"', "列标题「实际完成值（万人）」中的单位是「万人」"),
        ("实际完成值（万元）", "名", '0"人"', "列标题「实际完成值（万元）」中的单位是「万元」"),
        ("实际完成值（万元）", "人", '0"名"', "列标题「实际完成值（万元）」中的单位是「万元」"),
        ("实际完成值（万元）", "人", '0"人"', "列标题「实际完成值（万元）」中的单位是「万元」"),
    ],
)
def test_a_number_format_showing_another_unit_is_an_error(
    tmp_path: Path, header: str, unit: str | None, number_format: str, other: str
) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(_formatted(tmp_path, header, unit, number_format))
    (diag,) = info.value.diagnostics
    assert diag.span is not None
    assert (diag.code, diag.span.line, diag.span.column, diag.span.sheet) == ("E531", 2, 5, "实际值")
    assert diag.message("zh").startswith("单元格的数字格式显示的单位是") and other in diag.message("zh")
    assert diag.message("en").startswith("the unit the cell's number format shows is")
    assert "数字格式改为「常规」" in (diag.help("zh") or "")


@pytest.mark.parametrize(
    ("header", "unit", "number_format"),
    [
        ("实际完成值（万元）", "万元", '0"万圆"'),  # the same unit written two ways
        ("实际完成值（万元）", "万元", '0.00"萬元"'),  # all three one unit
        ("实际完成值（万元）", None, '0"万元"'),
        ("实际完成值", "万元", '0"万元"'),
        ("实际完成值（万元）", None, "0.00"),  # no unit in the format: the header's
    ],
)
def test_a_number_format_agreeing_with_the_unit_reads_without_a_message(
    tmp_path: Path, header: str, unit: str | None, number_format: str
) -> None:
    (row,) = _invest_file(_formatted(tmp_path, header, unit, number_format)).indicators
    assert row.actual.startswith("520") and row.actual.endswith(("万元", "万圆", "萬元"))


@pytest.mark.parametrize(
    ("header", "unit", "number_format", "shown"),
    [
        ("实际完成值（万元）", None, "0\\元", "520元"),
        ("实际完成值（万元）", "圆", '0"元"', "520元"),
        ("实际完成值", "元", '0"万元"', "520万元"),
    ],
)
def test_a_number_format_of_the_units_dimension_reads_as_it_shows(
    tmp_path: Path, header: str, unit: str | None, number_format: str, shown: str
) -> None:
    """The cell shows 520万元 in a row of 元 (or 520元 under a header of 万元): read as shown, as the same text
    typed is; it was E531 (a tester: the typed text read, the formatted number refused)."""
    (row,) = _invest_file(_formatted(tmp_path, header, unit, number_format)).indicators
    assert row.actual == shown


def _merged(tmp_path: Path, unit: str | None, number_format: str) -> Path:
    """Two indicator rows whose actual is one merged cell (E2:E3) holding 520 in `number_format`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "实际值"
    sheet.append(["一级指标", "二级指标", "三级指标", "计量单位", "实际完成值"])
    sheet.append(["产出指标", "数量指标", "完成投资", unit, 520])
    sheet.append(["产出指标", "数量指标", "完成投资", unit, None])
    sheet.cell(2, 5).number_format = number_format
    sheet.merge_cells("E2:E3")
    path = tmp_path / "实际值.xlsx"
    book.save(path)
    return path


def test_a_merged_cells_number_format_unit_counts_for_every_cell_it_covers(tmp_path: Path) -> None:
    """A merged cell formatted 0"万元" is the unit its format shows for each row it covers, as an unmerged
    cell's is: against a 计量单位 cell 万人, E531 at each (it was read as 520万元 silently)."""
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(_merged(tmp_path, "万人", '0"万元"'))
    found = [(d.code, d.span.line, d.span.column) for d in info.value.diagnostics if d.span is not None]
    assert found == [("E531", 2, 5), ("E531", 3, 5)]
    assert info.value.diagnostics[0].message("zh").startswith("单元格的数字格式显示的单位是「万元」")


@pytest.mark.parametrize("unit", [None, "万元", "万圆"])
def test_a_merged_cells_number_format_unit_alone_or_agreeing_is_its_unit(
    tmp_path: Path, unit: str | None
) -> None:
    actuals = collect_actuals(_merged(tmp_path, unit, '0"万元"'))
    assert not actuals.diagnostics
    assert [entry.value.text() for entry in actuals.entries] == ["520万元", "520万元"]


def _invest_file(path: Path) -> jixiao.Result:
    ruleset = jixiao.load_ruleset(text=_INVEST, name="投资.jx")
    return ruleset.score(collect_actuals(path))


def test_a_header_unit_completes_plain_numbers_only() -> None:
    text = _bare("实际完成值（万元）", ",5200000元", "")
    (row,) = _invest(text).indicators
    assert row.actual == "5200000元"


_DEADLINE_RULESET = """项目 "时限" 年度 2020 {
  采用 "standard/central"
  产出指标 / 时效指标 {
    开工时间  目标 ≤2020.9  分值 30
    验收时间  目标 2020.9前  分值 30
    完成数量  目标 ≥2000  分值 30
  }
}
"""


def _deadline_book(tmp_path: Path, cells: list[tuple[object, str]]) -> tuple[Path, Path]:
    """A sheet of the three indicators above, each actual a (value, number format) pair."""
    ruleset = tmp_path / "时限.jx"
    ruleset.write_text(_DEADLINE_RULESET, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["一级指标", "二级指标", "三级指标", "实际完成值"])
    sheet.append(["预算执行", "年度资金总额", "全年预算数", 100])
    sheet.append(["预算执行", "年度资金总额", "全年执行数", 100])
    for name, (value, number_format) in zip(["开工时间", "验收时间", "完成数量"], cells, strict=True):
        sheet.append(["产出指标", "时效指标", name, value])
        sheet.cell(sheet.max_row, 4).number_format = number_format
    path = tmp_path / "实际值.xlsx"
    book.save(path)
    return ruleset, path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_number_cell_2020_1_against_a_deadline_is_asked(tmp_path: Path, lang: str) -> None:
    """Excel stores 2020.10 (October) typed in a number cell as 2020.1: against a deadline that is E610 at the
    cell, never January (or the number 2020.1) read silently. Against a number target it is the number."""
    ruleset, path = _deadline_book(tmp_path, [(2020.1, "General"), (2020.1, "General"), (2020.1, "General")])
    run = CliRunner().invoke(main, ["score", str(ruleset), str(path), "--lang", lang])
    assert run.exit_code != 0
    assert run.output.count("E610") == 2
    assert "实际值.xlsx:4:4:" in run.output and "实际值.xlsx:5:4:" in run.output
    assert "实际值.xlsx:6:" not in run.output  # 完成数量 ≥2000: the number 2020.1
    if lang == "zh":
        assert "2020.1 是 2020年1月 还是 2020年10月" in run.output and "设为文本" in run.output
    else:
        assert "January 2020 or October 2020" in run.output and "format the cell as text" in run.output


def test_a_merged_number_cell_2020_1_is_asked_as_an_unmerged_one(tmp_path: Path) -> None:
    """An actual cell merged over two indicators' rows (both done 2020.1) is each row's number cell 2020.1:
    E610 at both rows, as unmerged, never January read silently (the merged cells skipped the test)."""
    ruleset, path = _deadline_book(tmp_path, [(2020.1, "General"), (None, "General"), (2020.1, "General")])
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("D4:D5")
    book.save(path)
    run = CliRunner().invoke(main, ["score", str(ruleset), str(path)])
    assert run.exit_code != 0
    assert run.output.count("E610") == 2
    assert "实际值.xlsx:4:4:" in run.output and "实际值.xlsx:5:4:" in run.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_padded_month_number_against_a_deadline_says_how_to_write_it(tmp_path: Path, lang: str) -> None:
    """2020.8 in a 0.00 cell shows 2020.80: not a date (no month 80), not guessed to be August either. E603
    says what the cell shows and how to write it, as E610 does (text 2020年8月, a text cell, a date cell)."""
    ruleset, path = _deadline_book(tmp_path, [(2020.8, "0.00"), (2020.8, "General"), (2020, "General")])
    run = CliRunner().invoke(main, ["score", str(ruleset), str(path), "--lang", lang])
    assert run.exit_code != 0
    assert "实际值.xlsx:4:4:" in run.output and run.output.count("E603") == 1  # 2020.8 in General: August
    if lang == "zh":
        assert "2020.80 是数 2020.8" in run.output and "请写成 2020年8月" in run.output
        assert "设为文本后再写 2020.8" in run.output and "设为日期单元格" in run.output
    else:
        assert "2020.80 is the number 2020.8" in run.output and "write 2020年8月" in run.output
        assert "format the cell as text and type 2020.8" in run.output and "date cell" in run.output


def test_a_date_cell_showing_a_month_is_that_month(tmp_path: Path) -> None:
    """2020年9月 typed in Excel is the date 2020-09-01 shown as 2020年9月 (yyyy"年"m"月"): the month, done by
    its last day, as the text 2020年9月 is; it was the 1st, which met 2020年9月15日前 as no text 2020年9月
    does. A date cell whose day is not the 1st was typed as a date: that day, whatever the format shows."""
    rules = _DEADLINE_RULESET.replace("≤2020.9 ", "2020年9月15日前").replace("2020.9前 ", "2020年9月15日前")
    ruleset, path = _deadline_book(tmp_path, [(None, "General"), (None, "General"), (2020, "General")])
    ruleset.write_text(rules, encoding="utf-8")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row, day in ((4, 1), (5, 10)):
        sheet.cell(row, 4).value = datetime.datetime(2020, 9, day)
        sheet.cell(row, 4).number_format = 'yyyy"年"m"月"'
    book.save(path)
    result = jixiao.load_ruleset(ruleset).score(jixiao.load_actuals(path))
    shown = {i.name: (i.actual, i.score.text()) for i in result.indicators}  # type: ignore[union-attr]
    assert shown["开工时间"] == ("2020年9月", "0.00") and shown["验收时间"] == ("2020-09-10", "30.00")


def test_a_dotted_month_in_a_sheet_is_the_month_it_shows(tmp_path: Path) -> None:
    """A text cell 2020.1 is January; a number shown 2020.10 (a 0.00 format) is October, after ≤2020.9;
    2020.9前 is September, never the number 2020.9 with the unit 前."""
    cells = [("2020.1", "@"), (2020.1, "0.00"), (2020.1, "General")]
    ruleset, path = _deadline_book(tmp_path, cells)
    result = jixiao.load_ruleset(ruleset).score(jixiao.load_actuals(path))
    scores = {i.name: i.score.text() for i in result.indicators}  # type: ignore[union-attr]
    assert scores == {"开工时间": "30.00", "验收时间": "0.00", "完成数量": "30.00"}
    assert not [f for f in result.findings if f.code == "F105"]


def test_a_header_merged_across_two_columns_names_one_column(tmp_path: Path) -> None:
    """Staff widen the 偏差原因分析及改进措施 column by merging it with the next one, header and notes alike:
    the merged cell's copy is no second column (was E517 「…两列都是…列」, and nothing scored)."""
    book = openpyxl.Workbook()
    sheet = book.active
    lines = [line.split(",") for line in SEED_TEXT.strip().splitlines()]
    for number, cells in enumerate(lines, start=1):
        sheet.append([*cells, ""])
        note = len(cells)  # the note column (E), merged with F on every row that has one
        if cells[-1] or number == 1:
            sheet.merge_cells(start_row=number, start_column=note, end_row=number, end_column=note + 1)
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = jixiao.load_ruleset(SEED_RULESET).score(path)
    assert result.total.text() == "99.31" and "F178" not in [f.code for f in result.findings]
    sheet["F5"] = "50%"  # a figure under the merged header's copy, in a row without a merged note: E534
    book.save(path)
    assert [d.code for d in collect_actuals(path).diagnostics] == ["E534"]


def test_two_columns_of_one_name_side_by_side_are_still_two(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["三级指标", "实际完成值", "实际完成值"])
    sheet.append(["享受补贴人数", "1.11万人", "1.12万人"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    with pytest.raises(jixiao.JixiaoError) as caught:
        collect_actuals(path)
    assert [d.code for d in caught.value.diagnostics] == ["E517"]


def test_a_trailing_separator_after_neighbouring_numbers_is_no_split_number(tmp_path: Path) -> None:
    """A row of the official layout with one trailing comma more than its header (its 分值 1.00 and 得分
    1.00 side by side) reads as it is: two numbers, each in its own column, not one split by a stray
    comma (xt19s: it was E512, and audit's recomputed total fell by that row's points)."""
    official = Path(__file__).parent / "tables" / "seed-official.csv"
    lines = official.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if ",预算编制合理性," in line)
    assert lines[at].endswith("1.00,1.00,")
    lines[at] += ","  # one separator more, after the blank 偏差原因 cell
    path = tmp_path / "多一个逗号.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    padded, plain = jixiao.load_actuals(path), jixiao.load_actuals(official)
    assert not padded.diagnostics
    assert [(e.row, e.value) for e in padded.entries] == [(e.row, e.value) for e in plain.entries]


def test_a_budget_figure_with_a_blank_level1_in_a_simple_table_is_e542(tmp_path: Path) -> None:
    """`,,全年预算数,970.00` under a 预算执行 row of a simple table: a blank 一级 is not 同上 there, and the
    row was matched as an indicator named 全年预算数 (E503, and E510 for the figure missing; import wrote a
    ruleset that did not parse). E542 at the 一级 cell, once per row, no E510 after it (xt19)."""
    path = tmp_path / "预算空一级.csv"
    path.write_text(
        "一级指标,二级指标,三级指标,实际完成值\n预算执行,年度资金总额,年初预算数,970.00\n"
        ",,全年预算数,970.00\n,,全年执行数,909.50\n",
        encoding="utf-8",
    )
    codes = [(d.code, d.span.line if d.span else 0) for d in collect_actuals(path).diagnostics]
    assert codes == [("E542", 3), ("E542", 4)]
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--lang", "en"])
    assert run.exit_code == 1 and "E510" not in run.output and "E503" not in run.output, run.output
    assert "gives the budget figure “全年预算数” but its 一级 is blank" in run.output
