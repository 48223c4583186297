"""What `jixiao import` prints when it is done: a line per project — the files, the score the generated
ruleset gives the generated actual values beside the table's printed total, the warnings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from jixiao.diagnostics import Diagnostic
from jixiao.io.render import safe
from jixiao.io.render.layout import Block, Cell
from jixiao.io.render.table import grid
from jixiao.messages import Lang, clip
from jixiao.tools.importer.files import Place
from jixiao.tools.importer.settle import Imported

HEADER: dict[str, tuple[str, ...]] = {
    "zh": ("序号", "项目", "规则文件", "实际值文件", "按生成的规则评分", "原表总得分", "警告"),
    "en": (
        "No.",
        "Project",
        "Ruleset",
        "Actual values",
        "Score under the ruleset",
        "Printed total",
        "Warnings",
    ),
}
FAILED = {"zh": "未导入：{code}", "en": "not imported: {code}"}


@dataclass(frozen=True)
class Line:
    """One project of an import run: its name, and the files written or the errors why not."""

    name: str
    imported: Imported | None
    place: Place | None
    errors: Sequence[Diagnostic] = ()


def summary(lines: Sequence[Line], lang: Lang) -> str:
    rows = tuple(_row(index, line, lang) for index, line in enumerate(lines, start=1))
    return grid(Block(HEADER[lang], rows), safe.terminal, "simple")


def _row(index: int, line: Line, lang: Lang) -> tuple[Cell, ...]:
    number = Cell(str(index), Fraction(index), 0)
    if line.imported is None or line.place is None:
        code = line.errors[0].code if line.errors else "?"
        return (
            number,
            Cell(line.name),
            Cell(FAILED[lang].format(code=code)),
            Cell(""),
            Cell(""),
            Cell(""),
            Cell(""),
        )
    result, table = line.imported.result, line.imported.draft.table
    score = f"{result.total.text()} {result.grade or ''}".strip() if result is not None else "—"
    printed = clip(table.printed["总得分"].text) if "总得分" in table.printed else "—"
    warnings = len(line.imported.warnings)
    return (
        number,
        Cell(line.name),
        Cell(str(line.place.ruleset)),
        Cell(str(line.place.actuals)),
        Cell(score),
        Cell(printed),
        Cell(str(warnings), Fraction(warnings), 0),
    )
