"""The plan's generated function (engine/fast/special.py) gives the general path's results, exactly.

Differential: generated projects on the rounding edges and the two benchmark workloads, scored once
(the general path remembers their rows) and again (the generated function), each against the
reference; projects the generated function must hand back (another row count, an unseen row, a value
object other than the remembered one, other budget layouts) are handed back and still scored exactly.
Injection: names, words, units and figures of a ruleset reach the function through its namespace only.
Speed is measured in benchmarks/, never here.
"""

from __future__ import annotations

import copy
import gc
import pickle
import random
import re
import sys
import weakref
from collections import Counter
from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.engine.actuals import UNSCORED, ActualsFile
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.fast import FastEvaluator
from jixiao.engine.fast import misses as misses_module
from jixiao.engine.fast.misses import Misses, Score
from jixiao.engine.fast.special import MAX_ROWS, Special
from jixiao.engine.plan import Plan
from jixiao.engine.results import Result
from jixiao.io.actuals import collect_actuals, parse_actuals, quick
from jixiao.io.projects import content_projects

sys.path.insert(0, str(ROOT / "benchmarks"))

import edges
import workload


def _counted(plan: Plan) -> tuple[FastEvaluator, Counter[str]]:
    """A fast evaluator whose generated function counts the projects it hands to the general path
    ("handed back") and those with rows it had not seen, which it scores first ("learned")."""
    fast = FastEvaluator(plan)
    assert fast.special is not None, "the plan should have a generated function"
    counts: Counter[str] = Counter()

    def general(actuals: ActualsFile) -> Result | None:
        counts["handed back"] += 1
        return fast.general(actuals)

    class CountingMisses(Misses):
        def learn(self, actuals: ActualsFile, again: Score) -> Result | None:
            counts["learned"] += 1
            return super().learn(actuals, again)

    class Counting(Special):
        MISSES = CountingMisses

    special = Counting(fast.run, fast.shared, general)
    fast.special, fast.quick = special, special.score
    return fast, counts


def _seed_texts(seed: int) -> tuple[Plan, FastEvaluator, Counter[str], list[str]]:
    """The seed workload's plan, a counted fast evaluator of it, and 30 of its projects as CSV text."""
    specs = workload.SEED
    plan = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False).plan
    fast, counts = _counted(plan)
    return plan, fast, counts, [workload.csv_text(specs, p) for p in workload.projects(specs, 30, seed=seed)]


def _same(result: Result | None, actuals: ActualsFile, plan: Plan) -> None:
    reference = reference_score(plan, actuals)
    assert result is not None
    assert (result.total.value, result.total.digits, result.total.shown, result.grade, result.findings) == (
        reference.total.value,
        reference.total.digits,
        reference.total.shown,
        reference.grade,
        reference.findings,
    )
    assert result.project == reference.project and result.total_weight == reference.total_weight
    assert result.policies == reference.policies and result.rules == reference.rules
    assert result.levels == reference.levels  # filled in by the reference, which agrees again (else E901)


# -- differential -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed", "twenty"])
def test_the_benchmark_workloads_score_as_the_reference(name: str) -> None:
    specs = workload.RULESETS[name]
    plan = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False).plan
    fast, counts = _counted(plan)
    files = [parse_actuals(workload.csv_text(specs, p)) for p in workload.projects(specs, 150, seed=3)]
    for actuals in files:
        _same(fast.score(actuals), actuals, plan)
    assert counts["learned"] > 0, counts  # the first projects' rows were new
    seen = counts.copy()
    for actuals in files:  # every row remembered now: the generated function alone, every time
        _same(fast.score(actuals), actuals, plan)
    assert counts == seen, counts


