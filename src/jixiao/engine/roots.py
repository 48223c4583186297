"""Where 采用 may look: the packaged standard policies and the folders the caller names, nothing else.

A policy is named by a relative path without `.jx` (`采用 "standard/central"`). It is looked for

1. for a file inside a root: in the file's own folder, then each folder above it up to that root;
2. at the top of every other root, in the order the caller gave them;
3. among the packaged rulesets (``jixiao:rulesets/…``).

No absolute path, no `..`, no link whose target leaves its root. A ruleset given as text has no folder
of its own: it sees the roots it is given and the packaged policies, never the working directory.
Files are shown by the name the caller knows them by: relative to the working directory when inside it,
else under the root as the caller wrote it, and packaged files as ``jixiao:rulesets/…`` (one name each).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from jixiao.crash import callers_items, callers_path, expect, several
from jixiao.diagnostics import JixiaoError, Span
from jixiao.limits import MAX_POLICY_CANDIDATES
from jixiao.resources import rulesets_dir

PACKAGED = "jixiao:rulesets"
SUFFIX = ".jx"


def shown(path: str | os.PathLike[str]) -> str:
    """How messages name a path: relative to the working directory when inside it, else as given."""
    given = Path(path)
    try:
        relative = given.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return given.as_posix()
    return relative.as_posix() or "."


@dataclass(frozen=True)
class Folder:
    """A folder 采用 may read from: its real location and the name messages use for it."""

    real: Path
    name: str

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> Folder:
        return cls(Path(path).resolve(), shown(path))

    def show(self, real: Path) -> str:
        """The name of a file inside this folder."""
        inner = real.relative_to(self.real).as_posix()
        return inner if self.name == "." else f"{self.name.rstrip('/')}/{inner}"


@dataclass(frozen=True)
class Roots:
    """The folders the caller allows, in order (the packaged policies are always allowed, last)."""

    folders: tuple[Folder, ...] = ()

    @classmethod
    def of(cls, paths: Iterable[str | os.PathLike[str]] = ()) -> Roots:
        """The folders `paths` names; a `TypeError` for one folder not in a list (a str would be taken
        apart into one-letter roots, "/" among them) or an item that is not a path."""
        several(paths, "roots (the folders “use” (采用) may look in)")
        folders: dict[Path, Folder] = {}
        for path in callers_items(paths):
            expect(path, (str, os.PathLike), "a root folder")
            folder = Folder.of(callers_path(path))
            folders.setdefault(folder.real, folder)
        return cls(tuple(folders.values()))

    def with_first(self, folder: Folder) -> Roots:
        return Roots((folder, *(f for f in self.folders if f.real != folder.real)))

    def key(self) -> tuple[str, ...]:
        return tuple(str(f.real) for f in self.folders)


@dataclass(frozen=True)
class Origin:
    """The file whose 采用 is being followed: where it is, and which root (if any) holds it."""

    folder: Path | None  # real folder; None for a ruleset given as text
    root: Folder | None  # the root holding it; None for text and for packaged files
    packaged: bool = False

    @classmethod
    def text(cls) -> Origin:
        return cls(None, None)

    @classmethod
    def file(cls, path: Path, roots: Roots) -> tuple[Origin, Roots]:
        """A ruleset read from `path`: a packaged file sees the package; another file its own folder first."""
        real = path.resolve()
        if real.is_relative_to(packaged_dir()):
            return cls(real.parent, None, packaged=True), roots
        folder = Folder.of(path.parent)
        return cls(folder.real, folder), roots.with_first(folder)


@dataclass(frozen=True)
class Found:
    """A policy file found: its real path, its name in messages, and what the lookup depended on."""

    real: Path
    name: str
    origin: Origin
    absent: tuple[Path, ...]  # candidates looked at first that did not exist (a cache checks them again)


@functools.cache
def packaged_dir() -> Path:
    return rulesets_dir().resolve()


def normalized_ref(ref: str, span: Span) -> str:
    """`standard/central` → `standard/central.jx`; any other spelling of a name is refused (E230, with
    its reason): one name, one file, so that no policy is found under two names."""
    name = ref.strip().replace("\\", "/")
    reason = _bad_ref(name)
    if reason is not None:
        raise JixiaoError.single("E230", span, name=ref, reason=reason)
    return name if name.lower().endswith(SUFFIX) else name + SUFFIX


def _bad_ref(name: str) -> tuple[str, str] | None:
    """Why `name` (with / for \\) cannot be a policy's name, in Chinese and English, or None."""
    parts = name.split("/")
    if not name:
        return ("是空的", "is empty")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return ("是绝对路径", "is an absolute path")
    if name.lower().startswith("jixiao:"):
        short = name.split(":", 1)[1].removeprefix("rulesets/").removesuffix(SUFFIX)
        return (
            f"是随包评分办法在消息中的名称，采用时写「{short}」",
            f"is how messages name a packaged policy; use “{short}”",
        )
    if ":" in name or any(ord(c) < 32 for c in name):
        return ("含「:」或控制字符", "contains “:” or a control character")
    if ".." in parts:
        return ("含「..」（上级文件夹）", "contains “..” (a parent folder)")
    if "." in parts:
        return ("含「./」（去掉即可）", "contains “./” (leave it out)")
    if "" in parts:
        return ("含空的一段（连续的「/」或结尾的「/」）", "has an empty part (“//” or a trailing “/”)")
    return None


