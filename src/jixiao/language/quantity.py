"""Typed quantities, targets (指标值) and actual values (实际完成值).

Pure data: frozen dataclasses built by `jixiao.language.literals`. A `Quantity` keeps
the number as written and, separately, the factor that brings it to the base
unit of its dimension, so ``1.1万人`` is number 1.1, scale 10000, unit "万人",
dimension "人".
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
from dataclasses import field
from fractions import Fraction

from jixiao.language.frozen import frozen
from jixiao.language.rounding import exact_decimal, format_exact

_F = Fraction

_COUNT_UNITS = (
    "人 人次 户 个 村 次 项 件 所 家 台 套 场 篇 册 本 张 辆 处 座 条 批 期 份 月 年 小时 倍 "
    "台套 台次 户次 件次 篇次 场次 批次 项次 车次 亩次 人日 人月 人年 吨公里"
).split()

UNITS: dict[str, tuple[str, Fraction]] = {
    **{u: (u, _F(1)) for u in _COUNT_UNITS},
    "名": ("人", _F(1)),
    "位": ("人", _F(1)),
    "天": ("天", _F(1)),
    "日": ("天", _F(1)),
    "个月": ("月", _F(1)),
    # 5个村 is 5 (villages) counted with 个: against ≥5个 as tables mean it, and ≥5个村 is ≥5个; 5村 is a
    # count of 村. Read only whole (WHOLE_WORDS): the 个村 of 5个村民小组 is 个 and the words 村民小组
    "个村": ("个", _F(1)),
    "个村庄": ("个", _F(1)),
    "个行政村": ("个", _F(1)),
    "村庄": ("村", _F(1)),
    "行政村": ("村", _F(1)),
    "元": ("元", _F(1)),
    "圆": ("元", _F(1)),  # the formal spelling: 壹万圆, 万圆
    "千元": ("元", _F(1000)),
    "万元": ("元", _F(10**4)),
    "亿元": ("元", _F(10**8)),
    "%": ("%", _F(1, 100)),
    "‰": ("%", _F(1, 1000)),
    "米": ("米", _F(1)),
    "m": ("米", _F(1)),  # as in m2, m3 (平方米, 立方米): never minutes (分钟) nor months
    "厘米": ("米", _F(1, 100)),
    "cm": ("米", _F(1, 100)),
    "毫米": ("米", _F(1, 1000)),
    "mm": ("米", _F(1, 1000)),
    "千米": ("米", _F(1000)),
    "公里": ("米", _F(1000)),
    "公里数": ("米", _F(1000)),  # a 计量单位 column's "number of kilometres": ≥10公里数 is ≥10公里
    "千米数": ("米", _F(1000)),
    "km": ("米", _F(1000)),
    "㎞": ("米", _F(1000)),
    "平方米": ("平方米", _F(1)),
    "平方": ("平方米", _F(1)),  # 100平方: a floor area, as people say it
    "㎡": ("平方米", _F(1)),
    "m²": ("平方米", _F(1)),
    "m2": ("平方米", _F(1)),
    "米²": ("平方米", _F(1)),
    "米2": ("平方米", _F(1)),
    "平方公里": ("平方米", _F(10**6)),
    "平方千米": ("平方米", _F(10**6)),
    "km²": ("平方米", _F(10**6)),
    "km2": ("平方米", _F(10**6)),
    "亩": ("平方米", _F(2000, 3)),
    "公顷": ("平方米", _F(10000)),
    "立方米": ("立方米", _F(1)),
    "立方": ("立方米", _F(1)),
    "方": ("立方米", _F(1)),  # earthwork and water: 土方5万方, 供水10万方
    "m³": ("立方米", _F(1)),
    "m3": ("立方米", _F(1)),
    "米³": ("立方米", _F(1)),
    "米3": ("立方米", _F(1)),
    "升": ("立方米", _F(1, 1000)),
    "L": ("立方米", _F(1, 1000)),
    "毫升": ("立方米", _F(1, 10**6)),
    "mL": ("立方米", _F(1, 10**6)),
    "ml": ("立方米", _F(1, 10**6)),
    "瓦": ("千瓦", _F(1, 1000)),
    "千瓦": ("千瓦", _F(1)),
    "kW": ("千瓦", _F(1)),
    "兆瓦": ("千瓦", _F(1000)),
    "MW": ("千瓦", _F(1000)),
    "千瓦时": ("千瓦时", _F(1)),
    "千瓦·时": ("千瓦时", _F(1)),
    "kWh": ("千瓦时", _F(1)),
    "千瓦小时": ("千瓦时", _F(1)),
    "kW·h": ("千瓦时", _F(1)),
    "度电": ("千瓦时", _F(1)),  # 100度电: a 度 of electricity is a kWh (度 alone may be a temperature)
    "兆瓦时": ("千瓦时", _F(1000)),
    "MWh": ("千瓦时", _F(1000)),
    "人·次": ("人次", _F(1)),
    "床": ("床", _F(1)),
    "张床": ("床", _F(1)),
    "床位": ("床", _F(1)),
    "克": ("千克", _F(1, 1000)),
    "千克": ("千克", _F(1)),
    "公斤": ("千克", _F(1)),
    "kg": ("千克", _F(1)),
    "㎏": ("千克", _F(1)),
    "吨": ("千克", _F(1000)),
    "℃": ("℃", _F(1)),
    "°C": ("℃", _F(1)),
}
"""Known units: written unit -> (dimension, factor to the dimension's base)."""

CURRENCIES: dict[str, str] = {
    **dict.fromkeys(["人民币", "RMB", "CNY"], "元"),
    **dict.fromkeys(["美元", "美圆", "美金", "USD"], "美元"),
    **dict.fromkeys(["欧元", "EUR"], "欧元"),
    **dict.fromkeys(["日元", "日圆", "円", "JPY"], "日元"),
    **dict.fromkeys(["英镑", "GBP"], "英镑"),
    **dict.fromkeys(["港元", "港币", "HKD"], "港元"),
    **dict.fromkeys(["澳门元", "澳门币"], "澳门元"),
    **dict.fromkeys(["新台币", "台币"], "新台币"),
    "澳元": "澳元",
    "加元": "加元",  # not CAD: 采购CAD12套 is software, not money
    "韩元": "韩元",
    "卢布": "卢布",
    "瑞士法郎": "瑞士法郎",
    "新加坡元": "新加坡元",
}
"""Currencies by name or code -> the unit they are counted in: 人民币 is 元; each other currency is a unit of
its own (12900美元 compares with ≤1.2万美元, never with 元). Known as units so that they are read whole:
12900日元 is no 12900日 (days), 12900人民币 no 12900人, 12900台币 no 12900台."""

UNITS.update({word: (unit, _F(1)) for word, unit in CURRENCIES.items()})

WHOLE_WORDS = frozenset(
    "方 升 平方 立方 L ml mL 毫升 瓦 千瓦 kW MW 兆瓦 床 村 村庄 行政村 个村 个村庄 个行政村 m cm mm".split()
)
"""Units read only as the whole unit, never as the start of a longer one: 3方面 and 平方未 are not 3方 and
平方 followed by stray text (an unknown unit as before, or a typo of 平方米, W109); 500村民 is no 500村, 5min
no 5m."""

PERCENT_WORDS: dict[str, str] = {"百分比": "%", "百分点": "%", "个百分点": "%"}
"""Word spellings of a percentage and the unit they normalise to."""

MAGNITUDES: dict[str, Fraction] = {
    "十万": _F(10**5),
    "百万": _F(10**6),
    "千万": _F(10**7),
    "十": _F(10),
    "百": _F(100),
    "千": _F(1000),
    "万": _F(10**4),
    "亿": _F(10**8),
}
"""Chinese magnitudes written before a unit, longest spelling first."""


class UnitError(ValueError):
    """A unit that cannot be read; `reason` is a key of literals.REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_DOTS = str.maketrans({c: "·" for c in "*×・•"})


def known_unit(word: str) -> tuple[str, str, Fraction] | None:
    """Look up a unit word: (normalised unit, dimension, factor), or None (人*次 is 人·次)."""
    word = PERCENT_WORDS.get(word, word).translate(_DOTS)
    if word in UNITS:
        dimension, factor = UNITS[word]
        return word, dimension, factor
    return None


def split_magnitude(written: str) -> tuple[str, Fraction, str]:
    """Split a leading magnitude off a unit: "万人" -> ("万", 10000, "人").

    Whole unit words such as 千米, 千元, 百分比 are not split.
    """
    if known_unit(written) is not None:
        return "", _F(1), written
    for word, factor in MAGNITUDES.items():
        if written.startswith(word):
            return word, factor, written[len(word) :]
    return "", _F(1), written


METRIC_WORDS = frozenset({"千米", "千克", "千瓦", "千瓦时", "千瓦·时", "千瓦小时"})
"""Units whose 千 is part of the word (a distance, a mass, a power), not a magnitude a table adds."""


def unscaled_unit(unit: str) -> str | None:
    """The unit without the magnitude it was written with (万人 → 人, 万元 → 元, 亿元/公里 → 元/公里),
    or None for a unit written without one (人, 元, %, 公里, 千米).

    A bare number against such a unit reads two ways: 10500 is 10500人 or 10500万人.
    """
    head, per, tail = unit.partition(PER)
    if head in METRIC_WORDS:
        return None
    for word in MAGNITUDES:
        if head.startswith(word) and len(head) > len(word):
            return head[len(word) :] + per + tail
    return None


PER = "/"
"""Separates a compound unit's numerator from its denominator: 元/人, 人次/天, 万元/公里."""
TIMES = "·*×・•"
"""Join the units of a compound denominator: 元/人·月 = 元/人*月 = 元/人/月."""


def resolve_unit(written: str) -> tuple[Fraction, str, str]:
    """Read a written unit (magnitude included) as (scale, unit, dimension).

    Raises `UnitError("magnitude_percent")` for a magnitude before % or ‰.
    An unknown unit is its own dimension, named by itself. A compound unit (元/人·月) is a
    dimension of its own, see `compound_unit`.
    """
    if PER in written:
        return compound_unit(written)
    return _simple_unit(written)


def compound_unit(written: str) -> tuple[Fraction, str, str]:
    """A rate such as 元/人·月: the numerator's dimension over the denominators' (in any order).

    万元/公里 and 元/米 are the same dimension (元/米) at different scales; 元/人·月 compares only
    with 元 per 人 and 月 (元/月·人 alike), never with 元. Raises `UnitError("bad_unit")` for an
    empty part or a percentage inside a compound unit.
    """
    head, *tail = written.split(PER)
    parts = [_simple_unit(head)]
    for piece in tail:
        for char in TIMES:
            piece = piece.replace(char, "·")
        parts.extend(_simple_unit(word) for word in piece.split("·"))
    if any(unit == "" or dimension == "%" for _, unit, dimension in parts):
        raise UnitError("bad_unit")
    (scale, unit, dimension), below = parts[0], parts[1:]
    for factor, _, _ in below:
        scale /= factor
    units = "·".join(u for _, u, _ in below)
    dimensions = "·".join(sorted(d for _, _, d in below))
    return scale, f"{unit}{PER}{units}", f"{dimension}{PER}{dimensions}"


def _simple_unit(written: str) -> tuple[Fraction, str, str]:
    """One unit word with an optional magnitude: 万人, 公里, %."""
    magnitude, factor, rest = split_magnitude(written)
    known = known_unit(rest)
    if known is None:
        return factor, written, rest
    unit, dimension, base = known
    if magnitude and dimension == "%":
        raise UnitError("magnitude_percent")
    return factor * base, magnitude + unit, dimension


def number_text(x: Fraction) -> str:
    """Minimal exact decimal of `x`, or "a/b" if it does not terminate (for text read back, never shown
    to staff: `shown_number`)."""
    text = exact_decimal(x)
    return text if text is not None else f"{x.numerator}/{x.denominator}"


SHOWN_PLACES = 6  # the places a value that never ends is shown to, as explanations show it (`format_exact`)


def shown_number(x: Fraction) -> str:
    """`x` as staff read it: its exact decimal when it ends (however many places), else cut to
    `SHOWN_PLACES` places with an ellipsis (605/97 → `6.237113…`), never a fraction."""
    text = exact_decimal(x)
    return text if text is not None else format_exact(x, SHOWN_PLACES)


@frozen
class Quantity:
    """A number with its unit, as written, plus what it means in base units."""

    number: Fraction
    scale: Fraction
    unit: str
    dimension: str

    @staticmethod
    def of(number: Fraction, written_unit: str = "") -> Quantity:
        """Build a quantity from a number and a written unit such as "万人"."""
        scale, unit, dimension = resolve_unit(written_unit)
        return Quantity(number, scale, unit, dimension)

    @functools.cached_property
    def base(self) -> Fraction:
        """The value in the dimension's base unit (11000 for 1.1万人), computed once."""
        return self.number * self.scale

    def with_unit_of(self, other: Quantity) -> Quantity:
        """Re-read this number in `other`'s written unit ("90" in "90-100%")."""
        return Quantity(self.number, other.scale, other.unit, other.dimension)

    def text(self) -> str:
        """Canonical text, e.g. "1.1万人", "93.76%", "970万元"; a computed value that never ends as
        `shown_number` shows it ("6.237113…%")."""
        return shown_number(self.number) + self.unit


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities can be compared (same dimension, or a count that is both: `read_as`)."""
    return read_as(a, b) is not None


ALSO_COUNTS: dict[str, str] = {"个村": "村", "个村庄": "村", "个行政村": "村"}
"""Units of one dimension (`UNITS`) that name a thing of another as well: villages counted with 个 are a
count in 个 (5个村 against ≥5个) and villages (10个行政村 against ≥12村, or in a row whose 计量单位 is 村).
Only these whole words (`WHOLE_WORDS`): 10个村民小组 is 10个, never villages."""


def _also_counts(unit: str) -> str | None:
    """The second dimension a written unit (its magnitude included: 万个村) counts, or None."""
    return ALSO_COUNTS.get(split_magnitude(unit)[2])


def read_as(a: Quantity, b: Quantity) -> Quantity | None:
    """`a` in `b`'s dimension, to be compared with `b`, or None when the two count different things.

    `a` itself when the dimensions are one; a count that is both (`ALSO_COUNTS`) is either: 10个行政村
    read against 12村 is 10 in 村, and 10村 read against ≥12个行政村 is 10 in 个 (both count villages).
    10个 against 12村 stays two things (a 个 need not be a village), and a bare number is no unit."""
    if a.dimension == b.dimension:
        return a
    if b.dimension == _also_counts(a.unit) or a.dimension == _also_counts(b.unit):
        return Quantity(a.number, a.scale, a.unit, b.dimension)
    return None


def dimension_label(dim: str, lang: str) -> str:
    """A human name for a dimension, in Chinese ("zh") or English."""
    zh = lang == "zh"
    if dim == "":
        return "无单位的数" if zh else "a plain number"
    if dim == "%":
        return "百分比" if zh else "a percentage"
    if dim == "元":
        return "金额" if zh else "an amount of money"
    if dim == "度":  # an unknown unit of its own, which people use for two things
        if zh:
            return (
                "以「度」计的量（「度」可以是电量，也可以是温度：电量请写「度电」或「千瓦时」，温度写「℃」）"
            )
        return (
            "a quantity in 度 (度 is a kWh of electricity or a degree:"
            " write 度电 or 千瓦时 for energy, ℃ for heat)"
        )
    return f"以「{dim}」计的量" if zh else f"a quantity in {dim}"


class Comparator(enum.Enum):
    """The direction of a numeric target."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="

    @property
    def symbol(self) -> str:
        """The canonical sign: ≥ > ≤ < =."""
        return _SYMBOLS[self]


_SYMBOLS: dict[Comparator, str] = {
    Comparator.GE: "≥",
    Comparator.GT: ">",
    Comparator.LE: "≤",
    Comparator.LT: "<",
    Comparator.EQ: "=",
}


@frozen
class NumericTarget:
    """A target such as ``≥1.1万人``; `implicit` when no sign was written."""

    comparator: Comparator
    quantity: Quantity
    implicit: bool = False

    def text(self) -> str:
        """Canonical text: "≥1.1万人", or "100%" for an implicit target."""
        sign = "" if self.implicit else self.comparator.symbol
        return sign + self.quantity.text()


@frozen
class RangeTarget:
    """A target range such as ``90%~100%`` or ``[80%,100%)``."""

    low: Quantity
    high: Quantity
    low_inclusive: bool = True
    high_inclusive: bool = True

    def text(self) -> str:
        """Canonical text: "90%~100%" when closed, else interval brackets."""
        if self.low_inclusive and self.high_inclusive:
            return f"{self.low.text()}~{self.high.text()}"
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        return f"{left}{self.low.text()},{self.high.text()}{right}"


@frozen
class PartialDate:
    """A date written to month or day precision, with or without a year."""

    year: int | None
    month: int
    day: int | None

    def last_day(self, default_year: int) -> datetime.date:
        """The latest date the text allows ("12月" -> 31 Dec of the year)."""
        year = self.year if self.year is not None else default_year
        day = self.day if self.day is not None else calendar.monthrange(year, self.month)[1]
        return datetime.date(year, self.month, day)

    def exists_in(self, default_year: int) -> bool:
        """Whether the day is in its month in its year, or in `default_year` without one (2月29日 is not
        in 2023): `last_day` raises otherwise."""
        year = self.year if self.year is not None else default_year
        return self.day is None or self.day <= calendar.monthrange(year, self.month)[1]

    def text(self) -> str:
        """Canonical text such as "2020年12月31日" or "12月"."""
        year = f"{self.year}年" if self.year is not None else ""
        day = f"{self.day}日" if self.day is not None else ""
        return f"{year}{self.month}月{day}"


@frozen
class DeadlineTarget:
    """A deadline such as ``12月底前``, ``9月前`` or ``2020年12月31日前``.

    Choice: a deadline is met when the work is done on or before the LAST day
    its written granularity allows, so "9月前" means "by 30 September" (read
    like "9月底前"), not "before 1 September". "年底前" is "12月底前".
    """

    date: PartialDate

    def text(self) -> str:
        """Canonical text: "12月底前" for a month, "12月31日前" for a day."""
        if self.date.day is None:
            return f"{self.date.text()}底前"
        return f"{self.date.text()}前"


@frozen
class NotApplicableTarget:
    """目标 /: the table marks the indicator not applicable in its target column."""

    def text(self) -> str:
        """Canonical text "/"."""
        return "/"


@frozen
class QualitativeTarget:
    """A qualitative target word such as 合理 or 有效保障."""

    word: str

    def text(self) -> str:
        """The word itself."""
        return self.word


Target = NumericTarget | RangeTarget | DeadlineTarget | QualitativeTarget | NotApplicableTarget


@frozen
class NumericActual:
    """A numeric actual value; `approximate` for 约, ≈, 左右; `restated` when a sign was copied (≥266米)."""

    quantity: Quantity
    approximate: bool = False
    restated: bool = field(default=False, compare=False)
    # 2020.9 (a year, a dot and a one-digit month, nothing else): the month it is against a deadline
    as_date: PartialDate | None = field(default=None, compare=False, repr=False)
    # a sheet's number cell showing 2020.1: typed 2020.10 (October) or 2020.1 (January), Excel keeps one
    unsure_month: bool = field(default=False, compare=False, repr=False)

    def text(self) -> str:
        """Canonical text, "约" prefixed when approximate."""
        return ("约" if self.approximate else "") + self.quantity.text()


@frozen
class DateActual:
    """A completion date such as ``12月20日`` or ``2020.12``."""

    date: PartialDate

    def text(self) -> str:
        """The date's canonical text."""
        return self.date.text()


@frozen
class WordActual:
    """A qualitative actual such as 合理 or 达成年度指标."""

    word: str

    def text(self) -> str:
        """The word itself."""
        return self.word


@frozen
class NotApplicable:
    """不适用: written "/", "／", "不适用", "N/A" or a dash."""

    def text(self) -> str:
        """Canonical text "/"."""
        return "/"


@frozen
class Unknown:
    """得分未知: the cell is cut off or illegible (written "?", "未知", "不详", "无法辨认")."""

    def text(self) -> str:
        """Canonical text "?"."""
        return "?"


Actual = NumericActual | DateActual | WordActual | NotApplicable | Unknown
