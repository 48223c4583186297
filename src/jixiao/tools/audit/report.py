"""Audits written out: a summary over the tables (how many clean, how many with each kind of finding),
then each table's discrepancies — as a terminal table, Markdown, JSON (`schema.AuditReport`) or an xlsx
workbook (the summary, every discrepancy, the kinds), through the writers `jixiao score` uses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction

from jixiao.diagnostics import Severity, Span, column_letter, render_all
from jixiao.io.render import safe
from jixiao.io.render.explain import part_trace, trace_lines
from jixiao.io.render.figures import decimal_text, exact_text
from jixiao.io.render.layout import Block, Cell, figure_cell
from jixiao.io.render.report import diagnostic_report
from jixiao.io.render.table import grid
from jixiao.io.render.xlsx import blocks_workbook
from jixiao.io.schema import (
    AuditReport,
    AuditSummary,
    DiscrepancyReport,
    KindCount,
    TableAuditReport,
    TraceNode,
)
from jixiao.messages import Lang, clip
from jixiao.tools.audit.model import BUDGET, GRADE, ITEMS_EN, KINDS, TOTAL, Discrepancy, TableAudit
from jixiao.tools.importer.printed import printed_number

WORDS: dict[str, tuple[str, str]] = {
    "title": ("复核汇总：{n} 张表", "Audit summary: {n} table(s)"),
    "counts": (
        "无问题 {clean} 张，有错误 {errors} 张，只有警告 {warnings} 张，未能完整复核 {incomplete} 张",
        "{clean} clean, {errors} with errors, {warnings} with warnings only, {incomplete} incomplete",
    ),
    "table": ("复核：{name}（{origin}）", "Audit: {name} ({origin})"),
    "ruleset": ("规则：{ruleset}", "Ruleset: {ruleset}"),
    "tolerance": (
        "；容差 {tolerance}（得分相差不超过此数不算问题）",
        "; tolerance {tolerance} (score differences up to it are not reported)",
    ),
    "policy_only": (
        "（只用评分办法：指标值与分值取自表中）",
        " (a policy alone: targets and weights from the table)",
    ),
    "totals": (
        "总得分：表中 {printed}，重算 {total}；等级：表中 {pgrade}，重算 {grade}",
        "Total: printed {printed}, recomputed {total}; grade: printed {pgrade}, recomputed {grade}",
    ),
    "clean": ("没有发现问题。", "Nothing found."),
    "incomplete": ("未能完整复核：", "Could not be audited completely:"),
    "explain": ("按规则的计算（--explain）：", "How the rules compute it (--explain):"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "kinds": ("各类问题", "Kinds of finding"),
    "discrepancies": ("问题", "Findings"),
    "fixes": ("改法", "What to do"),
}
TABLE_HEADER = {
    "zh": ("严重程度", "代码", "位置", "指标或项目", "表中", "重算", "说明"),
    "en": ("Severity", "Code", "Cell", "Indicator or item", "Printed", "Recomputed", "Message"),
}
FIX_HEADER = {"zh": "改法", "en": "What to do"}  # the help, a column of the workbook's findings sheet
SUMMARY_HEADER = {
    "zh": ("序号", "项目", "文件", "规则", "表中总得分", "重算总得分", "重算等级", "错误", "警告", "问题"),
    "en": (
        "No.",
        "Project",
        "File",
        "Ruleset",
        "Printed total",
        "Total",
        "Grade",
        "Errors",
        "Warnings",
        "Findings",
    ),
}
KINDS_HEADER = {
    "zh": ("代码", "问题", "严重程度", "表数", "处数"),
    "en": ("Code", "Kind", "Severity", "Tables", "Count"),
}
PARTS = {BUDGET: "budget", TOTAL: "total", GRADE: "grade"}
KIND_NAMES: dict[str, str] = {  # the kinds as a Chinese reviewer names them (English: `KIND_NAMES_EN`)
    "F112": "项目名称与规则不同",
    "F113": "主管部门或实施单位与规则不同",
    "F150": "只差舍入",
    "F151": "已完成却扣分",
    "F152": "已完成却扣分（有说明）",
    "F153": "未完成却满分",
    "F154": "得分算错",
    "F155": "分值与规则不同",
    "F156": "指标值与规则不同",
    "F157": "分值印作百分比",
    "F158": "缺得分",
    "F159": "无法读取",
    "F160": "单位不一致",
    "F161": "实际值带符号",
    "F162": "空行",
    "F163": "缺偏差说明",
    "F164": "执行率算错",
    "F165": "预算得分算错",
    "F166": "分值合计不符",
    "F167": "分值不合结构",
    "F168": "总得分不是各项之和",
    "F169": "总得分由未舍入的分相加",
    "F170": "等级不符",
    "F171": "规则中没有的指标",
    "F172": "表中缺指标",
    "F173": "指标重复",
    "F174": "零预算无法重算",
    "F175": "零预算按规则处理",
    "F176": "超额需复核",
    "F177": "年度与规则不同",
    "F179": "量表外的词按表中比例计",
    "F180": "量表外的词得分比例不一",
    "F185": "单项得分与折算得分不符",
    "F186": "单项得分与规则不符",
    "F187": "得分列未读取",
    "F188": "得分格合并多行",
}
KIND_NAMES_EN: dict[str, str] = {  # as an English reader names them (JSON keeps the machine name, `kind`)
    "F112": "project name differs from the rules'",
    "F113": "department or unit differs from the rules'",
    "F150": "rounding only",
    "F151": "marked down although met",
    "F152": "marked down although met (explained)",
    "F153": "full marks although missed",
    "F154": "score miscalculated",
    "F155": "weight differs from the rules",
    "F156": "target differs from the rules",
    "F157": "weight printed as a percentage",
    "F158": "score missing",
    "F159": "unreadable",
    "F160": "units differ",
    "F161": "actual value with a comparison sign",
    "F162": "empty row",
    "F163": "explanation of a shortfall missing",
    "F164": "execution rate miscalculated",
    "F165": "budget score miscalculated",
    "F166": "weights do not add up",
    "F167": "weights do not fit the structure",
    "F168": "total is not the sum of the items",
    "F169": "total added from unrounded scores",
    "F170": "grade differs",
    "F171": "indicator not in the rules",
    "F172": "indicator missing from the table",
    "F173": "indicator repeated",
    "F174": "zero budget: cannot recompute",
    "F175": "zero budget: handled by the rules",
    "F176": "over-achievement to review",
    "F177": "year differs from the rules",
    "F179": "word scored at the table's share",
    "F180": "word scored at differing shares",
    "F185": "item score and weighted score disagree",
    "F186": "item score differs from the rules'",
    "F187": "score column not read",
    "F188": "score cell merged over rows",
}


def item(where: str, lang: Lang) -> str:
    """Where a discrepancy is: an indicator's path, or a table-wide item in the language asked for."""
    return ITEMS_EN.get(where, where) if lang == "en" else where


