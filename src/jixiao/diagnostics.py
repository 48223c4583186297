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
import re
import threading
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import get_args

from jixiao.limits import MAX_REPEATS
from jixiao.messages import Lang, current_lang, message

LANGS: tuple[str, ...] = get_args(Lang)  # the languages messages are written in


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, eq=False)
class Excerpt:
    """A row of a table as the user wrote it: its cells, the one a diagnostic means, the separator."""

    cells: tuple[str, ...]
    index: int | None = None  # None: the whole row
    separator: str = ","
    hidden: bool = False  # the row is hidden in its sheet: the message says so (the user does not see it)

    MAX_CELL = 40  # other cells are shortened to this many characters; the one meant to 80
    WIDE = 200  # a row shown longer than this is cut to SHOWN characters around the meant cell
    SHOWN = 160

    def render(self) -> tuple[str, int, int]:
        """(line, start, end): the row as one line, cut to SHOWN characters around the meant cell when
        longer than WIDE, and where the meant cell is in it (0-based). The row's cells are laid out once
        however many diagnostics show it (5 000 unknown columns in a header were 25 million to print)."""
        layout = _layout(self.cells, self.separator)
        index = self.index if self.index is not None and self.index < len(self.cells) else None
        if index is None:
            return layout.window(0, self.SHOWN if layout.length > self.WIDE else layout.length), 0, 0
        meant = _shown(self.cells[index], 2 * self.MAX_CELL, self.separator)
        start, end = layout.starts[index], layout.starts[index] + max(len(meant), 1)
        length = layout.length + len(meant) - len(layout.parts[index])
        if length <= self.WIDE:
            return layout.window(0, length, index, meant), start, end
        cut = max(start - 60, 0)
        return layout.window(cut, self.SHOWN, index, meant), start - cut, min(end - cut, self.SHOWN)


class _Layout:
    """A row's cells as shown (each at most MAX_CELL characters) and where each starts in the line."""

    def __init__(self, cells: tuple[str, ...], separator: str) -> None:
        self.separator = separator
        self.parts = [_shown(cell, Excerpt.MAX_CELL, separator) for cell in cells]
        self.starts = list(accumulate((len(p) + len(separator) for p in self.parts[:-1]), initial=0))
        self.length = self.starts[-1] + len(self.parts[-1]) if self.parts else 0

    def window(self, cut: int, width: int, index: int | None = None, meant: str = "") -> str:
        """`width` characters of the line from `cut`, cell `index` shown as `meant` (its start ≥ `cut`):
        only the cells in the window are joined."""
        j = max(bisect_right(self.starts, cut) - 1, 0)
        first = at = self.starts[j]
        pieces = []
        while j < len(self.parts) and at < cut + width + len(self.separator):
            pieces.append(meant if j == index else self.parts[j])
            at += len(pieces[-1]) + len(self.separator)
            j += 1
        return self.separator.join(pieces)[cut - first : cut - first + width]


_LAYOUTS: dict[tuple[int, str], tuple[tuple[str, ...], _Layout]] = {}
_LAYOUTS_LOCK = threading.Lock()


def _layout(cells: tuple[str, ...], separator: str) -> _Layout:
    """The layout of a row, kept for the last few rows shown: a row's diagnostics come one after another."""
    key = (id(cells), separator)
    with _LAYOUTS_LOCK:
        kept = _LAYOUTS.get(key)
        if kept is not None and kept[0] is cells:
            return kept[1]
    layout = _Layout(cells, separator)
    with _LAYOUTS_LOCK:
        while len(_LAYOUTS) >= 8:
            del _LAYOUTS[next(iter(_LAYOUTS))]
        _LAYOUTS[key] = (cells, layout)
    return layout


