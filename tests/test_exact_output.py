"""Figures in outputs stay exact: no cut-off decimal passed off as exact, amounts as written."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import CASES, ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import given
from hypothesis import strategies as st

import jixiao
from jixiao.cli import main
from jixiao.io.render.figures import decimal_text, exact_text


@given(
    st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**5),
    st.one_of(st.none(), st.integers(0, 6)),
)
def test_a_decimal_is_exact_or_its_fraction_is_given(value: Fraction, digits: int | None) -> None:
    text, exact = decimal_text(value, digits), exact_text(value, digits)
    assert "…" not in text
    if exact is None:
        assert Fraction(text) == value
    else:
        assert Fraction(exact) == value
        assert abs(Fraction(text) - value) <= Fraction(1, 2 * 10 ** (6 if digits is None else digits))
    if digits is not None:
        assert len(text.partition(".")[2]) >= digits


def corpus() -> list[tuple[Path, Path]]:
    """Every (ruleset, actual values) pair of the test corpus and the shipped rulesets that scores."""
    pairs = [(p.parent / "ruleset.jx", p) for p in sorted(CASES.glob("*/*/actuals.csv"))]
    for actuals in sorted((ROOT / "rulesets").rglob("*.actuals.csv")):
        pairs += [(jx, actuals) for jx in sorted(actuals.parent.glob("*.jx"))]
    scored = []
    for ruleset, actuals in pairs:
        try:
            jixiao.load_ruleset(ruleset).score(jixiao.load_actuals(actuals))
        except jixiao.JixiaoError:
            continue
        scored.append((ruleset, actuals))
    return scored


CORPUS = corpus()


def decimal_fields(node: object, key: str = "") -> list[tuple[str, str]]:
    """(key, value) of every string in the JSON whose schema says decimal, percentage or fraction."""
    numeric = {"initial", "annual", "executed", "rate", "weight", "score", "formula_score", "total"}
    numeric |= {"total_weight"} | {f"{k}_exact" for k in numeric}
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in decimal_fields(v, k)]
    if isinstance(node, list):
        return [pair for v in node for pair in decimal_fields(v, key)]
    return [(key, node)] if key in numeric and isinstance(node, str) else []


def test_the_corpus_is_not_empty() -> None:
    assert len(CORPUS) >= 30
    assert (SEED_RULESET, SEED_ACTUALS) in CORPUS


@pytest.mark.parametrize("pair", CORPUS, ids=lambda p: f"{p[0].parent.name}/{p[0].name}")
def test_no_output_of_the_corpus_cuts_a_decimal(pair: tuple[Path, Path]) -> None:
    ruleset, actuals = pair
    run = CliRunner().invoke(main, ["score", str(ruleset), str(actuals), "--format", "json", "--explain"])
    assert run.exit_code == 0, run.output
    document = json.loads(run.stdout)
    jsonschema.validate(document, jixiao.schema("score"))  # the schema itself refuses "…"
    fields = decimal_fields(document)
    assert fields and all("…" not in value for _, value in fields), fields
    for key, value in fields:
        if key.endswith("_exact"):
            assert Fraction(value) == Fraction(value)  # a fraction, readable exactly


def test_the_schema_refuses_a_cut_off_decimal() -> None:
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", "json"])
    document = json.loads(run.stdout)
    document["indicators"][0]["formula_score"] = "14.864648…"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, jixiao.schema("score"))


def test_a_never_ending_value_comes_with_its_fraction() -> None:
    case = CASES / "eval" / "no-rounding-declared"
    result = jixiao.load_ruleset(case / "ruleset.jx").score(jixiao.load_actuals(case / "actuals.csv"))
    document = json.loads(jixiao.render(result, "json"))
    assert (document["total"], document["total_exact"]) == ("33.333333", "100/3")
    assert Fraction(document["total_exact"]) == result.total.value
    assert "score_exact" not in json.loads(jixiao.render(_seed(), "json"))["indicators"][0]


def _seed() -> jixiao.Result:
    return jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(SEED_ACTUALS))
