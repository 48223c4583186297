"""`jixiao test`: a problem in a test file is reported at its place in the test file — the key that is
unknown (not its value), the row of `rows:` that names no indicator, the line naming a missing file —
in the language asked for."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml  # type: ignore[import-untyped]
from click.testing import CliRunner, Result
from conftest import SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main
from jixiao.tools.golden.yaml_problems import yaml_problem


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SEED_RULESET, tmp_path / "2020.jx")
    shutil.copy(SEED_ACTUALS, tmp_path / "2020.actuals.csv")
    return tmp_path


def run_tests(folder: Path, text: str, *options: str) -> Result:
    (folder / "2020.test.yaml").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["test", str(folder / "2020.test.yaml"), *options])


def diagnostics(result: Result) -> list[tuple[str, int, int, str | None]]:
    found = json.loads(result.stdout)["diagnostics"]
    return [(d["code"], d["span"]["line"], d["span"]["column"], d["suggestion"]) for d in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "cases:\n  - name: a\n    actuals: 2020.actuals.csv\n    expect: {totl: 1}\n",
            ("E802", 4, 14, "total"),
        ),
        (
            "用例:\n  - 名称: a\n    实际值: 2020.actuals.csv\n    预期: {总份: 1}\n",
            ("E802", 4, 10, "总分"),
        ),
        (
            "cases:\n  - name: a\n    actuals: 2020.actuals.csv\n    expect:\n      scores:\n"
            '        享受补贴人: "20.00"\n',
            ("E803", 6, 9, "享受补贴人数"),
        ),
        (
            '用例:\n  - 名称: a\n    实际值: 2020.actuals.csv\n    预期:\n      得分: {预算执行率: "0.93", 不存在: "1"}\n',
            ("E803", 5, 27, None),
        ),
    ],
    ids=["E802", "E802-zh", "E803", "E803-zh"],
)
def test_an_unknown_key_is_reported_at_the_key(folder: Path, text: str, expected: tuple) -> None:
    """(was: at the column of its value)"""
    result = run_tests(folder, text, "--format", "json")
    assert result.exit_code == 1
    assert diagnostics(result) == [expected]


ROWS_CASE = """cases:
  - name: 行
    actuals: 2020.actuals.csv
    rows:
      - {三级指标: 资金发放及时率, 实际完成值: 100%}
      - {三级指标: NAME, 实际完成值: VALUE}
    expect: {total: "1"}
