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
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, Protocol

import yaml  # type: ignore[import-untyped]
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from jixiao.diagnostics import Diagnostic, Excerpt, JixiaoError, Span, file_span
from jixiao.io.actuals.grid import Grid, Place, Row
from jixiao.io.actuals.labels import HEADER_HELP, shared_vocabulary
from jixiao.io.actuals.table import REQUIRED, no_header

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
        _refuse_nesting(text, path, "JSON")  # before json.loads, whose RecursionError has no place
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
    first, first_line, foreign, prose = 0, "", False, False
    for number, line in enumerate(_each_line(text), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        if stripped[0] in "[{":
            return  # a flow collection: a document's, read as YAML
        if not first:
            first, first_line = number, line
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
    span = Span(path, first, 1, excerpt=_line_excerpt([first_line[:EXCERPT]], 1, 1))
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
        # only the syntax matters: numbers are not converted (Python's int() refuses more than 4,300 digits)
        # and each object is dropped once read (its values are read again below): a body of many small
        # objects held them all, 25 times its size
        json.loads(text, parse_int=_nothing, parse_float=_nothing, parse_constant=_nothing,
                   object_pairs_hook=_nothing)  # fmt: skip
    except RecursionError:
        raise _too_deep(path, "JSON") from None
    except json.JSONDecodeError as exc:
        span = Span(
            path, exc.lineno, exc.colno, excerpt=_line_excerpt(text.split("\n"), exc.lineno, exc.colno)
        )
        raise JixiaoError.single("E525", span, format="JSON", problem=exc.msg) from None


def _nothing(_: object) -> None:
    return None


MAX_DEPTH = 32  # brackets inside brackets: a table needs 3 (document, row list, row)
MAX_INDENT = 200  # columns of indentation: deeper block nesting is refused before PyYAML sees it


def _compose(text: str, path: str, fmt: str) -> yaml.Node | None:
    if fmt != "json":  # PyYAML's scanner is quadratic in nesting depth: 100k "[" would hang
        _refuse_nesting(text, path, fmt.upper())
    try:
        shape = _Shape(path, text)
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            _refuse_references(event, path, text)
            shape.add(event)
        shape.refuse()  # a document read below only to be refused is refused here, without its node tree
        del shape
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise _too_deep(path, fmt.upper()) from None
    except yaml.YAMLError as exc:
        line, column = _yaml_place(exc, text)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        long = _long_key(exc, text)
        if long is not None:  # valid JSON said to be "expected ',' or '}', but got ':'"
            column, problem = long, (f"键超过 {MAX_KEY} 个字符", f"a key longer than {MAX_KEY} characters")
        span = Span(path, line, column, excerpt=_line_excerpt(_Lines(text), line, column))
        raise JixiaoError.single("E525", span, format=fmt.upper(), problem=problem) from None


MAX_KEY = 1024  # characters of a key: PyYAML reads no longer one (a simple key's limit in the YAML spec)


def _long_key(exc: yaml.YAMLError, text: str) -> int | None:
    """The column of the key before the colon PyYAML stopped at when that key is one token longer than
    MAX_KEY (PyYAML then sees a colon without a key), else None."""
    mark = getattr(exc, "problem_mark", None)
    at = getattr(mark, "index", -1)
    if not 0 <= at < len(text) or text[at] != ":" or mark is None:
        return None
    start = max(text.rfind(char, 0, at) for char in "\n{[,") + 1
    while start < at and text[start] in " \t-":
        start += 1
    key = text[start:at].rstrip()
    if len(key) <= MAX_KEY or ": " in key or "\t" in key or (key[:1] in "\"'" and key[-1:] != key[:1]):
        return None
    return int(mark.column) + 1 - (at - start)


MAX_WALK = 64  # levels `_Shape` walks; a deeper document (only by indentation, `_refuse_nesting`) is composed
_FLAT: dict[str, str] = {}  # every row whose values are all scalars: its keys and values do not matter
_KNOWN_KEYS = frozenset(
    name
    for field in Document.model_fields.values()
    if isinstance(field.validation_alias, AliasChoices)
    for name in field.validation_alias.choices
    if isinstance(name, str)
)


class _Frame:
    """A mapping or sequence `_Shape` is in: its path (as `_Converted` names it), its role (`root`: the
    top mapping; `list`: a list that may be the rows; `row`: a mapping in one; `skip`: anything whose
    content does not matter to the shape), the skeleton kept of it, and for a mapping the key whose value
    comes next and the line of each key seen (a key given twice is E533)."""

    def __init__(
        self, mapping: bool, path: tuple[Any, ...], role: str, name: str | None, start: Mark
    ) -> None:
        self.mapping, self.path, self.role, self.name, self.start = mapping, path, role, name, start
        self.kept: Any = {} if role in ("root", "row") else [] if role == "list" else None
        self.keys: dict[str, int] = {}
        self.key: str | None = None
        self.index = 0
        self.flat = True  # a row: every value a scalar so far
        self.done = False  # a list: an item that is no row came (the first error of the list is in it)
        self.other = False  # the top mapping: a key that is none of the document's kept already

    def result(self) -> Any:
        if self.role == "skip":
            return {} if self.mapping else []
        if self.role == "row" and self.flat:
            return _FLAT
        return self.kept


class _Shape:
    """What `Document.model_validate` needs to refuse a document, from its events, without PyYAML's node
    tree or `_Converted`'s marks: both cost hundreds of times the size of a document of tiny values
    (`[1,1,…]` 785 times, an object of 87,000 keys 160 times) before it was refused (E524), or a key
    given twice found (E533). Every scalar is "" (its text does not matter to the shape); a collection
    below a row, or a mapping as a value of the top mapping, is an empty one of its kind; a row whose
    values are all scalars is one shared empty dict; a list ends after its first item that is not such
    a row; the top mapping keeps the document's own keys and its first other key. So the first error
    pydantic reports (a field's, then the first bad row's, then the first unknown key's) is the one it
    reports for the whole document. `refuse` raises only what `read_structured` would: E533 for the
    first key given twice, else E524 for the shape; then, for a document of the right shape, what the
    grid of its rows would be refused with (`_Table`: E524 for rows that hardly share a key, E528, E530);
    a second document, a key that is a collection or a document deeper than `MAX_WALK` is left to it."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text = path, text
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.unsure = False
        self.twice: JixiaoError | None = None  # E533 at the first key given twice
        self.table = _Table()
        self.listed: Mark = (1, 1)  # where the (last) list that may be the rows starts

    def add(self, event: yaml.Event) -> None:
        if self.unsure:
            return
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            self.unsure = self.documents > 1  # compose's own error: one document only
        elif isinstance(event, yaml.CollectionEndEvent):
            frame = self.stack.pop()
            if frame.role == "row":
                self.table.end()
            self._put(frame.result(), frame.name)
        elif isinstance(event, yaml.NodeEvent):
            top = self.stack[-1] if self.stack else None
            if top is not None and top.mapping and top.key is None:
                self._key(top, event)
            elif isinstance(event, yaml.CollectionStartEvent):
                self._start(top, isinstance(event, yaml.MappingStartEvent), _mark(event))
            else:
                name = self._take_key(top)
                if top is not None and top.role == "row" and name is not None:
                    self.table.cell(name, _scalar(event), _mark(event))
                self._put("", name)

    def _key(self, frame: _Frame, event: yaml.NodeEvent) -> None:
        if not isinstance(event, yaml.ScalarEvent):  # a collection as a key: left to `_Converted`
            self.unsure = True
            return
        name, line = str(event.value), event.start_mark.line + 1
        if name in frame.keys and self.twice is None:
            column = event.start_mark.column + 1
            span = Span(self.path, line, column, excerpt=_line_excerpt(_Lines(self.text), line, column))
            where = (_key_path((*frame.path, name), "第{}项"), _key_path((*frame.path, name), "item {}"))
            self.twice = JixiaoError.single("E533", span, key=name, where=where, first=frame.keys[name])
        frame.keys.setdefault(name, line)
        frame.key = name
        if frame.role == "row":
            self.table.key(name)

    @staticmethod
    def _take_key(top: _Frame | None) -> str | None:
        """The key of the value that starts in `top` (a mapping's: it then waits for its next key)."""
        if top is None or not top.mapping:
            return None
        name, top.key = top.key, None
        return name

    def _start(self, top: _Frame | None, mapping: bool, start: Mark) -> None:
        name = self._take_key(top)
        if top is None:
            path: tuple[Any, ...] = ()
            role = "root" if mapping else "list"
        else:
            path = (*top.path, name) if top.mapping else (*top.path, top.index)
            top.index += 0 if top.mapping else 1
            role = {
                ("root", False): "list",
                ("list", True): "skip" if top.done else "row",
            }.get((top.role, mapping), "skip")
        self.stack.append(_Frame(mapping, path, role, name, start))
        self.unsure = len(self.stack) > MAX_WALK
        if role == "row":
            self.table.start(start)
        elif role == "list":
            self.listed = start

    def _put(self, value: Any, name: str | None) -> None:
        """`value` (a scalar's "", a finished collection's skeleton) as the next item of the collection
        it is in (under `name` in a mapping), or as the document."""
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if not frame.mapping and isinstance(value, str):
            frame.index += 1  # a scalar item (a collection counted its index when it started)
        if frame.role == "root" and name is not None:
            if name not in _KNOWN_KEYS:
                if frame.other:
                    return
                frame.other = True
            frame.kept[name] = value
        elif frame.role == "row" and name is not None:
            frame.kept[name] = value
            frame.flat = frame.flat and isinstance(value, str)
        elif frame.role == "list" and not frame.done:
            frame.kept.append(value)
            frame.done = value is not _FLAT

    def refuse(self) -> None:
        if self.unsure:
            return
        if self.twice is not None:
            raise self.twice
        data = {"rows": self.root} if isinstance(self.root, list) else self.root
        try:
            Document.model_validate(data)
        except ValidationError as exc:
            raise _shape_error(exc, _Marks(self.text, isinstance(self.root, list)), self.path, data) from None
        key = "rows" if "rows" in data else _rows_key(data)
        self.table.refuse(self.path, _Lines(self.text), key, self.listed)


def _mark(event: yaml.Event) -> Mark:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _scalar(event: yaml.ScalarEvent) -> str:
    """A scalar's value as `_Converted.value` gives it: a plain null (``, `~`, `null`) is ""."""
    plain = event.implicit[0] if isinstance(event.implicit, tuple) else event.implicit
    return "" if event.value == "" or (plain and event.value in ("~", "null")) else str(event.value)


class _Table:
    """What the grid of a document's rows (`_grid`) would be refused with, found from the rows' events as
    `_Shape` reads them, keeping each key once and no value: E524 for rows that hardly share a key
    (`_refuse_padding`), E528 for no value at all, E530 for a header (the keys) of no known column with no
    header among the rows below (`read_grid`) — each at the place the grid's reading gives it. A document
    of the right shape whose keys name no column ([{"甲": 1, "乙": 2}, …]) took 130–190 times its size
    (PyYAML's node tree, a mark per node, the grid) only to be refused with E530."""

    def __init__(self) -> None:
        self.vocab = shared_vocabulary()
        self.keys: dict[str, None] = {}  # every key of the rows, in order: the grid's header
        self.head: str | None = None  # the first of them
        self.rows = 0
        self.given = 0  # keys given, in all rows: the grid's cells that are not padding
        self.named = False  # a key names a column: the grid is read (no E530 here)
        self.below = False  # a row whose values are an indicator header (`official.find_header`)
        self.first: Mark | None = None  # the first value of the first key: the place of the header row
        # every key is blank: the header is the first row with a value (its cells, in the header's order,
        # and its place); its cells kept only until that row is found
        self.blank = True
        self.blank_row: tuple[tuple[str, ...], Mark] | None = None
        self.cells: dict[str, str] | None = None
        self.row_mark: Mark = (1, 1)
        self.row_first: Mark | None = None  # in this row, the value of the first key
        self.known = 0  # values in this row that name a column, and the columns they name
        self.fields: set[str] = set()

    def start(self, mark: Mark) -> None:
        self.row_mark, self.row_first, self.known = mark, None, 0
        self.fields = set()
        self.cells = {} if self.blank and self.blank_row is None else None

    def key(self, name: str) -> None:
        self.given += 1
        if name not in self.keys:
            self.keys[name] = None
            self.head = name if self.head is None else self.head
            if name.strip():
                self.blank = False
                self.named = self.named or self.vocab.column_once(name) is not None

    def cell(self, name: str, value: str, mark: Mark) -> None:
        if name == self.head:
            self.first = self.first or mark
            self.row_first = mark
        if self.cells is not None:
            self.cells[name] = value
        if not self.named and value.strip():
            field = self.vocab.column_once(value)
            if field is not None:
                self.known += 1
                self.fields.add(field)

    def end(self) -> None:
        self.rows += 1
        if self.known >= 3 and all(field in self.fields for field in REQUIRED):
            self.below = True
        if self.cells is not None and self.blank and any(value.strip() for value in self.cells.values()):
            cells = tuple(self.cells.get(name, "") for name in self.keys)
            self.blank_row = (cells, self.row_first or self.row_mark)
        self.cells = None

    def refuse(self, path: str, lines: _Lines, key: str, listed: Mark) -> None:
        if len(self.keys) * self.rows > 2 * self.given + MAX_PADDING:
            raise _padding_error(path, lines, key, listed, self.rows, len(self.keys))
        if self.named or self.below:
            return
        if not self.blank and self.first is not None:
            cells, (line, column) = tuple(self.keys), self.first
        elif self.blank and self.blank_row is not None:
            cells, (line, column) = self.blank_row
        elif self.blank:
            raise JixiaoError([Diagnostic("E528", Grid(path, []).file_span())])
        else:
            return
        # `read_grid`'s header.known() and no_header, each key looked up once (not kept by the label caches)
        if any(cell.strip() and self.vocab.column_once(cell) for cell in cells):
            return
        if not no_header(cells, self.vocab, once=True):
            return
        span = Span(path, line, column, excerpt=_line_excerpt(lines, line, column))
        raise JixiaoError([Diagnostic("E530", span, {"expected": HEADER_HELP})])


class _Lines:
    """The lines of a text, one found when asked for (`_line_excerpt` of an error), not all of them split."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __len__(self) -> int:
        return self.text.count("\n") + 1

    def __getitem__(self, index: int) -> str:
        start = 0
        for _ in range(index):
            start = self.text.find("\n", start) + 1
            if start == 0:
                raise IndexError(index)
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]


class _Marks:
    """`_Converted.mark` and `.lines` for `_shape_error`, from a second walk of the events: the place of
    the deepest node on an error's path, without a mark kept for every node."""

    def __init__(self, text: str, listed: bool) -> None:
        self.text, self.listed, self.lines = text, listed, _Lines(text)

    def mark(self, loc: tuple[Any, ...]) -> Mark:
        if self.listed:  # the file is just the list of rows: its places are the rows' places
            if not loc or loc[0] != "rows":
                return (1, 1)
            loc = loc[1:]
        found: Mark = (1, 1)
        stack: list[list[Any]] = []  # [path, mapping, next index, key]
        for event in yaml.parse(self.text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            top = stack[-1] if stack else None
            if top is not None and top[1] and top[3] is None:
                top[3] = str(event.value) if isinstance(event, yaml.ScalarEvent) else "?"
                if isinstance(event, yaml.CollectionStartEvent):
                    stack.append([None, isinstance(event, yaml.MappingStartEvent), 0, None])
                continue
            if top is None:
                path: tuple[Any, ...] | None = ()
            elif top[0] is None:
                path = None
            elif top[1]:
                path, top[3] = (*top[0], top[3]), None
            else:
                path, top[2] = (*top[0], top[2]), top[2] + 1
            if path is not None and loc[: len(path)] == path:
                found = (event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([path, isinstance(event, yaml.MappingStartEvent), 0, None])
        return found


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


def _refuse_nesting(text: str, path: str, fmt: str) -> None:
    """E525 at the bracket opened deeper than MAX_DEPTH (outside quotes), or at the line indented past
    MAX_INDENT (was at the file, 1:1, without the line)."""
    depth, quote = 0, ""
    for at, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
                problem = (f"括号嵌套超过 {MAX_DEPTH} 层", f"brackets nested more than {MAX_DEPTH} deep")
                raise _too_deep(path, fmt, (text, line, column, problem))
        elif char in "]}":
            depth = max(depth - 1, 0)
    for number, line_text in enumerate(_each_line(text), start=1):
        if len(line_text) - len(line_text.lstrip(" -")) > MAX_INDENT:
            problem = (f"缩进超过 {MAX_INDENT} 列", f"indented more than {MAX_INDENT} columns")
            raise _too_deep(path, fmt, (text, number, MAX_INDENT + 1, problem))


def _each_line(text: str) -> Iterator[str]:
    """The lines of `text`, as `text.split("\\n")` has them, one at a time (not a list of them all)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _too_deep(path: str, fmt: str, at: tuple[str, int, int, tuple[str, str]] | None = None) -> JixiaoError:
    """E525 for a document nested too deeply: at (text, line, column, problem) when that place is known."""
    if at is None:
        problem = ("括号或缩进嵌套太深", "nested too deeply")
        return JixiaoError.single("E525", file_span(path), format=fmt, problem=problem)
    text, line, column, problem = at
    span = Span(path, line, column, excerpt=_line_excerpt(_Lines(text), line, column))
    return JixiaoError.single("E525", span, format=fmt, problem=problem)


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


def _shape_error(exc: ValidationError, converted: _Converted | _Marks, path: str, data: Any) -> JixiaoError:
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


MAX_PADDING = 10_000  # cells the rows may leave out (a key of some rows only) beyond the values they give


def _grid(document: Document, converted: _Converted, path: str, fmt: str, key: str) -> Grid:
    header = list(dict.fromkeys(name for row in document.rows for name in row))
    _refuse_padding(document, converted, path, key, len(header))
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


def _refuse_padding(document: Document, converted: _Converted, path: str, key: str, columns: int) -> None:
    """E524 for rows that hardly share a key: the grid has a cell (and its place) for every key in every
    row, so 3,000 rows of a key each (`[{"k1": 1}, {"k2": 1}, …]`, 40 KB) were 9 million cells, and a
    document of a few MB billions, before the header was found to name no column. A table's rows share
    their columns: the cells they leave out may be as many as those they give, and `MAX_PADDING` more."""
    given = sum(len(row) for row in document.rows)
    if columns * len(document.rows) > 2 * given + MAX_PADDING:
        raise _padding_error(path, converted.lines, key, converted.mark((key,)), len(document.rows), columns)


def _padding_error(path: str, lines: _LineList, key: str, mark: Mark, rows: int, columns: int) -> JixiaoError:
    line, column = mark
    problem = (
        f"{key}：各行的键大多不同（{rows} 行共有 {columns} 个不同的键），不是一张表",
        f"{key}: the rows hardly share their keys ({rows} rows, {columns} different keys): no table",
    )
    span = Span(path, line, column, excerpt=_line_excerpt(lines, line, column))
    return JixiaoError.single("E524", span, problem=problem, expected=SHAPE)


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


class _LineList(Protocol):
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> str: ...


SHOWN = Excerpt.MAX_CELL + 1  # characters of the line before and after the token an excerpt keeps
SHOWN_TOKEN = 2 * Excerpt.MAX_CELL + 1  # and of the token: `Excerpt.render` shows no more of them


def _line_excerpt(lines: _LineList, line: int, column: int) -> Excerpt:
    """The source line, split so that the caret falls at `column` (to the end of the token); of the line
    around the token only what `Excerpt.render` shows (it cuts every part it shows to `MAX_CELL`
    characters, the token to twice that), so that it renders the same. Every cell of a document keeps
    its excerpt: a one-line JSON of 6,000 rows kept the whole line 6,000 times (6,300 times its size)."""
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    start = min(max(column - 1, 0), len(text))
    end = start
    while end < len(text) and text[end] not in ",}]\n":
        end += 1
    end = max(end, min(start + 1, len(text)))  # at least the character the problem is at
    token = (text[start:end].rstrip() or " ")[:SHOWN_TOKEN]
    return Excerpt((text[: min(start, SHOWN)], token, text[end : end + SHOWN]), 1, "")
