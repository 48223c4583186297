"""The built parser kept between processes, its lexer's compiled patterns included: one pickle.

Lark's own cache (`cache=` in `parser._lark`) keeps its tables as generic data that lark turns back
into objects field by field (about 0.1 s of CPU), and no compiled pattern: the contextual lexer then
compiles one regular expression per parser state it meets (an alternation of the terminals that state
accepts, about 60 for the seed ruleset and its policy), and `re` parses each in pure Python (about
0.13 s). Here the whole `Lark` object is pickled once every state's scanner is built, each compiled
pattern as the SRE code `re` made of it (the list of integers `re.compile` ends with; rebuilt from its
text when written and checked equal to the pattern, else left to be compiled on load). Loading it takes
about 0.02 s.

The file is a pickle, loaded as code, like lark's own cache file beside it: it lives in the user's
cache folder (mode 0700, `resources.cache_dir`), and is loaded naming only lark's classes and
`functools.partial` (`Unpickler.find_class`; a parser that needs more is not written). Its name carries the
grammar, lark's version and the Python build; a file that cannot be read, or is not a parser, is
passed over and written again. CPython validates SRE code when a pattern is built from it; where `re`'s
internals are not as in CPython 3.11–3.13 the patterns are pickled as text and compiled on load.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import pickle
import re
import sys
import types
from pathlib import Path
from typing import Any

from lark import Lark
from lark.parsers.lalr_analysis import Reduce, Shift

from jixiao.language import lalr

# What a pickled parser may name (`find_class`): lark's own classes (where they are defined), its Shift and
# Reduce actions, and functools.partial, nothing else.
ALLOWED = (("functools", "partial"),)


def _internals() -> tuple[Any, Any, Any] | None:
    """`re`'s parser and code generator and `_sre`, where this Python has them as CPython 3.11–3.13 do."""
    if sys.implementation.name != "cpython":
        return None
    try:
        parser, compiler, sre = (importlib.import_module(n) for n in ("re._parser", "re._compiler", "_sre"))
    except ImportError:
        return None
    found = (getattr(parser, "parse", None), getattr(compiler, "_code", None), getattr(sre, "compile", None))
    return (parser, compiler, sre) if all(map(callable, found)) else None


_INTERNALS = _internals()


def file_name(key: str) -> str:
    """The file for a parser (`key`: its grammar and lark's version) on this Python build."""
    build = f"{key}\0{sys.implementation.cache_tag}\0{sys.version}"
    return f"parser-{hashlib.sha256(build.encode()).hexdigest()[:16]}.pickle"


def built(parser: Lark) -> Lark:
    """`parser` with every lexer state's scanner built (lark builds them on first use)."""
    contextual: Any = getattr(parser.parser, "lexer", None)
    states = getattr(contextual, "lexers", None)
    if isinstance(states, dict) and hasattr(contextual, "root_lexer"):
        for lexer in {id(lexer): lexer for lexer in [*states.values(), contextual.root_lexer]}.values():
            lexer.scanner  # noqa: B018 - a property that builds the scanner
    return parser


def save(parser: Lark, path: Path) -> None:
    """Write the parser (atomically: another process may be reading it); a failure is passed over."""
    buffer = io.BytesIO()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        _Pickler(buffer).dump(parser)
        _Unpickler(io.BytesIO(buffer.getvalue())).load()  # what `load` will accept (else: not written)
        temporary.write_bytes(buffer.getvalue())
        os.replace(temporary, path)
    except (OSError, pickle.PickleError, TypeError, AttributeError):
        temporary.unlink(missing_ok=True)


def load(path: Path) -> Lark | None:
    """The parser pickled in `path`, or None when there is none or it cannot be read as one."""
    try:
        with path.open("rb") as file:
            loaded = _Unpickler(file).load()
    except Exception:
        return None
    return loaded if isinstance(loaded, Lark) else None


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        """Shift and Reduce by reference (the parser compares actions by identity), once each."""
        if obj is Shift or obj is Reduce:
            return "Shift" if obj is Shift else "Reduce"
        return NotImplemented

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, re.Pattern):
            return ("pattern", obj.pattern, obj.flags, *_code(obj))
        if isinstance(obj, types.ModuleType):
            if obj is not re:
                raise pickle.PicklingError(f"module {obj.__name__}")
            return ("module", "re")
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, *rest = pid
        if kind == "module" and rest == ["re"]:
            return re
        if kind == "pattern":
            return _pattern(*rest)
        raise pickle.UnpicklingError(kind)

    def find_class(self, module: str, name: str) -> Any:
        """A lark class named where it is defined, lark's Shift and Reduce, `functools.partial`: not a
        function, and not a name reached through another module (`lark.lark` + `os.system` is os.system)."""
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        if module.split(".")[0] != "lark":
            raise pickle.UnpicklingError(f"{module}.{name}")
        found = super().find_class(module, name)
        if found is Shift or found is Reduce:  # the two actions, pickled by reference (`_Pickler`)
            return found
        if not isinstance(found, type) or found.__module__ != module or found.__qualname__ != name:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found


def _code(compiled: re.Pattern[Any]) -> tuple[Any, ...]:
    """(code, groups) of a compiled pattern, rebuilt from its text; () when not equal to it."""
    if _INTERNALS is None or not isinstance(compiled.pattern, str):
        return ()
    parser, compiler, _ = _INTERNALS
    parsed = parser.parse(compiled.pattern, compiled.flags)
    code = [int(op) for op in compiler._code(parsed, compiled.flags)]  # opcodes are int subclasses
    groups = parsed.state.groups - 1
    rebuilt = _pattern(compiled.pattern, compiled.flags, code, groups, dict(parsed.state.groupdict))
    return (code, groups, dict(parsed.state.groupdict)) if rebuilt == compiled else ()


def _pattern(pattern: str, flags: int, *stored: Any) -> re.Pattern[str]:
    """A pattern from its SRE code (validated by `_sre`), else compiled from its text."""
    if stored and _INTERNALS is not None:
        rebuilt: re.Pattern[str] | None = lalr.from_code(pattern, flags, *stored)
        if rebuilt is not None:
            return rebuilt
    return re.compile(pattern, flags)
