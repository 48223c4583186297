"""A fast result: the total, grade and findings at once; the rows, budget block, level subtotals and
explanation filled in by the reference evaluator when first read.

Scoring a batch mostly reads totals and grades; tables and explanations are for the few projects a
person looks at. The result keeps what the reference needs (the plan and the actual values) and no
more; when a lazy field is read (`Result.__getattr__`), `Pending.fill` runs the reference evaluator,
checks that it agrees with the fast total, grade and findings, and stores its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.crash import internal_error
from jixiao.diagnostics import JixiaoError
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.evaluate import score as reference_score
from jixiao.engine.identity import named, shown
from jixiao.engine.plan import Plan
from jixiao.engine.results import FILE_INFO, Figure, Finding, Result


class Disagreement(RuntimeError):
    """The fast and the reference evaluator gave different results: a bug in jixiao."""


class Pending:
    """The plan and actual values a fast result was scored from, to fill in its lazy fields, and the
    fields every result of the plan shares (`constant`: its name, year, weights, rules …), which the
    result reads from here until it is filled in (`Result.__getattr__`).

    The actual values are kept as read, or as a way to read them again (the file's bytes and name:
    a few KiB where the read file takes tens, see docs/performance.md)."""

    __slots__ = ("actuals", "constant", "plan")

    def __init__(
        self,
        plan: Plan,
        actuals: ActualsFile | Callable[[], ActualsFile] | None,
        constant: dict[str, object],
    ) -> None:
        self.plan = plan
        self.actuals = actuals  # None: shared by a plan's results, each keeping its own (`_kept[1]`)
        self.constant = constant

    def fill(self, result: Result) -> None:
        """Fill in `result`'s lazy fields; a disagreement, or any other bug, is a `JixiaoError` (E901)."""
        try:
            self._fill(result)
        except JixiaoError:
            raise
        except Exception as exc:
            raise internal_error(exc) from exc

    def file_info(self, result: Result, name: str) -> object:
        """主管部门 or 实施单位 where the ruleset gives none: the file's (`identity.shown`), and a general
        ruleset's project: the file's (`identity.named`), from the read file the result keeps, then held as
        the result's own; a file kept as a way to read it again is read when the table is filled in (what
        every output that shows them does anyway)."""
        mine = result.__dict__
        source = self.actuals if self.actuals is not None else mine["_kept"][1]
        if not isinstance(source, ActualsFile):
            self.fill(result)  # a new `__dict__`: `mine` is the one it replaced
            return result.__dict__[name]
        department, unit = (
            value if isinstance(value := self.constant.get(f), str) else None for f in FILE_INFO
        )
        department, unit = shown(department, unit, source)
        if "project" not in self.constant:
            set_field(result, "project", named(self.plan.ruleset.name, source))
        set_field(result, "department", department)
        set_field(result, "unit", unit)
        return mine[name]

    def _fill(self, result: Result) -> None:
        result.findings  # noqa: B018 — made now if they were deferred (special.py), to be compared
        mine = result.__dict__
        source = self.actuals if self.actuals is not None else mine["_kept"][1]
        actuals = source if isinstance(source, ActualsFile) else source()
        reference = reference_score(self.plan, actuals)
        disagreement = compare(result, reference)
        if disagreement is not None:
            raise Disagreement(f"{self.plan.ruleset.name}: {disagreement}")
        theirs = reference.__dict__  # the result made whole, its fields in the reference's order
        state = {
            name: mine[name] if name in mine else self.constant.get(name, theirs[name]) for name in theirs
        }
        object.__setattr__(result, "__dict__", state)


def compare(fast: Result, reference: Result) -> str | None:
    """What the fast result says differently from the reference's (total, its digits, grade, findings)."""
    mine = (_figure(fast.__dict__["total"]), fast.__dict__["grade"], fast.__dict__["findings"])
    theirs = (_figure(reference.total), reference.grade, reference.findings)
    for what, a, b in zip(("total", "grade", "findings"), mine, theirs, strict=True):
        if a != b:
            return f"{what}: fast {a!r}, reference {b!r}"
    return None


def _figure(figure: Figure) -> tuple[Any, ...]:
    return (figure.value, figure.digits, figure.shown, figure.shown_digits)


def lazy_result(
    total: Figure,
    grade: str | None,
    findings: tuple[Finding, ...],
    pending: Pending,
    actuals: ActualsFile | Callable[[], ActualsFile] | None = None,
) -> Result:
    """A result whose rows, budget, levels and steps the reference fills in when first read (from
    `pending`'s actual values, or `actuals` when `pending` is shared — the read file, or what reads it
    again —: one object less per result).

    Only the fields of this project are its own; the plan's (`Pending.constant`) are read through
    `pending` until it is filled in. Set one by one, they are held in the object itself (no `__dict__`
    is made until one is asked for): one object for the collector to walk per result, not two."""
    result = new_result(Result)
    set_field(result, "total", total)
    set_field(result, "grade", grade)
    set_field(result, "findings", findings)
    set_field(result, "_kept", (pending, actuals))  # what `Result.__getattr__` reads the rest from
    return result


new_result, set_field = object.__new__, object.__setattr__  # a frozen dataclass is made without its __init__
