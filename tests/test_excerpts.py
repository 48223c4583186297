"""A table row in a diagnostic (`Excerpt`): shown as before, cut around the meant cell, and laid out once
per row however many diagnostics show it (5 000 unknown columns in a header once took 37 s to print)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import diagnostics
from jixiao.diagnostics import Diagnostic, Excerpt, Span, render_all


def reference(cells: tuple[str, ...], index: int | None, separator: str) -> tuple[str, int, int]:
    """The excerpt as it was shown before rows were laid out once: every cell, then the cut."""

    def shown(i: int, cell: str) -> str:
        text = "".join(ch if ch.isprintable() else "⏎" if ch == "\n" else " " for ch in cell)
        limit = 40 * (2 if i == index else 1)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        if separator == "," and ("," in text or '"' in text):
            text = '"' + text.replace('"', '""') + '"'
        return text

    parts = [shown(i, cell) for i, cell in enumerate(cells)]
    start = sum(len(p) + len(separator) for p in parts[: index or 0])
    if index is None or index >= len(parts):
        line, start, end = separator.join(parts), 0, 0
    else:
        line, end = separator.join(parts), start + max(len(parts[index]), 1)
    if len(line) > 200:
        cut = max(start - 60, 0)
        line, start, end = line[cut : cut + 160], start - cut, min(end - cut, 160)
    return line, start, end


CELLS = st.lists(
    st.one_of(st.text(alphabet='ab,"\n\t一', max_size=6), st.text(alphabet="xy,", min_size=30, max_size=100)),
    max_size=40,
).map(tuple)


@settings(max_examples=500, deadline=None)
@given(CELLS, st.one_of(st.none(), st.integers(0, 45)), st.sampled_from([",", "\t", " | ", ""]))
def test_a_row_is_shown_as_before(cells: tuple[str, ...], index: int | None, separator: str) -> None:
    assert Excerpt(cells, index, separator).render() == reference(cells, index, separator)


@pytest.mark.parametrize("columns", [5_000, 20_000])
def test_a_row_is_laid_out_once_however_many_diagnostics_show_it(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    shown = diagnostics._shown

    def counted(cell: str, limit: int, separator: str) -> str:
        nonlocal calls
        calls += 1
        return shown(cell, limit, separator)

    monkeypatch.setattr(diagnostics, "_shown", counted)
    monkeypatch.setattr(diagnostics, "MAX_REPEATS", columns)  # all shown (20 of a kind are, by default)
    header = tuple(f"未知列{i}" for i in range(columns))
    found = [
        Diagnostic("E502", Span("宽.csv", 1, i + 1, excerpt=Excerpt(header, i)), {"name": header[i]})
        for i in range(columns)
    ]
    text = render_all(found)
    assert calls <= 2 * columns  # each cell once for the row, and once more where it is the one meant
    assert text.count("未知列") >= columns  # every diagnostic shows its excerpt
    last = text.rsplit("\n\n", 1)[-1]
    assert f"未知列{columns - 1}" in last.splitlines()[1]
