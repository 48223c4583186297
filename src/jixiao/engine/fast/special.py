"""One function generated per plan for its usual project (per-plan specialisation).

Most projects of a plan look alike: one row per indicator, each row's text seen before (`FastRun.memo`),
the budget block scored by the default rate (全年执行数 ÷ 全年预算数 of the row the plan reads). For
such a plan `Special` writes one Python function that takes exactly these steps with nothing else in
between: the rows unpacked into locals, each row's record read from the row (no loop) and checked to be
this run's for the indicator in that place (a table in the plan's order, as most are), their scores added
in one expression, the two figures taken from the budget, the rate rounded inline, the budget
block and each 实际 = 执行率 indicator remembered by the rounded rate (an integer), the total and grade
by the total, and the `Result` made as `lazy_result` makes it, its findings made when first read
(`Misses.deferred`, remembered by the objects they come from). Anything else — a new row, another row
count, a unit written in the budget, a rate the memo cannot give — goes to the general path
(`FastEvaluator.general`), which gives the same result or declines.

The source is written here from integers only (the number of rows, the derived indicators' indexes):
no name, word, unit or number of a ruleset or a file is ever part of it. Everything the function reads
from the plan (the budget row's name, figure names, weights, memos, the results' shared `Pending`)
reaches it through its namespace (`tests/test_fast_special.py` shows hostile names cannot inject code).
"""

from __future__ import annotations

from functools import partial

from jixiao.engine.actuals import claim
from jixiao.engine.evaluate.findings import other_year
from jixiao.engine.fast.budget import FastBudget
from jixiao.engine.fast.misses import THIRD, Misses, Score
from jixiao.engine.fast.rational import defined
from jixiao.engine.fast.result import Pending, new_result, set_field
from jixiao.engine.fast.run import DERIVED, FastRun
from jixiao.engine.results import Result
from jixiao.language.rounding import RoundingMode, round_scaled
from jixiao.limits import MAX_NUMBER_BITS

# The rate's exact numerator and denominator may hold this many bits here: the general path multiplies
# both by the money unit's scale before it checks MAX_NUMBER_BITS, so this never bails where it would not
RATE_BITS = MAX_NUMBER_BITS // 2
# Rows unrolled at most (a local and two terms of an expression each): a plan with more indicators —
# a table no department writes — keeps to the general path, and Python's compiler is not asked to
# nest thousands of terms (tests/cases/hostile: 4,000 indicators)
MAX_ROWS = 200
ROUNDING = {  # the rate num ÷ den (num ≥ 0, den > 0) rounded, as `round_scaled` does it
    RoundingMode.HALF_UP: "rate = (num * TWICE + den) // (den + den)",
    RoundingMode.DOWN: "rate = num * POWER // den",
    RoundingMode.UP: "rate = -(-num * POWER // den)",
    RoundingMode.HALF_EVEN: "rate = round_scaled(num, den, DIGITS, MODE)",
}


def fits(run: FastRun) -> bool:
    """Whether a plan's usual project has the shape the generated function takes."""
    budget = run.budget
    unit_bits = sum(x.bit_length() for x in budget.unit_scale)
    return (
        0 < run.count <= MAX_ROWS
        and budget.plain_rate
        and budget.by_rate
        and budget.rate_rounder is not None
        and budget.plan.scored
        and unit_bits < MAX_NUMBER_BITS - RATE_BITS - 8
        and all(f.index in run.rate_derived for f in run.derived)
    )


