"""Scoring a batch on several processes: `jobs` workers, results in the items' order.

`ordered_map(work, items, jobs, state)` runs `work(state, chunk)` over chunks of `items` and yields
each item with what it gave, in order (`here=`: another function for the chunks this process scores, one
that need not give what pickles). `jobs` worker processes do the work; this one hands the chunks out
and gives the results back. It does not score beside them: on a core a worker uses, it only slowed that
worker, and every pause of its own (scoring a chunk, the cycle collector) left the workers waiting for
their next chunk (docs/performance.md, "批量与多进程"). It streams: a bounded number of chunks is in
flight, so a batch of a million projects never sits in memory at once, and the first results come while
the rest are scored.

The first item is scored here before any worker starts: it loads what the batch needs into `state`
(rulesets, the fast evaluator), which the workers then inherit. Workers start when the work left is
worth it: for a batch of known size (a list), as soon as a first chunk shows the pace and what is left
would take `POOL_WORTH` seconds; else once this process has worked `POOL_AFTER` seconds (about what
starting them costs). A small batch stays in one process. When the items run out, chunks no worker has
started are taken back and scored here.
Workers are forked where that is safe (Linux, and this process runs no other thread: nothing can hold a
lock at the fork), else spawned with `state` pickled once each (Windows, macOS, a server's threads);
`work` must be a module-level function and every item and result must pickle. Chunks are sized from
the time they take (about `CHUNK_SECONDS` each): few round trips for cheap projects, and no core idle
at the end while another finishes a long chunk of expensive ones.
"""

from __future__ import annotations

import concurrent.futures  # its ProcessPoolExecutor (multiprocessing) is imported when a pool starts
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Generic, TypeVar

from jixiao.language.cycles import freeze

T = TypeVar("T")
R = TypeVar("R")
Work = Callable[[Any, list[T]], list[R]]

CHUNK: int | None = None  # items per chunk; None: sized from the time chunks take (tests set a size)
CHUNK_SECONDS = 0.02  # work per chunk: a round trip costs ~0.1 ms, an idle core at the end ≤ this
FIRST_CHUNK = 8  # items per chunk until one has been timed
MAX_CHUNK = 1024  # items per chunk at most: bounds what is in flight
IN_FLIGHT = 4  # chunks per worker submitted ahead: ~80 ms of work queued (see `_Pool`)
POOL_AFTER = 0.03  # seconds of work done here before workers start: a smaller batch never pays for them
POOL_WORTH = 0.1  # seconds of work left, when the batch's size is known, that pays for starting workers

_state: dict[str, Any] = {}  # a worker process's state, set once when it starts


