"""Language behaviour, tested through data files under tests/cases/.

Each case is a folder holding a ruleset (`ruleset.jx`), usually an
actual-value file (`actuals.csv`), and one expectation:

- `expected.json`: the JSON that `jixiao score --format json` prints
  (regenerate with JIXIAO_UPDATE_GOLDEN=1);
- `explain.zh.txt` and `explain.en.txt` beside it (optional): what `jixiao score --explain` prints
  after the table, in each language (regenerated with JIXIAO_UPDATE_GOLDEN=1; the rule files are
  cited by their path from the case's folder, `ruleset.jx:12`);
- `expected.yaml` with `errors:`, a list of `{code, file, line, column}`
  (file is `ruleset.jx` or `actuals.csv`; line/column optional) that must be
  exactly the errors reported, in order. A case without `actuals.csv` is only
  loaded and checked (as `jixiao check` does), not scored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import CASES, update_golden

import jixiao
from jixiao.diagnostics import Severity
from jixiao.messages import Lang

CASE_DIRS = sorted(p.parent for p in CASES.glob("*/*/ruleset.jx"))
EXPLAINED = sorted(p.parent for p in CASES.glob("*/*/explain.zh.txt"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _score(case: Path) -> jixiao.Result:
    ruleset = jixiao.load_ruleset(case / "ruleset.jx")
    return ruleset.score(jixiao.load_actuals(case / "actuals.csv"))


def _errors(case: Path) -> list[dict[str, object]]:
    try:
        if not (case / "actuals.csv").exists():  # a ruleset-only case: load and check, do not score
            return [_describe(d, case) for d in _check_only(case) if d.severity is Severity.ERROR]
        _score(case)
    except jixiao.JixiaoError as exc:
        return [_describe(d, case) for d in exc.diagnostics if d.severity is Severity.ERROR]
    return []


def _check_only(case: Path) -> list[jixiao.Diagnostic]:
    from jixiao.engine.checks import run_checks
    from jixiao.engine.resolve import load

    return run_checks(load(case / "ruleset.jx", lenient=True))  # as `jixiao check` does


def _describe(diag: jixiao.Diagnostic, case: Path) -> dict[str, object]:
    out: dict[str, object] = {"code": diag.code}
    if diag.span is not None:
        out["file"] = Path(diag.span.path).name
        out["line"] = diag.span.line
        out["column"] = diag.span.column
    return out


@pytest.mark.parametrize("case", CASE_DIRS, ids=_id)
def test_case(case: Path) -> None:
    expected_yaml = case / "expected.yaml"
    if expected_yaml.exists():
        expected = yaml.safe_load(expected_yaml.read_text(encoding="utf-8"))["errors"]
        got = _errors(case)
        trimmed = [{k: g[k] for k in e if k in g} for e, g in zip(expected, got, strict=False)]
        assert (trimmed, len(got)) == (expected, len(expected)), got
        return
    golden = case / "expected.json"
    output = jixiao.render(_score(case), "json")
    if update_golden() or not golden.exists():
        golden.write_text(output + "\n", encoding="utf-8")
    assert json.loads(output) == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", EXPLAINED, ids=_id)
def test_explanation(case: Path, lang: Lang, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)  # rule files are cited relative to the working directory
    golden = case / f"explain.{lang}.txt"
    output = jixiao.explain(_score(case), lang)
    if update_golden() or not golden.exists():
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")