"""


def _rows(name: str, value: str) -> str:
    return ROWS_CASE.replace("NAME", name).replace("VALUE", value)


def test_a_row_naming_no_indicator_is_e803_at_the_row(folder: Path) -> None:
    """(was: a failure of the case, E503 at `2020.test.yaml#行:13:3`, a place that does not exist)"""
    result = run_tests(folder, _rows("享受补贴认数", "1.0万人"), "--format", "json")
    assert result.exit_code == 1
    assert diagnostics(result) == [("E803", 6, 16, "享受补贴人数")]
    text = run_tests(folder, _rows("享受补贴认数", "1.0万人"))
    assert "2020.test.yaml:6:16: error[E803]" in text.output and "help:" in text.output
    assert "#" not in text.output


def test_a_problem_in_a_row_is_where_the_row_is_written(folder: Path) -> None:
    """The case's rows and the file's rows each keep their own place (was: both at made-up rows of
    `2020.test.yaml#行`)."""
    csv = folder / "2020.actuals.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("约发放人数1.11万人", "abc"), encoding="utf-8")
    text = ROWS_CASE.replace("100%", "def").replace("\n      - {三级指标: NAME, 实际完成值: VALUE}", "")
    out = run_tests(folder, text).output
    assert "2020.test.yaml:5:32: E603" in out  # def, in the test file
    assert "2020.actuals.csv:21:4: E603" in out  # abc, in the file's row the case left as it is
    assert "#" not in out


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        (
            "cases:\n  - name: a\n    actuals: 2020.actuals.cvs\n",
            ("E105", 3, 14, "2020.actuals.csv"),
            "测试文件中写的「2020.actuals.cvs」不存在",
        ),
        (
            "用例:\n  - 名称: a\n    实际值: sub\n",
            ("E105", 3, 10, None),
            "测试文件中写的「sub」是文件夹，不是文件",
        ),
        (
            "ruleset: sub/2021.jx\ncases:\n  - name: a\n    actuals: 2020.actuals.csv\n",
            ("E105", 1, 10, "sub/2020.jx"),
            "测试文件中写的「sub/2021.jx」不存在",
        ),
    ],
    ids=["actuals", "folder", "ruleset"],
)
def test_a_missing_file_is_reported_where_the_test_file_names_it(
    folder: Path, text: str, expected: tuple, reason: str
) -> None:
    """(was: `2020.actuals.cvs:1:1: E105 无法读取文件：文件不存在`, not saying which test file named it)"""
    (folder / "sub").mkdir()
    shutil.copy(SEED_RULESET, folder / "sub" / "2020.jx")
    result = run_tests(folder, text, "--format", "json")
    assert result.exit_code == 1
    assert diagnostics(result) == [expected]
    assert reason in json.loads(result.stdout)["diagnostics"][0]["message"]


def test_a_missing_ruleset_beside_the_test_file_is_reported_at_the_test_file(folder: Path) -> None:
    (folder / "2020.jx").unlink()
    result = run_tests(folder, "cases:\n  - name: a\n    actuals: 2020.actuals.csv\n", "--lang", "en")
    assert result.exit_code == 1
    assert "2020.test.yaml:1:1: error[E105]" in result.output
    assert (
        "the test file names no ruleset:, so it tests “2020.jx” beside it, which does not exist"
        in result.output
    )


@pytest.mark.parametrize(
    ("text", "where", "zh", "en"),
    [
        (
            'cases:\n  - name: "a\n',
            (3, 1),
            "读引号中的文字时（从第 2 行第 11 列开始）：文件在这里就结束了",
            "found unexpected end of stream",
        ),
        (
            "cases:\n\t- name: a\n",
            (2, 1),
            "这里不能以制表符开头",
            "found character '\\t' that cannot start any token",
        ),
        (
            "cases:\n  - name: a: b\n",
            (2, 12),
            "这里不能再有「键: 值」",
            "mapping values are not allowed here",
        ),
        ("cases:\n  - name: a\n   actuals: b\n", (3, 4), "缩进不对", "expected <block end>, but found"),
        ("cases:\n  - {name: a b: c}\n", (2, 15), "却是冒号「:」", "expected ',' or '}', but got ':'"),
        ("cases:\n  - name: a\x07\n", (2, 12), "控制字符", "special characters are not allowed"),
    ],
    ids=["end", "tab", "colon", "indent", "flow", "control"],
)
def test_malformed_yaml_says_why_in_the_language_asked_for(
    folder: Path, text: str, where: tuple[int, int], zh: str, en: str
) -> None:
    """(was: PyYAML's English, "found unexpected end of stream", inside the Chinese message)"""
    chinese = json.loads(run_tests(folder, text, "--format", "json").stdout)["diagnostics"]
    english = json.loads(run_tests(folder, text, "--format", "json", "--lang", "en").stdout)["diagnostics"]
    assert [(d["code"], d["span"]["line"], d["span"]["column"]) for d in chinese] == [("E801", *where)]
    assert zh in chinese[0]["message"] and not re.search(r"[a-z]{3,}", chinese[0]["message"])
    assert en in english[0]["message"] and english[0]["span"] == chinese[0]["span"]


def test_every_problem_pyyaml_reports_has_chinese_words() -> None:
    """Each problem text in PyYAML's scanner, parser, reader and composer has Chinese words (an alias or
    an anchor is refused before, as E909; duplicate keys are E805; "found duplicate key" is a comment)."""
    folder = Path(yaml.__file__).parent
    texts = set()
    for name in ("scanner.py", "parser.py", "reader.py", "composer.py"):
        source = (folder / name).read_text(encoding="utf-8")
        texts |= set(
            re.findall(
                r'"((?:expected|found|could not|mapping|sequence|invalid|special|but found)[^"]*)"', source
            )
        )
    texts -= {
        "found undefined alias %r",
        "found duplicate anchor %r; first occurrence",
        "found duplicate key",
    }
    assert len(texts) > 30
    for text in sorted(texts):
        problem = text.replace("%r", "'x'").replace("%d", "4").replace("%s", "x")
        zh, _ = yaml_problem(SimpleNamespace(problem=problem))
        assert zh != "YAML 的写法有误", text


def test_a_case_s_failures_are_in_the_order_of_the_file(folder: Path) -> None:
    """A score (line 9) failed after the findings (line 10): findings were compared before scores."""
    text = (
        "cases:\n  - name: 原表\n    actuals: 2020.actuals.csv\n    expect:\n"
        '      total: "99.30"\n      grade: 良\n      budget: "9.38"\n      scores:\n'
        '        预算执行率: "0.94"\n      findings: [F101]\n'
    )
    out = run_tests(folder, text).output
    lines = [int(n) for n in re.findall(r"2020\.test\.yaml:(\d+): ", out)]
    assert lines == [5, 6, 9, 10], out


def test_a_structure_problem_names_the_case_from_1(folder: Path) -> None:
    """`cases.1.expcet` (0-based) is the second case: said with its number from 1 and its name."""
    text = (
        "cases:\n  - name: 甲\n    actuals: 2020.actuals.csv\n"
        "  - name: 乙\n    actuals: 2020.actuals.csv\n    expcet: {total: '1'}\n"
    )
    result = run_tests(folder, text)
    assert "2020.test.yaml:6:5: error[E802]: 测试文件第 2 个用例「乙」中「expcet」：" in result.output
    assert "cases.1" not in result.output
    result = run_tests(folder, text, "--lang", "en")
    assert "in the test file, case 2 “乙”, at “expcet”: " in result.output


def test_an_unknown_code_is_reported_at_the_code(folder: Path) -> None:
    """`findings: [F999]` only failed as a mismatch, and `--update` replaced it without a word (E807)."""
    text = (
        "cases:\n  - name: a\n    actuals: 2020.actuals.csv\n    expect:\n      findings:\n"
        "        - F107\n        - F999   # 不存在\n      errors: [E5111, F101]\n"
    )
    result = run_tests(folder, text, "--format", "json")
    assert result.exit_code == 1
    assert diagnostics(result) == [("E807", 7, 11, None), ("E807", 8, 16, None), ("E807", 8, 23, None)]
    result = run_tests(folder, text, "--update")
    assert result.exit_code == 1 and "已更新 0 个期望值" in result.output
    assert "测试文件中的代码「F999」：没有这个复核提示代码" in result.output
    assert "「F101」：这是复核提示代码，不是错误代码" in result.output
    assert (folder / "2020.test.yaml").read_text(encoding="utf-8") == text
    result = run_tests(folder, text.replace("F999", "E511"), "--lang", "en")
    assert "the code “E511” in the test file: an error code, not a finding code" in result.output


def test_a_test_file_that_is_no_mapping_is_named_the_test_file(folder: Path) -> None:
    """A list or a number as the whole file said 「测试文件中「/」：应为映射」: `/` is no key anyone wrote."""
    for text in ("- 1\n- 2\n", "42\n"):
        result = run_tests(folder, text)
        assert "error[E802]: 测试文件：" in result.output, result.output
        assert "「/」" not in result.output
        english = run_tests(folder, text, "--lang", "en")
        assert "error[E802]: in the test file: " in english.output, english.output
