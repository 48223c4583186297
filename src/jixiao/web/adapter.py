"""The one place where the server turns request inputs into engine inputs: rulesets and actual values.

Everything the HTTP API reads goes through `Folder`: a file name must stay inside the served folder,
and a ruleset's 采用 is resolved by the engine with the served folder as its only root (besides the
packaged policies), so no file outside is ever opened (docs/security.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from jixiao.api import CompiledRuleset, load_ruleset, parse_ruleset
from jixiao.diagnostics import Diagnostic, JixiaoError
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.resolve import Ruleset
from jixiao.io.actuals import from_rows, parse_actuals
from jixiao.resources import rulesets_dir
from jixiao.source import decode, read_text
from jixiao.web.models import ActualsInput, RulesetInput

MAX_RULESET = 1_000_000  # characters of ruleset text
CACHE_SIZE = 32
KINDS = {".jx": "ruleset", ".csv": "actuals", ".test.yaml": "test", ".test.yml": "test"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ruleset_hash(sources: dict[str, str]) -> str:
    """The hash of what decides the scores: the ruleset's text and the text of every policy it uses
    (not where they are, so every copy of a service reports the same hash)."""
    digest = hashlib.sha256()
    for text in sorted(sha256(text) for text in sources.values()):
        digest.update(text.encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Folder:
    """The served folder: names in requests are relative to it, and nothing outside it is read."""

    root: Path

    @classmethod
    def at(cls, path: str | Path) -> Folder:
        return cls(Path(path).resolve())

    # -- names ------------------------------------------------------------------------------------------
    def path(self, name: str, *, exists: bool = True) -> Path:
        """The file `name` inside the folder; E974 if it escapes the folder or (`exists`) is missing."""
        pure = PurePosixPath(name.replace("\\", "/"))
        if not name or pure.is_absolute() or any(part in ("", ".", "..") for part in pure.parts):
            raise JixiaoError.single("E974", None, name=name)
        found = (self.root / Path(*pure.parts)).resolve()
        if not found.is_relative_to(self.root) or (exists and not found.is_file()):
            raise JixiaoError.single("E974", None, name=name)
        return found

    def display(self, path: str) -> str:
        """A path as a user of the served folder sees it: relative to the folder (or a packaged name)."""
        for base, prefix in ((self.root, ""), (rulesets_dir().resolve(), "jixiao:rulesets/")):
            try:
                return prefix + Path(path).resolve().relative_to(base).as_posix()
            except ValueError:
                continue
        return path

    def tidy(self, text: str) -> str:
        """Text that may name files (explanations): server paths as the user sees them."""
        for base, prefix in ((self.root, ""), (rulesets_dir().resolve(), "jixiao:rulesets/")):
            text = text.replace(f"{base}{os.sep}", prefix)
        return text

    def files(self) -> list[tuple[str, str]]:
        """(name, kind) of every ruleset, actual-value and test file under the folder, sorted by name."""
        found = []
        for path in sorted(self.root.rglob("*")):
            kind = next((k for suffix, k in KINDS.items() if path.name.endswith(suffix)), None)
            if kind and path.is_file() and not any(p.startswith(".") for p in path.parts):
                found.append((path.relative_to(self.root).as_posix(), kind))
        return found

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

    # -- actual values ----------------------------------------------------------------------------------
    def actuals(self, given: ActualsInput, label: str = "<actuals>") -> ActualsFile:
        if given.name is not None:
            path = self.path(given.name)
            return parse_actuals(read_text(path), given.name)
        if given.rows is not None:
            return from_rows(given.rows, label)
        if given.base64 is not None:
            return self.upload(_unbase64(given.base64, label), given.filename or label)
        assert given.text is not None
        return parse_actuals(given.text.replace("\r\n", "\n"), label)

    def upload(self, data: bytes, label: str) -> ActualsFile:
        """An uploaded actual-value file (CSV, UTF-8; other formats once the readers land)."""
        return parse_actuals(decode(data, label), label)

    # -- errors -----------------------------------------------------------------------------------------
    def shown(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Diagnostics with paths as the user sees them: no server paths leave the server."""
        return [self._shown(d) for d in diagnostics]

    def _shown(self, diag: Diagnostic) -> Diagnostic:
        args = {k: self._arg(k, v) for k, v in diag.args.items()}
        span = diag.span
        if span is not None:
            span = replace(span, path=self.display(span.path))
        return replace(diag, span=span, args=args)

    def _arg(self, key: str, value: object) -> object:
        if key == "searched" and isinstance(value, str):  # E204: only the folders the user can see
            inside = [self.display(p) for p in value.split("；") if self._inside(p)]
            return "；".join([*inside, "jixiao/rulesets"])
        return value.replace(str(self.root), ".") if isinstance(value, str) else value

    def _inside(self, path: str) -> bool:
        return Path(path).is_absolute() and Path(path).resolve().is_relative_to(self.root)


def _unbase64(text: str, label: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise JixiaoError.single("E971", None, where=f"{label}.base64", problem="not base64") from None
