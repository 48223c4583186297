"""Scored results as files to download: one project, or a batch (a summary, then every project), in the
formats of `jixiao score --format` — xlsx in the official layout, CSV (UTF-8 with a BOM, as Excel opens
it), HTML, JSON, Markdown, the text table, an explanation — written by the same writers as the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from jixiao.diagnostics import JixiaoError
from jixiao.io.batch import Outcome
from jixiao.io.render import render_result
from jixiao.io.render.csv import encode_text
from jixiao.io.render.layout import label
from jixiao.io.render.summary import EXTENSIONS, batch_document, file_names
from jixiao.messages import Lang
from jixiao.web.models import OutputFormat

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "markdown": "text/markdown; charset=utf-8",
    "table": "text/plain; charset=utf-8",
    "explain": "text/plain; charset=utf-8",
    "explain-json": "application/json",
}
BATCH_FORMATS = tuple(EXTENSIONS)  # a batch document has no explanation-only formats


@dataclass(frozen=True)
class File:
    data: bytes
    filename: str
    media_type: str

    def disposition(self) -> str:
        """Content-Disposition naming the file, readable by old browsers (ASCII) and new (UTF-8)."""
        plain = self.filename if self.filename.isascii() else "jixiao" + PurePosixPath(self.filename).suffix
        return f"attachment; filename={quote(plain)}; filename*=UTF-8''{quote(self.filename)}"


def download(outcomes: Sequence[Outcome], fmt: OutputFormat, lang: Lang) -> File:
    """One project's result as a file; several projects as one batch document."""
    if len(outcomes) == 1 and outcomes[0].result is not None:
        outcome = outcomes[0]
        assert outcome.result is not None
        content = render_result(outcome.result, fmt, lang)
        name = outcome.result.project or outcome.project.name
    elif len(outcomes) == 1:
        raise JixiaoError(list(outcomes[0].diagnostics))
    else:
        if fmt not in BATCH_FORMATS:
            raise JixiaoError.single(
                "E971", None, where="format", problem=f"one of {', '.join(BATCH_FORMATS)}"
            )
        content = batch_document(outcomes, fmt, lang)
        name = label("batch_title", lang)
    data = content if isinstance(content, bytes) else encode_text(content, fmt, None)
    extension = EXTENSIONS.get(fmt, "txt" if fmt == "explain" else "json")
    (filename,) = file_names([name], extension)
    return File(data, filename, MEDIA_TYPES[fmt])
