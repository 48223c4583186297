"""Results → `schema.ScoreReport` → JSON text; diagnostics → `schema.DiagnosticsReport`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from jixiao.diagnostics import Diagnostic, sorted_diagnostics
from jixiao.engine.results import BudgetResult, Figure, IndicatorResult, Result
from jixiao.io.render.explain import explain_report
from jixiao.io.render.figures import (
    WEIGHT_DIGITS,
    decimal_text,
    exact_text,
    figure_text,
    money_text,
    percent_text,
)
from jixiao.io.schema import (
    BatchScoreReport,
    BudgetReport,
    BudgetRowReport,
    DiagnosticReport,
    DiagnosticsReport,
    FailedReport,
    FindingReport,
    IndicatorReport,
    LevelReport,
    ScoreReport,
    SpanReport,
    SummaryRow,
)
from jixiao.messages import Lang

if TYPE_CHECKING:
    from jixiao.io.batch import Outcome


def report(result: Result, lang: Lang = "zh", explain: bool = False) -> ScoreReport:
    """Build the published JSON model from a result (no validation cost: trusted data)."""
    explanation = explain_report(result, lang) if explain else None
    return ScoreReport.model_construct(
        project=result.project,
        year=result.year,
        department=result.department,
        unit=result.unit,
        money_unit=result.money_unit,
        policies=list(result.policies),
        sources=list(result.sources),
        budget=_budget(result.budget),
        indicators=[_indicator(i) for i in result.indicators],
        levels=[
            LevelReport.model_construct(name=name, **_weight(w), **_figure("score", s))
            for name, w, s in result.levels
        ],
        **_number("total_weight", Fraction(result.total_weight), WEIGHT_DIGITS),
        **_figure("total", result.total),
        grade=result.grade,
        findings=[
            FindingReport.model_construct(code=f.code, indicator=f.indicator, message=f.message(lang))
            for f in result.findings
        ],
        explanation=explanation,
    )


def _budget(budget: BudgetResult | None) -> BudgetReport | None:
    if budget is None:
        return None
    rows = [
        BudgetRowReport.model_construct(
            name=r.name,
            initial=money_text(r.initial),
            annual=money_text(r.annual),
            executed=money_text(r.executed),
        )
        for r in budget.rows
    ]
    rate, exact = budget.rate, None
    if rate is not None and exact_text(rate.value * 100, rate.digits) is not None:
        exact = exact_text(rate.value, None)
    return BudgetReport.model_construct(
        rows=rows,
        rate=percent_text(rate) if rate is not None else None,
        rate_exact=exact,
        **_weight(budget.weight),
        **_figure("score", budget.score),
        counted=budget.counted,
        note=budget.note,
        money_unit=budget.money_unit,
    )


def _indicator(i: IndicatorResult) -> IndicatorReport:
    extra: dict[str, Any] = {"item_score": i.item_score.text()} if i.item_score is not None else {}
    if i.breakdown_of is not None:
        extra["breakdown_of"] = i.breakdown_of
    if i.subtotal:
        extra["subtotal"] = True
    if i.goal is not None:
        extra["goal"] = i.goal
    return IndicatorReport.model_construct(
        **extra,
        level1=i.level1,
        level2=i.level2,
        name=i.name,
        target=i.target,
        actual=i.actual,
        **_weight(i.weight),
        **_figure("score", i.score),
        **_number(
            "formula_score",
            i.formula_score.value if i.formula_score is not None else None,
            i.score.digits if i.score is not None else None,
            pad=False,
        ),
        method=i.method,
        met=i.met,
        not_applicable=i.not_applicable,
        adjusted=i.adjusted,
        adjust_reason=i.adjust_reason,
        note=i.note,
        source=i.source,
        findings=[f.code for f in i.findings],
    )


def _number(name: str, value: Fraction | None, digits: int | None, pad: bool = True) -> dict[str, Any]:
    """`name` as a decimal string and `name_exact` as a fraction where the decimal is not exact."""
    if value is None:
        return {name: None, f"{name}_exact": None}
    return {name: decimal_text(value, digits, pad), f"{name}_exact": exact_text(value, digits)}


def _figure(name: str, figure: Figure | None) -> dict[str, Any]:
    """A score: its value (what totals add up) and, under a display rounding, the figure shown."""
    if figure is None:
        return _number(name, None, None)
    number = _number(name, figure.value, figure.digits)
    if figure.shown is not None:
        number[f"{name}_shown"] = figure.text()
    return number


def _weight(weight: Fraction | Figure) -> dict[str, Any]:
    return _number("weight", Fraction(weight), WEIGHT_DIGITS)


def render(result: Result, fmt: str, lang: Lang) -> str:
    """`render_result` for "json" and "explain-json"."""
    return to_json(result, lang, explain=fmt == "explain-json")


def to_json(result: Result, lang: Lang = "zh", explain: bool = False) -> str:
    """The JSON of `jixiao score --format json`; with `explain`, an "explanation" trace tree too."""
    model = report(result, lang, explain)
    # exclude_unset: an optional field appears only when the ruleset asks for it (item_score)
    return model.model_dump_json(indent=2, exclude=None if explain else {"explanation"}, exclude_unset=True)


def diagnostic_report(diag: Diagnostic, lang: Lang = "zh") -> DiagnosticReport:
    span = diag.span
    return DiagnosticReport.model_construct(
        code=diag.code,
        severity=diag.severity.value,
        message=diag.message(lang),
        help=diag.help(lang),
        suggestion=diag.suggestion,
        span=None
        if span is None
        else SpanReport.model_construct(
            path=span.path,
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            column_name=span.column_name,
            sheet=span.sheet,
        ),
    )


def diagnostics_json(diagnostics: Iterable[Diagnostic], lang: Lang = "zh") -> str:
    """Diagnostics as JSON (`schema.DiagnosticsReport`), sorted by position."""
    items = [diagnostic_report(d, lang) for d in sorted_diagnostics(diagnostics)]
    return DiagnosticsReport.model_construct(diagnostics=items).model_dump_json(indent=2)


# -- a batch (`summary.batch_document`) --------------------------------------------------------------
JSON_ITEM = " " * 4  # a project's report as an item of the batch report's "projects" (indent 2, depth 2)


def batch_item(result: Result, lang: Lang, explain: bool) -> str:
    """A scored project's report as an item of a batch's "projects" (written where it was scored)."""
    text = report(result, lang, explain).model_dump_json(
        indent=2, exclude=None if explain else {"explanation"}
    )
    return text.replace("\n", "\n" + JSON_ITEM)


def batch_json(outcomes: Sequence[Outcome], lang: Lang, parts: Sequence[str]) -> str:
    """The batch report: the summary, the failed projects, and `parts` (each `batch_item`) as "projects"."""
    rows = [_summary_json(o) for o in outcomes]
    failed = [
        FailedReport.model_construct(
            index=o.index,
            project=o.project.name,
            origin=o.project.origin,
            diagnostics=[diagnostic_report(d, lang) for d in o.errors],
        )
        for o in outcomes
        if o.scored is None
    ]
    document = BatchScoreReport.model_construct(summary=rows, projects=[], failed=failed)
    text = document.model_dump_json(indent=2)
    if not parts:
        return text
    # each project's report was written by itself (in the worker that scored it): spliced in as items
    items = "[\n" + JSON_ITEM + (",\n" + JSON_ITEM).join(parts) + "\n  ]"
    return text.replace('"projects": []', '"projects": ' + items, 1)


def _summary_json(outcome: Outcome) -> SummaryRow:
    names: dict[str, Any] = {
        "index": outcome.index,
        "project": outcome.project.name,
        "origin": outcome.project.origin,
        "ruleset": outcome.ruleset,
        "errors": len(outcome.errors),
    }
    scored = outcome.scored
    if scored is None:
        return SummaryRow.model_construct(**names, total=None, grade=None, budget_rate=None, findings=0)
    rate = scored.rate
    return SummaryRow.model_construct(
        **names,
        total=figure_text(scored.total),
        total_exact=exact_text(scored.total.value, scored.total.digits),
        grade=scored.grade,
        budget_rate=percent_text(rate) if rate is not None else None,
        findings=scored.findings,
    )
