"""The word lists shipped as YAML (labels.yaml, layouts/*.yaml) read without PyYAML when they keep to
their plain form; anything else is read by PyYAML, imported then.

The plain form is what these files use: `key: value`, `key: [a, b, c]`, a nested mapping or a flow list
on the lines below a `key:`, comments, indentation by spaces. A value is kept only where YAML would read
it as the same text: anything YAML might read otherwise (a number, `yes`, `null`, a date, a quote, an
anchor, a tag, a block list, a duplicate key, a flow list over several lines…) sends the whole file to
PyYAML. `jixiao score` thus needs no YAML parser for a CSV file (docs/performance.md, "启动 / Start");
tests/test_wordlists.py checks the shipped files and generated ones against `yaml.safe_load`.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

YAML = "yaml"  # PyYAML, for a file outside the plain form

# What YAML might read as something other than the text itself, or cannot hold in a plain value.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_INSIDE = frozenset(":#,[]{}")
_RESOLVED = re.compile(r"^(?:[-+.0-9~=<].*|(?i:y|n|yes|no|true|false|on|off|null))$")
_COMMENT = re.compile(r"(?:^| )#")


class Declined(Exception):
    """The text is not in the plain form (PyYAML reads it)."""


def load(text: str) -> Any:
    """The YAML document `text`, as `yaml.safe_load` reads it."""
    try:
        return plain(text)
    except Declined:
        return importlib.import_module(YAML).safe_load(text)


def plain(text: str) -> dict[str, Any]:
    """The document in the plain form; `Declined` for anything else."""
    raw = text.split("\n")
    if not all(line.isprintable() for line in raw):  # no tab, CR, BOM, NEL, other break or space
        raise Declined
    lines = [(_indent(line), line.strip(" ")) for line in map(_uncommented, raw)]
    lines = [(indent, line) for indent, line in lines if line]
    if not lines:
        raise Declined
    mapping, end = _mapping(lines, 0, lines[0][0])
    if end != len(lines) or lines[0][0] != 0:
        raise Declined
    return mapping


def _uncommented(line: str) -> str:
    found = _COMMENT.search(line)
    return line[: found.start()] if found else line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mapping(lines: list[tuple[int, str]], start: int, indent: int) -> tuple[dict[str, Any], int]:
    """The mapping whose keys sit at `indent` from line `start`; the line after it."""
    out: dict[str, Any] = {}
    at = start
    while at < len(lines) and lines[at][0] == indent:
        line = lines[at][1]
        key, sep, rest = line.partition(": ") if ": " in line else line.rpartition(":")
        key, rest = key.rstrip(" "), rest.strip(" ")
        if not sep or key in out or (sep == ":" and rest):
            raise Declined
        _scalar(key)
        at += 1
        if rest:
            out[key] = _value(rest)
        elif at < len(lines) and lines[at][0] > indent:
            out[key], at = _nested(lines, at)
        else:
            raise Declined  # an empty value (YAML: None)
    if at < len(lines) and lines[at][0] > indent:
        raise Declined
    return out, at


def _nested(lines: list[tuple[int, str]], at: int) -> tuple[Any, int]:
    """The value below a `key:`: a flow list on one line, or a mapping."""
    indent, line = lines[at]
    if line.startswith("["):
        return _value(line), at + 1
    return _mapping(lines, at, indent)


def _value(text: str) -> str | list[str]:
    """`[a, b]` or a plain text, each item as YAML reads it."""
    if text.startswith("["):
        if not text.endswith("]"):
            raise Declined
        return [_scalar(item.strip(" ")) for item in text[1:-1].split(",")]
    return _scalar(text)


def _scalar(text: str) -> str:
    """A plain text YAML reads as itself; `Declined` for anything it might read otherwise."""
    if not text or text[0] in _INDICATORS or _RESOLVED.match(text) or any(c in _INSIDE for c in text):
        raise Declined
    return text
