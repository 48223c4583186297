"""From bytes to projects: the file's format, its grids, the layout of each grid, one `ActualsFile` each.

A grid is read as the simple layout ("columns": the header on its first non-blank row) or, when a
header is found further down, as the official layout. A simple table with a project column holds
several projects. Header problems raise at once; problems in cells are collected in each file's
`diagnostics` (the caller decides whether to raise them or to report them with scoring errors).
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from jixiao.diagnostics import Diagnostic, JixiaoError, file_span
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals.budget import BudgetReader
from jixiao.io.actuals.delimited import delimited_rows, read_delimited, sniff_separator
from jixiao.io.actuals.grid import Grid, Row
from jixiao.io.actuals.kinds import OLE_MAGIC, ZIP_MAGIC, empty, not_text, refuse_known_kind
from jixiao.io.actuals.labels import HEADER_HELP, shared_vocabulary
from jixiao.io.actuals.official import distinct, find_header, money_units_above, read_official, title
from jixiao.io.actuals.quick import QUICK_FORMATS, read_quick
from jixiao.io.actuals.table import Header, TableReader, header_problems, match_header, no_header
from jixiao.source import decode_table

FORMATS = ("csv", "tsv", "xlsx", "yaml", "json")
# YAML and JSON files are read by this module (yaml, and a pydantic model), imported when one is read:
# a CSV's reading, and `jixiao score` of one, does not load them (docs/performance.md, "启动 / Start").
STRUCTURED = "jixiao.io.actuals.structured"
WORKBOOK = "jixiao.io.actuals.xlsx"  # imported for a workbook only (zipfile, xml.etree)
# .xls, .et and .ods are listed so that a folder's are named, not skipped: E123 says how to save them
SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".txt": "", ".xlsx": "xlsx", ".xlsm": "xlsx", ".yaml": "yaml",
            ".yml": "yaml", ".json": "json", ".xls": "xlsx", ".et": "xlsx", ".ods": "xlsx"}  # fmt: skip


Table = Grid | ActualsFile  # a grid to read, or a file the quick reader has read already


@dataclass(frozen=True)
class Options:
    """How to read: a format and an encoding if the caller forces them, a sheet to pick."""

    format: str | None = None
    encoding: str | None = None
    sheet: str | None = None


# -- formats -------------------------------------------------------------------------------------------------
def detect_format(name: str, data: bytes, forced: str | None = None) -> str:
    """csv, tsv, xlsx, yaml or json: forced, else by content (a workbook), else by name, else by text."""
    if forced is not None:
        if forced not in FORMATS:
            raise JixiaoError.single("E127", file_span(name), format=forced, expected="、".join(FORMATS))
        return forced
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return "xlsx"
    by_name = SUFFIXES.get(_suffix(name))  # .txt: tab or comma, seen from the text
    return by_name if by_name not in (None, "xlsx") else ""


def _suffix(name: str) -> str:
    """A name's suffix, lower case: `PurePath(name).suffix.lower()` without parsing the whole path (a
    batch of files names each once; ~1 µs instead of ~6)."""
    base = os.path.basename(name)
    if base in ("", "."):  # a name ending in a separator or "/.": PurePath drops those components
        return PurePath(name).suffix.lower()
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


_NOT_PLAIN = ("", "#", "[", "{", "-")  # a first line's first character that the loop must look at


def text_format(text: str) -> str:
    """A text's format by its first significant line: JSON brackets, YAML `key:`/`- `, else delimited."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if "," in first and first.lstrip()[:1] not in _NOT_PLAIN:
        return "csv"  # a comma on a first line that is no comment, JSON or YAML list: what the loop says
    return format_by_lines(text, first)


def format_by_lines(text: str, first: str) -> str:
    """`text_format` from its first significant line (`first`: the text's first line)."""
    lines = [first] if first.strip() and not first.lstrip().startswith("#") else text.split("\n", 200)[:200]
    for line in lines:  # most often the first alone
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped[0] in "[{":
            return "json"
        if stripped.startswith(("- ", "---")) or (stripped.rstrip().endswith(":") and "," not in stripped):
            return "yaml"
        head, colon, _ = stripped.partition(":")
        if colon and "," not in stripped and "\t" not in stripped and head and " " not in head.strip():
            return "csv" if _table_below(text, line) else "yaml"
        return "csv"
    return "csv"


def _table_below(text: str, line: str) -> bool:
    """Whether the significant line after `line` (a `项目名称: 某项目` line, which YAML would read) is a
    table's row, tab- or comma-separated: `line` is then a title or information line above a table's header,
    read as a delimited text reads it (a row of 3 cells or more; a `key: a,b,c` line is YAML's)."""
    start = text.find(line)
    rest = text[start + len(line) :].split("\n", 50)[1:50]  # bounded: 50 lines looked at, at most
    below = next((r.strip() for r in rest if r.strip() and not r.lstrip().startswith("#")), "")
    if below.count("\t") >= 2:
        return True
    cells = below.split(",")
    return len(cells) >= 3 and ":" not in cells[0] and "：" not in cells[0] and not below.startswith("- ")


