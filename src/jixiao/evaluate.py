"""Scoring one project: an `Evaluator` applied to one actual-value file.

A `Run` binds the file's rows to the indicators, computes the budget block,
scores each indicator (derived values first, on demand), applies 不适用,
totals, grades, and collects findings. Every bad cell becomes a positioned
diagnostic; all of them are raised together.
"""

from __future__ import annotations

from difflib import get_close_matches
from fractions import Fraction

from jixiao import nodes as n
from jixiao.actuals import ActualsFile, Entry, money
from jixiao.compiler import (
    Evaluator,
    IndicatorPlan,
    Stage,
    method_param,
    target_quantity,
)
from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.expr import Env, EvalError, Unavailable, compile_expr
from jixiao.literals import LiteralError, parse_quantity
from jixiao.methods import (
    Outcome,
    deadline,
    deduct,
    fmt,
    linear_decay,
    numeric_met,
    numeric_pass_fail,
    pass_fail,
    percent_share,
    ratio,
    scale_point,
)
from jixiao.quantity import (
    DateActual,
    DeadlineTarget,
    NotApplicable,
    NumericActual,
    NumericTarget,
    QualitativeTarget,
    Quantity,
    RangeTarget,
    WordActual,
    dimension_label,
)
from jixiao.results import (
    BudgetResult,
    BudgetRow,
    Figure,
    Finding,
    IndicatorResult,
    Result,
    Step,
)
from jixiao.rounding import format_fixed

DONE_WORDS = frozenset({"按时完成", "已完成", "完成", "是", "按期完成", "如期完成", "已按时完成", "达成"})
LATE_WORDS = frozenset({"未完成", "否", "未按时完成", "延期", "逾期", "未达成"})
BUDGET_ORDER = ("年度资金总额", "本年财政拨款", "上年结转资金", "其他资金")


class Failed(Exception):
    """An indicator cannot be scored; its diagnostic is already recorded."""


