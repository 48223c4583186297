"""Actual-value files (实际完成值) in every format staff use, read into `ActualsFile`s.

    load_actuals("实际值.xlsx")              # a path (a str is always a path)
    load_actuals(data)                        # bytes, or a binary/text file object
    load_actuals(text="三级指标,实际完成值\\n…")  # text (CSV, tab-separated, YAML or JSON)
    load_actuals(rows=[{"三级指标": …, "实际完成值": …}])

Modules, in reading order: `source.decode_table` (encodings) → `quick` (plain CSV/tab text read
straight into the `ActualsFile` the rest would build, or declined) or `delimited` (CSV/tab text), `xlsx`
(workbooks), `structured` (YAML/JSON) → `grid.Grid` → `reading` (format, layout, projects) →
`table` (the simple layout, one row per indicator) or `official` (the printed 自评表, described by
`layouts/*.yaml`) → `budget` (budget rows and blocks), with the words of `labels.yaml` (`labels`).
Every problem names the file, the sheet, the row and the column, and shows the row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from difflib import get_close_matches
from typing import IO, Any, NoReturn

from jixiao.crash import callers_items, callers_path, mark_callers
from jixiao.diagnostics import JixiaoError, file_span
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.labels import HEADER_HELP, column_labels
from jixiao.io.actuals.quick import read_quick
from jixiao.io.actuals.reading import (
    FORMATS,
    LongReader,
    Options,
    Table,
    looks_like_table,
    read_grid,
    refuse_headerless,
    tables,
    text_format,
    text_grid,
    text_table,
)
from jixiao.source import MAX_INPUT_BYTES, os_reason, read_bytes, too_large

COLUMNS: dict[str, str] = column_labels()

ActualsSource = (
    ActualsFile | str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | IO[str]
    | Iterable[Mapping[str, str]]
)  # fmt: skip

__all__ = [
    "COLUMNS",
    "FORMATS",
    "HEADER_HELP",
    "ActualsSource",
    "Options",
    "collect_actuals",
    "from_grid",
    "from_rows",
    "load_actuals",
    "parse_actuals",
    "read_actuals",
    "read_sheets_of",
]


DEFAULTS = Options()  # nothing forced: most calls


def load_actuals(
    source: ActualsSource | None = None,
    *,
    text: str | None = None,
    rows: Iterable[Mapping[str, str]] | None = None,
    format: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
    sheet: str | None = None,
) -> ActualsFile:
    """One project's actual values; every problem of the file raises together as a `JixiaoError`.

    `source` is a path (`str` or `os.PathLike`), bytes, a binary or text file object, an
    `ActualsFile` (returned as it is) or a list of row dicts; or give `text=` or `rows=` instead.
    `format` forces csv, tsv, xlsx, yaml or json (default: by content and name), `encoding` forces
    the text encoding (default: detected), `name` is the name messages use, `sheet` picks a sheet.
    """
    if (  # the usual call (text= or a source, a name) costs four comparisons, not the checks' dicts
        (text is not None and type(text) is not str)
        or (name is not None and type(name) is not str)
        or rows is not None
        or format is not None
        or encoding is not None
        or sheet is not None
    ):
        _usable(text, rows, {"format": format, "encoding": encoding, "name": name, "sheet": sheet})
    quick = _quick(source, text, rows, format, sheet, name)
    if quick is not None:
        return quick  # the quick reader reads only files without a diagnostic: nothing to raise
    given = format is not None or encoding is not None or sheet is not None
    options = Options(format, encoding, sheet) if given else DEFAULTS
    tried = _quick_reads(source, text, rows, sheet)
    return _checked(_collect(source, text, rows, options, name, quick=not tried))


def _usable(text: object, rows: object, options: dict[str, object]) -> None:
    """E520 for an argument `load_actuals` cannot use: text, format, encoding, name or sheet not a str
    (bytes are given positionally, a sheet by its name), rows not an iterable of dicts (one dict alone)."""
    label = options["name"] if isinstance(options["name"], str) else "<actuals>"
    for key, value in {"text": text, **options}.items():
        if value is not None and not isinstance(value, str):
            _unusable(label, f"{key}={_shown(value)}", type(value).__name__)
    if rows is not None and (isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable)):
        _unusable(label, f"rows={_shown(rows)}", type(rows).__name__)


def _row_unusable(name: str, index: int, row: object) -> NoReturn:
    _unusable(name, f"rows[{index}]={_shown(row)}", type(row).__name__)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _unusable(label: str, given: str, kind: str) -> NoReturn:
    what = (f"{given}（{kind} 类型，不能用于这里）", f"{given} (of type {kind}, which cannot be used here)")
    raise JixiaoError.single("E520", file_span(label), what=what)


def read_actuals(path: str | os.PathLike[str], options: Options | None = None) -> ActualsFile:
    """One project's actual values from a file; problems raise (`load_actuals` for a path)."""
    return _checked(collect_actuals(path, options=options))


