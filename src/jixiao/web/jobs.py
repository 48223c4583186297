"""The work behind each endpoint, as plain functions: a JSON payload in, a `Reply` (status, JSON) out.

They run in the worker processes of `web.pool` (so a deadline can stop them) and need nothing from the
web framework. A user's mistake is a `JixiaoError`; `run_job` turns it into the diagnostics as JSON
with its HTTP status, and any other exception into E982 (never a traceback).
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from jixiao.api import CompiledRuleset
from jixiao.diagnostics import Diagnostic, JixiaoError, Severity
from jixiao.engine.checks import run_checks
from jixiao.engine.results import Result
from jixiao.io.batch import Outcome
from jixiao.io.projects import TEST_SUFFIXES, Project
from jixiao.io.render.explain import explain_report
from jixiao.io.render.report import diagnostic_report, report
from jixiao.io.schema import DiagnosticsReport, ExplanationReport, ScoreReport, TraceNode
from jixiao.messages import Lang
from jixiao.tools.compare import compare_rulesets
from jixiao.tools.fmt import format_text
from jixiao.tools.golden import read_test_file, run_file, update_file
from jixiao.tools.golden.model import Document
from jixiao.tools.golden.paths import actuals_path, ruleset_path
from jixiao.tools.golden.run import FileResult
from jixiao.web import actuals, scoring
from jixiao.web import models as m
from jixiao.web.adapter import Folder, escaped, hidden, ruleset_hash
from jixiao.web.body import body_problems, streamed
from jixiao.web.downloads import download
from jixiao.web.fixes import fix_span
from jixiao.web.table import table_view

S = TypeVar("S", bound=Sized)  # a batch's inputs or projects (`_bounded`)
MAX_BATCH = 10_000
STATUS: dict[str, int] = {
    "E970": 413,
    "E971": 422,
    "E972": 415,
    "E973": 421,  # a foreign Host; a foreign Origin is 403 (`web.guard`)
    "E974": 404,
    "E975": 413,
    "E976": 504,
    "E977": 503,
    "E978": 409,
    "E979": 413,
    "E980": 409,
    "E981": 404,
    "E982": 500,
    "E983": 403,
    "E985": 401,
    "E986": 422,
    "E991": 405,
    "E992": 404,
    "E993": 400,
    "E994": 504,
    "E998": 408,
}


@dataclass(frozen=True)
class Reply:
    status: int
    body: str | bytes  # JSON, or a file to download
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


def ok(model: BaseModel, status: int = 200, ruleset: str | None = None) -> Reply:
    headers = {"X-Jixiao-Ruleset-Hash": ruleset} if ruleset else {}
    return Reply(status, model.model_dump_json(), headers)


def error_reply(diagnostics: list[Diagnostic], lang: Lang) -> Reply:
    status = next((STATUS[d.code] for d in diagnostics if d.code in STATUS), 422)
    return Reply(status, errors_model(diagnostics, lang).model_dump_json())


def errors_model(diagnostics: list[Diagnostic], lang: Lang) -> DiagnosticsReport:
    return DiagnosticsReport.model_construct(diagnostics=[diagnostic_report(d, lang) for d in diagnostics])


# pydantic's complaints in Chinese, by their type (the English is pydantic's own `msg`); {x}: from its ctx
PROBLEMS_ZH: dict[str, str] = {
    "json_invalid": "不是合法的 JSON（{where}）",
    "json_type": "不是 JSON",
    "missing": "缺少这一项（必需）",
    "extra_forbidden": "不认识这一项（可用的项见 /v1/openapi.json）",
    "string_type": "应为文字（字符串，写在引号中）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "dict_type": "应为 JSON 对象（{{…}}）",
    "model_type": "应为 JSON 对象（{{…}}）",
    "model_attributes_type": "应为 JSON 对象（{{…}}）",
    "list_type": "应为 JSON 数组（[…]）",
    "literal_error": "应为 {expected} 之一",
    "string_unicode": "应为 UTF-8 文字",
    "none_required": "应为 null",
    "bytes_type": "应为文件内容",
}
JSON_AT = re.compile(r"^(?:Invalid JSON: )?(.*) at line (\d+) column (\d+)$")
# the JSON parser's reasons (serde_json's words, kept by pydantic's jiter), in Chinese
JSON_REASONS_ZH: dict[str, str] = {
    "EOF while parsing a value": "在此意外结束，缺少一个值",
    "EOF while parsing a list": "在此意外结束，数组（[…]）没有写完",
    "EOF while parsing an object": "在此意外结束，对象（{…}）没有写完",
    "EOF while parsing a string": "在此意外结束，字符串没有结束的引号",
    "expected `:`": "此处应为「:」",
    "expected `,` or `]`": "此处应为「,」或「]」",
    "expected `,` or `}`": "此处应为「,」或「}」",
    "expected ident": "不认识的词（应为 true、false 或 null）",
    "expected value": "此处应为一个值（对象、数组、字符串、数字、true、false 或 null）",
    "key must be a string": "对象的键应为字符串（写在双引号中）",
    "trailing comma": "最后一项之后多了一个逗号",
    "trailing characters": "JSON 结束之后还有多余的内容",
    "invalid escape": "字符串中的转义（\\…）不合法",
    "unexpected end of hex escape": "字符串中的 \\u 转义不完整或不合法",
    "lone leading surrogate in hex escape": "字符串中的 \\u 转义是不成对的代理项（UTF-16 surrogate）",
    "invalid unicode code point": "不是合法的 UTF-8 文字（或 \\u 转义不是合法的字符）",
    "control character (\\u0000-\\u001F) found while parsing a string": "字符串中有未转义的控制字符",
    "invalid number": "数字的写法不合法",
    "number out of range": "数字超出范围（太大或太小）",
    "recursion limit exceeded": "嵌套太深（数组、对象套了太多层）",
}


def invalid(exc: ValidationError) -> list[Diagnostic]:
    """pydantic's complaints about a request body as E971 diagnostics, one per problem, in Chinese and in
    English (pydantic's own words, which are English only)."""
    out = []
    for e in exc.errors(include_url=False):
        where = ".".join(str(p) for p in e["loc"])
        own = (e.get("ctx") or {}).get("error")
        problem = (_problem_zh(e), str(own) if isinstance(own, m.RequestProblem) else e["msg"])
        if e["type"] == "json_invalid":
            problem = _json_problem(str(own or ""), e["input"])
        out.append(
            Diagnostic("E971", None, {"where": (where or "请求体", where or "body"), "problem": problem})
        )
    return out


def _problem_zh(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), m.RequestProblem):  # our validators' own words
        return str(ctx["error"].zh)
    template = PROBLEMS_ZH.get(kind)
    if template is None:
        return str(error["msg"])  # a rarer complaint: pydantic's English rather than nothing
    try:
        return template.format(**{k: str(v).replace(" or ", "、") for k, v in ctx.items()})
    except (KeyError, IndexError):
        return str(error["msg"])