class Run:
    def __init__(self, evaluator: Evaluator, actuals: ActualsFile) -> None:
        self.ev = evaluator
        self.actuals = actuals
        self.diagnostics: list[Diagnostic] = []
        self.findings: list[Finding] = []
        self.entries = self._bind()
        self.results: dict[str, IndicatorResult] = {}
        self.actual_values: dict[str, Fraction] = {}
        self.in_progress: list[str] = []
        self.budget_values: dict[str, Fraction] = {}
        self.budget: BudgetResult | None = None

    # -- binding rows to indicators ---------------------------------------------------------
    def _bind(self) -> dict[str, Entry]:
        bound: dict[str, Entry] = {}
        for entry in self.actuals.entries:
            plan = self._match(entry)
            if plan is None:
                continue
            if plan.path in bound:
                first = bound[plan.path].line
                self._error("E507", entry.span("name"), name=entry.row.name, first_row=first)
                continue
            bound[plan.path] = entry
        for plan in self.ev.plans:
            if plan.path not in bound and plan.actual is None:
                self._error("E508", Span(self.actuals.path, 1, 1), name=plan.path)
        return bound

    def _match(self, entry: Entry) -> IndicatorPlan | None:
        row = entry.row
        candidates = self.ev.by_name.get(row.name, [])
        if row.level1 or row.level2:
            candidates = [p for p in candidates
                          if (not row.level1 or p.indicator.level1 == row.level1)
                          and (not row.level2 or p.indicator.level2 == row.level2)]  # fmt: skip
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            close = get_close_matches(row.name, list(self.ev.by_name), n=1, cutoff=0.5)
            self._error("E503", entry.span("name"), close[0] if close else None, name=row.name)
        else:
            self._error("E211", entry.span("name"), name=row.name)
        return None

    def _error(self, code: str, span: Span | None, suggestion: str | None = None, **args: object) -> None:
        self.diagnostics.append(Diagnostic(code, span, args, suggestion=suggestion))

    # -- the whole run -------------------------------------------------------------------------
    def result(self) -> Result:
        self._budget()
        for plan in self.ev.plans:
            self._indicator(plan)
        if self.diagnostics:
            raise JixiaoError(self.diagnostics)
        indicators = self._not_applicable([self.results[p.path] for p in self.ev.plans])
        return self._total(indicators)

    # -- the budget block ----------------------------------------------------------------------------
    def _budget(self) -> None:
        figures = self._budget_figures()
        total = figures.get("年度资金总额", {})
        for key in ("年初预算数", "全年预算数", "全年执行数"):
            if key in total:
                self.budget_values[key] = total[key] * self.ev.money_unit.scale
        plan = self.ev.budget
        annual, executed = total.get("全年预算数"), total.get("全年执行数")
        if annual is None or executed is None:
            if plan is not None:
                missing = "全年预算数" if annual is None else "全年执行数"
                self._error("E510", Span(self.actuals.path, 1, 1), name=missing)
            return
        if annual == 0:
            self._error("E601", Span(self.actuals.path, 1, 1), what="执行率")
            return
        exact_rate = executed / annual
        rows = tuple(BudgetRow(name, figures[name].get("年初预算数"), figures[name].get("全年预算数"),
                               figures[name].get("全年执行数"))
                     for name in BUDGET_ORDER if name in figures)  # fmt: skip
        self._budget_score(plan, exact_rate, rows)

    def _budget_figures(self) -> dict[str, dict[str, Fraction]]:
        figures: dict[str, dict[str, Fraction]] = {}
        for fig in self.actuals.budget:
            value = money(fig.quantity, self.ev.money_unit)
            if value is None:
                self._error("E506", fig.span, actual=fig.quantity.text(), target=self.ev.money_unit.unit,
                            actual_dim=_dims(fig.quantity.dimension), target_dim=_dims("元"))  # fmt: skip
                continue
            figures.setdefault(fig.row, {})[fig.figure] = value
        return figures

    def _budget_score(self, plan: object, exact_rate: Fraction, rows: tuple[BudgetRow, ...]) -> None:
        from jixiao.compiler import BudgetPlan

        rate_stage = plan.rate_stage if isinstance(plan, BudgetPlan) else Stage(None, None, None)
        rate = rate_stage.apply(exact_rate)
        self.budget_values["执行率"] = rate
        steps = [Step(f"执行率 = 全年执行数 ÷ 全年预算数 = {fmt(exact_rate * 100)}%",
                      f"rate = executed ÷ annual budget = {fmt(exact_rate * 100)}%")]  # fmt: skip
        if rate != exact_rate:
            steps.append(_rounding_step(exact_rate * 100, rate * 100, rate_stage, "%"))
        if not isinstance(plan, BudgetPlan):
            self.budget = BudgetResult(rows, Figure(rate, rate_stage.digits), Fraction(0), None, False,
                                       self.actuals.budget_note, self.ev.money_unit.unit, tuple(steps))  # fmt: skip
            return
        env = Env({**self.budget_values, "分值": plan.weight})
        raw = self._eval(plan.score, env, "预算执行得分")
        if raw is None:
            return
        capped = min(max(raw, Fraction(0)), plan.weight)
        score = plan.stage.apply(capped)
        steps.append(Step(f"预算执行得分 = {fmt(capped)}", f"budget score = {fmt(capped)}"))
        if score != capped:
            steps.append(_rounding_step(capped, score, plan.stage, ""))
        self._budget_explain(plan, env, rate)
        self.budget = BudgetResult(rows, Figure(rate, rate_stage.digits), plan.weight,
                                   Figure(score, plan.stage.digits), plan.counted,
                                   self.actuals.budget_note, self.ev.money_unit.unit, tuple(steps))  # fmt: skip

    def _budget_explain(self, plan: object, env: Env, rate: Fraction) -> None:
        explain = getattr(plan, "explain", ())
        if self.actuals.budget_note or not explain:
            return
        if any(self._condition(c, env) for c in explain):
            self.findings.append(Finding("F106", n.BUDGET_LEVEL, {"rate": f"{fmt(rate * 100)}%"}))

    # -- indicators -------------------------------------------------------------------------------------
    def _indicator(self, plan: IndicatorPlan) -> IndicatorResult | None:
        if plan.path in self.results:
            return self.results[plan.path]
        if plan.path in self.in_progress:
            cycle = " → ".join([*self.in_progress, plan.path])
            self._error("E207", plan.indicator.span, cycle=cycle)
            raise Failed
        self.in_progress.append(plan.path)
        try:
            result = self._score(plan)
        except Failed:
            return None
        finally:
            self.in_progress.pop()
        self.results[plan.path] = result
        return result

    def _score(self, plan: IndicatorPlan) -> IndicatorResult:
        entry = self.entries.get(plan.path)
        findings: list[Finding] = []
        actual = self._actual(plan, entry, findings)
        note = entry.row.note if entry else ""
        text = entry.row.actual if entry else (actual.text() if actual else "")
        if isinstance(actual, NotApplicable):
            findings.append(Finding("F103", plan.path, {"weight": fmt(plan.weight),
                                                        "how": self.ev.rules.not_applicable + "d"}))  # fmt: skip
            return self._result(plan, text, actual, None, None, None, note, findings, ())
        outcome = self._outcome(plan, actual, entry)
        points = self._over(plan, actual, outcome.points, findings)
        capped = min(max(points, Fraction(0)), plan.weight)
        score = plan.stage.apply(capped)
        steps = list(outcome.steps)
        if capped != points:
            steps.append(Step(f"封顶/保底：{fmt(points)} → {fmt(capped)}", f"capped: {fmt(points)} → {fmt(capped)}"))
        if score != capped:
            steps.append(_rounding_step(capped, score, plan.stage, ""))
        return self._finish(plan, entry, text, actual, capped, score, outcome, note, findings, steps)

    def _finish(self, plan: IndicatorPlan, entry: Entry | None, text: str, actual: object,
                capped: Fraction, score: Fraction, outcome: Outcome, note: str,
                findings: list[Finding], steps: list[Step]) -> IndicatorResult:  # fmt: skip
        final = Figure(score, plan.stage.digits)
        adjusted = self._adjustment(plan, entry, score, findings)
        if adjusted is not None:
            final = adjusted
        self._explain_required(plan, actual, final.value, note, findings)
        result = self._result(plan, text, actual, final, capped, outcome.met, note, findings, tuple(steps))
        if adjusted is not None:
            return _with_adjustment(result, entry)
        return result

    def _result(self, plan: IndicatorPlan, text: str, actual: object, score: Figure | None,
                formula: Fraction | None, met: bool | None, note: str, findings: list[Finding],
                steps: tuple[Step, ...]) -> IndicatorResult:  # fmt: skip
        ind = plan.indicator
        self.findings.extend(findings)
        return IndicatorResult(
            level1=ind.level1, level2=ind.level2, name=ind.name, target=ind.target_text,
            actual=text, parsed_actual=actual if not isinstance(actual, Failed) else None,  # type: ignore[arg-type]
            weight=plan.weight, score=score, formula_score=formula, method=_method_label(plan),
            note=note, met=met, source=ind.source, findings=tuple(findings), steps=steps,
        )  # fmt: skip

    # -- actual values ----------------------------------------------------------------------------------
    def _actual(self, plan: IndicatorPlan, entry: Entry | None, findings: list[Finding]) -> object:
        if plan.actual is not None:
            return self._derived(plan)
        if entry is None or entry.value is None:
            raise Failed
        value = entry.value
        if isinstance(value, NumericActual):
            value = self._reconcile(plan, value, entry, findings)
            if value.approximate:
                findings.append(Finding("F107", plan.path, {"text": entry.row.actual, "value": value.quantity.text()}))
        return value

    def _derived(self, plan: IndicatorPlan) -> NumericActual:
        assert plan.actual is not None
        value = self._eval(plan.actual, self._env(plan, None), plan.path)
        if value is None:
            raise Failed
        target = target_quantity(plan)
        if target is None:
            return NumericActual(Quantity(value, Fraction(1), "", ""), False)
        return NumericActual(Quantity(value / target.scale, target.scale, target.unit, target.dimension), False)

    def _reconcile(self, plan: IndicatorPlan, value: NumericActual, entry: Entry,
                   findings: list[Finding]) -> NumericActual:  # fmt: skip
        target = target_quantity(plan)
        quantity = value.quantity
        if target is None or quantity.dimension == target.dimension:
            return value
        if quantity.dimension == "" and quantity.unit == "":
            findings.append(Finding("F105", plan.path, {"unit": target.unit}))
            return NumericActual(quantity.with_unit_of(target), value.approximate)
        self._error("E506", entry.span("actual"), actual=entry.row.actual, target=plan.indicator.target_text,
                    actual_dim=_dims(quantity.dimension), target_dim=_dims(target.dimension))  # fmt: skip
        raise Failed

    # -- scoring by method ---------------------------------------------------------------------------------
    def _outcome(self, plan: IndicatorPlan, actual: object, entry: Entry | None) -> Outcome:
        if plan.score is not None:
            return self._formula(plan, actual)
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

    def _numeric(self, plan: IndicatorPlan, target: NumericTarget | RangeTarget, a: Fraction,
                 entry: Entry | None) -> Outcome:  # fmt: skip
        method = plan.method.id
        if method == "ratio":
            return ratio(target, a, plan.weight)
        if method == "pass_fail":
            return numeric_pass_fail(target, a, plan.weight)
        if method == "linear_decay":
            zero_at = self._param(plan, ("zero_at", "归零"), Fraction(2))
            return linear_decay(target, a, plan.weight, zero_at)
        if method == "bands":
            return self._bands(plan, target, a)
        if method == "deduct":
            each = self._param(plan, ("each", "每次"), Fraction(1))
            limit_expr = method_param(plan.method, ("limit", "上限"))
            limit = self._param(plan, ("limit", "上限"), Fraction(0)) if limit_expr else None
            return deduct(a, plan.weight, each, limit)
        raise self._cannot(plan, entry, (f"方法「{plan.method.written}」不适用于数值目标",
                                         f"the method “{plan.method.written}” does not score numeric targets"))  # fmt: skip

    def _param(self, plan: IndicatorPlan, names: tuple[str, ...], default: Fraction) -> Fraction:
        expr = method_param(plan.method, names)
        if expr is None:
            return default
        value = self._eval(compile_expr(expr), self._env(plan, None), plan.path)
        if value is None:
            raise Failed
        return value

    def _bands(self, plan: IndicatorPlan, target: NumericTarget | RangeTarget, a: Fraction) -> Outcome:
        for band in plan.method.bands:
            value = self._band_value(band, target, a)
            if band.condition is None or numeric_met(band.condition, value):
                return self._band_result(plan, band, value)
        return Outcome(Fraction(0), False, (Step("没有符合的档次，得 0 分", "no band matches: 0"),))

    def _band_value(self, band: n.Band, target: NumericTarget | RangeTarget, a: Fraction) -> Fraction:
        """Bands in % on a non-% target compare the completion rate actual ÷ target."""
        cond = band.condition
        quantity = getattr(cond, "quantity", None) or getattr(cond, "low", None)
        target_q = target.quantity if isinstance(target, NumericTarget) else target.low
        if isinstance(quantity, Quantity) and quantity.dimension == "%" and target_q.dimension != "%":
            t = target_q.base
            return a / t if t else Fraction(0)
        return a

    def _band_result(self, plan: IndicatorPlan, band: n.Band, value: Fraction) -> Outcome:
        raw = self._eval(compile_expr(band.result), self._env(plan, None), plan.path)
        if raw is None:
            raise Failed
        points = raw * plan.weight if isinstance(band.result, n.Num) and band.result.unit in ("%", "‰") else raw
        step = Step(f"{fmt(value)} 落在档次「{band.condition_text}」→ {fmt(points)} 分",
                    f"{fmt(value)} falls in band “{band.condition_text}” → {fmt(points)}")  # fmt: skip
        return Outcome(points, points >= plan.weight, (step,))

    def _formula(self, plan: IndicatorPlan, actual: object) -> Outcome:
        assert plan.score is not None
        value = self._eval(plan.score, self._env(plan, actual), plan.path)
        if value is None:
            raise Failed
        step = Step(f"按公式计算得分 = {fmt(value)}", f"formula score = {fmt(value)}")
        return Outcome(value, value >= plan.weight, (step,))

    def _qualitative(self, plan: IndicatorPlan, actual: object, entry: Entry | None) -> Outcome:
        if isinstance(actual, NumericActual) and actual.quantity.dimension == "%":
            return percent_share(min(actual.quantity.base, Fraction(1)), plan.weight)
        if not isinstance(actual, WordActual):
            raise self._cannot(plan, entry, ("定性目标的实际值应为量表中的词或百分比",
                                             "a qualitative target takes a scale word or a percentage"))  # fmt: skip
        return self._scale_word(plan, actual.word, entry)

    def _scale_word(self, plan: IndicatorPlan, word: str, entry: Entry | None) -> Outcome:
        scales = list(dict.fromkeys(s for s in (self.ev.scale_for(plan), self.ev.band_scale()) if s))
        for scale in scales:
            level = next((lv for lv in scale.levels if word in lv.words), None)
            if level is not None:
                return self._level(plan, level, word, entry)
        words = [w for s in scales for lv in s.levels for w in lv.words]
        close = get_close_matches(word, words, n=1, cutoff=0.4)
        raise self._cannot(plan, entry, (f"「{word}」不在量表中（可用：{'、'.join(words)}）",
                                         f"“{word}” is not in the scale ({', '.join(words)})"),
                           close[0] if close else None)  # fmt: skip

    def _level(self, plan: IndicatorPlan, level: n.ScaleLevel, word: str, entry: Entry | None) -> Outcome:
        if level.point is not None:
            return scale_point(level, word, plan.weight)
        if entry is not None and entry.row.adjusted:
            return Outcome(Fraction(0), None, (Step(f"「{word}」属于档次 {level.text}，由评价人给分",
                                                    f"“{word}” is band {level.text}; the evaluator gives the score"),))  # fmt: skip
        raise self._cannot(plan, entry, (f"档次「{level.words[0]}」（{level.text}）没有固定得分，请在「调整得分」列填写该档内的得分",
                                         f"band “{level.words[0]}” ({level.text}) has no fixed point: give a score in “调整得分”"))  # fmt: skip

    def _word_for_number(self, plan: IndicatorPlan, actual: WordActual, entry: Entry | None) -> Outcome:
        scale = self.ev.band_scale()
        if scale is not None and any(actual.word in lv.words for lv in scale.levels):
            return self._scale_word(plan, actual.word, entry)
        raise self._cannot(plan, entry, ("数值目标的实际值应为数值", "a numeric target takes a number"))

    def _deadline(self, plan: IndicatorPlan, target: DeadlineTarget, actual: object,
                  entry: Entry | None) -> Outcome:  # fmt: skip
        year = self.ev.ruleset.document.year or 2000
        if isinstance(actual, DateActual):
            return deadline(actual.date.last_day(year), target.date.last_day(year), plan.weight)
        if isinstance(actual, NumericActual) and actual.quantity.dimension == "%":
            return percent_share(min(actual.quantity.base, Fraction(1)), plan.weight)
        if isinstance(actual, WordActual) and actual.word in DONE_WORDS | LATE_WORDS:
            met = actual.word in DONE_WORDS
            why = Step(f"「{actual.word}」→ {'按时' if met else '未按时'}", f"“{actual.word}” → {'on time' if met else 'late'}")
            return pass_fail(met, plan.weight, why)
        raise self._cannot(plan, entry, ("时限目标的实际值应为日期、按时完成/未完成或百分比",
                                         "a deadline takes a date, 按时完成/未完成 or a percentage"))  # fmt: skip

    def _cannot(self, plan: IndicatorPlan, entry: Entry | None, reason: tuple[str, str],
                suggestion: str | None = None) -> Failed:  # fmt: skip
        span = entry.span("actual") if entry else plan.indicator.span
        self._error("E603", span, suggestion, name=plan.indicator.name, actual=entry.row.actual if entry else "",
                    target=plan.indicator.target_text, reason=reason)  # fmt: skip
        return Failed()

    # -- over-achievement, adjustments, explanations -------------------------------------------------------
    def _over(self, plan: IndicatorPlan, actual: object, points: Fraction, findings: list[Finding]) -> Fraction:
        over, target = plan.over, plan.indicator.target
        if over is None or plan.kind not in ("higher", "equal") or not isinstance(actual, NumericActual):
            return points
        assert isinstance(target, NumericTarget)
        t = target.quantity.base
        if t <= 0:
            return points
        share = actual.quantity.base / t
        if share > over.threshold or (over.inclusive and share == over.threshold):
            findings.append(Finding("F102", plan.path, {"actual": actual.quantity.text(),
                                                        "ratio": f"{format_fixed(share * 100, 2)}%",
                                                        "threshold": over.text}))  # fmt: skip
            if over.deduct is not None:
                return points - over.deduct * plan.weight
        return points

    def _adjustment(self, plan: IndicatorPlan, entry: Entry | None, score: Fraction,
                    findings: list[Finding]) -> Figure | None:  # fmt: skip
        if entry is None or not entry.row.adjusted:
            return None
        span = entry.span("adjusted")
        try:
            quantity = parse_quantity(entry.row.adjusted.removesuffix("分"))
        except LiteralError:
            self._error("E511", span, score=entry.row.adjusted, problem=("不是数", "is not a number"),
                        weight=fmt(plan.weight))  # fmt: skip
            raise Failed from None
        value = quantity.base
        problem = self._adjustment_problem(value, plan.weight, entry)
        if problem is not None:
            self._error("E511", span, score=entry.row.adjusted, problem=problem, weight=fmt(plan.weight))
            raise Failed
        findings.append(Finding("F104", plan.path, {"formula": fmt(score), "adjusted": fmt(value),
                                                    "reason": entry.row.reason}))  # fmt: skip
        digits = len(entry.row.adjusted.split(".")[1]) if "." in entry.row.adjusted else 0
        return Figure(value, max(digits, plan.stage.digits or 0))

    @staticmethod
    def _adjustment_problem(value: Fraction, weight: Fraction, entry: Entry) -> tuple[str, str] | None:
        if value < 0 or value > weight:
            return ("超出 0 到分值的范围", "is outside 0 to the weight")
        if not entry.row.reason:
            return ("没有填写调整理由", "has no reason")
        return None

    def _explain_required(self, plan: IndicatorPlan, actual: object, score: Fraction, note: str,
                          findings: list[Finding]) -> None:  # fmt: skip
        if note or not self.ev.explain:
            return
        env = self._env(plan, actual)
        env.values["得分"] = score
        if any(self._condition(c, env) for c in self.ev.explain):
            findings.append(Finding("F101", plan.path, {}))

    # -- expression environment ---------------------------------------------------------------------------
    def _env(self, plan: IndicatorPlan, actual: object) -> Env:
        values = {**self.budget_values, "分值": plan.weight}
        target = plan.indicator.target
        if isinstance(target, NumericTarget):
            values["目标"] = target.quantity.base
        if isinstance(actual, NumericActual):
            values["实际"] = actual.quantity.base
            if "目标" in values and values["目标"] != 0:
                values["偏差"] = abs(values["实际"] - values["目标"]) / values["目标"]
        values.setdefault("偏差", Fraction(0))
        return Env(values, self._actual_of, self._score_of)

    def _eval(self, fn: object, env: Env, what: str) -> Fraction | None:
        try:
            value = fn(env)  # type: ignore[operator]
        except EvalError as exc:
            self._error(exc.code, exc.span, what=what, detail=exc.detail)
            return None
        except Unavailable as exc:
            self._error("E602", exc.span, what=what, detail=(f"「{exc.name}」在此没有值", f"“{exc.name}” has no value here"))
            return None
        if isinstance(value, bool):
            self._error("E602", None, what=what, detail=("结果是条件而不是数", "the result is a condition, not a number"))
            return None
        return value

    def _condition(self, fn: object, env: Env) -> bool:
        try:
            return bool(fn(env))  # type: ignore[operator]
        except Unavailable:
            return False
        except EvalError as exc:
            self._error(exc.code, exc.span, what="需说明", detail=exc.detail)
            return False

    def _referenced(self, name: str, span: Span) -> IndicatorResult:
        plans = self.ev.by_path.get(name) and [self.ev.by_path[name]] or self.ev.by_name.get(name, [])
        if len(plans) != 1:
            raise EvalError("E201" if not plans else "E211", span)
        result = self._indicator(plans[0])
        if result is None:
            raise Failed
        return result

    def _actual_of(self, name: str, span: Span) -> Fraction:
        result = self._referenced(name, span)
        value = result.parsed_actual
        if not isinstance(value, NumericActual):
            raise Unavailable(f"实际({name})", span)
        return value.quantity.base

    def _score_of(self, name: str, span: Span) -> Fraction:
        result = self._referenced(name, span)
        if result.score is None:
            raise Unavailable(f"得分({name})", span)
        return result.score.value

    # -- 不适用, levels, total, grade ---------------------------------------------------------------------------
    def _not_applicable(self, results: list[IndicatorResult]) -> list[IndicatorResult]:
        if self.ev.rules.not_applicable != "redistribute":
            return results
        from jixiao.totals import redistribute

        return redistribute(results, self.ev)

    def _total(self, indicators: list[IndicatorResult]) -> Result:
        from jixiao.totals import total

        return total(self, indicators)


def _rounding_step(before: Fraction, after: Fraction, stage: Stage, suffix: str) -> Step:
    assert stage.origin is not None and stage.origin.mode is not None
    mode, digits = stage.origin.mode, stage.origin.digits
    return Step(f"{fmt(before)}{suffix} → {mode.value}{digits}位 → {format_fixed(after, digits)}{suffix}",
                f"{fmt(before)}{suffix} → {mode.name.lower()} {digits} digits → {format_fixed(after, digits)}{suffix}")  # fmt: skip


def _dims(dim: str) -> tuple[str, str]:
    return (dimension_label(dim, "zh"), dimension_label(dim, "en"))


def _method_label(plan: IndicatorPlan) -> str:
    return "formula" if plan.score is not None else plan.method.id


def _with_adjustment(result: IndicatorResult, entry: Entry | None) -> IndicatorResult:
    from dataclasses import replace

    return replace(result, adjusted=True, adjust_reason=entry.row.reason if entry else "")
