"""YAML actual values with tags, anchors and aliases anywhere: a positioned E526 (or another E5xx), never
an internal error. (A tag on a mapping or a list once crashed the reader: a collection's `implicit` is a
bool where a scalar's is a pair.)"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from seedfiles import PROJECT, ROWS

import jixiao

SEED_YAML = yaml.safe_dump(
    {"项目": PROJECT, "实际值": [{k: v for k, v in row.items() if v} for row in ROWS[:4]]},
    allow_unicode=True,
    sort_keys=False,
)
DECORATIONS = [
    "!!set ",
    "!!map ",
    "!!seq ",
    "!!str ",
    "!!python/tuple ",
    "!!binary ",
    "!foo ",
    "! ",
    "&a ",
    "*a ",
]


def codes(data: bytes) -> list[str]:
    try:
        jixiao.load_actuals(data, format="yaml", name="实际值.yaml")
    except jixiao.JixiaoError as exc:
        return [d.code for d in exc.diagnostics]
    return []


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: !!python/tuple [1]\n", 1, 4),
        ("rows: !!set {a}\n", 1, 7),
        ("rows: !!set {a, b}\n", 1, 7),
        ("rows:\n  - !!map {三级指标: 享受补贴人数}\n", 2, 5),
        ("rows: !!seq\n  - {三级指标: 享受补贴人数, 实际完成值: 1}\n", 1, 7),
        ("rows:\n  - {三级指标: 享受补贴人数, 实际完成值: !foo x}\n", 2, 27),
        ("- 三级指标: !!binary aGVsbG8=\n", 1, 9),
    ],
)
def test_a_tag_on_a_mapping_a_list_or_a_value_is_E526_where_it_is_written(
    text: str, line: int, column: int
) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text.encode(), format="yaml", name="实际值.yaml")
    (diag,) = info.value.diagnostics
    assert diag.code == "E526" and diag.span is not None
    assert (diag.span.line, diag.span.column) == (line, column)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SEED_YAML)), st.sampled_from(DECORATIONS)), max_size=4))
def test_tags_and_anchors_anywhere_give_only_errors_of_the_reader(inserts: list[tuple[int, str]]) -> None:
    text = SEED_YAML
    for at, decoration in sorted(inserts, reverse=True):
        text = text[:at] + decoration + text[at:]
    found = codes(text.encode())
    assert all(code.startswith("E5") for code in found), found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([d for d in DECORATIONS if d != "! "]), min_size=1, max_size=3))
def test_a_decorated_value_is_E526(decorations: list[str]) -> None:
    """(The non-specific tag `!` alone says nothing about the node: it is read as if not there.)"""
    lines = SEED_YAML.split("\n")
    for i, decoration in enumerate(decorations):
        at = 2 + 2 * i  # a row's first line (`- 一级指标: …`): decorate the value after `: `
        key, _, value = lines[at].partition(": ")
        lines[at] = f"{key}: {decoration.strip()} {value}"
    assert codes("\n".join(lines).encode()) == ["E526"]
