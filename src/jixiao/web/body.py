"""A JSON request body read once more, strictly, before its model sees it (`jobs.run_job`, `files.save`).

- A key given twice in one object (`{"ruleset": {…}, "ruleset": {…}}`) is taken last-wins by every JSON
  reader, pydantic's too: the request would be answered for one of the two without a word. E971 at the
  key's place in the body (`ruleset`, `inputs.甲.base64`).
- A number of more than `MAX_DIGITS` characters: pydantic refuses it as "not valid JSON" at a column, which
  it is; E971 says what is wrong and where (a 5,000-digit 实际完成值 in `rows`).

Numbers are not converted here (never `int()` of thousands of digits); a body that is no JSON at all is left
to the model, which says where.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from jixiao.diagnostics import Diagnostic

MAX_DIGITS = 4300  # characters of a number: pydantic's JSON reader refuses longer ones (Python's int() too)
MAX_REPORTED = 20  # problems named in one answer

Where = tuple[Any, ...]
Problem = tuple[Where, tuple[str, str]]
TWICE = ("这个键写了两次", "this key is given twice")
_PLAIN = object()  # a value with nothing to report: every object without a problem, every short number


class _Long(str):
    """A number longer than `MAX_DIGITS`, as written."""


class _Found(list[Problem]):
    """The problems inside an object, in the order they are written (at most `MAX_REPORTED`)."""


def body_problems(payload: bytes) -> list[Diagnostic]:
    """E971 for each key given twice and each over-long number, in the order they are written (an
    object's keys given twice before what is inside it), at most `MAX_REPORTED` of them.

    Each object's problems are found as soon as the parser has read it (`_members`), and the object is
    dropped: what is kept of a body is a list item (8 bytes) per value of its arrays. Keeping every
    object's members, every number and a path for every value took 140 times the size of a body of
    half a million numbers."""
    root = streamed(payload, _members, _number)
    if root is NOT_JSON:  # the model says where
        return []
    return [_problem(where, problem) for where, problem in islice(_problems(root), MAX_REPORTED)]


NOT_JSON = object()  # what `streamed` gives for a body that is no JSON


def streamed(
    payload: bytes, on_object: Callable[[list[tuple[str, Any]]], object], on_number: Callable[[str], object]
) -> object:
    """A JSON body read keeping of each object what `on_object` makes of its pairs, and of each number
    (as written) what `on_number` makes of it: nothing else of the body is held. `NOT_JSON` when it is
    no JSON (UnicodeDecodeError is a ValueError) or nests beyond Python's recursion limit."""
    try:
        return json.loads(
            payload,
            object_pairs_hook=on_object,
            parse_int=on_number,
            parse_float=on_number,
            parse_constant=on_number,
        )
    except (ValueError, RecursionError):
        return NOT_JSON


def _number(text: str) -> object:
    return _Long(text) if len(text) > MAX_DIGITS else _PLAIN


def _members(pairs: list[tuple[str, Any]]) -> object:
    """An object read: its keys given twice, then the problems inside its values, or `_PLAIN`."""
    found: list[Problem] = []
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            found.append(((key,), TWICE))
        seen.add(key)
    for key, value in pairs:
        if len(found) >= MAX_REPORTED:
            break
        found.extend(((key, *where), problem) for where, problem in islice(_problems(value), MAX_REPORTED))
    return _Found(found[:MAX_REPORTED]) if found else _PLAIN


def _problems(value: object) -> Iterator[Problem]:
    """The problems in a value, in order: an object's (found when it was read), a long number's, those
    in an array's items (arrays in arrays walked without recursion)."""
    if not isinstance(value, list) or isinstance(value, _Found):
        yield from _leaf(value)
        return
    stack: list[tuple[Where, Iterator[tuple[int, object]]]] = [((), enumerate(value))]
    while stack:
        where, items = stack[-1]
        for index, item in items:
            if isinstance(item, list) and not isinstance(item, _Found):
                stack.append(((*where, index), enumerate(item)))
                break
            for inner, problem in _leaf(item):
                yield (*where, index, *inner), problem
        else:
            stack.pop()


def _leaf(value: object) -> Iterator[Problem]:
    if isinstance(value, _Found):
        yield from value
    elif isinstance(value, _Long):
        size = len(value)
        yield (
            (),
            (
                f"数字太长（{size} 个字符，最多 {MAX_DIGITS} 个）",
                f"a number too long ({size} characters, at most {MAX_DIGITS})",
            ),
        )


def _problem(where: tuple[Any, ...], problem: tuple[str, str]) -> Diagnostic:
    path = ".".join(str(part) for part in where)
    return Diagnostic("E971", None, {"where": (path or "请求体", path or "body"), "problem": problem})


__all__ = ["MAX_DIGITS", "NOT_JSON", "body_problems", "streamed"]
