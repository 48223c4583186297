"""`@frozen`: a frozen dataclass whose `__eq__`, `__hash__` and `__repr__` are shared, not generated.

`dataclasses.dataclass(frozen=True)` writes six methods of every class as Python source and compiles
each one (`exec`) when the module is imported: `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__`, about 1 ms of CPU a class (docs/performance.md, "启动 / Start"). With
`@frozen` dataclasses still writes `__init__` (parsing builds nodes by the thousand: it stays the fast
generated one) and the two that keep the instance frozen; comparison, hash and repr are functions made
here, without compiling anything, that behave as the generated ones do: the same fields compared
(`compare=True`), hashed (`hash`, else `compare`) and shown (`repr=True`), `NotImplemented` for another
class, the same hash values and the same text (tests/test_frozen.py compares them with dataclasses').
`fields`, `replace`, `asdict`, pattern matching and pickling are dataclasses' own.
"""

from __future__ import annotations

import operator
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(Field, field))
def frozen(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True)`, with comparison, hash and repr shared instead of compiled per class."""
    built = dataclass(frozen=True, eq=False, repr=False)(cls)
    every = fields(built)  # type: ignore[arg-type]
    compared = _getter([f.name for f in every if f.compare])
    hashed = _getter([f.name for f in every if (f.compare if f.hash is None else f.hash)])
    shown = tuple(f.name for f in every if f.repr)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inner})"

    own = cls.__dict__
    explicit_hash = own.get("__hash__", MISSING) is not MISSING and not (
        own.get("__hash__") is None and "__eq__" in own
    )
    for method in (__eq__, __hash__, __repr__):
        if method.__name__ not in own or (method is __hash__ and not explicit_hash):  # as dataclass does
            method.__qualname__ = f"{built.__qualname__}.{method.__name__}"
            setattr(built, method.__name__, method)
    return built


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The named fields of an instance as a tuple (what the generated methods compare and hash)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        get = operator.attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()
