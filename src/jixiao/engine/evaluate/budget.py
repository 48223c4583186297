"""The budget block (预算执行): figures, execution rate, its score and its explanation rule."""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.engine.actuals import money
from jixiao.engine.evaluate.base import RunBase, _dims, _rounding_step
from jixiao.engine.expr import Env
from jixiao.engine.methods import fmt
from jixiao.engine.plan import BudgetPlan, Stage
from jixiao.engine.results import BudgetResult, BudgetRow, Figure, Finding, Step
from jixiao.language import nodes as n

BUDGET_ORDER = ("年度资金总额", "本年财政拨款", "上年结转资金", "其他资金")


class BudgetMixin(RunBase):
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
            if plan is not None and not self.budget_reported:
                missing = "全年预算数" if annual is None else "全年执行数"
                self._error("E510", self.actuals.file_span(), name=missing)
                self.budget_reported = True
            return
        if annual == 0:
            self._error("E601", self._figure_span("全年预算数"), what="执行率")
            self.budget_reported = True
            return
        exact_rate = executed / annual
        rows = tuple(
            BudgetRow(
                name,
                figures[name].get("年初预算数"),
                figures[name].get("全年预算数"),
                figures[name].get("全年执行数"),
            )
            for name in (*BUDGET_ORDER, *(f for f in figures if f not in BUDGET_ORDER))  # extra sources last
            if name in figures
        )
        self._budget_score(plan, exact_rate, rows)

    def _figure_span(self, figure: str) -> Span:
        """Where a figure of the 年度资金总额 row is in the actual-value file."""
        return next(
            (f.span for f in self.actuals.budget if f.row == "年度资金总额" and f.figure == figure),
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

    def _budget_score(
        self, plan: BudgetPlan | None, exact_rate: Fraction, rows: tuple[BudgetRow, ...]
    ) -> None:
        rate_stage = plan.rate_stage if plan is not None else Stage(None, None, None)
        rate = rate_stage.apply(exact_rate)
        self.budget_values["执行率"] = rate
        steps = [
            Step(
                lambda: (
                    f"执行率 = 全年执行数 ÷ 全年预算数 = {fmt(exact_rate * 100)}%",
                    f"rate = executed ÷ annual budget = {fmt(exact_rate * 100)}%",
                )
            )
        ]
        if rate != exact_rate:
            steps.append(_rounding_step(exact_rate * 100, rate * 100, rate_stage, "%"))
        score = self._budget_points(plan, rate, steps) if plan is not None else None
        if plan is not None and score is None:
            return  # the formula failed; its diagnostic is recorded
        self.budget = BudgetResult(
            rows,
            Figure(rate, rate_stage.digits),
            Figure(plan.weight if plan is not None else 0),
            score,
            plan.counted if plan is not None else False,
            self.actuals.budget_note,
            self.ev.money_unit.unit,
            tuple(steps),
        )

    def _budget_points(self, plan: BudgetPlan, rate: Fraction, steps: list[Step]) -> Figure | None:
        """The budget block's score: its formula, capped to [0, 分值], rounded at the budget stage."""
        env = Env({**self.budget_values, "分值": plan.weight})
        raw = self._eval(plan.score, env, "预算执行得分")
        if raw is None:
            return None
        capped = min(max(raw, Fraction(0)), plan.weight)
        score = plan.stage.apply(capped)
        steps.append(Step(lambda: (f"预算执行得分 = {fmt(capped)}", f"budget score = {fmt(capped)}")))
        if score != capped:
            steps.append(_rounding_step(capped, score, plan.stage, ""))
        self._budget_explain(plan, env, rate)
        return Figure(score, plan.stage.digits)

    def _budget_explain(self, plan: BudgetPlan, env: Env, rate: Fraction) -> None:
        if self.actuals.budget_note or not plan.explain:
            return
        if any(self._condition(c, env) for c in plan.explain):
            self.findings.append(Finding("F106", n.BUDGET_LEVEL, {"rate": f"{fmt(rate * 100)}%"}))
