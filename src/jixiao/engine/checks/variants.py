"""Traditional characters in a ruleset are read as simplified ones (W110), once per file.

A table copied from a traditional-character source (年初預算數, 萬元, 執行率) scores the same as
its simplified twin; the warning says that the text was normalised, so nobody is surprised.
"""

from __future__ import annotations

import re

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.resolve import Ruleset
from jixiao.language.variants import first_traditional, simplified

_COMMENT = re.compile(r"#[^\n]*")


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for path, text in ruleset.sources.items():
        code = _COMMENT.sub(lambda m: " " * len(m.group()), text)  # comments are not read
        at = first_traditional(code)
        if at is not None:
            out.append(_warning(path, text, at))
    return out


def _warning(path: str, text: str, at: int) -> Diagnostic:
    start = max(text.rfind(c, 0, at) for c in ' \t\n{}"') + 1
    ends = [i for i in (text.find(c, at) for c in ' \t\n{}"') if i >= 0]
    word = text[start : min(ends, default=len(text))]
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    span = Span(path, line, column, line, column + 1)
    args: dict[str, object] = {"text": word, "simple": simplified(word)}
    return Diagnostic("W110", span, args, Severity.WARNING)
