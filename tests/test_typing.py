"""The public API's types as a client sees them: a program using it passes `mypy --strict` (docs/api.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

CLIENT = """
import jixiao


def show(result: jixiao.Result, fmt: str, lang: str) -> str:
    out = jixiao.render(result, fmt, lang)  # a format from a variable: str | bytes
    return out if isinstance(out, str) else out.hex()


def typed(result: jixiao.Result) -> tuple[str, bytes, str]:
    table: str = jixiao.render(result)
    workbook: bytes = jixiao.render(result, "xlsx")
    text: str = jixiao.render(result, "explain-json", "en")
    return table + text, workbook, show(result, "json", "zh")
"""


def test_a_client_of_render_passes_mypy_strict(tmp_path: Path) -> None:
    client = tmp_path / "client.py"
    client.write_text(CLIENT, encoding="utf-8")
    environment = {**os.environ, "MYPYPATH": str(ROOT / "src")}  # this tree's jixiao, not an installed one
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(client)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
    )
    assert run.returncode == 0, run.stdout + run.stderr
