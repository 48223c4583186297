"""`jixiao diff` of two large rulesets whose indicators are all renamed in one 二级指标: CPU seconds and
name comparisons by size, with the growth exponent (1 linear, 2 quadratic).

Two cases: the renamed indicators keep their targets and weights ("kept"), or every target changes too
("changed": only the close names pair them, every name is close to every other). Pairing renames used to
compare every old indicator with every new one (1,500 renames: 2.25 million comparisons, about a
minute); tools/compare/match.py now compares within groups, a large one near each indicator's place.

    python benchmarks/diff_renames.py               # 500 … 4,000 indicators
    python benchmarks/diff_renames.py --quick       # small sizes: check that it runs
    python benchmarks/harness.py diff               # the same, as a section of the harness
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys
import time
from collections.abc import Sequence

import jixiao
from jixiao.language import nodes as n

match_module = importlib.import_module(
    "jixiao.tools.compare.match"
)  # the package exports `match`, a function


def ruleset(prefix: str, count: int, changed: bool) -> str:
    """A project of `count` indicators named 甲指标00000号 … (or 乙…), one point each."""
    rows = "\n".join(
        f"    {prefix}指标{k:05d}号  目标 ≥{k + (100_000 if changed else 1)}人  分值 1" for k in range(count)
    )
    return (
        f'项目 "大项目" 年度 2020 {{\n  采用 "standard/central"\n  预算执行 不评分\n  总分 {count}\n'
        f"  等级 {{ 合格 其余 }}\n  产出指标 / 数量指标 {{\n{rows}\n  }}\n}}\n"
    )


def measure(count: int, changed: bool) -> tuple[float, int]:
    """CPU seconds of the whole diff (read, resolve, pair, compare) and the name comparisons made."""
    old, new = ruleset("甲", count, False), ruleset("乙", count, changed)
    original = match_module.similarity
    calls = 0

    def counted(a: n.Indicator, b: n.Indicator) -> float:
        nonlocal calls
        calls += 1
        return original(a, b)

    match_module.similarity = counted
    try:
        start = time.process_time()
        report = jixiao.diff(old_text=old, new_text=new)
        seconds = time.process_time() - start
    finally:
        match_module.similarity = original
    renamed = sum(1 for c in report.changes if c.kind == "renamed")
    assert renamed >= count * 9 // 10, f"{renamed} of {count} renames found"
    return seconds, calls


def diff_growth(sizes: Sequence[int]) -> None:
    print(
        f"\ndiff of renamed indicators: CPU seconds and name comparisons, {sizes[0]} → {sizes[-1]} indicators"
    )
    print("  " + f"{'case':<10}" + "".join(f"{k:>20}" for k in sizes) + f"{'exponent':>10}")
    measure(sizes[0], False)  # the parser and the policy loaded once, outside the measurements
    for changed in (False, True):
        figures = [measure(k, changed) for k in sizes]
        cells = "".join(f"{f'{t:.2f}s {c:,}':>20}" for t, c in figures)
        (t1, _), (t2, _) = figures[0], figures[-1]
        exponent = math.log(t2 / t1) / math.log(sizes[-1] / sizes[0]) if t1 > 0 and t2 > 0 else float("nan")
        print("  " + f"{'changed' if changed else 'kept':<10}" + cells + f"{exponent:>10.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: check that it runs")
    args = parser.parse_args(argv)
    diff_growth([50, 100] if args.quick else [500, 1000, 2000, 4000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
