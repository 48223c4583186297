"""Scoring a batch on several processes: this one and `jobs` − 1 workers, results in the items' order.

`ordered_map(work, items, jobs, state)` runs `work(state, chunk)` over chunks of `items` and yields
each item with what it gave, in order (`here=`: another function for the chunks this process scores, one
that need not give what pickles). `jobs` − 1 worker processes score chunks sent to them, and this one
scores the next chunks while their results have not come. It streams: a bounded number of chunks is in
flight, so a batch of a million projects never sits in memory at once, and the first results come while
the rest are scored.

Each worker has two pipes of its own (chunks in, results out), which this process writes and reads
itself, between its own chunks: no executor's threads, which had to be woken and handed the GIL for
every chunk, and left a worker waiting while this process scored (docs/performance.md, "批量与多进程").
A worker is kept `IN_FLIGHT` chunks ahead (about 80 ms of work), so a pause here (a chunk scored here,
the caller's own work between results, the cycle collector) does not leave it idle. While the batch
runs, what this process held when it started is frozen out of the collector's sight (`cycles.held`), as
workers freeze what they inherit.

The first item is scored here before any worker starts: it loads what the batch needs into `state`
(rulesets, the fast evaluator), which the workers then inherit. Workers start when the work left is
worth it: for a batch of known size (a list), as soon as a first chunk shows the pace and what is left
would take `POOL_WORTH` seconds; else once this process has worked `POOL_AFTER` seconds (about what
starting them costs). A small batch stays in one process. When the items run out, chunks queued on a
worker that has not started them are taken back and scored here.
Workers are forked where that is safe (Linux, and this process runs no other thread: nothing can hold a
lock at the fork), else spawned with `state` pickled once each (Windows, macOS, a server's threads);
`work` must be a module-level function and every item and result must pickle. Chunks are sized from
the time they take (about `CHUNK_SECONDS` each; for a batch of known size, at least `PER_PROCESS` per
process): few round trips for cheap projects, and no core idle at the end while another finishes a long
chunk of expensive ones. A worker that ends before giving its results (killed, out of memory) stops the
batch with E913 (`_broken`), never a hang.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from typing import Any, Generic, TypeVar

from jixiao.diagnostics import JixiaoError
from jixiao.language.cycles import freeze, held

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

WORKER_ENDED = "E913"
T = TypeVar("T")
R = TypeVar("R")
Work = Callable[[Any, list[T]], list[R]]

CHUNK: int | None = None  # items per chunk; None: sized from the time chunks take (tests set a size)
CHUNK_SECONDS = 0.02  # work per chunk: a round trip costs ~0.1 ms, an idle core at the end ≤ this
FIRST_CHUNK = 8  # items per chunk until one has been timed
MAX_CHUNK = 1024  # items per chunk at most: bounds what is in flight
PER_PROCESS = 8  # chunks per process at least, for a batch of known size (2,000 CSVs: 0.90 → 0.93 of apart)
IN_FLIGHT = 4  # chunks per worker submitted ahead: ~80 ms of work queued (see `_Pool`)
AHEAD = 2 * IN_FLIGHT  # chunks per worker not given back yet, at most, when this process scores one more
PENDING = 4 * IN_FLIGHT  # chunks per worker not given back yet, at most: what a batch holds at once
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
) -> Generator[tuple[T, R], None, None]:
    """`work(state, chunk)` over chunks of `items` in `jobs` processes (this one and `jobs` − 1 workers):
    each item with its result, in order, streaming. A chunk's exception is raised in its place (a
    worker's with the worker's traceback as its cause, `RemoteTraceback`). `here`: what this process runs
    on the chunks it scores itself (default `work`): a result need not travel from here, so it can be the
    caller's final object rather than what a worker sends back. `expected`: how many items there are,
    when the caller knows (workers start as soon as what is left is worth it, `_pool_pays`)."""
    here = here or work
    source = iter(items)
    # a batch of known size: at least `PER_PROCESS` chunks each, so the last ones end about together
    sizes = _Sizes(CHUNK, max(1, expected // (PER_PROCESS * jobs)) if expected else MAX_CHUNK)
    first = list(islice(source, 1))
    if not first:
        return
    started = time.perf_counter()
    # the first item loads what the batch needs (rulesets, the fast evaluator) before workers copy `state`
    yield from _done(_score(here, state, _Chunk(first), None))
    while jobs < 2 or not _pool_pays(started, sizes, expected):  # too little work for workers yet
        chunk = list(islice(source, sizes.next()))
        if not chunk:
            return
        yield from _done(_score(here, state, _Chunk(chunk), sizes))
    rest = list(islice(source, 1))
    if not rest:
        return
    sys.stdout.flush()  # a forked worker flushes its copy of these buffers when it exits
    sys.stderr.flush()
    with held(), _Pool(work, state, jobs - 1, sizes, here) as pool:
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
    """Worker processes over the chunks of a batch, with this process scoring beside them; results in order.

    Each worker has two pipes of its own: chunks in, results out. This process sends the chunks and
    receives the results itself, in the thread that gives them back and between the chunks it scores (no
    executor's threads to wake and hand the GIL to). A thread in each worker reads its chunks as they come,
    so a send here never waits for a worker that is itself waiting for room to send its result. A worker is
    kept `IN_FLIGHT` chunks ahead; when the items run out, the last chunk queued behind another on its
    worker is taken back and scored here (`_take_back`), so this process does not wait out the queue.
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
        import multiprocessing.connection

        self.state, self.sizes = state, sizes
        self.here = here or work  # what this process runs on the chunks it scores itself
        self.wait = multiprocessing.connection.wait
        self.sent: dict[int, _Chunk[Any]] = {}  # chunks a worker has, by their number
        self.numbered = 0
        self.workers: list[_Worker] = []
        context = multiprocessing.get_context(start_method())
        try:
            for _ in range(workers):
                self.workers.append(_Worker(context, work, state, self.workers))
        except BaseException:
            self._stop()
            raise

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *_: object) -> None:
        self._stop()

    def _stop(self) -> None:
        """The workers ended at once (`terminate`), whether the batch is done (nothing more is needed of
        them: told to stop instead, one still scoring a chunk taken back made the batch wait for it, up to
        25 ms of a 0.9 s batch) or stopped by an error, Ctrl-C or a caller that no longer reads; then
        waited for, so that none is left behind."""
        for worker in self.workers:
            worker.process.terminate()
        for worker in self.workers:
            worker.close()

    def run(self, items: Iterator[T]) -> Iterator[tuple[T, Any]]:
        """Each item with its result, in order: the workers kept `IN_FLIGHT` chunks ahead, results filed as
        they come, and meanwhile the next chunk scored here (up to `AHEAD` chunks per worker past the
        oldest not given back); when the items run out, chunks queued on a worker taken back."""
        pending: deque[_Chunk[T]] = deque()
        chunks = _chunks(items, self.sizes)
        more = True
        while pending or more:
            self._receive(block=False)  # what has come, so that the workers' queues are refilled now
            more = self._submit(pending, chunks) and more
            if pending and pending[0].done:
                yield from _done(pending.popleft())
            elif more and len(pending) < AHEAD * len(self.workers):
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                else:
                    pending.append(_score(self.here, self.state, _Chunk(chunk), self.sizes))
            elif not more and self._take_back(pending):
                pass  # scored here: given back in its turn
            elif pending:
                self._receive(block=True)

    def _submit(self, pending: deque[_Chunk[T]], chunks: Iterator[list[T]]) -> bool:
        """Chunks to the workers until each has `IN_FLIGHT` (and at most `PENDING` per worker are not
        given back: what is in memory at once); False when the items ran out."""
        while len(pending) < PENDING * len(self.workers):
            worker = min(self.workers, key=lambda w: len(w.queued))
            if len(worker.queued) >= IN_FLIGHT:
                break
            chunk = next(chunks, None)
            if chunk is None:
                return False
            pending.append(self._send(worker, chunk))
        return True

    def _send(self, worker: _Worker, items: list[T]) -> _Chunk[T]:
        """A chunk to a worker; its results come back numbered (`_receive`)."""
        number = self.numbered = self.numbered + 1
        chunk = self.sent[number] = _Chunk(items, worker, number)
        worker.queued.append(number)
        worker.send((number, items))
        return chunk

    def _receive(self, block: bool = True) -> bool:
        """Every result the workers have sent, filed under its chunk (one taken back is done already: its
        result is dropped), waiting for one if `block`; False when none had come. All of them, not one per
        worker: this process refills a worker's queue only for results it has taken, and taking one per
        turn (a turn may be a chunk scored here) let a worker faster than this process run dry. A worker
        gone with chunks still queued stops the batch."""
        busy = [worker for worker in self.workers if worker.queued]
        if not busy:
            return False
        ready = set(
            self.wait([w.results for w in busy] + [w.process.sentinel for w in busy], None if block else 0)
        )
        if not ready:
            return False
        for worker in busy:
            if worker.results in ready or worker.process.sentinel in ready:
                self._file(*worker.receive())
                while worker.queued and worker.results.poll():
                    self._file(*worker.receive())
        return True

    def _file(self, number: int, ok: bool, outcome: Any, seconds: float) -> None:
        chunk = self.sent.pop(number, None)
        if chunk is None:
            return  # taken back and scored here
        assert chunk.worker is not None
        chunk.worker.queued.remove(number)
        if ok:
            chunk.results = outcome
            self.sizes.took(len(chunk.items), seconds)
        else:
            chunk.error = outcome

    def _take_back(self, pending: deque[_Chunk[T]]) -> bool:
        """Score here the last chunk queued behind another on its worker, which has not started it: it is
        told to skip it (were it started anyway, its result is dropped). False: none is left."""
        for chunk in reversed(pending):
            worker = chunk.worker
            if chunk.done or worker is None or worker.queued[0] == chunk.number:
                continue
            worker.queued.remove(chunk.number)
            del self.sent[chunk.number]
            worker.send((chunk.number, None))
            _score(self.here, self.state, chunk, self.sizes)
            return True
        return False


