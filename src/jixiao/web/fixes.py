"""Quick fixes: the replacement a diagnostic's did-you-mean implies, as an edit of the ruleset's text.

A diagnostic with a `suggestion` (a misspelt keyword → 分值, an unknown scale word → 有效保障, a policy
name → standard/central, a money unit → 万元) names what the user meant; its span covers either the wrong
text itself or the statement holding it. The edit replaces the wrong text — the span's text when it is one
word, else the argument the message quotes (name, word, unit, text), found exactly once inside the span —
with the suggestion. No edit is offered when the wrong text cannot be placed exactly: a wrong edit is worse
than none.
"""

from __future__ import annotations

from jixiao.diagnostics import Diagnostic, Span

# the arguments that hold the text a did-you-mean replaces, most specific first
WRONG_TEXT_ARGS = ("name", "word", "unit", "text", "column")


def fix_span(diag: Diagnostic, text: str) -> Span | None:
    """Where in `text` the diagnostic's suggestion goes (same line, code-point columns), or None."""
    span = diag.span
    if diag.suggestion is None or span is None or span.excerpt is not None or span.end_column is None:
        return None
    if span.end_line not in (None, span.line):
        return None
    lines = text.split("\n")
    if not 0 < span.line <= len(lines):
        return None
    segment = lines[span.line - 1][span.column - 1 : span.end_column - 1]
    for wrong in _wrong_texts(diag, segment):
        at = segment.find(wrong)
        if wrong != diag.suggestion and at >= 0 and segment.count(wrong) == 1:
            start = span.column + at
            return Span(span.path, span.line, start, span.line, start + len(wrong))
    return None


def _wrong_texts(diag: Diagnostic, segment: str) -> list[str]:
    quoted = [v for k in WRONG_TEXT_ARGS if isinstance(v := diag.args.get(k), str) and v]
    whole = [segment] if segment and not any(ch.isspace() for ch in segment) else []
    return [*quoted, *whole]
