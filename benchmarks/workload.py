"""The benchmark workload: two rulesets, generated projects, and hand-written exact references.

Both rulesets are described once as a list of `Spec`s; the ruleset text, the actual-value CSV and the
hand-written `Decimal` reference are all derived from it, so the engine and the references score the
same projects by the same rules (the harness counts every disagreement).

- "seed": the shape of the bundled seed table (17 indicators, a derived 预算执行率 truncated to 2
  digits, qualitative words, 1.1万人), under rulesets/standard/central.
- "twenty": 20 indicators using ≥, ≤, = (target 0), implicit-≥ percentages, qualitative words, a
  deadline and the budget block, under rulesets/standard/central.

Generated values hit rounding edges on purpose: scores that land exactly on a half cent, divisions by
3, 7 and 120, 100.005% and 99.995%, a target of 0, caps above the target.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CENT = Decimal("0.01")
RATE_DIGITS = Decimal("0.0001")  # 执行率 rounded to 2 decimals of a percent
HEADER = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施"

# Fixed points of the policy's qualitative scales (rulesets/standard/central.jx).
WORD_POINTS = {
    "合理": Decimal(1), "基本合理": Decimal("0.8"), "不合理": Decimal(0),
    "健全": Decimal(1), "基本健全": Decimal("0.8"), "不健全": Decimal(0),
    "合规": Decimal(1), "基本合规": Decimal("0.8"), "不合规": Decimal(0),
    "有效": Decimal(1), "基本有效": Decimal("0.8"), "无效": Decimal(0),
    "完备": Decimal(1), "基本完备": Decimal("0.8"), "不完备": Decimal(0),
    "可控": Decimal(1), "基本可控": Decimal("0.8"), "不可控": Decimal(0),
    "规范": Decimal(1), "基本规范": Decimal("0.8"), "不规范": Decimal(0),
    "显著": Decimal(1), "较显著": Decimal("0.8"), "不显著": Decimal(0),
    "有效保障": Decimal(1), "基本保障": Decimal("0.8"), "未保障": Decimal(0),
    "有效提高": Decimal(1), "有所提高": Decimal("0.8"), "未提高": Decimal(0),
}  # fmt: skip
# Each target word's scale: the words an actual may use, three per scale, in WORD_POINTS' order.
_WORDS = list(WORD_POINTS)
SCALES = {_WORDS[i]: _WORDS[i : i + 3] for i in range(0, len(_WORDS), 3)}


@dataclass(frozen=True)
class Spec:
    """One indicator: where it sits, its target as written, its weight, and how actuals are drawn."""

    level1: str
    level2: str
    name: str
    target: str  # as written in the ruleset (≥1.1万人, ≤90万元, =0起, 100%, 合理, 12月底前)
    weight: Decimal
    kind: str  # ge, le, eq0, word, deadline, rate (the derived 预算执行率)
    base: Decimal = Decimal(0)  # the target in base units (人, 元, 个, fraction for %)
    unit: str = ""  # the unit actual values are written in
    unit_scale: Decimal = Decimal(1)  # base units per written unit (万人 → 10000, % → 0.01)


def _spec(level1: str, level2: str, name: str, target: str, weight: str) -> Spec:
    """A Spec whose kind, base value and unit are read from its target text."""
    w = Decimal(weight)
    if target.endswith("前"):
        return Spec(level1, level2, name, target, w, "deadline")
    match = re.fullmatch(r"(≥|≤|=)?([0-9.]+)(万)?(.*)", target)
    if match is None:
        return Spec(level1, level2, name, target, w, "word")
    sign, number, wan, unit = match.groups()
    scale = Decimal("0.01") if unit == "%" else Decimal(10000) if wan else Decimal(1)
    kind = {"≥": "ge", "≤": "le", "=": "eq0", None: "ge"}[sign]
    return Spec(level1, level2, name, target, w, kind, Decimal(number) * scale, (wan or "") + unit, scale)


SEED: tuple[Spec, ...] = (
    Spec("投入和管理目标", "投入管理", "预算执行率", "100%", Decimal(1), "rate", Decimal(1), "%", CENT),
    _spec("投入和管理目标", "投入管理", "预算编制合理性", "合理", "1"),
    _spec("投入和管理目标", "投入管理", "预算资金到位情况", "100%", "1"),
    _spec("投入和管理目标", "财务管理", "财务管理制度健全性", "健全", "1"),
    _spec("投入和管理目标", "财务管理", "资金使用规范性", "合规", "1"),
    _spec("投入和管理目标", "财务管理", "财务监控有效性", "有效", "1"),
    _spec("投入和管理目标", "项目管理", "合同管理完备性", "完备", "1"),
    _spec("投入和管理目标", "项目管理", "项目质量可控性", "可控", "1"),
    _spec("投入和管理目标", "项目管理", "政府采购规范性", "规范", "1"),
    _spec("投入和管理目标", "项目管理", "项目管理制度健全性", "健全", "1"),
    _spec("产出指标", "数量指标", "享受补贴人数", "≥1.1万人", "20"),
    _spec("产出指标", "质量指标", "资金发放准确率", "100%", "10"),
    _spec("产出指标", "时效指标", "资金发放及时率", "100%", "10"),
    _spec("效益指标", "社会效益", "保障群众基本生活", "有效保障", "10"),
    _spec("效益指标", "经济效益", "提高群众生活水平", "有效提高", "10"),
    _spec("效益指标", "可持续影响", "维护社会稳定和保障民生", "显著", "10"),
    _spec("满意度指标", "服务对象满意度", "享受补贴群众满意度", "100%", "10"),
)

TWENTY: tuple[Spec, ...] = (
    _spec("投入和管理目标", "投入管理", "预算编制合理性", "合理", "2"),
    _spec("投入和管理目标", "投入管理", "财务制度健全性", "健全", "2"),
    _spec("投入和管理目标", "投入管理", "资金使用合规性", "合规", "2"),
    _spec("产出指标", "数量指标", "受益人数", "≥1.1万人", "5"),
    _spec("产出指标", "数量指标", "培训人次", "≥120人次", "5"),
    _spec("产出指标", "数量指标", "新建项目数", "≥7个", "4"),
    _spec("产出指标", "数量指标", "覆盖户数", "≥300户", "4"),
    _spec("产出指标", "质量指标", "发放准确率", "100%", "5"),
    _spec("产出指标", "质量指标", "验收合格率", "≥95%", "5"),
    _spec("产出指标", "质量指标", "安全事故", "=0起", "5"),
    _spec("产出指标", "时效指标", "完成时间", "12月底前", "5"),
    _spec("产出指标", "时效指标", "资金发放及时率", "100%", "3"),
    _spec("产出指标", "成本指标", "项目总成本", "≤90万元", "5"),
    _spec("产出指标", "成本指标", "单位运营成本", "≤3万元", "4"),
    _spec("效益指标", "社会效益", "保障群众基本生活", "有效保障", "6"),
    _spec("效益指标", "社会效益", "群众生活水平", "有效提高", "6"),
    _spec("效益指标", "经济效益", "带动就业人数", "≥700人", "6"),
    _spec("效益指标", "可持续影响", "长效机制", "健全", "6"),
    _spec("满意度指标", "服务对象满意度", "群众满意度", "≥90%", "5"),
    _spec("满意度指标", "服务对象满意度", "受益对象满意度", "≥95%", "5"),
)

RULESETS = {"seed": SEED, "twenty": TWENTY}


def ruleset_text(specs: Sequence[Spec], indicators: int | None = None) -> str:
    """The ruleset of `specs` (repeated with numbered names up to `indicators`, for load growth)."""
    # a general ruleset (通用): long tables name their projects 项目0, 项目1 … (no F112, engine/identity.py)
    lines = ['项目 "基准项目（通用）" 年度 2020 {\n  采用 "standard/central"\n  金额单位 万元']
    rows = list(_numbered(specs, indicators)) if indicators else [(s, s.name, s.weight) for s in specs]
    groups: dict[tuple[str, str], list[str]] = {}
    for spec, name, weight in rows:
        actual = "  实际 = 执行率  舍入 截断 2位" if spec.kind == "rate" else ""
        line = f"    {name}  目标 {spec.target}  分值 {weight}{actual}"
        groups.setdefault((spec.level1, spec.level2), []).append(line)
    for (level1, level2), members in groups.items():
        lines += [f"  {level1} / {level2} {{", *members, "  }"]
    return "\n".join([*lines, "}", ""])


def _numbered(specs: Sequence[Spec], count: int) -> list[tuple[Spec, str, Decimal]]:
    """`count` indicators cycling through the non-derived specs, weights summing to 90."""
    usable = [s for s in specs if s.kind != "rate"]
    weight = Decimal(90) / count
    rows = [(usable[i % len(usable)], f"{usable[i % len(usable)].name}{i}", weight) for i in range(count)]
    return [(s, n, w.quantize(Decimal("0.000001")) if w != w.to_integral() else w) for s, n, w in rows]


# -- projects ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Project:
    """One generated project: budget amounts (万元) and one actual cell per spec."""

    annual: Decimal
    executed: Decimal
    cells: tuple[str, ...]


def _amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(10_000, 2_000_000)) / 100


def _cell(spec: Spec, rng: random.Random, rate: Decimal) -> str:
    if spec.kind == "rate":
        return f"{(rate * 100).quantize(CENT, ROUND_HALF_UP)}%"
    if spec.kind == "word":
        return rng.choice(SCALES[spec.target])
    if spec.kind == "deadline":
        return rng.choice(["2020年12月20日", "2020年12月31日", "2021年1月5日", "2020年11月3日"])
    if spec.kind == "eq0":
        return f"{rng.choice([0, 0, 0, 1, 2])}{spec.unit}"
    if spec.unit == "%":
        edge = ["100.005", "99.995", "100", "87.5", "66.67", "95", "120.5"]
        value = rng.choice([*edge, str(Decimal(rng.randint(5000, 12000)) / 100)])
        return f"{value}%"
    written = spec.base / spec.unit_scale
    factor = Decimal(rng.choice([3, 7, 120, 97, 100, 101, 130, 66, 250])) / 100
    value = (written * factor).quantize(Decimal("0.001") if spec.unit_scale > 1 else Decimal(1))
    return f"{value.normalize():f}{spec.unit}"


def project(specs: Sequence[Spec], rng: random.Random) -> Project:
    annual = _amount(rng)
    executed = min(annual * Decimal(rng.randint(50, 105)) / 100, annual * 2).quantize(CENT)
    rate = executed / annual
    return Project(annual, executed, tuple(_cell(s, rng, rate) for s in specs))


def projects(specs: Sequence[Spec], count: int, seed: int = 20201231) -> list[Project]:
    rng = random.Random(seed)
    return [project(specs, rng) for _ in range(count)]


def csv_text(specs: Sequence[Spec], p: Project) -> str:
    rows = [
        HEADER,
        f"预算执行,年度资金总额,全年预算数,{p.annual},",
        f"预算执行,年度资金总额,全年执行数,{p.executed},",
    ]
    rows += [f"{s.level1},{s.level2},{s.name},{cell},说明" for s, cell in zip(specs, p.cells, strict=True)]
    return "\n".join(rows) + "\n"


# -- the hand-written exact Decimal reference -----------------------------------------------------------
Values = tuple[Decimal, Decimal, tuple[Decimal | str, ...]]  # 全年预算数, 全年执行数, one value per spec
_NUMBER = re.compile(r"([0-9.]+)(万)?(.*)")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def parse_cell(spec: Spec, cell: str) -> Decimal | str:
    """An actual cell in base units (as the engine reads it), or the word / ISO date."""
    if spec.kind == "word":
        return cell
    if spec.kind == "deadline":
        match = _DATE.fullmatch(cell)
        assert match is not None, cell
        year, month, day = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    match = _NUMBER.fullmatch(cell)
    assert match is not None, cell
    number, wan, unit = match.groups()
    scale = Decimal("0.01") if unit == "%" else Decimal(10000) if wan else Decimal(1)
    return Decimal(number) * scale


def parsed(specs: Sequence[Spec], p: Project) -> Values:
    return p.annual, p.executed, tuple(parse_cell(s, c) for s, c in zip(specs, p.cells, strict=True))


def decimal_total(specs: Sequence[Spec], values: Values) -> Decimal:
    """The project's total by the hand-written loop: exact Decimal, rounding where the policy rounds."""
    annual, executed, cells = values
    rate = (executed / annual).quantize(RATE_DIGITS, ROUND_HALF_UP)
    total = (Decimal(10) * min(rate, Decimal(1))).quantize(CENT, ROUND_HALF_UP)
    for spec, value in zip(specs, cells, strict=True):
        total += _indicator(spec, value, rate)
    return total.quantize(CENT, ROUND_HALF_UP)


