"""How the server reads what it is sent: why a body is not JSON (in Chinese too), a BOM, the language
asked for (?lang=, Accept-Language's q), file names no file can have, what a saved file's permissions
are, which files are listed, a client that leaves in the middle of its body, a busy server and a body
that could never succeed."""

from __future__ import annotations

import json
import os
import socket
import stat
import time
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
    server_fixture,
    serving,
)

from jixiao.web.adapter import escaped
from jixiao.web.files import umask
from jixiao.web.pool import busy

pytestmark = needs_web

JSON = {"Content-Type": "application/json"}
SEED = "shangjie-pension/2020.jx"


def message(response: httpx.Response) -> str:
    text: str = response.json()["diagnostics"][0]["message"]
    return text


@pytest.mark.parametrize(
    ("body", "zh", "en"),
    [
        (b"[" * 1000 + b"]" * 1000, "嵌套太深", "recursion limit exceeded"),
        (b'{"ruleset": {"text": "\xc3\x28"}}', "不是合法的 UTF-8 文字", "invalid unicode code point"),
        (b'{"ruleset": {"text": "\\ud800"}}', "\\u 转义", "hex escape"),
        (b'{"ruleset": ', "在此意外结束", "EOF while parsing a value"),
    ],
)
def test_a_body_that_is_not_json_says_why_in_chinese_too(
    client: httpx.Client, body: bytes, zh: str, en: str
) -> None:
    """Every reason was 「不是合法的 JSON（第 1 行第 N 列）」 in Chinese; only the English said why."""
    chinese = client.post("/v1/check", content=body, headers=JSON)
    assert chinese.status_code == 422 and codes(chinese) == ["E971"], chinese.text
    assert zh in message(chinese) and "列）" in message(chinese), message(chinese)
    english = client.post("/v1/check?lang=en", content=body, headers=JSON)
    assert en in message(english), message(english)


def test_a_number_too_long_for_python_is_named_at_its_path(client: httpx.Client) -> None:
    """Valid JSON, but int() of 5,000 digits is refused by Python: said at the number's place in the body."""
    body = b'{"ruleset": {"text": ' + b"9" * 5000 + b"}}"
    for lang, words in (
        ("zh", "ruleset.text：数字太长（5000 个字符"),
        ("en", "a number too long (5000 characters"),
    ):
        response = client.post(f"/v1/check?lang={lang}", content=body, headers=JSON)
        assert response.status_code == 422 and codes(response) == ["E971"], response.text
        assert words in message(response), message(response)


def test_an_empty_body_says_so_and_no_column_is_0(client: httpx.Client) -> None:
    for body in (b"", b"  \n"):
        for lang in ("zh", "en"):
            response = client.post(f"/v1/score?lang={lang}", content=body, headers=JSON)
            assert response.status_code == 422 and codes(response) == ["E971"]
            assert ("请求体是空的" if lang == "zh" else "the body is empty") in message(response)
            assert "第 0 列" not in message(response) and "column 0" not in message(response)


def test_a_json_body_may_start_with_a_bom(client: httpx.Client, server: Server) -> None:
    """Notepad's UTF-8 starts with a BOM: it was refused as 「不是合法的 JSON（第 1 行第 1 列）」."""
    body = b'\xef\xbb\xbf{"ruleset": {"name": "shangjie-pension/2020.jx"}}'
    checked = client.post("/v1/check", content=body, headers=JSON)
    assert checked.status_code == 200 and checked.json()["ok"] is True, checked.text
    body = b"\xef\xbb\xbf" + json.dumps({"text": "项目 {\n}\n", "base_hash": None}).encode()
    saved = client.put("/v1/files/bom/x.jx", content=body, headers=JSON)
    assert saved.status_code == 200, saved.text
    assert (server.folder / "bom" / "x.jx").read_text(encoding="utf-8") == "项目 {\n}\n"


