"""One function generated per plan for its usual project (per-plan specialisation).

Most projects of a plan look alike: one row per indicator, each row's text seen before (`FastRun.memo`),
the budget block scored by the default rate (全年执行数 ÷ 全年预算数 of the row the plan reads). For
such a plan `Special` writes one Python function that takes exactly these steps with nothing else in
between: the rows unpacked into locals and looked up one by one (no loop), their packed scores added in
one expression, the two figures taken from the budget in one pass, the rate rounded inline, the budget
block and each 实际 = 执行率 indicator remembered by the rounded rate (an integer), the total and grade
by the total, and the `Result` made as `lazy_result` makes it, its findings made when first read
(`_deferred`, remembered by the objects they come from). Anything else — a new row, another row
count, a unit written in the budget, a rate the memo cannot give — goes to the general path
(`FastEvaluator._general`), which gives the same result or declines.

The source is written here from integers only (the number of rows, the derived indicators' indexes):
no name, word, unit or number of a ruleset or a file is ever part of it. Everything the function reads
from the plan (the budget row's name, figure names, weights, memos, the results' shared `Pending`)
reaches it through its namespace (`tests/test_fast_special.py` shows hostile names cannot inject code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from itertools import chain
from operator import itemgetter
from typing import Any

from jixiao.crash import internal_error
from jixiao.engine.actuals import ActualsFile, RowLine, claim
from jixiao.engine.evaluate.findings import other_year
from jixiao.engine.fast.budget import EXACT_RATE, FastBudget
from jixiao.engine.fast.rational import Bail, Pair
from jixiao.engine.fast.result import Disagreement, Pending, new_result, set_field
from jixiao.engine.fast.run import DERIVED, MEMO_LIMIT, FastRun, Record
from jixiao.engine.results import Finding, Result
from jixiao.language.rounding import RoundingMode, round_scaled
from jixiao.limits import MAX_NUMBER_BITS

Score = Callable[[ActualsFile], Result | None]
# A derived indicator at a rate, by its row's record: that record, the score, its findings
DerivedHit = tuple[Record, int, tuple[Finding, ...]]
# What a rounded rate gives: the budget's points, whether 需说明 holds, its findings by `2 × F106 + F127`,
# and per derived indicator a memo of its score by its row's record
Rated = tuple[int, bool, tuple[tuple[Finding, ...], ...], tuple[dict[int, DerivedHit], ...]]
# A project's findings by the ids of what they come from, with those objects (so no id is reused meanwhile)
Found = tuple[tuple[Finding, ...], object, object, object]
_first = itemgetter(0)
_second = itemgetter(1)  # a record's packed score and bit
THIRD = itemgetter(2)  # a record's findings
_FIFTH = itemgetter(4)  # a record's run (`FastRun.owner`)
# The rate's exact numerator and denominator may hold this many bits here: the general path multiplies
# both by the money unit's scale before it checks MAX_NUMBER_BITS, so this never bails where it would not
RATE_BITS = MAX_NUMBER_BITS // 2
# `_found` remembers a project's findings the second time their key comes: most projects of a batch differ
# in some row with findings, and a memo entry per project (four objects the collector walks again and
# again, 65,536 of them at most) cost more than making the findings. A key seen once is a mark in a table
# of `SEEN_SLOTS` bytes (by its hash; nothing the collector walks), cleared when `SEEN_CLEARED` are marked:
# a mark another key set makes it remembered the first time, which is only a memo entry more.
SEEN_SLOTS = 1 << 16
SEEN_CLEARED = SEEN_SLOTS // 8
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
    """The generated function of one plan (`score`), its source, and the memos only it keeps."""

    def __init__(self, run: FastRun, shared: Pending, general: Score) -> None:
        self.run, self.general = run, general
        budget: FastBudget = run.budget
        assert budget.rate_rounder is not None  # fits()
        digits, mode, power = budget.rate_rounder
        self.budget, self.power, self.mode = budget, power, mode
        self.rated: dict[int, Rated] = {}
        self.derived_kept = 0  # entries in the derived memos of all rates (bounded by MEMO_LIMIT)
        self.derived = tuple(f.index for f in run.derived)
        self.where = [0] * len(self.derived)  # where each derived indicator's row was last
        self.found: dict[tuple[int, ...], Found] = {}  # a project's findings, see `_found`
        self.seen = bytearray(SEEN_SLOTS)  # the keys of findings made once (`SEEN_SLOTS`)
        self.marked = 0
        checked = run.identity is not None  # files' project names compared (identity.py): one test more
        self.source = source(run.count, self.derived, mode, kept=True, checked=checked)
        self.memo_source = source(run.count, self.derived, mode, kept=False, checked=checked)
        namespace: dict[str, object] = {
            "general": general,
            "other_year": partial(other_year, year=run.year),
            "learn": self._learn,
            "claim": claim,
            "memo": run.memo,
            "rated": self.rated,
            "rated_miss": self._rated,
            "derived_miss": self._derived,
            "where_miss": self._where,
            "WHERE": self.where,
            "found_miss": self._found,
            "FINDINGS": self._deferred,
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
        exec(self.memo_source, namespace)  # our own source (see `source`): no text of the ruleset in it
        self.by_memo: Score = namespace["special"]  # type: ignore[assignment]
        again = {**namespace, "learn": None}  # the same function after learning: never learns twice
        exec(self.memo_source, again)
        self._again: Score = again["special"]  # type: ignore[assignment]
        kept = {**namespace, "by_memo": self.by_memo, "OWNER": run.owner}
        exec(self.source, kept)
        self.score: Score = kept["special"]  # type: ignore[assignment]
        self._kept_namespace = kept
        self._checked = checked

    def entry(
        self,
        whole: Callable[[object], Result],
        reference: Callable[[ActualsFile], Result],
        passed: tuple[type[BaseException], ...],
    ) -> Callable[[object], Result]:
        """`score` as a whole `CompiledRuleset.score` (one call a project less; `source`'s `entry`): a read
        file scored here, a project it declines by `reference`; anything but a read file by `whole`; an
        exception not in `passed` raised as E901 (`crash.internal_error`)."""
        run = self.run
        text = source(run.count, self.derived, self.mode, kept=True, checked=self._checked, entry=True)
        namespace = {
            **self._kept_namespace,
            "FILE": ActualsFile,
            "whole": whole,
            "reference": reference,
            "PASSED": passed,
            "internal": internal_error,
        }
        exec(text, namespace)  # our own source, as `score`'s
        made: Callable[[object], Result] = namespace["special"]  # type: ignore[assignment]
        return made

    def _learn(self, actuals: ActualsFile) -> Result | None:
        """A project with rows not seen before: those rows scored into the memo (`FastRun._row`, as the
        general path would), then the project by the generated function (which keeps their records in
        the rows); the general path when a row is not the fast evaluator's to score or the memo does not
        keep them all (it starts over)."""
        try:
            self._records(actuals)
        except Bail:
            return self.general(actuals)
        return self._again(actuals)

    def _rated(self, rate: int) -> Rated | None:
        """The budget block at a rounded rate (as `FastBudget.run` scores it), remembered; None: it bails."""
        budget = self.budget
        pair = (rate, self.power)
        try:
            points, explains = budget._scored({"执行率": pair, "分值": budget.weight})
        except Bail:
            return None
        found = budget._found(pair)
        if len(self.rated) >= MEMO_LIMIT:
            self.rated.clear()
        rated = self.rated[rate] = (points, explains, found, tuple({} for _ in self.derived))
        return rated

    def _where(self, which: int, records: tuple[Record, ...]) -> Record:
        """The row of the `which`-th derived indicator (every indicator has one), its position remembered."""
        index = self.derived[which]
        at = next(at for at, record in enumerate(records) if record[3] == index)
        self.where[which] = at
        return records[at]

    def _derived(
        self,
        which: int,
        rate: int,
        record: Record,
        records: tuple[Record, ...],
        actuals: ActualsFile,
        memo: dict[int, DerivedHit],
        exact: Pair,
    ) -> DerivedHit | None:
        """The `which`-th derived indicator (实际 = 执行率) at a rounded rate, given by the row of `record`
        (its memo record: one per row text and value), remembered by that record unless its value was
        also compared with the `exact` rate (F108); None: it bails."""
        entry = next(e for e, r in zip(actuals.entries, records, strict=True) if r is record)
        folded = self.run.folded[self.derived[which]]
        try:
            budget = {"执行率": (rate, self.power), EXACT_RATE: exact}
            score, findings, by_rate = self.run.derived_hit(folded, budget, entry)
        except Bail:
            return None
        if not by_rate:
            return (record, score, findings)
        self.derived_kept += 1
        if self.derived_kept > MEMO_LIMIT:  # all rates' derived memos together: the budget's memo starts over
            self.rated.clear()
            self.derived_kept = 0
        # keyed by the record's id: the value holds the record, so no other object has that id meanwhile
        got = memo[id(record)] = (record, score, findings)
        return got

    def _deferred(self, state: tuple[Any, ...]) -> tuple[Finding, ...]:
        """The findings of a project the generated function scored, made when first read (`Result.findings`)
        from what it kept: `(its Pending, its actual values, this method, the packed sum of its rows,
        the budget's findings, each derived hit)`. The rows' records are looked up again (scored again
        if the memo has started over meanwhile) and must add up to the same sum: rows changed after the
        file was scored so that they score otherwise are an error (E901), as when its table is filled in."""
        try:
            records = self._kept(state[1]) or self._records(state[1])
        except Exception as exc:
            raise internal_error(exc) from exc
        if sum(map(_second, records)) != state[3]:
            raise internal_error(Disagreement("the file's rows changed after it was scored"))
        budget: tuple[Finding, ...] = state[4]
        derived: tuple[DerivedHit, ...] = state[5:]
        rows = [*filter(THIRD, records)]  # the rows with findings, and those of derived indicators
        key = (id(budget), *map(id, derived), *map(id, rows))
        hit = self.found.get(key)
        if hit is not None:
            return hit[0]
        return self._found(key, (), budget, rows, derived)

    def _kept(self, actuals: ActualsFile) -> list[Record] | None:
        """The records a file's rows keep for this run (`actuals.Scorable`), in table order; None when a row
        keeps none of this run's (the memo's then, `_records`)."""
        try:
            records: list[Record] = [row.scored for row in _rows(actuals)]  # type: ignore[attr-defined]
        except AttributeError:  # a row of another kind
            return None
        owners = list(map(_FIFTH, records))
        return records if owners.count(self.run.owner) == len(owners) else None

    def _records(self, actuals: ActualsFile) -> list[Record]:
        """The memo's records of a file's rows, in table order; a row whose record is not there (not seen
        yet, or the memo started over) or is for another value is scored into the memo (`FastRun._row`,
        as the general path would). Raises `Bail` for a row that is not the fast evaluator's to score."""
        given = _rows(actuals)
        memo, row = self.run.memo, self.run._row
        records = [memo.get(line.key) for line in given]
        if all(r is not None and r[0] is line.value for r, line in zip(records, given, strict=True)):
            return records  # type: ignore[return-value]  # (none is None)
        return [  # the entries, made of the deferred rows if need be: `_row` reads an `Entry`
            r if r is not None and r[0] is entry.value else row(entry)
            for r, entry in zip(records, actuals.entries, strict=True)
        ]

    def _found(
        self,
        key: tuple[int, ...] | None,
        given: Sequence[Finding],
        budget: tuple[Finding, ...],
        rows: list[Record],
        derived: tuple[DerivedHit, ...],
    ) -> tuple[Finding, ...]:
        """A project's findings (as `FastRun.score` orders them: the file's, the budget's, each indicator's
        in table order), remembered by `key`: the ids of the tuples and records they come from, which the
        memo holds (so no other object has one of these ids while the key is there); only from the second
        time a key comes (`SEEN_SLOTS`)."""
        by_index = [(r[3], r[2]) for r in rows if r[2] is not None and r[2] is not DERIVED]
        by_index += [(self.derived[w], got[2]) for w, got in enumerate(derived) if got[2]]
        by_index.sort(key=_first)
        findings = (*given, *budget, *chain.from_iterable(f for _, f in by_index))
        if key is not None and self._again_seen(key):
            if len(self.found) >= MEMO_LIMIT:
                self.found.clear()
            self.found[key] = (findings, budget, rows, derived)
        return findings

    def _again_seen(self, key: tuple[int, ...]) -> bool:
        """Whether `key` (or another with its mark) came before; else its mark is set."""
        slot = hash(key) & (SEEN_SLOTS - 1)
        if self.seen[slot]:
            return True
        if self.marked >= SEEN_CLEARED:
            self.seen[:] = bytes(SEEN_SLOTS)
            self.marked = 0
        self.seen[slot] = 1
        self.marked += 1
        return False


