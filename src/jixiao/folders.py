"""The files under a folder, as every command lists them: in a stable order, and never through a link that
leads out of the folder.

A folder may come by mail (an unpacked archive) and hold a link to /etc/passwd or to another bureau's
files: `check`, `fmt`, `diff`, `test` and the batches of `score`, `audit` and `import` read only what is
inside the folder given. A link under it (to a file or a folder, or a Windows junction) that leads out of
it is neither read nor entered, and is named: W130 for the commands that check files (`outside_warnings`),
a project that is not scored for a batch (E135, io/projects.py). A link that stays inside is read as the
file it leads to; a folder link is never entered (no loops, no file listed twice).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from jixiao.diagnostics import Diagnostic, Severity, Span

__all__ = ["Listed", "leads_inside", "listed", "outside_warnings"]


@dataclass(frozen=True)
class Listed:
    """What `listed` found under a folder: the files taken, sorted, and the links leading out of it."""

    files: list[Path]
    outside: list[Path]


def listed(top: Path, wanted: Callable[[Path], bool], hidden: bool = True) -> Listed:
    """The files under `top` that `wanted` takes (its argument: the path under `top`), sorted, and the
    links under `top` that lead out of it, sorted. `hidden=False`: folders and files whose name starts with
    a dot (.git, .venv) are left out, below `top` (the folder given may itself be under one)."""
    real = top.resolve()
    files: list[Path] = []
    outside: list[Path] = []
    for folder, dirs, names in os.walk(top):
        here = Path(folder)
        if not hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            names = [n for n in names if not n.startswith(".")]
        links = {d for d in dirs if _is_link(here / d)}
        dirs[:] = [d for d in dirs if d not in links]  # a link to a folder is never entered (nor a junction)
        outside += [here / d for d in sorted(links) if not leads_inside(here / d, real)]
        for name in names:
            path = here / name
            if not wanted(path):
                continue
            (files if not path.is_symlink() or leads_inside(path, real) else outside).append(path)
    return Listed(sorted(files), sorted(outside))


def outside_warnings(paths: Iterable[Path], shown: Callable[[Path], str] = str) -> list[Diagnostic]:
    """W130 for each link leading out of the folder given: skipped, and named (as `shown` names it)."""
    return [Diagnostic("W130", Span.of_path(shown(p)), {"name": shown(p)}, Severity.WARNING) for p in paths]


def _is_link(path: Path) -> bool:
    """A symbolic link, or a Windows junction (which `is_symlink` does not call one)."""
    return path.is_symlink() or bool(getattr(os.path, "isjunction", lambda _: False)(path))


def leads_inside(link: Path, top: Path) -> bool:
    """Whether a link under `top` (resolved) leads to a place inside it. A loop leads nowhere: reading it
    is an error of its own (E105), not a way out."""
    try:
        return link.resolve().is_relative_to(top)
    except (OSError, RuntimeError):  # a symlink loop: Python 3.11 raises RuntimeError, 3.13 OSError
        return True
