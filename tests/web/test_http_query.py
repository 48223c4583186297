"""The query string of the API: a parameter given twice, or one the endpoint does not know, is 422 E971
naming it. Both were read silently: `?ruleset=a.jx&ruleset=b.jx` scored with b.jx, `?ruleset-hash=…` (a
pin spelt wrong) was dropped and the ruleset scored whatever it had become."""

from __future__ import annotations

import httpx
import pytest
from serving import (  # noqa: F401 (the session's server)
    client_fixture,
    codes,
    needs_web,
    server_fixture,
)

pytestmark = needs_web

CSV = {"Content-Type": "text/csv"}
SEED = "shangjie-pension/2020.jx"
ZEROS = "0" * 64


def upload(client: httpx.Client, path: str, query: list[tuple[str, str]]) -> httpx.Response:
    actuals = (client.get("/v1/files/shangjie-pension/2020.actuals.csv").json())["text"]
    return client.post(
        path, params=[(key, value) for key, value in query], content=actuals.encode(), headers=CSV
    )


def messages(response: httpx.Response) -> list[str]:
    return [d["message"] for d in response.json()["diagnostics"]]


@pytest.mark.parametrize("path", ["/v1/score:file", "/v1/score:batch"])
@pytest.mark.parametrize(
    ("query", "where"),
    [
        ([("ruleset", SEED), ("ruleset", "shangjie-pension/2021.jx")], "?ruleset="),
        ([("ruleset", SEED), ("ruleset_hash", ZEROS), ("ruleset_hash", ZEROS)], "?ruleset_hash="),
        ([("ruleset", SEED), ("explain", "true"), ("explain", "false")], "?explain="),
        ([("ruleset", SEED), ("lang", "zh"), ("lang", "zh")], "?lang="),
    ],
)
def test_a_query_parameter_given_twice_is_refused(
    client: httpx.Client, path: str, query: list[tuple[str, str]], where: str
) -> None:
    response = upload(client, path, query)
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert f"{where}：这个参数写了两次" in messages(response)[0], response.text
    if where != "?lang=":
        english = upload(client, path, [*query, ("lang", "en")])
        assert "given 2 times" in messages(english)[0], english.text


@pytest.mark.parametrize("path", ["/v1/score:file", "/v1/score:batch"])
def test_an_unknown_query_parameter_is_refused(client: httpx.Client, path: str) -> None:
    """`ruleset-hash` for `ruleset_hash`: the pin was dropped and the answer was 200."""
    response = upload(client, path, [("ruleset", SEED), ("ruleset-hash", ZEROS)])
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert "?ruleset-hash=：不认识的参数" in messages(response)[0], response.text
    assert "ruleset_hash" in messages(response)[0]
    english = upload(client, path, [("ruleset", SEED), ("ruleset-hash", ZEROS), ("lang", "en")])
    assert "an unknown parameter" in messages(english)[0], english.text


def test_a_json_endpoint_knows_only_lang_in_its_query(client: httpx.Client) -> None:
    """What to do is in the body: `/v1/score?ruleset_hash=…` pinned nothing."""
    body = {"ruleset": {"name": SEED}, "actuals": {"name": "shangjie-pension/2020.actuals.csv"}}
    response = client.post("/v1/score", params={"ruleset_hash": ZEROS}, json=body)
    assert response.status_code == 422 and codes(response) == ["E971"], response.text
    assert client.post("/v1/score?lang=zh", json=body).status_code == 200


def test_every_parameter_once_still_scores(client: httpx.Client) -> None:
    query = [("ruleset", SEED), ("filename", "a.csv"), ("explain", "false"), ("lang", "zh")]
    response = upload(client, "/v1/score:file", query)
    assert response.status_code == 200, response.text