def test_generated_projects_on_the_rounding_edges_score_as_the_reference() -> None:
    counts: Counter[str] = Counter()
    plans = 0
    for case, csvs in edges.projects(seed=21, cases=30, per_case=25):
        plan = jixiao.load_ruleset(text=case.text, cache=False).plan
        probe = FastEvaluator.of(plan)
        if probe is None or probe.special is None:
            continue
        plans += 1
        fast, handed = _counted(plan)
        for csv in csvs:
            actuals = collect_actuals(text=csv, name="<edge>")
            first = fast.score(actuals)
            if first is None:
                counts["declined"] += 1
                continue
            _same(first, actuals, plan)
            before = handed.copy()
            _same(fast.score(actuals), actuals, plan)
            counts["generated" if handed == before else "handed back"] += 1
    assert plans >= 10, plans
    assert counts["generated"] >= 100 and counts["handed back"] > 0, counts


def test_a_value_other_than_the_remembered_one_is_scored_again() -> None:
    """The memo of rows holds the value each row was scored for: an equal row text with another value
    object (a program's own `ActualsFile`) is not taken on trust."""
    compiled = jixiao.load_ruleset(SEED_RULESET, cache=False)
    plan = compiled.plan
    fast, counts = _counted(plan)
    quick.forget()  # rows read now: none another test's run has learnt (and keeps, `actuals.Scorable`)
    actuals = collect_actuals(SEED_ACTUALS)
    _same(fast.score(actuals), actuals, plan)
    entry = actuals.entries[3]
    twin = copy.copy(entry.value)  # equal, another object
    assert twin == entry.value and twin is not entry.value
    swapped = replace(
        actuals, entries=[*actuals.entries[:3], replace(entry, value=twin), *actuals.entries[4:]]
    )
    assert counts == Counter({"learned": 1}), counts  # the first time: every row new
    _same(fast.score(swapped), swapped, plan)  # that row scored again, for its own value
    assert counts == Counter({"learned": 2}), counts
    _same(fast.score(swapped), swapped, plan)  # remembered with its value now: the generated function
    _same(fast.score(actuals), actuals, plan)  # the first file's rows keep their own records (`Scorable`)
    assert counts == Counter({"learned": 2}), counts
    # rows with no record yet (copies of the first file's) go by the memo, which holds the twin's value for
    # that row now: it is learned again, for the first value
    copied = replace(actuals, entries=[copy.copy(e) for e in actuals.entries])
    _same(fast.score(copied), copied, plan)
    assert counts == Counter({"learned": 3}), counts


def test_rows_keep_the_first_runs_records_and_another_run_never_takes_them() -> None:
    """A row read keeps the record of the first run to learn it (`actuals.Scorable`); a second ruleset
    scoring the same rows otherwise (another target for 享受补贴人数) goes by its own memo, alternating
    with the first, and each gives its own reference's results. A new row whose text the memo knows
    keeps the record it is scored by; copies and unpickled rows start with none."""
    specs = workload.SEED
    text = workload.ruleset_text(specs)
    assert "目标 ≥1.1万人" in text
    first = jixiao.load_ruleset(text=text, cache=False)
    other = jixiao.load_ruleset(text=text.replace("目标 ≥1.1万人", "目标 ≥3万人"), cache=False)
    quick.forget()  # rows read now: none another test's run has learnt
    files = [parse_actuals(workload.csv_text(specs, p)) for p in workload.projects(specs, 60, seed=13)]
    scored = [first.score(f) for f in files]  # the rows learnt, and kept in the rows
    tokens = first._fast_evaluator().run.tokens  # type: ignore[union-attr]
    assert all(e.scored[4] is tokens[at] for f in files for at, e in enumerate(f.entries))
    totals = {}
    for _ in range(2):
        for compiled in (other, first):
            for actuals in files:
                result = compiled.score(actuals)
                _same(result, actuals, compiled.plan)
                totals.setdefault(compiled, []).append(result.total)
    assert all(e.scored[4] is tokens[at] for f in files for at, e in enumerate(f.entries))  # none taken over
    assert totals[first][: len(files)] == [r.total for r in scored]
    assert totals[other] != totals[first]  # the rows score otherwise under the other ruleset
    remade = replace(files[1], entries=[replace(e) for e in files[1].entries])  # new rows, texts known
    assert all(e.scored[4] is None for e in remade.entries)
    _same(first.score(remade), remade, first.plan)  # by the memo (nothing to learn), which keeps them
    assert all(e.scored[4] is tokens[at] for at, e in enumerate(remade.entries))
    for copied in (copy.deepcopy(files[0]), pickle.loads(pickle.dumps(files[0]))):
        assert all(e.scored is UNSCORED for e in copied.entries)  # no run's record travels with a row
        _same(first.score(copied), copied, first.plan)
        _same(other.score(copied), copied, other.plan)


