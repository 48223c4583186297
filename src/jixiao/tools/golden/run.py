"""Running test files: each case scored, its expectations compared, and `--update` rewriting them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from difflib import get_close_matches
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.results import IndicatorResult, Result
from jixiao.folders import Listed, listed
from jixiao.io.rulesets import CompiledRuleset, load_ruleset
from jixiao.language.vocabulary import unnumbered
from jixiao.messages import CATALOG
from jixiao.tools.golden.model import NOT_APPLICABLE, SUFFIXES, Case, Document, Expect, Key, read_test_file
from jixiao.tools.golden.paths import ruleset_file, ruleset_path
from jixiao.tools.golden.rows import case_actuals

__all__ = ["CaseResult", "FileResult", "Mismatch", "find_test_files", "ruleset_path", "run_file"]


# -- running -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mismatch:
    """One expectation that does not hold: what, expected, got, and where it is written."""

    what: str
    expected: str
    got: str
    span: Span
    key: Key


@dataclass
class CaseResult:
    file: Path
    name: str
    span: Span
    mismatches: list[Mismatch] = field(default_factory=list)
    result: Result | None = None
    errors: list[Diagnostic] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # why the case could not run (E105, E253, …)

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.problems


@dataclass
class FileResult:
    path: Path
    ruleset: CompiledRuleset | None
    cases: list[CaseResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None


def find_test_files(paths: Iterable[Path]) -> Listed:
    """Every ``*.test.yaml`` under the given files and directories, sorted, and the links under a directory
    that lead out of it (never read: W130, folders.py). A ruleset given (2020.jx) stands for the test
    file beside it (2020.test.yaml); without one it is kept, and `run_file` says so."""
    found: list[Path] = []
    outside: list[Path] = []
    for path in paths:
        if path.is_dir():
            listing = listed(path, _is_test_file)
            found += listing.files
            outside += listing.outside
        else:
            found.append(next((t for t in _beside(path) if t.is_file()), path) if _is_ruleset(path) else path)
    return Listed(list(dict.fromkeys(found)), outside)


def _is_test_file(path: Path) -> bool:
    return path.name.endswith(SUFFIXES) and path.is_file()


def _is_ruleset(path: Path) -> bool:
    return path.name.lower().endswith(".jx")


def _beside(ruleset: Path) -> list[Path]:
    """The test files that test a ruleset by default: 2020.test.yaml (or .yml) beside 2020.jx."""
    return [ruleset.with_name(ruleset.name[:-3] + suffix) for suffix in SUFFIXES]


def run_file(path: Path, ruleset: Callable[[], CompiledRuleset] | None = None) -> FileResult:
    """Run every case of one test file; problems with the file itself become diagnostics. `ruleset`, when
    given, makes the ruleset to test instead of the saved file the test names (the workbench's unsaved text);
    its errors are the file's diagnostics as the saved file's would be."""
    if _is_ruleset(path):  # a ruleset with no test file beside it (find_test_files): not YAML to parse
        args: dict[str, object] = {"name": str(path), "test": _beside(path)[0].name}
        return FileResult(path, None, diagnostics=[Diagnostic("E808", Span.of_path(str(path)), args)])
    try:
        doc = read_test_file(path)
        compiled = ruleset() if ruleset is not None else load_ruleset(ruleset_file(doc))
    except JixiaoError as exc:
        return FileResult(path, None, diagnostics=exc.diagnostics)
    out = FileResult(path, compiled, document=doc)
    for index, case in enumerate(doc.model.cases):
        try:
            out.cases.append(run_case(doc, index, case, compiled))
        except JixiaoError as exc:  # a case that cannot run (its file missing, outside the folder, …) fails,
            span = doc.span(("cases", index))  # listed and counted with the others, its errors at their place
            out.cases.append(CaseResult(doc.path, case.name, span, problems=exc.diagnostics))
            out.diagnostics.extend(exc.diagnostics)
    return out


def run_case(doc: Document, index: int, case: Case, compiled: CompiledRuleset) -> CaseResult:
    key: Key = ("cases", index)
    outcome = CaseResult(doc.path, case.name, doc.span(key))
    _known_codes(doc, (*key, "expect"), case.expect)
    actuals = case_actuals(doc, index, case, compiled.plan)
    try:
        outcome.result = compiled.score(actuals)
    except JixiaoError as exc:
        _rows_naming_nothing(doc, exc.diagnostics)
        outcome.errors = exc.diagnostics
    found = _compare(doc, (*key, "expect"), case.expect, outcome)
    outcome.mismatches = sorted(found, key=lambda m: (m.span.line, m.span.column))  # as the file reads
    return outcome


def _known_codes(doc: Document, key: Key, expect: Expect) -> None:
    """Every code a case expects is a code jixiao has, of its kind: a finding (F) under `findings`, an
    error or warning (E, W) under `errors`; else E807 at the code (a mistyped F107 would only ever fail,
    and `--update` would replace it without a word)."""
    wrong = []
    for what, codes, kinds in (("findings", expect.findings, "F"), ("errors", expect.errors, "EW")):
        for i, code in enumerate(codes or []):
            if code not in CATALOG or code[:1] not in kinds:
                problem = _CODE_PROBLEMS[what][code in CATALOG]
                span = doc.whole_span((*key, what, i))
                wrong.append(Diagnostic("E807", span, {"code": code, "problem": problem}))
    if wrong:
        raise JixiaoError(wrong)


_CODE_PROBLEMS = {  # under findings / errors → (not a code at all, a code of the other kind)
    "findings": (
        ("没有这个复核提示代码", "there is no such finding code"),
        (
            "这是错误代码，不是复核提示代码（错误写在 errors 下）",
            "an error code, not a finding code (errors go under errors)",
        ),
    ),
    "errors": (
        ("没有这个错误代码", "there is no such error code"),
        (
            "这是复核提示代码，不是错误代码（复核提示写在 findings 下）",
            "a finding code, not an error code (findings go under findings)",
        ),
    ),
}


def _rows_naming_nothing(doc: Document, diagnostics: list[Diagnostic]) -> None:
    """A row written in the test file that names no indicator (E503) is a mistake of the test file (E803
    at the row), not an outcome of the case."""
    wrong = [
        _unknown_row(d) for d in diagnostics if d.code == "E503" and d.span and d.span.path == str(doc.path)
    ]
    if wrong:
        raise JixiaoError(wrong)


def _unknown_row(e503: Diagnostic) -> Diagnostic:
    problem = ("规则中没有此指标", "no such indicator in the ruleset")
    span = replace(e503.span, column_name=None) if e503.span else None
    return Diagnostic(
        "E803", span, {"name": e503.args["name"], "problem": problem}, suggestion=e503.suggestion
    )


# -- comparing ------------------------------------------------------------------------------------------
def _compare(doc: Document, key: Key, expect: Expect, case: CaseResult) -> Iterator[Mismatch]:
    if expect.errors is not None or case.result is None:
        yield from _compare_errors(doc, key, expect, case)
        return
    result = case.result
    got = actual_values(result)
    for name in ("total", "grade", "budget"):
        wanted = getattr(expect, name)
        if wanted is not None and not _same(wanted, got[name]):
            yield Mismatch(name, wanted, got[name] or "", doc.span((*key, name)), (*key, name))
    if expect.findings is not None:
        codes = sorted(f.code for f in result.findings)
        if sorted(expect.findings) != codes:
            k = (*key, "findings")
            yield Mismatch("findings", _codes(expect.findings), _codes(codes), doc.span(k), k)
    yield from _compare_scores(doc, (*key, "scores"), expect.scores or {}, result)


def _compare_errors(doc: Document, key: Key, expect: Expect, case: CaseResult) -> Iterator[Mismatch]:
    codes = sorted(dict.fromkeys(d.code for d in case.errors))
    wanted = sorted(dict.fromkeys(expect.errors or []))
    if wanted != codes:
        k = (*key, "errors")
        got = _codes(codes) if codes else "—"
        yield Mismatch("errors", _codes(wanted) if wanted else "—", got, doc.span(k), k)


def _compare_scores(
    doc: Document, key: Key, scores: dict[str, str | None], result: Result
) -> Iterator[Mismatch]:
    for name, wanted in scores.items():
        indicator = find_indicator(result, name, doc.key_span((*key, name)))
        got = score_text(indicator)
        if not _same(wanted or NOT_APPLICABLE, got):
            yield Mismatch(name, wanted or NOT_APPLICABLE, got, doc.span((*key, name)), (*key, name))


def actual_values(result: Result) -> dict[str, str | None]:
    budget = result.budget.score.text() if result.budget and result.budget.score else None
    return {"total": result.total.text(), "grade": result.grade, "budget": budget}


def score_text(indicator: IndicatorResult) -> str:
    return indicator.score.text() if indicator.score is not None else NOT_APPLICABLE


def find_indicator(result: Result, name: str, span: Span) -> IndicatorResult:
    """An indicator by 三级指标, 二级/三级 or 一级/二级/三级; unknown or ambiguous is an error. The 三级 name
    may carry the number the Ministry of Finance template prints before it (指标1：享受补贴人数), as a row's
    name may when scoring (`vocabulary.unnumbered`); an indicator whose very name is written is the one."""
    matches = _named(result, name)
    if not matches:
        levels, slash, last = name.rpartition("/")
        matches = _named(result, levels + slash + unnumbered(last))
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise JixiaoError.single(
            "E803", span, name=name, problem=("有多个同名指标，请写 二级/三级", "ambiguous")
        )
    close = get_close_matches(name, [i.name for i in result.indicators], n=1, cutoff=0.5)
    problem = ("规则中没有此指标", "no such indicator in the ruleset")
    raise JixiaoError.single("E803", span, close[0] if close else None, name=name, problem=problem)


def _named(result: Result, name: str) -> list[IndicatorResult]:
    return [i for i in result.indicators if i.path == name or i.path.endswith("/" + name)]


def _same(wanted: str, got: str | None) -> bool:
    if got is None:
        return wanted in ("", NOT_APPLICABLE)
    try:
        return Decimal(wanted) == Decimal(got)
    except InvalidOperation:
        return wanted.strip() == got.strip()


def _codes(codes: Iterable[str]) -> str:
    return "[" + ", ".join(codes) + "]"
