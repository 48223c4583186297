"""jixiao (绩效): score Chinese fiscal performance self-evaluation tables exactly.

The public API mirrors the pipeline: `load_ruleset` (parse, resolve, check,
compile), `load_actuals`, `CompiledRuleset.score`, `render`; `check` lists
the problems of a ruleset. Errors are `JixiaoError` with diagnostics.
"""

from jixiao.api import CompiledRuleset, check, load_actuals, load_ruleset, render
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.results import Result

__version__ = "0.1.0"

__all__ = [
    "CompiledRuleset",
    "Diagnostic",
    "JixiaoError",
    "Result",
    "Severity",
    "Span",
    "check",
    "load_actuals",
    "load_ruleset",
    "render",
]