def cores() -> int:
    """The cores this process may run on (its affinity where the system tells, else all)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def jobs_for(jobs: int | None) -> int:
    """The number of processes for `--jobs N`: N itself, or every core for 0 or None."""
    return cores() if not jobs else max(1, jobs)


def start_method() -> str:
    """How workers start: "fork" on Linux when this process runs no other thread (a fork copies no lock
    another thread holds; the workers inherit the loaded rulesets), else "spawn" (Windows, macOS)."""
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


def ordered_map(
    work: Work[T, R],
    items: Iterable[T],
    jobs: int,
    state: object,
    here: Work[T, R] | None = None,
    expected: int | None = None,
) -> Iterator[tuple[T, R]]:
    """`work(state, chunk)` over chunks of `items` in `jobs` worker processes: each item with its result,
    in order, streaming. A chunk's exception is raised in its place. `here`: what this process runs on
    the chunks it scores itself (the first items, before workers start, and chunks taken back at the
    end; default `work`): a result need not travel from here, so it can be the caller's final object
    rather than what a worker sends back. `expected`: how many items there are, when the caller knows
    (workers start as soon as what is left is worth it, `_pool_pays`)."""
    here = here or work
    source = iter(items)
    sizes = _Sizes(CHUNK)
    first = list(islice(source, 1))
    if not first:
        return
    started = time.perf_counter()
    # the first item loads what the batch needs (rulesets, the fast evaluator) before workers copy `state`
    yield from _done(first, _here(here, state, first, None))
    while jobs < 2 or not _pool_pays(started, sizes, expected):  # too little work for workers yet
        chunk = list(islice(source, sizes.next()))
        if not chunk:
            return
        yield from _done(chunk, _here(here, state, chunk, sizes))
    rest = list(islice(source, 1))
    if not rest:
        return
    sys.stdout.flush()  # a forked worker flushes its copy of these buffers when it exits
    sys.stderr.flush()
    with _Pool(work, state, jobs, sizes, here) as pool:
        yield from pool.run(_chained(rest, source))


def _pool_pays(started: float, sizes: _Sizes, expected: int | None) -> bool:
    """Whether to start the workers now. With the number of items known: once what is left would keep
    this process busy `POOL_WORTH` seconds at the pace of the chunks scored here (never, for a smaller
    batch); else once this process has worked `POOL_AFTER` seconds."""
    if expected is None:
        return time.perf_counter() - started >= POOL_AFTER
    if not sizes.items:
        return False  # the first item's time is not the pace: it loads the rulesets
    left = expected - 1 - sizes.items
    return left * sizes.seconds >= POOL_WORTH * sizes.items


class _Pool:
    """Worker processes over the chunks of a batch, results in order.

    A chunk reaches a worker, and its result comes back, through the executor's threads in this
    process; `IN_FLIGHT` chunks (about 80 ms of work) are queued per worker, so a pause here (the
    caller's own work between results, the cycle collector) does not leave it waiting at once.
    When the items run out, chunks a worker has not started yet are taken back and scored here
    (`_take_back`), so this process does not wait out the queue idle.
    """

    def __init__(
        self,
        work: Work[Any, Any],
        state: object,
        workers: int,
        sizes: _Sizes,
        here: Work[Any, Any] | None = None,
    ) -> None:
        import multiprocessing  # with the pool only: a batch of one process never loads it

        self.work, self.state, self.workers, self.sizes = work, state, workers, sizes
        self.here = here or work  # what this process runs on the chunks it scores itself
        self.executor = concurrent.futures.ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(start_method()),
            initializer=_setup,
            initargs=(state,),
        )

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        # on an error or Ctrl-C, chunks not started are dropped; the ones running finish (as before)
        self.executor.shutdown(wait=True, cancel_futures=exc[0] is not None)

    def run(self, items: Iterator[T]) -> Iterator[tuple[T, Any]]:
        pending: deque[_Chunk[T]] = deque()
        chunks = _chunks(items, self.sizes)
        more = True
        while pending or more:
            more = self._submit(pending, chunks) and more
            if not pending:
                continue
            head = pending[0]
            if not head.future.done():
                if not more and self._take_back(pending):
                    continue
                away = [c.future for c in pending if not c.here and not c.future.done()]
                concurrent.futures.wait(away, return_when=concurrent.futures.FIRST_COMPLETED)
                continue
            pending.popleft()
            yield from _done(head.items, head.future)

    def _submit(self, pending: deque[_Chunk[T]], chunks: Iterator[list[T]]) -> bool:
        """Chunks to the workers until each has `IN_FLIGHT` not done; False when the items ran out."""
        busy = sum(1 for c in pending if not c.here and not c.future.done())
        limit = self.workers * IN_FLIGHT
        while busy < limit and len(pending) < 2 * limit:
            chunk = next(chunks, None)
            if chunk is None:
                return False
            pending.append(self._away(chunk))
            busy += 1
        return True

    def _take_back(self, pending: deque[_Chunk[T]]) -> bool:
        """Score here the last chunk no worker has started (False: every one has started or is done)."""
        for chunk in reversed(pending):
            if chunk.sent is not None and chunk.sent.cancel():
                chunk.future, chunk.sent = _here(self.here, self.state, chunk.items, self.sizes), None
                return True
        return False

    def _away(self, chunk: list[T]) -> _Chunk[T]:
        """A chunk submitted to the workers; its result comes back with the time it took, for `sizes`."""
        timed = self.executor.submit(_run, self.work, chunk)
        result: concurrent.futures.Future[list[Any]] = concurrent.futures.Future()

        def settle(done: concurrent.futures.Future[tuple[list[Any], float]]) -> None:
            if done.cancelled():  # taken back (`_take_back`), or the batch stopped before it started
                result.cancel()
                return
            error = done.exception()
            if error is not None:
                result.set_exception(error)
                return
            results, seconds = done.result()
            self.sizes.took(len(chunk), seconds)
            result.set_result(results)

        timed.add_done_callback(settle)
        return _Chunk(chunk, result, sent=timed)


class _Chunk(Generic[T]):
    """A chunk of items and the future of its results; `sent`: the executor's future of a chunk given to
    the workers (cancelled to take it back), None for a chunk scored in this process (`here`)."""

    __slots__ = ("future", "items", "sent")

    def __init__(
        self,
        items: list[T],
        future: concurrent.futures.Future[list[Any]],
        sent: concurrent.futures.Future[tuple[list[Any], float]] | None = None,
    ) -> None:
        self.items, self.future, self.sent = items, future, sent

    @property
    def here(self) -> bool:
        return self.sent is None


class _Sizes:
    """Chunk sizes from the seconds chunks took: about `CHUNK_SECONDS` of work each."""

    def __init__(self, fixed: int | None) -> None:
        self.fixed = fixed
        self.items = 0
        self.seconds = 0.0
        self.lock = threading.Lock()  # workers' times are recorded from the pool's thread

    def took(self, items: int, seconds: float) -> None:
        with self.lock:
            self.items += items
            self.seconds += seconds

    def next(self) -> int:
        if self.fixed is not None:
            return self.fixed
        if not self.items or self.seconds <= 0:
            return FIRST_CHUNK
        return max(1, min(MAX_CHUNK, round(CHUNK_SECONDS * self.items / self.seconds)))


def _chunks(items: Iterator[T], sizes: _Sizes) -> Iterator[list[T]]:
    while chunk := list(islice(items, sizes.next())):
        yield chunk


def _chained(rest: list[T], source: Iterator[T]) -> Iterator[T]:
    yield from rest
    yield from source


def _here(
    work: Work[T, R], state: object, chunk: list[T], sizes: _Sizes | None
) -> concurrent.futures.Future[list[R]]:
    """A chunk scored in this process, as a finished future: its exception is raised in its turn."""
    future: concurrent.futures.Future[list[R]] = concurrent.futures.Future()
    start = time.perf_counter()
    try:
        future.set_result(work(state, chunk))
    except Exception as exc:
        future.set_exception(exc)
    if sizes is not None:
        sizes.took(len(chunk), time.perf_counter() - start)
    return future


def _done(chunk: list[T], future: concurrent.futures.Future[list[R]]) -> Iterator[tuple[T, R]]:
    yield from zip(chunk, future.result(), strict=True)


def _setup(state: object) -> None:
    """A worker's start: its state, and everything it has so far out of the cycle collector's sight.
    What a forked worker inherits (or a spawned one loaded: modules, rulesets) is never garbage of its
    own, and its full collections walked all of it again (and wrote to its pages, which the fork then
    copies): 20,000 CSVs, workers' CPU 1.66 → 1.56 s. Objects it makes are collected as usual."""
    _state["state"] = state
    freeze()


def _run(work: Work[T, R], chunk: list[T]) -> tuple[list[R], float]:
    start = time.perf_counter()
    return work(_state["state"], chunk), time.perf_counter() - start
