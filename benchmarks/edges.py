"""Generated rulesets and projects that sit on the edges where exact arithmetic and rounding go wrong.

Each `Case` is a ruleset (random rounding modes and digits at every stage, weights with awkward
fractions, every target kind the fast evaluator implements, derived values, formulas, 超额, 需说明) and
projects whose values land on the edges issue 14 lists: a score exactly on a half at the next digit,
divisions by 3, 7 and 120, 100.005% and 99.995%, targets of 0, values past the caps, and rates at 90%
and above 100%. Some rows take paths the fast evaluator leaves to the reference (不适用, an adjusted
score, a misspelt indicator): those must come out the same too. Some rulesets are general (边界（通用）)
and some projects name themselves in a 项目 column: the ruleset's name written otherwise, or another
project's (F112, engine/identity.py). Used by tests/test_fast.py and by
benchmarks/differential.py (the large run reported in docs/performance.md).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

MODES = ("四舍五入", "截断", "进位", "银行家")
HEADER = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施,调整得分,调整理由"
EDGE_FACTORS = tuple(
    Fraction(x)
    for x in ("1/3", "2/3", "1/7", "6/7", "1/120", "119/120", "0.995", "1.005", "1.00005", "0.99995")
) + tuple(Fraction(x) for x in ("0.5", "1", "1.2", "1.25", "1.19999", "1.5", "0", "2", "0.7", "0.3"))
WORDS = {
    "合理": ("合理", "基本合理", "不合理"),
    "有效": ("有效", "基本有效", "无效"),
    "显著": ("显著", "较显著", "不显著"),
}


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    name: str
    kind: str  # ge, le, eq0, pct, range, deadline, word, derived, formula
    target: str  # as written
    weight: Fraction
    base: Fraction  # the target in its written unit (0 for words and dates)
    unit: str
    options: str = ""  # 舍入 …, 超额 …, 实际 = …, 得分 = …


@dataclass(frozen=True)
class Case:
    """A ruleset's text, its indicators, and what the budget block is."""

    text: str
    indicators: tuple[Indicator, ...]
    budget: str  # "scored", "not_scored", "not_counted"


def _decimal(x: Fraction, places: int) -> str:
    """`x` written with at most `places` decimals (truncated), as a cell would show it."""
    scaled = x.numerator * 10**places // x.denominator
    return f"{Decimal(scaled).scaleb(-places).normalize():f}"


def _weights(rng: random.Random, count: int, total: Fraction) -> list[Fraction]:
    """`count` positive weights adding up to `total`, with awkward fractions (1.5, 2.25, 7, 3.75)."""
    while True:
        picks = [
            Fraction(rng.choice([3, 7, 6, 9, 12, 15, 18, 5, 4, 10])) / rng.choice([1, 2, 4])
            for _ in range(count - 1)
        ]
        last = total - sum(picks)
        if last > 0:
            return [*picks, last]


def _rounding(rng: random.Random) -> str:
    return f"{rng.choice(MODES)} {rng.choice([0, 1, 2, 2, 2, 3])}位"


def case(rng: random.Random) -> Case:
    """A random ruleset under the standard policy, with its own roundings and a mix of indicators."""
    budget = rng.choice(["scored", "scored", "scored", "not_scored", "not_counted"])
    count = rng.randint(4, 10)
    total_for_indicators = Fraction(90) if budget == "scored" else Fraction(100)
    weights = _weights(rng, count, total_for_indicators)
    kinds = ["ge", "le", "eq0", "pct", "range", "deadline", "word", "derived", "formula"]
    indicators = tuple(_indicator(rng, i, rng.choice(kinds), w) for i, w in enumerate(weights))
    lines = ['项目 "边界" 年度 2020 {', '  采用 "standard/central"', "  金额单位 万元"]
    lines.append(f"  舍入 {_rounding(rng)}")
    if (
        zlib.crc32(lines[-1].encode("utf-8") + bytes(count)) % 4 == 0
    ):  # no draw: the seeds give what they gave
        lines[0] = '项目 "边界（通用）" 年度 2020 {'  # a general ruleset: files naming other projects pass
    if rng.random() < 0.5:
        lines.append(f"  舍入 合计 {_rounding(rng)}")
    if rng.random() < 0.5:
        lines.append(f"  舍入 执行率 {_rounding(rng)}")
    if budget == "not_scored":
        lines.append("  预算执行 不评分")
    elif budget == "not_counted":
        lines += ["  预算执行 {", "    计入总分 否", "  }"]
    groups: dict[tuple[str, str], list[str]] = {}
    for ind in indicators:
        groups.setdefault((ind.level1, ind.level2), []).append(
            f"    {ind.name}  目标 {ind.target}  分值 {_decimal(ind.weight, 6)}{ind.options}"
        )
    for (level1, level2), rows in groups.items():
        lines += [f"  {level1} / {level2} {{", *rows, "  }"]
    lines.append("}")
    return Case("\n".join(lines) + "\n", indicators, budget)


