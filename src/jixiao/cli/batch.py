"""`jixiao score` of a batch: every project read, scored and rendered (in `--jobs` processes), then the
summary and the tables as one document, or one file per project and the summary (`--output DIR`).

Imported by `cli.score` by name when there is more than one project: scoring one file loads neither the
summary, the progress bar nor the process pool (docs/performance.md, "启动 / Start").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import click

from jixiao.cli.common import ExitCode, fail
from jixiao.cli.inputs import input_files
from jixiao.cli.output import emit
from jixiao.cli.progress import Progress
from jixiao.cli.score import say
from jixiao.diagnostics import Diagnostic, JixiaoError, render_diagnostic
from jixiao.io.batch import Finish, Outcome, Read, Rulesets, score_projects
from jixiao.io.projects import Project, not_a_table
from jixiao.io.render.safe import terminal
from jixiao.io.render.summary import FolderWriter, batch_document, finished, summary_block, summary_line
from jixiao.io.render.table import grid
from jixiao.messages import Lang

Output = tuple[str, bool, Path | None, str | None]
"""How the batch is written: the format, --explain, --output (a folder or None), --output-encoding."""


def score_batch(
    sources: Sequence[Path | Project],
    ruleset: str,
    roots: Sequence[str],
    output: Output,
    how: tuple[int, str],
    quiet: bool,
    lang: Lang,
    read: Read,
    unmatched: Callable[[list[str]], list[Diagnostic]] | None = None,
    named: Collection[str] = (),
    rulesets: Rulesets | None = None,
) -> None:
    """Score the batch and write it out; exit 1 after listing the projects with errors, if any.
    `unmatched`: the warnings (W188) for rows of the ruleset map that name none of its projects.
    `named`: the files the command line names; a text file found in a folder or by a pattern that is
    clearly no table (a README.txt) is skipped, and listed as such (W131), unless nothing else is left.
    `rulesets`: those loaded already (`score_projects`)."""
    skipped: list[Diagnostic] = []
    read_as = (read, named, skipped)
    fmt, explain, folder, encoding = output
    # each project's own output is rendered where it is scored (in a worker with --jobs)
    finish = functools.partial(
        finished, fmt=fmt, lang=lang, explain=explain, files=folder is not None, encoding=encoding
    )
    if folder is not None:
        try:  # each project's file written as it comes, beside the workers: not all after the batch
            writer = FolderWriter(fmt, folder, lang, encoding, explain, inputs=input_files(sources))
            outcomes = _score(
                sources, ruleset, roots, how, quiet, lang, read_as, finish, writer.add, rulesets
            )
            written = writer.finish(outcomes)
        except JixiaoError as exc:  # E950, E951: a file that cannot be written stops the batch
            fail(exc, lang)
            return
        click.echo(terminal_summary(outcomes, lang, writer.files))
        click.echo(say("written", lang, n=len(written), folder=folder), err=True)
    else:
        outcomes = _score(sources, ruleset, roots, how, quiet, lang, read_as, finish, rulesets=rulesets)
        emit(batch_document(outcomes, fmt, lang, explain), fmt, encoding)
    warnings = [*skipped]
    warnings += unmatched([o.project.name for o in outcomes]) if unmatched is not None else []
    if warnings:
        click.echo("\n\n".join(render_diagnostic(w, lang) for w in warnings), err=True)
    failed = [o for o in outcomes if o.scored is None]
    if failed:
        _report_failed(failed, lang)
        raise SystemExit(ExitCode.INPUT_ERROR)


def _score(
    sources: Sequence[Path | Project],
    ruleset: str,
    roots: Sequence[str],
    how: tuple[int, str],
    quiet: bool,
    lang: Lang,
    read_as: tuple[Read, Collection[str], list[Diagnostic]],
    finish: Finish,
    each: Callable[[Outcome], None] | None = None,
    rulesets: Rulesets | None = None,
) -> list[Outcome]:
    """Every project of the batch read, scored and rendered (in `jobs` processes), in order; `each` given
    every outcome as it comes (an exception from it stops the batch). `read_as`: how each file is read,
    the files the command line names, and where the notes (W131) of text files skipped go: those are not
    outcomes, and the others are numbered without them; if nothing else is left, they fail as before."""
    read, named, skipped = read_as
    counted = all(isinstance(s, Project) for s in sources)  # a file may hold several projects
    progress = Progress(len(sources) if counted else 0, say("scoring", lang), quiet=quiet)
    outcomes: list[Outcome] = []
    held: list[Outcome] = []  # the skipped, kept until another project shows they need not fail the batch
    jobs, backend = how
    try:
        for outcome in score_projects(
            sources, ruleset, roots, jobs if len(sources) > 1 else 1, read, finish, backend, rulesets
        ):
            progress.advance(outcome.project.name)
            note = _skipped(outcome, named)
            if note is not None:
                skipped.append(note)
                held.append(outcome)
                continue
            outcome = replace(outcome, index=len(outcomes) + 1)
            outcomes.append(outcome)
            if each is not None:
                each(outcome)
    finally:
        progress.close()
    if held and not outcomes:  # only such files: they are the batch, and fail as they did
        skipped.clear()
        for outcome in held:
            outcome = replace(outcome, index=len(outcomes) + 1)
            outcomes.append(outcome)
            if each is not None:
                each(outcome)
    return outcomes


def _skipped(outcome: Outcome, named: Collection[str]) -> Diagnostic | None:
    """W131 for the project of a text file that is clearly no table, found in a folder or by a pattern."""
    path = outcome.project.path
    if outcome.scored is not None or not path or path in named:
        return None
    return not_a_table(path, outcome.diagnostics)


def terminal_summary(outcomes: Sequence[Outcome], lang: Lang, files: Mapping[int, str] | None = None) -> str:
    """The summary as the terminal shows it; `files`: each project's output file (--output)."""
    block = summary_block(outcomes, lang, files)
    return grid(block, terminal, "simple") + "\n\n" + summary_line(outcomes, lang)


def _report_failed(failed: Sequence[Outcome], lang: Lang) -> None:
    """Every failed project with its diagnostics; a diagnostic shared by several (a ruleset's) only once."""
    click.echo("", err=True)
    click.echo(say("failed", lang, n=len(failed)), err=True)
    seen: set[str] = set()
    for outcome in failed:
        name = terminal(outcome.name)
        click.echo(
            say("project", lang, index=outcome.index, name=name, origin=outcome.project.origin), err=True
        )
        texts = [render_diagnostic(d, lang) for d in outcome.diagnostics]
        fresh = [t for t in texts if t not in seen]
        seen.update(fresh)
        click.echo("\n\n".join(fresh) if fresh else say("above", lang), err=True)
