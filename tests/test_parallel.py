"""Batches on several processes (io/parallel.py): `jobs` workers, this process handing out chunks (and
scoring the first ones and those taken back), results in order, a chunk's error in its turn, workers
forked only when no other thread runs, spawned workers give the same."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_ACTUALS, SEED_RULESET
from hypothesis import given
from hypothesis import strategies as st

import jixiao
from jixiao.cli import main
from jixiao.engine.figure import Figure
from jixiao.io import parallel
from jixiao.io.rulesets import _sent
from jixiao.language import cycles

SEED = SEED_ACTUALS.read_text(encoding="utf-8")
PEOPLE = "约发放人数1.11万人"
PARENT = os.getpid()


def _tagged(offset: int, chunk: list[int]) -> list[tuple[int, int]]:
    """Each item plus `offset`, with the process that did it."""
    return [(x + offset, os.getpid()) for x in chunk]


def _failing(_: object, chunk: list[int]) -> list[int]:
    if 50 in chunk:
        raise ValueError("item 50")
    return chunk


def _dying(_: object, chunk: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        os._exit(3)  # a worker killed from outside (out of memory, a crash in a C library)
    return chunk


@pytest.fixture(autouse=True)
def workers_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start after the first item (or chunk, when the caller says how many items there are),
    however little work the batch is (tests' batches are small)."""
    monkeypatch.setattr(parallel, "POOL_AFTER", 0.0)
    monkeypatch.setattr(parallel, "POOL_WORTH", 0.0)


def test_results_come_in_order_from_this_process_and_jobs_minus_one_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`jobs` processes score the batch: `jobs` − 1 workers, kept `IN_FLIGHT` chunks ahead, and this one,
    which scores the first item and, while the workers' results have not come, the next chunks."""
    monkeypatch.setattr(parallel, "CHUNK", 3)
    done = list(parallel.ordered_map(_tagged, range(300), 3, 1000))
    assert [item for item, _ in done] == list(range(300))
    assert [value for _, (value, _) in done] == [x + 1000 for x in range(300)]
    pids = [pid for _, (_, pid) in done]
    assert len(set(pids)) == 3 and pids[0] == PARENT  # the first item here, then two workers and here
    assert pids[1:4] != [PARENT] * 3  # the first chunk after the pool starts went to a worker


def _frozen(_: object, chunk: list[int]) -> list[tuple[int, int, int]]:
    return [(x, os.getpid(), gc.get_freeze_count()) for x in chunk]


def test_a_worker_keeps_what_it_started_with_out_of_the_collectors_sight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers freeze what they inherited (or loaded) when they start; this process's collector is as
    it was."""
    monkeypatch.setattr(parallel, "CHUNK", 2)
    before = gc.get_freeze_count()
    done = list(parallel.ordered_map(_frozen, range(40), 2, None))
    workers = [frozen for _, (_, pid, frozen) in done if pid != PARENT]
    assert workers and all(frozen > 0 for frozen in workers)
    assert gc.get_freeze_count() == before


def _freeze_count(_: object, chunk: list[int]) -> list[tuple[int, int, bool]]:
    return [(os.getpid(), gc.get_freeze_count(), cycles.froze()) for _ in chunk]


def test_this_process_keeps_what_it_held_out_of_the_collectors_sight_while_workers_score(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While a batch runs beside workers, what this process held is frozen (`cycles.held`), and thawed
    after it; a process that froze objects of its own is left as it is; one of this package's own (the
    console script) freezes what it made since, for good."""
    monkeypatch.setattr(parallel, "CHUNK", 4)
    monkeypatch.setattr(cycles, "_froze", False)
    monkeypatch.setattr(cycles, "_ours", False)
    assert gc.get_freeze_count() == 0  # nothing in the tests' process froze anything
    seen = [
        (f, said)
        for _, (pid, f, said) in parallel.ordered_map(_freeze_count, range(60), 2, None)
        if pid == PARENT
    ]
    here = [frozen for frozen, _ in seen]
    assert here[0] == 0 and max(here) > 0  # the first item before the pool, then chunks beside the worker
    # meanwhile a long table read here must not promote by unfreezing (`cycles_uncollected`)
    assert all(said for frozen, said in seen if frozen)
    assert gc.get_freeze_count() == 0 and not cycles._held and not cycles.froze()
    gc.freeze()  # objects a server froze before forking: not thawed by a batch
    try:
        frozen = gc.get_freeze_count()
        here = [
            f for _, (pid, f, _) in parallel.ordered_map(_freeze_count, range(60), 2, None) if pid == PARENT
        ]
        assert frozen - 100 < min(here) and max(here) <= frozen  # (frozen objects freed meanwhile go)
        assert frozen - 100 < gc.get_freeze_count() <= frozen  # not thawed
        monkeypatch.setattr(cycles, "_ours", True)  # the console script's own process
        kept = [[] for _ in range(1000)]
        list(parallel.ordered_map(_freeze_count, range(60), 2, None))
        assert gc.get_freeze_count() > frozen + 900 and kept  # what it made since is frozen for good
    finally:
        gc.unfreeze()