def say(key: str, lang: Lang, **args: object) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**args)


def render_audits(audits: Sequence[TableAudit], fmt: str, lang: Lang, explain: bool = False) -> str | bytes:
    """Every audit in one document: "table", "markdown", "json" (text) or "xlsx" (bytes)."""
    if fmt == "json":
        return audit_json(audits, lang, explain)
    if fmt == "xlsx":
        return audit_workbook(audits, lang)
    return audit_text(audits, lang, markdown=fmt == "markdown", explain=explain)


# -- text ---------------------------------------------------------------------------------------------------
def audit_text(
    audits: Sequence[TableAudit], lang: Lang, markdown: bool = False, explain: bool = False
) -> str:
    escape = safe.markdown if markdown else safe.terminal
    fmt = "github" if markdown else "simple"
    parts = [_summary_text(audits, lang, escape, fmt, markdown)] if len(audits) > 1 else []
    parts += [_table_text(a, lang, escape, fmt, markdown, explain) for a in audits]
    return "\n\n".join(parts) + "\n"


def _summary_text(
    audits: Sequence[TableAudit], lang: Lang, escape: Callable[[str], str], fmt: str, markdown: bool
) -> str:
    title = say("title", lang, n=len(audits))
    head = f"## {title}" if markdown else title
    lines = [head, "", _counts_line(audits, lang), "", grid(summary_block(audits, lang), escape, fmt)]
    kinds = kinds_block(audits, lang)
    if kinds.rows:
        lines += [
            "",
            say("kinds", lang) + ("" if markdown else "：" if lang == "zh" else ":"),
            "",
            grid(kinds, escape, fmt),
        ]
    return "\n".join(lines)


