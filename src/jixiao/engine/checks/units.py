"""Units: targets fit what their indicator counts, formulas keep one dimension, methods suit targets.

A target in 元 for an indicator named …人数, an actual-value formula in 元 for
a target in 人, a percentage target scored by deduction (扣分, per occurrence),
and magnitudes no table means (≥11000%) are all reported here.
"""

from __future__ import annotations

from difflib import get_close_matches
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.methods import kind_of
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.literals import LiteralError, parse_quantity
from jixiao.language.quantity import (
    CURRENCIES,
    UNITS,
    WHOLE_WORDS,
    NumericTarget,
    RangeTarget,
    Target,
    dimension_label,
)
from jixiao.language.vocabulary import KIND_LABELS, name_key

# What an indicator counts, read from the end of its name: suffixes → (label, dimensions allowed).
# A percentage is allowed for counts and amounts: real tables write 享受补贴人数 100% (all who
# qualify) or 补助资金 100% (fully paid); only a count in money or money in heads is an error.
NAME_DIMENSIONS: tuple[tuple[tuple[str, ...], tuple[str, str], frozenset[str]], ...] = (
    (("人数", "人次"), ("人数", "a number of people"), frozenset({"人", "人次", "%"})),
    (("户数",), ("户数", "a number of households"), frozenset({"户", "%"})),
    # money in 元 or in a foreign currency (利用外资金额 ≥5000万美元)
    (
        ("金额", "资金", "经费", "费用", "成本", "资金总额"),
        ("金额", "money"),
        frozenset({"%", *CURRENCIES.values()}),
    ),
    (("率",), ("比率", "a rate"), frozenset({"%"})),
)
KNOWN_DIMENSIONS = frozenset(dim for dim, _ in UNITS.values())
BUDGET_DIMENSIONS = {"执行率": "%", "年初预算数": "元", "全年预算数": "元", "全年执行数": "元"}
MAX_PERCENT = Fraction(10)  # 1000%
MONEY_UNITS = [unit for unit, (dim, _) in UNITS.items() if dim == "元" and unit not in CURRENCIES]


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = _money_unit(ruleset)
    for ind in ruleset.indicators:
        out.extend(_name_unit(ind))
        out.extend(_formula_unit(ind))
        out.extend(_method_fit(ind))
        out.extend(_magnitude(ind))
        out.extend(_direction(ind))
        out.extend(_unit_typo(ind))
    return out


# Characters typed for 元 (same sound or shape, one key away in pinyin input): never units of their own.
MONEY_TYPOS = frozenset("园无远兀亓员原")
# (村庄, 行政村: names of places, not units one mistypes: 行政区 is no typo of 行政村)
_LONG_UNITS = [unit for unit in UNITS if len(unit) >= 2 and not unit.isascii() and UNITS[unit][0] != "村"]


def _unit_typo(ind: n.Indicator) -> list[Diagnostic]:
    """W109: a target's unknown unit that looks like a typo of a known one (万园 for 万元, 平方未 for 平方米).

    An unknown unit is a dimension of its own: the check passes, and scoring fails (E506) on an actual
    written in the unit meant, or reads a bare number in the typo. Other unknown units (头, 棵) are fine.
    """
    target = ind.target
    quantity = target.quantity if isinstance(target, NumericTarget) else None
    quantity = target.low if isinstance(target, RangeTarget) else quantity
    if quantity is None or quantity.dimension in KNOWN_DIMENSIONS or "/" in quantity.unit:
        return []
    word = quantity.dimension
    magnitude = quantity.unit[: len(quantity.unit) - len(word)]
    meant = _typo_of(word)
    if meant is None:
        return []
    args: dict[str, object] = {"name": ind.name, "unit": quantity.unit, "target": ind.target_text}
    span = ind.target_span or ind.span
    return [Diagnostic("W109", span, args, Severity.WARNING, suggestion=magnitude + meant)]


