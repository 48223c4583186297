"""Delimited text: CSV (comma) and tab-separated text ("Unicode 文本"), already decoded, into a `Grid`.

The separator is the one the first non-blank line uses most (tab or comma). Records may span lines
(quoted line breaks); each row is numbered by the line it starts on. The csv module's own errors and
over-long cells become E514 at the record.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from jixiao.diagnostics import Excerpt, JixiaoError, Span
from jixiao.io.actuals.grid import Grid, Row

MAX_CELL = 100_000  # characters; a longer cell is not an actual value


def read_delimited(text: str, path: str, separator: str | None = None) -> Grid:
    """The rows of CSV or tab-separated text."""
    sep = separator or sniff_separator(text)
    return Grid(
        path, list(delimited_rows(text, path, sep)), separator=sep, format="tsv" if sep == "\t" else "csv"
    )


def delimited_rows(text: str, path: str, sep: str) -> Iterator[Row]:
    """The rows of CSV or tab-separated text one by one, as `read_delimited` reads them (E514 where it
    raises it): a caller that looks at each row once holds none of them (`reading.refuse_headerless`)."""
    reader = csv.reader(_lines(text), delimiter=sep)
    previous = 0
    try:
        for cells in reader:
            long = next((i for i, cell in enumerate(cells) if len(cell) > MAX_CELL), None)
            if long is not None:
                raise _too_long(path, text, previous + 1, sep, long)
            yield Row(previous + 1, tuple(cells))
            previous = reader.line_num
    except csv.Error as exc:
        if FIELD_LIMIT in str(exc):  # the csv module's own limit (131,072 characters) is past ours
            raise _too_long(path, text, previous + 1, sep, None) from None
        raise _malformed(
            path, text, previous + 1, (f"CSV 格式错误：{exc}", f"malformed CSV: {exc}")
        ) from None


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their \\n, as `io.StringIO(text)` gives them, without its copy of the text."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def sniff_separator(text: str) -> str:
    return separator_of(text.split("\n", 50)[:50])


def separator_of(lines: list[str]) -> str:
    """Tab or comma: the one the first of the first 50 lines that has either uses most (a title or
    `项目名称：某项目` above a tab-separated header has neither: the header decides)."""
    return line_separator(next((line for line in lines[:50] if has_separator(line)), ""))


def has_separator(line: str) -> bool:
    return "\t" in line or "," in line


def line_separator(line: str) -> str:
    """Tab or comma: the one `line` uses more (a comma when as many)."""
    return "\t" if line.count("\t") > line.count(",") else ","


def _too_long(path: str, text: str, line: int, sep: str, index: int | None) -> JixiaoError:
    """E514 at the cell longer than MAX_CELL (the `index`th of the record starting on `line`; None: the
    first raw field that long), positioned at its first character."""
    reason = (f"单元格超过 {MAX_CELL} 个字符", f"a cell longer than {MAX_CELL} characters")
    fields = _raw_fields(text, line, sep)
    if index is None:
        index = next((i for i, (start, end) in enumerate(fields) if end - start > MAX_CELL), None)
    if index is None or index >= len(fields):
        return _malformed(path, text, line, reason)
    start = fields[index][0]
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    at = line + text.count("\n", fields[0][0], start)
    excerpt = Excerpt(tuple(text[a:b] for a, b in fields), index, sep)
    return JixiaoError.single("E514", Span(path, at, column, excerpt=excerpt), line=line, reason=reason)


FIELD_LIMIT = "field larger than field limit"
_QUOTE = '"'


def _raw_fields(text: str, line: int, sep: str) -> list[tuple[int, int]]:
    """The fields of the record starting on `line` as (start, end) offsets into `text`, quotes included:
    separators and line ends inside quotes belong to the field. Linear: `find` jumps between the
    characters that matter."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return []
    special = re.compile(f'["\\n{re.escape(sep)}]')
    fields: list[tuple[int, int]] = []
    field, at = start, start
    while True:
        found = special.search(text, at)
        if found is None:
            break
        at, char = found.start(), found.group()
        if char == _QUOTE:  # to the closing quote ("" inside is an escaped quote: found again next)
            close = text.find(_QUOTE, at + 1)
            if close < 0:
                at = len(text)
                break
            at = close + 1
            continue
        if char == "\n":
            break
        fields.append((field, at))
        field = at = at + 1
    fields.append((field, at if at <= len(text) else len(text)))
    return fields


def _malformed(path: str, text: str, line: int, reason: tuple[str, str]) -> JixiaoError:
    lines = text.split("\n", line)
    excerpt = Excerpt((lines[line - 1] if line <= len(lines) else "",), 0, "")
    return JixiaoError.single("E514", Span(path, line, 1, excerpt=excerpt), line=line, reason=reason)