def _counts_line(audits: Sequence[TableAudit], lang: Lang) -> str:
    summary = _summary(audits)
    return say(
        "counts",
        lang,
        clean=summary.clean,
        errors=summary.with_errors,
        warnings=summary.warnings_only,
        incomplete=summary.incomplete,
    )


def _table_text(
    audit: TableAudit, lang: Lang, escape: Callable[[str], str], fmt: str, markdown: bool, explain: bool
) -> str:
    title = say("table", lang, name=audit.name, origin=audit.origin)
    ruleset = say("ruleset", lang, ruleset=audit.ruleset) + (
        say("policy_only", lang) if audit.policy_only else ""
    )
    if audit.tolerance:
        ruleset += say("tolerance", lang, tolerance=_tolerance_text(audit.tolerance))
    lines = [
        f"### {escape(title)}" if markdown else escape(title),
        "",
        escape(ruleset),
        escape(_totals(audit, lang)),
    ]
    if audit.discrepancies:
        lines += ["", grid(discrepancy_block(audit.discrepancies, lang), escape, fmt)]
        lines += _fixes(audit.discrepancies, lang, escape, markdown)
    elif audit.audited:
        lines += ["", say("clean", lang)]
    if audit.errors:
        lines += ["", say("incomplete", lang), "", render_all(audit.errors, lang)]
    if explain and audit.result is not None:
        lines += _explanations(audit, lang, escape)
    return "\n".join(lines)


def _fixes(
    discrepancies: Sequence[Discrepancy], lang: Lang, escape: Callable[[str], str], markdown: bool
) -> list[str]:
    """What to do, once per code and help text, as `score` gives the help of its errors."""
    helps = dict.fromkeys((d.code, help_text(d, lang)) for d in discrepancies)
    colon = "：" if lang == "zh" else ":"
    lines = ["", say("fixes", lang) + colon]
    for code, text in helps:
        if text:
            lines.append(f"- {code} {escape(text)}" if markdown else f"  {code}  {escape(text)}")
    return lines if len(lines) > 2 else []


def help_text(d: Discrepancy, lang: Lang) -> str:
    """What to do about a finding (its catalogue help), or ""."""
    return d.diagnostic().help(lang) or ""


def _totals(audit: TableAudit, lang: Lang) -> str:
    result = audit.result
    total = result.total.text() if result is not None else "—"
    grade = (result.grade or "—") if result is not None else "—"
    return say(
        "totals",
        lang,
        printed=clip(audit.printed_total) or "—",
        total=total,
        pgrade=audit.printed_grade or "—",
        grade=grade,
    )


def _explanations(audit: TableAudit, lang: Lang, escape: Callable[[str], str]) -> list[str]:
    lines = ["", say("explain", lang)]
    for discrepancy, node in _traces(audit, lang):
        lines += ["", escape(f"{discrepancy.code} {item(discrepancy.where, lang)}")]
        lines += ["  " + escape(line) for line in trace_lines(node)]
    return lines


