"""Scoring an indicator by its method: ratio, bands, deduction, scales, deadlines, formulas."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from difflib import get_close_matches
from fractions import Fraction
from pathlib import PurePath

from jixiao.engine.actuals import Entry
from jixiao.engine.evaluate.base import Failed, RunBase
from jixiao.engine.expr import Compiled
from jixiao.engine.methods import (
    Outcome,
    coefficient_share,
    deadline,
    deduct,
    fmt,
    linear_decay,
    numeric_met,
    numeric_pass_fail,
    pass_fail,
    percent_share,
    ratio,
    read_coefficient,
    scale_point,
    target_met,
)
from jixiao.engine.plan import IndicatorPlan
from jixiao.engine.results import Step
from jixiao.language import nodes as n
from jixiao.language.quantity import (
    DateActual,
    DeadlineTarget,
    NumericActual,
    NumericTarget,
    PartialDate,
    QualitativeTarget,
    Quantity,
    RangeTarget,
    Unknown,
    WordActual,
)

DONE_WORDS = frozenset(
    {"按时完成", "已完成", "完成", "是", "按期完成", "如期完成", "已按时完成", "达成", "按时", "按期", "如期"}
    | {"已按期完成", "已如期完成"}
)
LATE_WORDS = frozenset(
    {"未完成", "否", "未按时完成", "延期", "逾期", "未达成", "未按时", "未按期完成", "未如期完成"}
)


class ScoringMixin(RunBase):
    # -- scoring by method ---------------------------------------------------------------------------------
    def _outcome(self, plan: IndicatorPlan, actual: object, entry: Entry | None) -> Outcome:
        if plan.score is not None:
            return self._formula(plan, actual, entry)
        if plan.method.id == "coefficient":
            return self._coefficient(plan, entry)
        if plan.method.id == "asserted" or isinstance(actual, Unknown):
            return self._asserted(plan, entry)
        target = plan.indicator.target
        if isinstance(target, QualitativeTarget):
            return self._qualitative(plan, actual, entry)
        if isinstance(target, DeadlineTarget):
            return self._deadline(plan, target, actual, entry)
        if isinstance(actual, WordActual):
            return self._word_for_number(plan, actual, entry)
        if not isinstance(actual, NumericActual) or not isinstance(target, NumericTarget | RangeTarget):
            raise self._cannot(plan, entry, ("实际值不是数值", "the actual value is not a number"))
        return self._numeric(plan, target, actual.quantity.base, entry)

    def _numeric(
        self, plan: IndicatorPlan, target: NumericTarget | RangeTarget, a: Fraction, entry: Entry | None
    ) -> Outcome:
        method = plan.method.id
        if method == "ratio":
            return ratio(target, a, plan.weight)
        if method == "pass_fail":
            return numeric_pass_fail(target, a, plan.weight)
        if method == "linear_decay":
            zero_at = self._param(plan, "zero_at")
            return linear_decay(target, a, plan.weight, Fraction(2) if zero_at is None else zero_at)
        if method == "bands":
            return self._bands(plan, target, a)
        if method == "deduct":
            each = self._param(plan, "each")
            return deduct(a, plan.weight, Fraction(1) if each is None else each, self._param(plan, "limit"))
        raise self._cannot(
            plan,
            entry,
            (
                f"方法「{plan.method.written}」不适用于数值目标",
                f"the method “{plan.method.written}” does not score numeric targets",
            ),
        )

    def _coefficient(self, plan: IndicatorPlan, entry: Entry | None) -> Outcome:
        """得分系数: score = weight × the coefficient the actual-value file gives (a percentage)."""
        text = entry.row.coefficient if entry is not None else ""
        share, problem = read_coefficient(text)
        if share is None:
            span = entry.span("coefficient") if entry is not None else plan.indicator.span
            self._error("E607", span, text=text, name=plan.indicator.name, problem=problem)
            raise Failed
        return coefficient_share(share, text, plan.weight)

    def _asserted(self, plan: IndicatorPlan, entry: Entry | None) -> Outcome:
        """认定: the score is the one the file asserts in 调整得分, with its reason (F129)."""
        if entry is None or not entry.row.adjusted:
            span = entry.span("adjusted") if entry is not None else plan.indicator.span
            self._error("E608", span, name=plan.indicator.name, weight=fmt(plan.weight))
            raise Failed
        value = self._adjusted_value(plan, entry)
        reason = entry.row.reason
        step = Step(
            lambda: (f"认定得分 {fmt(value)}（理由：{reason}）", f"asserted score {fmt(value)} ({reason})")
        )
        return Outcome(value, None, (step,), asserted=True)

    def _param(self, plan: IndicatorPlan, name: str) -> Fraction | None:
        """A named method argument's value (compiled once in the plan), or None when not given."""
        compiled = plan.params.get(name)
        if compiled is None:
            return None
        value = self._eval(compiled, self._env(plan, None), plan.path)
        if value is None:
            raise Failed
        return value

    def _bands(self, plan: IndicatorPlan, target: NumericTarget | RangeTarget, a: Fraction) -> Outcome:
        for band, result in zip(plan.method.bands, plan.band_results, strict=True):
            value = self._band_value(band, target, a)
            if band.condition is None or numeric_met(band.condition, value):
                return self._band_result(plan, band, result, (target, value), target_met(target, a))
        return Outcome(
            Fraction(0),
            target_met(target, a),
            (Step(lambda: ("没有符合的档次，得 0 分", "no band matches: 0")),),
        )

    def _band_value(self, band: n.Band, target: NumericTarget | RangeTarget, a: Fraction) -> Fraction:
        """Bands in % on a non-% target compare the completion rate actual ÷ target."""
        quantity, target_q = _band_quantities(band, target)
        if quantity is not None and quantity.dimension == "%" and target_q.dimension != "%":
            t = target_q.base
            return a / t if t else Fraction(0)
        return a

    def _band_result(
        self,
        plan: IndicatorPlan,
        band: n.Band,
        result: Compiled,
        compared: tuple[NumericTarget | RangeTarget, Fraction],
        met: bool,
    ) -> Outcome:
        """The band's points; `compared`: the target and the value the band compared (`_band_value`), which
        the explanation writes (`_band_shown`) when it is asked for."""
        raw = self._eval(result, self._env(plan, None), plan.path)
        if raw is None:
            raise Failed
        points = (
            raw * plan.weight if isinstance(band.result, n.Num) and band.result.unit in ("%", "‰") else raw
        )
        step = Step(
            lambda: (
                f"{_band_shown(band, *compared)} 落在档次「{band.condition_text}」→ {fmt(points)} 分",
                f"{_band_shown(band, *compared)} falls in band “{band.condition_text}” → {fmt(points)}",
            )
        )
        return Outcome(points, met, (step,))

    def _formula(self, plan: IndicatorPlan, actual: object, entry: Entry | None) -> Outcome:
        assert plan.score is not None
        cell = (entry.span("actual"), entry.row.actual) if entry is not None and entry.row.actual else None
        value = self._eval(plan.score, self._env(plan, actual), plan.path, cell)
        if value is None:
            raise Failed
        step = Step(lambda: (f"按公式计算得分 = {fmt(value)}", f"formula score = {fmt(value)}"))
        return Outcome(value, value >= plan.weight, (step,))

    def _qualitative(self, plan: IndicatorPlan, actual: object, entry: Entry | None) -> Outcome:
        if isinstance(actual, NumericActual) and actual.quantity.dimension == "%":
            return percent_share(min(actual.quantity.base, Fraction(1)), plan.weight)
        if not isinstance(actual, WordActual):
            raise self._cannot(
                plan,
                entry,
                (
                    "定性目标的实际值应为量表中的词或百分比",
                    "a qualitative target takes a scale word or a percentage",
                ),
            )
        return self._scale_word(plan, actual.word, entry)

    def _scale_word(self, plan: IndicatorPlan, word: str, entry: Entry | None) -> Outcome:
        scales = self.ev.scales_for(plan)
        for scale in scales:
            level = next((lv for lv in scale.levels if word in lv.words), None)
            if level is not None:
                outcome = self._level(plan, level, word, entry)
                return replace(outcome, steps=(_scale_step(scale), *outcome.steps))
        words = [w for s in scales for lv in s.levels for w in lv.words]
        close = get_close_matches(word, words, n=1, cutoff=0.4)
        raise self._cannot(
            plan,
            entry,
            (
                f"「{word}」不在量表中（可用：{'、'.join(words)}）",
                f"“{word}” is not in the scale ({', '.join(words)})",
            ),
            close[0] if close else None,
        )

    def _level(self, plan: IndicatorPlan, level: n.ScaleLevel, word: str, entry: Entry | None) -> Outcome:
        if level.point is not None:
            return scale_point(level, word, plan.weight)
        if entry is not None and entry.row.adjusted:
            return Outcome(
                Fraction(0),
                None,
                (
                    Step(
                        lambda: (
                            f"「{word}」属于档次 {level.text}，由评价人给分",
                            f"“{word}” is band {level.text}; the evaluator gives the score",
                        )
                    ),
                ),
                band=level,
            )
        raise self._cannot(
            plan,
            entry,
            (
                f"档次「{level.words[0]}」（{level.text}）没有固定得分，请在「调整得分」列填写该档内的得分",
                f"band “{level.words[0]}” ({level.text}) has no fixed point: give a score in “调整得分”",
            ),
        )

    def _word_for_number(self, plan: IndicatorPlan, actual: WordActual, entry: Entry | None) -> Outcome:
        scale = self.ev.band_scale()
        if scale is not None and any(actual.word in lv.words for lv in scale.levels):
            return self._scale_word(plan, actual.word, entry)
        raise self._cannot(plan, entry, ("数值目标的实际值应为数值", "a numeric target takes a number"))

    def _deadline(
        self, plan: IndicatorPlan, target: DeadlineTarget, actual: object, entry: Entry | None
    ) -> Outcome:
        year = self.ev.ruleset.document.year or 2000
        if isinstance(actual, DateActual):
            self._one_year(plan, target, actual.date, entry)
            self._real_day(plan, actual.date, year, entry)
            return deadline(actual.date.last_day(year), target.date.last_day(year), plan.weight)
        if isinstance(actual, NumericActual) and actual.as_date is not None:  # 2020.9 is the month here
            if actual.unsure_month:  # a sheet's number 2020.1: typed 2020.10 or 2020.1, Excel kept one
                span = entry.span("actual") if entry else plan.indicator.span
                self._error("E610", span, text=entry.row.actual if entry else "", year=actual.as_date.year)
                raise Failed
            self._one_year(plan, target, actual.as_date, entry)
            self._real_day(plan, actual.as_date, year, entry)
            return deadline(actual.as_date.last_day(year), target.date.last_day(year), plan.weight)
        if isinstance(actual, NumericActual) and actual.quantity.dimension == "%":
            return percent_share(min(actual.quantity.base, Fraction(1)), plan.weight)
        if isinstance(actual, WordActual) and actual.word in DONE_WORDS | LATE_WORDS:
            met = actual.word in DONE_WORDS
            why = Step(
                lambda: (
                    f"「{actual.word}」→ {'按时' if met else '未按时'}",
                    f"“{actual.word}” → {'on time' if met else 'late'}",
                )
            )
            return pass_fail(met, plan.weight, why)
        zh, en = (
            "时限目标的实际值应为日期、按时完成/未完成或百分比",
            "a deadline takes a date, 按时完成/未完成 or a percentage",
        )
        serial = date_serial(actual)
        if serial is not None:  # 44185 in a General cell: the date 2020-12-20 lost its format
            number, date = serial
            zh += f"；{number} 像是 Excel 的日期序号（即 {date}）：把单元格格式设为日期，或写成 {date}"
            en += f"; {number} looks like an Excel date serial ({date}): format it as a date or write {date}"
        padded = padded_month(actual, entry.row.actual if entry else "")
        if padded is not None:  # 2020.8 in a 0.00 cell shows 2020.80: August? Not guessed
            shown, year, month = padded
            zh += (
                f"；{shown} 是数 {year}.{month} 补足小数位后的写法（如数字格式 0.00 的单元格），不按日期读："
                f"若是 {year}年{month}月，请写成 {year}年{month}月，或把单元格设为文本后再写 {year}.{month}，"
                "或设为日期单元格"
            )
            en += (
                f"; {shown} is the number {year}.{month} with padded decimals (a cell formatted 0.00),"
                f" not read as a date: for {year}年{month}月 write {year}年{month}月, or format the cell"
                f" as text and type {year}.{month}, or use a date cell"
            )
        reason = (zh, en)
        raise self._cannot(plan, entry, reason)

    def _one_year(
        self, plan: IndicatorPlan, target: DeadlineTarget, date: PartialDate, entry: Entry | None
    ) -> None:
        """E611 when a date without a year meets one with a year and the project has no 年度: which year
        9月底前 is cannot be known (with a 年度 it is that year's; both without a year compare as written)."""
        if self.ev.ruleset.document.year is not None or (date.year is None) == (target.date.year is None):
            return
        known = date.year if date.year is not None else target.date.year
        if date.year is None:
            span = entry.span("actual") if entry else plan.indicator.span
            text = entry.row.actual if entry else date.text()
        else:
            span, text = plan.indicator.target_span or plan.indicator.span, plan.indicator.target_text
        self._error("E611", span, text=text, name=plan.indicator.name, year=known)
        raise Failed

    def _real_day(self, plan: IndicatorPlan, date: PartialDate, year: int, entry: Entry | None) -> None:
        """E603 for a date without a year whose day is not in the project's (2月29日 in 2023)."""
        if not date.exists_in(year):
            reason = (
                f"{year}年（项目的年度）没有{date.month}月{date.day}日：请写实际完成的日期",
                f"{year} (the project's year) has no {date.month}/{date.day}: write the day it was done",
            )
            raise self._cannot(plan, entry, reason)

    def _cannot(
        self, plan: IndicatorPlan, entry: Entry | None, reason: tuple[str, str], suggestion: str | None = None
    ) -> Failed:
        span = entry.span("actual") if entry else plan.indicator.span
        self._error(
            "E603",
            span,
            suggestion,
            name=plan.indicator.name,
            actual=entry.row.actual if entry else "",
            target=plan.indicator.target_text,
            reason=reason,
        )
        return Failed()


EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's serials after its 1900-02-29 (serial 60)
SERIALS = range(36526, 73051)  # 2000-01-01 to 2099-12-31: a bare whole number there is likely a date


def date_serial(actual: object) -> tuple[str, str] | None:
    """A bare whole number in 2000–2099 as an Excel date serial and its date (44185: 2020-12-20), or None."""
    if not isinstance(actual, NumericActual) or actual.quantity.unit or actual.quantity.dimension:
        return None
    number = actual.quantity.number
    if number.denominator != 1 or number.numerator not in SERIALS:
        return None
    return str(number.numerator), (EXCEL_EPOCH + datetime.timedelta(days=number.numerator)).isoformat()


_PADDED_MONTH = re.compile(r"((?:19|20)[0-9]{2})\.([2-9])0+")  # 2020.80: the number 2020.8 shown by 0.00


def padded_month(actual: object, shown: str) -> tuple[str, int, int] | None:
    """A number shown as a year and a month padded with zeros (2020.80, a 0.00 cell's 2020.8): its text,
    year and month; None otherwise. 2020.10 is October, as shown (`parse_actual`)."""
    if not isinstance(actual, NumericActual) or actual.quantity.unit or actual.quantity.dimension:
        return None
    m = _PADDED_MONTH.fullmatch(shown.strip())
    return (m.group(), int(m.group(1)), int(m.group(2))) if m else None


def _scale_step(scale: n.Scale) -> Step:
    """Which scale decided the score, and where it is written (a project's own, or its policy's)."""
    where = f"{PurePath(scale.span.path).name}:{scale.span.line}"
    return Step(lambda: (f"按量表「{scale.name}」（{where}）", f"by the scale “{scale.name}” ({where})"))


def _band_quantities(band: n.Band, target: NumericTarget | RangeTarget) -> tuple[Quantity | None, Quantity]:
    """A band's own quantity (its bound; None for 否则) and the target's (its low end for a range)."""
    cond = band.condition
    quantity = getattr(cond, "quantity", None) or getattr(cond, "low", None)
    target_q = target.quantity if isinstance(target, NumericTarget) else target.low
    return (quantity if isinstance(quantity, Quantity) else None), target_q


def _band_shown(band: n.Band, target: NumericTarget | RangeTarget, value: Fraction) -> str:
    """The value a band compares (`_band_value`), as its condition writes it: a percent (0.93 → 93%) for a
    band in %, or for 否则 under a target in % (the actual's own base value otherwise)."""
    quantity, target_q = _band_quantities(band, target)
    return f"{fmt(value * 100)}%" if (quantity or target_q).dimension == "%" else fmt(value)
