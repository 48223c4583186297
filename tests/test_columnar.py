"""The columnar backend (engine/columnar, `jixiao[fast]`) gives the reference evaluator's results exactly.

Differential: every ruleset and case in the repository scored as a batch, and generated projects on the
rounding edges (benchmarks/edges.py), each ruleset's projects as one batch; every project the arrays
finish must have the reference's total, digits, grade and findings, and its table (filled in lazily by
the reference) must agree. The integer rounding on arrays against `round_scaled`; int64 bounds; the
API and the CLI with and without numpy. Speed is measured in benchmarks/, never here.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao
from jixiao.cli import main
from jixiao.engine.columnar import ColumnarEvaluator, arrays, refusal
from jixiao.engine.columnar.rows import each_once, each_once_counted
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.fast import FastEvaluator
from jixiao.io.actuals import collect_actuals
from jixiao.language.rounding import RoundingMode, round_scaled

sys.path.insert(0, str(ROOT / "benchmarks"))

import differential
import workload
from test_fast import _scored_cases


def _same(result: jixiao.Result, reference: jixiao.Result) -> bool:
    return (differential._figure(result.total), result.grade, result.findings) == (
        differential._figure(reference.total),
        reference.grade,
        reference.findings,
    )


# -- differential --------------------------------------------------------------------------------------
def test_every_ruleset_and_case_in_the_repository_scores_the_same_as_a_batch() -> None:
    taken = 0
    for ruleset, actuals in _scored_cases():
        try:
            compiled = jixiao.load_ruleset(ruleset)
        except jixiao.JixiaoError:
            continue
        fast = FastEvaluator.of(compiled.plan)
        columnar = ColumnarEvaluator.of(fast) if fast is not None else None
        if columnar is None:
            continue
        try:
            file = collect_actuals(actuals)
        except jixiao.JixiaoError:
            continue  # a case about an unreadable file
        batch = [file, collect_actuals(actuals), file]  # the same rows twice, and read again
        for scored in columnar.totals(batch):
            if scored is None:
                continue
            taken += 1
            reference = reference_score(compiled.plan, file)
            mine = (differential._figure(scored[0]), scored[1], scored[2])
            assert mine == (differential._figure(reference.total), reference.grade, reference.findings), (
                ruleset
            )
    assert taken >= 60, taken  # the arrays are used, not silently declined


def test_generated_projects_on_the_rounding_edges_score_the_same_as_batches() -> None:
    counts, differences = differential.run(seed=2026, projects=800, per_case=100, fill=False, columnar=True)
    assert differences == []
    # both paths taken; the generated weights are awkward on purpose (2.25 rounded up to 3), and a row whose
    # score rounds above its weight, in a 一级 whose full marks could add up to more than its weight, is the
    # reference's (it caps the subtotal, F135): about half the projects
    assert 2 * counts["columnar"] > counts["columnar declined"] > 0, counts
    assert "columnar refused" not in counts, counts


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32))
def test_any_generated_batch_scores_the_same(seed: int) -> None:
    _, differences = differential.run(seed=seed, projects=40, per_case=40, fill=False, columnar=True)
    assert differences == []


def test_the_workload_batches_score_the_same_and_fill_their_tables() -> None:
    for specs in workload.RULESETS.values():
        compiled = jixiao.load_ruleset(text=workload.ruleset_text(specs))
        texts = [workload.csv_text(specs, p).encode() for p in workload.projects(specs, 150, seed=3)]
        results = list(compiled.score_many(texts, backend="columnar"))
        assert "_kept" in results[0].__dict__  # scored on arrays, the table not yet filled in
        for text, result in zip(texts, results, strict=True):
            reference = reference_score(compiled.plan, collect_actuals(text))
            assert _same(result, reference)
        filled, reference = results[7], reference_score(compiled.plan, collect_actuals(texts[7]))
        assert [(i.name, i.score, i.actual) for i in filled.indicators] == [
            (i.name, i.score, i.actual) for i in reference.indicators
        ]
        assert filled.levels == reference.levels
        assert filled.budget is not None and reference.budget is not None
        assert filled.budget.score == reference.budget.score


# -- integers on arrays ----------------------------------------------------------------------------------
@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=40),
    st.integers(1, 10**6),
    st.integers(0, 4),
    st.sampled_from(list(RoundingMode)),
)
def test_rounding_on_arrays_is_round_scaled(
    nums: list[int], den: int, digits: int, mode: RoundingMode
) -> None:
    got = arrays.round_scaled(
        np.array(nums, dtype=np.int64), np.full(len(nums), den, dtype=np.int64), digits, mode
    )
    assert got.tolist() == [round_scaled(x, den, digits, mode) for x in nums]


@given(st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 3), st.integers(-(2**62), 2**62)), max_size=30))
def test_unique_rows_numbers_each_distinct_row_once(rows: list[tuple[int, int, int]]) -> None:
    matrix = np.array(rows, dtype=np.int64).reshape(len(rows), 3)
    distinct, inverse = arrays.unique_rows(matrix)
    assert len({tuple(r) for r in distinct.tolist()}) == len(distinct) == len(set(rows)) or not rows
    assert [tuple(distinct[i]) for i in inverse.tolist()] == rows


def test_amounts_beyond_int64_go_to_the_fast_evaluator() -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    text = SEED_ACTUALS.read_text(encoding="utf-8")
    lines = [_huge_amount(line) for line in text.splitlines()]
    files = [collect_actuals(text="\n".join(lines) + "\n", name="huge.csv"), collect_actuals(SEED_ACTUALS)]
    columnar = ColumnarEvaluator.of(FastEvaluator(compiled.plan))
    assert columnar is not None
    scored = columnar.totals(files)
    assert scored[0] is None and scored[1] is not None  # the whole chunk is not declined for one project
    results = compiled.score_batch(files, backend="columnar")
    assert results[0] is None
    total = next(iter(compiled.score_many([files[0]], backend="columnar"))).total
    assert total == reference_score(compiled.plan, files[0]).total


def _huge_amount(line: str) -> str:
    cells = line.split(",")
    if "全年预算数" in cells or "全年执行数" in cells:
        digits = "9" * 25 if "全年预算数" in cells else "8" * 25
        return ",".join(digits if i == _amount_column(cells) else c for i, c in enumerate(cells))
    return line


def _amount_column(cells: list[str]) -> int:
    return next(i for i, c in enumerate(cells) if c.replace(".", "", 1).isdigit())


# -- the API and the CLI ------------------------------------------------------------------------------------
def _long_table(tmp_path: Path, count: int) -> Path:
    specs = workload.SEED
    lines = ["项目," + workload.HEADER]
    for i, p in enumerate(workload.projects(specs, count, seed=11)):
        lines += [f"项目{i}," + row for row in workload.csv_text(specs, p).splitlines()[1:]]
    lines.insert(40, "项目2,产出指标,数量指标,享受补贴人数,很多人,")  # an unreadable cell: its project fails
    path = tmp_path / "全部项目.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "seed.jx").write_text(workload.ruleset_text(specs), encoding="utf-8")
    return path


def test_the_cli_scores_a_long_table_the_same_with_every_backend(tmp_path: Path) -> None:
    table = _long_table(tmp_path, 80)
    outputs = {}
    for backend in ("columnar", "auto", "fast"):
        args = [
            "score",
            str(tmp_path / "seed.jx"),
            str(table),
            "--backend",
            backend,
            "--format",
            "json",
            "-q",
        ]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output  # 项目2 has an error (E507); the others are scored
        outputs[backend] = result.stdout
    assert outputs["columnar"] == outputs["auto"] == outputs["fast"]
    assert '"project": "项目79"' in outputs["columnar"] and "E507" in result.stderr


def test_score_many_raises_a_projects_error_in_its_place(tmp_path: Path) -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    good = SEED_ACTUALS.read_bytes()
    bad = good.replace(b"100%", "一百".encode(), 1)
    seen = []
    with pytest.raises(jixiao.JixiaoError):
        for result in compiled.score_many([good] * 70 + [bad] + [good] * 5, backend="columnar"):
            seen.append(result)
    assert len(seen) == 70


@pytest.fixture
def without_numpy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """numpy as if not installed: `import numpy` fails, its spec is not found."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    assert not arrays.available()
    yield


