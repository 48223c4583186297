"""An indicator's actual value as its row gives it, read the same way by every evaluator.

无 against a numeric target is 0 (F109); a bare number takes the target's unit (F105), unless it reads
two ways: against a percentage (E605) or a unit written with a magnitude, 万人 or 万元 (E609); a bare
magnitude (1.29万: the row's 计量单位 cell, which would complete it, blank) is that magnitude of the
target's unit (1.29万元 against ≤1.2万元 or ≤12000元, F105 naming 元); another dimension is E506; 约 is
F107 and a copied sign F128.
A problem raises `Problem` with the code, place and message arguments: the reference evaluator
reports it, the fast evaluator leaves the project to the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.engine.actuals import Entry, says_no_value
from jixiao.engine.evaluate.base import _dims
from jixiao.engine.methods import fmt
from jixiao.engine.plan import IndicatorPlan, target_quantity
from jixiao.engine.results import Finding
from jixiao.language.quantity import (
    MAGNITUDES,
    NumericActual,
    Quantity,
    UnitError,
    Unknown,
    WordActual,
    read_as,
    resolve_unit,
    split_magnitude,
    unscaled_unit,
)
from jixiao.language.rounding import (
    DOUBLE_DIGITS,
    RoundingMode,
    decimal_places,
    format_fixed,
    magnitude,
    round_scaled,
    written_decimals,
)
from jixiao.language.rounding import Rounding as Rounder

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
    counted = read_as(quantity, target)  # 10个行政村 against ≥12村: 10 villages (and 10村 against ≥12个村)
    if counted is not None:
        return replace(value, quantity=counted)
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
    magnified = magnitude_of(quantity, target)
    if magnified is not None:
        findings.append(Finding("F105", plan.path, {"unit": magnified.unit[len(quantity.unit) :]}))
        return replace(value, quantity=magnified)
    raise Problem(
        "E506",
        entry.span("actual"),
        actual=entry.row.actual,
        target=plan.indicator.target_text,
        actual_dim=_magnitude_dims(quantity) or _dims(quantity.dimension),
        target_dim=_dims(target.dimension),
    )


def _magnitude_dims(quantity: Quantity) -> tuple[str, str] | None:
    """How E506 names a bare magnitude that `magnitude_of` cannot read (3千 against ≥5千米)."""
    if quantity.dimension or quantity.unit not in MAGNITUDES:
        return None
    unit = quantity.unit
    return (f"只写了数量级「{unit}」、没写单位的数", f"a number with the magnitude “{unit}” and no unit")


def magnitude_of(quantity: Quantity, target: Quantity) -> Quantity | None:
    """A bare magnitude (`1.29万`, `1.05万`, `3亿`: a magnitude and no unit) in the target's unit: that
    magnitude of the unit without its own (1.29万 against ≤1.2万元 or ≤12000元 is 1.29万元; 1.05万 against
    ≥1.1万人 is 1.05万人), which reads one way only. None for anything else, and where the target's unit
    starts with a magnitude that is part of its word (3千 against 千米: 3千米 or 3000千米?), or takes
    none (%)."""
    if quantity.dimension or quantity.unit not in MAGNITUDES or not target.dimension:
        return None
    plain = unscaled_unit(target.unit)
    if plain is None:
        if split_magnitude(target.unit)[0] or target.unit.startswith(tuple(MAGNITUDES)):
            return None  # 千米, 千克, 百分比: a magnitude word of its own
        plain = target.unit
    try:
        read = Quantity.of(quantity.number, quantity.unit + plain)
    except UnitError:
        return None  # 万%
    return (
        read if read.dimension == target.dimension and read.scale == quantity.scale * _scale(plain) else None
    )


def _scale(unit: str) -> Fraction:
    return resolve_unit(unit)[0]


def _fraction_for_percent(number: Fraction, target: Quantity) -> bool:
    """A bare number in (0, 1] against a percent target written above 1% reads two ways."""
    return target.dimension == "%" and 0 < number <= 1 < target.number


def written_differs(
    plan: IndicatorPlan,
    derived: NumericActual,
    entry: Entry | None,
    unrounded: Callable[[], NumericActual | None] | None = None,
) -> Finding | None:
    """A derived value (实际 = …) also written in the file must agree with it (F108 if not).

    A number agrees when it is the computed value at the digits written (93.8% and 93.76% agree with
    93.76%), allowing for the 15 significant digits a spreadsheet keeps of a computed cell (a stored
    0.937628865979381 is 909.5 ÷ 970): it is at most half a unit of its last digit plus one unit of the
    computed value's 15th significant digit away. The computed value is the derived one (with 执行率
    rounded as the ruleset rounds it), or the same formula with the exact rate (`unrounded`, asked for
    only when the first disagrees): a rate written more finely than the ruleset rounds it (93.7629%, or
    its 15-digit double) is that rate. The value is read as a scored row's would be; where a bare number
    reads two ways (0.9376 or 1.0259 for a percentage, as E605 says of a scored row's 0.9376; 10500 for
    万人, E609) it agrees if either reading does, since the file's value is only compared, never scored.
    A value of another dimension (80% for a plain number, as E506 says of a scored row), a word or a
    date never agrees.
    A number with more digits than the ruleset rounds to may also be the computed value rounded at its
    digits the way the row's 舍入 or 执行率's rounds one way (截断, 进位: `IndicatorPlan.written_modes`):
    93.7628% for 909.5 ÷ 970 = 93.76288…% truncated.
    A blank cell, one saying “no value” (—, -, /, －, 无: `says_no_value`) or one marked unreadable (?)
    says nothing. F108 shows the computed value at the digits written (`differs`).
    """
    if entry is None or entry.value is None or isinstance(entry.value, Unknown):
        return None
    if says_no_value(entry.row.actual):
        return None
    exact = None
    if isinstance(entry.value, NumericActual):
        if written_agrees(entry, derived, plan, derived):
            return None
        exact = unrounded() if unrounded is not None else None
        if exact is not None and written_agrees(entry, exact, plan, derived):
            return None
    return differs(plan, derived, entry, exact)


def written_agrees(
    entry: Entry,
    computed: NumericActual,
    plan: IndicatorPlan | None = None,
    kept: NumericActual | None = None,
) -> bool:
    """Whether the number a row gives (`entry.value`, a `NumericActual`) is `computed` at its digits, as a
    spreadsheet shows or keeps it, or, written with more digits than the derived value `kept` has, as one
    of the plan's `written_modes` rounds it (`written_differs`)."""
    assert isinstance(entry.value, NumericActual)
    modes = plan.written_modes if plan is not None and kept is not None else ()
    places = written_decimals(entry.row.actual)
    return _agrees(entry.value.quantity, computed.quantity, places, modes, kept.quantity if kept else None)