def test_an_unknown_language_is_an_error_in_the_query_as_in_the_body(client: httpx.Client) -> None:
    """?lang=fr gave Chinese without a word while "lang": "fr" in the body was E971."""
    request = {"ruleset": {"name": SEED}}
    in_body = client.post("/v1/check", json={**request, "lang": "fr"})
    in_query = client.post("/v1/check?lang=fr", json=request)
    for response in (in_body, in_query):
        assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert "?lang=" in message(in_query) and "zh 或 en" in message(in_query)
    english = client.post("/v1/check?lang=fr", json=request, headers={"Accept-Language": "en"})
    assert "should be zh or en" in message(english)
    assert client.get("/v1/files?lang=fr").status_code == 422
    assert client.post("/v1/check?lang=en-GB", json=request).json()["ok"] is True


def test_a_path_that_is_no_endpoint_is_404_whatever_its_lang(client: httpx.Client) -> None:
    """?lang= was read before routing: GET /v1/nonexistent?lang=fr was 422 E971, not 404 E981."""
    unknown = client.get("/v1/nonexistent?lang=fr")
    assert unknown.status_code == 404 and codes(unknown) == ["E981"], unknown.text
    english = client.get("/v1/nonexistent?lang=fr", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "no such endpoint" in message(english)
    wrong_method = client.delete("/v1/check?lang=fr")
    assert wrong_method.status_code == 405 and codes(wrong_method) == ["E991"], wrong_method.text
    assert client.get("/v1/schema/score?lang=fr").status_code == 422  # an endpoint: the query is read


def test_accept_language_honours_its_weights(client: httpx.Client) -> None:
    """`en;q=0` means "not English": it gave English."""
    missing = {"ruleset": {"name": "没有.jx"}}

    def said(header: str) -> str:
        return str(client.post("/v1/check", json=missing, headers={"Accept-Language": header}).text)

    assert "所服务的文件夹中没有文件" in said("en;q=0")
    assert "所服务的文件夹中没有文件" in said("en;q=0, zh;q=0.1")
    assert "the served folder has no file" in said("zh;q=0.2, en;q=0.9")
    assert "the served folder has no file" in said("fr, en-GB;q=0.8, zh;q=0.5")


def test_policy_names_in_another_spelling_say_why(client: httpx.Client) -> None:
    for name, reason in (
        ("standard//central", "含空的一段"),
        ("./standard/central", "含「./」"),
        ("jixiao:rulesets/standard/central", "采用时写「standard/central」"),
    ):
        text = f'项目 "x" 年度 2024 {{\n  采用 "{name}"\n}}\n'
        found = client.post("/v1/check", json={"ruleset": {"text": text}}).json()["diagnostics"]
        e230 = [d["message"] for d in found if d["code"] == "E230"]
        assert e230 and reason in e230[0] and "不能是绝对路径" not in e230[0], found


def test_names_are_checked_before_their_type_and_line_breaks_are_no_name(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """PUT .git/config said 「文件类型不能保存」; a name with %0A was 「没有这个接口」 (E981)."""
    save = {"text": "x", "base_hash": None}
    hidden = failed(openapi, client.put("/v1/files/.git/config", json=save), 404, "E974")
    assert "文件类型不能保存" not in hidden["diagnostics"][0]["message"]
    for method in ("GET", "PUT"):
        response = client.request(method, "/v1/files/a%0Ab.jx", json=save if method == "PUT" else None)
        failed(openapi, response, 404, "E974")


def test_a_name_with_control_characters_is_shown_escaped(client: httpx.Client) -> None:
    """E974 showed the name as given: a line break in it broke the message in two (a forged log line)."""
    forged = "a%0A2026-01-01 INFO ok%0D%1B[31m%00%E2%80%AE<img src=x>.jx"
    response = client.get(f"/v1/files/{forged}")
    assert response.status_code == 404 and codes(response) == ["E974"]
    shown = message(response)
    assert "「a\\n2026-01-01 INFO ok\\r\\x1b[31m\\x00\\u202e<img src=x>.jx」" in shown, shown
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in shown), shown
    english = client.get(f"/v1/files/{forged}?lang=en")
    assert "“a\\n2026-01-01 INFO ok" in message(english)
    for body in (
        {"ruleset": {"name": "x\n.jx"}, "actuals": {"name": "a.csv"}},
        {"ruleset": {"name": SEED}, "actuals": {"name": "b\u2028.csv"}},
    ):
        answer = client.post("/v1/score", json=body)
        assert codes(answer) == ["E974"] and "\n" not in message(answer) and "\u2028" not in message(answer)


def test_an_escaped_name_is_never_another_names_escape() -> None:
    """A typed backslash is doubled: `a\\x01b` (backslash, x, 0, 1) and `a` + U+0001 + `b` read apart."""
    assert escaped("a\x01b") == "a\\x01b"
    assert escaped("a\\x01b") == "a\\\\x01b"
    assert escaped("普通 名称.jx") == "普通 名称.jx"


def test_a_new_file_gets_the_usual_permissions(client: httpx.Client, server: Server) -> None:
    """A new file was 0600 (the temporary file's) while the folder's files are 0644."""
    if os.name != "posix":
        pytest.skip("permissions as POSIX has them")
    response = client.put("/v1/files/new/sub/x.jx", json={"text": "x", "base_hash": None})
    assert response.status_code == 200, response.text
    made = server.folder / "new" / "sub" / "x.jx"
    assert stat.S_IMODE(made.stat().st_mode) == 0o666 & ~umask()
    kept = server.folder / "new" / "kept.jx"
    kept.write_text("x", encoding="utf-8")
    kept.chmod(0o640)
    digest = client.get("/v1/files/new/kept.jx").json()["hash"]
    assert client.put("/v1/files/new/kept.jx", json={"text": "y", "base_hash": digest}).status_code == 200
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640  # a file's own permissions are kept


@pytest.fixture(scope="module", name="linked")
def linked_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, list[str]]]:
    """A served folder with links to files outside it, and a stderr to read."""
    base = tmp_path_factory.mktemp("linked")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("a,b\n", encoding="utf-8")
    (outside / "evil.jx").write_text('项目 "x" {\n}\n', encoding="utf-8")
    folder = copy_rulesets(base)
    (folder / "link.csv").symlink_to(outside / "secret.csv")
    (folder / "evilpolicy.jx").symlink_to(outside / "evil.jx")
    (folder / "standard" / "inside.jx").symlink_to(folder / "standard" / "central.jx")
    with serving(folder) as server:
        yield server, []


