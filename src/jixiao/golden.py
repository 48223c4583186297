"""Golden tests policy staff can write: YAML cases beside a ruleset, run by `jixiao test`.

A test file ``NAME.test.yaml`` sits beside ``NAME.jx`` (or names its ruleset)::

    cases:
      - name: 原表 / the published table
        actuals: 2020.actuals.csv           # a path, relative to this file
        rows:                               # and/or rows given inline; they replace rows of
          - {三级指标: 享受补贴人数, 实际完成值: 1.0万人}   # the file with the same 三级指标
        expect:                             # only what a case names is checked
          total: "99.31"
          grade: 优
          budget: "9.38"
          scores: {预算执行率: "0.93", 资金发放准确率: "/"}   # "/" is 不适用
          findings: [F107]
          errors: [E511]                    # the case must fail with these codes

The file is read with PyYAML's composer so every value keeps its line; all
scalars stay text (``0.93`` is never a float). `update` rewrites the named
expectations in place from the current results, keeping comments and layout.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import get_close_matches
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from jixiao import nodes as n
from jixiao.actuals import COLUMNS, ActualsFile, from_rows
from jixiao.api import CompiledRuleset, load_actuals, load_ruleset
from jixiao.compiler import Evaluator
from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.messages import Lang
from jixiao.methods import numeric_met
from jixiao.quantity import NumericActual, NumericTarget, Quantity, RangeTarget, WordActual
from jixiao.results import IndicatorResult, Result
from jixiao.source import read_text

SUFFIXES = (".test.yaml", ".test.yml")
NOT_APPLICABLE = "/"
Key = tuple[str | int, ...]


# -- the test-file model (pydantic: untrusted input) ----------------------------------------------------
def _alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class Expect(BaseModel):
    """What a case checks; every field is optional and only the named ones are compared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    total: str | None = _alias("total", "总分", "总得分")
    grade: str | None = _alias("grade", "等级")
    budget: str | None = _alias("budget", "预算执行")
    scores: dict[str, str | None] | None = _alias("scores", "得分")
    findings: list[str] | None = _alias("findings", "复核提示")
    errors: list[str] | None = _alias("errors", "错误")


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(validation_alias=AliasChoices("name", "名称"))
    actuals: str | None = _alias("actuals", "实际值")
    rows: list[dict[str, str | None]] | None = _alias("rows", "行")
    expect: Expect = Field(default_factory=Expect, validation_alias=AliasChoices("expect", "预期"))


class TestFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ruleset: str | None = _alias("ruleset", "规则")
    cases: list[Case] = Field(validation_alias=AliasChoices("cases", "用例"))


# -- reading YAML with positions -----------------------------------------------------------------------
@dataclass
class Document:
    """A parsed test file: its model, and the YAML node of every value by key path."""

    path: Path
    text: str
    model: TestFile
    nodes: dict[Key, Any]

    def span(self, key: Key) -> Span:
        """The position of the value at `key`, else of its nearest written parent."""
        while key and key not in self.nodes:
            key = key[:-1]
        node = self.nodes.get(key)
        if node is None:
            return Span(str(self.path), 1, 1)
        mark = node.start_mark
        return Span(str(self.path), mark.line + 1, mark.column + 1)


def read_test_file(path: Path) -> Document:
    """Parse and validate a test file; raise `JixiaoError` with file:line positions."""
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        raise JixiaoError.single("E801", Span(str(path), line, column), problem=problem) from None
    nodes: dict[Key, Any] = {}
    data = _plain(root, (), nodes, str(path)) if root is not None else {}
    try:
        model = TestFile.model_validate(data)
    except ValidationError as exc:
        doc = Document(path, text, TestFile.model_construct(cases=[]), nodes)
        raise JixiaoError([_schema_error(doc, e) for e in exc.errors()]) from None
    return Document(path, text, model, nodes)


def _plain(node: Any, key: Key, nodes: dict[Key, Any], path: str) -> Any:
    """A YAML node as plain data (scalars stay text), recording each node by its key path."""
    nodes[key] = node
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k, v in node.value:
            name = str(k.value)
            if name in out:
                span = Span(path, k.start_mark.line + 1, k.start_mark.column + 1)
                raise JixiaoError.single("E805", span, key=name)
            out[name] = _plain(v, (*key, name), nodes, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, (*key, i), nodes, path) for i, v in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


def _schema_error(doc: Document, error: Any) -> Diagnostic:
    key: Key = tuple(error["loc"])
    where = ".".join(str(part) for part in key) or "/"
    problem = (_problem_zh(error), str(error["msg"]))
    return Diagnostic("E802", doc.span(key), {"where": where, "problem": problem})