def test_without_numpy_everything_scores_as_before(without_numpy: None, tmp_path: Path) -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET, cache=False)
    fast = FastEvaluator(compiled.plan)
    assert refusal(fast) == "numpy 未安装"
    results = list(compiled.score_many([SEED_ACTUALS] * 70))  # auto: one project at a time
    assert "_kept" in results[0].__dict__ and results[0].total == compiled.score(SEED_ACTUALS).total
    table = _long_table(tmp_path, 3)
    result = CliRunner().invoke(main, ["score", str(tmp_path / "seed.jx"), str(table), "-q"])
    assert result.exit_code == 1 and "项目1" in result.stdout


def test_asking_for_the_columnar_backend_without_numpy_is_e174(without_numpy: None, tmp_path: Path) -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET, cache=False)
    with pytest.raises(jixiao.JixiaoError) as raised:
        next(iter(compiled.score_many([SEED_ACTUALS], backend="columnar")))
    assert [d.code for d in raised.value.diagnostics] == ["E174"]
    table = _long_table(tmp_path, 2)
    result = CliRunner().invoke(
        main, ["score", str(tmp_path / "seed.jx"), str(table), "--backend", "columnar"]
    )
    assert result.exit_code != 0 and "E174" in result.stderr and "jixiao[fast]" in result.stderr
    assert "Traceback" not in result.output


