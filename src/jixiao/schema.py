"""Published JSON shapes (pydantic): what `jixiao score --format json` emits.

Decimals are strings with the declared digits ("99.31"), never floats, so a
web service can validate the document and read it exactly. `jixiao schema`
prints the JSON Schema of `ScoreReport`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


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


class LevelReport(_Model):
    name: str
    weight: str
    score: str


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
