"""The package needs no symlinks (a Windows clone has none): one copy of grammars/ and rulesets/, shipped
inside the wheel by the build backend and read from the repository in a checkout."""

from __future__ import annotations

import shutil
import subprocess
import tomllib

import pytest
from conftest import ROOT

from jixiao.resources import data_dir, grammar_text, resource


def test_the_repository_holds_no_symlink() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listing = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True)
    links = [line.split("\t")[1] for line in listing.stdout.splitlines() if line.startswith("120000")]
    assert links == []


def test_the_wheel_carries_the_grammar_and_the_rulesets() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include == {
        "grammars": "jixiao/grammars",
        "rulesets": "jixiao/rulesets",
        "docs/errors.md": "jixiao/docs/errors.md",  # the workbench's error reference (/errors)
    }


def test_the_data_is_found_from_a_checkout() -> None:
    assert "\nstart:" in grammar_text()
    assert data_dir("rulesets").joinpath("standard", "central.jx").is_file()
    assert resource("rulesets/standard/central.jx") is not None
    assert resource("rulesets/../pyproject.toml") is None and resource("/etc/passwd") is None