class _Worker:
    """A worker process and its two pipes, seen from this process; `queued`: the numbers of the chunks
    sent to it whose results have not come back, in the order it takes them."""

    def __init__(self, context: Any, work: Work[Any, Any], state: object, others: list[_Worker]) -> None:
        inbox, self.tasks = context.Pipe(duplex=False)
        self.results, outbox = context.Pipe(duplex=False)
        _roomy(self.tasks, self.results)
        # a forked worker closes this process's ends of its pipes and of the workers before it (else a
        # worker would hold its own pipe's writing end open and never see this process go away)
        ours = [self.tasks, self.results, *(c for w in others for c in (w.tasks, w.results))]
        inherited = ours if context.get_start_method() == "fork" else []
        self.process = context.Process(
            target=_serve, args=(inbox, outbox, work, state, inherited), daemon=True
        )
        self.process.start()
        inbox.close()
        outbox.close()
        self.queued: deque[int] = deque()

    def send(self, message: tuple[int, list[Any] | None]) -> None:
        try:
            self.tasks.send(message)
        except OSError as exc:  # its end of the pipe closed: the worker is gone
            raise _broken() from exc

    def receive(self) -> tuple[int, bool, Any, float]:
        try:
            return self.results.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError) as exc:  # ended (killed, out of memory) with nothing more to give
            raise _broken() from exc

    def close(self) -> None:
        self.process.join()
        self.tasks.close()
        self.results.close()
        self.process.close()