def grids(data: bytes, name: str, options: Options) -> list[Grid]:
    """The grids of a file's bytes: a sheet each for a workbook, one for anything else."""
    return [table for table in tables(data, name, options, quick=False) if isinstance(table, Grid)]


# A reader of long tables (io/long_table.read_long_text: decoded text, its name and format → one file per
# project, or None to decline); given by batches, which read a 项目 column's projects.
LongReader = Callable[[str, str, str], "list[ActualsFile] | None"]


def tables(
    data: bytes, name: str, options: Options, quick: bool = True, long: LongReader | None = None
) -> list[Table]:
    """`grids`, but plain CSV or tab text comes as the file the quick reader read (quick.py), and a long
    table as the files `long` read from the same decoded text (the bytes are decoded once)."""
    fmt = detect_format(name, data, options.format)
    if fmt == "xlsx":
        workbook = importlib.import_module(WORKBOOK)
        sheets: list[Grid] = workbook.read_workbook(data, name, options.sheet)
        if options.sheet is None and workbook.has_hidden(data) and not any(map(looks_like_table, sheets)):
            _hidden_table(workbook.read_hidden(data, name), sheets)
        return list(sheets)
    refuse_known_kind(data, name)  # a PNG, a PDF, an archive: say so, not "not UTF-8"
    try:
        decoded = decode_table(data, name, options.encoding)
    except JixiaoError as exc:
        raise not_text(data, name, exc, forced=options.encoding is not None) from None
    if not decoded.text or decoded.text.isspace():
        raise empty(name, data)  # 0 bytes or blank: not "the header lacks 三级指标"
    fmt = fmt or text_format(decoded.text)
    if long is not None and options.sheet is None and fmt in QUICK_FORMATS:
        files = long(decoded.text, name, fmt)
        if files is not None:
            return list(files)
    if not quick:
        return [text_grid(decoded.text, name, fmt)]
    return [text_table(decoded.text, name, fmt, refuse=options.sheet is None)]


def _hidden_table(hidden: list[Grid], shown: list[Grid]) -> None:
    """E540 when no visible sheet holds the table but a hidden one does (hidden sheets are read only when
    named with `--sheet`: a hidden old version is not scored): not E530 about the 填表说明 left visible."""
    tables = [grid for grid in hidden if looks_like_table(grid)]
    if tables:
        names = "、".join(f"「{grid.sheet}」" for grid in tables)
        visible = "、".join(f"「{grid.sheet}」" for grid in shown) or "—"
        args: dict[str, object] = {
            "hidden": (names, names.replace("「", "“").replace("」", "”").replace("、", ", ")),
            "visible": (visible, visible.replace("「", "“").replace("」", "”").replace("、", ", ")),
            "sheet": _argument(tables[0].sheet or ""),
        }
        raise JixiaoError([Diagnostic("E540", file_span(tables[0].path), args)])


def _argument(name: str) -> str:
    """A sheet's name as typed on a command line: quoted when it holds spaces or quotes."""
    return f'"{name}"' if re.search(r"[\s'\"]", name) else name


def text_table(text: str, name: str, fmt: str, refuse: bool = False) -> Table:
    """The file the quick reader reads from plain CSV or tab text, else the grid to read (`text_grid`);
    `refuse`: E530 for delimited text that is no table at all, before its grid is made
    (`refuse_headerless`: the grid is read only to be refused; a sheet asked for is E522 first)."""
    # the quick reader first: it reads most files at once and declines junk in 4–11 times its size (its
    # lines); `refuse_headerless` before it cost every file half as much time again
    table = read_quick(text, name, fmt)
    if table is not None:
        return table
    if refuse:
        refuse_headerless(text, name, fmt)
    return text_grid(text, name, fmt)


def refuse_headerless(text: str, name: str, fmt: str) -> None:
    """E530, as `read_grid` raises it, for CSV or tab text whose first non-blank row is no header and none
    below is one — found row by row, holding no row. The grid of such a text (a row object, a tuple and a
    string per cell) took 15–50 times the text's size only to be refused: a 20 MiB upload of prose or
    junk, hundreds of MB of a worker. A text the reader refuses otherwise (E514, raised here as there),
    or that has a header anywhere, or a first row that might be a mistyped one, is left to the reader."""
    if fmt not in ("csv", "tsv"):
        return
    sep = "\t" if fmt == "tsv" else sniff_separator(text)
    vocab = shared_vocabulary()
    rows = delimited_rows(text, name, sep)
    first = next((row for row in rows if not row.is_blank()), None)
    if first is None:
        return  # blank: E528 from the reader
    header = match_header(first, vocab)
    if header.known() or header.complete() or not no_header(header.row.cells, vocab):
        return
    for row in rows:
        below = match_header(row, vocab)
        if below.complete() and below.known() >= 3:  # `official.find_header`: the official layout's
            return
    raise JixiaoError([Diagnostic("E530", Grid(name, [], separator=sep).row_span(header.row),
                                  {"expected": HEADER_HELP})])  # fmt: skip


