"""Scoring one project: a compiled `Plan` applied to one actual-value file.

A `Run` binds the file's rows to the indicators, computes the budget block,
scores each indicator (derived values first, on demand), applies 不适用,
totals, grades, and collects findings. Every bad cell becomes a positioned
diagnostic; all of them are raised together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Generic, TypeVar

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.actuals import ActualRow, ActualsFile, Entry, says_no_value
from jixiao.engine.evaluate.actual import Problem, written_actual, written_differs
from jixiao.engine.evaluate.base import (
    Failed,
    ZeroRate,
    _method_label,
    _rounding_step,
    _with_adjustment,
    display_steps,
    figure,
)
from jixiao.engine.evaluate.budget import BudgetMixin
from jixiao.engine.evaluate.findings import FindingsMixin, marked_down_step, other_year, year_finding
from jixiao.engine.evaluate.scoring import ScoringMixin
from jixiao.engine.evaluate.totals import item_score, redistribute, sum_digits, total, unshared
from jixiao.engine.expr import EvalError, Unavailable
from jixiao.engine.levels import Levels
from jixiao.engine.methods import Outcome, fmt
from jixiao.engine.plan import IndicatorPlan, Plan, target_quantity
from jixiao.engine.results import Figure, Finding, IndicatorResult, Result, Step
from jixiao.language import nodes as n
from jixiao.language.literals import LiteralError, parse_quantity
from jixiao.language.quantity import (
    DateActual,
    NotApplicable,
    NotApplicableTarget,
    NumericActual,
    Quantity,
    Unknown,
    WordActual,
    read_as,
)
from jixiao.language.rounding import exact_sum
from jixiao.language.variants import simplified
from jixiao.language.vocabulary import FILE_SCORED, name_key, unnumbered
from jixiao.limits import MAX_DERIVED_DEPTH
from jixiao.messages import message
from jixiao.suggest import Suggester

BREAKDOWN_PREFIX = re.compile(r"^\s*其中\s*[:：]?\s*")  # a row written 其中：能繁母猪 is 能繁母猪
ACTUAL_TYPES = (NumericActual, DateActual, WordActual, NotApplicable, Unknown)
T = TypeVar("T")


def hidden_note(entry: Entry) -> tuple[str, str]:
    """「（第19行是隐藏行）」 when an entry's row is hidden in its sheet (else nothing): a message naming
    that row from another row's place says it, as a message at the row itself does."""
    excerpt = entry.span("name").excerpt
    if excerpt is None or not excerpt.hidden:
        return "", ""
    args: dict[str, object] = {"row": entry.line}
    return message("hidden-row", "zh", args), message("hidden-row", "en", args)


