"""Files in and out of the HTTP API: actual values uploaded in every format the CLI reads (GBK CSV, Excel's
Unicode text, xlsx, YAML, JSON, the official 自评表 layout), workbooks of several projects as a batch,
cell errors that name the sheet, row and column, and results downloaded as xlsx, CSV, HTML and JSON and
read back. Every JSON body is validated against the OpenAPI document the server publishes."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import seedfiles
from seedfiles import HEADER, LINES
from serving import Server, client_fixture, failed, needs_web, openapi_fixture, server_fixture, valid  # noqa: F401 (the session's server)

pytestmark = needs_web

SEED = "shangjie-pension/2020.jx"
OCTETS = {"content-type": "application/octet-stream"}
WRITERS = seedfiles.FORMATS


def upload(
    client: httpx.Client, path: Path, endpoint: str = "/v1/score:file", **params: str
) -> httpx.Response:
    query = {"ruleset": SEED, "filename": path.name, **params}
    return client.post(endpoint, params=query, content=path.read_bytes(), headers=OCTETS)


def workbook(folder: Path, sheets: dict[str, list[list[str]]], name: str = "全部项目.xlsx") -> Path:
    """A workbook with one sheet per project (the seed's rows unless given), and a sheet of instructions."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.create_sheet("填表说明").append(["每个工作表填写一个项目的实际完成值。"])
    book.save(folder / name)
    return folder / name


def seed_rows(change: dict[str, str] | None = None) -> list[list[str]]:
    rows = [HEADER.split(",")] + [line.split(",") for line in LINES]
    for row in rows:
        if change and row[2] in change:
            row[3] = change[row[2]]
    return rows


@pytest.mark.parametrize("kind", list(WRITERS))
def test_upload_every_format_the_cli_reads(
    kind: str, tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    path = WRITERS[kind](tmp_path)
    response = upload(client, path)
    assert response.status_code == 200, response.text
    assert valid(openapi, "ScoreReport", response.json())["total"] == "99.31"
    encoded = {"base64": base64.b64encode(path.read_bytes()).decode(), "filename": path.name}
    request = {"ruleset": {"name": SEED}, "actuals": encoded}
    assert client.post("/v1/score", json=request).json()["total"] == "99.31"


def test_a_workbook_larger_than_the_json_limit_is_uploaded_as_json_too(
    tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    """The workbench sends an upload as base64 in JSON (with the editor's unsaved ruleset): a 6 MiB workbook
    (a scanned seal, say) is over the 4 MiB of plain JSON but within the upload limit, so it is scored."""
    path = seedfiles.photographed_workbook(tmp_path, 6)
    encoded = {"base64": base64.b64encode(path.read_bytes()).decode(), "filename": path.name}
    response = client.post("/v1/score", json={"ruleset": {"name": SEED}, "actuals": encoded})
    assert response.status_code == 200, response.text[:300]
    assert valid(openapi, "ScoreReport", response.json())["total"] == "99.31"


def test_files_of_the_folder_in_every_format(server: Server, client: httpx.Client) -> None:
    folder = server.folder / "上传"
    folder.mkdir(exist_ok=True)
    names = [WRITERS[kind](folder).relative_to(server.folder).as_posix() for kind in ("xlsx", "YAML")]
    listing = client.get("/v1/files").json()["files"]
    assert {"name": names[0], "kind": "actuals"} in listing and {
        "name": names[1],
        "kind": "actuals",
    } in listing
    for name in names:
        response = client.post("/v1/score", json={"ruleset": {"name": SEED}, "actuals": {"name": name}})
        assert response.json()["total"] == "99.31", response.text


def test_a_cell_error_in_a_workbook_names_its_sheet_row_and_column(
    tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    path = workbook(tmp_path, {"实际值": seed_rows({"享受补贴人数": "很多人"})}, "实际值.xlsx")
    body = failed(openapi, upload(client, path), 422, "E603")
    span = body["diagnostics"][0]["span"]
    assert (span["path"], span["sheet"], span["line"], span["column"], span["column_name"]) == (
        "实际值.xlsx",
        "实际值",
        21,
        4,
        "实际完成值",
    )


def test_a_workbook_of_several_projects(
    tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    path = workbook(tmp_path, {"甲": seed_rows(), "乙": seed_rows({"享受补贴人数": "1.0万人"})})
    body = failed(openapi, upload(client, path), 422, "E986")
    assert "甲、乙" in body["diagnostics"][0]["message"]
    assert upload(client, path, sheet="乙").json()["total"] == "97.49"
    response = upload(client, path, "/v1/score:batch")
    results = valid(openapi, "BatchResponse", response.json())["results"]
    assert response.status_code == 200
    assert {k: (v["project"], v["result"]["total"]) for k, v in results.items()} == {
        "全部项目.xlsx:甲": ("甲", "99.31"),
        "全部项目.xlsx:乙": ("乙", "97.49"),
    }


def test_a_batch_of_workbooks_gives_every_sheet_and_a_broken_one_its_place(
    tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    path = workbook(tmp_path, {"甲": seed_rows(), "乙": seed_rows({"享受补贴人数": "很多人"})})
    encoded = {"base64": base64.b64encode(path.read_bytes()).decode(), "filename": "C:\\上报\\全部项目.xlsx"}
    request = {
        "ruleset": {"name": SEED},
        "inputs": {"A": encoded, "B": {"name": "shangjie-pension/2020.actuals.csv"}},
        "layout": True,
        "explain": True,
    }
    response = client.post("/v1/score:batch", json=request)
    assert response.status_code == 207
    results = valid(openapi, "BatchResponse", response.json())["results"]
    assert list(results) == ["A:甲", "A:乙", "B"]
    assert results["A:甲"]["result"]["explanation"]["trace"]
    assert (
        results["A:甲"]["layout"]["total"] == "99.31"
        and results["B"]["origin"] == "shangjie-pension/2020.actuals.csv"
    )
    (diag,) = results["A:乙"]["error"]["diagnostics"]
    assert (diag["code"], diag["span"]["path"], diag["span"]["sheet"], diag["span"]["line"]) == (
        "E603",
        "全部项目.xlsx",
        "乙",
        21,
    )


def test_a_project_naming_its_ruleset_is_scored_with_it_from_inside_the_folder(
    server: Server, tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    half_up = (server.folder / SEED).read_text(encoding="utf-8").replace("舍入 截断 2位", "舍入 四舍五入 2位")
    (server.folder / "四舍五入").mkdir(exist_ok=True)
    (server.folder / "四舍五入" / "2020.jx").write_text(half_up, encoding="utf-8")  # 0.9376 → 0.94
    rows = [f"项目,规则,{HEADER}"]
    for project, ruleset in (("甲", "四舍五入/2020.jx"), ("乙", ""), ("丙", "../../etc/x.jx")):
        rows += [f"{project},{ruleset if i == 0 else ''},{line}" for i, line in enumerate(LINES)]
    path = tmp_path / "汇总.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    response = upload(client, path, "/v1/score:batch")
    results = valid(openapi, "BatchResponse", response.json())["results"]
    assert response.status_code == 207
    named = results["汇总.csv#甲"]
    assert (named["ruleset"], named["result"]["total"]) == ("四舍五入/2020.jx", "99.32")
    assert results["汇总.csv#乙"]["result"]["total"] == "99.31"
    assert [d["code"] for d in results["汇总.csv#丙"]["error"]["diagnostics"]] == ["E974"]


def download(
    client: httpx.Client, openapi: dict[str, Any], fmt: str, **request: Any
) -> tuple[bytes, dict[str, Any]]:
    body = {
        "ruleset": {"name": SEED},
        "actuals": {"name": "shangjie-pension/2020.actuals.csv"},
        "format": fmt,
    }
    response = client.post("/v1/report", json={**body, **request})
    assert response.status_code in (200, 207), response.text
    document = valid(openapi, "Download", response.json())
    return base64.b64decode(document["base64"]), document


def cells(data: bytes) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_download_xlsx_csv_html_and_json_and_read_them_back(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    data, document = download(client, openapi, "xlsx")
    assert document["filename"] == "城乡居民基本养老保险费财政补助资金.xlsx"
    assert document["media_type"].endswith("spreadsheetml.sheet")
    sheets = cells(data)
    table = next(iter(sheets.values()))
    rate = next(row for row in table if "预算执行率" in row)
    assert rate[2:7] == ["预算执行率", "100%", "93.76%", 1, 0.93]  # weight and score stored as numbers
    total = next(row for row in table if row[0] == "总分值 / 总得分")
    assert total[5:] == [100, 99.31, "等级：优"]
    data, document = download(client, openapi, "csv")
    assert data.startswith(b"\xef\xbb\xbf") and "99.31" in data.decode("utf-8-sig")
    assert document["media_type"] == "text/csv; charset=utf-8"
    data, _ = download(client, openapi, "html")
    assert b"<table" in data and b"99.31" in data
    data, _ = download(client, openapi, "json")
    assert json.loads(data)["total"] == "99.31"
    for fmt in ("markdown", "table", "explain"):
        assert "0.93" in download(client, openapi, fmt)[0].decode("utf-8")
    failed(openapi, client.post("/v1/report", json={"format": "pdf"}), 422, "E971")


def test_a_workbook_of_several_projects_downloads_as_the_batch_workbook(
    tmp_path: Path, client: httpx.Client, openapi: dict[str, Any]
) -> None:
    path = workbook(tmp_path, {"甲": seed_rows(), "乙": seed_rows({"享受补贴人数": "1.0万人"})})
    encoded = {"base64": base64.b64encode(path.read_bytes()).decode(), "filename": path.name}
    data, document = download(client, openapi, "xlsx", actuals=encoded)
    assert document["filename"] == "批量评分汇总.xlsx"
    sheets = cells(data)
    summary = next(iter(sheets.values()))
    assert [row[1] for row in summary[1:3]] == ["甲", "乙"] and [row[5] for row in summary[1:3]] == [
        99.31,
        97.49,
    ]
    assert [row[3] for row in summary[1:3]] == ["甲", "乙"]  # the sheet of each project's table
    assert {"甲", "乙"} <= set(sheets)
    response = upload(client, path, output="xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == document["media_type"]
    assert "filename*=UTF-8''%E6%89%B9" in response.headers["content-disposition"]
    assert cells(response.content).keys() == sheets.keys()


def test_upload_answers_a_file_to_download(tmp_path: Path, client: httpx.Client) -> None:
    response = upload(client, seedfiles.simple_workbook(tmp_path), output="csv")
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf") and "99.31" in response.content.decode("utf-8-sig")
    assert len(response.headers["x-jixiao-ruleset-hash"]) == 64


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("实际值.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "E987", "PNG 图片"),
        ("实际值.xlsx", bytes((i * 7919 + 13) % 256 for i in range(3000)), "E988", "不是 Excel 工作簿"),
    ],
    ids=["png", "random-bytes"],
)
def test_an_upload_that_is_not_a_table_says_what_it_is(
    client: httpx.Client,
    openapi: dict[str, Any],
    tmp_path: Path,
    name: str,
    data: bytes,
    code: str,
    words: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    response = upload(client, path)
    assert response.status_code == 422
    [diag] = valid(openapi, "DiagnosticsReport", response.json())["diagnostics"]
    assert diag["code"] == code and words in diag["message"]
    assert diag["span"]["path"] == name and "Excel 工作簿" in diag["help"]
    english = upload(client, path, lang="en").json()["diagnostics"][0]
    assert english["code"] == code and "not" in english["message"]


@pytest.mark.parametrize(
    ("original", "saved"),
    [
        (
            b'\xef\xbb\xbf\xe9\xa1\xb9\xe7\x9b\xae "x" {\n}\n',
            b'\xef\xbb\xbf\xe9\xa1\xb9\xe7\x9b\xae "x" {\n}\n# added\n',
        ),
        (b'project "x" {\r\n}\r\n', b'project "x" {\r\n}\r\n# added\r\n'),
        (b'\xef\xbb\xbfproject "x" {\r\n}\r\n', b'\xef\xbb\xbfproject "x" {\r\n}\r\n# added\r\n'),
        (b'project "x" {\n}\n', b'project "x" {\n}\n# added\n'),
    ],
)
def test_saving_keeps_the_files_bom_and_line_ends(
    server: Server, client: httpx.Client, original: bytes, saved: bytes
) -> None:
    """PUT /v1/files dropped a UTF-8 BOM and turned CRLF into LF; fmt and test --update keep both."""
    path = server.folder / "kept.jx"
    path.write_bytes(original)
    try:
        opened = client.get("/v1/files/kept.jx").json()
        assert "\r" not in opened["text"] and not opened["text"].startswith("\ufeff")
        body = {"text": opened["text"] + "# added\n", "base_hash": opened["hash"]}
        response = client.put("/v1/files/kept.jx", json=body)
        assert response.status_code == 200, response.text
        assert path.read_bytes() == saved
        assert client.get("/v1/files/kept.jx").json()["hash"] == response.json()["hash"]
    finally:
        path.unlink()
