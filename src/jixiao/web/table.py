"""The 自评表 the workbench shows: the layout every writer uses (`io.render.layout.sheet`), as cell text.

The page draws exactly what the xlsx, CSV and HTML downloads hold: the columns a ruleset declares
(绩效目标, 完成情况, 单项得分), 其中 rows indented under their indicator, 小计 rows, 未知 and 不适用
scores, a budget score 「不计入总分」, an incomplete total with the most it could be. The page only
adds what is interactive (click a score for its explanation).
"""

from __future__ import annotations

from jixiao.engine.results import Result
from jixiao.io.render.layout import Block, sheet
from jixiao.messages import Lang
from jixiao.web.models import BlockView, TableView

BUDGET_KEYS = ("name", "initial", "annual", "executed", "rate", "weight", "score")


def table_view(result: Result, lang: Lang) -> TableView:
    layout = sheet(result, lang)
    return TableView(
        title=layout.title,
        info=list(layout.info),
        budget=_block(layout.budget, BUDGET_KEYS) if layout.budget is not None else None,
        budget_note=layout.budget_note,
        indicators=_block(layout.indicators),
        total_weight=layout.total_weight.text,
        total=layout.total.text,
        grade=layout.grade,
        findings=_block(layout.findings) if layout.findings is not None else None,
    )


def _block(block: Block, keys: tuple[str, ...] = ()) -> BlockView:
    return BlockView(
        header=list(block.header),
        keys=list(block.keys or keys),
        rows=[[cell.text for cell in row] for row in block.rows],
        merged=block.merged,
    )
