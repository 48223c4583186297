"""Every command's error output: a summary line, JSON on request, the help for bare `jixiao` (issue 10)."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CASES, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main

jsonschema = pytest.importorskip("jsonschema")


def _broken(tmp_path: Path) -> Path:
    """The seed with three mistakes: a keyword typo, a colon after 目标, a comma between options."""
    text = SEED_RULESET.read_text(encoding="utf-8")
    for old, new in [
        ("≥1.1万人  分值", "≥1.1万人  分直"),
        ("资金发放及时率  目标 ", "资金发放及时率  目标："),
        ("有效保障  分值", "有效保障，分值"),
    ]:
        text = text.replace(old, new)
    path = tmp_path / "bad.jx"
    path.write_text(text, encoding="utf-8")
    return path


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _schema() -> dict[str, object]:
    run = _invoke("schema", "diagnostics")
    assert run.exit_code == 0
    schema: dict[str, object] = json.loads(run.output)
    return schema


def test_bare_jixiao_prints_the_help_and_succeeds() -> None:
    run = _invoke()
    assert run.exit_code == 0
    assert "Usage:" in run.output and "check" in run.output and "错误：" not in run.output


def test_check_reports_every_mistake_and_ends_with_a_summary(tmp_path: Path) -> None:
    run = _invoke("check", str(_broken(tmp_path)))
    assert run.exit_code == 1
    assert [line for line in run.output.splitlines() if "error[" in line].__len__() == 3
    assert run.output.rstrip().endswith("检查了 1 个文件：3 个错误，0 个警告")
    english = _invoke("check", str(_broken(tmp_path)), "--lang", "en")
    assert english.output.rstrip().endswith("checked 1 file: 3 errors, 0 warnings")


def test_check_json_validates_against_the_diagnostics_schema(tmp_path: Path) -> None:
    run = _invoke("check", str(_broken(tmp_path)), "--format", "json")
    assert run.exit_code == 1  # unchanged by the format
    document = json.loads(run.stdout)
    jsonschema.validate(document, _schema())
    assert [d["code"] for d in document["diagnostics"]] == ["E104", "E115", "E150"]
    first = document["diagnostics"][0]
    assert first["suggestion"] == "分值" and first["span"]["line"] == 43 and first["severity"] == "error"
    clean = _invoke("check", str(SEED_RULESET), "--format", "json")
    assert clean.exit_code == 0 and json.loads(clean.stdout) == {"diagnostics": []}


def test_score_json_errors(tmp_path: Path) -> None:
    run = _invoke("score", str(_broken(tmp_path)), str(SEED_ACTUALS), "--format", "json")
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    jsonschema.validate(document, _schema())
    assert len(document["diagnostics"]) == 3
    text = _invoke("score", str(_broken(tmp_path)), str(SEED_ACTUALS))
    assert text.exit_code == 1 and text.stdout == "" and text.output.rstrip().endswith("3 个错误，0 个警告")


def test_score_csv_errors_end_with_a_summary() -> None:
    case = CASES / "errors" / "csv-unknown-indicator"
    run = _invoke("score", str(case / "ruleset.jx"), str(case / "actuals.csv"), "--lang", "en")
    assert run.exit_code == 1
    assert run.output.rstrip().endswith(
        "1 error, 0 warnings"
    )  # the typo is E503 alone (no E508 for the row it meant)


def test_a_word_where_a_formula_needs_a_number_points_at_its_cell_with_a_help() -> None:
    case = CASES / "eval" / "err-formula-word-actual"
    run = _invoke("score", str(case / "ruleset.jx"), str(case / "actuals.csv"), "--format", "json")
    (found,) = json.loads(run.stdout)["diagnostics"]
    assert (found["code"], found["help"] is not None) == ("E602", True)
    assert "「达成」" in found["message"]
    assert (found["span"]["path"].endswith("actuals.csv"), found["span"]["column_name"]) == (
        True,
        "实际完成值",
    )
    english = _invoke("score", str(case / "ruleset.jx"), str(case / "actuals.csv"), "--lang", "en").output
    assert "the actual “达成” is not a number, so 实际 in the formula has no value" in english
    assert "= help: a condition (a comparison, and/or/not) belongs in" in english


def test_diff_json_errors_keep_exit_status_2(tmp_path: Path) -> None:
    run = _invoke("diff", str(SEED_RULESET), str(_broken(tmp_path)), "--format", "json")
    assert run.exit_code == 2
    document = json.loads(run.stdout)
    jsonschema.validate(document, _schema())
    assert {d["code"] for d in document["diagnostics"]} == {"E104", "E115", "E150"}
    text = _invoke("diff", str(SEED_RULESET), str(_broken(tmp_path)))
    assert text.exit_code == 2 and text.output.rstrip().endswith("3 个错误，0 个警告")


def test_test_json_errors(tmp_path: Path) -> None:
    (tmp_path / "x.test.yaml").write_text("cases: [\n", encoding="utf-8")
    run = _invoke("test", str(tmp_path), "--format", "json")
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    jsonschema.validate(document, _schema())
    assert [d["code"] for d in document["diagnostics"]] == ["E801"]
    text = _invoke("test", str(tmp_path))
    assert text.output.rstrip().endswith("1 个错误，0 个警告")
    empty = _invoke("test", str(tmp_path / "nowhere"), "--format", "json")
    assert empty.exit_code == 2  # click: the path does not exist


def test_test_json_on_passing_tests_is_an_empty_list() -> None:
    run = _invoke("test", str(SEED_RULESET.parent), "--format", "json")
    assert run.exit_code == 0 and json.loads(run.stdout) == {"diagnostics": []}


def test_fmt_errors_end_with_a_summary(tmp_path: Path) -> None:
    run = _invoke("fmt", "--check", str(_broken(tmp_path)))
    assert run.exit_code == 1 and "3 个错误，0 个警告" in run.output


def _error(tmp_path: Path) -> jixiao.JixiaoError:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(_broken(tmp_path))
    return info.value


def test_str_of_the_error_is_chinese_by_default(tmp_path: Path) -> None:
    error = _error(tmp_path)
    lines = str(error).splitlines()
    assert len(lines) == 3 and lines[0].endswith("error[E104]: 目标值后面应为分值或换行，这里是「分直」")
    assert [d.code for d in error.diagnostics] == ["E104", "E115", "E150"]


def test_str_of_the_error_follows_the_chosen_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = _error(tmp_path)
    monkeypatch.setenv("JIXIAO_LANG", "en")
    assert "error[E104]: expected a weight or a line break after the target value" in str(error)
    assert "目标值后面" in error.text("zh")


def test_the_error_pickles_with_its_diagnostics(tmp_path: Path) -> None:
    error = _error(tmp_path)
    again = pickle.loads(pickle.dumps(error))
    assert again.diagnostics == error.diagnostics and str(again) == str(error)


def test_a_diagnostic_about_a_whole_path_names_no_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder or a missing file has no line 1 (was: `空/:1:1: error[E708]`): text says `path:`, JSON null."""
    missing, empty = tmp_path / "没有.jx", tmp_path / "空"
    empty.mkdir()
    for lang in ("zh", "en"):
        run = _invoke("check", str(missing), "--lang", lang)
        assert f"{missing}: error[E105]" in run.output and ":1:1" not in run.output, run.output
        folder = _invoke("diff", str(empty), str(empty), "--lang", lang)
        assert f"{empty}: error[E708]" in folder.output and ":1:1" not in folder.output, folder.output
    document = json.loads(_invoke("check", str(missing), "--format", "json").stdout)
    jsonschema.validate(document, _schema())
    span = document["diagnostics"][0]["span"]
    assert (span["path"], span["line"], span["column"]) == (str(missing), None, None)
    if shutil.which("git") is None:
        return
    monkeypatch.chdir(empty)  # not in a git repository (tmp_path is outside any)
    revision = _invoke("diff", "--rev", "HEAD")
    assert revision.exit_code == 2 and ": error[E703]" in revision.output, revision.output
    assert ":1:1: error[E703]" not in revision.output
