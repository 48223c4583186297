"""The OpenAPI 3.1 document of the HTTP API, built from the same pydantic models that check requests.

One table (`ENDPOINTS`) names each operation, its request and response models and the statuses it
answers; the schemas come from pydantic, so the document cannot drift from what the server accepts.
"""

from __future__ import annotations

import functools
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from jixiao.web import models as m
from jixiao.web.downloads import MEDIA_TYPES
from jixiao.web.requests import UPLOAD_TYPES
from jixiao.web.vocabulary import Vocabulary

REF = "#/components/schemas/{model}"
# What a request with a body may meet (read and checked: `requests.read_body`, the models)
BODY = {
    "413": "E970 请求过大 / body too large; E975 规则过长 / ruleset too long; E979 批量过多 / too many",
    "415": "E972 内容类型不对 / wrong content type",
    "422": "用户错误：规则或实际值有误（诊断）/ user error: the diagnostics",
}
# What a job run by a worker process may meet besides (`web.pool`)
JOB = {
    "503": "E977 服务器忙 / busy (Retry-After)",
    "504": "E976 超时，评分进程已终止 / deadline passed, the scoring process was stopped; E994 等待评分进程"
    "超时，没有开始评分 / waited past the deadline for a scoring process, not scored",
}
ERRORS = {**BODY, **JOB}
MISSING = {"404": "E974 文件夹中没有该文件 / no such file; E992 是文件夹，不是文件 / a folder, not a file"}
# What any request may meet before or after its route (web/guard.py, a bug), what one under /v1 may meet
# besides (the token), and what one that may change something may meet (a page of another site: its Origin)
ANY = {
    "400": "E993 同时带有 Content-Length 和 Transfer-Encoding（连接随即关闭）/ both Content-Length and "
    "Transfer-Encoding (the connection is closed)",
    "405": "E991 这个路径不接受这个方法（Allow 头列出它接受的方法）/ a method the path does not accept "
    "(Allow lists those it does)",
    "408": "E998 请求头或请求体传得太慢（连接随即关闭）/ the request arrived too slowly (the connection is "
    "closed)",
    "421": "E973 Host 不是本服务的地址（DNS 重绑定）/ the Host is not this server's name",
    "503": "E977 同时处理的请求或打开的连接太多 / too many requests or connections at once (Retry-After)",
    "500": "E982 jixiao 的缺陷（调用栈在服务器日志中）/ a bug in jixiao (its traceback in the server's log)",
}
EVERY = {
    "401": "E985 缺少或错误的访问令牌（服务用 --token-file 时）/ the bearer token is missing or wrong",
    **ANY,
}
CHANGING = {"403": "E973 别的网站的页面发来的请求（Origin）/ sent by a page of another site"}
ALLOW = {"description": "这个路径接受的方法 / the methods the path accepts", "schema": {"type": "string"}}
BATCH = {"207": "部分项目有错误（批量、多个项目的文件）/ some projects failed (a batch, a file of several)"}
# path, method, summary, request model (None: no JSON body), response model, extra statuses
ENDPOINTS: list[tuple[str, str, str, type[BaseModel] | None, type[BaseModel], dict[str, str]]] = [
    (
        "/v1/check",
        "post",
        "检查规则 / check a ruleset (200 with its diagnostics)",
        m.CheckRequest,
        m.CheckResponse,
        {},
    ),
    ("/v1/fmt", "post", "统一格式 / format ruleset text", m.FmtRequest, m.FmtResponse, {}),
    (
        "/v1/score",
        "post",
        "给一个项目评分 / score one project",
        m.ScoreRequest,
        m.ScoreReport,
        {**MISSING, "409": "E980 规则哈希已变 / ruleset hash moved"},
    ),
    (
        "/v1/score:batch",
        "post",
        "批量评分 / score a batch (207 when some items fail)",
        m.BatchRequest,
        m.BatchResponse,
        {**BATCH, **MISSING},
    ),
    ("/v1/explain", "post", "解释得分 / explain every score", m.ScoreRequest, m.ExplanationReport, MISSING),
    (
        "/v1/report",
        "post",
        "评分结果文件 / the result as a file",
        m.ReportRequest,
        m.Download,
        {**BATCH, **MISSING},
    ),
    ("/v1/diff", "post", "比较两年的规则 / compare two rulesets", m.DiffRequest, m.DiffReport, MISSING),
    (
        "/v1/test",
        "post",
        "运行金标准测试 / run a *.test.yaml file",
        m.TestRequest,
        m.TestResponse,
        {
            "403": "E983 只读时的 update: true / update: true on a read-only server; " + CHANGING["403"],
            **MISSING,
        },
    ),
    ("/v1/files", "get", "文件夹中的文件 / files of the served folder", None, m.FilesResponse, {}),
    (
        "/v1/files/{name}",
        "get",
        "读取一个文件 / read a file of the served folder (.jx, .csv, .test.yaml)",
        None,
        m.FileResponse,
        {
            "404": "E974 文件夹中没有该文件（隐藏文件也是）/ no such file (hidden files neither); "
            "E992 是文件夹，不是文件 / a folder, not a file"
        },
    ),
    (
        "/v1/files/{name}",
        "put",
        "保存一个文件 / save a file (base_hash: the sha256 it was opened with; null for a new file)",
        m.SaveRequest,
        m.FileResponse,
        {
            "403": "E983 只读，或不能写在那里 / read-only, or cannot be written there; " + CHANGING["403"],
            "404": "E974 不在文件夹中 / outside the folder",
            "409": "E978 文件在打开之后已被修改 / the file changed since it was opened",
        },
    ),
    ("/v1/version", "get", "版本 / version", None, m.VersionResponse, {}),
    (
        "/v1/vocabulary",
        "get",
        "关键字与词表 / keywords and words, for editors",
        None,
        Vocabulary,
        {},
    ),
]


