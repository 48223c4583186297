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
from click.testing import CliRunner
from conftest import CASES, ROOT

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import Diagnostic, Severity, render_all
from jixiao.language.parser import parse
from jixiao.tools.fmt import format_text
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
    counted = sum(1 + d.more for d in errors)  # those left out after MAX_REPEATS of a kind are counted
    assert counted == expected.get("count", len(wanted)), got[:5]
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
        print(sum(1 + d.more for d in errors))
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    assert int(run.stdout.split()[-1]) == expected.get("count", len(expected["errors"]))


LONG_SUM = CASES / "eval" / "long-sum"
# Every command that reads a ruleset, as arguments ({ruleset}, {actuals}, {changed}: a changed copy)
EVERY_COMMAND = [
    ["check", "{ruleset}"],
    ["score", "{ruleset}", "{actuals}"],
    ["score", "{ruleset}", "{actuals}", "--explain"],
    ["score", "{ruleset}", "{actuals}", "--format", "json"],
    ["fmt", "--check", "{ruleset}"],
    ["diff", "{ruleset}", "{changed}", "--actuals", "{actuals}"],
]


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=["check", "score", "explain", "json", "fmt", "diff"])
def test_a_sum_of_300_terms_goes_through_every_command(args: list[str], tmp_path: Path) -> None:
    """`a + b + …` of 300 terms is one level of E904 (a chain, not nesting), and every stage walks it in a
    loop: no E904, no RecursionError (exit 70), in check, score, --explain, fmt and diff."""
    text = (LONG_SUM / "ruleset.jx").read_text(encoding="utf-8")
    changed = tmp_path / "changed.jx"
    changed.write_text(text.replace("分值 40", "分值 39").replace("分值 30", "分值 31"), encoding="utf-8")
    paths = {"ruleset": LONG_SUM / "ruleset.jx", "actuals": LONG_SUM / "actuals.csv", "changed": changed}
    result = CliRunner().invoke(main, [a.format(**paths) for a in args])
    assert result.exit_code in (0, 1), result.output  # fmt --check and diff exit 1 for a change
    assert "E904" not in result.output and "RecursionError" not in result.output
    assert "内部错误" not in result.output


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=["check", "score", "explain", "json", "fmt", "diff"])
def test_a_condition_of_2400_terms_goes_through_every_command(args: list[str], tmp_path: Path) -> None:
    """`a 或 b 或 …` (and `a 且 b 且 …`) is one level of E904 (a chain, as a sum is), and every stage
    walks it in a loop: no E904, no RecursionError (exit 70), in check, score, --explain, fmt and diff."""
    folder = generate.write("condition-2400-terms", tmp_path)
    ruleset = folder / "ruleset.jx"
    changed = tmp_path / "changed.jx"
    changed.write_text(
        ruleset.read_text(encoding="utf-8").replace("实际 = 2399", "实际 = 2398"), encoding="utf-8"
    )
    paths = {"ruleset": ruleset, "actuals": folder / "actuals.csv", "changed": changed}
    result = CliRunner().invoke(main, [a.format(**paths) for a in args])
    assert result.exit_code in (0, 1), result.output[-2000:]  # diff exits 1 for a change
    assert "E904" not in result.output and "RecursionError" not in result.output
    assert "内部错误" not in result.output
    if args[0] == "diff":
        assert "40.00" in result.output and "0.00" in result.output  # 甲 no longer full: 2399 ≠ 2398


def test_a_long_condition_prints_and_reads_back_the_same(tmp_path: Path) -> None:
    text = (generate.write("condition-2400-terms", tmp_path) / "ruleset.jx").read_text(encoding="utf-8")
    printed = format_text(text)
    assert " 或 ".join(f"实际 = {i}" for i in range(800)) in printed
    assert parse(printed, "<printed>") == parse(text, "<text>")


def test_a_long_sum_prints_and_reads_back_the_same() -> None:
    text = (LONG_SUM / "ruleset.jx").read_text(encoding="utf-8")
    printed = format_text(text)
    assert " + ".join(["实际 ÷ 目标 × 分值 ÷ 300"] * 300) in printed
    assert parse(printed, "<printed>") == parse(text, "<text>")
