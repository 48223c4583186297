"""The AST: frozen dataclasses built only by `transformer`.

Every node carries a `span` that equality ignores, so two rulesets that mean
the same compare equal however they are laid out. No later stage sees a
`lark.Tree`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import field, replace
from fractions import Fraction
from typing import Any, Literal, overload

from jixiao.diagnostics import Diagnostic, Span
from jixiao.language.frozen import frozen
from jixiao.language.quantity import NumericTarget, Quantity, RangeTarget, Target
from jixiao.language.rounding import RoundingMode

NO_SPAN = Span("<none>", 0, 0)


# -- expressions ---------------------------------------------------------------


@frozen
class Num:
    """A number in an expression: `2`, `100%`, `2分`, `1.1万人` (value in base units)."""

    value: Fraction
    unit: str = ""  # "", "%", "分" (points) or a unit as written
    quantity: Quantity | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Var:
    """A name: 实际, 目标, 分值, 得分, 执行率, … (keywords mapped to Chinese)."""

    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Text:
    """A quoted string in a formula."""

    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Call:
    """A function call in a formula: `最小(a, b)`."""

    func: str
    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


def _chain_eq(self: BinOp | Logic, other: object) -> bool:
    """Equal as the generated `__eq__` says (the same op and operands), compared along the spine in a loop,
    not by recursion as `@frozen` would (one call per link)."""
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    assert isinstance(other, BinOp | Logic)
    first, links = spine(self)
    other_first, other_links = spine(other)
    return (
        len(links) == len(other_links)
        and all(a.op == b.op and a.right == b.right for a, b in zip(links, other_links, strict=True))
        and first == other_first
    )


def _chain_hash(self: BinOp | Logic) -> int:
    """The hash the generated `__hash__` gives (of op, left, right), computed along the spine in a loop."""
    first, links = spine(self)
    value = hash(first)
    for link in links:
        value = hash((link.op, _Hashed(value), link.right))
    return value


def _chain_repr(self: BinOp | Logic) -> str:
    """The text the generated `__repr__` gives (`BinOp(op='+', left=…, right=…)`), written along the spine
    in a loop: a chain of any length shows without recursion (pytest, error messages, a debugger)."""
    first, links = spine(self)
    parts = [f"{link.__class__.__qualname__}(op={link.op!r}, left=" for link in reversed(links)]
    parts.append(repr(first))
    parts.extend(f", right={link.right!r})" for link in links)
    return "".join(parts)


def _chain_reduce(self: BinOp | Logic) -> tuple[object, ...]:
    """Pickled as its spine (`chained`), not link inside link: a long chain within pickle's recursion."""
    first, links = spine(self)
    return (chained, (first, tuple((link.op, link.right, link.span) for link in links)))


@frozen
class BinOp:
    """An arithmetic operation: + - × ÷."""

    op: Literal["+", "-", "×", "÷"]
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    # A chain `a + b + …` compares, hashes, shows and pickles along its spine in a loop (`_Chain`).
    __eq__ = _chain_eq
    __hash__ = _chain_hash
    __repr__ = _chain_repr
    __reduce__ = _chain_reduce


@frozen
class Neg:
    """A negated expression: `-x`."""

    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Compare:
    """A comparison: ≥ ≤ > < = ≠."""

    op: Literal["≥", "≤", ">", "<", "=", "≠"]
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Logic:
    """`且` (and) or `或` (or) of two conditions; a chain `a 或 b 或 …` leans left as a sum does."""

    op: Literal["且", "或"]
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    __eq__ = _chain_eq
    __hash__ = _chain_hash
    __repr__ = _chain_repr
    __reduce__ = _chain_reduce


def chained(first: Expr, links: tuple[tuple[str, Expr, Span], ...]) -> BinOp | Logic:
    """The chain `__reduce__` pickled (a sum or product, or 或/且), built again link by link."""
    node = first
    for op, right, span in links:
        if op in _LOGIC:
            node = Logic(op, node, right, span)  # type: ignore[arg-type]
        else:
            node = BinOp(op, node, right, span)  # type: ignore[arg-type]
    assert isinstance(node, BinOp | Logic)
    return node


_LOGIC = ("且", "或")


class _Hashed(int):
    """A hash already computed, standing in for its object in a tuple hashed (the same value results)."""

    def __hash__(self) -> int:
        return int(self)


