"""Shared test helpers: the repo root, and golden-file regeneration.

Set JIXIAO_UPDATE_GOLDEN=1 to rewrite expected files from current output
(then review the diff in version control).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed (reproducible, never flaky); developers' runs explore.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SEED_RULESET = ROOT / "rulesets" / "shangjie-pension" / "2020.jx"
SEED_ACTUALS = ROOT / "rulesets" / "shangjie-pension" / "2020.actuals.csv"


def update_golden() -> bool:
    return os.environ.get("JIXIAO_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JIXIAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
