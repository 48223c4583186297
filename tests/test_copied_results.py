"""A result pickled or deep-copied explains itself exactly as the original does (docs/api.md: results
are values, the same pickled or not)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASES, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.engine.evaluate import score as reference_score

SCORED = sorted(p.parent for p in CASES.glob("*/*/expected.json") if (p.parent / "actuals.csv").exists())
COPIES: dict[str, Callable[[jixiao.Result], jixiao.Result]] = {
    "pickle": lambda r: pickle.loads(pickle.dumps(r)),
    "deepcopy": copy.deepcopy,
}


def _explanations(result: jixiao.Result) -> list[str]:
    texts = [jixiao.explain(result, lang) for lang in ("zh", "en")]
    return texts + [jixiao.render(result, "explain-json", lang) for lang in ("zh", "en")]


def _same_explanations(result: jixiao.Result) -> None:
    before = _explanations(result)
    for name, make in COPIES.items():
        copied = make(result)
        assert copied == result, name
        assert _explanations(copied) == before, name


@pytest.mark.parametrize("case", SCORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_copied_result_explains_itself_the_same(case: Path) -> None:
    ruleset = jixiao.load_ruleset(case / "ruleset.jx")
    _same_explanations(ruleset.score(case / "actuals.csv"))


def test_the_comparison_and_the_method_survive_pickling() -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    actuals = jixiao.load_actuals(SEED_ACTUALS)
    for result in (ruleset.score(actuals), reference_score(ruleset.plan, actuals)):
        text = jixiao.explain(pickle.loads(pickle.dumps(result)))
        assert "93.76% < 100% → 未达标" in text
        assert "方法：比例（正向目标）" in text and "评分办法规则 " in text
        _same_explanations(result)
