"""The plan: a compiled ruleset as plain data, made once by `compiler.compile_plan`.

Evaluators (`evaluate.score`) consume a `Plan`; nothing in it refers back to
them. Everything that depends only on the rules is here — each indicator's
weight, kind, method, compiled formulas, rounding stage — so scoring a project
does no parsing and no lookups by text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction

from jixiao.engine.expr import Compiled
from jixiao.engine.figure import Figure
from jixiao.engine.levels import Levels
from jixiao.engine.resolve import Rules, Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import NumericTarget, Quantity
from jixiao.language.rounding import Rounding as Rounder
from jixiao.language.rounding import RoundingMode


@dataclass(frozen=True)
class Stage:
    """A rounding point: None rounder means the value stays exact; `display` rounds only what is shown."""

    rounder: Rounder | None
    digits: int | None
    origin: n.Rounding | None
    display: Stage | None = None  # 舍入 … 显示 …: the figure shown, never the one computed with

    def apply(self, x: Fraction) -> Fraction:
        return self.rounder.apply(x) if self.rounder else x


def stage_of(rounding: n.Rounding | None, extra_digits: int = 0, display: n.Rounding | None = None) -> Stage:
    shown = stage_of(display) if display is not None and display.mode is not None else None
    if rounding is None:
        rounding = n.Rounding(None, None, 2)
    if rounding.mode is None:
        return Stage(None, None, rounding, shown)
    digits = rounding.digits + extra_digits
    return Stage(Rounder(rounding.mode, digits), rounding.digits, rounding, shown)


@dataclass(frozen=True)
class IndicatorPlan:
    """Everything needed to score one indicator, prepared once."""

    indicator: n.Indicator
    weight: Fraction
    kind: str
    method: n.Method
    method_origin: str
    actual: Compiled | None
    score: Compiled | None
    stage: Stage
    over: n.Over | None
    params: dict[str, Compiled]  # named method arguments by canonical name (每次 → each)
    band_results: tuple[Compiled, ...]  # one per band of a 分档 method, in order
    item_score: bool = (
        False  # 表列 单项得分: score = 单项得分 (of 100, rounded) × 分值 ÷ 100, as county tables do
    )
    # A derived row's (实际 = …) directed rounding modes (截断, 进位: the row's 舍入, then 执行率's): a
    # copy of its value written at more digits may be rounded so (F108, evaluate/actual.py `written_agrees`)
    written_modes: tuple[RoundingMode, ...] = ()

    @functools.cached_property
    def path(self) -> str:
        return self.indicator.path

    @functools.cached_property
    def weight_figure(self) -> Figure:
        """The weight as every result's row shows it, made once (a figure is immutable)."""
        return Figure(self.weight)


DEFAULT_RATE_TEXT = "全年执行数 ÷ 全年预算数"
"""The rate's formula where a ruleset writes none (`BudgetPlan.rate_text`)."""


@dataclass(frozen=True)
class BudgetPlan:
    """The budget block: which row and rate feed it, whether it is scored and counted, its rounding."""

    weight: Fraction
    score: Compiled
    counted: bool
    explain: tuple[Compiled, ...]
    rate_stage: Stage
    stage: Stage
    rate: Compiled  # 执行率 = … (default 全年执行数 ÷ 全年预算数)
    rate_text: str  # that formula as written, for explanations
    row: str  # the row whose figures are the budget variables (default 年度资金总额)
    zero: str  # what a zero denominator of the rate means: "none", "full" or "error"
    scored: bool  # False for 预算执行 不评分, 分值 0 or a policy without a budget block
    score_formula: n.Expr | None = None  # 得分 = … as parsed, for the explanation's arithmetic

    @property
    def required(self) -> bool:
        """Whether the actual-value file must give the figures: only when the score counts."""
        return self.scored and self.counted


@dataclass(frozen=True)
class Plan:
    """A compiled ruleset: the indicator plans and every stage, shared by any number of runs and threads."""

    ruleset: Ruleset
    money_unit: Quantity
    plans: tuple[IndicatorPlan, ...]
    budget: BudgetPlan
    explain: tuple[Compiled, ...]
    level_stage: Stage | None
    total_stage: Stage
    by_path: dict[str, IndicatorPlan] = field(repr=False)
    by_path_key: dict[str, IndicatorPlan] = field(repr=False)  # by name_key(path): widths, spaces ignored
    by_name: dict[str, list[IndicatorPlan]] = field(repr=False)  # by name_key(name)
    order: tuple[IndicatorPlan, ...] = field(default=(), repr=False)  # references first (engine.order)

    @property
    def rules(self) -> Rules:
        return self.ruleset.rules

    def scale_for(self, plan: IndicatorPlan) -> n.Scale | None:
        """The scale of a qualitative target: the indicator's own 量表(…), else the one with its word."""
        named = scale_argument(plan.method)
        if named is not None and plan.method_origin == "indicator":
            return self.rules.scales.get(named)
        word = getattr(plan.indicator.target, "word", None)
        return next(
            (s for s in self.rules.scales.values() if any(word in level.words for level in s.levels)), None
        )

    def scales_for(self, plan: IndicatorPlan) -> tuple[n.Scale, ...]:
        """Where a word actual is looked up, in order: the target's own scale, the 定性 rule's, 通用 ones
        (found once per indicator: they depend on the rules alone)."""
        known = self._scales
        found = known.get(plan.path)
        if found is None:
            looked = (self.scale_for(plan), self.band_scale(), *self.generic_scales())
            found = known[plan.path] = tuple(dict.fromkeys(s for s in looked if s is not None))
        return found

    @functools.cached_property
    def levels(self) -> Levels:
        """The ruleset's 一级 and 二级 names, by which a row's level cells are read (`engine.levels`)."""
        return Levels((p.indicator.level1, p.indicator.level2) for p in self.plans)

    @functools.cached_property
    def _scales(self) -> dict[str, tuple[n.Scale, ...]]:
        """`scales_for` of the indicators asked about so far, by path (at most one entry per indicator)."""
        return {}

    def generic_scales(self) -> tuple[n.Scale, ...]:
        """Scales declared 通用: their words score any qualitative target."""
        return tuple(s for s in self.rules.scales.values() if s.generic)

    def band_scale(self) -> n.Scale | None:
        """The scale named by the policy's 定性 rule: band words usable for any target."""
        rule = self.rules.kinds.get("qualitative")
        name = scale_argument(rule.method) if rule else None
        return self.rules.scales.get(name) if name else None


def scale_argument(method: n.Method) -> str | None:
    for arg in method.args:
        if arg.name is None and isinstance(arg.value, n.Var | n.Text):
            return arg.value.name if isinstance(arg.value, n.Var) else arg.value.value
    return None


def target_quantity(plan: IndicatorPlan) -> Quantity | None:
    target = plan.indicator.target
    if isinstance(target, NumericTarget):
        return target.quantity
    low = getattr(target, "low", None)
    return low if isinstance(low, Quantity) else None
