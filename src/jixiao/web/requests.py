"""Reading requests and writing replies, shared by every route: type and size checked while streaming,
user errors as their diagnostics in JSON, in the caller's language (?lang=, else Accept-Language, else
the server's default)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import anyio
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from jixiao.diagnostics import Diagnostic, JixiaoError
from jixiao.messages import Lang
from jixiao.web.actuals import upload_too_large
from jixiao.web.adapter import Folder
from jixiao.web.jobs import Reply, error_reply
from jixiao.web.pool import busy

LOG = logging.getLogger("jixiao.web")
JSON_TYPES = ("application/json",)
BODY_GRACE = 10.0  # seconds a body may take whatever its size …
BODY_RATE = 16 * 1024  # … then bytes a second on average: 20 MiB in 21 minutes, one byte a second in 10 s
BOM = b"\xef\xbb\xbf"
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
    """?lang=, else the most preferred of Accept-Language's languages that is zh or en (by q, a q of 0
    meaning "not acceptable"), else the server's default (a body's `lang` comes before all of them:
    `jobs.run_job`). An unknown ?lang= is refused on an endpoint before its handler (`query_lang`, from
    `guard`); here it is passed over, so that the refusal itself, or a 404, can be answered."""
    chosen = language(request.query_params.get("lang", ""))
    if chosen is not None:
        return chosen
    for tag in accepted(request.headers.get("accept-language", "")):
        chosen = language(tag)
        if chosen is not None:
            return chosen
    default: Lang = request.app.state.settings.lang
    return default


def language(tag: str) -> Lang | None:
    """zh or en for a language tag whose primary language is one of them (`zh-CN`, `en-GB`), else None."""
    primary = tag.strip().lower().replace("_", "-").split("-")[0]
    return "en" if primary == "en" else "zh" if primary == "zh" else None


def accepted(header: str) -> list[str]:
    """Accept-Language's tags, most preferred first (ties keep their order), without those of q=0."""
    weighted: list[tuple[float, str]] = []
    for item in header.split(",")[:64]:  # a hostile header: a few dozen tags are plenty
        tag, *params = item.split(";")
        q = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0  # an unreadable weight: not a preference to act on
        if q > 0 and tag.strip():
            weighted.append((q, tag.strip()))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]


def query_lang(request: Request) -> Response | None:
    """E971 (422) for a ?lang= that is neither zh nor en, as a body's `"lang": "fr"` is (docs/http.md)."""
    given = request.query_params.get("lang")
    if given is None or language(given) is not None:
        return None
    reason = ("应为 zh 或 en", "should be zh or en")
    return problem("E971", lang_of(request), where="?lang=", problem=reason)


MAX_QUERY_REPORTED = 20  # problems named for one query string


def check_query(request: Request, known: tuple[str, ...]) -> None:
    """E971 (422) for each query parameter given twice (`?ruleset=a.jx&ruleset=b.jx`: every reader takes
    one of them without a word, so the request would be answered for a ruleset the caller did not mean)
    and each one the endpoint does not know (`?ruleset-hash=…`: a pin spelt wrong was dropped, and the
    request scored against whatever the ruleset is now). `lang` is known everywhere."""
    allowed = {"lang", *known}
    counts: dict[str, int] = {}
    for key, _ in request.query_params.multi_items():
        counts[key] = counts.get(key, 0) + 1
    found: list[Diagnostic] = []
    for key, count in counts.items():
        shown = f"?{key[:60]}{'…' if len(key) > 60 else ''}="
        if key not in allowed:
            names = "、".join(sorted(allowed)), ", ".join(sorted(allowed))
            reason = (f"不认识的参数（可用的参数：{names[0]}）", f"an unknown parameter (known: {names[1]})")
        elif count > 1:
            times = "两" if count == 2 else f" {count} "
            reason = (
                f"这个参数写了{times}次，只能写一次",
                f"this parameter is given {count} times, once at most",
            )
        else:
            continue
        found.append(Diagnostic("E971", None, {"where": shown, "problem": reason}))
        if len(found) >= MAX_QUERY_REPORTED:
            break
    if found:
        raise JixiaoError(found)


def reply(result: Reply) -> Response:
    return Response(result.body, result.status, result.headers, media_type=result.media_type)


def problem(code: str, lang: Lang, **args: object) -> Response:
    return reply(error_reply([Diagnostic(code, None, dict(args))], lang))


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, types: tuple[str, ...], limit: int) -> bytes:
    """The body, if its type is one of `types`, counting streamed bytes against `limit` (E972, E970)."""
    body = await _read(request, types, limit, limit)
    assert body is not None  # a body over `limit` is E970
    return body


async def read_small_body(request: Request, types: tuple[str, ...], limit: int, cap: int) -> bytes | None:
    """As `read_body`, but None (the rest left unread) once the body is over `cap` bytes: what a busy
    server reads of a request it will refuse (`pool.refuse`). Its type and limit are checked first."""
    return await _read(request, types, limit, cap)


