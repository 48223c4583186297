"""An indicator's actual value as its row gives it, read the same way by every evaluator.

无 against a numeric target is 0 (F109); a bare number takes the target's unit (F105), unless it reads
two ways: against a percentage (E605) or a unit written with a magnitude, 万人 or 万元 (E609); another
dimension is E506; 约 is F107 and a copied sign F128.
A problem raises `Problem` with the code, place and message arguments: the reference evaluator
reports it, the fast evaluator leaves the project to the reference.
"""

from __future__ import annotations

from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.engine.actuals import Entry
from jixiao.engine.evaluate.base import _dims
from jixiao.engine.methods import fmt
from jixiao.engine.plan import IndicatorPlan, target_quantity
from jixiao.engine.results import Finding
from jixiao.language.quantity import NumericActual, Quantity, WordActual, unscaled_unit

# Words that tables write for "none happened" against a numeric target (安全事故 =0起 → 无).
ZERO_WORDS = frozenset({"无", "零", "没有", "未发生", "无发生"})


class Problem(Exception):
    """What the row's value cannot be: a diagnostic's code, place and arguments."""

    def __init__(self, code: str, span: Span, **args: object) -> None:
        super().__init__(code)
        self.code = code
        self.span = span
        self.details = args


def written_actual(plan: IndicatorPlan, entry: Entry, value: object) -> tuple[object, list[Finding]]:
    """The row's parsed `value` as the indicator reads it, and the findings about how it was read."""
    findings: list[Finding] = []
    target = target_quantity(plan)
    if isinstance(value, WordActual) and value.word in ZERO_WORDS and target is not None:
        value = NumericActual(Quantity(Fraction(0), target.scale, target.unit, target.dimension), False)
        findings.append(
            Finding("F109", plan.path, {"text": entry.row.actual, "value": value.quantity.text()})
        )
    if isinstance(value, NumericActual):
        value = _reconcile(plan, value, entry, findings)
        if value.approximate:
            args: dict[str, object] = {"text": entry.row.actual, "value": value.quantity.text()}
            findings.append(Finding("F107", plan.path, args))
        if value.restated:
            restated: dict[str, object] = {"text": entry.row.actual, "value": value.quantity.text()}
            findings.append(Finding("F128", plan.path, restated))
    return value, findings


def _reconcile(
    plan: IndicatorPlan, value: NumericActual, entry: Entry, findings: list[Finding]
) -> NumericActual:
    target = target_quantity(plan)
    quantity = value.quantity
    if target is None or quantity.dimension == target.dimension:
        return value
    if quantity.dimension == "" and quantity.unit == "":
        if _fraction_for_percent(quantity.number, target):
            # 0.975 against ≥95%: 97.5% or 0.975%? Either silent reading may be badly wrong (E605)
            raise Problem(
                "E605",
                entry.span("actual"),
                text=entry.row.actual,
                target=plan.indicator.target_text,
                percent=f"{fmt(quantity.number * 100)}%",
                literal=f"{fmt(quantity.number)}%",
            )
        plain = unscaled_unit(target.unit)
        if plain is not None and quantity.number != 0:
            # 10500 against ≥1.1万人: 10500人 or 10500万人? The target's magnitude is not the row's (E609)
            number = fmt(quantity.number)
            raise Problem(
                "E609",
                entry.span("actual"),
                text=entry.row.actual,
                target=plan.indicator.target_text,
                plain=f"{number}{plain}",
                scaled=f"{number}{target.unit}",
                scaled_unit=target.unit,
            )
        findings.append(Finding("F105", plan.path, {"unit": target.unit}))
        return NumericActual(quantity.with_unit_of(target), value.approximate)
    raise Problem(
        "E506",
        entry.span("actual"),
        actual=entry.row.actual,
        target=plan.indicator.target_text,
        actual_dim=_dims(quantity.dimension),
        target_dim=_dims(target.dimension),
    )


def _fraction_for_percent(number: Fraction, target: Quantity) -> bool:
    """A bare number in (0, 1] against a percent target written above 1% reads two ways."""
    return target.dimension == "%" and 0 < number <= 1 < target.number
