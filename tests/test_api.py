"""The public API: loading (file, text, package resource), caching, threads, batches, schema, errors."""

from __future__ import annotations

import json
import pickle
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main
from jixiao.engine.evaluate import score as reference_score
from jixiao.io import rulesets as io_rulesets
from jixiao.io.schema import ScoreReport
from jixiao.resources import data_dir


def _seed() -> jixiao.CompiledRuleset:
    return jixiao.load_ruleset(SEED_RULESET)


def test_seed_through_the_public_api() -> None:
    result = _seed().score(jixiao.load_actuals(SEED_ACTUALS))
    assert result.total.decimal() == Decimal("99.31")
    assert result.grade == "优"


def test_loading_from_text_file_and_package_resource_agree() -> None:
    text = SEED_RULESET.read_text(encoding="utf-8")
    actuals = jixiao.load_actuals(SEED_ACTUALS)
    from_resource = jixiao.load_ruleset("jixiao:rulesets/shangjie-pension/2020.jx")
    from_traversable = jixiao.load_ruleset(data_dir("rulesets").joinpath("shangjie-pension", "2020.jx"))
    from_text = jixiao.load_ruleset(text=text)  # its policy is found among the packaged rulesets
    for compiled in (
        _seed(),
        from_resource,
        from_traversable,
        from_text,
        jixiao.load_ruleset(str(SEED_RULESET)),
        jixiao.load_ruleset(text.encode("utf-8")),
    ):
        assert compiled.score(actuals).total.text() == "99.31"
    with SEED_RULESET.open("rb") as binary, SEED_RULESET.open(encoding="utf-8") as textual:
        for stream in (binary, textual):
            assert jixiao.load_ruleset(stream).score(actuals).total.text() == "99.31"


def test_missing_package_resource_is_a_jixiao_error() -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset("jixiao:rulesets/nowhere.jx")
    assert info.value.diagnostics[0].code == "E105"


def test_the_same_content_is_compiled_once() -> None:
    jixiao.clear_cache()
    assert jixiao.load_ruleset(SEED_RULESET) is jixiao.load_ruleset(SEED_RULESET)
    assert jixiao.load_ruleset(SEED_RULESET, cache=False) is not jixiao.load_ruleset(SEED_RULESET)


def test_the_cache_notices_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "p.jx"
    path.write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    first = jixiao.load_ruleset(path)
    path.write_text(path.read_text(encoding="utf-8").replace("分值 20", "分值 20 "), encoding="utf-8")
    assert jixiao.load_ruleset(path) is not first


def test_actuals_from_rows_and_text() -> None:
    text = SEED_ACTUALS.read_text(encoding="utf-8")
    rows = [
        dict(zip(text.splitlines()[0].split(","), line.split(","), strict=True))
        for line in text.splitlines()[1:]
    ]
    compiled = _seed()
    assert compiled.score(rows).total.text() == "99.31"
    assert compiled.score(jixiao.load_actuals(text=text)).total.text() == "99.31"


def test_results_of_the_same_project_compare_equal_however_scored() -> None:
    """A result is a value: the same file scored twice, from bytes or read, by the fast evaluator or the
    reference, pickled or not, gives equal results (explanation steps compare by their texts); another
    file gives an unequal one."""
    compiled = jixiao.load_ruleset(SEED_RULESET)
    data = SEED_ACTUALS.read_bytes()
    read = jixiao.load_actuals(SEED_ACTUALS)
    first = compiled.score(data)
    same = [compiled.score(data), compiled.score(read), reference_score(compiled.plan, read)]
    same.append(pickle.loads(pickle.dumps(same[0])))
    assert all(first == other for other in same)
    changed = data.replace("约发放人数1.11万人".encode(), "1.0万人".encode())
    assert changed != data and compiled.score(changed) != first


def test_score_many_is_lazy_and_ordered() -> None:
    actuals = jixiao.load_actuals(SEED_ACTUALS)
    totals = [r.total.text() for r in _seed().score_many([actuals, SEED_ACTUALS, str(SEED_ACTUALS)])]
    assert totals == ["99.31"] * 3


