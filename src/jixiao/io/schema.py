"""Published JSON shapes (pydantic): what `score`, `check`, `diff` and `test` emit with `--format json`.

Decimals are strings with the declared digits ("99.31"), never floats, so a
web service can validate the document and read it exactly. A decimal string is
always exact or rounded at its declared digits, never cut off ("…" is refused
by the schema); where it is not the exact value, a field `<name>_exact`
beside it holds the exact value as a fraction ("29729/2000"); the field is
absent where the decimal is exact.
Money amounts are written in full, as the actual-value file gave them.
`jixiao schema` prints the JSON Schema of `ScoreReport` (`--model` for the others).

The CLI and `jixiao.render` write these shapes from plain data (`io/render/json.py`, no
pydantic loaded); `io/render/report.py` validates the same data into these models for
the HTTP API and the tools, and tests/test_json_writer.py checks the written text
against each model's own, byte for byte. A receiver validates with
`ScoreReport.model_validate_json`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

DecimalText = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]+(\.[0-9]+)?$",
        description="a decimal, exact or at its declared digits (see the *_exact field beside it)",
        examples=["99.31"],
    ),
]
PercentText = Annotated[
    str,
    Field(
        pattern=r"^-?[0-9]+(\.[0-9]+)?%$",
        description="a percentage at its declared digits",
        examples=["93.76%"],
    ),
]
ShownText = Annotated[
    str | None,
    Field(
        pattern=r"^-?[0-9]+(\.[0-9]+)?$",
        description="the figure the table prints under a display rounding (舍入 … 显示), when it differs "
        "from the value the total is computed from; only then present",
        examples=["84"],
    ),
]
ExactText = Annotated[
    str | None,
    Field(
        pattern=r"^-?[0-9]+/[0-9]+$",
        description="the exact value as a fraction, present only where the decimal beside it is rounded",
        examples=["29729/2000"],
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


ONLY_WHERE_THEY_APPLY = {
    "breakdown_of": None,
    "goal": None,
    "subtotal": False,
    "item_score": None,
    "explanation": None,
    "span": None,
}
"""Optional fields (an indicator's, a result's explanation) and their value where they do not apply: then
the field is left out, as their descriptions say ("only then present"). `jixiao score --format json` writes
them so (`render.json`); the HTTP API prints these models and leaves them out alike (it wrote
`"subtotal": false`, `"goal": null`, `"score_shown": null` … on every row before)."""


class _Exact(_Model):
    """A model with `*_exact` fields: written only where the decimal beside them is not exact; a `*_shown`
    figure only under a display rounding; an indicator's `ONLY_WHERE_THEY_APPLY` fields only where they do."""

    @model_serializer(mode="wrap")
    def _without_needless_exact(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {
            k: v
            for k, v in data.items()
            if not (v is None and k.endswith(("_exact", "_shown")))
            and not (k in ONLY_WHERE_THEY_APPLY and v == ONLY_WHERE_THEY_APPLY[k])
        }


class BudgetRowReport(_Model):
    """One row of the budget block; amounts in the money unit, every digit as written."""

    name: str
    initial: DecimalText | None
    annual: DecimalText | None
    executed: DecimalText | None


class BudgetReport(_Exact):
    rows: list[BudgetRowReport]
    rate: PercentText | None
    rate_exact: ExactText = Field(
        None, description='the exact execution rate as a fraction of 1 ("1819/1940")'
    )
    weight: DecimalText
    weight_exact: ExactText = None
    score: DecimalText | None
    score_exact: ExactText = None
    score_shown: ShownText = None
    counted: bool
    note: str
    money_unit: str


class FindingReport(_Exact):
    code: str
    indicator: str | None
    message: str
    span: SpanReport | None = Field(
        default=None,
        description="the cell of the actual-value file the finding is about, where it concerns the file "
        "rather than an indicator and the cell is known (F138: the title cell giving the year); only then "
        "present",
    )


class IndicatorReport(_Exact):
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: DecimalText
    weight_exact: ExactText = None
    score: DecimalText | None
    score_exact: ExactText = None
    score_shown: ShownText = None
    formula_score: DecimalText | None = Field(
        description="the score the method gave before rounding and adjustment (under 不适用 分配: scaled to "
        "the redistributed weight, the value the score rounds)"
    )
    formula_score_exact: ExactText = None
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


class LevelReport(_Exact):
    name: str
    weight: DecimalText
    weight_exact: ExactText = None
    score: DecimalText
    score_exact: ExactText = None
    score_shown: ShownText = None


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
    total: DecimalText
    grade: str | None
    trace: list[TraceNode]
    notes: list[str] = Field(
        default_factory=list,
        description="the ruleset's own notes (说明 \"…\" at its top level, a policy's first), as written",
    )


class ScoreReport(_Exact):
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
    total_weight: DecimalText
    total_weight_exact: ExactText = None
    total: DecimalText
    total_exact: ExactText = None
    total_shown: ShownText = None
    grade: str | None
    findings: list[FindingReport]
    explanation: ExplanationReport | None = None


class SpanReport(_Model):
    path: str
    line: int | None  # null: the diagnostic is about the path as a whole (a folder, a missing file)
    column: int | None
    end_line: int | None = None
    end_column: int | None = None
    column_name: str | None = None  # an actual-value table: the column's header
    sheet: str | None = None  # a workbook: the worksheet
    hidden_row: bool = False  # a workbook: the row is hidden in its sheet (the message says so)


class DiagnosticReport(_Model):
    """One diagnostic as the CLI prints it: code, severity, message, help, position.

    `help` includes the did-you-mean that `suggestion` gives alone (a keyword, a name, a word).
    """

    code: str
    severity: Literal["error", "warning"]
    message: str
    help: str | None
    span: SpanReport | None
    suggestion: str | None = None
    more: int = 0  # diagnostics of this code in this file left out after this one (at most 20 are shown)


NOTE_DIAGNOSTICS = (
    "the notes as diagnostics, one for each note in order: W140 for an indicator without an actual value, "
    "a check error that does not stop scoring (E401, E404, E408) at the side's ruleset"
)


class DiagnosticsReport(_Model):
    """What `check`, `score`, `diff` and `test` print with `--format json` when there are problems, and
    `jixiao.render_diagnostics(d, "json")` returns: the diagnostics, sorted by position."""

    diagnostics: list[DiagnosticReport]


class SummaryRow(_Exact):
    """One project of a batch in the summary; total, grade and rate are null when it failed."""

    index: int = Field(description="1-based position in the batch")
    project: str
    origin: str = Field(description="where the project came from: a file, or file:sheet")
    output: str | None = Field(
        default=None,
        description="the project's file in the --output folder (汇总.json only, always there; null when"
        " none was written: the project failed); absent from a batch printed as one document",
    )
    ruleset: str
    total: DecimalText | None
    total_exact: ExactText = None
    grade: str | None
    budget_rate: PercentText | None
    findings: int
    errors: int


class FailedReport(_Model):
    """A project of a batch that could not be scored, with every error it has."""

    index: int
    project: str
    origin: str
    diagnostics: list[DiagnosticReport]


class BatchScoreReport(_Model):
    """What `jixiao score RULESET A B …` prints as JSON: the summary, each scored project, the failures."""

    summary: list[SummaryRow]
    projects: list[ScoreReport]
    failed: list[FailedReport]


# -- jixiao diff (tools/compare builds these) -------------------------------------------------------------
#
# Values are texts as a reviewer reads them (targets as written, formulas in canonical spelling); scores
# are decimals as strings ("99.31"), differences signed ("+1.50"); where a shown score does not end,
# `exact` maps the field's name to its exact value as a fraction ("29729/2000").

SignedText = Annotated[
    str,
    Field(
        pattern=r"^[+-]?[0-9]+(\.[0-9]+)?$",
        description="a difference, signed unless zero, at the digits the scores show",
        examples=["+1.50", "-0.70", "0.00"],
    ),
]
ExactMap = Annotated[
    dict[str, Annotated[str, Field(pattern=r"^-?[0-9]+/[0-9]+$")]],
    Field(description='where a shown value is not exact: field name → exact fraction ("-90/11")'),
]

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
    "audit_tolerance",
    "goal",
    "row_kind",
    "sum_check",
    "unit_note",
]
Direction = Literal["raised", "lowered", "depends_on_year"]


