"""`jixiao import` and `jixiao audit` stay linear in a long table (a mailed table must not run unbounded).

Each round of the import and of the audit's recomputing fixes every row that fails, not only the
MAX_REPEATS (20) of each kind that an error keeps: 5 000 rows of a word the scale lacks took a minute (a
round per 20 rows, each scoring the whole table again) and, past MAX_ROUNDS, left the other rows unfixed
(the import wrote a ruleset that does not score, the audit said the table could not be audited). The
passes that looked through every row or indicator for each row now look rows up. No timing: the tests
count the rounds and the lookups on tables of two lengths, and check the long one is done completely.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from jixiao.cli import main
from jixiao.diagnostics import Span
from jixiao.limits import MAX_REPEATS

# the modules (the packages export functions of the same names)
settle = importlib.import_module("jixiao.tools.importer.settle")
draft = importlib.import_module("jixiao.tools.importer.draft")
recompute = importlib.import_module("jixiao.tools.audit.recompute")
rows = importlib.import_module("jixiao.tools.audit.rows")

HEADER = "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,偏差原因分析及改进措施\n"
BUDGET = "预算执行,年度资金总额,全年预算数,,100万元,,,\n预算执行,年度资金总额,全年执行数,,100万元,,,\n"
LONG = (settle.MAX_ROUNDS + 1) * MAX_REPEATS  # more rows than the old rounds could fix
SHORT = 30
ASSERTED = re.compile(r"^ +\S+ +分值 \d+  方法 认定$", re.MULTILINE)  # a row of the ruleset, not a comment


def table(folder: Path, count: int, row: Callable[[int], str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "表.csv"
    path.write_text(HEADER + BUDGET + "".join(row(i) + "\n" for i in range(count)), encoding="utf-8")
    return path


def word_apart(i: int) -> str:
    """较合理 is in no scale of the policy; its rows give it 80% and 70% of their weights: no share to read
    off, every row takes its printed score (W174)."""
    weight = 1 + i % 7
    return f"产出指标,质量指标,指标{i},合理,较合理,{weight},{weight * (8 - i % 2) / 10:g},说明"


def own_word(i: int) -> str:
    """明显 is in no scale (the table's own scale); 较明显 at differing shares (F180 in an audit)."""
    weight = 1 + i % 7
    return f"效益指标,社会效益指标,指标{i},明显,较明显,{weight},{weight * (8 - i % 2) / 10:g},说明"


def blank(i: int) -> str:
    """A blank actual value (E504 each when scored)."""
    return f"产出指标,数量指标,指标{i},≥100人,,{1 + i % 7},{1 + i % 7},"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """Count the calls of `module.name` (a list of one number)."""
    calls = [0]
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def imported(tmp_path: Path, count: int, row: Callable[[int], str]) -> tuple[Result, str]:
    out = tmp_path / "out"
    done = run("import", table(tmp_path, count, row), "--output", out, "--policy", "standard/central")
    return done, (out / "表.jx").read_text(encoding="utf-8")


def test_import_takes_as_many_rounds_for_a_long_table_as_for_a_short_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds = counting(monkeypatch, settle, "compile_plan")  # once a round that scores
    imported(tmp_path / "short", SHORT, word_apart)
    few = rounds[0]
    done, text = imported(tmp_path / "long", LONG, word_apart)
    assert rounds[0] - few == few <= 3, (few, rounds[0] - few)
    assert len(ASSERTED.findall(text)) == LONG, done.output  # every row takes its printed score
    (summary,) = [line for line in done.output.splitlines() if line.startswith("1 ")]
    assert re.split(r"\s{2,}", summary)[4] != "—", summary  # the generated files score: a total
    assert "warning[W179]" not in done.output, done.output


def test_import_puts_a_word_in_the_own_scale_once_a_round_not_once_a_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposals = counting(monkeypatch, settle, "_propose")
    rounds = counting(monkeypatch, settle, "compile_plan")
    done, text = imported(tmp_path, LONG, own_word)
    assert proposals[0] <= rounds[0], (proposals[0], rounds[0])  # one word, asked once a round
    assert len(ASSERTED.findall(text)) == LONG and "warning[W179]" not in done.output, done.output


def test_import_finds_the_row_of_each_diagnostic_without_looking_through_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row of a diagnostic was found by computing the key of every row before it (n² keys)."""
    keys = counting(monkeypatch, draft, "name_key")
    imported(tmp_path / "short", SHORT, own_word)
    few = keys[0]
    imported(tmp_path / "long", SHORT * 8, own_word)
    assert keys[0] - few < 8 * few * 1.5, (few, keys[0] - few)  # linear: 8 times the rows, 8 times the keys


def audit_json(table: Path) -> tuple[int, dict[str, Any]]:
    done = run("audit", "standard/central", table, "--format", "json")
    report: dict[str, Any] = json.loads(done.stdout)
    return done.exit_code, report["tables"][0]


def test_audit_recomputes_a_long_table_in_as_few_rounds_as_a_short_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """150 blank actual values: after six rounds of 20 the audit gave up (未能完整复核, E504 listed)."""
    rounds = counting(monkeypatch, recompute, "scored_or_errors")
    audit_json(table(tmp_path / "short", SHORT, blank))
    few = rounds[0]
    count = (recompute.MAX_ROUNDS + 1) * MAX_REPEATS
    code, audited = audit_json(table(tmp_path / "long", count, blank))
    assert rounds[0] - few == few <= 3, (few, rounds[0] - few)
    assert audited["complete"] and not audited["diagnostics"], audited["diagnostics"][:1]
    codes = [d["code"] for d in audited["discrepancies"]]
    assert codes.count("F159") == count and code == 1


def test_audit_says_every_row_of_a_word_with_differing_shares(tmp_path: Path) -> None:
    code, audited = audit_json(table(tmp_path, LONG, own_word))
    codes = [d["code"] for d in audited["discrepancies"]]
    assert audited["complete"] and codes.count("F180") == LONG and code == 1, sorted(set(codes))


def test_audit_binds_rows_to_indicators_without_comparing_every_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = counting(monkeypatch, rows, "name_key")
    _audited_eight_times_longer(tmp_path, own_word, keys)


def test_scoring_blank_cells_compares_each_place_a_few_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a blank cell was already reported looked through every diagnostic so far (E504 each: n²)."""
    compared = [0]
    equal = Span.__eq__

    def counted(self: Span, other: object) -> bool:
        compared[0] += 1
        return equal(self, other)

    monkeypatch.setattr(Span, "__eq__", counted)
    _audited_eight_times_longer(tmp_path, blank, compared)


def _audited_eight_times_longer(tmp_path: Path, kind: Callable[[int], str], count: list[int]) -> None:
    """Audit a short table, then one eight times as long: `count` (calls counted) grows about eightfold."""
    audit_json(table(tmp_path / "short", SHORT, kind))
    few = count[0]
    audit_json(table(tmp_path / "long", SHORT * 8, kind))
    assert count[0] - few < 8 * few * 1.5, (few, count[0] - few)


def test_a_table_too_large_for_its_ruleset_is_an_error_of_the_audit_at_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit against a policy writes the table's ruleset as the import does: past the limit of a
    ruleset (made small here) it is E724 at the table's row, the table not audited, not a traceback."""
    ruleset = importlib.import_module("jixiao.tools.importer.ruleset")
    monkeypatch.setattr(ruleset, "MAX_RULESET_CHARS", 4000)
    path = table(tmp_path, 200, own_word)
    code, audited = audit_json(path)
    assert code == 1 and not audited["complete"], audited
    (error,) = audited["diagnostics"]
    assert error["code"] == "E724" and 4 < error["span"]["line"] < 203, error
    assert "表太大" in error["message"] and "200 个指标行" in error["message"], error
