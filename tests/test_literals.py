"""Table-driven tests for the literal scanner (targets and actual values)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.language import literals
from jixiao.language.literals import (
    REASONS,
    LiteralError,
    normalize,
    parse_actual,
    parse_quantity,
    parse_target,
)
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
    WordActual,
    dimension_label,
)

F = Fraction
GE, GT, LE, LT, EQ = Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT, Comparator.EQ
W = F(10**4)

NUMERIC_TARGETS = [
    # text, comparator, implicit, number, scale, unit, dimension
    ("≥1.1万人", GE, False, "1.1", W, "万人", "人"),
    ("≧95%", GE, False, "95", F(1, 100), "%", "%"),
    (">=90%", GE, False, "90", F(1, 100), "%", "%"),
    ("＞=90%", GE, False, "90", F(1, 100), "%", "%"),
    ("⩾3台", GE, False, "3", 1, "台", "台"),
    ("不少于100人", GE, False, "100", 1, "人", "人"),
    ("不低于90%", GE, False, "90", F(1, 100), "%", "%"),
    ("不小于5项", GE, False, "5", 1, "项", "项"),
    ("大于等于80%", GE, False, "80", F(1, 100), "%", "%"),
    ("95%以上", GE, False, "95", F(1, 100), "%", "%"),
    ("95%及以上", GE, False, "95", F(1, 100), "%", "%"),
    ("1万人以上", GE, False, "1", W, "万人", "人"),
    ("≥95%以上", GE, False, "95", F(1, 100), "%", "%"),
    ("≤5%", LE, False, "5", F(1, 100), "%", "%"),
    ("≦5%", LE, False, "5", F(1, 100), "%", "%"),
    ("<=5%", LE, False, "5", F(1, 100), "%", "%"),
    ("⩽5%", LE, False, "5", F(1, 100), "%", "%"),
    ("不高于3%", LE, False, "3", F(1, 100), "%", "%"),
    ("不超过5天", LE, False, "5", 1, "天", "天"),
    ("不大于10日", LE, False, "10", 1, "日", "天"),
    ("小于等于2小时", LE, False, "2", 1, "小时", "小时"),
    ("90万元以内", LE, False, "90", W, "万元", "元"),
    ("3%以下", LE, False, "3", F(1, 100), "%", "%"),
    ("3%及以下", LE, False, "3", F(1, 100), "%", "%"),
    ("=0", EQ, False, "0", 1, "", ""),
    ("═100%", EQ, False, "100", F(1, 100), "%", "%"),
    ("﹦100%", EQ, False, "100", F(1, 100), "%", "%"),
    ("＝100%", EQ, False, "100", F(1, 100), "%", "%"),
    ("==1", EQ, False, "1", 1, "", ""),
    ("等于12个月", EQ, False, "12", 1, "个月", "月"),
    (">5", GT, False, "5", 1, "", ""),
    ("大于5", GT, False, "5", 1, "", ""),
    ("高于80%", GT, False, "80", F(1, 100), "%", "%"),
    ("超过3次", GT, False, "3", 1, "次", "次"),
    ("<5", LT, False, "5", 1, "", ""),
    ("小于5%", LT, False, "5", F(1, 100), "%", "%"),
    ("低于3%", LT, False, "3", F(1, 100), "%", "%"),
    ("100%", GE, True, "100", F(1, 100), "%", "%"),
    ("1.1万人", GE, True, "1.1", W, "万人", "人"),
    ("973万元", GE, True, "973", W, "万元", "元"),
    ("9700000元", GE, True, "9700000", 1, "元", "元"),
    ("9,700,000元", GE, True, "9700000", 1, "元", "元"),
    ("９，７００，０００元", GE, True, "9700000", 1, "元", "元"),
    ("2亿元", GE, True, "2", F(10**8), "亿元", "元"),
    ("≥100百分比", GE, False, "100", F(1, 100), "%", "%"),
    ("≥5个百分点", GE, False, "5", F(1, 100), "%", "%"),
    ("≥95％", GE, False, "95", F(1, 100), "%", "%"),
    ("１．１万人", GE, True, "1.1", W, "万人", "人"),
    ("≥ 1.1 万人", GE, False, "1.1", W, "万人", "人"),
    ("  ≥1.1万人  ", GE, False, "1.1", W, "万人", "人"),
    ("-5%", GE, True, "-5", F(1, 100), "%", "%"),
    ("≥-5%", GE, False, "-5", F(1, 100), "%", "%"),
    ("0", GE, True, "0", 1, "", ""),
    ("≥5台", GE, False, "5", 1, "台", "台"),
    ("≥3篇", GE, False, "3", 1, "篇", "篇"),
    ("≥10期", GE, False, "10", 1, "期", "期"),
    ("≥8栋", GE, False, "8", 1, "栋", "栋"),
    ("≥1.1万", GE, False, "1.1", W, "万", ""),
    ("≥10人次", GE, False, "10", 1, "人次", "人次"),
    ("≥5公里", GE, False, "5", 1000, "公里", "米"),
    ("≥266米", GE, False, "266", 1, "米", "米"),
    ("≥2000平方米", GE, False, "2000", 1, "平方米", "平方米"),
    ("≥300亩", GE, False, "300", F(2000, 3), "亩", "平方米"),
    ("≥2倍", GE, False, "2", 1, "倍", "倍"),
    ("≤1‰", LE, False, "1", F(1, 1000), "‰", "%"),
    ("≥50户", GE, False, "50", 1, "户", "户"),
    ("≥3个", GE, False, "3", 1, "个", "个"),
    ("≥3件", GE, False, "3", 1, "件", "件"),
    ("≥2所", GE, False, "2", 1, "所", "所"),
    ("≥1年", GE, False, "1", 1, "年", "年"),
]


@pytest.mark.parametrize(
    ("text", "comparator", "implicit", "number", "scale", "unit", "dimension"),
    NUMERIC_TARGETS,
)
def test_numeric_target(
    text: str,
    comparator: Comparator,
    implicit: bool,
    number: str,
    scale: Fraction,
    unit: str,
    dimension: str,
) -> None:
    expected = Quantity(F(number), F(scale), unit, dimension)
    assert parse_target(text) == NumericTarget(comparator, expected, implicit)


P = F(1, 100)
RANGE_TARGETS = [
    # text, low, high, low unit (all %), inclusive
    ("90%-100%", "90", "100", True, True),
    ("90%~100%", "90", "100", True, True),
    ("90%～100%", "90", "100", True, True),
    ("90%至100%", "90", "100", True, True),
    ("90%到100%", "90", "100", True, True),
    ("90%—100%", "90", "100", True, True),
    ("90-100%", "90", "100", True, True),
    ("90 - 100%", "90", "100", True, True),
    ("[80%,100%]", "80", "100", True, True),
    ("[80%，100%]", "80", "100", True, True),
    ("[80%,100%)", "80", "100", True, False),
    ("(80%,100%]", "80", "100", False, True),
    ("（80%，100%）", "80", "100", False, False),
    ("80%≤x≤100%", "80", "100", True, True),
    ("80%<x<100%", "80", "100", False, False),
    ("80%<=X<100%", "80", "100", True, False),
    ("-5%~5%", "-5", "5", True, True),
    ("-5%-5%", "-5", "5", True, True),
]


@pytest.mark.parametrize(("text", "low", "high", "low_inc", "high_inc"), RANGE_TARGETS)
def test_range_target(text: str, low: str, high: str, low_inc: bool, high_inc: bool) -> None:
    lo = Quantity(F(low), P, "%", "%")
    hi = Quantity(F(high), P, "%", "%")
    assert parse_target(text) == RangeTarget(lo, hi, low_inc, high_inc)


def test_range_with_money_and_separators() -> None:
    lo = Quantity(F(9000000), F(1), "元", "元")
    hi = Quantity(F(9700000), F(1), "元", "元")
    assert parse_target("[9,000,000元,9,700,000元]") == RangeTarget(lo, hi)
    assert parse_target("9000000-9700000元") == RangeTarget(lo, hi)


DEADLINES = [
    ("12月底前", PartialDate(None, 12, None)),
    ("12月前", PartialDate(None, 12, None)),
    ("9月前", PartialDate(None, 9, None)),
    ("9月底之前", PartialDate(None, 9, None)),
    ("2020年12月31日前", PartialDate(2020, 12, 31)),
    ("12月31日之前", PartialDate(None, 12, 31)),
    ("12月31日", PartialDate(None, 12, 31)),
    ("年底前", PartialDate(None, 12, None)),
    ("2020年底前", PartialDate(2020, 12, None)),
    ("年内", PartialDate(None, 12, None)),
    ("2020-12-31前", PartialDate(2020, 12, 31)),
    ("6月底前完成", PartialDate(None, 6, None)),
    ("２月２９日前", PartialDate(None, 2, 29)),
    # ≤ or < before a date (the 2021 template's 指标性质 column) is 前: done by the date's last day
    ("≤2020年12月", PartialDate(2020, 12, None)),
    ("≤2020年12月31日", PartialDate(2020, 12, 31)),
    ("<2020年12月", PartialDate(2020, 12, None)),
    ("<=2020年12月底前", PartialDate(2020, 12, None)),
    ("≦ 2021年11月", PartialDate(2021, 11, None)),
    ("≤12月底", PartialDate(None, 12, None)),
    ("≤12月31日", PartialDate(None, 12, 31)),
    ("≤年底", PartialDate(None, 12, None)),
    ("不晚于2020年底", PartialDate(2020, 12, None)),
    ("不迟于2020年6月30日", PartialDate(2020, 6, 30)),
    # a dotted or dashed date is a date, as in an actual value: never the number 2020.12
    ("≤2020.12", PartialDate(2020, 12, None)),
    ("≤2020.12.31", PartialDate(2020, 12, 31)),
    ("2020.12", PartialDate(2020, 12, None)),
    ("2020.09.30", PartialDate(2020, 9, 30)),
    ("≤2020-12-31", PartialDate(2020, 12, 31)),
    ("2020-12-31", PartialDate(2020, 12, 31)),
    # a one-digit month after ≤ or before 前 is the month too: ≤2020.9 is September, never a number
    ("≤2020.9", PartialDate(2020, 9, None)),
    ("≤2020.1", PartialDate(2020, 1, None)),
    ("<2020.9", PartialDate(2020, 9, None)),
    ("2020.9前", PartialDate(2020, 9, None)),
    ("2020.9底前", PartialDate(2020, 9, None)),
    ("不晚于2020.9", PartialDate(2020, 9, None)),
    ("≤2020.9.30", PartialDate(2020, 9, 30)),
]


def test_a_one_digit_dotted_month_alone_stays_a_number() -> None:
    """2020.9 alone or after ≥ is the number (a target of 2020.9 tonnes without its unit); an actual 2020.9
    is a number that keeps its month for a deadline; 2020.09 and 2020.10 are dates anywhere."""
    for text in ["2020.9", "≥2020.9", ">2020.1"]:
        assert isinstance(parse_target(text), NumericTarget), text
    actual = parse_actual("2020.9")
    assert isinstance(actual, NumericActual) and actual.as_date == PartialDate(2020, 9, None)
    assert not actual.unsure_month
    assert parse_actual("2020.10") == DateActual(PartialDate(2020, 10, None))
    assert parse_actual("2020.1万元").as_date is None  # type: ignore[union-attr]


def test_qian_is_never_a_unit() -> None:
    """前 after a number is a deadline's word, not a unit: 100前 is an error, not 100 of the unit 前."""
    for text in ["100前", "5 之前"]:
        with pytest.raises(LiteralError) as caught:
            parse_target(text)
        assert caught.value.reason == "trailing"


