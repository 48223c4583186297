"""Rendering scored results: the terminal table, Markdown, JSON, explanations, CSV, xlsx, HTML.

`render_result` is the one dispatch from a format's name to its writer; every format but "xlsx" is text.
"""

from __future__ import annotations

from typing import Literal

from jixiao.engine.results import Result
from jixiao.io.render.csv import render_csv
from jixiao.io.render.explain import explain_text
from jixiao.io.render.html import render_html
from jixiao.io.render.json import report, to_json
from jixiao.io.render.layout import sheet
from jixiao.io.render.table import render_table
from jixiao.io.render.xlsx import workbook
from jixiao.messages import Lang

TextFormat = Literal["table", "markdown", "json", "explain", "explain-json", "csv", "html"]
Format = TextFormat | Literal["xlsx"]
FORMATS: tuple[str, ...] = ("table", "markdown", "json", "explain", "explain-json", "csv", "html", "xlsx")

__all__ = ["FORMATS", "Format", "TextFormat", "render_result", "render_table", "report", "to_json"]


def render_result(result: Result, fmt: Format = "table", lang: Lang = "zh") -> str | bytes:
    """A result in one format: text for all but "xlsx", which is the bytes of a workbook."""
    if fmt == "xlsx":
        return workbook([(result.project, sheet(result, lang))])
    if fmt in ("json", "explain-json"):
        return to_json(result, lang, explain=fmt == "explain-json")
    if fmt == "explain":
        return explain_text(result, lang)
    if fmt == "csv":
        return render_csv(result, lang)
    if fmt == "html":
        return render_html(result, lang)
    return render_table(result, lang, markdown=fmt == "markdown")
