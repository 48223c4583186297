"""A made-up district bureau: 20 project rulesets for 2023 and for 2024, their policy, and actual values.

Known differences between `2023/` and `2024/` (every project's 年度 changes too):
- the bureau's policy `bureau.jx` moves the qualitative bands from 80/60 to 80/50, with the fixed point of
  部分达成 from 60% to 50% (未达成 stays at 0%);
- p03 raises a target (完成数量 ≥100个 → ≥120个);
- p05 moves 5 points of weight from 验收合格率 (20 → 15) to 服务对象满意度 (20 → 25);
- p07 renames an indicator (群众受益情况 → 群众获得感);
- p11's file is renamed (p11.jx → p11b.jx), its project name stays;
- p20 is removed and p21 added;
- the policy cites the same 依据 both years (a change of it would be reported: tests/test_diff_sources.py);
- p04 and p09 declare their own scale 达成度 (so the policy's change does not reach them), p13 uses the
  national policy directly (not the bureau's).

`actuals/` holds the 2024 actual values (named by file, p11.csv by the old file name).
Run as a script to write the bureau into a folder: `python tests/bureau.py DIR`.
"""

from __future__ import annotations

import sys
from pathlib import Path

NAMES = (
    "城乡居民养老补助",
    "农村道路养护",
    "义务教育营养餐",
    "社区卫生服务",
    "高标准农田建设",
    "公共文化服务",
    "困难群众救助",
    "农村饮水安全",
    "就业技能培训",
    "老旧小区改造",
    "城市道路照明",
    "河道综合治理",
    "残疾人康复服务",
    "森林防火",
    "基层党建阵地",
    "垃圾分类处理",
    "中小学校舍维修",
    "乡村振兴示范村",
    "公共法律服务",
    "食品安全抽检",
    "智慧社区建设",
)

POLICY = """评分办法 "某区项目支出绩效自评" {{
  采用 "standard/central"
  依据 "区财绩〔2022〕1号（示例）"

  量表 达成度 {{
    达成 | 达成年度指标 | 达成预期指标         [80%,100%]  取 100%
    部分达成 | 部分达成年度指标并具有一定效果  [{low}%,80%)   取 {low}%
    未达成 | 未达成年度指标且效果较差          [0%,{low}%)    取 0%
  }}
}}
"""

OWN_SCALE = """
  量表 达成度 {{
    达成 | 达成年度指标 | 达成预期指标         [80%,100%]  取 100%
    部分达成 | 部分达成年度指标并具有一定效果  [60%,80%)   取 {point}%
    未达成 | 未达成年度指标且效果较差          [0%,60%)    取 0%
  }}
"""

PROJECT = """项目 "{name}" 年度 {year} {{
  采用 "{policy}"
  金额单位 万元
{scale}
  产出指标 / 数量指标 {{
    完成数量  目标 ≥{target}个  分值 30
  }}
  产出指标 / 质量指标 {{
    验收合格率  目标 ≥95%  分值 {quality}
  }}
  效益指标 / 社会效益 {{
    {benefit}  目标 达成预期指标  分值 20
  }}
  满意度指标 / 服务对象满意度 {{
    服务对象满意度  目标 ≥90%  分值 {satisfaction}
  }}
}}
"""

# 2024 actual values: (executed of 100万元, 完成数量, 验收合格率, 群众受益, 满意度); the rest as DEFAULT
DEFAULT = ("100", "100个", "96%", "达成", "95%")
ACTUALS = {
    2: ("100", "100个", "96%", "部分达成", "86.4%"),
    3: ("100", "110个", "96%", "达成", "95%"),
    4: ("100", "100个", "96%", "部分达成", "95%"),
    5: ("100", "100个", "96%", "达成", "81%"),
    6: ("95", "100个", "96%", "部分达成", "95%"),
    8: ("100", "100个", "96%", "部分达成", "72%"),
    9: ("100", "100个", "96%", "部分达成", "95%"),
    10: ("100", "100个", "76%", "部分达成", "90%"),
    12: ("100", "90个", "96%", "部分达成", "95%"),
    13: ("100", "100个", "96%", "100%", "95%"),
    14: ("100", "60个", "96%", "部分达成", "95%"),
    16: ("100", "100个", "96%", "部分达成", "95%"),
    17: ("100", "100个", "96%", "未达成", "95%"),
}


def project(number: int, year: int) -> str:
    new = year == 2024
    return PROJECT.format(
        name=f"{NAMES[number - 1]}项目",
        year=year,
        policy="standard/central" if number == 13 else "bureau",
        scale=OWN_SCALE.format(point=70 if number == 4 else 60) if number in (4, 9) else "",
        target=120 if new and number == 3 else 100,
        quality=15 if new and number == 5 else 20,
        satisfaction=25 if new and number == 5 else 20,
        benefit="群众获得感" if new and number == 7 else "群众受益情况",
    )


def actuals(number: int) -> str:
    spent, amount, quality, benefit, satisfaction = ACTUALS.get(number, DEFAULT)
    benefit_name = "群众获得感" if number == 7 else "群众受益情况"
    rows = [
        "一级指标,二级指标,三级指标,实际完成值",
        "预算执行,年度资金总额,全年预算数,100",
        f"预算执行,年度资金总额,全年执行数,{spent}",
        f"产出指标,数量指标,完成数量,{amount}",
        f"产出指标,质量指标,验收合格率,{quality}",
        f"效益指标,社会效益,{benefit_name},{benefit}",
        f"满意度指标,服务对象满意度,服务对象满意度,{satisfaction}",
    ]
    return "\n".join(rows) + "\n"


def make_bureau(root: Path) -> Path:
    """Write 2023/, 2024/ and actuals/ under `root`; returns `root`."""
    for year, numbers in ((2023, range(1, 21)), (2024, [*range(1, 20), 21])):
        folder = root / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bureau.jx").write_text(
            POLICY.format(year=year, low=50 if year == 2024 else 60), encoding="utf-8"
        )
        for number in numbers:
            name = "p11b.jx" if year == 2024 and number == 11 else f"p{number:02d}.jx"
            (folder / name).write_text(project(number, year), encoding="utf-8")
    (root / "actuals").mkdir(exist_ok=True)
    for number in range(1, 22):
        (root / "actuals" / f"p{number:02d}.csv").write_text(actuals(number), encoding="utf-8")
    return root


if __name__ == "__main__":
    make_bureau(Path(sys.argv[1]))
