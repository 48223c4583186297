"""`jixiao import` and `jixiao audit` on tables in the official layout saved as CSV (tests/tables/):
the seed table with one thing changed, as reviewers' tables come in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from jixiao.cli import main

TABLES = Path(__file__).resolve().parent / "tables"
SEED = (TABLES / "seed-official.csv").read_text(encoding="utf-8")
CENTRAL = "standard/central"
LONG = "9" * 4301  # past Python's int-from-string limit (4 300 digits)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def variant(tmp_path: Path, old: str, new: str, name: str = "自评.csv") -> Path:
    """The seed table with `old` (found exactly once) replaced by `new`."""
    assert SEED.count(old) == 1, old
    path = tmp_path / name
    path.write_text(SEED.replace(old, new), encoding="utf-8")
    return path


def audited(*args: str | Path) -> tuple[int, dict[str, Any]]:
    done = run("audit", *args, "--format", "json")
    assert done.exit_code in (0, 1), done.output
    report: dict[str, Any] = json.loads(done.stdout)
    return done.exit_code, report["tables"][0]


def codes(table: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return sorted(
        (d["code"], d["where"], d["span"]["line"], d["span"]["column"])
        if d["span"]
        else (d["code"], d["where"], 0, 0)
        for d in table["discrepancies"]
    )


# -- 1. a number of more digits than a literal may have -------------------------------------------
SCORE_ROW = ",质量指标,资金发放准确率,100%,100%,10.00,10.00,"
LONG_CELLS = {
    "score": (SCORE_ROW, f",质量指标,资金发放准确率,100%,100%,10.00,{LONG},", "得分", (24, 7)),
    "weight": (SCORE_ROW, f",质量指标,资金发放准确率,100%,100%,{LONG},10.00,", "分值", (24, 6)),
    "total": ("总得分,99.31,", f"总得分,{LONG},", "总得分", (11, 4)),
}


@pytest.mark.parametrize("cell", LONG_CELLS)
def test_a_number_past_the_digit_limit_is_an_unreadable_cell_in_audit(cell: str, tmp_path: Path) -> None:
    old, new, what, place = LONG_CELLS[cell]
    code, table = audited(CENTRAL, variant(tmp_path, old, new))
    (found,) = [d for d in table["discrepancies"] if d["code"] == "F159"]
    assert (found["span"]["line"], found["span"]["column"]) == place
    assert f"的{what}" in found["message"] and "数字超过 40 位" in found["message"]
    assert len(found["message"]) < 400  # the cell is not echoed whole
    assert code == 1


@pytest.mark.parametrize("cell", LONG_CELLS)
def test_a_number_past_the_digit_limit_does_not_stop_import(cell: str, tmp_path: Path) -> None:
    old, new, _, _ = LONG_CELLS[cell]
    done = run("import", variant(tmp_path, old, new), "--policy", CENTRAL, "--output", tmp_path / "out")
    assert done.exit_code in (0, 1), done.output
    assert "内部错误" not in done.output and LONG not in done.output
    if cell == "weight":
        assert "24:6" in done.output and "W171" in done.output and "数字超过 40 位" in done.output


def test_forty_digits_are_still_a_number(tmp_path: Path) -> None:
    table = variant(
        tmp_path,
        SCORE_ROW,
        ",质量指标,资金发放准确率,100%,100%,10.00,10.000000000000000000000000000000000000,",
    )
    _, found = audited(CENTRAL, table)
    assert [d["code"] for d in found["discrepancies"]] == ["F150"]  # the seed's truncated rate only


# -- 6. a blank weight ----------------------------------------------------------------------------
def test_a_blank_weight_says_so_at_the_rows_full_path(tmp_path: Path) -> None:
    table = variant(tmp_path, SCORE_ROW, ",质量指标,资金发放准确率,100%,100%,,10.00,")
    code, found = audited(CENTRAL, table)
    (blank,) = [d for d in found["discrepancies"] if d["code"] == "F159"]
    assert blank["where"] == "产出指标/质量指标/资金发放准确率" and blank["printed"] == ""
    assert blank["message"].endswith("无法读取：分值是空的")
    assert (blank["span"]["line"], blank["span"]["column"]) == (24, 6) and code == 1
    _, english = audited(CENTRAL, table, "--lang", "en")
    assert english["discrepancies"][-1]["message"].endswith("cannot be read: the weight is blank")


def test_a_weight_that_is_not_a_number_says_why(tmp_path: Path) -> None:
    table = variant(tmp_path, SCORE_ROW, ",质量指标,资金发放准确率,100%,100%,十分,10.00,")
    _, found = audited(CENTRAL, table)
    (bad,) = [d for d in found["discrepancies"] if d["code"] == "F159"]
    assert bad["message"] == "「产出指标/质量指标/资金发放准确率」的分值「十分」无法读取：不是数"
    done = run("import", table, "--policy", CENTRAL, "--output", tmp_path / "out")
    assert "「资金发放准确率」没有可用的分值（「十分」：不是数）" in done.output
