"""The benchmark harness still runs and the hand-written references agree with the engine.

Speed itself is never asserted: the harness measures it (python benchmarks/harness.py).
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import harness
import workload


@pytest.mark.parametrize("name", sorted(workload.RULESETS))
def test_the_decimal_reference_agrees_with_the_engine_on_generated_projects(name: str) -> None:
    assert harness.disagreements(name, 60) == 0


def test_the_reference_notices_a_changed_word() -> None:
    specs = workload.TWENTY  # its first indicator is 预算编制合理性, 目标 合理, 分值 2
    annual, executed, cells = workload.parsed(specs, workload.projects(specs, 1)[0])
    met = workload.decimal_total(specs, (annual, executed, ("合理", *cells[1:])))
    missed = workload.decimal_total(specs, (annual, executed, ("不合理", *cells[1:])))
    assert met - missed == 2


def test_the_harness_runs_every_section_at_small_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert harness.main(["scoring", "load", "memory", "jobs", "columnar", "--quick", "--projects", "5"]) == 0
    out = capsys.readouterr().out
    assert "Decimal loop" in out and "growth exponent" in out and "KiB" in out and "speed-up" in out
    assert "columnar: scoring a read batch" in out and "long CSV: reader + score_many" in out


def test_the_diff_section_counts_the_comparisons_of_renamed_indicators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert harness.main(["diff", "--quick"]) == 0
    out = capsys.readouterr().out
    assert "diff of renamed indicators" in out and "changed" in out and "exponent" in out


def test_the_import_table_lists_what_a_command_imports(capsys: pytest.CaptureFixture[str]) -> None:
    harness.import_table([sys.executable, "-X", "importtime", "-c", "import json.decoder"])
    out = capsys.readouterr().out
    assert "imports of `jixiao score`" in out and "json" in out.split("cumulative:")[1]
