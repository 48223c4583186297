"""The Starlette application: the workbench page, its assets, and the JSON API under /v1.

Handlers only read the request (type and size checked while streaming; on a busy server at most
`pool.BUSY_BODY` bytes of it, before E977), hand the bytes to a job runner and send its reply; the work
itself is in `web.jobs`. Every request first passes `web.guard` (Host, Origin, token); every response
carries `X-Jixiao-Version` and a strict Content-Security-Policy (`default-src 'self'`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from jixiao import __version__
from jixiao.diagnostics import JixiaoError
from jixiao.io.schema import json_schema
from jixiao.messages import Lang
from jixiao.tools.compare.model import Report as DiffReport
from jixiao.web import files as folder_files
from jixiao.web.actuals import MAX_UPLOAD
from jixiao.web.adapter import Folder
from jixiao.web.guard import Guard
from jixiao.web.limits import Limit
from jixiao.web.openapi import openapi
from jixiao.web.pool import BUSY_BODY, Inline, Pool, Runner, refuse
from jixiao.web.reference import reference_page
from jixiao.web.requests import (
    JSON_TYPES,
    UPLOAD_TYPES,
    Bodies,
    check_query,
    content_type,
    guarded,
    lang_of,
    problem,
    read_body,
    read_small_body,
    reply,
)
from jixiao.web.vocabulary import vocabulary

API_VERSION = "1"


class Anything(Convertor[str]):
    """A file's name as the client sent it, line breaks too (`path` stops at one, so such a name was
    404 E981 「没有这个接口」): `Folder.path` then refuses it as E974, as any impossible name."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("anything", Anything())