@pytest.mark.parametrize(
    "change",
    [
        "swap the figures",
        "a third figure",
        "one figure",
        "another row",
        "a unit",
        "a row fewer",
        "a row twice",
        "a zero budget",
        "a negative execution",
        "a note",
    ],
)
def test_a_project_of_another_shape_gets_the_general_paths_result(change: str) -> None:
    specs = workload.SEED
    plan = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False).plan
    fast, counts = _counted(plan)
    batch = workload.projects(specs, 40, seed=5)
    for p in batch:  # rows remembered
        actuals = parse_actuals(workload.csv_text(specs, p))
        _same(fast.score(actuals), actuals, plan)
    lines = workload.csv_text(specs, batch[0]).splitlines()
    budget, executed, rows = lines[1], lines[2], lines[3:]
    changed = {
        "swap the figures": [executed, budget, *rows],
        "a third figure": [budget, executed, "预算执行,年度资金总额,年初预算数,100,", *rows],
        "one figure": [budget, *rows],
        "another row": [budget, executed, "预算执行,财政拨款,全年预算数,100,", *rows],
        "a unit": [budget.rstrip(",") + "万元,", executed, *rows],
        "a row fewer": [budget, executed, *rows[1:]],
        "a row twice": [budget, executed, *rows, rows[4]],
        "a zero budget": ["预算执行,年度资金总额,全年预算数,0,", executed, *rows],
        "a negative execution": [budget, "预算执行,年度资金总额,全年执行数,-5,", *rows],
        "a note": [budget, executed, *rows[:-1], rows[-1].replace("说明", "")],
    }[change]
    actuals = parse_actuals("\n".join([lines[0], *changed]) + "\n")
    before = counts.copy()
    result = fast.score(actuals)
    if result is None:  # declined by the general path too: the reference scores it (or reports it)
        assert fast.general(actuals) is None
    else:
        _same(result, actuals, plan)
    own = ("swap the figures", "a third figure", "another row")  # the generated function's own shapes
    learned = ("a note",)  # a row text not seen before: scored, then the generated function
    assert counts["handed back"] == before["handed back"] + (change not in (*own, *learned)), change
    assert counts["learned"] == before["learned"] + (change in learned), change


# -- no text of a ruleset is code ------------------------------------------------------------------------
HOSTILE = ("x')\nraise SystemExit('injected')\n#", "__import__('os')._exit(3)", 'a"b', "{0}\\", "r0", "EVERY")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_texts_are_data_never_source(hostile: str) -> None:
    """The project's name, the money unit and the budget's row, hostile, reach the generated function
    through its namespace: the source is ASCII written by special.py (so no Chinese text of a ruleset
    either) and holds none of them; scoring gives the reference's results with the hostile name in them."""
    plan = jixiao.load_ruleset(SEED_RULESET, cache=False).plan
    named = replace(
        plan, ruleset=replace(plan.ruleset, document=replace(plan.ruleset.document, name=hostile))
    )
    hostile_plan = replace(
        named, budget=replace(plan.budget, row=hostile), money_unit=replace(plan.money_unit, unit=hostile)
    )
    fast = FastEvaluator(hostile_plan)
    assert fast.special is not None
    source = fast.special.source
    assert source.isascii(), source
    for text in (
        "SystemExit",
        "__import__",
        "{0}",
        'a"b',
        *([] if hostile in ("r0", "EVERY") else [hostile]),
    ):
        assert text not in source
    assert fast.special.score.__globals__["ROW"] == hostile
    actuals = collect_actuals(SEED_ACTUALS)
    fast, counts = _counted(named)
    for _ in range(2):  # the second time by the generated function
        result = fast.score(actuals)
        assert result is not None and result.project == hostile
        _same(result, actuals, named)
    assert counts == Counter({"learned": 1}), counts


