"""jixiao (绩效): score Chinese fiscal performance self-evaluation tables exactly.

The public API mirrors the pipeline: `load_ruleset` (parse, resolve, check,
compile; cached by content), `load_actuals`, `CompiledRuleset.score` and
`score_many`, `explain`, `render`; `check` lists the problems of a ruleset,
`diff` compares two rulesets (`diff_folders`, `diff_policy`, `diff_revisions`
many projects at once), `schema` gives the JSON Schema of the output.
Errors are `JixiaoError` with diagnostics. See docs/api.md.

Each name is imported when first used (PEP 562), so `import jixiao.cli` and `jixiao --help` do not
load the whole engine (docs/performance.md).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.api import (
        BatchReport,
        CompiledRuleset,
        DiffReport,
        check,
        clear_cache,
        diff,
        diff_folders,
        diff_policy,
        diff_revisions,
        explain,
        load_actuals,
        load_ruleset,
        parse_ruleset,
        render,
        render_diagnostics,
        schema,
    )
    from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
    from jixiao.engine.actuals import ActualsFile
    from jixiao.engine.figure import json_default
    from jixiao.engine.results import BudgetResult, Figure, Finding, IndicatorResult, Result

__version__ = "0.1.0"

_HOMES = {
    **dict.fromkeys(("ActualsFile",), "jixiao.engine.actuals"),
    **dict.fromkeys(("Diagnostic", "JixiaoError", "Severity", "Span"), "jixiao.diagnostics"),
    **dict.fromkeys(("json_default",), "jixiao.engine.figure"),
    **dict.fromkeys(
        ("BudgetResult", "Figure", "Finding", "IndicatorResult", "Result"), "jixiao.engine.results"
    ),
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (and kept as the package's attribute)."""
    if name not in __all__:
        raise AttributeError(f"module 'jixiao' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES.get(name, "jixiao.api")), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ActualsFile",
    "BatchReport",
    "BudgetResult",
    "CompiledRuleset",
    "Diagnostic",
    "DiffReport",
    "Figure",
    "Finding",
    "IndicatorResult",
    "JixiaoError",
    "Result",
    "Severity",
    "Span",
    "check",
    "clear_cache",
    "diff",
    "diff_folders",
    "diff_policy",
    "diff_revisions",
    "explain",
    "json_default",
    "load_actuals",
    "load_ruleset",
    "parse_ruleset",
    "render",
    "render_diagnostics",
    "schema",
]
