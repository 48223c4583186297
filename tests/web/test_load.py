"""Many clients scoring the seed at once on 127.0.0.1: no error, identical results (speed is in
benchmarks/bench_serve.py and docs/http.md, never asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

from serving import ROOT, copy_rulesets, needs_web, serving

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_serve

pytestmark = needs_web


def test_concurrent_clients_get_the_same_answer(tmp_path: Path) -> None:
    with serving(copy_rulesets(tmp_path)) as server:
        result = bench_serve.load(server.url, requests=240, clients=12)
    assert result.requests == 240
    assert dict(result.statuses) == {200: 240}
    assert len(result.bodies) == 1 and b'"total":"99.31"' in next(iter(result.bodies))
