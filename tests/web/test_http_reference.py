"""The error reference the workbench serves at /errors: docs/errors.md from inside the package, one anchor
per code of the message catalog, every character of the document escaped, no request leaving the server."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
from serving import client_fixture, needs_web, server_fixture  # noqa: F401 (the session's server)

from jixiao.messages import CATALOG
from jixiao.web.reference import _inline, reference_text

pytestmark = needs_web


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.ids += [value for name, value in attrs if name == "id" and value]


def test_every_code_has_its_entry(client: httpx.Client) -> None:
    response = client.get("/errors")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page = Anchors()
    page.feed(response.text)
    codes = {code for code in CATALOG if re.fullmatch(r"[EWF]\d{3}", code)}
    assert set(page.ids) == codes and len(page.ids) == len(codes)
    assert page.tags <= {"html", "head", "meta", "title", "link", "body", "main", "h1", "h2", "h3", "p", "pre",
                         "code", "em", "strong"}  # fmt: skip
    assert '<h3 id="E401">E401</h3>\n<p>各指标分值合计 {sum}，应为 {expected}</p>' in response.text


def test_the_page_is_the_shipped_document() -> None:
    assert reference_text().startswith("# 错误代码 / Error codes")


def test_markup_in_the_document_is_shown_as_text() -> None:
    assert _inline("a <b> `<script>` *x<y* [cli.md](cli.md#a)") == (
        "a &lt;b&gt; <code>&lt;script&gt;</code> <em>x&lt;y</em> cli.md"
    )
