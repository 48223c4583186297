"""Where `jixiao import` writes: `<项目>.jx` and `<项目>.actuals.csv` in a folder, never over a file.

The ruleset is UTF-8 (as `jixiao fmt` keeps it); the actual values UTF-8 with a byte-order mark, so
Excel and WPS open them with the Chinese intact. An existing file is left alone (E720) unless `force`;
a table being imported is never written over (E951).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.diagnostics import JixiaoError, Span
from jixiao.engine.roots import shown
from jixiao.io.render.summary import file_names
from jixiao.io.render.written import attempt, spare
from jixiao.tools.importer.settle import Imported, Names

BOM = "\ufeff"
RULESET_SUFFIX = ".jx"
ACTUALS_SUFFIX = ".actuals.csv"


@dataclass(frozen=True)
class Place:
    """The two files of one imported project."""

    ruleset: Path
    actuals: Path

    def names(self) -> Names:
        return Names(shown(self.ruleset), shown(self.actuals))


def places(folder: Path, projects: Sequence[str]) -> list[Place]:
    """A pair of file names per project: its name made safe for every system, unique in the folder."""
    bases = [name.removesuffix(RULESET_SUFFIX) for name in file_names(projects, RULESET_SUFFIX[1:])]
    return [Place(folder / f"{b}{RULESET_SUFFIX}", folder / f"{b}{ACTUALS_SUFFIX}") for b in bases]


def write(
    imported: Imported, place: Place, force: bool, read: Mapping[tuple[int, int], Path] | None = None
) -> None:
    """Both files, or neither when one exists already (E720) and `force` is not given, or when one is a
    table the command reads (`read`: `written.identities`; E951, even with `force`)."""
    for path in (place.ruleset, place.actuals):
        spare(path, read or {})
    if not force:
        for path in (place.ruleset, place.actuals):
            if path.exists():
                raise JixiaoError.single("E720", Span.of_path(shown(path)), path=shown(path))
    folder = place.ruleset.parent
    attempt(folder, lambda: folder.mkdir(parents=True, exist_ok=True))
    attempt(place.ruleset, lambda: place.ruleset.write_bytes(imported.ruleset.encode("utf-8")))
    data = (BOM + imported.actuals).encode("utf-8")
    attempt(place.actuals, lambda: place.actuals.write_bytes(data))
