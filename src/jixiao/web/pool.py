"""Scoring in worker processes, so a deadline can really stop it and a busy server says so.

CPU-bound Python cannot be interrupted inside a thread (`asyncio.wait_for` only stops waiting), so
every job runs in one of a few long-lived worker processes. A job past its deadline gets E976 (504)
and its worker is killed and replaced; a request that waited as long for a worker gets E994 (504, as
docs/http.md has it for a request past `--deadline`; it was 503 E977, "busy, retry in 1 s", after the
whole deadline was spent waiting): waiting and scoring are each bounded by the deadline. When every
worker is busy and the waiting line is full, a request gets E977 (503 with Retry-After) at once instead
of piling up: a handler asks `full()` before it reads a body, and a busy server reads at most
`BUSY_BODY` bytes of one (`requests.read_small_body`).
Nothing that grows with a request runs on the event loop: what a refusal reads of a body runs in a thread.
Workers are started with "spawn", the one method that works the same on Windows, Linux and macOS.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

import anyio.to_thread

from jixiao.diagnostics import Diagnostic
from jixiao.messages import Lang
from jixiao.web.adapter import Folder
from jixiao.web.jobs import Reply, error_reply, malformed, requested_lang, run_job

RETRY_AFTER = 1  # seconds, for E977
BUSY_BODY = 64 * 1024  # bytes of a body a busy server still reads, to say 422 E971 when it is malformed
STARTUP = 120  # seconds a new worker process may take to import jixiao and warm up
WARM_UP = (  # a small ruleset that builds the parser and reads the packaged policy once per worker
    '项目 "预热" 年度 2024 {\n  采用 "standard/central"\n'
    "  产出指标 / 数量指标 {\n    人数  目标 ≥10人  分值 90\n  }\n}\n"
)


class Runner(Protocol):
    async def start(self) -> None: ...
    def full(self) -> bool: ...
    async def run(self, name: str, payload: bytes | dict[str, Any], lang: Lang) -> Reply: ...
    async def stop(self) -> None: ...


def busy(name: str, payload: bytes | dict[str, Any] | None, lang: Lang) -> Reply:
    """E977 (503), in the language the request asked for; a body of at most `BUSY_BODY` bytes that is
    not the job's request is E971 (422) even so: retrying it would not help. A larger body (or none: a
    handler that did not read it, `None`) is neither validated nor read for its `lang` (the query's, the
    header's or the server's language): up to 30 MB parsed for a refusal held a thread, or the event loop,
    for everyone. Call it off the event loop (`refuse`)."""
    if payload is not None and _size(payload) <= BUSY_BODY:
        wrong = malformed(name, payload, lang)
        if wrong is not None:
            return wrong
        lang = requested_lang(payload, lang)
    reply = error_reply([Diagnostic("E977", None, {"retry": RETRY_AFTER})], lang)
    return Reply(reply.status, reply.body, {"Retry-After": str(RETRY_AFTER)})


async def refuse(name: str, payload: bytes | dict[str, Any] | None, lang: Lang) -> Reply:
    """`busy`, in a thread: the event loop goes on serving meanwhile."""
    return await anyio.to_thread.run_sync(busy, name, payload, lang)


def _size(payload: bytes | dict[str, Any]) -> int:
    """A JSON body's bytes, or an upload's (the file; its query is a few names)."""
    data = payload if isinstance(payload, bytes) else payload.get("data")
    return len(data) if isinstance(data, bytes | str) else 0


# what E976 says of a job past the deadline, and what to do: a check has no actual values to make smaller
SCORING = (
    ("评分", "scoring"),
    (
        "把批量评分分成几次提交；若单个项目也超时，请检查实际值文件是否过大"
        "（工作表、行或列过多：删去无用的，或拆成几个文件）以及规则是否过大",
        "split the batch into several requests; if one project times out, check whether its actual-value "
        "file is too large (too many sheets, rows or columns: delete unused ones, or split the file) and the "
        "size of the ruleset",
    ),
)
SLOW_JOBS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "check": (
        ("检查规则", "checking the ruleset"),
        (
            "规则（连同它采用的评分办法）太大：检查是否提交错了文件，或把它拆成几个规则文件",
            "the ruleset (with the policies it uses) is too large: check that the right file was sent, or "
            "split it into several ruleset files",
        ),
    ),
    "fmt": (
        ("格式化规则", "formatting the ruleset"),
        (
            "规则太大：检查是否提交错了文件，或把它拆成几个规则文件",
            "the ruleset is too large: check that the right file was sent, or split it into several files",
        ),
    ),
    "test": (
        ("运行测试", "running the tests"),
        (
            "测试文件的用例太多，或它们的实际值文件过大：把用例分到几个测试文件中，或删去实际值文件中无用的工作表、行或列",
            "the test file has too many cases, or their actual-value files are too large: split the cases "
            "into several test files, or delete unused sheets, rows or columns",
        ),
    ),
    "diff": (
        ("比较规则", "comparing the rulesets"),
        (
            "两份规则或给出的实际值太大：少给几份实际值，或分几次比较",
            "the two rulesets or the actual values given are too large: give fewer actual-value files, or "
            "compare in several requests",
        ),
    ),
}


def too_slow(
    deadline: float, payload: bytes | dict[str, Any], lang: Lang, code: str = "E976", name: str = ""
) -> Reply:
    """504: E976 for a job stopped past the deadline (what to do depends on the job `name`: a check has no
    actual values to make smaller), E994 for a request that waited that long for a worker and never
    started (nothing was stopped; retrying later may succeed)."""
    job, advice = SLOW_JOBS.get(name, SCORING)
    diagnostic = Diagnostic(code, None, {"seconds": f"{deadline:g}", "job": job, "advice": advice})
    return error_reply([diagnostic], requested_lang(payload, lang))


def _serve(conn: Connection, folder: Folder) -> None:
    """A worker's life: run jobs until told to stop (None) or the pipe closes."""
    os.chdir(folder.root)  # explanations name rule files relative to the working folder: the served one
    run_job(folder, "check", {"ruleset": {"text": WARM_UP}})  # build the parser, read the packaged policy
    conn.send("ready")  # warm: neither the deadline nor the first keystroke's check pays for starting up
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, payload, lang = message
        reply = run_job(folder, name, payload, lang)
        conn.send((reply.status, reply.body, reply.headers, reply.media_type))


