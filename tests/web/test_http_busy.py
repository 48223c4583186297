"""A saturated server (every worker busy, the waiting line full) refuses a request with 503 E977 before it
reads a large body: up to ~30 MB was read, then parsed and validated on the event loop (every other client
waited meanwhile) only to be refused. A small body is still read, so that a malformed one is 422 E971."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from pathlib import Path
from typing import Any

import httpx
from serving import codes, copy_rulesets, needs_web, seed_score_request, serving

from jixiao.messages import Lang
from jixiao.web.adapter import Folder
from jixiao.web.app import Settings, create_app
from jixiao.web.jobs import Reply
from jixiao.web.pool import BUSY_BODY, Pool, busy

pytestmark = needs_web

LARGE = 25 * 1024 * 1024  # declared; under the JSON-with-files limit (about 30.7 MiB), far over BUSY_BODY


class Stub:
    """A runner, full (no slot free) or not, recording what reached it: the name of each job and its
    body's size; a free one answers every job at once (200)."""

    def __init__(self, full: bool) -> None:
        self.is_full = full
        self.ran: list[str] = []
        self.sizes: list[int] = []

    async def start(self) -> None:
        return None

    def full(self) -> bool:
        return self.is_full

    async def run(self, name: str, payload: bytes | dict[str, Any], lang: Lang) -> Reply:
        self.ran.append(name)
        self.sizes.append(len(payload) if isinstance(payload, bytes) else 0)
        return busy(name, payload, lang) if self.is_full else Reply(200, b"{}")

    async def stop(self) -> None:
        return None


Answer = tuple[int, dict[str, str], bytes]


async def posted(
    app: Any, path: str, headers: dict[str, str], parts: list[bytes], gate: asyncio.Event | None = None
) -> Answer:
    """`path` POSTed to the ASGI app, its body sent in `parts`, the last once `gate` is set (if given);
    the rest of a body longer than the parts (by its Content-Length) never comes: an application that
    waits for it never answers (the bound fails it)."""
    sent: dict[str, Any] = {"body": b""}
    declared = int(headers.get("content-length", sum(map(len, parts))))
    waiting, stalled = list(parts), asyncio.Event()

    async def receive() -> dict[str, Any]:
        if not waiting:
            await stalled.wait()  # the rest of the body never comes
            return {"type": "http.disconnect"}
        part = waiting.pop(0)
        if gate is not None and not waiting:
            await gate.wait()
        more = bool(waiting) or sum(map(len, parts)) < declared
        return {"type": "http.request", "body": part, "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")

    path_only, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path_only,
        "raw_path": path_only.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1"), *((k.encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await asyncio.wait_for(app(scope, receive, send), 60)  # a bound for the old code, not a timing
    return sent["status"], sent["headers"], sent["body"]


def call(app: Any, path: str, headers: dict[str, str], first: bytes) -> Answer:
    """`path` POSTed with `first` as the first part of its body, the rest never sent (`posted`)."""
    return asyncio.run(posted(app, path, headers, [first]))


def test_a_full_server_refuses_a_large_body_without_reading_it(tmp_path: Path) -> None:
    app = create_app(Settings(folder=copy_rulesets(tmp_path), workers=0))
    app.state.runner = runner = Stub(full=True)
    large = {"content-type": "application/json", "content-length": str(LARGE)}
    status, headers, body = call(app, "/v1/score", large, b'{"ruleset": {"name": "a.jx"}, "actuals": ')
    assert status == 503 and headers["retry-after"] == "1", body
    assert [d["code"] for d in json.loads(body)["diagnostics"]] == ["E977"]
    english = call(app, "/v1/score?lang=en", large, b"{")[2]
    assert "busy" in json.loads(english)["diagnostics"][0]["message"]
    upload = {"content-type": "text/csv", "content-length": str(15 * 1024 * 1024)}  # the limit is 20 MiB
    status, _, body = call(app, "/v1/score:file?ruleset=a.jx", upload, "指标,实际完成值\n".encode())
    assert status == 503 and [d["code"] for d in json.loads(body)["diagnostics"]] == ["E977"]
    # the cheap answers still come first: a body over the limit, a body of another type
    status, _, body = call(app, "/v1/score", {**large, "content-length": str(64 * 1024 * 1024)}, b"{")
    assert status == 413 and b"E970" in body
    status, _, body = call(app, "/v1/check", {**large, "content-type": "text/plain"}, b"{")
    assert status == 415 and b"E972" in body
    assert runner.ran == []  # refused by the handler, before the body was read