class Change(_Model):
    """One difference in meaning: to an indicator (`path`) or to a rule of the ruleset (`section`)."""

    scope: Literal["indicator", "ruleset"]
    kind: ChangeKind
    path: str = Field(description="the indicator's path (the new one; the old one when removed), or the rule")
    old_path: str | None = Field(default=None, description="set when the indicator was renamed or moved")
    old: str | None = None
    new: str | None = None
    direction: Direction | None = Field(
        default=None,
        description="raised: the new target asks for more; depends_on_year: which of two deadlines is "
        "earlier depends on a 年度 a side does not declare",
    )
    delta: str | None = Field(default=None, description='for weights and totals: "+2", "-1.5"')
    key: str | None = Field(
        default=None,
        description='which rule, independent of language: "scale:达成度", "rounding:total", '
        '"display:budget", "direction:成本指标 元", "formula:封顶比例", "budget:rate", "goal:年度绩效目标1"; '
        'for a row\'s formula "actual" or "score"',
    )


class ImpactRow(_Model):
    path: str
    old_path: str | None = None
    status: Literal["same", "changed", "added", "removed", "missing", "residual"] = Field(
        description="missing: no actual value (scored as 不适用 on that side); residual: the last row, "
        "「折算与舍入」, the total's delta no row explains (不适用 rescaling, the total's rounding), so that "
        "the rows' deltas add up to the total's"
    )
    old_score: DecimalText | None = Field(
        default=None, description="None: not in that ruleset, 不适用, or no value"
    )
    new_score: DecimalText | None = None
    delta: SignedText | None = None
    exact: ExactMap = {}


