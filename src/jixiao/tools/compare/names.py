"""How a diff report names files: by label, relative to the working directory, else as the user wrote them.

A revision's files are read from a temporary copy; `Names` shows them as git does
(``HEAD~1:rules/p01.jx``), in the report and in diagnostics alike. A file the user named is never renamed
to a package resource, even inside the packaged folder; a policy that 采用 found among the packaged ones
comes already named ``jixiao:rulesets/…`` by the resolver (`engine.roots.display`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.source import read_text


class Names:
    """File names as a report shows them; `labels` maps a folder to the prefix its files get."""

    def __init__(self, labels: Mapping[Path, str] | None = None) -> None:
        self.labels = {folder.resolve(): prefix for folder, prefix in (labels or {}).items()}
        spellings = {str(f): p for f, p in (labels or {}).items()} | {
            str(f): p for f, p in self.labels.items()
        }
        self._folders = [
            (re.compile(re.escape(spelling) + r"(?:/|(?![^；;,，、\s]))"), prefix)
            for spelling, prefix in sorted(spellings.items(), key=lambda item: -len(item[0]))
        ]

    def text(self, value: str) -> str:
        """A message's text with the labelled folders named as their files are (a folder searched at a
        revision: ``HEAD~1:rules/other``; the revision's top: ``HEAD~1:``), never the temporary copy."""
        for pattern, prefix in self._folders:
            value = pattern.sub(lambda _, shown=prefix: shown, value)  # type: ignore[misc]
        return value

    def file(self, path: str | Path) -> str:
        if str(path).startswith("<"):  # "<text>", "<rows>": not a file
            return str(path)
        resolved = Path(path).resolve()
        for folder, prefix in self.labels.items():
            if resolved.is_relative_to(folder):
                return prefix + resolved.relative_to(folder).as_posix()
        here = Path.cwd().resolve()
        if resolved.is_relative_to(here):
            return resolved.relative_to(here).as_posix()
        return str(path)

    def origin(self, name: str) -> Path | None:
        """The file a labelled name (``HEAD~1:rules/p.jx``) was read from, if it is one."""
        for folder, prefix in self.labels.items():
            if prefix and name.startswith(prefix):
                return folder / name.removeprefix(prefix)
        return None

    def sources(self, diagnostics: Iterable[Diagnostic]) -> dict[str, str]:
        """The texts of the labelled files the diagnostics point into, by their shown names: the excerpts
        of a revision's files, read while its temporary copy is still there."""
        out: dict[str, str] = {}
        for diag in diagnostics:
            name = diag.span.path if diag.span is not None else ""
            origin = self.origin(name)
            if origin is not None and name not in out:
                try:
                    out[name] = read_text(origin)
                except (OSError, JixiaoError):
                    continue  # no excerpt, the message and its place stand
        return out

    def where(self, span: Span) -> str:
        return f"{self.file(span.path)}:{span.line}"

    def diagnostic(self, diag: Diagnostic) -> Diagnostic:
        if not self.labels:
            return diag
        args = {key: self.text(v) if isinstance(v, str) else v for key, v in diag.args.items()}
        span = diag.span and dataclasses.replace(diag.span, path=self.file(diag.span.path))
        return dataclasses.replace(diag, span=span, args=args)

    def error(self, exc: JixiaoError) -> JixiaoError:
        return JixiaoError([self.diagnostic(d) for d in exc.diagnostics])


PLAIN = Names()
