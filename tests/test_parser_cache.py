"""The built parser is kept in the user's cache folder, and built again when the grammar changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_RULESET

from jixiao.language import parser
from jixiao.language.parser import parse
from jixiao.resources import cache_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    parser._lark.cache_clear()
    yield tmp_path / "cache"
    parser._lark.cache_clear()


def test_the_parser_is_cached_and_the_cached_one_parses_the_same(cache: Path) -> None:
    text = SEED_RULESET.read_text(encoding="utf-8")
    built = parse(text, "seed.jx")
    (stored,) = cache.glob("parser-*.lark")
    parser._lark.cache_clear()
    assert parse(text, "seed.jx") == built  # loaded from the file this time
    assert list(cache.glob("parser-*.lark")) == [stored]


def test_another_grammar_is_another_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parser._lark()
    grammar = parser.grammar_text()
    monkeypatch.setattr(parser, "grammar_text", lambda: grammar + "\n// changed\n")
    parser._lark.cache_clear()
    parser._lark()
    assert len(list(cache.glob("parser-*.lark"))) == 2


def test_a_damaged_cache_file_is_built_again(cache: Path) -> None:
    parser._lark()
    (stored,) = cache.glob("parser-*.lark")
    stored.write_bytes(stored.read_bytes()[:200])
    parser._lark.cache_clear()
    assert parse(SEED_RULESET.read_text(encoding="utf-8"), "seed.jx").name


def test_no_cache_when_the_folder_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(blocker / "cache"))
    assert cache_dir() is None
    monkeypatch.setenv("JIXIAO_CACHE_DIR", "")
    assert cache_dir() is None
