"""Followed by hand, every explanation reaches the figure it explains.

For every scored row, the budget block and the total of every case in tests/cases and of the seed, in
both languages, the last number of the last step (a closing remark in parentheses aside, such as
（扣完为止） or （理由：…）) is the figure shown, exact or as displayed. A step left out (超额扣减 once
was), or one written after the rounding it comes before (不适用 分配's factor once was), ends the
explanation on another number.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction

import pytest
from conftest import CASES, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.engine.methods import fmt
from jixiao.engine.results import Figure, Result, Step, fixed_step
from jixiao.messages import Lang

NUMBER = re.compile(r"-?\d+(?:\.\d+)?…?")
CLOSE, OPEN = "）)", "（("


def _without_remark(text: str) -> str:
    """The text without a closing remark in (balanced) parentheses: `… = 0（扣完为止）` → `… = 0`."""
    text = text.rstrip()
    if not text.endswith(tuple(CLOSE)):
        return text
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        depth += (text[at] in CLOSE) - (text[at] in OPEN)
        if depth == 0:
            return text[:at]
    return text


def _reaches(steps: tuple[Step, ...], figure: Figure, lang: Lang) -> bool:
    """Whether the last number of the last step is the figure (its exact value, or as shown)."""
    numbers = NUMBER.findall(_without_remark(steps[-1].text(lang))) if steps else []
    if not numbers:
        return False
    last = numbers[-1]
    if last.endswith("…"):  # an exact value cut at 6 decimals
        return last == fmt(figure.value)
    return Fraction(last) in (figure.value, figure.shown)


@functools.cache
def _results() -> tuple[tuple[str, Result], ...]:
    cases = sorted(
        p.parent for p in CASES.glob("*/*/actuals.csv") if not (p.parent / "expected.yaml").exists()
    )
    pairs = [(c.name, c / "ruleset.jx", c / "actuals.csv") for c in cases]
    pairs.append(("seed", SEED_RULESET, SEED_ACTUALS))
    return tuple(
        (name, jixiao.load_ruleset(rules).score(jixiao.load_actuals(actuals)))
        for name, rules, actuals in pairs
    )


def _explained(result: Result) -> list[tuple[str, tuple[Step, ...], Figure]]:
    """Every figure of a result with the steps that explain it: scored rows, the budget block, the total."""
    out = [(row.path, row.steps, row.score) for row in result.indicators if row.score is not None]
    budget = result.budget
    if budget is not None and budget.score is not None:
        out.append(("预算执行", budget.steps, budget.score))
    out.append(("总得分", result.steps, result.total))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_explanation_ends_at_the_figure_it_explains(lang: Lang) -> None:
    checked, wrong = 0, []
    for name, result in _results():
        for what, steps, figure in _explained(result):
            checked += 1
            if not _reaches(steps, figure, lang):
                last = steps[-1].text(lang) if steps else "—"
                wrong.append(f"{name}: {what} {figure.text()} ← {last}")
    assert not wrong, "\n".join(wrong)
    assert checked > 300


@pytest.mark.parametrize(
    ("text", "score", "reaches"),
    [
        ("9.473684… → 四舍五入2位 → 9.47", Figure(Fraction(947, 100), 2), True),
        ("得分 = 10 × 0.947368… = 9.473684…", Figure(Fraction(180, 19)), True),
        ("扣分 7 × 3 = 21，得分 max(20 − 21, 0) = 0（扣完为止）", Figure(0, 2), True),
        ("人工调整：公式得分 — → 调整得分 10.00（理由：见（一））", Figure(10, 2), True),
        ("显示 9（计算用 9.91）", Figure(Fraction(991, 100), 2, Fraction(9), 0), True),
        # what the explanations said before: the 不适用 factor after the rounding, no 超额扣减, no 上限
        ("不适用分值分配：分值 10 → 12，得分 × 1.2", Figure(Fraction(1137, 100), 2), False),
        ("得分 = 20 × 1 = 20", Figure(18, 2), False),
        ("全年预算数为 0，执行率无法计算：按规则得满分", Figure(10, 2), False),
    ],
)
def test_the_check_reads_the_last_number_of_a_step(text: str, score: Figure, reaches: bool) -> None:
    assert _reaches((fixed_step(text, text),), score, "zh") is reaches
