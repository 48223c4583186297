"""Benchmark harness: the engine against hand-written exact references, in one process, interleaved.

    python benchmarks/harness.py            # everything (a few minutes)
    python benchmarks/harness.py --quick    # small sizes, to see that it runs
    python benchmarks/harness.py scoring    # one section: scoring, load, cli, memory, jobs, columnar, diff

Scoring: each contestant scores the same generated projects (benchmarks/workload.py) in rounds that
alternate between contestants, after one untimed warm-up round each (but the first-sight row, whose
point is a ruleset that has not learnt the rows); CPU time per project is reported as median and min–max
over the rounds, with the ratio to the hand-written `Decimal` loop (> 1 means slower than the loop). The
fast evaluator and the loop are also measured taking turns every 100 projects (the median of the chunks'
ratios), which a change of load between rounds touches less. Every total is compared with the reference
first: a disagreement is printed and makes the exit status 1.

Load: `load_ruleset` stage by stage (bare Lark parse, AST, resolve, each check pass, compile) from 500 to
20,000 indicators, with the growth exponent of each stage (1 is linear, 2 quadratic).

CLI: `jixiao --help` and `jixiao score` of the seed against `python -c pass`, in subprocesses (the seed's
checked ruleset kept after the first run, io/checked.py; "score, new ruleset" scores a ruleset never seen).
Columnar: a batch of 100,000 projects of one ruleset on the columnar backend (engine/columnar, numpy)
against the Decimal loop and the fast evaluator, and a long CSV (a 项目 column) read and scored.
Memory: bytes kept per scored result (tracemalloc). Jobs: `score_many(jobs=N)` against one process, and
`jixiao score FOLDER --output DIR --jobs N` on 400 CSV files against --jobs 1. Diff: `jixiao diff` of two
rulesets whose 500 to 4,000 indicators are all renamed, with the name comparisons made (diff_renames.py).

Speed is measured here, never asserted in tests (tests/test_benchmarks.py only runs this at tiny sizes
and checks the agreement).
"""

from __future__ import annotations

import argparse
import compileall
import concurrent.futures
import functools
import gc
import math
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import diff_renames
import workload

import jixiao
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.checks import PASSES
from jixiao.engine.columnar import CHUNK, ColumnarEvaluator
from jixiao.engine.compiler import compile_plan
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.fast import FastEvaluator
from jixiao.engine.resolve import resolve_text
from jixiao.engine.results import Result
from jixiao.io.actuals import Options, parse_actuals, quick, read_sheets_of
from jixiao.io.parallel import cores
from jixiao.io.projects import content_projects
from jixiao.language.literals import parse_actual
from jixiao.language.parser import parse
from jixiao.language.syntax import _lark


@dataclass
class Row:
    name: str
    times: list[float]  # seconds per project, one per round

    def median_us(self) -> float:
        return statistics.median(self.times) * 1e6


def _cpu_per_item(run: Callable[[], object], items: int) -> float:
    start = time.process_time()
    run()
    return (time.process_time() - start) / items


def interleaved(
    contestants: dict[str, Callable[[], object]],
    items: int,
    rounds: int,
    collect: bool = False,
    warm: Sequence[str] = (),
) -> list[Row]:
    """CPU time per item of each contestant, rounds interleaved. `collect`: the garbage collector runs
    (untimed) before each contestant, so none pays for collecting what another left behind. `warm`: the
    contestants that run once untimed first (a warm-up round: what they learn in it — the fast evaluator's
    memos — is the state their rows measure; the first-sight row measures learning itself)."""
    for name in warm:
        contestants[name]()
    rows = {name: Row(name, []) for name in contestants}
    for _ in range(rounds):
        for name, run in contestants.items():
            if collect:
                gc.collect()
            rows[name].times.append(_cpu_per_item(run, items))
    return list(rows.values())


def print_rows(title: str, rows: list[Row], reference: str) -> None:
    base = next(r for r in rows if r.name == reference).median_us()
    print(f"\n{title}")
    print(f"  {'contestant':<34} {'median µs/project':>18} {'min–max':>20} {'× reference':>12}")
    for row in rows:
        low, high = min(row.times) * 1e6, max(row.times) * 1e6
        ratio = row.median_us() / base
        print(f"  {row.name:<34} {row.median_us():>18.2f} {f'{low:.2f}–{high:.2f}':>20} {ratio:>12.2f}")