def test_links_to_outside_the_folder_are_not_listed(linked: tuple[Server, list[str]]) -> None:
    server, _ = linked
    with server.client() as http:
        names = [f["name"] for f in http.get("/v1/files").json()["files"]]
        assert "link.csv" not in names and "evilpolicy.jx" not in names, names
        assert "standard/inside.jx" in names and SEED in names  # a link inside the folder is a file of it
        for name in names:
            assert http.get(f"/v1/files/{name}").status_code == 200, name


def test_a_client_leaving_mid_body_leaves_no_traceback_in_the_log(tmp_path: Path) -> None:
    """Each such client logged "Exception in ASGI application" and a ClientDisconnect traceback."""
    with serving(copy_rulesets(tmp_path)) as server:
        port = int(server.url.rsplit(":", 1)[1])
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(
                    b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 1000\r\n\r\n{"ruleset":'
                )
                time.sleep(0.2)
        with server.client() as http:  # the server still answers, after the clients it waited for
            assert http.get("/health").status_code == 200
        server.process.terminate()
        server.process.wait(10)
        assert server.process.stderr is not None
        log = server.process.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log
    assert log.count("\n") <= 3 + 2, log  # one line each at most


def test_a_busy_server_still_says_that_a_body_is_not_the_request() -> None:
    """A malformed body got 503 (retry) while the server was busy: retrying it could never succeed."""
    wrong = busy("check", b'{"ruleset": {', "zh")
    assert wrong.status == 422 and "E971" in str(wrong.body) and "Retry-After" not in wrong.headers
    fine = busy("check", b'{"ruleset": {"name": "a.jx"}}', "zh")
    assert fine.status == 503 and "E977" in str(fine.body) and fine.headers["Retry-After"] == "1"