def _checked(file: ActualsFile) -> ActualsFile:
    if file.diagnostics:
        raise JixiaoError(file.diagnostics)
    return file


def collect_actuals(
    source: ActualsSource | None = None,
    *,
    text: str | None = None,
    rows: Iterable[Mapping[str, str]] | None = None,
    options: Options | None = None,
    name: str | None = None,
) -> ActualsFile:
    """Like `load_actuals`, but problems in cells stay in the file's `diagnostics` (the evaluator reports
    them with binding and scoring errors: all errors of a file in one run). Header problems raise."""
    fmt, sheet = (options.format, options.sheet) if options else (None, None)
    quick = _quick(source, text, rows, fmt, sheet, name)
    if quick is not None:
        return quick
    tried = _quick_reads(source, text, rows, sheet)
    return _collect(source, text, rows, options, name, quick=not tried)


def _quick_reads(source: object, text: str | None, rows: object, sheet: str | None) -> bool:
    """Whether `_quick` tries the quick reader on these arguments (text alone, no sheet)."""
    return text is not None and source is None and rows is None and sheet is None


def _quick(
    source: object, text: str | None, rows: object, fmt: str | None, sheet: str | None, name: str | None
) -> ActualsFile | None:
    """Plain text read by the quick reader at once (what `_grids` → `text_table` would come to), or None."""
    if text is None or not _quick_reads(source, text, rows, sheet):
        return None
    return read_quick(text, name or "<text>", fmt or text_format(text))


def _collect(
    source: ActualsSource | None,
    text: str | None,
    rows: Iterable[Mapping[str, str]] | None,
    options: Options | None,
    name: str | None,
    quick: bool = True,
) -> ActualsFile:
    """`collect_actuals` through the readers' layers; `quick=False`: text the quick reader declined
    already (`_quick`) goes to the full reader without being tried again."""
    if isinstance(source, ActualsFile):
        return source
    options = options or DEFAULTS
    return _one(_read_tables(_tables(_grids(source, text, rows, options, name, quick), options)))


def _one(found: list[ActualsFile | Unreadable]) -> ActualsFile:
    """The one project read (E521 when a file holds several); a table that could not be read raises."""
    files = [item for item in found if isinstance(item, ActualsFile)]
    for item in found:
        if isinstance(item, Unreadable):
            raise item.error
    if len(files) > 1:
        names = "、".join(f.project or f.sheet or "?" for f in files[:5]) + ("…" if len(files) > 5 else "")
        raise JixiaoError.single("E521", files[0].file_span(), count=len(files), names=names)
    return files[0]


@dataclass(frozen=True)
class Unreadable:
    """A sheet (or file) whose table cannot be read at all, e.g. an unknown column in its header."""

    path: str
    sheet: str | None
    error: JixiaoError


def read_sheets_of(
    source: str | os.PathLike[str] | bytes,
    options: Options | None = None,
    name: str | None = None,
    *,
    long: LongReader | None = None,
) -> list[ActualsFile | Unreadable]:
    """Every project in one file (a path, or its bytes named `name`), for batches: a sheet each (of the
    sheets holding a table), a project column's values, or just the one. A sheet whose header is broken
    does not stop the other sheets; cell problems stay in each file's `diagnostics`. `long` reads a long
    CSV or tab table quickly from the decoded text (io/long_table), or declines."""
    options = options or DEFAULTS
    return _read_tables(_tables(_source_grids(source, options, name, long), options))


def _read_tables(found: list[Table]) -> list[ActualsFile | Unreadable]:
    out: list[ActualsFile | Unreadable] = []
    for grid in found:
        if isinstance(grid, ActualsFile):  # read by the quick reader already
            out.append(grid)
            continue
        try:
            out.extend(read_grid(grid))
        except JixiaoError as exc:
            out.append(Unreadable(grid.path, grid.sheet, exc))
    return out


def parse_actuals(text: str, path: str = "<actuals>") -> ActualsFile:
    """Actual values from text (CSV, tab-separated, YAML or JSON); problems raise."""
    return load_actuals(text=text, name=path)


def from_rows(rows: Iterable[Mapping[str, str]], path: str = "<rows>") -> ActualsFile:
    """Actual values from dicts keyed by column headers (for embedders); problems raise."""
    return load_actuals(rows=rows, name=path)


def from_grid(grid: Grid) -> ActualsFile:
    """Actual values from a grid the caller made (a test file's rows, each cell with its `Place`);
    problems raise."""
    return _checked(_one(_read_tables(_tables([grid], DEFAULTS))))


