"""What an audit finds: discrepancies (codes F112, F113 and F150–F188) and, per table, the audit's outcome.

Every kind of discrepancy has a code, a machine name and a fixed severity: an error is a wrong number
or a table that cannot be checked (the command exits 1), a warning is a difference a reviewer should
see but that may be the table's right (a rounding, a mark-down with a reason, a missing explanation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.results import Result
from jixiao.messages import Lang, message

ERROR, WARNING = Severity.ERROR, Severity.WARNING

KINDS: dict[str, tuple[str, Severity]] = {
    "F112": ("other_project", WARNING),  # as `jixiao score` notes them (engine/identity.py)
    "F113": ("other_office", WARNING),
    "F150": ("rounding_only", WARNING),
    "F151": ("marked_down_although_met", ERROR),
    "F152": ("marked_down_with_reason", WARNING),
    "F153": ("full_marks_although_missed", ERROR),
    "F154": ("arithmetic", ERROR),
    "F155": ("weight_differs", ERROR),
    "F156": ("target_differs", ERROR),
    "F157": ("weight_as_percentage", WARNING),
    "F158": ("score_missing", WARNING),
    "F159": ("unreadable", ERROR),
    "F160": ("units_differ", ERROR),
    "F161": ("sign_in_actual", WARNING),
    "F162": ("empty_row", ERROR),
    "F163": ("explanation_missing", WARNING),
    "F164": ("rate", ERROR),
    "F165": ("budget_score", ERROR),
    "F166": ("weights_sum", ERROR),
    "F167": ("framework", ERROR),
    "F168": ("total_sum", ERROR),
    "F169": ("total_from_unrounded", WARNING),
    "F170": ("grade", ERROR),
    "F171": ("row_not_in_ruleset", ERROR),
    "F172": ("row_missing", ERROR),
    "F173": ("row_twice", ERROR),
    "F174": ("zero_budget", ERROR),
    "F175": ("zero_budget_policy", WARNING),
    "F176": ("over_achieved", WARNING),
    "F177": ("year_differs", WARNING),
    "F179": ("scale_from_table", WARNING),
    "F180": ("word_not_in_scale", ERROR),
    "F185": ("item_score_product", ERROR),
    "F186": ("item_score_differs", ERROR),
    "F187": ("score_column_unread", ERROR),
    "F188": ("merged_score", WARNING),
}
BUDGET, TOTAL, WEIGHTS, GRADE, YEAR = "预算执行", "总得分", "分值合计", "等级", "年度"
RATE = "执行率"
# The table-wide items as English tables and messages name them
ITEMS_EN = {
    BUDGET: "budget execution",
    TOTAL: "total",
    WEIGHTS: "sum of weights",
    GRADE: "grade",
    RATE: "execution rate",
    YEAR: "year",
    "项目名称": "project name",  # F112, F113
    "主管部门": "department",
    "实施单位": "implementing unit",
}


@dataclass(frozen=True)
class Discrepancy:
    """One thing the printed table says that the rules do not: where, printed, recomputed, why."""

    code: str
    span: Span | None
    where: str  # an indicator's path (一级/二级/三级), or 预算执行, 总得分, 分值合计, 等级
    printed: str = ""
    recomputed: str = ""
    args: dict[str, object] = field(default_factory=dict)
    indicator: str | None = None  # the indicator's path, for its explanation

    @property
    def kind(self) -> str:
        return KINDS[self.code][0]

    @property
    def severity(self) -> Severity:
        return KINDS[self.code][1]

    def message(self, lang: Lang = "zh") -> str:
        return message(self.code, lang, self._arguments())

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.code, self.span, self._arguments(), self.severity)

    def _arguments(self) -> dict[str, object]:
        """The message's arguments; a table-wide item (总得分 …) named in each language (zh, en)."""
        where: object = (self.where, ITEMS_EN[self.where]) if self.where in ITEMS_EN else self.where
        return {"where": where, "printed": self.printed, "recomputed": self.recomputed, **self.args}


@dataclass
class TableAudit:
    """One table audited: what it prints against what the rules give, and every discrepancy."""

    index: int
    name: str
    origin: str
    ruleset: str
    policy_only: bool  # the ruleset is a policy: targets and weights taken from the table
    discrepancies: list[Discrepancy] = field(default_factory=list)
    result: Result | None = None  # the table recomputed (None when it could not be)
    errors: list[Diagnostic] = field(default_factory=list)  # what kept (part of) the audit from being done
    printed_total: str = ""
    printed_grade: str = ""
    tolerance: Fraction = Fraction(0)  # the tolerance the table was audited with (--tolerance or 复核容差)

    @property
    def audited(self) -> bool:
        return not self.errors

    @property
    def clean(self) -> bool:
        return self.audited and not self.discrepancies

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.discrepancies if d.severity is severity)

    @property
    def failed(self) -> bool:
        """Whether the table makes the command exit 1: an error-level discrepancy or no full audit."""
        return not self.audited or self.count(ERROR) > 0
