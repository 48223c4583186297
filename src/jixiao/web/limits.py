"""How many requests and connections the server holds at once, and how long a request may take to arrive.

Every refusal is jixiao's JSON, never the HTTP layer's plain text:

- **Requests** (`Limit`, ASGI middleware): at most `Settings.max_requests` requests are inside the
  application at once — reading their bodies, waiting for a worker, being scored. One more is 503 E977
  with Retry-After at once, its body unread. uvicorn's own `limit_concurrency` answered the same case with
  a plain-text "Service Unavailable" and no Retry-After, before jixiao's busy check; it is not used.
- **Connections** (`protocol`, uvicorn's h11 protocol with two additions): a connection opened while
  `max_connections` are open is answered 503 E977 (as JSON, in the server's language: nothing of the
  request has been read) and closed at once, so that idle and half-sent connections cannot pile up.
- **Request headers** must arrive within `HEADER_SECONDS` of the connection being opened or the last
  answer on it (a client sending one byte a second held a connection for as long as it liked): then 408
  E998 with `Connection: close` if some of the request had arrived, else the connection is closed. The
  **body** is bounded while it is read (`requests._read`: `BODY_GRACE` seconds, then at least `BODY_RATE`
  bytes a second on average), also 408 E998.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from jixiao import __version__
from jixiao.diagnostics import Diagnostic
from jixiao.messages import Lang
from jixiao.web.jobs import Reply, error_reply
from jixiao.web.pool import busy
from jixiao.web.requests import BODY_GRACE, BODY_RATE, lang_of, reply

HEADER_SECONDS = 10.0  # for a request's line and headers
LINGER_SECONDS = 2.0  # a refused connection stays half-open so that its answer is read, not reset
CONNECTIONS_PER_REQUEST = 3  # open connections (idle, half-sent, refused) per request admitted


class Limit:
    """503 E977 for a request past `limit` being answered at once (its body unread)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit, self.inside = app, limit, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.inside >= self.limit:
            refusal = reply(busy("", None, lang_of(Request(scope))))
            await refusal(scope, receive, send)
            return
        self.inside += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.inside -= 1


def raw_answer(answer: Reply, reason: str) -> bytes:
    """A whole HTTP/1.1 answer of a JSON reply (its own headers too: Retry-After of E977), closing the
    connection: written to the socket where no request was read (h11 answers only a request it parsed)."""
    data = answer.body.encode() if isinstance(answer.body, str) else answer.body
    headers = [
        f"HTTP/1.1 {answer.status} {reason}",
        f"Content-Type: {answer.media_type}",
        f"Content-Length: {len(data)}",
        "Connection: close",
        f"X-Jixiao-Version: {__version__}",
        "X-Content-Type-Options: nosniff",
        *(f"{name}: {value}" for name, value in answer.headers.items()),
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + data


def protocol(max_connections: int, lang: Lang) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol refusing connections past `max_connections` and slow request headers."""
    full = raw_answer(busy("", None, lang), "Service Unavailable")  # the pool's own E977, Retry-After and all
    waited: dict[str, object] = {"what": ("请求头", "request headers"), "seconds": f"{HEADER_SECONDS:g}"}
    slow = raw_answer(error_reply([Diagnostic("E998", None, waited)], lang), "Request Timeout")

    class Protocol(H11Protocol):
        header_timer: asyncio.TimerHandle | None = None
        lingering = (
            False  # answered and closing: what the client still sends is dropped (`_answer_and_close`)
        )
        refused = 0  # connections refused or timed out that are still lingering (class-wide)

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= max_connections:
                self.transport = transport
                self._answer_and_close(full)
                return
            super().connection_made(transport)
            self._wait_for_headers()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._wait_for_headers()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            if self.lingering:
                self.lingering = False
                type(self).refused -= 1
            if self.flow is None:  # refused in `connection_made`: uvicorn never knew it
                return
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self.lingering:
                return
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # the headers are in: the body is the app's to time
                self._stop_waiting()

        def _answer_and_close(self, answer: bytes) -> None:
            """Write `answer`, end our side, and close a moment later, dropping what still arrives: closing
            at once with unread bytes makes the system send a reset, which may discard the answer."""
            self.transport.write(answer)
            if (
                len(self.connections) + type(self).refused >= 2 * max_connections
                or not self.transport.can_write_eof()
            ):
                self.transport.close()
                return
            self.transport.write_eof()
            self.lingering = True
            type(self).refused += 1
            self.loop.call_later(LINGER_SECONDS, self.transport.close)

        def _wait_for_headers(self) -> None:
            self._stop_waiting()
            self.header_timer = self.loop.call_later(HEADER_SECONDS, self._headers_too_slow)

        def _stop_waiting(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _headers_too_slow(self) -> None:
            self.header_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            started = bool(self.conn.trailing_data[0])  # some of a request arrived: say why it is dropped
            if started and self.conn.our_state is h11.IDLE:
                self._answer_and_close(slow)
            else:
                self.transport.close()

    return Protocol


def uvicorn_options(max_requests: int, lang: Lang) -> dict[str, Any]:
    """What `uvicorn.Config` is given: jixiao's protocol, and no plain-text 503 of uvicorn's own."""
    return {"http": protocol(max_requests * CONNECTIONS_PER_REQUEST, lang), "limit_concurrency": None}


__all__ = ["BODY_GRACE", "BODY_RATE", "HEADER_SECONDS", "Limit", "protocol", "raw_answer", "uvicorn_options"]
