"""`jixiao diff` compares 等级 by the grade each total in [0, 总分] gets, not by how the bands are written.

`优 ≥90; 良 ≥80; 中 ≥60; 差 其余` (read first match first) and the policy standard/central's
`优 [90,100]; 良 [80,90); 中 [60,80); 差 [0,60)` are one meaning; moving a boundary, or moving a
boundary's point to the other grade (`≥80` → `>80`), is a change. Property tests write random grade
sets both ways.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

import jixiao
from jixiao.cli import main
from jixiao.language import nodes as n
from jixiao.language.parser import parse
from jixiao.tools.compare.grades import partition, same_grades

CENTRAL = "优 [90,100]; 良 [80,90); 中 [60,80); 差 [0,60)"
PROJECT = """项目 "等级" 年度 2020 {{
  采用 "standard/central"
  预算执行 不评分
{grades}
  产出指标 / 数量指标 {{
    人数  目标 ≥10人  分值 100
  }}
}}
"""
NAMES = ("优", "良", "中", "差", "劣")


def grades(text: str) -> n.Grades:
    (block,) = parse(f'评分办法 "x" {{\n  等级 {{ {text} }}\n}}\n').statements
    assert isinstance(block, n.Grades)
    return block


def project(text: str | None) -> str:
    return PROJECT.format(grades=f"  等级 {{ {text} }}" if text is not None else "")


def grade_changes(old: str | None, new: str | None) -> list[tuple[str, str | None, str | None]]:
    report = jixiao.diff(old_text=project(old), new_text=project(new))
    return [(c.kind, c.old, c.new) for c in report.changes]


# -- examples ---------------------------------------------------------------------------------------------


def test_first_match_thresholds_mean_the_policys_ranges() -> None:
    assert grade_changes(None, "优 ≥90; 良 ≥80; 中 ≥60; 差 其余") == []
    assert grade_changes(CENTRAL, "差 [0,60); 中 [60,80); 良 [80,90); 优 [90,100]") == []  # order of ranges
    assert grade_changes(CENTRAL, "优 ≥90; 良 ≥80; 中 ≥60; 差 <60") == []


def test_a_moved_boundary_is_a_change_shown_as_written() -> None:
    assert grade_changes(CENTRAL, "优 ≥85; 良 ≥80; 中 ≥60; 差 其余") == [
        ("grades", "优 [90,100]  良 [80,90)  中 [60,80)  差 [0,60)", "优 ≥85  良 ≥80  中 ≥60  差 其余")
    ]
    assert len(grade_changes(CENTRAL, "优 ≥90; 良 >80; 中 ≥60; 差 其余")) == 1  # 80 itself is now 中
    assert len(grade_changes(CENTRAL, "优 ≥90; 甲 ≥80; 中 ≥60; 差 其余")) == 1  # a grade renamed


def test_the_cli_says_same_meaning_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "a.jx").write_text(project(None), encoding="utf-8")
    (tmp_path / "b.jx").write_text(project("优 ≥90; 良 ≥80; 中 ≥60; 差 其余"), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "a.jx"), str(tmp_path / "b.jx")])
    assert result.exit_code == 0, result.output
    assert "含义相同" in result.output


def test_partition_is_exact_at_the_bounds() -> None:
    half = Fraction(1, 2)
    assert partition(grades("优 ≥89.5; 差 其余"), Fraction(100)) == (
        (Fraction(0), True, 89 + half, False, "差"),
        (89 + half, True, Fraction(100), True, "优"),
    )
    assert partition(grades("优 [90,100]"), Fraction(100)) == (
        (Fraction(0), True, Fraction(90), False, None),
        (Fraction(90), True, Fraction(100), True, "优"),
    )


# -- properties -------------------------------------------------------------------------------------------


@st.composite
def band_sets(draw: st.DrawFn) -> tuple[int, list[int], list[bool]]:
    """A total (in hundredths), descending thresholds inside it, and for each threshold whether the point
    itself belongs to the grade above."""
    top = draw(st.integers(min_value=100, max_value=20000))
    cuts = draw(st.lists(st.integers(1, top - 1), min_size=0, max_size=len(NAMES) - 1, unique=True))
    closed = draw(st.lists(st.booleans(), min_size=len(cuts), max_size=len(cuts)))
    return top, sorted(cuts, reverse=True), closed


def decimal(hundredths: int) -> str:
    whole, part = divmod(hundredths, 100)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") if part else str(whole)


def thresholds(cuts: list[int], closed: list[bool], last: str) -> str:
    """`优 ≥90; 良 >80; …; 差 其余`: first match first."""
    heads = [
        f"{NAMES[i]} {'≥' if c else '>'}{decimal(t)}"
        for i, (t, c) in enumerate(zip(cuts, closed, strict=True))
    ]
    return "; ".join([*heads, f"{NAMES[len(cuts)]} {last}"])


def ranges(top: int, cuts: list[int], closed: list[bool], order: list[int]) -> str:
    """`优 [90,100]; 良 (80,90); …; 差 [0,80]`, the bands in any order."""
    highs, lows = [top, *cuts], [*cuts, 0]
    high_in, low_in = [True, *(not c for c in closed)], [*closed, True]
    bands = [
        f"{NAMES[i]} {'[' if low_in[i] else '('}{decimal(lows[i])},{decimal(highs[i])}{']' if high_in[i] else ')'}"
        for i in range(len(highs))
    ]
    return "; ".join(bands[i] for i in order)


@given(band_sets(), st.data())
def test_a_band_set_written_two_ways_compares_equal(
    bands: tuple[int, list[int], list[bool]], data: st.DataObject
) -> None:
    top, cuts, closed = bands
    order = data.draw(st.permutations(range(len(cuts) + 1)))
    written = grades(thresholds(cuts, closed, "其余"))
    assert same_grades(written, grades(ranges(top, cuts, closed, order)), Fraction(top, 100))
    if cuts:  # the last band spelled out instead of 其余
        below = f"{'<' if closed[-1] else '≤'}{decimal(cuts[-1])}"
        assert same_grades(written, grades(thresholds(cuts, closed, below)), Fraction(top, 100))


@given(band_sets(), st.data())
def test_moving_any_boundary_compares_different(
    bands: tuple[int, list[int], list[bool]], data: st.DataObject
) -> None:
    top, cuts, closed = bands
    assume(cuts)
    i = data.draw(st.integers(0, len(cuts) - 1))
    above = cuts[i - 1] if i > 0 else top
    below = cuts[i + 1] if i + 1 < len(cuts) else 0
    room = st.integers(below + 1, above - 1) if above - below > 1 else st.nothing()
    moved = data.draw(st.just(cuts[i]) | room)
    flip = moved == cuts[i]  # not moved: the boundary's point goes to the other grade instead
    new_cuts = [*cuts[:i], moved, *cuts[i + 1 :]]
    new_closed = [*closed[:i], closed[i] != flip, *closed[i + 1 :]]
    old = grades(ranges(top, cuts, closed, list(range(len(cuts) + 1))))
    assert not same_grades(old, grades(thresholds(new_cuts, new_closed, "其余")), Fraction(top, 100))


def test_the_rest_band_is_written_in_the_reports_language() -> None:
    """With --lang en, `差 其余` stayed Chinese while a method's bands printed `else`."""
    old = PROJECT.format(grades="  等级 { 优 ≥90; 良 ≥80; 中 ≥60; 差 其余 }")
    new = PROJECT.format(grades="  等级 { 优 ≥92; 良 ≥80; 中 ≥60; 差 其余 }")
    english = jixiao.diff(old_text=old, new_text=new, lang="en")
    assert [(c.old, c.new) for c in english.changes] == [
        ("优 ≥90  良 ≥80  中 ≥60  差 else", "优 ≥92  良 ≥80  中 ≥60  差 else")
    ]
    chinese = jixiao.diff(old_text=old, new_text=new)
    assert [c.new for c in chinese.changes] == ["优 ≥92  良 ≥80  中 ≥60  差 其余"]  # as written