def _json_problem(error: str, given: object) -> tuple[str, str]:
    """A body that is not JSON, in both languages: why (the parser's reason, in Chinese too) and where
    (line and column, counted from 1). An empty body says so; jiter names no place in it (column 0)."""
    if isinstance(given, bytes | str) and not given.strip():
        return ("请求体是空的，应为 JSON 对象（{…}）", "the body is empty; a JSON object ({…}) is expected")
    at = JSON_AT.match(error)
    if at is None:
        return (PROBLEMS_ZH["json_invalid"].format(where="无法解析"), f"Invalid JSON: {error}")
    reason, line, column = at[1], int(at[2]), max(int(at[3]), 1)
    zh = JSON_REASONS_ZH.get(reason, reason)
    return (
        f"不是合法的 JSON：{zh}（第 {line} 行第 {column} 列）",
        f"Invalid JSON: {reason} at line {line} column {column}",
    )


# -- the jobs ------------------------------------------------------------------------------------------
def check(folder: Folder, req: m.CheckRequest) -> Reply:
    texts: dict[str, str] = {}  # the checked text by name, for its quick fixes
    try:
        name, text = folder.named_source(req.ruleset)
        texts[name] = text
        ruleset = folder.resolve(req.ruleset)
    except JixiaoError as exc:
        body = m.CheckResponse(
            ok=False,
            ruleset_hash=None,
            diagnostics=_checked(folder, exc.diagnostics, texts, req.lang),
            indicators=[],
            scales=[],
        )
        return ok(body)
    diagnostics = run_checks(ruleset)
    words = [w for scale in ruleset.rules.scales.values() for level in scale.levels for w in level.words]
    body = m.CheckResponse(
        ok=not any(d.severity is Severity.ERROR for d in diagnostics),
        ruleset_hash=ruleset_hash(ruleset.sources),
        diagnostics=_checked(folder, diagnostics, texts, req.lang),
        indicators=list(dict.fromkeys(i.name for i in ruleset.indicators)),
        scales=list(dict.fromkeys(words)),
    )
    return ok(body, ruleset=body.ruleset_hash)


