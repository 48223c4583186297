"""YAML and JSON actual-value files, for programs: the CSV's columns as keys, one mapping per row.

    项目: 城乡居民基本养老保险费财政补助资金      # optional; also project
    主管部门: "[332]某局"                        # optional; also department (实施单位: also unit)
    规则: 2020.jx                                # optional; also ruleset
    实际值:                                      # also rows, actuals; or the file is just the list
      - {一级指标: 预算执行, 二级指标: 年度资金总额, 三级指标: 全年预算数, 实际完成值: 970.00}
      - {三级指标: 享受补贴人数, 实际完成值: 约发放人数1.11万人}

Values are kept as written (`970.00` stays "970.00": the text of the scalar, never a float). The
document is validated by pydantic; every problem is positioned at its line and column. YAML anchors,
aliases and tags are refused (an actual-value file needs none, and they allow exponential blow-up).
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

import yaml  # type: ignore[import-untyped]
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from jixiao.diagnostics import Excerpt, JixiaoError, Span, file_span
from jixiao.io.actuals.grid import Grid, Place, Row
from jixiao.io.actuals.labels import HEADER_HELP, shared_vocabulary

SHAPE = "项目: …（可省）, 规则: ….jx（可省）, 实际值: [{三级指标: …, 实际完成值: …}, …]"
Mark = tuple[int, int]  # 1-based line and column


class Document(BaseModel):
    """The shape of a YAML/JSON actual-value file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    project: str = Field("", validation_alias=AliasChoices("项目", "project", "项目名称"))
    ruleset: str = Field("", validation_alias=AliasChoices("规则", "ruleset", "规则文件"))
    department: str = Field("", validation_alias=AliasChoices("主管部门", "department", "主管部门及代码"))
    unit: str = Field("", validation_alias=AliasChoices("实施单位", "unit"))
    rows: list[dict[str, str]] = Field(validation_alias=AliasChoices("实际值", "rows", "actuals"))


