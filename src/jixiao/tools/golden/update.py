"""`jixiao test --update`: rewrite failing expectations in place, keeping everything else byte for byte.

A case that now ends in errors it does not expect gets `errors: [...]` in place of its expectations (a
failing case is compared on its errors only); a grade or budget score the result no longer has is written
`"/"` (none, as for an indicator not scored: read back and compared so); an expectation that cannot be
rewritten is returned with why.

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
from dataclasses import dataclass, field
from typing import Any

import yaml  # type: ignore[import-untyped]

from jixiao.diagnostics import JixiaoError, Span
from jixiao.tools.golden.model import NOT_APPLICABLE, Document, Key, parse_nodes
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


@dataclass(frozen=True)
class Why:
    """Why an expectation cannot be rewritten, in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True)
class Skipped:
    """A failing expectation `--update` could not rewrite, and why (Chinese, English)."""

    case: str
    what: str
    span: Span
    reason: Why


@dataclass
class Updated:
    """What `update_file` did: how many expectations it rewrote, and those it could not."""

    changed: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def update_file(file: FileResult) -> Updated:
    """Rewrite the failing expectations of a file in place; say how many were changed and which could
    not be, and why."""
    doc = file.document
    out = Updated()
    if doc is None:
        return out
    wanted: dict[Key, Any] = {}
    edits: list[Edit] = []
    for case in file.cases:
        for mismatch in case.mismatches:
            found = _edits(doc, mismatch)
            if isinstance(found, Why):
                out.skipped.append(Skipped(case.name, mismatch.what, mismatch.span, found))
            else:
                edits.extend(found[0])
                wanted[mismatch.key] = found[1]
    if not edits:
        return out
    text = doc.text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        spaced = " " if edit.start > 0 and text[edit.start - 1] == ":" and edit.text else ""  # `total:` empty
        text = text[: edit.start] + spaced + edit.text + text[edit.end :]
    _read_back(doc, text, wanted)
    rewrite(doc.path, text)
    out.changed = len(wanted)
    return out


NONE_WRITTEN = ("grade", "budget")  # a result without one is expected as `/`, as an indicator not scored
_NOT_SCALAR = Why("期望值不是单个值，请手工改写", "the expectation is not a single value; rewrite it by hand")


def _edits(doc: Document, mismatch: Mismatch) -> tuple[list[Edit], Any] | Why:
    """The edits making `mismatch` hold and the value they write, else why they cannot be made."""
    node = doc.nodes.get(mismatch.key)
    if node is None and mismatch.what == "errors":
        return _errors_edits(doc, mismatch.key[:-2], _CODE.findall(mismatch.got))
    if node is None:
        return _NOT_SCALAR
    got = (mismatch.got or NOT_APPLICABLE) if mismatch.what in NONE_WRITTEN else mismatch.got
    if isinstance(node, yaml.SequenceNode) or mismatch.what in ("findings", "errors"):
        codes = _CODE.findall(got)
        return _list_edits(doc.text, node, codes), codes
    if not isinstance(node, yaml.ScalarNode):
        return _NOT_SCALAR
    quote = doc.text[node.start_mark.index]
    new = scalar(got, quote if quote in "\"'" else "")
    return [Edit(node.start_mark.index, node.end_mark.index, new)], got


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


# -- a case that now ends in errors it does not expect ----------------------------------------------------
def _errors_edits(doc: Document, case: Key, codes: list[str]) -> tuple[list[Edit], Any] | Why:
    """Edits making a case expect the errors it now ends in: `errors: [E511]` in place of what it expected
    (a case that fails is never compared against a total, grade or score, so those no longer apply).
    Each replaced expectation goes with its lines (a nested `scores:` block with it); comments on lines
    of their own between expectations stay. The key is written in the language of the case's keys."""
    text, expect = doc.text, doc.nodes.get((*case, "expect"))
    chinese = _chinese(doc, case)
    value = f"{'错误' if chinese else 'errors'}: [{', '.join(codes)}]"
    if isinstance(expect, yaml.MappingNode) and (expect.flow_style or not expect.value):
        return [Edit(expect.start_mark.index, expect.end_mark.index, "{" + value + "}")], codes
    if isinstance(expect, yaml.MappingNode):
        entries = [(_line_start(text, k.start_mark.index), _lines_end(text, v)) for k, v in expect.value]
        indent = " " * expect.value[0][0].start_mark.column
        if any(
            text[start : k.start_mark.index].strip()
            for (start, _), (k, _) in zip(entries, expect.value, strict=True)
        ):
            return _BY_HAND
        edits = [Edit(start, end, "") for start, end in entries[1:]]
        return [Edit(entries[0][0], entries[0][1], f"{indent}{value}\n"), *edits], codes
    node = doc.nodes.get(case)
    expect_key = "预期" if chinese else "expect"
    if expect is not None or not isinstance(node, yaml.MappingNode) or not node.value:
        return _BY_HAND
    if node.flow_style:  # `- {name: a, actuals: a.csv}`: added before its `}`
        close = node.end_mark.index - 1
        if text[close] != "}":
            return _BY_HAND
        return [Edit(close, close, f", {expect_key}: {{{value}}}")], codes
    indent = " " * node.value[0][0].start_mark.column
    end = _lines_end(text, node.value[-1][1])
    block = f"{indent}{expect_key}:\n{indent}  {value}\n"
    return [Edit(end, end, block if text[end - 1 : end] in ("\n", "") else "\n" + block)], codes


_BY_HAND = Why(
    "无法在原处写入 errors，请手工改为 errors: 并列出这些错误代码",
    "errors cannot be written in place; write errors: with these codes by hand",
)


def _chinese(doc: Document, case: Key) -> bool:
    """Whether a case writes its keys in Chinese (预期, 总分): as its expect's keys, else its expect key,
    else its own keys are written (every key there is one of the model's, in one language or the other)."""
    expect, key, node = (
        doc.nodes.get((*case, "expect")),
        doc.keys.get((*case, "expect")),
        doc.nodes.get(case),
    )
    if isinstance(expect, yaml.MappingNode) and expect.value:
        return not str(expect.value[0][0].value).isascii()
    if key is not None:
        return not str(key.value).isascii()
    return (
        isinstance(node, yaml.MappingNode) and bool(node.value) and not str(node.value[0][0].value).isascii()
    )


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _lines_end(text: str, node: Any) -> int:
    """Just past the line that ends `node` (its last nested value for a block collection)."""
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = _line_end(text, node.end_mark.index)
    return min(end + 1, len(text))


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
        raise JixiaoError.single("E910", Span.of_path(str(doc.path)), reason=reason)


def _value(node: Any) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return [str(item.value) for item in node.value]
    return None if node is None else str(node.value)
