"""Hostile inputs (tests/cases/hostile/): each gives its positioned error within a generous time budget.

The budget is a limit on pathological growth (each case took from 30 s to "never" before the limits of
docs/security.md), not a speed benchmark: it is many times what the case needs on a slow machine.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from conftest import CASES, ROOT

import jixiao
from jixiao.diagnostics import Diagnostic, Severity, render_all
from jixiao.tools.golden import run_file

HOSTILE = CASES / "hostile"
sys.path.insert(0, str(HOSTILE))
import generate  # noqa: E402  (the case generator lives with the cases)

BUDGET_SECONDS = 60.0
COMMITTED = sorted(p.parent for p in HOSTILE.glob("*/expected.yaml"))


def run_case(folder: Path) -> tuple[list[Diagnostic], str | None]:
    """The error diagnostics of a case (rendered as the CLI would print them), and the total if scored."""
    tests = sorted(folder.glob("*.test.yaml"))
    total = None
    if tests:
        result = run_file(tests[0])
        found = [*result.diagnostics, *(d for case in result.cases for d in case.errors)]
    elif (folder / "actuals.csv").exists():
        try:
            scored = jixiao.load_ruleset(folder / "ruleset.jx", cache=False).score(folder / "actuals.csv")
            found, total = [], scored.total.text()
            jixiao.render(scored)
        except jixiao.JixiaoError as exc:
            found = exc.diagnostics
    else:
        found = jixiao.check(folder / "ruleset.jx")
    errors = [d for d in found if d.severity is Severity.ERROR]
    render_all(errors)
    return errors, total


def assert_case(folder: Path) -> None:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    start = time.monotonic()
    errors, total = run_case(folder)
    elapsed = time.monotonic() - start
    got = [_describe(d) for d in errors]
    wanted = expected["errors"]
    trimmed = [{k: g[k] for k in w if k in g} for w, g in zip(wanted, got, strict=False)]
    assert trimmed == wanted, got[:5]
    assert len(got) == expected.get("count", len(wanted)), got[:5]
    assert total == expected.get("total", total)
    unplaced = [d.code for d in errors if d.span is None or d.span.line < 1 or not d.span.path]
    assert unplaced == [], "every diagnostic has a position"
    assert elapsed < expected.get("budget", BUDGET_SECONDS), f"{folder.name} took {elapsed:.1f} s"


def _describe(diag: Diagnostic) -> dict[str, object]:
    out: dict[str, object] = {"code": diag.code}
    if diag.span is not None:
        out.update(file=Path(diag.span.path).name, line=diag.span.line, column=diag.span.column)
    return out


@pytest.mark.parametrize("name", sorted(generate.GENERATED))
def test_generated_hostile_case(name: str, tmp_path: Path) -> None:
    assert_case(generate.write(name, tmp_path))


@pytest.mark.parametrize("folder", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_hostile_case(folder: Path) -> None:
    assert_case(folder)


@pytest.mark.parametrize("name", ["semicolon-lines-1mb", "use-7000-times", "csv-unknown-rows-20k"])
def test_memory_stays_bounded(name: str, tmp_path: Path) -> None:
    """Under a 500 MB address-space limit (1 MB of line breaks once took 1.2 GB) the case still runs."""
    folder = generate.write(name, tmp_path)
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (500 * 2**20, 500 * 2**20))
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from test_hostile import run_case
        from pathlib import Path
        errors, _ = run_case(Path({str(folder)!r}))
        print(len(errors))
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    assert int(run.stdout.split()[-1]) == expected.get("count", len(expected["errors"]))