def _shown(cell: str, limit: int, separator: str) -> str:
    """A cell as the excerpt shows it: one line, at most `limit` characters, quoted as CSV when needed."""
    text = "".join(ch if ch.isprintable() else "⏎" if ch == "\n" else " " for ch in cell[:limit])
    if len(cell) > limit:
        text = text[: limit - 1] + "…"
    if separator == "," and ("," in text or '"' in text):
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
    whole: bool = False  # the path as a whole (`of_path`): no line or column is meant, none is shown

    @classmethod
    def of_path(cls, path: str) -> Span:
        """The whole of a path: a folder, or a file that is missing or not read as lines (E105, E703, E708).
        It has no line: it is shown as `path:`, and JSON gives its `line` and `column` as null; the 1s it
        holds only sort it before the places inside the same path."""
        return cls(path, 1, 1, excerpt=NO_EXCERPT, whole=True)

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
    more: int = 0  # problems of the same code in the same file left out after this one (`capped`)

    def message(self, lang: Lang = "zh") -> str:
        return message(self.code, lang, self.args)

    def help(self, lang: Lang = "zh") -> str | None:
        text = message(self.code, lang, self.args, part="help")
        if self.suggestion is not None:
            hint = message("did-you-mean", lang, {"name": self.suggestion})
            text = f"{hint} {text}" if text else hint
        if self.more:
            left_out = message("more-like-it", lang, {"count": self.more, "code": self.code})
            text = f"{text} {left_out}" if text.strip() else left_out
        return text.strip() or None


def capped(diagnostics: Sequence[Diagnostic], limit: int | None = None) -> list[Diagnostic]:
    """Sorted diagnostics with at most `limit` of one code in one file: the first ones by position; the
    last one kept says how many more were left out (`more`). 100 000 unknown columns or unreadable cells
    are 20 messages and "… and 99 980 more like it", not 100 000 (docs/security.md). Capping again, or
    capping diagnostics already capped and joined, keeps the count of those left out."""
    limit = MAX_REPEATS if limit is None else limit
    ordered = sorted_diagnostics(diagnostics)
    seen: dict[tuple[str | None, str], int] = {}
    for diag in ordered:
        key = (diag.span.path if diag.span else None, diag.code)
        seen[key] = seen.get(key, 0) + 1
    if all(count <= limit for count in seen.values()):
        return ordered
    totals: dict[tuple[str | None, str], int] = {}
    for diag in ordered:
        key = (diag.span.path if diag.span else None, diag.code)
        totals[key] = totals.get(key, 0) + 1 + diag.more
    kept: list[Diagnostic] = []
    shown: dict[tuple[str | None, str], int] = {}
    for diag in ordered:
        key = (diag.span.path if diag.span else None, diag.code)
        if seen[key] <= limit:
            kept.append(diag)
            continue
        at = shown.get(key, 0)
        if at < limit:
            shown[key] = at + 1
            more = totals[key] - limit if at == limit - 1 else 0
            kept.append(replace(diag, more=more) if more != diag.more else diag)
    return kept


class SourceTypeError(TypeError):
    """An argument of a type the API does not accept (a programming error of the caller)."""


class ChoiceError(SourceTypeError, ValueError):
    """A value that is none of those its `Literal` type lists (an unknown format, language, backend): a
    `TypeError` as docs/api.md promises, and a `ValueError` as Python's own functions raise for a value."""


def choice(value: object, allowed: Collection[str], what: str) -> None:
    """`ChoiceError` unless `value` is one of `allowed` (exactly: "JSON" is not "json")."""
    if not isinstance(value, str) or value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise ChoiceError(f"{what} is one of {listed}, not {value!r}")


_SPACE = {"zh": "", "en": " "}  # before "（该文件另有 …）" / "(and N more …)"


