"""Rendering scored results: the terminal table, JSON, Markdown."""

from jixiao.render.json import report, to_json
from jixiao.render.table import render_table

__all__ = ["render_table", "report", "to_json"]
