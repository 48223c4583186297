"""Shared state of a scoring run: diagnostics, formula evaluation, references."""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Span
from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.engine.expr import Compiled, Env, EvalError, Unavailable
from jixiao.engine.identity import file_findings
from jixiao.engine.methods import fmt
from jixiao.engine.plan import IndicatorPlan, Plan, Stage
from jixiao.engine.results import BudgetResult, Figure, Finding, IndicatorResult, Step
from jixiao.language.literals import LiteralError, parse_quantity
from jixiao.language.nodes import ScaleLevel
from jixiao.language.quantity import NumericActual, NumericTarget, dimension_label
from jixiao.language.rounding import decimal_places, digits_text, format_exact, format_fixed
from jixiao.language.vocabulary import BUDGET_VARS, name_key


class Failed(Exception):
    """An indicator cannot be scored; its diagnostic is already recorded."""


class ZeroRate(Exception):
    """A formula read 执行率 while the budget is 0: the rule's 零预算 decides what the row gets."""


class RunBase:
    def __init__(self, plan: Plan, actuals: ActualsFile) -> None:
        self.ev = plan
        self.actuals = actuals
        self.diagnostics: list[Diagnostic] = list(actuals.diagnostics)  # reading errors, reported together
        doc = plan.ruleset  # F112, F113 (the file names another project …), then the file's own findings
        self.findings: list[Finding] = file_findings(
            doc.name, doc.meta("department"), doc.meta("unit"), actuals
        )
        self.entries: dict[str, Entry] = {}
        self.budget_reported = actuals.budget_unreadable  # an error about the budget was already reported
        self.zero_budget: tuple[str, str] | None = None  # (the 零预算 rule, the zero figure): no 执行率
        self.results: dict[str, IndicatorResult] = {}
        self.unrounded_steps: dict[str, tuple[Step, ...]] = {}  # each row's steps up to its unrounded score
        self.in_progress: list[str] = []
        self.failed: set[str] = set()  # indicators whose diagnostics are already recorded
        self.budget_values: dict[str, Fraction] = {}
        # 执行率 before the ruleset rounds it (budget_values has it rounded): F108 compares with both
        self.exact_rate: Fraction | None = None
        self.budget: BudgetResult | None = None

    def _error(self, code: str, span: Span | None, suggestion: str | None = None, **args: object) -> None:
        self.diagnostics.append(Diagnostic(code, span, args, suggestion=suggestion))

    def budget_missing(self, row: str, name: str, shown: str) -> None:
        """A budget figure the scoring needs is not there, said once: E518 at its row when the row is there
        with a blank or a dash, else E510 (E535 at the budget block in the official layout; `shown`: the
        figure's name as the message gives it)."""
        if self.budget_reported:
            return
        blank = (self.actuals.blank_budget or {}).get((row, name))
        if blank is not None:
            self._error("E518", blank, name=shown)
        elif self.actuals.layout != "columns":  # the official layout: the block above the table, E535 there
            self._error("E535", self.actuals.budget_block or self.actuals.file_span(), name=shown)
        else:
            self._error("E510", self.actuals.file_span(), name=shown)
        self.budget_reported = True

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

    def _eval(
        self, fn: Compiled, env: Env, what: str, cell: tuple[Span, str] | None = None
    ) -> Fraction | None:
        """The formula's value, or None with its error recorded. `cell`: where the actual was read and
        what it said; when it is not a number, an 实际 without a value is reported there."""
        try:
            value = fn(env)
        except EvalError as exc:
            self._error(exc.code, exc.span, what=what, detail=exc.detail)
            return None
        except Unavailable as exc:
            if exc.name in BUDGET_VARS and self.zero_budget is not None:
                raise ZeroRate from None  # not missing: the budget is 0 and the rule says what that means
            if exc.name in BUDGET_VARS:  # the budget figures are missing: say so once, not per formula
                self.budget_missing(self.ev.budget.row, exc.name, exc.name)
                return None
            if exc.name == "实际" and cell is not None:
                span, text = cell
                detail = (
                    f"实际值「{text}」不是数，公式中的「实际」没有值",
                    f"the actual “{text}” is not a number, so 实际 in the formula has no value",
                )
                self._error("E602", span, what=what, detail=detail)
                return None
            self._error(
                "E602",
                exc.span,
                what=what,
                detail=(f"「{exc.name}」在此没有值", f"“{exc.name}” has no value here"),
            )
            return None
        if isinstance(value, bool):
            self._error(
                "E602",
                self._here(),
                what=what,
                detail=("结果是条件而不是数", "the result is a condition, not a number"),
            )
            return None
        return value

    def _here(self) -> Span:
        """Where the formula being evaluated is: the indicator being scored, else the budget block."""
        if self.in_progress:
            return self.ev.by_path[self.in_progress[-1]].indicator.span
        return self.ev.rules.budget.span or self.ev.ruleset.document.span

    def _condition(self, fn: Compiled, env: Env) -> bool:
        try:
            return bool(fn(env))
        except Unavailable:
            return False
        except EvalError as exc:
            self._error(exc.code, exc.span, what="需说明", detail=exc.detail)
            return False

    def _referenced(self, name: str, span: Span) -> IndicatorResult:
        key = name_key(name)
        plans = (self.ev.by_path_key.get(key) and [self.ev.by_path_key[key]]) or self.ev.by_name.get(key, [])
        if len(plans) != 1:
            self._error("E201" if not plans else "E211", span, name=name)
            raise Failed
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

    def _indicator(self, plan: IndicatorPlan) -> IndicatorResult | None:  # pragma: no cover
        raise NotImplementedError

    def _adjusted_value(  # pragma: no cover - FindingsMixin provides it
        self, plan: IndicatorPlan, entry: Entry, band: ScaleLevel | None = None
    ) -> Fraction:
        raise NotImplementedError


