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
`ClassVar`, `InitVar` or keyword-only field) gets its `__init__` here, the same function dataclasses
writes (each field set with `object.__setattr__`), and shares `__setattr__` and `__delattr__`. The
`__init__` is not compiled for each class: one is compiled per number of fields and the class's field
names are put into a copy of its code (`_init`), the bytecode being the same. Any other class is made by
dataclasses as above.
"""

from __future__ import annotations

import functools
import inspect
import operator
import reprlib
import types
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
    defaults = tuple(f.default for f in every if f.default is not MISSING)
    if any(f.default is MISSING for f in every[len(every) - len(defaults) :]):
        raise TypeError(f"{cls.__qualname__}: a field without a default follows one with a default")
    init = _init(names, defaults)
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


_SETATTR = {"_setattr": object.__setattr__}  # what the compiled `__init__`s call


@functools.cache
def _template(arity: int) -> types.CodeType:
    """`__init__(self, a0, a1, …)` setting each field with `object.__setattr__`, compiled once per
    number of fields (compiling one for every class cost about 0.17 ms a class at import)."""
    params = [f"a{i}" for i in range(arity)]
    body = "".join(f"\n    _setattr(self, {name!r}, {name})" for name in params) or "\n    pass"
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, {', '.join(params)}):{body}", dict(_SETATTR), namespace)  # no outside text
    code: types.CodeType = namespace["__init__"].__code__
    return code


def _init(names: tuple[str, ...], defaults: tuple[Any, ...]) -> Callable[..., None]:
    """The template for this many fields with the fields' names put in (the same bytecode dataclasses'
    generated `__init__` has: the names are its parameters and the constants it sets)."""
    template = _template(len(names))
    renamed = dict(zip([f"a{i}" for i in range(len(names))], names, strict=True))
    code = template.replace(
        co_varnames=("self", *names),
        co_consts=tuple(renamed.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
    )
    return types.FunctionType(code, _SETATTR, "__init__", defaults or None)


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The named fields of an instance as a tuple (what the generated methods compare and hash)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        get = operator.attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()