def _typo_of(word: str) -> str | None:
    """The known unit `word` looks like a typo of, never one of another dimension than the unit its start or
    end names (立方厘米 may be 立方米, never 平方米)."""
    if len(word) == 1:
        return "元" if word in MONEY_TYPOS else None
    named = [u for u in _LONG_UNITS if word.startswith(u)] or [u for u in _LONG_UNITS if word.endswith(u)]
    dimension = UNITS[max(named, key=len)][0] if named else None
    units = [u for u in _LONG_UNITS if (dimension in (None, UNITS[u][0])) and u not in WHOLE_WORDS]
    close = get_close_matches(word, units, n=1, cutoff=0.6)
    return close[0] if close else None


def _direction(ind: n.Indicator) -> list[Diagnostic]:
    """方向 反向 with a target signed the other way (≥95%) contradicts itself (E409)."""
    target = ind.target
    if ind.direction is None or not isinstance(target, NumericTarget) or target.implicit:
        return []
    if kind_of(target) == ind.direction:
        return []
    args: dict[str, object] = {
        "name": ind.name,
        "direction": KIND_LABELS[ind.direction],
        "target": ind.target_text,
    }
    return [Diagnostic("E409", ind.target_span or ind.span, args)]


def _money_unit(ruleset: Ruleset) -> list[Diagnostic]:
    """金额单位 must be a unit of money (元, 万元 …): anything else would be read as 元 without a word."""
    out: list[Diagnostic] = []
    for statement in ruleset.document.statements:
        if isinstance(statement, n.Meta) and statement.key == "money_unit":
            if _money_dimension(statement.value) != "元":
                close = get_close_matches(name_key(statement.value), MONEY_UNITS, n=1, cutoff=0.3)
                args: dict[str, object] = {"unit": statement.value, "choices": "、".join(MONEY_UNITS)}
                out.append(Diagnostic("E307", statement.span, args, suggestion=close[0] if close else None))
    return out


def _money_dimension(text: str) -> str | None:
    try:
        return parse_quantity("1" + text).dimension
    except LiteralError:
        return None


def target_dimension(target: Target | None) -> str | None:
    """The dimension of a numeric or range target ("人", "元", "%", "" for a bare number), else None."""
    if isinstance(target, NumericTarget):
        return target.quantity.dimension
    if isinstance(target, RangeTarget):
        return target.low.dimension
    return None


def _name_unit(ind: n.Indicator) -> list[Diagnostic]:
    dim = target_dimension(ind.target)
    if dim is None or dim not in KNOWN_DIMENSIONS or ind.actual is not None or ind.unit_note:
        return []  # 单位说明 "…" waives the check: tables count people in 个
    for suffixes, label, allowed in NAME_DIMENSIONS:
        if ind.name.endswith(suffixes) and dim not in allowed:
            args: dict[str, object] = {
                "name": ind.name,
                "what": label,
                "target": ind.target_text,
                "dim": (dimension_label(dim, "zh"), dimension_label(dim, "en")),
            }
            return [Diagnostic("E304", ind.target_span or ind.span, args)]
    return []


def _formula_unit(ind: n.Indicator) -> list[Diagnostic]:
    """E301 inside 实际 = … and 得分 = … (实际 and 目标 in the target's unit); E306 for a 实际 = … whose
    result is in another unit than the target (a score is in points: its result is not compared)."""
    target = target_dimension(ind.target)
    out: list[Diagnostic] = []
    if ind.score is not None:
        dimension_of(ind.score, target, out)
    if ind.actual is None:
        return out
    found = dimension_of(ind.actual, target, out)
    if target is not None and found not in (None, "", target) and target != "":
        out.append(
            Diagnostic(
                "E306",
                ind.actual.span,
                {"left": _label(found), "right": _label(target)},
            )
        )
    return out


def _label(dim: str | None) -> tuple[str, str]:
    return (dimension_label(dim or "", "zh"), dimension_label(dim or "", "en"))