class Special:
    """The generated functions of one plan (`score`, and `by_memo` it hands rows of another run to), their
    sources, and what they call back (`misses`: the memos only they keep). `general` must not hold the
    functions either (a function of the run and results' `Pending`, not a method of their holder): the
    functions hold everything they call, nothing they call holds them (no reference cycle)."""

    MISSES = Misses

    def __init__(self, run: FastRun, shared: Pending, general: Score) -> None:
        budget: FastBudget = run.budget
        assert budget.rate_rounder is not None  # fits()
        digits, mode, power = budget.rate_rounder
        self.misses = misses = self.MISSES(run, general)
        derived = misses.derived
        checked = run.identity is not None  # files' project names compared (identity.py): one test more
        self.source = source(run.count, derived, mode, kept=True, checked=checked)
        self.memo_source = source(run.count, derived, mode, kept=False, checked=checked)
        namespace: dict[str, object] = {
            "general": general,
            "other_year": partial(other_year, year=run.year),
            "learn": misses.learn,
            "claim": claim,
            "memo": run.memo,
            "rated": misses.rated,
            "rated_miss": misses.rated_miss,
            "derived_miss": misses.derived_miss,
            "where_miss": misses.where_miss,
            "WHERE": misses.where,
            "found_miss": misses.found_miss,
            "FINDINGS": misses.deferred,
            "totals": run.totals,
            "total_miss": run.total,
            "LOW": run.low,
            "EVERY": (1 << run.count) - 1,
            "SHIFT": run.shift,
            "ROW": budget.plan.row,
            "ANNUAL": "全年预算数",
            "EXECUTED": "全年执行数",
            "LIMIT": RATE_BITS,
            "TWICE": 2 * power,
            "POWER": power,
            "DIGITS": digits,
            "MODE": mode,
            "round_scaled": round_scaled,
            "DERIVED": DERIVED,
            "THIRD": THIRD,
            "new": new_result,
            "setattr": set_field,
            "RESULT": Result,
            "SHARED": shared,
            "identity": run.identity.given if run.identity is not None else None,
        }
        # the function after learning: learns no more
        again = defined(self.memo_source, {**namespace, "learn": None, "again": None}, "special")
        self.by_memo: Score = defined(self.memo_source, {**namespace, "again": again}, "special")  # type: ignore[assignment]
        tokens = {f"T{i}": token for i, token in enumerate(run.tokens)}  # the name of an integer each
        kept = {**namespace, **tokens, "by_memo": self.by_memo}
        self.score: Score = defined(self.source, kept, "special")  # type: ignore[assignment]


def source(
    count: int, derived: tuple[int, ...], mode: RoundingMode, kept: bool, checked: bool = False
) -> str:
    """The function's source: only this module's words and the integers given (no ruleset text).

    `checked`: the plan compares a file's project name, 主管部门 and 实施单位 with its own (`identity`,
    findings F112 and F113 before the file's own); a file that names no project and has no project
    information (most) costs two attribute tests.

    `kept`: the rows' records are read from the rows themselves (`actuals.Scorable`: one attribute a row,
    where the memo costs its text's hash, a dictionary probe and the value's check), each the record of
    the indicator in its place (`FastRun.tokens`); a project with a row whose record is not (no run's,
    another run's, a table in another order) goes to the memo's function (`by_memo`). Else the memo's
    function: the rows looked up by their text (in any order), a row not seen before learnt (`learn`),
    and the records kept in the rows no run has learnt yet (`claim`), so that the next project with these
    row objects (a reader shares them between files) takes the first way."""
    assert all(type(i) is int for i in (count, *derived))
    return "\n".join(["def special(actuals):", *_body(count, derived, mode, kept, checked)]) + "\n"


