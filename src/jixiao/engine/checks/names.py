"""Names resolve: methods, scales, formula variables, indicator references, qualitative words."""

from __future__ import annotations

from difflib import SequenceMatcher, get_close_matches

from jixiao.diagnostics import Diagnostic, Span
from jixiao.engine.expr import reference_name, walk
from jixiao.engine.named import expand
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import QualitativeTarget
from jixiao.language.vocabulary import BUDGET_VARS, FUNC_ARITY, INDICATOR_VARS, METHOD_WORDS, name_key


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for method in _methods(ruleset):
        out.extend(_method(method, ruleset))
    for expr in _expressions(ruleset):
        out.extend(_expression(expr, ruleset))
    for ind in ruleset.indicators:
        out.extend(_qualitative(ind, ruleset))
    return out


def _methods(ruleset: Ruleset) -> list[n.Method]:
    methods = [r.method for r in ruleset.rules.kinds.values()]
    return methods + [i.method for i in ruleset.indicators if i.method is not None]


def _method(method: n.Method, ruleset: Ruleset) -> list[Diagnostic]:
    if not method.id:
        close = get_close_matches(method.written, list(METHOD_WORDS), n=1, cutoff=0.3)
        choices = "、".join(w for w in METHOD_WORDS if not w.isascii())
        return [
            Diagnostic(
                "E203",
                method.span,
                {"name": method.written, "choices": choices},
                suggestion=close[0] if close else None,
            )
        ]
    out = []
    for arg in method.args:
        name = _scale_name(arg)
        if method.id == "scale" and name is not None and name not in ruleset.rules.scales:
            out.append(_unknown_scale(name, arg.span, ruleset))
    return out


def _scale_name(arg: n.Arg) -> str | None:
    if arg.name is not None:
        return None
    if isinstance(arg.value, n.Var):
        return arg.value.name
    return arg.value.value if isinstance(arg.value, n.Text) else None


def _unknown_scale(name: str, span: Span, ruleset: Ruleset) -> Diagnostic:
    close = get_close_matches(name, list(ruleset.rules.scales), n=1, cutoff=0.3)
    return Diagnostic("E202", span, {"name": name}, suggestion=close[0] if close else None)


def _expressions(ruleset: Ruleset) -> list[n.Expr]:
    rules = ruleset.rules
    exprs: list[n.Expr] = [e.condition for e in rules.explain]
    exprs += [e.condition for e in rules.budget.explain]
    exprs += [e for e in (rules.budget.score, rules.budget.rate) if e is not None]
    exprs += [expand(f.expr, rules.formulas) for f in rules.formulas.values()]  # unused ones too
    for ind in ruleset.indicators:
        exprs += [e for e in (ind.actual, ind.score) if e is not None]
        if ind.method is not None:
            exprs += [b.result for b in ind.method.bands]
    return exprs


def _expression(expr: n.Expr, ruleset: Ruleset) -> list[Diagnostic]:
    known = (*INDICATOR_VARS, *BUDGET_VARS)
    out = []
    for node in walk(expr):
        if isinstance(node, n.Var) and node.name not in known:
            close = get_close_matches(node.name, known, n=1, cutoff=0.4)
            out.append(
                Diagnostic(
                    "E208",
                    node.span,
                    {"name": node.name, "choices": "、".join(known)},
                    suggestion=close[0] if close else None,
                )
            )
        elif isinstance(node, n.Call):
            out.extend(_call(node, ruleset))
    return out


def _call(node: n.Call, ruleset: Ruleset) -> list[Diagnostic]:
    arity = FUNC_ARITY.get(node.func)
    if arity is None:
        choices = "min、max、abs、封顶、保底、实际(指标)、得分(指标)"
        return [Diagnostic("E208", node.span, {"name": node.func, "choices": choices})]
    if not arity[0] <= len(node.args) <= arity[1]:
        return [
            Diagnostic("E212", node.span, {"name": node.func, "expected": arity[0], "got": len(node.args)})
        ]
    if node.func in ("actual_of", "score_of"):
        return _reference(node, ruleset)
    return []


def _reference(node: n.Call, ruleset: Ruleset) -> list[Diagnostic]:
    name = reference_name(node)
    key = name_key(name)
    matches = [i for i in ruleset.indicators if key in (name_key(i.name), name_key(i.path))]
    if len(matches) == 1:
        return []
    if matches:
        return [Diagnostic("E211", node.span, {"name": name})]
    close = get_close_matches(name, [i.name for i in ruleset.indicators], n=1, cutoff=0.4)
    return [Diagnostic("E201", node.span, {"name": name}, suggestion=close[0] if close else None)]


def _qualitative(ind: n.Indicator, ruleset: Ruleset) -> list[Diagnostic]:
    if not isinstance(ind.target, QualitativeTarget) or ind.score is not None:
        return []
    if ind.method is not None and ind.method.id == "scale" and ind.method.args:
        return []
    words = [w for s in ruleset.rules.scales.values() for lv in s.levels for w in lv.words]
    if ind.target.word in words or any(s.generic for s in ruleset.rules.scales.values()):
        return []  # a 通用 scale's achievement words score any target phrase
    return [
        Diagnostic(
            "E206",
            ind.target_span or ind.span,
            {"word": ind.target.word},
            suggestion=_closest_word(ind.target.word, ind.name, words),
        )
    ]


def _closest_word(word: str, indicator: str, words: list[str]) -> str | None:
    """The scale word nearest to `word`; among equally near ones, the word the indicator is named after.

    (预算编制合理性 with the typo 合里 means 合理, not the equally close 合规.)
    """
    close = get_close_matches(word, words, n=8, cutoff=0.4)
    if not close:
        return None
    best = SequenceMatcher(None, word, close[0]).ratio()
    ties = [w for w in close if SequenceMatcher(None, word, w).ratio() == best]
    return next((w for w in ties if w in indicator), ties[0])
