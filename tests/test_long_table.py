"""Long tables (one CSV with a 项目 column, io/long_table.py) read into the full reader's files exactly, or declined.

Differential: every table of the repository the quick reader reads, the benchmark workloads and
hypothesis-generated tables (test_reader_quick's odd cells) are turned into long tables — a 项目 column
(and perhaps a 规则 column) put in at the start, in the middle or at the end, several projects in turn
or one after the other, odd project names — and read by both readers; when the long-table reader reads
one, every project's file (entries, values, keys, budget figures, findings, rulesets, origin and every
span with its excerpt) must equal the full reader's. Batches and `jixiao score` give the same output
with and without it. Speed is measured in benchmarks/, never here.
"""

from __future__ import annotations

import copy
import csv
import io
import pickle
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reader_quick import _decoded, _spans_equal, _table_files, tables

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import JixiaoError
from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.io import actuals, projects
from jixiao.io import long_table as long_reader
from jixiao.io.actuals import reading
from jixiao.io.long_table import read_long_text
from jixiao.io.projects import content_projects
from jixiao.language import cycles

sys.path.insert(0, str(ROOT / "benchmarks"))

import workload


# -- the comparison ---------------------------------------------------------------------------------------
def same_or_declined(text: str, name: str = "<t>", fmt: str = "csv") -> bool:
    """Whether the long-table reader read `text` (then exactly as the full reader); False: it declined."""
    got = read_long_text(text, name, fmt)
    if got is None:
        return False
    want = reading.read_grid(reading.text_grid(text, name, fmt))  # raises nothing
    assert got == want
    for mine, theirs in zip(got, want, strict=True):
        _same_file(mine, theirs)
    return True


def _same_file(mine: ActualsFile, theirs: ActualsFile) -> None:
    assert (mine.project, mine.ruleset, mine.diagnostics) == (theirs.project, theirs.ruleset, [])
    _spans_equal(mine.origin, theirs.origin)
    for a, b in zip(mine.entries, theirs.entries, strict=True):
        assert a.key == b.key and a.value == b.value and a.line == b.line
        assert list(a.spans) == list(b.spans)
        for column in [*b.spans, "adjusted", "coefficient"]:
            _spans_equal(a.span(column), b.span(column))
    for a_figure, b_figure in zip(mine.budget, theirs.budget, strict=True):
        _spans_equal(a_figure.span, b_figure.span)


def long_table(
    text: str, names: list[str], at: int, rulesets: list[str] | None = None, in_turn: bool = True
) -> str:
    """`text` (one project's table) as a long table: its rows once per name, a 项目 cell put in at column
    `at` (and a 规则 cell after it), the projects in turn (row by row) or one after the other."""
    separator = "\t" if "\t" in text.split("\n", 1)[0] else ","
    lines = text.split("\n")
    head = next((i for i, line in enumerate(lines) if line.replace(separator, "").strip()), len(lines))

    def put(line: str, cells: list[str]) -> str:
        parts = line.split(separator)
        where = min(at, len(parts))
        return separator.join([*parts[:where], *cells, *parts[where:]])

    extra = ["规则"] if rulesets is not None else []
    out = [*lines[:head], put(lines[head], ["项目", *extra])] if head < len(lines) else list(lines)
    rows = lines[head + 1 :]
    order = [(r, p) for r in range(len(rows)) for p in range(len(names))]
    if not in_turn:
        order.sort(key=lambda pair: pair[1])
    for r, p in order:
        ruleset = [] if rulesets is None else [rulesets[(p + r) % len(rulesets)]]
        out.append(put(rows[r], [names[p], *ruleset]) if rows[r].strip() else rows[r])
    return "\n".join(out)


NAMES = ["养老补助", "道路养护", "项目3"]


# -- every file in the repository, the workloads ----------------------------------------------------------
def test_every_table_in_the_repository_as_a_long_table_reads_the_same_or_is_declined() -> None:
    read = declined = 0
    for path in _table_files():
        decoded = _decoded(path)
        if decoded is None:
            continue
        text, fmt = decoded
        for at, rulesets, in_turn in ((0, None, True), (2, ["a.jx"], False), (99, ["a.jx", "b.jx"], True)):
            try:
                taken = same_or_declined(long_table(text, NAMES, at, rulesets, in_turn), str(path), fmt)
            except JixiaoError:
                pytest.fail(f"{path}: the long-table reader read a table the full reader refuses")
            read, declined = read + taken, declined + (not taken)
    assert read >= 60, (read, declined)  # used, not silently declined
    assert declined >= 20, (read, declined)  # two rulesets for a project (E527), problems: the full reader