def fmt(folder: Folder, req: m.FmtRequest) -> Reply:
    formatted = format_text(req.text, "<text>.jx", req.keywords)  # named as /v1/check names the text
    return ok(m.FmtResponse(text=formatted, changed=formatted != req.text))


def score(folder: Folder, req: m.ScoreRequest) -> Reply:
    compiled, digest = _compiled(folder, req.ruleset, req.ruleset_hash)
    result = compiled.score(actuals.one(actuals.given(folder, req.actuals)))
    return ok(_report(folder, result, req.lang, req.explain), ruleset=digest)


def explain(folder: Folder, req: m.ScoreRequest) -> Reply:
    compiled, digest = _compiled(folder, req.ruleset, req.ruleset_hash)
    result = compiled.score(actuals.one(actuals.given(folder, req.actuals)))
    return ok(_tidy(folder, explain_report(result, req.lang)), ruleset=digest)


def _report(folder: Folder, result: Result, lang: Lang, explain: bool) -> ScoreReport:
    scored = report(result, lang, explain)
    if scored.explanation is not None:
        scored = scored.model_copy(update={"explanation": _tidy(folder, scored.explanation)})
    return scored


def _tidy(folder: Folder, explanation: ExplanationReport) -> ExplanationReport:
    """The explanation with the rules' files named as the user sees them (no server paths)."""

    def node(n: TraceNode) -> TraceNode:
        return n.model_copy(update={"text": folder.tidy(n.text), "children": [node(c) for c in n.children]})

    return explanation.model_copy(update={"trace": [node(n) for n in explanation.trace]})


def render_report(folder: Folder, req: m.ReportRequest) -> Reply:
    """The scored result as a file (the JSON of a `Download`); actual values holding several projects
    give the batch document: 207 when some of them failed."""
    compiled, digest = _compiled(folder, req.ruleset, req.ruleset_hash)
    projects = _bounded(actuals.projects(actuals.given(folder, req.actuals)))
    outcomes = scoring.score_projects(folder, compiled, req.ruleset, projects)
    file = download(outcomes, req.format, req.lang)
    body = m.Download(
        format=req.format,
        base64=base64.b64encode(file.data).decode("ascii"),
        filename=file.filename,
        media_type=file.media_type,
    )
    return ok(body, _batch_status(outcomes), digest)


def batch(folder: Folder, req: m.BatchRequest) -> Reply:
    _bounded(req.inputs)
    compiled, digest = _compiled(folder, req.ruleset, req.ruleset_hash)
    found = {key: _input_projects(folder, key, given) for key, given in req.inputs.items()}
    keyed = _bounded(_keyed(found))
    outcomes = scoring.score_projects(folder, compiled, req.ruleset, [p for _, p in keyed])
    results = {
        key: _batch_item(folder, outcome, req.lang, req.explain, req.layout)
        for (key, _), outcome in zip(keyed, outcomes, strict=True)
    }
    return ok(m.BatchResponse(ruleset_hash=digest, results=results), _batch_status(outcomes), digest)


REQUEST_LIMITS = ("E970", "E979")  # a batch input too large: the request's limit, not that item's error


def _input_projects(folder: Folder, key: str, given: m.ActualsInput) -> list[Project]:
    """The projects of one input of a batch. An input that cannot be read at all (a file missing from the
    folder or hidden, base64 that is not base64) is that item's error, never the whole request's: the
    other items are scored (207). Only a limit (E970) stops the request."""
    try:
        source = actuals.given(folder, given, key, f"inputs.{key}")
    except JixiaoError as exc:
        if any(d.code in REQUEST_LIMITS for d in exc.diagnostics):
            raise
        name = given.name or (actuals.upload_name(given.filename) if given.filename else key)
        return [Project(actuals.stem(name), name, None, exc, path=name)]
    return actuals.projects(source)


def _bounded(items: S) -> S:
    """`items` (a batch's inputs or projects, a file's projects: a long table, a workbook's sheets), at
    most `MAX_BATCH` of them (E979)."""
    if len(items) > MAX_BATCH:
        raise JixiaoError.single("E979", None, count=len(items), limit=MAX_BATCH)
    return items


