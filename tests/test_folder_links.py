"""A folder given on the command line is read inside only (folders.py): a link under it leading out of it
is never read, entered or shown, whichever command walks the folder — a folder unpacked from mail may hold a
link to /etc/passwd. check and fmt: tests/test_check.py."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET, symlink_or_skip

from jixiao.cli import main

SECRET = "root:x:0:0:机密的第一行"  # what a file outside the folder holds: never in any output


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the one given, with a file of each kind a command might read."""
    there = tmp_path / "别处"
    there.mkdir()
    for name in ("密.csv", "密.jx", "密.test.yaml"):
        (there / name).write_text(SECRET + "\n", encoding="utf-8")
    return there


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_batch_over_a_folder_refuses_links_leading_out_of_it(
    tmp_path: Path, outside: Path, lang: str
) -> None:
    """`score DIR`: a linked file or folder leading out of DIR is a project with E232 (exit 1), never read
    (was: the file read, its first line shown in E530's excerpt); a link inside DIR is read."""
    folder = tmp_path / "收到的表"
    folder.mkdir()
    shutil.copy(SEED_ACTUALS, folder / "甲.csv")
    symlink_or_skip(folder / "乙.csv", outside / "密.csv")
    symlink_or_skip(folder / "丙", outside)
    symlink_or_skip(folder / "丁.csv", folder / "甲.csv")  # inside: read like any file
    result = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(folder), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert SECRET not in result.output and "密" not in result.output
    for link in (folder / "乙.csv", folder / "丙"):
        assert f"{link}: error[E232]" in result.output, result.output
    summary = result.output.split("\n\n")[0]
    assert summary.count("99.31") == 2, summary  # 甲 and 丁 (the link inside) scored
    link = folder / "乙.csv"
    assert f"E232 {link}" in summary and f"E232 {link}:1:1" not in summary, summary  # a path has no line


def test_diff_of_two_folders_skips_links_leading_out_of_them(tmp_path: Path, outside: Path) -> None:
    """`diff OLD NEW`: a .jx link leading out of a folder is W130, never read (was: read and compared)."""
    old, new = tmp_path / "2020", tmp_path / "2021"
    for side in (old, new):
        side.mkdir()
        shutil.copy(SEED_RULESET, side / "p.jx")
    symlink_or_skip(new / "外.jx", outside / "密.jx")
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert SECRET not in result.output
    found = [(d["code"], d["span"]["path"]) for d in json.loads(result.stdout)["diagnostics"]]
    # named where the link is (the folder as given, then its name), never by the place it leads to
    assert ("W130", f"{new}/外.jx") in found, found
    assert not any(c.startswith("E") for c, _ in found), found


def test_jixiao_test_of_a_folder_skips_links_leading_out_of_it(tmp_path: Path, outside: Path) -> None:
    """`jixiao test DIR`: a *.test.yaml link leading out of DIR is W130, never read."""
    folder = tmp_path / "规则"
    shutil.copytree(ROOT / "rulesets" / "shangjie-pension", folder)
    symlink_or_skip(folder / "外.test.yaml", outside / "密.test.yaml")
    result = CliRunner().invoke(main, ["test", str(folder)])
    assert SECRET not in result.output
    assert f"{folder / '外.test.yaml'}: warning[W130]" in result.output, result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_rev_skips_working_tree_links_leading_out_of_the_repository(
    tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diff --rev HEAD`: a link git knows in the working tree that leads out of the repository is W130."""
    repo = tmp_path / "仓库"
    repo.mkdir()
    shutil.copy(SEED_RULESET, repo / "p.jx")
    symlink_or_skip(repo / "外.jx", outside / "密.jx")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True)

    git("init", "-q")
    git("config", "user.email", "staff@example.invalid")
    git("config", "user.name", "staff")
    git("add", "p.jx")
    git("commit", "-q", "-m", "2020")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "--rev", "HEAD"])
    assert SECRET not in result.output
    assert "外.jx: warning[W130]" in result.output, result.output