@pytest.mark.parametrize("name", ["seed", "twenty"])
def test_the_benchmark_workloads_as_long_tables_are_read_the_same(name: str) -> None:
    specs = workload.RULESETS[name]
    for i, project in enumerate(workload.projects(specs, 6, seed=3)):
        text = workload.csv_text(specs, project)
        assert same_or_declined(long_table(text, [f"项目{i}", "乙"], 0, in_turn=bool(i % 2)))
        assert same_or_declined(long_table(text, ["丙"], 3, ["x.jx"]), "b/全部.csv")
        windows = long_table(text, [f"项目{i}", "乙"], 0).replace("\n", "\r\n")  # text= from Windows
        assert same_or_declined(windows)


# -- generated tables -------------------------------------------------------------------------------------
ODD_NAMES = ["A", "A ", " A", "", "合计", "總計", "項目", "甲乙", "a\tb", "=1+1", "__import__('os')"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tables(),
    st.lists(st.sampled_from(ODD_NAMES), min_size=1, max_size=3),
    st.integers(0, 6),
    st.none() | st.lists(st.sampled_from(["", "r.jx", "s.jx", "規則.jx"]), min_size=1, max_size=2),
    st.booleans(),
    st.sampled_from(["csv", "tsv"]),
)
def test_generated_long_tables_read_the_same_or_are_declined(
    text: str, names: list[str], at: int, rulesets: list[str] | None, in_turn: bool, fmt: str
) -> None:
    same_or_declined(long_table(text, names, at, rulesets, in_turn), "a.csv", fmt)


