"""The HTTP API's request and response bodies (pydantic): validated at the edge, published in OpenAPI.

Requests are strict about shapes (unknown fields are errors, cells of actual values are strings, never
numbers), so a caller's mistake becomes a positioned E971 instead of a silently different score.
Responses reuse the published report models (`jixiao.io.schema`, `jixiao.tools.compare.model`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.io.schema import DiagnosticReport, ExplanationReport, ScoreReport, SpanReport
from jixiao.io.schema import DiagnosticsReport as ErrorResponse
from jixiao.tools.compare.model import Report as DiffReport

Lang = Literal["zh", "en"]
LANG = (
    "the messages' language; when the body does not give it: ?lang=, then Accept-Language, then the server's"
)


class RequestProblem(ValueError):
    """A validator's complaint in both languages: E971 shows `zh` to Chinese callers (`jobs.invalid`)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulesetInput(_Request):
    """A ruleset: `name` of a .jx file in the served folder, or its `text` (then `name`, if given, is where
    the text would live: its 采用 resolve from there and diagnostics name it)."""

    name: str | None = Field(default=None, examples=["shangjie-pension/2020.jx"])
    text: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> RulesetInput:
        if self.name is None and self.text is None:
            raise RequestProblem(
                "请给出规则的 name（文件名）或 text（全文）", "give the ruleset's name or its text"
            )
        return self


InputFormat = Literal["csv", "tsv", "xlsx", "yaml", "json"]


class ActualsInput(_Request):
    """Actual values: `name` of a file in the served folder, `rows` of {column header: cell}, the file's
    `text` (CSV, tab-separated, YAML or JSON) or its bytes in `base64` (any format the CLI reads: CSV in
    any encoding, Excel's Unicode text, xlsx, YAML, JSON, the official 自评表 layout)."""

    name: str | None = Field(default=None, examples=["shangjie-pension/2020.actuals.csv"])
    rows: list[dict[str, str]] | None = None
    text: str | None = None
    base64: str | None = Field(
        default=None, description="an uploaded file's bytes (any format, any encoding)"
    )
    filename: str | None = Field(
        default=None, description="the uploaded file's name: messages use it, its suffix hints the format"
    )
    sheet: str | None = Field(default=None, description="the worksheet of a workbook to read")
    format: InputFormat | None = Field(default=None, description="force the format (default: detected)")
    encoding: str | None = Field(default=None, description="force the text encoding (default: detected)")

    @model_validator(mode="after")
    def _one_source(self) -> ActualsInput:
        given = [x for x in (self.name, self.rows, self.text, self.base64) if x is not None]
        if len(given) != 1:
            raise RequestProblem(
                "name、rows、text、base64 只能给一个，也必须给一个",
                "give exactly one of name, rows, text, base64",
            )
        return self


class CheckRequest(_Request):
    ruleset: RulesetInput
    lang: Lang = Field(default="zh", description=LANG)


class FmtRequest(_Request):
    text: str
    keywords: Lang | None = None
    lang: Lang = Field(default="zh", description=LANG)


class ScoreRequest(_Request):
    ruleset: RulesetInput
    actuals: ActualsInput
    explain: bool = False
    lang: Lang = Field(default="zh", description=LANG)
    ruleset_hash: str | None = Field(default=None, description="409 if the ruleset's hash is not this")


OutputFormat = Literal["json", "xlsx", "csv", "html", "markdown", "table", "explain", "explain-json"]


class ReportRequest(ScoreRequest):
    format: OutputFormat = Field(
        default="json",
        description="xlsx (the official layout), csv, html, json, markdown, table (text), explain; "
        "actual values holding several projects give the batch document (a summary, then each project)",
    )


class BatchRequest(_Request):
    ruleset: RulesetInput
    inputs: dict[str, ActualsInput] = Field(
        description="projects by the caller's id; a file holding several projects (a workbook's sheets, "
        "a 项目 column) gives one result each, keyed id:sheet or id#project"
    )
    explain: bool = Field(default=False, description="each result with its explanation")
    layout: bool = Field(default=False, description="each result with its 自评表 as the downloads lay it out")
    lang: Lang = Field(default="zh", description=LANG)
    ruleset_hash: str | None = None


class DiffRequest(_Request):
    old: RulesetInput
    new: RulesetInput
    actuals: list[ActualsInput] = Field(default_factory=list)
    lang: Lang = Field(default="zh", description=LANG)


class TestRequest(_Request):
    name: str = Field(examples=["shangjie-pension/2020.test.yaml"])
    update: bool = Field(default=False, description="rewrite failing expectations (after confirmation)")
    ruleset: RulesetInput | None = Field(
        default=None,
        description="the ruleset as the editor has it (name and unsaved text): when `name` is the ruleset "
        "the test file names, its `text` is tested instead of the saved file (`edited` in the answer)",
    )
    lang: Lang = Field(default="zh", description=LANG)


