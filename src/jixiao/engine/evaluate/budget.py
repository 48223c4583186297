"""The budget block (预算执行): figures, execution rate, its score and its explanation rule.

Which row feeds the rate (预算行), how the rate is computed (执行率 = …), and what a zero
denominator means (零预算) come from the plan. The figures are required only when the budget
score counts (not for 预算执行 不评分, 计入总分 否 or 分值 0); when given they are always shown.
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.engine.actuals import money
from jixiao.engine.evaluate.base import (
    RunBase,
    _dims,
    _rounding_step,
    adjusted_points,
    adjustment_problem,
    at_weight,
    display_steps,
    figure,
)
from jixiao.engine.expr import Env, EvalError, Unavailable
from jixiao.engine.figure import Rate
from jixiao.engine.methods import fmt
from jixiao.engine.plan import DEFAULT_RATE_TEXT, BudgetPlan
from jixiao.engine.results import BudgetResult, BudgetRow, Figure, Finding, Step
from jixiao.language import nodes as n
from jixiao.language.rounding import format_fixed

BUDGET_ORDER = ("年度资金总额", "本年财政拨款", "上年结转资金", "其他资金")
FIGURES = ("年初预算数", "全年预算数", "全年执行数")
ZERO_ORDER = ("全年预算数", "年初预算数", "全年执行数")  # which zero figure a zero rate is blamed on
ONE = Fraction(1)


class ZeroBudget(Exception):
    """The rate's denominator is 0; the plan's 零预算 decides what that means."""


class BudgetMixin(RunBase):
    # -- the budget block ----------------------------------------------------------------------------
    def _budget(self) -> None:
        plan = self.ev.budget
        figures = self._budget_figures()
        chosen = figures.get(plan.row, {})
        for key in FIGURES:
            if key in chosen:
                self.budget_values[key] = chosen[key] * self.ev.money_unit.scale
        if not figures and not plan.required:
            return  # a table without a budget block, and nothing asks for one
        rows = _rows(figures)
        try:
            rate = self._rate(plan)
        except ZeroBudget:
            self._zero_budget(plan, rows)
            return
        if rate is not None:
            self._budget_score(plan, rate, rows)
        elif figures and not plan.required:
            self.budget = self._budget_result(plan, rows, None, None, ())

    def _rate(self, plan: BudgetPlan) -> Fraction | None:
        """The exact execution rate, or None when a figure it needs is missing (E510 if required)."""
        try:
            value = plan.rate(Env(dict(self.budget_values)))
        except Unavailable as exc:
            if plan.required:
                self._missing(plan, exc.name)
            return None
        except EvalError as exc:
            if exc.code == "E601":
                raise ZeroBudget from None
            self._error(exc.code, exc.span, what="执行率", detail=exc.detail)
            return None
        if isinstance(value, bool):
            where = self.ev.rules.budget.span or self.actuals.file_span()
            detail = ("结果是条件而不是数", "the result is a condition")
            self._error("E602", where, what="执行率", detail=detail)
            return None
        return value

    def _missing(self, plan: BudgetPlan, name: str) -> None:
        """E510 once, naming the figure (and the row when it is not 年度资金总额)."""
        where = name if plan.row == BUDGET_ORDER[0] or name not in FIGURES else f"{plan.row}/{name}"
        self.budget_missing(plan.row, name, where)

    def _figure_span(self, row: str, figure: str) -> Span:
        """Where a figure of a budget row is in the actual-value file."""
        return next(
            (f.span for f in self.actuals.budget if f.row == row and f.figure == figure),
            self.actuals.file_span(),
        )

    def _budget_figures(self) -> dict[str, dict[str, Fraction]]:
        figures: dict[str, dict[str, Fraction]] = {}
        for fig in self.actuals.budget:
            value = money(fig.quantity, self.ev.money_unit)
            if value is None:
                self._error(
                    "E506",
                    fig.span,
                    actual=fig.quantity.text(),
                    target=self.ev.money_unit.unit,
                    actual_dim=_dims(fig.quantity.dimension),
                    target_dim=_dims("元"),
                )
                continue
            figures.setdefault(fig.row, {})[fig.figure] = value
        return figures

    # -- a zero denominator ------------------------------------------------------------------------------
    def _zero_budget(self, plan: BudgetPlan, rows: tuple[BudgetRow, ...]) -> None:
        zero = next((f for f in ZERO_ORDER if self.budget_values.get(f) == 0), FIGURES[1])
        self.zero_budget = (plan.zero, zero)  # rows whose formulas read 执行率 follow the same rule
        if plan.zero == "error" and plan.required:
            self._error("E606", self._figure_span(plan.row, zero), name=zero)
            self.budget_reported = True
            return
        if not plan.required:
            self.budget = self._budget_result(plan, rows, None, None, ())
            return
        full = plan.zero == "full"
        score = figure(plan.stage, plan.weight) if full else None
        shown = score.text() if score is not None else ""
        step = Step(
            lambda: (
                f"{zero}为 0，执行率无法计算："
                + (f"按规则得满分 {shown}" if full else "预算执行不评分，分值按不适用处理"),
                f"{zero} is 0, no rate: "
                + (f"full score {shown} by the rule" if full else "not scored, its weight left out"),
            )
        )
        self.findings.append(
            Finding("F126", n.BUDGET_LEVEL, {"name": zero, "how": _zero_how(full, plan.weight)})
        )
        self.budget = self._budget_result(plan, rows, None, score, (step,), not_applicable=not full)

    # -- the rate and the score ---------------------------------------------------------------------------
    def _budget_score(self, plan: BudgetPlan, exact_rate: Fraction, rows: tuple[BudgetRow, ...]) -> None:
        rate = plan.rate_stage.apply(exact_rate)
        self.budget_values["执行率"] = rate
        self.exact_rate = exact_rate
        steps = [_rate_step(plan, exact_rate)]
        if rate != exact_rate:
            steps.append(_rounding_step(exact_rate * 100, rate * 100, plan.rate_stage, "%"))
        score = None
        if plan.scored:
            score = self._budget_points(plan, rate, steps)
            if score is None:
                return  # the formula failed; its diagnostic is recorded
            if exact_rate > ONE:
                self.findings.append(Finding("F127", n.BUDGET_LEVEL, {"rate": rate_text(plan, rate)}))
        self.budget = self._budget_result(plan, rows, Rate(rate, plan.rate_stage.digits), score, tuple(steps))

    def _budget_result(
        self,
        plan: BudgetPlan,
        rows: tuple[BudgetRow, ...],
        rate: Figure | None,
        score: Figure | None,
        steps: tuple[Step, ...],
        not_applicable: bool = False,
    ) -> BudgetResult:
        return BudgetResult(
            rows,
            rate,
            Figure(plan.weight if plan.scored else 0),
            score,
            plan.counted and plan.scored,
            self.actuals.budget_note,
            self.ev.money_unit.unit,
            steps,
            scored=plan.scored,
            row=plan.row,
            not_applicable=not_applicable,
        )

    def _budget_points(self, plan: BudgetPlan, rate: Fraction, steps: list[Step]) -> Figure | None:
        """The budget block's score: its formula, capped to [0, 分值], rounded at the budget stage."""
        env = Env({**self.budget_values, "分值": plan.weight})
        raw = self._eval(plan.score, env, "预算执行得分")
        if raw is None:
            return None
        capped = min(max(raw, Fraction(0)), plan.weight)
        score = plan.stage.apply(capped)
        steps.append(_score_step(plan, env, raw))
        if capped != raw:
            steps.append(
                Step(
                    lambda: (f"封顶/保底：{fmt(raw)} → {fmt(capped)}", f"capped: {fmt(raw)} → {fmt(capped)}")
                )
            )
        if score != capped:
            steps.append(_rounding_step(capped, score, plan.stage, ""))
        self._budget_explain(plan, env, rate)
        shown = figure(plan.stage, score) if score <= plan.weight else self._at_weight(plan, score, steps)
        steps.extend(display_steps(shown))
        return self._budget_adjusted(plan, shown, steps)

    def _at_weight(self, plan: BudgetPlan, over: Fraction, steps: list[Step]) -> Figure:
        """A score its rounding took above the weight (12.5 → 13 at 0 places) is the weight (F137), as a
        一级's subtotal is (F135); shown with the decimals the weight has (12.5, not 13 again)."""
        cap = plan.weight
        self.findings.append(Finding("F137", n.BUDGET_LEVEL, {"score": fmt(over), "weight": fmt(cap)}))
        steps.append(
            Step(
                lambda: (
                    f"得分 {fmt(over)} 超过分值 {fmt(cap)}，按 {fmt(cap)} 计",
                    f"the score {fmt(over)} is above the weight {fmt(cap)}: capped",
                )
            )
        )
        return at_weight(plan.stage, cap)

    def _budget_adjusted(self, plan: BudgetPlan, score: Figure, steps: list[Step]) -> Figure | None:
        """调整得分 on a budget row: like an indicator's (0 to 分值, with a reason; F104), never ignored."""
        if self.actuals.budget_adjustment is None:
            return score
        text, reason, span = self.actuals.budget_adjustment
        value = adjusted_points(text, plan.weight)
        problem = value if isinstance(value, tuple) else adjustment_problem(value, plan.weight, reason)
        if isinstance(value, tuple) or problem is not None:
            self._error("E511", span, score=text, problem=problem, weight=fmt(plan.weight))
            return None
        args: dict[str, object] = {"formula": score.text(), "adjusted": fmt(value), "reason": reason}
        self.findings.append(Finding("F104", n.BUDGET_LEVEL, args))
        steps.append(
            Step(
                lambda: (
                    f"人工调整：{score.text()} → {fmt(value)}（理由：{reason}）",
                    f"adjusted: {score.text()} → {fmt(value)} ({reason})",
                )
            )
        )
        digits = len(text.split(".")[1]) if "." in text else 0
        return Figure(value, max(digits, plan.stage.digits or 0))

    def _budget_explain(self, plan: BudgetPlan, env: Env, rate: Fraction) -> None:
        if self.actuals.budget_note or not plan.explain:
            return
        if any(self._condition(c, env) for c in plan.explain):
            self.findings.append(Finding("F106", n.BUDGET_LEVEL, {"rate": rate_text(plan, rate)}))


