"""The seed table (2020, Shangjie pension subsidy) is reproduced cell by cell."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner
from conftest import SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main


def test_seed_scores_99_31_you() -> None:
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(SEED_ACTUALS))
    assert result.total.decimal() == Decimal("99.31")
    assert result.grade == "优"
    assert result.budget is not None and result.budget.score is not None
    assert result.budget.score.decimal() == Decimal("9.38")


def test_seed_json_through_the_cli() -> None:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", "json"])
    assert run.exit_code == 0, run.output
    doc = json.loads(run.output)
    assert (doc["total"], doc["grade"]) == ("99.31", "优")
    assert (doc["budget"]["rate"], doc["budget"]["score"]) == ("93.76%", "9.38")
    assert len(doc["indicators"]) == 17
    scores = {i["name"]: i["score"] for i in doc["indicators"]}
    assert scores["预算执行率"] == "0.93"  # truncated, not 0.94
    assert scores["享受补贴人数"] == "20.00"
    assert sum(Decimal(s) for s in scores.values()) == Decimal("89.93")


def test_seed_table_shows_every_cell() -> None:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS)])
    assert run.exit_code == 0, run.output
    for cell in (
        "970.00",
        "909.50",
        "93.76%",
        "9.38",
        "99.31",
        "优",
        "约发放人数1.11万人",
        "享受补贴人数不固定",
    ):
        assert cell in run.output