class Run(BudgetMixin, ScoringMixin, FindingsMixin):
    def __init__(self, plan: Plan, actuals: ActualsFile) -> None:
        super().__init__(plan, actuals)
        self.suggester = Suggester()  # did-you-mean for unknown rows, within a bounded amount of work
        self._names = [p.indicator.name for p in plan.plans]
        self._places: set[Span | None] = set()  # where the diagnostics counted so far point (`_reported`)
        self._counted = 0
        self.entries = self._bind()

    # -- binding rows to indicators ---------------------------------------------------------
    def _bind(self) -> dict[str, Entry]:
        bound: dict[str, Entry] = {}
        self.misplaced: set[str] = set()  # indicators whose row is misnamed or misplaced (E503/E515 said so)
        for entry in self.actuals.entries:
            plan = self._match(entry)
            if plan is None:
                continue
            if plan.path in bound:
                first = bound[plan.path]
                self._error(
                    "E507", entry.span("name"), name=entry.row.name, first_row=first.line,
                    first_hidden=hidden_note(first),
                )  # fmt: skip
                continue
            bound[plan.path] = entry
        for plan in self.ev.plans:
            if plan.path not in bound and _needs_row(plan) and plan.path not in self.misplaced:
                self._error("E508", self.actuals.file_span(), name=plan.path)
        return bound

    def _reported(self, span: Span) -> bool:
        """Whether a diagnostic (the reader's) already points at this cell. The places are gathered as the
        list grows, each diagnostic once: a table of many blank cells (E504 each) looked through every
        diagnostic for every row, 20 s for 2 000 rows."""
        for diagnostic in self.diagnostics[self._counted :]:
            self._places.add(diagnostic.span)
        self._counted = len(self.diagnostics)
        return span in self._places

    def _match(self, entry: Entry) -> IndicatorPlan | None:
        row = entry.row
        by_name, candidates = row_candidates(self.ev, row)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates and by_name:
            where = "、".join(f"{p.indicator.level1}/{p.indicator.level2}" for p in by_name)
            written = f"{row.level1}/{row.level2}"
            # the caret under the level that is wrong: the 二级 when the 一级 is one of the indicator's
            levels = self.ev.levels
            level2 = not row.level1 or any(levels.fits1(row.level1, p.indicator.level1) for p in by_name)
            column = "level2" if level2 and row.level2 else "level1"
            self._error("E515", entry.span(column), name=row.name, where=where, written=written)
            self.misplaced.update(p.path for p in by_name)
        elif not candidates:
            close = self.suggester.closest(row.name, self._names, cutoff=0.5)
            if close is not None and row_key(close) == row_key(row.name):
                close = None  # never "did you mean" the very name written
            self._error("E503", entry.span("name"), close, name=row.name)
            # the indicator the typo meant has its row (misspelt): no "missing row" E508 for it as well
            self.misplaced.update(p.path for p in self.ev.plans if close and p.indicator.name == close)
        else:
            self._error("E211", entry.span("name"), name=row.name)
        return None

    # -- the whole run -------------------------------------------------------------------------
    def result(self) -> Result:
        self._budget()
        counted = [p for p in self.ev.plans if not p.indicator.subtotal]
        for plan in self.ev.order or self.ev.plans:  # references first: no recursion along a chain
            if plan.indicator.subtotal:
                continue  # a 小计 is the sum of the rows it repeats, made after them
            self._indicator(plan)
        if self.diagnostics:
            raise JixiaoError(self.diagnostics)
        scored = [self.results[p.path] for p in counted]
        if scored and all(r.not_applicable for r in scored):
            raise JixiaoError([Diagnostic("E604", self.actuals.file_span())])
        indicators = self._not_applicable(scored)
        self._sum_checks()
        self._traditional()
        self._year()
        if len(counted) == len(self.ev.plans):
            return self._total(indicators)
        rows = self._with_subtotals(indicators)  # before the total, so that their findings are listed
        result = self._total(indicators)  # from the counted rows only: a 小计 is never counted twice
        return replace(result, indicators=rows)

    def _with_subtotals(self, indicators: list[IndicatorResult]) -> tuple[IndicatorResult, ...]:
        """The rows in the table's order, each 小计 row showing the sum of the rows it repeats."""
        by_path = {r.path: r for r in indicators}
        return tuple(
            self._subtotal(plan, indicators) if plan.indicator.subtotal else by_path[plan.path]
            for plan in self.ev.plans
        )

    def _subtotal(self, plan: IndicatorPlan, indicators: list[IndicatorResult]) -> IndicatorResult:
        ind = plan.indicator
        parts = [
            r for r in indicators if r.level1 == ind.level1 and (not ind.level2 or r.level2 == ind.level2)
        ]
        scores = [r.score for r in parts if r.score is not None]
        total = Figure(exact_sum(s.value for s in scores), sum_digits(scores))
        weight = Figure(exact_sum(r.weight.value for r in parts))
        entry = self.entries.get(plan.path)
        findings = self._written_subtotal(plan, entry, total)
        step = Step(
            lambda: (
                f"小计：{len(parts)} 项得分之和 {total.text()}（只显示，不计入总分）",
                f"subtotal of {len(parts)} rows: {total.text()} (shown, not counted)",
            )
        )
        text = entry.row.actual if entry is not None else ""
        note = entry.row.note if entry is not None else ""
        result = self._result(plan, text, None, total, None, None, note, findings, (step,))
        return replace(result, weight=weight, subtotal=True)

    def _written_subtotal(self, plan: IndicatorPlan, entry: Entry | None, total: Figure) -> list[Finding]:
        """A 小计 the table printed (得分 column) that is not the sum of its rows: F134."""
        written = entry.row.score if entry is not None else ""
        if not written:
            return []
        try:
            value = parse_quantity(written.removesuffix("分")).base
        except LiteralError:
            value = None
        if value is not None and (value == total.value or Figure(value, total.digits).text() == total.text()):
            return []
        return [Finding("F134", plan.path, {"written": written, "sum": total.text()})]

    def _traditional(self) -> None:
        """One finding for the cells written in traditional characters (they were read as simplified)."""
        cells = self.actuals.traditional
        if cells:
            text, span = cells[0]
            args = {"count": len(cells), "row": span.line, "text": text, "simple": simplified(text)}
            self.findings.append(Finding("F125", None, args))

    def _year(self) -> None:
        """The table's year, when its title gives one other than the ruleset's 年度 (F138)."""
        year = self.ev.ruleset.document.year
        printed = other_year(self.actuals, year)
        if printed is not None and year is not None:
            self.findings.append(year_finding(printed, year, self.actuals.year_span))

    # -- indicators -------------------------------------------------------------------------------------
    def _indicator(self, plan: IndicatorPlan) -> IndicatorResult | None:
        if plan.path in self.results:
            return self.results[plan.path]
        if plan.path in self.failed:
            return None
        if plan.path in self.in_progress:
            cycle = " → ".join([*self.in_progress, plan.path])
            self._error("E207", plan.indicator.span, cycle=cycle)
            raise Failed
        if len(self.in_progress) >= MAX_DERIVED_DEPTH:
            self._error("E906", plan.indicator.span, limit=MAX_DERIVED_DEPTH, name=self.in_progress[0])
            raise Failed
        self.in_progress.append(plan.path)
        try:
            result = self._score_or_zero(plan)
        except Failed:
            self.failed.add(plan.path)
            return None
        finally:
            self.in_progress.pop()
        self.results[plan.path] = result
        return result

    def _score_or_zero(self, plan: IndicatorPlan) -> IndicatorResult:
        try:
            return self._score(plan)
        except ZeroRate:
            return self._zero_row(plan)

    def _zero_row(self, plan: IndicatorPlan) -> IndicatorResult:
        """A row whose formula reads 执行率 while the budget is 0 follows the budget's 零预算 rule: 报错 is
        E606 at the zero figure (once), 不评分 leaves the row out like 不适用, 满分 gives it full marks."""
        assert self.zero_budget is not None
        rule, zero = self.zero_budget
        if rule == "error":
            if not self.budget_reported:
                self._error("E606", self._figure_span(self.ev.budget.row, zero), name=zero)
                self.budget_reported = True
            raise Failed
        entry = self.entries.get(plan.path)
        text = entry.row.actual if entry else ""
        note = entry.row.note if entry else ""
        how = _zero_row_how(rule == "full", fmt(plan.weight))
        findings = [Finding("F126", plan.path, {"name": zero, "how": how})]
        step = Step(
            lambda: (f"{zero}为 0，执行率无法计算：{how[0]}", f"{zero} is 0, no execution rate: {how[1]}")
        )
        if rule == "full":
            score = figure(plan.stage, plan.stage.apply(plan.weight))
            return self._result(plan, text, None, score, plan.weight, None, note, findings, (step,))
        na: dict[str, object] = {"weight": fmt(plan.weight), "how": self.ev.rules.not_applicable + "d"}
        findings.append(Finding("F103", plan.path, na))
        steps = (step, _na_step(plan, self))
        return self._result(plan, text, NotApplicable(), None, None, None, note, findings, steps)

    def _score(self, plan: IndicatorPlan) -> IndicatorResult:
        entry = self.entries.get(plan.path)
        if plan.indicator.breakdown_of is not None:
            return self._breakdown(plan, entry)
        findings: list[Finding] = []
        actual = self._actual(plan, entry, findings)
        note = entry.row.note if entry else ""
        written = entry.row.actual if entry else ""
        # a derived row's cell left blank or saying no value (—, /, 无): the computed value is shown
        text = _actual_text(actual) if not written or (plan.actual and says_no_value(written)) else written
        if isinstance(actual, NotApplicable):
            if entry is not None and entry.row.adjusted:
                problem = ("不能用于不适用的指标", "cannot be given for a not-applicable indicator")
                self._error("E511", entry.span("adjusted"), score=entry.row.adjusted, problem=problem,
                            weight=fmt(plan.weight))  # fmt: skip
                raise Failed
            findings.append(
                Finding(
                    "F103", plan.path, {"weight": fmt(plan.weight), "how": self.ev.rules.not_applicable + "d"}
                )
            )
            return self._result(plan, text, actual, None, None, None, note, findings, (_na_step(plan, self),))
        if isinstance(actual, Unknown) and not (entry is not None and entry.row.adjusted):
            return self._unknown(plan, text, note, findings)
        outcome = self._outcome(plan, actual, entry)
        points = self._over(plan, actual, outcome.points, findings)
        capped = min(max(points, Fraction(0)), plan.weight)
        score = plan.stage.apply(capped)
        steps = list(outcome.steps)
        if points != outcome.points:
            steps.append(marked_down_step(plan, outcome.points, points))
        if capped != points:
            steps.append(
                Step(
                    lambda: (
                        f"封顶/保底：{fmt(points)} → {fmt(capped)}",
                        f"capped: {fmt(points)} → {fmt(capped)}",
                    )
                )
            )
        self.unrounded_steps[plan.path] = tuple(steps)  # what 不适用 分配 scales (totals.redistribute)
        item = None
        items = plan.item_score and bool(plan.weight)
        if items and outcome.band is None:  # a band word has no formula score to make an item score of
            score, item = item_score(capped, plan.weight, plan.stage, steps)
        elif score != capped:
            steps.append(_rounding_step(capped, score, plan.stage, ""))
        result = self._finish(plan, entry, text, actual, capped, score, outcome, note, findings, steps)
        if result.adjusted and result.score is not None and items:  # an evaluator's score: its item follows
            item = result.score.value * 100 / plan.weight
        if item is None:
            return result
        return replace(result, item_score=Figure(item, plan.stage.digits))

    def _finish(
        self,
        plan: IndicatorPlan,
        entry: Entry | None,
        text: str,
        actual: object,
        capped: Fraction,
        score: Fraction,
        outcome: Outcome,
        note: str,
        findings: list[Finding],
        steps: list[Step],
    ) -> IndicatorResult:
        final = figure(plan.stage, score)
        steps = [*steps, *display_steps(final)]
        if outcome.asserted:
            reason = entry.row.reason if entry is not None else ""
            findings.append(Finding("F129", plan.path, {"score": final.text(), "reason": reason}))
        adjusted = None if outcome.asserted else self._adjustment(plan, entry, score, findings, outcome.band)
        if adjusted is not None:
            final = adjusted
            steps = [*steps, _adjustment_step(score if outcome.band is None else None, adjusted, entry)]
        self._explain_required(plan, actual, final.value, note, findings)
        formula = None if outcome.band is not None else capped  # a band word has no formula score
        result = self._result(plan, text, actual, final, formula, outcome.met, note, findings, tuple(steps))
        if adjusted is not None:
            return _with_adjustment(result, entry)
        return result

    def _breakdown(self, plan: IndicatorPlan, entry: Entry | None) -> IndicatorResult:
        """A 其中 row: its actual is read (in its own unit) and shown; it has no weight and no score."""
        findings: list[Finding] = []
        actual = entry.value if entry is not None else None
        if actual is None:
            self._blank(plan, entry)  # a 其中 row is there to show its value
        if isinstance(actual, NumericActual) and actual.approximate and entry is not None:
            findings.append(
                Finding("F107", plan.path, {"text": entry.row.actual, "value": actual.quantity.text()})
            )
        text = entry.row.actual if entry is not None else ""
        note = entry.row.note if entry is not None else ""
        step = Step(lambda: ("其中：只显示，不计分", "a breakdown row: shown, not scored"))
        result = self._result(plan, text, actual, None, None, None, note, findings, (step,))
        return replace(result, breakdown_of=plan.indicator.breakdown_of)

    def _sum_checks(self) -> None:
        """分项合计: 其中 rows add up to their indicator's actual (F132); other counters stay out (F133)."""
        for plan in self.ev.plans:
            parent = self.results.get(plan.path)
            if plan.indicator.sum_check and parent is not None:
                parts = [r for r in self.results.values() if r.breakdown_of == plan.indicator.name
                         and (r.level1, r.level2) == (parent.level1, parent.level2)]  # fmt: skip
                self._sum_check(parent, parts)

    def _sum_check(self, parent: IndicatorResult, parts: list[IndicatorResult]) -> None:
        total = parent.parsed_actual
        if not isinstance(total, NumericActual) or not parts:
            return
        found = Fraction(0)
        for part in parts:
            value = part.parsed_actual
            if not isinstance(value, NumericActual):
                continue
            if read_as(value.quantity, total.quantity) is None:  # (6个行政村 of 12村 counts: villages)
                args: dict[str, object] = {
                    "name": part.name,
                    "unit": value.quantity.unit,
                    "parent": parent.name,
                    "parent_unit": total.quantity.unit,
                }
                self.findings.append(Finding("F133", part.path, args))
                continue
            found += value.quantity.base
        if found != total.quantity.base:
            scale = total.quantity.scale
            shown = f"{fmt(found / scale)}{total.quantity.unit}"
            summed: dict[str, object] = {"sum": shown, "parent": parent.name, "actual": total.quantity.text()}
            self.findings.append(Finding("F132", parent.path, summed))

    def _unknown(self, plan: IndicatorPlan, text: str, note: str, findings: list[Finding]) -> IndicatorResult:
        """A score nobody can read: neither 不适用 (no rescaling) nor 0; the total is marked incomplete."""
        findings.append(Finding("F130", plan.path, {"text": text, "weight": fmt(plan.weight)}))
        step = Step(
            lambda: (
                f"得分未知（{text}）：不计入已知得分，总分不完整",
                f"score unknown ({text}): the total is incomplete",
            )
        )
        result = self._result(plan, text, Unknown(), None, None, None, note, findings, (step,))
        return replace(result, unknown=True)

    def _result(
        self,
        plan: IndicatorPlan,
        text: str,
        actual: object,
        score: Figure | None,
        formula: Fraction | None,
        met: bool | None,
        note: str,
        findings: list[Finding],
        steps: tuple[Step, ...],
    ) -> IndicatorResult:
        ind = plan.indicator
        self.findings.extend(findings)
        return IndicatorResult(
            level1=ind.level1,
            level2=ind.level2,
            name=ind.name,
            target=ind.target_text,
            actual=text,
            parsed_actual=actual if isinstance(actual, ACTUAL_TYPES) else None,
            weight=plan.weight_figure,
            score=score,
            formula_score=None if formula is None else Figure(formula),
            method=_method_label(plan),
            note=note,
            met=met,
            source=ind.source,
            findings=tuple(findings),
            steps=steps,
            plan=plan,
            goal=ind.goal,
        )

    # -- actual values ----------------------------------------------------------------------------------
    def _actual(self, plan: IndicatorPlan, entry: Entry | None, findings: list[Finding]) -> object:
        if isinstance(plan.indicator.target, NotApplicableTarget):
            return NotApplicable()  # 目标 /: the table says the row does not apply
        if plan.actual is not None:
            derived = self._derived(plan)
            self._compare_written(plan, derived, entry, findings)
            return derived
        if entry is not None and entry.value is None and plan.method.id in FILE_SCORED:
            return None  # scored by its 得分系数 or its asserted score alone
        if entry is None or entry.value is None:
            self._blank(plan, entry)
            raise Failed
        try:
            value, found = written_actual(plan, entry, entry.value)
        except Problem as problem:
            self.diagnostics.append(Diagnostic(problem.code, problem.span, problem.details))
            raise Failed from None
        findings.extend(found)
        return value

    def _blank(self, plan: IndicatorPlan, entry: Entry | None) -> None:
        """E504 for a row whose value is needed and blank. The reader lets every blank through: it cannot
        know which rows are derived (实际 = …: computed, never read), 目标 / or scored by the file alone."""
        if entry is not None and not entry.row.actual and not self._reported(entry.span("actual")):
            self._error("E504", entry.span("actual"), name=plan.indicator.name)

    def _compare_written(
        self, plan: IndicatorPlan, derived: NumericActual, entry: Entry | None, findings: list[Finding]
    ) -> None:
        finding = written_differs(plan, derived, entry, lambda: self._unrounded(plan, derived))
        if finding is not None:
            findings.append(finding)

    def _derived(self, plan: IndicatorPlan) -> NumericActual:
        assert plan.actual is not None
        value = self._eval(plan.actual, self._env(plan, None), plan.path)
        if value is None:
            raise Failed
        return _in_target_unit(plan, value)

    def _unrounded(self, plan: IndicatorPlan, derived: NumericActual) -> NumericActual | None:
        """The derived value with 执行率 as computed, before the ruleset rounds it (F108 compares a written
        value with both), or None when it is the derived value or cannot be computed."""
        assert plan.actual is not None
        exact = self.exact_rate
        if exact is None or exact == self.budget_values.get("执行率"):
            return None
        env = self._env(plan, None)
        env.values["执行率"] = exact
        try:
            value = plan.actual(env)
        except (EvalError, Unavailable):
            return None
        if isinstance(value, bool) or value == derived.quantity.base:
            return None
        return _in_target_unit(plan, value)

    # -- 不适用, levels, total, grade ----------------------------------------------------------
    def _not_applicable(self, results: list[IndicatorResult]) -> list[IndicatorResult]:
        if self.ev.rules.not_applicable != "redistribute":
            return results
        alone = unshared(results)
        if alone:
            results = [self._rescaled_alone(r) if r.level1 in alone else r for r in results]
        return redistribute(results, self.ev, self.unrounded_steps)

    def _rescaled_alone(self, result: IndicatorResult) -> IndicatorResult:
        """A 不适用 row of a 一级 with no applicable sibling: its weight is rescaled, and F103 says so."""
        if not result.not_applicable:
            return result
        said = next(f for f in result.findings if f.code == "F103")
        now = replace(said, args={**said.args, "how": "rescaled_alone"})
        self.findings[next(i for i, f in enumerate(self.findings) if f is said)] = now
        findings = tuple(now if f is said else f for f in result.findings)
        weight = fmt(result.weight.value)
        step = Step(
            lambda: (
                f"不适用：分值 {weight} 没有同级指标可分配，不计入，总分按百分制折算",
                f"not applicable: no sibling takes the weight {weight}; left out, the total rescaled",
            )
        )
        return replace(result, findings=findings, steps=(*result.steps[:-1], step))

    def _total(self, indicators: list[IndicatorResult]) -> Result:
        return total(self.ev, self.budget, self.findings, indicators, self.actuals)


