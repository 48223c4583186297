"""Checks: an ordered tuple of small passes over a resolved ruleset.

Each pass takes the `Ruleset` and returns diagnostics; `run_checks` runs them
all, so one run reports every problem, sorted by position. Passes never raise.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.diagnostics import Diagnostic, sorted_diagnostics
from jixiao.engine.checks import bands, dead, formulas, grades, indicators, names, units, variants, weights
from jixiao.engine.resolve import Ruleset

Pass = Callable[[Ruleset], list[Diagnostic]]

PASSES: tuple[Pass, ...] = (
    indicators.check,  # every indicator has a target and a positive weight, no duplicates
    names.check,  # methods, scales, variables, references, qualitative words
    units.check,  # targets fit their indicator, formulas keep one unit, methods suit targets
    formulas.check,  # no division by zero, no score above the weight, no cycles
    weights.check,  # weights add up to 总分 and to the framework's shares
    grades.check,  # grade bands cover 0–总分 without gaps or overlaps
    bands.check,  # scales in order within 0–100%, method bands without holes
    dead.check,  # unused parameters and scales, overrides that change nothing (warnings)
    variants.check,  # traditional characters read as simplified (a warning per file)
)


def run_checks(ruleset: Ruleset) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for check in PASSES:
        diagnostics.extend(check(ruleset))
    return sorted_diagnostics(diagnostics)