def _problem_zh(error: Any) -> str:
    kind = str(error["type"])
    return {
        "missing": "缺少此项",
        "extra_forbidden": "不认识此项（拼写错误？）",
        "string_type": "应为文字",
        "list_type": "应为列表",
        "dict_type": "应为映射（键: 值）",
        "model_type": "应为映射（键: 值）",
    }.get(kind, str(error["msg"]))


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

    @property
    def passed(self) -> bool:
        return not self.mismatches


@dataclass
class FileResult:
    path: Path
    ruleset: CompiledRuleset | None
    cases: list[CaseResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None


def find_test_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``*.test.yaml`` under the given files and directories, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.name.endswith(SUFFIXES))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def ruleset_path(doc: Document) -> Path:
    if doc.model.ruleset:
        return doc.path.parent / doc.model.ruleset
    name = doc.path.name
    for suffix in SUFFIXES:
        name = name.removesuffix(suffix)
    return doc.path.parent / f"{name}.jx"


def run_file(path: Path) -> FileResult:
    """Run every case of one test file; problems with the file itself become diagnostics."""
    try:
        doc = read_test_file(path)
        compiled = load_ruleset(ruleset_path(doc))
    except JixiaoError as exc:
        return FileResult(path, None, diagnostics=exc.diagnostics)
    out = FileResult(path, compiled, document=doc)
    for index, case in enumerate(doc.model.cases):
        try:
            out.cases.append(run_case(doc, index, case, compiled))
        except JixiaoError as exc:
            out.diagnostics.extend(exc.diagnostics)
    return out


def run_case(doc: Document, index: int, case: Case, compiled: CompiledRuleset) -> CaseResult:
    key: Key = ("cases", index)
    outcome = CaseResult(doc.path, case.name, doc.span(key))
    actuals = case_actuals(doc, index, case)
    try:
        outcome.result = compiled.score(actuals)
    except JixiaoError as exc:
        outcome.errors = exc.diagnostics
    outcome.mismatches = list(_compare(doc, (*key, "expect"), case.expect, outcome))
    return outcome


def case_actuals(doc: Document, index: int, case: Case) -> ActualsFile:
    base = doc.path.parent
    if case.rows is None and case.actuals is None:
        raise JixiaoError.single("E806", doc.span(("cases", index)), name=case.name)
    if case.rows is None:
        assert case.actuals is not None
        return load_actuals(base / case.actuals)
    rows = _read_rows(base / case.actuals) if case.actuals else []
    for row in case.rows:
        _merge_row(rows, {k: v or "" for k, v in row.items()})
    return from_rows(rows, f"{doc.path}#{case.name}")


def _read_rows(path: Path) -> list[dict[str, str]]:
    load_actuals(path)  # positioned errors for the file itself
    reader = csv.DictReader(io.StringIO(read_text(path)))
    return [{k.strip().lstrip("\ufeff"): (v or "") for k, v in row.items() if k} for row in reader]


def _column(row: dict[str, str], meaning: str) -> str:
    return next((row[k] for k in row if COLUMNS.get(k) == meaning), "")


def _merge_row(rows: list[dict[str, str]], new: dict[str, str]) -> None:
    """Replace the cells of the row with the same 三级指标 (and 一级/二级 when given), else append."""
    name, level1, level2 = (_column(new, m) for m in ("name", "level1", "level2"))
    for row in rows:
        same = _column(row, "name") == name
        if same and (not level1 or _column(row, "level1") == level1):
            if not level2 or _column(row, "level2") == level2:
                for column, cell in new.items():
                    row[_same_column(row, column)] = cell
                return
    rows.append(new)


def _same_column(row: dict[str, str], column: str) -> str:
    """The file's spelling of a column (实际值 ≡ 实际完成值) so a case row replaces, not adds."""
    meaning = COLUMNS.get(column)
    return next((k for k in row if meaning is not None and COLUMNS.get(k) == meaning), column)


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
        indicator = find_indicator(result, name, doc.span((*key, name)))
        got = score_text(indicator)
        if not _same(wanted or NOT_APPLICABLE, got):
            yield Mismatch(name, wanted or NOT_APPLICABLE, got, doc.span((*key, name)), (*key, name))


def actual_values(result: Result) -> dict[str, str | None]:
    budget = result.budget.score.text() if result.budget and result.budget.score else None
    return {"total": result.total.text(), "grade": result.grade, "budget": budget}


def score_text(indicator: IndicatorResult) -> str:
    return indicator.score.text() if indicator.score is not None else NOT_APPLICABLE