def _operation(
    summary: str, request: type[BaseModel] | None, response: type[BaseModel], extra: dict[str, str]
) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": REF.format(model="DiagnosticsReport")}}}
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": REF.format(model=response.__name__)}}},
        }
    }
    for status, text in extra.items():
        content = responses["200"]["content"] if status == "207" else error
        responses[status] = {"description": text, "content": content}
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if request is not None:
        schema = {"$ref": REF.format(model=request.__name__)}
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return operation


def _upload_parameters(required: bool) -> list[dict[str, Any]]:
    """The query of an uploaded actual-value file (`models.UploadRequest`)."""
    text = {"type": "string"}
    return [
        {"name": "ruleset", "in": "query", "required": required, "schema": text,
         "description": "a .jx file of the served folder" + ("" if required else " (uploads only)")},
        {"name": "filename", "in": "query", "schema": text,
         "description": "the file's name: messages use it, its suffix hints the format"},
        {"name": "sheet", "in": "query", "schema": text, "description": "the worksheet of a workbook"},
        {"name": "format", "in": "query", "schema": {"enum": list(get_args(m.InputFormat))},
         "description": "force the input format (default: detected from the content and name)"},
        {"name": "encoding", "in": "query", "schema": text, "description": "force the text encoding"},
        {"name": "output", "in": "query", "schema": {"enum": list(get_args(m.OutputFormat))},
         "description": "answer with the result as this file (Content-Disposition names it)"},
        {"name": "explain", "in": "query", "schema": {"type": "boolean"}},
        {"name": "ruleset_hash", "in": "query", "schema": text},
        {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh", "en"]}},
    ]  # fmt: skip


def _uploaded(operation: dict[str, Any], required: bool) -> dict[str, Any]:
    """`operation` taking an actual-value file as its body too, and answering files (`output`)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    body = operation.setdefault("requestBody", {"required": True, "content": {}})
    body["content"].update({kind: binary for kind in UPLOAD_TYPES})
    operation["parameters"] = _upload_parameters(required)
    files = sorted(kind for kind in set(MEDIA_TYPES.values()) if kind != "application/json")
    operation["responses"]["200"]["content"].update({kind: binary for kind in files})
    return operation


@functools.cache
def openapi(version: str) -> dict[str, Any]:
    models = {m.ErrorResponse} | {
        model for _, _, _, req, res, _ in ENDPOINTS for model in (req, res) if model is not None
    }
    _, schemas = models_json_schema(
        [(model, "serialization") for model in sorted(models, key=lambda x: x.__name__)], ref_template=REF
    )
    paths: dict[str, Any] = {}
    for path, method, summary, request, response, extra in ENDPOINTS:
        # a GET reads no body and runs no job: 413/415/422/503/504 are the POSTs' (and a PUT's body's)
        others = (
            EVERY if method == "get" else {**EVERY, **CHANGING, **BODY, **(JOB if method == "post" else {})}
        )
        paths.setdefault(path, {})[method] = _operation(summary, request, response, {**others, **extra})
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "the file's path inside the served folder, / between folders"}  # fmt: skip
    for operation in paths["/v1/files/{name}"].values():
        operation["parameters"] = [name]
    _uploaded(paths["/v1/score:batch"]["post"], required=False)
    upload = _operation(
        "上传实际值文件评分 / score an uploaded file",
        None,
        m.ScoreReport,
        {**EVERY, **CHANGING, **ERRORS, **BATCH, **MISSING},
    )
    paths["/v1/score:file"] = {"post": _uploaded(upload, required=True)}
    paths.update(_plain())
    for operations in paths.values():  # a wrong method, on any path (`app.not_found`)
        for operation in operations.values():
            operation["responses"]["405"]["headers"] = {"Allow": ALLOW}
    return {
        "openapi": "3.1.0",
        "info": {"title": "jixiao（绩效）HTTP API", "version": version},
        "paths": paths,
        "components": {"schemas": schemas.get("$defs", {})},
    }


def _plain() -> dict[str, Any]:
    """The GET routes that answer no model of ours: the published schemas, this document, the health check,
    the version without /v1, the error reference (HTML)."""
    error = {"application/json": {"schema": {"$ref": REF.format(model="DiagnosticsReport")}}}

    def get(summary: str, content: dict[str, Any], extra: dict[str, str], **more: Any) -> dict[str, Any]:
        responses = {"200": {"description": "OK", "content": content}}
        responses.update({status: {"description": text, "content": error} for status, text in extra.items()})
        return {"get": {"summary": summary, "responses": responses, **more}}

    any_json = {"application/json": {"schema": {"type": "object"}}}
    model = {"name": "model", "in": "path", "required": True,
             "schema": {"enum": ["score", "explanation", "diagnostics", "diff"]}}  # fmt: skip
    version = {"application/json": {"schema": {"$ref": REF.format(model="VersionResponse")}}}
    health = {"type": "object", "properties": {"status": {"const": "ok"}}, "required": ["status"]}
    return {
        "/v1/schema/{model}": get(
            "已发布的 JSON Schema / a published JSON Schema (jixiao schema)",
            any_json,
            {**EVERY, "404": "E981 没有这个模型 / no such schema"},
            parameters=[model],
        ),
        "/v1/openapi.json": get("本文档 / this document (OpenAPI 3.1)", any_json, EVERY),
        "/health": get("健康检查 / health check", {"application/json": {"schema": health}}, ANY),
        "/version": get("版本（同 /v1/version）/ version (as /v1/version)", version, ANY),
        "/errors": get(
            "错误代码说明（网页，#E401 等）/ the error reference (HTML; #E401 …)",
            {"text/html": {"schema": {"type": "string"}}},
            ANY,
        ),
    }
