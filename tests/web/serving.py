"""A real `jixiao serve` for the web tests: a copy of the repository's rulesets, 127.0.0.1, a free port.

The server runs as its own process (as a user starts it), answers /health before a test begins and
is stopped in a `finally`. Its folder is a copy, so saving from the workbench never touches the repo.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = all(importlib.util.find_spec(name) for name in ("starlette", "uvicorn"))
needs_web = pytest.mark.skipif(not WEB, reason="the web extra is not installed (pip install -e '.[web]')")


@dataclass
class Server:
    url: str
    folder: Path
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)


def copy_rulesets(target: Path) -> Path:
    folder = target / "served"
    shutil.copytree(ROOT / "rulesets", folder)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(folder: Path, *options: str) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-c", "from jixiao.cli import main; main()", "serve", str(folder)]
    command += ["--no-browser", "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(f"http://127.0.0.1:{port}", folder, process)
    try:
        _wait(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def _wait(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(server.process.stderr.read().decode() if server.process.stderr else "exited")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("jixiao serve did not answer within 60 s")


def seed_score_request(**extra: Any) -> dict[str, Any]:
    return {
        "ruleset": {"name": "shangjie-pension/2020.jx"},
        "actuals": {"name": "shangjie-pension/2020.actuals.csv"},
        **extra,
    }


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- one API server for the HTTP test modules (import the *_fixture names), checks of its answers --------------------------------
@pytest.fixture(scope="session", name="server")
def server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(copy_rulesets(tmp_path_factory.mktemp("http"))) as running:
        yield running


@pytest.fixture(scope="session", name="client")
def client_fixture(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


@pytest.fixture(scope="session", name="openapi")
def openapi_fixture(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def valid(openapi: dict[str, Any], model: str, body: Any) -> Any:
    """`body` is an instance of the OpenAPI component `model` (raises otherwise); returns it."""
    schema = {"$ref": f"#/components/schemas/{model}", "components": openapi["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)
    return body


def codes(response: httpx.Response) -> list[str]:
    return [d["code"] for d in response.json()["diagnostics"]]


def failed(openapi: dict[str, Any], response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    valid(openapi, "DiagnosticsReport", response.json())
    assert code in codes(response), response.text
    return dict(response.json())


# A test file of three cases: one that runs, one whose actual-value file is missing, one outside the folder
BROKEN_TESTS = (
    "ruleset: 2020.jx\ncases:\n"
    '  - name: 原表\n    actuals: 2020.actuals.csv\n    expect:\n      total: "99.31"\n'
    '  - name: 缺文件\n    actuals: nope.csv\n    expect:\n      total: "1"\n'
    '  - name: 越界\n    actuals: ../../secret.csv\n    expect:\n      total: "1"\n'
)
