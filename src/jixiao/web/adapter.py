"""The served folder as the server sees it: file names, rulesets, and diagnostics as users see them.

Every name the HTTP API reads goes through `Folder.path`: a file name must stay inside the served folder,
and a ruleset's 采用 is resolved by the engine with the served folder as its only root (besides the
packaged policies), so no file outside is ever opened (docs/security.md).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from jixiao.api import CompiledRuleset, load_ruleset, parse_ruleset
from jixiao.diagnostics import Diagnostic, JixiaoError
from jixiao.engine.resolve import Ruleset
from jixiao.io.projects import TEST_SUFFIXES, actuals_file
from jixiao.resources import rulesets_dir
from jixiao.source import read_text
from jixiao.web.models import RulesetInput

MAX_RULESET = 1_000_000  # characters of ruleset text
CACHE_SIZE = 32
SAVED = (".jx", ".csv", *TEST_SUFFIXES)  # the text files the workbench edits and saves


def kind(path: Path) -> str | None:
    """ruleset, test, actuals (every file a CLI batch reads: CSV, xlsx, YAML, JSON, …) or None."""
    name = path.name.lower()
    if name.endswith(".jx"):
        return "ruleset"
    if name.endswith(TEST_SUFFIXES):
        return "test"
    return "actuals" if actuals_file(path) else None


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(name: str) -> str:
    """A file name as a message shows it (E974): each control character (C0, DEL, C1, line and paragraph
    separators, bidi overrides) written as its escape (`\\n`, `\\x00`, `\\u202e`), so that the message stays
    one line and the name cannot start a forged log line or turn around the text after it. Backslashes
    are doubled, so that a typed `a\\x01b` cannot pass for `a` + U+0001 + `b` (no served file has one: the
    server reads a backslash in a name as `/`)."""
    if "\\" not in name and not any(map(_unshowable, name)):
        return name
    return "".join("\\\\" if c == "\\" else _ESCAPES.get(c) or (
        f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}") if _unshowable(c) or c == "\\" else c
        for c in name)  # fmt: skip


def _unshowable(c: str) -> bool:
    code = ord(c)
    return code < 32 or 127 <= code < 160 or code in (0x2028, 0x2029) or 0x202A <= code <= 0x202E or (
        0x2066 <= code <= 0x2069)  # fmt: skip


def hidden(parts: tuple[str, ...]) -> bool:
    """A hidden file or folder (.env, .git/config), or no name at all: never read, listed or written."""
    return any(part in ("", ".", "..") or part.startswith(".") for part in parts)


@functools.cache
def packaged_rulesets() -> Path:
    return rulesets_dir().resolve()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ruleset_hash(sources: dict[str, str]) -> str:
    """The hash of what decides the scores: the ruleset's text and the text of every policy it uses
    (not where they are, so every copy of a service reports the same hash)."""
    digest = hashlib.sha256()
    for text in sorted(sha256(text) for text in sources.values()):
        digest.update(text.encode())
    return digest.hexdigest()


# codes whose `name` is a path as the user wrote it (an absolute one is refused as such): shown as written
AS_WRITTEN = ("E230", "E253", "E996")
ANY_FILE = ("请给出其中一个文件的名称", "name a file in it")  # what E992 asks for instead of a folder


@dataclass(frozen=True)
class Folder:
    """The served folder: names in requests are relative to it, and nothing outside it is read; with
    `read_only` (`--read-only`, `--token-file`) nothing in it is written either (`writable`)."""

    root: Path
    read_only: bool = False

    @classmethod
    def at(cls, path: str | Path, read_only: bool = False) -> Folder:
        return cls(Path(path).resolve(), read_only)

    def writable(self, name: str) -> None:
        """E983 (403) unless the server may write files: every route that writes asks first."""
        if self.read_only:
            raise JixiaoError.single(
                "E983", None, name=name, reason=("服务以只读方式启动", "the server is read-only")
            )

    # -- names ------------------------------------------------------------------------------------------
    def path(self, name: str, *, exists: bool = True, want: tuple[str, str] = ANY_FILE) -> Path:
        """The file `name` inside the folder; E974 if it escapes the folder, is hidden (a part starting
        with "."), is no possible name (a NUL, too long) or (`exists`) is missing; E992 (`exists`) if it
        is a folder of the served folder, its help saying what to name instead (`want`, zh and en)."""
        pure = PurePosixPath(name.replace("\\", "/"))
        control = any(ord(c) < 32 or ord(c) == 127 for c in name)  # a NUL, a line break: no file's name
        if not name or control or hidden(pure.parts):
            raise JixiaoError.single("E974", None, name=escaped(name))
        if pure.is_absolute():  # said as written, with its name in the folder if it has one (not E974)
            relative = self._relative(str(pure), self.root)  # `\\x` is `/x` here, as below
            shown = None if relative is None else escaped(relative)
            raise JixiaoError.single("E996", None, written=escaped(name), suggestion=shown)
        try:
            found = (self.root / Path(*pure.parts)).resolve()
            inside = found.is_relative_to(self.root) and not hidden(found.relative_to(self.root).parts)
            if inside and exists and found.is_dir():
                raise JixiaoError.single("E992", None, name=name, want=want)
            if not inside or (exists and not found.is_file()):
                raise JixiaoError.single("E974", None, name=escaped(name))
        except (OSError, ValueError):  # a name too long for the system, a loop of links
            raise JixiaoError.single("E974", None, name=escaped(name)) from None
        return found

    def _relative(self, written: str, base: Path) -> str | None:
        """The name relative to `base` of an absolute path a user wrote, if it is a file of the folder
        a user may see (not hidden, not outside through a link); else None."""
        try:
            found = Path(written).resolve()
            relative = found.relative_to(base.resolve())
            inside = found.relative_to(self.root)
        except (OSError, ValueError):
            return None
        return None if hidden(inside.parts) or not relative.parts else relative.as_posix()

    def display(self, path: str) -> str:
        """A path as a user of the served folder sees it: relative to the folder (or a packaged name)."""
        for base, prefix in self._bases():
            try:
                return prefix + Path(path).resolve().relative_to(base).as_posix()
            except ValueError:
                continue
        return path

    def _bases(self) -> tuple[tuple[Path, str], ...]:
        """Where files a user may see live, and how they are named: the folder, the packaged policies."""
        return ((self.root, ""), (packaged_rulesets(), "jixiao:rulesets/"))

    def tidy(self, text: str) -> str:
        """Text that may name files (explanations): server paths as the user sees them."""
        for base, prefix in self._bases():
            text = text.replace(f"{base}{os.sep}", prefix)
        return text

    def files(self) -> list[tuple[str, str]]:
        """(name, kind) of every ruleset, actual-value and test file under the folder that can be opened,
        sorted by name: not a link to outside the folder, nor a file this process may not read (listed,
        they could only be refused when picked)."""
        found = []
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root)
            found_kind = kind(path)
            if found_kind and not hidden(relative.parts) and self._readable(relative.as_posix()):
                found.append((relative.as_posix(), found_kind))
        return found

    def _readable(self, name: str) -> bool:
        try:
            return os.access(self.path(name), os.R_OK)
        except JixiaoError:
            return False

    # -- rulesets ---------------------------------------------------------------------------------------
    def source(self, given: RulesetInput) -> tuple[str, Path]:
        """(text, path) of a requested ruleset; text without a name lives at the folder's top."""
        if given.text is not None:
            if len(given.text) > MAX_RULESET:
                raise JixiaoError.single("E975", None, size=len(given.text), limit=MAX_RULESET)
            path = self.path(given.name, exists=False) if given.name else self.root / "<text>.jx"
            return given.text, path
        assert given.name is not None
        path = self.path(given.name)
        text = read_text(path)
        if len(text) > MAX_RULESET:
            raise JixiaoError.single("E975", None, size=len(text), limit=MAX_RULESET)
        return text, path

    def named_source(self, given: RulesetInput) -> tuple[str, str]:
        """(name, text) of a requested ruleset: the name its diagnostics' spans carry."""
        text, path = self.source(given)
        return self._name(path), text

    def _roots(self, path: Path) -> list[Path]:
        """Where its 采用 may look: the ruleset's own folder first, then the served folder (both inside)."""
        return [path.parent, self.root]

    def resolve(self, given: RulesetInput) -> Ruleset:
        """Parse and resolve (policies applied) without checking: for check and diff."""
        text, path = self.source(given)
        return parse_ruleset(text=text, name=self._name(path), roots=self._roots(path), lenient=True)

    def compile(self, given: RulesetInput) -> CompiledRuleset:
        text, path = self.source(given)
        return load_ruleset(text=text, name=self._name(path), roots=self._roots(path))

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.name

    # -- errors -----------------------------------------------------------------------------------------
    def shown(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Diagnostics with paths as the user sees them: no server paths leave the server."""
        return [self._shown(d) for d in diagnostics]

    def _shown(self, diag: Diagnostic) -> Diagnostic:
        written = diag.code in AS_WRITTEN  # "it is an absolute path" must show the path, not its name here
        args = {
            k: v if written and k in ("name", "written") else self._arg(k, v) for k, v in diag.args.items()
        }
        span = diag.span
        suggestion = diag.suggestion
        name = diag.args.get("name")
        if written and suggestion is None and isinstance(name, str) and PurePosixPath(name).is_absolute():
            # 采用 is looked up from the served folder too; a test file's paths are relative to it
            base = Path(span.path).parent if diag.code == "E253" and span is not None else self.root
            suggestion = self._relative(name, base)
            if suggestion is not None and diag.code == "E230":
                suggestion = suggestion.removesuffix(".jx")
        if span is not None:
            span = replace(span, path=self.display(span.path))
        if diag.code == "E105" and suggestion is not None:  # a nearby file's path, named as the span is
            suggestion = self.display(suggestion)
        return replace(diag, span=span, args=args, suggestion=suggestion)

    def _arg(self, key: str, value: object) -> object:
        if key == "searched" and isinstance(value, str):  # E204: only the folders the user can see
            inside = [self.display(p) for p in value.split("；") if self._inside(p)]
            return "；".join([*inside, "jixiao/rulesets"])
        if isinstance(value, str) and self._inside(value):  # a file's path: its name in the folder
            return self.display(value)
        return (
            value.replace(f"{self.root}{os.sep}", "").replace(str(self.root), ".")
            if isinstance(value, str)
            else value
        )

    def _inside(self, path: str) -> bool:
        try:
            return Path(path).is_absolute() and Path(path).resolve().is_relative_to(self.root)
        except (OSError, ValueError):
            return False
