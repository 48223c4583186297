"""Published JSON shapes (pydantic): what `jixiao score --format json` emits.

Decimals are strings with the declared digits ("99.31"), never floats, so a
web service can validate the document and read it exactly. `jixiao schema`
prints the JSON Schema of `ScoreReport` (`--model` for the others).

Reports are built with `model_construct` from trusted results: a batch pays
for no validation; a receiver validates with `ScoreReport.model_validate_json`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BudgetRowReport(_Model):
    name: str
    initial: str | None
    annual: str | None
    executed: str | None


class BudgetReport(_Model):
    rows: list[BudgetRowReport]
    rate: str | None
    weight: str
    score: str | None
    counted: bool
    note: str
    money_unit: str


class FindingReport(_Model):
    code: str
    indicator: str | None
    message: str


class IndicatorReport(_Model):
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: str
    score: str | None
    formula_score: str | None
    method: str
    met: bool | None
    not_applicable: bool
    adjusted: bool
    adjust_reason: str
    note: str
    source: str | None
    findings: list[str]
    breakdown_of: str | None = Field(
        default=None,
        description="a 其中 row: the indicator it breaks down (shown, never scored); only then present",
    )
    goal: str | None = Field(
        default=None, description="the 绩效目标 block above level 1; only when the table has goals"
    )
    subtotal: bool = Field(
        default=False,
        description="a 小计 row repeating the sum of its rows: shown, never counted; only then present",
    )
    item_score: str | None = Field(
        default=None, description="单项得分 (out of 100), only when the policy declares 表列 单项得分"
    )


class LevelReport(_Model):
    name: str
    weight: str
    score: str


class TraceNode(_Model):
    """One node of an explanation: a line of text, its kind, an optional value, and what it rests on."""

    kind: Literal[
        "budget",
        "indicator",
        "comparison",
        "method",
        "step",
        "finding",
        "total",
        "grade",
        "source",
    ]
    text: str
    value: str | None = None
    children: list[TraceNode] = Field(default_factory=list)


class ExplanationReport(_Model):
    """How a score came about: a trace tree for the budget, every indicator, the total and the grade."""

    lang: Literal["zh", "en"]
    project: str
    total: str
    grade: str | None
    trace: list[TraceNode]


class ScoreReport(_Model):
    project: str
    year: int | None
    department: str | None
    unit: str | None
    money_unit: str
    policies: list[str]
    sources: list[str]
    budget: BudgetReport | None
    indicators: list[IndicatorReport]
    levels: list[LevelReport]
    total_weight: str
    total: str
    grade: str | None
    findings: list[FindingReport]
    explanation: ExplanationReport | None = None


class SpanReport(_Model):
    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    column_name: str | None = None


class DiagnosticReport(_Model):
    """One diagnostic as the CLI prints it: code, severity, message, help, position."""

    code: str
    severity: Literal["error", "warning"]
    message: str
    help: str | None
    span: SpanReport | None


class DiagnosticsReport(_Model):
    diagnostics: list[DiagnosticReport]


MODELS: dict[str, type[BaseModel]] = {
    "score": ScoreReport,
    "explanation": ExplanationReport,
    "diagnostics": DiagnosticsReport,
}


def json_schema(model: str = "score") -> dict[str, Any]:
    """The JSON Schema of a published model ("score", "explanation", "diagnostics")."""
    return MODELS[model].model_json_schema()
