"""Results and diagnostics → JSON text in the published shapes of `jixiao.io.schema` (`ScoreReport`,
`DiagnosticsReport`, `BatchScoreReport`), written from plain dictionaries with the `json` module.

Printing a project's JSON loads neither pydantic nor the report models (about 0.1 s of every
`jixiao score --format json`: docs/performance.md, "启动 / Start"). The models stay the contract:
`render/report.py` validates these documents into them for the HTTP API and the tools, and
tests/test_json_writer.py checks that every text written here is, byte for byte, what the model prints.

A document's keys come in the model's order. Optional fields appear only where the result has them
(`item_score`, `breakdown_of`, a `*_shown` figure), and a `*_exact` field only where the decimal beside it
is rounded (schema.py). With an explanation, the trace tree is the explanation writer's
(`explain.explain_report`): asking for it loads the models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from jixiao.diagnostics import Diagnostic, Span, capped
from jixiao.engine.results import BudgetResult, Figure, Finding, IndicatorResult, Result
from jixiao.io.render import writer
from jixiao.io.render.figures import (
    WEIGHT_DIGITS,
    decimal_text,
    exact_text,
    figure_text,
    money_text,
    percent_text,
)
from jixiao.messages import Lang

if TYPE_CHECKING:
    from jixiao.io.batch import Outcome

Document = dict[str, Any]
"""A report as plain data: what its model (`jixiao.io.schema`) is validated from and prints."""


def score_document(result: Result, lang: Lang = "zh", explanation: object = None) -> Document:
    """A result as `schema.ScoreReport` data; `explanation` (its trace: a model, or its data) when given."""
    document: Document = {
        "project": result.project,
        "year": result.year,
        "department": result.department,
        "unit": result.unit,
        "money_unit": result.money_unit,
        "policies": list(result.policies),
        "sources": list(result.sources),
        "budget": _budget(result.budget),
        "indicators": [_indicator(i) for i in result.indicators],
        "levels": [{"name": name, **_weight(w), **_figure("score", s)} for name, w, s in result.levels],
        **_number("total_weight", Fraction(result.total_weight), WEIGHT_DIGITS),
        **_figure("total", result.total),
        "grade": result.grade,
        "findings": [_finding(f, lang) for f in result.findings],
    }
    if explanation is not None:
        document["explanation"] = explanation
    return document


def _finding(finding: Finding, lang: Lang) -> Document:
    """A finding; its `span` (the cell of the file it concerns: F138's title cell) only where it has one."""
    document: Document = {
        "code": finding.code,
        "indicator": finding.indicator,
        "message": finding.message(lang),
    }
    if finding.span is not None:
        document["span"] = span_document(finding.span)
    return document


def _budget(budget: BudgetResult | None) -> Document | None:
    if budget is None:
        return None
    rows = [
        {
            "name": r.name,
            "initial": money_text(r.initial),
            "annual": money_text(r.annual),
            "executed": money_text(r.executed),
        }
        for r in budget.rows
    ]
    rate = budget.rate
    document: Document = {"rows": rows, "rate": percent_text(rate) if rate is not None else None}
    if rate is not None and exact_text(rate.value * 100, rate.digits) is not None:
        document["rate_exact"] = exact_text(rate.value, None)
    return {
        **document,
        **_weight(budget.weight),
        **_figure("score", budget.score),
        "counted": budget.counted,
        "note": budget.note,
        "money_unit": budget.money_unit,
    }


def _indicator(i: IndicatorResult) -> Document:
    document: Document = {
        "level1": i.level1,
        "level2": i.level2,
        "name": i.name,
        "target": i.target,
        "actual": i.actual,
        **_weight(i.weight),
        **_figure("score", i.score),
        **_number(
            "formula_score",
            i.formula_score.value if i.formula_score is not None else None,
            i.score.digits if i.score is not None else None,
            pad=False,
        ),
        "method": i.method,
        "met": i.met,
        "not_applicable": i.not_applicable,
        "adjusted": i.adjusted,
        "adjust_reason": i.adjust_reason,
        "note": i.note,
        "source": i.source,
        "findings": [f.code for f in i.findings],
    }
    if i.breakdown_of is not None:  # the fields the model declares last, only where the row has them
        document["breakdown_of"] = i.breakdown_of
    if i.goal is not None:
        document["goal"] = i.goal
    if i.subtotal:
        document["subtotal"] = True
    if i.item_score is not None:
        document["item_score"] = i.item_score.text()
    return document


def _number(name: str, value: Fraction | None, digits: int | None, pad: bool = True) -> Document:
    """`name` as a decimal string, and `name_exact` as a fraction where the decimal is not exact."""
    if value is None:
        return {name: None}
    exact = exact_text(value, digits)
    text = decimal_text(value, digits, pad)
    return {name: text} if exact is None else {name: text, f"{name}_exact": exact}


def _figure(name: str, figure: Figure | None) -> Document:
    """A score: its value (what totals add up) and, under a display rounding, the figure shown."""
    if figure is None:
        return _number(name, None, None)
    number = _number(name, figure.value, figure.digits)
    if figure.shown is not None:
        number[f"{name}_shown"] = figure.text()
    return number


def _weight(weight: Fraction | Figure) -> Document:
    return _number("weight", Fraction(weight), WEIGHT_DIGITS)


def render(result: Result, fmt: str, lang: Lang) -> str:
    """`render_result` for "json" and "explain-json"."""
    return to_json(result, lang, explain=fmt == "explain-json")


def to_json(result: Result, lang: Lang = "zh", explain: bool = False) -> str:
    """The JSON of `jixiao score --format json`; with `explain`, an "explanation" trace tree too."""
    return _text(score_document(result, lang, _explanation(result, lang) if explain else None))


def _explanation(result: Result, lang: Lang) -> Document:
    """The trace tree's data (`explain.explain_report`, imported when an explanation is asked for)."""
    explain_report: Callable[[Result, Lang], Any] = writer("explain").explain_report
    data: Document = explain_report(result, lang).model_dump(mode="json")
    return data


def _text(document: Document) -> str:
    """A document as the models print it (`model_dump_json(indent=2)`): two spaces, characters as they are."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def diagnostic_document(diag: Diagnostic, lang: Lang = "zh") -> Document:
    """A diagnostic as `schema.DiagnosticReport` data."""
    span = diag.span
    return {
        "code": diag.code,
        "severity": diag.severity.value,
        "message": diag.message(lang),
        "help": diag.help(lang),
        "span": None if span is None else span_document(span),
        "suggestion": diag.suggestion,
        "more": diag.more,  # how many of its code in its file were left out after it (`diagnostics.capped`)
    }


def span_document(span: Span) -> Document:
    """A position as `schema.SpanReport` data."""
    return {
        "path": span.path,
        "line": None if span.whole else span.line,  # a folder, a missing file: no line (`Span.of_path`)
        "column": None if span.whole else span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "column_name": span.column_name,
        "sheet": span.sheet,
        "hidden_row": span.excerpt is not None and span.excerpt.hidden,
    }


def diagnostics_json(diagnostics: Iterable[Diagnostic], lang: Lang = "zh") -> str:
    """Diagnostics as JSON (`schema.DiagnosticsReport`), sorted by position."""
    return _text({"diagnostics": [diagnostic_document(d, lang) for d in capped(list(diagnostics))]})


# -- a batch (`summary.batch_document`) --------------------------------------------------------------
JSON_ITEM = " " * 4  # a project's report as an item of the batch report's "projects" (indent 2, depth 2)


def batch_item(result: Result, lang: Lang, explain: bool) -> str:
    """A scored project's report as an item of a batch's "projects" (written where it was scored): the
    same document as its own file's."""
    return to_json(result, lang, explain).replace("\n", "\n" + JSON_ITEM)


def batch_json(
    outcomes: Sequence[Outcome], lang: Lang, parts: Sequence[str], files: Mapping[int, str] | None = None
) -> str:
    """The batch report: the summary, the failed projects, and `parts` (each `batch_item`) as "projects";
    `files` (a batch written to a folder): each row's "output", the project's file (null: none written)."""
    failed = [
        {
            "index": o.index,
            "project": o.name,
            "origin": o.project.origin,
            "diagnostics": [diagnostic_document(d, lang) for d in o.errors],
        }
        for o in outcomes
        if o.scored is None
    ]
    text = _text({"summary": [_summary_row(o, files) for o in outcomes], "projects": [], "failed": failed})
    if not parts:
        return text
    # each project's report was written by itself (in the worker that scored it): spliced in as items
    items = "[\n" + JSON_ITEM + (",\n" + JSON_ITEM).join(parts) + "\n  ]"
    return text.replace('"projects": []', '"projects": ' + items, 1)


def _summary_row(outcome: Outcome, files: Mapping[int, str] | None = None) -> Document:
    output: Document = {"output": files.get(outcome.index)} if files is not None else {}
    names: Document = {
        "index": outcome.index,
        "project": outcome.name,
        "origin": outcome.project.origin,
        **output,
        "ruleset": outcome.ruleset,
    }
    scored = outcome.scored
    if scored is None:
        figures: Document = {"total": None, "grade": None, "budget_rate": None, "findings": 0}
    else:
        rate = scored.rate
        exact = exact_text(scored.total.value, scored.total.digits)
        figures = {
            "total": figure_text(scored.total),
            **({"total_exact": exact} if exact is not None else {}),
            "grade": scored.grade,
            "budget_rate": percent_text(rate) if rate is not None else None,
            "findings": scored.findings,
        }
    return {**names, **figures, "errors": len(outcome.errors)}
