"""Actual values as the server reads them: a file of the served folder, an upload, rows or text, in every
format the CLI reads (CSV and tab text in any encoding, xlsx workbooks, YAML, JSON, the official 自评表
layout), through the same readers (`jixiao.io.actuals`, `jixiao.io.projects`).

One project (`one`) or every project of a file (`projects`: a workbook's sheets, a 项目 column's values).
Problems in cells stay with the file so that scoring reports them together with binding and scoring
errors, as the CLI does. Names in diagnostics are what the user sees: the name in the folder, or the
uploaded file's own name (never a server path).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from jixiao.diagnostics import JixiaoError
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals import Options, collect_actuals
from jixiao.io.projects import Project, content_projects
from jixiao.source import read_bytes
from jixiao.web.adapter import Folder
from jixiao.web.models import ActualsInput, UploadRequest


@dataclass(frozen=True)
class Input:
    """What to read: a file's bytes, text or rows; `name` is how messages call it."""

    name: str
    options: Options
    data: bytes | None = None
    text: str | None = None
    rows: list[dict[str, str]] | None = None


def given(folder: Folder, actuals: ActualsInput, default: str = "<actuals>", where: str = "actuals") -> Input:
    """A request's actual values: a file of the folder (read here), base64 bytes, text or rows.

    `where` is the input's place in the request body, as E971 names it (`inputs.甲`, `actuals.0`)."""
    options = Options(actuals.format, actuals.encoding, actuals.sheet)
    if actuals.name is not None:
        return Input(actuals.name, options, data=read_bytes(folder.path(actuals.name)))
    name = upload_name(actuals.filename) if actuals.filename else default
    if actuals.base64 is not None:
        return Input(name, options, data=_unbase64(actuals.base64, f"{where}.base64"))
    if actuals.text is not None and actuals.format == "xlsx":  # E520 said: pass bytes (Python's words)
        raise JixiaoError.single("E971", None, where=f"{where}.format", problem=WORKBOOK_AS_TEXT)
    return Input(name, options, text=actuals.text, rows=actuals.rows)


WORKBOOK_AS_TEXT = (
    "xlsx 工作簿不是文字，不能放在 text 中：把文件的字节用 base64 编码后放在 base64 中发送"
    "（或上传到 /v1/score:file，或用 name 指定所服务文件夹中的文件）",
    "an xlsx workbook is not text and cannot be sent in text: send the file's bytes in base64 "
    "(or upload it to /v1/score:file, or name a file of the served folder with name)",
)


def uploaded(request: UploadRequest) -> Input:
    """The body of /v1/score:file or an upload to /v1/score:batch."""
    options = Options(request.format, request.encoding, request.sheet)
    return Input(upload_name(request.filename), options, data=request.data)


def upload_name(filename: str) -> str:
    """An uploaded file's own name, without the folders a client may send (C:\\Users\\…\\实际值.xlsx)."""
    return PurePosixPath(filename.replace("\\", "/")).name or "<upload>"


def one(source: Input) -> ActualsFile:
    """One project's actual values; a file holding several is E986 (name a sheet, or score a batch)."""
    try:
        return collect_actuals(
            source.data, text=source.text, rows=source.rows, options=source.options, name=source.name
        )
    except JixiaoError as exc:
        raise JixiaoError(
            [replace(d, code="E986") if d.code == "E521" else d for d in exc.diagnostics]
        ) from None


def projects(source: Input) -> list[Project]:
    """Every project of the input, in order; one that cannot be read carries its error. A ruleset a
    project names is relative to the folder of the file (the served folder for uploads)."""
    if source.data is not None:
        return content_projects(source.data, source.name, source.options)
    try:
        file = one(source)
    except JixiaoError as exc:
        return [Project(stem(source.name), source.name, None, exc, path=source.name)]
    error = JixiaoError(file.diagnostics) if file.diagnostics else None
    name = file.project or stem(source.name)
    return [
        Project(
            name, source.name, file, error, file.ruleset, source.name, file.sheet, named=bool(file.project)
        )
    ]


MAX_UPLOAD = 20 * 1024 * 1024  # bytes of an uploaded file: in an upload's body, or in a JSON request's base64


def stem(name: str) -> str:
    """A project's name when neither its input nor its ruleset gives one: its file's stem, as in a CLI
    batch (`2020.actuals.csv` → `2020.actuals`); a batch key, which is no file name, as it is."""
    return PurePosixPath(name).stem or name


UPLOAD_ADVICE = (
    "上传的文件最大 20 MiB：删去文件中无用的工作表、行或列，或把它拆成几个文件分别上传",
    "an uploaded file may be at most 20 MiB: delete unused sheets, rows or columns from it, or split it into "
    "several files uploaded one by one",
)


def upload_too_large(limit: str) -> JixiaoError:
    """E970 for an uploaded actual-value file (the body of /v1/score:file, or base64 in JSON) past its limit:
    splitting a batch, as a JSON request's E970 says, would not help."""
    what = ("上传的文件", "the uploaded file")
    return JixiaoError.single("E970", None, what=what, limit=limit, advice=UPLOAD_ADVICE)


def _unbase64(text: str, where: str) -> bytes:
    if len(text) // 4 * 3 > MAX_UPLOAD + 2:  # the bytes it decodes to, give or take its padding
        raise upload_too_large(f"{MAX_UPLOAD // 1024 // 1024} MiB")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):  # ValueError: a character outside ASCII (`YWJjé`)
        raise JixiaoError.single(
            "E971", None, where=where, problem=("不是 base64 编码", "not base64")
        ) from None
    if len(data) > MAX_UPLOAD:
        raise upload_too_large(f"{MAX_UPLOAD // 1024 // 1024} MiB")
    return data
