"""Rendering scored results: the terminal table, JSON, Markdown."""

from jixiao.io.render.json import report, to_json
from jixiao.io.render.table import render_table

__all__ = ["render_table", "report", "to_json"]
