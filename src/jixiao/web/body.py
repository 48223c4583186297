"""A JSON request body read once more, strictly, before its model sees it (`jobs.run_job`, `files.save`).

- A key given twice in one object (`{"ruleset": {…}, "ruleset": {…}}`) is taken last-wins by every JSON
  reader, pydantic's too: the request would be answered for one of the two without a word. E971 at the
  key's place in the body (`ruleset`, `inputs.甲.base64`).
- A number of more than `MAX_DIGITS` characters: pydantic refuses it as "not valid JSON" at a column, which
  it is; E971 says what is wrong and where (a 5,000-digit 实际完成值 in `rows`).

Numbers are kept as text here (never `int()` of thousands of digits); a body that is no JSON at all is left
to the model, which says where.
"""

from __future__ import annotations

import json
from typing import Any

from jixiao.diagnostics import Diagnostic

MAX_DIGITS = 4300  # characters of a number: pydantic's JSON reader refuses longer ones (Python's int() too)
MAX_REPORTED = 20  # problems named in one answer


class _Pairs(list[tuple[str, Any]]):
    """An object's members in order, repeated keys included."""


class _Number(str):
    """A number as written."""


def body_problems(payload: bytes) -> list[Diagnostic]:
    """E971 for each key given twice and each over-long number, in the order they are written."""
    try:
        root = json.loads(
            payload, object_pairs_hook=_Pairs, parse_int=_Number, parse_float=_Number, parse_constant=_Number
        )
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError): the model says
        return []
    found: list[Diagnostic] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), root)]
    while stack and len(found) < MAX_REPORTED:
        where, value = stack.pop()
        children: list[tuple[tuple[Any, ...], Any]] = []
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            for key, item in value:
                if key in seen:
                    found.append(_problem((*where, key), ("这个键写了两次", "this key is given twice")))
                seen.add(key)
                children.append(((*where, key), item))
        elif isinstance(value, list):
            children = [((*where, i), item) for i, item in enumerate(value)]
        elif isinstance(value, _Number) and len(value) > MAX_DIGITS:
            problem = (f"数字太长（{len(value)} 个字符，最多 {MAX_DIGITS} 个）", f"a number too long "
                       f"({len(value)} characters, at most {MAX_DIGITS})")  # fmt: skip
            found.append(_problem(where, problem))
        stack.extend(reversed(children))
    return found


def _problem(where: tuple[Any, ...], problem: tuple[str, str]) -> Diagnostic:
    path = ".".join(str(part) for part in where)
    return Diagnostic("E971", None, {"where": (path or "请求体", path or "body"), "problem": problem})


__all__ = ["MAX_DIGITS", "body_problems"]
