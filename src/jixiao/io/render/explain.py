"""Explaining a score: a trace tree (`schema.ExplanationReport`) and its text rendering.

For every indicator: the parsed target and actual with units normalised
(``1.11万人 = 11100人 ≥ 11000人 → 达标``), the method and the rule it came
from (policy file, line, 依据), each step with exact intermediate values, the
rounding, caps, adjustments and findings; then the budget block, the total
and the grade band. Steps are formatted only here, so scoring stays cheap.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jixiao.diagnostics import Span, one_line
from jixiao.engine.methods import fmt, target_met
from jixiao.engine.resolve import Rules
from jixiao.engine.results import Basis, BudgetResult, Finding, IndicatorResult, Result, Step
from jixiao.io.render.figures import figure_text, rate_text
from jixiao.io.schema import ExplanationReport, TraceNode
from jixiao.language import nodes as n
from jixiao.language.quantity import Comparator, NumericActual, NumericTarget, Quantity, RangeTarget
from jixiao.language.vocabulary import KIND_LABELS, METHOD_LABELS
from jixiao.messages import Lang

KINDS: dict[str, tuple[str, str]] = {
    "higher": ("正向", "higher is better"),
    "lower": ("反向", "lower is better"),
    "equal": ("相等", "equal"),
    "range": ("区间", "range"),
    "deadline": ("时限", "deadline"),
    "qualitative": ("定性", "qualitative"),
}
NEGATED = {
    Comparator.GE: "<",
    Comparator.GT: "≤",
    Comparator.LE: ">",
    Comparator.LT: "≥",
    Comparator.EQ: "≠",
}


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def where(span: Span | None) -> str:
    """`path:line`, the path relative to the working directory when inside it."""
    if span is None:
        return "?"
    path = span.path
    try:
        relative = os.path.relpath(path)
        path = relative if not relative.startswith("..") else path
    except ValueError:  # pragma: no cover - another drive on Windows
        pass
    return f"{Path(path).as_posix()}:{span.line}"


# -- the trace tree ------------------------------------------------------------------------------------
def explain_report(result: Result, lang: Lang = "zh") -> ExplanationReport:
    """The trace tree of a result (built without validation: trusted data)."""
    trace: list[TraceNode] = []
    if result.budget is not None:
        trace.append(_budget(result, result.budget, lang))
    trace.extend(_indicator(i, result.rules, lang) for i in result.indicators)
    trace.append(_total(result, lang))
    grade = _grade(result, lang)
    if grade is not None:
        trace.append(grade)
    notes = list(result.rules.notes) if result.rules is not None else []
    return ExplanationReport.model_construct(
        lang=lang,
        project=result.project,
        total=figure_text(result.total),
        grade=result.grade,
        trace=trace,
        notes=notes,
    )


def _node(
    kind: str, text: str, value: str | None = None, children: list[TraceNode] | None = None
) -> TraceNode:
    return TraceNode.model_construct(kind=kind, text=text, value=value, children=children or [])


def _steps(steps: tuple[Step, ...], lang: Lang) -> list[TraceNode]:
    return [_node("step", s.text(lang)) for s in steps]


def _findings(findings: tuple[Finding, ...] | list[Finding], lang: Lang) -> list[TraceNode]:
    return [_node("finding", f"{f.code} {f.message(lang)}", f.code) for f in findings]


def _indicator(i: IndicatorResult, rules: Rules | None, lang: Lang) -> TraceNode:
    score = i.score.text() if i.score is not None else "/"
    head = _t(lang, "得分", "score") + f" {score} / " + _t(lang, "分值", "weight") + f" {i.weight.text()}"
    if i.subtotal:
        head = _t(
            lang,
            f"小计 {score} / 分值 {i.weight.text()}（不计入总分）",
            f"subtotal {score} / {i.weight.text()} (not counted)",
        )
    elif i.breakdown_of is not None:
        head = _t(
            lang, f"「{i.breakdown_of}」的其中一项，不计分", f"a breakdown of “{i.breakdown_of}”, not scored"
        )
    elif i.score is None:
        state = _t(lang, "得分未知", "score unknown") if i.unknown else _t(lang, "不适用", "not applicable")
        head = state + _t(lang, "，分值 ", ", weight ") + i.weight.text()
    if i.adjusted:
        head += _t(lang, "（人工调整）", " (adjusted)")
    children = [
        _node(
            "comparison",
            _t(lang, "目标 ", "target ")
            + (i.target or "—")
            + _t(lang, "；实际 ", "; actual ")
            + _actual(i, lang),
        )
    ]
    comparison = compare_text(i, lang)
    if comparison is not None:
        children.append(_node("comparison", comparison))
    if i.breakdown_of is None and not i.subtotal:  # 其中 and 小计 rows have no method: they are not scored
        children.append(_method(i, rules, lang))
    children.extend(_steps(i.steps, lang))
    children.extend(_findings(i.findings, lang))
    colon = _t(lang, "：", ": ")
    return _node("indicator", f"{i.level1} / {i.level2} / {i.name}{colon}{head}", score, children)


def _actual(i: IndicatorResult, lang: Lang) -> str:
    """The actual value the row was scored with: as the table writes it, or (实际 = …) the value computed,
    with what the table writes beside it where that reads otherwise (90.13%, the table's 90.125%)."""
    written = i.actual or "—"
    basis = i.basis  # (kept when a result is pickled or copied, as its plan is not)
    if basis is None or not basis.computed or not isinstance(i.parsed_actual, NumericActual):
        return written
    computed = i.parsed_actual.quantity.text()
    if computed == written:
        return written
    return computed + _t(
        lang, f"（由公式算出；表中写 {written}）", f" (computed; the table writes {written})"
    )


def base_text(q: Quantity) -> str:
    """A quantity in its dimension's base unit: 1.11万人 → 11100人, 93.76% stays 93.76%."""
    if q.dimension == "%":
        return fmt(q.base * 100) + "%"
    return fmt(q.base) + q.dimension


def compare_text(i: IndicatorResult, lang: Lang) -> str | None:
    """`1.11万人 = 11100人 ≥ 11000人 → 达标` for a numeric actual against a numeric or range target."""
    basis, actual = i.basis, i.parsed_actual
    if basis is None or not isinstance(actual, NumericActual):
        return None
    target = basis.target
    if not isinstance(target, NumericTarget | RangeTarget) or actual.quantity.dimension != _dimension(target):
        return None
    met = target_met(target, actual.quantity.base)  # the comparison itself, whatever scored the row
    written, base = actual.quantity.text(), base_text(actual.quantity)
    left = written if written == base else f"{written} = {base}"
    verdict = _t(lang, "达标", "met") if met else _t(lang, "未达标", "not met")
    if isinstance(target, NumericTarget):
        sign = target.comparator.symbol if met else NEGATED[target.comparator]
        return f"{left} {sign} {base_text(target.quantity)} → {verdict}"
    return f"{left} {'∈' if met else '∉'} {target.text()} → {verdict}"


def _dimension(target: NumericTarget | RangeTarget) -> str:
    return target.quantity.dimension if isinstance(target, NumericTarget) else target.low.dimension


def method_name(method: str, lang: Lang) -> str:
    """A method by its name in the language of the output: 比例 / ratio, 扣分 / deduct, 公式 / formula."""
    pair = METHOD_LABELS.get(method, (method, method))
    return pair[0] if lang == "zh" else pair[1]


def _method(i: IndicatorResult, rules: Rules | None, lang: Lang) -> TraceNode:
    basis = i.basis
    if basis is None:
        return _node("method", _t(lang, "方法 ", "method ") + method_name(i.method, lang), i.method)
    kind = KINDS.get(basis.kind, (basis.kind, basis.kind))
    name = method_name("formula" if basis.formula else basis.method, lang)
    if basis.target is None:  # a formula (or an asserted score) without a target
        return _node(
            "method", _t(lang, f"方法：{name}", f"method: {name}"), i.method, _origin(i, basis, rules, lang)
        )
    text = _t(lang, f"方法：{name}（{kind[0]}目标）", f"method: {name} ({kind[1]} target)")
    return _node("method", text, i.method, _origin(i, basis, rules, lang))


def _origin(i: IndicatorResult, basis: Basis, rules: Rules | None, lang: Lang) -> list[TraceNode]:
    out: list[TraceNode] = []
    own = basis.origin == "indicator" or basis.formula  # the user's own rule, not the policy's
    if own:
        out.append(
            _node("source", _t(lang, "由指标自身写明 ", "written on the indicator ") + where(basis.span))
        )
    elif basis.origin == "policy" and rules is not None and basis.kind in rules.kinds:
        rule = rules.kinds[basis.kind]
        kind = KIND_LABELS[basis.kind][0 if lang == "zh" else 1]
        written = f"{kind} {method_name(rule.method.id, lang)}"  # the rule as written in this language
        text = _t(
            lang,
            f"评分办法规则 {where(rule.span)}（{written}）",
            f"policy rule {where(rule.span)} ({written})",
        )
        out.append(_node("source", text))
    else:
        out.append(_node("source", _t(lang, "内置默认方法", "built-in default method")))
    cited = [i.source] if i.source else [] if own else list(rules.sources if rules else ())
    if cited:
        out.append(_node("source", _t(lang, "依据 ", "basis ") + _t(lang, "、", ", ").join(cited)))
    return out


def _budget(result: Result, budget: BudgetResult, lang: Lang) -> TraceNode:
    rate = rate_text(budget.rate) or _t(lang, "无", "none")
    score = budget.score.text() if budget.score is not None else "/"
    shown = score if budget.score is not None else _t(lang, "无", "none")
    text = _t(
        lang,
        f"预算执行：执行率 {rate}，得分 {shown} / 分值 {budget.weight.text()}",
        f"budget execution: rate {rate}, score {shown} / weight {budget.weight.text()}",
    )
    if not budget.counted:
        text += _t(lang, "（不计入总分）", " (not counted in the total)")
    children: list[TraceNode] = []
    rules = result.rules
    if rules is not None and rules.budget.span is not None:
        children.append(_node("source", _t(lang, "预算执行规则 ", "budget rule ") + where(rules.budget.span)))
        formula = getattr(rules.budget.score, "span", None)
        if isinstance(formula, Span) and formula.line > 0:
            children.append(_node("source", _t(lang, "得分公式 ", "score formula ") + where(formula)))
    children.extend(_steps(budget.steps, lang))
    children.extend(_findings([f for f in result.findings if f.indicator == n.BUDGET_LEVEL], lang))
    return _node("budget", text, score, children)


def _total(result: Result, lang: Lang) -> TraceNode:
    text = _t(lang, "总得分 ", "total ") + result.total.text() + " / " + result.total_weight.text()
    levels = [
        _node("step", f"{name}{_t(lang, '：', ': ')}{figure.text()} / {weight.text()}", figure.text())
        for name, weight, figure in result.levels
    ]
    return _node("total", text, result.total.text(), [*levels, *_steps(result.steps, lang)])


def _grade(result: Result, lang: Lang) -> TraceNode | None:
    rules = result.rules
    if result.grade is None or rules is None or rules.grades is None:
        return None
    grade = next((g for g in rules.grades.grades if g.name == result.grade), None)
    band = grade.text if grade is not None else "?"
    text = _t(
        lang,
        f"等级 {result.grade}：总得分 {result.total.text()} 落在 {band}",
        f"grade {result.grade}: the total {result.total.text()} falls in {band}",
    )
    source = [_node("source", _t(lang, "等级规则 ", "grade rule ") + where(grade.span))] if grade else []
    return _node("grade", text, result.grade, source)


# -- text ---------------------------------------------------------------------------------------------
def render(result: Result, fmt: str, lang: Lang) -> str:
    """`render_result` for "explain"."""
    return explain_text(result, lang)


def _ends_with_year(name: str, year: int) -> bool:
    """Whether a project's name ends with its year in brackets: （2024）, (2024), （2024年度）, 【2024年】."""
    return re.search(rf"[（(【\[]\s*{year}\s*(?:年度|年)?\s*[）)】\]]$", name) is not None


def explain_text(result: Result, lang: Lang = "zh") -> str:
    """The explanation as indented text, one line per trace node."""
    report = explain_report(result, lang)
    name = one_line(report.project)
    year = (f"（{result.year}）" if lang == "zh" else f" ({result.year})") if result.year else ""
    if result.year and _ends_with_year(name, result.year):  # 乡村振兴项目（2024）: not （2024）（2024）
        year = ""
    title = _t(lang, "评分说明：", "How the score came about: ") + name + year
    lines = [title]
    lines.extend(
        _t(lang, "说明：", "Note: ") + one_line(note) for note in report.notes
    )  # 说明 "…" of the rules
    lines.append("")
    for node in report.trace:
        lines.extend(_lines(node, 0))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _lines(node: TraceNode, depth: int) -> list[str]:
    bullet = "" if depth == 0 else "  " * depth + ("⚑ " if node.kind == "finding" else "· ")
    out = [bullet + one_line(node.text)]  # user text: no control characters, no forged lines
    for child in node.children:
        out.extend(_lines(child, depth + 1))
    return out


# -- one part of a result (jixiao audit --explain) ---------------------------------------------------
def part_trace(result: Result, part: str, lang: Lang = "zh") -> TraceNode | None:
    """The trace of one part of a result: an indicator (by its path), or "budget", "total", "grade"."""
    if part == "budget":
        return _budget(result, result.budget, lang) if result.budget is not None else None
    if part == "total":
        return _total(result, lang)
    if part == "grade":
        return _grade(result, lang)
    indicator = next((i for i in result.indicators if i.path == part), None)
    return _indicator(indicator, result.rules, lang) if indicator is not None else None


def trace_lines(node: TraceNode) -> list[str]:
    """A trace node as the indented lines `explain_text` prints."""
    return _lines(node, 0)
