"""`jixiao diff` compares deadline targets as scoring reads them: a date without a year is in the project's
年度, a month is its last day (12月底前, 年底前, 12月31日前 and ≤12月31日 are one date), an earlier deadline
asks for more; when which is earlier depends on a 年度 a side does not declare, the change says so."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import jixiao
from jixiao.cli import main

BASE = """项目 "时限项目" {year} {{
  产出指标 / 时效指标 {{
    完工及时性  目标 {target}  分值 100
  }}
}}
"""


def ruleset(target: str, year: int | None = 2023) -> str:
    return BASE.format(target=target, year=f"年度 {year}" if year is not None else "")


def target_changes(old: str, new: str) -> list[tuple[str, str | None, str | None, str | None]]:
    report = jixiao.diff(old_text=old, new_text=new)
    return [(c.kind, c.old, c.new, c.direction) for c in report.changes if c.scope == "indicator"]


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [
        ("6月底前", "2023年3月底前", "raised"),  # 30 June → 31 March 2023: earlier, stricter
        ("2023年3月底前", "6月底前", "lowered"),
        ("2023年12月底前", "2024年3月底前", "lowered"),
        ("12月底前", "12月30日前", "raised"),
        ("2023年2月底前", "2023年2月28日前", None),  # 2023 is no leap year: the same day
        ("2024年2月底前", "2024年2月28日前", "raised"),
    ],
)
def test_an_earlier_deadline_is_raised_in_the_projects_year(
    old: str, new: str, direction: str | None
) -> None:
    expected = [] if direction is None else [("target", old, new, direction)]
    assert target_changes(ruleset(old), ruleset(new)) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2023年12月底前", "12月底前"),
        ("2023年12月底前", "年底前"),
        ("2023年12月31日前", "2023年12月底前"),
        ("≤2023年12月31日", "2023年12月底前"),
        ("12月31日前", "年底前"),
    ],
)
def test_the_same_date_written_otherwise_is_no_change(old: str, new: str) -> None:
    assert jixiao.diff(old_text=ruleset(old), new_text=ruleset(new)).same
    assert jixiao.diff(old_text=ruleset(old, None), new_text=ruleset(new, 2023)).changes[0].kind == "meta"


def test_without_a_year_both_dates_are_in_the_same_year() -> None:
    assert jixiao.diff(old_text=ruleset("12月31日前", None), new_text=ruleset("年底前", None)).same
    assert target_changes(ruleset("6月底前", None), ruleset("3月底前", None)) == [
        ("target", "6月底前", "3月底前", "raised")
    ]


def test_the_same_deadline_in_a_new_year_is_no_target_change() -> None:
    """12月底前 of 2023 and of 2024: the 年度 changed (reported once), the target did not."""
    report = jixiao.diff(old_text=ruleset("12月底前", 2023), new_text=ruleset("年底前", 2024))
    assert [(c.kind, c.old, c.new) for c in report.changes] == [("meta", "2023", "2024")]
    report = jixiao.diff(old_text=ruleset("2023年12月底前", 2023), new_text=ruleset("2024年12月底前", 2024))
    assert [c.kind for c in report.changes] == ["meta"]


@pytest.mark.parametrize(
    ("old", "old_year", "new", "new_year"),
    [
        ("3月底前", None, "2023年6月底前", None),
        ("2023年12月底前", 2023, "12月底前", None),
    ],
)
def test_an_order_that_depends_on_a_missing_year_is_said_not_guessed(
    old: str, old_year: int | None, new: str, new_year: int | None
) -> None:
    changes = target_changes(ruleset(old, old_year), ruleset(new, new_year))
    assert changes == [("target", old, new, "depends_on_year")]


def test_a_year_that_settles_the_order_is_used() -> None:
    """Old 6月底前 in 年度 2023, new 2023年3月底前 without 年度: both are dates of 2023."""
    changes = target_changes(ruleset("6月底前", 2023), ruleset("2023年3月底前", None))
    assert changes == [("target", "6月底前", "2023年3月底前", "raised")]
    assert target_changes(ruleset("6月底前", 2023), ruleset("2023年6月底前", None)) == []


def test_the_cli_names_the_direction_and_the_missing_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = {}
    for name, target, year in (("a", "6月底前", 2023), ("b", "2023年3月底前", 2023), ("c", "3月底前", None)):
        paths[name] = tmp_path / f"{name}.jx"
        paths[name].write_text(ruleset(target, year), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(paths["a"]), str(paths["b"])])
    assert result.exit_code == 1 and "目标提高" in result.output, result.output
    result = CliRunner().invoke(main, ["diff", str(paths["b"]), str(paths["c"])])
    assert "目标（先后取决于年度）" in result.output, result.output
    result = CliRunner().invoke(main, ["diff", str(paths["b"]), str(paths["c"]), "--lang", "en"])
    assert "target (earlier or later depends on the 年度)" in result.output, result.output
