"""Done when: the seed's actual values in every format staff use score 99.31 / 优 through `jixiao score`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import seedfiles
from click.testing import CliRunner
from conftest import SEED_RULESET

import jixiao
from jixiao.cli import main

WRITERS: dict[str, Callable[[Path], Path]] = {
    "GB18030 CSV": lambda d: seedfiles.csv_file(d, "gb18030"),
    "UTF-8-BOM CSV": lambda d: seedfiles.csv_file(d, "utf-8-sig"),
    "UTF-16 tab text": seedfiles.unicode_text,
    "XLSX columns": seedfiles.simple_workbook,
    "XLSX official layout": seedfiles.official_workbook,
    "YAML": seedfiles.yaml_file,
    "JSON": seedfiles.json_file,
}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_format_scores_the_seed_through_the_cli(kind: str, tmp_path: Path) -> None:
    path = WRITERS[kind](tmp_path)
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    document = jixiao.render(jixiao.load_ruleset(SEED_RULESET).score(path), "json")
    assert '"total": "99.31"' in run.output and '"grade": "优"' in run.output
    assert document == run.output.rstrip("\n")


@pytest.mark.parametrize("kind", list(WRITERS))
def test_every_format_reads_the_same_rows(kind: str, tmp_path: Path) -> None:
    reference = jixiao.load_actuals(seedfiles.SEED_ACTUALS)
    read = jixiao.load_actuals(WRITERS[kind](tmp_path))
    assert [(e.row.name, e.row.actual, e.row.note) for e in read.entries] == [
        (e.row.name, e.row.actual, e.row.note) for e in reference.entries
    ]
    figures = {(f.row, f.figure): f.quantity.number for f in read.budget}
    assert figures[("年度资金总额", "全年执行数")] == figures[("本年财政拨款", "全年执行数")] == 909.5
