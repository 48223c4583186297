"""A diff report as a list of blocks — headings, paragraphs, tables, charts — written as text, Markdown
or a self-contained HTML page. Every report builds blocks once; the three writers lay them out.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

from tabulate import tabulate

from jixiao.messages import Lang


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the report's title


@dataclass(frozen=True)
class Para:
    text: str
    tight: bool = False  # in text, directly under the block before (a note under its table)
    note: bool = False  # Markdown: a quoted note


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    align: tuple[str, ...] | None = None  # None: tabulate decides (numbers to the right)


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str
    file: str | None = None  # Markdown links this file (written beside the report) instead of embedding


Block = Heading | Para | Table | Chart
Texts = dict[str, tuple[str, str]]  # key -> (Chinese, English) templates


def localized(texts: Texts, key: str, lang: Lang, **args: object) -> str:
    """A report's fixed text in the report's language, filled in."""
    zh, en = texts[key]
    return (zh if lang == "zh" else en).format(**args)


def to_text(blocks: list[Block]) -> str:
    out = ""
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Chart):
            continue
        text = _text(block)
        gap = "\n" if _tight(previous, block) else "\n\n"
        out = text if previous is None else out + gap + text
        previous = block
    return out


def _tight(previous: Block | None, block: Block) -> bool:
    return (isinstance(previous, Heading) and previous.level > 1) or (isinstance(block, Para) and block.tight)


def _text(block: Heading | Para | Table) -> str:
    if isinstance(block, Table):
        return _table(block, "simple")
    return block.text


def _table(table: Table, fmt: str, escape: bool = False) -> str:
    rows = [[_md(cell) for cell in row] for row in table.rows] if escape else table.rows
    headers = [_md(h) for h in table.headers] if escape else table.headers
    if table.align is None:
        return str(tabulate(rows, headers, tablefmt=fmt))
    return str(tabulate(rows, headers, tablefmt=fmt, disable_numparse=True, colalign=table.align))


def _md(cell: str) -> str:
    return cell.replace("|", "\\|")


def to_markdown(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append("#" * (block.level + 2) + " " + _md(block.text))
        elif isinstance(block, Para):
            parts.append(("> " if block.note else "") + _md(block.text))
        elif isinstance(block, Table):
            parts.append(_table(block, "github", escape=True))
        else:
            parts.append(f"![{block.alt}]({block.file or data_uri(block.svg)})")
    return "\n\n".join(parts) + "\n"


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


FONTS = '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif'
STYLE = f"""body{{font-family:{FONTS};margin:2em;color:#222}}
table{{border-collapse:collapse;margin:.5em 0 1em}}th,td{{border:1px solid #ccc;padding:.25em .6em}}
th{{background:#f3f3f3}}td{{white-space:nowrap}}p.note{{color:#8a5a00}}"""


def to_html(blocks: list[Block], lang: Lang) -> str:
    """A self-contained page: no script, no stylesheet or font from elsewhere."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "jixiao diff")
    body = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level, 5)
            body.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Para):
            css = ' class="note"' if block.note else ""
            body.append(f"<p{css}>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            body.append(_table(block, "html"))
        else:
            body.append(f'<figure role="img" aria-label="{html.escape(block.alt)}">{block.svg}</figure>')
    head = f'<meta charset="utf-8"><title>{html.escape(title)}</title><style>{STYLE}</style>'
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>{head}</head>\n<body>\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