def find_policy(ref: str, span: Span, origin: Origin, roots: Roots) -> Found | None:
    """The first candidate file for `ref`, or None; a link that leaves its root is refused (E231)."""
    name = normalized_ref(ref, span)
    absent: list[Path] = []
    for base, top, folder in candidates(origin, roots):
        path = base / name
        if not path.is_file():
            absent.append(path)
            continue
        real = path.resolve()
        if not real.is_relative_to(top):
            raise JixiaoError.single("E231", span, name=ref)
        return Found(real, display(real, folder), _origin_of(real, folder), tuple(absent))
    return None


def candidates(origin: Origin, roots: Roots) -> Iterator[tuple[Path, Path, Folder | None]]:
    """(folder to look in, the root it must stay inside, that root or None for packaged), in order."""
    packaged = packaged_dir()
    if origin.packaged and origin.folder is not None:
        yield from ((base, packaged, None) for base in _upwards(origin.folder, packaged))
        return
    if origin.root is not None and origin.folder is not None:
        yield from (
            (base, origin.root.real, origin.root) for base in _upwards(origin.folder, origin.root.real)
        )
    for folder in roots.folders:
        if origin.root is None or folder.real != origin.root.real:
            yield folder.real, folder.real, folder
    yield packaged, packaged, None


def _upwards(folder: Path, top: Path) -> Iterator[Path]:
    """`folder`, its parent, … up to and including `top` (just `top` if `folder` is not inside it)."""
    if not folder.is_relative_to(top):
        yield top
        return
    while folder != top:
        yield folder
        folder = folder.parent
    yield top


def _origin_of(real: Path, folder: Folder | None) -> Origin:
    if folder is None or real.is_relative_to(packaged_dir()):
        return Origin(real.parent, None, packaged=True)
    return Origin(real.parent, folder)


def display(real: Path, folder: Folder | None) -> str:
    """The one name of a file: packaged files by resource name, others under their root."""
    packaged = packaged_dir()
    if real.is_relative_to(packaged):
        return f"{PACKAGED}/{real.relative_to(packaged).as_posix()}"
    if folder is None:  # pragma: no cover - every non-packaged file is found under a root
        return real.name
    return folder.show(real)


def searched(origin: Origin, roots: Roots) -> list[str]:
    """The places a lookup tried, as messages may show them (never a folder outside the roots)."""
    names: list[str] = []
    for base, _top, folder in candidates(origin, roots):
        name = PACKAGED if folder is None else _folder_name(base, folder)
        if name not in names:
            names.append(name)
    return names


def _folder_name(base: Path, folder: Folder) -> str:
    return folder.name if base == folder.real else folder.show(base)


def suggestion(ref: str, roots: Roots, origin: Origin) -> str | None:
    """The closest policy name among the .jx files of the roots and the package (a bounded number)."""
    tops = [f.real for f in roots.folders]
    if origin.root is not None:
        tops.insert(0, origin.root.real)
    names = sorted(set(_policy_names([*tops, packaged_dir()])))
    written = ref.removesuffix(SUFFIX).strip("/")
    inside = [name for name in names if name.startswith(written + "/")]  # 采用 "standard": a folder of them
    if inside:
        return inside[0]
    close = get_close_matches(written, [name for name in names if name != written], n=1, cutoff=0.6)
    return close[0] if close else None


def _policy_names(tops: Sequence[Path]) -> Iterator[str]:
    """Names (`standard/central`) of .jx files one or two folders down each top; at most a bounded count."""
    budget = MAX_POLICY_CANDIDATES
    for top in tops:
        for pattern in ("*.jx", "*/*.jx"):
            for path in top.glob(pattern):
                budget -= 1
                if budget < 0:
                    return
                if path.resolve().is_relative_to(top) and path.is_file():  # a folder named x.jx is none
                    yield path.relative_to(top).with_suffix("").as_posix()
