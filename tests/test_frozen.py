"""`@frozen` (language/frozen.py) behaves as `@dataclass(frozen=True)`: equality, hash, repr, the rest.

Every node of every ruleset in the repository is compared with a twin made by dataclasses itself from
the same fields and values; synthetic classes cover what the repository's do not (no field compared,
one, `hash=` set apart from `compare=`, explicit methods kept).
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from collections.abc import Iterator
from dataclasses import field
from fractions import Fraction
from functools import cache
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from jixiao.diagnostics import JixiaoError, Span
from jixiao.engine import results
from jixiao.engine.resolve import load as resolve_path
from jixiao.io.rulesets import load_ruleset
from jixiao.language import nodes as node_module
from jixiao.language import quantity
from jixiao.language.frozen import frozen
from jixiao.language.parser import parse


@cache
def _twin(cls: type) -> type:
    """The same class as dataclasses makes it: the same fields, flags and defaults."""
    specs = []
    for f in dataclasses.fields(cls):
        options: dict[str, Any] = {"compare": f.compare, "hash": f.hash, "repr": f.repr, "init": f.init}
        if f.default is not dataclasses.MISSING:
            options["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        specs.append((f.name, f.type, field(**options)))
    twin = dataclasses.make_dataclass(cls.__name__, specs, frozen=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def _as_twin(obj: Any) -> Any:
    twin = _twin(type(obj))
    made = object.__new__(twin)
    for f in dataclasses.fields(obj):
        object.__setattr__(made, f.name, getattr(obj, f.name))
    return made


def _nodes(root: object) -> Iterator[Any]:
    """Every @frozen instance reachable from `root` (through fields, tuples, lists and dicts)."""
    stack, seen = [root], set()
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            if type(obj).__eq__.__qualname__.endswith(f"{type(obj).__qualname__}.__eq__") and (
                type(obj).__eq__.__module__ == "jixiao.language.frozen"
            ):
                yield obj
            stack.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))
        elif isinstance(obj, tuple | list):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend(obj.values())


def _documents() -> list[Any]:
    out: list[Any] = []
    for path in sorted(ROOT.glob("rulesets/**/*.jx")):
        try:
            out.append(parse(path.read_text(encoding="utf-8"), str(path)))
            out.append(resolve_path(str(path)))
        except JixiaoError:
            continue
    return out


def _hash(obj: Any) -> object:
    try:
        return hash(obj)
    except TypeError as exc:
        return type(exc)


def _as_twins(by_class: dict[type, list[Any]]) -> list[tuple[type, list[Any]]]:
    """A sample of each class's instances, each shown, hashed and compared as its dataclasses twin is."""
    samples = []
    for cls, made in by_class.items():
        sample = made[:: max(1, len(made) // 40)]
        for obj in sample:
            twin = _as_twin(obj)
            assert repr(obj) == repr(twin), cls
            assert _hash(obj) == _hash(twin), cls
            for other in sample[:8]:
                assert (obj == other) == (twin == _as_twin(other)), cls
        samples.append((cls, sample))
    return samples


def test_every_node_of_every_ruleset_is_as_dataclasses_would_make_it() -> None:
    by_class: dict[type, list[Any]] = {}
    for document in _documents():
        for node in _nodes(document):
            by_class.setdefault(type(node), []).append(node)
    assert len(by_class) > 30  # nodes, quantities, roundings, the resolved rules
    for _cls, sample in _as_twins(by_class):
        for node in sample:
            assert node == dataclasses.replace(node)
            assert node.__eq__(object()) is NotImplemented
            with pytest.raises(dataclasses.FrozenInstanceError):
                node.__setattr__(dataclasses.fields(node)[0].name, None)


@frozen
class _Many:
    a: int
    b: str = "x"
    hidden: Fraction = field(default=Fraction(0), compare=False, repr=False)
    only_hashed: int = field(default=0, compare=False, hash=True)
    not_hashed: int = field(default=0, hash=False)
    items: tuple[int, ...] = ()


@frozen
class _One:
    value: object
    span: Span | None = field(default=None, compare=False, repr=False)


@frozen
class _None:
    span: Span | None = field(default=None, compare=False)


@frozen
class _Own:
    value: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Own)

    def __hash__(self) -> int:
        return 7

    def __repr__(self) -> str:
        return "own"


values = st.one_of(st.integers(), st.text(max_size=4), st.fractions(), st.none(), st.tuples(st.integers()))


@given(
    st.integers(), st.text(max_size=5), st.fractions(), st.integers(), st.integers(), st.lists(st.integers())
)
def test_many_fields_as_dataclasses(a: int, b: str, h: Fraction, oh: int, nh: int, items: list[int]) -> None:
    made = _Many(a, b, h, oh, nh, tuple(items))
    twin = _as_twin(made)
    assert repr(made) == repr(twin)
    assert hash(made) == hash(twin)
    for other in (_Many(a, b), _Many(a, b, h, oh, nh + 1, tuple(items)), _Many(a + 1, b)):
        assert (made == other) == (twin == _as_twin(other))
    assert pickle.loads(pickle.dumps(made)) == made
    assert dataclasses.asdict(made)["items"] == tuple(items)


@given(values, values)
def test_one_field_and_none_as_dataclasses(x: object, y: object) -> None:
    one, other = _One(x, Span("a", 1, 1)), _One(y)
    assert repr(one) == repr(_as_twin(one))
    assert _hash(one) == _hash(_as_twin(one))
    assert (one == other) == (_as_twin(one) == _as_twin(other))
    assert _None(Span("a", 1, 1)) == _None() and hash(_None()) == hash(_as_twin(_None()))
    assert repr(_None()) == repr(_as_twin(_None()))


def test_methods_the_class_writes_are_kept() -> None:
    assert _Own(1) == _Own(2) and hash(_Own(1)) == 7 and repr(_Own(1)) == "own"


def test_a_node_that_holds_itself_is_shown_without_recursing() -> None:
    box: list[object] = []
    node = _One(box)
    box.append(node)
    assert repr(node) == "_One(value=[...])"  # as dataclasses' own guard shows it


def test_every_part_of_a_scored_result_is_as_dataclasses_would_make_it() -> None:
    """engine/results.py's classes (Result, IndicatorResult, BudgetResult, BudgetRow, Finding) are @frozen."""
    by_class: dict[type, list[Any]] = {}
    for actuals in sorted(ROOT.glob("rulesets/**/*.actuals.csv")):
        ruleset = actuals.with_name(actuals.name.replace(".actuals.csv", ".jx"))
        if not ruleset.exists():
            continue
        result = load_ruleset(ruleset).score(actuals)
        for part in _nodes(result):
            by_class.setdefault(type(part), []).append(part)
    assert {"Result", "IndicatorResult", "BudgetResult", "BudgetRow", "Finding"} <= {
        c.__name__ for c in by_class
    }
    assert _as_twins(by_class)


def _classes() -> list[type]:
    found = [vars(m).values() for m in (node_module, quantity, results)]
    return [c for values in found for c in values if isinstance(c, type) and dataclasses.is_dataclass(c)]


def test_a_plain_class_compiles_only_its_init_and_behaves_as_a_frozen_dataclass() -> None:
    """Nodes, quantities and results take the plain path (`__setattr__` shared, `__init__` compiled here):
    the same signature, match_args, parameters and frozen behaviour as dataclasses' twin."""
    plain = [c for c in _classes() if c.__setattr__.__module__ == "jixiao.language.frozen"]
    assert len(plain) > 50
    for cls in plain:
        twin = _twin(cls)
        assert inspect.signature(cls) == inspect.signature(twin), cls
        assert cls.__match_args__ == twin.__match_args__, cls
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and params.init and not params.eq, cls
    made = _Plain(1)
    assert made == _Plain(1, "x") and made.b == "x" and repr(made) == repr(_as_twin(made))
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'a'"):
        made.a = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'b'"):
        del made.b  # type: ignore[misc]
    with pytest.raises(TypeError, match="non-frozen dataclass from a frozen one"):
        dataclasses.dataclass(type("Loose", (_Plain,), {"__annotations__": {"c": int}}))
    child = _Child(1, "y", 3)
    assert child.c == 3 and child != _Plain(1, "y") and dataclasses.replace(child, c=4).c == 4
    with pytest.raises(dataclasses.FrozenInstanceError):
        child.c = 5  # type: ignore[misc]


@frozen
class _Plain:
    """A class on the plain path."""

    a: int
    b: str = "x"


@frozen
class _Child(_Plain):
    """A dataclass base: made by dataclasses itself."""

    c: int = 0
