"""A request whose body has two lengths (Content-Length and Transfer-Encoding: chunked) over a raw socket to
a real server on 127.0.0.1: h11 read it by Transfer-Encoding, answered it and kept the connection open for
whatever followed; a proxy in front reading Content-Length would see other requests in the same bytes
(request smuggling, RFC 9112 §6.1). Now 400 E993 and the connection closed: what follows is never read."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import Server, copy_rulesets, needs_web, serving

pytestmark = needs_web

BODY = b'{"ruleset": {"text": "\\u9879\\u76ee \\"x\\" {\\n}\\n"}}'
CHUNKED = f"{len(BODY):x}".encode() + b"\r\n" + BODY + b"\r\n0\r\n\r\n"
FOLLOWING = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"  # pipelined behind the first request
WAIT = 20.0  # seconds a test waits at most for the server to answer or close (bounded, never asserted)


@pytest.fixture(scope="module", name="server")
def server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(copy_rulesets(tmp_path_factory.mktemp("framing"))) as running:
        yield running


def port(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def request(headers: list[bytes], body: bytes, path: bytes = b"/v1/check") -> bytes:
    lines = [b"POST " + path + b" HTTP/1.1", b"Host: 127.0.0.1", b"Content-Type: application/json", *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def exchange(
    server: Server, raw: bytes, answers: int
) -> tuple[list[tuple[int, dict[str, str], bytes]], bool]:
    """`raw` sent on one connection: the answers read (up to `answers` of them) and whether the server
    then closed the connection (False: it was still open after the answers, or after `WAIT` seconds)."""
    read: list[tuple[int, dict[str, str], bytes]] = []
    data = b""
    with socket.create_connection(("127.0.0.1", port(server)), timeout=WAIT) as sock:
        sock.sendall(raw)
        end = time.monotonic() + WAIT
        closed = False
        while time.monotonic() < end:
            while b"\r\n\r\n" in data:
                head, rest = data.split(b"\r\n\r\n", 1)
                status_line, *fields = head.decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, v in (f.split(":", 1) for f in fields)}
                length = int(headers.get("content-length", "0"))
                if len(rest) < length:
                    break
                read.append((int(status_line.split()[1]), headers, rest[:length]))
                data = rest[length:]
            if len(read) >= answers:
                sock.settimeout(1.0)  # anything more, or the close, comes at once
            try:
                got = sock.recv(65536)
            except TimeoutError:
                break
            if not got:
                closed = True
                break
            data += got
    return read, closed


@pytest.mark.parametrize(
    "headers",
    [
        [b"Content-Length: 4", b"Transfer-Encoding: chunked"],
        [b"Transfer-Encoding: chunked", b"Content-Length: " + str(len(CHUNKED)).encode()],
        [b"content-length: 4", b"TRANSFER-ENCODING: CHUNKED"],
    ],
    ids=["length-first", "chunked-first", "any-case"],
)
def test_a_body_of_two_lengths_is_400_e993_and_the_connection_closed(
    server: Server, headers: list[bytes]
) -> None:
    answers, closed = exchange(server, request(headers, CHUNKED) + FOLLOWING, answers=2)
    assert len(answers) == 1, answers  # was 200 to /v1/check, then 200 to the request behind it
    status, fields, body = answers[0]
    assert status == 400, body
    assert fields["connection"] == "close" and fields["content-type"] == "application/json", fields
    diagnostic = json.loads(body)["diagnostics"][0]
    assert diagnostic["code"] == "E993" and "Content-Length" in diagnostic["message"], diagnostic
    assert "连接已关闭" in diagnostic["message"]
    assert closed, "the connection was left open"


def test_e993_speaks_the_query_language_and_refuses_before_the_route(server: Server) -> None:
    """In English for ?lang=en; on a path that is no endpoint as well (before routing, Host and token)."""
    for path in (b"/v1/check?lang=en", b"/v1/nonexistent?lang=en"):
        raw = request([b"Content-Length: 4", b"Transfer-Encoding: chunked"], CHUNKED, path)
        answers, closed = exchange(server, raw, answers=1)
        assert [a[0] for a in answers] == [400] and closed, answers
        message: str = json.loads(answers[0][2])["diagnostics"][0]["message"]
        assert message.startswith("the request carries both Content-Length and Transfer-Encoding"), message


def test_one_length_is_read_as_before_and_the_connection_kept(server: Server) -> None:
    """The fix refuses only the two together: chunked alone, or Content-Length alone, is answered and the
    request behind it on the same connection too."""
    for headers, body in (
        ([b"Transfer-Encoding: chunked"], CHUNKED),
        ([b"Content-Length: " + str(len(BODY)).encode()], BODY),
    ):
        answers, _ = exchange(server, request(headers, body) + FOLLOWING, answers=2)
        assert [a[0] for a in answers] == [200, 200], answers
        assert "connection" not in answers[0][1], answers[0][1]
        assert json.loads(answers[1][2]) == {"status": "ok"}


def test_refusing_it_leaves_no_traceback_in_the_log(tmp_path: Path) -> None:
    with serving(copy_rulesets(tmp_path)) as server:
        raw = request([b"Content-Length: 4", b"Transfer-Encoding: chunked"], CHUNKED)
        answers, closed = exchange(server, raw, answers=1)
        assert [a[0] for a in answers] == [400] and closed
        server.process.terminate()
        server.process.wait(10)
        assert server.process.stderr is not None
        log = server.process.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in log and "Exception" not in log, log
