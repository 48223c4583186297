"""Input options shared by the commands that read actual values: --input-format, --encoding, --sheet.

@input_options
def score(..., inputs: InputOptions) -> None:
    actuals = inputs.read(path)            # one project, reading errors kept for the scoring run
    for project in inputs.projects(paths): # a batch (files, folders, globs, workbooks)
        ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from jixiao.diagnostics import Diagnostic
from jixiao.engine.actuals import ActualsFile
from jixiao.io.actuals import FORMATS, Options, collect_actuals
from jixiao.io.projects import Project, file_projects, read_projects, ruleset_map, sources, unmatched

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class InputOptions:
    options: Options
    rulesets: str | None = None  # a ruleset map (项目 → 规则文件) for batches

    def read(self, path: str) -> ActualsFile:
        """One project's actual values; problems in cells are kept for the scoring run to report."""
        return collect_actuals(path, options=self.options)

    def projects(self, inputs: Iterable[str | Path]) -> Iterator[Project]:
        return read_projects(inputs, options=self.options, rulesets=self.rulesets)

    def sources(self, inputs: Iterable[str | Path]) -> list[Path | Project]:
        """A batch's files, not yet read (`reader` reads each, in the process that scores it)."""
        return list(sources(inputs, (self.rulesets,) if self.rulesets else ()))

    def reader(self) -> Callable[[Path], list[Project]]:
        """How a batch reads each file: these options and the ruleset map (read here, once)."""
        return functools.partial(file_projects, options=self.options, mapping=ruleset_map(self.rulesets))

    def unmatched(self, names: Iterable[str]) -> list[Diagnostic]:
        """W188 for each row of the ruleset map that names none of the batch's projects (`names`)."""
        return unmatched(ruleset_map(self.rulesets), names) if self.rulesets else []


def input_files(sources: Iterable[Path | Project]) -> list[Path]:
    """The files a batch reads (a folder's, as `sources` lists them): no output is written over one of
    them (E951, `written.spare`)."""
    return [s if isinstance(s, Path) else Path(s.path) for s in sources if isinstance(s, Path) or s.path]


def input_options(func: F) -> F:
    """Add --input-format, --encoding, --sheet and --rulesets; the command receives `inputs`."""
    options = [
        click.option(
            "--input-format",
            type=click.Choice(["auto", *FORMATS]),
            default="auto",
            show_default=True,
            help="实际值文件的格式（默认按内容与扩展名识别）/ format of the actual-value files.",
        ),
        click.option(
            "--encoding",
            default=None,
            help="文本的编码，如 gb18030、utf-16（默认自动识别）/ text encoding (default: detected).",
        ),
        click.option("--sheet", default=None, help="工作簿中要读的工作表 / the sheet of a workbook to read."),
        click.option(
            "--rulesets",
            "ruleset_map",
            type=click.Path(dir_okay=False),
            default=None,
            help="规则对应表：项目 → 规则文件（批量评分）/ a map project → ruleset file (batches).",
        ),
    ]
    wrapped: Any = _collect(func)
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped  # type: ignore[no-any-return]


def _collect(func: F) -> Callable[..., Any]:
    @functools.wraps(func)
    def command(*args: Any, input_format: str, encoding: str | None, sheet: str | None,
                ruleset_map: str | None, **kwargs: Any) -> Any:  # fmt: skip
        forced = None if input_format == "auto" else input_format
        inputs = InputOptions(Options(forced, encoding, sheet), ruleset_map)
        return func(*args, inputs=inputs, **kwargs)

    return command
