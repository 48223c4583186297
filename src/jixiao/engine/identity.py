"""What a file says of its project (项目名称, 主管部门, 实施单位) against the ruleset that scores it.

- F112: the file names another project than the ruleset's `项目 "…"` — the classic mistake of scoring
  a folder with the wrong rule file. Names are compared as `project_key` reads them: white space,
  full- and half-width punctuation, the kind of bracket (（） [] 【】 …) and a trailing 项目 make no
  difference. A file that names no project, and a general ruleset (`is_general`: no name, 通用, or a
  name ending in （通用）), are never compared.
- F113: the file's 主管部门 or 实施单位 (official layout) is another than the ruleset's; the ruleset's is
  shown. Where the ruleset gives none, the file's is shown (`shown`).

Both evaluators put these findings first, before the file's own (reading findings such as F110); the
fast ones compare once per file, and only a file that names a project or carries project information
(`ActualsFile.project`, `ActualsFile.info`) is looked at.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from jixiao.engine.actuals import ActualsFile, says_no_value
from jixiao.engine.results import Finding
from jixiao.language.spaces import blanked
from jixiao.language.variants import simplified

# (the `Result` field and ruleset statement, the file's label in `ActualsFile.info`)
INFO = (("department", "主管部门"), ("unit", "实施单位"))
_BRACKETS = str.maketrans(
    {**dict.fromkeys("[{【〔〖「『《〈", "("), **dict.fromkeys("]}】〕〗」』》〉", ")")}
    | {"、": ",", "。": ".", "“": '"', "”": '"', "‘": "'", "’": "'"}
)
# A code before a department's name: [332]某局, （332）某局, 332 某局, 332-某局, 332：某局 (after NFKC and
# `_BRACKETS`: （ and 【 are (, ： is :, 、 is ,), with the spaces, dash, colon or dot that follow it. Digits
# are a code only in brackets or followed by a separator: 3号楼管理处 is a name (not 号楼管理处's), and so is
# 332某局 (read before spaces are dropped, so that 332 某局 keeps its separator)
_SEPARATORS = r"\s\-‐‑‒–—―~_.,:;/"
_CODE = re.compile(rf"^(?:\(\s*\d+\s*\)|\d+(?=[{_SEPARATORS}]))[{_SEPARATORS}]*")
GENERAL = "通用"
MAX_KEYS = 1 << 12  # names remembered (a long table names thousands of projects: each compared once)
# Characters of a name remembered at most: a longer one (a hostile cell) is read each time, kept by no cache
MAX_KEPT = 200


def project_key(name: str) -> str:
    """How project names are compared: as `name_key` matches names (full- and half-width alike,
    traditional as simplified, spaces ignored), every kind of bracket as ( ), the ideographic comma and
    quotes as their plain forms, Latin letters in one case, and without a trailing 项目 (道路养护 =
    道路养护项目 = 道路 养护项目; 道路养护(项目) is not: only the last word goes)."""
    return _project_key(name) if len(name) <= MAX_KEPT else _key(name).removesuffix("项目")


@functools.lru_cache(maxsize=MAX_KEYS)
def _project_key(name: str) -> str:
    return _key(name).removesuffix("项目")


def _key(name: str) -> str:
    """`name_key`'s reading (not its cache: a name of any length is read here once), brackets alike."""
    return "".join(_spaced(name).split()).casefold()


def _spaced(name: str) -> str:
    """A name as `_key` reads it before its spaces are dropped: NFKC, simplified, blanks as spaces,
    brackets and punctuation in their plain forms."""
    return blanked(simplified(unicodedata.normalize("NFKC", name))).translate(_BRACKETS)


def is_general(name: str) -> bool:
    """Whether a ruleset's 项目 name serves many projects: none (`项目 ""`), 通用 (通用项目), or a name
    ending in （通用） (`项目 "养老补助（通用）"`)."""
    key = project_key(name)
    return key in ("", GENERAL) or key.endswith(f"({GENERAL})")


