"""Budget figures as tables print them: fund-source rows, amounts, blanks, printed rates and scores.

Used by both layouts: a simple table has one budget row per figure (一级指标 预算执行, 二级指标 the fund
source, 三级指标 the figure); the official layout has a block with a column per figure. Either way a
figure goes through `BudgetReader.amount`: blank, —, -, / mean no amount; a figure given twice is E516;
an unknown fund source becomes an extra row with finding F110 and never feeds a score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Span
from jixiao.engine.actuals import (
    DASHES,
    ActualRow,
    ActualsFile,
    BudgetFigure,
    Printed,
    bare_unit,
    explains,
    mark_blank,
)
from jixiao.engine.results import Finding
from jixiao.io.actuals.grid import place_words
from jixiao.io.actuals.labels import Vocabulary, label_key
from jixiao.language import nodes as n
from jixiao.language.literals import APPROX_WORDS, LiteralError, parse_quantity
from jixiao.language.quantity import Quantity, UnitError, resolve_unit
from jixiao.language.variants import simplified
from jixiao.limits import MAX_DIGITS

NO_AMOUNT = DASHES | {""}  # a blank budget amount (E518 where the rate needs it)
TOTAL_ROW = "年度资金总额"


def printed_key(printed: str) -> str:
    """`ActualsFile.printed` keys of the budget block: 执行率, 预算分值, 预算得分."""
    return printed if printed == "执行率" else f"预算{printed}"


def plain_amount(text: str) -> tuple[int, int] | None:
    """A plain decimal number (970, 1241.04: most amounts) as a reduced integer pair, else None.

    Plain means ASCII digits, then a point and more ASCII digits or nothing (`[0-9]+(\\.[0-9]+)?`)."""
    whole, point, decimals = text.partition(".")
    if not (text.isascii() and whole.isdigit()) or len(text) > MAX_DIGITS:
        return None
    if point and not decimals.isdigit():
        return None
    return decimal_pair(whole, decimals)


def decimal_pair(whole: str, decimals: str) -> tuple[int, int]:
    """The plain number `whole`.`decimals` (ASCII digits; `decimals` may be empty), reduced."""
    num, den = int(whole + decimals), _POWERS[len(decimals)]
    common = math.gcd(num, den)
    return (num // common, den // common) if common > 1 else (num, den)


_POWERS = tuple(10**k for k in range(MAX_DIGITS + 1))


def read_quantity(text: str) -> Quantity:
    """`parse_quantity`, with a plain decimal number (most amounts) read without its scanner."""
    amount = plain_amount(text)
    if amount is not None:
        return Quantity(Fraction(*amount), *bare_unit())
    return parse_quantity(text)


@dataclass(frozen=True)
class MoneyUnit:
    """A cell that declares the money unit of a table's bare amounts: `单位：元` in the title rows,
    `项目资金（万元）` on the budget block, `全年预算数（万元）` over a figure, `实际完成值（元）` over a
    simple table's amounts, a budget row's 计量单位 cell."""

    unit: str
    text: str  # the cell as written
    span: Span

    def words(self) -> tuple[str, str]:
        return (
            f"第{self.span.line}行「{self.text}」写的金额单位",
            f"the money unit in “{self.text}” (row {self.span.line})",
        )


def same_money_unit(a: str, b: str) -> bool:
    """Whether two written units are one (元 and 圆, 万元 and 萬元): the same scale and base unit."""
    try:
        one, other = resolve_unit(simplified(a)), resolve_unit(simplified(b))
    except UnitError:
        return False
    return one[0] == other[0] and one[2] == other[2]


def declared_units(units: Sequence[MoneyUnit]) -> list[MoneyUnit]:
    """The first declaration and the first that disagrees with it, if any (the rest decide nothing)."""
    if not units:
        return []
    other = next((u for u in units[1:] if not same_money_unit(units[0].unit, u.unit)), None)
    return [units[0]] if other is None else [units[0], other]


class BudgetReader:
    """Collects one file's budget figures into its `ActualsFile`."""

    def __init__(
        self,
        file: ActualsFile,
        vocab: Vocabulary,
        units: Sequence[MoneyUnit] = (),
        formula_at: Callable[[Span], bool] = lambda _: False,
    ) -> None:
        self.file = file
        self.formula_at = formula_at  # a cell holding a formula saved without its value (`Grid.formula_at`)
        self.vocab = vocab
        # the cells declaring the table's money unit (项目资金（万元）): the first, and one of another unit
        self.units = declared_units(units)
        self.unit = self.units[0].unit if self.units else None
        self.seen: dict[tuple[str, str], Span | BudgetFigure] = {}  # the first place
        self.extra: set[str] = set()
        self.reported: set[tuple[int, int]] = set()  # the cells E531 was reported at

    def row_name(self, label: str) -> str:
        """The fund-source row a label names; an unknown label is an extra row (F110, once)."""
        if not label.strip():
            return TOTAL_ROW
        known = self.vocab.budget_row(label)
        if known is not None:
            return known
        name = label_key(label) or label.strip()
        if name not in self.extra:
            self.extra.add(name)
            self.file.findings.append(Finding("F110", n.BUDGET_LEVEL, {"label": label.strip()}))
        return name

    def amount(self, row: str, figure: str, text: str, span: Span) -> None:
        """One amount of one row; a blank or a dash is no amount."""
        if text.strip() in NO_AMOUNT:  # where it is, for E518 if the rate needs it (`RunBase.budget_missing`)
            mark_blank(self.file, row, figure, span)
            return
        first = self.seen.get((row, figure))
        if first is not None:
            if isinstance(first, BudgetFigure):  # the quick reader's figure, its span built when needed
                first = first.span
            self._error(
                "E516", span, row=row, figure=figure, first=place_words(first), second=place_words(span)
            )
            return
        self.seen[(row, figure)] = span
        if self.formula_at(span):  # =C2*0.9376 saved without its value: not an amount to read (E509)
            self._error("E509", span, text=text.strip())
            return
        if any(word in text for word in APPROX_WORDS):  # 约900: an indicator may be approximate, money not
            reason = ("金额要写确切的数，不能是约数", "an amount must be exact, not approximate")
            self._error("E505", span, text=text.strip(), reason=reason)
            return
        try:
            quantity = read_quantity(text)
        except LiteralError as exc:
            reason = (exc.message("zh"), exc.message("en"))
            self._error("E505", span, text=text.strip(), reason=reason)
            return
        if quantity.dimension == "" and quantity.unit == "" and self.unit:
            if self.two_units(text.strip()):
                return
            quantity = Quantity.of(quantity.number, self.unit)
        self.file.budget.append(BudgetFigure(row, figure, quantity, span))

    def two_units(self, number: str, own: MoneyUnit | None = None) -> bool:
        """Whether a bare amount reads two ways: two cells declare different money units for it (the
        title's 单位：元 and the block's 项目资金（万元）; or, `own`, the unit that completes it in its row, a
        计量单位 cell or its column header). E531 once at the later of the two cells, naming both; no amount
        is read then (never one unit silently preferred)."""
        units = declared_units([*self.units, *([own] if own is not None else [])])
        if len(units) < 2:
            return False
        first, second = units
        self.file.budget_unreadable = True
        key = (second.span.line, second.span.column)
        if key in self.reported:
            return True
        self.reported.add(key)
        fix = (
            f"删去「{first.text}」或「{second.text}」中的单位",
            f"drop the unit from “{first.text}” or from “{second.text}”",
        )
        args: dict[str, object] = {
            "first": first.words(), "a": first.unit, "second": second.words(), "b": second.unit,
            "number": number, "one": number + first.unit, "two": number + second.unit, "fix": fix,
        }  # fmt: skip
        self.file.diagnostics.append(Diagnostic("E531", second.span, args))
        return True

    def printed(self, key: str, text: str, span: Span, shown: str = "") -> None:
        """A printed figure (执行率, 分值, 得分); `shown`: as its cell shows it, when that differs."""
        if text.strip() and key not in self.file.printed:
            self.file.printed[key] = Printed(text.strip(), span, shown.strip())

    def _error(self, code: str, span: Span, **args: object) -> None:
        self.file.diagnostics.append(Diagnostic(code, span, args))
        self.file.budget_unreadable = True

    # -- a simple table's budget row ------------------------------------------------------------------
    def table_row(self, row: ActualRow, spans: Mapping[str, Span]) -> None:
        """A row such as `预算执行,年度资金总额,全年预算数,970.00`."""
        if row.adjusted:  # the budget score adjusted like an indicator's (F104; E511 when out of range)
            self.file.budget_adjustment = (row.adjusted, row.reason, spans.get("adjusted") or spans["name"])
        if explains(row.note):  # a dash (—, /, 无) explains nothing (F106)
            self.file.budget_note = row.note
        figure = self.vocab.budget_figure(row.name)
        printed = self.vocab.printed(row.name)
        if figure is None and printed is not None:
            if self.row_name(row.level2) == TOTAL_ROW:  # a fund source's printed rate is not the block's
                self.printed(printed_key(printed), row.actual, spans["actual"])
            return
        if figure is None:
            known = "、".join(self.vocab.raw["budget_figures"])
            self._error("E513", spans["name"], name=row.name, expected=known)
            return
        self.amount(self.row_name(row.level2), figure, row.actual, spans["actual"])