def test_indicators_named_like_the_sources_own_words_score_as_the_reference() -> None:
    """Names the language allows that are also names in the generated source (its locals and namespace)."""
    names = ("r0", "e1", "EVERY", "general", "memo", "records", "actuals", "points")
    rows = "\n".join(f"    {name}  目标 ≥{10 + i}人  分值 10" for i, name in enumerate(names))
    text = (
        '项目 "x" 年度 2020 {\n  采用 "standard/central"\n  金额单位 万元\n'
        "  投入和管理目标 / 投入管理 {\n    预算执行率  目标 100%  分值 10  实际 = 执行率  舍入 截断 2位\n  }\n"
        f"  产出指标 / 数量指标 {{\n{rows}\n  }}\n}}\n"
    )
    plan = jixiao.load_ruleset(text=text, cache=False).plan
    fast, counts = _counted(plan)
    header = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施"
    budget = "预算执行,年度资金总额,全年预算数,120,\n预算执行,年度资金总额,全年执行数,{},"
    for executed in ("100", "119.99", "121", "100", "60.5"):
        lines = [header, budget.format(executed), "投入和管理目标,投入管理,预算执行率,90%,说明"]
        lines += [f"产出指标,数量指标,{name},{9 + 2 * i}人,说明" for i, name in enumerate(names)]
        actuals = parse_actuals("\n".join(lines) + "\n")
        for _ in range(2):
            _same(fast.score(actuals), actuals, plan)
    assert counts == Counter({"learned": 1}), counts  # the first project only: every later row was seen


@pytest.mark.parametrize("count", [150, 250])
def test_a_plan_of_many_indicators_is_unrolled_up_to_max_rows(count: int) -> None:
    """Up to `MAX_ROWS` indicators the rows are unrolled; beyond, the general path scores every project
    (a hostile ruleset of thousands of indicators must not make Python's compiler recurse)."""
    specs = workload.TWENTY
    plan = jixiao.load_ruleset(text=workload.ruleset_text(specs, count), cache=False).plan
    fast = FastEvaluator(plan)
    assert (fast.special is not None) == (count <= MAX_ROWS)
    rows = [
        f"{s.level1},{s.level2},{name},{cell},说明"
        for (s, name, _), cell in zip(
            workload._numbered(specs, count),
            (
                workload._cell(s, random.Random(i), Decimal(1))
                for i, (s, _, _) in enumerate(workload._numbered(specs, count))
            ),
            strict=True,
        )
    ]
    text = "\n".join(
        [
            workload.HEADER,
            "预算执行,年度资金总额,全年预算数,100,",
            "预算执行,年度资金总额,全年执行数,95,",
            *rows,
        ]
    )
    actuals = parse_actuals(text + "\n")
    for _ in range(2):
        _same(fast.score(actuals), actuals, plan)


