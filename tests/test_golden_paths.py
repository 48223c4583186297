"""`jixiao test`: the files a test file names stay in its folder (issue 12, docs/security.md) — no absolute
path, no `..`, no link out of the folder (E253, E254 at the value in the test file); subfolders and links
that stay inside are fine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main

GOOD_CASE = """  - name: 原表
    actuals: 2020.actuals.csv
    expect: {total: "99.31"}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A test folder with the seed's ruleset and values, and a secret file beside it (outside)."""
    inner = tmp_path / "tests"
    inner.mkdir()
    shutil.copy(SEED_RULESET, inner / "2020.jx")
    shutil.copy(SEED_ACTUALS, inner / "2020.actuals.csv")
    (tmp_path / "secret.csv").write_text("root:x:0:0:secret line\n", encoding="utf-8")
    shutil.copy(SEED_ACTUALS, tmp_path / "outside.csv")
    return inner


def run_tests(folder: Path, text: str, name: str = "2020.test.yaml") -> Result:
    (folder / name).write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["test", str(folder / name), "--format", "json"])


def positions(result: Result) -> list[tuple[str, int, int]]:
    return [
        (d["code"], d["span"]["line"], d["span"]["column"]) for d in json.loads(result.stdout)["diagnostics"]
    ]


@pytest.mark.parametrize(
    "written",
    [
        "../secret.csv",
        "sub/../../secret.csv",
        "/etc/passwd",
        "..\\secret.csv",
        "C:\\secret.csv",
        "C:secret.csv",
    ],
)
def test_a_case_cannot_read_outside_the_folder(folder: Path, written: str) -> None:
    text = f'cases:\n{GOOD_CASE}  - name: 偷看\n    actuals: "{written.replace(chr(92), chr(92) * 2)}"\n    expect: {{total: "0"}}\n'
    result = run_tests(folder, text)
    assert result.exit_code == 1
    assert positions(result) == [("E253", 6, 14)]
    assert "secret line" not in result.output and "root:x" not in result.output
    assert "✓ 原表" in result.output  # the other case still ran


def test_the_ruleset_named_cannot_be_outside_and_the_key_may_be_chinese(folder: Path) -> None:
    result = run_tests(folder, f"规则: ../other/2020.jx\n用例:\n{GOOD_CASE}")
    assert positions(result) == [("E253", 1, 5)]
    english = CliRunner().invoke(main, ["test", str(folder / "2020.test.yaml"), "--lang", "en"])
    assert "cannot be absolute or contain “..”" in english.output


def test_links_out_of_the_folder_are_refused(folder: Path) -> None:
    (folder / "link.csv").symlink_to(folder.parent / "outside.csv")
    (folder / "data").symlink_to(folder.parent, target_is_directory=True)
    text = f"cases:\n{GOOD_CASE.replace('2020.actuals.csv', 'link.csv')}{GOOD_CASE.replace('2020.actuals.csv', 'data/outside.csv')}"
    result = run_tests(folder, text)
    assert positions(result) == [("E254", 3, 14), ("E254", 6, 14)]


def test_a_default_ruleset_that_links_out_is_refused(folder: Path) -> None:
    (folder / "2020.jx").unlink()
    shutil.copy(SEED_RULESET, folder.parent / "real.jx")
    (folder / "2020.jx").symlink_to(folder.parent / "real.jx")
    result = run_tests(folder, f"cases:\n{GOOD_CASE}")
    assert positions(result) == [("E254", 1, 1)]


def test_subfolders_and_links_inside_the_folder_are_fine(folder: Path) -> None:
    (folder / "data").mkdir()
    shutil.move(folder / "2020.actuals.csv", folder / "data" / "2020.actuals.csv")
    (folder / "same.csv").symlink_to(folder / "data" / "2020.actuals.csv")
    (folder / "rules").mkdir()
    shutil.move(folder / "2020.jx", folder / "rules" / "2020.jx")
    text = f"ruleset: rules/2020.jx\ncases:\n{GOOD_CASE.replace('2020.actuals', 'data/2020.actuals')}{GOOD_CASE.replace('2020.actuals.csv', 'same.csv')}"
    result = run_tests(folder, text)
    assert result.exit_code == 0, result.output
    assert positions(result) == []
