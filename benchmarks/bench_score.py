"""Throughput of scoring: projects per second on a 20-indicator ruleset.

    python benchmarks/bench_score.py [N]

Scores N generated projects (default 2,000) with one compiled ruleset and,
for reference, with a hand-written Decimal loop doing the same ratio scoring.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jixiao
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals import parse_actuals

INDICATORS = 20
ROOT = Path(__file__).resolve().parent.parent


def ruleset_text() -> str:
    lines = ['项目 "基准项目" 年度 2020 {\n  采用 "standard/central"']
    lines.append("  产出指标 / 数量指标 {")
    lines += [f"    指标{i} 目标 ≥{100 + i}人 分值 4.5" for i in range(INDICATORS)]
    lines.append("  }\n}")
    return "\n".join(lines)


def actuals(rng: random.Random) -> tuple[ActualsFile, list[int]]:
    values = [rng.randint(60, 130) for _ in range(INDICATORS)]
    rows = ["一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施"]
    rows += ["预算执行,年度资金总额,全年预算数,970.00,", "预算执行,年度资金总额,全年执行数,909.50,"]
    rows += [f"产出指标,数量指标,指标{i},{v}人,说明" for i, v in enumerate(values)]
    return parse_actuals("\n".join(rows) + "\n"), values


def decimal_loop(values: list[int]) -> Decimal:
    total = (Decimal(10) * Decimal("909.50") / Decimal("970.00")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    for i, v in enumerate(values):
        target, weight = Decimal(100 + i), Decimal("4.5")
        score = weight if v >= target else weight * Decimal(v) / target
        total += score.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return total


def main(n: int) -> int:
    rng = random.Random(20201231)
    compiled = jixiao.load_ruleset(text=ruleset_text())
    batch = [actuals(rng) for _ in range(n)]
    start = time.perf_counter()
    totals = [r.total.value for r in compiled.score_many(a for a, _ in batch)]
    engine = n / (time.perf_counter() - start)
    start = time.perf_counter()
    reference = [decimal_loop(v) for _, v in batch]
    loop = n / (time.perf_counter() - start)
    mismatches = sum(
        Decimal(t.numerator) / Decimal(t.denominator) != r for t, r in zip(totals, reference, strict=True)
    )
    print(f"jixiao engine : {engine:10.0f} projects/s")
    print(f"Decimal loop  : {loop:10.0f} projects/s  (reference)")
    print(f"totals differing from the reference: {mismatches} of {n}")
    return mismatches


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