def _decimal(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


def disagreements(name: str, count: int) -> int:
    """Score `count` projects with the engine and the reference; print and count every difference."""
    specs = workload.RULESETS[name]
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs))
    wrong = 0
    for p in workload.projects(specs, count, seed=7):
        engine = _decimal(compiled.score(parse_actuals(workload.csv_text(specs, p))).total.value)
        reference = workload.decimal_total(specs, workload.parsed(specs, p))
        if engine != reference:
            wrong += 1
            if wrong <= 5:
                print(f"  DISAGREE {name}: engine {engine} reference {reference} {p}")
    return wrong


def _cold(run: Callable[[], object]) -> object:
    """`run` after emptying what the CSV reader remembers (headers, lines, entries; parsed cells). What it
    remembered is put back afterwards: the contestant after this one finds the reader as it left it (else
    it reads every value as a new object, and the fast evaluator learns each row again: a cost of this
    row, not of the next)."""
    kept = [(memo, dict(memo)) for memo in quick.MEMOS]
    quick.forget()
    parse_actual.cache_clear()
    try:
        return run()
    finally:
        for memo, entries in kept:
            memo.clear()
            memo.update(entries)


def _first_sight(fresh: list[jixiao.CompiledRuleset], files: list[ActualsFile]) -> list[jixiao.Result]:
    compiled = fresh.pop()
    return [compiled.score(f) for f in files]


def scoring(name: str, count: int, rounds: int, reference: bool = True) -> int:
    specs = workload.RULESETS[name]
    wrong = disagreements(name, min(count, 2000))
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs))
    batch = workload.projects(specs, count)
    texts = [workload.csv_text(specs, p) for p in batch]
    files = [parse_actuals(t) for t in texts]
    values = [workload.parsed(specs, p) for p in batch]
    # A fresh compiled ruleset per round: its memos (rows, rates, totals) start empty, as for a batch of
    # projects it has never seen; the row above reuses one across rounds (memos filled by round 1).
    fresh = [jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False) for _ in range(rounds)]
    contestants: dict[str, Callable[[], object]] = {
        "engine (fast evaluator)": lambda: [compiled.score(f) for f in files],
        "engine (fast, first sight)": lambda: _first_sight(fresh, files),
        "engine (reference evaluator)": lambda: [reference_score(compiled.plan, f) for f in files],
        "Decimal loop": lambda: [workload.decimal_total(specs, v) for v in values],
    }
    if not reference:
        del contestants["engine (reference evaluator)"]
    gc.collect()
    gc.freeze()  # the inputs stay alive: no contestant pays for collecting them again and again
    # collect=True: what one contestant left behind (results, the fresh rulesets' memos) is collected
    # before the next starts, not in its rounds; a warm-up round for all but first sight (its round 1 was
    # one of the seven, learning every row: 12–20 µs a project, and the median then one round higher)
    warm = [name for name in contestants if "first sight" not in name]
    parsed_rows = interleaved(contestants, count, rounds, collect=True, warm=warm)
    print_rows(
        f"[{name}] scoring parsed actual values, {count} projects × {rounds} rounds",
        parsed_rows,
        "Decimal loop",
    )
    chunked = chunk_ratios(
        lambda some: [compiled.score(f) for f in some],
        lambda some: [workload.decimal_total(specs, v) for v in some],
        files,
        values,
        rounds,
    )
    print(
        f"  fast evaluator ÷ Decimal loop, alternating every {CHUNK_OF} projects (median, quartiles of "
        f"{len(chunked)} chunk ratios): {statistics.median(chunked):.2f} "
        f"({_quartiles(chunked)})"
    )
    gc.unfreeze()
    apart = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False)
    contestants = {
        "engine: CSV text → result": lambda: [compiled.score(parse_actuals(t)) for t in texts],
        # the results are not kept (only their totals): what keeping 2,000 results (each keeps its file
        # for its tables) costs in allocation and garbage collection, which the Decimal loop never meets
        "same, only the totals kept": lambda: [compiled.score(parse_actuals(t)).total for t in texts],
        # its own compiled ruleset: rows read as new objects are learnt into its memo, not into the one
        # the rows above use (which would then learn them all again once the reader's memory is back)
        "same, reader's memory emptied": lambda: _cold(
            lambda: [apart.score(parse_actuals(t)) for t in texts]
        ),
    }
    # collect=True: a full collection (50–100 µs a project, every round or two: the kept results and files)
    # otherwise lands in whichever contestant's round it falls, and that decides the medians
    return against_csv(f"[{name}] CSV text → result", contestants, specs, texts, rounds, wrong, collect=True)


