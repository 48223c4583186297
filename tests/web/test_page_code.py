"""The workbench runs in Chromium 64, the oldest kernel of the 360 / 奇安信 / UOS browsers staff use
(docs/workbench.md). esbuild lowers the syntax (web/build.mjs: es2017, chrome64) but cannot supply DOM or
library methods a browser lacks, so the page's own code must not call those added after Chromium 64."""

from __future__ import annotations

import re

from serving import ROOT

SOURCE = sorted((ROOT / "web" / "src").glob("*.js"))
NEWER = {  # what the page must not call, and the Chromium that added it
    ".replaceChildren(": 86,
    ".flat(": 69,
    ".flatMap(": 69,
    "Object.fromEntries(": 73,
    ".matchAll(": 73,
    ".replaceAll(": 85,
    ".at(": 92,
    "structuredClone(": 98,
    "Promise.allSettled(": 76,
    "Promise.any(": 85,
    "globalThis": 71,
    ".arrayBuffer()": 76,  # Blob's; main.js reads files with FileReader
}


def test_the_bundle_is_built_for_chromium_64() -> None:
    build = (ROOT / "web" / "build.mjs").read_text(encoding="utf-8")
    assert re.search(r'target:\s*\["es2017",\s*"chrome64"\]', build)


def test_the_page_calls_nothing_newer_than_chromium_64() -> None:
    assert SOURCE
    found = [
        f"{path.name}:{number}: {name} (Chromium {version})"
        for path in SOURCE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for name, version in NEWER.items()
        if name in line
    ]
    assert found == []


def test_a_changes_direction_is_named_as_the_vocabulary_names_it() -> None:
    """/v1/diff's directions (提高, 降低, 先后取决于年度) come from /v1/vocabulary: a direction the page did
    not know was shown as 降低."""
    main = (ROOT / "web" / "src" / "main.js").read_text(encoding="utf-8")
    assert "state.vocabulary.change_directions[c.direction]" in main
    assert '"raised" ?' not in main