PIPE_ROOM = 1 << 20  # bytes a worker's pipes hold where the system lets them grow (Linux: its default most)


def _roomy(*ends: Any) -> None:
    """Pipes that hold `PIPE_ROOM` bytes instead of 64 KiB, where the system allows it (Linux's
    `F_SETPIPE_SZ`; elsewhere, or refused, they stay as they are). A worker's results can be larger than
    64 KiB (the CLI's rendered files: ~10 KiB each), and it waited at every chunk, unable to start the
    next, until this process, busy with a chunk of its own, read them: 400 files with `--jobs 2`,
    0.83 → 0.78 s (medians of 6, alternating). A thread in the worker writing them instead cost the API's
    batches 5–10% (on two cores it waited for a core to write each result)."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setting is None:
        return
    for end in ends:
        try:
            fcntl.fcntl(end.fileno(), setting, PIPE_ROOM)
        except OSError:
            return  # above what this user may have (`/proc/sys/fs/pipe-max-size`): as it is


class _Chunk(Generic[T]):
    """A chunk of items and, once done, its results or its error; `worker`: the one it was sent to
    (None: scored here), `number`: how its results come back."""

    __slots__ = ("error", "items", "number", "results", "worker")

    def __init__(self, items: list[T], worker: _Worker | None = None, number: int = 0) -> None:
        self.items, self.worker, self.number = items, worker, number
        self.results: list[Any] | None = None
        self.error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.results is not None or self.error is not None


class _Sizes:
    """Chunk sizes from the seconds chunks took: about `CHUNK_SECONDS` of work each."""

    def __init__(self, fixed: int | None, most: int = MAX_CHUNK) -> None:
        self.fixed = fixed
        self.most = most  # items per chunk at most (fewer for a batch of known size: `ordered_map`)
        self.items = 0
        self.seconds = 0.0

    def took(self, items: int, seconds: float) -> None:
        self.items += items
        self.seconds += seconds

    def next(self) -> int:
        if self.fixed is not None:
            return self.fixed
        if not self.items or self.seconds <= 0:
            return FIRST_CHUNK
        return max(1, min(self.most, round(CHUNK_SECONDS * self.items / self.seconds)))


def _chunks(items: Iterator[T], sizes: _Sizes) -> Iterator[list[T]]:
    while chunk := list(islice(items, sizes.next())):
        yield chunk


def _chained(rest: list[T], source: Iterator[T]) -> Iterator[T]:
    yield from rest
    yield from source


def _score(work: Work[T, R], state: object, chunk: _Chunk[T], sizes: _Sizes | None) -> _Chunk[T]:
    """A chunk scored in this process; its exception is kept, raised in its turn (`_done`)."""
    chunk.worker = None
    start = time.perf_counter()
    try:
        chunk.results = work(state, chunk.items)
    except Exception as exc:
        chunk.error = exc
    if sizes is not None:
        sizes.took(len(chunk.items), time.perf_counter() - start)
    return chunk


def _done(chunk: _Chunk[T]) -> Iterator[tuple[T, Any]]:
    if chunk.error is not None:
        raise chunk.error
    assert chunk.results is not None
    yield from zip(chunk.items, chunk.results, strict=True)


def _broken() -> JixiaoError:
    """A worker ended (killed, out of memory, or, spawned, unable to start: a script without a main guard)
    before giving its results: E913, not a bug of jixiao and not a problem of the input."""
    return JixiaoError.single(WORKER_ENDED, None, script=SCRIPT_ADVICE if _in_a_script() else "")


SCRIPT_ADVICE = (  # E913's advice for a caller's own script, not for users of the jixiao command
    '（在 Python 脚本中用多个进程评分时，调用要写在 if __name__ == "__main__": 之下）',
    ' (a Python script scoring with several processes needs its calls under if __name__ == "__main__":)',
)


def _in_a_script() -> bool:
    """Whether this process runs a caller's code rather than jixiao's own command (`jixiao`, `python -m
    jixiao`): only a caller's script can lack the main guard that spawned workers need."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and str(spec.name).split(".")[0] == "jixiao":
        return False
    command = os.path.basename(sys.argv[0]) if sys.argv else ""
    return command.lower().removesuffix(".exe") not in ("jixiao", "jixiao-script.py")


