"""A batch written out: the summary (project, ruleset, total, grade, budget rate, findings, errors)
followed by each project's table, as one document (stdout) or as one file per project plus the summary.

Every format of a single project is available for a batch: table and Markdown (the summary table, then
each project's table), JSON (`schema.BatchScoreReport`), CSV (the summary, then each project's blocks), HTML
(one page: the summary linking to each project's section) and xlsx (a summary sheet, a sheet per project,
the findings). In a folder, each project gets its own file and the summary links or lists them (an xlsx
summary is the summary sheet alone: a batch keeps each project's written bytes, not its sheet).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from urllib.parse import quote

from jixiao.diagnostics import Diagnostic
from jixiao.engine.results import Result
from jixiao.io.batch import Brief, Outcome
from jixiao.io.render import csv as csv_writer
from jixiao.io.render import html as html_writer
from jixiao.io.render import render_result, safe, table, writer
from jixiao.io.render.layout import Block, Cell, Sheet, figure_cell, label, rate_cell, sheet
from jixiao.io.render.written import attempt, identities, spare
from jixiao.messages import Lang

EXTENSIONS = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv", "xlsx": "xlsx", "html": "html"}
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)}
NAME_LIMIT = 100
# A file name's UTF-8 bytes at most before its suffix and extension: Linux and macOS allow 255 bytes a name
# (85 Chinese characters), and a suffix (-12) and the longest extension (.actuals.csv, `jixiao import`)
# must still fit.
NAME_BYTES = 200


# -- the summary -----------------------------------------------------------------------------------
def summary_block(
    outcomes: Sequence[Outcome], lang: Lang, files: Mapping[int, str] | None = None, column: str = "output"
) -> Block:
    """The summary: a row per project. `files` (a batch written to a folder): each scored project's file
    by its position, shown in an 输出文件 column after the input file (two projects may share a name);
    or (`column="sheet"`, one workbook) the sheet that holds its table."""
    output = (label(column, lang),) if files is not None else ()
    header = (
        label("index", lang),
        label("project", lang),
        label("origin", lang),
        *output,
        label("ruleset", lang),
        label("total", lang),
        label("grade", lang),
        label("rate", lang),
        label("findings", lang),
        label("errors", lang),
    )
    return Block(header, tuple(_summary_row(o, lang, files) for o in outcomes))


def _summary_row(outcome: Outcome, lang: Lang, files: Mapping[int, str] | None) -> tuple[Cell, ...]:
    scored = outcome.scored
    index = Cell(str(outcome.index), Fraction(outcome.index), 0)
    output = (Cell(files.get(outcome.index, "")),) if files is not None else ()
    names = (Cell(outcome.name), Cell(outcome.project.origin), *output, Cell(outcome.ruleset))
    if scored is None:
        return (index, *names, Cell(""), Cell(""), Cell(""), Cell(""), Cell(error_text(outcome.errors, lang)))
    count = scored.findings
    scores = (
        figure_cell(scored.total),
        Cell(scored.grade or "—"),
        rate_cell(scored.rate),
        Cell(str(count), Fraction(count), 0),
    )
    return (index, *names, *scores, Cell(""))


def error_text(errors: Sequence[Diagnostic], lang: Lang) -> str:
    """The first error as `E504 b.csv:2:4`, and how many there are."""
    if not errors:
        return ""
    first = errors[0]
    span = first.span
    if span is None:
        where = ""
    else:  # a whole path (a folder, a link not read): no line to name
        where = f" {span.path}" if span.whole else f" {span.path}:{span.line}:{span.column}"
    more = label("more", lang, n=len(errors)) if len(errors) > 1 else ""
    return f"{first.code}{where}{more}"


def summary_line(outcomes: Sequence[Outcome], lang: Lang) -> str:
    failed = sum(1 for o in outcomes if o.scored is None)
    return label("scored", lang, ok=len(outcomes) - failed, failed=failed)


# -- one project's part of the output ---------------------------------------------------------------
Part = str | bytes | Sheet


def finished(
    outcome: Outcome, fmt: str, lang: Lang, explain: bool, files: bool, encoding: str | None = None
) -> Outcome:
    """An outcome as a batch keeps it: a brief of its result and its rendered part, not the result
    (`score_projects(finish=functools.partial(finished, …))`: done in the worker that scored it)."""
    if outcome.result is None:
        return outcome
    part = project_part(outcome.result, fmt, lang, explain, files, encoding)
    return replace(outcome, result=None, brief=Brief.of(outcome.result), part=part)


def project_part(
    result: Result, fmt: str, lang: Lang, explain: bool, files: bool, encoding: str | None = None
) -> Part:
    """A scored project's own part of a batch's output: its file's bytes (`files`), else its section of
    the batch document without its number (`batch_document` adds the heading or anchor)."""
    if files:
        kind = "explain-json" if fmt == "json" and explain else fmt
        content = render_result(result, kind, lang)  # type: ignore[arg-type]
        if explain and fmt in ("table", "markdown") and isinstance(content, str):
            content += "\n" + _explain_text(result, lang)
        return csv_writer.encode_text(content, fmt, encoding) if isinstance(content, str) else content
    if fmt == "json":
        item: Callable[[Result, Lang, bool], str] = writer("json").batch_item
        return item(result, lang, explain)
    layout = sheet(result, lang)
    if fmt == "xlsx":
        return layout
    if fmt == "csv":
        return csv_writer.csv_text([[], [], *csv_writer.sheet_rows(layout)])
    if fmt == "html":
        return html_writer.sheet_html(layout)
    text = table.sheet_text(layout, fmt == "markdown").rstrip("\n")
    return text + "\n\n" + _explain_text(result, lang).rstrip("\n") if explain else text


def _explain_text(result: Result, lang: Lang) -> str:
    """`explain.explain_text`, imported when an explanation is asked for (the JSON trace model with it)."""
    explain_text: Callable[[Result, Lang], str] = writer("explain").explain_text
    return explain_text(result, lang)


_SECTION = '<section class="project">'


def _part(outcome: Outcome, fmt: str, lang: Lang, explain: bool) -> Part:
    if outcome.part is not None:
        return outcome.part  # type: ignore[return-value]
    assert outcome.result is not None
    return project_part(outcome.result, fmt, lang, explain, files=False)


# -- one document for the whole batch --------------------------------------------------------------
def batch_document(
    outcomes: Sequence[Outcome],
    fmt: str,
    lang: Lang,
    explain: bool = False,
    files: Mapping[int, str] | None = None,
) -> str | bytes:
    """The summary and every scored project's table in one document of format `fmt` (an xlsx summary
    written to a folder: the summary sheet alone, naming each project's file, `files`)."""
    if fmt == "json":
        return _batch_json(outcomes, lang, explain)
    scored = [(o, _part(o, fmt, lang, explain)) for o in outcomes if o.scored is not None]
    summary = summary_block(outcomes, lang, files)
    if fmt == "xlsx":
        book = writer("xlsx")
        sheets = [(o, part) for o, part in scored if isinstance(part, Sheet)]
        if files is None:  # one workbook: the summary names the sheet of each project (项目(2), 项目(3) …)
            named = book.project_sheets([o.project.name for o, _ in sheets], lang, summary=True)
            summary = summary_block(
                outcomes, lang, dict(zip([o.index for o, _ in sheets], named, strict=True)), "sheet"
            )
        workbook: Callable[[list[tuple[str, Sheet]], Block], bytes] = book.workbook
        return workbook([(o.project.name, part) for o, part in sheets], summary)
    if fmt == "csv":
        return csv_writer.csv_text(csv_writer.block_rows(summary)) + "".join(str(part) for _, part in scored)
    if fmt == "html":
        links = [f"#p{o.index}" if o.scored else "" for o in outcomes]
        sections = [
            str(part).replace(_SECTION, f'<section class="project" id="p{o.index}">', 1) for o, part in scored
        ]
        return summary_html(outcomes, lang, links, sections)
    return _batch_text(outcomes, [(o, str(part)) for o, part in scored], lang, markdown=fmt == "markdown")