def _traces(audit: TableAudit, lang: Lang) -> Iterator[tuple[Discrepancy, TraceNode]]:
    if audit.result is None:
        return
    for discrepancy in audit.discrepancies:
        node = part_trace(audit.result, _part(discrepancy), lang)
        if node is not None:
            yield discrepancy, node


def _part(discrepancy: Discrepancy) -> str:
    return discrepancy.indicator or PARTS.get(discrepancy.where, discrepancy.where)


# -- blocks (text and xlsx) ----------------------------------------------------------------------------------
def discrepancy_block(
    discrepancies: Sequence[Discrepancy], lang: Lang, audit: TableAudit | None = None
) -> Block:
    """The findings of a table; with `audit` (the workbook's sheet of every table's findings), each row
    also names its project and file (or sheet) first and gives what to do last."""
    header: tuple[str, ...] = TABLE_HEADER[lang]
    if audit is None:
        return Block(header, tuple(_row(d, lang) for d in discrepancies))
    header = (SUMMARY_HEADER[lang][1], SUMMARY_HEADER[lang][2], *header, FIX_HEADER[lang])
    rows = tuple(
        (Cell(audit.name), Cell(audit.origin), *_row(d, lang), Cell(help_text(d, lang)))
        for d in discrepancies
    )
    return Block(header, rows)


def _row(d: Discrepancy, lang: Lang) -> tuple[Cell, ...]:
    severity = say(d.severity.value, lang)
    return (
        Cell(severity),
        Cell(d.code),
        Cell(place(d.span)),
        Cell(item(d.where, lang)),
        Cell(clip(d.printed)),
        Cell(d.recomputed),
        Cell(d.message(lang)),
    )


def place(span: Span | None) -> str:
    """Where a cell is: G14 in a workbook, 14:7 (row:column) in a text table, — for none."""
    if span is None or span.line < 1:
        return "—"
    if span.sheet is not None:
        return f"{column_letter(span.column)}{span.line}"
    return f"{span.line}:{span.column}"


def summary_block(audits: Sequence[TableAudit], lang: Lang) -> Block:
    return Block(SUMMARY_HEADER[lang], tuple(_summary_row(a) for a in audits))


def _summary_row(audit: TableAudit) -> tuple[Cell, ...]:
    result = audit.result
    counts = Counter(d.code for d in audit.discrepancies)
    codes = " ".join(f"{code}×{n}" if n > 1 else code for code, n in sorted(counts.items()))
    if not audit.audited:
        codes = " ".join([codes, *dict.fromkeys(d.code for d in audit.errors)]).strip()
    errors, warnings = audit.count(Severity.ERROR), audit.count(Severity.WARNING)
    return (
        Cell(str(audit.index), Fraction(audit.index), 0),
        Cell(audit.name),
        Cell(audit.origin),
        Cell(audit.ruleset),
        _printed_cell(audit.printed_total),
        figure_cell(result.total) if result is not None else Cell(""),
        Cell(result.grade or "—") if result is not None else Cell(""),
        Cell(str(errors), Fraction(errors), 0),
        Cell(str(warnings), Fraction(warnings), 0),
        Cell(codes),
    )


def _printed_cell(text: str) -> Cell:
    """The table's printed total: a number where it reads as one (the workbook writes it as a number,
    as the recomputed total beside it), else its text."""
    number = printed_number(text)
    if number is None or number.percent:
        return Cell(clip(text))
    return Cell(clip(text), number.value, number.places)


def kinds_block(audits: Sequence[TableAudit], lang: Lang) -> Block:
    rows = tuple(
        (
            Cell(k.code),
            Cell(KIND_NAMES[k.code] if lang == "zh" else KIND_NAMES_EN[k.code]),
            Cell(say(k.severity, lang)),
            Cell(str(k.tables), Fraction(k.tables), 0),
            Cell(str(k.count), Fraction(k.count), 0),
        )
        for k in _kinds(audits)
    )
    return Block(KINDS_HEADER[lang], rows)


