"""Many projects in one run: every input names one or more projects, each read on its own.

A batch is a sequence of `Project`s, from any mix of

- files: a CSV/tab text/YAML/JSON file is one project, a workbook one project per sheet that holds a
  table (its other sheets, e.g. 填表说明, are skipped), a long table with a 项目 column one project per
  value of that column;
- folders (every actual-value file below them, in a stable order) and glob patterns (`*.xlsx`).

Each project names its ruleset by a 规则 column, a 规则 cell of its sheet, a YAML/JSON `规则:` key, or
a ruleset map (a CSV/XLSX/YAML table 项目 → 规则文件, `rulesets=`); a relative path is taken from the
folder of the file that names it. None means the command line's ruleset.

A project whose file or sheet cannot be read carries its `JixiaoError` and no actual values. A
project with bad cells carries both: `error` lists the reading errors, and `actuals` keeps them in its
`diagnostics`, so scoring it reports them together with binding and scoring errors. One broken project
never stops the others.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span, file_span
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.identity import project_key
from jixiao.folders import listed
from jixiao.io.actuals import Unreadable, read_sheets_of
from jixiao.io.actuals.grid import Grid
from jixiao.io.actuals.labels import shared_vocabulary
from jixiao.io.actuals.reading import SUFFIXES, Options, grids
from jixiao.io.actuals.table import match_header
from jixiao.io.long_table import read_long_text
from jixiao.messages import clip
from jixiao.source import decode_table, read_bytes

ACTUALS_SUFFIXES = tuple(sorted(SUFFIXES))


@dataclass(frozen=True)
class Project:
    """One project of a batch: its actual values, or why they could not be read."""

    name: str  # how a summary calls it: a file's stem, a sheet's name, a project column's value
    origin: str  # where it came from, for messages: a path, "path:sheet", or "path#project"
    actuals: ActualsFile | None
    error: JixiaoError | None = None
    ruleset: str | None = None  # a ruleset the input itself names; None means the command line's
    path: str = ""  # the file it was read from
    sheet: str | None = None  # the worksheet, for a workbook
    named: bool = (
        False  # `name` is the project's own (项目名称 cell, project column), not its file's or sheet's
    )
    mapped: Mapped | None = None  # the ruleset map's row that gave `ruleset`: where a problem with it is


@dataclass(frozen=True)
class Mapped:
    """A ruleset map's entry: the ruleset (a path from the map's folder), as written, and its cell."""

    ruleset: str
    written: str = ""
    span: Span | None = None
    project: str = ""  # the project's name as the map writes it
    row: Span | None = None  # its 项目 cell: where a row no file matches is (W188)


def read_projects(
    inputs: Iterable[str | Path],
    *,
    options: Options | None = None,
    rulesets: str | Path | Mapping[str, str] | None = None,
) -> Iterator[Project]:
    """The projects of every input, in order. `rulesets` maps project names to ruleset files (a map file
    inside a folder read is not read as a table)."""
    mapping = ruleset_map(rulesets)
    skip = (rulesets,) if isinstance(rulesets, str | Path) else ()
    for source in sources(inputs, skip):
        yield from [source] if isinstance(source, Project) else file_projects(source, options, mapping)


def sources(inputs: Iterable[str | Path], skip: Iterable[str | Path] = ()) -> Iterator[Path | Project]:
    """The files of every input, in order, not yet read; a folder or pattern with none is a project
    carrying E105. `file_projects` reads each (a batch reads them in its worker processes). A file of
    `skip` (the ruleset map, --rulesets) found in a folder or by a pattern is not one of them."""
    skipped = {os.path.realpath(path) for path in skip}
    for item in inputs:
        for found in _files(item):
            listed = isinstance(found, Path) and found != Path(item)  # found in a folder or by a pattern
            if listed and skipped and os.path.realpath(str(found)) in skipped:
                continue
            yield found


def file_projects(
    path: Path, options: Options | None = None, mapping: Mapping[str, Mapped] | None = None
) -> list[Project]:
    """The projects of one file, each with the ruleset `mapping` (from `ruleset_map`) gives it."""
    return [_with_ruleset(project, mapping or {}) for project in _file_projects(path, options or Options())]


def _files(item: str | Path) -> Iterator[Path | Project]:
    """The files of one input; a folder or pattern with none is a project carrying E105."""
    path = Path(item)
    if path.is_dir():
        listing = listed(path, actuals_file)  # a link leading out of the folder: a project not read (E232)
        found, outside = listing.files, listing.outside
    elif not path.exists() and glob.has_magic(str(item)):
        found = sorted(Path(p) for p in glob.glob(str(item), recursive=True) if actuals_file(Path(p)))
        outside = []
    else:
        yield path
        return
    if not found and not outside:
        shown = clip(str(item))
        where = (f"文件夹「{shown}」里", f"the folder “{shown}”") if path.is_dir() else (
            f"通配符「{shown}」匹配的文件中", f"what the pattern “{shown}” matches"
        )  # fmt: skip
        kinds = (" ".join(ACTUALS_SUFFIXES),) * 2
        empty = JixiaoError.single("E129", Span.of_path(str(item)), where=where, kinds=kinds)
        yield Project(path.name, str(item), None, empty)
    links = set(outside)
    for listed_path in sorted([*found, *outside]):  # a link leading out in its place among the files
        if listed_path in links:
            refused = JixiaoError.single("E232", Span.of_path(str(listed_path)), name=str(listed_path))
            yield Project(listed_path.name, str(listed_path), None, refused)
        else:
            yield listed_path


TEST_SUFFIXES = (".test.yaml", ".test.yml")  # `jixiao test` files beside a ruleset, not actual values


def actuals_file(path: Path) -> bool:
    """A file a batch reads: a known suffix, not hidden, not an Office lock file (~$…), not a test file."""
    name = path.name.lower()
    hidden = name.startswith((".", "~$"))
    known = path.suffix.lower() in ACTUALS_SUFFIXES and not name.endswith(TEST_SUFFIXES)
    return path.is_file() and not hidden and known


HEADER_CODES = frozenset({"E530", "E501", "E502"})  # a text read found no header, or one of no known column
NOTE_LINES = 200  # lines of a text file looked at for a column's name (a table's header is near the top)
NOTE_CELLS = 100  # cells of each looked at (a header has a few dozen columns): bounded for a hostile line


def not_a_table(path: str, diagnostics: Sequence[Diagnostic]) -> Diagnostic | None:
    """W131 for a text file a batch found in a folder or by a pattern that is clearly no table: a .txt
    whose reading failed at its header alone (E530, E501, E502), holding no tab (no tab-separated data),
    none of whose first lines has a cell naming a known column (一级指标, 实际完成值 …, split at commas) —
    a README.txt, in Chinese or in English. The batch lists it as skipped instead of failing; a table with
    a mistyped header (`一级指标,二级指标,三级,实际`) keeps its errors. None for anything else."""
    if _suffix(path) != ".txt" or not diagnostics or any(d.code not in HEADER_CODES for d in diagnostics):
        return None
    try:
        data = read_bytes(path)
        text = decode_table(data, path).text
    except JixiaoError:
        return None
    if "\t" in text:  # tab-separated data with a broken header: its errors stand
        return None
    vocab = shared_vocabulary()
    for line in text.split("\n", NOTE_LINES)[:NOTE_LINES]:
        cells = line.replace("，", ",").split(",", NOTE_CELLS)[:NOTE_CELLS]
        if any(len(cell) <= MAX_LABEL_CHARS and vocab.column(cell.strip()) for cell in cells if cell.strip()):
            return None  # a column's name: a table whose header went wrong
    return Diagnostic("W131", Span.of_path(path), {"name": path}, Severity.WARNING)


MAX_LABEL_CHARS = 40  # a longer cell names no column


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def content_projects(data: bytes, name: str, options: Options | None = None) -> list[Project]:
    """The projects of a file's bytes (an upload), read as the file `name` would be; a ruleset a project
    names is relative to the folder of `name`."""
    return _file_projects(Path(name), options or Options(), data)


def _file_projects(path: Path, options: Options, data: bytes | None = None) -> list[Project]:
    try:
        data = read_bytes(path) if data is None else data
        found = read_sheets_of(data, options, str(path), long=read_long_text)
    except JixiaoError as exc:
        return [Project(path.stem, str(path), None, exc, path=str(path))]
    several_sheets, where = len({f.sheet for f in found}) > 1, str(path)
    return [
        _unreadable(path, item)
        if isinstance(item, Unreadable)
        else _project(path, where, item, several_sheets, len(found) > 1)
        for item in found
    ]


def _unreadable(path: Path, item: Unreadable) -> Project:
    if item.sheet is None:
        return Project(path.stem, str(path), None, item.error, path=str(path))
    return Project(item.sheet, f"{path}:{item.sheet}", None, item.error, path=str(path), sheet=item.sheet)


def _project(path: Path, where: str, file: ActualsFile, by_sheet: bool, several: bool) -> Project:
    """The project of a file read from `path` (`where`: its text, made once for all of its projects)."""
    if by_sheet and file.sheet is not None:
        name, origin = file.project or file.sheet, f"{where}:{file.sheet}"
    elif several:
        name, origin = file.project or path.stem, f"{where}#{file.project}"
    else:
        name, origin = file.project or path.stem, where
    error = JixiaoError(file.diagnostics) if file.diagnostics else None
    ruleset = beside(path, file.ruleset) if file.ruleset else None
    named = bool(file.project) or (by_sheet and file.sheet is not None)  # a sheet's name is given by hand
    return Project(name, origin, file, error, ruleset, where, file.sheet, named=named)


def beside(path: Path, ruleset: str) -> str:
    """A ruleset a file names, relative to the file's folder: `data/../rules/road.jx` is shown (in the
    summary, in messages) as `rules/road.jx` when both name the same file (no symbolic link in between)."""
    joined = str(path.parent / ruleset)
    plain = os.path.normpath(joined)
    return plain if plain == joined or os.path.realpath(plain) == os.path.realpath(joined) else joined


# -- the ruleset map: 项目 → 规则文件 ----------------------------------------------------------------------
def ruleset_map(source: str | Path | Mapping[str, str] | None) -> dict[str, Mapped]:
    """A ruleset map (项目 → 规则文件) by project key (names compared as F112 compares them,
    `engine.identity.project_key`: 桥梁维修 = 桥梁维修项目 = 桥梁维修（项目）… ): read from a file, or
    given as a mapping."""
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return {project_key(k): Mapped(v, v, project=k) for k, v in source.items()}
    return read_ruleset_map(Path(source))


def read_ruleset_map(path: Path) -> dict[str, Mapped]:
    """A table with a 项目 and a 规则 column (any format an actual-value file may have). A project named
    twice with different rulesets is E536 at the second row, naming the first."""
    (grid, *_) = grids(read_bytes(path), str(path), Options())
    rows = [row for row in grid.rows if not row.is_blank()]
    if not rows:
        raise JixiaoError.single("E524", file_span(str(path)), problem=_EMPTY_MAP, expected=MAP_SHAPE)
    header = match_header(rows[0], shared_vocabulary())
    project, ruleset = header.index("project"), header.index("ruleset")
    if project is None or ruleset is None:
        raise JixiaoError([_map_problem(grid)])
    found: dict[str, Mapped] = {}
    problems: list[Diagnostic] = []
    column = rows[0].cell(ruleset).strip()
    for row in rows[1:]:
        name, written = row.cell(project).strip(), row.cell(ruleset).strip()
        entry = Mapped(
            beside(path, written),
            written,
            grid.span(row, ruleset, column),
            name,
            grid.span(row, project, rows[0].cell(project).strip()),
        )
        key = project_key(name)
        first = found.get(key)
        if first is None:
            found[key] = entry
        elif first.written != written:
            problems.append(_twice(first, entry))
    if problems:
        raise JixiaoError(problems)
    return found


def _twice(first: Mapped, second: Mapped) -> Diagnostic:
    where = f"{first.row.line}" if first.row is not None else "?"
    return Diagnostic(
        "E536",
        second.row or second.span or file_span(""),
        {"project": second.project, "first": first.project, "line": where, "a": first.written,
         "b": second.written},
    )  # fmt: skip


def unmatched(mapping: Mapping[str, Mapped], names: Iterable[str]) -> list[Diagnostic]:
    """W188 for each row of a ruleset map read from a file that names no project of `names` (the
    projects of the batch, by their names): a misspelt or left-over row."""
    seen = {project_key(name) for name in names}
    return [
        Diagnostic("W188", entry.row, {"project": entry.project}, Severity.WARNING)
        for key, entry in mapping.items()
        if entry.row is not None and key not in seen
    ]


MAP_SHAPE = "项目,规则（每行一个项目与它的规则文件，如：城乡居民养老保险,2020.jx）"
_EMPTY_MAP = ("规则对应表是空的", "the ruleset map is empty")


def _map_problem(grid: Grid) -> Diagnostic:
    span = grid.row_span(grid.rows[0]) if grid.rows else file_span(grid.path)
    problem = ("规则对应表应有「项目」和「规则」两列", "a ruleset map has the columns 项目 and 规则")
    return Diagnostic("E524", span, {"problem": problem, "expected": MAP_SHAPE})


def _with_ruleset(project: Project, mapping: Mapping[str, Mapped]) -> Project:
    if project.ruleset is not None or not mapping:
        return project
    mapped = mapping.get(project_key(project.name))
    if mapped is None:
        return project
    return replace(project, ruleset=mapped.ruleset, mapped=mapped)
