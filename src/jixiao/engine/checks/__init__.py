"""Checks: an ordered tuple of small passes over a resolved ruleset.

Each pass takes the `Ruleset` and returns diagnostics; `run_checks` runs them
all, so one run reports every problem, sorted by position. Passes never raise.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from jixiao.diagnostics import Diagnostic, Severity, Span, sorted_diagnostics
from jixiao.engine.checks import (
    bands,
    dead,
    formulas,
    grades,
    indicators,
    names,
    units,
    values,
    variants,
    weights,
)
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.cycles import cycles_uncollected

Pass = Callable[[Ruleset], list[Diagnostic]]

PASSES: tuple[Pass, ...] = (
    indicators.check,  # every indicator has a target and a positive weight, no duplicates
    names.check,  # methods, scales, variables, references, qualitative words
    units.check,  # targets fit their indicator, formulas keep one unit, methods suit targets
    values.check,  # conditions are not numbers; 实际 and 目标 used where they have a value
    formulas.check,  # no division by zero, no score above the weight, no cycles
    weights.check,  # weights add up to 总分 and to the framework's shares
    grades.check,  # grade bands cover 0–总分 without gaps or overlaps
    bands.check,  # scales in order within 0–100%, method bands without holes
    dead.check,  # unused parameters and scales, overrides that change nothing (warnings)
    variants.check,  # traditional characters read as simplified (a warning per file)
)


@cycles_uncollected()
def run_checks(ruleset: Ruleset) -> list[Diagnostic]:
    """Every problem: the literal errors parsing kept (`parse_lenient`), then what the passes find."""
    diagnostics: list[Diagnostic] = []
    for check in PASSES:
        diagnostics.extend(check(ruleset))
    literal = list(ruleset.document.diagnostics)
    found = [*literal, *_not_caused_by(literal, diagnostics, ruleset.document)]
    return sorted_diagnostics(_no_bound_beside_errors(found))


def _no_bound_beside_errors(found: list[Diagnostic]) -> list[Diagnostic]:
    """Without W105 (a score above the weight) on a formula that has an error: once the error is fixed
    its bound is another, and `最高可达 ∞` next to E308 or E310 says nothing more. One bisection each."""
    errors = sorted(_start(d.span) for d in found if d.severity is Severity.ERROR and d.span is not None)
    return [d for d in found if d.code != "W105" or d.span is None or not _holds_one(errors, d.span)]


def _start(span: Span) -> tuple[str, int, int]:
    return (span.path, span.line, span.column)


def _holds_one(starts: list[tuple[str, int, int]], span: Span) -> bool:
    """Whether one of `starts` (sorted) lies inside `span`."""
    end = (span.path, span.end_line or span.line, span.end_column or span.column + 1)
    i = bisect_left(starts, _start(span))
    return i < len(starts) and starts[i] < end


# Checks of sums: a literal error never changes a weight or a share (they are plain numbers).
SUMS = frozenset({"E401", "E404", "E408"})


def _not_caused_by(
    literal: list[Diagnostic], found: list[Diagnostic], document: n.Document
) -> list[Diagnostic]:
    """The passes' diagnostics, less those about a statement or indicator whose literal was left out.

    (A grade with an unreadable bound leaves a gap in the grades: that gap is not a second mistake.)
    """
    broken = [span for span in _spans(document) if any(_inside(d.span, span) for d in literal)]
    return [d for d in found if d.code in SUMS or not any(_inside(d.span, span) for span in broken)]


def _spans(document: n.Document) -> list[Span]:
    """The spans of the statements, and of each indicator instead of its level block."""
    spans: list[Span] = []
    for statement in document.statements:
        if isinstance(statement, n.LevelBlock):
            spans.extend(i.span for i in statement.indicators)
        else:
            spans.append(statement.span)
    return spans


def _inside(span: Span | None, outer: Span) -> bool:
    if span is None or span.path != outer.path:
        return False
    return outer.line <= span.line <= (outer.end_line or outer.line)