# -- inputs → grids ----------------------------------------------------------------------------------
def _grids(
    source: object,
    text: str | None,
    rows: Iterable[Mapping[str, str]] | None,
    options: Options,
    name: str | None,
    quick: bool = True,
) -> list[Table]:
    given = [x is not None for x in (source, text, rows)]
    if sum(given) != 1:
        what = (
            ("多个来源（只能给一个）", "several sources (give one)")
            if any(given)
            else ("空的输入", "nothing")
        )
        raise JixiaoError.single("E520", file_span(name or "<actuals>"), what=what)
    if text is not None:
        fmt, label, refuse = options.format or text_format(text), name or "<text>", options.sheet is None
        if quick:
            return [text_table(text, label, fmt, refuse=refuse)]
        if refuse:  # the quick reader declined it already: a text that is no table is refused before its grid
            refuse_headerless(text, label, fmt)
        return [text_grid(text, label, fmt)]
    if rows is not None:
        return [_rows_grid(rows, name or "<rows>")]
    return _source_grids(source, options, name)


def _source_grids(
    source: object, options: Options, name: str | None, long: LongReader | None = None
) -> list[Table]:
    if isinstance(source, str | os.PathLike):
        path = callers_path(source)
        return tables(read_bytes(path), name or str(path), options, long=long)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > MAX_INPUT_BYTES:
            raise too_large(name or "<bytes>", MAX_INPUT_BYTES)
        return tables(data, name or "<bytes>", options, long=long)
    if hasattr(source, "read"):
        return _file_object_grids(source, options, name)
    if isinstance(source, Iterable):
        return [_rows_grid(source, name or "<rows>")]
    what = (f"{type(source).__name__} 类型的对象", f"an object of type {type(source).__name__}")
    raise JixiaoError.single("E520", file_span(name or "<actuals>"), what=what)


def _file_object_grids(handle: Any, options: Options, name: str | None) -> list[Table]:
    label = name or str(getattr(handle, "name", "<file>"))
    try:
        content = handle.read(MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as exc:  # a closed file, a failing disk: E105, as for a ruleset's file
        reason = os_reason(exc) if isinstance(exc, OSError) else (str(exc), str(exc))
        raise JixiaoError.single("E105", file_span(label), reason=reason) from None
    except Exception as exc:  # the caller's read() raised it: theirs, unchanged
        mark_callers(exc)
        raise
    if len(content) > MAX_INPUT_BYTES:
        raise too_large(label, MAX_INPUT_BYTES)
    if isinstance(content, str):
        return [text_table(content, label, options.format or text_format(content))]
    return tables(bytes(content), label, options)


def _rows_grid(rows: Iterable[Mapping[str, str]], name: str) -> Grid:
    """Dict rows as a grid: the header is every key in order, rows numbered as a CSV's lines would be."""
    items = [
        _row(row) if isinstance(row, Mapping) else _row_unusable(name, i, row)
        for i, row in enumerate(callers_items(rows))
    ]
    header = list(dict.fromkeys(_cell(key) for row in items for key in row))
    lines = [Row(1, tuple(header))]
    lines += [Row(i, tuple(_cell(row.get(h)) for h in header)) for i, row in enumerate(items, start=2)]
    return Grid(name, lines, format="rows")


def _row(row: Mapping[str, str]) -> dict[str, str]:
    """A row as a dict; what the caller's mapping raises as it is read is theirs, unchanged."""
    try:
        return dict(row)
    except Exception as exc:
        mark_callers(exc)
        raise


def _cell(value: object) -> str:
    """A cell's text; an int too long for `str` (over 4,300 digits, Python's limit) written out all the
    same, by `Decimal`, for the value reader to refuse as too long (E505), as it would in a file. What
    the `__str__` of the caller's own object raises is theirs."""
    if value is None:
        return ""
    try:
        return str(value)
    except Exception as exc:
        if isinstance(exc, ValueError) and isinstance(value, int):
            return str(Decimal(value))
        mark_callers(exc)  # the caller's object's __str__ raised it: theirs, unchanged
        raise


# -- grids → projects ---------------------------------------------------------------------------------
def _tables(found: list[Table], options: Options) -> list[Table]:
    """The grids to read: the sheet asked for, else every sheet that holds a table (E523: none does)."""
    if options.sheet is not None:
        return [_sheet(found, options.sheet)]
    chosen = (
        [g for g in found if isinstance(g, ActualsFile) or looks_like_table(g)] if len(found) > 1 else found
    )
    if not chosen:
        sheets = "、".join(g.sheet or "?" for g in found) or "—"
        raise JixiaoError.single("E523", file_span(found[0].path if found else "<actuals>"),
                                 sheets=sheets, expected=HEADER_HELP)  # fmt: skip
    return chosen


def _sheet(found: list[Table], sheet: str) -> Table:
    for grid in found:
        if grid.sheet == sheet:
            return grid
    names = [g.sheet for g in found if g.sheet is not None]
    path = found[0].path if found else "<actuals>"
    if not names:  # a CSV, text or YAML: E522 said 「工作簿中没有工作表「x」… 工作表有：—」
        raise JixiaoError.single("E549", file_span(path), sheet=sheet)
    close = get_close_matches(sheet, names, n=1, cutoff=0.4)
    raise JixiaoError.single("E522", file_span(path), close[0] if close else None,
                             sheet=sheet, expected="、".join(names) or "—")  # fmt: skip
