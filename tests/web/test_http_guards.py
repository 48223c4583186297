"""What `jixiao serve` refuses, over real servers on 127.0.0.1: writes to a read-only server (every route
that writes, not only PUT), pages of other sites (a foreign Host or Origin: DNS rebinding), hidden files,
names no file can have, diagnostics that would show where the served folder is on the server, and a batch
key two projects would share."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from seedfiles import HEADER, LINES
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

from jixiao.web.files import write_atomic
from jixiao.web.guard import host_name, served_names

pytestmark = needs_web

TEST = "shangjie-pension/2020.test.yaml"
SEED = "shangjie-pension/2020.jx"
ACTUALS = "shangjie-pension/2020.actuals.csv"


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


# -- names: hidden files, names no file can have, server paths -----------------------------------------
def test_hidden_files_are_never_read_written_or_scored(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    (server.folder / ".env").write_text("SECRET=hunter2\n", encoding="utf-8")
    (server.folder / ".git").mkdir(exist_ok=True)
    (server.folder / ".git" / "config").write_text("[remote]\nurl = secret\n", encoding="utf-8")
    (server.folder / ".git" / "x.jx").write_bytes((server.folder / SEED).read_bytes())
    (server.folder / ".git" / "x.csv").write_bytes((server.folder / ACTUALS).read_bytes())
    for name in (".env", ".git/config", ".git/x.jx", "shangjie-pension/../.env"):
        failed(openapi, client.get(f"/v1/files/{name}"), 404, "E974")
    put = client.put("/v1/files/.git/hooks.jx", json={"text": "x", "base_hash": None})
    failed(openapi, put, 404, "E974")
    assert not (server.folder / ".git" / "hooks.jx").exists()
    for request in (
        {"ruleset": {"name": ".git/x.jx"}, "actuals": {"name": ACTUALS}},
        {"ruleset": {"name": SEED}, "actuals": {"name": ".git/x.csv"}},
        {"ruleset": {"name": SEED}, "actuals": {"name": ".env"}},
    ):
        response = client.post("/v1/score", json=request)
        failed(openapi, response, 404, "E974")
        assert "hunter2" not in response.text
    failed(openapi, client.post("/v1/test", json={"name": ".git/x.test.yaml"}), 404, "E974")
    test = server.folder / "shangjie-pension" / "hidden.test.yaml"
    (server.folder / "shangjie-pension" / ".env").write_text(
        "三级指标,实际完成值\n秘密,1\n", encoding="utf-8"
    )
    test.write_text(
        'ruleset: 2020.jx\ncases:\n  - name: 藏\n    actuals: .env\n    expect:\n      total: "1"\n',
        encoding="utf-8",
    )
    response = client.post("/v1/test", json={"name": "shangjie-pension/hidden.test.yaml"})
    failed(openapi, response, 404, "E974")
    assert "秘密" not in response.text
    assert not any(f["name"].startswith(".") for f in client.get("/v1/files").json()["files"])


def test_no_diagnostic_names_where_the_folder_is_on_the_server(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    openpyxl.Workbook().save(server.folder / "all.xlsx")
    (server.folder / "gbk.csv").write_bytes("三级指标\n".encode("utf-16"))
    for name in ("all.xlsx", "gbk.csv"):
        response = client.get(f"/v1/files/{name}")
        assert 400 <= response.status_code < 500, response.text
        assert str(server.folder) not in response.text and server.folder.name not in response.text
        assert response.json()["diagnostics"], response.text


NUL = "a\u0000b.jx"


def test_names_no_file_can_have_are_not_found_never_a_crash(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    long = "a" * 300 + ".jx"
    for name in ("a%00b.jx", long, f"{long}/{long}"):
        failed(openapi, client.get(f"/v1/files/{name}"), 404, "E974")
    for endpoint, request in (
        ("/v1/score", {"ruleset": {"name": NUL}, "actuals": {"name": ACTUALS}}),
        ("/v1/score", {"ruleset": {"name": long}, "actuals": {"name": ACTUALS}}),
        ("/v1/score", {"ruleset": {"name": SEED}, "actuals": {"name": NUL}}),
        ("/v1/score", {"ruleset": {"name": NUL, "text": "项目 {"}, "actuals": {"name": ACTUALS}}),
        ("/v1/test", {"name": NUL}),
        ("/v1/test", {"name": long}),
        ("/v1/diff", {"old": {"name": NUL}, "new": {"name": SEED}}),
    ):
        failed(openapi, client.post(endpoint, json=request), 404, "E974")
    checked = client.post("/v1/check", json={"ruleset": {"name": NUL}})
    assert checked.status_code == 200 and [d["code"] for d in checked.json()["diagnostics"]] == ["E974"]
    upload = client.post(
        "/v1/score:file",
        params={"ruleset": "a\u0000.jx"},
        content=(server.folder / ACTUALS).read_bytes(),
        headers={"content-type": "text/csv"},
    )
    failed(openapi, upload, 404, "E974")
    failed(openapi, client.put("/v1/files/a%00b.jx", json={"text": "x", "base_hash": None}), 404, "E974")


def test_saving_where_no_file_can_be_says_why_and_leaves_nothing_behind(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    (server.folder / "dir.jx").mkdir(exist_ok=True)
    before = sorted(p.name for p in server.folder.iterdir())
    save = {"text": "x", "base_hash": None}
    for name, reason in (
        (f"{SEED}/x.jx", "“shangjie-pension/2020.jx” is a file"),
        ("dir.jx", "it is a folder"),
        ("b" * 300 + ".jx", "the name is too long"),
    ):
        response = client.put(f"/v1/files/{name}", json=save, headers={"Accept-Language": "en"})
        body = failed(openapi, response, 403, "E983")
        assert reason in body["diagnostics"][0]["message"], body
    assert sorted(p.name for p in server.folder.iterdir()) == before
    assert not list((server.folder / "dir.jx").iterdir()) and (server.folder / SEED).is_file()


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "dir.jx").mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path / "dir.jx", "x")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["dir.jx"]


# -- batches: one key, one project ---------------------------------------------------------------------
def test_a_key_two_projects_would_share_is_an_error_never_a_dropped_project(
    tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """Input X is a workbook with sheets 甲项目 and 乙 (keys X:甲项目, X:乙); another input is keyed X:甲项目."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title in ("甲项目", "乙"):
        sheet = book.create_sheet(title)
        for line in (HEADER, *LINES):
            sheet.append(line.split(","))
    book.save(tmp_path / "两个项目.xlsx")
    workbook = {"base64": base64.b64encode((tmp_path / "两个项目.xlsx").read_bytes()).decode()}
    request = {"ruleset": {"name": SEED}, "inputs": {"X": workbook, "X:甲项目": {"name": ACTUALS}}}
    body = failed(openapi, client.post("/v1/score:batch", json=request, params={"lang": "en"}), 422, "E971")
    assert (
        "inputs.X:甲项目" in body["diagnostics"][0]["message"] and "“X”" in body["diagnostics"][0]["message"]
    )
    request["inputs"] = {"X:甲项目": {"name": ACTUALS}, "X": workbook}  # either order
    failed(openapi, client.post("/v1/score:batch", json=request), 422, "E971")
    request["inputs"] = {"X": workbook, "Y": {"name": ACTUALS}}
    response = client.post("/v1/score:batch", json=request)
    assert response.status_code == 200 and list(response.json()["results"]) == ["X:甲项目", "X:乙", "Y"]


def test_a_wrong_method_names_the_right_ones(client: httpx.Client, openapi: dict[str, Any]) -> None:
    for path, allowed in (
        ("/v1/score", {"POST"}),
        ("/v1/files/x.jx", {"GET", "HEAD", "PUT"}),
        ("/v1/files", {"GET", "HEAD"}),
    ):
        response = client.delete(path)
        failed(openapi, response, 405, "E991")
        assert {m.strip() for m in response.headers["allow"].split(",")} == allowed, response.headers