def test_a_derived_indicators_row_in_another_place_is_found_and_remembered() -> None:
    """A derived indicator (实际 = 执行率: the seed's 预算执行率) is looked for in its place in the plan's
    order first; a table that puts its row elsewhere is scored by the generated function too (the row
    found, its place remembered), each project as the reference scores it."""
    plan, fast, counts, texts = _seed_texts(seed=12)
    moved = []
    for text in texts:
        header, *lines = text.splitlines()
        derived = next(i for i, line in enumerate(lines) if ",预算执行率," in line)
        # written otherwise than the rate: a finding of that row (its record, not another row's, is read)
        row = re.sub(r",预算执行率,[^,]*,", ",预算执行率,1.00%,", lines[derived])
        moved.append("\n".join([header, *lines[:derived], *lines[derived + 1 :], row]) + "\n")
    written = set()
    for _ in range(2):  # rows learnt the first time; then the generated function takes every project
        for text in [*moved, *texts, *moved]:
            actuals = parse_actuals(text)
            result = fast.score(actuals)
            _same(result, actuals, plan)
            written |= {f.code for f in result.findings if f.indicator.endswith("预算执行率")}  # type: ignore[union-attr]
    assert counts["handed back"] == 0, counts
    assert written, "the moved rows' own findings"


def test_a_table_in_another_order_than_the_plans_is_scored_by_the_memo_exactly() -> None:
    """The rows' own records are taken as they are only when each is the record of the indicator in its
    place (`FastRun.tokens`); a table in another order (here reversed: the same rows, the same row
    objects) goes by the memo's function and is scored as the reference scores it, never handed back."""
    plan, fast, counts, texts = _seed_texts(seed=14)
    reversed_texts = []
    for text in texts:
        header, annual, executed, *rows = text.splitlines()
        reversed_texts.append("\n".join([header, annual, executed, *rows[::-1]]) + "\n")
    for _ in range(2):
        for text in [*texts, *reversed_texts]:
            actuals = parse_actuals(text)
            _same(fast.score(actuals), actuals, plan)
    assert counts["handed back"] == 0, counts


def test_memos_that_start_over_give_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every memo of the generated function is bounded: with tiny bounds they start over all the time."""
    monkeypatch.setattr(misses_module, "MEMO_LIMIT", 3)
    specs = workload.SEED
    plan = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False).plan
    fast, counts = _counted(plan)
    files = [parse_actuals(workload.csv_text(specs, p)) for p in workload.projects(specs, 60, seed=8)]
    for _ in range(2):
        for actuals in files:
            _same(fast.score(actuals), actuals, plan)
    assert (
        fast.special is not None
        and len(fast.special.misses.found) <= 3
        and len(fast.special.misses.rated) <= 3
    )
    assert counts["handed back"] == 0, counts  # all of them the generated function's own


def test_findings_are_remembered_the_second_time_their_rows_come(monkeypatch: pytest.MonkeyPatch) -> None:
    """A project's findings are kept in the memo only when the same rows with findings come again: a
    batch of different projects leaves the memo (almost) empty, and every result's findings are the
    reference's either way. The marks of keys seen once start over when `SEEN_CLEARED` are set."""
    specs = workload.SEED
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False)
    files = [parse_actuals(workload.csv_text(specs, p)) for p in workload.projects(specs, 80, seed=10)]
    fast = compiled._fast_evaluator()
    assert fast is not None and fast.special is not None
    [compiled.score(f) for f in files]  # rows learnt: the generated function scores them all now
    fast.special.misses.found.clear()
    first = [compiled.score(f).findings for f in files]
    distinct = len({tuple(map(id, f)) for f in first})
    assert distinct > 20 and len(fast.special.misses.found) < distinct // 4  # marks that collide, at most
    again = [compiled.score(f).findings for f in files]
    assert again == first and len(fast.special.misses.found) >= distinct - 1  # the second time: kept
    assert all(a == reference_score(compiled.plan, f).findings for a, f in zip(again, files, strict=True))

    monkeypatch.setattr(misses_module, "SEEN_CLEARED", 4)
    fast.special.misses.found.clear()
    fast.special.misses.seen[:] = bytes(len(fast.special.misses.seen))
    fast.special.misses.marked = 0
    for f in files:
        compiled.score(f).findings  # noqa: B018
        assert fast.special.misses.marked <= 4 and sum(fast.special.misses.seen) == fast.special.misses.marked
    assert len(fast.special.misses.found) < distinct // 4  # marks cleared before their keys came again