class _Worker:
    def __init__(self, folder: Folder) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child, folder), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(STARTUP) or self.conn.recv() != "ready":
            self.kill()
            raise OSError("a scoring process did not start")

    def call(self, name: str, payload: bytes | dict[str, Any], lang: Lang, deadline: float) -> Reply | None:
        """The reply, or None when the deadline passed (the caller then kills this worker)."""
        self.conn.send((name, payload, lang))
        if not self.conn.poll(deadline):
            return None
        return Reply(*self.conn.recv())

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


class Pool:
    """`size` worker processes, at most `queue` more requests waiting for one, a deadline per job."""

    def __init__(self, folder: Folder, size: int, deadline: float, queue: int) -> None:
        self.folder, self.size, self.deadline, self.queue = folder, size, deadline, queue
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._admitted = 0  # requests running or waiting for a worker

    async def start(self) -> None:
        for _ in range(self.size):
            await self._add()

    async def _add(self) -> None:
        worker = await anyio.to_thread.run_sync(_Worker, self.folder)
        self._workers.add(worker)
        self._idle.put_nowait(worker)

    def full(self) -> bool:
        """Whether a request now would be refused (E977): every worker busy and the waiting line full."""
        return self._admitted >= self.queue + self.size

    async def run(self, name: str, payload: bytes | dict[str, Any], lang: Lang) -> Reply:
        if self.full():  # it was not when the handler began reading the body
            return await refuse(name, payload, lang)
        self._admitted += 1
        try:
            return await self._run(name, payload, lang)
        finally:
            self._admitted -= 1

    async def _run(self, name: str, payload: bytes | dict[str, Any], lang: Lang) -> Reply:
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.deadline)
        except TimeoutError:  # the request's deadline passed in the waiting line: 504 as a job's (E994)
            return await anyio.to_thread.run_sync(too_slow, self.deadline, payload, lang, "E994")
        try:
            reply = await anyio.to_thread.run_sync(worker.call, name, payload, lang, self.deadline)
        except (EOFError, OSError):  # the worker died (out of memory, killed from outside)
            reply = error_reply([Diagnostic("E982", None, {"kind": "worker exited"})], lang)
        if reply is None or not worker.process.is_alive():
            await self._replace(worker)
            if reply is None:  # past the deadline; the payload is read for its lang in a thread
                return await anyio.to_thread.run_sync(too_slow, self.deadline, payload, lang, "E976", name)
            return reply
        self._idle.put_nowait(worker)
        return reply

    async def _replace(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        await anyio.to_thread.run_sync(worker.kill)
        await self._add()

    async def stop(self) -> None:
        for worker in list(self._workers):
            await anyio.to_thread.run_sync(worker.stop)
        self._workers.clear()

    @property
    def pids(self) -> list[int | None]:
        return [w.process.pid for w in self._workers]


class Inline:
    """Jobs in threads of this process (`--workers 0`): no process start-up, but a deadline only stops
    the waiting, not the work. For debugging and platforms that cannot start processes."""

    def __init__(self, folder: Folder, deadline: float) -> None:
        self.folder, self.deadline = folder, deadline

    async def start(self) -> None:
        return None

    def full(self) -> bool:
        return False  # threads: no waiting line to be full

    async def run(self, name: str, payload: bytes | dict[str, Any], lang: Lang) -> Reply:
        try:
            return await asyncio.wait_for(
                anyio.to_thread.run_sync(run_job, self.folder, name, payload, lang), self.deadline
            )
        except TimeoutError:
            return await anyio.to_thread.run_sync(too_slow, self.deadline, payload, lang, "E976", name)

    async def stop(self) -> None:
        return None
