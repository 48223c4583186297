"""The benchmarks still run and agree with their reference (speed itself is never asserted)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_score


def test_bench_score_runs_and_matches_the_decimal_reference() -> None:
    assert bench_score.main(20) == 0
