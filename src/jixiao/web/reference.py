"""The error reference as a page of the workbench: docs/errors.md, shipped in the package, as HTML.

The wheel carries docs/errors.md as `jixiao/docs/errors.md` (pyproject's force-include, no symlink); a
checkout reads the repository's copy. The page is rendered here, once, from the few Markdown forms that
file uses — headings, paragraphs, fenced examples, `code`, *emphasis*, **strong**, links — with every
character of the text escaped. Each `### E401` heading becomes `<h3 id="E401">`, so a diagnostic's code
links to `/errors#E401`. Links to the other documents are shown as their text: only this one is served.
"""

from __future__ import annotations

import functools
import html
import re

from jixiao.resources import data_dir

REFERENCE = "errors.md"
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\([^)]*\)")
_HEADING = re.compile(r"^(#{1,3}) (.+)$")
_CODE = re.compile(r"^[EWF]\d{3}$")


def reference_text() -> str:
    return data_dir("docs").joinpath(REFERENCE).read_text(encoding="utf-8")


@functools.cache
def reference_page() -> str:
    """The whole reference as one HTML document (the workbench's stylesheet, no script)."""
    body = "\n".join(_blocks(reference_text()))
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>错误代码 / Error codes — jixiao</title>"
        '<link rel="stylesheet" href="/static/app.css"></head>\n'
        f'<body class="reference"><main>\n{body}\n</main></body></html>\n'
    )


def _blocks(text: str) -> list[str]:
    out: list[str] = []
    paragraph: list[str] = []
    fence: list[str] | None = None
    for line in text.splitlines():
        if fence is not None:
            if line.startswith("```"):
                out.append(f"<pre>{html.escape(chr(10).join(fence))}</pre>")
                fence = None
            else:
                fence.append(line)
            continue
        if line.startswith("```") or not line.strip() or _HEADING.match(line):
            _flush(paragraph, out)
        if line.startswith("```"):
            fence = []
        elif heading := _HEADING.match(line):
            out.append(_heading(len(heading.group(1)), heading.group(2).strip()))
        elif line.strip():
            paragraph.append(line.strip())
    _flush(paragraph, out)
    if fence is not None:
        out.append(f"<pre>{html.escape(chr(10).join(fence))}</pre>")
    return out


def _heading(level: int, title: str) -> str:
    anchor = f' id="{title}"' if _CODE.match(title) else ""
    return f"<h{level}{anchor}>{_inline(title)}</h{level}>"


def _flush(paragraph: list[str], out: list[str]) -> None:
    if paragraph:
        out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
        paragraph.clear()


def _inline(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _INLINE.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        code, strong, emphasis, link = match.groups()
        if code is not None:
            parts.append(f"<code>{html.escape(code)}</code>")
        elif strong is not None:
            parts.append(f"<strong>{html.escape(strong)}</strong>")
        elif emphasis is not None:
            parts.append(f"<em>{html.escape(emphasis)}</em>")
        else:
            parts.append(html.escape(link))
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)