def _indicator(spec: Spec, value: Decimal | str, rate: Decimal) -> Decimal:
    w = spec.weight
    if spec.kind == "rate":  # 实际 = 执行率, 舍入 截断 2位
        return (w if rate >= 1 else w * rate).quantize(CENT, ROUND_DOWN)
    if isinstance(value, str):
        met = value <= "2020-12-31" if spec.kind == "deadline" else None
        score = (w if met else Decimal(0)) if met is not None else w * WORD_POINTS[value]
        return score.quantize(CENT, ROUND_HALF_UP)
    t = spec.base
    if spec.kind == "ge":
        score = w if value >= t else w * value / t
    elif spec.kind == "le":
        score = w if value <= t else w * t / value
    else:  # =0: full when the actual is ≤ 0
        score = w if value <= 0 else Decimal(0)
    return score.quantize(CENT, ROUND_HALF_UP)


def csv_decimal_total(specs: Sequence[Spec], text: str) -> Decimal:
    """CSV text → total with the csv module and the Decimal loop (the reference for text input)."""
    rows = list(csv.reader(io.StringIO(text)))
    annual, executed = Decimal(rows[1][3]), Decimal(rows[2][3])
    cells = tuple(parse_cell(s, row[3]) for s, row in zip(specs, rows[3:], strict=True))
    return decimal_total(specs, (annual, executed, cells))