def test_a_month_count_after_a_comparator_stays_a_number() -> None:
    """≤3月 is at most 3 months, as before; 2020.13 or a dotted number with a unit is no date."""
    for text in ["≤3月", "≤12月", "2020.13", "≤2020.12万元", "≥1999.50"]:
        assert isinstance(parse_target(text), NumericTarget), text


@pytest.mark.parametrize(("text", "date"), DEADLINES)
def test_deadline_target(text: str, date: PartialDate) -> None:
    assert parse_target(text) == DeadlineTarget(date)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        *DEADLINES,
        ("2020.12.20前", PartialDate(2020, 12, 20)),
        ("2020-12-20前", PartialDate(2020, 12, 20)),
        ("2020.09前", PartialDate(2020, 9, None)),
        ("2020.9前完成", PartialDate(2020, 9, None)),
        ("已于2020.9前完成", PartialDate(2020, 9, None)),
        ("于2020.12.20前完成", PartialDate(2020, 12, 20)),
    ],
)
def test_an_actual_written_as_a_deadline_is_the_date_a_target_so_written_is(
    text: str, date: PartialDate
) -> None:
    """Filled tables give completion dates the way targets give deadlines (2020.9前, 2020-12-20前, ≤2020.12:
    done by then): the actual is the date the target reads (2020.9前 was E505, 前 a unit; ≤2020.12 a number).
    ≤2020.9 without 前 stays the number that keeps its month, as 2020.9 does."""
    actual = parse_actual(text)
    got = actual.date if isinstance(actual, DateActual) else getattr(actual, "as_date", None)
    assert got == date, actual