def test_findings_are_made_when_first_read_from_what_the_result_kept() -> None:
    """Scoring does not order and join findings: the result keeps its rows' records, and its findings are
    made when first read, from those (the memos may have started over meanwhile), then held as the field;
    pickling makes them first. A file's own findings (F110 here) are joined at once."""
    specs = workload.SEED
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False)
    files = [parse_actuals(workload.csv_text(specs, p)) for p in workload.projects(specs, 40, seed=9)]
    [compiled.score(f) for f in files]  # rows learnt: the generated function scores them all now
    results = [compiled.score(f) for f in files]
    assert all("findings" not in r.__dict__ and len(r.__dict__["_kept"]) > 2 for r in results)
    fast = compiled._fast_evaluator()
    assert fast is not None and fast.special is not None
    pickled = pickle.loads(pickle.dumps(compiled.score(files[0])))  # filled in: findings first
    fast.special.misses.found.clear(), fast.run.memo.clear(), fast.special.misses.rated.clear()
    for actuals, result in zip(files, results, strict=True):
        reference = reference_score(compiled.plan, actuals)
        assert result.findings == reference.findings and result.findings is result.findings
        assert result.__dict__["_kept"][1:] == (actuals,)  # made once: only the file is still kept
    assert pickled.findings == results[0].findings and "_kept" not in pickled.__dict__
    assert any(r.findings for r in results) and any(not r.findings for r in results)

    lines = SEED_ACTUALS.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "预算执行,某某基金,全年预算数,10.00,")  # a fund source the reader does not know: F110
    own = parse_actuals("\n".join(lines) + "\n")
    compiled.score(own)
    result = compiled.score(own)
    assert "findings" in result.__dict__ and result.__dict__["_kept"][1:] == (own,)
    assert result.findings == reference_score(compiled.plan, own).findings
    assert [f.code for f in result.findings][:1] == ["F110"]


def test_deferred_findings_of_a_long_table_and_of_a_file_changed_after_scoring() -> None:
    """A long table's projects (rows kept as read, not as entries) make their findings from those rows; a
    file whose rows were changed after it was scored, so that they score otherwise, is an error (E901)."""
    specs = workload.SEED
    compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs), cache=False)
    made = workload.projects(specs, 30, seed=11)
    lines = ["项目," + workload.HEADER]
    for i, p in enumerate(made):
        lines += [f"项目{i}," + row for row in workload.csv_text(specs, p).splitlines()[1:]]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    for _ in range(2):  # the second time by the generated function, its rows learnt
        files = [p.actuals for p in content_projects(data, "全部项目.csv") if p.actuals]
        results = list(compiled.score_many(files))
    assert all(
        f._lines is not None and len(r.__dict__["_kept"]) > 2 for f, r in zip(files, results, strict=True)
    )
    for actuals, result in zip(files, results, strict=True):
        assert result.findings == reference_score(compiled.plan, actuals).findings

    actuals, other = (parse_actuals(workload.csv_text(specs, p)) for p in made[:2])
    compiled.score(other)  # its rows learnt
    result = compiled.score(actuals)
    assert "findings" not in result.__dict__
    fast = compiled._fast_evaluator()
    assert fast is not None
    memo = fast.run.memo
    changed = next(
        i
        for i, (a, b) in enumerate(zip(actuals.entries, other.entries, strict=True))
        if memo[a.key][1] != memo[b.key][1]  # a row that scores otherwise
    )
    actuals.entries[changed] = other.entries[changed]
    with pytest.raises(jixiao.JixiaoError) as caught:
        result.findings  # noqa: B018
    assert caught.value.diagnostics[0].code == "E901"


