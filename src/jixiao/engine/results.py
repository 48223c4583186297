"""What scoring produces: exact results with their findings and explanation steps.

Scores, weights and totals are `Figure`s (engine/figure.py): exact values that
behave like numbers; `digits` says how many decimals the declared rounding
left, so renderers print "99.31" and never re-round a rounded value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from jixiao.diagnostics import Span
from jixiao.engine.figure import Figure
from jixiao.engine.plan import IndicatorPlan
from jixiao.engine.resolve import Rules
from jixiao.language.frozen import frozen
from jixiao.language.quantity import Actual, Target
from jixiao.messages import Lang, message

__all__ = [
    "FILE_INFO",
    "FROM_FILE",
    "Basis",
    "BudgetResult",
    "BudgetRow",
    "Figure",
    "Finding",
    "IndicatorResult",
    "Result",
    "Step",
]


@frozen
class Finding:
    """Something a reviewer must see: a missing explanation, an adjustment, 不适用, …; `span` the cell of the
    actual-value file it is about where the finding concerns the file rather than an indicator (F138: the
    title cell giving the year), else None."""

    code: str
    indicator: str | None
    args: dict[str, object] = field(default_factory=dict)
    span: Span | None = None

    def message(self, lang: Lang = "zh") -> str:
        return message(self.code, lang, self.args)


class Step:
    """One line of an explanation in both languages, formatted only when read.

    Scoring records steps for every indicator; building the text lazily keeps
    batches fast when nobody asks for an explanation.
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], tuple[str, str]]) -> None:
        self._make = make

    def text(self, lang: Lang) -> str:
        zh, en = self._make()
        return zh if lang == "zh" else en

    def __repr__(self) -> str:
        return f"Step({self.text('en')!r})"

    def __eq__(self, other: object) -> bool:
        """Equal when both texts are (made to compare): results scored alike compare equal."""
        if not isinstance(other, Step):
            return NotImplemented
        return self is other or self._make() == other._make()

    def __hash__(self) -> int:
        return hash(self._make())

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        """Pickled as its two texts (the closure that makes them does not pickle)."""
        return (fixed_step, self._make())


def fixed_step(zh: str, en: str) -> Step:
    """A step whose texts are already made (an unpickled one)."""
    return Step(lambda: (zh, en))


@frozen
class Basis:
    """What an explanation says of an indicator's rule, taken from its plan: kept when a result is
    pickled or copied (the plan holds compiled formulas, which do not pickle)."""

    kind: str  # higher, lower, equal, range, deadline, qualitative
    method: str  # the method's id (比例 → "ratio")
    formula: bool  # scored by the indicator's own formula (得分 = …)
    origin: str  # where the method came from: "indicator", "policy" or the built-in default
    target: Target | None
    span: Span | None  # the indicator in its ruleset
    computed: bool = False  # its actual value is computed (实际 = 执行率), not the table's

    @staticmethod
    def of(plan: IndicatorPlan) -> Basis:
        i = plan.indicator
        return Basis(
            plan.kind,
            plan.method.id,
            plan.score is not None,
            plan.method_origin,
            i.target,
            i.span,
            i.actual is not None,
        )


@frozen
class IndicatorResult:
    """One indicator's row of the scored table: its names, target, actual value, weight and score."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    parsed_actual: Actual | None
    weight: Figure
    score: Figure | None  # None when 不适用
    formula_score: Figure | None  # the method's score before rounding and adjustment (None for band words)
    method: str
    note: str
    met: bool | None
    adjusted: bool = False
    adjust_reason: str = ""
    source: str | None = None
    findings: tuple[Finding, ...] = ()
    steps: tuple[Step, ...] = ()
    plan: IndicatorPlan | None = field(default=None, compare=False, repr=False)  # for explanations
    unknown: bool = False  # the score is not known (an illegible cell): neither 不适用 nor 0
    item_score: Figure | None = None  # 表列 单项得分: the score out of 100 the weighted score comes from
    breakdown_of: str | None = None  # a 其中 row: the indicator it breaks down; shown, never scored
    subtotal: bool = False  # a 小计 row: the sum of the rows it repeats, shown and never counted
    goal: str | None = None  # the 绩效目标 block above level 1 the row is under

    @property
    def not_applicable(self) -> bool:
        return self.score is None and not self.unknown and self.breakdown_of is None and not self.subtotal

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its plan (compiled formulas do not pickle) but with the `basis` explanations
        read from it, so an unpickled or copied result explains itself as the original does."""
        basis = self.basis
        return {**self.__dict__, "plan": None, "_basis": basis}

    @property
    def basis(self) -> Basis | None:
        """The rule as explanations tell it: from the plan, or as kept by pickling (None: no plan)."""
        if self.plan is not None:
            return Basis.of(self.plan)
        basis: Basis | None = self.__dict__.get("_basis")
        return basis

    @property
    def path(self) -> str:
        return f"{self.level1}/{self.level2}/{self.name}"