def test_a_full_server_still_reads_a_small_body_to_say_it_is_malformed(tmp_path: Path) -> None:
    app = create_app(Settings(folder=copy_rulesets(tmp_path), workers=0))
    app.state.runner = Stub(full=True)
    small = b'{"ruleset": {'
    json_type = {"content-type": "application/json", "content-length": str(len(small))}
    status, headers, body = call(app, "/v1/check", json_type, small)
    assert status == 422 and b"E971" in body and "retry-after" not in headers
    fine = json.dumps({"ruleset": {"name": "a.jx"}, "lang": "en"}).encode()
    status, headers, body = call(app, "/v1/check", {**json_type, "content-length": str(len(fine))}, fine)
    assert status == 503 and headers["retry-after"] == "1" and b"busy" in body  # the body's lang


def test_busy_validates_no_large_body() -> None:
    """A body over BUSY_BODY that reached a runner just filled up (read while a slot was free) is
    refused as it is, not parsed: it would be 422 if it were."""
    broken = b'{"ruleset": {' + b" " * BUSY_BODY
    assert busy("check", broken, "zh").status == 503
    assert busy("check", broken[: BUSY_BODY - 1], "zh").status == 422
    upload = {"ruleset": "a.jx", "format": "nonsense", "data": b"x" * (BUSY_BODY + 1), "batch": False}
    assert busy("score_file", upload, "zh").status == 503
    assert busy("score_file", {**upload, "data": b"x"}, "zh").status == 422