class Impact(_Model):
    """The same actual values scored under both rulesets."""

    actuals: str
    rows: list[ImpactRow] = Field(description="empty when a side cannot score the actual values")
    old_total: DecimalText | None = Field(
        description="None: the old rules cannot score the values (old_errors)"
    )
    new_total: DecimalText | None = Field(
        description="None: the new rules cannot score the values (new_errors)"
    )
    delta: SignedText | None = Field(description="None when either side cannot score the values")
    old_grade: str | None
    new_grade: str | None
    notes: list[str] = Field(default=[], description="e.g. the new ruleset's weights do not add up yet")
    diagnostics: list[DiagnosticReport] = Field(default=[], description=NOTE_DIAGNOSTICS)
    old_errors: list[DiagnosticReport] = Field(
        default=[],
        description="why the old rules cannot score the values, each message led by 旧规则/old rules",
    )
    new_errors: list[DiagnosticReport] = Field(
        default=[],
        description="why the new rules cannot score the values, each message led by 新规则/new rules",
    )
    exact: ExactMap = {}


class DiffReport(_Model):
    """What `jixiao diff OLD.jx NEW.jx --format json` prints and `jixiao.diff` returns."""

    old: str
    new: str
    same: bool
    changes: list[Change]
    impacts: list[Impact] = []


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


class Attribution(_Model):
    """One rule change applied alone to the old rules: what it does to this project's total."""

    change: str = Field(
        description='the change as one line: "目标提高 产出指标/数量指标/人数：≥1.1万人 → ≥1.2万人"'
    )
    kind: str
    path: str
    delta: SignedText | None = Field(description="None: it cannot be applied alone (it needs another change)")
    grade: str | None = Field(
        default=None, description="the grade with this change alone, when it is not the old grade"
    )
    exact: ExactMap = {}


class ProjectScore(_Model):
    """One project's actual values scored under the old and the new rules."""

    actuals: str
    old_total: DecimalText | None = Field(
        default=None, description="None: no old ruleset (added) or scoring failed"
    )
    new_total: DecimalText | None = None
    delta: SignedText | None = None
    old_grade: str | None = None
    new_grade: str | None = None
    missing: list[str] = Field(
        default=[], description="indicators without an actual value, scored as 不适用 (W140)"
    )
    attribution: list[Attribution] = []
    interaction: SignedText | None = Field(
        default=None, description="delta minus the attributions: what is not additive"
    )
    notes: list[str] = []
    diagnostics: list[DiagnosticReport] = Field(default=[], description=NOTE_DIAGNOSTICS)
    errors: list[DiagnosticReport] = []
    exact: ExactMap = {}


class ProjectDiff(_Model):
    project: str = Field(description="the project's name (the new one when it changed)")
    policy: bool = Field(default=False, description="a policy (评分办法) of the folder rather than a project")
    old_project: str | None = Field(default=None, description="set when the project's name changed")
    old_file: str | None = None
    new_file: str | None = None
    status: ProjectStatus
    renamed: list[Renamed] = []
    counts: dict[str, int] = Field(default={}, description="change kind → how many")
    old_weight: str | None = Field(
        default=None, description="the weights of indicators and counted budget, added up"
    )
    new_weight: str | None = None
    changes: list[Change] = []
    reasons: list[str] = Field(default=[], description="policy diff: why the project is unaffected")
    scores: list[ProjectScore] = []
    errors: list[DiagnosticReport] = []
    error_sides: list[Literal["old", "new"]] = Field(
        default=[], description="for each of `errors` in order, the side whose file it comes from"
    )


class Transition(_Model):
    old: str = Field(description='a grade, or "—" when a side has none')
    new: str
    count: int


