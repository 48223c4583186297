"""Results → the scored table as the 自评表 prints it, aligned for Chinese (tabulate's tables, `aligned`).

The terminal table and Markdown show `layout.Sheet`; every cell of user text is one line without
control characters (terminal) or escaped (Markdown), so a note cannot forge a row or a total.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jixiao.engine.results import Result
from jixiao.io.render import safe
from jixiao.io.render.aligned import aligned
from jixiao.io.render.layout import NUMBER_KEYS, Block, Cell, Sheet, label, runs, sheet
from jixiao.messages import Lang

TABLE_FORMAT = "simple"


def render(result: Result, fmt: str, lang: Lang) -> str:
    """`render_result` for "table" and "markdown"."""
    return render_table(result, lang, markdown=fmt == "markdown")


def render_table(result: Result, lang: Lang = "zh", markdown: bool = False) -> str:
    """The scored table for a terminal, or as Markdown (for a report) with `markdown`."""
    return sheet_text(sheet(result, lang), markdown)


def sheet_text(layout: Sheet, markdown: bool = False) -> str:
    escape = safe.markdown if markdown else safe.terminal
    fmt = "github" if markdown else TABLE_FORMAT
    gap = "\n\n" if markdown else "\n"  # Markdown: a line right after a table is another row
    lang = layout.lang
    parts = [_header(layout, escape, markdown)]
    if layout.budget is not None:
        budget = grid(layout.budget, escape, fmt)
        if layout.budget_note:
            budget += f"{gap}{label('note', lang)}{label('colon', lang)}{escape(layout.budget_note)}"
        parts.append(budget)
    block = layout.indicators
    align = tuple("right" if k in NUMBER_KEYS else "left" for k in block.keys)
    indicators = grid(block, escape, fmt, merged=block.merged, align=align)
    parts.append(f"{label('indicators', lang)}{gap}{indicators}")
    parts.append(total_line(layout))
    if layout.findings is not None:
        bullet = "- " if markdown else "  "
        lines = [bullet + "  ".join(escape(c.text) for c in row) for row in layout.findings.rows]
        title = label("findings", lang) + label("colon", lang).rstrip()
        parts.append("\n".join([title, *([""] if markdown else []), *lines]))
    return "\n\n".join(parts) + "\n"


def total_line(layout: Sheet) -> str:
    lang = layout.lang
    pairs = [
        (label("total_weight", lang), layout.total_weight.text),
        (label("total", lang), layout.total.text),
        (label("grade", lang), safe.terminal(layout.grade)),
    ]
    return "    ".join(f"{name} {value}" for name, value in pairs)


def _header(layout: Sheet, escape: Callable[[str], str], markdown: bool) -> str:
    colon = label("colon", layout.lang)
    lines = [f"{name}{colon}{escape(value)}" for name, value in layout.info]
    title = escape(layout.title)
    if markdown:
        return f"### {title}\n\n" + "\n".join(f"- {line}" for line in lines)
    return "\n".join([title, *lines])


def grid(
    block: Block,
    escape: Callable[[str], str],
    fmt: str,
    merged: int = 0,
    align: Sequence[str] | None = None,
) -> str:
    """A block as a tabulate table (`aligned`); the first `merged` columns blank where they repeat the row
    above."""
    rows = [[escape(c.text) for c in row] for row in _merge(block.rows, merged)]
    return aligned([escape(h) for h in block.header], rows, fmt, align)


def _merge(rows: Sequence[tuple[Cell, ...]], merged: int) -> list[tuple[Cell, ...]]:
    """Blank each of the first `merged` cells that repeats the one above (under the same parents)."""
    out = [list(row) for row in rows]
    for col in range(merged):
        for first, last in runs([tuple(c.text for c in row[: col + 1]) for row in rows]):
            for r in range(first + 1, last + 1):
                out[r][col] = Cell("")
    return [tuple(row) for row in out]