CHUNK_OF = 100  # projects per chunk when two contestants alternate chunk by chunk


def chunk_ratios(
    mine: Callable[[list[ActualsFile]], object],
    reference: Callable[[list[workload.Values]], object],
    files: list[ActualsFile],
    values: list[workload.Values],
    rounds: int,
) -> list[float]:
    """CPU time of `mine` over that of `reference` on the same chunk of projects, chunk by chunk, the two
    taking turns (who goes first alternates): a change of load between rounds touches both alike."""
    ratios = []
    for turn in range(rounds):
        for start in range(0, len(files), CHUNK_OF):
            ratio = _chunk_ratio(
                lambda s=start: mine(files[s : s + CHUNK_OF]),  # type: ignore[misc]
                lambda s=start: reference(values[s : s + CHUNK_OF]),  # type: ignore[misc]
                mine_first=turn % 2 == 0,
            )
            if ratio is not None:
                ratios.append(ratio)
    return ratios


def _chunk_ratio(
    mine: Callable[[], object], reference: Callable[[], object], mine_first: bool
) -> float | None:
    if mine_first:
        ours, theirs = _cpu_per_item(mine, 1), _cpu_per_item(reference, 1)
    else:
        theirs, ours = _cpu_per_item(reference, 1), _cpu_per_item(mine, 1)
    return ours / theirs if theirs > 0 else None


def _quartiles(ratios: list[float]) -> str:
    if len(ratios) < 2:
        return "one chunk"
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return f"{q1:.2f}–{q3:.2f}"


def against_csv(
    title: str, contestants: dict[str, Callable[[], object]], specs: Sequence[workload.Spec],
    texts: list[str], rounds: int, wrong: int, collect: bool = False,
) -> int:  # fmt: skip
    """The contestants against the csv module + Decimal loop on the same texts; prints and returns `wrong`."""
    reference = {"csv module + Decimal loop": lambda: [workload.csv_decimal_total(specs, t) for t in texts]}
    rows = interleaved({**contestants, **reference}, len(texts), rounds, collect)
    print_rows(title, rows, "csv module + Decimal loop")
    print(f"  totals disagreeing with the reference: {wrong}")
    return wrong


