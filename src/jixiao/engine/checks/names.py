"""Names resolve: methods, scales, formula variables, indicator references, qualitative words."""

from __future__ import annotations

from difflib import get_close_matches

from jixiao.diagnostics import Diagnostic, Span
from jixiao.engine.expr import reference_name, walk
from jixiao.engine.named import Expander
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.language.quantity import QualitativeTarget
from jixiao.language.suggest import resemblance
from jixiao.language.vocabulary import BUDGET_VARS, FUNC_ARITY, INDICATOR_VARS, METHOD_WORDS, name_key
from jixiao.suggest import Suggester


def check(ruleset: Ruleset) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for method in _methods(ruleset):
        out.extend(_method(method, ruleset))
    references = _References(ruleset)
    for expr in _expressions(ruleset):
        out.extend(_expression(expr, references))
    scales = _Scales(ruleset)
    for ind in ruleset.indicators:
        out.extend(_qualitative(ind, scales))
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
    expander = Expander(rules.formulas)  # each formula expanded once, shared by the ones that use it
    exprs += [expander.formula(name) for name in rules.formulas]  # unused ones too
    for ind in ruleset.indicators:
        exprs += [e for e in (ind.actual, ind.score) if e is not None]
        if ind.method is not None:
            exprs += [b.result for b in ind.method.bands]
    return exprs


class _References:
    """Indicators by name and by path (one index, not a scan per reference), with bounded suggestions."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.by_key: dict[str, list[n.Indicator]] = {}
        for ind in ruleset.indicators:
            for key in dict.fromkeys((name_key(ind.name), name_key(ind.path))):
                self.by_key.setdefault(key, []).append(ind)
        self.names = [i.name for i in ruleset.indicators]
        self.suggester = Suggester()

    def matches(self, name: str) -> list[n.Indicator]:
        return self.by_key.get(name_key(name), [])


def _expression(expr: n.Expr, references: _References) -> list[Diagnostic]:
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
            out.extend(_call(node, references))
    return out


def _call(node: n.Call, references: _References) -> list[Diagnostic]:
    arity = FUNC_ARITY.get(node.func)
    if arity is None:
        choices = "min、max、abs、封顶、保底、实际(指标)、得分(指标)"
        return [Diagnostic("E208", node.span, {"name": node.func, "choices": choices})]
    if not arity[0] <= len(node.args) <= arity[1]:
        return [
            Diagnostic("E212", node.span, {"name": node.func, "expected": arity[0], "got": len(node.args)})
        ]
    if node.func in ("actual_of", "score_of"):
        return _reference(node, references)
    return []


def _reference(node: n.Call, references: _References) -> list[Diagnostic]:
    name = reference_name(node)
    matches = references.matches(name)
    if len(matches) == 1:
        return []
    if matches:
        return [Diagnostic("E211", node.span, {"name": name})]
    close = references.suggester.closest(name, references.names, cutoff=0.4)
    return [Diagnostic("E201", node.span, {"name": name}, suggestion=close)]


KEPT_WORDS = 256  # target words whose resemblances to the scales' words one check keeps


class _Scales:
    """The ruleset's scales, and what each word of a target resembles in them, worked out once a word: a
    table of 5 000 rows with one word of its own compared it with every scale word on every row."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.scales = list(ruleset.rules.scales.values())
        self.words = {w for s in self.scales for lv in s.levels for w in lv.words}
        self.generic = any(s.generic for s in self.scales)
        self._typos: dict[str, str | None] = {}
        self._nearest: dict[str, list[float]] = {}

    def typo(self, word: str) -> str | None:
        if word in self._typos:
            return self._typos[word]
        found = _typo_of(word, self.scales)
        if len(self._typos) < KEPT_WORDS:
            self._typos[word] = found
        return found

    def nearest(self, word: str) -> list[float]:
        """How much `word` resembles the closest word of each scale (kept for the first KEPT_WORDS words:
        a ruleset of many words each its own is worked out as before, in no more memory)."""
        found = self._nearest.get(word)
        if found is None:
            found = [max((resemblance(word, w) for w in _words(scale)), default=0.0) for scale in self.scales]
            if len(self._nearest) < KEPT_WORDS:
                self._nearest[word] = found
        return found