def rate_text(plan: BudgetPlan, rate: Fraction) -> str:
    """The rate as the table prints it: with the declared digits (86.20%), exact when not rounded."""
    digits = plan.rate_stage.digits
    return f"{format_fixed(rate * 100, digits) if digits is not None else fmt(rate * 100)}%"


def _rows(figures: dict[str, dict[str, Fraction]]) -> tuple[BudgetRow, ...]:
    """The budget rows in the table's order, then any other row the file gives."""
    names = [name for name in BUDGET_ORDER if name in figures] + [n for n in figures if n not in BUDGET_ORDER]
    return tuple(
        BudgetRow(
            name, figures[name].get(FIGURES[0]), figures[name].get(FIGURES[1]), figures[name].get(FIGURES[2])
        )
        for name in names
    )


def _rate_step(plan: BudgetPlan, exact_rate: Fraction) -> Step:
    plain = plan.row == BUDGET_ORDER[0]
    zh, en = ("", "") if plain else (f"（{plan.row}）", f" ({plan.row})")
    return Step(
        lambda: (
            f"执行率{zh} = {plan.rate_text} = {fmt(exact_rate * 100)}%",
            f"rate{en} = {_english_rate(plan.rate_text)} = {fmt(exact_rate * 100)}%",
        )
    )


