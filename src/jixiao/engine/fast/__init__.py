"""The fast evaluator: the reference evaluator's results, exactly, on integers, for the plans it implements.

    fast = FastEvaluator.of(plan)       # None: the plan uses something it does not implement
    result = fast.score(actuals)        # None: this project needs the reference evaluator

Modules: `accept` (which plans: structurally, field by field), `rational` (formulas compiled to
integer arithmetic), `rows` (one indicator folded into integers), `budget` (the budget block), `run`
(a project, with a memo of rows already scored), `result` (the lazy `Result`). See
docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from jixiao.engine.actuals import ActualsFile
from jixiao.engine.fast.accept import refusal
from jixiao.engine.fast.result import Disagreement, Pending, lazy_result, set_field
from jixiao.engine.fast.run import FastRun
from jixiao.engine.fast.special import Special, fits
from jixiao.engine.identity import is_general
from jixiao.engine.plan import Plan
from jixiao.engine.results import FILE_INFO, Figure, Finding, Result

__all__ = ["Disagreement", "FastEvaluator", "Pending", "refusal"]


class FastEvaluator:
    """Scores the projects of one plan; `score` returns None for a project the reference must score."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.run = FastRun(plan)
        doc = plan.ruleset
        self.constant: dict[str, object] = {
            "project": doc.name,
            "year": doc.document.year,
            "money_unit": plan.money_unit.unit,
            "total_weight": Figure(plan.rules.total),
            "policies": plan.rules.policies,
            "sources": plan.rules.sources,
            "rules": plan.rules,
            "total_high": None,
        }
        for name in FILE_INFO:  # the ruleset's; where it gives none, each result shows its file's (filled in)
            value = doc.meta(name)
            if value:
                self.constant[name] = value
        if is_general(doc.name):  # each result names the project its file names (filled in)
            del self.constant["project"]
        self.shared = Pending(plan, None, self.constant)  # of every result: each keeps its own file (`_kept`)
        # the general path as a function of the run and `shared`, not a method: what the generated functions
        # (and `quick`) hold must not hold them (`Special`), so a dropped evaluator is freed at once
        # `general(actuals)`: `score` of a read file by the general path (`FastRun.score`), which takes every
        # project; `quick(actuals)`: the same, by the plan's generated function when it has one
        self.general = partial(_general, self.run, self.shared)
        self.special = Special(self.run, self.shared, self.general) if fits(self.run) else None
        self.quick = self.special.score if self.special is not None else self.general

    @staticmethod
    def of(plan: Plan) -> FastEvaluator | None:
        """The fast evaluator of a plan, or None when the plan uses something it does not implement."""
        return FastEvaluator(plan) if refusal(plan) is None else None

    def score(self, actuals: ActualsFile, again: Callable[[], ActualsFile] | None = None) -> Result | None:
        """The result, its table filled in when read from `actuals` (kept) or from what `again` reads."""
        made = self.quick(actuals)  # the plan's generated function when it has one
        if again is None or made is None:  # the read file, kept by the result itself
            return made
        # the file read again when the table is filled in (its bytes are kept: a few KiB, not tens)
        made.findings  # noqa: B018 — made now if deferred: they are made from the read file, not kept
        set_field(made, "_kept", (self.shared, again))
        return made

    def totals(self, actuals: ActualsFile) -> tuple[Figure, str | None, tuple[Finding, ...]] | None:
        """The total, grade and findings alone (what a worker process sends back), or None."""
        made = self.quick(actuals)  # the plan's generated function when it has one
        if made is None:
            return None
        return made.total, made.grade, made.findings  # its own fields (`lazy_result`): nothing filled in

    def result(
        self,
        total: Figure,
        grade: str | None,
        findings: tuple[Finding, ...],
        source: ActualsFile | Callable[[], ActualsFile],
    ) -> Result:
        """A result scored elsewhere (a worker process, the columnar backend), its table filled in when
        read from `source`: the read file, or what reads it again."""
        return lazy_result(total, grade, findings, self.shared, source)


def _general(run: FastRun, shared: Pending, actuals: ActualsFile) -> Result | None:
    """`FastEvaluator.general`: the general path (`FastRun.score`), the result sharing `shared`."""
    scored = run.score(actuals)
    if scored is None:
        return None
    total, grade = run.totals.get(scored[0]) or run.total(scored[0])
    return lazy_result(total, grade, scored[1], shared, actuals)