def _qualitative(ind: n.Indicator, scales: _Scales) -> list[Diagnostic]:
    if not isinstance(ind.target, QualitativeTarget) or ind.score is not None:
        return []
    if ind.method is not None and ind.method.id == "scale" and ind.method.args:
        return []
    word = ind.target.word
    if word in scales.words or scales.generic:
        return []  # a 通用 scale's achievement words score any target phrase
    typo = scales.typo(word)
    how = ("", "") if typo is not None else _how_to_add(word, _close_scales(word, ind.name, scales))
    return [Diagnostic("E206", ind.target_span or ind.span, {"word": word, "how": how}, suggestion=typo)]


def _how_to_add(word: str, close: list[n.Scale]) -> tuple[str, str]:
    """The help for a word of its own: the scales close to it, and the project scale that adds it."""
    listed, example = _scale_list(close), _scale_example(word, close[:1])
    return (
        f"相近的量表：{listed[0]}。要用「{word}」，在项目文件中写一个收进这个词的量表"
        f"（项目中的量表覆盖评分办法中的同名量表），例如：{example[0]}",
        f"Close scales: {listed[1]}. To use “{word}”, write a scale that has it in the project file"
        f" (a project's scale overrides the policy's of the same name), e.g. {example[1]}",
    )


CLOSE_SCALES = 3  # how many scales the help lists
TYPO = 0.75  # resemblance from which a word is taken for a typo of a scale word (合里 → 合理)
NAMED = 0.3  # closeness of a scale the indicator is named after (less than a word that looks alike)


def _close_scales(word: str, indicator: str, scales: _Scales) -> list[n.Scale]:
    """The scales whose words resemble `word` or that the indicator is named after (资金使用规范性: 规范性).

    Among equally close scales, the one sharing more characters with the indicator's name comes first.
    """
    nearest = scales.nearest(word)

    def closeness(i: int) -> float:
        scale = scales.scales[i]
        named = NAMED if scale.name in indicator or any(w in indicator for w in _words(scale)) else 0.0
        shared = 0.01 * len(set(indicator) & set("".join(_words(scale))))
        return nearest[i] + named + shared

    ranked = sorted(range(len(scales.scales)), key=closeness, reverse=True)
    return [scales.scales[i] for i in ranked if closeness(i) >= NAMED][:CLOSE_SCALES]


def _words(scale: n.Scale) -> list[str]:
    return [w for lv in scale.levels for w in lv.words]


def _typo_of(word: str, scales: list[n.Scale]) -> str | None:
    """A scale word `word` is a slip of (same sound or shape), not merely a word like it."""
    scored = [(resemblance(word, w), w) for s in scales for w in _words(s)]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= TYPO else None


def _scale_list(scales: list[n.Scale]) -> tuple[str, str]:
    if not scales:
        return ("没有", "none")
    zh = "、".join(f"{s.name}（{'、'.join(_words(s))}）" for s in scales)
    en = ", ".join(f"{s.name} ({', '.join(_words(s))})" for s in scales)
    return zh, en


def _scale_example(word: str, closest: list[n.Scale]) -> tuple[str, str]:
    """A project statement making `word` a scale word: the closest scale with the word added, or a new one."""
    if closest:
        scale = closest[0]
        levels = [
            ("|".join((*lv.words, word)) if i == 0 else "|".join(lv.words), lv.text)
            for i, lv in enumerate(scale.levels)
        ]
        name = scale.name
    else:
        levels = [(word, "100%"), (f"基本{word}", "80%"), (f"不{word}", "0%")]
        name = f"{word}性"
    body = ";  ".join(f"{words} {text}" for words, text in levels)
    return (f"量表 {name} {{ {body} }}", f"scale {name} {{ {body} }}")
