"""Dead rules (warnings): unused method parameters, unused scales, overrides that change nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from jixiao.diagnostics import Diagnostic, Severity, Span
from jixiao.engine.resolve import Rules, Ruleset, merge_statement, replaced_roundings
from jixiao.language import nodes as n
from jixiao.language.quantity import QualitativeTarget
from jixiao.language.vocabulary import METHOD_PARAMS, STAGE_LABELS

# Methods that take one positional argument (量表(合理性)); the others take none.
POSITIONAL = frozenset({"scale"})
LABELS: dict[type, tuple[str, str]] = {
    n.Total: ("总分", "total"),
    n.Rounding: ("舍入规则", "rounding rule"),
    n.Budget: ("预算执行块", "budget block"),
    n.KindRule: ("评分方法", "method rule"),
    n.Scale: ("量表", "scale"),
    n.Grades: ("等级划分", "grade bands"),
    n.Over: ("超额规则", "over-achievement rule"),
    n.NotApplicableRule: ("不适用规则", "not-applicable rule"),
    n.Framework: ("结构", "framework"),
    n.Direction: ("方向规则", "direction rule"),
    n.FormulaDef: ("公式", "formula"),
    n.Columns: ("表列", "columns"),
    n.AuditTolerance: ("复核容差", "audit tolerance"),
}


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for method in _methods(ruleset):
        out.extend(_unused_params(method))
    out.extend(_unused_scales(ruleset))
    out.extend(_no_op_overrides(ruleset))
    return out


def _warning(code: str, span: Span | None, **args: object) -> Diagnostic:
    return Diagnostic(code, span, dict(args), severity=Severity.WARNING)


def _methods(ruleset: Ruleset) -> list[n.Method]:
    own = [s.method for s in ruleset.document.statements if isinstance(s, n.KindRule)]
    return own + [i.method for i in ruleset.indicators if i.method is not None]


def _unused_params(method: n.Method) -> list[Diagnostic]:
    if not method.id:
        return []  # an unknown method is an error of its own (E203)
    params = METHOD_PARAMS.get(method.id, {})
    choices = "、".join(params) or ("（无）", "(none)")
    out = []
    for i, arg in enumerate(method.args):
        if arg.name is None and method.id in POSITIONAL and i == 0:
            continue
        if arg.name is None or arg.name not in params:
            name = arg.name or "…"
            out.append(_warning("W103", arg.span, method=method.written, name=name, choices=choices))
    return out


def _unused_scales(ruleset: Ruleset) -> list[Diagnostic]:
    """Scales a project declares itself and none of its indicators uses (a policy's scales are vocabulary)."""
    if ruleset.document.kind != "project":
        return []
    used = _used_scale_names(ruleset)
    own = [s for s in ruleset.document.statements if isinstance(s, n.Scale)]
    return [_warning("W102", s.span, name=s.name) for s in own if s.name not in used]


def _used_scale_names(ruleset: Ruleset) -> set[str]:
    used: set[str] = set()
    words = {ind.target.word for ind in ruleset.indicators if isinstance(ind.target, QualitativeTarget)}
    for scale in ruleset.rules.scales.values():
        if scale.generic or any(w in words for lv in scale.levels for w in lv.words):
            used.add(scale.name)
    for method in [*_methods(ruleset), *(r.method for r in ruleset.rules.kinds.values())]:
        for arg in method.args:
            value = arg.value
            if isinstance(value, n.Var | n.Text):
                used.add(value.name if isinstance(value, n.Var) else value.value)
    return used


def _no_op_overrides(ruleset: Ruleset) -> list[Diagnostic]:
    """Statements of this file that leave the rules from its policies exactly as they were (W104), and
    a stage-less 舍入 that takes over a policy's stage rounding (W112, so nobody is surprised)."""
    rules = ruleset.base_rules
    if rules is None or not ruleset.rules.policies:
        return []
    out = []
    for statement in ruleset.document.statements:
        label = LABELS.get(type(statement))
        after = merge_statement(rules, statement)
        if label is not None and _same(rules, after):
            out.append(_warning("W104", statement.span, what=label))
        elif isinstance(statement, n.Rounding):
            replaced = _replaced(rules, statement, ruleset.rules)
            unchanged = not statement.display and _rounds_the_same(rules, after)
            if not replaced and label is not None and unchanged:
                out.append(_warning("W104", statement.span, what=label))
            out.extend(replaced)
        rules = after
    return out


def _rounds_the_same(before: Rules, after: Rules) -> bool:
    """Whether every stage, the budget block's included, is rounded as before (a stage-less 舍入 that
    takes over policy stage lines rounding just as it does: `舍入 四舍五入 2位` under standard/central)."""
    stages: tuple[n.Stage, ...] = ("indicator", "level", "budget", "total", "rate")
    return all(_alike(before.rounding_for(s), after.rounding_for(s)) for s in stages) and _alike(
        _budget_rounding(before), _budget_rounding(after)
    )


def _budget_rounding(rules: Rules) -> n.Rounding | None:
    """How the budget score is rounded: the budget block's own 舍入, else the budget stage's (as compiled)."""
    return rules.budget.rounding or rules.rounding_for("budget")


def _alike(a: n.Rounding | None, b: n.Rounding | None) -> bool:
    """The same rounding wherever written (the stage it was written for aside)."""
    if a is None or b is None:
        return a is b
    return (a.mode, a.digits, a.display) == (b.mode, b.digits, b.display)


def _replaced(before: Rules, statement: n.Rounding, final: Rules) -> list[Diagnostic]:
    """W112 for each policy stage rounding the stage-less `statement` takes over, unless this file sets
    that stage's rounding itself (`舍入 执行率 …` below it, or the budget block's own 舍入): then it is
    not the stage-less one that applies, and nothing is taken over by surprise."""
    out = []
    here = statement.span.path
    for older in replaced_roundings(before, statement):
        now = (
            final.budget.rounding
            if older is before.budget.rounding
            else final.rounding.get(older.stage or "")
        )
        if now is not None and now.span.path == here and now.stage == older.stage:
            continue
        if older is before.budget.rounding:
            applied = _budget_rounding(final)
        else:
            applied = final.rounding_for(older.stage or "default")
        if _alike(applied, older):  # rounded as the policy said: nothing is replaced
            continue
        where = f"{Path(older.span.path).name}:{older.span.line}"
        stage = STAGE_LABELS.get(older.stage or "budget", ("预算", "budget"))
        out.append(_warning("W112", statement.span, stage=stage, where=where))
    return out


def _same(before: Rules, after: Rules) -> bool:
    return replace(before, budget=replace(before.budget, span=None)) == replace(
        after, budget=replace(after.budget, span=None)
    )