class UploadRequest(_Request):
    """An uploaded actual-value file with its query parameters (not a JSON body: see /v1/score:file)."""

    ruleset: str
    filename: str = "<upload>"
    data: bytes
    sheet: str | None = None
    format: InputFormat | None = None
    encoding: str | None = None
    output: OutputFormat | None = None
    explain: bool = False
    batch: bool = False
    lang: Lang = Field(default="zh", description=LANG)
    ruleset_hash: str | None = None


class SaveRequest(_Request):
    text: str
    base_hash: str | None = Field(
        description="sha256 of the file as it was opened; null for a new file. 409 if the file moved on"
    )


# -- responses -----------------------------------------------------------------------------------------
class Fix(BaseModel):
    """A quick fix: replace the text at `span` (one line, columns in Unicode code points) with `text`."""

    span: SpanReport
    text: str


class CheckedDiagnostic(DiagnosticReport):
    """A diagnostic of `/v1/check`; `fix` is set where its did-you-mean can be applied as an edit."""

    fix: Fix | None = None


class CheckResponse(BaseModel):
    ok: bool = Field(description="no errors (warnings allowed)")
    ruleset_hash: str | None
    diagnostics: list[CheckedDiagnostic]
    indicators: list[str] = Field(description="indicator names, for completion")
    scales: list[str] = Field(description="scale words (量表 levels), for completion")


class FmtResponse(BaseModel):
    text: str
    changed: bool


class Download(BaseModel):
    """A rendered result: the bytes of the file in base64 (CSV is UTF-8 with a BOM, as Excel opens it;
    other text formats UTF-8), with a file name and its media type."""

    format: str
    base64: str
    filename: str = Field(examples=["城乡居民基本养老保险费财政补助资金.xlsx"])
    media_type: str


class BlockView(BaseModel):
    """A block of the 自评表: its header, what each column is, and the text of every cell."""

    header: list[str]
    keys: list[str] = Field(description="level1, name, target, actual, status, weight, item_score, score, …")
    rows: list[list[str]]
    merged: int = Field(description="the leading columns (goal, 一级, 二级) merged over the rows they head")


class TableView(BaseModel):
    """The 自评表 of one result as xlsx, CSV and HTML lay it out (cell text only); `indicators.rows`
    follow the result's `indicators` one to one."""

    title: str
    info: list[tuple[str, str]]
    budget: BlockView | None
    budget_note: str
    indicators: BlockView
    total_weight: str
    total: str
    grade: str
    findings: BlockView | None


class BatchItem(BaseModel):
    project: str = Field(
        description="the project's name, as the summary of `jixiao score` shows it: the name its input gives "
        "(a 项目名称 cell, a 项目 column's value, a sheet), else its ruleset's 项目 \"…\", else the file's "
        "stem (the item's key for rows or text without a filename)"
    )
    origin: str = Field(
        description="the file it came from (a file of the folder, an upload's filename), file:sheet or "
        "file#project; the item's own key is its key in `results`"
    )
    ruleset: str | None = Field(default=None, description="the ruleset the file itself names, when it does")
    result: ScoreReport | None = None
    error: ErrorResponse | None = None
    layout: TableView | None = None


class BatchResponse(BaseModel):
    ruleset_hash: str
    results: dict[str, BatchItem]


class MismatchReport(BaseModel):
    what: str
    expected: str
    got: str
    line: int


class CaseReport(BaseModel):
    name: str
    passed: bool
    line: int
    mismatches: list[MismatchReport]
    diagnostics: list[DiagnosticReport] = Field(
        default_factory=list,
        description="why the case could not run (its actual-value file missing, outside the folder, …): "
        "it fails, and these are also in the answer's diagnostics",
    )


class TestResponse(BaseModel):
    name: str
    ruleset: str | None
    passed: bool
    updated: int
    cases: list[CaseReport]
    diagnostics: list[DiagnosticReport]
    edited: bool = Field(
        default=False,
        description="the request's ruleset text was tested, not the saved file (unsaved changes)",
    )


class FileEntry(BaseModel):
    name: str
    kind: Literal["ruleset", "actuals", "test"]


class FilesResponse(BaseModel):
    folder: str
    writable: bool
    files: list[FileEntry]


class FileResponse(BaseModel):
    name: str
    text: str
    hash: str


class VersionResponse(BaseModel):
    jixiao: str
    api: str


__all__ = [
    "ActualsInput",
    "BatchItem",
    "BatchRequest",
    "BatchResponse",
    "BlockView",
    "CaseReport",
    "CheckRequest",
    "CheckResponse",
    "DiffReport",
    "DiffRequest",
    "Download",
    "ErrorResponse",
    "ExplanationReport",
    "FileEntry",
    "FileResponse",
    "FilesResponse",
    "FmtRequest",
    "FmtResponse",
    "MismatchReport",
    "ReportRequest",
    "RequestProblem",
    "RulesetInput",
    "SaveRequest",
    "ScoreReport",
    "ScoreRequest",
    "TableView",
    "TestRequest",
    "TestResponse",
    "UploadRequest",
    "VersionResponse",
]
