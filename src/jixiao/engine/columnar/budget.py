"""The budget block of a whole chunk of projects at once: 执行率 on int64 arrays, the score by rate.

Taken only when the rate is the default 全年执行数 ÷ 全年预算数, rounded (the 执行率 stage), and the score
and its 需说明 conditions read nothing but 执行率 and 分值: then a project's budget score depends on its
rounded rate alone, so each distinct rate is scored once by the fast evaluator's own formulas
(`FastBudget`), and findings (F106, F127) come from its memo. A project whose figures are not exactly
one 全年预算数 and one 全年执行数 of the chosen row, in the money unit, with a budget other than 0, is
left to the fast evaluator (`Budgets.ok` false), which reports or handles it as always.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.engine.columnar.arrays import INT64_LIMIT, numpy, round_scaled, unique_rows
from jixiao.engine.columnar.batch import Batch
from jixiao.engine.columnar.findings import Registry
from jixiao.engine.compiler import budget_formulas
from jixiao.engine.fast.budget import FastBudget
from jixiao.engine.fast.rational import Pair, variables
from jixiao.engine.plan import Plan
from jixiao.language import nodes as n
from jixiao.language.rounding import round_scaled as round_one

SMALL = 1 << 24  # a figure's denominator (amounts are written with a few decimals)
RATE_INPUTS = {"执行率", "分值"}  # what the score and its conditions may read to be scored by rate


def refusal(plan: Plan) -> str | None:
    """Why this plan's budget block is not computed on arrays, or None."""
    score, rate = budget_formulas(plan.rules)
    if not _default_rate(rate):
        return "预算执行率公式不是 全年执行数 ÷ 全年预算数"
    rounder = plan.budget.rate_stage.rounder
    if rounder is None or 10**rounder.digits >= SMALL:
        return "执行率不舍入，或舍入到很多位"
    reads = variables(score).union(*(variables(e.condition) for e in plan.rules.budget.explain))
    if not reads <= RATE_INPUTS:
        return "预算得分公式读取执行率与分值以外的变量"
    return None


def _default_rate(rate: n.Expr) -> bool:
    return (
        isinstance(rate, n.BinOp)
        and rate.op == "÷"
        and rate.left == n.Var("全年执行数")
        and rate.right == n.Var("全年预算数")
    )


@dataclass(frozen=True)
class Budgets:
    """A chunk's budget blocks: which projects were computed here, their points, rates and findings."""

    ok: Any  # bool per project
    points: Any  # int64 per project: the budget score in the run's unit (0 where not ok)
    rates: Any  # int64 per project: 执行率 as a count of 10**-digits
    findings: Any  # int64 per project: the registry id of its budget findings (findings.py)
    exact: tuple[Any, Any]  # int64 per project: 执行率 unrounded, numerator and denominator (1 where not ok)


class ColumnarBudget:
    """The budget block of one plan on arrays (see the module's docstring); `refusal` must be None."""

    def __init__(self, fast: FastBudget) -> None:
        self.fast = fast
        rounder = fast.plan.rate_stage.rounder
        assert rounder is not None and 10**rounder.digits < SMALL  # refusal
        self.digits, self.mode = rounder.digits, rounder.mode
        self.by_rate: dict[int, tuple[int, bool]] = {}  # rate → (points, 需说明)

    def run(self, batch: Batch, registry: Registry) -> Budgets:
        np = numpy()
        figures = batch.figures
        ok, (an, ad), (en, ed) = figures.ok.copy(), figures.annual, figures.executed
        ok &= (an != 0) & self._in_range(an, ad, en, ed)
        ok_an = np.where(ok, an, 1)
        num, den = en * ad, ed * ok_an
        num, den = np.where(den < 0, -num, num), np.abs(den)
        rates = np.where(ok, round_scaled(num, den, self.digits, self.mode), 0)
        points, explain = self._by_rate(rates, ok)
        explain &= ~batch.noted
        above = ok & (num > den)
        if not self.fast.plan.scored:
            points[:], explain[:], above[:] = 0, False, False
        exact = (np.where(ok, num, 0), np.where(ok, den, 1))
        return Budgets(ok, points, rates, self._found(rates, explain, above, registry), exact)

    def _found(self, rates: Any, explain: Any, above: Any, registry: Registry) -> Any:
        """Each project's budget findings (F106, F127) as a registry id, made once per distinct case."""
        np = numpy()
        ids = np.zeros(len(rates), dtype=np.int64)
        some = np.flatnonzero(explain | above)
        cases = np.stack([rates[some], explain[some], above[some]], axis=1).astype(np.int64)
        distinct, inverse = unique_rows(cases)
        unit = 10**self.digits
        made = [
            registry.id(self.fast._found((r, unit))[2 * bool(e) + bool(a)]) for r, e, a in distinct.tolist()
        ]
        ids[some] = np.array(made, dtype=np.int64)[inverse]
        return ids

    def _in_range(self, an: Any, ad: Any, en: Any, ed: Any) -> Any:
        """Where en·ad·10**digits and ed·an stay inside int64 (checked by division, which cannot overflow);
        elsewhere the fast evaluator computes the rate."""
        np = numpy()
        small = (ad < SMALL) & (ed < SMALL)
        scale = np.where(small, ad, 1) * 10**self.digits
        return (
            small
            & (np.abs(en) <= INT64_LIMIT // scale)
            & (np.abs(an) <= INT64_LIMIT // np.where(small, ed, 1))
        )

    def _by_rate(self, rates: Any, ok: Any) -> tuple[Any, Any]:
        """Each project's points and 需说明, computed once per distinct rate."""
        np = numpy()
        distinct, inverse = np.unique(rates, return_inverse=True)
        scored = [self._rate(int(r)) for r in distinct]
        points = np.array([p for p, _ in scored], dtype=np.int64)[inverse]
        explain = np.array([e for _, e in scored], dtype=bool)[inverse]
        return np.where(ok, points, 0), explain & ok

    def _rate(self, rate: int) -> tuple[int, bool]:
        """`FastBudget.run` after the rate: the points and whether 需说明 holds (before the note)."""
        hit = self.by_rate.get(rate)
        if hit is None:
            fast = self.fast
            env: dict[str, Pair] = {"执行率": (rate, 10**self.digits), "分值": fast.weight}
            raw = fast.score(env)
            capped = (0, 1) if raw[0] < 0 else _min(raw, fast.weight)
            score = round_one(capped[0], capped[1], fast.digits, fast.mode)  # type: ignore[arg-type]
            hit = (score * fast.shift if fast.counted else 0, bool(fast.explain) and fast._explain(env))
            if len(self.by_rate) < 1 << 16:
                self.by_rate[rate] = hit
        return hit


def _min(a: Pair, b: Pair) -> Pair:
    return b if b[0] * a[1] < a[0] * b[1] else a