def test_one_item_or_none_starts_no_worker() -> None:
    assert list(parallel.ordered_map(_tagged, [], 2, 0)) == []
    assert list(parallel.ordered_map(_tagged, [7], 4, 0)) == [(7, (7, PARENT))]


def test_a_batch_smaller_than_starting_workers_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "POOL_AFTER", 60.0)
    done = list(parallel.ordered_map(_tagged, range(500), 2, 0))
    assert [item for item, _ in done] == list(range(500)) and {pid for _, (_, pid) in done} == {PARENT}


def test_workers_start_when_what_is_left_of_a_batch_of_known_size_pays_for_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Told how many items there are, this process starts workers as soon as one chunk shows that the rest
    would keep it busy `POOL_WORTH` seconds (not after `POOL_AFTER`), and never for a smaller batch."""
    monkeypatch.setattr(parallel, "POOL_AFTER", 60.0)
    monkeypatch.setattr(parallel, "POOL_WORTH", 0.05)
    sizes = parallel._Sizes(None)
    assert not parallel._pool_pays(0.0, sizes, 1000)  # nothing timed but the first item
    sizes.took(8, 0.0008)  # 0.1 ms an item: 991 left take 99 ms
    assert parallel._pool_pays(time.perf_counter(), sizes, 1000)
    assert not parallel._pool_pays(time.perf_counter(), sizes, 400)  # 391 left: 39 ms
    assert not parallel._pool_pays(time.perf_counter(), sizes, None)  # unknown: after POOL_AFTER
    monkeypatch.setattr(parallel, "CHUNK", 4)
    monkeypatch.setattr(parallel, "POOL_WORTH", 60.0)
    done = list(parallel.ordered_map(_tagged, range(40), 2, 0, expected=40))
    assert [item for item, _ in done] == list(range(40)) and {pid for _, (_, pid) in done} == {PARENT}


def test_a_chunks_error_is_raised_after_the_results_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 4)
    got: list[int] = []
    with pytest.raises(ValueError, match="item 50"):
        for item, _ in parallel.ordered_map(_failing, range(200), 2, None):
            got.append(item)
    assert got == list(range(49))  # item 0 alone (here, first), then 1–4, …, 45–48; 49–52 raised


def test_a_batch_left_unfinished_ends_its_workers_and_thaws_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A caller that stops reading (a `break`, an exception of its own, Ctrl-C) closes the stream: the
    workers are ended at once, none is left behind, and what this process held is thawed."""
    monkeypatch.setattr(parallel, "CHUNK", 4)
    monkeypatch.setattr(cycles, "_froze", False)
    monkeypatch.setattr(cycles, "_ours", False)
    stream = parallel.ordered_map(_tagged, range(100_000), 2, 0)
    taken = [next(stream) for _ in range(40)]
    workers = {pid for _, (_, pid) in taken} - {PARENT}
    assert workers and gc.get_freeze_count() > 0  # the pool runs; this process is held
    stream.close()
    assert gc.get_freeze_count() == 0 and not cycles._held
    assert not multiprocessing.active_children()
    for pid in workers:
        with pytest.raises(OSError):
            os.kill(pid, 0)  # gone (and reaped)


def test_a_dead_worker_stops_the_batch_instead_of_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 2)
    with pytest.raises(jixiao.JixiaoError) as info:
        list(parallel.ordered_map(_dying, range(100), 2, None))
    assert [d.code for d in info.value.diagnostics] == ["E913"]


