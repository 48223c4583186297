"""A few thousand seeded, mutated rulesets and actual-value files: only JixiaoErrors, each positioned.

Every ruleset and CSV of the repository and the case corpus is mutated with a fixed seed — characters
deleted, repeated, swapped, and hostile fragments spliced in (huge numbers, deep nesting, runs of ";",
NUL and control characters, long spaces, unknown rows) — and then checked, loaded, scored and
formatted. Anything but success or a `JixiaoError` whose every diagnostic has a position is a bug; so is
a single input taking more than a generous budget (a hang). The whole test runs in well under a minute.
"""

from __future__ import annotations

import ast
import random
import time

import pytest
from conftest import CASES, ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.diagnostics import Diagnostic, render_all
from jixiao.io.actuals import parse_actuals
from jixiao.tools.fmt import format_text

RULESET_COUNT = 1500
CSV_COUNT = 1500
PER_INPUT_SECONDS = 10.0  # far above what any input needs; a hang shows up as a failure, not a stall
RULESETS = sorted({*(ROOT / "rulesets").rglob("*.jx"), *CASES.rglob("*.jx")})
CSVS = sorted({*(ROOT / "rulesets").rglob("*.csv"), *CASES.rglob("*.csv")})
FRAGMENTS = (
    "9" * 60,
    "(" * 120,
    "1 + " * 150 + "1",
    "非 " * 150,
    ";" * 500,
    "\x00",
    "\x1b[31m",
    " " * 800,
    "如果 实际 > 1 则 1 否则 " * 30,
    '采用 "../../etc/passwd"',
    '采用 "/etc/passwd"',
    "实际(甲)",
    "≥" + "9" * 45 + "万人",
    "12月" + " " * 600 + "x",
    "[" + "," * 300 + "]",
    "\u202e",
    "目标 ≥1人 目标 ≥2人",
    "\n产出指标,数量指标,未知行,1人,\n",
    '"',
    "}" * 50,
)


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        if not text:
            break
        i = rng.randrange(len(text))
        j = min(len(text), i + rng.randint(1, 8))
        op = rng.randrange(4)
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:i] + text[i:j] * rng.randint(2, 40) + text[i:]
        elif op == 2:
            k = rng.randrange(len(text))
            chars = list(text)
            chars[i], chars[k] = chars[k], chars[i]
            text = "".join(chars)
        else:
            text = text[:i] + rng.choice(FRAGMENTS) + text[i:]
    return text


def _positioned(diagnostics: list[Diagnostic]) -> None:
    assert diagnostics
    for diag in diagnostics:
        assert diag.span is not None and diag.span.path and diag.span.line >= 1, diag
    render_all(diagnostics)
    render_all(diagnostics, "en")


def _ruleset(text: str, name: str) -> None:
    diagnostics = jixiao.check(text=text, name=name)
    if diagnostics:
        _positioned(diagnostics)
    try:
        compiled = jixiao.load_ruleset(text=text, name=name, cache=False)
        jixiao.render(compiled.score(SEED_ACTUALS))
    except jixiao.JixiaoError as exc:
        _positioned(exc.diagnostics)
    try:
        format_text(text, name)
    except jixiao.JixiaoError as exc:
        _positioned(exc.diagnostics)


@pytest.mark.parametrize("part", range(3))
def test_mutated_rulesets(part: int) -> None:
    rng = random.Random(20260 + part)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in RULESETS]
    for _ in range(RULESET_COUNT // 3):
        index = rng.randrange(len(texts))
        text = mutate(texts[index], rng)
        start = time.monotonic()
        _ruleset(text, RULESETS[index].name)
        assert time.monotonic() - start < PER_INPUT_SECONDS, text[:200]


def test_mutated_actual_values() -> None:
    rng = random.Random(4242)
    compiled = jixiao.load_ruleset(SEED_RULESET)
    texts = [SEED_ACTUALS.read_text(encoding="utf-8")] * 4 + [
        p.read_text(encoding="utf-8", errors="replace") for p in CSVS
    ]
    for _ in range(CSV_COUNT):
        text = mutate(rng.choice(texts), rng)
        start = time.monotonic()
        try:
            jixiao.render(compiled.score(parse_actuals(text, "actuals.csv")))
        except jixiao.JixiaoError as exc:
            _positioned(exc.diagnostics)
        assert time.monotonic() - start < PER_INPUT_SECONDS, text[:200]


def test_every_diagnostic_of_the_case_corpus_is_positioned() -> None:
    """Walk what the corpus emits (tests/cases): errors, warnings and findings' problems all have a place."""
    seen: set[str] = set()
    for ruleset in sorted(CASES.rglob("ruleset.jx")):
        found = list(jixiao.check(ruleset))
        actuals = ruleset.with_name("actuals.csv")
        if actuals.exists():
            try:
                jixiao.load_ruleset(ruleset, cache=False).score(actuals)
            except jixiao.JixiaoError as exc:
                found += exc.diagnostics
        for diag in found:
            assert diag.span is not None and diag.span.line >= 1, (ruleset, diag)
            seen.add(diag.code)
    assert len(seen) > 40  # the corpus exercises most of the catalog


def test_no_diagnostic_is_written_without_a_place() -> None:
    """Walk the source: no Diagnostic, JixiaoError.single, _error or _warning is given `None` as its span.

    The HTTP server's own diagnostics (src/jixiao/web) are about the request (its size, type, token),
    not a place in an input file: the HTTP status and the JSON field name say where. So is E913 of the
    batch's worker processes (io/parallel.py): a process that ended, in no input file. So is E915, a
    malformed SOURCE_DATE_EPOCH: an environment variable, which its message names.
    """
    makers = {"Diagnostic", "single", "_error", "_warning"}
    environment = {"E915"}
    unplaced = []
    web = ROOT / "src" / "jixiao" / "web"
    workers = ROOT / "src" / "jixiao" / "io" / "parallel.py"
    for path in sorted(
        p for p in (ROOT / "src" / "jixiao").rglob("*.py") if not p.is_relative_to(web) and p != workers
    ):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            code, span = node.args[0], node.args[1]
            if isinstance(code, ast.Constant) and code.value in environment:
                continue
            if name in makers and isinstance(span, ast.Constant) and span.value is None:
                unplaced.append(f"{path.name}:{node.lineno}")
    assert unplaced == []
