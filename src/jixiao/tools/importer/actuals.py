"""A draft's actual values as the CSV `jixiao score` reads: the budget rows, then a row per indicator.

Names are written on one line as in the ruleset (`cells`); values as the table printed them
(`约发放人数1.11万人`, `93.76%`, `合理`); amounts with at least two decimals, in the table's money
unit (the ruleset's 金额单位). A row scored by its printed score (方法 认定), or whose actual is a
band word the evaluator scores (its target kept), carries the printed score in 调整得分 with the
reason 原表得分. Notes are made safe for a spreadsheet.
"""

from __future__ import annotations

import csv
import io

from jixiao.engine.actuals import BudgetFigure
from jixiao.io.render.safe import spreadsheet
from jixiao.language.rounding import decimal_places, format_fixed
from jixiao.tools.importer.cells import cell_text, csv_cell
from jixiao.tools.importer.draft import Draft, Row

HEADER = ["一级指标", "二级指标", "三级指标", "实际完成值", "偏差原因分析及改进措施"]
ASSERTED = ["调整得分", "调整理由"]
BUDGET_LEVEL = "预算执行"
REASON = "原表得分"


def actuals_text(draft: Draft) -> str:
    """The CSV text (with "\\n" line ends; the caller encodes it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    asserted = any(r.asserted or r.judged for r in draft.rows)
    writer.writerow(HEADER + (ASSERTED if asserted else []))
    for index, figure in enumerate(draft.table.budget):
        note = draft.table.budget_note if index == 0 else ""
        writer.writerow(_budget_row(figure, note) + (["", ""] if asserted else []))
    for row in draft.counted_and_breakdowns:
        writer.writerow(_row(row) + (_asserted(row) if asserted else []))
    return out.getvalue()


def csv_lines(draft: Draft) -> dict[int, Row]:
    """The line of the CSV each row is written on (1-based; the header is line 1)."""
    first = 2 + len(draft.table.budget)
    return {first + index: row for index, row in enumerate(draft.counted_and_breakdowns)}


def _budget_row(figure: BudgetFigure, note: str) -> list[str]:
    number = figure.quantity.number
    amount = format_fixed(number, max(decimal_places(number) or 0, 2))
    return [BUDGET_LEVEL, figure.row, figure.figure, amount, spreadsheet(csv_cell(note))]


def _row(row: Row) -> list[str]:
    name = f"其中：{cell_text(row.name)}" if row.breakdown else cell_text(row.name)
    cells = row.entry.row
    note = spreadsheet(csv_cell(cells.note))
    return [cell_text(row.level1), cell_text(row.level2), name, csv_cell(cells.actual), note]


def _asserted(row: Row) -> list[str]:
    printed = row.printed
    if not (row.asserted or row.judged) or printed is None:
        return ["", ""]
    return [printed.text(), REASON]
