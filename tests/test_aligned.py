"""Aligned columns are tabulate's tables, character for character, with or without tabulate imported."""

from __future__ import annotations

from pathlib import Path

import wcwidth
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from jixiao.io.render import aligned as module
from jixiao.io.render.aligned import NARROW, WIDE, aligned, ordinary, width

ROOT = Path(__file__).resolve().parent.parent


def ordinary_characters() -> list[str]:
    """Every character the module measures itself: printable ASCII, `NARROW` and the `WIDE` ranges."""
    wide = [chr(c) for lo, hi in WIDE for c in range(ord(lo), ord(hi) + 1)]
    return [*map(chr, range(0x20, 0x7F)), *sorted(NARROW), *wide]


ORDINARY = ordinary_characters()


def test_every_ordinary_character_has_wcwidths_width() -> None:
    assert len(ORDINARY) > 27_000
    assert all(map(ordinary, ORDINARY))
    listed = set(ORDINARY)
    others = [chr(c) for c in range(0x110000) if chr(c) not in listed]
    assert not any(map(ordinary, others))
    wrong = [(c, width(c), wcwidth.wcwidth(c)) for c in ORDINARY if width(c) != wcwidth.wcwidth(c)]
    assert wrong == []


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(ORDINARY), max_size=30))
def test_an_ordinary_text_has_wcwidths_width(text: str) -> None:
    assert width(text) == wcwidth.wcswidth(text)


# Cells: mostly ordinary, sometimes what tabulate must handle itself.
UNUSUAL = [
    " a", "a ", "\u3000字", "e\u0301", "😀", "한국", "a\nb", "\x1b[31mx\x1b[0m", "True", "False", "",
    "1.50", "-3", "ｱ", "\t", "\u00ad", "\u200b", "Ω", "\u0001",
]  # fmt: skip
PLAIN = st.text(
    st.sampled_from([*ORDINARY[:200], "字", "指", "标", "（", "）", "：", "，", "≥", "·"]), max_size=8
)
CELLS = st.one_of(
    PLAIN,
    PLAIN,
    st.text(st.sampled_from(ORDINARY), max_size=4),
    st.sampled_from(UNUSUAL),
)


@st.composite
def tables(
    draw: st.DrawFn, cells: st.SearchStrategy[str] = CELLS
) -> tuple[list[str], list[list[str]], str, list[str] | None]:
    columns = draw(st.integers(1, 5))
    header = draw(st.lists(cells, min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(cells, min_size=columns, max_size=columns), max_size=5))
    fmt = draw(st.sampled_from(["simple", "github"]))
    align = draw(st.one_of(st.none(), st.lists(st.sampled_from(["left", "right"]), max_size=6)))
    return header, rows, fmt, align


@settings(max_examples=500, deadline=None)
@given(st.one_of(tables(), tables(PLAIN)))
def test_the_table_is_tabulates(table: tuple[list[str], list[list[str]], str, list[str] | None]) -> None:
    header, rows, fmt, align = table
    expected = tabulate(rows, headers=header, tablefmt=fmt, disable_numparse=True, colalign=align)
    assert aligned(header, rows, fmt, align) == expected


def test_an_unusual_cell_is_handed_to_tabulate() -> None:
    """(`jixiao score` of the seed imports neither tabulate nor wcwidth: tests/test_cli_usage.py.)"""
    assert module.TABULATE == "tabulate"
    table = aligned(["名称", "值"], [["😀", "1"]], "simple", None)
    assert table == tabulate([["😀", "1"]], headers=["名称", "值"], tablefmt="simple", disable_numparse=True)