class JixiaoError(Exception):
    """The project's one exception type: a non-empty list of diagnostics.

    `str(error)` is one line per diagnostic (`path:line:col: error[E506]: message`) in the language
    `messages.current_lang()` chooses when it is shown (JIXIAO_LANG, else the locale, else Chinese, as
    the CLI); `error.text("en")` picks one. `error.diagnostics` holds the structured diagnostics.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        listed = list(diagnostics) if not isinstance(diagnostics, str | bytes) else [diagnostics]
        if not all(isinstance(d, Diagnostic) for d in listed):
            raise TypeError(
                "JixiaoError takes a list of Diagnostic; JixiaoError.single(code, span, …) makes one"
            )
        if not listed:  # an error that says nothing: no message, no code, no place
            raise ValueError(
                "JixiaoError needs at least one Diagnostic; JixiaoError.single(code, span, …) makes one"
            )
        self.diagnostics = capped(listed)  # sorted, at most MAX_REPEATS of one code in one file
        # texts of the files the diagnostics point into, as read (render with them: a name given to text,
        # or a packaged `jixiao:rulesets/…` name, is not a file on disk to read the excerpt from)
        self.sources: dict[str, str] = {}
        super().__init__(self.diagnostics)

    def text(self, lang: Lang | None = None) -> str:
        """One line per diagnostic: where, severity and code, message (and how many like it were left out:
        at most `MAX_REPEATS` of one code per file are kept, `Diagnostic.more`)."""
        if lang is not None:
            choice(lang, LANGS, "lang")  # "fr" is an error, not English
        chosen = current_lang() if lang is None else lang
        lines = [
            f"{_where(d.span, chosen)}{d.severity.value}[{d.code}]: {d.message(chosen)}"
            + (
                _SPACE[chosen] + message("more-like-it", chosen, {"count": d.more, "code": d.code})
                if d.more
                else ""
            )
            for d in self.diagnostics
        ]
        return "\n".join(lines) or "jixiao error"

    def __str__(self) -> str:
        return self.text()

    def __reduce__(self) -> tuple[type[JixiaoError], tuple[list[Diagnostic]], dict[str, object]]:
        return (type(self), (self.diagnostics,), {"sources": self.sources})

    @classmethod
    def single(
        cls,
        code: str,
        span: Span | None,
        suggestion: str | None = None,
        **args: object,
    ) -> JixiaoError:
        return cls([Diagnostic(code, span, dict(args), suggestion=suggestion)])


# Characters a terminal acts on instead of showing: C0 controls but tab and line feed (ESC starts colour
# and OSC 8 link sequences, BEL rings, CR overwrites the line), DEL, C1 controls (CSI), bidi overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")


def printable(text: str) -> str:
    """`text` without the control characters a terminal would act on; tabs and line feeds stay."""
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """`text` on one line: line breaks become spaces (a cell or a message cannot start a line of its own)."""
    return printable(_BREAKS.sub(" ", text))


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.span.sort_key() if d.span else ("", 0, 0))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def render_diagnostic(diag: Diagnostic, lang: Lang = "zh", sources: dict[str, str] | None = None) -> str:
    """Render one diagnostic: header line, source excerpt with caret, help."""
    label = diag.severity.value
    where = _where(diag.span, lang)
    lines = [one_line(f"{where}{label}[{diag.code}]: {diag.message(lang)}")]
    if diag.span is not None and diag.span.excerpt is not None:
        lines.extend(_row_excerpt(diag.span, diag.span.excerpt))
    elif diag.span is not None and _is_text_file(diag.span):
        source_lines = _source_lines(diag.span.path, sources)
        if source_lines is not None:
            lines.extend(_excerpt(diag.span, source_lines))
    hint = diag.help(lang)
    if hint:
        lines.append(one_line(f"   = help: {hint}"))
    return "\n".join(lines)


def render_all(
    diagnostics: Iterable[Diagnostic], lang: Lang = "zh", sources: dict[str, str] | None = None
) -> str:
    texts = _FileTexts(sources)  # each file read at most once, however many diagnostics it has
    return "\n\n".join(render_diagnostic(d, lang, texts) for d in capped(list(diagnostics)))


class _FileTexts(dict[str, str]):
    """Source texts given, files read from disk on first use, and each text's lines split once."""

    def __init__(self, given: dict[str, str] | None) -> None:
        super().__init__(given or {})
        self.unreadable: set[str] = set()
        self.lines: dict[str, list[str]] = {}