def differs(
    plan: IndicatorPlan, derived: NumericActual, entry: Entry, exact: NumericActual | None = None
) -> Finding:
    """F108 for a row whose value is not the derived one: the derived value in the row's unit, at the
    digits written where they are more than it shows (93.7629% for a written 93.7100%: the value at the
    unrounded rate, `exact`, when there is one, rounded as `plan.written_modes` first says, else half up)."""
    quantity, value = derived.quantity, entry.value
    if not (isinstance(value, NumericActual) and read_as(value.quantity, quantity) is not None):
        return Finding(
            "F108",
            plan.path,
            {"written": entry.row.actual, "derived": f"{fmt(quantity.number)}{quantity.unit}"},
        )
    written = value.quantity
    number = quantity.base / written.scale
    shown = fmt(number)
    places = written_decimals(entry.row.actual)
    if places > _shown_places(shown):
        finer = (exact.quantity.base if exact is not None else quantity.base) / written.scale
        mode = plan.written_modes[0] if plan.written_modes else RoundingMode.HALF_UP
        shown = format_fixed(Rounder(mode, places).apply(finer), places)
    return Finding("F108", plan.path, {"written": entry.row.actual, "derived": f"{shown}{written.unit}"})


def _shown_places(text: str) -> int:
    """The decimals `fmt` shows (a value that never ends, 6.237113…, has more than any written)."""
    if text.endswith("…"):
        return DOUBLE_DIGITS * 2
    return len(text.partition(".")[2])