def _held(flag: str, chunk: list[int]) -> list[tuple[int, int]]:
    """In a worker, wait (at most 30 s) until `flag` exists: a worker busy with its first chunk."""
    deadline = time.monotonic() + 30
    while os.getpid() != PARENT and not os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.01)
    return [(x, os.getpid()) for x in chunk]


def test_chunks_no_worker_has_started_are_taken_back_and_scored_here(tmp_path: Path) -> None:
    """At the end of a batch this process scores the chunks still queued for a busy worker instead of
    waiting for them (the worker is told to skip them); the results stay in order."""
    flag = tmp_path / "go"
    with parallel._Pool(_held, str(flag), 1, parallel._Sizes(1)) as pool:
        (worker,) = pool.workers
        pid = worker.process.pid
        pending = deque(pool._send(worker, [i]) for i in range(6))  # the worker holds the first
        assert pool._take_back(pending)
        assert pending[-1].results == [(5, PARENT)] and pending[-1].worker is None
        assert pool._take_back(pending) and pending[-2].results == [(4, PARENT)]  # then the one before it
        flag.touch()
        while not all(chunk.done for chunk in pending):
            pool._receive()
        results = [chunk.results for chunk in pending]
        assert not pool.sent and not worker.queued  # nothing more awaited: the two taken back are not
        pool._file(pending[-1].number, True, [(5, 0)], 0.01)  # were a taken-back chunk's result to come
        assert pending[-1].results == [(5, PARENT)]  # it is dropped: the one scored here stays
    assert [item for ((item, _),) in results] == list(range(6))  # type: ignore[misc]
    assert {p for ((_, p),) in results[:4]} == {pid}  # type: ignore[misc]


def _unpicklable(_: object, chunk: list[int]) -> list[object]:
    if os.getpid() != PARENT:
        return [lambda x=x: x for x in chunk]  # a result that cannot travel
    return chunk


def _buggy(_: object, chunk: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        raise KeyError("a bug in a worker")
    return chunk


def test_a_workers_bug_arrives_with_its_traceback_and_a_result_that_does_not_pickle_as_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 4)
    with pytest.raises(KeyError, match="a bug in a worker") as caught:
        list(parallel.ordered_map(_buggy, range(100), 2, None))
    assert isinstance(caught.value.__cause__, parallel.RemoteTraceback)
    assert "_buggy" in str(caught.value.__cause__)  # where in the worker it was raised
    with pytest.raises(Exception, match="pickle") as unpicklable:
        list(parallel.ordered_map(_unpicklable, range(100), 2, None))
    assert isinstance(unpicklable.value.__cause__, parallel.RemoteTraceback)


def test_a_large_chunk_and_a_large_result_at_once_do_not_block_each_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Chunks and results far larger than a pipe holds: a worker's thread reads its chunks as they come,
    so this process's sends never wait for a worker that is itself waiting to send."""
    monkeypatch.setattr(parallel, "CHUNK", 2)
    items = [bytes([i]) * 400_000 for i in range(40)]
    if hasattr(signal, "SIGALRM"):  # were they to block each other, fail instead of hanging the suite
        signal.signal(signal.SIGALRM, _hung)
        signal.alarm(60)
    try:
        done = list(parallel.ordered_map(_tagged_bytes, items, 2, None))
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
    assert [r for _, (r, _) in done] == [len(i) * 2 for i in items]


def _hung(*_: object) -> None:
    raise TimeoutError("this process and a worker wait for each other")


def _tagged_bytes(_: object, chunk: list[bytes]) -> list[tuple[int, bytes]]:
    return [(len(x * 2), x * 2) for x in chunk]


def test_chunk_sizes_follow_the_time_chunks_take() -> None:
    sizes = parallel._Sizes(None)
    assert sizes.next() == parallel.FIRST_CHUNK  # nothing timed yet
    sizes.took(100, 1.0)  # 10 ms an item (a file rendered): chunks of 2
    assert sizes.next() == round(parallel.CHUNK_SECONDS / 0.01)
    sizes.took(100_000, 0.0)  # now far cheaper on average: as large as allowed
    assert sizes.next() == parallel.MAX_CHUNK
    assert parallel._Sizes(5).next() == 5
    fewer = parallel._Sizes(None, 10)  # a batch of known size: at most this many (`PER_PROCESS`)
    fewer.took(100_000, 0.001)
    assert fewer.next() == 10


