"""The generated parser (language/lalr.py running language/tables.py) builds lark's very tree.

Differential: every ruleset in the repository, generated rulesets, fragments of the language and
files with characters taken out or put in are read by lark (the parser `syntax.py` builds) and by the
generated tables; both must fail, or give trees equal node by node (names, children, every position
lark's `propagate_positions` records, "container" positions included) and token by token (type, text,
offsets, lines, columns). tables.py must be what `python -m jixiao.language.generate` writes for the
grammar of this checkout.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED_RULESET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Tree as LarkTree
from lark import UnexpectedInput
from test_grammar_props import FRAGMENTS, projects

from jixiao.diagnostics import JixiaoError
from jixiao.language import generate, lalr, parser, syntax
from jixiao.language.parser import parse_lenient
from jixiao.language.variants import simplified

TOKEN_FIELDS = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")


def _every_ruleset() -> list[Path]:
    found = [*ROOT.glob("rulesets/**/*.jx"), *ROOT.glob("tests/**/*.jx"), *ROOT.glob("examples/**/*.jx")]
    return sorted(found)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")


def _same(ours: Any, theirs: Any, where: str = "") -> None:
    if isinstance(theirs, LarkTree):
        assert type(ours) is lalr.Tree, where
        assert ours.data == theirs.data, where
        mine, lark_meta = dict(vars(ours.meta)), dict(vars(theirs.meta))
        mine.setdefault("empty", ours.meta.empty)
        lark_meta.setdefault("empty", theirs.meta.empty)
        assert mine == lark_meta, where
        assert len(ours.children) == len(theirs.children), where
        for i, (a, b) in enumerate(zip(ours.children, theirs.children, strict=True)):
            _same(a, b, f"{where}/{theirs.data}[{i}]")
    else:
        assert type(ours) is lalr.Token, where
        assert str(ours) == str(theirs), where
        for name in TOKEN_FIELDS:
            assert getattr(ours, name) == getattr(theirs, name), (where, name)


def _agree(text: str) -> bool:
    """Both parsers fail on `text`, or build the same tree; whether they built one."""
    simple = simplified(text)
    try:
        theirs = syntax._lark().parse(simple)
    except UnexpectedInput:
        theirs = None
    ours = lalr.parse(simple)
    if theirs is None:
        assert ours is None
        return False
    assert ours is not None
    _same(ours, theirs)
    return True


def test_the_tables_are_generated_from_this_grammar() -> None:
    """`python -m jixiao.language.generate` after changing grammars/ruleset.lark (and commit tables.py)."""
    assert generate.TARGET.read_text(encoding="utf-8") == generate.source()


def test_the_generated_tables_serve_this_python() -> None:
    assert lalr.usable()


def test_every_ruleset_in_the_repository_gives_lark_s_tree() -> None:
    files = _every_ruleset()
    assert len(files) > 100
    built = sum(_agree(_text(path)) for path in files)
    assert built > 100  # most files are valid; the broken ones fail in both


@pytest.mark.parametrize("seed", range(4))
def test_files_with_characters_taken_out_or_put_in_agree(seed: int) -> None:
    """Mutations of real files: most are syntax errors somewhere, some still parse (differently)."""
    rng = random.Random(seed)
    files = _every_ruleset()
    alphabet = '{}（）()\n;；/= 　#"“”「」≥%→:：,，、-+×甲目标分值实际如果则否则1２.'
    for path in rng.sample(files, 25):
        text = _text(path)
        for _ in range(6):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5 and text:
                mutated = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                mutated = text[:at] + rng.choice(alphabet) + text[at:]
            _agree(mutated)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_generated_rulesets_agree(project: tuple[str, str]) -> None:
    assert _agree(project[0])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_fragments_agree(text: str) -> None:
    _agree(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted(set("".join(FRAGMENTS)) | set("\t\r　"))), max_size=80))
def test_arbitrary_text_agrees(text: str) -> None:
    _agree(text)


def _outcome(text: str) -> object:
    try:
        return parse_lenient(text, "t.jx")
    except JixiaoError as exc:
        return [(d.code, d.span, d.args) for d in exc.diagnostics]


def test_without_the_tables_lark_reads_every_file_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the tables do not serve (another Python's `re`, an edited grammar), every file is read by
    lark: the same documents and the same errors."""
    files = _every_ruleset()
    with_tables = [_outcome(_text(p)) for p in files]
    monkeypatch.setattr(lalr, "parse", lambda text: None)
    assert [_outcome(_text(p)) for p in files] == with_tables


def test_tables_for_another_re_or_grammar_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = lalr._lexers().tables
    for name, value in (("MAGIC", -1), ("PYTHON", (2, 7)), ("GRAMMAR", "0" * 64)):
        lalr._lexers.cache_clear()
        monkeypatch.setattr(tables, name, value)
        assert not lalr.usable()
        assert lalr.parse(_text(SEED_RULESET)) is None
        monkeypatch.undo()
    lalr._lexers.cache_clear()
    assert lalr.usable()
    assert parse_lenient(_text(SEED_RULESET), "seed.jx").name


def test_a_valid_file_is_read_without_lark() -> None:
    """A file without errors never builds lark's parser: `syntax` is imported only for an error."""
    code = (
        "import sys\n"
        "from jixiao.language.parser import parse\n"
        f"parse(open({str(SEED_RULESET)!r}, encoding='utf-8').read())\n"
        "print('lark' in sys.modules, 'jixiao.language.syntax' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
    assert parser.SYNTAX == syntax.__name__


def test_damaged_pattern_code_is_compiled_from_its_text() -> None:
    """CPython validates SRE code: code that is not the pattern's is refused and the text compiled."""
    assert lalr._pattern("a|b", re.UNICODE, (generate._words([99999, 1, 2]), 0, ())) == re.compile("a|b")
    assert lalr._pattern("(?P<x>a)", re.UNICODE, ("", 1, (("x", 1),))) == re.compile("(?P<x>a)")
    assert lalr._pattern("(?P<x>a)", re.UNICODE, ("not base64!", 1, (("x", 1),))) == re.compile("(?P<x>a)")


def test_stored_code_is_the_code_re_makes() -> None:
    """Every pattern built from the tables' code equals the pattern compiled from its text."""
    tables = lalr._lexers().tables
    built = [lalr._lexers().lexer(i) for i in range(len(tables.LEXERS))]
    patterns = [p for lexer in built for p in lexer[0]]
    assert len(patterns) == len(tables.LEXERS) > 50
    assert all(p == re.compile(p.pattern, p.flags) for p in patterns)
    assert all(code is not None for codes in tables.CODES for code in codes)
