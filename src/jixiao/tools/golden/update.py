"""`jixiao test --update`: rewrite failing expectations in place, keeping everything else byte for byte.

Only the text of the values that change is replaced (found by their YAML positions), so comments,
layout, key order and quoting elsewhere stay as written. A new value is written plain only when plain
YAML reads it back unchanged (`99.31`, `优`), else double-quoted (`"A: 优"`, `"A #1"`, `"/"`). A block
list keeps its items' lines and comments; items are replaced, added or removed one line each. The new
text is read back before anything is written: unless every edited value reads as intended, nothing is
written (E910). The write itself goes through a temporary file (`tools.rewrite`).

Why not a round-trip YAML library (ruamel.yaml)? It re-emits the whole file — indentation, line
wrapping and quoting may change where nothing was edited — and would be a new dependency; splicing
changes only the bytes of the values that changed, and the read-back check makes it safe.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml  # type: ignore[import-untyped]

from jixiao.diagnostics import JixiaoError, Span
from jixiao.tools.golden.model import Document, Key, parse_nodes
from jixiao.tools.golden.run import FileResult, Mismatch
from jixiao.tools.rewrite import rewrite

_PLAIN = re.compile(r"[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff._%-]*")
_CODE = re.compile(r"[EWF]\d{3}")
_NULL_WORDS = frozenset({"null", "Null", "NULL"})


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


def update_file(file: FileResult) -> int:
    """Rewrite the failing expectations of a file in place; return how many were changed."""
    doc = file.document
    if doc is None:
        return 0
    wanted: dict[Key, Any] = {}
    edits: list[Edit] = []
    for case in file.cases:
        for mismatch in case.mismatches:
            found = _edits(doc, mismatch)
            if found is not None:
                edits.extend(found[0])
                wanted[mismatch.key] = found[1]
    if not edits:
        return 0
    text = doc.text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        spaced = " " if edit.start > 0 and text[edit.start - 1] == ":" and edit.text else ""  # `total:` empty
        text = text[: edit.start] + spaced + edit.text + text[edit.end :]
    _read_back(doc, text, wanted)
    rewrite(doc.path, text)
    return len(wanted)


def _edits(doc: Document, mismatch: Mismatch) -> tuple[list[Edit], Any] | None:
    node = doc.nodes.get(mismatch.key)
    if node is None or mismatch.got == "":
        return None
    if isinstance(node, yaml.SequenceNode) or mismatch.what in ("findings", "errors"):
        codes = _CODE.findall(mismatch.got)
        return _list_edits(doc.text, node, codes), codes
    if not isinstance(node, yaml.ScalarNode):
        return None
    quote = doc.text[node.start_mark.index]
    new = scalar(mismatch.got, quote if quote in "\"'" else "")
    return [Edit(node.start_mark.index, node.end_mark.index, new)], mismatch.got


def scalar(text: str, quote: str = "") -> str:
    """`text` as a YAML scalar that reads back as exactly `text`, in the quoting given if any."""
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    if quote == "" and _PLAIN.fullmatch(text) and text not in _NULL_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _list_edits(text: str, node: Any, codes: list[str]) -> list[Edit]:
    """Edits turning a list node into `codes`: flow lists are rewritten, block lists item by item."""
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    flow = isinstance(node, yaml.SequenceNode) and node.flow_style
    if not items or flow or not isinstance(node, yaml.SequenceNode):
        return [Edit(node.start_mark.index, node.end_mark.index, "[" + ", ".join(codes) + "]")]
    edits = [
        Edit(i.start_mark.index, i.end_mark.index, scalar(c)) for i, c in zip(items, codes, strict=False)
    ]
    last = items[-1]
    if len(codes) > len(items):
        dash = text.rfind("-", 0, last.start_mark.index)
        indent = " " * (dash - text.rfind("\n", 0, dash) - 1)
        extra = "".join(f"\n{indent}- {scalar(c)}" for c in codes[len(items) :])
        edits.append(Edit(_line_end(text, last.end_mark.index), _line_end(text, last.end_mark.index), extra))
    elif len(codes) < len(items):
        if not codes:
            first = items[0]
            dash = text.rfind("-", 0, first.start_mark.index)
            return [Edit(dash, _line_end(text, last.end_mark.index), "[]")]
        keep = items[len(codes) - 1]
        edits.append(Edit(_line_end(text, keep.end_mark.index), _line_end(text, last.end_mark.index), ""))
    return edits


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _read_back(doc: Document, text: str, wanted: dict[Key, Any]) -> None:
    """The edited text parses and every edited value reads as intended; else nothing is written."""
    try:
        _, nodes = parse_nodes(text, str(doc.path))
        ok = all(_value(nodes.values.get(key)) == value for key, value in wanted.items())
    except (JixiaoError, yaml.YAMLError):
        ok = False
    if not ok:
        reason = ("更新后的文件读回的值与预期不符", "the updated file would not read back as intended")
        raise JixiaoError.single("E910", Span(str(doc.path), 1, 1), reason=reason)


def _value(node: Any) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return [str(item.value) for item in node.value]
    return None if node is None else str(node.value)