def _keyed(found: dict[str, list[Project]]) -> list[tuple[str, Project]]:
    """Every project with its key in the answer (`scoring.key`); a key two projects would share is E971,
    never one project silently dropped (input "X", a workbook with sheet 甲, beside input "X:甲")."""
    keyed: list[tuple[str, Project]] = []
    owner: dict[str, str] = {}
    for given, projects in found.items():
        for project in projects:
            key = scoring.key(given, project, len(projects))
            if key in owner:
                problem = (
                    f"结果的键「{key}」也是输入「{owner[key]}」中一个项目的键；请给这一项换一个键",
                    f"the result key “{key}” is also that of a project of input “{owner[key]}”; "
                    "give this input another key",
                )
                raise JixiaoError.single("E971", None, where=f"inputs.{given}", problem=problem)
            owner[key] = given
            keyed.append((key, project))
    return keyed


def _batch_item(folder: Folder, outcome: Outcome, lang: Lang, explain: bool, layout: bool) -> m.BatchItem:
    project = outcome.project
    item = m.BatchItem(project=outcome.name, origin=project.origin, ruleset=project.ruleset)
    if outcome.result is None:
        error = errors_model(folder.shown(list(outcome.diagnostics)), lang)
        return item.model_copy(update={"error": error})
    shown: dict[str, Any] = {"result": _report(folder, outcome.result, lang, explain)}
    if layout:
        shown["layout"] = table_view(outcome.result, lang)
    return item.model_copy(update=shown)


def _batch_status(outcomes: Sequence[Outcome]) -> int:
    failed = sum(outcome.result is None for outcome in outcomes)
    return 200 if not failed else 422 if failed == len(outcomes) else 207


def score_file(folder: Folder, req: m.UploadRequest) -> Reply:
    """An uploaded file: its result as JSON, every project of it (`batch`), or a file to download
    (`output`: one project's result, or the batch document of several)."""
    ruleset = m.RulesetInput(name=req.ruleset)
    compiled, digest = _compiled(folder, ruleset, req.ruleset_hash)
    source = actuals.uploaded(req)
    if not req.batch and req.output is None:
        result = compiled.score(actuals.one(source))
        return ok(_report(folder, result, req.lang, req.explain), ruleset=digest)
    projects = _bounded(actuals.projects(source))
    outcomes = scoring.score_projects(folder, compiled, ruleset, projects)
    if req.output is not None:
        file = download(outcomes, req.output, req.lang)
        headers = {"X-Jixiao-Ruleset-Hash": digest, "Content-Disposition": file.disposition()}
        return Reply(_batch_status(outcomes), file.data, headers, file.media_type)
    results = {
        key: _batch_item(folder, outcome, req.lang, req.explain, False)
        for (key, _), outcome in zip(_keyed({source.name: projects}), outcomes, strict=True)
    }
    return ok(m.BatchResponse(ruleset_hash=digest, results=results), _batch_status(outcomes), digest)


def diff(folder: Folder, req: m.DiffRequest) -> Reply:
    old, new = folder.resolve(req.old), folder.resolve(req.new)
    result = compare_rulesets(
        old,
        new,
        [
            actuals.one(actuals.given(folder, given, where=f"actuals.{i}"))
            for i, given in enumerate(req.actuals)
        ],
        req.lang,
    )
    impacts = [
        impact.model_copy(update={"actuals": given.name or f"<actuals {i + 1}>"})
        for i, (impact, given) in enumerate(zip(result.impacts, req.actuals, strict=True))
    ]
    shown = result.model_copy(
        update={"old": folder.display(result.old), "new": folder.display(result.new), "impacts": impacts}
    )
    return ok(shown)


TEST_FILE = (
    "name 必须是一个 .test.yaml 文件（如「shangjie-pension/2020.test.yaml」）",
    "name must be a .test.yaml file (such as “shangjie-pension/2020.test.yaml”)",
)


def test(folder: Folder, req: m.TestRequest) -> Reply:
    path = folder.path(req.name, want=TEST_FILE)
    if not req.name.lower().endswith(TEST_SUFFIXES):  # a ruleset was read as YAML: E801 inside the .jx
        raise JixiaoError.single("E971", None, where="name", problem=TEST_FILE)
    if req.update:
        folder.writable(req.name)  # rewriting expectations is a write: not on a read-only server
    tested = _check_test_file(folder, path)
    given = req.ruleset
    edited = given is not None and given.text is not None and _same_file(folder, given, tested)
    text = (lambda: folder.compile(given)) if edited and given is not None else None
    outcome = run_file(path, text)
    updated = 0
    if req.update and outcome.ruleset is not None:
        updated = update_file(outcome).changed
        outcome = run_file(path, text)
    return ok(_test_response(folder, req, outcome, updated).model_copy(update={"edited": edited}))