def _rows(actuals: ActualsFile) -> Sequence[RowLine]:
    """A file's rows as the generated function reads them: as a reader read them (a long table's, or a
    first read's, `Deferred`), else its entries."""
    deferred = actuals._lines
    return actuals.entries if deferred is None else deferred.lines


def source(
    count: int,
    derived: tuple[int, ...],
    mode: RoundingMode,
    kept: bool,
    checked: bool = False,
    entry: bool = False,
) -> str:
    """The function's source: only this module's words and the integers given (no ruleset text).

    `checked`: the plan compares a file's project name, 主管部门 and 实施单位 with its own (`identity`,
    findings F112 and F113 before the file's own); a file that names no project and has no project
    information (most) costs two attribute tests.

    `kept`: the rows' records are read from the rows themselves (`actuals.Scorable`: one attribute a row,
    where the memo costs its text's hash, a dictionary probe and the value's check), and a project with
    a row whose record is not this run's goes to the memo's function (`by_memo`). Else the memo's
    function: the rows looked up by their text, a row not seen before learnt (`learn`), and the records
    kept in the rows no run has learnt yet (`claim`), so that the next project with these row objects
    (a reader shares them between files) takes the first way.

    `entry` (with `kept`): `CompiledRuleset.score` itself (`Special.entry`), one call less a project:
    anything but a read file goes to `whole` (the method), a project the function declines to
    `reference`, and an exception other than `PASSED` is E901 (`internal`), as the method does."""
    assert all(type(i) is int for i in (count, *derived))
    body = _body(count, derived, mode, kept, checked)
    if not entry:
        return "\n".join(["def special(actuals):", *body]) + "\n"
    declined = re.compile(r"^(\s*)return (None|(?:general|by_memo)\(actuals\))$")
    return "\n".join([
        "def special(actuals):",
        "    if type(actuals) is not FILE:",
        "        return whole(actuals)",
        "    try:",
        *("    " + declined.sub(_or_reference, line) for line in body),
        "    except PASSED:",
        "        raise",
        "    except Exception as exc:",
        "        raise internal(exc) from exc",
    ]) + "\n"  # fmt: skip


