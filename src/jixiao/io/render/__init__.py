"""Rendering scored results: the terminal table, Markdown, JSON, explanations, CSV, xlsx, HTML.

`render_result` is the one dispatch from a format's name to its writer; every format but "xlsx" is text.
Each writer is a module of this package with a `render(result, fmt, lang)`, imported when its format is
first asked for (`writer`): printing a table does not load the xlsx writer, nor the JSON report model
(pydantic), nor the explanations (docs/performance.md, "启动 / Start").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Literal

from jixiao.engine.results import Result
from jixiao.messages import Lang

TextFormat = Literal["table", "markdown", "json", "explain", "explain-json", "csv", "html"]
Format = TextFormat | Literal["xlsx"]
FORMATS: tuple[str, ...] = ("table", "markdown", "json", "explain", "explain-json", "csv", "html", "xlsx")
# Each format's writer: a module of this package (a name of ours, never a user's text).
WRITERS: dict[str, str] = {
    "table": "table",
    "markdown": "table",
    "json": "json",
    "explain-json": "json",
    "explain": "explain",
    "csv": "csv",
    "html": "html",
    "xlsx": "xlsx",
}

__all__ = ["FORMATS", "WRITERS", "Format", "TextFormat", "render_result", "writer"]


def writer(name: str) -> ModuleType:
    """The writer module `name` of this package ("table", "json", "xlsx"…), imported when first asked for."""
    if name not in WRITERS.values():
        raise ValueError(name)
    return importlib.import_module(f"{__name__}.{name}")


def render_result(result: Result, fmt: Format = "table", lang: Lang = "zh") -> str | bytes:
    """A result in one format: text for all but "xlsx", which is the bytes of a workbook."""
    render: Callable[[Result, str, Lang], str | bytes] = writer(WRITERS.get(fmt, "table")).render
    return render(result, fmt, lang)