@frozen
class BudgetRow:
    """One fund source's figures in the budget block (年初预算数, 全年预算数, 全年执行数)."""

    name: str
    initial: Fraction | None
    annual: Fraction | None
    executed: Fraction | None


@frozen
class BudgetResult:
    """The budget block: its rows, the execution rate, and the score it gives."""

    rows: tuple[BudgetRow, ...]
    rate: Figure | None  # as a fraction (0.9376 = 93.76%); digits count percent decimals
    weight: Figure
    score: Figure | None
    counted: bool
    note: str
    money_unit: str
    steps: tuple[Step, ...] = ()
    scored: bool = True  # False: 预算执行 不评分 (figures shown, no weight, no score)
    row: str = "年度资金总额"  # the row whose figures give the rate and the score
    not_applicable: bool = False  # 零预算 不评分 with a zero budget: its weight is left out like 不适用


def _none() -> None:
    return None


@frozen
class Result:
    """A scored project: its table (budget, indicators, levels), total, grade and findings."""

    project: str
    year: int | None
    department: str | None
    unit: str | None
    money_unit: str
    budget: BudgetResult | None
    indicators: tuple[IndicatorResult, ...]
    levels: tuple[tuple[str, Figure, Figure], ...]  # (一级指标, weight, subtotal)
    total_weight: Figure
    total: Figure
    grade: str | None
    findings: tuple[Finding, ...]
    # Defaults by factory: no class attribute, so a fast result reads these through `__getattr__` too
    policies: tuple[str, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = field(default_factory=tuple)
    steps: tuple[Step, ...] = field(default_factory=tuple)
    rules: Rules | None = field(default_factory=_none, compare=False, repr=False)  # for explanations
    total_high: Figure | None = field(default_factory=_none)  # with unknown scores: the most it could be

    if not TYPE_CHECKING:  # (to type checkers every field is simply there)

        def __getattr__(self, name: str) -> Any:
            """A result of the fast evaluator (engine/fast/result.py) keeps in `_kept` what it reads
            the rest from: `(its Pending, its actual values or None, …)`. It reads the plan's fields
            from the `Pending`, fills in its `LAZY` fields (and every other) when one of these is first
            read, and makes its findings when first read if the fast evaluator deferred them."""
            try:
                kept = object.__getattribute__(self, "_kept")
            except AttributeError:
                raise AttributeError(f"'Result' object has no attribute '{name}'") from None
            constant = kept[0].constant
            if name in LAZY:
                kept[0].fill(self)
                return self.__dict__[name]
            if name in FROM_FILE and name not in constant:  # the ruleset gives none: the file's
                return kept[0].file_info(self, name)
            if name == "findings":
                return _deferred_findings(self, kept)
            if name not in constant:
                raise AttributeError(f"'Result' object has no attribute '{name}'")
            return constant[name]

    def __getstate__(self) -> dict[str, Any]:
        """A pickled result is complete: lazy fields are filled first."""
        if "_kept" in self.__dict__:
            self.__dict__["_kept"][0].fill(self)
        return dict(self.__dict__)


def _deferred_findings(result: Result, kept: tuple[Any, ...]) -> tuple[Finding, ...]:
    """A fast result's findings, made when first read by what it kept after its `Pending` and actual
    values (`kept[2]`, given all of `kept`: engine/fast/special.py), then held as the field. Two threads
    reading them at once both make the same findings."""
    if len(kept) <= 2:  # made by another thread meanwhile
        findings: tuple[Finding, ...] = object.__getattribute__(result, "findings")
        return findings
    findings = kept[2](kept)
    object.__setattr__(result, "findings", findings)
    object.__setattr__(result, "_kept", kept[:2])
    return findings


LAZY = frozenset({"budget", "indicators", "levels", "steps"})
# 主管部门, 实施单位: the ruleset's, shared by every result of its plan (`Pending.constant`); where the
# ruleset gives none, a fast result's is its file's (engine/identity.py, `shown`), filled in when first read
FILE_INFO = ("department", "unit")
# With a general ruleset (项目 "通用", …) the project is the one its file names (identity.named), like these
FROM_FILE = ("project", *FILE_INFO)
"""The fields of a fast result made by the reference evaluator when first read (engine/fast/result.py).
No field of `Result` has a class attribute, so reading one a fast result does not hold itself (these,
and the plan's fields it reads from its `Pending`) reaches `__getattr__`."""
