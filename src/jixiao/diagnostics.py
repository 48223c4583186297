"""Diagnostics: every user-facing problem is a coded, positioned `Diagnostic`.

Stages never raise foreign exceptions to the user: they build diagnostics and
raise `JixiaoError`, which carries them. `render_diagnostic` prints one like a
compiler does::

    rulesets/x.jx:12:5: error[E401]: 分值合计 95，应为 100
       12 |     享受补贴人数 目标 ≥1.1万人 分值 15
          |     ^^^^^^^^^^^^
       help: ...
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.messages import Lang, message


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, eq=False)
class Excerpt:
    """A row of a table as the user wrote it: its cells, the one a diagnostic means, the separator."""

    cells: tuple[str, ...]
    index: int | None = None  # None: the whole row
    separator: str = ","

    MAX_CELL = 40  # other cells are shortened to this many characters; the one meant to 80

    def render(self) -> tuple[str, int, int]:
        """(line, start, end): the row as one line, and where the meant cell is in it (0-based)."""
        parts = [self._cell(i, cell) for i, cell in enumerate(self.cells)]
        start = sum(len(p) + len(self.separator) for p in parts[: self.index or 0])
        if self.index is None or self.index >= len(parts):
            return self.separator.join(parts), 0, 0
        return self.separator.join(parts), start, start + max(len(parts[self.index]), 1)

    def _cell(self, index: int, cell: str) -> str:
        text = "".join(ch if ch.isprintable() else "⏎" if ch == "\n" else " " for ch in cell)
        limit = self.MAX_CELL * (2 if index == self.index else 1)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        if self.separator == "," and ("," in text or '"' in text):
            text = '"' + text.replace('"', '""') + '"'
        return text


NO_EXCERPT = Excerpt(())  # a span about a whole file, or bytes that are not text: show no line


def file_span(path: str, line: int = 1, column: int = 1) -> Span:
    """A place in a file whose lines must not be shown (binary, undecodable, or not read as lines)."""
    return Span(path, line, column, excerpt=NO_EXCERPT)


@dataclass(frozen=True)
class Span:
    """A place in a source file: 1-based line and column, end exclusive.

    For tabular inputs (actual-value files) `line` is the row and `column` the
    1-based column index; `column_name` then names the column header, `sheet` the
    worksheet of a workbook, and `excerpt` holds the row as the user wrote it (so an
    error shows the row without reading the file again, in the encoding it was read in).
    """

    path: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    column_name: str | None = None
    sheet: str | None = None
    excerpt: Excerpt | None = field(default=None, compare=False, repr=False)

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.column)


@dataclass(frozen=True)
class Diagnostic:
    """One problem: a code from docs/errors.md, its arguments, and where."""

    code: str
    span: Span | None
    args: dict[str, object] = field(default_factory=dict)
    severity: Severity = Severity.ERROR
    suggestion: str | None = None

    def message(self, lang: Lang = "zh") -> str:
        return message(self.code, lang, self.args)

    def help(self, lang: Lang = "zh") -> str | None:
        text = message(self.code, lang, self.args, part="help")
        if self.suggestion is not None:
            hint = message("did-you-mean", lang, {"name": self.suggestion})
            text = f"{hint} {text}" if text else hint
        return text or None


class JixiaoError(Exception):
    """The project's one exception type: a non-empty list of diagnostics."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted_diagnostics(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        super().__init__(first.message("en") if first else "jixiao error")

    @classmethod
    def single(
        cls,
        code: str,
        span: Span | None,
        suggestion: str | None = None,
        **args: object,
    ) -> JixiaoError:
        return cls([Diagnostic(code, span, dict(args), suggestion=suggestion)])


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.span.sort_key() if d.span else ("", 0, 0))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def render_diagnostic(diag: Diagnostic, lang: Lang = "zh", sources: dict[str, str] | None = None) -> str:
    """Render one diagnostic: header line, source excerpt with caret, help."""
    label = diag.severity.value
    where = _where(diag.span, lang)
    lines = [f"{where}{label}[{diag.code}]: {diag.message(lang)}"]
    text = _source_text(diag.span.path, sources) if diag.span and _is_text_file(diag.span) else None
    if diag.span is not None and diag.span.excerpt is not None:
        lines.extend(_row_excerpt(diag.span, diag.span.excerpt))
    elif diag.span is not None and text is not None and diag.span.column_name is None:
        lines.extend(_excerpt(diag.span, text))
    hint = diag.help(lang)
    if hint:
        lines.append(f"   = help: {hint}")
    return "\n".join(lines)


def render_all(
    diagnostics: Iterable[Diagnostic], lang: Lang = "zh", sources: dict[str, str] | None = None
) -> str:
    return "\n\n".join(render_diagnostic(d, lang, sources) for d in sorted_diagnostics(diagnostics))


def _source_text(path: str, sources: dict[str, str] | None) -> str | None:
    """The text of a file for the excerpt: given, else read from disk (best effort)."""
    if sources and path in sources:
        return sources[path]
    try:
        return Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except (OSError, ValueError):
        return None


def _is_text_file(span: Span) -> bool:
    """A ruleset's span: its file is re-read for the excerpt. A table's rows carry their own."""
    return span.excerpt is None and span.sheet is None and span.column_name is None


def _where(span: Span | None, lang: Lang) -> str:
    if span is None:
        return ""
    place = f"{span.path}:{span.line}:{span.column}: "
    if span.sheet is None and span.column_name is None:
        return place
    words = message("sheet-at", lang, {"sheet": span.sheet}) if span.sheet is not None else ""
    if span.column_name is not None:
        words += message("table-cell", lang, {"row": span.line, "name": span.column_name})
    else:
        words += message("table-row", lang, {"row": span.line})
    if span.sheet is not None:
        words += f" ({column_letter(span.column)}{span.line})"
    return f"{place}{words}: "


def column_letter(column: int) -> str:
    """The spreadsheet name of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _row_excerpt(span: Span, excerpt: Excerpt) -> list[str]:
    if not excerpt.cells:
        return []
    line, start, end = excerpt.render()
    if len(line) > 200:  # keep the meant cell in view
        cut = max(start - 60, 0)
        line, start, end = line[cut : cut + 160], start - cut, min(end - cut, 160)
    return _caret_lines(span.line, line, start, end - start)


def _excerpt(span: Span, text: str) -> list[str]:
    source_lines = text.splitlines()
    if not 1 <= span.line <= len(source_lines):
        return []
    line = source_lines[span.line - 1]
    if len(line) > 200:  # a 1 MB single-line file must not flood the terminal
        start = max(span.column - 60, 0)
        line = line[start : start + 120]
        column = span.column - start
    else:
        column = span.column
    width = 1
    if span.end_line == span.line and span.end_column and span.end_column > span.column:
        width = min(span.end_column - span.column, len(line) - column + 1)
    return _caret_lines(span.line, line, column - 1, width)


def _caret_lines(number: int, line: str, start: int, width: int) -> list[str]:
    """A source line under its number, and carets under `width` characters from `start` (0-based)."""
    gutter = str(number)
    pad = " " * len(gutter)
    prefix = line[:start]
    caret_pad = "".join("\t" if ch == "\t" else " " * _cell_width(ch) for ch in prefix)
    carets = "^" * max(1, sum(_cell_width(ch) for ch in line[start : start + width]))
    return [f" {gutter} | {line}", f" {pad} | {caret_pad}{carets}"]


def _cell_width(ch: str) -> int:
    from wcwidth import wcwidth

    w = wcwidth(ch)
    return w if w > 0 else 1