def _or_reference(declined: re.Match[str]) -> str:
    """A `return` of the generated function that may give None, in `entry`: the reference's result then."""
    indent, returned = declined.groups()
    if returned == "None":
        return f"{indent}return reference(actuals)"
    return f"{indent}return {returned} or reference(actuals)"


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
            f"    if {' or '.join(f'r{i}[4] is not OWNER' for i in every)}:",
            "        return by_memo(actuals)",  # a row no run has learnt, or another run has
        ]
    else:
        lines += [
            *(f"        r{i} = memo[e{i}.key]" for i in every),
            "    except KeyError:",  # a row not seen before
            "        return learn(actuals) if learn is not None else general(actuals)",
            "    except ValueError:",  # another number of rows
            "        return general(actuals)",
            f"    if {' or '.join(f'r{i}[0] is not e{i}.value' for i in every)}:",
            "        return learn(actuals) if learn is not None else general(actuals)",
            f"    claim(given, ({records},))",  # kept in the rows no run has learnt (`actuals.claim`)
        ]
    lines += [
        f"    packed = {' + '.join(f'r{i}[1]' for i in every)}",
        "    if packed & LOW != EVERY:",
        "        return general(actuals)",
        "    annual = executed = None",
        "    for figure in actuals.budget:",  # the last of each in the chosen row, as `FastBudget._figures`
        "        if figure.dimension:",  # a unit written: E506, or amounts in 元 (the general path)
        "            return general(actuals)",
        "        if figure.row == ROW:",
        "            if figure.figure == ANNUAL:",
        "                annual = figure",
        "            elif figure.figure == EXECUTED:",
        "                executed = figure",
        "    if annual is None or executed is None:",
        "        return general(actuals)",
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
        "    points += packed >> SHIFT",
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
        "    else:",  # the findings made when first read (`Result.findings`, `Special._deferred`)
        f"        setattr(result, '_kept', (SHARED, actuals, FINDINGS, packed, budget, {got}))",
        "    return result",
    ]
    return lines