# -- load growth -----------------------------------------------------------------------------------------
def _time(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def load_stages(text: str) -> dict[str, float]:
    stages = {"bare Lark parse": _time(lambda: _lark().parse(text))}
    stages["parse → AST"] = _time(lambda: parse(text, "<bench>"))
    ruleset = resolve_text(text, "<bench>")
    stages["resolve"] = _time(lambda: resolve_text(text, "<bench>"))
    # each pass on the resolved ruleset frozen, as the scoring rows freeze their inputs: a full collection
    # then walks what the pass makes, not the whole ruleset again and again (at 20,000 indicators that was
    # half of check: names and the superlinear part of check: weights; the passes themselves are linear)
    gc.collect()
    gc.freeze()
    for check in PASSES:
        stages[f"check: {check.__module__.rsplit('.', 1)[-1]}"] = _time(lambda c=check: c(ruleset))  # type: ignore[misc]
    gc.unfreeze()
    stages["compile"] = _time(lambda: compile_plan(ruleset))
    stages["load_ruleset (all)"] = _time(lambda: jixiao.load_ruleset(text=text, cache=False))
    return stages


def load_growth(sizes: Sequence[int], rounds: int = 5) -> None:
    _lark()  # build the parser once, outside the measurements
    table = {n: load_stages(workload.ruleset_text(workload.TWENTY, n)) for n in sizes}
    stages = list(table[sizes[0]])
    print(f"\nload_ruleset by stage, seconds (CPU), and growth exponent {sizes[0]} → {sizes[-1]} indicators")
    print("  " + f"{'stage':<28}" + "".join(f"{n:>10}" for n in sizes) + f"{'exponent':>10}")
    for stage in stages:
        times = [table[n][stage] for n in sizes]
        exponent = _exponent(sizes[0], sizes[-1], times[0], times[-1])
        print("  " + f"{stage:<28}" + "".join(f"{t:>10.3f}" for t in times) + f"{exponent:>10.2f}")
    print(f"  load_ruleset ÷ bare Lark parse, {rounds} rounds interleaved (median, min–max of the ratios):")
    for n in sizes:
        text = workload.ruleset_text(workload.TWENTY, n)
        ratios = []
        for _ in range(rounds):
            bare = _time(lambda t=text: _lark().parse(t))  # type: ignore[misc]
            ratios.append(_time(lambda t=text: jixiao.load_ruleset(text=t, cache=False)) / bare)  # type: ignore[misc]
        print(f"    at {n:>6}: {statistics.median(ratios):.2f}×  ({min(ratios):.2f}–{max(ratios):.2f})")


def _exponent(n1: int, n2: int, t1: float, t2: float) -> float:
    if t1 <= 0 or t2 <= 0:
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


# -- CLI start and memory ---------------------------------------------------------------------------------
Command = list[str] | Callable[[], list[str]]  # a command line, or one made anew for each run


def _started(
    commands: dict[str, tuple[Command, dict[str, str]]], runs: int
) -> dict[str, tuple[float, float]]:
    """Median wall seconds and median CPU seconds (user + system) of each command (with its environment),
    the commands taking turns in every round."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (made, env) in commands.items():
            command = made() if callable(made) else made
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=False, capture_output=True, env=env)
            walls[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in commands}


def cli_start(runs: int, before: str | None = None) -> None:
    """Start-up as users meet it: the package compiled to bytecode first (`compileall`, as pip does when
    it installs; this sandbox sets PYTHONDONTWRITEBYTECODE, which the commands run here do not inherit).

    `before`: the top folder of another checkout (e.g. `git worktree add /tmp/main main`), whose `src` is
    run with PYTHONPATH in the same rounds, turn about: the change's effect measured under one load."""
    jixiao_cmd = shutil.which("jixiao")
    if jixiao_cmd is None:
        print("\nCLI start: `jixiao` is not on PATH (install the package first)")
        return
    compileall.compile_dir(str(Path(jixiao.__file__).parent), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    seed = workload.ROOT / "rulesets" / "shangjie-pension"
    score = [jixiao_cmd, "score", str(seed / "2020.jx"), str(seed / "2020.actuals.csv")]
    commands: dict[str, tuple[Command, dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "jixiao --help": ([jixiao_cmd, "--help"], env),
        "jixiao score (seed)": (score, env),
        "score, new ruleset": (_new_ruleset(score), env),  # its checked ruleset never kept before
    }
    if before is not None:  # both checkouts started the same way (`python -m jixiao`), turn about
        source = str(Path(before) / "src")
        compileall.compile_dir(source, quiet=1)
        old = {**env, "PYTHONPATH": source}
        module = [sys.executable, "-m", "jixiao"]
        for tag, run_env in (("now", env), ("before", old)):
            commands[f"--help ({tag})"] = ([*module, "--help"], run_env)
            commands[f"score ({tag})"] = ([*module, *score[1:]], run_env)
            commands[f"new ruleset ({tag})"] = (_new_ruleset([*module, *score[1:]]), run_env)
    _started(commands, 1)  # the parser caches and bytecode written once, outside the measurement
    measured = _started(commands, runs)
    bare_wall, bare_cpu = measured["python -c pass"]
    print(f"\nCLI start, compiled bytecode (median of {runs}, turn about): wall time and CPU time")
    for name, (wall, cpu) in measured.items():
        print(
            f"  {name:<22}{wall * 1000:8.1f} ms {wall / bare_wall:6.1f}× python"
            f"   CPU {cpu * 1000:8.1f} ms {cpu / bare_cpu:6.1f}× python"
        )
    if before is not None:
        for name in ("score", "new ruleset", "--help"):  # `python -m jixiao` both: like against like
            now_cpu, old_cpu = measured[f"{name} (now)"][1], measured[f"{name} (before)"][1]
            print(
                f"  {name}: {old_cpu / bare_cpu:.1f}× → {now_cpu / bare_cpu:.1f}× python -c pass"
                f" ({(now_cpu - old_cpu) / old_cpu:+.0%} CPU)"
            )
    import_table([sys.executable, "-X", "importtime", "-m", "jixiao", *score[1:]])


def _new_ruleset(score: list[str]) -> Callable[[], list[str]]:
    """`score` of a copy of the seed's ruleset that differs in a comment each time: the text was never
    seen, so the kept checked ruleset (io/checked.py) cannot serve and it is parsed and checked."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-start-"))
    at = next(i for i, part in enumerate(score) if part.endswith(".jx"))
    text = Path(score[at]).read_text(encoding="utf-8")
    count = iter(range(1_000_000))

    def made() -> list[str]:
        path = folder / "2020.jx"
        path.write_text(f"{text}\n# {next(count)} {time.time_ns()}\n", encoding="utf-8")
        return [*score[:at], str(path), *score[at + 1 :]]

    return made


def import_table(command: list[str], shown: int = 18) -> None:
    """What `jixiao score` imports (python -X importtime, one run): the modules it imports directly or one
    level down, by cumulative time, and the slowest by their own time."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    stderr = subprocess.run(command, check=False, capture_output=True, text=True, env=env).stderr
    rows = []  # (own µs, cumulative µs, depth, module)
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, cumulative, name = line[len("import time:") :].split("|")
            depth = (len(name) - len(name.lstrip())) // 2
            rows.append((int(own), int(cumulative), depth, name.strip()))
    total = sum(r[0] for r in rows) / 1000
    print(f"  imports of `jixiao score` (python -X importtime, one run), ms: all {total:.0f}")
    top = sorted((r for r in rows if r[2] <= 1), key=lambda r: -r[1])[:shown]
    print("    cumulative:  " + ", ".join(f"{name} {cum / 1000:.0f}" for _, cum, _, name in top))
    own = sorted(rows, key=lambda r: -r[0])[:shown]
    print("    own:         " + ", ".join(f"{name} {mine / 1000:.0f}" for mine, _, _, name in own))


def memory(count: int) -> None:
    """Bytes a kept result adds: scored from files the caller keeps anyway, and from CSV text (the
    result then keeps its actual values, to fill in its table when read), and once its table is read."""
    specs = workload.TWENTY
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs))
    texts = [workload.csv_text(specs, p) for p in workload.projects(specs, count)]
    files = [parse_actuals(t) for t in texts]
    compiled.score(files[0])
    print(f"\nmemory kept per result (20 indicators, {count} results)")
    kept = _kept(lambda: [compiled.score(f) for f in files], "from parsed files the caller keeps")
    _kept(lambda: [compiled.score(t.encode()) for t in texts], "from CSV bytes (the bytes kept)")
    _kept(lambda: [compiled.score(parse_actuals(t)) for t in texts], "from CSV text (the read file kept)")
    _kept(lambda: [r.indicators for r in kept], "reading every table of the first batch")


def _kept(run: Callable[[], list[object]], what: str) -> list[object]:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = run()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"  {what:<40} {(after - before) / len(kept) / 1024:8.1f} KiB")
    return kept