HEAD = "项目,一级指标,二级指标,三级指标,实际完成值\n"
ROW = "产出指标,数量指标,享受补贴人数,5人\n"
DECLINED = {
    "two rulesets for a project (E527)": "项目,规则,三级指标,实际完成值\nA,a.jx,享受补贴人数,5人\nA,b.jx,x,1\n",
    "a project called 合计": HEAD + "合计," + ROW,
    "a traditional project name (F125)": HEAD + "養老," + ROW,
    "a row with only its project (E504)": HEAD + "A,,,,\n",
    "a shifted row (E512)": HEAD + "A," + ROW.strip() + ",x\n",
    "a number split by a stray comma, its row's last cell blank (E512)": HEAD.replace("值\n", "值,偏差原因\n")
    + "A,产出指标,数量指标,享受补贴人数,5,0人,\n",
    "a 合计 row": HEAD + "A," + ROW + "A,合计,,,95\n",
    "a quoted header": '"项目",一级指标,二级指标,三级指标,实际完成值\nA,' + ROW,
    # text given with \r\n (not decoded bytes): the csv module keeps a quoted line break as \r\n in the cell
    "a quoted line break in text with \\r\\n": (
        '项目,三级指标,实际完成值,偏差原因分析及改进措施\nA,享受补贴人数,5人,"a\nb"\n'
    ).replace("\n", "\r\n"),
    "a quoted shifted row (E512)": HEAD + 'A,产出指标,数量指标,享受补贴人数,"5,000人",x\n',
    "no project column": "三级指标,实际完成值\n享受补贴人数,5人\n",
    "two project columns (E517)": "项目,项目名称,三级指标,实际完成值\nA,A,享受补贴人数,5人\n",
    "an unreadable value (E505)": HEAD + "A,产出指标,数量指标,享受补贴人数,1.2.3人\n",
    "an amount given twice (E516)": HEAD + "A,预算执行,,全年预算数,970\nA,预算执行,,全年预算数,980\n",
    "an amount given twice, once with a unit (E516)": HEAD
    + "A,预算执行,,全年预算数,970\nB,预算执行,,全年预算数,970万元\nB,预算执行,,全年预算数,980\n",
    "a header only": HEAD,
    "a line of one cell between projects": HEAD + "A," + ROW + "孤\n" + "B," + ROW,
    # NUL (the csv module refuses it: E514) is looked for where no memo vouches for a line, not everywhere
    "NUL in a new project's name": HEAD + "A," + ROW + "B\x00," + ROW,
    "NUL after a project's name seen before": HEAD + "A," + ROW + "B," + ROW + "A\x00," + ROW,
    "NUL in a row": HEAD + "A," + ROW + "A,产出指标,数量指标,享受补贴人数,5\x00人\n",
    "NUL in an amount of a budget row seen before": HEAD
    + "A,预算执行,,全年预算数,970\nB,预算执行,,全年预算数,9\x0070\n",
    "NUL alone between projects": HEAD + "A," + ROW + "\x00\nB," + ROW,
    "NUL in the header": HEAD.replace("实际完成值", "实际完成值\x00") + "A," + ROW,
    "a line of one cell after the last project": HEAD + "A," + ROW + "B," + ROW + "孤",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_unusual_long_tables_are_left_to_the_full_reader(text: str) -> None:
    assert read_long_text(text, "<t>", "csv") is None


READ = {
    # a 度量单位 / 指标性质 cell joined as table.py joins it; a budget amount with a unit: no plain amount
    "a unit column": "项目,三级指标,实际完成值,度量单位\nA,享受补贴人数,5,人\nB,享受补贴人数,6,\nB,满意度,95,%\n",
    "unit and comparator columns": "项目,一级指标,二级指标,三级指标,指标性质,指标值,实际完成值,度量单位\n"
    "A,产出指标,数量指标,享受补贴人数,≥,1.1,1.11,万人\nA,预算执行,年度资金总额,全年预算数,,,970,万元\n"
    "A,预算执行,年度资金总额,全年执行数,,,909.5,\nB,产出指标,数量指标,享受补贴人数,≥,1.1,1.11,万人\n",
    "usual": HEAD + "A," + ROW + "B," + ROW + "A,预算执行,,全年预算数,970\n",
    # a plain amount of a template seen before (one pattern for them: quick.amount_figure) after a budget row
    # with a unit (read by the project's BudgetReader, which must learn of the plain figure too)
    "a plain budget row after one with a unit": HEAD
    + "A,预算执行,,全年执行数,900\nB,预算执行,,全年预算数,970万元\nB,预算执行,,全年执行数, 909.5 \n",
    "blank lines and a blank project": "\n" + HEAD + "\n," + ROW + " , , , , \nB," + ROW,
    "white space between projects": HEAD + "A," + ROW + "  \n\t\n\nB," + ROW + "A," + ROW + " \n\n",
    "tab-separated, a blank line first": "\n"
    + HEAD.replace(",", "\t")
    + ("A," + ROW + "B," + ROW).replace(",", "\t"),
    "项目 last, short rows": "三级指标,实际完成值,项目\n享受补贴人数,5人,A\n享受补贴人数,6人\n",
    "规则 named once": "项目,规则,三级指标,实际完成值\nA,a.jx,享受补贴人数,5人\nA,,x,1\nB,,y,2\n",
    "项目 in the middle, 规则 first": "规则,三级指标,项目,实际完成值\nr.jx,享受补贴人数,A,5人\n,x,B,1\n",
    # cells holding a comma or a quote, quoted as Excel and WPS write them: read as the csv module reads them
    "a quoted cell": HEAD + 'A,产出指标,数量指标,享受补贴人数,"5,000人"\nB,' + ROW,
    "quoted names and amounts": HEAD
    + '"道路,养护",'
    + ROW
    + '"道路,养护",预算执行,,全年预算数,"1,000"\n'
    + "A,"
    + ROW
    + '"""甲""项目",产出指标,数量指标,享受补贴人数,"5人"\n',
    "every cell quoted": HEAD + '"A","产出指标","数量指标","享受补贴人数","5人"\nB,' + ROW,
    # a note of two lines (Alt+Enter): one row over two lines, numbered by its first, as the full reader reads it
    "a quoted line break": HEAD + 'A,产出指标,数量指标,享受补贴人数,"5人\n（约数）"\nB,' + ROW,
    "quoted line breaks in a name and a note": "项目,三级指标,实际完成值,偏差原因分析及改进措施\n"
    + '"道路\n养护",享受补贴人数,5人,"第一行\n\n第三行"\nB,享受补贴人数,6人,\n"道路\n养护",满意度,95%,x\n',
    "quoted, 项目 in the middle": '三级指标,项目,实际完成值\n享受补贴人数,"A,B","5,000人"\nx,C,1\n',
}


@pytest.mark.parametrize("text", READ.values(), ids=READ.keys())
def test_usual_long_tables_are_read_the_same(text: str) -> None:
    assert same_or_declined(text)


@st.composite
def written_long_tables(draw: st.DrawFn) -> str:
    """A long table as Excel, WPS or a script writes it with the csv module: names and cells holding commas,
    quotes or line breaks quoted (or every cell), \\n or \\r\\n line ends, the header as typed."""
    names = draw(
        st.lists(st.sampled_from(["A", "道路,养护", '"甲"项目', "B", "合计", " "]), min_size=1, max_size=3)
    )
    rows = [
        [
            "产出指标",
            "数量指标",
            "享受补贴人数",
            draw(st.sampled_from(["5人", "5,000人", '约"5"人', "1.1万人", "x"])),
        ],
        ["预算执行", "", "全年预算数", draw(st.sampled_from(["970", "1,000", "-", '"9"']))],
        ["效益指标", "社会效益", "群众满意度", draw(st.sampled_from(["95%", "9\n5%", ""]))],
    ]
    order = [(name, row) for row in rows for name in names]
    if draw(st.booleans()):
        order.sort(key=lambda pair: names.index(pair[0]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    out.write(HEAD.replace("\n", end))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    csv.writer(out, quoting=quoting, lineterminator=end).writerows([name, *row] for name, row in order)
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_long_tables())
def test_long_tables_the_csv_module_writes_read_the_same_or_are_declined(text: str) -> None:
    same_or_declined(text, "a.csv")


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "A," + ROW + "B," + ROW.replace("享受补贴人数", "享受补贴人数" * 12),
        HEAD + "A," + ROW + " " * 70 + "\nB," + ROW,
    ],
    ids=["a long cell", "a long blank line"],
)
def test_a_line_longer_than_a_cell_may_be_is_declined_as_plain_lines_declines_it(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's run and the blank lines between runs are read whole: a line in them longer than the
    longest cell the csv module reads declines the table, as `plain_lines` declines it."""
    longest = max(map(len, text.split("\n")))
    for limit, read in ((longest, True), (longest - 1, False)):
        monkeypatch.setattr(long_reader, "MAX_CELL", limit)
        monkeypatch.setattr(actuals.quick, "MAX_CELL", limit)
        assert (actuals.quick.plain_lines(text, "csv", quotes=True) is not None) is read
        assert (read_long_text(text, "<t>", "csv") is not None) is read


def test_reading_a_long_table_leaves_no_cycle_and_its_objects_in_the_oldest_generation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader makes its objects with the cycle collector paused and moves them to the oldest generation
    unwalked (`cycles_uncollected(promote=True)`): that holds only while reading makes no cycle, read or
    declined, so nothing is left for the collector to find; a process that froze objects of its own
    (`gc.freeze()`) keeps them frozen."""
    import gc

    specs = workload.RULESETS["seed"]
    texts = [long_table(workload.csv_text(specs, p), NAMES, 0) for p in workload.projects(specs, 3, seed=4)]
    texts += [*DECLINED.values(), *READ.values()]
    gc.collect()
    for text in texts:
        got = read_long_text(text, "<t>", "csv")
        assert gc.get_count()[0] < 50, text  # the young generation emptied
        del got
        assert gc.collect() == 0, text
    monkeypatch.setattr(cycles, "_froze", False)  # what this process is seen to have frozen: asked again
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert read_long_text(texts[0], "<t>", "csv") is not None
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_whether_the_process_froze_objects_is_counted_until_it_has(monkeypatch: pytest.MonkeyPatch) -> None:
    """`gc.get_freeze_count()` counts the frozen objects one by one: asked while it says 0 (cheap then),
    and never again once it has said more."""
    counts = iter([0, 0, 35_000])
    asked: list[int] = []

    def get_freeze_count() -> int:
        asked.append(1)
        return next(counts)

    monkeypatch.setattr(cycles, "_froze", False)
    monkeypatch.setattr(cycles, "gc", SimpleNamespace(get_freeze_count=get_freeze_count))
    assert [cycles.froze() for _ in range(5)] == [False, False, True, True, True] and len(asked) == 3


SPECIAL_CHARACTERS = "合计总分值得：:（）() \u3000其中計總ＡA㈠⑴\uf9d8\ufa0a项目ﾀ"


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(SPECIAL_CHARACTERS) | st.characters(), max_size=6))
def test_a_project_or_ruleset_cell_is_special_exactly_as_its_label_key_says(cell: str) -> None:
    """`_special` skips the label key of a cell holding neither 计 nor 分 that NFKC leaves as it is: the
    same answer as looking it up."""
    from jixiao.engine.actuals import SURROGATE
    from jixiao.io.actuals.labels import label_key
    from jixiao.io.actuals.table import TOTAL_ROWS
    from jixiao.language.variants import has_traditional

    refused = SURROGATE.search(cell) is not None or "\x00" in cell  # E128, E514
    looked_up = has_traditional(cell) or label_key(cell) in TOTAL_ROWS or refused
    assert long_reader._special(cell) is looked_up