def find_indicator(result: Result, name: str, span: Span) -> IndicatorResult:
    """An indicator by 三级指标, 二级/三级 or 一级/二级/三级; unknown or ambiguous is an error."""
    matches = [i for i in result.indicators if i.path == name or i.path.endswith("/" + name)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise JixiaoError.single(
            "E803", span, name=name, problem=("有多个同名指标，请写 二级/三级", "ambiguous")
        )
    close = get_close_matches(name, [i.name for i in result.indicators], n=1, cutoff=0.5)
    problem = ("规则中没有此指标", "no such indicator in the ruleset")
    raise JixiaoError.single("E803", span, close[0] if close else None, name=name, problem=problem)


def _same(wanted: str, got: str | None) -> bool:
    if got is None:
        return wanted in ("", NOT_APPLICABLE)
    try:
        return Decimal(wanted) == Decimal(got)
    except InvalidOperation:
        return wanted.strip() == got.strip()


def _codes(codes: Iterable[str]) -> str:
    return "[" + ", ".join(codes) + "]"


# -- updating -------------------------------------------------------------------------------------------
def update_file(file: FileResult) -> int:
    """Rewrite the failing expectations of a file in place; return how many were changed."""
    doc = file.document
    if doc is None:
        return 0
    edits = [e for case in file.cases for m in case.mismatches if (e := _edit(doc, m)) is not None]
    text = doc.text
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if edits:
        doc.path.write_text(text, encoding="utf-8")
    return len(edits)


def _edit(doc: Document, mismatch: Mismatch) -> tuple[int, int, str] | None:
    node = doc.nodes.get(mismatch.key)
    if node is None or mismatch.got == "":
        return None
    if isinstance(node, yaml.SequenceNode) or mismatch.what in ("findings", "errors"):
        return node.start_mark.index, node.end_mark.index, mismatch.got.replace("—", "")
    quote = doc.text[node.start_mark.index]
    new = f"{quote}{mismatch.got}{quote}" if quote in "\"'" else _plain_scalar(mismatch.got)
    return node.start_mark.index, node.end_mark.index, new


def _plain_scalar(text: str) -> str:
    return f'"{text}"' if text[:1] in "[]{}#&*!|>'\"%@`" else text


# -- reporting ------------------------------------------------------------------------------------------
def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def summary(files: list[FileResult], lang: Lang = "zh") -> str:
    """One line per case, each failure as expected/got, then the counts."""
    lines: list[str] = []
    for file in files:
        if file.cases:
            lines.append(str(file.path))
        for case in file.cases:
            lines.extend(_case_lines(case, lang))
    passed = sum(c.passed for f in files for c in f.cases)
    failed = sum(not c.passed for f in files for c in f.cases)
    lines.append(_t(lang, f"{passed} 个通过，{failed} 个失败", f"{passed} passed, {failed} failed"))
    return "\n".join(lines)


def _case_lines(case: CaseResult, lang: Lang) -> list[str]:
    if case.passed:
        return [f"  ✓ {case.name}"]
    out = [f"  ✗ {case.name}"]
    for m in case.mismatches:
        where = f"{m.span.path}:{m.span.line}"
        label = _label(m.what, lang)
        out.append(
            f"      {where}: {label}: "
            + _t(lang, f"期望 expected {m.expected}，得到 got {m.got}", f"expected {m.expected}, got {m.got}")
        )
    if case.errors and case.mismatches and case.mismatches[0].what == "errors":
        out.extend(f"      {_where(d.span)}: {d.code} {d.message(lang)}" for d in case.errors)
    return out


def _where(span: Span | None) -> str:
    return f"{span.path}:{span.line}:{span.column}" if span else "?"


def _label(what: str, lang: Lang) -> str:
    names = {
        "total": ("总得分", "total"),
        "grade": ("等级", "grade"),
        "budget": ("预算执行得分", "budget score"),
        "findings": ("复核提示", "findings"),
        "errors": ("错误", "errors"),
    }
    pair = names.get(what)
    return what if pair is None else _t(lang, *pair)


# -- coverage -------------------------------------------------------------------------------------------
@dataclass
class Coverage:
    """What the cases of one ruleset exercised, against everything that could be exercised."""

    ruleset: str
    cases: int = 0
    items: dict[str, dict[str, bool]] = field(default_factory=dict)  # category → item → exercised

    def mark(self, category: str, item: str) -> None:
        self.items.setdefault(category, {})[item] = True

    def add(self, category: str, item: str) -> None:
        self.items.setdefault(category, {}).setdefault(item, False)


CATEGORIES = {
    "indicators": ("指标（用例按名称检查了得分）", "indicators (score checked by name)"),
    "methods": ("方法分支（达标/未达标）", "method branches (met / not met)"),
    "bands": ("分档", "bands"),
    "scales": ("量表档次", "scale points"),
    "grades": ("等级", "grade bands"),
}


def coverage(files: list[FileResult]) -> list[Coverage]:
    """Per ruleset: indicators, method branches, bands, scale points and grades no case exercised."""
    by_ruleset: dict[str, Coverage] = {}
    for file in files:
        if file.ruleset is None or file.document is None:
            continue
        cov = by_ruleset.get(file.ruleset.path)
        if cov is None:
            cov = by_ruleset[file.ruleset.path] = _universe(file.ruleset)
        for index, case in enumerate(file.cases):
            _exercised(cov, file.document, index, case, file.ruleset.evaluator)
    return list(by_ruleset.values())


def _universe(compiled: CompiledRuleset) -> Coverage:
    ev = compiled.evaluator
    cov = Coverage(compiled.path)
    for plan in ev.plans:
        cov.add("indicators", plan.path)
        if plan.method.id in ("ratio", "pass_fail", "linear_decay", "deduct", "scale"):
            cov.add("methods", f"{plan.method.written} ✓")
            cov.add("methods", f"{plan.method.written} ✗")
        for band in plan.method.bands:
            cov.add("bands", f"{plan.indicator.name}: {band.condition_text or '否则'}")
        scale = ev.scale_for(plan) if plan.kind == "qualitative" else None
        if scale is not None:
            for level in scale.levels:
                cov.add("scales", f"{scale.name}: {level.words[0]}")
    grades = ev.rules.grades
    for grade in grades.grades if grades else ():
        cov.add("grades", grade.name)
    return cov


def _exercised(cov: Coverage, doc: Document, index: int, case: CaseResult, ev: Evaluator) -> None:
    result = case.result
    if result is None:
        return
    cov.cases += 1
    if result.grade:
        cov.mark("grades", result.grade)
    for name in doc.model.cases[index].expect.scores or {}:
        try:
            cov.mark("indicators", find_indicator(result, name, case.span).path)
        except JixiaoError:
            continue
    for indicator in result.indicators:
        _exercised_indicator(cov, indicator, ev)


def _exercised_indicator(cov: Coverage, indicator: IndicatorResult, ev: Evaluator) -> None:
    plan = indicator.plan
    if plan is None or indicator.not_applicable:
        return
    if indicator.met is not None and f"{plan.method.written} ✓" in cov.items.get("methods", {}):
        cov.mark("methods", f"{plan.method.written} {'✓' if indicator.met else '✗'}")
    band = _band_hit(indicator)
    if band is not None:
        cov.mark("bands", f"{indicator.name}: {band}")
    scale = ev.scale_for(plan) if plan.kind == "qualitative" else None
    level = _level_hit(scale, indicator.parsed_actual) if scale else None
    if scale is not None and level is not None:
        cov.mark("scales", f"{scale.name}: {level.words[0]}")


def _band_hit(indicator: IndicatorResult) -> str | None:
    plan, actual = indicator.plan, indicator.parsed_actual
    target = plan.indicator.target if plan else None
    if (
        plan is None
        or not isinstance(actual, NumericActual)
        or not isinstance(target, NumericTarget | RangeTarget)
    ):
        return None
    target_q = target.quantity if isinstance(target, NumericTarget) else target.low
    for band in plan.method.bands:
        value = actual.quantity.base
        q = getattr(band.condition, "quantity", None) or getattr(band.condition, "low", None)
        if isinstance(q, Quantity) and q.dimension == "%" and target_q.dimension != "%" and target_q.base:
            value = value / target_q.base
        if band.condition is None or numeric_met(band.condition, value):
            return band.condition_text or "否则"
    return None


def _level_hit(scale: n.Scale, actual: object) -> n.ScaleLevel | None:
    """The scale level a word names, or the level whose band holds a percentage."""
    if isinstance(actual, WordActual):
        return next((lv for lv in scale.levels if actual.word in lv.words), None)
    if isinstance(actual, NumericActual) and actual.quantity.dimension == "%":
        share = min(actual.quantity.base, Fraction(1))
        return next((lv for lv in scale.levels if _in_level(lv, share)), None)
    return None


def _in_level(level: n.ScaleLevel, share: Fraction) -> bool:
    above = share >= level.low if level.low_inclusive else share > level.low
    below = share <= level.high if level.high_inclusive else share < level.high
    return above and below


def coverage_text(items: list[Coverage], lang: Lang = "zh") -> str:
    lines: list[str] = []
    for cov in items:
        lines.append(
            _t(
                lang,
                f"覆盖率 {cov.ruleset}（{cov.cases} 个用例）",
                f"coverage {cov.ruleset} ({cov.cases} cases)",
            )
        )
        for category, label in CATEGORIES.items():
            entries = cov.items.get(category, {})
            if not entries:
                continue
            done = sum(entries.values())
            lines.append(f"  {_t(lang, *label)}: {done}/{len(entries)}")
            missing = [item for item, hit in entries.items() if not hit]
            if missing:
                lines.append("    " + _t(lang, "未覆盖：", "not exercised: ") + "、".join(missing))
    return "\n".join(lines)
