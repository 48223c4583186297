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
from jixiao.tools.fmt.comments import Comments, Pos, after_blank, at, attach, scan
from jixiao.tools.fmt.layout import render
from jixiao.tools.fmt.printer import Printer
from jixiao.tools.fmt.words import Keywords

__all__ = ["Keywords", "format_document", "format_text"]


def format_text(text: str, path: str = "<text>", keywords: Keywords | None = None) -> str:
    """Parse a ruleset and print it canonically; raise JixiaoError when it does not parse."""
    document = parse(text, path)
    starts, blocks = anchors(document, text)
    return format_document(document, attach(scan(text), starts, blocks, after_blank(text)), keywords)


def format_document(
    document: n.Document, comments: Comments | None = None, keywords: Keywords | None = None
) -> str:
    """Print a document (with comments already attached, if any)."""
    return render(Printer(document, comments or Comments(), keywords).document())


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