def _same_file(folder: Folder, given: m.RulesetInput, tested: Path) -> bool:
    """`given` names the ruleset file the test file names (its text then replaces the saved file's)."""
    try:
        return given.name is not None and folder.path(given.name, exists=False) == tested.resolve()
    except JixiaoError:
        return False


# -- helpers -------------------------------------------------------------------------------------------
HASH = re.compile("[0-9a-fA-F]{64}")
NOT_A_HASH = (
    "应为 64 位十六进制的 SHA-256（/v1/check 的 ruleset_hash，或评分回答的 X-Jixiao-Ruleset-Hash 头）",
    "should be a SHA-256 of 64 hexadecimal digits (the ruleset_hash of /v1/check, or the "
    "X-Jixiao-Ruleset-Hash header of a score)",
)


def _compiled(folder: Folder, given: m.RulesetInput, pinned: str | None) -> tuple[CompiledRuleset, str]:
    if pinned is not None and not HASH.fullmatch(pinned):  # "xyz" was 409 E980, as if the ruleset had changed
        raise JixiaoError.single("E971", None, where="ruleset_hash", problem=NOT_A_HASH)
    pinned = None if pinned is None else pinned.lower()
    compiled = folder.compile(given)
    digest = ruleset_hash(compiled.ruleset.sources)
    if pinned is not None and pinned != digest:
        raise JixiaoError.single("E980", None, got=digest, expected=pinned)
    return compiled, digest


def _reports(folder: Folder, diagnostics: list[Diagnostic], lang: Lang) -> list[Any]:
    return [diagnostic_report(d, lang) for d in folder.shown(diagnostics)]


def _checked(
    folder: Folder, diagnostics: list[Diagnostic], texts: dict[str, str], lang: Lang
) -> list[m.CheckedDiagnostic]:
    """The diagnostics as JSON, each with its quick fix where its did-you-mean applies to `texts`."""
    out = []
    for diag, shown in zip(diagnostics, folder.shown(diagnostics), strict=True):
        report = diagnostic_report(shown, lang)
        text = texts.get(diag.span.path) if diag.span is not None else None
        if diag.suggestion is None and shown.suggestion is not None:  # an absolute path's name (`AS_WRITTEN`)
            diag = replace(diag, suggestion=shown.suggestion)
        span = None if text is None else fix_span(diag, text)
        fix = None
        if span is not None and report.span is not None and diag.suggestion is not None:
            where = report.span.model_copy(update={"column": span.column, "end_column": span.end_column})
            fix = m.Fix(span=where, text=diag.suggestion)
        out.append(m.CheckedDiagnostic.model_construct(**dict(report), fix=fix))
    return out


def _check_test_file(folder: Folder, path: Path) -> Path:
    """A test file may name only a ruleset and actual-value files inside the folder; the ruleset it names."""
    doc = read_test_file(path)
    ruleset = ruleset_path(doc)  # E253/E254 at the value: the test file's folder lies in the served one
    named = [
        file for i, case in enumerate(doc.model.cases) if (file := _named(doc, i, case.actuals)) is not None
    ]
    for file in (ruleset, *named):
        shown = file.resolve().relative_to(folder.root)
        if hidden(shown.parts):  # .env, .git/config: never read, as no route reads them
            raise JixiaoError.single("E974", None, name=escaped(shown.as_posix()))
    if ruleset.is_file():
        folder.resolve(m.RulesetInput(name=ruleset.resolve().relative_to(folder.root).as_posix()))
    return ruleset


def _named(doc: Document, index: int, actuals: str | None) -> Path | None:
    """The file a case names, if any; None for one it may not name (E253, E254): that case fails on its
    own, with the error at its value, and the others run."""
    if not actuals:
        return None
    try:
        return actuals_path(doc, index, actuals)
    except JixiaoError:
        return None


def _test_response(folder: Folder, req: m.TestRequest, outcome: FileResult, updated: int) -> m.TestResponse:
    cases = [
        m.CaseReport(
            name=case.name,
            passed=case.passed,
            line=case.span.line,
            mismatches=[
                m.MismatchReport(what=x.what, expected=x.expected, got=x.got, line=x.span.line)
                for x in case.mismatches
            ],
            diagnostics=_reports(folder, case.problems, req.lang),
        )
        for case in outcome.cases
    ]
    return m.TestResponse(
        name=req.name,
        ruleset=folder.display(outcome.ruleset.path) if outcome.ruleset else None,
        passed=not outcome.diagnostics and all(c.passed for c in cases),
        updated=updated,
        cases=cases,
        diagnostics=_reports(folder, outcome.diagnostics, req.lang),
    )


