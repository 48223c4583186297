"""What a YAML/JSON actual-value file costs in memory (tracemalloc: the peak of Python allocations while
`load_actuals` reads it, as a multiple of its size; never a time).

A JSON file written on one line (as programs write it, without indentation) is read without a copy of
its line for every cell: each cell's excerpt (shown under its errors) kept the whole line, so 500 rows
(62 KB) took 140 MB, 2,300 times their size, and a 1 MB file of 8,000 rows tens of GB. The excerpt keeps
what `Excerpt.render` shows of the line, so every message reads as it did.

A file of the right shape (a list of mappings) whose keys name no column was composed into PyYAML's node
tree, a mark per node and a grid before it was refused (E530): 1 MB took 130-190 times its size. It is
refused from the events of the pass that checks its shape (`structured._Table`), at the same place."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable

import pytest

from jixiao.diagnostics import JixiaoError
from jixiao.io.actuals import load_actuals
from jixiao.io.actuals.labels import _remembered_label_key
from jixiao.language.vocabulary import _name_key


def _one_line(count: int) -> bytes:
    rows = [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": f"指标{i}", "实际完成值": f"{i}人"}
        for i in range(count)
    ]
    return json.dumps({"项目": "某项目", "实际值": rows}, ensure_ascii=False).encode("utf-8")


def test_a_one_line_json_keeps_no_copy_of_its_line_for_each_cell() -> None:
    load_actuals(_one_line(2), name="x.json")  # the readers' caches
    body = _one_line(500)
    tracemalloc.start()
    try:
        read = load_actuals(body, name="x.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read.entries) == 500 and not read.diagnostics
    assert peak <= 150 * len(body), f"{peak / len(body):.0f} × its size"  # 85 ×: PyYAML's node tree


def test_rows_that_share_no_key_are_e524_before_a_cell_is_made_for_every_key_in_every_row() -> None:
    """600 rows of a key each were a grid of 360,000 cells, each with its place (3,000 rows, 9 million),
    before the header was found to name no column (E530)."""
    body = json.dumps([{f"k{i}": "1"} for i in range(600)]).encode()
    tracemalloc.start()
    try:
        with pytest.raises(JixiaoError) as raised:
            load_actuals(body, name="x.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E524" and diagnostic.span is not None and diagnostic.span.line == 1
    assert "各行的键大多不同（600 行共有 600 个不同的键）" in diagnostic.message("zh")
    # PyYAML's node tree: about 350 before; now refused from the events (about 30: this body is 15 KB)
    assert peak <= 50 * len(body), f"{peak / len(body):.0f} × its size"


def test_rows_that_leave_out_a_few_keys_are_read() -> None:
    """Most rows without the column some give (偏差原因 of a few indicators) is a table all the same."""
    rows = [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": f"指标{i}", "实际完成值": f"{i}人"}
        | ({"偏差原因分析及改进措施": "见说明"} if i % 50 == 0 else {})
        for i in range(400)
    ]
    read = load_actuals(json.dumps(rows, ensure_ascii=False).encode(), name="x.json")
    assert len(read.entries) == 400 and not read.diagnostics


def _unknown(count: int) -> list[dict[str, str]]:
    return [{"甲": f"值{i}", "乙": "abc", "丙": str(i)} for i in range(count)]


def _yaml(rows: list[dict[str, str]]) -> bytes:
    lines = (
        f"{'- ' if i == 0 else '  '}{key}: {value}"
        for row in rows
        for i, (key, value) in enumerate(row.items())
    )
    return ("\n".join(lines) + "\n").encode()


NO_COLUMN: dict[str, tuple[str, Callable[[list[dict[str, str]]], bytes], tuple[int, int]]] = {
    # name, the file's text, where E530 is: the header row's place, its first key's first value
    "yaml": ("x.yaml", _yaml, (1, 6)),
    "json": ("x.json", lambda rows: json.dumps(rows, ensure_ascii=False, indent=1).encode(), (3, 8)),
    "json on one line": ("x.json", lambda rows: json.dumps(rows, ensure_ascii=False).encode(), (1, 8)),
    "json under rows": (
        "x.json",
        lambda rows: json.dumps({"项目": "某项目", "实际值": rows}, ensure_ascii=False).encode(),
        (1, 29),
    ),
}


def _refused_peak(body: bytes, name: str) -> tuple[int, JixiaoError]:
    tracemalloc.start()
    try:
        with pytest.raises(JixiaoError) as raised:
            load_actuals(body, name=name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, raised.value


@pytest.mark.parametrize("kind", list(NO_COLUMN))
def test_rows_whose_keys_name_no_column_are_e530_in_a_small_multiple_of_their_size(kind: str) -> None:
    """YAML 187, JSON 128, one-line JSON 165 times the size of a 1 MB file before; now about 5."""
    name, write, place = NO_COLUMN[kind]
    _refused_peak(write(_unknown(3)), name)  # the readers' caches
    body = write(_unknown(2_000))  # 48-64 KB
    peak, error = _refused_peak(body, name)
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "E530" and diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == place
    assert diagnostic.message("zh").startswith("这不是实际值表格")
    assert diagnostic.message("en").startswith("this is not a table of actual values")
    assert peak <= 10 * len(body), f"{kind}: {peak / len(body):.1f} × its size"


@pytest.mark.parametrize(
    ("rows", "read"),
    [
        # a row below the keys is an indicator header: read in the official layout, as before
        (
            [{"甲": "三级指标", "乙": "实际完成值", "丙": "一级指标"}, {"甲": "a", "乙": "1", "丙": "b"}],
            [("a", "1")],
        ),
        # every key blank: the first row with a value is the header
        ([{"": "三级指标", " ": "实际完成值"}, {"": "a", " ": "1"}], [("a", "1")]),
        # a mistyped column is E502 (not E530): said at the key's first value
        ([{"甲": "x", "三级指木": "1"}], ("E502", 1, 8)),
        ([{"": ""}, {}], ("E528", 1, 1)),  # nothing written at all
        ([{"": "甲"}, {" ": "乙"}], ("E530", 1, 7)),  # blank keys, the first row with a value is no header
    ],
)
def test_rows_whose_keys_name_no_column_are_read_as_the_grid_would_be(
    rows: list[dict[str, str]], read: list[tuple[str, str]] | tuple[str, int, int]
) -> None:
    body = json.dumps(rows, ensure_ascii=False).encode()
    try:
        got: object = [(e.row.name, e.row.actual) for e in load_actuals(body, name="x.json").entries]
    except JixiaoError as exc:
        diagnostic = exc.diagnostics[0]
        assert diagnostic.span is not None
        got = (diagnostic.code, diagnostic.span.line, diagnostic.span.column)
    assert got == read


def test_the_keys_of_a_refused_file_are_kept_by_no_cache() -> None:
    """The keys of a file refused with E530 stayed in name_key's and label_key's caches (which hold 65,536
    and 4,096 texts): 50 keys of 1,000 characters kept 200 KB; each short key was kept too. Now only the
    first 20 (MAX_REPEATS), looked at as typos of a column. (PyYAML reads no key of more than 1,024
    characters: E525 at the key.)"""
    keys = [f"{i:02d}" + "键" * 998 for i in range(50)] + [f"乙{i}" for i in range(500)]
    body = json.dumps([dict.fromkeys(keys, "1")], ensure_ascii=False).encode()
    before = (_name_key.cache_info().currsize, _remembered_label_key.cache_info().currsize)
    _, error = _refused_peak(body, "x.json")
    assert [d.code for d in error.diagnostics] == ["E530"]
    after = (_name_key.cache_info().currsize, _remembered_label_key.cache_info().currsize)
    assert after[0] - before[0] <= 20 and after[1] - before[1] <= 20, (before, after)