@pytest.mark.parametrize("text", ["2020年前", "2020年以前", "已于2020年前完成"])
def test_a_year_and_qian_is_asked_which_end_it_means(text: str) -> None:
    """2020年前: by the end of 2020, or before 2020 began? Neither a target nor an actual guesses; the
    message says what to write (was 「值后面有多余的内容」 as a target, the number 2020 年 as an actual)."""
    for parse in (parse_target, parse_actual):
        with pytest.raises(LiteralError) as caught:
            parse(text)
        assert caught.value.reason == "year_before"
        assert "2020年底前" in caught.value.message() and "2019年12月31日前" in caught.value.message("en")


@pytest.mark.parametrize(
    "word",
    ["合理", "健全", "合规", "有效", "显著", "有效保障", "有效提高", "达成预期指标", "按时完成"],
)
def test_qualitative_target(word: str) -> None:
    assert parse_target(word) == QualitativeTarget(word)
    assert parse_target(f" {word} ") == QualitativeTarget(word)


TARGET_ERRORS = [
    # text, reason, offset
    ("≥1e4人", "scientific", 2),  # scientific notation, said so (was: "unexpected text after the value")
    ("≥1.1E+4人", "scientific", 4),
    ("", "empty", 0),
    ("   ", "empty", 0),
    ("≥1.1万%", "magnitude_percent", 4),
    ("1.1万%", "magnitude_percent", 3),
    ("≥2亿‰", "magnitude_percent", 2),
    ("≥", "no_number", 1),
    ("≥ ", "no_number", 1),
    ("不少于", "no_number", 3),
    ("以上", "no_number", 2),
    ("≥合理", "no_number", 1),
    ("1..1万", "bad_number", 0),
    ("≥1,00人", "bad_number", 1),
    ("≥1.1万人abc", "trailing", 6),
    ("≥1.1万人 abc", "trailing", 7),
    ("100%完成", "trailing", 4),
    ("1.1万人中1.05万人", "trailing", 5),
    ("=SUM(A1:A3)", "formula", 0),
    (" =A1*2", "formula", 1),
    ("#N/A", "error_value", 0),
    ("#DIV/0!", "error_value", 0),
    ("#VALUE!", "error_value", 0),
    ("#REF!", "error_value", 0),
    ("#NAME?", "error_value", 0),
    ("#NUM!", "error_value", 0),
    ("#NULL!", "error_value", 0),
    ("[80%,70%]", "bad_range", 1),
    ("90%-100人", "bad_range", 0),
    ("≥90%-100%", "bad_range", 1),
    ("13月前", "bad_date", 0),
    ("2月30日前", "bad_date", 2),
    ("2021年2月29日前", "bad_date", 7),
    ("≥90%以下", "conflicting_comparator", 0),
    ("≥2020年12月", "date_not_deadline", 0),
    ("> 2020.12", "date_not_deadline", 0),
    ("=2020年12月31日", "date_not_deadline", 0),
    ("不少于2020-06", "date_not_deadline", 0),
    ("≤2020年13月", "bad_date", 6),
]