def _english_rate(text: str) -> str:
    """The default rate formula in English words (a formula the ruleset writes is shown as written)."""
    return "executed ÷ annual_budget" if text == DEFAULT_RATE_TEXT else text


def _zero_how(full: bool, weight: Fraction) -> tuple[str, str]:
    if full:
        return (
            f"按规则（零预算 满分）得满分 {fmt(weight)}",
            f"full score {fmt(weight)} by the rule (zero_budget full)",
        )
    return (
        f"预算执行不评分，分值 {fmt(weight)} 按不适用处理",
        f"the budget is not scored; its weight {fmt(weight)} is left out like not applicable",
    )


def _score_step(plan: BudgetPlan, env: Env, raw: Fraction) -> Step:
    """预算执行得分 = 10 × 封顶(93.76%, 100%) = 9.376: the formula with its values, as indicator steps show
    theirs; just the result when the formula is one the arithmetic is not written for (如果 …)."""
    formula = plan.score_formula
    zh = substituted(formula, env.values, "zh") if formula is not None else None
    en = substituted(formula, env.values, "en") if formula is not None else None
    if zh is None or en is None:
        return Step(lambda: (f"预算执行得分 = {fmt(raw)}", f"budget score = {fmt(raw)}"))
    return Step(lambda: (f"预算执行得分 = {zh} = {fmt(raw)}", f"budget score = {en} = {fmt(raw)}"))


