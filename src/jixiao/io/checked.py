"""Checked rulesets kept between runs of the `jixiao` command, in the user's cache folder.

Loading a ruleset parses it and the policies it adopts (采用), resolves and checks them: about two
thirds of `jixiao score`'s work after its imports (docs/performance.md, "启动 / Start"). The console
script (`cli.run`) keeps what a successful check gave (the resolved `Ruleset` and its warnings, as
`CompiledRuleset` pickles them for worker processes) in one file per ruleset text, and a later run with
the same text loads it instead; the plan is compiled again as for a worker.

Keyed by the text, its name, the file it came from, the roots, this program (jixiao's own files: their
names, sizes and modification times; the grammar) and the Python build. A kept file is used only when:
it loads naming nothing but jixiao's dataclasses and enums of the modules that hold a ruleset,
`fractions.Fraction` and pathlib's paths (`_Unpickler.find_class`: no function, nothing else, so a
tampered file cannot run code), it holds a `Ruleset` whose text is this one and warnings that are
`Diagnostic`s, and every policy file it used still has the same text with no file appearing before it
(`Dependency.holds`, as the in-process cache checks). Anything else, a truncated or foreign file
included, is passed over and written again. A ruleset with errors is never kept: its diagnostics come
from checking it each time. The folder is the user's own (mode 0700), like the parser's cache beside it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from jixiao.diagnostics import Diagnostic
from jixiao.engine.checks import run_checks  # noqa: F401 - loaded, so part of `program`
from jixiao.engine.resolve import Ruleset
from jixiao.resources import data_dir

FORMAT = 1  # the layout of a kept file; a change makes every older file a miss
KEPT = 256  # files kept at most (the oldest go first)
PRUNED = 192  # files left when there are too many: pruning once in a while, not at every new ruleset
PREFIX = "ruleset-"
# The modules whose dataclasses and enums a checked ruleset is made of.
MODULES = frozenset(
    {
        "jixiao.diagnostics",
        "jixiao.engine.resolve",
        "jixiao.engine.roots",
        "jixiao.language.nodes",
        "jixiao.language.quantity",
        "jixiao.language.rounding",
    }
)
OTHERS = frozenset(
    {
        ("fractions", "Fraction"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
        ("pathlib", "PurePosixPath"),
        ("pathlib", "PureWindowsPath"),
        (
            "jixiao.language.nodes",
            "chained",
        ),  # a chain `a + b + …`, `a 或 b …` (__reduce__): BinOp, Logic only
    }
)

Kept = tuple[Ruleset, list[Diagnostic]]


def file_for(folder: Path, parts: tuple[str, ...]) -> Path | None:
    """The file of the ruleset described by `parts` (its text, name, file and roots) for this program;
    None when the program cannot be told apart from another version (`program`)."""
    this = program()
    if this is None:
        return None
    digest = hashlib.sha256()
    for part in (str(FORMAT), sys.version, this, *parts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return folder / f"{PREFIX}{digest.hexdigest()[:32]}.pickle"


@functools.cache
def program() -> str | None:
    """jixiao's modules loaded when first asked (those that parse, resolve and check are: this module
    imports them), with their files' sizes and modification times, and the grammar's: a new version, an
    edited source file or grammar gives other keys. Once per process, so that its keys stay the same."""
    found = []
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None) if name.split(".")[0] == "jixiao" else None
        if file:
            try:
                stat = os.stat(file)
            except OSError:
                return None  # not a file of its own (a zip archive): nothing is kept
            found.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(found) + _grammar_stat()


def _grammar_stat() -> str:
    """The grammar's size and modification time (in the package, or in a source checkout)."""
    grammar = data_dir("grammars").joinpath("ruleset.lark")
    try:
        stat = os.stat(str(grammar))
    except OSError:
        return f"\ngrammar:{hashlib.sha256(grammar.read_bytes()).hexdigest()}"
    return f"\ngrammar:{stat.st_size}:{stat.st_mtime_ns}"


def load(path: Path, text: str, name: str) -> Kept | None:
    """The checked ruleset kept in `path` for `text`, or None (no file, or one not to be used)."""
    try:
        with path.open("rb") as file:
            state = _Unpickler(file).load()
    except Exception:
        return None
    if not isinstance(state, dict) or set(state) != {"ruleset", "warnings"}:
        return None
    ruleset, warnings = state["ruleset"], state["warnings"]
    if not isinstance(ruleset, Ruleset) or ruleset.sources.get(name) != text:
        return None
    if not isinstance(warnings, list) or not all(isinstance(w, Diagnostic) for w in warnings):
        return None
    if not all(d.holds() for d in ruleset.depends):
        return None
    return ruleset, warnings


def save(path: Path, ruleset: Ruleset, warnings: list[Diagnostic]) -> None:
    """Keep a checked ruleset (atomically; a failure is passed over), and at most `KEPT` files.

    Not read back to see that `load` accepts it (that cost as much as writing it, on every ruleset's
    first run): a file `load` refuses is only a miss, checked again. tests/test_checked.py loads every
    ruleset of the repository back."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        data = pickle.dumps({"ruleset": ruleset, "warnings": warnings}, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.write_bytes(data)
        os.replace(temporary, path)
        _prune(path.parent)
    except (OSError, pickle.PickleError, TypeError, AttributeError, RecursionError):
        temporary.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """More than `KEPT` files: the oldest removed, `PRUNED` left (times read only then)."""
    with os.scandir(folder) as entries:
        kept = [e for e in entries if e.name.startswith(PREFIX) and e.name.endswith(".pickle")]
    if len(kept) <= KEPT:
        return
    kept.sort(key=lambda e: e.stat().st_mtime_ns)
    for old in kept[: len(kept) - PRUNED]:
        Path(old.path).unlink(missing_ok=True)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        """A dataclass or enum of the modules a ruleset is made of, named where it is defined; a Fraction
        or a path. Nothing else: no function, no class reached through another module."""
        if (module, name) in OTHERS:
            return super().find_class(module, name)
        if module not in MODULES:
            raise pickle.UnpicklingError(f"{module}.{name}")
        found = super().find_class(module, name)
        if not isinstance(found, type) or found.__module__ != module or found.__qualname__ != name:
            raise pickle.UnpicklingError(f"{module}.{name}")
        if not (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)):
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found