def text_grid(text: str, name: str, fmt: str) -> Grid:
    if fmt == "xlsx":
        what = (
            "文本形式的工作簿（xlsx 要以 bytes 或文件给出）",
            "a workbook as text (give xlsx as bytes or a file)",
        )
        raise JixiaoError.single("E520", file_span(name), what=what)
    if fmt not in FORMATS:
        raise JixiaoError.single("E127", file_span(name), format=fmt, expected="、".join(FORMATS))
    if fmt in ("yaml", "json"):
        structured = importlib.import_module(STRUCTURED)
        read: Callable[[str, str, str], tuple[Grid, Any]] = structured.read_structured
        grid, document = read(text, name, fmt)
        grid.project, grid.ruleset = document.project, document.ruleset or None
        return grid
    return read_delimited(text, name, "\t" if fmt == "tsv" else None)


# -- grids → projects -----------------------------------------------------------------------------------
def looks_like_table(grid: Grid) -> bool:
    """Whether a sheet holds an indicator table (a workbook's other sheets, e.g. 填表说明, are skipped)."""
    vocab = shared_vocabulary()
    first = next((row for row in grid.rows if not row.is_blank()), None)
    if first is None:
        return False
    header = match_header(first, vocab)  # 代码,指标,说明 (a findings sheet) names two columns: not a table
    return header.known() >= 3 or header.complete() or find_header(grid, vocab) is not None


def read_grid(grid: Grid) -> list[ActualsFile]:
    """Every project of one grid (usually one); header problems raise."""
    vocab = shared_vocabulary()
    first = next((i for i, row in enumerate(grid.rows) if not row.is_blank()), None)
    if first is None:  # an empty sheet or workbook: not "the header lacks 三级指标"
        raise JixiaoError([Diagnostic("E528", grid.file_span())])
    header = match_header(grid.rows[first], vocab)
    if header.known() < 2 and not header.complete():
        found = find_header(grid, vocab)
        if found is None and not header.known() and no_header(header.row.cells, vocab):
            raise JixiaoError([Diagnostic("E530", grid.row_span(header.row), {"expected": HEADER_HELP})])
        if found is not None:
            below = match_header(grid.rows[found], vocab)
            if below.index("project") is not None:  # a long table under its title: the projects' header
                return read_columns(grid, found, below, above=grid.rows[first:found])
            return [read_official(grid, found)]
    return read_columns(grid, first, header)


def read_columns(grid: Grid, at: int, header: Header, above: Sequence[Row] = ()) -> list[ActualsFile]:
    """The projects of a simple table whose header is row `at`; rows `above` it (a title, 单位：万元) give
    each project its title, 年度 and money unit (as the official layout reads them), else its notes."""
    probe = ActualsFile(grid.path, sheet=grid.sheet, format=grid.format)
    problems = header_problems(grid, header, strict=True, file=probe)
    if problems:
        raise JixiaoError(problems)
    files = []
    for project, group in _by_project(grid, header, grid.rows[at + 1 :]).items():
        file = ActualsFile(grid.path, sheet=grid.sheet, format=grid.format)
        file.project, file.ruleset = project or grid.project, group.ruleset or grid.ruleset
        file.info.update((label, value.strip()) for label, value in grid.info)
        file.findings.extend(probe.findings)
        file.diagnostics.extend(group.problems)
        file.origin = grid.row_span(header.row)
        budget = BudgetReader(
            file, shared_vocabulary(), money_units_above(grid, list(above)), grid.formula_at
        )
        _above(grid, list(above), file)
        TableReader(grid, header, file, budget, continued=False).read(group.rows)
        files.append(file)
    return files


def _above(grid: Grid, rows: list[Row], file: ActualsFile) -> None:
    """The rows above a simple table's header: its title (and 年度); any other text kept as notes."""
    title(grid, rows, file)
    texts = [" ".join(distinct(row)) for row in rows if not row.is_blank()]
    file.notes.extend(text for text in texts if text != file.info.get("标题"))


@dataclass
class _Group:
    ruleset: str | None = None
    first: Row | None = None  # the row that named the ruleset
    rows: list[Row] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def _by_project(grid: Grid, header: Header, rows: Iterable[Row]) -> dict[str, _Group]:
    """Rows grouped by the project column (one group when there is none), with each group's ruleset."""
    project_at, ruleset_at = header.index("project"), header.index("ruleset")
    groups: dict[str, _Group] = {}
    for row in rows:
        if row.is_blank():
            continue
        project = row.cell(project_at).strip()
        group = groups.setdefault(project, _Group())
        group.rows.append(row)
        ruleset = row.cell(ruleset_at).strip()
        if ruleset and group.ruleset is None:
            group.ruleset, group.first = ruleset, row
        elif ruleset and ruleset != group.ruleset and ruleset_at is not None:
            name = header.row.cells[ruleset_at].strip()
            args: dict[str, object] = {"project": project, "first": group.ruleset, "second": ruleset}
            group.problems.append(Diagnostic("E527", grid.span(row, ruleset_at, name), args))
    return groups or {"": _Group()}