def test_one_compiled_ruleset_scores_from_many_threads() -> None:
    compiled = _seed()
    good = jixiao.load_actuals(SEED_ACTUALS)
    lower = jixiao.load_actuals(
        text=SEED_ACTUALS.read_text(encoding="utf-8").replace("约发放人数1.11万人", "1.0万人")
    )
    expected = {id(good): "99.31", id(lower): "97.49"}
    failures: list[str] = []

    def work(actuals: jixiao.ActualsFile) -> None:
        for _ in range(30):
            got = compiled.score(actuals).total.text()
            if got != expected[id(actuals)]:
                failures.append(got)

    threads = [threading.Thread(target=work, args=(good if i % 2 else lower,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def _at_once(load: Callable[[], object], count: int = 8) -> list[object]:
    """`load()` in `count` threads started together: what each returned or raised."""
    start = threading.Barrier(count)
    got: list[object] = [None] * count

    def work(i: int) -> None:
        start.wait()
        try:
            got[i] = load()
        except Exception as exc:
            got[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return got


def _counting_resolve(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count (slowly, so that the threads meet) how often a ruleset is resolved."""
    calls: list[int] = []
    resolve = io_rulesets.resolve_input

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        time.sleep(0.05)
        return resolve(*args, **kwargs)

    monkeypatch.setattr(io_rulesets, "resolve_input", counted)
    return calls


def test_threads_loading_one_ruleset_at_once_compile_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    jixiao.clear_cache()
    calls = _counting_resolve(monkeypatch)
    text = SEED_RULESET.read_text(encoding="utf-8") + "\n# 多线程\n"
    got = _at_once(lambda: jixiao.load_ruleset(text=text, roots=[str(ROOT / "rulesets")]))
    assert len(calls) == 1
    assert all(g is got[0] for g in got) and isinstance(got[0], jixiao.CompiledRuleset)


def test_threads_loading_one_broken_ruleset_at_once_all_get_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jixiao.clear_cache()
    calls = _counting_resolve(monkeypatch)
    text = SEED_RULESET.read_text(encoding="utf-8").replace("分值 20", "分值 二十", 1)
    got = _at_once(lambda: jixiao.load_ruleset(text=text, roots=[str(ROOT / "rulesets")]))
    assert all(isinstance(g, jixiao.JixiaoError) for g in got)
    assert len({tuple(d.code for d in g.diagnostics) for g in got}) == 1  # type: ignore[attr-defined]
    assert 1 <= len(calls) <= 8  # the first failed: each waiting thread compiled it itself
    assert not io_rulesets._CACHE._loading


def test_errors_are_jixiao_errors_with_the_cli_diagnostics() -> None:
    bad = SEED_ACTUALS.read_text(encoding="utf-8").replace("约发放人数1.11万人", "1.1万元")
    with pytest.raises(jixiao.JixiaoError) as info:
        _seed().score(jixiao.load_actuals(text=bad))
    assert info.value.diagnostics[0].code.startswith("E5")
    assert "E5" in jixiao.render_diagnostics(info.value.diagnostics)
    doc = json.loads(jixiao.render_diagnostics(info.value.diagnostics, "json"))
    assert doc["diagnostics"][0]["code"] == "E506"
    assert doc["diagnostics"][0]["span"]["line"] == 21


def test_check_returns_diagnostics_and_never_raises() -> None:
    assert [d for d in jixiao.check(SEED_RULESET) if d.severity is jixiao.Severity.ERROR] == []
    assert jixiao.check("项目 {")[0].code.startswith("E1")


def test_render_every_format() -> None:
    result = _seed().score(SEED_ACTUALS)
    assert "99.31" in jixiao.render(result, "table")
    assert json.loads(jixiao.render(result, "json"))["total"] == "99.31"
    assert "截断2位" in jixiao.render(result, "explain")
    assert json.loads(jixiao.render(result, "explain-json"))["explanation"]["total"] == "99.31"
    assert "0.9376 → down 2 digits → 0.93" in jixiao.render(result, "explain", "en")


def test_the_json_schema_validates_the_cli_output() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    run = CliRunner().invoke(main, ["schema"])
    assert run.exit_code == 0, run.output
    schema = json.loads(run.output)
    for extra in ([], ["--explain"]):
        out = CliRunner().invoke(
            main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--format", "json", *extra]
        )
        jsonschema.validate(json.loads(out.output), schema)
        assert ScoreReport.model_validate_json(out.output).total == "99.31"
    for model in ("explanation", "diagnostics"):
        assert CliRunner().invoke(main, ["schema", "--model", model]).exit_code == 0


def test_decimals_stay_exact_strings_in_json() -> None:
    doc = json.loads(jixiao.render(_seed().score(SEED_ACTUALS), "json"))
    assert isinstance(doc["total"], str) and isinstance(doc["indicators"][0]["score"], str)


def test_diff_is_exposed_lazily_and_stays_a_function() -> None:
    import jixiao.cli  # imports the jixiao.tools.compare sub-package; jixiao.diff stays the function
    from jixiao.tools.compare import render_table

    assert callable(jixiao.diff)
    report = jixiao.diff(SEED_RULESET, SEED_RULESET)
    assert isinstance(render_table(report), str)


def test_the_examples_in_docs_api_md_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), {})
    jixiao.clear_cache()


def test_arguments_that_do_not_fit_the_signature_are_a_type_error_not_e901() -> None:
    """As for any Python function: the caller's mistake, not a bug in jixiao (was E901)."""
    with pytest.raises(TypeError, match="unexpected keyword argument 'data'"):
        jixiao.load_actuals(data=b"", name="a.csv")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="positional argument"):
        jixiao.load_ruleset("a", "b")  # type: ignore[misc]
    with pytest.raises(TypeError):
        jixiao.check(text='项目 "x" {}', bogus=1)  # type: ignore[call-arg]


def test_a_type_error_inside_jixiao_is_still_e901(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("a bug")

    monkeypatch.setattr("jixiao.io.actuals._quick", broken)
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(text="三级指标,实际完成值\n")
    assert info.value.diagnostics[0].code == "E901"
