"""The JSON writer (io/render/json.py) prints plain data with the `json` module; the published models
(io/schema.py) stay the contract. Every text it writes must be, byte for byte, what the model validated
from the same data prints: the keys in the model's order, optional fields only where set, `*_exact`
only where the decimal is rounded, the same escapes and indentation."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import Span, sorted_diagnostics
from jixiao.engine.results import Finding
from jixiao.io.render.json import batch_item, diagnostics_json, to_json
from jixiao.io.render.report import diagnostic_report, report
from jixiao.io.schema import BatchScoreReport, DiagnosticsReport, ScoreReport

SCORED = sorted(p.parent for p in CASES.glob("*/*/actuals.csv") if (p.parent / "ruleset.jx").exists())


def _scored(case: Path) -> jixiao.Result | list[jixiao.Diagnostic]:
    try:
        return jixiao.load_ruleset(case / "ruleset.jx").score(jixiao.load_actuals(case / "actuals.csv"))
    except jixiao.JixiaoError as exc:
        return exc.diagnostics


def _as_model(result: jixiao.Result, lang: jixiao.messages.Lang, explain: bool) -> str:
    model = report(result, lang, explain)
    return model.model_dump_json(indent=2, exclude_unset=True, exclude=None if explain else {"explanation"})


@pytest.mark.parametrize("case", SCORED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_case_is_written_as_its_model_prints_it(case: Path) -> None:
    scored = _scored(case)
    for lang in ("zh", "en"):
        if isinstance(scored, list):  # a case that fails: its diagnostics
            ordered = sorted_diagnostics(scored)
            model = DiagnosticsReport(diagnostics=[diagnostic_report(d, lang) for d in ordered])
            assert diagnostics_json(scored, lang) == model.model_dump_json(indent=2)
            continue
        for explain in (False, True):
            text = to_json(scored, lang, explain)
            assert text == _as_model(scored, lang, explain)
            # a batch's item is the same document, indented one level deeper
            assert json.loads(batch_item(scored, lang, explain)) == json.loads(text)


def test_escapes_and_characters_as_the_model_writes_them() -> None:
    """Quotes, backslashes, control characters, a line separator and characters beyond the BMP."""
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(SEED_ACTUALS))
    odd = 'a"b\\c\td\x01e\x1f\x7f\u2028😀/</script>'
    rows = [dataclasses.replace(i, note=odd + i.note) for i in result.indicators]
    made = dataclasses.replace(result, project=odd, unit=odd, indicators=tuple(rows))
    text = to_json(made, "zh")
    assert text == _as_model(made, "zh", False)
    assert json.loads(text)["project"] == odd


def test_a_finding_at_a_cell_is_written_with_its_span_as_the_model_prints_it() -> None:
    """F138 at the title cell giving the year: its `span` (a diagnostic's shape) only where it has one."""
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(SEED_ACTUALS))
    title = Span("2019.xlsx", 2, 1, sheet="自评表")
    year = Finding("F138", None, {"table": "2019", "rules": 2020}, title)
    made = dataclasses.replace(result, findings=(*result.findings, year))
    for lang in ("zh", "en"):
        text = to_json(made, lang)
        assert text == _as_model(made, lang, False)
        *others, placed = json.loads(text)["findings"]
        assert placed["span"] == {"path": "2019.xlsx", "line": 2, "column": 1, "end_line": None,
                                  "end_column": None, "column_name": None, "sheet": "自评表", "hidden_row": False}  # fmt: skip
        assert all("span" not in f for f in others)


def test_the_models_reject_what_the_writer_must_not_print() -> None:
    """The comparison above has teeth: a key out of the model's order, or one it does not declare,
    does not survive the model."""
    result = jixiao.load_ruleset(SEED_RULESET).score(jixiao.load_actuals(SEED_ACTUALS))
    data = json.loads(to_json(result))
    reordered = {"grade": data.pop("grade"), **data}
    assert json.dumps(reordered, ensure_ascii=False, indent=2) != _as_model(result, "zh", False)
    with pytest.raises(ValueError, match="extra"):
        ScoreReport.model_validate({**data, "grade": "优", "surplus": 1})


def test_a_batch_document_is_its_models_json(tmp_path: Path) -> None:
    """The summary, the failed projects and the projects spliced in: the batch model's own text, each
    project the same document as its own file's (`-o DIR`)."""
    folder = tmp_path / "in"
    folder.mkdir()
    seed = SEED_ACTUALS.read_text(encoding="utf-8")
    (folder / "a.csv").write_text(seed, encoding="utf-8")
    (folder / "b.csv").write_text(seed.replace("1.11万人", "很多人"), encoding="utf-8")
    (folder / "c.csv").write_text(seed.replace("1.11万人", "1.2万人"), encoding="utf-8")
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(folder), "--format", "json"])
    assert run.exit_code == 1
    text = run.stdout.rstrip("\n")
    model = BatchScoreReport.model_validate_json(text)
    assert text == model.model_dump_json(indent=2, exclude_unset=True)
    # a failed project is named as the summary names it (the ruleset's 项目 "…"), its file in origin
    assert [(f.project, f.origin) for f in model.failed] == [
        (model.summary[1].project, str(folder / "b.csv"))
    ]
    assert model.summary[1].project == "城乡居民基本养老保险费财政补助资金" and len(model.projects) == 2
    out = tmp_path / "out"
    files = CliRunner().invoke(
        main, ["score", str(SEED_RULESET), str(folder), "--format", "json", "-o", str(out)]
    )
    assert files.exit_code == 1
    items = json.loads(text)["projects"]
    assert items == [json.loads((out / f"{name}.json").read_text(encoding="utf-8")) for name in ("a", "c")]