def _agrees(
    written: Quantity,
    computed: Quantity,
    places: int,
    modes: tuple[RoundingMode, ...] = (),
    kept: Quantity | None = None,
) -> bool:
    """Whether a written number with `places` decimals is `computed` at its digits, as a spreadsheet shows
    or keeps it, in one of its readings: at most half a unit of its last digit away, plus one unit of the
    computed value's 15th significant digit (`DOUBLE_DIGITS`), or, where that reading has more decimals
    than the derived value `kept`, exactly as one of `modes` rounds it at those digits. In integers: this
    runs per project."""
    exact = computed.base
    en, ed = exact.numerator, exact.denominator
    for base, scale in _readings(written, computed):
        bn, bd, sn, sd = base.numerator, base.denominator, scale.numerator, scale.denominator
        # |base − exact| = gap ÷ (bd·ed); half a unit of the last digit, in the same unit: room ÷ (bd·ed)
        # with room = scale·bd·ed ÷ (2·10**places), so gap ≤ that ⇔ gap·2·10**places·sd ≤ sn·bd·ed
        off, room = abs(bn * ed - en * bd) * 2 * 10**places * sd, sn * bd * ed
        if off <= room:
            return True
        if modes and kept is not None and _finer(kept.base, scale, places):
            if _rounded_so(base, scale, exact, places, modes):
                return True
        if en == 0:
            continue  # 0 is kept exactly
        # plus 10**unit in the written unit: half + 10**unit = (1 + 2·10**(places + unit)) ÷ (2·10**places)
        unit = magnitude(abs(en) * sd, ed * sn) - (DOUBLE_DIGITS - 1)
        shift = places + unit
        if off <= room * (1 + 2 * 10**shift) if shift >= 0 else off * 10**-shift <= room * (10**-shift + 2):
            return True
    return False


def _finer(kept: Fraction, scale: Fraction, places: int) -> bool:
    """Whether `places` decimals of a unit `scale` are more than the value `kept` needs in that unit."""
    needs = decimal_places(kept / scale)
    return needs is None or places > needs


def _rounded_so(
    base: Fraction, scale: Fraction, exact: Fraction, places: int, modes: tuple[RoundingMode, ...]
) -> bool:
    """Whether the written number (`base` in base units, its unit `scale`) is `exact` in that unit rounded
    to `places` decimals by one of `modes`."""
    units = base * 10**places / scale  # the written number in units of its last digit
    if units.denominator != 1:
        return False
    value = exact / scale
    return any(
        round_scaled(value.numerator, value.denominator, places, mode) == units.numerator for mode in modes
    )


def _readings(written: Quantity, derived: Quantity) -> list[tuple[Fraction, Fraction]]:
    """What a written number may mean next to the derived value: (base value, scale of its last digit)."""
    if read_as(written, derived) is not None:  # (10个行政村 for 10村 alike)
        return [(written.base, written.scale)]
    magnified = magnitude_of(written, derived)
    if magnified is not None:  # 1.29万 for 12900元
        return [(magnified.base, magnified.scale)]
    if written.dimension or written.unit:
        return []  # another dimension
    readings = [(written.number * derived.scale, derived.scale)]
    if derived.dimension == "%":  # 0.9376 for 93.76%; 1.0259 for 102.59% (a rate in a General cell)
        readings.append((written.number, Fraction(1)))
    plain = unscaled_unit(derived.unit)
    if plain is not None:
        scale = resolve_unit(plain)[0]
        readings.append((written.number * scale, scale))  # 9095000 for 909.5万元
    return readings