@overload
def spine(expr: BinOp) -> tuple[Expr, list[BinOp]]: ...
@overload
def spine(expr: Logic) -> tuple[Expr, list[Logic]]: ...
@overload
def spine(expr: BinOp | Logic) -> tuple[Expr, list[BinOp | Logic]]: ...
def spine(expr: BinOp | Logic) -> tuple[Expr, list[Any]]:
    """A chain `((a + b) − c) × d` as its first operand (`a`) and its operations from the innermost out;
    for a condition `(a 或 b) 且 c …`, its 或/且 the same way.

    The parser builds a long sum (and a long 或/且) leaning left, as deep as it is long; every stage walks
    that spine in a loop and recurses only into the right operands, so a formula of any length (E904
    counts only real nesting) needs no deeper recursion than its nesting.
    """
    links: list[Any] = []
    kind = expr.__class__
    node: Expr = expr
    while isinstance(node, kind):
        links.append(node)
        node = node.left
    links.reverse()
    return node, links


@frozen
class Not:
    """`非` (not) of a condition."""

    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class If:
    """`如果 … 则 … 否则 …`: a conditional expression."""

    cond: Expr
    then: Expr
    else_: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


Expr = Num | Var | Text | Call | BinOp | Neg | Compare | Logic | Not | If


# -- rules --------------------------------------------------------------------------

Stage = Literal["indicator", "level", "budget", "total", "rate"]
Kind = Literal["higher", "lower", "equal", "range", "deadline", "qualitative"]


@frozen
class Rounding:
    """舍入 [stage] [显示] MODE N位; mode None means 不舍入 (keep exact).

    With 显示 (display) it rounds only the figure shown: the computation goes on with the value the
    stage's own rounding gives (tables print 9 and add 9.91).
    """

    stage: Stage | None
    mode: RoundingMode | None
    digits: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    display: bool = False


