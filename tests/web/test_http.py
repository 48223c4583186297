"""The HTTP API of `jixiao serve`, over a real server on 127.0.0.1: every endpoint with good and bad
input, the status codes, and every JSON body validated against the schema the server publishes."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from serving import (  # noqa: F401 (the session's server)
    BROKEN_TESTS,
    ROOT,
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
    valid,
)
from starlette.routing import Route

import jixiao
from jixiao.io.render.json import to_json
from jixiao.web.app import routes

pytestmark = needs_web

SEED = "shangjie-pension/2020.jx"
ACTUALS = "shangjie-pension/2020.actuals.csv"
JSON = {"Content-Type": "application/json"}


# -- check, fmt ----------------------------------------------------------------------------------------
def test_check_a_clean_ruleset(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.post("/v1/check", json={"ruleset": {"name": SEED}})
    body = valid(openapi, "CheckResponse", response.json())
    assert response.status_code == 200
    assert body["ok"] is True and body["diagnostics"] == []
    assert "享受补贴人数" in body["indicators"]
    assert response.headers["x-jixiao-ruleset-hash"] == body["ruleset_hash"]
    assert response.headers["x-jixiao-version"] == jixiao.__version__


def test_check_reports_a_weight_error_at_its_line_as_the_cli_does(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    text = (
        (ROOT / "rulesets" / SEED)
        .read_text(encoding="utf-8")
        .replace("≥1.1万人  分值 20", "≥1.1万人  分值 15")
    )
    response = client.post("/v1/check", json={"ruleset": {"name": SEED, "text": text}})
    body = valid(openapi, "CheckResponse", response.json())
    assert response.status_code == 200 and body["ok"] is False
    expected = [d for d in jixiao.check(text=text) if d.code == "E401"]  # the same engine, from Python
    got = [d for d in body["diagnostics"] if d["code"] == "E401"]
    assert [(d["span"]["line"], d["span"]["column"]) for d in got] == [
        (d.span.line, d.span.column) for d in expected if d.span
    ]
    assert got[0]["span"]["path"] == SEED and got[0]["message"] == expected[0].message("zh")


def test_check_in_english(client: httpx.Client) -> None:
    response = client.post("/v1/check", json={"ruleset": {"text": "项目 {"}, "lang": "en"})
    assert response.json()["diagnostics"][0]["message"].startswith("syntax error")


def test_fmt(client: httpx.Client, openapi: dict[str, Any]) -> None:
    messy = '项目 "x" {\n产出指标/数量指标{ 人数 目标 ≥10人 分值 100 }}'
    body = valid(openapi, "FmtResponse", client.post("/v1/fmt", json={"text": messy}).json())
    assert (
        body["changed"] is True and "  产出指标 / 数量指标 {\n    人数  目标 ≥10人  分值 100" in body["text"]
    )
    body = failed(openapi, client.post("/v1/fmt", json={"text": '项目 "x" {'}), 422, "E102")
    checked = client.post("/v1/check", json={"ruleset": {"text": '项目 "x" {'}}).json()
    assert body["diagnostics"][0]["span"]["path"] == checked["diagnostics"][0]["span"]["path"] == "<text>.jx"


# -- score ---------------------------------------------------------------------------------------------
def test_score_the_seed(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.post("/v1/score", json=seed_score_request())
    assert response.status_code == 200
    body = valid(openapi, "ScoreReport", response.json())
    jsonschema.validate(body, jixiao.schema("score"))  # and the schema `jixiao schema` publishes
    assert (body["total"], body["grade"]) == ("99.31", "优")
    assert len(response.headers["x-jixiao-ruleset-hash"]) == 64


def test_score_rows_and_csv_text(client: httpx.Client) -> None:
    csv_text = (ROOT / "rulesets" / ACTUALS).read_text(encoding="utf-8")
    rows = [
        dict(zip(csv_text.splitlines()[0].split(","), line.split(","), strict=False))
        for line in csv_text.splitlines()[1:]
    ]
    for actuals in ({"text": csv_text}, {"rows": rows}):
        response = client.post("/v1/score", json={"ruleset": {"name": SEED}, "actuals": actuals})
        assert response.status_code == 200, response.text
        assert response.json()["total"] == "99.31"


def test_score_pinned_hash(client: httpx.Client, openapi: dict[str, Any]) -> None:
    digest = client.post("/v1/score", json=seed_score_request()).headers["x-jixiao-ruleset-hash"]
    assert client.post("/v1/score", json=seed_score_request(ruleset_hash=digest)).status_code == 200
    failed(openapi, client.post("/v1/score", json=seed_score_request(ruleset_hash="0" * 64)), 409, "E980")


def test_score_a_bad_ruleset(client: httpx.Client, openapi: dict[str, Any]) -> None:
    request = seed_score_request(
        ruleset={"text": '项目 "x" {\n  产出指标 / 数量指标 {\n    人数 目标 ≥10人\n  }\n}'}
    )
    body = failed(openapi, client.post("/v1/score", json=request), 422, "E103")
    assert body["diagnostics"][0]["span"]["line"] == 3


def test_score_bad_actual_values(client: httpx.Client, openapi: dict[str, Any]) -> None:
    rows = [{"三级指标": "享受补贴人数", "实际完成值": "很多人"}]
    body = failed(
        openapi, client.post("/v1/score", json=seed_score_request(actuals={"rows": rows})), 422, "E603"
    )
    cell = next(d for d in body["diagnostics"] if d["code"] == "E603")["span"]
    assert (cell["line"], cell["column_name"]) == (2, "实际完成值")
    number = [{"三级指标": "享受补贴人数", "实际完成值": 11100}]  # a JSON number is never read as a value
    failed(openapi, client.post("/v1/score", json=seed_score_request(actuals={"rows": number})), 422, "E971")


def test_score_unknown_file_and_escaping_names(client: httpx.Client, openapi: dict[str, Any]) -> None:
    for name in (
        "nope.jx",
        "../served/shangjie-pension/2020.jx",
        "shangjie-pension/../../x.jx",
    ):
        request = seed_score_request(ruleset={"name": name})
        failed(openapi, client.post("/v1/score", json=request), 404, "E974")


def test_an_absolute_name_is_refused_as_written_with_its_name_in_the_folder(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """An absolute path was E974 「所服务的文件夹中没有文件「shangjie-pension/2020.jx」」 (shortened to its name
    in the folder) for a file that is there; 采用 "/…/standard/central" was E230 「standard/central」…它是绝对路径."""
    inside = str(server.folder / "shangjie-pension" / "2020.jx")
    body = failed(
        openapi, client.post("/v1/score", json=seed_score_request(ruleset={"name": inside})), 422, "E996"
    )
    found = body["diagnostics"][0]
    assert f"「{inside}」是绝对路径" in found["message"], found
    assert (
        found["suggestion"] == "shangjie-pension/2020.jx"
        and "是不是要写「shangjie-pension/2020.jx」" in found["help"]
    )
    outside = failed(
        openapi,
        client.post("/v1/score", json=seed_score_request(ruleset={"name": "/etc/passwd"})),
        422,
        "E996",
    )
    assert outside["diagnostics"][0]["suggestion"] is None
    english = client.post("/v1/score?lang=en", json=seed_score_request(ruleset={"name": inside})).json()
    assert "is an absolute path" in english["diagnostics"][0]["message"]
    text = f'项目 "x" 年度 2024 {{\n  采用 "{server.folder / "standard" / "central"}"\n}}\n'
    e230 = [
        d
        for d in client.post("/v1/check", json={"ruleset": {"text": text}}).json()["diagnostics"]
        if d["code"] == "E230"
    ]
    assert e230 and f"「{server.folder / 'standard' / 'central'}」不能用" in e230[0]["message"], e230
    assert e230[0]["suggestion"] == "standard/central" and e230[0]["fix"] is not None, e230
    test_file = server.folder / "absolute.test.yaml"
    test_file.write_text(
        f"ruleset: {inside}\ncases:\n  - name: a\n    actuals: x.csv\n    expect: {{total: '1'}}\n"
    )
    try:
        response = client.post("/v1/test", json={"name": "absolute.test.yaml"})
    finally:
        test_file.unlink()
    e253 = [d for d in response.json()["diagnostics"] if d["code"] == "E253"]
    assert e253 and f"「{inside}」不能是绝对路径" in e253[0]["message"], response.text
    assert e253[0]["suggestion"] == "shangjie-pension/2020.jx"


def test_a_policy_outside_the_folder_is_never_read(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    outside = server.folder.parent / "secret-policy.jx"
    outside.write_text('评分办法 "秘密" {\n  总分 100\n}\n', encoding="utf-8")
    for reference in ("../secret-policy", str(outside.with_suffix(""))):
        text = f'项目 "x" 年度 2024 {{\n  采用 "{reference}"\n  产出指标 / 数量指标 {{\n    人数 目标 ≥10人 分值 100\n  }}\n}}\n'
        for endpoint, body in (
            ("/v1/check", {"ruleset": {"text": text}}),
            ("/v1/score", seed_score_request(ruleset={"text": text})),
        ):
            response = client.post(endpoint, json=body)
            diagnostics = response.json()["diagnostics"]
            assert "E230" in [d["code"] for d in diagnostics], response.text  # the engine's roots refuse it
            assert diagnostics[0]["span"]["line"] == 2
            assert "秘密" not in response.text and "总分" not in response.text
    packaged = '项目 "x" 年度 2024 {\n  采用 "standard/central"\n  产出指标 / 数量指标 {\n    人数 目标 ≥10人 分值 90\n  }\n}\n'
    assert client.post("/v1/check", json={"ruleset": {"text": packaged}}).json()["ok"] is True


def test_wrong_content_type(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.post(
        "/v1/score", content=json.dumps(seed_score_request()), headers={"content-type": "text/plain"}
    )
    failed(openapi, response, 415, "E972")
    failed(openapi, client.post("/v1/score", data={"ruleset": SEED}), 415, "E972")


def test_not_json_and_wrong_shapes(client: httpx.Client, openapi: dict[str, Any]) -> None:
    headers = {"content-type": "application/json"}
    failed(openapi, client.post("/v1/score", content=b"{not json", headers=headers), 422, "E971")
    failed(openapi, client.post("/v1/score", json={"ruleset": {"name": SEED}}), 422, "E971")
    body = failed(openapi, client.post("/v1/score", json=seed_score_request(extra=1)), 422, "E971")
    assert "extra" in body["diagnostics"][0]["message"]


def streamed(head: bytes, mib: int, tail: bytes) -> Iterator[bytes]:
    """A body sent without Content-Length: the server has to count what streams in."""
    yield head
    for _ in range(mib * 1024):
        yield b"x" * 1024
    yield tail


def test_oversized_body(client: httpx.Client, openapi: dict[str, Any]) -> None:
    """JSON is limited to 4 MiB; JSON that may carry actual-value files in base64 (score, batch, explain,
    report, diff: the workbench's uploads) to 4 MiB plus the 20 MiB upload limit as base64."""
    huge = {"ruleset": {"text": "# " + "x" * 5 * 1024 * 1024}}
    failed(openapi, client.post("/v1/check", json=huge), 413, "E970")
    as_json = {"content-type": "application/json"}
    response = client.post(
        "/v1/check", content=streamed(b'{"ruleset": {"text": "', 5, b'"}}'), headers=as_json
    )
    assert "4 MiB" in failed(openapi, response, 413, "E970")["diagnostics"][0]["message"]
    head, tail = b'{"ruleset": {"name": "shangjie-pension/2020.jx"}, "actuals": {"base64": "', b'"}}'
    response = client.post("/v1/score", content=streamed(head, 31, tail), headers=as_json)
    assert "30.7 MiB" in failed(openapi, response, 413, "E970")["diagnostics"][0]["message"]


def test_ruleset_size_limit(client: httpx.Client, openapi: dict[str, Any]) -> None:
    text = "# " + "很长的注释" * 210_000
    failed(openapi, client.post("/v1/score", json=seed_score_request(ruleset={"text": text})), 413, "E975")


# -- batch, upload, explain, report --------------------------------------------------------------------
def test_batch_all_good_and_mixed(client: httpx.Client, openapi: dict[str, Any]) -> None:
    good = {"ruleset": {"name": SEED}, "inputs": {"a": {"name": ACTUALS}, "b": {"name": ACTUALS}}}
    response = client.post("/v1/score:batch", json=good)
    body = valid(openapi, "BatchResponse", response.json())
    assert response.status_code == 200 and {k: v["result"]["total"] for k, v in body["results"].items()} == {
        "a": "99.31",
        "b": "99.31",
    }
    bad_rows = [{"三级指标": "享受补贴人数", "实际完成值": "很多人"}]
    mixed = {**good, "inputs": {"a": {"name": ACTUALS}, "b": {"rows": bad_rows}}}
    response = client.post("/v1/score:batch", json=mixed)
    body = valid(openapi, "BatchResponse", response.json())
    assert response.status_code == 207
    assert body["results"]["a"]["result"]["total"] == "99.31"
    assert "E603" in [d["code"] for d in body["results"]["b"]["error"]["diagnostics"]]
    only_bad = {**good, "inputs": {"b": {"rows": bad_rows}}}
    assert client.post("/v1/score:batch", json=only_bad).status_code == 422


def test_the_score_json_is_the_clis(client: httpx.Client, openapi: dict[str, Any]) -> None:
    """The API printed `"score_shown": null`, `"subtotal": false`, `"goal": null` … on every row, which
    `jixiao score --format json` leaves out (the schema: "only then present"): now byte-equal data. A row
    that has them (a 小计 row, a display rounding) still carries them."""
    body = valid(openapi, "ScoreReport", client.post("/v1/score", json=seed_score_request()).json())
    result = jixiao.load_ruleset(ROOT / "rulesets" / SEED).score(ROOT / "rulesets" / ACTUALS)
    assert body == json.loads(to_json(result))
    assert all("subtotal" not in i and "score_shown" not in i for i in body["indicators"])
    case = ROOT / "tests" / "cases" / "eval" / "subtotal-rows"
    request = {"ruleset": {"text": (case / "ruleset.jx").read_text(encoding="utf-8")}}
    request["actuals"] = {"text": (case / "actuals.csv").read_text(encoding="utf-8")}
    body = valid(openapi, "ScoreReport", client.post("/v1/score", json=request).json())
    assert [i["name"] for i in body["indicators"] if i.get("subtotal") is True]


def test_an_input_that_cannot_be_read_is_its_items_error_not_the_batchs(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """A missing or hidden file, or base64 that is not base64, fails that item only (was 404 E974 or 422
    E971 for the whole request, and the good item's result was lost)."""
    for bad, code in (({"name": "x.csv"}, "E974"), ({"name": ".env"}, "E974"), ({"base64": "@@"}, "E971")):
        request = {"ruleset": {"name": SEED}, "inputs": {"good": {"name": ACTUALS}, "bad": bad}}
        response = client.post("/v1/score:batch", json=request)
        body = valid(openapi, "BatchResponse", response.json())
        assert response.status_code == 207, response.text
        assert body["results"]["good"]["result"]["total"] == "99.31"
        assert [d["code"] for d in body["results"]["bad"]["error"]["diagnostics"]] == [code]
        assert body["results"]["bad"]["result"] is None
    only_bad = {"ruleset": {"name": SEED}, "inputs": {"bad": {"name": "x.csv"}}}
    response = client.post("/v1/score:batch", json=only_bad)
    assert response.status_code == 422 and "results" in response.json()
    # what is wrong with the request itself still fails it: the ruleset
    broken = {"ruleset": {"name": "nope.jx"}, "inputs": {"good": {"name": ACTUALS}}}
    failed(openapi, client.post("/v1/score:batch", json=broken), 404, "E974")


def test_base64_with_a_character_outside_ascii_is_E971_everywhere(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """`YWJjé` made b64decode raise ValueError, not binascii.Error: 500 E982 with a server traceback."""
    bad = {"base64": "YWJjé"}
    for route in ("/v1/score", "/v1/explain", "/v1/report"):
        body = failed(
            openapi, client.post(route, json={"ruleset": {"name": SEED}, "actuals": bad}), 422, "E971"
        )
        assert "actuals.base64：不是 base64 编码" in body["diagnostics"][0]["message"]
    diff = {"old": {"name": SEED}, "new": {"name": SEED}, "actuals": [bad]}
    failed(openapi, client.post("/v1/diff", json=diff), 422, "E971")
    request = {"ruleset": {"name": SEED}, "inputs": {"good": {"name": ACTUALS}, "bad": bad}}
    response = client.post("/v1/score:batch", json=request)
    results = valid(openapi, "BatchResponse", response.json())["results"]
    assert response.status_code == 207 and results["good"]["result"]["total"] == "99.31"
    assert [d["code"] for d in results["bad"]["error"]["diagnostics"]] == ["E971"]


def test_a_key_given_twice_or_a_number_of_thousands_of_digits_in_a_body_is_E971_at_its_place(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """A repeated key was taken last-wins (`nope.jx` answered 404 here, the first ruleset silently dropped);
    a 5,000-digit number was "not valid JSON at column 4406", or 500 E982 inside an actuals `text`."""
    rows = '[{"三级指标": "享受补贴人数", "实际完成值": "1", "实际完成值": "2"}]'
    bodies = {
        '{"ruleset": {"name": "%s"}, "ruleset": {"name": "nope.jx"}, "actuals": {"name": "%s"}}': "ruleset",
        '{"ruleset": {"name": "%s"}, "actuals": {"name": "%s", "rows": '
        + rows
        + "}}": "actuals.rows.0.实际完成值",
        '{"ruleset": {"name": "%s"}, "actuals": {"name": "%s"}, "lang": ' + "9" * 5000 + "}": "lang",
    }
    for template, where in bodies.items():
        response = client.post("/v1/score", content=(template % (SEED, ACTUALS)).encode(), headers=JSON)
        body = failed(openapi, response, 422, "E971")
        assert f"：{where}：" in body["diagnostics"][0]["message"], body
    text = '[{"三级指标": "享受补贴人数", "实际完成值": ' + "9" * 5000 + "}]"
    request = {"ruleset": {"name": SEED}, "actuals": {"text": text, "filename": "a.json"}}
    body = failed(openapi, client.post("/v1/score", json=request), 422, "E505")  # as the CLI reads the file
    assert [d["span"]["line"] for d in body["diagnostics"] if d["code"] == "E505"] == [1]
    saved = client.put(
        f"/v1/files/{SEED}", content=b'{"text": "x", "text": "y", "base_hash": null}', headers=JSON
    )
    assert "text" in failed(openapi, saved, 422, "E971")["diagnostics"][0]["message"]
    assert (server.folder / SEED).read_text(encoding="utf-8") != "y"


def test_a_batch_items_project_is_the_projects_name_as_in_the_cli_summary(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """`project` was the file's stem ("2020.actuals", "y") or, for an input that could not be read, its
    file name ("x.csv"): now the name the input gives, else the ruleset's 项目 "…", else the stem, as the
    summary of `jixiao score` names it; the file stays in `origin`, the caller's key is the item's key."""
    encoded = base64.b64encode((ROOT / "rulesets" / ACTUALS).read_bytes()).decode("ascii")
    inputs = {
        "good": {"name": ACTUALS},
        "upload": {"base64": encoded, "filename": "y.csv"},
        "missing": {"name": "shangjie-pension/nope.csv"},
        "badb64": {"base64": "@@@notbase64", "filename": "x.csv"},
        "rows_bad": {"rows": [{"三级指标": "享受补贴人数", "实际完成值": "很多人"}]},
    }
    response = client.post("/v1/score:batch", json={"ruleset": {"name": SEED}, "inputs": inputs})
    results = valid(openapi, "BatchResponse", response.json())["results"]
    assert response.status_code == 207
    named = "城乡居民基本养老保险费财政补助资金"
    assert {k: (v["project"], v["origin"]) for k, v in results.items()} == {
        "good": (named, ACTUALS),
        "upload": (named, "y.csv"),
        # an input that could not be read or scored is named as scored ones are (the batch's ruleset names
        # it), as the CLI's summary names a failed project; its key and origin tell it apart
        "missing": (named, "shangjie-pension/nope.csv"),
        "badb64": (named, "x.csv"),
        "rows_bad": (named, "rows_bad"),
    }
    # bad base64 is named by its place in the request, not by the file name it came with
    message = results["badb64"]["error"]["diagnostics"][0]["message"]
    assert "inputs.badb64.base64" in message and "x.csv" not in message
    bad = {"base64": "@@", "filename": "x.csv"}
    body = failed(
        openapi, client.post("/v1/score", json={"ruleset": {"name": SEED}, "actuals": bad}), 422, "E971"
    )
    assert "actuals.base64：" in body["diagnostics"][0]["message"]
    request = {"old": {"name": SEED}, "new": {"name": SEED}, "actuals": [{"name": ACTUALS}, bad]}
    body = failed(openapi, client.post("/v1/diff", json=request), 422, "E971")
    assert "actuals.1.base64：" in body["diagnostics"][0]["message"]


def test_explain(client: httpx.Client, openapi: dict[str, Any]) -> None:
    body = valid(openapi, "ExplanationReport", client.post("/v1/explain", json=seed_score_request()).json())
    node = next(n for n in body["trace"] if n["kind"] == "indicator" and "预算执行率" in n["text"])
    assert any("截断" in step["text"] for step in node["children"])


# -- diff, test ----------------------------------------------------------------------------------------
def test_diff(client: httpx.Client, openapi: dict[str, Any]) -> None:
    request = {
        "old": {"name": SEED},
        "new": {"name": "shangjie-pension/2021.jx"},
        "actuals": [{"name": ACTUALS}],
    }
    body = valid(openapi, "DiffReport", client.post("/v1/diff", json=request).json())
    assert body["same"] is False and body["old"] == SEED
    assert (body["impacts"][0]["old_total"], body["impacts"][0]["new_total"]) == ("99.31", "97.81")
    rows = {"text": (ROOT / "rulesets" / ACTUALS).read_text(encoding="utf-8")}
    body = client.post("/v1/diff", json={**request, "actuals": [rows]}).json()
    assert body["impacts"][0]["new_total"] == "97.81" and body["impacts"][0]["actuals"] == "<actuals 1>"
    failed(openapi, client.post("/v1/diff", json={**request, "new": {"text": "项目 {"}}), 422, "E101")


def test_a_folder_given_as_a_file_says_it_is_a_folder(client: httpx.Client, openapi: dict[str, Any]) -> None:
    """`/v1/test` given a folder answered 所服务的文件夹中没有文件「shangjie-pension」 (E974), as if nothing were
    there: now E992 says it is a folder and that `name` must be a .test.yaml file; elsewhere, to name a
    file in it. A hidden folder is still E974 (never shown to exist)."""
    body = failed(openapi, client.post("/v1/test", json={"name": "shangjie-pension"}), 404, "E992")
    [diagnostic] = body["diagnostics"]
    assert diagnostic["message"] == "「shangjie-pension」是所服务的文件夹中的一个文件夹，不是文件"
    assert diagnostic["help"].startswith("name 必须是一个 .test.yaml 文件")
    english = client.post("/v1/test", json={"name": "shangjie-pension/", "lang": "en"}).json()
    assert (
        english["diagnostics"][0]["message"]
        == "“shangjie-pension/” is a folder of the served folder, not a file"
    )
    assert english["diagnostics"][0]["help"].startswith("name must be a .test.yaml file")
    score = seed_score_request(actuals={"name": "shangjie-pension"})
    body = failed(openapi, client.post("/v1/score", json=score), 404, "E992")
    assert body["diagnostics"][0]["help"].startswith("请给出其中一个文件的名称")
    failed(openapi, client.get("/v1/files/shangjie-pension"), 404, "E992")
    failed(openapi, client.post("/v1/test", json={"name": ".git"}), 404, "E974")


def test_golden_tests_and_update(server: Server, client: httpx.Client, openapi: dict[str, Any]) -> None:
    name = "shangjie-pension/2020.test.yaml"
    body = valid(openapi, "TestResponse", client.post("/v1/test", json={"name": name}).json())
    assert body["passed"] is True and len(body["cases"]) == 6
    path = server.folder / name
    path.write_text(
        path.read_text(encoding="utf-8").replace('total: "99.31"', 'total: "99.99"'), encoding="utf-8"
    )
    body = client.post("/v1/test", json={"name": name}).json()
    assert body["passed"] is False
    assert body["cases"][0]["mismatches"][0] == {
        "what": "total",
        "expected": "99.99",
        "got": "99.31",
        "line": 9,
    }
    body = client.post("/v1/test", json={"name": name, "update": True}).json()
    assert body["passed"] is True and body["updated"] == 1
    assert 'total: "99.31"' in path.read_text(encoding="utf-8")
    failed(openapi, client.post("/v1/test", json={"name": "../x.test.yaml"}), 404, "E974")


def test_golden_tests_run_against_the_editors_unsaved_text(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """The workbench sends the editor's text: the tests run against it, not the saved file (which passed
    while the editor showed E401)."""
    name = "shangjie-pension/2020.test.yaml"
    text = (ROOT / "rulesets" / SEED).read_text(encoding="utf-8")
    broken = text.replace("≥1.1万人  分值 20", "≥1.1万人  分值 15")
    request = {"name": name, "ruleset": {"name": SEED, "text": broken}}
    body = valid(openapi, "TestResponse", client.post("/v1/test", json=request).json())
    assert body["edited"] is True and body["passed"] is False
    assert "E401" in [d["code"] for d in body["diagnostics"]]
    assert body["diagnostics"][0]["span"]["path"] == SEED
    # the saved text, or another file's text: the saved file the test names, and the answer says so
    for ruleset in ({"name": SEED, "text": text}, {"name": "shangjie-pension/2021.jx", "text": broken}):
        body = client.post("/v1/test", json={"name": name, "ruleset": ruleset}).json()
        assert body["passed"] is True and body["edited"] is (ruleset["name"] == SEED)
    assert client.post("/v1/test", json={"name": name}).json()["edited"] is False


def test_a_test_file_naming_files_outside_its_folder_is_refused_at_the_value(
    server: Server, client: httpx.Client
) -> None:
    secret = server.folder.parent / "secret.csv"
    secret.write_text("三级指标,实际完成值\n秘密,1\n", encoding="utf-8")
    path = server.folder / "shangjie-pension" / "escape.test.yaml"
    for actuals, code in (("../../secret.csv", "E253"), (str(secret), "E253")):
        path.write_text(
            f'ruleset: 2020.jx\ncases:\n  - name: 越界\n    actuals: {actuals}\n    expect:\n      total: "1"\n',
            encoding="utf-8",
        )
        body = client.post("/v1/test", json={"name": "shangjie-pension/escape.test.yaml"}).json()
        assert [d["code"] for d in body["diagnostics"]] == [code], body
        assert body["diagnostics"][0]["span"]["line"] == 4 and "秘密" not in str(body)


# -- files, documents, errors --------------------------------------------------------------------------
def test_open_and_save_never_overwrites_a_changed_file(
    server: Server, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    listing = valid(openapi, "FilesResponse", client.get("/v1/files").json())
    assert {"name": SEED, "kind": "ruleset"} in listing["files"]
    opened = client.get(f"/v1/files/{SEED}").json()
    saved = client.put(
        f"/v1/files/{SEED}", json={"text": opened["text"] + "\n# 改\n", "base_hash": opened["hash"]}
    )
    assert saved.status_code == 200 and (server.folder / SEED).read_text(encoding="utf-8").endswith("# 改\n")
    (server.folder / SEED).write_text(opened["text"], encoding="utf-8")  # someone else edits the file
    stale = client.put(f"/v1/files/{SEED}", json={"text": "覆盖", "base_hash": saved.json()["hash"]})
    failed(openapi, stale, 409, "E978")
    assert (server.folder / SEED).read_text(encoding="utf-8") == opened["text"]
    failed(openapi, client.put("/v1/files/run.sh", json={"text": "x", "base_hash": None}), 403, "E983")
    failed(openapi, client.get("/v1/files/..%2F..%2Fetc%2Fpasswd"), 404, "E974")
    new = client.put("/v1/files/新建/2022.jx", json={"text": "# 新\n", "base_hash": None})
    assert new.status_code == 200 and (server.folder / "新建" / "2022.jx").is_file()


def test_documents_and_unknown_paths(client: httpx.Client, openapi: dict[str, Any]) -> None:
    assert openapi["openapi"].startswith("3.1")
    for path in (
        "/v1/check",
        "/v1/score",
        "/v1/score:batch",
        "/v1/score:file",
        "/v1/explain",
        "/v1/diff",
        "/v1/fmt",
        "/v1/test",
        "/v1/files/{name}",
    ):
        assert path in openapi["paths"], path
    for path, operations in openapi["paths"].items():  # the guard, the token and a bug reach every route
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            assert {"405", "421", "500"} <= statuses, (path, method)  # 405: a wrong method, on any path
            assert ("401" in statuses) == path.startswith("/v1/"), (path, method)  # the token guards /v1
            assert method == "get" or "403" in statuses, (path, method)  # a page of another site
    files = openapi["paths"]["/v1/files/{name}"]
    assert set(files) == {"get", "put"} and {"403", "409"} <= set(files["put"]["responses"])
    valid(openapi, "FileResponse", client.get("/v1/files/shangjie-pension/2020.jx").json())
    assert client.get("/v1/schema/score").json() == jixiao.schema("score")
    assert client.get("/v1/version").json()["jixiao"] == jixiao.__version__
    assert client.get("/health").json() == {"status": "ok"}
    vocabulary = client.get("/v1/vocabulary").json()
    assert any(k["words"][:2] == ["目标", "target"] for k in vocabulary["keywords"])
    assert vocabulary["change_directions"] == {
        "raised": "提高",
        "lowered": "降低",
        "depends_on_year": "先后取决于年度",
    }
    failed(openapi, client.get("/v1/scores"), 404, "E981")
    wrong = failed(openapi, client.get("/v1/score"), 405, "E991")  # was E981 "没有这个接口" for a real one
    assert wrong["diagnostics"][0]["message"] == "/v1/score 只接受 POST，不接受 GET"
    options = failed(openapi, client.options("/v1/score"), 405, "E991")
    assert options["diagnostics"][0]["message"] == "/v1/score 只接受 POST，不接受 OPTIONS"
    page = client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"] and "绩效评分工作台" in page.text


def test_the_openapi_document_lists_exactly_the_routes_served(openapi: dict[str, Any]) -> None:
    """Every route the server has (but the page and its assets) with its methods, and no more; a GET lists
    no 413/415/422/504 (it reads no body and runs no job; 503 and 408 are any request's: `web.limits`): /v1/schema/{model}, /health and /errors
    were missing, /v1/files and /v1/vocabulary listed 413, 415 and 422."""
    served = {}
    for route in routes():
        if isinstance(route, Route) and route.path != "/":
            methods = {method.lower() for method in route.methods or ()} - {"head"}
            served[re.sub(r":\w+}", "}", route.path)] = methods
    assert {path: set(operations) for path, operations in openapi["paths"].items()} == served
    for path, operations in openapi["paths"].items():
        if "get" in operations:
            assert not {"413", "415", "422", "504"} & set(operations["get"]["responses"]), path
            assert {"408", "503"} <= set(operations["get"]["responses"]), path  # too slow, too many (limits)


def test_every_route_answers_a_wrong_method_with_405_as_its_operations_say(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """Every route answers 405 E991 (with Allow) to a method it does not accept, but no operation of the
    document listed 405: now every operation does, with its Allow header."""
    filled = {"{name}": "shangjie-pension/2020.jx", "{model}": "score"}
    for path, operations in openapi["paths"].items():
        url = re.sub(r"\{\w+\}", lambda found: filled[found[0]], path)
        response = client.request("PATCH", url)
        failed(openapi, response, 405, "E991")
        assert set(operations) <= {method.strip().lower() for method in response.headers["allow"].split(",")}
        for method, operation in operations.items():
            listed = operation["responses"].get("405")
            assert listed is not None and "E991" in listed["description"], (path, method)
            assert "Allow" in listed["headers"], (path, method)


def test_the_page_is_light_and_sent_compressed(client: httpx.Client) -> None:
    """WORKBENCH.md: the first load is at most 250 KiB of JS and CSS after gzip, all from the package."""
    sent = 0
    for asset in ("/static/app.js", "/static/app.css"):
        response = client.get(asset, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
        sent += response.num_bytes_downloaded
    assert sent <= 250 * 1024


# -- limits that need their own server -----------------------------------------------------------------
PROC = Path("/proc")


def children(pid: int) -> set[int]:
    """The processes `pid` started (Linux's /proc; empty elsewhere)."""
    found = set()
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.add(int(stat.parent.name))
    return found


def test_deadline_stops_the_work_and_busy_answers_at_once(tmp_path: Path) -> None:
    big = {"ruleset": {"name": SEED}, "inputs": {str(i): {"name": ACTUALS} for i in range(10_000)}}
    with (
        serving(copy_rulesets(tmp_path), "--workers", "1", "--queue", "0", "--deadline", "6") as server,
        server.client() as http,
    ):
        workers = children(server.process.pid)
        slow: dict[str, httpx.Response] = {}
        worker = threading.Thread(target=lambda: slow.update(r=http.post("/v1/score:batch", json=big)))
        worker.start()
        # the batch is on the only worker once its 10,000 inputs are read and checked: on a loaded machine
        # that may take longer than the 0.5 s waited before; asking earlier (or polling) takes the worker first
        time.sleep(2)
        busy = http.post("/v1/score", json=seed_score_request())
        worker.join()
        assert busy.status_code == 503 and codes(busy) == ["E977"] and busy.headers["retry-after"] == "1"
        assert slow["r"].status_code == 504 and codes(slow["r"]) == ["E976"]
        after = http.post("/v1/score", json=seed_score_request())  # a new worker took over
        assert after.status_code == 200 and after.json()["total"] == "99.31"
        if PROC.is_dir():  # the worker that ran past the deadline is gone, not left computing
            gone = workers - children(server.process.pid)
            assert gone and not any((PROC / str(pid)).exists() for pid in gone)
        too_many = {**big, "inputs": {str(i): {"name": ACTUALS} for i in range(10_001)}}
        assert codes(http.post("/v1/score:batch", json=too_many)) == ["E979"]


def test_a_token_guards_the_api_and_makes_it_read_only(tmp_path: Path) -> None:
    token = tmp_path / "token.txt"
    token.write_text("s3cret\n", encoding="utf-8")
    with serving(copy_rulesets(tmp_path), "--token-file", str(token)) as server, server.client() as http:
        denied = http.post("/v1/score", json=seed_score_request())
        assert denied.status_code == 401 and codes(denied) == ["E985"]
        assert (
            http.post(
                "/v1/score", json=seed_score_request(), headers={"Authorization": "Bearer wrong"}
            ).status_code
            == 401
        )
        allowed = {"Authorization": "Bearer s3cret"}
        assert http.post("/v1/score", json=seed_score_request(), headers=allowed).json()["total"] == "99.31"
        for scheme in ("bearer", "BEARER"):  # RFC 7235: the scheme in any case (was 401 E985)
            lower = {"Authorization": f"{scheme} s3cret"}
            assert http.post("/v1/score", json=seed_score_request(), headers=lower).status_code == 200
        assert http.get("/v1/version", headers={"Authorization": "Basic s3cret"}).status_code == 401
        page = http.get("/")  # the workbench could only show E985 「在请求头中加上 Authorization: Bearer…」
        assert (
            page.status_code == 200
            and "只提供接口" in page.text
            and "不带 <code>--token-file</code>" in page.text
        )
        save = http.put(f"/v1/files/{SEED}", json={"text": "x", "base_hash": None}, headers=allowed)
        assert save.status_code == 403 and codes(save) == ["E983"]
        assert http.get("/health").status_code == 200


def test_a_case_naming_a_missing_or_outside_file_fails_on_its_own(
    server: Server, client: httpx.Client
) -> None:
    """The whole request failed (E253) or the case vanished from `cases` (E105): now every case is in the
    answer, the broken ones failed with their errors at their value, the others run as usual."""
    path = server.folder / "shangjie-pension" / "broken.test.yaml"
    path.write_text(
        BROKEN_TESTS,
        encoding="utf-8",
    )
    body = client.post("/v1/test", json={"name": "shangjie-pension/broken.test.yaml"}).json()
    assert [(c["name"], c["passed"]) for c in body["cases"]] == [
        ("原表", True),
        ("缺文件", False),
        ("越界", False),
    ]
    assert [[(d["code"], d["span"]["line"]) for d in c["diagnostics"]] for c in body["cases"]] == [
        [],
        [("E105", 8)],
        [("E253", 12)],
    ]
    assert body["passed"] is False and [d["code"] for d in body["diagnostics"]] == ["E105", "E253"]