# -- batches and the command line ---------------------------------------------------------------------------
def _without_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(projects, "read_long_text", lambda text, name, fmt: None)


def test_batches_are_the_same_with_and_without_the_long_table_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*READ.values(), *DECLINED.values()]
    texts.append(long_table(SEED_ACTUALS.read_text(encoding="utf-8"), NAMES, 0, ["2020.jx"]))
    quick = [_projects(t) for t in texts]
    _without_long(monkeypatch)
    assert [_projects(t) for t in texts] == quick
    assert [p[-1] for p in quick[-1]] == ["d/2020.jx"] * 3


def _projects(text: str) -> list[tuple[object, ...]]:
    found = content_projects(text.encode("utf-8"), "d/全部项目.csv")
    return [
        (p.name, p.origin, p.actuals, p.error and p.error.diagnostics, p.path, p.sheet, p.ruleset)
        for p in found
    ]


@pytest.mark.parametrize("odd", [False, True], ids=["read quickly", "a traditional name: declined"])
def test_jixiao_score_prints_the_same_with_and_without_the_long_table_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: bool
) -> None:
    text = long_table(SEED_ACTUALS.read_text(encoding="utf-8"), NAMES, 0, in_turn=False)
    long = tmp_path / "全部项目.csv"
    long.write_text(text.replace("养老补助", "養老補助") if odd else text, encoding="utf-8")
    assert (read_long_text(long.read_text(encoding="utf-8"), str(long), "csv") is None) is odd
    outputs = []
    for run in range(2):
        if run:
            _without_long(monkeypatch)
        result = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(long), "--format", "json"])
        outputs.append((result.exit_code, result.output))
    assert outputs[0] == outputs[1]
    assert '"道路养护"' in outputs[0][1], outputs[0][1][:2000]