def _rounding_step(before: Fraction, after: Fraction, stage: Stage, suffix: str) -> Step:
    assert stage.origin is not None and stage.origin.mode is not None
    mode, digits = stage.origin.mode, stage.origin.digits
    return Step(
        lambda: (
            f"{fmt(before)}{suffix} → {mode.value}{digits}位 → {format_fixed(after, digits)}{suffix}",
            f"{fmt(before)}{suffix} → {mode.name.lower()} {digits_text(digits, 'en')}"
            f" → {format_fixed(after, digits)}{suffix}",
        )
    )


def adjusted_points(text: str, weight: Fraction) -> Fraction | tuple[str, str]:
    """A 调整得分 cell in points (`8`, `8分`), or why it is none (E511's problem): not a number, or a
    number with a unit — `80%` is not 0.8 points (nor 8: a percentage of the weight, or of the total?)."""
    try:
        quantity = parse_quantity(text.removesuffix("分"))
    except LiteralError:
        return ("不是数", "is not a number")
    if quantity.dimension == "%":
        share = format_exact(quantity.base * 100) + "%"
        points = format_exact(quantity.base * weight)
        return (
            f"写成了百分比：调整得分按分计，分值 {fmt(weight)} 的 {share} 写作 {points}",
            f"is a percentage: an adjusted score is in points, {share} of the weight {fmt(weight)} "
            f"is {points}",
        )
    if quantity.unit:
        return (
            f"带单位「{quantity.unit}」：调整得分只写分数",
            f"has a unit “{quantity.unit}”: write the points alone",
        )
    return quantity.base


def adjustment_problem(value: Fraction, weight: Fraction, reason: str) -> tuple[str, str] | None:
    """What is wrong with an adjusted score (E511): outside 0 to the weight, or no reason."""
    if value < 0 or value > weight:
        return ("超出 0 到分值的范围", "is outside 0 to the weight")
    if not reason:
        return ("没有填写调整理由", "has no reason")
    return None


def figure(stage: Stage, value: Fraction) -> Figure:
    """A stage's figure: `value` as computed, and as shown when the stage declares a display rounding."""
    if stage.display is None:
        return Figure(value, stage.digits)
    return Figure(value, stage.digits, stage.display.apply(value), stage.display.digits)


def at_weight(stage: Stage, cap: Fraction) -> Figure:
    """A score capped to its weight (F135, F136, F137), shown as the weight itself with the decimals it
    has: 12.5 at 0 places is 12.5, not 13 again."""
    shown = figure(stage, cap)
    return Figure(cap, max(stage.digits or 0, decimal_places(cap) or 0), shown.shown, shown.shown_digits)


def display_steps(fig: Figure) -> list[Step]:
    """ "显示 9（计算用 9.91）" when the shown figure differs from the one added up."""
    if fig.shown is None:
        return []  # no display rounding: the figure shown is the one added up (nothing formatted)
    shown, computed = fig.text(), fig.computed_text()
    if shown == computed:
        return []
    return [Step(lambda: (f"显示 {shown}（计算用 {computed}）", f"shown {shown} (computed with {computed})"))]


def _dims(dim: str) -> tuple[str, str]:
    return (dimension_label(dim, "zh"), dimension_label(dim, "en"))


def _method_label(plan: IndicatorPlan) -> str:
    return "formula" if plan.score is not None else plan.method.id


def _with_adjustment(result: IndicatorResult, entry: Entry | None) -> IndicatorResult:
    from dataclasses import replace

    return replace(result, adjusted=True, adjust_reason=entry.row.reason if entry else "")
