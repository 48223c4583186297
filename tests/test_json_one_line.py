"""A JSON actual-value file written on one line (as programs write it, without indentation) is read
without a copy of its line for every cell: each cell's excerpt (shown under its errors) kept the whole
line, so 500 rows (62 KB) took 140 MB, 2,300 times their size, and a 1 MB file of 8,000 rows tens of GB.
The excerpt keeps what `Excerpt.render` shows of the line, so every message reads as it did."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from jixiao.diagnostics import JixiaoError
from jixiao.io.actuals import load_actuals


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
    assert peak <= 500 * len(body), f"{peak / len(body):.0f} × its size"  # PyYAML's node tree: about 350


def test_rows_that_leave_out_a_few_keys_are_read() -> None:
    """Most rows without the column some give (偏差原因 of a few indicators) is a table all the same."""
    rows = [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": f"指标{i}", "实际完成值": f"{i}人"}
        | ({"偏差原因分析及改进措施": "见说明"} if i % 50 == 0 else {})
        for i in range(400)
    ]
    read = load_actuals(json.dumps(rows, ensure_ascii=False).encode(), name="x.json")
    assert len(read.entries) == 400 and not read.diagnostics