# -- JSON ----------------------------------------------------------------------------------------------------
def audit_report(audits: Sequence[TableAudit], lang: Lang = "zh", explain: bool = False) -> AuditReport:
    return AuditReport.model_construct(
        summary=_summary(audits), tables=[_table_report(a, lang, explain) for a in audits]
    )


def audit_json(audits: Sequence[TableAudit], lang: Lang = "zh", explain: bool = False) -> str:
    return audit_report(audits, lang, explain).model_dump_json(indent=2, exclude_unset=True)


def _summary(audits: Sequence[TableAudit]) -> AuditSummary:
    clean = sum(1 for a in audits if a.clean)
    incomplete = sum(1 for a in audits if not a.audited)
    errors = sum(1 for a in audits if a.audited and a.count(Severity.ERROR))
    return AuditSummary.model_construct(
        tables=len(audits),
        clean=clean,
        with_errors=errors,
        warnings_only=len(audits) - clean - incomplete - errors,
        incomplete=incomplete,
        kinds=_kinds(audits),
    )


def _kinds(audits: Sequence[TableAudit]) -> list[KindCount]:
    count = Counter(d.code for a in audits for d in a.discrepancies)
    tables = Counter(code for a in audits for code in {d.code for d in a.discrepancies})
    return [
        KindCount.model_construct(
            code=code,
            kind=KINDS[code][0],
            severity=KINDS[code][1].value,
            tables=tables[code],
            count=count[code],
        )
        for code in sorted(count)
    ]


def _table_report(audit: TableAudit, lang: Lang, explain: bool) -> TableAuditReport:
    result = audit.result
    traces = dict((id(d), node) for d, node in _traces(audit, lang)) if explain else {}
    total = result.total if result is not None else None
    return TableAuditReport.model_construct(
        index=audit.index,
        project=audit.name,
        origin=audit.origin,
        ruleset=audit.ruleset,
        policy_only=audit.policy_only,
        complete=audit.audited,
        tolerance=_tolerance_text(audit.tolerance),
        printed_total=audit.printed_total or None,
        total=decimal_text(total.value, total.digits) if total is not None else None,
        total_exact=exact_text(total.value, total.digits) if total is not None else None,
        printed_grade=audit.printed_grade or None,
        grade=result.grade if result is not None else None,
        errors=audit.count(Severity.ERROR),
        warnings=audit.count(Severity.WARNING),
        discrepancies=[_discrepancy_report(d, lang, traces.get(id(d))) for d in audit.discrepancies],
        diagnostics=[diagnostic_report(d, lang) for d in audit.errors],
    )


def _discrepancy_report(d: Discrepancy, lang: Lang, trace: TraceNode | None) -> DiscrepancyReport:
    diagnostic = d.diagnostic()
    report = DiscrepancyReport.model_construct(
        code=d.code,
        kind=d.kind,
        severity=d.severity.value,
        where=d.where,
        printed=d.printed,
        recomputed=d.recomputed,
        message=d.message(lang),
        help=diagnostic.help(lang),
        span=diagnostic_report(diagnostic, lang).span,
    )
    return report if trace is None else report.model_copy(update={"explanation": trace})


# -- xlsx ----------------------------------------------------------------------------------------------------
def audit_workbook(audits: Sequence[TableAudit], lang: Lang) -> bytes:
    """The summary, every discrepancy (with its project), and the kinds, a sheet each."""
    rows = tuple(row for a in audits for row in discrepancy_block(a.discrepancies, lang, a).rows)
    header = discrepancy_block([], lang, TableAudit(0, "", "", "", False)).header
    every = Block(header, rows)
    blocks = [
        (say("title", lang, n=len(audits)).split("：")[0].split(":")[0], summary_block(audits, lang)),
        (say("discrepancies", lang), every),
        (say("kinds", lang), kinds_block(audits, lang)),
    ]
    return blocks_workbook(blocks)


def _tolerance_text(value: Fraction) -> str:
    return decimal_text(value, None, pad=False)
