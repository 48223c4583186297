"""A row's 一级 and 二级 cells read against the ruleset's level names.

A level is matched by its very name (`name_key`: widths, spaces, traditional characters alike). A
written name that is no level of the ruleset is then matched without a trailing 指标 (`level_key`): the
Ministry of Finance template prints 社会效益指标 / 可持续影响指标 / 服务对象满意度指标 where a ruleset
says 社会效益 (and a ruleset may say 数量指标 where a table prints 数量). Only a name that comes to exactly
one level of the ruleset is read so: a ruleset with both 社会效益 and 社会效益指标 keeps them apart, each
matched by its own name, and a name that could be either is read as written (no level: E515 says where
the indicator belongs).
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.language.vocabulary import level_key, name_key


class _Names:
    """The names of one level (all 一级, or all 二级), by `name_key` and by `level_key`."""

    __slots__ = ("keys", "loose")

    def __init__(self, names: Iterable[str]) -> None:
        self.keys: set[str] = set()
        self.loose: dict[str, set[str]] = {}
        for name in names:
            if not name:
                continue
            key = name_key(name)
            self.keys.add(key)
            self.loose.setdefault(level_key(name), set()).add(key)

    def key(self, written: str) -> str:
        """The key of the ruleset's level a written name is, else the written name's own key."""
        key = name_key(written)
        if key in self.keys:
            return key
        found = self.loose.get(level_key(written))
        return next(iter(found)) if found is not None and len(found) == 1 else key


class Levels:
    """The 一级 and 二级 names of a ruleset's indicators; `fits` tells whether a row's levels are an
    indicator's."""

    __slots__ = ("level1", "level2")

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        pairs = list(pairs)
        self.level1 = _Names(one for one, _ in pairs)
        self.level2 = _Names(two for _, two in pairs)

    def fits1(self, written: str, level1: str) -> bool:
        """Whether a row's 一级 cell (blank: any) is the 一级 `level1`."""
        return not written or self.level1.key(written) == name_key(level1)

    def fits2(self, written: str, level2: str) -> bool:
        """Whether a row's 二级 cell (blank: any) is the 二级 `level2`."""
        return not written or self.level2.key(written) == name_key(level2)
