"""The words tables use for columns, budget rows and budget figures (data in labels.yaml, read by
`wordlists`: without PyYAML while it keeps to its plain form).

Labels are matched by `label_key`: `language.vocabulary.name_key` (full/half width, spaces), then a
leading 其中 with any colon or none, a trailing colon, and a bracketed unit or formula marker at the
end (（万元）, (A), （B/A）) are dropped. A layout (layouts/*.yaml) may add words of its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from jixiao.io.actuals import wordlists
from jixiao.language.literals import foreign_currency
from jixiao.language.quantity import PER, TIMES, UnitError, known_unit, resolve_unit, split_magnitude
from jixiao.language.vocabulary import MAX_KEPT, name_key, read_name_key

HEADER_HELP = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施[,调整得分,调整理由]"
ROW_FIELDS = (
    "level1", "level2", "name", "actual", "note", "adjusted", "reason", "target", "weight", "score",
    "coefficient",
)  # fmt: skip
FIELD_NAMES = {  # how messages name a field: its usual column header
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "actual": "实际完成值",
    "note": "偏差原因分析及改进措施",
    "adjusted": "调整得分",
    "reason": "调整理由",
    "target": "指标值",
    "weight": "分值",
    "score": "得分",
    "item_score": "单项得分",
    "unit": "度量单位",
    "comparator": "指标性质",
    "project": "项目",
    "ruleset": "规则",
}

# a header that names a score (自评分数, 考核得分, 扣分) which no list names: never passed silently; not one
# that explains a score (扣分原因, 得分说明, 评分依据)
SCORE_LIKE = re.compile(
    r"^(?!.*(?:原因|说明|理由|依据|标准|方法|办法|情况|备注|分析)$).*(?:得分|分数|扣分|评分$|折算分)"
)

_SUBROW = re.compile(r"^其中[:：]?")
_MARKER = re.compile(r"(?:[(（][^()（）]{0,12}[)）]|【[^【】]{0,12}】|\[[^\[\]]{0,12}\])$")
# a money unit in brackets or after 单位 (单位：元), not the first character of a name (实施单位：元江县…)
_UNIT = re.compile(r"(?:[(（]|单位[:：]?)\s*(亿元|万元|千元|元)(?![\u4e00-\u9fff])\s*[)）]?")


def label_key(text: str) -> str:
    """How labels are compared: `其中：本年财政拨款`, `本年财政拨款：` and `本年财政拨款` are one.

    Remembered per distinct text: every table repeats the same few labels (a text longer than any label,
    `MAX_KEPT`, is read each time: a hostile file's long keys and cells are not kept after it was read)."""
    return _remembered_label_key(text) if len(text) <= MAX_KEPT else _label_key(name_key(text))


@functools.lru_cache(maxsize=4096)
def _remembered_label_key(text: str) -> str:
    return _label_key(name_key(text))


def _label_key(named: str) -> str:
    """`label_key` of a text whose `name_key` is `named`."""
    key = _SUBROW.sub("", named.lower()).rstrip(":：")
    while _MARKER.search(key):
        key = _MARKER.sub("", key).rstrip(":：")
    return key


# a row repeating the sum of the rows above it: 小计, 合计, 总计, 合  计, 合计：, 产出指标合计, 分值合计
_SUM_LABEL = re.compile(r"^(?:.{0,12}(?:小计|合计|总计)|小计.{0,12})$")


def is_sum_label(text: str) -> bool:
    """Whether a 三级指标 cell names a sum of other rows rather than an indicator (`label_key`, spaces
    dropped): 小计, 合计, 总计, with a few characters before them (产出指标合计, 分值合计, 数量指标小计)."""
    return bool(_SUM_LABEL.match("".join(label_key(text).split())))


def money_unit_in(text: str) -> str | None:
    """The money unit a label declares: `项目资金（万元）` → 万元, `金额单位：元` → 元; none in
    `实施单位：元江县公路局` (a name starting with 元)."""
    found = _UNIT.search(name_key(text).replace("(", "（").replace(")", "）"))
    return found.group(1) if found else None


_BRACKETS = str.maketrans("（）［］：", "()[]:")
_COLUMN_UNIT = re.compile(r"(?:\(([^()]{1,14})\)|【([^【】]{1,14})】|\[([^\[\]]{1,14})\])$")
_UNIT_WORD = re.compile(r"^(?:计量|度量)?单位:?")


def column_unit(header: str) -> str | None:
    """The unit a column header gives its bare numbers in brackets at its end: `实际完成值（万元）`,
    `实际完成值(万元)`, `实际完成值【万元】`, `实际完成值（单位：万元）` → 万元; `（￥）` → 元; a foreign
    currency's sign (`（$）`, `（US$）`) as written; None when there is none or the bracket holds no known
    unit (`(A)`, `（B/A）`, `（说明）`)."""
    found = _COLUMN_UNIT.search("".join(header.split()).translate(_BRACKETS))
    if found is None:
        return None
    unit = _UNIT_WORD.sub("", next(g for g in found.groups() if g is not None))
    if unit in ("￥", "¥"):
        return "元"  # 实际完成值（￥）: 元, as ￥ by a number is
    if foreign_currency(unit) == unit:
        return unit  # 实际完成值（$）: its bare numbers are read with it (12900$), an error, never left bare
    return unit if is_known_unit(unit) else None


def is_known_unit(written: str) -> bool:
    """Whether every word of a written unit (万元, 人次, %, 元/人·月) is a known unit, magnitude aside."""
    if not written:
        return False
    try:
        resolve_unit(written)
    except UnitError:
        return False
    words = re.split(f"[{re.escape(PER + TIMES)}]", written)
    return all(word and known_unit(split_magnitude(word)[2]) is not None for word in words)


@dataclass(frozen=True)
class Vocabulary:
    """Label keys → meanings, for one layout (the shared list plus the layout's own words)."""

    columns: dict[str, str]
    budget_levels: frozenset[str]
    budget_rows: dict[str, str]
    budget_figures: dict[str, str]
    budget_printed: dict[str, str]
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def column(self, label: str) -> str | None:
        return self.columns.get(label_key(label))

    def column_once(self, text: str) -> str | None:
        """`column` of a text seen once (a value of a document's row): its key is not remembered, which
        would push out the labels tables repeat and keep a hostile file's values after it was read."""
        return self.columns.get(_label_key(read_name_key(text)))

    def budget_row(self, label: str) -> str | None:
        return self.budget_rows.get(label_key(label))

    def budget_figure(self, label: str) -> str | None:
        return self.budget_figures.get(label_key(label))

    def printed(self, label: str) -> str | None:
        return self.budget_printed.get(label_key(label))

    def is_budget_level(self, label: str) -> bool:
        return label_key(label) in self.budget_levels


@functools.cache
def _shared() -> dict[str, Any]:
    text = files("jixiao.io.actuals").joinpath("labels.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = wordlists.load(text)
    return data


def vocabulary(extra: Mapping[str, Any] | None = None) -> Vocabulary:
    """The shared vocabulary, with a layout's additions (same keys as labels.yaml) merged in."""
    data = _merge(_shared(), extra or {})
    return Vocabulary(
        columns=_index(data["columns"]),
        budget_levels=frozenset(label_key(w) for w in data["budget_levels"]),
        budget_rows=_index(data["budget_rows"]),
        budget_figures=_index(data["budget_figures"]),
        budget_printed=_index(data["budget_printed"]),
        raw=data,
    )


@functools.cache
def shared_vocabulary() -> Vocabulary:
    return vocabulary()


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            merged[key] = {**base[key], **{k: [*base[key].get(k, []), *v] for k, v in value.items()}}
        elif isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = [*base[key], *value]
        else:
            merged[key] = value
    return merged


def _index(groups: Mapping[str, list[str]]) -> dict[str, str]:
    """{meaning: [labels]} → {label key: meaning}; the first meaning listed for a label wins."""
    out: dict[str, str] = {}
    for meaning, words in groups.items():
        for word in words:
            out.setdefault(label_key(str(word)), meaning)
    return out


def column_labels() -> dict[str, str]:
    """Every column header as written in labels.yaml → the field it fills (for tools that copy rows)."""
    return {str(w): meaning for meaning, words in _shared()["columns"].items() for w in words}
