"""Many connections, and slow ones, against a real server on 127.0.0.1 with a small waiting line.

uvicorn's `limit_concurrency` answered part of a crowd with its own plain-text 503 "Service Unavailable"
(no JSON, no E977, no Retry-After), and a connection sending a byte a second stayed open as long as it
liked: a hundred of them put the server into that plain-503 state. Now every refusal is JSON: 503 E977 with
Retry-After, or 408 E998 once a request's headers or body have been too slow (`web.limits`)."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from serving import Server, copy_rulesets, needs_web, serving

from jixiao.web.app import Settings
from jixiao.web.limits import CONNECTIONS_PER_REQUEST

pytestmark = needs_web

WAIT = 60.0  # seconds a socket waits at most for its answer (bounded, never asserted)
HEAD = b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"


@pytest.fixture(scope="module", name="server")
def server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = copy_rulesets(tmp_path_factory.mktemp("limits"))
    with serving(folder, "--workers", "1", "--queue", "1") as running:
        yield running


def port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """What the server answers before it closes the connection (status 0: closed without an answer)."""
    data = b""
    sock.settimeout(WAIT)
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    if not data:
        return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (f.split(":", 1) for f in fields)}
    return int(status_line.split()[1]), headers, body


def code(headers: dict[str, str], body: bytes) -> str:
    assert headers["content-type"].startswith("application/json"), (headers, body)
    found: str = json.loads(body)["diagnostics"][0]["code"]
    return found


def test_a_crowd_of_half_sent_requests_is_answered_with_json_only(server: Server) -> None:
    """More connections than the server holds, each with its headers and one byte of a 100-byte body: those
    past the limits get 503 E977 (with Retry-After) at once, those admitted 408 E998 when their body is too
    slow. Nothing is plain text, nothing stays open."""
    admitted = Settings(server.folder, workers=1, queue=1).max_requests
    crowd = admitted * CONNECTIONS_PER_REQUEST + 20
    sockets = []
    try:
        for _ in range(crowd):
            sock = socket.create_connection(("127.0.0.1", port(server)), timeout=WAIT)
            sockets.append(sock)
            try:
                sock.sendall(HEAD + b"{")
            except OSError:  # refused and closed before the request was written
                pass
        seen: Counter[tuple[int, str]] = Counter()
        for sock in sockets:
            status, headers, body = answer(sock)
            assert status != 0, "a connection was closed without an answer"
            seen[status, code(headers, body)] += 1
            if status == 503:
                assert headers["retry-after"] == "1", headers
            assert headers.get("connection") == "close" or status == 503, (status, headers, body)
    finally:
        for sock in sockets:
            sock.close()
    assert set(seen) == {(503, "E977"), (408, "E998")}, seen
    assert seen[408, "E998"] <= admitted, seen
    assert sum(seen.values()) == crowd


def test_slow_request_headers_are_408_and_the_connection_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", port(server)), timeout=WAIT) as sock:
        sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and no more
        status, headers, body = answer(sock)
    assert status == 408 and code(headers, body) == "E998", (status, body)
    assert "请求头" in json.loads(body)["diagnostics"][0]["message"]
    assert headers["connection"] == "close"


def test_a_connection_that_sends_nothing_is_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", port(server)), timeout=WAIT) as sock:
        assert answer(sock) == (0, {}, b"")


def test_a_slow_body_is_408_in_the_language_asked_for(server: Server) -> None:
    head = HEAD.replace(b"/v1/check", b"/v1/check?lang=en")
    with socket.create_connection(("127.0.0.1", port(server)), timeout=WAIT) as sock:
        sock.sendall(head + b"{")
        status, headers, body = answer(sock)
    assert status == 408 and code(headers, body) == "E998", (status, body)
    assert "request body did not arrive" in json.loads(body)["diagnostics"][0]["message"]
    assert headers["connection"] == "close"


def test_many_uploads_at_once_are_scored_or_refused_as_json(server: Server) -> None:
    """The tester's 50 uploads at once against one worker and a waiting line of 2: part of the 503s were
    uvicorn's plain text. Every answer is now 200 or 503 E977 as JSON with Retry-After."""
    actuals = (server.folder / "shangjie-pension" / "2020.actuals.csv").read_bytes()
    crowd = Settings(server.folder, workers=1, queue=1).max_requests + 14
    answers: list[tuple[int, str, str | None, bytes]] = []
    lock = threading.Lock()

    def send() -> None:
        with httpx.Client(base_url=server.url, timeout=WAIT) as http:
            response = http.post(
                "/v1/score:file",
                params={"ruleset": "shangjie-pension/2020.jx"},
                content=actuals,
                headers={"Content-Type": "text/csv"},
            )
        with lock:
            kind = response.headers.get("content-type", "")
            answers.append(
                (response.status_code, kind, response.headers.get("retry-after"), response.content)
            )

    threads = [threading.Thread(target=send) for _ in range(crowd)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == crowd
    for status, kind, retry, body in answers:
        assert kind.startswith("application/json"), (status, kind, body[:80])
        assert status in (200, 503), (status, body[:200])
        if status == 503:
            assert retry == "1" and json.loads(body)["diagnostics"][0]["code"] == "E977", body[:200]
    assert any(status == 200 for status, *_ in answers)
