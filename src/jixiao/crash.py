"""Bugs at the boundary: an exception that is not a `JixiaoError` is a defect in jixiao, not in the input.

The public API raises only `JixiaoError`. Where a bug (or an exhausted resource) would escape, `guarded`
turns it into a `JixiaoError` with the one diagnostic E901, the original exception chained as its
`__cause__` for whoever debugs it. The CLI recognises E901 and exits with its own status (70).
A caller passing an argument of a type jixiao does not take gets a `TypeError` (`SourceTypeError`): a
value its `Literal` type does not list (`ChoiceError`), one path where an iterable of them is expected
(`several`), an object of another class (`expect`).

An exception the caller's own object raises — its `__iter__` or a generator giving a batch, its
`__fspath__`, the `read()` of a file object — is no bug in jixiao: it passes through unchanged, as a
KeyboardInterrupt does. What calls such an object marks what it raises (`callers_items`, `callers_path`,
`mark_callers`), and `guarded` lets a marked exception through.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import ParamSpec, TypeVar

from jixiao.diagnostics import ChoiceError, JixiaoError, SourceTypeError, Span, choice

__all__ = [  # the argument errors live with the diagnostics (JixiaoError.text checks its lang too)
    "ChoiceError",
    "SourceTypeError",
    "callers_items",
    "callers_path",
    "choice",
    "expect",
    "guarded",
    "internal_error",
    "is_callers",
    "is_internal",
    "mark_callers",
    "several",
]

INTERNAL = "E901"
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
_CALLERS = "_jixiao_callers"  # the attribute that marks an exception the caller's own object raised


def several(value: object, what: str) -> None:
    """`SourceTypeError` unless `value` is an iterable of items: a `str`, bytes or path is one item, which
    iterating would take apart (the folder "/tmp" as the roots "/", "t", "m", "p")."""
    if isinstance(value, str | bytes | bytearray | memoryview | os.PathLike) or not isinstance(
        value, Iterable
    ):
        raise SourceTypeError(f"{what} is a list or other iterable (e.g. [x]), not a {type(value).__name__}")


def expect(value: object, kinds: type | tuple[type, ...], what: str) -> None:
    """`SourceTypeError` unless `value` is an instance of `kinds`."""
    if not isinstance(value, kinds):
        raise SourceTypeError(f"{what} cannot be an object of type {type(value).__name__}")


def mark_callers(exc: BaseException) -> None:
    """Mark `exc` as raised by the caller's own object: `guarded` lets it through unchanged."""
    try:
        setattr(exc, _CALLERS, True)
    except AttributeError:  # an exception class refusing attributes: then it is E901, as before
        pass


def is_callers(exc: BaseException) -> bool:
    return getattr(exc, _CALLERS, False) is True


def callers_items(items: Iterable[T]) -> Iterator[T]:
    """The items of the caller's iterable; what its `__iter__` or `__next__` raises is marked theirs. A
    list or tuple (not a subclass) cannot raise: iterated as it is, without a generator's cost an item."""
    if type(items) is list or type(items) is tuple:
        return iter(items)
    return _callers_items(items)


def _callers_items(items: Iterable[T]) -> Iterator[T]:
    try:
        iterator = iter(items)
    except Exception as exc:
        mark_callers(exc)
        raise
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            mark_callers(exc)
            raise
        yield item


def callers_path(path: str | os.PathLike[str]) -> str:
    """`os.fspath(path)`; what the caller's `__fspath__` raises is marked theirs (a wrong return type
    stays the `TypeError` os.fspath says it is)."""
    if isinstance(path, str):
        return path
    method = getattr(type(path), "__fspath__", None)
    if method is None:
        return os.fspath(path)
    try:
        result = method(path)
    except Exception as exc:
        mark_callers(exc)
        raise
    text: str = os.fspath(result)
    return text


def internal_error(exc: BaseException, where: str = "jixiao") -> JixiaoError:
    """A bug as a `JixiaoError` (E901) with the original exception as its cause."""
    detail = f"{type(exc).__name__}: {exc}"[:300]
    error = JixiaoError.single(INTERNAL, Span(where, 1, 1), detail=detail)
    error.__cause__ = exc
    return error


def is_internal(error: JixiaoError) -> bool:
    return any(d.code == INTERNAL for d in error.diagnostics)


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """`func`, raising only `JixiaoError` (and `SourceTypeError` for a wrong argument type, `TypeError` for
    arguments that do not fit its signature, as any Python function)."""

    @functools.wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (JixiaoError, SourceTypeError):
            raise
        except TypeError as exc:
            if exc.__traceback__ is not None and exc.__traceback__.tb_next is None:
                raise  # raised in this frame: the arguments do not fit `func`'s signature, as in Python
            if is_callers(exc):
                raise
            raise internal_error(exc) from exc
        except Exception as exc:
            if is_callers(exc):
                raise  # the caller's own object raised it: theirs, unchanged
            raise internal_error(exc) from exc

    return call