FUNCTION_NAMES = {
    "cap": ("封顶", "cap"),
    "floor": ("保底", "floor"),
    "min": ("min", "min"),
    "max": ("max", "max"),
}
FUNCTION_NAMES["abs"] = ("abs", "abs")
TIGHT = {"+": 1, "-": 1, "×": 2, "÷": 2}  # how tightly an operator binds


def substituted(expr: n.Expr, values: dict[str, Fraction], lang: str) -> str | None:
    """An arithmetic formula with each variable replaced by its value (执行率 as a percentage), or None for
    one with conditions, words or references to other rows."""
    if isinstance(expr, n.Num):
        if expr.unit in ("%", "‰"):
            return f"{fmt(expr.value * (100 if expr.unit == '%' else 1000))}{expr.unit}"
        return fmt(expr.value)
    if isinstance(expr, n.Var):
        value = values.get(expr.name)
        if value is None:
            return None
        return f"{fmt(value * 100)}%" if expr.name == "执行率" else fmt(value)
    if isinstance(expr, n.Neg):
        inner = substituted(expr.operand, values, lang)
        return None if inner is None else f"-{_grouped(expr.operand, inner, 3)}"
    if isinstance(expr, n.BinOp):
        return _substituted_chain(expr, values, lang)
    if isinstance(expr, n.Call) and expr.func in FUNCTION_NAMES:
        args = [substituted(a, values, lang) for a in expr.args]
        if any(a is None for a in args):
            return None
        name = FUNCTION_NAMES[expr.func][0 if lang == "zh" else 1]
        return f"{name}({', '.join(a for a in args if a is not None)})"
    return None


def _substituted_chain(expr: n.BinOp, values: dict[str, Fraction], lang: str) -> str | None:
    """A chain `a + b − c …` substituted link by link along its left spine, in a loop (any length)."""
    first, links = n.spine(expr)
    text = substituted(first, values, lang)
    if text is None:
        return None
    parts, left = [text], first
    for link in links:
        right = substituted(link.right, values, lang)
        if right is None:
            return None
        tight = TIGHT[link.op]
        if isinstance(left, n.BinOp) and TIGHT[left.op] < tight:
            parts = ["(", *parts, ")"]
        parts.append(f" {link.op} {_grouped(link.right, right, tight + 1)}")
        left = link
    return "".join(parts)


def _grouped(expr: n.Expr, text: str, tight: int) -> str:
    """`text` in parentheses when `expr` binds less tightly than its place needs."""
    return f"({text})" if isinstance(expr, n.BinOp) and TIGHT[expr.op] < tight else text
