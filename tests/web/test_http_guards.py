"""What `jixiao serve` refuses, over real servers on 127.0.0.1: writes to a read-only server (every route
that writes, not only PUT), pages of other sites (a foreign Host or Origin: DNS rebinding), hidden files,
names no file can have, and diagnostics that would show where the served folder is on the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import (  # noqa: F401 (the session's server)
    Server,
    client_fixture,
    codes,
    copy_rulesets,
    failed,
    needs_web,
    openapi_fixture,
    seed_score_request,
    server_fixture,
    serving,
)

from jixiao.web.guard import host_name, served_names

pytestmark = needs_web

TEST = "shangjie-pension/2020.test.yaml"


@pytest.fixture(scope="module", name="read_only")
def read_only_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(copy_rulesets(tmp_path_factory.mktemp("read-only")), "--read-only") as running:
        yield running


def stale_expectation(server: Server) -> tuple[Path, str]:
    """The seed's test file with an expectation `update` would rewrite, and its text."""
    path = server.folder / TEST
    text = path.read_text(encoding="utf-8").replace('total: "99.31"', 'total: "99.99"')
    path.write_text(text, encoding="utf-8")
    return path, text


# -- read-only -----------------------------------------------------------------------------------------
def test_a_read_only_server_never_rewrites_a_test_file(read_only: Server, openapi: dict[str, Any]) -> None:
    path, text = stale_expectation(read_only)
    with read_only.client() as http:
        refused = http.post("/v1/test", json={"name": TEST, "update": True})
        failed(openapi, refused, 403, "E983")
        assert path.read_text(encoding="utf-8") == text
        ran = http.post("/v1/test", json={"name": TEST}).json()  # running the tests is still allowed
        assert ran["passed"] is False and ran["updated"] == 0
        assert http.get("/v1/files").json()["writable"] is False


def test_a_token_makes_test_updates_read_only_too(tmp_path: Path) -> None:
    token = tmp_path / "token.txt"
    token.write_text("s3cret\n", encoding="utf-8")
    with serving(copy_rulesets(tmp_path), "--token-file", str(token)) as server, server.client() as http:
        path, text = stale_expectation(server)
        allowed = {"Authorization": "Bearer s3cret"}
        refused = http.post("/v1/test", json={"name": TEST, "update": True}, headers=allowed)
        assert refused.status_code == 403 and codes(refused) == ["E983"]
        assert path.read_text(encoding="utf-8") == text


# -- other sites: DNS rebinding, cross-origin requests -------------------------------------------------
def test_a_foreign_host_is_refused_before_anything_is_read_or_written(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """A page of attacker.example whose name resolves to 127.0.0.1 reaches the server with its own Host."""
    port = httpx.URL(server.url).port
    foreign = {"Host": f"attacker.example:{port}"}
    listing = failed(openapi, client.get("/v1/files", headers=foreign), 421, "E973")
    assert "attacker.example" in listing["diagnostics"][0]["message"]
    failed(openapi, client.get("/v1/files/shangjie-pension/2020.jx", headers=foreign), 421, "E973")
    put = client.put("/v1/files/planted.jx", json={"text": "# planted\n", "base_hash": None}, headers=foreign)
    failed(openapi, put, 421, "E973")
    assert not (server.folder / "planted.jx").exists()
    assert client.get("/", headers={"Host": "127.0.0.1.attacker.example"}).status_code == 421
    for own in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost", f"[::1]:{port}", "LOCALHOST:1"):
        assert client.get("/v1/files", headers={"Host": own}).status_code == 200, own


def test_a_page_of_another_origin_cannot_change_anything(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    foreign = {"Origin": "http://attacker.example"}
    put = client.put("/v1/files/planted.jx", json={"text": "# planted\n", "base_hash": None}, headers=foreign)
    failed(openapi, put, 403, "E973")
    assert not (server.folder / "planted.jx").exists()
    for origin in ("http://attacker.example", "null", f"{server.url}.attacker.example"):
        scored = client.post(
            "/v1/score", json=seed_score_request(), headers={"Origin": origin, "Accept-Language": "en"}
        )
        body = failed(openapi, scored, 403, "E973")
        assert (
            "Origin" in body["diagnostics"][0]["message"]
            and "not this server" in body["diagnostics"][0]["message"]
        )
    assert (
        client.post("/v1/score", json=seed_score_request(), headers={"Origin": server.url}).status_code == 200
    )
    assert client.get("/v1/files", headers=foreign).status_code == 200  # reading: CORS keeps the answer


def test_host_names_and_what_is_served() -> None:
    assert [host_name(h) for h in ("[::1]:8765", "localhost:80", "127.0.0.1", "[::1]", "a:b:c")] == [
        "::1",
        "localhost",
        "127.0.0.1",
        "::1",
        "a:b:c",
    ]
    assert served_names("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert served_names("127.0.0.2") == {"127.0.0.1", "127.0.0.2", "localhost", "::1"}
    assert served_names("0.0.0.0") is None and served_names("::") is None
    assert served_names("10.0.0.5") == {"10.0.0.5"} and served_names("Jixiao.corp") == {"jixiao.corp"}
