"""The HTTP API's request and response bodies (pydantic): validated at the edge, published in OpenAPI.

Requests are strict about shapes (unknown fields are errors, cells of actual values are strings, never
numbers), so a caller's mistake becomes a positioned E971 instead of a silently different score.
Responses reuse the published report models (`jixiao.io.schema`, `jixiao.tools.compare.model`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.io.schema import DiagnosticReport, ExplanationReport, ScoreReport
from jixiao.io.schema import DiagnosticsReport as ErrorResponse
from jixiao.tools.compare.model import Report as DiffReport

Lang = Literal["zh", "en"]


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
            raise ValueError("give the ruleset's name or its text")
        return self


class ActualsInput(_Request):
    """Actual values: `name` of a file in the served folder, `rows` of {column header: cell}, or the
    file's `text` (CSV)."""

    name: str | None = Field(default=None, examples=["shangjie-pension/2020.actuals.csv"])
    rows: list[dict[str, str]] | None = None
    text: str | None = None
    base64: str | None = Field(default=None, description="an uploaded file's bytes (any encoding)")
    filename: str | None = Field(default=None, description="the uploaded file's name, for messages")

    @model_validator(mode="after")
    def _one_source(self) -> ActualsInput:
        given = [x for x in (self.name, self.rows, self.text, self.base64) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of name, rows, text, base64")
        return self


class CheckRequest(_Request):
    ruleset: RulesetInput
    lang: Lang = "zh"


class FmtRequest(_Request):
    text: str
    keywords: Lang | None = None
    lang: Lang = "zh"


class ScoreRequest(_Request):
    ruleset: RulesetInput
    actuals: ActualsInput
    explain: bool = False
    lang: Lang = "zh"
    ruleset_hash: str | None = Field(default=None, description="409 if the ruleset's hash is not this")


class ReportRequest(ScoreRequest):
    format: str = Field(default="json", description="a format of jixiao.render: json, table, markdown, …")


class BatchRequest(_Request):
    ruleset: RulesetInput
    inputs: dict[str, ActualsInput] = Field(description="projects by the caller's id")
    lang: Lang = "zh"
    ruleset_hash: str | None = None


class DiffRequest(_Request):
    old: RulesetInput
    new: RulesetInput
    actuals: list[ActualsInput] = Field(default_factory=list)
    lang: Lang = "zh"


class TestRequest(_Request):
    name: str = Field(examples=["shangjie-pension/2020.test.yaml"])
    update: bool = Field(default=False, description="rewrite failing expectations (after confirmation)")
    lang: Lang = "zh"


class UploadRequest(_Request):
    """An uploaded actual-value file with its query parameters (not a JSON body: see /v1/score:file)."""

    ruleset: str
    filename: str = "<upload>"
    data: bytes
    explain: bool = False
    lang: Lang = "zh"
    ruleset_hash: str | None = None


class SaveRequest(_Request):
    text: str
    base_hash: str | None = Field(
        description="sha256 of the file as it was opened; null for a new file. 409 if the file moved on"
    )


# -- responses -----------------------------------------------------------------------------------------
class CheckResponse(BaseModel):
    ok: bool = Field(description="no errors (warnings allowed)")
    ruleset_hash: str | None
    diagnostics: list[DiagnosticReport]
    indicators: list[str] = Field(description="indicator names, for completion")
    scales: list[str] = Field(description="scale words (量表 levels), for completion")


class FmtResponse(BaseModel):
    text: str
    changed: bool


class Download(BaseModel):
    """A rendered result: the bytes of the file in base64 (text formats are UTF-8)."""

    format: str
    base64: str


class BatchItem(BaseModel):
    result: ScoreReport | None = None
    error: ErrorResponse | None = None


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


class TestResponse(BaseModel):
    name: str
    ruleset: str | None
    passed: bool
    updated: int
    cases: list[CaseReport]
    diagnostics: list[DiagnosticReport]


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
    "RulesetInput",
    "SaveRequest",
    "ScoreReport",
    "ScoreRequest",
    "TestRequest",
    "TestResponse",
    "UploadRequest",
    "VersionResponse",
]
