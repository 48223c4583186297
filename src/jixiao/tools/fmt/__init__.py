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

import copy
from collections.abc import Callable

from jixiao.diagnostics import JixiaoError, Span
from jixiao.language import nodes as n
from jixiao.language.parser import parse
from jixiao.limits import MAX_LINE_CHARS
from jixiao.tools.fmt.comments import Comments, Pos, after_blank, at, attach, scan
from jixiao.tools.fmt.expr import tight
from jixiao.tools.fmt.layout import Line, rendered
from jixiao.tools.fmt.printer import Printer
from jixiao.tools.fmt.words import Keywords

__all__ = ["Keywords", "format_document", "format_text"]


def format_text(text: str, path: str = "<text>", keywords: Keywords | None = None) -> str:
    """Parse a ruleset and print it canonically; raise JixiaoError when it does not parse, or when printed
    it would have a line past the limit (E914: the file is left as written, never made invalid)."""
    document = parse(text, path)
    starts, blocks = anchors(document, text)
    printed, tightened = _format(
        document, lambda: attach(scan(text), starts, blocks, after_blank(text)), keywords
    )
    if tightened and parse(printed, path) != document:  # operators without spaces read otherwise
        raise JixiaoError.single("E914", document.span, limit=MAX_LINE_CHARS)
    return printed


def format_document(
    document: n.Document, comments: Comments | None = None, keywords: Keywords | None = None
) -> str:
    """Print a document (with comments already attached, if any)."""
    given = comments or Comments()
    return _format(document, lambda: copy.deepcopy(given), keywords)[0]  # each printing takes its comments


def _format(
    document: n.Document, comments: Callable[[], Comments], keywords: Keywords | None
) -> tuple[str, bool]:
    """The printed text, and whether its operators are printed without spaces: a line with them spaced
    would pass MAX_LINE_CHARS (E903 when checked), as a formula written tightly near the limit does. A
    line too long even then is E914 at its statement (a formula cannot continue on the next line)."""
    lines = Printer(document, comments(), keywords).document()
    texts = rendered(lines)
    if _too_long(lines, texts) is None:
        return _joined(texts), False
    with tight():
        lines = Printer(document, comments(), keywords).document()
    texts = rendered(lines)
    long = _too_long(lines, texts)
    if long is not None:
        raise JixiaoError.single("E914", long.span or document.span, limit=MAX_LINE_CHARS)
    return _joined(texts), True


def _too_long(lines: list[Line], texts: list[str]) -> Line | None:
    return next((line for line, text in zip(lines, texts, strict=True) if len(text) > MAX_LINE_CHARS), None)


def _joined(texts: list[str]) -> str:
    return "\n".join(texts).strip("\n") + "\n"


def anchors(document: n.Document, text: str) -> tuple[set[Pos], list[Span]]:
    """Where the items the printer prints on lines of their own start, and the spans of blocks.

    Options written on their indicator's first line, and a method on its rule's or indicator's line,
    are part of that line, not items of their own; the spans kept as blocks are those ending in "}".
    """
    starts: set[Pos] = {at(document.span)}
    spans: list[Span] = [document.span]
    for statement in document.statements:
        _statement(starts, spans, statement)
        if isinstance(statement, n.GoalBlock):
            for block in statement.blocks:
                _statement(starts, spans, block)
    lines = text.split("\n")
    blocks = [span for span in spans if _ends_in_brace(span, lines)]
    return {pos for pos in starts if pos[0]}, blocks


def _ends_in_brace(span: Span, lines: list[str]) -> bool:
    if not span.end_line or not span.end_column or span.end_line > len(lines):
        return False
    line = lines[span.end_line - 1]
    return 0 < span.end_column <= len(line) + 1 and line[span.end_column - 2 : span.end_column - 1] == "}"


def _statement(starts: set[Pos], spans: list[Span], s: n.Statement) -> None:
    starts.add(at(s.span))
    spans.append(s.span)
    for child in _children(s):
        starts.add(at(child.span))
    methods = [s.method] if isinstance(s, n.KindRule) else []
    if isinstance(s, n.LevelBlock):
        for indicator in s.indicators:
            starts.add(at(indicator.span))
            spans.append(indicator.span)
            starts.update(  # options on lines of their own (block form): comments stay by their option
                at(span) for _key, span in indicator.option_spans if span.line != indicator.span.line
            )
            methods += [indicator.method] if indicator.method else []
    for method in methods:
        if method.bands:
            spans.append(method.span)
            starts.update(at(band.span) for band in method.bands)


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