def _source_lines(path: str, sources: dict[str, str] | None) -> list[str] | None:
    """The lines of a file for the excerpt (split once per render when `sources` is a `_FileTexts`)."""
    if isinstance(sources, _FileTexts) and path in sources.lines:
        return sources.lines[path]
    text = _source_text(path, sources)
    if text is None:
        return None
    lines = text.splitlines()
    if isinstance(sources, _FileTexts):
        sources.lines[path] = lines
    return lines


def summary(diagnostics: Iterable[Diagnostic], lang: Lang = "zh") -> str:
    """The line that ends every error output: "3 个错误，1 个警告" / "3 errors, 1 warning"."""
    found = list(diagnostics)  # those left out (`more`) are counted: "100000 个错误", 20 of them shown
    errors = sum(1 + d.more for d in found if d.severity is Severity.ERROR)
    warnings = sum(1 + d.more for d in found) - errors
    if lang == "en":
        return f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}"
    return f"{errors} 个错误，{warnings} 个警告"


def _source_text(path: str, sources: dict[str, str] | None) -> str | None:
    """The text of a file for the excerpt: given, else read from disk (best effort, once per render)."""
    if sources and path in sources:
        return sources[path]
    if isinstance(sources, _FileTexts) and path in sources.unreadable:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except (OSError, ValueError):
        text = None
    if isinstance(sources, _FileTexts):
        if text is None:
            sources.unreadable.add(path)
        else:
            sources[path] = text
    return text


def _is_text_file(span: Span) -> bool:
    """A ruleset's span: its file is re-read for the excerpt. A table's rows carry their own."""
    return span.excerpt is None and span.sheet is None and span.column_name is None


def _where(span: Span | None, lang: Lang) -> str:
    return "" if span is None else span_place(span, lang) + ": "


def span_place(span: Span, lang: Lang) -> str:
    """Where a span is, as a diagnostic's first line says it: `path:line:column` (`path` alone for a whole
    path, `Span.of_path`), and in a table the row (and
    column, sheet, cell name) in words: `2019.xlsx:2:1: 工作表「自评表」第2行 (A2)`."""
    if span.whole:
        return span.path  # a folder or a file as a whole: no line to name
    at = f"{span.path}:{span.line}:{span.column}"
    if span.sheet is None and span.column_name is None:
        return at
    words = message("sheet-at", lang, {"sheet": span.sheet}) if span.sheet is not None else ""
    if span.column_name is not None:
        words += message("table-cell", lang, {"row": span.line, "name": span.column_name})
    else:
        words += message("table-row", lang, {"row": span.line})
    if span.sheet is not None:
        words += f" ({column_letter(span.column)}{span.line})"
    if span.excerpt is not None and span.excerpt.hidden:
        words += message("hidden-row", lang, {"row": span.line})
    return f"{at}: {words}"


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
    line, start, end = excerpt.render()  # a long row cut around the meant cell
    return _caret_lines(span.line, line, start, end - start)


def _excerpt(span: Span, source_lines: list[str]) -> list[str]:
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
    # the caret is placed on the line as shown, without the control characters it may hold
    prefix, marked = printable(line[:start]), printable(line[start : start + width])
    line = prefix + marked + printable(line[start + width :])
    caret_pad = "".join("\t" if ch == "\t" else " " * _cell_width(ch) for ch in prefix)
    carets = "^" * max(1, sum(_cell_width(ch) for ch in marked))
    return [f" {gutter} | {line}", f" {pad} | {caret_pad}{carets}"]


def _cell_width(ch: str) -> int:
    from wcwidth import wcwidth

    w = wcwidth(ch)
    return w if w > 0 else 1