def test_numpy_is_imported_only_when_a_batch_uses_it() -> None:
    """Only `backend="columnar"` imports numpy: scoring one project, or a batch the default way (one at a
    time, the faster from files), does not."""
    code = (
        "import sys, jixiao, jixiao.io.rulesets, jixiao.io.batch, jixiao.engine.columnar\n"
        "r = jixiao.load_ruleset(sys.argv[1]); r.score(sys.argv[2])\n"
        "list(r.score_many([sys.argv[2]] * 70))\n"
        "assert r.score_batch([jixiao.load_actuals(sys.argv[2])]) == [None]\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
        "list(r.score_many([sys.argv[2]] * 70, backend='columnar'))\n"
        "assert 'numpy' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEED_RULESET), str(SEED_ACTUALS)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_an_unknown_backend_is_a_programming_error() -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    with pytest.raises(ValueError, match="backend"):
        next(iter(compiled.score_many([SEED_ACTUALS], backend="gpu")))


@given(
    st.lists(st.booleans(), min_size=1, max_size=8),
    st.lists(st.lists(st.integers(-1, 7), max_size=10), max_size=12),
)
def test_each_indicator_once_by_bits_is_the_table_of_counts(
    required: list[bool], projects: list[list[int]]
) -> None:
    width = len(required)
    rows = [[i % width if i >= 0 else -1 for i in p] for p in projects]
    index = np.array([i for p in rows for i in p], dtype=np.int64)
    lengths = np.array([len(p) for p in rows], dtype=np.int64)
    project = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    by_bits = each_once(required, index, project, lengths)
    counted = each_once_counted(required, index, project, len(rows))
    expected = [
        all(p.count(i) <= 1 for i in range(width)) and all(i in p for i, r in enumerate(required) if r)
        for p in rows
    ]
    assert (
        by_bits[lengths > 0].tolist()
        == counted[lengths > 0].tolist()
        == [e for e, p in zip(expected, rows, strict=True) if p]
    )


def test_columns_hold_the_finished_projects_and_blanks_where_the_fast_evaluator_must_score() -> None:
    """`columns` gives three lists as long as the batch; a declined project (here: a cell read as
    simplified, F125) is None / None / () there, and `rows` is None there and the rest as scored."""
    compiled = jixiao.load_ruleset(SEED_RULESET)
    fast = FastEvaluator.of(compiled.plan)
    assert fast is not None
    columnar = ColumnarEvaluator.of(fast)
    assert columnar is not None
    plain = collect_actuals(SEED_ACTUALS)
    marked = collect_actuals(SEED_ACTUALS)
    marked.traditional.append(("資金", marked.file_span()))
    columns = columnar.run.columns(columnar.read([plain, marked, plain]))
    reference = reference_score(compiled.plan, plain)
    assert [differential._figure(t) if t else None for t in columns.totals] == [
        differential._figure(reference.total),
        None,
        differential._figure(reference.total),
    ]
    assert list(columns.grades) == [reference.grade, None, reference.grade]
    assert list(columns.findings) == [reference.findings, (), reference.findings]
    rows = columnar.run.columns(columnar.read([plain, marked])).rows()
    assert rows[1] is None and rows[0] is not None and rows[0][1] == reference.grade
