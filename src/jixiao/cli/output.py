"""What score and audit print: text for the console, files (CSV, JSON, HTML, xlsx) as bytes in their own
encoding. Its own module so that the writers are imported only by the commands that write."""

from __future__ import annotations

import click

from jixiao.io.render.csv import encode_text

FILE_FORMATS = ("csv", "json", "html")  # written as bytes in their own encoding, even to a console


def emit(content: str | bytes, fmt: str, encoding: str | None) -> None:
    """Output on stdout. Files in their own encoding whatever the console: CSV (UTF-8 with BOM unless told),
    JSON and HTML (UTF-8), xlsx (bytes); the table and Markdown are text for the console (or as told)."""
    if isinstance(content, str):
        content = content if content.endswith("\n") else content + "\n"
        if fmt in FILE_FORMATS or encoding is not None:
            content = encode_text(content, fmt, encoding)
    click.echo(content, nl=False)