def _batch_text(
    outcomes: Sequence[Outcome], scored: Sequence[tuple[Outcome, str]], lang: Lang, markdown: bool
) -> str:
    escape = safe.markdown if markdown else safe.terminal
    grid = table.grid(summary_block(outcomes, lang), escape, "github" if markdown else table.TABLE_FORMAT)
    title = label("batch_title", lang)
    parts = [f"### {title}\n\n{grid}" if markdown else f"{title}\n{grid}", summary_line(outcomes, lang)]
    for o, part in scored:
        heading = f"{o.index}. {o.project.name}"
        parts.append(("## " if markdown else "=" * 4 + " ") + escape(heading))
        parts.append(part)
    return "\n\n".join(parts) + "\n"


def _batch_json(
    outcomes: Sequence[Outcome],
    lang: Lang,
    explain: bool = False,
    projects: bool = True,
    files: Mapping[int, str] | None = None,
) -> str:
    """The JSON of a batch (`json.batch_json`), each scored project's part spliced in as an item; `files`
    (the summary of a folder): each project's file as its row's "output"."""
    batch_json: Callable[[Sequence[Outcome], Lang, Sequence[str], Mapping[int, str] | None], str]
    batch_json = writer("json").batch_json
    parts = (
        [str(_part(o, "json", lang, explain)) for o in outcomes if o.scored is not None] if projects else []
    )
    return batch_json(outcomes, lang, parts, files)


def summary_html(
    outcomes: Sequence[Outcome],
    lang: Lang,
    links: Sequence[str],
    sections: Sequence[str] = (),
    files: Mapping[int, str] | None = None,
) -> str:
    """An HTML page with the summary (project names linking to `links`), then `sections` (each table)."""
    title = label("batch_title", lang)
    parts = [f"<h1>{safe.html_text(title)}</h1>", f"<p>{safe.html_text(summary_line(outcomes, lang))}</p>"]
    parts.append(html_writer.table(summary_block(outcomes, lang, files), links=links))
    return html_writer.page(title, [*parts, *sections], lang)


