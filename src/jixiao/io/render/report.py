"""The published report models (`jixiao.io.schema`, pydantic) of a result and of a diagnostic: what the
HTTP API answers with and the tools put in their own reports. Each is validated from the document the
JSON writer prints (`json.score_document`, `json.diagnostic_document`), so the two cannot drift apart.
"""

from __future__ import annotations

from jixiao.diagnostics import Diagnostic
from jixiao.engine.results import Result
from jixiao.io.render.explain import explain_report
from jixiao.io.render.json import diagnostic_document, score_document
from jixiao.io.schema import DiagnosticReport, ScoreReport
from jixiao.messages import Lang


def report(result: Result, lang: Lang = "zh", explain: bool = False) -> ScoreReport:
    """The published model of a result; with `explain`, its trace tree (`explanation`) too."""
    explanation = explain_report(result, lang) if explain else None
    return ScoreReport.model_validate(score_document(result, lang, explanation))


def diagnostic_report(diag: Diagnostic, lang: Lang = "zh") -> DiagnosticReport:
    """The published model of a diagnostic."""
    return DiagnosticReport.model_validate(diagnostic_document(diag, lang))