# -- the columnar backend ----------------------------------------------------------------------------------
def columnar(name: str, count: int, distinct: int, rounds: int) -> int:
    """`count` projects (`distinct` generated ones, each read once, repeated) scored as one batch; every
    columnar total is first compared with the Decimal reference. CPU time per project."""
    specs = workload.RULESETS[name]
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs))
    made = workload.projects(specs, distinct, seed=5)
    files = [parse_actuals(workload.csv_text(specs, p)) for p in made] * (count // distinct)
    values = [workload.parsed(specs, p) for p in made] * (count // distinct)
    evaluator = ColumnarEvaluator.of(FastEvaluator(compiled.plan))
    assert evaluator is not None, "the columnar backend does not take this ruleset"
    totals = evaluator.totals(files)
    wrong = sum(
        1
        for t, v in zip(totals, values, strict=True)
        if t is None or _decimal(t[0].value) != workload.decimal_total(specs, v)
    )
    batches = [evaluator.read(files[i : i + CHUNK]) for i in range(0, len(files), CHUNK)]
    gc.collect()
    gc.freeze()  # the inputs stay alive: no contestant pays for collecting them again and again
    rows = interleaved(
        {
            "columnar: scoring a read batch": lambda: [evaluator.run.columns(b) for b in batches],
            "columnar: ActualsFiles → totals": lambda: evaluator.totals(files),
            "columnar: score_many → Results": lambda: list(compiled.score_many(files, backend="columnar")),
            "fast evaluator, one at a time": lambda: [compiled.score(f) for f in files],
            "Decimal loop": lambda: [workload.decimal_total(specs, v) for v in values],
        },
        len(files),
        rounds,
        collect=True,  # 100,000 results of one contestant are garbage when the next starts
    )
    gc.unfreeze()
    print_rows(
        f"[{name}] columnar backend, {len(files)} projects ({distinct} distinct) × {rounds} rounds",
        rows,
        "Decimal loop",
    )
    print(f"  columnar totals disagreeing with the Decimal reference (or declined): {wrong}")
    return wrong


def long_csv(name: str, count: int, rounds: int) -> int:
    """A long CSV with a 项目 column: the product's reader (io/long_table, then `score_many`; the full
    reader it spares) against the csv module and the Decimal loop on the same text."""
    specs = workload.RULESETS[name]
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs))
    made = workload.projects(specs, count, seed=6)
    data = _long_bytes(specs, made)
    texts = [workload.csv_text(specs, p) for p in made]

    def read_and_score(data: bytes = data) -> list[Result]:  # score_many as users call it ("auto")
        projects = content_projects(data, "全部项目.csv")
        return list(compiled.score_many([p.actuals for p in projects if p.actuals]))

    scored = read_and_score()
    wrong = sum(
        1
        for r, t in zip(scored, texts, strict=True)
        if _decimal(r.total.value) != workload.csv_decimal_total(specs, t)
    )
    contestants = {
        "long CSV: reader + score_many": read_and_score,
        "long CSV: reader alone": lambda: content_projects(data, "全部项目.csv"),
        "long CSV: reader alone, memory emptied": lambda: _cold(
            lambda: content_projects(data, "全部项目.csv")
        ),
        "long CSV: the full reader alone": lambda: read_sheets_of(data, Options(), "全部项目.csv"),
    }
    title = f"[{name}] a long CSV of {count} projects → results"
    wrong = against_csv(title, contestants, specs, texts, rounds, wrong, collect=True)
    # the same, as a long CSV per LONG_CHUNK projects, the two taking turns chunk by chunk: a change of
    # load between rounds (the rows above move 1.0–2.5× from run to run here) touches both alike
    pieces = [
        (_long_bytes(specs, made[s : s + LONG_CHUNK], s), texts[s : s + LONG_CHUNK])
        for s in range(0, count, LONG_CHUNK)
    ]
    ratios = [
        ratio
        for turn in range(3 * rounds)
        for piece, its_texts in pieces
        if (
            ratio := _chunk_ratio(
                lambda piece=piece: read_and_score(piece),  # type: ignore[misc]
                lambda its_texts=its_texts: [workload.csv_decimal_total(specs, t) for t in its_texts],  # type: ignore[misc]
                mine_first=turn % 2 == 0,
            )
        )
        is not None
    ]
    print(
        f"  reader + score_many ÷ csv module + Decimal loop, alternating every {LONG_CHUNK} projects "
        f"(median, quartiles of {len(ratios)} chunk ratios): {statistics.median(ratios):.2f} "
        f"({_quartiles(ratios)})"
    )
    return wrong