def _indicator(rng: random.Random, i: int, kind: str, weight: Fraction) -> Indicator:
    level1, level2 = rng.choice(
        [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益")]
    )
    rounding = f"  舍入 {_rounding(rng)}" if rng.random() < 0.3 else ""
    name = f"指标{i}"
    if kind in ("ge", "formula"):
        base = Fraction(rng.choice([3, 7, 120, 100, 11, 1100, 97])) * rng.choice([1, 10, Fraction(1, 10)])
        unit = rng.choice(["人", "万人", "个", "户"])
        over = "  超额 ≥120% 扣减 10%" if kind == "ge" and rng.random() < 0.2 else ""
        formulas = (
            "如果 实际 ≥ 目标 则 分值 否则 分值 × 实际 ÷ 目标",
            "分值 × 0.9",
        )  # the second reads no 实际
        formula = f"  得分 = {rng.choice(formulas)}" if kind == "formula" else ""
        return Indicator(level1, level2, name, kind, f"≥{_decimal(base, 3)}{unit}", weight, base, unit,
                         rounding + over + formula)  # fmt: skip
    if kind == "le":
        base = Fraction(rng.choice([90, 3, 7, 120, 12])) / rng.choice([1, 10])
        return Indicator(
            level1, level2, name, kind, f"≤{_decimal(base, 3)}万元", weight, base, "万元", rounding
        )
    if kind == "eq0":
        return Indicator(level1, level2, name, kind, "=0起", weight, Fraction(0), "起", rounding)
    if kind == "pct":
        base = Fraction(rng.choice([100, 95, 90, 80, 60]))
        return Indicator(level1, level2, name, kind, f"{base}%", weight, base, "%", rounding)
    if kind == "range":
        return Indicator(level1, level2, name, kind, "[80%,100%]", weight, Fraction(80), "%", rounding)
    if kind == "deadline":
        return Indicator(level1, level2, name, kind, "12月底前", weight, Fraction(0), "", rounding)
    if kind == "derived":
        options = f"  实际 = 执行率  舍入 {_rounding(rng)}"
        return Indicator(
            "投入和管理目标", "投入管理", name, kind, "100%", weight, Fraction(100), "%", options
        )
    word = rng.choice(list(WORDS))
    return Indicator(level1, level2, name, "word", word, weight, Fraction(0), "", rounding)


# -- projects ------------------------------------------------------------------------------------------
def project(rng: random.Random, c: Case) -> str:
    """One project's actual values (CSV) for `c`, its values on the edges."""
    annual = Fraction(rng.randint(1000, 2_000_000), 100)
    factor = rng.choice([*EDGE_FACTORS, Fraction(9, 10), Fraction(8995, 10000), Fraction(9005, 10000),
                         Fraction(rng.randint(0, 12000), 10000)])  # fmt: skip
    executed = annual * factor
    rows = [HEADER]
    if c.budget != "not_scored" or rng.random() < 0.5:
        rows.append(f"预算执行,年度资金总额,全年预算数,{_decimal(annual, 2)},,,")
        rows.append(f"预算执行,年度资金总额,全年执行数,{_decimal(executed, 2)},,,")
    for ind in c.indicators:
        if ind.kind == "derived" and rng.random() < 0.7:
            continue  # a derived value's row is optional
        rows.append(_row(rng, ind, executed / annual if annual else Fraction(0)))
    if rng.random() < 0.03:
        rows.append("产出指标,数量指标,不存在的指标,5,,,")  # E503: the reference reports it
    return _named("\n".join(rows) + "\n")


# What a project may call itself in a 项目 column: mostly nothing; the ruleset's 边界 written otherwise
# (the same project: no F112), or another project (F112 unless the ruleset is general)
NAMES = ("", "", "", "", "", "", "边界", " 边界 项目", "边界(项目)", "（边界）", "其他项目", "道路养护")


def _named(text: str) -> str:
    """The project's CSV with a 项目 column when its text picks a name (by its checksum: no draw of the
    generator, so a seed gives the values it gave before names were added)."""
    name = NAMES[zlib.crc32(text.encode("utf-8")) % len(NAMES)]
    if not name:
        return text
    lines = text.splitlines()
    return "\n".join(["项目," + lines[0], *(f"{name},{line}" for line in lines[1:])]) + "\n"


def _row(rng: random.Random, ind: Indicator, rate: Fraction) -> str:
    note = rng.choice(["", "说明", "说明"])
    adjusted = ""
    cell = _cell(rng, ind, rate)
    roll = rng.random()
    if roll < 0.02:
        cell = "/"  # 不适用
    elif roll < 0.04 and ind.kind != "derived":
        adjusted = _decimal(ind.weight * Fraction(rng.randint(0, 10), 10), 2)
        note = "调整"
    return f"{ind.level1},{ind.level2},{ind.name},{cell},{note},{adjusted},{'理由' if adjusted else ''}"


def _cell(rng: random.Random, ind: Indicator, rate: Fraction) -> str:
    if ind.kind == "word":
        return rng.choice(WORDS[ind.target])
    if ind.kind == "deadline":
        return rng.choice(["2020年12月31日", "2021年1月1日", "2020年11月30日", "按时完成", "未完成", "95%"])
    if ind.kind == "eq0":
        return rng.choice(["0起", "无", "1起", "2起", "0"])
    if ind.kind == "derived":
        return _derived_cell(rate, rng.choice([0, 1, 2, 4, "15", "15%", "17", "15+"]))
    if ind.kind in ("pct", "range"):
        edge = ["100.005", "99.995", "100", "87.5", "66.67", "95", "120.5", "0", "80", "79.995"]
        value = rng.choice([*edge, _decimal(Fraction(rng.randint(0, 13000), 100), 2)])
        return f"{value}%"
    value = _half_edge(rng, ind) if rng.random() < 0.3 else ind.base * rng.choice(EDGE_FACTORS)
    written = _decimal(value, rng.choice([0, 2, 3, 5]))
    if rng.random() < 0.05:
        return f"约{written}{ind.unit}"  # F107
    if rng.random() < 0.05 and ind.unit not in ("万人", "万元"):
        return written  # a bare number: the target's unit (F105)
    return f"{written}{ind.unit}"


def _derived_cell(rate: Fraction, how: int | str) -> str:
    """The rate as a spreadsheet writes it: a percentage with a few decimals (truncated), the 15 significant
    digits it keeps of a computed cell (as a fraction or a percentage), a program's 17, or 15 digits two
    units off in the last (F108)."""
    if isinstance(how, int):
        return f"{_decimal(rate * 100, how)}%"
    digits = 17 if how == "17" else 15
    value = _significant(rate, digits)
    if how == "15+" and value:
        value += Decimal(2).scaleb(value.adjusted() - (digits - 1))
    return f"{(value * 100).normalize():f}%" if how == "15%" else f"{value:f}"


def _significant(x: Fraction, digits: int) -> Decimal:
    """`x` rounded to `digits` significant digits (half even, as a double's shortest text is)."""
    with localcontext() as context:
        context.prec = digits
        return Decimal(x.numerator) / Decimal(x.denominator)


def _half_edge(rng: random.Random, ind: Indicator) -> Fraction:
    """An actual whose ratio score lands exactly half-way at the third decimal (x.xx5)."""
    score = Fraction(2 * rng.randint(0, int(ind.weight * 100)) + 1, 2000)
    return score * ind.base / ind.weight if ind.weight else ind.base


def projects(seed: int, cases: int, per_case: int) -> Iterator[tuple[Case, list[str]]]:
    """`cases` rulesets, each with `per_case` projects, reproducibly from `seed`."""
    rng = random.Random(seed)
    for _ in range(cases):
        c = case(rng)
        yield c, [project(rng, c) for _ in range(per_case)]