class Bodies:
    """The bytes of request bodies the server holds at once — being read, waiting for a worker, being
    scored — at most `limit` of them: each body's own limit times the waiting line (64 requests of 30 MB
    each) would be gigabytes, from anyone who may send requests. Bytes are counted as they arrive, not
    by a declared Content-Length (a dozen idle connections declaring 20 MB each would otherwise lock
    everyone out); a chunk that would pass the limit is refused with E977 (503, try again later:
    `OverBudget`); a request gives its bytes back when it is answered (`guarded`). Used on the event
    loop only (no lock)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.held = limit, 0

    def take(self, request: Request, size: int) -> None:
        if self.held + size > self.limit:
            raise OverBudget
        self.held += size
        request.state.held = getattr(request.state, "held", 0) + size

    def give_back(self, request: Request) -> None:
        self.held -= getattr(request.state, "held", 0)
        request.state.held = 0


class OverBudget(Exception):
    """A body the server cannot hold now (`Bodies`): E977, as when every worker is busy."""


async def _read(request: Request, types: tuple[str, ...], limit: int, cap: int) -> bytes | None:
    kind = content_type(request)
    if kind not in types:
        raise JixiaoError.single("E972", None, got=kind or "—", expected=" / ".join(types))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(types, limit)
    if declared.isdigit() and int(declared) > cap:
        return None
    bodies: Bodies = request.app.state.bodies
    chunks, size = [], 0
    start = time.monotonic()
    stream = request.stream().__aiter__()
    try:
        while True:
            allowed = start + BODY_GRACE + size / BODY_RATE - time.monotonic()
            try:
                with anyio.fail_after(max(allowed, 0.001)):
                    chunk = await stream.__anext__()
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise TooSlow(time.monotonic() - start) from None
            size += len(chunk)
            if size > limit:
                raise too_large(types, limit)
            if size > cap:
                return None
            bodies.take(request, len(chunk))  # what arrived: a length declared and never sent holds nothing
            chunks.append(chunk)
    except ClientDisconnect:  # nobody to answer: one line in the log, not an application's traceback
        raise Gone from None
    body = b"".join(chunks)
    if kind in JSON_TYPES and body.startswith(BOM):  # RFC 8259 §8.1: may be ignored; Notepad writes one
        body = body[len(BOM) :]
    return body


JSON_ADVICE = (
    "把批量评分分成几次提交；JSON 请求的上限可在启动 jixiao serve 时用 --max-body 调大，"
    "上传的文件最大 20 MiB",
    "split the batch into several requests; the limit of JSON requests is raised with jixiao serve "
    "--max-body, an uploaded file may be at most 20 MiB",
)


def too_large(types: tuple[str, ...], limit: int) -> JixiaoError:
    """E970: a JSON request (split the batch) or an uploaded file (make it smaller) past its limit."""
    if types == JSON_TYPES:
        return JixiaoError.single(
            "E970", None, what=("请求内容", "the request"), limit=_size(limit), advice=JSON_ADVICE
        )
    return upload_too_large(_size(limit))


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:.3g} MiB" if limit >= 1024 * 1024 else f"{limit} B"


class TooSlow(Exception):
    """A body that did not arrive in time (`BODY_GRACE`, then `BODY_RATE`): 408 E998, the connection closed
    (the rest of the body is never read). One byte a second held a connection as long as the client liked."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Gone(Exception):
    """The client went away before its request's body was complete (`guarded` answers no one)."""


Handler = Callable[[Request], Awaitable[Response]]


def guarded(handler: Handler) -> Handler:
    """User errors raised while reading a request become their diagnostics as JSON."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except OverBudget:
            LOG.info(
                "jixiao serve: %s %s: request bodies held pass the limit: 503",
                request.method,
                request.url.path,
            )
            return reply(busy("", None, lang_of(request)))
        except TooSlow as slow:
            LOG.info(
                "jixiao serve: %s %s: the body arrived too slowly: 408", request.method, request.url.path
            )
            what = ("请求体", "request body")
            response = problem("E998", lang_of(request), what=what, seconds=f"{slow.seconds:.0f}")
            response.headers["Connection"] = "close"
            return response
        except Gone:
            client = request.client.host if request.client else "?"
            LOG.info(
                "jixiao serve: %s %s: the client (%s) went away before sending its whole request",
                request.method,
                request.url.path,
                client,
            )
            return Response(status_code=400)  # sent to no one; uvicorn drops it quietly
        except JixiaoError as exc:  # named as the user sees them: no server path leaves the server
            folder: Folder = request.app.state.folder
            return reply(error_reply(folder.shown(exc.diagnostics), lang_of(request)))
        finally:
            request.app.state.bodies.give_back(request)

    return run