@pytest.mark.parametrize(("text", "reason", "offset"), TARGET_ERRORS)
def test_target_errors(text: str, reason: str, offset: int) -> None:
    with pytest.raises(LiteralError) as info:
        parse_target(text)
    assert (info.value.reason, info.value.offset) == (reason, offset)
    assert info.value.reason in REASONS
    assert info.value.message("en") == REASONS[reason][1]


def _q(number: str, scale: Fraction | int, unit: str, dimension: str) -> Quantity:
    return Quantity(F(number), F(scale), unit, dimension)


ACTUALS = [
    ("约发放人数1.11万人", NumericActual(_q("1.11", W, "万人", "人"), True)),
    ("发放1.11万人", NumericActual(_q("1.11", W, "万人", "人"), False)),
    ("共计973万元", NumericActual(_q("973", W, "万元", "元"), False)),
    ("约1.11万人", NumericActual(_q("1.11", W, "万人", "人"), True)),
    ("大约1.11万人", NumericActual(_q("1.11", W, "万人", "人"), True)),
    ("≈95%", NumericActual(_q("95", P, "%", "%"), True)),
    ("1.11万人左右", NumericActual(_q("1.11", W, "万人", "人"), True)),
    ("≥266米", NumericActual(_q("266", 1, "米", "米"), False)),
    ("95%以上", NumericActual(_q("95", P, "%", "%"), False)),
    ("100%", NumericActual(_q("100", P, "%", "%"), False)),
    ("93.76%", NumericActual(_q("93.76", P, "%", "%"), False)),
    ("９３．７６％", NumericActual(_q("93.76", P, "%", "%"), False)),
    ("9,700,000元", NumericActual(_q("9700000", 1, "元", "元"), False)),
    ("1.11万人已发放", NumericActual(_q("1.11", W, "万人", "人"), False)),
    ("-5%", NumericActual(_q("-5", P, "%", "%"), False)),
    ("=100%", NumericActual(_q("100", P, "%", "%"), False)),
    ("0", NumericActual(_q("0", 1, "", ""), False)),
    ("12月20日", DateActual(PartialDate(None, 12, 20))),
    ("2020年12月15日", DateActual(PartialDate(2020, 12, 15))),
    ("2020-12-15", DateActual(PartialDate(2020, 12, 15))),
    ("2020/12/15", DateActual(PartialDate(2020, 12, 15))),
    ("2020.12", DateActual(PartialDate(2020, 12, None))),
    ("2020.12.15", DateActual(PartialDate(2020, 12, 15))),
    ("11月底", DateActual(PartialDate(None, 11, None))),
    ("于12月20日完成", DateActual(PartialDate(None, 12, 20))),
    ("年底", DateActual(PartialDate(None, 12, None))),
    ("合理", WordActual("合理")),
    ("按时完成", WordActual("按时完成")),
    ("达成年度指标", WordActual("达成年度指标")),
    ("部分达成年度指标并具有一定效果", WordActual("部分达成年度指标并具有一定效果")),
    ("无", WordActual("无")),
    ("/", NotApplicable()),
    ("／", NotApplicable()),
    (" / ", NotApplicable()),
    ("不适用", NotApplicable()),
    ("N/A", NotApplicable()),
    ("n/a", NotApplicable()),
    ("—", NotApplicable()),
    # ￥ / ¥ before the number is 元
    ("￥12900", NumericActual(_q("12900", 1, "元", "元"), False)),
    ("¥12,900", NumericActual(_q("12900", 1, "元", "元"), False)),
    ("￥ 12900.5", NumericActual(_q("12900.5", 1, "元", "元"), False)),
    ("约￥1.29万", NumericActual(_q("1.29", W, "万元", "元"), True)),
    ("￥1.29万元", NumericActual(_q("1.29", W, "万元", "元"), False)),
    ("≥￥12900", NumericActual(_q("12900", 1, "元", "元"), False, restated=True)),
    ("-￥5", NumericActual(_q("-5", 1, "元", "元"), False)),
    ("￥-5", NumericActual(_q("-5", 1, "元", "元"), False)),
]


@pytest.mark.parametrize(("text", "expected"), ACTUALS)
def test_actual(text: str, expected: object) -> None:
    assert parse_actual(text) == expected


ACTUAL_ERRORS = [
    ("", "empty", 0),
    (" \t", "empty", 0),
    ("#N/A", "error_value", 0),
    ("#DIV/0!", "error_value", 0),
    ("=A1*2", "formula", 0),
    ("=SUM(B2:B9)", "formula", 0),
    ("1.1万人中1.05万人", "ambiguous", 6),
    ("1.23457E+11", "scientific", 9),  # Excel's display of a long number, its last digits lost
    ("1e400人", "scientific", 2),  # (was: "the value holds more than one number")
    ("≥", "no_number", 1),
    ("1..1万人", "bad_number", 0),
    ("≈1.1万%", "magnitude_percent", 4),
    ("2020年2月30日", "bad_date", 7),
    ("￥12人", "currency_unit", 1),
    ("-￥-5", "bad_number", 0),
]


