"""Test files: the pydantic model of a `*.test.yaml` file, read with every value's line."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.resolve import read_file
from jixiao.limits import MAX_TEST_FILE_DEPTH
from jixiao.messages import clip
from jixiao.tools.golden.yaml_problems import problem_position, yaml_problem

SUFFIXES = (".test.yaml", ".test.yml")
NOT_APPLICABLE = "/"
Key = tuple[str | int, ...]


# -- the test-file model (pydantic: untrusted input) ----------------------------------------------------
def _alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class Expect(BaseModel):
    """What a case checks; every field is optional and only the named ones are compared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    total: str | None = _alias("total", "总分", "总得分")
    grade: str | None = _alias("grade", "等级")
    budget: str | None = _alias("budget", "预算执行")
    scores: dict[str, str | None] | None = _alias("scores", "得分")
    findings: list[str] | None = _alias("findings", "复核提示")
    errors: list[str] | None = _alias("errors", "错误")


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(validation_alias=AliasChoices("name", "名称"))
    actuals: str | None = _alias("actuals", "实际值")
    rows: list[dict[str, str | None]] | None = _alias("rows", "行")
    expect: Expect = Field(default_factory=Expect, validation_alias=AliasChoices("expect", "预期"))


class TestFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ruleset: str | None = _alias("ruleset", "规则")
    cases: list[Case] = Field(validation_alias=AliasChoices("cases", "用例"))


def _spellings(model: type[BaseModel]) -> dict[str, str]:
    """Every way a model's keys may be written (total, 总分, 总得分) → the field's name (total)."""
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        alias = info.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [name]
        out.update({str(choice): name for choice in choices})
    return out


# the mappings whose keys have two spellings, by their key path with list indexes as None
_KEYS = {
    (): _spellings(TestFile),
    ("cases", None): _spellings(Case),
    ("cases", None, "expect"): _spellings(Expect),
}


def field_key(parent: Key, name: str) -> str:
    """A key as the model names it: 预期 under a case is expect; indicator names stay as written."""
    shape = tuple(None if isinstance(part, int) else part for part in parent)
    return _KEYS.get(shape, {}).get(name, name)


# -- reading YAML with positions -----------------------------------------------------------------------
@dataclass
class Nodes:
    """The YAML nodes of a test file: each value's, and each key's, by key path. A path is recorded as
    the model names its keys (cases.0.expect.total) and, when it differs, as the file spells them
    (用例.0.预期.总分)."""

    values: dict[Key, Any] = field(default_factory=dict)
    keys: dict[Key, Any] = field(default_factory=dict)


@dataclass
class Document:
    """A parsed test file: its model, and the YAML node of every value (and key) by key path."""

    path: Path
    text: str
    model: TestFile
    nodes: dict[Key, Any]
    keys: dict[Key, Any] = field(default_factory=dict)

    def span(self, key: Key) -> Span:
        """The position of the value at `key`, else of its nearest written parent."""
        while key and key not in self.nodes:
            key = key[:-1]
        node = self.nodes.get(key)
        return Span(str(self.path), 1, 1) if node is None else self.node_span(node)

    def whole_span(self, key: Key) -> Span:
        """`span`, marking the whole value when it is written on one line (`F999`, not `F`)."""
        node = self.nodes.get(key)
        span = self.span(key)
        if node is None or node.end_mark.line + 1 != span.line:
            return span
        return replace(span, end_line=span.line, end_column=node.end_mark.column + 1)

    def key_span(self, key: Key) -> Span:
        """The position of the key of `key` as written (`totl` in `{totl: 1}`), else as `span`."""
        node = self.keys.get(key)
        if node is None:
            return self.span(key)
        span = self.node_span(node)
        end = node.end_mark
        return (
            replace(span, end_line=span.line, end_column=end.column + 1)
            if end.line + 1 == span.line
            else span
        )

    def node_span(self, node: Any) -> Span:
        mark = node.start_mark
        return Span(str(self.path), mark.line + 1, mark.column + 1)


def read_test_file(path: Path) -> Document:
    """Parse and validate a test file; raise `JixiaoError` with file:line positions."""
    text = read_file(path)
    data, nodes = parse_nodes(text, str(path))
    try:
        model = TestFile.model_validate(data)
    except ValidationError as exc:
        doc = Document(path, text, TestFile.model_construct(cases=[]), nodes.values, nodes.keys)
        raise JixiaoError([_schema_error(doc, e) for e in exc.errors()]) from None
    return Document(path, text, model, nodes.values, nodes.keys)


