"""Data shipped with jixiao: the grammar (`grammars/`) and the standard rulesets (`rulesets/`).

The repository keeps one copy of each at its top level. A wheel carries them inside the package
(`jixiao/grammars`, `jixiao/rulesets`, copied there by the build backend); a source checkout or an
editable install reads them from the repository. Neither needs a symlink, so a clone made without
symlinks (Git for Windows) works the same.
"""

from __future__ import annotations

import functools
import os
import sys
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

_REPOSITORY = Path(__file__).resolve().parents[2]


@functools.cache
def data_dir(name: str) -> Traversable:
    """The folder `name` ("grammars", "rulesets", or "docs" — of which the wheel carries errors.md only):
    inside the installed package, else the repository's."""
    packaged = files("jixiao").joinpath(name)
    if packaged.is_dir():
        return packaged
    checkout = _REPOSITORY / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"jixiao is installed without its {name}/ folder; reinstall the package")


def grammar_text(name: str = "ruleset.lark") -> str:
    return data_dir("grammars").joinpath(name).read_text(encoding="utf-8")


def rulesets_dir() -> Path:
    """The standard and example rulesets as a filesystem folder."""
    return Path(str(data_dir("rulesets")))


def resource(name: str) -> Traversable | None:
    """A shipped file by its name inside the package ("rulesets/standard/central.jx"), or None.

    Only names under `grammars/` or `rulesets/` are resources; no absolute path or `..` escapes them.
    """
    top, _, rest = name.replace("\\", "/").partition("/")
    parts = rest.split("/")
    if top not in ("grammars", "rulesets") or any(part in ("", ".", "..") for part in parts):
        return None
    found = data_dir(top).joinpath(*parts)
    return found if found.is_file() else None


def cache_dir() -> Path | None:
    """This user's folder for jixiao's caches (the built parser), made if missing; None when there is none.

    `JIXIAO_CACHE_DIR` if set (empty: no cache), else `%LOCALAPPDATA%\\jixiao\\cache` on Windows and
    `$XDG_CACHE_HOME/jixiao` (`~/.cache/jixiao`) elsewhere: a place an installed wheel may write. The
    folder is the user's own (mode 0700): what it holds is loaded as code.
    """
    chosen = os.environ.get("JIXIAO_CACHE_DIR")
    if chosen is None:
        local = (
            os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else os.environ.get("XDG_CACHE_HOME")
        )
        base = Path(local) if local else Path.home() / ".cache"
        chosen = str(base / "jixiao" / ("cache" if sys.platform == "win32" else ""))
    if not chosen:
        return None
    try:
        path = Path(chosen)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # read-only home, no home at all
        return None
    return path if os.access(path, os.W_OK | os.R_OK) else None
