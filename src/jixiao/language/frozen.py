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

A plain class (a docstring; fields with at most a plain default; no base dataclass, `__post_init__`,
`ClassVar`, `InitVar` or keyword-only field) has its `__init__` compiled here, the same function
dataclasses writes (each field set with `object.__setattr__`), and shares `__setattr__` and
`__delattr__`: one method compiled instead of three. Any other class is made by dataclasses as above.
"""

from __future__ import annotations

import inspect
import operator
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(Field, field))
def frozen(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True)`, with comparison, hash and repr shared instead of compiled per class."""
    if _plain(cls):
        built = dataclass(init=False, eq=False, repr=False)(cls)  # nothing compiled: fields, match_args
        _freeze(built)
    else:
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


_NOT_PLAIN = ("ClassVar", "InitVar", "KW_ONLY")


def _plain(cls: type) -> bool:
    """Whether `cls` is one whose `__init__` `_freeze` writes as dataclasses would (see the module)."""
    if (
        not cls.__doc__
        or "__post_init__" in dir(cls)
        or any(hasattr(b, "__dataclass_fields__") for b in cls.__mro__)
    ):
        return False
    own = inspect.get_annotations(cls)
    for name, annotation in own.items():
        if (
            name in ("self", "_setattr")
            or name.startswith("_d_")
            or any(w in str(annotation) for w in _NOT_PLAIN)
        ):
            return False
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field) and (
            value.default_factory is not MISSING or not value.init or value.kw_only is True
        ):
            return False
    return True


def _freeze(cls: type) -> None:
    """The frozen dataclass's `__init__` (compiled: it builds nodes by the thousand), `__setattr__` and
    `__delattr__` (shared), on a class dataclasses processed without them."""
    every = fields(cls)
    names = tuple(f.name for f in every)
    params = [f.name if f.default is MISSING else f"{f.name}=_d_{f.name}" for f in every]
    body = "".join(f"\n    _setattr(self, {name!r}, {name})" for name in names) or "\n    pass"
    namespace: dict[str, Any] = {"_setattr": object.__setattr__}
    namespace.update({f"_d_{f.name}": f.default for f in every if f.default is not MISSING})
    exec(f"def __init__(self, {', '.join(params)}):{body}", namespace)  # field names: identifiers of ours
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in every}, "return": None}
    owner: Any = cls

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    for method in (init, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    settings = cls.__dataclass_params__  # type: ignore[attr-defined]
    settings.init = settings.frozen = True  # as dataclass(frozen=True) records it (subclasses check it)


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The named fields of an instance as a tuple (what the generated methods compare and hash)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        get = operator.attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()