@dataclass(frozen=True)
class Settings:
    folder: Path
    max_body: int = 4 * 1024 * 1024  # JSON requests
    max_upload: int = MAX_UPLOAD  # uploaded actual-value files (in a JSON request too: `actuals._unbase64`)
    workers: int = 2  # worker processes; 0 runs jobs in threads (no hard deadline)
    deadline: float = 10.0  # seconds per job
    queue: int = 64  # requests waiting for a worker before 503
    # bytes of request bodies held at once, before 503 (`requests.Bodies`)
    max_bodies: int = 256 * 1024 * 1024
    read_only: bool = False
    token: str | None = None  # bearer token required on /v1 when set
    host: str = "127.0.0.1"  # the address listened on: which Host headers are served (`web.guard`)
    lang: Lang = "zh"  # messages when a request says nothing of its language (`--lang`, JIXIAO_LANG)

    @property
    def max_requests(self) -> int:
        """Requests answered at once (`limits.Limit`): every worker's and waiting request twice over (one
        reading its body while another is scored), and some to spare for pages, files and refusals."""
        return (self.workers + self.queue) * 2 + 32

    @property
    def max_body_with_files(self) -> int:
        """JSON that may carry actual-value files in base64 (the workbench's uploads, `{"base64": …}`):
        the JSON limit plus the upload limit as base64 (4 bytes for every 3)."""
        return self.max_body + -(-self.max_upload // 3) * 4


def static_dir() -> Path:
    return Path(str(files("jixiao.web").joinpath("static")))


async def run_json(request: Request, name: str, files: bool) -> Response:
    """A JSON job; `files`: its actual values may be files in base64, as large as an upload."""
    settings: Settings = request.app.state.settings
    limit = settings.max_body_with_files if files else settings.max_body
    check_query(request, ())  # what to do is in the body; a query parameter besides ?lang= would be dropped
    runner: Runner = request.app.state.runner
    if runner.full():
        small = await read_small_body(request, JSON_TYPES, limit, BUSY_BODY)
        return reply(await refuse(name, small, lang_of(request)))
    body = await read_body(request, JSON_TYPES, limit)
    return reply(await runner.run(name, body, lang_of(request)))


def job_route(path: str, name: str, files: bool = False) -> Route:
    async def handle(request: Request) -> Response:
        return await run_json(request, name, files)

    return Route(path, guarded(handle), methods=["POST"], name=name)


UPLOAD_QUERY = ("ruleset", "filename", "sheet", "format", "encoding", "output", "explain", "ruleset_hash")


async def upload(request: Request, batch: bool) -> Response:
    """An actual-value file as the body, what to do with it in the query (see `models.UploadRequest`)."""
    settings: Settings = request.app.state.settings
    check_query(request, UPLOAD_QUERY)  # before anything is read: the query says what the body is
    if not request.query_params.get("ruleset"):  # was read as the name "" (404 E974: 文件「」)
        missing = (
            "缺少必需的查询参数：所服务的文件夹中的规则文件名",
            "the required query parameter is missing",
        )
        raise JixiaoError.single("E971", None, where="?ruleset=", problem=missing)
    runner: Runner = request.app.state.runner
    full = runner.full()  # a busy server reads no large body only to refuse it (`pool.busy`)
    cap = BUSY_BODY if full else settings.max_upload
    data = await read_small_body(request, UPLOAD_TYPES, settings.max_upload, cap)
    payload: dict[str, Any] = {k: v for k, v in request.query_params.items() if k in UPLOAD_QUERY}
    payload.update(data=data, batch=batch, lang=lang_of(request))
    if full:
        return reply(await refuse("score_file", payload if data is not None else None, lang_of(request)))
    return reply(await runner.run("score_file", payload, lang_of(request)))


async def score_file(request: Request) -> Response:
    return await upload(request, batch=False)


async def score_batch(request: Request) -> Response:
    """A batch as JSON (`BatchRequest`), or an uploaded file whose every project is scored."""
    if content_type(request) in JSON_TYPES:
        return await run_json(request, "batch", files=True)
    return await upload(request, batch=True)


async def schema(request: Request) -> Response:
    model = request.path_params["model"]
    if model == "diff":
        return JSONResponse(DiffReport.model_json_schema())
    if model not in ("score", "explanation", "diagnostics"):
        return problem("E981", lang_of(request), method="GET", path=request.url.path)
    return JSONResponse(json_schema(model))


async def openapi_document(request: Request) -> Response:
    return JSONResponse(openapi(__version__))


async def words(request: Request) -> Response:
    return Response(vocabulary().model_dump_json(), media_type="application/json")


async def version(request: Request) -> Response:
    return JSONResponse({"jixiao": __version__, "api": API_VERSION})


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


API_ONLY = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>jixiao serve：只提供接口</title>
<style>body{font:16px/1.7 system-ui,sans-serif;max-width:46em;margin:3em auto;padding:0 1em}
code{background:#f3f3f3;padding:0 .3em}</style></head><body>
<h1>这个 jixiao serve 只提供接口，没有工作台</h1>
<p>它以 <code>--token-file</code> 启动：<code>/v1/</code> 下的每个请求都要带访问令牌
（<code>Authorization: Bearer 令牌</code>），网页工作台带不了令牌，所以在这里不能使用。</p>
<p>要使用工作台，请在自己的电脑上不带 <code>--token-file</code> 运行 <code>jixiao serve 文件夹</code>
（它只监听 127.0.0.1），在浏览器中打开它打印的地址。接口见 <a href="/v1/openapi.json">/v1/openapi.json</a>，
错误代码见 <a href="/errors">/errors</a>。</p>
<hr><p lang="en">This jixiao server was started with <code>--token-file</code>: it serves the HTTP API
only (every request to <code>/v1/</code> needs <code>Authorization: Bearer TOKEN</code>), and the
workbench cannot send a token. For the workbench, run <code>jixiao serve FOLDER</code> without
<code>--token-file</code> on your own computer. The API is described in
<a href="/v1/openapi.json">/v1/openapi.json</a>.</p>
</body></html>
"""


async def index(request: Request) -> Response:
    """The workbench; with a token (`--token-file`) a note that this server is API-only: the page could
    only say E985 「在请求头中加上 Authorization: Bearer…」, which a staffer cannot act on."""
    settings: Settings = request.app.state.settings
    if settings.token:
        return HTMLResponse(API_ONLY)
    return FileResponse(static_dir() / "index.html", media_type="text/html; charset=utf-8")


async def errors(request: Request) -> Response:
    """The error reference (docs/errors.md, shipped in the package): where a diagnostic's code links."""
    return HTMLResponse(reference_page())


async def not_found(request: Request, exc: Exception) -> Response:
    """404 E981 for a path that is no endpoint; 405 E991 for a method the path does not accept (`Allow`
    names those it does)."""
    code = exc.status_code if isinstance(exc, HTTPException) else 404
    allowed = exc.headers.get("Allow") if isinstance(exc, HTTPException) and exc.headers else None
    where = {"method": request.method, "path": request.url.path}
    if code == 405 and allowed:
        response = problem("E991", lang_of(request), allowed=allowed, **where)
        response.headers["Allow"] = allowed
        return response
    response = problem("E981", lang_of(request), **where)
    response.status_code = 404
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    return problem("E982", lang_of(request), kind=type(exc).__name__)


def routes() -> list[Route | Mount]:
    return [
        Route("/", index),
        Route("/errors", errors),
        Route("/health", health),
        Route("/version", version),
        Route("/v1/version", version),
        Route("/v1/openapi.json", openapi_document),
        Route("/v1/schema/{model}", schema),
        Route("/v1/vocabulary", words),
        job_route("/v1/check", "check"),
        job_route("/v1/fmt", "fmt"),
        job_route("/v1/score", "score", files=True),
        Route("/v1/score:batch", guarded(score_batch), methods=["POST"]),
        Route("/v1/score:file", guarded(score_file), methods=["POST"]),
        job_route("/v1/explain", "explain", files=True),
        job_route("/v1/report", "report", files=True),
        job_route("/v1/diff", "diff", files=True),
        job_route("/v1/test", "test"),
        Route("/v1/files", guarded(folder_files.listing)),
        Route("/v1/files/{name:anything}", guarded(folder_files.one), methods=["GET", "PUT"]),
        Mount("/static", GZipMiddleware(StaticFiles(directory=static_dir())), name="static"),  # 124 KiB gzip
    ]


def create_app(settings: Settings) -> Starlette:
    """The application over `settings.folder`; its worker processes live as long as the app runs."""
    folder = Folder.at(settings.folder, settings.read_only)
    folder_files.umask()  # read before any thread writes a file

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runner: Runner = (
            Pool(folder, settings.workers, settings.deadline, settings.queue)
            if settings.workers
            else Inline(folder, settings.deadline)
        )
        await runner.start()
        app.state.runner = runner
        try:
            yield
        finally:
            await runner.stop()

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={404: not_found, 405: not_found, Exception: server_error},
    )
    app.state.settings = settings
    app.state.folder = folder
    app.state.bodies = Bodies(settings.max_bodies)
    app.add_middleware(Limit, limit=settings.max_requests)
    app.add_middleware(Guard, host=settings.host, token=settings.token)  # outside: its headers on E977 too
    return app


__all__ = ["Settings", "create_app"]
