"""`jixiao test`: a problem in a test file is reported at its place in the test file — the key that is
unknown (not its value), the row of `rows:` that names no indicator, the line naming a missing file —
in the language asked for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SEED_RULESET, tmp_path / "2020.jx")
    shutil.copy(SEED_ACTUALS, tmp_path / "2020.actuals.csv")
    return tmp_path


def run_tests(folder: Path, text: str, *options: str) -> Result:
    (folder / "2020.test.yaml").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["test", str(folder / "2020.test.yaml"), *options])


def diagnostics(result: Result) -> list[tuple[str, int, int, str | None]]:
    found = json.loads(result.stdout)["diagnostics"]
    return [(d["code"], d["span"]["line"], d["span"]["column"], d["suggestion"]) for d in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "cases:\n  - name: a\n    actuals: 2020.actuals.csv\n    expect: {totl: 1}\n",
            ("E802", 4, 14, "total"),
        ),
        (
            "用例:\n  - 名称: a\n    实际值: 2020.actuals.csv\n    预期: {总份: 1}\n",
            ("E802", 4, 10, "总分"),
        ),
        (
            "cases:\n  - name: a\n    actuals: 2020.actuals.csv\n    expect:\n      scores:\n"
            '        享受补贴人: "20.00"\n',
            ("E803", 6, 9, "享受补贴人数"),
        ),
        (
            '用例:\n  - 名称: a\n    实际值: 2020.actuals.csv\n    预期:\n      得分: {预算执行率: "0.93", 不存在: "1"}\n',
            ("E803", 5, 27, None),
        ),
    ],
    ids=["E802", "E802-zh", "E803", "E803-zh"],
)
def test_an_unknown_key_is_reported_at_the_key(folder: Path, text: str, expected: tuple) -> None:
    """(was: at the column of its value)"""
    result = run_tests(folder, text, "--format", "json")
    assert result.exit_code == 1
    assert diagnostics(result) == [expected]
