"""docs/errors.md lists exactly the codes of the message catalog, and every code the source emits is in it."""

from __future__ import annotations

import re

from conftest import ROOT

from jixiao.messages import CATALOG

DOC = ROOT / "docs" / "errors.md"


def _documented() -> list[str]:
    return re.findall(r"^### ([EWF]\d{3})\s*$", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_every_catalog_code_is_documented_and_nothing_else() -> None:
    documented = _documented()
    assert len(documented) == len(set(documented)), "a code is documented twice"
    catalog = {code for code in CATALOG if re.fullmatch(r"[EWF]\d{3}", code)}  # the rest are helpers
    assert sorted(catalog - set(documented)) == [], "codes missing from docs/errors.md"
    assert sorted(set(documented) - catalog) == [], "docs/errors.md lists codes the catalog does not have"


def test_every_section_has_an_example_and_a_fix() -> None:
    sections = re.split(r"^### ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    for section in sections:
        code = section.split("\n", 1)[0].strip()
        assert "```" in section, f"{code} has no example"
        assert "改法 / Fix:" in section, f"{code} has no fix"


def test_every_code_the_source_emits_is_in_the_catalog() -> None:
    pattern = re.compile(r"[\"']([EWF]\d{3})[\"']")
    emitted = {
        code
        for path in (ROOT / "src" / "jixiao").rglob("*.py")
        if path.name != "messages.py"
        for code in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert sorted(emitted - set(CATALOG)) == []
