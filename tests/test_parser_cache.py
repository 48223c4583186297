"""The built parser is kept in the user's cache folder, and built again when the grammar changes."""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SEED_RULESET
from lark import Lark

from jixiao.diagnostics import JixiaoError
from jixiao.language import scanners, syntax
from jixiao.language.parser import parse_lenient
from jixiao.resources import cache_dir, grammar_text


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    syntax._lark.cache_clear()
    yield tmp_path / "cache"
    syntax._lark.cache_clear()


def test_the_parser_is_cached_and_the_cached_one_parses_the_same(cache: Path) -> None:
    text = SEED_RULESET.read_text(encoding="utf-8")
    built = syntax._lark().parse(text)
    (stored,) = cache.glob("parser-*.lark")
    syntax._lark.cache_clear()
    assert syntax._lark().parse(text) == built  # loaded from the file this time
    assert list(cache.glob("parser-*.lark")) == [stored]


def test_another_grammar_is_another_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syntax._lark()
    grammar = syntax.grammar_text()
    monkeypatch.setattr(syntax, "grammar_text", lambda: grammar + "\n// changed\n")
    syntax._lark.cache_clear()
    syntax._lark()
    assert len(list(cache.glob("parser-*.lark"))) == 2


def test_a_damaged_cache_file_is_built_again(cache: Path) -> None:
    syntax._lark()
    for stored in [*cache.glob("parser-*.lark"), *cache.glob("parser-*.pickle")]:
        stored.write_bytes(stored.read_bytes()[:200])
    syntax._lark.cache_clear()
    assert syntax._lark().parse(SEED_RULESET.read_text(encoding="utf-8"))
    (pickled,) = cache.glob("parser-*.pickle")
    assert scanners.load(pickled) is not None  # written again


# -- the pickled parser with its compiled patterns (language/scanners.py) ------------------------------
def _every_ruleset() -> list[Path]:
    found = [*ROOT.glob("rulesets/**/*.jx"), *ROOT.glob("tests/**/*.jx"), *ROOT.glob("examples/**/*.jx")]
    return sorted(found)


def _outcome(text: str, path: str) -> object:
    try:
        return parse_lenient(text, path)
    except JixiaoError as exc:
        return [(d.code, d.span, d.args) for d in exc.diagnostics]


def test_the_pickled_parser_reads_every_ruleset_as_a_parser_built_afresh(cache: Path) -> None:
    """Same trees, documents and errors (every file in the repository, broken ones too) as a parser
    built from the grammar with nothing cached, whose lexer compiles its patterns itself."""
    syntax._lark()
    syntax._lark.cache_clear()
    loaded = syntax._lark()  # from the pickle this time
    (pickled,) = cache.glob("parser-*.pickle")
    assert scanners.load(pickled) is not None
    fresh = Lark(grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=False)
    files = _every_ruleset()
    assert len(files) > 100
    outcomes = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        trees = []
        for lark_parser in (loaded, fresh):
            try:
                trees.append(lark_parser.parse(text))
            except Exception as exc:
                trees.append((type(exc).__name__, getattr(exc, "pos_in_stream", None)))
        assert trees[0] == trees[1], path
        outcomes.append(_outcome(text, path.name))
    os.environ["JIXIAO_CACHE_DIR"] = ""  # no cache: the parser is built, its patterns compiled by re
    syntax._lark.cache_clear()
    try:
        again = [_outcome(p.read_text(encoding="utf-8", errors="replace"), p.name) for p in files]
    finally:
        os.environ["JIXIAO_CACHE_DIR"] = str(cache)
        syntax._lark.cache_clear()
    assert again == outcomes


def test_the_stored_patterns_are_the_compiled_ones(cache: Path) -> None:
    syntax._lark()
    (pickled,) = cache.glob("parser-*.pickle")
    loaded = scanners.load(pickled)
    assert loaded is not None
    patterns = [m for lexer in loaded.parser.lexer.lexers.values() for m in lexer._scanner._mres]
    assert len(patterns) > 50
    assert all(p == re.compile(p.pattern, p.flags) for p in patterns)


def test_damaged_pattern_code_is_compiled_from_its_text() -> None:
    """CPython validates SRE code: code that is not a pattern's is refused and the text is compiled."""
    assert scanners._pattern("a|b", re.UNICODE, [99999, 1, 2], 0, {}) == re.compile("a|b")
    assert scanners._pattern("(?P<x>a)", re.UNICODE, [], 1, {"x": 1}) == re.compile("(?P<x>a)")


class _Hostile:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo hostile > hostile.txt",))


class _Evaluated:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (eval, ("open('evaluated.txt', 'w').close()",))


def test_a_pickle_with_anything_but_a_parser_is_not_loaded(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only lark's classes (and functools.partial) are looked up: a planted callable is refused."""
    monkeypatch.chdir(tmp_path)
    syntax._lark()
    (pickled,) = cache.glob("parser-*.pickle")
    pickled.write_bytes(pickle.dumps(_Hostile()))
    assert scanners.load(pickled) is None
    assert not (tmp_path / "hostile.txt").exists()
    pickled.write_bytes(pickle.dumps(_Evaluated()))
    assert scanners.load(pickled) is None
    assert not (tmp_path / "evaluated.txt").exists()
    pickled.write_bytes(pickle.dumps({"not": "a parser"}))
    assert scanners.load(pickled) is None
    syntax._lark.cache_clear()
    assert syntax._lark().parse(SEED_RULESET.read_text(encoding="utf-8"))  # built and written again
    assert scanners.load(pickled) is not None


def _global_call(module: str, name: str, argument: str) -> bytes:
    """A protocol-4 pickle that looks up `name` in `module` (dotted names allowed) and calls it."""

    def text(value: str) -> bytes:
        data = value.encode()
        return b"\x8c" + bytes([len(data)]) + data + b"\x94"  # SHORT_BINUNICODE, MEMOIZE

    return b"\x80\x04" + text(module) + text(name) + b"\x93\x94" + text(argument) + b"\x85\x94R\x94."


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("lark.lark", "os.system"),  # a module lark imports, reached through a dotted name
        ("lark.lark", "Lark.open"),  # a lark method that reads a file
        ("lark.load_grammar", "stdlib_loader"),  # a lark object that is not a class
    ],
)
def test_no_name_reaches_past_lark_classes(module: str, name: str, tmp_path: Path) -> None:
    pickled = tmp_path / "parser-x.pickle"
    pickled.write_bytes(_global_call(module, name, f"echo hostile > {tmp_path / 'hostile.txt'}"))
    assert scanners.load(pickled) is None
    assert not (tmp_path / "hostile.txt").exists()


def test_the_file_name_carries_the_grammar_and_the_python_build(monkeypatch: pytest.MonkeyPatch) -> None:
    name = scanners.file_name("grammar")
    assert scanners.file_name("grammar 2") != name
    monkeypatch.setattr("sys.version", "3.99.0 (another build)")
    assert scanners.file_name("grammar") != name


def test_no_cache_when_the_folder_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(blocker / "cache"))
    assert cache_dir() is None
    monkeypatch.setenv("JIXIAO_CACHE_DIR", "")
    assert cache_dir() is None