@pytest.mark.parametrize(("text", "reason", "offset"), ACTUAL_ERRORS)
def test_actual_errors(text: str, reason: str, offset: int) -> None:
    with pytest.raises(LiteralError) as info:
        parse_actual(text)
    assert (info.value.reason, info.value.offset) == (reason, offset)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.1万人", _q("1.1", W, "万人", "人")),
        ("970", _q("970", 1, "", "")),
        ("93.76%", _q("93.76", P, "%", "%")),
        ("9,700,000元", _q("9700000", 1, "元", "元")),
        ("1.1万", _q("1.1", W, "万", "")),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "reason", "offset"),
    [
        ("≥5", "no_number", 0),
        ("5人x", "trailing", 2),
        ("", "empty", 0),
        ("5万%", "magnitude_percent", 1),
        # an amount (a budget figure) is in the table's money unit: ￥ there is no unit, a foreign sign no amount
        ("￥970", "yuan_sign_amount", 0),
        ("970.00￥", "yuan_sign_amount", 6),
        ("RMB970", "yuan_sign_amount", 0),
        ("$970", "foreign_currency", 0),
        ("970 €", "foreign_currency", 4),
    ],
)
def test_parse_quantity_errors(text: str, reason: str, offset: int) -> None:
    with pytest.raises(LiteralError) as info:
        parse_quantity(text)
    assert (info.value.reason, info.value.offset) == (reason, offset)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" ＞=  ９５％ ", "≥ 95%"),
        ("≧1.1万人", "≥1.1万人"),
        ("⩽５", "≤5"),
        ("＝＝1", "=1"),
        ("有效　保障", "有效 保障"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_offsets_point_into_the_original() -> None:
    text = "＞＝　１．１万％"
    with pytest.raises(LiteralError) as info:
        parse_target(text)
    assert info.value.reason == "magnitude_percent"
    assert text[info.value.offset] == "万"


# -- properties --------------------------------------------------------------------

CELL_CHARS = "0123456789.,-~%‰≥≤<>=≧≦＝≈约万亿千百十人元米天月年日底前至到以上下内及左右/#()[]xX \u3000"
CELL_WORDS = ["不少于", "不超过", "百分比", "合理", "N/A", "#DIV/0!", "个百分点"]
CELL_ALPHABET = st.sampled_from([*CELL_CHARS, *CELL_WORDS])


@given(st.text())
@settings(max_examples=300)
def test_arbitrary_text_raises_only_literal_errors(text: str) -> None:
    for parse in (parse_target, parse_actual, parse_quantity):
        try:
            parse(text)
        except LiteralError:
            pass


@given(st.lists(CELL_ALPHABET, max_size=12).map("".join))
@settings(max_examples=500)
def test_cell_like_text_raises_only_literal_errors(text: str) -> None:
    for parse in (parse_target, parse_actual, parse_quantity):
        try:
            parse(text)
        except LiteralError:
            pass


COMPARATOR_SPELLINGS = [
    ("≥", ""), ("≧", ""), (">=", ""), ("不少于", ""), ("", "以上"), ("≤", ""),
    ("不超过", ""), ("", "以内"), ("=", ""), ("＝", ""), (">", ""), ("大于", ""),
    ("<", ""), ("低于", ""), ("", ""),
]  # fmt: skip
UNIT_SPELLINGS = ["", "人", "人次", "元", "%", "‰", "百分比", "米", "公里", "亩", "台", "天", "倍"]
MAGNITUDES = ["", "万", "亿", "千", "十万"]

numbers = st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False)


@given(
    st.sampled_from(COMPARATOR_SPELLINGS),
    numbers,
    st.sampled_from(MAGNITUDES),
    st.sampled_from(UNIT_SPELLINGS),
)
@settings(max_examples=400)
def test_numeric_target_text_round_trips(
    comparator: tuple[str, str], number: object, magnitude: str, unit: str
) -> None:
    prefix, suffix = comparator
    if unit in ("%", "‰", "百分比"):
        magnitude = ""
    written = f"{prefix}{number}{magnitude}{unit}{suffix}"
    target = parse_target(written)
    assert isinstance(target, NumericTarget)
    assert target.implicit == (prefix == suffix == "")
    assert parse_target(target.text()) == target


@given(numbers, numbers, st.sampled_from(["%", "万元", "人", ""]), st.booleans(), st.booleans())
def test_range_text_round_trips(a: object, b: object, unit: str, low_inc: bool, high_inc: bool) -> None:
    low, high = sorted([Fraction(str(a)), Fraction(str(b))])
    scale = {"%": P, "万元": W}.get(unit, F(1))
    dim = {"%": "%", "万元": "元"}.get(unit, unit)
    target = RangeTarget(Quantity(low, scale, unit, dim), Quantity(high, scale, unit, dim), low_inc, high_inc)
    assert parse_target(target.text()) == target


@pytest.mark.parametrize("text", ["1800年1月前", "2300年12月31日前", "9999年12月前"])
def test_years_outside_what_a_table_can_mean_are_bad_dates(text: str) -> None:
    with pytest.raises(LiteralError) as caught:
        parse_target(text)
    assert caught.value.reason == "bad_date"