def test_a_long_table_too_large_is_refused_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actuals, "MAX_INPUT_BYTES", 100)
    text = HEAD + ("A," + ROW) * 10
    assert read_long_text(text, "大.csv", "csv") is not None  # a long table it reads, but for its size
    (project,) = content_projects(text.encode("utf-8"), "大.csv")
    assert project.actuals is None and project.error is not None
    assert [d.code for d in project.error.diagnostics] == ["E121"]


# -- deferred entries -------------------------------------------------------------------------------------
def _seed_long() -> tuple[list[ActualsFile], list[ActualsFile]]:
    """The seed table as a long table of three projects: the long-table reader's files, the full reader's."""
    text = long_table(SEED_ACTUALS.read_text(encoding="utf-8"), NAMES, 0, in_turn=False)
    got = read_long_text(text, "全部项目.csv", "csv")
    assert got is not None
    return got, reading.read_grid(reading.text_grid(text, "全部项目.csv", "csv"))


def test_a_project_the_fast_evaluator_scores_never_makes_its_entries() -> None:
    compiled = jixiao.load_ruleset(SEED_RULESET)
    for file in _seed_long()[0]:  # rows seen: the memo holds them (and the value read of each text)
        compiled.score(file)
    got, want = _seed_long()
    results = [compiled.score(mine) for mine in got]
    assert all(mine._lines is not None and "entries" not in vars(mine) for mine in got)  # scored as read
    for mine, theirs, result in zip(got, want, results, strict=True):
        reference = compiled.score(theirs)
        assert (result.total, result.grade, result.findings) == (
            reference.total,
            reference.grade,
            reference.findings,
        )
        assert repr(result.indicators) == repr(reference.indicators)  # filled in: the entries are made now
        assert mine._lines is None and mine.entries == theirs.entries