@frozen
class Band:
    """One piece of 分档: a condition literal (None for 否则) and its result."""

    condition: NumericTarget | RangeTarget | None
    condition_text: str = field(compare=False)  # as written; `condition` carries the meaning
    result: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Arg:
    """One argument of a method, named or by position."""

    name: str | None
    value: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Method:
    """A scoring method: its canonical id, the name as written, arguments, bands."""

    id: str
    written: str = field(compare=False)  # spelling only; `id` carries the meaning
    args: tuple[Arg, ...] = ()
    bands: tuple[Band, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class KindRule:
    """正向 比例: the method for every target of a kind."""

    kind: Kind
    method: Method
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class ScaleLevel:
    """One level of a scale: words, the band [low, high] of the weight, a fixed point."""

    words: tuple[str, ...]
    low: Fraction
    high: Fraction
    low_inclusive: bool
    high_inclusive: bool
    point: Fraction | None
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Scale:
    """量表 NAME [通用] { … }; a generic scale's words (达成预期指标 …) score any qualitative target."""

    name: str
    levels: tuple[ScaleLevel, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    generic: bool = False


@frozen
class Grade:
    """等级: a name and its condition on the total (None for 其余)."""

    name: str
    condition: NumericTarget | RangeTarget | None
    text: str = field(compare=False)  # as written; `condition` carries the meaning
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Grades:
    """The `等级` block: the grade bands of the total."""

    grades: tuple[Grade, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class ExplainWhen:
    """`需说明 当 …`: when a row must carry an explanation."""

    condition: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Over:
    """超额 ≥120% [扣减 10%]: flag (and optionally mark down) over-achievement."""

    threshold: Fraction
    inclusive: bool
    deduct: Fraction | None
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class NotApplicableRule:
    """`不适用`: how the weight of a not-applicable indicator is handled."""

    mode: Literal["rescale", "redistribute"]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Share:
    """One level's share of the total in the `结构` block."""

    level: str  # BUDGET_LEVEL for the budget block
    weight: Fraction
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


BUDGET_LEVEL = "预算执行"


@frozen
class FormulaDef:
    """公式 NAME = …: a formula written once and used by name (expanded by engine.named)."""

    name: str
    expr: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Columns:
    """表列 完成情况 单项得分: columns the table adds (status 完成/未完成; the item score out of 100)."""

    columns: tuple[str, ...]  # canonical keys of vocabulary.COLUMN_LABELS
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Direction:
    """方向 成本指标 反向: unsigned targets under a level (一级/二级) or in a unit (元, %) read this way."""

    scope: str  # a level name, or a unit when `unit` is None and it names one
    kind: Kind
    unit: str | None = None  # 方向 成本指标 元 反向: only amounts under 成本指标
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Framework:
    """The `结构` block: each level's share of the total."""

    shares: tuple[Share, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Meta:
    """A metadata statement: key is one of department, unit, money_unit, source, note, use."""

    key: Literal["department", "unit", "money_unit", "source", "note", "use"]
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Total:
    """`总分`: the total weight of the table."""

    value: Fraction
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class AuditTolerance:
    """复核容差 0.01: printed scores within this of the rules' are no discrepancy (jixiao audit only)."""

    value: Fraction
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Counted:
    """`计入总分`: whether the budget block counts toward the total."""

    value: bool
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class ScoreFormula:
    """`得分 = …`: the budget block's score formula."""

    expr: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class Weight:
    """分值 20 (points), or 分值 20% (a share of 总分, turned into points by resolve)."""

    value: Fraction
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    percent: bool = False


@frozen
class NotScored:
    """预算执行 不评分: the budget block is shown when the file has figures, never scored or counted."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class RateFormula:
    """执行率 = 全年执行数 ÷ 年初预算数: how the execution rate is computed (default ÷ 全年预算数)."""

    expr: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class BudgetRowChoice:
    """预算行 本年财政拨款: the budget row whose figures feed the rate and the budget variables."""

    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


ZeroBudgetMode = Literal["none", "full", "error"]


@frozen
class ZeroBudget:
    """零预算 不评分|满分|报错: what the rate is when its denominator (全年预算数) is 0."""

    mode: ZeroBudgetMode
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


BudgetItem = (
    Weight
    | ScoreFormula
    | Counted
    | ExplainWhen
    | Rounding
    | Meta
    | NotScored
    | RateFormula
    | BudgetRowChoice
    | ZeroBudget
)


@frozen
class Budget:
    """The `预算执行` block."""

    items: tuple[BudgetItem, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# -- the indicator table ---------------------------------------------------------------


@frozen
class Indicator:
    """A 三级指标 with its options (each optional here; checks report what is missing)."""

    level1: str
    level2: str
    name: str
    target: Target | None = None
    target_text: str = ""
    weight: Fraction | None = None
    method: Method | None = None
    rounding: Rounding | None = None
    actual: Expr | None = None
    score: Expr | None = None
    source: str | None = None
    note: str | None = None
    over: Over | None = None
    unit_note: str | None = None  # 单位说明 "…": why the target's unit differs from the name's (waives E304)
    direction: Kind | None = None  # 方向 反向: how an unsigned target reads (higher, lower, equal)
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    target_span: Span | None = field(default=None, compare=False, repr=False)
    weight_span: Span | None = field(default=None, compare=False, repr=False)
    option_spans: tuple[tuple[str, Span], ...] = field(default=(), compare=False, repr=False)  # as written
    weight_percent: bool = False  # 分值 20%: `weight` is 20 until resolve makes it points of 总分
    display_rounding: Rounding | None = None  # 舍入 显示 …: how the score is shown, not computed
    breakdown_of: str | None = None  # 其中 …: the name of the indicator this row breaks down (never scored)
    sum_check: bool = False  # 分项合计: its 其中 rows must add up to its actual (F132, F133)
    subtotal: bool = False  # 小计: the sum of its block (or of its 一级 when 二级 is empty); never counted
    goal: str | None = None  # 绩效目标 "年度绩效目标1" { … }: the goal block above level 1 it is under

    @functools.cached_property
    def path(self) -> str:
        return f"{self.level1}/{self.level2}/{self.name}"


@frozen
class GoalBlock:
    """绩效目标 NAME [分值 N] { level blocks }: a goal above level 1 (年度绩效目标1), its weight checked."""

    name: str
    blocks: tuple[LevelBlock, ...]
    weight: Weight | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@frozen
class LevelBlock:
    """一级 / 二级 [分值 N] { … }: with 分值, the 二级's weight is shared by its indicators that give none."""

    level1: str
    level2: str
    indicators: tuple[Indicator, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    weight: Weight | None = None


Statement = (
    Meta
    | Total
    | Rounding
    | Budget
    | KindRule
    | Scale
    | Grades
    | ExplainWhen
    | Over
    | NotApplicableRule
    | Framework
    | AuditTolerance
    | Direction
    | FormulaDef
    | Columns
    | LevelBlock
    | GoalBlock
)


@frozen
class Document:
    """One file: a policy (评分办法) or a project (项目)."""

    kind: Literal["policy", "project"]
    name: str
    year: int | None
    statements: tuple[Statement, ...]
    keywords: Literal["zh", "en"] = "zh"
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    # Literal errors kept for the checks to report with theirs (`parser.parse_lenient`); else empty.
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for block in self.level_blocks for i in block.indicators)

    def map_blocks(self, fn: Callable[[LevelBlock], LevelBlock]) -> Document:
        """The document with `fn` applied to every level block, those inside goal blocks included."""

        def statement(s: Statement) -> Statement:
            if isinstance(s, LevelBlock):
                return fn(s)
            if isinstance(s, GoalBlock):
                return replace(s, blocks=tuple(fn(b) for b in s.blocks))
            return s

        return replace(self, statements=tuple(statement(s) for s in self.statements))

    @property
    def level_blocks(self) -> tuple[LevelBlock, ...]:
        """Every level block, those inside goal blocks included, in order."""
        out: list[LevelBlock] = []
        for s in self.statements:
            if isinstance(s, LevelBlock):
                out.append(s)
            elif isinstance(s, GoalBlock):
                out.extend(s.blocks)
        return tuple(out)