def _in_target_unit(plan: IndicatorPlan, value: Fraction) -> NumericActual:
    """A derived value (a number in base units) in its target's unit."""
    target = target_quantity(plan)
    if target is None:
        return NumericActual(Quantity(value, Fraction(1), "", ""), False)
    return NumericActual(Quantity(value / target.scale, target.scale, target.unit, target.dimension), False)


def _needs_row(plan: IndicatorPlan) -> bool:
    """Whether the actual-value file must have a row for the indicator (not derived, not 目标 /, not 其中)."""
    ind = plan.indicator
    shown_only = ind.breakdown_of is not None or ind.subtotal
    return plan.actual is None and not isinstance(ind.target, NotApplicableTarget) and not shown_only


def row_key(name: str, breakdown: bool = False) -> str:
    """The key a row's name is matched by: as written, or (`breakdown`) without a leading 其中 —
    `其中：能繁母猪` is the 其中 row 能繁母猪, but an indicator named 其中1号楼 keeps its name."""
    return name_key(BREAKDOWN_PREFIX.sub("", name) if breakdown else name)


def row_keys(name: str) -> tuple[str, ...]:
    """The keys a row's name may be matched by, the first that names an indicator winning: as written;
    without a leading 其中 (`row_key`); without the number the Ministry of Finance template prints
    before a 三级 name (指标1：养护里程 is 养护里程; `vocabulary.unnumbered`). An indicator whose very name
    is written is always the one."""
    return (row_key(name), row_key(name, breakdown=True), name_key(unnumbered(name)))


