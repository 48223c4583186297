"""The language of every answer: the body's `lang` when it gives one, then `?lang=`, then Accept-Language,
then the server's default (`jixiao serve --lang`, JIXIAO_LANG, else Chinese) — for results and for every
error, including those made before a route runs (401 E985, 404 E981) or without the body's model (E971)."""

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
    needs_web,
    server_fixture,
    serving,
)

pytestmark = needs_web

MISSING = {"ruleset": {"name": "没有.jx"}, "actuals": {"name": "shangjie-pension/2020.actuals.csv"}}
ZH, EN = "所服务的文件夹中没有文件", "the served folder has no file"


@pytest.fixture(scope="module", name="english")
def english_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A server whose default is English (`--lang en`), behind a token."""
    folder = tmp_path_factory.mktemp("english")
    token = folder / "token.txt"
    token.write_text("s3cret\n", encoding="utf-8")
    with serving(copy_rulesets(folder), "--lang", "en", "--token-file", str(token)) as server:
        with httpx.Client(
            base_url=server.url, timeout=60, headers={"Authorization": "Bearer s3cret"}
        ) as http:
            yield http


def message(response: httpx.Response) -> str:
    text: str = response.json()["diagnostics"][0]["message"]
    return text


def test_the_query_and_the_header_choose_when_the_body_does_not(client: httpx.Client) -> None:
    assert ZH in message(client.post("/v1/score", json=MISSING))
    assert EN in message(client.post("/v1/score", params={"lang": "en"}, json=MISSING))
    assert EN in message(
        client.post("/v1/score", json=MISSING, headers={"Accept-Language": "en-GB,en;q=0.9"})
    )
    both = client.post("/v1/score", params={"lang": "zh"}, json=MISSING, headers={"Accept-Language": "en"})
    assert ZH in message(both)
    assert EN in message(client.post("/v1/check?lang=en", json={"ruleset": {"name": "没有.jx"}}))
    seed = {**MISSING, "ruleset": {"name": "shangjie-pension/2020.jx"}}
    assert client.post("/v1/explain?lang=en", json=seed).json()["lang"] == "en"
    assert client.post("/v1/explain?lang=en", json={**seed, "lang": "zh"}).json()["lang"] == "zh"


def test_the_body_comes_first_for_results_and_errors(client: httpx.Client) -> None:
    assert ZH in message(client.post("/v1/score?lang=en", json={**MISSING, "lang": "zh"}))
    header = {"Accept-Language": "zh-CN"}
    assert EN in message(client.post("/v1/score", json={**MISSING, "lang": "en"}, headers=header))
    shape = client.post("/v1/score", json={"ruleset": {}, "lang": "en"}, headers=header)
    assert set(codes(shape)) == {"E971"} and "the request is not as expected" in message(shape)
    assert "请求内容不符合要求" in message(
        client.post("/v1/score?lang=en", json={"ruleset": {}, "lang": "zh"})
    )


def test_the_server_default_and_errors_before_any_route(english: httpx.Client, tmp_path: Path) -> None:
    assert EN in message(english.post("/v1/score", json=MISSING))
    assert ZH in message(english.post("/v1/score", json=MISSING, headers={"Accept-Language": "zh-CN,zh"}))
    assert "no such endpoint" in message(english.get("/v1/nothing"))
    anonymous: dict[str, Any] = {"Authorization": ""}
    denied = english.post("/v1/score", json=MISSING, headers=anonymous)
    assert denied.status_code == 401 and "the access token is missing or wrong" in message(denied)
    denied = english.post("/v1/score", params={"lang": "zh"}, json=MISSING, headers=anonymous)
    assert denied.status_code == 401 and "缺少或错误的访问令牌" in message(denied)


def test_request_shape_errors_are_chinese_with_the_field_path(client: httpx.Client) -> None:
    """pydantic's English (Invalid JSON: EOF…, Input should be a valid string, Field required, Value
    error, give exactly one of…) no longer shows in a Chinese E971; English callers keep its words."""
    broken = client.post("/v1/score", content=b'{"ruleset":', headers={"Content-Type": "application/json"})
    assert (
        message(broken)
        == "请求内容不符合要求：请求体：不是合法的 JSON：在此意外结束，缺少一个值（第 1 行第 11 列）"
    )
    shapes = {
        "ruleset.name": ({"ruleset": {"name": 1}, "actuals": {"name": "a.csv"}}, "应为文字"),
        "actuals": ({"ruleset": {"name": "a.jx"}, "actuals": {}}, "name、rows、text、base64 只能给一个"),
        "ruleset": ({"actuals": {"name": "a.csv"}}, "缺少这一项（必需）"),
        "foo": ({"ruleset": {"name": "a.jx"}, "actuals": {"name": "a.csv"}, "foo": 1}, "不认识这一项"),
        "explain": (
            {"ruleset": {"name": "a.jx"}, "actuals": {"name": "a.csv"}, "explain": "x"},
            "应为 true 或 false",
        ),
    }
    for where, (body, words) in shapes.items():
        response = client.post("/v1/score", json=body)
        assert response.status_code == 422 and codes(response) == ["E971"], response.text
        assert message(response).startswith(f"请求内容不符合要求：{where}：{words}"), message(response)
        assert not any(
            english in message(response) for english in ("should", "required", "Value error", "Extra")
        )
    english = client.post("/v1/score?lang=en", json={"ruleset": {"name": "a.jx"}, "actuals": {}})
    assert (
        message(english)
        == "the request is not as expected: actuals: give exactly one of name, rows, text, base64"
    )


def test_an_upload_without_its_ruleset_names_the_parameter(client: httpx.Client) -> None:
    """score:file?filename=x.csv without ruleset= was 404 E974 所服务的文件夹中没有文件「」."""
    response = client.post(
        "/v1/score:file", params={"filename": "x.csv"}, content=b"a,b\n", headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert "?ruleset=" in message(response) and "缺少必需的查询参数" in message(response)
