"""`jixiao fmt`: print rulesets in one canonical layout, keeping their comments.

>>> from jixiao.tools.fmt import format_text
>>> print(format_text('项目 "x" {\\n产出指标/数量指标{ 人数 目标 ≥10人 分值 100 }}'), end="")
项目 "x" {
  产出指标 / 数量指标 {
    人数  目标 ≥10人  分值 100
  }
}
"""

from __future__ import annotations

from jixiao.diagnostics import Span
from jixiao.language import nodes as n
from jixiao.language.parser import parse
from jixiao.tools.fmt.comments import Comments, after_blank, attach, scan
from jixiao.tools.fmt.layout import render
from jixiao.tools.fmt.printer import Printer
from jixiao.tools.fmt.words import Keywords

__all__ = ["Keywords", "format_document", "format_text"]


def format_text(text: str, path: str = "<text>", keywords: Keywords | None = None) -> str:
    """Parse a ruleset and print it canonically; raise JixiaoError when it does not parse."""
    document = parse(text, path)
    starts, closes = anchors(document)
    return format_document(document, attach(scan(text), starts, closes, after_blank(text)), keywords)


def format_document(
    document: n.Document, comments: Comments | None = None, keywords: Keywords | None = None
) -> str:
    """Print a document (with comments already attached, if any)."""
    return render(Printer(document, comments or Comments(), keywords).document())


def anchors(document: n.Document) -> tuple[set[int], set[int]]:
    """Source lines where printed items start, and where blocks close."""
    starts: set[int] = set()
    closes: set[int] = set()
    _add(starts, closes, document.span, block=True)
    for statement in document.statements:
        _statement(starts, closes, statement)
        if isinstance(statement, n.GoalBlock):
            for block in statement.blocks:
                _statement(starts, closes, block)
    starts.discard(0)
    closes.discard(0)
    return starts, closes


def _add(starts: set[int], closes: set[int], span: Span, block: bool = False) -> None:
    starts.add(span.line)
    if block and span.end_line and span.end_line > span.line:
        closes.add(span.end_line)


def _statement(starts: set[int], closes: set[int], s: n.Statement) -> None:
    _add(starts, closes, s.span, block=not isinstance(s, n.KindRule))
    for child in _children(s):
        _add(starts, closes, child.span)
    methods = [s.method] if isinstance(s, n.KindRule) else []
    if isinstance(s, n.LevelBlock):
        for indicator in s.indicators:
            _add(starts, closes, indicator.span, block=True)
            starts.update(span.line for _key, span in indicator.option_spans)  # comments stay by their option
            methods += [indicator.method] if indicator.method else []
    for method in methods:
        if method.bands:
            _add(starts, closes, method.span, block=True)
            for band in method.bands:
                _add(starts, closes, band.span)


def _children(s: n.Statement) -> tuple[n.Budget | n.BudgetItem | n.ScaleLevel | n.Grade | n.Share, ...]:
    if isinstance(s, n.Budget):
        return s.items
    if isinstance(s, n.Scale):
        return s.levels
    if isinstance(s, n.Grades):
        return s.grades
    if isinstance(s, n.Framework):
        return s.shares
    return ()
