"""Filled-in tables with planted discrepancies, for `jixiao audit` and `jixiao import` tests.

`CLEAN` is the seed table printed exactly as standard/central computes it (预算执行率 rounded half-up
to 0.94, the rate and budget score typed as numbers, the total the sum of the printed parts), so that
each plant below adds exactly the findings it lists: (code, where) with `where` the indicator's name
(the last part of its path) or 预算执行, 执行率, 总得分, 分值合计, 等级. Every table is made here; none
is copied from a real document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from seedfiles import SEED, Filled

CLEAN = replace(SEED.replaced("预算执行率", score=0.94), rate=0.9376, budget_score=9.38)
LOW_BUDGET = replace(  # executed 800 of 970: 82.47%, below the 90% that needs an explanation (the
    # 预算执行率 row's 偏差原因 would give it: the budget block of the official layout has no note column)
    CLEAN.replaced("预算执行率", actual=0.8247, score=0.82, note=None),
    amounts=(970, 970, 800),
    rate=0.8247,
    budget_score=8.25,
)
FEWER = CLEAN.replaced(
    "享受补贴人数", actual="1.0万人", score=18.18, note="人数减少"
)  # missed: 20 × 1.0 ÷ 1.1


@dataclass(frozen=True)
class Plant:
    table: Filled
    expected: tuple[tuple[str, str], ...]


# Against a policy alone (standard/central): targets and weights come from the table.
POLICY: dict[str, Plant] = {
    "clean": Plant(CLEAN, ()),
    "seed: 预算执行率 truncated": Plant(SEED, (("F150", "预算执行率"),)),
    "marked down although met": Plant(
        CLEAN.replaced("资金发放准确率", score=8), (("F151", "资金发放准确率"),)
    ),
    "marked down with a reason": Plant(
        CLEAN.replaced("资金发放准确率", score=8, note="部分资金退回"), (("F152", "资金发放准确率"),)
    ),
    "full marks although missed": Plant(
        FEWER.replaced("享受补贴人数", score=20), (("F153", "享受补贴人数"),)
    ),
    "arithmetic": Plant(FEWER.replaced("享受补贴人数", score=17), (("F154", "享受补贴人数"),)),
    # 0.9376 printed 0.00: a point lost, not 0.9376 cut to 0 decimals and shown with two (was F150)
    "a point lost is not a rounding": Plant(
        CLEAN.replaced("预算执行率", score="0.00"), (("F154", "预算执行率"),)
    ),
    "weight as a percentage": Plant(
        CLEAN.replaced("资金发放及时率", weight="10%"), (("F157", "资金发放及时率"),)
    ),
    "score missing": Plant(CLEAN.replaced("资金发放及时率", score=None), (("F158", "资金发放及时率"),)),
    "target unreadable": Plant(
        CLEAN.replaced("资金发放及时率", target="≥百分之百"), (("F159", "资金发放及时率"),)
    ),
    "weight unreadable": Plant(CLEAN.replaced("资金发放及时率", weight="十"), (("F159", "资金发放及时率"),)),
    "total unreadable": Plant(replace(CLEAN, total="九十九"), (("F159", "总得分"),)),
    "actual unreadable": Plant(
        CLEAN.replaced("资金发放及时率", actual="很快"), (("F159", "资金发放及时率"),)
    ),
    "units differ": Plant(CLEAN.replaced("享受补贴人数", actual="1.2万元"), (("F160", "享受补贴人数"),)),
    "sign in actual": Plant(CLEAN.replaced("享受补贴人数", actual="≥1.1万人"), (("F161", "享受补贴人数"),)),
    "neither target nor actual": Plant(
        CLEAN.replaced("资金发放及时率", target=None, actual=None), (("F162", "资金发放及时率"),)
    ),
    "explanation missing": Plant(FEWER.replaced("享受补贴人数", note=None), (("F163", "享受补贴人数"),)),
    "budget explanation missing": Plant(LOW_BUDGET, (("F163", "预算执行"), ("F163", "预算执行率"))),
    "rate": Plant(replace(CLEAN, rate=0.95), (("F164", "执行率"),)),
    "budget score": Plant(replace(CLEAN, budget_score=8.5), (("F165", "预算执行"),)),
    "weights add up to 105": Plant(
        CLEAN.replaced("资金发放及时率", weight=15, score=15), (("F166", "分值合计"),)
    ),
    "total not the sum": Plant(replace(CLEAN, total=98.0), (("F168", "总得分"),)),
    "total from unrounded parts": Plant(  # 98.4048… of the unrounded parts, not the printed 98.41
        replace(FEWER.replaced("享受补贴人数", actual="1.05万人", score=19.09), total=98.40),
        (("F169", "总得分"),),
    ),
    "grade": Plant(replace(CLEAN, grade="良"), (("F170", "等级"),)),
    "grade by its long name": Plant(replace(CLEAN, grade="优秀"), ()),  # 优秀 is 优
    "grade by a wrong long name": Plant(replace(CLEAN, grade="良好"), (("F170", "等级"),)),
    "grade right": Plant(replace(CLEAN, grade="优"), ()),
}
# Tables no ruleset can be made from that passes jixiao check: the weights do not add up (jixiao import
# says why, W177).
NOT_IMPORTABLE = frozenset({"weights add up to 105", "weight unreadable"})

# Against the seed's project ruleset (rulesets/shangjie-pension/2020.jx): its targets and weights count.
PROJECT: dict[str, Plant] = {
    "seed": Plant(SEED, ()),
    "weights swapped": Plant(
        SEED.replaced("资金发放准确率", weight=12).replaced("资金发放及时率", weight=8),
        (("F155", "资金发放准确率"), ("F155", "资金发放及时率")),
    ),
    "target differs": Plant(SEED.replaced("资金发放及时率", target="≥95%"), (("F156", "资金发放及时率"),)),
    "row renamed": Plant(
        SEED.replaced("资金发放及时率", name="资金拨付及时率"),
        (("F171", "资金拨付及时率"), ("F172", "资金发放及时率")),
    ),
    "row twice": Plant(
        replace(SEED, indicators=(*SEED.indicators, SEED.indicators[12]), total=99.31),
        (("F173", "资金发放及时率"),),
    ),
}