def test_workers_are_spawned_when_another_thread_runs() -> None:
    """A fork copies locks other threads may hold (a server's threads): spawn then, fork only alone."""
    alone = sys.platform == "linux" and threading.active_count() == 1
    assert parallel.start_method() == ("fork" if alone else "spawn")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.start_method() == "spawn"
    finally:
        stop.set()
        thread.join()


@pytest.fixture
def spawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers started as on Windows and macOS: nothing inherited, the state pickled to each."""
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")


@pytest.mark.usefixtures("spawn")
def test_score_many_in_spawned_workers_gives_what_one_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 8)
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    sources = [SEED.replace(PEOPLE, f"{10000 + i * 9}人").encode("utf-8") for i in range(60)]
    one = [jixiao.render(r, "json") for r in ruleset.score_many(sources)]
    fresh = jixiao.load_ruleset(SEED_RULESET)  # nothing scored before the workers start
    assert [jixiao.render(r, "json") for r in fresh.score_many(sources, jobs=3)] == one


@pytest.mark.usefixtures("spawn")
def test_the_cli_in_spawned_workers_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "CHUNK", 2)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(12):
        people = "很多人" if i == 5 else f"{10000 + i * 300}人"
        (inputs / f"p{i:02d}.csv").write_text(SEED.replace(PEOPLE, people), encoding="utf-8")
    seen = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        args = ["score", str(SEED_RULESET), str(inputs), "-o", str(out), "--format", "json", "--quiet"]
        result = CliRunner().invoke(main, [*args, "--jobs", jobs])
        files = {p.name: p.read_bytes() for p in out.iterdir()}
        seen.append(
            (result.exit_code, *(t.replace(str(out), "OUT") for t in (result.stdout, result.stderr)), files)
        )
    broken = f"第 6 个项目「城乡居民基本养老保险费财政补助资金」（{inputs / 'p05.csv'}）"  # named as in the summary
    assert seen[0][0] == 1 and broken in seen[0][2] and len(seen[0][3]) == 12
    assert seen[1] == seen[0]


@given(st.integers(-(10**30), 10**30), st.integers(0, 12))
def test_a_total_sent_as_units_and_digits_comes_back_the_same(units: int, digits: int) -> None:
    """A worker sends a decimal total as two integers; `Figure.scaled` makes the same figure again."""
    total = Figure(Fraction(units, 10**digits), digits)
    sent = _sent(total)
    assert isinstance(sent, tuple)
    again = Figure.scaled(*sent)
    assert (again.value, again.digits, again.shown, again.shown_digits) == (total.value, digits, None, None)
    assert str(again) == str(total) and repr(again) == repr(total)


def test_a_total_that_is_not_a_plain_decimal_is_sent_as_it_is() -> None:
    never_rounded = Figure(Fraction(1, 3))
    shown = Figure(Fraction(1, 2), 2, Fraction(1, 2), 1)
    third = Figure(Fraction(1, 3), 2)  # an exact value with digits that does not end there
    for total in (never_rounded, shown, third):
        assert _sent(total) is total


@pytest.mark.skipif(not hasattr(parallel.fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_a_workers_pipes_hold_large_results_where_the_system_lets_them() -> None:
    """A result larger than 64 KiB (the CLI's rendered files) fits in the pipe: the worker goes on to its
    next chunk instead of waiting for this process to read it."""
    fcntl = parallel.fcntl
    reader, writer = multiprocessing.Pipe(duplex=False)
    try:
        parallel._roomy(reader, writer)
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) == parallel.PIPE_ROOM
    finally:
        reader.close()
        writer.close()
    with parallel._Pool(_tagged, 0, 1, parallel._Sizes(1)) as pool:
        (worker,) = pool.workers
        for end in (worker.tasks, worker.results):
            assert fcntl.fcntl(end.fileno(), fcntl.F_GETPIPE_SZ) == parallel.PIPE_ROOM