# -- one file per project --------------------------------------------------------------------------
def file_names(names: Sequence[str], extension: str, reserved: Sequence[str] = ()) -> list[str]:
    """File names every system accepts, unique (case-insensitively) and apart from `reserved`."""
    made = Names(extension, reserved)
    return [made.name(name) for name in names]


class Names:
    """`file_names` one at a time: each name as `file_names` gives it after the names given before.

    The suffix tried first for a name is the last one given to it (every one below was taken then, and
    names are never given back): ten thousand files of one project name cost ten thousand tries, not
    fifty million."""

    def __init__(self, extension: str, reserved: Sequence[str] = ()) -> None:
        self.extension = extension
        self.taken = {r.lower() for r in reserved}
        self.last: dict[str, int] = {}  # the suffix last given to each base (lower case)

    def name(self, name: str) -> str:
        base = _UNSAFE_NAME.sub("_", safe.terminal(name)).strip(" .")[:NAME_LIMIT]
        base = base.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore").rstrip(" .") or "project"
        if base.lower().split(".")[0] in _RESERVED:
            base += "_"
        n = self.last.get(base.lower(), 1)
        candidate = f"{base}.{self.extension}" if n == 1 else f"{base}-{n}.{self.extension}"
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{base}-{n}.{self.extension}"
        self.taken.add(candidate.lower())
        self.last[base.lower()] = n
        return candidate


class FolderWriter:
    """One file per scored project and the summary (`汇总.<ext>`) into a folder, as a batch comes: the folder
    made first, each project's file written when its outcome comes (in order: the names `file_names` gives),
    the summary when `finish` is given all the outcomes. A file that cannot be written is E950 (`attempt`)
    at once, one that would replace a file the batch reads E951 (`spare`)."""

    def __init__(
        self,
        fmt: str,
        folder: Path,
        lang: Lang,
        encoding: str | None,
        explain: bool = False,
        inputs: Iterable[Path] = (),
    ) -> None:
        self.fmt, self.folder, self.lang, self.encoding, self.explain = fmt, folder, lang, encoding, explain
        self.summary_name = f"{label('summary', lang)}.{EXTENSIONS[fmt]}"
        # the files the batch reads (by device and inode: links and a case-insensitive name are the same
        # file): none is ever written over (E951); the summary's name is known, so it is checked first
        self.inputs = identities(inputs)
        spare(folder / self.summary_name, self.inputs)
        attempt(folder, lambda: folder.mkdir(parents=True, exist_ok=True))
        self.names = Names(EXTENSIONS[fmt], reserved=[self.summary_name])
        self.files: dict[int, str] = {}  # each scored project's file, by its position in the batch
        self.written: list[Path] = []

    def add(self, outcome: Outcome) -> None:
        """The project's file, if it was scored."""
        if outcome.scored is None:
            return
        name = self.names.name(outcome.project.name)
        part = outcome.part
        if part is None:
            assert outcome.result is not None
            part = project_part(
                outcome.result, self.fmt, self.lang, self.explain, files=True, encoding=self.encoding
            )
        assert isinstance(part, bytes)
        self.written.append(self._write(self.folder / name, part))
        self.files[outcome.index] = name

    def finish(self, outcomes: Sequence[Outcome]) -> list[Path]:
        """The summary, linking each project to its file; every path written."""
        links = [quote(self.files.get(o.index, "")) for o in outcomes]
        summary = _summary_file(outcomes, self.fmt, self.lang, links, self.files)
        self.written.append(self._write(self.folder / self.summary_name, summary))
        return self.written

    def _write(self, path: Path, content: str | bytes) -> Path:
        spare(path, self.inputs)
        return _write(path, content, self.fmt, self.encoding)


def _summary_file(
    outcomes: Sequence[Outcome], fmt: str, lang: Lang, links: Sequence[str], files: Mapping[int, str]
) -> str | bytes:
    if fmt == "html":
        return summary_html(outcomes, lang, [link if link else "" for link in links], files=files)
    if fmt == "json":
        return _batch_json(outcomes, lang, projects=False, files=files)
    if fmt == "xlsx":
        return batch_document(outcomes, fmt, lang, files=files)
    block = summary_block(outcomes, lang, files)
    if fmt == "csv":
        return csv_writer.csv_text(csv_writer.block_rows(block))
    escape = safe.markdown if fmt == "markdown" else safe.terminal
    grid = table.grid(block, escape, "github" if fmt == "markdown" else table.TABLE_FORMAT)
    return f"{label('batch_title', lang)}\n\n{grid}\n\n{summary_line(outcomes, lang)}\n"


def _write(path: Path, content: str | bytes, fmt: str, encoding: str | None) -> Path:
    data = csv_writer.encode_text(content, fmt, encoding) if isinstance(content, str) else content
    attempt(path, lambda: path.write_bytes(data))
    return path
