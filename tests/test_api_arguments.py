"""A caller's mistake in the arguments is a `TypeError` (or, for `load_actuals`, E520), said at the call;
never an internal error (E901), another exception, or a silent guess (docs/api.md, "Errors and checks")."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.crash import ChoiceError

A = str(SEED_ACTUALS)


@pytest.fixture(scope="module")
def result() -> jixiao.Result:
    return jixiao.load_ruleset(SEED_RULESET).score(A)


@pytest.mark.parametrize("fmt", ["JSON", "pdf", "xlsx ", "", None, 1])
def test_an_unknown_format_is_refused(result: jixiao.Result, fmt: Any) -> None:
    with pytest.raises(TypeError) as info:
        jixiao.render(result, fmt)
    assert isinstance(info.value, ChoiceError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("lang", ["fr", "ZH", None])
def test_an_unknown_language_is_refused(result: jixiao.Result, lang: Any) -> None:
    report = jixiao.diff(SEED_RULESET, SEED_RULESET)
    calls: list[Callable[[], object]] = [
        lambda: jixiao.render(result, "table", lang),
        lambda: jixiao.explain(result, lang),
        lambda: jixiao.render(report, "json", lang),
        lambda: jixiao.render_diagnostics([], "text", lang),
        lambda: jixiao.diff(SEED_RULESET, SEED_RULESET, lang=lang),
    ]
    for call in calls:
        with pytest.raises(ChoiceError):
            call()


def test_render_diagnostics_refuses_an_unknown_format() -> None:
    diagnostics = jixiao.check(text="项目 {")
    for fmt in ("xml", "JSON", None):
        with pytest.raises(ChoiceError):
            jixiao.render_diagnostics(diagnostics, fmt)  # type: ignore[arg-type]
    assert jixiao.render_diagnostics(diagnostics, "json").startswith("{")


@pytest.mark.parametrize("roots", ["/", "/tmp", b"/tmp", Path("/tmp"), 5, ["/tmp", 5]])
def test_roots_are_a_list_of_folders(roots: Any) -> None:
    text = SEED_RULESET.read_text(encoding="utf-8")
    for call in (jixiao.load_ruleset, jixiao.parse_ruleset, jixiao.check):
        with pytest.raises(TypeError):
            call(text=text, roots=roots)
    with pytest.raises(TypeError):
        jixiao.diff(SEED_RULESET, SEED_RULESET, roots=roots)
    with pytest.raises(TypeError):
        jixiao.diff_folders("examples/bureau/2023", "examples/bureau/2024", roots=roots)


def test_a_str_root_never_lets_adoption_reach_the_whole_disk(tmp_path: Path) -> None:
    policy = tmp_path / "p.jx"
    policy.write_text((ROOT / "rulesets/standard/central.jx").read_text(encoding="utf-8"), encoding="utf-8")
    inner = tmp_path.relative_to(tmp_path.anchor).as_posix()
    text = SEED_RULESET.read_text(encoding="utf-8").replace('采用 "standard/central"', f'采用 "{inner}/p"')
    with pytest.raises(TypeError):
        jixiao.load_ruleset(text=text, roots=tmp_path.anchor, cache=False)
    with pytest.raises(jixiao.JixiaoError):  # a list of the folder: the path after 采用 is not in it
        jixiao.load_ruleset(text=text, roots=[str(tmp_path)], cache=False)


@pytest.mark.parametrize("batch", [A, Path(A), SEED_ACTUALS.read_bytes(), 5])
def test_one_project_is_not_a_batch(batch: Any) -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    with pytest.raises(TypeError):
        ruleset.score_many(batch)  # at the call, before the first result is asked for
    with pytest.raises(TypeError):
        jixiao.diff(ruleset, ruleset, actuals=batch)
    with pytest.raises(TypeError):
        ruleset.score_batch(batch, backend="columnar")


def test_score_many_checks_its_options_at_the_call() -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    with pytest.raises(ChoiceError):
        ruleset.score_many([A], backend="x")
    with pytest.raises(TypeError):
        ruleset.score_many([A], jobs="2")  # type: ignore[arg-type]
    for jobs in (-1, True):  # as range(-1) would not say, and True is an int only to Python
        with pytest.raises(ValueError, match="number of processes"):
            ruleset.score_many([A], jobs=jobs)
    assert [r.total.text() for r in ruleset.score_many(iter([A]), jobs=None)] == ["99.31"]


def test_diff_paths_are_lists() -> None:
    with pytest.raises(TypeError):
        jixiao.diff_folders("examples/bureau/2023", "examples/bureau/2024", actuals="examples/bureau/actuals")
    with pytest.raises(TypeError):
        jixiao.diff_revisions("HEAD", paths="rulesets")
    with pytest.raises(TypeError):
        jixiao.diff_folders("examples/bureau/2023", 5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda: jixiao.load_ruleset(text=b"x"),
        lambda: jixiao.load_ruleset(text=123),
        lambda: jixiao.load_ruleset(text="项目 x {}", name=5),
        lambda: jixiao.load_ruleset(SEED_RULESET, roots=5, cache=False),
        lambda: jixiao.check(text=b"x"),
        lambda: jixiao.render(None),
        lambda: jixiao.render(jixiao.load_ruleset(SEED_RULESET).score(A).indicators[0]),
        lambda: jixiao.explain(None),
        lambda: jixiao.schema("nope"),
        lambda: jixiao.render_diagnostics([5]),
        lambda: jixiao.render_diagnostics(jixiao.check(text="项目 {")[0]),
        lambda: jixiao.render_diagnostics([], sources=["x"]),
        lambda: jixiao.JixiaoError("boom"),
        lambda: jixiao.load_ruleset(SEED_RULESET).score_batch([A], backend="columnar"),
    ],
)
def test_a_wrong_argument_is_a_type_error(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rows": 5},
        {"rows": {"三级指标": "x"}},
        {"rows": [{"三级指标": "x"}, 5]},
        {"rows": "三级指标"},
        {"text": b"x"},
        {"source": A, "encoding": 5},
        {"source": A, "name": 5},
        {"source": A, "format": 5},
        {"source": A, "sheet": 0},
    ],
)
def test_load_actuals_says_an_unusable_argument(kwargs: dict[str, Any]) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_actuals(**kwargs)
    assert [d.code for d in info.value.diagnostics] == ["E520"]
    assert "E901" not in str(info.value)


def test_a_pathlike_root_list_still_works() -> None:
    folder = ROOT / "rulesets"
    for roots in ([folder], (str(folder),), iter([os.fspath(folder)]), []):
        assert jixiao.load_ruleset(SEED_RULESET, roots=roots, cache=False).name


@pytest.mark.parametrize("lang", ["fr", "ZH", "", "zh-CN", 1])
def test_an_error_told_in_a_language_it_has_no_words_for_is_a_choice_error(lang: object) -> None:
    """`error.text("fr")` was English, silently, as if asked for it: now as render(lang="fr") is."""
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(text="x")
    assert info.value.text("en").endswith("syntax error: unexpected “x”")
    assert "语法错误" in info.value.text("zh")
    with pytest.raises(ChoiceError) as wrong:
        info.value.text(lang)  # type: ignore[arg-type]
    assert isinstance(wrong.value, TypeError) and isinstance(wrong.value, ValueError)


def test_text_given_where_a_path_goes_is_named_so() -> None:
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    text = SEED_ACTUALS.read_text(encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as caught:
        ruleset.score(text)
    (diag,) = caught.value.diagnostics
    assert diag.code == "E105" and "text=" in caught.value.text("en") and len(diag.span.path) < 80  # type: ignore[union-attr]


def test_a_path_with_a_nul_character_is_no_file_not_a_bug() -> None:
    """os.open raises ValueError for a NUL in a path: that is E105 (no such file), not E901 (a bug)."""
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    for source in ("a\x00b.csv", Path("a\x00b.csv")):
        with pytest.raises(jixiao.JixiaoError) as caught:
            ruleset.score(source)
        (diag,) = caught.value.diagnostics
        assert diag.code == "E105" and "NUL" in caught.value.text("en")


def test_an_error_with_no_diagnostic_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        jixiao.JixiaoError([])