def dimension_of(expr: n.Expr, target: str | None, out: list[Diagnostic]) -> str | None:
    """The dimension an expression yields ("" for a plain number, None when unknown); mismatches → E301."""
    if isinstance(expr, n.Num):
        return _num_dimension(expr)
    if isinstance(expr, n.Var):
        if expr.name in ("实际", "目标"):
            return target
        return BUDGET_DIMENSIONS.get(expr.name, "" if expr.name == "分值" else None)
    if isinstance(expr, n.Neg):
        return dimension_of(expr.operand, target, out)
    if isinstance(expr, n.Not):  # a condition: the comparisons inside are checked, it has no dimension
        dimension_of(expr.operand, target, out)
        return None
    if isinstance(expr, n.Logic):  # a chain `a 或 b 或 …` of thousands of terms: along its spine, in a loop
        first, links = n.spine(expr)
        for operand in (first, *(link.right for link in links)):
            dimension_of(operand, target, out)
        return None
    if isinstance(expr, n.BinOp | n.Compare):
        return _binary(expr, target, out)
    if isinstance(expr, n.If):
        dimension_of(expr.cond, target, out)
        then = dimension_of(expr.then, target, out)
        other = dimension_of(expr.else_, target, out)
        return then if then == other else None
    if isinstance(expr, n.Call) and expr.func in ("min", "max", "abs", "cap", "floor"):
        found = {dimension_of(a, target, out) for a in expr.args}
        return found.pop() if len(found) == 1 else None
    return None


def _num_dimension(expr: n.Num) -> str:
    if expr.quantity is not None:
        return expr.quantity.dimension
    return "%" if expr.unit in ("%", "‰") else ""


def _binary(expr: n.BinOp | n.Compare, target: str | None, out: list[Diagnostic]) -> str | None:
    if isinstance(expr, n.Compare):
        left = dimension_of(expr.left, target, out)
        return _combined(expr, left, dimension_of(expr.right, target, out), out)
    first, links = n.spine(expr)  # a chain `a + b + …` link by link, in a loop
    found = dimension_of(first, target, out)
    for link in links:
        found = _combined(link, found, dimension_of(link.right, target, out), out)
    return found


def _combined(
    expr: n.BinOp | n.Compare, left: str | None, right: str | None, out: list[Diagnostic]
) -> str | None:
    if isinstance(expr, n.BinOp) and expr.op in ("×", "÷"):
        return _product(expr.op, left, right)
    if left and right and left != right and "" not in (left, right):
        out.append(
            Diagnostic(
                "E301",
                expr.span,
                {
                    "left": _text(expr.left),
                    "right": _text(expr.right),
                    "left_dim": _label(left),
                    "right_dim": _label(right),
                },
            )
        )
        return None
    return left or right


def _product(op: str, left: str | None, right: str | None) -> str | None:
    """× keeps the dimension of the factor that has one; ÷ by a plain number keeps it, X ÷ X is plain."""
    plain = ("", "%")
    if op == "×":
        return right if left in plain else left if right in plain else None
    if right in plain:
        return left
    return "" if left == right and left is not None else None


def _text(expr: n.Expr) -> str:
    if isinstance(expr, n.Num):
        return expr.quantity.text() if expr.quantity is not None else str(expr.value)
    if isinstance(expr, n.Var):
        return expr.name
    return "…"


def _method_fit(ind: n.Indicator) -> list[Diagnostic]:
    method = ind.method
    dim = target_dimension(ind.target)
    if method is None or method.id != "deduct" or dim not in ("%", "元"):
        return []
    reason = (
        "扣分按次数计（每次扣几分），目标应为次数，例如 目标 ≤0次",
        "deduction counts occurrences; the target should be a count, e.g. target ≤0次",
    )
    return [
        Diagnostic(
            "E302",
            ind.target_span or ind.span,
            {"target": ind.target_text, "method": method.written, "reason": reason},
        )
    ]


def _magnitude(ind: n.Indicator) -> list[Diagnostic]:
    target = ind.target
    if not isinstance(target, NumericTarget | RangeTarget) or target_dimension(target) != "%":
        return []
    high = target.quantity.base if isinstance(target, NumericTarget) else target.high.base
    if high <= MAX_PERCENT:
        return []
    reason = ("百分比超过 1000%", "a percentage above 1000%")
    span: Span = ind.target_span or ind.span
    return [Diagnostic("W106", span, {"text": ind.target_text, "reason": reason}, Severity.WARNING)]
