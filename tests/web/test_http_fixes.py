"""Quick fixes in `/v1/check`: every did-you-mean the diagnostics carry comes with the edit that applies
it (the replacement text and its span), and applying that edit leaves a ruleset with no diagnostics."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from serving import (  # noqa: F401 (the session's server)
    ROOT,
    client_fixture,
    needs_web,
    openapi_fixture,
    server_fixture,
    valid,
)

pytestmark = needs_web

SEED = "shangjie-pension/2020.jx"
TEXT = (ROOT / "rulesets" / SEED).read_text(encoding="utf-8")

# (the mistake, the code, the text the fix replaces): a keyword, a scale word, a name in a condition,
# a policy name inside quotes, a money unit inside its statement
MISTAKES = [
    (("分值 20", "分只 20"), "E104", "分只"),
    (("资金发放准确率  目标", "资金发放准确率  木标"), "E101", "木标"),
    (("目标 有效保障", "目标 有校保障"), "E206", "有校保障"),
    (("需说明 当 执行率", "需说明 当 执形率"), "E208", "执形率"),
    (('"standard/central"', '"standard/centrl"'), "E204", "standard/centrl"),
    (("金额单位 万元", "金额单位 万园"), "E307", "万园"),
    (("舍入 截断 2位", "舍入 截段 2位"), "E112", "截段"),  # a rounding mode's typo: 截断
]


def check(client: httpx.Client, openapi: dict[str, Any], text: str) -> list[dict[str, Any]]:
    response = client.post("/v1/check", json={"ruleset": {"name": SEED, "text": text}})
    assert response.status_code == 200
    diagnostics: list[dict[str, Any]] = valid(openapi, "CheckResponse", response.json())["diagnostics"]
    return diagnostics


def apply(text: str, fix: dict[str, Any]) -> str:
    span = fix["span"]
    assert span["line"] == span["end_line"]
    lines = text.split("\n")
    line = lines[span["line"] - 1]
    lines[span["line"] - 1] = line[: span["column"] - 1] + fix["text"] + line[span["end_column"] - 1 :]
    return "\n".join(lines)


@pytest.mark.parametrize(("change", "code", "wrong"), MISTAKES, ids=[m[1] for m in MISTAKES])
def test_a_did_you_mean_is_an_edit_that_fixes_the_ruleset(
    client: httpx.Client, openapi: dict[str, Any], change: tuple[str, str], code: str, wrong: str
) -> None:
    text = TEXT.replace(*change)
    [diag] = check(client, openapi, text)
    assert diag["code"] == code and diag["suggestion"] is not None
    fix = diag["fix"]
    span = fix["span"]
    assert span["path"] == SEED
    assert text.split("\n")[span["line"] - 1][span["column"] - 1 : span["end_column"] - 1] == wrong
    assert fix["text"] == diag["suggestion"]
    assert apply(text, fix) == TEXT
    assert check(client, openapi, apply(text, fix)) == []


def test_a_diagnostic_without_a_did_you_mean_has_no_fix(
    client: httpx.Client, openapi: dict[str, Any]
) -> None:
    text = TEXT.replace("≥1.1万人  分值 20", "≥1.1万人  分值 15")
    diagnostics = check(client, openapi, text)
    assert "E401" in [d["code"] for d in diagnostics]
    assert all(d["fix"] is None and d["suggestion"] is None for d in diagnostics)


def test_a_fix_never_reaches_into_another_file(client: httpx.Client, openapi: dict[str, Any]) -> None:
    """A policy's diagnostics are not the editor's text to change: their spans name the policy."""
    text = TEXT.replace("分值 20", "分只 20")
    response = client.post("/v1/check", json={"ruleset": {"name": "shangjie-pension/other.jx", "text": text}})
    [diag] = valid(openapi, "CheckResponse", response.json())["diagnostics"]
    assert diag["fix"]["span"]["path"] == "shangjie-pension/other.jx"


def test_the_quick_fix_example_of_http_md_is_what_check_answers(client: httpx.Client) -> None:
    """docs/http.md shows the seed with 分只 for 分值 on line 43: its message, span and fix as served."""
    shown = re.search(
        r'```json\n(\{"code": "E104".*?)\n```', (ROOT / "docs" / "http.md").read_text("utf-8"), re.S
    )
    assert shown is not None
    example = json.loads(shown.group(1))
    lines = TEXT.splitlines(keepends=True)
    lines[42] = lines[42].replace("分值", "分只", 1)
    name = "shangjie-pension/2020.jx"
    response = client.post("/v1/check", json={"ruleset": {"name": name, "text": "".join(lines)}})
    [diag] = response.json()["diagnostics"]
    assert diag["message"] == example["message"] and diag["suggestion"] == example["suggestion"]
    assert {k: diag["span"][k] for k in example["span"]} == example["span"]
    assert diag["fix"]["text"] == example["fix"]["text"]
    assert diag["help"].startswith(example["help"].removesuffix(" …"))
