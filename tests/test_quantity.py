"""Tests for quantities, units, targets and actual values as data."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from jixiao.language.quantity import (
    Comparator,
    DateActual,
    DeadlineTarget,
    NotApplicable,
    NumericActual,
    NumericTarget,
    PartialDate,
    QualitativeTarget,
    Quantity,
    RangeTarget,
    UnitError,
    WordActual,
    compatible,
    dimension_label,
    number_text,
    read_as,
    resolve_unit,
    shown_number,
)
from jixiao.messages import decimal_shown, message

F = Fraction

UNIT_CASES = [
    # written, scale, unit, dimension
    ("", F(1), "", ""),
    ("人", F(1), "人", "人"),
    ("人次", F(1), "人次", "人次"),
    ("户", F(1), "户", "户"),
    ("个", F(1), "个", "个"),
    ("次", F(1), "次", "次"),
    ("项", F(1), "项", "项"),
    ("件", F(1), "件", "件"),
    ("所", F(1), "所", "所"),
    ("台", F(1), "台", "台"),
    ("篇", F(1), "篇", "篇"),
    ("名", F(1), "名", "人"),
    ("位", F(1), "位", "人"),
    ("天", F(1), "天", "天"),
    ("日", F(1), "日", "天"),
    ("月", F(1), "月", "月"),
    ("年", F(1), "年", "年"),
    ("小时", F(1), "小时", "小时"),
    ("元", F(1), "元", "元"),
    ("千元", F(1000), "千元", "元"),
    ("万元", F(10**4), "万元", "元"),
    ("亿元", F(10**8), "亿元", "元"),
    ("千万元", F(10**7), "千万元", "元"),
    ("%", F(1, 100), "%", "%"),
    ("‰", F(1, 1000), "‰", "%"),
    ("百分比", F(1, 100), "%", "%"),
    ("百分点", F(1, 100), "%", "%"),
    ("米", F(1), "米", "米"),
    ("千米", F(1000), "千米", "米"),
    ("公里", F(1000), "公里", "米"),
    ("平方米", F(1), "平方米", "平方米"),
    ("亩", F(2000, 3), "亩", "平方米"),
    ("公顷", F(10000), "公顷", "平方米"),
    ("千克", F(1), "千克", "千克"),
    ("公斤", F(1), "公斤", "千克"),
    ("吨", F(1000), "吨", "千克"),
    ("倍", F(1), "倍", "倍"),
    ("万人", F(10**4), "万人", "人"),
    ("十万人", F(10**5), "十万人", "人"),
    ("百万人次", F(10**6), "百万人次", "人次"),
    ("亿", F(10**8), "亿", ""),
    ("万", F(10**4), "万", ""),
    ("十", F(10), "十", ""),
    ("百", F(100), "百", ""),
    ("千", F(1000), "千", ""),
    ("辆", F(1), "辆", "辆"),
    ("栋", F(1), "栋", "栋"),
    ("万栋", F(10**4), "万栋", "栋"),
]


@pytest.mark.parametrize(("written", "scale", "unit", "dimension"), UNIT_CASES)
def test_resolve_unit(written: str, scale: Fraction, unit: str, dimension: str) -> None:
    assert resolve_unit(written) == (scale, unit, dimension)


@pytest.mark.parametrize("written", ["万%", "亿%", "万‰", "十百分比"])
def test_magnitude_percent_is_rejected(written: str) -> None:
    with pytest.raises(UnitError) as info:
        resolve_unit(written)
    assert info.value.reason == "magnitude_percent"


def test_quantity_base_and_text() -> None:
    q = Quantity.of(F(11, 10), "万人")
    assert q.base == 11000
    assert q.text() == "1.1万人"
    assert Quantity.of(F("93.76"), "%").text() == "93.76%"
    assert Quantity.of(F(970), "万元").text() == "970万元"
    assert Quantity.of(F(1, 3)).text() == "0.333333…"  # shown to staff: never a fraction
    assert Quantity.of(F(605, 97), "%").text() == "6.237113…%" and number_text(F(1, 3)) == "1/3"
    assert Quantity.of(F(-5), "%").text() == "-5%"
    assert Quantity.of(F(2000), "亩").base == F(4000000, 3)


def test_with_unit_of() -> None:
    bare = Quantity.of(F(90))
    percent = Quantity.of(F(100), "%")
    assert bare.with_unit_of(percent) == Quantity(F(90), F(1, 100), "%", "%")


def test_compatible() -> None:
    assert compatible(Quantity.of(F(1), "万元"), Quantity.of(F(5), "元"))
    assert compatible(Quantity.of(F(1), "名"), Quantity.of(F(5), "万人"))
    assert not compatible(Quantity.of(F(1), "人"), Quantity.of(F(5), "元"))
    assert not compatible(Quantity.of(F(1)), Quantity.of(F(5), "%"))


@pytest.mark.parametrize(
    ("a", "b", "dimension"),
    [
        ("个行政村", "村", "村"),  # villages counted with 个 are villages
        ("个行政村", "个", "个"),  # and a count in 个
        ("村", "个村", "个"),  # 10村 against ≥12个村: 10 of the target's villages
        ("万个村", "村", "村"),  # at a magnitude
        ("个村庄", "村庄", "村"),
        ("个", "村", None),  # a 个 need not be a village
        ("村", "个", None),
        ("", "村", None),  # a bare number has no unit to be read in (F105 gives it the target's)
        ("个村", "人", None),
    ],
)
def test_read_as_reads_villages_counted_with_ge_as_either(a: str, b: str, dimension: str | None) -> None:
    one, other = Quantity.of(F(10), a), Quantity.of(F(12), b)
    read = read_as(one, other)
    assert (read.dimension if read is not None else None) == dimension
    assert compatible(one, other) == (dimension is not None)
    if read is not None:
        assert (read.number, read.scale, read.unit) == (one.number, one.scale, one.unit)  # as written


@pytest.mark.parametrize(
    ("dim", "zh", "en"),
    [
        ("", "无单位的数", "a plain number"),
        ("%", "百分比", "a percentage"),
        ("元", "金额", "an amount of money"),
        ("人", "以「人」计的量", "a quantity in 人"),
    ],
)
def test_dimension_label(dim: str, zh: str, en: str) -> None:
    assert dimension_label(dim, "zh") == zh
    assert dimension_label(dim, "en") == en


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (PartialDate(None, 12, None), datetime.date(2020, 12, 31)),
        (PartialDate(None, 9, None), datetime.date(2020, 9, 30)),
        (PartialDate(None, 2, None), datetime.date(2020, 2, 29)),
        (PartialDate(2021, 2, None), datetime.date(2021, 2, 28)),
        (PartialDate(2019, 12, 15), datetime.date(2019, 12, 15)),
    ],
)
def test_last_day(date: PartialDate, expected: datetime.date) -> None:
    assert date.last_day(2020) == expected


PCT = Quantity.of(F(100), "%")
NINETY = Quantity.of(F(90), "%")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (NumericTarget(Comparator.GE, Quantity.of(F(11, 10), "万人"), False), "≥1.1万人"),
        (NumericTarget(Comparator.GE, PCT, True), "100%"),
        (NumericTarget(Comparator.LE, PCT, False), "≤100%"),
        (NumericTarget(Comparator.EQ, Quantity.of(F(0)), False), "=0"),
        (NumericTarget(Comparator.GT, PCT, False), ">100%"),
        (NumericTarget(Comparator.LT, PCT, False), "<100%"),
        (RangeTarget(NINETY, PCT), "90%~100%"),
        (RangeTarget(NINETY, PCT, True, False), "[90%,100%)"),
        (RangeTarget(NINETY, PCT, False, True), "(90%,100%]"),
        (DeadlineTarget(PartialDate(None, 12, None)), "12月底前"),
        (DeadlineTarget(PartialDate(2020, 12, 31)), "2020年12月31日前"),
        (QualitativeTarget("合理"), "合理"),
        (NumericActual(PCT, False), "100%"),
        (NumericActual(Quantity.of(F(111, 100), "万人"), True), "约1.11万人"),
        (DateActual(PartialDate(2020, 12, 15)), "2020年12月15日"),
        (DateActual(PartialDate(None, 11, None)), "11月"),
        (WordActual("按时完成"), "按时完成"),
        (NotApplicable(), "/"),
    ],
)
def test_text(value: object, text: str) -> None:
    assert value.text() == text  # type: ignore[attr-defined]


def test_a_fraction_given_to_a_message_is_shown_as_a_decimal() -> None:
    from_message = message("F102", "zh", {"actual": F(605, 97), "ratio": "124.74%", "threshold": "≥120%"})
    assert "6.237113…" in from_message and "605/97" not in from_message
    for x in (F(605, 97), F(-1, 3), F(1, 8), F(5), F(0), F(1, 1024)):
        assert decimal_shown(x) == shown_number(x)
