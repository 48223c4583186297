"""Results → CSV in the 自评表 layout, for Excel/WPS: the same blocks as the printed table, one under another.

Level cells are repeated on every row (a CSV cannot merge cells, and repeated values sort and filter).
Cells that a spreadsheet would take for a formula are neutralised (`safe.spreadsheet`). The text is
returned as `str`; the CLI writes it as UTF-8 with a BOM (so Excel recognises it) unless told otherwise.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from jixiao.engine.results import Result
from jixiao.io.render import safe
from jixiao.io.render.layout import Block, Sheet, label, sheet
from jixiao.messages import Lang

# What `--output-encoding` may name. "gbk" is written as GB18030, its superset: the same bytes for every
# character GBK has, and a character GBK lacks is still written (not replaced by "?").
ENCODINGS: dict[str, str] = {
    "utf-8-sig": "utf-8-sig",
    "utf-8": "utf-8",
    "gbk": "gb18030",
    "gb18030": "gb18030",
}
DEFAULT_ENCODING = "utf-8-sig"


def render(result: Result, fmt: str, lang: Lang) -> str:
    """`render_result` for "csv"."""
    return render_csv(result, lang)


def render_csv(result: Result, lang: Lang = "zh") -> str:
    """One project's scored table as CSV text."""
    return csv_text(sheet_rows(sheet(result, lang)))


def sheet_rows(layout: Sheet) -> list[list[str]]:
    lang = layout.lang
    rows: list[list[str]] = [[layout.title], *([name, value] for name, value in layout.info), []]
    if layout.budget is not None:
        rows += block_rows(layout.budget)
        if layout.budget_note:
            rows.append([label("note", lang), layout.budget_note])
        rows.append([])
    rows += [[label("indicators", lang)], *block_rows(layout.indicators), []]
    rows.append(
        [
            label("total_weight", lang),
            layout.total_weight.text,
            label("total", lang),
            layout.total.text,
            label("grade", lang),
            layout.grade,
        ]
    )
    if layout.findings is not None:
        rows += [[], [label("findings", lang)], *block_rows(layout.findings)]
    return rows


def block_rows(block: Block) -> list[list[str]]:
    return [list(block.header), *([c.text for c in row] for row in block.rows)]


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Rows as CSV (RFC 4180, CRLF), every cell made safe for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([safe.spreadsheet(cell) for cell in row] for row in rows)
    return out.getvalue()


def encode(text: str, encoding: str = DEFAULT_ENCODING) -> bytes:
    """CSV text as the bytes of a file in one of `ENCODINGS`."""
    return text.encode(ENCODINGS[encoding])


def encode_text(text: str, fmt: str, encoding: str | None) -> bytes:
    """Text output as bytes: CSV as UTF-8 with BOM, table/Markdown as UTF-8, unless told; JSON/HTML UTF-8."""
    if fmt == "csv":
        return encode(text, encoding or DEFAULT_ENCODING)
    if fmt in ("table", "markdown") and encoding is not None:
        return encode(text, encoding)
    return text.encode("utf-8")