# -- compound units (issue 9): a rate is a unit of its own, read whole --------------------------


@pytest.mark.parametrize(
    "text", ["≤583元/人·月", "≤583元/人*月", "≤583元/人/月", "≤583元/人×月", "≤583元／人・月"]
)
def test_compound_unit_spellings_are_one_unit(text: str) -> None:
    target = parse_target(text)
    assert isinstance(target, NumericTarget)
    assert (target.quantity.unit, target.quantity.dimension) == ("元/人·月", "元/人·月")


def test_compound_unit_with_magnitudes_compares_by_dimension() -> None:
    per_km = parse_target("≤5万元/公里")
    per_m = parse_actual("50元/米")
    assert isinstance(per_km, NumericTarget) and isinstance(per_m, NumericActual)
    assert per_km.quantity.dimension == per_m.quantity.dimension == "元/米"
    assert per_km.quantity.base == per_m.quantity.base == 50


def test_compound_actual_is_never_truncated_to_its_numerator() -> None:
    actual = parse_actual("约583元/人·月")
    assert isinstance(actual, NumericActual)
    assert actual.quantity.dimension == "元/人·月" != parse_quantity("583元").dimension


def test_denominator_order_does_not_matter() -> None:
    assert parse_quantity("1元/月·人").dimension == parse_quantity("1元/人·月").dimension


@pytest.mark.parametrize("text", ["≥5%/年", "≥5元/%"])
def test_percent_inside_a_compound_unit_is_refused(text: str) -> None:
    with pytest.raises(LiteralError) as info:
        parse_target(text)
    assert info.value.reason in ("bad_unit", "trailing")


# -- units tables write (a count of their own kind, volume, area, energy) -----------------------


@pytest.mark.parametrize(
    ("text", "dimension", "base"),
    [
        ("≥20台套", "台套", 20),
        ("≥5台次", "台次", 5),
        ("≥5人日", "人日", 5),
        ("≥5户次", "户次", 5),
        ("≥5件次", "件次", 5),
        ("≥5人年", "人年", 5),
        ("≥5场次", "场次", 5),
        ("≥5批次", "批次", 5),
        ("≥5张床", "床", 5),
        ("≥5人·次", "人次", 5),
        ("≥5人*次", "人次", 5),
        ("≥5m³", "立方米", 5),
        ("≥5m3", "立方米", 5),
        ("≥5m2", "平方米", 5),
        ("≥5米²", "平方米", 5),
        ("≥5km2", "平方米", 5 * 10**6),
        ("≥5千瓦·时", "千瓦时", 5),
        ("≥5kW·h", "千瓦时", 5),
        ("≥5万千瓦时", "千瓦时", 5 * 10**4),
        ("≥5万立方米", "立方米", 5 * 10**4),
        ("≥5亿立方米", "立方米", 5 * 10**8),
        ("≥5万方", "立方米", 5 * 10**4),
        ("≥5平方千米", "平方米", 5 * 10**6),
        ("≥5平方", "平方米", 5),
        ("≥500升", "立方米", Fraction(1, 2)),
    ],
)
def test_units_tables_write_are_read_whole(text: str, dimension: str, base: Fraction) -> None:
    target = parse_target(text)
    assert isinstance(target, NumericTarget)
    assert (target.quantity.dimension, target.quantity.base) == (dimension, base)


def test_volume_and_area_convert_exactly() -> None:
    assert parse_quantity("1立方米").base == parse_quantity("1000升").base == parse_quantity("1m³").base
    assert parse_quantity("1平方千米").base == parse_quantity("1平方公里").base == 10**6
    assert parse_quantity("1千瓦·时").dimension == parse_quantity("1千瓦时").dimension
    assert parse_quantity("1平方米").dimension != parse_quantity("1立方米").dimension


@pytest.mark.parametrize(
    ("text", "unit"),
    [("≥3方面", "方面"), ("≥5平方未", "平方未"), ("≥5升级", "升级"), ("≥500村民", "村民"), ("≥5min", "min")],
)
def test_a_unit_read_only_whole_does_not_turn_longer_words_into_errors(text: str, unit: str) -> None:
    """方, 升, 平方 … are units only as the whole word: 方面 stays a unit of its own (not 方 + junk, E111)."""
    target = parse_target(text)
    assert isinstance(target, NumericTarget) and target.quantity.unit == unit


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_text_is_normalised_as_character_by_character(text: str) -> None:
    """`_per_char` (str.translate over a table made as characters come) gives each character's
    `_normal_char`, whatever the text: full-width, traditional, compatibility forms, spaces, surrogates."""
    assert literals._per_char(text) == "".join(map(literals._normal_char, text))


