"""Results → a standalone, printable HTML page in the 自评表 layout.

One file, nothing fetched: the style is inline, no script, no font or image from elsewhere, and a
Content-Security-Policy that forbids loading anything. Level cells are merged with rowspan as in the
printed table; printing gives A4 landscape. User text is escaped (`safe.html_text`).
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.engine.results import Result
from jixiao.io.render.layout import Block, Cell, Sheet, label, runs, sheet
from jixiao.io.render.safe import html_text
from jixiao.messages import Lang

STYLE = """
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", serif;
       font-size: 10.5pt; margin: 1.5em; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0.4em 0; }
h2 { font-size: 12pt; margin: 1.2em 0 0.4em; }
table { border-collapse: collapse; width: 100%; margin: 0 0 0.8em; }
th, td { border: 1px solid #000; padding: 2px 5px; vertical-align: middle; }
th { background: #d9d9d9; font-weight: bold; text-align: center; }
td.num { text-align: right; white-space: nowrap; }
td.level { text-align: center; }
td.label { font-weight: bold; width: 9em; }
tr.total td { font-weight: bold; }
section.project { break-after: page; }
section.project:last-child { break-after: auto; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; } thead { display: table-header-group; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def render(result: Result, fmt: str, lang: Lang) -> str:
    """`render_result` for "html"."""
    return render_html(result, lang)


def render_html(result: Result, lang: Lang = "zh") -> str:
    """One project's scored table as a standalone HTML page."""
    layout = sheet(result, lang)
    return page(layout.title, [sheet_html(layout)], lang)


def page(title: str, sections: Sequence[str], lang: Lang) -> str:
    head = (
        f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n<style>{STYLE}</style>"
    )
    body = "\n".join(sections)
    language = "zh-CN" if lang == "zh" else "en"
    document = f'<html lang="{language}">\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n'
    return "<!DOCTYPE html>\n" + document


def sheet_html(layout: Sheet, anchor: str = "") -> str:
    """One project as a <section>: title, particulars, budget block, indicators, total, findings."""
    lang = layout.lang
    ident = f' id="{html_text(anchor)}"' if anchor else ""
    parts = [f'<section class="project"{ident}>', f"<h1>{html_text(layout.title)}</h1>"]
    info = "".join(
        f'<tr><td class="label">{html_text(k)}</td><td>{html_text(v)}</td></tr>' for k, v in layout.info
    )
    parts.append(f"<table>{info}</table>")
    if layout.budget is not None:
        note = [(label("note", lang), layout.budget_note)] if layout.budget_note else []
        parts.append(table(layout.budget, notes=note))
    parts.append(f"<h2>{html_text(label('indicators', lang))}</h2>")
    parts.append(table(layout.indicators, merged=layout.indicators.merged, total=_total_row(layout)))
    if layout.findings is not None:
        parts.append(f"<h2>{html_text(label('findings', lang))}</h2>")
        parts.append(table(layout.findings))
    parts.append("</section>")
    return "\n".join(parts)


def table(
    block: Block,
    merged: int = 0,
    total: str = "",
    notes: Sequence[tuple[str, str]] = (),
    links: Sequence[str] = (),
) -> str:
    """A block as a <table>; the first `merged` columns span the rows they head; `links` wrap column 1."""
    head = "".join(f"<th>{html_text(h)}</th>" for h in block.header)
    spans = _spans(block, merged)
    rows = []
    for r, cells in enumerate(block.rows):
        tds = []
        for c, cell in enumerate(cells):
            if c < merged:
                if (r, c) not in spans:
                    continue
                tds.append(f'<td class="level" rowspan="{spans[(r, c)]}">{html_text(cell.text)}</td>')
            elif c == 1 and r < len(links):
                tds.append(f'<td><a href="{html_text(links[r])}">{html_text(cell.text)}</a></td>')
            else:
                tds.append(_td(cell))
        rows.append("<tr>" + "".join(tds) + "</tr>")
    width = len(block.header)
    for name, text in notes:
        note = f'<td class="label">{html_text(name)}</td><td colspan="{width - 1}">{html_text(text)}</td>'
        rows.append(f"<tr>{note}</tr>")
    body = "\n".join(rows) + total
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _td(cell: Cell) -> str:
    numeric = ' class="num"' if cell.value is not None else ""
    return f"<td{numeric}>{html_text(cell.text)}</td>"


def _spans(block: Block, merged: int) -> dict[tuple[int, int], int]:
    """(row, column) → rowspan for the first cell of each run of equal level cells."""
    out: dict[tuple[int, int], int] = {}
    for col in range(merged):
        keys = [tuple(c.text for c in cells[: col + 1]) for cells in block.rows]
        for first, last in runs(keys):
            out[(first, col)] = last - first + 1
    return out


def _total_row(layout: Sheet) -> str:
    """总分值 / 总得分 under the weight and score columns, the grade after them."""
    lang = layout.lang
    block = layout.indicators
    weight, score = block.column("weight"), block.column("score")
    name = f"{label('total_weight', lang)} / {label('total', lang)}"
    grade = f"{label('grade', lang)}{label('colon', lang)}{layout.grade}"
    between = score - weight - 1  # the item score column, when declared, sits between them
    gap = f'<td colspan="{between}"></td>' if between > 0 else ""
    rest = len(block.keys) - score - 1
    return (
        f'\n<tr class="total"><td colspan="{weight}">{html_text(name)}</td>{_td(layout.total_weight)}'
        f'{gap}{_td(layout.total)}<td colspan="{max(rest, 1)}">{html_text(grade)}</td></tr>'
    )
