"""The reference evaluator: scores one project under a compiled `Plan` (see `run.Run`).

Exact and explaining: every indicator records its steps, and every bad cell
becomes a positioned diagnostic.
"""

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.evaluate.run import Run
from jixiao.engine.plan import Plan
from jixiao.engine.results import Result


def score(plan: Plan, actuals: ActualsFile) -> Result:
    """Score one project; each call is an independent run, so a plan may be shared across threads."""
    return Run(plan, actuals).result()


__all__ = ["Run", "score"]
