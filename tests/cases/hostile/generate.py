"""Hostile inputs (issue 12): each measured case of "bounded time and memory for any input".

Small cases are committed next to this script, one folder each; the large ones are written by this
script (by `tests/test_hostile.py` into a temporary folder, or by hand:
``python tests/cases/hostile/generate.py OUT``). A case folder holds the inputs (`ruleset.jx`,
`actuals.csv`, `case.test.yaml` + `case.jx`) and `expected.yaml`:

    errors:           # the first errors reported, in order: code, file, line, column (line/column optional)
      - {code: E904, file: ruleset.jx, line: 4, column: 21}
    count: 20000      # optional: how many errors in all

`tests/test_hostile.py` runs each case through the CLI (`score` when there is an actual-value file,
`test` for a test file, else `check`) and asserts the errors, that every diagnostic has a position, and
a wall-time budget generous for a slow machine (a limit on pathological growth, not a benchmark).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
HEADER = "一级指标,二级指标,三级指标,实际完成值,偏差原因分析及改进措施\n"
BUDGET_ROWS = "".join(
    f"预算执行,年度资金总额,{name},{value},\n"
    for name, value in (("年初预算数", "100"), ("全年预算数", "100"), ("全年执行数", "100"))
)

Files = dict[str, str]
Case = tuple[Files, dict[str, object]]


def project(body: str, use: str = '  采用 "standard/central"\n') -> str:
    return f'项目 "x" 年度 2020 {{\n{use}{body}}}\n'


def block(lines: list[str], level1: str = "产出指标", level2: str = "数量指标") -> str:
    inner = "".join(f"    {line}\n" for line in lines)
    return f"  {level1} / {level2} {{\n{inner}  }}\n"


def expect(
    code: str, file: str = "ruleset.jx", line: int | None = None, column: int | None = None
) -> dict[str, object]:
    error: dict[str, object] = {"code": code, "file": file}
    if line is not None:
        error["line"] = line
    if column is not None:
        error["column"] = column
    return error


def single(line: str, *errors: dict[str, object]) -> Case:
    """A project of one indicator line, and the errors it must give."""
    return {"ruleset.jx": project(block([line]))}, {"errors": list(errors)}


# -- numbers and formulas -------------------------------------------------------------------------------------
def digits_in_target() -> Case:
    return single("甲 目标 ≥" + "9" * 5000 + "人 分值 90", expect("E111", line=4, column=510))


def digits_in_weight() -> Case:
    return single("甲 目标 ≥1人 分值 " + "9" * 5000, expect("E905", line=4, column=17))


def digits_in_actual() -> Case:
    ruleset = project(block(["甲 目标 ≥1人 分值 90"]))
    actuals = HEADER + BUDGET_ROWS + "产出指标,数量指标,甲," + "9" * 5000 + "人,\n"
    return {"ruleset.jx": ruleset, "actuals.csv": actuals}, {"errors": [expect("E505", "actuals.csv", 5)]}


def formula_of_4900_terms() -> Case:
    """A sum as long as a line allows is one level of E904 (a chain), and every stage walks it in a loop."""
    formula = f"封顶({'+'.join(['1'] * 4900)} - 4900 + 分值, 分值)"
    ruleset = project(block([f"甲 目标 ≥1人 分值 90 得分 = {formula}"]))
    actuals = HEADER + BUDGET_ROWS + "产出指标,数量指标,甲,1人,\n"
    return {"ruleset.jx": ruleset, "actuals.csv": actuals}, {"errors": [], "total": "100.00"}


def _terms(op: str, template: str, numbers: range) -> str:
    return f" {op} ".join(template.format(i) for i in numbers)


def condition_of_2400_terms() -> Case:
    """A condition `a 或 b 或 …` of 2 400 terms (three named formulas, as long as MAX_FORMULA_NODES allows)
    and `a 且 b 且 …` of 1 600 are one level of E904 each (chains, as a sum is), walked in loops by every
    stage; only the last term of each decides: 实际 = 2399 holds, 实际 ≠ 1600 does not."""
    ors = [_terms("或", "实际 = {}", range(k, k + 800)) for k in (0, 800, 1600)]
    ands = [_terms("且", "实际 ≠ {}", range(k, k + 800)) for k in (1, 801)]
    body = (
        f"  公式 c1 = {ors[0]}\n  公式 c2 = c1 或 {ors[1]}\n  公式 c3 = c2 或 {ors[2]}\n"
        f"  公式 d1 = {ands[0]}\n  公式 d2 = d1 且 {ands[1]}\n"
        f"  需说明 当 非 ({_terms('或', '得分 > {}', range(900))})\n"
        + block(["甲 目标 ≥1人 分值 40 得分 = 如果 c3 则 分值 否则 0"])
        + block(["乙 目标 ≥1人 分值 30 得分 = 如果 d2 则 分值 否则 分值 ÷ 2"], level2="质量指标")
        + block(["满意度 目标 ≥90% 分值 20"], "满意度指标", "服务对象满意度")
    )
    actuals = HEADER + BUDGET_ROWS + "产出指标,数量指标,甲,2399人,\n产出指标,质量指标,乙,1600人,\n"
    actuals += "满意度指标,服务对象满意度,满意度,95%,\n"
    return {"ruleset.jx": project(body), "actuals.csv": actuals}, {"errors": [], "total": "85.00"}


def formula_of_1000_minus_signs() -> Case:
    formula = "- " * 1000 + "1"  # each sign nests the rest: E904, not a chain
    return single(f"甲 目标 ≥1人 分值 90 得分 = {formula}", expect("E904", line=4, column=225))


def formula_of_1000_nots() -> Case:
    ruleset = project("  需说明 当 " + "非 " * 1000 + "得分 < 1\n" + block(["甲 目标 ≥1人 分值 90"]))
    return {"ruleset.jx": ruleset}, {"errors": [expect("E904", line=3, column=209)]}


def formula_of_1000_ifs() -> Case:
    formula = "如果 实际 > 1 则 1 否则 " * 1000 + "0"  # longer than a line may be
    return single(f"甲 目标 ≥1人 分值 90 得分 = {formula}", expect("E903", line=4, column=10001))


def formula_of_200_ifs() -> Case:
    formula = "若 实际>1 则 1 否则 " * 200 + "0"
    return single(f"甲 目标 ≥1人 分值 90 得分 = {formula}", expect("E904", line=4, column=1425))


def formula_of_90_ifs_in_then() -> Case:
    """如果 nested in its 则 side 90 deep: the fast evaluator's `kind` once looked at each 则 twice (2^90
    steps: scoring never ended), and its generated source nested a block a level."""
    formula = "分值"
    for i in range(90):
        formula = f"如果 实际 > {i} 则 ({formula}) 否则 {i}"
    ruleset = project(block([f"甲 目标 ≥1人 分值 90 得分 = {formula}"]))
    actuals = HEADER + BUDGET_ROWS + "产出指标,数量指标,甲,95人,\n"
    return {"ruleset.jx": ruleset, "actuals.csv": actuals}, {"errors": [], "total": "100.00"}


def chain(
    formula: str, count: int, weight: str, last_weight: str, last_actual: str, error: dict[str, object]
) -> Case:
    """Indicators 甲0 … 甲{count}, each derived from the next by `formula` ({n} is the next one's name)."""
    lines = [f"甲{i} 目标 ≥1人 分值 {weight} 实际 = {formula.format(n=f'甲{i + 1}')}" for i in range(count)]
    lines.append(f"甲{count} 目标 ≥1人 分值 {last_weight}")
    actuals = HEADER + BUDGET_ROWS + f"产出指标,数量指标,甲{count},{last_actual},\n"
    return {"ruleset.jx": project(block(lines)), "actuals.csv": actuals}, {"errors": [error]}


def derived_chain_150() -> Case:
    return chain("实际({n})", 150, "0.5", "15", "2人", expect("E906", line=4, column=5))


def derived_squares() -> Case:
    return chain("实际({n}) × 实际({n}) + 1", 29, "3", "3", "7人", expect("E908", line=22, column=26))


def named_formula_chain_1000() -> Case:
    """g1000 written out is a sum of 1001 terms: one chain, one level (no E904), expanded in a loop; but
    every definition is written out (the checks walk each), 1 + 2 + … terms: past 250 000 in all (E912)."""
    lines = [f"  公式 g{i} = g{i - 1} + 1\n" for i in range(1, 1001)]
    body = "  公式 g0 = 实际\n" + "".join(lines) + block(["甲 目标 ≥1人 分值 90 得分 = 封顶(g1000, 分值)"])
    return {"ruleset.jx": project(body)}, {"errors": [expect("E912", line=500, column=3)]}


def named_formula_chain_300() -> Case:
    """A sum of 301 terms through 300 named formulas: one level, scored in a loop."""
    lines = [f"  公式 g{i} = g{i - 1} + 1\n" for i in range(1, 301)]
    body = (
        "  公式 g0 = 实际\n" + "".join(lines) + block(["甲 目标 ≥1人 分值 90 得分 = 封顶(g300 - 300, 分值)"])
    )
    actuals = HEADER + BUDGET_ROWS + "产出指标,数量指标,甲,95人,\n"
    return {"ruleset.jx": project(body), "actuals.csv": actuals}, {"errors": [], "total": "100.00"}


def named_formula_nesting_1000() -> Case:
    """g1000 written out is (((实际 × 2 + 1) × 2 + 1) …): a product inside a sum inside a product, a level
    each (E904 at the first definition past 100 levels)."""
    lines = [f"  公式 g{i} = g{i - 1} × 2 + 1\n" for i in range(1, 1001)]
    body = "  公式 g0 = 实际\n" + "".join(lines) + block(["甲 目标 ≥1人 分值 90 得分 = 封顶(g1000, 分值)"])
    return {"ruleset.jx": project(body)}, {"errors": [expect("E904", line=54, column=3)]}


def named_formula_rows_4k() -> Case:
    count = 4000  # 4 000 rows of 4 095 terms each: 16 million written out, 250 000 more allowed in all
    formulas = "  公式 f0 = 实际\n" + "".join(f"  公式 f{i} = f{i - 1} + f{i - 1}\n" for i in range(1, 12))
    lines = [f"甲{i} 目标 ≥1人 分值 0.01 得分 = 封顶(f11, 分值)" for i in range(count)]
    ruleset = project(formulas + block(lines), use="  总分 40\n")
    return {"ruleset.jx": ruleset}, {"errors": [expect("E912", line=77, column=29)]}


# -- literals -------------------------------------------------------------------------------------------------
def deadline_with_2000_spaces() -> Case:
    return single('甲 目标 "12月' + " " * 2000 + 'x" 分值 90', expect("E111", line=4, column=511))


def deadline_with_490_spaces() -> Case:
    return single('甲 目标 "12月' + " " * 490 + 'x" 分值 90', expect("E111", line=4))


def target_of_32k_commas() -> Case:
    return single("甲 目标 [" + "1," * 16_000 + "1] 分值 90", expect("E903", line=4, column=10001))


def target_of_4k_commas() -> Case:
    return single("甲 目标 [" + "," * 4000 + "] 分值 90", expect("E111", line=4))


def date_cell_99k() -> Case:
    ruleset = project(block(["甲 目标 12月底前 分值 90"], "产出指标", "时效指标"))
    cell = "2020年" + " " * 99_000 + "12月"
    actuals = HEADER + BUDGET_ROWS + f"产出指标,时效指标,甲,{cell},\n"
    files = {"ruleset.jx": ruleset, "actuals.csv": actuals}
    return files, {"errors": [expect("E505", "actuals.csv", 5)]}


# -- size -----------------------------------------------------------------------------------------------------
def semicolons_1mb() -> Case:
    return {"ruleset.jx": project(";" * 1_000_000)}, {"errors": [expect("E903", line=3, column=10001)]}


def semicolon_lines_1mb() -> Case:
    ruleset = project(";\n" * 500_000 + block(["甲 目标 ≥1人 分值 90"]))
    return {"ruleset.jx": ruleset}, {"errors": []}


def semicolons_5mb() -> Case:
    ruleset = project(";\n" * 2_500_000)
    return {"ruleset.jx": ruleset}, {"errors": [expect("E902", line=999_982, column=2)]}


def the_same_use_many_times() -> Case:
    uses = '  采用 "standard/central"\n' * 7000  # 180 KB
    ruleset = project(block(["甲 目标 ≥1人 分值 90"]), use=uses)
    return {"ruleset.jx": ruleset}, {"errors": [expect("E907", line=34, column=3)]}


def indicators_16k() -> Case:
    count = 16_000  # 0.01 each: 160 in all, no policy and no budget block
    lines = [f"甲{i} 目标 ≥{i + 1}人 分值 0.01" for i in range(count)]
    rows = "".join(f"产出指标,数量指标,甲{i},{i + 1}人,\n" for i in range(count))
    ruleset = project(block(lines), use="  总分 160\n")
    return {"ruleset.jx": ruleset, "actuals.csv": HEADER + rows}, {"errors": [], "total": "160"}


def unknown_rows_20k() -> Case:
    ruleset = project(block(["甲 目标 ≥1人 分值 90"]))
    rows = "".join(f"产出指标,数量指标,乙{i},1人,\n" for i in range(20_000))
    actuals = HEADER + BUDGET_ROWS + "产出指标,数量指标,甲,1人,\n" + rows
    files = {"ruleset.jx": ruleset, "actuals.csv": actuals}
    return files, {"errors": [expect("E503", "actuals.csv", 6)], "count": 20_000}


def unknown_rows_4k_by_indicators_4k() -> Case:
    count = 4000
    lines = [f"指标甲{i} 目标 ≥1人 分值 0.0225" for i in range(count)]
    known = "".join(f"产出指标,数量指标,指标甲{i},1人,\n" for i in range(count))
    unknown = "".join(f"产出指标,数量指标,指标乙{i},1人,\n" for i in range(count))
    files = {"ruleset.jx": project(block(lines)), "actuals.csv": HEADER + BUDGET_ROWS + known + unknown}
    return files, {"errors": [expect("E503", "actuals.csv", 4005)], "count": count}


def unknown_references_5k() -> Case:
    count = 5000  # each names 乙0 … 乙6; only 乙0 exists (was 144 s: a scan and a difflib pass per reference)
    lines = [f"甲{i} 目标 ≥1人 分值 0.01 得分 = 得分(乙{i % 7})" for i in range(count)]
    ruleset = project(block([*lines, "乙0 目标 ≥1人 分值 0"]), use="  总分 50\n")
    return {"ruleset.jx": ruleset}, {"errors": [expect("E201", line=5, column=28)], "count": 4286}


GENERATED: dict[str, Callable[[], Case]] = {
    "digits-in-target": digits_in_target,
    "digits-in-weight": digits_in_weight,
    "digits-in-actual": digits_in_actual,
    "formula-4900-terms": formula_of_4900_terms,
    "condition-2400-terms": condition_of_2400_terms,
    "formula-1000-minus-signs": formula_of_1000_minus_signs,
    "formula-1000-nots": formula_of_1000_nots,
    "formula-1000-ifs": formula_of_1000_ifs,
    "formula-200-ifs": formula_of_200_ifs,
    "formula-90-ifs-in-then": formula_of_90_ifs_in_then,
    "derived-chain-150": derived_chain_150,
    "derived-squares": derived_squares,
    "named-formula-chain-1000": named_formula_chain_1000,
    "named-formula-nesting-1000": named_formula_nesting_1000,
    "named-formula-chain-300": named_formula_chain_300,
    "named-formula-rows-4k": named_formula_rows_4k,
    "deadline-2000-spaces": deadline_with_2000_spaces,
    "deadline-490-spaces": deadline_with_490_spaces,
    "target-32k-commas": target_of_32k_commas,
    "target-4k-commas": target_of_4k_commas,
    "csv-date-cell-99k": date_cell_99k,
    "semicolons-1mb": semicolons_1mb,
    "semicolon-lines-1mb": semicolon_lines_1mb,
    "semicolons-5mb": semicolons_5mb,
    "use-7000-times": the_same_use_many_times,
    "indicators-16k": indicators_16k,
    "csv-unknown-rows-20k": unknown_rows_20k,
    "csv-unknown-4k-by-4k": unknown_rows_4k_by_indicators_4k,
    "unknown-references-5k": unknown_references_5k,
}


def write(name: str, into: Path) -> Path:
    """Write the generated case `name` into a new folder under `into`; return the folder."""
    files, expected = GENERATED[name]()
    folder = into / name
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    (folder / "expected.yaml").write_text(yaml.safe_dump(expected, allow_unicode=True), encoding="utf-8")
    return folder


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("hostile-generated")
    for case in GENERATED:
        print(write(case, out))
