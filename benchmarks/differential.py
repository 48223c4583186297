"""The fast evaluator against the reference evaluator on generated projects at the rounding edges.

    python benchmarks/differential.py                       # 20,000 projects
    python benchmarks/differential.py --projects 1000000 --jobs 2 --no-fill   # docs/performance.md
    python benchmarks/differential.py --columnar            # also each ruleset's projects as one batch

Every project of benchmarks/edges.py is scored by both evaluators (engine/evaluate and engine/fast).
Where the fast evaluator gives a result, its total (value, digits, shown value), grade, findings and
every indicator's score must equal the reference's, and so must the result of scoring it again (its
rows now remembered: the plan's generated function, engine/fast/special.py, when it takes it) and
filling in its table (the reference's rows); where it declines, the public API scores with the
reference, so there is nothing to compare. With --columnar, each generated ruleset's projects are also
scored as one batch by the columnar backend (engine/columnar, needs numpy): every project it finishes
must give the reference's total, digits, grade and findings. Prints the counts and every difference;
exit status 1 if any.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import edges

from jixiao import load_ruleset
from jixiao.diagnostics import JixiaoError
from jixiao.engine.columnar import ColumnarEvaluator
from jixiao.engine.columnar import available as columnar_available
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.fast import FastEvaluator, refusal
from jixiao.engine.figure import Figure
from jixiao.engine.plan import Plan
from jixiao.engine.results import Result
from jixiao.io.actuals import collect_actuals


def difference(
    plan: Plan, fast: FastEvaluator | None, csv: str | Path, fill: bool = True
) -> tuple[str, str | None]:
    """How one project came out ("fast", "declined", "refused", "unreadable") and what differed, if anything.
    `csv` is the text of a CSV file, or a file in any format the readers take."""
    try:
        actuals = collect_actuals(csv) if isinstance(csv, Path) else collect_actuals(text=csv, name="<edge>")
    except JixiaoError:
        return "unreadable", None
    try:
        reference: Result | JixiaoError = reference_score(plan, actuals)
    except JixiaoError as exc:
        reference = exc
    if fast is None:
        return "refused", None
    result = fast.score(actuals)
    if result is None:
        return "declined", None
    if isinstance(reference, JixiaoError):
        return "fast", f"the reference refuses it ({[d.code for d in reference.diagnostics]}), fast scored it"
    # again, now that the memos hold this project's rows: the plan's generated function (fast/special.py)
    again = fast.score(actuals)
    if again is None or (_figure(again.total), again.grade, again.findings) != (
        _figure(reference.total),
        reference.grade,
        reference.findings,
    ):
        return "fast", f"scored again: {again and (_figure(again.total), again.grade, again.findings)}"
    return "fast", _compare(fast, actuals, result, reference, fill)


def _compare(
    fast: FastEvaluator, actuals: object, result: Result, reference: Result, fill: bool
) -> str | None:
    mine = (_figure(result.total), result.grade, result.findings)
    theirs = (_figure(reference.total), reference.grade, reference.findings)
    if mine != theirs:
        return f"fast {mine} ≠ reference {theirs}"
    scores = fast.run.scores(actuals)  # type: ignore[arg-type]
    expected = {i.path: i.score.value for i in reference.indicators if i.score is not None}
    if scores != expected:
        wrong = {k: (v, expected.get(k)) for k, v in (scores or {}).items() if expected.get(k) != v}
        return f"indicator scores (fast, reference): {wrong}"
    if fill and result.levels != reference.levels:  # fills the lazy fields: the reference run agrees again
        return f"levels {result.levels} ≠ {reference.levels}"
    return None


def columnar_difference(
    plan: Plan, fast: FastEvaluator | None, csvs: Sequence[str | Path]
) -> tuple[Counter[str], list[str]]:
    """The projects `csvs` as one batch of the columnar backend, each it finishes against the reference."""
    counts: Counter[str] = Counter()
    columnar = ColumnarEvaluator.of(fast) if fast is not None and columnar_available() else None
    if columnar is None:
        counts["columnar refused"] += len(csvs)
        return counts, []
    files = []
    for csv in csvs:
        try:
            files.append(
                collect_actuals(csv) if isinstance(csv, Path) else collect_actuals(text=csv, name="<edge>")
            )
        except JixiaoError:
            counts["unreadable"] += 1
    differences = []
    for file, totals in zip(files, columnar.totals(files), strict=True):
        counts["columnar" if totals is not None else "columnar declined"] += 1
        if totals is None:
            continue
        try:
            reference = reference_score(plan, file)
        except JixiaoError as exc:
            differences.append(
                f"the reference refuses it ({[d.code for d in exc.diagnostics]}), columnar scored it"
            )
            continue
        mine = (_figure(totals[0]), totals[1], totals[2])
        theirs = (_figure(reference.total), reference.grade, reference.findings)
        if mine != theirs:
            differences.append(f"columnar {mine} ≠ reference {theirs}")
    return counts, differences


def _figure(f: Figure) -> tuple[object, ...]:
    return (f.value, f.digits, f.shown, f.shown_digits)


def run(
    seed: int, projects: int, per_case: int, fill: bool = True, columnar: bool = False
) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    differences: list[str] = []
    cases = max(1, projects // per_case)
    for number, (case, csvs) in enumerate(edges.projects(seed, cases, per_case)):
        try:
            compiled = load_ruleset(text=case.text, cache=False)
        except JixiaoError as exc:
            counts["ruleset with errors"] += 1
            differences.append(
                f"case {number}: generated ruleset has errors {[d.code for d in exc.diagnostics]}"
            )
            continue
        plan = compiled.plan
        fast = FastEvaluator(plan) if refusal(plan) is None else None
        for csv in csvs:
            how, wrong = difference(plan, fast, csv, fill)
            counts[how] += 1
            if wrong is not None:
                differences.append(f"case {number}: {wrong}\n{case.text}\n{csv}")
        if columnar:
            some, wrongs = columnar_difference(plan, fast, csvs)
            counts.update(some)
            differences += [f"case {number}: {wrong}\n{case.text}" for wrong in wrongs]
    return counts, differences


def _run(work: tuple[int, int, int, bool, bool]) -> tuple[Counter[str], list[str]]:
    return run(*work)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--per-case", type=int, default=200, help="projects per generated ruleset")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--jobs", type=int, default=1, help="processes (each its own seeds)")
    parser.add_argument(
        "--no-fill", action="store_true", help="do not also fill in each fast result's table (half the time)"
    )
    parser.add_argument(
        "--columnar", action="store_true", help="also score each ruleset's projects as a batch"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    chunks = max(args.jobs, args.projects // 20_000)  # seeds args.seed * 1000 + k, in any order
    work = [
        (args.seed * 1000 + k, args.projects // chunks, args.per_case, not args.no_fill, args.columnar)
        for k in range(chunks)
    ]
    counts: Counter[str] = Counter()
    differences: list[str] = []
    with multiprocessing.Pool(args.jobs) as pool:
        for done, (some, wrong) in enumerate(pool.imap_unordered(_run, work), 1):
            counts.update(some)
            differences.extend(wrong)
            print(
                f"  {done}/{chunks}: {sum(counts.values())} projects, {len(differences)} differences",
                flush=True,
            )
    for text in differences[:10]:
        print(f"DIFFERENCE {text}")
    total = sum(counts.values())
    print(
        f"{total} projects in {time.perf_counter() - start:.0f} s: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    print(f"differences: {len(differences)}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