def parse_nodes(text: str, path: str) -> tuple[Any, Nodes]:
    """The YAML of a test file as plain data (scalars stay text), and its nodes at every key path."""
    try:
        _check_events(text, path)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line, column = problem_position(exc, text)
        raise JixiaoError.single("E801", Span(path, line, column), problem=yaml_problem(exc)) from None
    nodes = Nodes()
    data = _plain(root, (), (), nodes, path) if root is not None else {}
    return data, nodes


def _check_events(text: str, path: str) -> None:
    """No anchors or aliases (E909: a 400-byte file must not expand to gigabytes, or refer to itself), and
    no nesting deeper than a test file needs (E801), found in one linear pass before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        mark = event.start_mark
        where = Span(path, mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise JixiaoError.single("E909", where, found=f"{sign}{event.anchor}")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_TEST_FILE_DEPTH:
                problem = (
                    f"嵌套超过 {MAX_TEST_FILE_DEPTH} 层",
                    f"nested more than {MAX_TEST_FILE_DEPTH} levels",
                )
                raise JixiaoError.single("E801", where, problem=problem)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _plain(node: Any, key: Key, written: Key, nodes: Nodes, path: str) -> Any:
    """A YAML node as plain data (scalars stay text), recording each node by its key path: as the model
    names the keys (`key`) and as the file spells them (`written`)."""
    nodes.values[key] = nodes.values[written] = node
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, key, written, nodes, path)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, (*key, i), (*written, i), nodes, path) for i, v in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


def _mapping(node: Any, key: Key, written: Key, nodes: Nodes, path: str) -> dict[str, Any]:
    """A mapping's keys as written; a key written twice, or in both languages (total, 总分), is E805."""
    out: dict[str, Any] = {}
    for k, v in node.value:
        name = str(k.value)
        inner = (*key, field_key(key, name))
        if name in out or inner in nodes.keys:
            span = Span(path, k.start_mark.line + 1, k.start_mark.column + 1)
            raise JixiaoError.single("E805", span, key=name)
        nodes.keys[inner] = nodes.keys[(*written, name)] = k
        out[name] = _plain(v, inner, (*written, name), nodes, path)
    return out


def _schema_error(doc: Document, error: Any) -> Diagnostic:
    key: Key = tuple(error["loc"])
    problem = (_problem_zh(error), str(error["msg"]))
    args: dict[str, object] = {"where": _where(doc, key), "problem": problem}
    if error["type"] != "extra_forbidden" or not key:
        return Diagnostic("E802", doc.span(key), args)
    return Diagnostic("E802", doc.key_span(key), args, suggestion=_known_key(key))


def _where(doc: Document, key: Key) -> tuple[str, str]:
    """Where in the test file, as staff count: a case by its 1-based number and its name (`cases.3.expcet`
    is 第 4 个用例「名称」中「expcet」), a list item by its 1-based number."""
    if not key:  # the document itself (a list, a number): "the test file", not a key named 「/」
        return "", ""
    if len(key) < 2 or not isinstance(key[1], int):
        return f"中「{_path(key, 'zh')}」", f" at “{_path(key, 'en')}”"
    number = key[1] + 1
    node = doc.nodes.get(("cases", key[1], "name"))
    name = clip(str(node.value)) if isinstance(node, yaml.ScalarNode) and node.value else ""
    zh = f"第 {number} 个用例" + (f"「{name}」" if name else "")
    en = f", case {number}" + (f" “{name}”" if name else "")
    rest = key[2:]
    if not rest:
        return zh, en
    return f"{zh}中「{_path(rest, 'zh')}」", f"{en}, at “{_path(rest, 'en')}”"


def _path(key: Key, lang: str) -> str:
    """A key path with list items numbered from 1 (rows.第2项.实际完成值, rows.item 2.实际完成值)."""
    item = "第{}项" if lang == "zh" else "item {}"
    return ".".join(item.format(part + 1) if isinstance(part, int) else str(part) for part in key)


def _known_key(key: Key) -> str | None:
    """The key an unknown one was likely meant to be (totl → total, 总份 → 总分), in its language."""
    parent: Key = ()
    for part in key[:-1]:
        parent = (*parent, field_key(parent, part) if isinstance(part, str) else part)
    shape = tuple(None if isinstance(part, int) else part for part in parent)
    known = list(_KEYS.get(shape, {}))
    close = get_close_matches(str(key[-1]), known, n=1, cutoff=0.5)
    return close[0] if close else None


def _problem_zh(error: Any) -> str:
    kind = str(error["type"])
    return {
        "missing": "缺少此项",
        "extra_forbidden": "不认识此项（拼写错误？）",
        "string_type": "应为文字",
        "list_type": "应为列表",
        "dict_type": "应为映射（键: 值）",
        "model_type": "应为映射（键: 值）",
    }.get(kind, str(error["msg"]))