class Bucket(_Model):
    label: str = Field(description='"≤ -5", "(-5, -1]", …')
    count: int


class Mover(_Model):
    project: str
    actuals: str
    old_total: DecimalText
    new_total: DecimalText
    delta: SignedText
    old_grade: str | None
    new_grade: str | None


class Contribution(_Model):
    """A rule change across projects: the sum of what it does alone to each project's total."""

    change: str
    projects: int = Field(description="projects whose total or grade it moves")
    moved_grade: int = Field(
        default=0, description="projects whose grade it moves (a change of the grade bands moves no total)"
    )
    total: SignedText
    exact: ExactMap = {}


class Aggregates(_Model):
    scored: int = Field(description="projects (with an actual-value file) scored under both rules")
    unscored: int = Field(description="added, removed or failed: a total on one side at most")
    moved_grade: int
    transitions: list[Transition]
    distribution: list[Bucket]
    mean: SignedText | None
    median: SignedText | None
    movers: list[Mover]
    contributions: list[Contribution]
    interaction: SignedText = Field(description="the part of all deltas no single change accounts for")
    exact: ExactMap = {}


class DiffBatchReport(_Model):
    """What a diff of many projects prints as JSON (two folders, a policy's two versions, two revisions)
    and `jixiao.diff_folders`, `diff_policy`, `diff_revisions` return."""

    kind: Literal["folders", "policy", "revisions"]
    old: str
    new: str
    same: bool
    policy_changes: list[Change] = Field(
        default=[], description="policy diff: the changes of the policy itself"
    )
    projects: list[ProjectDiff]
    impact: Aggregates | None = Field(default=None, description="with actual values")
    diagnostics: list[DiagnosticReport] = Field(
        default=[], description="warnings (W14x) and files that failed"
    )


# -- jixiao audit ------------------------------------------------------------------------------------
class DiscrepancyReport(_Model):
    """One printed figure the rules do not give (F150–F188; docs/audit.md lists the kinds)."""

    code: str
    kind: str = Field(description="the kind's machine name, e.g. rounding_only, arithmetic")
    severity: Literal["error", "warning"]
    where: str = Field(description="an indicator's path 一级/二级/三级, or 预算执行, 总得分, 分值合计, 等级")
    printed: str = Field(description="the figure as the table prints it (empty when none)")
    recomputed: str = Field(description="what the rules give (empty when nothing is recomputed)")
    message: str
    help: str | None
    span: SpanReport | None = Field(description="the printed cell")
    explanation: TraceNode | None = None


class TableAuditReport(_Exact):
    """One table audited: printed against recomputed total and grade, every discrepancy, and the errors
    that kept the audit from being complete (then `complete` is false)."""

    index: int
    project: str
    origin: str
    ruleset: str
    policy_only: bool = Field(
        description="audited against a policy alone: targets and weights from the table"
    )
    complete: bool
    tolerance: DecimalText = Field(
        default="0", description="score differences up to this were not reported (--tolerance or 复核容差)"
    )
    printed_total: str | None
    total: DecimalText | None
    total_exact: ExactText = None
    printed_grade: str | None
    grade: str | None
    errors: int = Field(description="error-level discrepancies")
    warnings: int = Field(description="warning-level discrepancies")
    discrepancies: list[DiscrepancyReport]
    diagnostics: list[DiagnosticReport]


class KindCount(_Model):
    code: str
    kind: str
    severity: Literal["error", "warning"]
    tables: int = Field(description="how many tables have it")
    count: int = Field(description="how many times in all")


class AuditSummary(_Model):
    tables: int
    clean: int = Field(description="audited completely, nothing found")
    with_errors: int = Field(description="at least one error-level discrepancy")
    warnings_only: int
    incomplete: int = Field(description="could not be audited completely")
    kinds: list[KindCount]


class AuditReport(_Model):
    """What `jixiao audit … --format json` prints: the summary, then every table."""

    summary: AuditSummary
    tables: list[TableAuditReport]


MODELS: dict[str, type[BaseModel]] = {
    "score": ScoreReport,
    "batch": BatchScoreReport,
    "explanation": ExplanationReport,
    "diagnostics": DiagnosticsReport,
    "diff": DiffReport,
    "diff-batch": DiffBatchReport,
    "audit": AuditReport,
}


def json_schema(model: str = "score") -> dict[str, Any]:
    """The JSON Schema of a published model: "score", "batch", "explanation", "diagnostics", "diff",
    "diff-batch" or "audit"."""
    return MODELS[model].model_json_schema()