def _setup(state: object) -> None:
    """A worker's start: its state, and everything it has so far out of the cycle collector's sight.
    What a forked worker inherits (or a spawned one loaded: modules, rulesets) is never garbage of its
    own, and its full collections walked all of it again (and wrote to its pages, which the fork then
    copies): 20,000 CSVs, workers' CPU 1.66 → 1.56 s. Objects it makes are collected as usual."""
    _state["state"] = state
    freeze()


def _serve(inbox: Any, outbox: Any, work: Work[Any, Any], state: object, inherited: list[Any]) -> None:
    """A worker: chunks from `inbox` (read by a thread as they come, so a send of this process never
    waits for a worker that is itself waiting for room to send its result), each scored in turn unless
    taken back meanwhile, results to `outbox` with their numbers and the seconds they took (for
    `_Sizes`), until this process ends it (`_Pool._stop`) or is gone."""
    for end in inherited:
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is this process's to handle: it ends workers
    _setup(state)
    queue: deque[tuple[int, list[Any]] | None] = deque()
    taken: set[int] = set()  # chunks taken back: scored in this process instead
    ready = threading.Semaphore(0)
    threading.Thread(target=_read, args=(inbox, queue, taken, ready), daemon=True).start()
    while True:
        ready.acquire()
        message = queue.popleft()
        if message is None:
            return
        number, chunk = message
        if number in taken:
            taken.discard(number)
            continue
        outcome: tuple[int, bool, Any, float]
        try:
            outcome = (number, True, *_run(work, chunk))
        except Exception as exc:
            outcome = (number, False, _Remote(exc), 0.0)
        try:
            outbox.send(outcome)
        except Exception as exc:  # what it gave (or raised) does not pickle: that, as its error
            outbox.send((number, False, _Remote(exc), 0.0))


def _read(
    inbox: Any, queue: deque[tuple[int, list[Any]] | None], taken: set[int], ready: threading.Semaphore
) -> None:
    """A worker's thread: each message as it comes, a chunk queued, a chunk taken back marked; None
    queued when this process is gone (its end of the pipe closed)."""
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            message = None
        if message is not None and message[1] is None:
            taken.add(message[0])
            continue
        queue.append(message)
        ready.release()
        if message is None:
            return


class _Remote:
    """A worker's exception as it travels: it arrives with the worker's traceback as its cause (as from a
    `ProcessPoolExecutor`), so a bug in a worker shows where it happened."""

    def __init__(self, exc: BaseException) -> None:
        self.exc, self.trace = exc, "".join(traceback.format_exception(exc))
        exc.__traceback__ = None

    def __reduce__(self) -> tuple[Callable[[BaseException, str], BaseException], tuple[BaseException, str]]:
        return _rebuilt, (self.exc, self.trace)


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, as its cause here."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


def _rebuilt(exc: BaseException, trace: str) -> BaseException:
    exc.__cause__ = RemoteTraceback(trace)
    return exc


def _run(work: Work[T, R], chunk: list[T]) -> tuple[list[R], float]:
    """A chunk's results in a worker, and the seconds they took."""
    start = time.perf_counter()
    return work(_state["state"], chunk), time.perf_counter() - start