def requested_lang(payload: bytes | dict[str, Any], lang: Lang) -> Lang:
    """The `lang` a request body gives, else `lang`: for answers made without its model (E971, E976, E977).
    A JSON body is read keeping nothing but each object's `lang` (`_Said`): the whole body read to find
    one key took 20 times its size (a body of many small objects), to answer it with an error."""
    if isinstance(payload, bytes):
        found = streamed(payload, _said, _unread)
        chosen = found.lang if isinstance(found, _Said) else None  # (not JSON: none)
    else:
        chosen = payload.get("lang") if isinstance(payload, dict) else None
    return "en" if chosen == "en" else "zh" if chosen == "zh" else lang


@dataclass(frozen=True)
class _Said:
    """An object of a JSON body, as `requested_lang` keeps it: its `lang` (the last, as a dict has it)."""

    lang: object


_SAID_NOTHING = _Said(None)


def _said(pairs: list[tuple[str, Any]]) -> _Said:
    values = [value for key, value in pairs if key == "lang"]
    return _Said(values[-1]) if values and isinstance(values[-1], str) else _SAID_NOTHING


def _unread(_: str) -> None:
    return None


# -- dispatch ------------------------------------------------------------------------------------------
LOG = logging.getLogger("jixiao.web")  # a worker's own: its errors reach the server's standard error
Job = Callable[[Folder, Any], Reply]
JOBS: dict[str, tuple[type[BaseModel], Job]] = {
    "check": (m.CheckRequest, check),
    "fmt": (m.FmtRequest, fmt),
    "score": (m.ScoreRequest, score),
    "explain": (m.ScoreRequest, explain),
    "batch": (m.BatchRequest, batch),
    "report": (m.ReportRequest, render_report),
    "score_file": (m.UploadRequest, score_file),
    "diff": (m.DiffRequest, diff),
    "test": (m.TestRequest, test),
}


def malformed(name: str, payload: bytes | dict[str, Any], lang: Lang) -> Reply | None:
    """E971 for a body that is not the job's request (not JSON, a missing field), else None: a busy
    server checks this before answering E977, so that a request that could never succeed says why
    (validation is pydantic-core's, quick next to any job)."""
    model, _ = JOBS[name]
    try:
        model.model_validate_json(payload) if isinstance(payload, bytes) else model.model_validate(payload)
    except ValidationError as exc:
        return error_reply(invalid(exc), requested_lang(payload, lang))
    return None


def run_job(folder: Folder, name: str, payload: bytes | dict[str, Any], lang: Lang = "zh") -> Reply:
    """Validate the payload, run the job; every failure is a reply with diagnostics, never an exception.
    Messages are in the body's `lang` when it gives one, else in `lang` (?lang=, Accept-Language, the
    server's default: `requests.lang_of`)."""
    model, job = JOBS[name]
    strict = body_problems(payload) if isinstance(payload, bytes) else []
    if strict:  # a key given twice, a number too long: read last-wins, or "not JSON", by the model
        return error_reply(strict, requested_lang(payload, lang))
    try:
        request = (
            model.model_validate_json(payload)
            if isinstance(payload, bytes)
            else model.model_validate(payload)
        )
    except ValidationError as exc:
        return error_reply(invalid(exc), requested_lang(payload, lang))
    if "lang" in type(request).model_fields and "lang" not in request.model_fields_set:
        request = request.model_copy(update={"lang": lang})  # the body says nothing: ?lang=, header, server
    lang = getattr(request, "lang", lang)
    try:
        return job(folder, request)
    except JixiaoError as exc:
        return error_reply(folder.shown(exc.diagnostics), lang)
    except Exception as exc:  # a bug: the client gets E982, the server's log the traceback to report
        LOG.exception("jixiao serve: internal error in %s (a bug in jixiao; please report it)", name)
        return error_reply([Diagnostic("E982", None, {"kind": type(exc).__name__})], lang)


__all__ = [
    "JOBS",
    "MAX_BATCH",
    "STATUS",
    "Reply",
    "error_reply",
    "errors_model",
    "malformed",
    "requested_lang",
    "run_job",
]