def test_bytes_paths_and_workers_are_scored_by_the_generated_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`score` of bytes or a path (the CLI's batches) and a worker's totals (`_score_sent`) go through the
    plan's generated function too, not only `score` of a read file; the results are the reference's."""
    from jixiao.engine.fast.run import FastRun
    from jixiao.io.rulesets import _score_sent, _total

    compiled = jixiao.load_ruleset(SEED_RULESET, cache=False)
    data = SEED_ACTUALS.read_bytes()
    reference = reference_score(compiled.plan, collect_actuals(data))
    compiled.score(data)  # the rows are learnt

    def general(self: FastRun, actuals: ActualsFile) -> None:
        raise AssertionError("the general path scored a project of the usual shape")

    monkeypatch.setattr(FastRun, "score", general)
    for source in (data, SEED_ACTUALS):
        result = compiled.score(source)
        assert (result.total, result.grade, result.findings) == (
            reference.total,
            reference.grade,
            reference.findings,
        )
        again = result.__dict__["_kept"][1]  # keeps its bytes to read again, not the read file
        assert callable(again) and not isinstance(again, ActualsFile)
        assert repr(result.indicators) == repr(reference.indicators)  # filled in from the bytes
    sent = _score_sent(compiled, data)
    assert type(sent) is tuple
    assert (_total(sent[0]), *sent[1:3]) == (reference.total, reference.grade, reference.findings)


def test_score_stays_the_method_after_the_generated_function_scored() -> None:
    """The generated function is called by `CompiledRuleset.score`; it does not become the ruleset's `score`
    (an instance attribute would save a call a project, but `ruleset.score` would no longer pickle, as
    `multiprocessing` needs, and patching the class would not reach a ruleset that had scored)."""
    compiled = jixiao.load_ruleset(SEED_RULESET, cache=False)
    actuals = collect_actuals(SEED_ACTUALS)
    compiled.score(actuals)
    assert "score" not in compiled.__dict__ and compiled.score.__func__ is jixiao.CompiledRuleset.score
    again = pickle.loads(pickle.dumps(compiled.score))  # a bound method: the ruleset and the name
    _same(again(actuals), actuals, compiled.plan)


# the seed's workload with a score formula (compiled to integer arithmetic: fast/rational.py)
FORMULA = ("享受补贴人数  目标 ≥1.1万人  分值 20", "得分 = 如果 实际 ≥ 目标 则 分值 否则 分值 × 实际 ÷ 目标")


@pytest.mark.parametrize("which", ["seed", "twenty", "formula"])
def test_a_dropped_compiled_ruleset_is_freed_at_once(which: str) -> None:
    """No reference cycle among a compiled ruleset, its fast evaluator, generated functions (whose own
    namespace must not hold them) and memos: dropped, it is freed at once with its memos, not when the cycle
    collector next walks the heap (which the whole heap pays for); its results keep what they read from."""
    specs = workload.RULESETS["seed" if which == "formula" else which]
    text = workload.ruleset_text(specs)
    if which == "formula":
        assert FORMULA[0] in text
        text = text.replace(FORMULA[0], "  ".join(FORMULA))
    files = [parse_actuals(workload.csv_text(specs, p)) for p in workload.projects(specs, 30, seed=3)]
    collecting = gc.isenabled()
    gc.disable()
    try:
        compiled = jixiao.load_ruleset(text=text, cache=False)
        results = [compiled.score(f) for f in files * 2]  # the second time by the generated function
        assert [r.findings for r in results] and results[0].indicators and compiled.score(files[0])
        kept = [weakref.ref(o) for o in (compiled, compiled._fast, compiled.plan)]
        assert compiled._fast.special is not None  # type: ignore[union-attr]
        kept.append(weakref.ref(compiled._fast.special.score))  # type: ignore[union-attr]
        assert all(ref() is not None for ref in kept)
        first = results[0]
        del compiled, results
        assert first.total is not None  # a result read after its ruleset is dropped
        del first
        assert [ref() for ref in kept] == [None] * len(kept)
    finally:
        if collecting:
            gc.enable()