LONG_CHUNK = 200  # projects per long CSV when the reader and the reference alternate chunk by chunk


def _long_bytes(specs: Sequence[workload.Spec], made: list[workload.Project], first: int = 0) -> bytes:
    """The projects as one long CSV with a 项目 column (项目{first}, 项目{first + 1} …), UTF-8."""
    lines = ["项目," + workload.HEADER]
    for i, p in enumerate(made, start=first):
        lines += [f"项目{i}," + row for row in workload.csv_text(specs, p).splitlines()[1:]]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- batches on several processes -----------------------------------------------------------------------
def jobs(count: int, rounds: int) -> None:
    """`score_many(jobs=N)` on CSV bytes against one process, rounds interleaved, each with a ruleset
    compiled afresh and the reader's memory emptied (nothing a worker inherits was read or scored in an
    earlier round).

    The one-process rows: the default backend (columnar for a batch when numpy is there) and "fast" (one
    project at a time, what each process of `jobs=N` does); speed-ups are against "fast". "apart ×N" is
    the ceiling: N processes forked with the compiled ruleset, each scoring its slice with nothing sent
    back (what the machine gives N processes at the moment; on a loaded machine less than N).
    Wall time, and CPU time: this process's (its share of the scoring, sending, receiving), the workers'
    and all together; "busiest" (the largest of this process's and a worker's average CPU seconds) is
    what N idle cores would take, "CPU speed-up" one process's CPU seconds over it."""
    specs = workload.TWENTY
    text = workload.ruleset_text(specs)
    sources = [workload.csv_text(specs, p).encode("utf-8") for p in workload.projects(specs, count)]
    print(f"\nscore_many on {count} CSV files (median of {rounds}); {cores()} cores, load {_load()}")
    ns = sorted({2, cores()})
    ways: list[tuple[str, int, Callable[[], Iterable[object]]]] = [
        ("jobs=1", 1, lambda: jixiao.load_ruleset(text=text).score_many(sources)),
        ("jobs=1 fast", 1, lambda: jixiao.load_ruleset(text=text).score_many(sources, backend="fast")),
    ]
    for n in ns:
        ways.append((f"jobs={n}", n, functools.partial(_many, text, sources, n)))
        if sys.platform == "linux":
            ways.append((f"apart ×{n}", n, functools.partial(_apart, text, sources, n)))
    runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _, _ in ways}
    for _ in range(rounds):
        for label, _, scoring in ways:
            quick.forget()  # the reader's remembered lines: cold for every row, as in a new process
            runs[label].append(_cpu_timed(scoring))
    base = statistics.median(wall for wall, _, _ in runs["jobs=1 fast"])
    cpu_base = statistics.median(parent for _, parent, _ in runs["jobs=1 fast"])
    for label, n, _ in ways:
        wall, parent, workers = (statistics.median(m[i] for m in runs[label]) for i in range(3))
        # jobs=N: this process and N − 1 workers; apart ×N: N processes, this one only waits
        shared = n - 1 if label.startswith("jobs=") else n
        busiest = max(parent, workers / shared) if n > 1 else parent
        print(
            f"  {label:<12} wall {wall / count * 1e6:7.1f} µs/project, speed-up {base / wall:5.2f}×   "
            f"CPU: this process {parent:5.2f} s, workers {workers:5.2f} s, all {parent + workers:5.2f} s, "
            f"busiest {busiest:5.2f} s, CPU speed-up {cpu_base / busiest:5.2f}×"
        )
    for n in ns:
        ceiling = runs.get(f"apart ×{n}")
        if ceiling:  # each round's jobs=N against the apart ×N run right after it: a load change between
            # rounds touches both alike, which the medians of the rows above do not cancel
            shares = [apart[0] / mine[0] for mine, apart in zip(runs[f"jobs={n}"], ceiling, strict=True)]
            print(
                f"  jobs={n} ÷ apart ×{n} wall, round by round: {statistics.median(shares):.2f} of the "
                f"ceiling ({min(shares):.2f}–{max(shares):.2f})"
            )


