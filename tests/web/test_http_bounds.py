"""Hostile input over HTTP is a positioned 422, never a 500 or a timeout: named formulas that double at
each level, a YAML tag on a list, a codec that is not a text encoding."""

from __future__ import annotations

from typing import Any

import httpx
from serving import client_fixture, failed, needs_web, openapi_fixture, server_fixture  # noqa: F401 (the session's server)

pytestmark = needs_web

SEED = "shangjie-pension/2020.jx"
OCTETS = {"content-type": "application/octet-stream"}


def test_named_formulas_doubling_30_times_are_E912(client: httpx.Client, openapi: dict[str, Any]) -> None:
    lines = ["公式 f0 = 实际", *(f"公式 f{i} = f{i - 1} + f{i - 1}" for i in range(1, 31))]
    body = "".join(f"  {line}\n" for line in lines)
    text = f'项目 "x" 年度 2020 {{\n{body}  产出指标 / 数量指标 {{\n    人数 目标 ≥10人 分值 100 得分 = f30\n  }}\n}}\n'
    response = client.post("/v1/check", json={"ruleset": {"text": text}})
    assert response.status_code == 200, response.text
    assert [(d["code"], d["span"]["line"]) for d in response.json()["diagnostics"]] == [("E912", 15)]


def test_a_yaml_tag_and_a_bytes_codec_are_422(client: httpx.Client, openapi: dict[str, Any]) -> None:
    query = {"ruleset": SEED, "filename": "实际值.yaml"}
    tagged = client.post("/v1/score:file", params=query, content=b"rows: !!set {a}\n", headers=OCTETS)
    failed(openapi, tagged, 422, "E526")
    query = {"ruleset": SEED, "filename": "实际值.csv", "encoding": "rot13"}
    rot13 = client.post("/v1/score:file", params=query, content=b"a,b\n", headers=OCTETS)
    failed(openapi, rot13, 422, "E126")
