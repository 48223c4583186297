"""Actual values as the engine receives them: an `Entry` per indicator row, the budget figures.

Readers (`jixiao.io`) build an `ActualsFile` from CSV, spreadsheets or rows given by a program;
the evaluators read nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from jixiao.diagnostics import Diagnostic, Span
from jixiao.language.quantity import Actual, Quantity


class ActualRow(BaseModel):
    """One row as it comes from outside: text cells, stripped, nothing else."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    level1: str = ""
    level2: str = ""
    name: str
    actual: str
    note: str = ""
    adjusted: str = ""
    reason: str = ""
    target: str = ""
    weight: str = ""
    score: str = ""
    coefficient: str = ""  # 得分系数(%): the share of the weight given (方法 得分系数)


@dataclass(frozen=True)
class Entry:
    """An indicator's row: its parsed actual value (None when unreadable) and where it is."""

    row: ActualRow
    value: Actual | None
    line: int
    spans: dict[str, Span]

    def span(self, column: str) -> Span:
        return self.spans.get(column) or self.spans["name"]


@dataclass(frozen=True)
class BudgetFigure:
    row: str
    figure: str
    quantity: Quantity
    span: Span


@dataclass
class ActualsFile:
    path: str
    entries: list[Entry] = field(default_factory=list)
    budget: list[BudgetFigure] = field(default_factory=list)
    budget_note: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    traditional: list[tuple[str, Span]] = field(default_factory=list)  # cells read as simplified
    budget_adjustment: tuple[str, str, Span] | None = None  # 调整得分, 调整理由 given on a budget row


def money(quantity: Quantity, money_unit: Quantity) -> Fraction | None:
    """A budget figure in the project's money unit; a bare number is already in it."""
    if quantity.dimension == "":
        return quantity.number * quantity.scale
    if quantity.dimension != money_unit.dimension:
        return None
    return quantity.base / money_unit.scale
