"""Only the project's own error escapes: random mutations of the repo's rulesets and actual values.

Each example deletes, duplicates or swaps a few random characters of a ruleset
(or of the seed's actual-value file), then loads, checks, compiles and scores
it. Anything but a `JixiaoError` (or success) is a bug: a user would see a
traceback or, worse, a silent wrong score.
"""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, SEED_ACTUALS, SEED_RULESET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.actuals import parse_actuals
from jixiao.api import CompiledRuleset
from jixiao.checks import run_checks
from jixiao.diagnostics import JixiaoError, render_all
from jixiao.resolve import resolve_text

RULESETS = sorted((ROOT / "rulesets").rglob("*.jx"))
TEXTS = {path: path.read_text(encoding="utf-8") for path in RULESETS}
SEED_CSV = SEED_ACTUALS.read_text(encoding="utf-8")

Edit = tuple[str, float, float, int]
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap"]),
        st.floats(0, 1, exclude_max=True),
        st.floats(0, 1, exclude_max=True),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=3,
)


def mutate(text: str, edits: list[Edit]) -> str:
    for op, where, other, size in edits:
        if not text:
            return text
        i, j = int(where * len(text)), int(other * len(text))
        if op == "delete":
            text = text[:i] + text[i + size :]
        elif op == "duplicate":
            text = text[:i] + text[i : i + size] + text[i:]
        else:
            chars = list(text)
            chars[i], chars[j] = chars[j], chars[i]
            text = "".join(chars)
    return text


def _load_check_score(text: str, path: Path) -> None:
    try:
        ruleset = resolve_text(text, str(path))
        render_all(run_checks(ruleset), "en")
        if ruleset.document.kind == "project":
            CompiledRuleset(ruleset).score(parse_actuals(SEED_CSV, str(SEED_ACTUALS)))
    except JixiaoError as exc:
        assert exc.diagnostics
        render_all(exc.diagnostics)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(RULESETS), edits=EDITS)
def test_mutated_rulesets_raise_only_jixiao_errors(path: Path, edits: list[Edit]) -> None:
    _load_check_score(mutate(TEXTS[path], edits), path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS)
def test_mutated_actuals_raise_only_jixiao_errors(edits: list[Edit]) -> None:
    compiled = CompiledRuleset(resolve_text(TEXTS[SEED_RULESET], str(SEED_RULESET)))
    try:
        compiled.score(parse_actuals(mutate(SEED_CSV, edits), str(SEED_ACTUALS)))
    except JixiaoError as exc:
        assert exc.diagnostics


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_text_raises_only_jixiao_errors(text: str) -> None:
    _load_check_score(text, ROOT / "rulesets" / "arbitrary.jx")
