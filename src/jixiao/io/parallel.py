"""Scoring a batch on several processes: chunks of projects to worker processes, results back in order.

`ordered_map(work, items, jobs, setup, state)` runs `work(state, chunk)` in `jobs` worker processes
over chunks of `items` and yields what each chunk gave, in the order of `items`. It streams: at most
two chunks per worker are in flight, so a batch of a million projects never sits in memory at once,
and the first results come while the rest are scored. `state` (a compiled ruleset, the rulesets of a
batch) is sent to each worker once, when it starts; it and every item and result must pickle.
`work` must be a module-level function. See docs/performance.md.
"""

from __future__ import annotations

import concurrent.futures  # its ProcessPoolExecutor (multiprocessing) is imported when a pool starts
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 64  # projects per task: large enough that sending them costs little beside scoring them
IN_FLIGHT = 2  # chunks per worker submitted ahead

_state: dict[str, Any] = {}  # a worker process's state, set once when it starts


def cores() -> int:
    """The cores this process may run on (its affinity where the system tells, else all)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def jobs_for(jobs: int | None) -> int:
    """The number of processes for `--jobs N`: N itself, or every core for 0 or None."""
    return cores() if not jobs else max(1, jobs)


def ordered_map(
    work: Callable[[Any, list[T]], list[R]],
    items: Iterable[T],
    jobs: int,
    state: object,
    chunk: int | None = None,
) -> Iterator[tuple[T, R]]:
    """`work(state, chunk)` over chunks of `items` (`CHUNK` each) in `jobs` processes: each item with its
    result, in order, streaming."""
    chunks = _chunks(iter(items), chunk or CHUNK)
    with concurrent.futures.ProcessPoolExecutor(jobs, initializer=_setup, initargs=(state,)) as pool:
        pending: deque[tuple[list[T], concurrent.futures.Future[list[R]]]] = deque(
            (c, pool.submit(_run, work, c)) for c in islice(chunks, jobs * IN_FLIGHT)
        )
        while pending:
            items_done, future = pending.popleft()
            done = future.result()
            pending.extend((c, pool.submit(_run, work, c)) for c in islice(chunks, 1))
            yield from zip(items_done, done, strict=True)


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _setup(state: object) -> None:
    _state["state"] = state


def _run(work: Callable[[Any, list[T]], list[R]], chunk: list[T]) -> list[R]:
    return work(_state["state"], chunk)