def office_key(name: str) -> str:
    """How a 主管部门 or 实施单位 is compared: as a project name is, without a leading code ([332]某局,
    332-某局; not the 3 of 3号楼管理处)."""
    return _office_key(name) if len(name) <= MAX_KEPT else _uncoded(name)


@functools.lru_cache(maxsize=MAX_KEYS)
def _office_key(name: str) -> str:
    return _uncoded(name)


def _uncoded(name: str) -> str:
    """`_key` of the name without its leading code, found while its spaces are still there."""
    return "".join(_CODE.sub("", _spaced(name).lstrip(), count=1).split()).casefold()


class Identity:
    """What a plan compares each file with, made once per plan (`of`): its project's name and key (the key
    None for a general ruleset) and the 主管部门/实施单位 it gives."""

    __slots__ = ("checks", "key", "name")

    def __init__(self, name: str, given: Sequence[tuple[str, str, str]]) -> None:
        self.name = name
        self.key = None if is_general(name) else project_key(name)
        self.checks = tuple((field, label, value, office_key(value)) for field, label, value in given)

    @staticmethod
    @functools.lru_cache(maxsize=256)
    def of(name: str, department: str | None, unit: str | None) -> Identity | None:
        """The identity of a ruleset (its name and meta); None when there is nothing to compare."""
        given = [
            (field, label, value)
            for (field, label), value in zip(INFO, (department, unit), strict=True)
            if value and not says_no_value(value)
        ]
        made = Identity(name, given)
        return made if made.key is not None or made.checks else None

    def findings(self, actuals: ActualsFile) -> list[Finding]:
        """F112 and F113 for a file (none for most: a string or two compared)."""
        found: list[Finding] = []
        project = actuals.project
        if project and project != self.name and self.key is not None and not says_no_value(project):
            if project_key(project) != self.key:
                found.append(Finding("F112", None, {"file": project, "ruleset": self.name}))
        info = actuals.info
        if info:
            for field, label, value, key in self.checks:
                given = info.get(label)
                if given and given != value and not says_no_value(given) and office_key(given) != key:
                    what = (label, "department" if field == "department" else "implementing unit")
                    found.append(Finding("F113", None, {"what": what, "file": given, "ruleset": value}))
        return found

    def given(self, actuals: ActualsFile) -> Sequence[Finding]:
        """The findings a file brings to its result: these, then its own (`ActualsFile.findings`)."""
        found = self.findings(actuals)
        return [*found, *actuals.findings] if found else actuals.findings


def file_findings(name: str, department: str | None, unit: str | None, actuals: ActualsFile) -> list[Finding]:
    """The findings a file brings to its result scored by a ruleset of this name and meta (F112, F113, then
    the file's own): the reference evaluator's; the fast ones read `Identity.given`."""
    identity = Identity.of(name, department, unit)
    if identity is None or not (actuals.project or actuals.info):
        return list(actuals.findings)
    return list(identity.given(actuals))


def named(name: str, actuals: ActualsFile | None) -> str:
    """The project a result names: its ruleset's (项目 "…"); a general ruleset's (`is_general`), the
    project its file names (项目名称, a project column, a YAML key) when it names one."""
    if (
        actuals is not None
        and (project := actuals.project)
        and is_general(name)
        and not says_no_value(project)
    ):
        return project
    return name


def shown(department: str | None, unit: str | None, actuals: ActualsFile) -> tuple[str | None, str | None]:
    """The 主管部门 and 实施单位 a result shows: the ruleset's, else the file's (official layout), or None."""
    info = actuals.info
    if not info or (department and unit):
        return department, unit
    mine = [info.get(label) for _, label in INFO]
    file_department, file_unit = (v if v and not says_no_value(v) else None for v in mine)
    return department or file_department, unit or file_unit