def test_a_saturated_server_answers_large_requests_at_once_and_others_meanwhile(tmp_path: Path) -> None:
    """On 127.0.0.1: the one worker held by a long batch, clients declaring 25 MB bodies of which they
    send 1 KiB get 503 E977 without sending the rest, while /health answers; a small malformed body is
    still 422. Bounded loops only; nothing is timed."""
    big = {"ruleset": {"name": "shangjie-pension/2020.jx"}}
    big["inputs"] = {str(i): {"name": "shangjie-pension/2020.actuals.csv"} for i in range(10_000)}  # type: ignore[assignment]
    folder = copy_rulesets(tmp_path)
    with (
        serving(folder, "--workers", "1", "--queue", "0", "--deadline", "60") as server,
        server.client() as http,
    ):
        port = int(server.url.rsplit(":", 1)[1])

        def hold() -> None:  # the batch, again if a probe held the worker when it came (bounded)
            try:
                for _ in range(50):
                    if http.post("/v1/score:batch", json=big).status_code != 503:
                        return
            except httpx.TransportError:  # the server stopped at the end of the test
                return

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        for _ in range(200):  # until the batch holds the worker
            holder.join(0.2)
            if http.post("/v1/score", json=seed_score_request()).status_code == 503:
                break
        else:
            raise AssertionError("the server never became busy")
        sockets = []
        for _ in range(8):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(
                b"POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {LARGE}\r\n\r\n".encode()
                + b'{"ruleset": {"name": "x.jx"}, "actuals": {"rows": ['
                + b" " * 1024
            )
            sockets.append(sock)
        assert http.get("/health").status_code == 200
        for sock in sockets:
            with sock:
                answer = b""
                while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                    chunk = sock.recv(65536)  # the old server waited for the 25 MB: 30 s, then a timeout
                    if not chunk:
                        break
                    answer += chunk
            assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
            assert b"E977" in answer and b"retry-after: 1" in answer.lower()
        malformed = http.post(
            "/v1/check", content=b'{"ruleset": {', headers={"Content-Type": "application/json"}
        )
        assert malformed.status_code == 422 and codes(malformed) == ["E971"]
        whole = http.post(
            "/v1/score",
            content=b'{"ruleset": {"name": "x.jx"}, "pad": "' + b"x" * (LARGE - 64) + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert whole.status_code == 503 and codes(whole) == ["E977"]


def test_the_bodies_a_server_holds_at_once_are_bounded(tmp_path: Path) -> None:
    """Request bodies held at once (being read, waiting, scored) count against `max_bodies` as their bytes
    arrive: a request that would pass it is 503 E977 (try again); a declared length never sent holds
    nothing; the bytes are given back when a request is answered. Each body's own limit times the
    waiting line was gigabytes from anyone."""
    app = create_app(Settings(folder=copy_rulesets(tmp_path), workers=0, max_bodies=100_000))
    app.state.runner = runner = Stub(full=False)
    bodies = app.state.bodies

    async def post(size: int, first: int | None = None, gate: asyncio.Event | None = None) -> Answer:
        """A JSON body of `size` bytes (its length declared), its first `first` bytes sent before `gate`."""
        body = b'{"pad": "' + b"x" * (size - 11) + b'"}'
        headers = {"content-type": "application/json", "content-length": str(len(body))}
        parts = [body[:first], body[first:]] if first is not None else [body]
        return await posted(app, "/v1/check", headers, parts, gate)

    async def scenario() -> None:
        gate = asyncio.Event()
        held = asyncio.create_task(post(90_000, first=80_000, gate=gate))
        for _ in range(1000):  # until the first request holds the 80,000 bytes it sent (bounded)
            if bodies.held:
                break
            await asyncio.sleep(0.01)
        assert bodies.held == 80_000
        status, headers, body = await post(40_000)  # would pass 100,000
        assert status == 503 and headers["retry-after"] == "1"
        assert [d["code"] for d in json.loads(body)["diagnostics"]] == ["E977"]
        idle = asyncio.create_task(
            post(15_000, first=0, gate=asyncio.Event())
        )  # its length said, nothing sent
        await asyncio.sleep(0.05)
        assert (await post(10_000))[0] == 200  # room for this one: the idle request holds nothing
        assert bodies.held == 80_000  # each answered request gave its bytes back
        gate.set()
        assert (await held)[0] == 200
        assert bodies.held == 0
        idle.cancel()

    asyncio.run(scenario())
    assert runner.sizes == [10_000, 90_000]


def test_a_request_that_waits_past_the_deadline_is_504_e994(tmp_path: Path) -> None:
    """The deadline is the request's (docs/http.md: 超过 --deadline 秒的请求得到 504): one still waiting
    for a worker when it passes was 503 E977 ("busy, retry in 1 s", after the whole deadline). Now 504
    E994, in the request's language, and not E976 (nothing ran, nothing was stopped). A pool with no
    worker started: every request waits (the 0.2 s deadline bounds the test)."""
    pool = Pool(Folder.at(copy_rulesets(tmp_path), False), size=1, deadline=0.2, queue=4)

    async def waiting() -> list[Reply]:
        upload = {"ruleset": "shangjie-pension/2020.jx", "data": b"x" * 100_000, "batch": False, "lang": "en"}
        return [
            await pool.run("score", json.dumps(seed_score_request()).encode(), "zh"),
            await pool.run("score_file", upload, "en"),
        ]

    for reply, lang in zip(asyncio.run(waiting()), ("zh", "en"), strict=True):
        assert reply.status == 504 and "Retry-After" not in reply.headers, reply
        diagnostic = json.loads(reply.body)["diagnostics"][0]
        assert diagnostic["code"] == "E994", diagnostic
        assert ("等待评分进程超过时限 0.2 秒" if lang == "zh" else "waited longer than 0.2 s") in diagnostic[
            "message"
        ]
    assert not pool.full()  # the requests that gave up left the line
