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

from jixiao.api import CompiledRuleset
from jixiao.diagnostics import JixiaoError, render_all
from jixiao.engine.checks import run_checks
from jixiao.engine.resolve import resolve_text
from jixiao.io.actuals import parse_actuals

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


# -- very large inputs, generated here rather than committed ---------------------------------------------


def _errors(ruleset: Path, actuals: Path) -> list[tuple[str, str, int, int]]:
    import jixiao

    try:
        jixiao.load_ruleset(ruleset, cache=False).score(jixiao.load_actuals(actuals))
    except JixiaoError as exc:
        return [
            (d.code, Path(d.span.path).name, d.span.line, d.span.column) for d in exc.diagnostics if d.span
        ]
    return []


def test_a_one_megabyte_ruleset_on_one_line_gets_a_positioned_error(tmp_path: Path) -> None:
    body = "说明 啊; " * 100_000 + "产出指标 / 数量指标 { 甲 目标 ≥1次 分值 90 }; 合计 }"
    (tmp_path / "ruleset.jx").write_text(f'项目 "x" {{ {body}', encoding="utf-8")
    (tmp_path / "actuals.csv").write_text(SEED_CSV, encoding="utf-8")
    assert len((tmp_path / "ruleset.jx").read_bytes()) > 1_000_000
    # the line-length limit (docs/security.md) stops it before the lexer
    assert _errors(tmp_path / "ruleset.jx", tmp_path / "actuals.csv") == [("E903", "ruleset.jx", 1, 10001)]


def test_a_cell_too_large_for_csv_is_e514(tmp_path: Path) -> None:
    (tmp_path / "ruleset.jx").write_text(TEXTS[SEED_RULESET], encoding="utf-8")
    rows = SEED_CSV.splitlines()
    rows.insert(5, '产出指标,数量指标,享受补贴人数,1.11万人,"' + "长" * 140_000 + '"')
    (tmp_path / "actuals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    errors = _errors(SEED_RULESET, tmp_path / "actuals.csv")
    assert errors[:1] == [
        ("E514", "actuals.csv", 6, 25)
    ]  # at the cell (was the row, in the csv module's words)
