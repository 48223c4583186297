"""Reading requests and writing replies, shared by every route: type and size checked while streaming,
user errors as their diagnostics in JSON, in the caller's language (?lang=, else Accept-Language, else
the server's default)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from jixiao.diagnostics import Diagnostic, JixiaoError
from jixiao.messages import Lang
from jixiao.web.adapter import Folder
from jixiao.web.jobs import Reply, error_reply

JSON_TYPES = ("application/json",)
UPLOAD_TYPES = (  # an actual-value file as the request body; its format is read from its content and name
    "text/csv",
    "text/plain",
    "text/tab-separated-values",
    "application/octet-stream",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
)


def lang_of(request: Request) -> Lang:
    """?lang=, else the first of Accept-Language's languages that is zh or en, else the server's default
    (a body's `lang` comes before all of them: `jobs.run_job`)."""
    tags = request.headers.get("accept-language", "").split(",")
    for chosen in (request.query_params.get("lang", ""), *(tag.split(";")[0] for tag in tags)):
        chosen = chosen.strip().lower()
        if chosen.startswith(("en", "zh")):
            return "en" if chosen.startswith("en") else "zh"
    default: Lang = request.app.state.settings.lang
    return default


def reply(result: Reply) -> Response:
    return Response(result.body, result.status, result.headers, media_type=result.media_type)


def problem(code: str, lang: Lang, **args: object) -> Response:
    return reply(error_reply([Diagnostic(code, None, dict(args))], lang))


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, types: tuple[str, ...], limit: int) -> bytes:
    """The body, if its type is one of `types`, counting streamed bytes against `limit` (E972, E970)."""
    kind = content_type(request)
    if kind not in types:
        raise JixiaoError.single("E972", None, got=kind or "—", expected=" / ".join(types))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise JixiaoError.single("E970", None, limit=_size(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise JixiaoError.single("E970", None, limit=_size(limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:.3g} MiB" if limit >= 1024 * 1024 else f"{limit} B"


Handler = Callable[[Request], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """User errors raised while reading a request become their diagnostics as JSON."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except JixiaoError as exc:  # named as the user sees them: no server path leaves the server
            folder: Folder = request.app.state.folder
            return reply(error_reply(folder.shown(exc.diagnostics), lang_of(request)))

    return run
