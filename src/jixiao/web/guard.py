"""What every request passes before a route sees it (pure ASGI middleware), and what every answer carries.

- **Host** (DNS rebinding): a page of attacker.example whose name is made to resolve to 127.0.0.1 reaches
  the server with `Host: attacker.example`. On a loopback address only the loopback names (and the bound
  address) are served, on any port (an SSH tunnel may change it); off loopback, the address given to
  `--host` unless it is a wildcard (0.0.0.0, ::), where the token is what guards. Otherwise E973 (421).
- **Origin**: a request that may change something (not GET, HEAD or OPTIONS) sent by a page of another
  origin is E973 (403); browsers always name the page's origin on such requests.
- **Token**: with `--token-file`, /v1 needs `Authorization: Bearer …` (E985, 401; the scheme in any case).
  The page is then a note that this server is API-only (`app.index`): the workbench cannot send a token.
- **Framing** (request smuggling, RFC 9112 §6.1): a request with both `Content-Length` and
  `Transfer-Encoding` has a body whose length is read one way here and maybe another way by a proxy in
  front; h11 takes Transfer-Encoding and keeps the connection open for the next request. E993 (400) before
  anything else, its body unread, and `Connection: close`: the bytes after it are never read as a request.
- **?lang=**: on an endpoint of /v1, one that is neither zh nor en is E971 (422); a path that is no endpoint
  is 404 E981 and a method it does not accept 405 E991 whatever the query (routing comes first).

Refusals are diagnostics as JSON, in the language of `?lang=`, `Accept-Language` or the server's default.
Every answer carries `X-Jixiao-Version` and the safety headers (a strict Content-Security-Policy).
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao import __version__
from jixiao.web.requests import lang_of, problem, query_lang

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def served_names(host: str) -> frozenset[str] | None:
    """The host names a request may give for a server bound to `host`; None: any (a wildcard address)."""
    host = host.strip("[]").lower()
    if is_loopback(host):
        return LOOPBACK_NAMES | {host}
    return None if host in WILDCARDS else frozenset({host})


def host_name(value: str) -> str:
    """The name in a Host header, without its port: `[::1]:8765` → `::1`, `localhost:8765` → `localhost`."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        return name if rest == "" or (rest.startswith(":") and rest[1:].isdigit()) else value
    name, colon, port = value.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else value


class Guard:
    """Host, Origin and token checks before the app; version and safety headers on every answer."""

    def __init__(self, app: ASGIApp, host: str, token: str | None) -> None:
        self.app, self.names, self.token = app, served_names(host), token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = framing(request) or self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, with_headers(send))
            return
        await self.app(scope, receive, with_headers(send))

    def _refusal(self, request: Request) -> Response | None:
        host = request.headers.get("host")
        if host is not None and self.names is not None and host_name(host) not in self.names:
            return refused(request, "Host", host, 421)
        origin = request.headers.get("origin")
        if request.method not in SAFE_METHODS and origin is not None:
            own = f"{request.url.scheme}://{host or ''}".lower()
            if host is None or origin.strip().lower() != own:
                return refused(request, "Origin", origin, 403)
        if self.token and request.url.path.startswith("/v1/") and not self._authorized(request):
            response = problem("E985", lang_of(request))
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        if request.url.path.startswith("/v1/") and routed(request.scope):
            return query_lang(request)
        return None

    def _authorized(self, request: Request) -> bool:
        """`Authorization: Bearer TOKEN`, the scheme in any case (`bearer`, RFC 7235 §2.1)."""
        scheme, _, given = request.headers.get("authorization", "").strip().partition(" ")
        expected = (self.token or "").encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("latin-1"), expected)


def framing(request: Request) -> Response | None:
    """E993 (400, the connection closed) for a request whose body has two lengths: Content-Length and
    Transfer-Encoding both given (RFC 9112 §6.1: the server must close the connection after answering)."""
    names = {name for name, _ in request.scope["headers"]}
    if not {b"content-length", b"transfer-encoding"} <= names:
        return None
    response = problem("E993", lang_of(request))
    response.headers["Connection"] = "close"
    return response


def routed(scope: Scope) -> bool:
    """Whether an endpoint of the application accepts this path and method: only then is the query read
    (an unknown ?lang= on a path that is no endpoint was 422 E971 instead of 404 E981)."""
    routes = getattr(scope.get("app"), "routes", ())
    return any(route.matches(scope)[0] is Match.FULL for route in routes)


def refused(request: Request, header: str, value: str, status: int) -> Response:
    response = problem("E973", lang_of(request), header=header, value=value)
    response.status_code = status
    return response


def with_headers(send: Send) -> Send:
    """`send` adding the version and safety headers to the start of the answer."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [
                *message.get("headers", []),
                (b"x-jixiao-version", __version__.encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"content-security-policy", CSP.encode()),
                (b"referrer-policy", b"no-referrer"),
            ]
        await send(message)

    return sending


__all__ = ["CSP", "Guard", "framing", "host_name", "is_loopback", "routed", "served_names"]
