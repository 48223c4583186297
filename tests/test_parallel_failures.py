"""`score_many(jobs=N)` when something fails: a project's error, a worker killed, workers that cannot
start. Only `JixiaoError`s come out (E913 for a worker that ended), and nothing is left behind: no worker
process, nothing of this process frozen out of the collector's sight."""

from __future__ import annotations

import gc
import importlib.machinery
import multiprocessing
import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.io import batch as io_batch
from jixiao.io import parallel
from jixiao.language import cycles

SEED = SEED_ACTUALS.read_bytes()


@pytest.fixture(autouse=True)
def workers_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start after the first chunk, however little work the batch is; this process is held."""
    monkeypatch.setattr(parallel, "POOL_AFTER", 0.0)
    monkeypatch.setattr(parallel, "POOL_WORTH", 0.0)
    monkeypatch.setattr(parallel, "CHUNK", 4)
    monkeypatch.setattr(cycles, "_froze", False)
    monkeypatch.setattr(cycles, "_ours", False)


def test_a_projects_error_leaves_no_worker_and_nothing_frozen() -> None:
    """The error is raised with the pool closed already: a cycle through its traceback used to keep the
    pool's generator open, the workers running and this process frozen, until a collection."""
    bad = SEED.decode("utf-8").replace("约发放人数1.11万人", "1.1万元").encode("utf-8")
    for batch in ([SEED] * 300 + [bad] + [SEED] * 100, iter([SEED] * 300 + [bad] + [SEED] * 100)):
        before = gc.get_freeze_count()
        gc.disable()  # no collection may find the cycle meanwhile
        try:
            with pytest.raises(jixiao.JixiaoError) as info:
                for _ in jixiao.load_ruleset(SEED_RULESET).score_many(batch, jobs=2):
                    pass
            assert [d.code for d in info.value.diagnostics] == ["E506"]
            assert not multiprocessing.active_children()
            assert gc.get_freeze_count() == before == 0
        finally:
            gc.enable()


def test_a_killed_worker_is_E913_not_a_bug() -> None:
    results = jixiao.load_ruleset(SEED_RULESET).score_many([SEED] * 20_000, jobs=2)
    with pytest.raises(jixiao.JixiaoError) as info:
        for count, _ in enumerate(results):
            if count == 200:
                workers = multiprocessing.active_children()
                assert workers
                for worker in workers:
                    assert worker.pid is not None
                    os.kill(worker.pid, signal.SIGKILL)
    assert [d.code for d in info.value.diagnostics] == ["E913"]
    assert "killed, out of memory" in info.value.text("en")
    assert "内存不足" in info.value.text("zh") and "bug" not in info.value.text("en")
    assert not multiprocessing.active_children()
    assert gc.get_freeze_count() == 0


UNGUARDED = """
import sys, threading
import jixiao
from jixiao.io import parallel
parallel.POOL_AFTER = parallel.POOL_WORTH = 0.0
data = open(sys.argv[1], "rb").read()
stop = threading.Event()
waiting = threading.Thread(target=stop.wait)
waiting.start()  # another thread: workers are spawned, which import this script again
try:
    list(jixiao.load_ruleset(sys.argv[2]).score_many([data] * 2000, jobs=2))
    print("no error")
except BaseException as error:
    if __name__ != "__main__":
        raise  # a spawned worker running this script again cannot start workers: it ends
    if isinstance(error, jixiao.JixiaoError):
        print("JixiaoError", [d.code for d in error.diagnostics], error.text("en").replace("\\n", " "))
    else:
        print("RAW", type(error).__name__, error)
finally:
    stop.set()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="spawned children of a script run from a file")
def test_spawned_workers_of_a_script_without_a_main_guard_are_E913_saying_what_to_do(tmp_path: Path) -> None:
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(script), str(SEED_ACTUALS), str(SEED_RULESET)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=environment,
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("JixiaoError ['E913']"), done.stdout + done.stderr
    assert "__main__" in last


PARENT = os.getpid()
WORK_CHUNK = io_batch._work_chunk


def _dying_chunk(work: object, chunk: list[object]) -> list[object]:
    if os.getpid() != PARENT:
        os._exit(3)  # a worker killed from outside (out of memory, a crash in a C library)
    return WORK_CHUNK(work, chunk)  # type: ignore[arg-type]


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the patched work reaches forked workers"
)
def test_the_cli_says_a_worker_ended_in_chinese_or_english_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(40):
        (tmp_path / f"项目{number:02}.csv").write_bytes(SEED)
    monkeypatch.setattr(io_batch, "_work_chunk", _dying_chunk)
    for lang, words in (("zh", "评分子进程"), ("en", "worker process ended")):
        run = CliRunner().invoke(
            main, ["score", str(SEED_RULESET), str(tmp_path), "--jobs", "2", "-q", "--lang", lang]
        )
        assert run.exit_code == 1, run.output
        assert "E913" in run.stderr and words in run.stderr and "Traceback" not in run.output
        assert not multiprocessing.active_children()


def test_the_main_guard_advice_is_for_scripts_not_for_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """E913 told users of `jixiao score --jobs 8` to put their calls under if __name__ == "__main__"."""
    command = types.ModuleType("__main__")
    command.__spec__ = importlib.machinery.ModuleSpec("jixiao.__main__", None)
    monkeypatch.setitem(sys.modules, "__main__", command)
    assert "__main__" not in parallel._broken().text("zh")
    script = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", script)
    monkeypatch.setattr(sys, "argv", ["/venv/bin/jixiao", "score"])  # the installed command
    assert "__main__" not in parallel._broken().text("en")
    monkeypatch.setattr(sys, "argv", ["report.py"])
    assert 'if __name__ == "__main__"' in parallel._broken().text("zh")
    assert 'if __name__ == "__main__"' in parallel._broken().text("en")
