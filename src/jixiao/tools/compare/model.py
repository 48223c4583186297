"""What a diff reports: pydantic models, so the JSON output has a schema.

Values are texts as a reviewer reads them (targets as written, formulas in
canonical spelling); scores are exact decimals as strings ("99.31").
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

ChangeKind = Literal[
    "added",
    "removed",
    "renamed",
    "moved",
    "target",
    "weight",
    "method",
    "formula",
    "rounding",
    "over",
    "source",
    "note",
    "meta",
    "policy",
    "total",
    "budget",
    "rule",
    "scale",
    "grades",
    "explain",
    "not_applicable",
    "framework",
    "direction",
    "named_formula",
    "display",
    "columns",
    "goal",
    "row_kind",
    "sum_check",
    "unit_note",
]
Direction = Literal["raised", "lowered"]


class Change(BaseModel):
    """One difference in meaning: to an indicator (`path`) or to a rule of the ruleset (`section`)."""

    model_config = ConfigDict(frozen=True)

    scope: Literal["indicator", "ruleset"]
    kind: ChangeKind
    path: str  # the indicator's path (new path; old path when removed), or the rule's section
    old_path: str | None = None  # set when the indicator was renamed or moved
    old: str | None = None
    new: str | None = None
    direction: Direction | None = None
    delta: str | None = None  # for weights and totals: "+2", "-1.5"
    # which rule, independent of language: "scale:达成度", "rounding:total", "display:budget",
    # "direction:成本指标 元", "formula:封顶比例", "budget:rate", "goal:年度绩效目标1";
    # for a row's formula "actual" or "score"
    key: str | None = None


class ImpactRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    old_path: str | None = None
    status: Literal["same", "changed", "added", "removed", "missing"]  # missing: no actual value
    old_score: str | None = None  # None: not in that ruleset, 不适用, or no actual value
    new_score: str | None = None
    delta: str | None = None
    exact: dict[
        str, str
    ] = {}  # where a shown value is not exact: its exact value as a fraction, "29729/2000"


class Impact(BaseModel):
    """The same actual values scored under both rulesets."""

    model_config = ConfigDict(frozen=True)

    actuals: str
    rows: list[ImpactRow]
    old_total: str
    new_total: str
    delta: str
    old_grade: str | None
    new_grade: str | None
    notes: list[str] = []  # e.g. the new ruleset's weights do not add up yet
    exact: dict[str, str] = {}  # where a shown total is not exact: its exact value as a fraction


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)

    old: str
    new: str
    same: bool
    changes: list[Change]
    impacts: list[Impact] = []
