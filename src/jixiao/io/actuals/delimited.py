"""Delimited text: CSV (comma) and tab-separated text ("Unicode 文本"), already decoded, into a `Grid`.

The separator is the one the first non-blank line uses most (tab or comma). Records may span lines
(quoted line breaks); each row is numbered by the line it starts on. The csv module's own errors and
over-long cells become E514 at the record.
"""

from __future__ import annotations

import csv
import io

from jixiao.diagnostics import Excerpt, JixiaoError, Span
from jixiao.io.actuals.grid import Grid, Row

MAX_CELL = 100_000  # characters; a longer cell is not an actual value


def read_delimited(text: str, path: str, separator: str | None = None) -> Grid:
    """The rows of CSV or tab-separated text."""
    sep = separator or sniff_separator(text)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows: list[Row] = []
    previous = 0
    try:
        for cells in reader:
            if any(len(cell) > MAX_CELL for cell in cells):
                reason = (f"单元格超过 {MAX_CELL} 个字符", f"a cell longer than {MAX_CELL} characters")
                raise _malformed(path, text, previous + 1, reason)
            rows.append(Row(previous + 1, tuple(cells)))
            previous = reader.line_num
    except csv.Error as exc:
        raise _malformed(
            path, text, previous + 1, (f"CSV 格式错误：{exc}", f"malformed CSV: {exc}")
        ) from None
    return Grid(path, rows, separator=sep, format="tsv" if sep == "\t" else "csv")


def sniff_separator(text: str) -> str:
    return separator_of(text.split("\n", 50)[:50])


def separator_of(lines: list[str]) -> str:
    """Tab or comma: the one the first non-blank of the first 50 lines uses most."""
    return line_separator(next((line for line in lines[:50] if line.strip()), ""))


def line_separator(line: str) -> str:
    """Tab or comma: the one `line` uses more (a comma when as many)."""
    return "\t" if line.count("\t") > line.count(",") else ","


def _malformed(path: str, text: str, line: int, reason: tuple[str, str]) -> JixiaoError:
    lines = text.split("\n", line)
    excerpt = Excerpt((lines[line - 1] if line <= len(lines) else "",), 0, "")
    return JixiaoError.single("E514", Span(path, line, 1, excerpt=excerpt), line=line, reason=reason)
