"""Shared test helpers: the repo root, and golden-file regeneration.

Set JIXIAO_UPDATE_GOLDEN=1 to rewrite expected files from current output
(then review the diff in version control).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed (reproducible, never flaky); developers' runs explore.
# No deadline anywhere: speed is measured in benchmarks/, never asserted in a test (a loaded machine
# made hypothesis's 200 ms deadline fail an example it had passed a moment before).
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
SEED_RULESET = ROOT / "rulesets" / "shangjie-pension" / "2020.jx"
SEED_ACTUALS = ROOT / "rulesets" / "shangjie-pension" / "2020.actuals.csv"


def seed_score_process(
    at_exit: str, environment: dict[str, str] | None = None, options: tuple[str, ...] = ()
) -> tuple[str, str]:
    """`jixiao score` of the seed (with `options`) as the console script runs it (`cli.run`) in a fresh
    process (with `environment` added): its output, and what the Python expression `at_exit` gives when
    the process ends (printed to stderr)."""
    code = (
        "import atexit, gc, sys\n"
        f"atexit.register(lambda: print({at_exit}, file=sys.stderr))\n"
        "from jixiao.cli import run\nrun()\n"
    )
    args = ["score", str(SEED_RULESET), str(SEED_ACTUALS), *options]
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, **(environment or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr.strip()


def update_golden() -> bool:
    return os.environ.get("JIXIAO_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JIXIAO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def symlink_or_skip(link: Path, target: Path) -> None:
    """A symbolic link, or the test skipped where none can be made (Windows without the privilege)."""
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError) as exc:
        pytest.skip(f"no symbolic links here: {exc}")