def row_candidates(plan: Plan, row: ActualRow) -> tuple[list[IndicatorPlan], list[IndicatorPlan]]:
    """The indicators a row may be: those with its name, and of those the ones its levels allow.

    The row is bound when exactly one candidate is left (any other count is an error, see `Run._match`).
    Levels are read as `engine.levels` reads them (社会效益指标 is the ruleset's 社会效益 where that is
    the only level it can be). A 小计 of a whole 一级 (二级 empty) takes its row whatever 二级 the table
    carried down to it from a merged cell above.
    """
    return named_candidates(Named(plan.by_name, plan.levels), row, _plan_indicator)


def _plan_indicator(plan: IndicatorPlan) -> n.Indicator:
    return plan.indicator


@dataclass(frozen=True)
class Named(Generic[T]):
    """Indicators (or their plans) by the key a row's name is matched by (`Plan.by_name`), and the
    ruleset's level names a row's level cells are read against (`Plan.levels`)."""

    by_name: Mapping[str, list[T]]
    levels: Levels


def indicators_by_name(indicators: Iterable[n.Indicator]) -> Named[n.Indicator]:
    """`Named` of these indicators, as a plan has it, for `named_candidates`."""
    kept = list(indicators)
    by_name: dict[str, list[n.Indicator]] = {}
    for indicator in kept:
        by_name.setdefault(name_key(indicator.name), []).append(indicator)
    return Named(by_name, Levels((i.level1, i.level2) for i in kept))


