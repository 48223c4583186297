"""What a refused upload costs a worker in memory: the peak of Python allocations (tracemalloc, in this
process) while `/v1/score:file`'s job reads a hostile body and refuses it, as a multiple of the body's size.
Never a time. A 1 MiB text that is no table (prose, comma rows, UTF-16 junk) was read into a grid of a row
object, a tuple and a string per cell — 16 to 52 times its size — only to be refused with E530; a JSON
body of many tiny values was composed into PyYAML's node tree and checked value by value (785 times its
size for `[1,1,…]`, 160 for an object of many keys) only to be refused with E524, and a YAML/JSON list of
rows whose keys name no column into the node tree, a mark per node and a grid (130–200 times) only to be
refused with E530. Now 2–12 times."""

from __future__ import annotations

import json
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import copy_rulesets, needs_web

from jixiao.diagnostics import JixiaoError
from jixiao.web import actuals
from jixiao.web import models as m
from jixiao.web.adapter import Folder
from jixiao.web.jobs import run_job

pytestmark = needs_web

SIZE = 512 * 1024
SEED = "shangjie-pension/2020.jx"


def _fill(unit: bytes, size: int = SIZE) -> bytes:
    return unit * (size // len(unit))


HOSTILE = {  # body, file name, the code it is refused with, the most it may cost (× its size)
    "prose": (_fill(b"lorem ipsum dolor sit amet\n"), "x.csv", "E530", 8),
    "comma rows": (_fill(b"a,b,c,d,e,f,g,h,i,j\n"), "x.bin", "E530", 8),
    "tab rows": (_fill(b"a\tb\tc\td\te\tf\n"), "x.txt", "E530", 10),
    "utf-16 rows": (b"\xff\xfe" + _fill("甲\t乙\n".encode("utf-16-le")), "x.txt", "E530", 16),
    # PyYAML reads JSON slowly (and more slowly under tracemalloc): 64 KiB are enough to see the multiple.
    # Their floor is json.loads's syntax check (an object's members are a list before it is dropped).
    "json of tiny values": (b"[" + _fill(b"1,", SIZE // 8) + b"1]", "x.bin", "E524", 16),
    "json of many keys": (
        b"{" + b",".join(b'"k%d": 1' % i for i in range(SIZE // 8 // 10)) + b"}",
        "x.json",
        "E524",
        20,
    ),
    # the right shape, no known column: refused from the events of the shape check (E530), not the grid
    "yaml rows of unknown keys": (
        _fill("".join(f"- 甲: 值{i}\n  乙: abc\n  丙: {i}\n" for i in range(100)).encode(), SIZE // 8),
        "x.yaml",
        "E530",
        10,
    ),
    "json rows of unknown keys": (
        b"[" + b",".join([b'{"a": "1", "b": "x", "c": "3"}'] * (SIZE // 8 // 31)) + b"]",
        "x.json",
        "E530",
        10,
    ),
    "json rows of tiny values": (
        b"[" + b",".join([b'{"a": [1]}'] * (SIZE // 8 // 11)) + b"]",
        "x.json",
        "E524",
        16,
    ),
}


@pytest.fixture(scope="module", name="folder")
def folder_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Folder]:
    folder = Folder.at(copy_rulesets(tmp_path_factory.mktemp("memory")), False)
    here = Path.cwd()
    os.chdir(folder.root)  # as a worker runs (pool._serve)
    try:
        for body, name, _, _ in HOSTILE.values():  # caches (parser, vocabulary, readers) filled once
            _refused(folder, body[:4096], name)
        yield folder
    finally:
        os.chdir(here)


def _refused(folder: Folder, body: bytes, name: str) -> list[str]:
    payload = {"ruleset": SEED, "filename": name, "data": body, "batch": False, "lang": "zh"}
    reply = run_job(folder, "score_file", payload)
    assert reply.status == 422, reply.body
    return [d["code"] for d in json.loads(reply.body)["diagnostics"]]


def _peak(folder: Folder, body: bytes, name: str) -> tuple[int, list[str]]:
    tracemalloc.start()
    try:
        codes = _refused(folder, body, name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, codes


def _reading_peak(body: bytes, name: str) -> tuple[int, list[str]]:
    """The peak while the job reads the upload (`actuals.one`, where it is refused), alone."""
    request = m.UploadRequest(ruleset=SEED, filename=name, data=body)
    tracemalloc.start()
    try:
        actuals.one(actuals.uploaded(request))
    except JixiaoError as exc:
        codes = [d.code for d in exc.diagnostics]
    else:
        codes = []
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak, codes


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_refused_upload_costs_a_small_multiple_of_its_size(folder: Folder, kind: str) -> None:
    """The whole job, less its cost for 1 KiB of the same body (the ruleset checked in the cache, the
    answer: about 1 MB, more than reading a 64 KiB body now costs); and reading the upload alone."""
    body, name, code, most = HOSTILE[kind]
    base, _ = _peak(folder, body[:1024], name)
    peak, codes = _peak(folder, body, name)
    assert codes[:1] == [code], codes
    added = peak - base
    assert added <= most * len(body), f"{kind}: the job added {added / len(body):.1f} × its size"
    reading, codes = _reading_peak(body, name)
    assert codes[:1] == [code], codes
    assert reading <= most * len(body), f"{kind}: reading it took {reading / len(body):.1f} × its size"


JSON_BODIES = {  # a JSON request refused (E971) whatever its size: the body, the most it may cost (× its size)
    "half a million numbers": (b'{"ruleset": {"text": "x"}, "pad": [' + _fill(b"1,", SIZE // 2) + b"1]}", 16),
    "many small objects": (
        b'{"ruleset": {"text": "x"}, "actuals": {"rows": ['
        + b",".join([b'{"a":"b"}'] * (SIZE // 2 // 10))
        + b"]}}",
        30,
    ),
}


@pytest.mark.parametrize("kind", list(JSON_BODIES))
def test_a_refused_json_request_costs_a_small_multiple_of_its_size(folder: Folder, kind: str) -> None:
    """`body.body_problems` kept every object's members, every number and a path for every value (144 times
    the body), and the language of the refusal was looked for by reading the whole body again (20 times);
    what is left is pydantic's own reading of the body (about 20 times for many small objects)."""
    body, most = JSON_BODIES[kind]
    run_job(folder, "check", body[:64] + b"]}")  # the job's first call: its imports, its models
    tracemalloc.start()
    try:
        reply = run_job(folder, "check", body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reply.status == 422 and "E971" in str(reply.body)
    assert peak <= most * len(body), f"{kind}: {peak / len(body):.1f} × its size"
