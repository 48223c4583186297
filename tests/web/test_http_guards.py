"""What `jixiao serve` refuses, over real servers on 127.0.0.1: writes to a read-only server (every route
that writes, not only PUT), pages of other sites (a foreign Host or Origin: DNS rebinding), hidden files,
names no file can have, and diagnostics that would show where the served folder is on the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import (  # noqa: F401 (the session's server)
    Server,
    client_fixture,
    codes,
    copy_rulesets,
    failed,
    needs_web,
    openapi_fixture,
    server_fixture,
    serving,
)

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
