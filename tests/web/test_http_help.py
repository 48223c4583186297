"""Messages whose help fits HTTP: each was a help text written for the Python API or for another case
(E520 "pass bytes", E522 "its sheets: —", E801 inside a .jx, 409 for a hash that is no hash, E970 "split the
batch" for one upload, E976 "check the actual-value file" for a check that has none)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from serving import (  # noqa: F401 (the session's server)
    client_fixture,
    codes,
    needs_web,
    seed_score_request,
    server_fixture,
)

from jixiao.web.pool import too_slow

pytestmark = needs_web

SEED = "shangjie-pension/2020.jx"


def first(response: httpx.Response) -> dict[str, Any]:
    found: dict[str, Any] = response.json()["diagnostics"][0]
    return found


def test_a_workbook_sent_as_text_says_to_send_base64(client: httpx.Client) -> None:
    actuals = {"text": "一级指标,二级指标\n", "format": "xlsx"}
    response = client.post("/v1/score", json=seed_score_request(actuals=actuals))
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert "actuals.format" in first(response)["message"] and "base64" in first(response)["message"]
    assert "bytes" not in response.text and "text=" not in response.text


def test_a_sheet_of_a_csv_says_a_csv_has_no_sheets(client: httpx.Client) -> None:
    actuals = {"name": "shangjie-pension/2020.actuals.csv", "sheet": "x"}
    response = client.post("/v1/score", json=seed_score_request(actuals=actuals))
    assert codes(response) == ["E549"], response.text
    assert "不是工作簿" in first(response)["message"] and "工作表有：—" not in response.text


def test_a_test_of_a_ruleset_says_name_a_test_file(client: httpx.Client) -> None:
    response = client.post("/v1/test", json={"name": SEED})
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert ".test.yaml" in first(response)["message"] and "E801" not in response.text


def test_a_malformed_hash_is_422_not_409(client: httpx.Client) -> None:
    response = client.post("/v1/score", json=seed_score_request(ruleset_hash="xyz"))
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert "ruleset_hash" in first(response)["message"] and "SHA-256" in first(response)["message"]
    right = client.post("/v1/check", json={"ruleset": {"name": SEED}}).json()["ruleset_hash"]
    upper = client.post("/v1/score", json=seed_score_request(ruleset_hash=right.upper()))
    assert upper.status_code == 200, upper.text


def test_an_upload_too_large_names_the_upload_and_its_limit(client: httpx.Client) -> None:
    data = b"x" * (21 * 1024 * 1024)
    response = client.post(
        "/v1/score:file", params={"ruleset": SEED}, content=data, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 413 and codes(response) == ["E970"], response.text
    found = first(response)
    assert "上传的文件超过 20 MiB" in found["message"] and "批量" not in found["help"], found
    small = client.post(
        "/v1/check",
        content=json.dumps({"ruleset": {"text": "x" * (5 * 1024 * 1024)}}),
        headers={"Content-Type": "application/json"},
    )
    assert "请求内容超过" in first(small)["message"] and "批量" in first(small)["help"]


def test_a_check_past_the_deadline_has_no_actual_values_to_blame() -> None:
    reply = json.loads(too_slow(10, b"{}", "zh", "E976", "check").body)["diagnostics"][0]
    assert reply["message"] == "检查规则超过时限 10 秒，已停止" and "实际值" not in reply["help"], reply
    scoring = json.loads(too_slow(10, b"{}", "en", "E976", "score").body)["diagnostics"][0]
    assert scoring["message"].startswith("scoring took longer") and "actual-value file" in scoring["help"]
