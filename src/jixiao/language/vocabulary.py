"""The words of the language that are resolved after parsing, with their aliases.

Keywords proper live in grammars/ruleset.lark; these tables name what a
keyword takes as its argument (method names, rounding stages, variables in
formulas), in Chinese and English. docs/language.md lists the same words.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from jixiao.language.spaces import blanked
from jixiao.language.variants import simplified

# Every keyword: (Chinese, English), the first spelling the grammar lists for each language.
# tests/test_vocabulary.py checks this table against grammars/ruleset.lark.
KEYWORDS: dict[str, tuple[str, str]] = {
    "project": ("项目", "project"),
    "policy": ("评分办法", "policy"),
    "year": ("年度", "year"),
    "use": ("采用", "use"),
    "department": ("主管部门", "department"),
    "unit": ("实施单位", "unit"),
    "money_unit": ("金额单位", "money_unit"),
    "source": ("依据", "source"),
    "note": ("说明", "note"),
    "total": ("总分", "total"),
    "rounding": ("舍入", "rounding"),
    "digits": ("位", "digits"),
    "display": ("显示", "display"),
    "budget": ("预算执行", "budget"),
    "counted": ("计入总分", "counted"),
    "scale": ("量表", "scale"),
    "pick": ("取", "pick"),
    "generic": ("通用", "generic"),
    "grades": ("等级", "grades"),
    "explain": ("需说明", "explain"),
    "when": ("当", "when"),
    "over": ("超额", "over"),
    "deduct": ("扣减", "deduct"),
    "not_applicable": ("不适用", "not_applicable"),
    "framework": ("结构", "framework"),
    "audit_tolerance": ("复核容差", "audit_tolerance"),
    "target": ("目标", "target"),
    "weight": ("分值", "weight"),
    "method": ("方法", "method"),
    "actual": ("实际", "actual"),
    "score": ("得分", "score"),
    "if": ("如果", "if"),
    "then": ("则", "then"),
    "else": ("否则", "else"),
    "or": ("或", "or"),
    "and": ("且", "and"),
    "not": ("非", "not"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "rescale": ("折算", "rescale"),
    "redistribute": ("分配", "redistribute"),
    "no_rounding": ("不舍入", "none"),
    "not_scored": ("不评分", "not_scored"),
    "unit_note": ("单位说明", "unit_note"),
    "direction": ("方向", "direction"),
    "formula": ("公式", "formula"),
    "columns": ("表列", "columns"),
    "breakdown": ("其中", "of_which"),
    "subtotal": ("小计", "subtotal"),
    "goal": ("绩效目标", "goal"),
    "sum_check": ("分项合计", "sum_check"),
    "rate": ("执行率", "rate"),
    "budget_row": ("预算行", "budget_row"),
    "zero_budget": ("零预算", "zero_budget"),
    "zero_none": ("不评分", "none"),
    "zero_full": ("满分", "full"),
    "zero_error": ("报错", "error"),
}
# Grammar terminals whose name is not simply the keyword's key in upper case.
_TERMINAL_KEYS = {"_ROUND": "rounding", "_NA": "not_applicable", "BUDGET_SHARE": "budget"}


def keyword_of_terminal(name: str) -> tuple[str, str] | None:
    """The (Chinese, English) spelling of a grammar keyword terminal, e.g. `_WEIGHT` → (分值, weight)."""
    if name.startswith("STAGE_"):
        return STAGE_LABELS.get(STAGE_WORDS.get(name, ""))
    key = _TERMINAL_KEYS.get(name) or name.strip("_").lower().removesuffix("_var")
    return KEYWORDS.get(key)


STAGE_WORDS: dict[str, str] = {
    "STAGE_INDICATOR": "indicator",
    "STAGE_LEVEL": "level",
    "STAGE_BUDGET": "budget",
    "STAGE_TOTAL": "total",
    "STAGE_RATE": "rate",
}
STAGE_LABELS: dict[str, tuple[str, str]] = {
    "indicator": ("指标", "indicator"),
    "level": ("一级", "level"),
    "budget": ("预算", "budget"),
    "total": ("合计", "sum"),
    "rate": ("执行率", "rate"),
}

KIND_LABELS: dict[str, tuple[str, str]] = {
    "higher": ("正向", "higher"),
    "lower": ("反向", "lower"),
    "equal": ("相等", "equal"),
    "range": ("区间", "range"),
    "deadline": ("时限", "deadline"),
    "qualitative": ("定性", "qualitative"),
}
KIND_WORDS: dict[str, str] = {word: kind for kind, pair in KIND_LABELS.items() for word in pair}
DIRECTIONS = ("higher", "lower", "equal")  # the kinds 方向 can give an unsigned target

METHOD_LABELS: dict[str, tuple[str, str]] = {
    "ratio": ("比例", "ratio"),
    "linear_decay": ("线性递减", "linear_decay"),
    "pass_fail": ("达标", "pass_fail"),
    "bands": ("分档", "bands"),
    "deduct": ("扣分", "deduct"),
    "scale": ("量表", "scale"),
    "coefficient": ("得分系数", "coefficient"),
    "asserted": ("认定", "asserted"),
    "formula": ("公式", "formula"),
}
METHOD_WORDS: dict[str, str] = {
    **{word: method for method, pair in METHOD_LABELS.items() if method != "formula" for word in pair},
    "比率": "ratio",
}
# Methods whose rows need no target and may leave the actual blank: the file gives the score.
FILE_SCORED = frozenset({"coefficient", "asserted"})

PARAM_LABELS: dict[str, tuple[str, str]] = {
    "each": ("每次", "each"),
    "limit": ("上限", "limit"),
    "zero_at": ("归零", "zero_at"),
}


# Every spelling of every method parameter → its canonical name (how the AST stores it).
PARAM_WORDS: dict[str, str] = {word: name for name, pair in PARAM_LABELS.items() for word in pair}


def _params(*names: str) -> dict[str, str]:
    return {word: name for name in names for word in PARAM_LABELS[name]}


# Named arguments of methods: every spelling → canonical name, per method.
METHOD_PARAMS: dict[str, dict[str, str]] = {
    "deduct": _params("each", "limit"),
    "linear_decay": _params("zero_at"),
    "scale": {},
}

FUNC_WORDS: dict[str, str] = {
    "min": "min",
    "最小": "min",
    "较小值": "min",
    "max": "max",
    "最大": "max",
    "较大值": "max",
    "abs": "abs",
    "绝对值": "abs",
    "封顶": "cap",
    "cap": "cap",
    "保底": "floor",
    "floor": "floor",
    "实际": "actual_of",
    "得分": "score_of",
}
FUNC_ARITY: dict[str, tuple[int, int]] = {
    "min": (2, 99),
    "max": (2, 99),
    "abs": (1, 1),
    "cap": (2, 2),
    "floor": (2, 2),
    "actual_of": (1, 1),
    "score_of": (1, 1),
}

# Variables in formulas; English aliases map to the Chinese canonical name.
VAR_ALIASES: dict[str, str] = {
    "rate": "执行率",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "调整后预算数": "全年预算数",
    "executed": "全年执行数",
    "deviation": "偏差",
}
INDICATOR_VARS = ("实际", "目标", "分值", "得分", "偏差")
BUDGET_VARS = ("执行率", "年初预算数", "全年预算数", "全年执行数")

NO_ROUNDING_WORDS = frozenset({"不舍入", "none", "exact", "精确"})
COUNTED_WORDS: dict[str, bool] = {
    "是": True,
    "yes": True,
    "true": True,
    "否": False,
    "no": False,
    "false": False,
}
ZERO_BUDGET_WORDS: dict[str, str] = {
    word: mode for mode in ("none", "full", "error") for word in KEYWORDS[f"zero_{mode}"]
}
DEFAULT_BUDGET_ROW = "年度资金总额"
# Columns a policy can add to the table (表列 …): the status 完成/未完成, and the item score out of 100.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "status": ("完成情况", "status"),
    "item_score": ("单项得分", "item_score"),
}
COLUMN_WORDS: dict[str, str] = {word: key for key, pair in COLUMN_LABELS.items() for word in pair}
NA_WORDS: dict[str, str] = {
    "折算": "rescale",
    "rescale": "rescale",
    "分配": "redistribute",
    "redistribute": "redistribute",
}


# Characters of a name whose key is remembered at most: a longer one (a hostile cell or YAML key) is read
# each time and kept by no cache (65,536 keys of 100,000 characters each would be gigabytes)
MAX_KEPT = 200


def name_key(name: str) -> str:
    """How names are matched: full- and half-width alike, traditional as simplified, spaces ignored
    (invisible ones too: a zero-width space pasted after a name).

    （城镇） = (城镇), 年初預算數 = 年初预算数.
    """
    return _name_key(name) if len(name) <= MAX_KEPT else read_name_key(name)


@functools.lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    return read_name_key(name)


def read_name_key(name: str) -> str:
    """`name_key`, not remembered: for a text seen once (a value of a file's row)."""
    return "".join(blanked(simplified(unicodedata.normalize("NFKC", name))).split())


# The number the Ministry of Finance template prints before each 三级 indicator: 指标1：, 指标１:, 指标一：
# (digits, full-width digits or Chinese numerals, then a colon of either width)
NUMBERED = re.compile(r"^\s*指标\s*(?:[0-9０-９]+|[〇零一二两三四五六七八九十百]+)\s*[:：]\s*")
LEVEL_WORD = "指标"  # 社会效益指标 is the level 社会效益 (level_key)


def unnumbered(name: str) -> str:
    """A 三级 name without the template's leading number (`NUMBERED`): 指标1：养护里程 → 养护里程. A name
    that is nothing but the number keeps it."""
    rest = NUMBERED.sub("", name, count=1)
    return rest if rest.strip() else name


def level_key(name: str) -> str:
    """How a 一级 or 二级 name is matched when no level has its very name (`name_key`): without a
    trailing 指标 — 社会效益指标 and 社会效益 are one level, 产出 and 产出指标 too (a name that is
    nothing but 指标 keeps it)."""
    key = name_key(name)
    rest = key.removesuffix(LEVEL_WORD)
    return rest or key


# The long names templates print for the usual grades (优秀 for 优 …): the same grade either way
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}


def same_grade(name: str, printed: str) -> bool:
    """Whether a printed grade is the grade `name`: the same words (`name_key`), or a long name (优秀, 优)."""
    a, b = name_key(name), name_key(printed)
    return a == b or GRADE_WORDS.get(a, a) == GRADE_WORDS.get(b, b)


def canonical_method(word: str) -> str:
    """The method id for a written name, or "" when unknown (checks report it)."""
    return METHOD_WORDS.get(word) or METHOD_WORDS.get(word.lower(), "")


def canonical_func(word: str) -> str:
    return FUNC_WORDS.get(word) or FUNC_WORDS.get(word.lower(), word)
