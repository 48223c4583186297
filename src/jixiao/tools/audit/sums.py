"""The figures a table prints for the whole project: the budget block, the weights, the total, the grade.

- 执行率 against 执行数 ÷ 预算数 (F164), the budget score against its formula (F165), each a rounding-only
  difference (F150) when the exact value rounded another way gives the printed figure;
- the printed weights (budget included) against 总分值 and the rules' total (F166);
- the printed total against the sum of the printed parts, rescaled for 不适用 as the rules say (F168),
  or a rounding of it (F150), or of the unrounded parts (F169);
- the printed grade against the grade of the printed total (F170).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.engine.evaluate.base import figure as stage_figure
from jixiao.engine.methods import numeric_met
from jixiao.engine.plan import Plan
from jixiao.engine.results import Figure, IndicatorResult, Result
from jixiao.io.render.figures import rate_text
from jixiao.language.rounding import Rounding
from jixiao.language.vocabulary import same_grade
from jixiao.tools.audit.model import BUDGET, GRADE, RATE, TOTAL, WEIGHTS, Discrepancy
from jixiao.tools.audit.rows import Context, formula_detail, merged_groups, points
from jixiao.tools.importer.exact import budget_exact
from jixiao.tools.importer.printed import (
    Number,
    Way,
    exact_text,
    printed_number,
    printed_score,
    rounding_args,
    unreadable,
    ways,
)


def printed(table: ActualsFile, key: str) -> Number | None:
    """A printed figure as staff see it: as its cell shows it (a typed 0.876546391752577 in a 0.00% cell
    is 87.65%, as a formula's value is read), whatever the digits typed."""
    cell = table.printed.get(key)
    if cell is None:
        return None
    return (printed_number(cell.shown) if cell.shown else None) or printed_number(cell.text)


# -- printed figures that are not numbers ----------------------------------------
FIGURES: dict[str, tuple[str, tuple[str, str]]] = {  # printed key → (where, what)
    RATE: (RATE, ("执行率", "execution rate")),
    "预算分值": (BUDGET, ("分值", "weight")),
    "预算得分": (BUDGET, ("得分", "score")),
    "总分值": (WEIGHTS, ("总分值", "total weight")),
    "总得分": (TOTAL, ("总得分", "total")),
}


def check_printed(table: ActualsFile) -> Iterator[Discrepancy]:
    """A printed rate, budget weight or score, total weight or total that is not a number (F159)."""
    for key, (where, what) in FIGURES.items():
        cell = table.printed.get(key)
        if cell is not None and cell.text.strip() and printed_number(cell.text) is None:
            text = cell.text.strip()
            yield Discrepancy("F159", cell.span, where, text, args={"what": what, "detail": unreadable(text)})


# -- the budget block ----------------------------------------
def check_budget(context: Context, plan: Plan, table: ActualsFile) -> Iterator[Discrepancy]:
    budget = context.result.budget
    if budget is None or not budget.scored:
        return
    exact = budget_exact(plan, budget)
    yield from _figure(
        table, RATE, RATE, exact.rate, budget.rate, Fraction(0), plan.budget.rate_stage.rounder
    )
    if (
        context.project
        and (weight := printed(table, "预算分值")) is not None
        and weight.value != budget.weight
    ):
        yield Discrepancy("F155", table.printed["预算分值"].span, BUDGET, weight.text(), budget.weight.text())
    tolerance = context.tolerance
    yield from _figure(
        table, "预算得分", BUDGET, exact.score, budget.score, tolerance, plan.budget.stage.rounder
    )
    if any(f.code == "F106" for f in context.result.findings):
        rate = table.printed.get(RATE)
        yield Discrepancy("F163", rate.span if rate is not None else None, BUDGET)


def _figure(
    table: ActualsFile,
    key: str,
    where: str,
    exact: Fraction | None,
    recomputed: Figure | None,
    tolerance: Fraction,
    rule: Rounding | None,
) -> Iterator[Discrepancy]:
    """A printed budget figure (the rate or the score) against the recomputed one."""
    number = printed(table, key)
    if number is None or recomputed is None or abs(number.value - recomputed.value) <= tolerance:
        return
    span = table.printed[key].span
    shown = (rate_text(recomputed) if key == RATE else recomputed.text()) or ""
    found = ways(exact, number) if exact is not None else []
    if found and exact is not None:
        yield Discrepancy(
            "F150",
            span,
            where,
            number.text(),
            shown,
            rounding_args(exact, number, found[0], rule, key == RATE),
        )
        return
    if key == RATE:
        exact_rate = exact_text(exact, percent=True) if exact is not None else ""
        yield Discrepancy("F164", span, where, number.text(), shown, {"detail": (exact_rate, exact_rate)})
        return
    yield Discrepancy("F165", span, where, number.text(), shown, {"detail": formula_detail(exact)})


# -- weights ----------------------------------------
def check_weights(context: Context, table: ActualsFile, rows: dict[str, Entry]) -> Iterator[Discrepancy]:
    weights = [
        printed_number(rows[i.path].row.weight) if i.path in rows else None for i in _counted(context.result)
    ]
    if any(w is None for w in weights):
        return  # a weight not printed or not readable: said on its row
    found = sum((points(w, context.total) for w in weights if w is not None), Fraction(0)) + _budget_weight(
        context, table
    )
    total_cell = printed(table, "总分值")
    rules_total = context.total
    if total_cell is not None and found != total_cell.value:
        yield _weights(table, found, total_cell.value, ("表中总分值", "the printed total weight"))
    elif found != rules_total:
        yield _weights(table, found, rules_total, ("规则的总分", "the rules' total"))


def _weights(
    table: ActualsFile, found: Fraction, expected: Fraction, against: tuple[str, str]
) -> Discrepancy:
    span = table.printed["总分值"].span if "总分值" in table.printed else None
    args: dict[str, object] = {"sum": _text(found), "expected": _text(expected), "against": against}
    return Discrepancy("F166", span, WEIGHTS, _text(found), _text(expected), args)


def _budget_weight(context: Context, table: ActualsFile) -> Fraction:
    """The budget's weight in the sum: printed, else the rules'; 0 when it does not count."""
    budget = context.result.budget
    weight = context.budget_weight  # set when the budget was not recomputed (unread figures, 零预算 报错)
    if weight is None:
        weight = budget.weight.value if budget is not None and budget.counted else Fraction(0)
    if not weight:
        return Fraction(0)
    number = printed(table, "预算分值")
    return number.value if number is not None else weight


def _counted(result: Result) -> list[IndicatorResult]:
    return [i for i in result.indicators if i.breakdown_of is None and not i.subtotal]


# -- the total and the grade ----------------------------------------
def check_total(
    context: Context, plan: Plan, table: ActualsFile, rows: dict[str, Entry]
) -> Iterator[Discrepancy]:
    total = printed(table, "总得分")
    if total is None:
        return
    parts = _printed_parts(context, table, rows)
    if parts is None:
        return
    expected = _rescaled(context.result, plan, parts)
    shown = plan.total_stage.apply(expected)
    if abs(total.value - shown) <= context.tolerance or total.value == expected:
        return
    span = table.printed["总得分"].span
    recomputed = stage_figure(plan.total_stage, shown).text()  # at the total's digits, as printed
    found = ways(expected, total)
    unrounded = _printed_parts(context, table, rows, plan)
    unrounded = _rescaled(context.result, plan, unrounded) if unrounded is not None else None
    way = ways(unrounded, total) if unrounded is not None and unrounded != expected else []
    args: dict[str, object]
    if way and unrounded is not None and _digits(way[0]) >= _digits(found[0] if found else None):
        args = {
            "exact": exact_text(unrounded),
            "parts": _text(shown),
            "way": (way[0].text("zh"), way[0].text("en")),
        }
        yield Discrepancy("F169", span, TOTAL, total.text(), recomputed, args)
    elif found:
        args = rounding_args(expected, total, found[0], plan.total_stage.rounder)
        yield Discrepancy("F150", span, TOTAL, total.text(), recomputed, args)
    else:
        how = ("", "")
        if expected != parts:  # some rows 不适用: the rules rescale the sum to the full marks
            raw = _text(parts)
            how = (f"（印出的各项相加为 {raw}，按不适用折算）", f" ({raw} as printed, rescaled for 不适用)")
        args = {"sum": recomputed, "how": how}
        yield Discrepancy("F168", span, TOTAL, total.text(), recomputed, args)


def _digits(way: Way | None) -> int:
    """How many decimals a way keeps: the more, the likelier the table's way (unrounded: all)."""
    if way is None:
        return -1
    return way.rounding.digits if way.rounding is not None else 10**6


def _printed_parts(
    context: Context, table: ActualsFile, rows: dict[str, Entry], plan: Plan | None = None
) -> Fraction | None:
    """The printed scores of the counted rows (不适用 rows left out) and the printed budget score; with
    `plan`, each printed score that is a rounding of its unrounded value (formula score, exact budget
    score) counts as that unrounded value. None when a part is not printed (or is a percentage, F159).
    A 得分 cell merged over several rows is one part, the unrounded values of its rows added up."""
    found = Fraction(0)
    groups = {e.line: members for members in merged_groups(context, rows).values() for _, e in members}
    for indicator in _counted(context.result):
        if indicator.not_applicable:
            continue
        entry = rows.get(indicator.path)
        members = groups.get(entry.line, []) if entry is not None else []
        if members and members[0][0] is not indicator:
            continue  # the merged cell is counted once, with its first row
        number = printed_score(entry.row.score) if entry is not None else None
        exacts = [_exact(i) for i, _ in members] if members else [_exact(indicator)]
        exact = None
        if plan is not None and all(e is not None for e in exacts):
            exact = sum((e for e in exacts if e is not None), Fraction(0))
        part = _part(number, exact)
        if part is None:
            return None
        found += part
    budget = context.result.budget
    if budget is not None and budget.counted and budget.score is not None:
        exact_budget = budget_exact(plan, budget).score if plan is not None else None
        part = _part(printed(table, "预算得分"), exact_budget)
        if part is None:
            return None
        found += part
    return found


def _exact(indicator: IndicatorResult) -> Fraction | None:
    """A row's unrounded score: its formula score, or the evaluator's (an adjusted score)."""
    exact = indicator.formula_score if not indicator.adjusted else indicator.score
    return exact.value if exact is not None else None


def _part(number: Number | None, exact: Fraction | None) -> Fraction | None:
    """A printed part, or its unrounded value when the printed figure is a rounding of it."""
    if number is None:
        return None
    if exact is not None and (exact == number.value or ways(exact, number)):
        return exact
    return number.value


def _rescaled(result: Result, plan: Plan, raw: Fraction) -> Fraction:
    """The sum as the rules total it: rescaled to 总分 when some weights are 不适用 (不适用 折算)."""
    if plan.rules.not_applicable != "rescale":
        return raw
    dropped = sum((i.weight.value for i in _counted(result) if i.not_applicable), Fraction(0))
    budget = result.budget
    if budget is not None and budget.counted and budget.not_applicable:
        dropped += budget.weight.value
    whole = plan.rules.total
    return raw * whole / (whole - dropped) if dropped and dropped < whole else raw


def check_grade(context: Context, plan: Plan, table: ActualsFile) -> Iterator[Discrepancy]:
    cell = table.printed.get("等级")
    if cell is None or not cell.text.strip() or plan.rules.grades is None:
        return
    total = printed(table, "总得分")
    value = total.value if total is not None else context.result.total.value
    grade = next(
        (g.name for g in plan.rules.grades.grades if g.condition is None or numeric_met(g.condition, value)),
        None,
    )
    if grade is not None and not same_grade(grade, cell.text):
        shown = total.text() if total is not None else context.result.total.text()
        yield Discrepancy("F170", cell.span, GRADE, cell.text.strip(), grade, {"total": shown})


def _text(value: Fraction) -> str:
    return exact_text(value)
