"""Outputs cannot be used against their reader (issue 12): control characters, forged rows, markup, formulas.

The case tests/cases/render/hostile-text holds notes with terminal escapes (colour, OSC 8 link, BEL),
a line break followed by a forged total row, Markdown/HTML injection and a spreadsheet formula.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from click.testing import CliRunner
from conftest import CASES
from hypothesis import given
from hypothesis import strategies as st

import jixiao
from jixiao.cli import main
from jixiao.diagnostics import Diagnostic, Span, printable, render_diagnostic
from jixiao.io.render import safe

HOSTILE = CASES / "render" / "hostile-text"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile() -> jixiao.Result:
    return jixiao.load_ruleset(HOSTILE / "ruleset.jx").score(jixiao.load_actuals(HOSTILE / "actuals.csv"))


def score(*options: str) -> str:
    run = CliRunner().invoke(
        main, ["score", str(HOSTILE / "ruleset.jx"), str(HOSTILE / "actuals.csv"), *options]
    )
    assert run.exit_code == 0, run.output
    return run.stdout


def test_the_terminal_table_has_no_control_characters_and_no_forged_total() -> None:
    table = score()
    assert not CONTROL.search(table), repr(CONTROL.search(table))
    assert "红字" in table and "点我" in table  # the text stays, its escapes go
    totals = [line for line in table.splitlines() if line.startswith("总分值")]
    assert totals == ["总分值 100.00    总得分 86.68    等级 良"]


def test_the_explanation_has_no_control_characters() -> None:
    text = score("--explain")
    assert not CONTROL.search(text)
    assert not any(line.startswith("总分值 100.00    总得分 100.00") for line in text.splitlines())


def test_markdown_escapes_markup_and_cannot_gain_rows() -> None:
    text = score("--format", "markdown")
    assert not CONTROL.search(text)
    assert "<img" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "javascript:" in text and not re.search(r"(?<!\\)\]\(", text)  # written as \[链接\](…)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    body = [line for line in rows if "数量指标" in line or "社会效益" in line or line.startswith("|  ")]
    assert len(body) == 3, body  # three indicators, no forged "| 伪造 | 行 |" row
    assert all(line.count("|") - line.count("\\|") == 9 for line in body), body  # 8 cells each


def test_diagnostics_echo_no_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "x.jx"
    path.write_text('项目 "x\x1b[2J" {\n  甲\x07 目标 ≥1个 分值 100\n}\n', encoding="utf-8")
    diag = Diagnostic("E503", Span(str(path), 2, 3, 2, 5), {"name": "甲\x1b]8;;http://x\x07\n假行"})
    text = render_diagnostic(diag)
    assert not CONTROL.search(text), repr(text)
    header, excerpt, caret, *_ = text.splitlines()
    assert header.startswith(f"{path}:2:3: error[E503]") and "假行" in header  # still one line
    assert excerpt == " 2 |   甲 目标 ≥1个 分值 100"
    assert caret == "   |   ^^"  # under 甲 (two columns wide; the BEL after it is gone)


@given(st.text())
def test_html_text_escapes_each_line_as_html_escape_does(text: str) -> None:
    """`safe.html_text` escapes in one pass, without importing `html` (its entity table) at start-up."""
    lines = printable(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert safe.html_text(text) == "<br>".join(html.escape(line, quote=True) for line in lines)


@given(st.text(alphabet=st.sampled_from("甲a\t\n\r \x1b1"), max_size=30))
def test_a_terminal_cell_has_no_tab_or_line_break(text: str) -> None:
    """A tab in a cell (a 项目名称 typed with Tab in the official layout) broke the summary's columns."""
    cell = safe.terminal(text)
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell and "\x1b" not in cell
    assert cell.replace(" ", "") == re.sub(r"[\t\n\r \x1b]", "", text)