def named_candidates(
    index: Named[T], row: ActualRow, indicator: Callable[[T], n.Indicator]
) -> tuple[list[T], list[T]]:
    """`row_candidates` over any `Named` index (`indicator` gives each item's indicator): the same matching
    wherever a row is bound to an indicator (`score`, the impact of a rule change in `diff`)."""
    named = next((found for key in row_keys(row.name) if (found := index.by_name.get(key))), [])
    if not (row.level1 or row.level2):
        return named, named
    levels = index.levels
    candidates = [
        p
        for p in named
        if levels.fits1(row.level1, indicator(p).level1)
        and (_whole(indicator(p)) or levels.fits2(row.level2, indicator(p).level2))
    ]
    return named, candidates


def _whole(indicator: n.Indicator) -> bool:
    """A 小计 of its whole 一级: any 二级 carried down to its row fits it."""
    return indicator.subtotal and not indicator.level2


def _actual_text(actual: object) -> str:
    text = getattr(actual, "text", None)
    return str(text()) if callable(text) else ""


def _zero_row_how(full: bool, weight: str) -> tuple[str, str]:
    if full:
        return (
            f"本行按规则（零预算 满分）得满分 {weight}",
            f"this row gets full marks {weight} (zero_budget full)",
        )
    return ("本行按规则（零预算 不评分）不适用", "this row is not applicable (zero_budget none)")


def _na_step(plan: IndicatorPlan, run: Run) -> Step:
    how = run.ev.rules.not_applicable
    weight = fmt(plan.weight)
    if how == "redistribute":
        return Step(
            lambda: (
                f"不适用：分值 {weight} 分配给同一一级指标下的其他指标",
                f"not applicable: the weight {weight} goes to the other indicators of its level",
            )
        )
    return Step(
        lambda: (
            f"不适用：分值 {weight} 不计入，总分按百分制折算",
            f"not applicable: the weight {weight} is left out and the total rescaled",
        )
    )


def _adjustment_step(formula: Fraction | None, adjusted: Figure, entry: Entry | None) -> Step:
    reason = entry.row.reason if entry else ""
    shown = "—" if formula is None else fmt(formula)  # a band word has no formula score
    return Step(
        lambda: (
            f"人工调整：公式得分 {shown} → 调整得分 {adjusted.text()}（理由：{reason}）",
            f"manual adjustment: formula score {shown} → {adjusted.text()} (reason: {reason})",
        )
    )