class _Converted:
    """Nodes → plain data (scalars as written), remembering where each value came from."""

    def __init__(self, lines: list[str], path: str) -> None:
        self.lines, self.path = lines, path
        self.marks: dict[tuple[Any, ...], Mark] = {}

    def value(self, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return "" if node.tag.endswith(":null") and node.value in ("", "~", "null") else str(node.value)

    def _mapping(self, node: yaml.MappingNode, path: tuple[Any, ...]) -> dict[str, Any]:
        """A mapping's keys and values; a key written twice in one mapping is E533 at the second (read
        either way, one of the two values would be lost without a word)."""
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for k, v in node.value:
            name = self._key(k)
            if name in first:
                line, column = k.start_mark.line + 1, k.start_mark.column + 1
                span = Span(self.path, line, column, excerpt=_line_excerpt(self.lines, line, column))
                where = (_key_path((*path, name), "第{}项"), _key_path((*path, name), "item {}"))
                raise JixiaoError.single(
                    "E533", span, key=name, where=where, first=first[name].start_mark.line + 1
                )
            first[name] = k
            out[name] = self.value(v, (*path, name))
        return out

    @staticmethod
    def _key(node: yaml.Node) -> str:
        return str(node.value) if isinstance(node, yaml.ScalarNode) else "?"

    def mark(self, path: tuple[Any, ...]) -> Mark:
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


def read_structured(text: str, path: str, fmt: str) -> tuple[Grid, Document]:
    """The rows of a YAML or JSON actual-value file as a grid (header: every key, in order)."""
    if fmt == "yaml":
        _refuse_note(text, path)
    if fmt == "json":
        _json_syntax(text, path)
        text = text.replace(
            "\t", " "
        )  # a tab is JSON whitespace but not YAML's; inside strings it is escaped
    root = _compose(text, path, fmt)
    converted = _Converted(text.split("\n"), path)
    try:
        data = converted.value(root, ()) if root is not None else None
    except RecursionError:
        raise _too_deep(path, fmt.upper()) from None
    if isinstance(data, list):  # the file is just the list of rows: its places are the rows' places
        converted.marks = {("rows", *key): mark for key, mark in converted.marks.items()}
        data = {"rows": data}
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        raise _shape_error(exc, converted, path, data) from None
    return _grid(
        document, converted, path, fmt, "rows" if "rows" in (data or {}) else _rows_key(data)
    ), document


ROWS_KEYS = frozenset({"实际值", "rows", "actuals"})
EXCERPT = 200  # characters of a note's first line shown under E530
_INFO_KEYS = frozenset({"主管部门", "department", "主管部门及代码", "实施单位", "unit"})
# the document's own keys (项目名称 is not one here: it also heads a note)
_DOCUMENT_KEYS = frozenset({"项目", "project", "规则", "ruleset", "规则文件"}) | _INFO_KEYS
YAML_SUFFIXES = (".yaml", ".yml")  # a file named so is meant as YAML: a flat mapping in it is E524, not E530
_ROW_COLUMNS = frozenset({"name", "actual"})  # a row's mapping written without its list: E524 says so


def _refuse_note(text: str, path: str) -> None:
    """E530 for text no reading makes an actual-value file, as a note with full-width colons is: no list
    of mappings or flow collection (`- 三级指标: …`, `[`, `{`), no key with a nested, flow or tagged value,
    no rows key and no 三级指标 or 实际完成值 key, and a line that is no `key: value` or whose
    key is none of the document's (`项目名称: 某项目`, `负责人: 张三`) — a note written with half-width
    colons, which would be E524 or a YAML syntax error (E525) for a line without one. `项目: …` and
    `规则: …` alone are a file whose rows are missing (E524)."""
    vocab = shared_vocabulary()
    lines = text.split("\n")
    first, foreign, prose = 0, False, False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        if stripped[0] in "[{":
            return  # a flow collection: a document's, read as YAML
        first = first or number
        if stripped[0] == "-" and stripped[1:2] in ("", " "):
            item = stripped[1:].strip()
            if not item or item[0] in "[{" or ":" in item:
                return  # a list of mappings: a document's rows
            foreign = prose = True  # a bullet of text (`- 第一点`)
            continue
        if line[0].isspace():
            continue  # a nested value: its key's line decides
        head, colon, value = stripped.partition(":")
        key, value = head.strip().strip("\"'"), value.strip()
        if not colon:
            foreign = prose = True  # a line of text
        elif not value or value[0] in "[{!&*":
            return  # a nested or flow value, a tag, an anchor: no flat mapping; read as YAML
        elif key in ROWS_KEYS or vocab.column(key) in _ROW_COLUMNS:
            return
        elif key in _DOCUMENT_KEYS:
            return
        elif vocab.column(key) != "project":
            foreign = True
    if not foreign:
        return
    # the excerpt of a line's start: its caret runs to a comma, never over a huge line
    span = Span(path, first, 1, excerpt=_line_excerpt([lines[first - 1][:EXCERPT]], 1, 1))
    if not prose and PurePath(path).suffix.lower() in YAML_SUFFIXES:
        # a flat `指标: 值` mapping in a file named .yaml: E524 says what a YAML file must hold (as YAML's
        # reading would say, without reading a hostile file's every key)
        raise JixiaoError.single("E524", span, problem=_NO_ROWS, expected=SHAPE)
    raise JixiaoError.single("E530", span, expected=HEADER_HELP)


_NO_ROWS = ("实际值：缺少这一项", "实际值: Field required")


def _rows_key(data: Any) -> str:
    return next((k for k in ("实际值", "rows", "actuals") if k in data), "rows")


def _json_syntax(text: str, path: str) -> None:
    try:
        # numbers stay text, as they are read below: Python's int() refuses more than 4,300 digits
        json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except RecursionError:
        raise _too_deep(path, "JSON") from None
    except json.JSONDecodeError as exc:
        span = Span(
            path, exc.lineno, exc.colno, excerpt=_line_excerpt(text.split("\n"), exc.lineno, exc.colno)
        )
        raise JixiaoError.single("E525", span, format="JSON", problem=exc.msg) from None


MAX_DEPTH = 32  # brackets inside brackets: a table needs 3 (document, row list, row)
MAX_INDENT = 200  # columns of indentation: deeper block nesting is refused before PyYAML sees it


def _compose(text: str, path: str, fmt: str) -> yaml.Node | None:
    if _too_nested(text):  # PyYAML's scanner is quadratic in nesting depth: 100k "[" would hang
        raise _too_deep(path, fmt.upper())
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            _refuse_references(event, path, text)
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise _too_deep(path, fmt.upper()) from None
    except yaml.YAMLError as exc:
        line, column = _yaml_place(exc, text)
        span = Span(path, line, column, excerpt=_line_excerpt(text.split("\n"), line, column))
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        raise JixiaoError.single("E525", span, format=fmt.upper(), problem=problem) from None


def _yaml_place(exc: Exception, text: str) -> Mark:
    """Where PyYAML says the problem is: a mark, or a character position (a non-printable character)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        before = text[:position]
        return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    return 1, 1


def _too_nested(text: str) -> bool:
    """Brackets nested deeper than MAX_DEPTH (outside quotes), or a line indented past MAX_INDENT."""
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "\n":
            quote = ""
    return any(len(line) - len(line.lstrip(" -")) > MAX_INDENT for line in text.split("\n"))


def _too_deep(path: str, fmt: str) -> JixiaoError:
    problem = ("括号或缩进嵌套太深", "nested too deeply")
    return JixiaoError.single("E525", file_span(path), format=fmt, problem=problem)


def _refuse_references(event: yaml.Event, path: str, text: str) -> None:
    what: tuple[str, str] | None = None
    if isinstance(event, yaml.AliasEvent):
        what = ("别名（*）", "aliases (*)")
    elif getattr(event, "anchor", None):
        what = ("锚点（&）", "anchors (&)")
    elif _explicit_tag(event):
        what = ("标签（!）", "tags (!)")
    if what is not None:
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        span = Span(path, line, column, excerpt=_line_excerpt(text.split("\n"), line, column))
        raise JixiaoError.single("E526", span, what=what)


def _explicit_tag(event: yaml.Event) -> bool:
    """A tag written on a node (`!!set {…}`, `!foo x`): a collection's `implicit` is a bool, a scalar's a
    pair (plain, quoted); the non-specific `!` counts as implicit in both."""
    implicit = getattr(event, "implicit", True)
    plain = implicit[0] if isinstance(implicit, tuple) else implicit
    return bool(getattr(event, "tag", None)) and not plain


def _shape_error(exc: ValidationError, converted: _Converted, path: str, data: Any) -> JixiaoError:
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    if loc and loc[0] in ("project", "ruleset", "department", "unit", "rows") and isinstance(data, dict):
        loc = (_rows_key(data) if loc[0] == "rows" else loc[0], *loc[1:])
    line, column = converted.mark(loc)
    where = ".".join(str(part) for part in loc) or "/"
    problem = (f"{where}：{_zh(error['type'])}", f"{where}: {error['msg']}")
    span = Span(path, line, column, excerpt=_line_excerpt(converted.lines, line, column))
    return JixiaoError.single("E524", span, problem=problem, expected=SHAPE)


_ZH = {
    "missing": "缺少这一项",
    "extra_forbidden": "不认识的键",
    "string_type": "应为一个值（文字或数），不能是列表或映射",
    "list_type": "应为一个列表（每行一项）",
    "dict_type": "应为一个映射（列名: 值）",
    "model_type": "应为一个映射或一个列表",
}


def _zh(kind: str) -> str:
    return _ZH.get(kind, kind)


def _grid(document: Document, converted: _Converted, path: str, fmt: str, key: str) -> Grid:
    header = list(dict.fromkeys(name for row in document.rows for name in row))
    first_place = {name: _first_place(document, converted, key, name) for name in header}
    rows = [Row(first_place[header[0]].line if header else 1, tuple(header),
                tuple(first_place[name] for name in header))]  # fmt: skip
    for index, values in enumerate(document.rows):
        line, column = converted.mark((key, index))
        places = tuple(_place(converted, (key, index, name), (line, column)) for name in header)
        rows.append(Row(line, tuple(values.get(name, "") for name in header), places))
    given = (("主管部门", document.department), ("实施单位", document.unit))
    info = tuple((label, value) for label, value in given if value.strip())
    return Grid(path, rows, separator=", ", format=fmt, info=info)


def _first_place(document: Document, converted: _Converted, key: str, name: str) -> Place:
    index = next(i for i, row in enumerate(document.rows) if name in row)
    line, column = converted.mark((key, index, name))
    return Place(line, column, _line_excerpt(converted.lines, line, column))


def _place(converted: _Converted, path: tuple[Any, ...], fallback: Mark) -> Place:
    line, column = converted.marks.get(path, fallback)
    return Place(line, column, _line_excerpt(converted.lines, line, column))


def _key_path(path: tuple[Any, ...], item: str) -> str:
    """A key path with list items numbered from 1 (实际值.第2项.实际完成值), as the test files' messages."""
    return ".".join(item.format(part + 1) if isinstance(part, int) else str(part) for part in path)


def _line_excerpt(lines: list[str], line: int, column: int) -> Excerpt:
    """The source line, split so that the caret falls at `column` (to the end of the token)."""
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    start = min(max(column - 1, 0), len(text))
    end = start
    while end < len(text) and text[end] not in ",}]\n":
        end += 1
    end = max(end, min(start + 1, len(text)))  # at least the character the problem is at
    return Excerpt((text[:start], text[start:end].rstrip() or " ", text[end:]), 1, "")