def _body(count: int, derived: tuple[int, ...], mode: RoundingMode, kept: bool, checked: bool) -> list[str]:
    """`source`'s function body, its lines indented once."""
    every = range(count)
    records = ", ".join(f"r{i}" for i in every)
    lines = [
        "    if actuals.diagnostics or actuals.traditional or actuals.budget_adjustment is not None:",
        "        return None",
        "    if actuals.info and other_year(actuals):",  # F138: the reference says so
        "        return None",
        "    deferred = actuals._lines",  # rows a reader has not made entries of: read as they are
        "    given = actuals.entries if deferred is None else deferred.lines",
        "    try:",
        f"        {', '.join(f'e{i}' for i in every)}, = given",
    ]
    if kept:
        lines += [
            *(f"        r{i} = e{i}.scored" for i in every),
            "    except AttributeError:",  # a row of another kind (not `Scorable`)
            "        return by_memo(actuals)",
            "    except ValueError:",  # another number of rows
            "        return general(actuals)",
            # each row this run's record of the indicator in its place: every indicator once, in the
            # plan's order (most tables), their scores added as they are (no bits to check)
            f"    if {' or '.join(f'r{i}[4] is not T{i}' for i in every)}:",
            "        return by_memo(actuals)",  # a row no run has learnt, another run has, or another order
            f"    scores = {' + '.join(f'r{i}[5]' for i in every)}",
        ]
    else:
        lines += [
            *(f"        r{i} = memo[e{i}.key]" for i in every),
            "    except KeyError:",  # a row not seen before
            "        return learn(actuals, again) if learn is not None else general(actuals)",
            "    except ValueError:",  # another number of rows
            "        return general(actuals)",
            f"    if {' or '.join(f'r{i}[0] is not e{i}.value' for i in every)}:",
            "        return learn(actuals, again) if learn is not None else general(actuals)",
            f"    claim(given, ({records},))",  # kept in the rows no run has learnt (`actuals.claim`)
            # rows in any order: their packed scores and bits (`FastRun.pack`) say every indicator has one
            f"    packed = {' + '.join(f'r{i}[1]' for i in every)}",
            "    if packed & LOW != EVERY:",
            "        return general(actuals)",
            "    scores = packed >> SHIFT",
        ]
    lines += [
        "    try:",  # most budgets: the two figures the rate needs, in the chosen row, no unit written
        "        annual, executed = actuals.budget",
        "    except ValueError:",
        "        annual = executed = None",
        "    if (",
        "        annual is None or annual.row != ROW or executed.row != ROW or annual.figure != ANNUAL",
        "        or executed.figure != EXECUTED or annual.dimension or executed.dimension",
        "    ):",
        "        annual = executed = None",
        "        for figure in actuals.budget:",  # the last of each in the chosen row (`FastBudget._figures`)
        "            if figure.dimension:",  # a unit written: E506, or amounts in 元 (the general path)
        "                return general(actuals)",
        "            if figure.row == ROW:",
        "                if figure.figure == ANNUAL:",
        "                    annual = figure",
        "                elif figure.figure == EXECUTED:",
        "                    executed = figure",
        "        if annual is None or executed is None:",
        "            return general(actuals)",
        "    (an, ad), (en, ed) = annual.amount, executed.amount",
        "    num, den = en * ad, ed * an",
        "    if an <= 0 or en < 0 or ad <= 0 or ed <= 0:",
        "        return general(actuals)",
        "    if num.bit_length() > LIMIT or den.bit_length() > LIMIT:",
        "        return general(actuals)",
        f"    {ROUNDING[mode]}",
        "    hit = rated.get(rate) or rated_miss(rate)",
        "    if hit is None:",
        "        return general(actuals)",
        "    points, explains, found4, memos = hit",
        "    budget = found4[(2 if explains and not actuals.budget_note else 0) + (num > den)]",
        "    points += scores",
    ]
    for which, index in enumerate(derived):  # the derived row in its place, where it was last time, or found
        lines += [
            f"    record = r{index}",  # a table in the plan's order (most are): no tuple of the rows made
            f"    if record[3] != {index}:",
            f"        records = ({records},)",
            f"        record = records[WHERE[{which}]]",
            f"        if record[3] != {index}:",
            f"            record = where_miss({which}, records)",
            f"    known = memos[{which}]",
            f"    g{which} = known.get(id(record))",
            f"    if g{which} is None:",
            f"        g{which} = derived_miss({which}, rate, record, ({records},), actuals, known"
            ", (num, den))",  # the unrounded rate too: the row's value may be compared with it (F108)
            f"    if g{which} is None:",
            "        return general(actuals)",
            f"    points += g{which}[1]",
        ]
    got = "".join(f"g{which}, " for which in range(len(derived)))
    lines += [
        "    total, grade = totals.get(points) or total_miss(points)",
        "    result = new(RESULT)",  # as `lazy_result` makes it: the plan's fields read through SHARED
        "    setattr(result, 'total', total)",
        "    setattr(result, 'grade', grade)",
        "    noted = actuals.findings",
    ]
    if checked:  # F112, F113 (identity.py) before the file's own findings
        lines += ["    if actuals.project or actuals.info:", "        noted = identity(actuals)"]
    lines += [
        "    if noted:",  # the file's own findings come first: a list of the file, read now
        f"        rows = [*filter(THIRD, ({records},))]",  # rows with findings, and derived indicators' rows
        f"        setattr(result, 'findings', found_miss(None, noted, budget, rows, ({got})))",
        "        setattr(result, '_kept', (SHARED, actuals))",
        "    else:",  # the findings made when first read (`Result.findings`, `Misses.deferred`)
        f"        setattr(result, '_kept', (SHARED, actuals, FINDINGS, scores, budget, {got}))",
        "    return result",
    ]
    return lines
