"""What a diff of many projects reports (two folders, a policy change, two revisions): pydantic models.

Like the two-file `Report`, values are texts as a reviewer reads them and scores are
exact decimals as strings; where a shown value does not end, `exact` gives it as a
fraction. Labels (change descriptions, notes) are in the report's language.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from jixiao.io.schema import DiagnosticReport
from jixiao.tools.compare.model import Change

ProjectStatus = Literal[
    "same",  # the same meaning (file and project names unchanged)
    "changed",  # its rules changed
    "renamed",  # only the file or the project's name changed
    "added",
    "removed",
    "unaffected",  # policy diff: uses the policy but overrides every rule that changed
    "not_using",  # policy diff: does not use the policy
    "error",  # a side could not be read
]
Renamed = Literal["file", "project"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Attribution(_Model):
    """One rule change applied alone to the old rules: what it does to this project's total."""

    change: str  # the change as one line, e.g. "目标提高 产出指标/数量指标/人数：≥1.1万人 → ≥1.2万人"
    kind: str
    path: str
    delta: str | None  # None: it cannot be applied alone (it needs another change to be valid)
    exact: dict[str, str] = {}


class ProjectScore(_Model):
    """One project's actual values scored under the old and the new rules."""

    actuals: str
    old_total: str | None = None  # None: no old ruleset (an added project) or scoring failed
    new_total: str | None = None
    delta: str | None = None
    old_grade: str | None = None
    new_grade: str | None = None
    missing: list[str] = []  # indicators without an actual value, scored as 不适用 (W140)
    attribution: list[Attribution] = []
    interaction: str | None = None  # delta minus the sum of the attributions: what is not additive
    notes: list[str] = []
    errors: list[DiagnosticReport] = []
    exact: dict[str, str] = {}


class ProjectDiff(_Model):
    project: str  # the project's name (the new one when it changed)
    policy: bool = False  # a policy (评分办法) of the folder rather than a project
    old_project: str | None = None  # set when the project's name changed
    old_file: str | None = None
    new_file: str | None = None
    status: ProjectStatus
    renamed: list[Renamed] = []
    counts: dict[str, int] = {}  # change kind -> how many
    old_weight: str | None = None  # the weights of indicators and counted budget, added up
    new_weight: str | None = None
    changes: list[Change] = []
    reasons: list[str] = []  # policy diff: why the project is unaffected
    scores: list[ProjectScore] = []
    errors: list[DiagnosticReport] = []


class Transition(_Model):
    old: str  # a grade, or "—" when a side has none
    new: str
    count: int


class Bucket(_Model):
    label: str  # "< -5", "-5 ~ -1", …
    count: int


class Mover(_Model):
    project: str
    actuals: str
    old_total: str
    new_total: str
    delta: str
    old_grade: str | None
    new_grade: str | None


class Contribution(_Model):
    """A rule change across projects: the sum of what it does alone to each project's total."""

    change: str
    projects: int  # projects whose total it moves
    total: str
    exact: dict[str, str] = {}


class Aggregates(_Model):
    scored: int  # projects (with an actual-value file) scored under both rules
    unscored: int  # added, removed or failed: a total on one side at most
    moved_grade: int
    transitions: list[Transition]
    distribution: list[Bucket]
    mean: str | None
    median: str | None
    movers: list[Mover]
    contributions: list[Contribution]
    interaction: str  # the part of all deltas no single change accounts for
    exact: dict[str, str] = {}


class BatchReport(_Model):
    """Many projects compared: two folders, a policy's old and new version, or two revisions."""

    kind: Literal["folders", "policy", "revisions"]
    old: str
    new: str
    same: bool
    policy_changes: list[Change] = []  # policy diff: the changes of the policy itself
    projects: list[ProjectDiff]
    impact: Aggregates | None = None  # with actual values
    diagnostics: list[DiagnosticReport] = []  # warnings (W14x) and the errors of files that failed