def test_the_normalisation_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text of thousands of distinct characters (a hostile file) fills the table up to its bound and
    no further; characters past it are still normalised."""
    table = literals._Normal()
    monkeypatch.setattr(literals, "_NORMAL", table)
    monkeypatch.setattr(literals._Normal, "_KEPT", 100)
    text = "".join(map(chr, range(0x4E00, 0x4E00 + 500))) + "１２３％"
    assert literals._per_char(text) == "".join(map(literals._normal_char, text))
    assert len(table) == 100
    assert literals._per_char("１２３％") == "123%"


# -- units as published tables write them: 个村, 公里数, 度电, m, 人均 ----------------------------------------


@pytest.mark.parametrize(
    ("text", "dimension", "base"),
    [
        ("≥5个村", "个", 5),  # villages counted with 个: against 5个 as tables mean it
        ("≥5村", "村", 5),
        ("≥5个行政村", "个", 5),
        ("≥5行政村", "村", 5),
        ("≥5村庄", "村", 5),
        ("≥10公里数", "米", 10**4),  # a 计量单位 column's "number of kilometres"
        ("≥10千米数", "米", 10**4),
        ("≥100m", "米", 100),
        ("≥5km", "米", 5000),
        ("≥20cm", "米", Fraction(1, 5)),
        ("≥200mm", "米", Fraction(1, 5)),
        ("≥100度电", "千瓦时", 100),
        ("≥100度 电", "千瓦时", 100),  # as tables print it
        ("≥2万度电", "千瓦时", 2 * 10**4),
        ("≥2万千瓦时", "千瓦时", 2 * 10**4),
        ("人均≥1000元", "元", 1000),  # 人均 names what is counted, as the indicator's name does
        ("人均1000元", "元", 1000),
        ("≥人均1000元", "元", 1000),
        ("户均≥500元", "元", 500),
        ("≥1000元/人", "元/人", 1000),
    ],
)
def test_units_published_tables_write_are_read(text: str, dimension: str, base: Fraction) -> None:
    target = parse_target(text)
    assert isinstance(target, NumericTarget)
    assert (target.quantity.dimension, target.quantity.base) == (dimension, base)


@pytest.mark.parametrize(
    ("text", "unit", "dimension", "base"),
    [
        ("完成5个村", "个村", "个", 5),
        ("4个行政村", "个行政村", "个", 4),
        ("5个村民小组", "个", "个", 5),  # whole words only: 5个 and the words 村民小组, never 5 villages
        ("4行政村", "行政村", "村", 4),
        ("8500m", "m", "米", 8500),
        ("9.5公里数", "公里数", "米", 9500),
        ("15000度电", "度电", "千瓦时", 15000),
        ("人均900元", "元", "元", 900),
        (
            "100度",
            "度",
            "度",
            100,
        ),  # 度 alone: electricity or temperature? A unit of its own, converted to nothing
        ("5min", "min", "min", 5),  # never 5m (metres) and stray "in"
    ],
)
def test_actuals_in_published_units(text: str, unit: str, dimension: str, base: Fraction) -> None:
    actual = parse_actual(text)
    assert isinstance(actual, NumericActual)
    assert (actual.quantity.unit, actual.quantity.dimension, actual.quantity.base) == (unit, dimension, base)


def test_du_alone_is_explained_where_it_meets_another_dimension() -> None:
    """度 is a kWh of electricity or a degree: a unit of its own, whose name says how to write either."""
    assert "度电" in dimension_label("度", "zh") and "℃" in dimension_label("度", "zh")
    assert "度电" in dimension_label("度", "en")


# -- currency signs and names -------------------------------------------------------------------------------

YUAN_TARGETS = [
    # a ￥ before or after a target's number is 元, as in an actual value
    ("≤￥12000", "≤12000元"),
    ("≤12000￥", "≤12000元"),
    ("≤ ¥12,000", "≤12000元"),
    ("￥12000以下", "12000元以下"),
    ("≤￥1.2万", "≤1.2万元"),
    ("≤1.2万￥", "≤1.2万元"),
    ("≤￥1.2万元", "≤1.2万元"),
    ("人均≤￥1000", "≤1000元"),
    ("≤人民币12000", "≤12000元"),
    ("≤RMB 12000", "≤12000元"),
    ("≤12000人民币", "≤12000元"),
    ("￥10000-￥12000", "10000元-12000元"),
    ("10000-12000￥", "10000元-12000元"),
    ("[￥10000,￥12000)", "[10000元,12000元)"),
    ("10000≤x≤12000￥", "10000元-12000元"),
]


@pytest.mark.parametrize(("text", "same"), YUAN_TARGETS)
def test_a_yuan_sign_in_a_target_is_yuan(text: str, same: str) -> None:
    got, expected = parse_target(text), parse_target(same)
    if isinstance(expected, NumericTarget):
        assert isinstance(got, NumericTarget)
        assert (got.comparator, got.quantity.base, got.quantity.dimension) == (
            expected.comparator,
            expected.quantity.base,
            "元",
        )
    else:
        assert isinstance(got, RangeTarget) and isinstance(expected, RangeTarget)
        assert (got.low.base, got.high.base, got.low.dimension, got.high.dimension) == (
            expected.low.base,
            expected.high.base,
            "元",
            "元",
        )
        assert (got.low_inclusive, got.high_inclusive) == (expected.low_inclusive, expected.high_inclusive)


YUAN_ACTUALS = [
    # a ￥ after the number is 元 as one before it is; 人民币, RMB, CNY are 元 too
    ("12900￥", "12900", 1, "元"),
    ("12900 ¥", "12900", 1, "元"),
    ("12,900.50￥", "12900.50", 1, "元"),
    ("约1.29万￥", "1.29", W, "万元"),
    ("人民币12900", "12900", 1, "元"),
    ("RMB 12900", "12900", 1, "元"),
    ("cny12900", "12900", 1, "元"),
    ("12900人民币", "12900", 1, "人民币"),  # never 12900人
    ("12900元人民币", "12900", 1, "元"),
    ("12900RMB", "12900", 1, "RMB"),
]


@pytest.mark.parametrize(("text", "number", "scale", "unit"), YUAN_ACTUALS)
def test_a_yuan_sign_after_an_actual_is_yuan(text: str, number: str, scale: Fraction, unit: str) -> None:
    value = parse_actual(text)
    assert isinstance(value, NumericActual)
    assert value.quantity == Quantity(F(number), F(scale), unit, "元")


FOREIGN = [
    # text, where the currency starts, the currency as the message names it
    ("$12900", 0, "$"),
    ("＄12900", 0, "＄"),
    ("US$12900", 0, "US$"),
    ("HK$ 12,900", 0, "HK$"),
    ("€12900", 0, "€"),
    ("£12900", 0, "£"),
    ("12900$", 5, "$"),
    ("12900 €", 6, "€"),
    ("12900元$", 6, "$"),
    ("-$5", 1, "$"),
    ("$-5", 0, "$"),
    ("约$1.2万", 1, "$"),
    ("USD 12900", 0, "USD"),
    ("usd12900", 0, "usd"),
    ("美元12900", 0, "美元"),
    ("折合美元1.2万", 2, "美元"),
    ("≥$12900", 1, "$"),
]


@pytest.mark.parametrize(("text", "offset", "sign"), FOREIGN)
def test_a_foreign_currency_by_an_actual_is_an_error(text: str, offset: int, sign: str) -> None:
    with pytest.raises(LiteralError) as info:
        parse_actual(text)
    assert (info.value.reason, info.value.offset) == ("foreign_currency", offset)
    assert f"「{sign}」" in info.value.message("zh") and f"“{sign}”" in info.value.message("en")


@pytest.mark.parametrize(
    ("text", "offset", "sign"),
    [
        ("≤$12000", 1, "$"),
        ("≤12000$", 6, "$"),
        ("≤12000 €", 7, "€"),
        ("≤US$1.2万", 1, "US$"),
        ("≤USD12000", 1, "USD"),
        ("≤美元12000", 1, "美元"),
        ("$10000-$12000", 0, "$"),
        ("10000-12000$", 11, "$"),
        ("[$10000,$12000]", 1, "$"),
    ],
)
def test_a_foreign_currency_by_a_target_is_an_error(text: str, offset: int, sign: str) -> None:
    with pytest.raises(LiteralError) as info:
        parse_target(text)
    assert (info.value.reason, info.value.offset, info.value.sign) == ("foreign_currency", offset, sign)


@pytest.mark.parametrize(
    ("text", "unit", "dimension"),
    [
        ("12900美元", "美元", "美元"),
        ("1.29万美元", "万美元", "美元"),
        ("12900美金", "美金", "美元"),
        ("12900 USD", "USD", "美元"),
        ("12900日元", "日元", "日元"),  # never 12900日 (days)
        ("12900台币", "台币", "新台币"),  # never 12900台
        ("12900港幣", "港币", "港元"),
        ("12900欧元", "欧元", "欧元"),
    ],
)
def test_a_foreign_currency_named_after_the_number_is_a_unit_of_its_own(
    text: str, unit: str, dimension: str
) -> None:
    value = parse_actual(text)
    assert isinstance(value, NumericActual)
    assert (value.quantity.unit, value.quantity.dimension) == (unit, dimension)
    target = parse_target("≤" + text)
    assert isinstance(target, NumericTarget) and target.quantity == value.quantity


@pytest.mark.parametrize("text", ["采购CAD12套", "GDP12900", "完成12900", "FUSD12900"])
def test_letters_before_a_number_are_no_currency(text: str) -> None:
    assert isinstance(parse_actual(text), NumericActual)


SIGNS = st.sampled_from(["$", "€", "£", "₩", "US$", "HK$", "USD ", "美元", "EUR"])


@given(numbers, st.sampled_from(MAGNITUDES), SIGNS, st.booleans(), st.sampled_from(["", "约", "≥", "完成"]))
def test_a_foreign_currency_is_never_left_out(
    number: object, magnitude: str, sign: str, after: bool, words: str
) -> None:
    """A foreign currency's sign or name by a number is never dropped: an actual or a target so written is
    an error, whatever the number, magnitude and words before it."""
    if after and not any(c in sign for c in "$€£₩"):
        return  # a name after the number is the number's unit (12900美元)
    value = f"{number}{magnitude}{sign.strip()}" if after else f"{sign}{number}{magnitude}"
    for parse, text in ((parse_actual, words + value), (parse_target, "≤" + value)):
        with pytest.raises(LiteralError) as info:
            parse(text)
        assert info.value.reason == "foreign_currency", text


@given(st.sampled_from(COMPARATOR_SPELLINGS), numbers, st.sampled_from(MAGNITUDES), st.booleans())
def test_a_yuan_sign_reads_as_yuan_wherever_it_is_written(
    comparator: tuple[str, str], number: object, magnitude: str, after: bool
) -> None:
    prefix, suffix = comparator
    signed = f"{prefix}{number}{magnitude}￥{suffix}" if after else f"{prefix}￥{number}{magnitude}{suffix}"
    assert parse_target(signed) == parse_target(f"{prefix}{number}{magnitude}元{suffix}")
