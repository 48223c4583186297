"""No help text recommends an input that another message refuses (issue 9: E504 said "fill in /", E505 refused it).

Every input a help text recommends — quoted 「…」 or listed after 例如 — is classified below by where it goes,
and tried there: an actual cell of an indicator row and of a budget row, a target, a ruleset statement, a
column header. A help that recommends something new fails `test_every_recommendation_is_classified` until
it is added here, so the catalog cannot drift into loops again.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

import jixiao
from jixiao.engine.checks import run_checks
from jixiao.engine.resolve import resolve_text
from jixiao.io.actuals import COLUMNS
from jixiao.io.actuals.labels import is_sum_label, shared_vocabulary
from jixiao.language.literals import parse_actual, parse_target
from jixiao.language.parser import parse
from jixiao.language.vocabulary import KEYWORDS
from jixiao.messages import CATALOG

# (code, recommended text) → where it goes
CELL = "an actual cell of an indicator row or of a budget row"
TARGET = "a target"
ACTUAL = "an indicator's actual cell"
BUDGET_ITEM = "an item of the budget block"
STATEMENT = "a statement of a project"
OPTION = "an option of an indicator"
COLUMN = "a column header or a budget row label"
KEYWORD = "a keyword of the language"
SUM_ROW = "the label of a row summing others (小计)"
TEMPLATE = "a template with placeholders, or punctuation: not an input"

RECOMMENDED: dict[tuple[str, str], str] = {
    ("E102", "{"): TEMPLATE,
    ("E102", "}"): TEMPLATE,
    ("E108", "{"): TEMPLATE,
    ("E108", "}"): TEMPLATE,
    ("E109", '"'): TEMPLATE,
    ("E118", "}"): TEMPLATE,
    ("E103", "分值 数字"): TEMPLATE,
    ("E114", "目标 目标值"): TEMPLATE,
    ("E114", "得分 = 公式"): TEMPLATE,
    ("E202", "量表 名称 { … }"): TEMPLATE,
    ("E601", "如果 … 则 … 否则 …"): TEMPLATE,
    ("E539", "常规"): TEMPLATE,  # Excel's number format General, chosen from a menu
    ("E136", "\\u{code_lower}"): TEMPLATE,  # a JSON escape, as written in the text it comes from
    ("E538", "{label}"): TEMPLATE,
    ("E538", "小计"): SUM_ROW,
    ("E542", "预算执行"): COLUMN,  # a budget row's 一级 label
    ("E540", "取消隐藏"): TEMPLATE,  # Excel's menu item (Unhide)
    ("E602", "如果 … 则 … 否则 …"): TEMPLATE,
    ("E602", "实际"): KEYWORD,
    ("E602", "目标"): KEYWORD,
    ("E111", "字面量"): TEMPLATE,  # a section of docs/language.md
    ("W112", "{stage}"): TEMPLATE,
    ("E128", "\\u{code_lower}"): TEMPLATE,  # the JSON escape of the character named
    ("E107", "项目"): KEYWORD,
    ("E107", "评分办法"): KEYWORD,
    ("E204", "采用"): KEYWORD,
    ("E404", "结构"): KEYWORD,
    ("W111", "结构"): KEYWORD,
    ("E409", "方向"): KEYWORD,
    ("E410", "分项合计"): KEYWORD,
    ("E510", "预算执行"): COLUMN,
    ("E510", "年度资金总额"): COLUMN,
    ("E535", "合计"): COLUMN,
    ("E535", "总计"): COLUMN,
    ("E511", "调整理由"): COLUMN,
    ("E529", "三级指标"): COLUMN,
    ("E534", "得分"): COLUMN,
    ("F187", "得分"): COLUMN,
    ("F187", "单项得分"): COLUMN,
    ("F187", "折算得分"): COLUMN,
    ("W184", "得分"): COLUMN,
    ("W184", "单项得分"): COLUMN,
    ("W184", "折算得分"): COLUMN,
    ("W189", "折算得分"): COLUMN,
    ("E534", "调整得分"): COLUMN,
    ("E608", "调整得分"): COLUMN,
    (
        "E609",
        "实际完成值（{scaled_unit}）",
    ): TEMPLATE,  # a header whose bracket gives its bare numbers a unit (the target’s)
    ("E608", "调整理由"): COLUMN,
    ("W131", "三级指标"): COLUMN,
    ("W131", "实际完成值"): COLUMN,
    ("F179", "{scale}"): TEMPLATE,  # the name of the scale jixiao import writes
    ("F180", "本表定性目标"): TEMPLATE,  # likewise: a name in a generated ruleset, not an input
    ("E402", "/"): CELL,
    ("E504", "/"): CELL,
    ("E505", "/"): CELL,
    ("E508", "/"): CELL,
    ("E606", "零预算 不评分"): BUDGET_ITEM,
    ("E606", "零预算 满分"): BUDGET_ITEM,
    ("F174", "零预算 不评分"): BUDGET_ITEM,
    ("F174", "零预算 满分"): BUDGET_ITEM,
    ("W101", "否则 → 0%"): "a band of 分档",
    ("E151", "}"): TEMPLATE,
    ("E151", "一级指标 / 二级指标 { … }"): TEMPLATE,
    ("E153", "}"): TEMPLATE,
    ("E519", ","): TEMPLATE,
    ("E519", "，"): TEMPLATE,
    ("E521", "多个项目"): TEMPLATE,  # a section of docs/files.md
    ("E904", "实际 = …"): TEMPLATE,
    ("E912", "实际 = …"): TEMPLATE,
    ("E974", ".."): TEMPLATE,
    ("W143", '采用 "…"'): TEMPLATE,
    ("E707", "评分办法"): KEYWORD,
    ("E907", "采用"): KEYWORD,
    ("E516", "全年预算数"): COLUMN,
    ("E516", "调整后预算数"): COLUMN,
    ("E523", "三级指标"): COLUMN,
    ("E523", "实际完成值"): COLUMN,
    ("E530", "三级指标"): COLUMN,
    ("E530", "实际完成值"): COLUMN,
    ("E721", "评分办法"): KEYWORD,
    ("E218", "采用"): KEYWORD,
    ("E218", "评分办法"): KEYWORD,
    ("E219", "{name}"): TEMPLATE,  # the policy file named
    ("W170", "方法 认定"): OPTION,
    ("W174", "方法 认定"): OPTION,
    ("W173", "基本{word}"): TEMPLATE,
    ("F152", "调整得分"): COLUMN,
    ("F152", "调整理由"): COLUMN,
    ("F159", "字面量"): TEMPLATE,  # a section of docs/language.md
    ("F160", "人"): TEMPLATE,  # units, named
    ("F160", "万元"): TEMPLATE,
    ("F163", "偏差原因分析及改进措施"): COLUMN,
}
# Lists after 例如 in help texts: (code, item) → where it goes.
EXAMPLES: dict[tuple[str, str], str] = {
    **{("E111", t): TARGET for t in ("≥1.1万人", "100%", "≤90万元", "合理", "12月底前")},
    **{("E505", a): ACTUAL for a in ("1.11万人", "93.76%", "合理", "12月20日")},
    **{("E114", t): OPTION for t in ("目标 ≥1.1万人", "目标 100%", "目标 合理")},
    ("E103", "{name} 目标 100% 分值 10"): TEMPLATE,
    ("E115", "目标 100%"): OPTION,
    ("E115", "分值 10（不要写单位“分”）"): TEMPLATE,
    ("E117", "分值 10（不要写单位“分”）"): TEMPLATE,
    ("E120", "年度 2020"): TEMPLATE,
    ("E204", '采用 "standard/central"'): STATEMENT,
    ("E304", "人数写 ≥1.1万人"): TEMPLATE,
    ("E305", "如果 {divisor} > 0 则 … 否则 0"): TEMPLATE,
    ("E302", ""): TEMPLATE,
    ("E403", "优 ≥90 良 ≥80 中 ≥60 差 其余"): TEMPLATE,
    ("E415", "优 ≥90"): TEMPLATE,
    ("E408", "产出50 效益30 满意度10 预算10"): TEMPLATE,
    ("E607", "95% 或 95（列名即是百分比）"): TEMPLATE,
}


def _quoted(text: str) -> list[str]:
    return [q.replace("{{", "{").replace("}}", "}") for q in re.findall(r"「([^」]+)」", text)]


def _listed(text: str) -> list[str]:
    """Items after 例如 up to the end of the clause, split at 、."""
    out = []
    for m in re.finditer(r"例如[：:]?\s*([^；;。]+)", text):
        out += [item.strip() for item in m.group(1).split("、") if item.strip()]
    return out


def _helps() -> list[tuple[str, str]]:
    return [(code, entry[1]) for code, entry in CATALOG.items() if entry[1]]


def test_every_recommendation_is_classified() -> None:
    found = {(code, q) for code, text in _helps() for q in _quoted(text)}
    listed = {(code, item) for code, text in _helps() for item in _listed(text)}
    unclassified = sorted(
        (found - set(RECOMMENDED)) | {x for x in listed - set(EXAMPLES) if x[0] in _CHECKED}
    )
    assert unclassified == [], "classify these recommendations in tests/test_help_texts.py"


_CHECKED = {"E111", "E505", "E114", "E204"}  # codes whose 例如 lists are inputs to try


HEAD = '项目 "x" 年度 2020 {\n  采用 "standard/central"\n'


def _accepted(kind: str, text: str) -> bool:
    """Whether the engine accepts `text` where `kind` says it goes."""
    if kind == CELL:
        return _accepted(ACTUAL, text) and _budget_cell_accepted(text)
    if kind == ACTUAL:
        parse_actual(text)
        return True
    if kind == TARGET:
        parse_target(text)
        return True
    if kind == BUDGET_ITEM:
        return _checks_clean(f"  预算执行 {{ {text} }}\n")
    if kind == STATEMENT:
        return _checks_clean(f"  {text}\n")
    if kind == OPTION:
        parse(f"{HEAD}  产出指标 / 数量指标 {{\n    甲 {text} 分值 90\n  }}\n}}")
        return True
    if kind == "a band of 分档":
        parse(f"{HEAD}  正向 分档 {{ ≥90% → 100%;  {text} }}\n}}")
        return True
    if kind == KEYWORD:
        return any(text in pair for pair in KEYWORDS.values())
    if kind == SUM_ROW:
        return is_sum_label(text)
    if kind == COLUMN:
        vocab = shared_vocabulary()
        known = (
            vocab.column(text)
            or vocab.budget_figure(text)
            or vocab.budget_row(text)
            or vocab.is_budget_level(text)
        )
        return text in COLUMNS or bool(known)
    return kind == TEMPLATE


def _budget_cell_accepted(text: str) -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "actuals.csv"
        path.write_text(
            "一级指标,二级指标,三级指标,实际完成值\n"
            f"预算执行,年度资金总额,年初预算数,{text}\n"
            "预算执行,年度资金总额,全年预算数,100\n"
            "预算执行,年度资金总额,全年执行数,90\n",
            encoding="utf-8",
        )
        jixiao.load_actuals(path)
    return True


def _checks_clean(statements: str) -> bool:
    text = f"{HEAD}{statements}  产出指标 / 数量指标 {{\n    甲 目标 ≥100个 分值 90\n  }}\n}}"
    ruleset = resolve_text(text, str(ROOT / "rulesets" / "x.jx"))
    return not [d for d in run_checks(ruleset) if d.severity.value == "error"]


@pytest.mark.parametrize(("key", "kind"), sorted({**RECOMMENDED, **EXAMPLES}.items()), ids=str)
def test_a_recommended_input_is_accepted_where_it_goes(key: tuple[str, str], kind: str) -> None:
    code, text = key
    try:
        assert _accepted(kind, text), f"{code} recommends {text!r} as {kind}, which is refused"
    except jixiao.JixiaoError as exc:
        codes = [d.code for d in exc.diagnostics]
        pytest.fail(f"{code} recommends {text!r} as {kind}, which another message refuses: {codes}")
