"""Results → `schema.ScoreReport` → JSON text; diagnostics → `schema.DiagnosticsReport`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jixiao.diagnostics import Diagnostic, sorted_diagnostics
from jixiao.engine.results import BudgetResult, IndicatorResult, Result
from jixiao.io.render.explain import explain_report
from jixiao.io.render.figures import money_text, rate_text, weight_text
from jixiao.io.schema import (
    BudgetReport,
    BudgetRowReport,
    DiagnosticReport,
    DiagnosticsReport,
    FindingReport,
    IndicatorReport,
    LevelReport,
    ScoreReport,
    SpanReport,
)
from jixiao.language.rounding import format_exact
from jixiao.messages import Lang


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
            LevelReport.model_construct(name=name, weight=weight_text(w), score=s.text())
            for name, w, s in result.levels
        ],
        total_weight=weight_text(result.total_weight),
        total=result.total.text(),
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
    return BudgetReport.model_construct(
        rows=rows,
        rate=rate_text(budget.rate),
        weight=weight_text(budget.weight),
        score=budget.score.text() if budget.score else None,
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
        weight=weight_text(i.weight),
        score=i.score.text() if i.score else None,
        formula_score=format_exact(i.formula_score, 6) if i.formula_score is not None else None,
        method=i.method,
        met=i.met,
        not_applicable=i.not_applicable,
        adjusted=i.adjusted,
        adjust_reason=i.adjust_reason,
        note=i.note,
        source=i.source,
        findings=[f.code for f in i.findings],
    )


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
        span=None
        if span is None
        else SpanReport.model_construct(
            path=span.path,
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            column_name=span.column_name,
        ),
    )


def diagnostics_json(diagnostics: Iterable[Diagnostic], lang: Lang = "zh") -> str:
    """Diagnostics as JSON (`schema.DiagnosticsReport`), sorted by position."""
    items = [diagnostic_report(d, lang) for d in sorted_diagnostics(diagnostics)]
    return DiagnosticsReport.model_construct(diagnostics=items).model_dump_json(indent=2)