def _many(text: str, sources: list[bytes], n: int) -> Iterable[object]:
    return jixiao.load_ruleset(text=text).score_many(sources, jobs=n)


_apart_batch: list[object] = []  # (the compiled ruleset, the sources) that forked processes inherit


def _apart(text: str, sources: list[bytes], n: int) -> list[int]:
    """`n` forked processes, each scoring its slice of `sources` with nothing sent back."""
    compiled = jixiao.load_ruleset(text=text)
    compiled.score(sources[0])  # as `score_many(jobs=N)` does before its workers start
    _apart_batch[:] = [compiled, sources]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(n, mp_context=context) as pool:
        return list(pool.map(_apart_slice, range(n), [n] * n))


def _apart_slice(i: int, n: int) -> int:
    gc.freeze()  # as io/parallel.py's workers start: what they inherit is out of the collector's sight
    compiled, sources = _apart_batch
    assert isinstance(compiled, jixiao.CompiledRuleset) and isinstance(sources, list)
    part = sources[i * len(sources) // n : (i + 1) * len(sources) // n]
    return sum(1 for _ in compiled.score_many(part, backend="fast"))


def _cpu_timed(scoring: Callable[[], Iterable[object]]) -> tuple[float, float, float]:
    """Wall seconds, this process's CPU seconds and its finished children's, of consuming `scoring()`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in scoring():
        pass
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, cpu, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


_TIMED_CLI = (
    "import atexit, sys, time\n"
    "atexit.register(lambda: print('parent-cpu', time.process_time(), file=sys.stderr))\n"
    "from jixiao.cli import run\n"
    "run()\n"  # as the console script: the start-up's objects frozen, the collector on for the command
)


def cli_jobs(count: int, rounds: int) -> None:
    """`jixiao score RULESET FOLDER --output DIR --format json --jobs N` on `count` CSV files: wall time of
    the whole command (reading, scoring, rendering and writing every file) against --jobs 1, with the CPU
    time of the parent process and of all processes (on a loaded machine wall time shows less than CPU)."""
    specs = workload.TWENTY
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ruleset, inputs = root / "rules.jx", root / "in"
        ruleset.write_text(workload.ruleset_text(specs), encoding="utf-8")
        inputs.mkdir()
        for i, p in enumerate(workload.projects(specs, count)):
            (inputs / f"p{i:05d}.csv").write_text(workload.csv_text(specs, p), encoding="utf-8")
        print(
            f"\njixiao score on {count} CSV files -o DIR --format json (median of {rounds}); "
            f"{cores()} cores, load {_load()}"
        )
        runs: dict[int, list[tuple[float, float, float]]] = {n: [] for n in sorted({1, 2, cores()})}
        for r in range(rounds):  # rounds interleaved: the machine's load falls on every N alike
            for n in runs:
                out = root / f"out{n}-{r}"
                command = ["score", str(ruleset), str(inputs), "-o", str(out), "--format", "json", "--quiet"]
                runs[n].append(_timed([sys.executable, "-c", _TIMED_CLI, *command, "--jobs", str(n)]))
        base = statistics.median(wall for wall, _, _ in runs[1])
        cpu_base = statistics.median(total for _, _, total in runs[1])
        for n, measured in runs.items():
            wall = statistics.median(m[0] for m in measured)
            parent = statistics.median(m[1] for m in measured)
            total = statistics.median(m[2] for m in measured)
            busiest = (
                max(parent, (total - parent) / (n - 1)) if n > 1 else total
            )  # the parent and n − 1 workers
            print(
                f"  --jobs {n:<3} wall {wall:7.2f} s  speed-up {base / wall:5.2f}×   "
                f"CPU: parent {parent:6.2f} s, all processes {total:6.2f} s, busiest ≈ {busiest:6.2f} s, "
                f"CPU speed-up {cpu_base / busiest:5.2f}×"
            )


def _timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, the parent's CPU seconds (it prints them) and the CPU seconds of all its processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    parent = (
        float(done.stderr.rsplit("parent-cpu", 1)[-1].split()[0]) if "parent-cpu" in done.stderr else math.nan
    )
    return wall, parent, total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sections", nargs="*", default=["scoring", "load", "cli", "memory", "jobs", "columnar", "diff"]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: check that it runs")
    parser.add_argument(
        "--before",
        default=None,
        help="cli: another checkout's top folder, run turn about (PYTHONPATH=its src)",
    )
    parser.add_argument("--projects", type=int, default=None)
    parser.add_argument(
        "--no-reference", action="store_true", help="scoring: leave out the reference evaluator (slow)"
    )
    parser.add_argument("--columnar-projects", type=int, default=100_000, help="the columnar section's batch")
    args = parser.parse_args(argv)
    count = args.projects or (50 if args.quick else 2000)
    rounds = 2 if args.quick else 7
    wrong = 0
    if "scoring" in args.sections:
        for name in workload.RULESETS:
            wrong += scoring(name, count, rounds, reference=not args.no_reference)
    if "load" in args.sections:
        load_growth([50, 200] if args.quick else [500, 2000, 5000, 20000], 2 if args.quick else 5)
    if "cli" in args.sections:
        cli_start(2 if args.quick else 10, args.before)
    if "memory" in args.sections:
        memory(20 if args.quick else 1000)
    if "jobs" in args.sections:
        for batch in (40,) if args.quick else (2000, 20_000):
            jobs(batch, 1 if args.quick else 3)
        cli_jobs(20 if args.quick else 400, 1 if args.quick else 3)
    if "columnar" in args.sections:
        for name in workload.RULESETS:
            big, distinct = (100, 20) if args.quick else (args.columnar_projects, 10_000)
            wrong += columnar(name, big, min(big, distinct), 2 if args.quick else 3)
            wrong += long_csv(name, min(big, 2000), 2 if args.quick else 3)  # full reader: 2 ms a project
    if "diff" in args.sections:
        diff_renames.diff_growth([50, 100] if args.quick else [500, 1000, 2000, 4000])
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
