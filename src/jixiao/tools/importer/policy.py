"""The policy a table is imported or audited under: what 采用 writes, where it is found, its rules.

A policy is named the way 采用 names it (`standard/central`, found among the packaged policies or in
`--root` folders) or given as a file (`rulesets/standard/hubei.jx`: 采用 "hubei", its folder first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.resolve import Rules, resolve_text
from jixiao.engine.roots import Roots, shown
from jixiao.io.rulesets import parse_ruleset
from jixiao.tools.fmt.words import quote

PROBE = "<评分办法>"
DEFAULT = "standard/central"


@dataclass(frozen=True)
class Policy:
    use: str  # the name after 采用
    roots: tuple[str, ...]  # the folders 采用 looks in (a policy file's own folder first)
    rules: Rules
    shown: str  # how the user named it

    @property
    def file_root(self) -> str | None:
        """The folder a policy given as a file is in (a generated ruleset needs it as --root)."""
        return self.roots[0] if self.roots and self.shown.endswith(".jx") else None


def find_policy(ref: str, roots: Sequence[str] = ()) -> Policy:
    """The policy `ref` names: a .jx file, or a name 采用 finds (in `roots`, then the packaged ones)."""
    path = Path(ref)
    if ref.lower().endswith(".jx") or path.is_file():
        if project_file(path):
            raise JixiaoError.single("E721", Span.of_path(shown(path)), name=shown(path))
        use, folders = path.stem, (str(path.parent), *roots)
    else:
        use, folders = ref.strip().replace("\\", "/"), tuple(roots)
    rules = _rules(use, folders)
    return Policy(use, tuple(folders), rules, shown(path) if path.is_file() else use)


def project_file(path: Path) -> bool:
    """Whether `path` holds a project ruleset (not a policy); a file that cannot be read raises."""
    return parse_ruleset(path, lenient=True).document.kind == "project"


def probe_text(use: str) -> str:
    return f'项目 "x" {{\n  采用 {quote(use)}\n}}\n'


def _rules(use: str, folders: Sequence[str]) -> Rules:
    try:
        return resolve_text(probe_text(use), PROBE, Roots.of(folders)).rules
    except JixiaoError as exc:  # 采用 of the probe: the place is the command line, not a file
        raise JixiaoError([_unplaced(d) for d in exc.diagnostics]) from None


def _unplaced(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.span is not None and diagnostic.span.path == PROBE:
        return replace(diagnostic, span=None)
    return diagnostic
