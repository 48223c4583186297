"""How long the workers of `score_many(jobs=2)` wait for their next chunk, against settings of parallel.py.

    python benchmarks/jobs_idle.py                          # 10,000 CSVs: as shipped, and IN_FLIGHT=2
    python benchmarks/jobs_idle.py --projects 20000 IN_FLIGHT=2 "" "IN_FLIGHT=6,CHUNK_SECONDS=0.01"

Each setting (`NAME=value,...` of io/parallel.py's module constants; "" is as shipped) scores the same
20-indicator CSV bytes with `jobs=2`, settings taking turns, `rounds` times, a fresh ruleset and an empty
reader memory each time. Each worker records when it starts and ends each chunk; the gaps between its
chunks are the time it waited for work (with `jobs=2`, one worker beside this process; `harness.py jobs`
shows the wall and CPU times that follow from it). Printed: medians of wall time, the workers' busy and
idle seconds (summed), and how many projects this process scored itself. docs/performance.md, "批量与多进程",
quotes its figures.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import workload

import jixiao
from jixiao.io import parallel
from jixiao.io.actuals import quick

Span = tuple[int, float, float]
_spans: list[Span] = []  # the workers' chunks (process, start, end), as sent back after each chunk's results
_here = [0]  # projects this process scored itself


def _timed_run(work: parallel.Work[Any, Any], chunk: list[Any]) -> tuple[list[Any], float]:
    """`parallel._run` that also sends back when the chunk started and ended (an extra last item)."""
    start = time.perf_counter()
    results = work(parallel._state["state"], chunk)
    end = time.perf_counter()
    return [*results, (os.getpid(), start, end)], end - start


def _spanned(
    original: Callable[[Any], Iterator[tuple[Any, Any]]],
) -> Callable[[Any], Iterator[tuple[Any, Any]]]:
    def done(chunk: Any) -> Iterator[tuple[Any, Any]]:
        results = chunk.results
        if results is not None and len(results) == len(chunk.items) + 1:  # a worker's: its span comes last
            _spans.append(results[-1])
            chunk.results = results[:-1]
        return original(chunk)

    return done


def _counted(original: Callable[..., Any]) -> Callable[..., Any]:
    def here(work: Any, state: object, chunk: Any, sizes: Any) -> Any:
        _here[0] += len(chunk.items)
        return original(work, state, chunk, sizes)

    return here


def setting(text: str) -> dict[str, float]:
    """`NAME=value,...` as module constants of io/parallel.py (ints stay ints)."""
    out: dict[str, float] = {}
    for part in filter(None, text.split(",")):
        name, _, value = part.partition("=")
        default = getattr(parallel, name)
        out[name] = type(default)(value)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("settings", nargs="*", default=["", "IN_FLIGHT=2"])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    if sys.platform != "linux":
        print("workers are spawned here: the spans this script patches in reach them only when forked")
        return 1
    parallel._run = _timed_run  # type: ignore[assignment]  # forked workers inherit the patched module
    parallel._done = _spanned(parallel._done)
    parallel._score = _counted(parallel._score)
    specs = workload.TWENTY
    text = workload.ruleset_text(specs)
    sources = [workload.csv_text(specs, p).encode("utf-8") for p in workload.projects(specs, args.projects)]
    shipped = {name: getattr(parallel, name) for spec in args.settings for name in setting(spec)}
    runs: dict[str, list[tuple[float, float, float, int]]] = {
        spec or "as shipped": [] for spec in args.settings
    }
    for _ in range(args.rounds):
        for spec in args.settings:
            for name, value in {**shipped, **setting(spec)}.items():
                setattr(parallel, name, value)
            quick.forget()
            _spans.clear()
            _here[0] = 0
            start = time.perf_counter()
            for _result in jixiao.load_ruleset(text=text).score_many(sources, jobs=2, backend="fast"):
                pass
            wall = time.perf_counter() - start
            spans = sorted(_spans)  # by worker, then by start
            busy = sum(end - begin for _, begin, end in spans)
            idle = sum(max(0.0, b[1] - a[2]) for a, b in itertools.pairwise(spans) if a[0] == b[0])
            runs[spec or "as shipped"].append((wall, busy, idle, _here[0]))
    print(f"score_many(jobs=2) on {args.projects} CSVs, medians of {args.rounds} rounds")
    for label, measured in runs.items():
        wall, busy, idle, here = (statistics.median(m[i] for m in measured) for i in range(4))
        print(
            f"  {label:<36} wall {wall:5.2f} s   workers busy {busy:5.2f} s, idle between chunks "
            f"{idle:5.2f} s   scored here {here:.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