def test_deferred_entries_are_made_once_and_equal_the_full_readers() -> None:
    got, want = _seed_long()
    first = got[0].entries
    assert got[0].entries is first and got[0]._lines is None
    assert first == want[0].entries
    _same_file(got[1], want[1])


def test_a_file_with_deferred_entries_pickles_and_copies_whole() -> None:
    got, want = _seed_long()
    assert pickle.loads(pickle.dumps(got[0])) == want[0]
    assert got[0]._lines is None  # pickling made its entries
    duplicate = copy.deepcopy(got[1])
    assert duplicate == want[1] and duplicate._lines is None
    assert copy.copy(got[2]).entries == want[2].entries


def test_a_missing_attribute_of_a_file_is_an_attribute_error() -> None:
    got, _ = _seed_long()
    for file in (got[0], ActualsFile("x.csv")):
        with pytest.raises(AttributeError, match="nothing"):
            file.nothing  # type: ignore[attr-defined]  # noqa: B018
        assert not hasattr(file, "entriez")
    assert got[0]._lines is not None  # asking for another name made no entries


def test_runs_of_a_project_blank_lines_and_rows_first_seen_in_the_file_read_the_same() -> None:
    """The lines looked up all at once: a project's rows in several runs, blank lines and a blank 项目 cell
    between them, and rows the memo has not seen (read one by one, then found again further down)."""
    lines = SEED_ACTUALS.read_text(encoding="utf-8").strip().split("\n")
    head, rows = lines[0], lines[1:]
    for cold in (True, False):
        if cold:
            actuals.quick.forget()
        text = "\n".join(
            [
                "项目," + head,
                *(f"甲,{r}" for r in rows[:8]),
                ",,,,,",
                *(f"甲,{r}" for r in rows[8:12]),
                *(f"乙,{r}" for r in rows),
                "",
                *(f"甲,{r}" for r in rows[12:]),
                *(f"丙,{r}" for r in rows[:3]),
                *(f" ,{r}" for r in rows[3:5]),
            ]
        )
        assert same_or_declined(text)
        got = read_long_text(text, "<t>", "csv")
        assert got is not None and [len(f.entries) + len(f.budget) > 0 for f in got] == [True] * 4


def test_a_long_tables_files_are_freed_without_the_cycle_collector() -> None:
    """A file holds its deferred rows and the rows do not hold the file once the table is read: dropping
    the files frees them at once (reference counting), whether or not their entries were made."""
    import gc
    import weakref

    got, _ = _seed_long()
    got[0].entries  # noqa: B018 — one made, the others deferred
    refs = [weakref.ref(file) for file in got]
    gc.disable()
    try:
        del got
        assert [ref() for ref in refs] == [None] * len(refs)
    finally:
        gc.enable()


def test_entries_made_twice_at_once_are_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads reading a deferred file's entries at once both make them (equal lists); the second one
    to finish finds the deferred rows gone already, which is no error."""
    from jixiao.io.long_table import LongRows

    got, want = _seed_long()
    file, made = got[0], LongRows.entries
    calls: list[int] = []

    def entries(self: LongRows) -> list[Entry]:
        calls.append(1)
        if len(calls) == 1:  # the other thread, in between: it makes them and lets go of the rows
            assert file.entries == want[0].entries and file._lines is None
        return made(self)

    monkeypatch.setattr(LongRows, "entries", entries)
    assert file.entries == want[0].entries and len(calls) == 2
