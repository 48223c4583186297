"""Turn the parse tree (`lalr.Tree`, lark's shape) into `nodes`.

Literal problems found here (a target that is not a literal, an unknown
rounding mode) are collected as diagnostics, so one run reports them all.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import replace
from difflib import get_close_matches
from fractions import Fraction
from typing import Any, cast

from jixiao.diagnostics import Diagnostic, Span
from jixiao.language import nodes as n
from jixiao.language.lalr import Meta as LarkMeta
from jixiao.language.lalr import Token, Tree
from jixiao.language.literals import MAX_YEAR, MIN_YEAR, LiteralError, parse_quantity, parse_target
from jixiao.language.quantity import NumericTarget, RangeTarget, Target
from jixiao.language.rounding import MODE_WORDS
from jixiao.language.settings import repeated_settings
from jixiao.language.vocabulary import (
    COLUMN_WORDS,
    COUNTED_WORDS,
    DIRECTIONS,
    KIND_WORDS,
    NA_WORDS,
    NO_ROUNDING_WORDS,
    PARAM_WORDS,
    STAGE_WORDS,
    VAR_ALIASES,
    ZERO_BUDGET_WORDS,
    canonical_func,
    canonical_method,
)

POINTS = frozenset({"", "分"})  # the dimensions a grade's bound may have: a plain number, or 分

_CMP = {
    ">=": "≥",
    "≥": "≥",
    "≧": "≥",
    "＞＝": "≥",
    "<=": "≤",
    "≤": "≤",
    "≦": "≤",
    "＜＝": "≤",
    "==": "=",
    "=": "=",
    "＝": "=",
    "!=": "≠",
    "≠": "≠",
    ">": ">",
    "＞": ">",
    "<": "<",
    "＜": "<",
}
_ARITH = {
    "+": "+",
    "＋": "+",
    "-": "-",
    "－": "-",
    "−": "-",
    "*": "×",
    "×": "×",
    "＊": "×",
    "/": "÷",
    "÷": "÷",
    "／": "÷",
}
_OPTION_WORDS = {
    "target": ("目标", "target"),
    "weight": ("分值", "weight"),
    "method": ("方法", "method"),
    "actual": ("实际", "actual"),
    "score": ("得分", "score"),
    "source": ("依据", "source"),
    "note": ("说明", "note"),
    "rounding": ("舍入", "rounding"),
    "over": ("超额", "over"),
    "display_rounding": ("舍入 显示", "rounding display"),
    "direction": ("方向", "direction"),
    "unit_note": ("单位说明", "unit_note"),
}
_KEYWORD_VARS = {
    "ACTUAL_VAR": "实际",
    "TARGET_VAR": "目标",
    "WEIGHT_VAR": "分值",
    "SCORE_VAR": "得分",
}


def unquote(token: Token) -> str:
    text = str(token)
    if token.type == "STRING":
        return text[1:-1]
    return text


def localized(exc: LiteralError) -> tuple[str, str]:
    return (exc.message("zh"), exc.message("en"))


@functools.lru_cache(maxsize=4096)
def to_number(text: str) -> Fraction:
    """A number as written (full-width digits too), exact; remembered by text (a ruleset repeats them)."""
    return Fraction(unicodedata.normalize("NFKC", text))


COMMAS = ",，、"  # typed between options by mistake (E150)


_CHAINS = {"binop": "binop", "or_expr": "logic", "and_expr": "logic"}  # rules that chain leaning left


def _left_chain(node: Tree) -> list[Tree]:
    """`node` and the operations on its left spine (`((a + b) × c) − d`, `(a 或 b) 或 c`), outermost
    first; just `[node]` for any other rule."""
    chain = [node]
    family = _CHAINS.get(node.data)
    while (
        family is not None
        and type(chain[-1].children[0]) is Tree
        and _CHAINS.get(chain[-1].children[0].data) == family
    ):
        chain.append(chain[-1].children[0])
    return chain


class AstBuilder:
    """The one transformer: parse tree → frozen dataclass nodes. Each rule's method takes the node's
    position and its children transformed (lark's `Transformer` under `v_args(meta=True)`)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self._source_text = text
        self.diagnostics: list[Diagnostic] = []
        self._handlers: dict[str, Any] = {}

    def transform(self, tree: Tree) -> n.Document:
        """The document of a parse tree: every node's method called with its meta and its transformed
        children, depth first, as lark's `Transformer` does (without its generator and wrappers)."""
        handlers: dict[str, Any] = {}

        def call(node: Tree, children: list[Any]) -> Any:
            name = node.data
            handler = handlers.get(name)
            if handler is None:  # the method of that name, else lark's `__default__`: the tree as it is
                method = None if name in _HELPERS else type(self).__dict__.get(name)
                handler = handlers[name] = (
                    functools.partial(method, self)
                    if method is not None
                    else functools.partial(_default, name)
                )
            return handler(node.meta, children)

        def walk(node: Tree) -> Any:
            chain = _left_chain(
                node
            )  # `a + b + …`, `a 或 b 或 …` in a loop: a chain of any length is no recursion
            built = call(chain[-1], [walk(c) if type(c) is Tree else c for c in chain[-1].children])
            for link in reversed(chain[:-1]):
                built = call(link, [built, *(walk(c) if type(c) is Tree else c for c in link.children[1:])])
            return built

        return cast(n.Document, walk(tree))

    # -- helpers ------------------------------------------------------------------
    def span(self, meta: LarkMeta | Token) -> Span:
        if getattr(meta, "empty", False):
            return n.NO_SPAN
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def written(self, token: Token) -> str:
        """A name or text as written in the file (the parser reads traditional characters as simplified)."""
        start, end = token.start_pos, token.end_pos
        if start is None or end is None:
            return unquote(token)
        text = self._source_text[start:end]
        return text[1:-1] if token.type == "STRING" else text

    def error(self, code: str, at: LarkMeta | Token, suggestion: str | None = None, **args: object) -> None:
        self.diagnostics.append(Diagnostic(code, self.span(at), dict(args), suggestion=suggestion))

    def literal(self, token: Token) -> Target | None:
        text = unquote(token)
        try:
            return parse_target(text)
        except LiteralError as exc:
            offset = exc.offset + (1 if token.type == "STRING" else 0)
            at = Span(
                self.path, token.line or 0, (token.column or 0) + offset, token.end_line, token.end_column
            )
            self.diagnostics.append(Diagnostic("E111", at, {"text": text, "reason": localized(exc)}))
            return None

    def bound(self, token: Token) -> NumericTarget | RangeTarget | None:
        """A numeric condition (`≥90`, `[80,90)`) for a grade or a band; words and dates are errors."""
        target = self.literal(token)
        if target is None or isinstance(target, NumericTarget | RangeTarget):
            return target
        reason = ("应为数值条件，例如 ≥90、[80,90)", "expected a numeric condition such as ≥90 or [80,90)")
        self.error("E111", token, text=unquote(token), reason=reason)
        return None

    def fraction_literal(self, token: Token) -> Fraction | None:
        """A percentage or number literal such as `80%` or `0.8`, as a fraction."""
        target = self.literal(token)
        if isinstance(target, NumericTarget):
            return target.quantity.base
        if target is not None:
            self.error(
                "E111",
                token,
                text=unquote(token),
                reason=("应为一个数或百分比", "expected a number"),
            )
        return None

    # -- documents -------------------------------------------------------------------
    def start(self, meta: LarkMeta, children: list[Any]) -> n.Document:
        return cast(n.Document, children[0])

    def _document(self, kind: str, meta: LarkMeta, children: list[Any]) -> n.Document:
        name = self.written(children[0])
        year = next((c for c in children[1:] if isinstance(c, int)), None)
        body = cast(tuple[n.Statement, ...], children[-1])
        self.diagnostics.extend(repeated_settings(body))  # 金额单位 万元 … 金额单位 元: E130, W115
        first = self._source_text[meta.start_pos : meta.start_pos + 1] if not meta.empty else ""
        keywords = "en" if first.isascii() and first.isalpha() else "zh"
        return n.Document(kind, name, year, body, keywords, self.span(meta))  # type: ignore[arg-type]

    def policy(self, meta: LarkMeta, children: list[Any]) -> n.Document:
        return self._document("policy", meta, children)

    def project(self, meta: LarkMeta, children: list[Any]) -> n.Document:
        return self._document("project", meta, children)

    def year(self, meta: LarkMeta, children: list[Token]) -> int | None:
        value = to_number(children[0])
        if value.denominator != 1 or not MIN_YEAR <= value <= MAX_YEAR:
            self.error("E120", children[0], year=str(children[0]))
            return None
        return int(value)

    def body(self, meta: LarkMeta, children: list[Any]) -> tuple[Any, ...]:
        return tuple(self._flat_blocks([c for c in children if c is not None]))

    # -- metadata ----------------------------------------------------------------------
    def _meta(self, key: str, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return n.Meta(key, self.written(children[0]), self.span(meta))  # type: ignore[arg-type]

    def use(self, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return self._meta("use", meta, children)

    def department(self, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return self._meta("department", meta, children)

    def unit(self, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return self._meta("unit", meta, children)

    def money_unit(self, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return self._meta("money_unit", meta, children)

    def source(self, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return self._meta("source", meta, children)

    def note(self, meta: LarkMeta, children: list[Token]) -> n.Meta:
        return self._meta("note", meta, children)

    def total(self, meta: LarkMeta, children: list[Token]) -> n.Total:
        return n.Total(to_number(children[0]), self.span(meta))

    # -- rounding ------------------------------------------------------------------------
    def rounding(self, meta: LarkMeta, children: list[Any]) -> n.Rounding | None:
        stage = next((c for c in children if isinstance(c, str) and c in STAGE_WORDS.values()), None)
        display = "display" in children
        words = [c for c in children if isinstance(c, Token) and c.type == "WORD"]
        numbers = [c for c in children if isinstance(c, Token) and c.type == "NUMBER"]
        mode_word = str(words[0])
        digits = int(to_number(numbers[0])) if numbers else 2
        if mode_word.lower() in NO_ROUNDING_WORDS:
            return n.Rounding(stage, None, digits, self.span(meta), display)  # type: ignore[arg-type]
        mode = MODE_WORDS.get(mode_word) or MODE_WORDS.get(mode_word.lower())
        if mode is None:  # 截段, 四舍五人: the closest of the words (a few: no budget needed)
            close = get_close_matches(mode_word, [*MODE_WORDS, *NO_ROUNDING_WORDS], n=1, cutoff=0.5)
            self.error("E112", words[0], suggestion=close[0] if close else None, text=mode_word)
            return None
        if not 0 <= digits <= 6 or (numbers and "." in str(numbers[0])):
            self.error("E303", numbers[0], digits=str(numbers[0]))
            return None
        return n.Rounding(stage, mode, digits, self.span(meta), display)  # type: ignore[arg-type]

    def display(self, meta: LarkMeta, children: list[Token]) -> str:
        return "display"

    def stage(self, meta: LarkMeta, children: list[Token]) -> str:
        return STAGE_WORDS[children[0].type]

    # -- budget --------------------------------------------------------------------------
    def budget(self, meta: LarkMeta, children: list[Any]) -> n.Budget:
        return n.Budget(tuple(c for c in children if c is not None), self.span(meta))

    def counted(self, meta: LarkMeta, children: list[Token]) -> n.Counted | None:
        value = COUNTED_WORDS.get(str(children[0]).lower())
        if value is None:
            self.error("E213", children[0], word=str(children[0]), choices="是、否 (yes, no)")
            return None
        return n.Counted(value, self.span(meta))

    def not_scored(self, meta: LarkMeta, children: list[Token]) -> n.NotScored:
        return n.NotScored(self.span(meta))

    def rate_formula(self, meta: LarkMeta, children: list[Any]) -> n.RateFormula:
        return n.RateFormula(children[0], self.span(meta))

    def budget_row(self, meta: LarkMeta, children: list[Token]) -> n.BudgetRowChoice:
        return n.BudgetRowChoice(self.written(children[0]), self.span(meta))

    def zero_budget(self, meta: LarkMeta, children: list[Token]) -> n.ZeroBudget | None:
        mode = ZERO_BUDGET_WORDS.get(str(children[0]).lower())
        if mode is None:
            self.error(
                "E213", children[0], word=str(children[0]), choices="不评分、满分、报错 (none, full, error)"
            )
            return None
        return n.ZeroBudget(mode, self.span(meta))  # type: ignore[arg-type]

    def weight(self, meta: LarkMeta, children: list[Token]) -> n.Weight:
        percent = len(children) > 1
        if percent and str(children[1]) == "‰":
            reason = (
                "分值写分数，或写总分的百分比（20%）",
                "write points, or a percentage of the total (20%)",
            )
            self.error("E111", children[1], text=f"{children[0]}‰", reason=reason)
        return n.Weight(to_number(children[0]), self.span(meta), percent)

    def score_formula(self, meta: LarkMeta, children: list[Any]) -> n.ScoreFormula:
        return n.ScoreFormula(children[0], self.span(meta))

    def actual_formula(self, meta: LarkMeta, children: list[Any]) -> tuple[str, n.Expr]:
        return ("actual", children[0])

    # -- rules and methods ------------------------------------------------------------------
    def rule(self, meta: LarkMeta, children: list[Any]) -> n.KindRule:
        kind = KIND_WORDS[str(children[0])]
        return n.KindRule(kind, children[1], self.span(meta))  # type: ignore[arg-type]

    def method(self, meta: LarkMeta, children: list[Any]) -> n.Method:
        written = str(children[0])
        args: tuple[n.Arg, ...] = ()
        bands: tuple[n.Band, ...] = ()
        for child in children[1:]:
            if child and isinstance(child[0], n.Arg):
                args = tuple(child)
            elif child:
                bands = tuple(b for b in child if b is not None)
        method_id = canonical_method(written)
        args = tuple(replace(a, name=PARAM_WORDS.get(a.name, a.name)) if a.name else a for a in args)
        return n.Method(method_id, written, args, bands, self.span(meta))

    def method_option(self, meta: LarkMeta, children: list[Any]) -> tuple[str, n.Method]:
        return ("method", children[0])

    def method_args(self, meta: LarkMeta, children: list[Any]) -> list[n.Arg]:
        return [c for c in children if c is not None]

    def named_arg(self, meta: LarkMeta, children: list[Any]) -> n.Arg:
        return n.Arg(str(children[0]), children[1], self.span(meta))

    def positional_arg(self, meta: LarkMeta, children: list[Any]) -> n.Arg:
        return n.Arg(None, children[0], self.span(meta))

    def bands(self, meta: LarkMeta, children: list[Any]) -> list[n.Band | None]:
        return list(children)

    def band(self, meta: LarkMeta, children: list[Any]) -> n.Band | None:
        head, result = children
        if head.type == "ELSE":
            return n.Band(None, str(head), result, self.span(meta))
        condition = self.bound(head)
        if condition is None:
            return None
        return n.Band(condition, self.written(head), result, self.span(meta))

    # -- scales and grades ----------------------------------------------------------------------
    def scale(self, meta: LarkMeta, children: list[Any]) -> n.Scale:
        generic = "generic" in children
        levels = tuple(c for c in children[1:] if isinstance(c, n.ScaleLevel))
        return n.Scale(unquote(children[0]), levels, self.span(meta), generic)

    def generic(self, meta: LarkMeta, children: list[Token]) -> str:
        return "generic"

    def scale_level(self, meta: LarkMeta, children: list[Token]) -> n.ScaleLevel | None:
        pick = next((i for i, c in enumerate(children) if c.type == "PICK"), None)
        point = self.fraction_literal(children[pick + 1]) if pick is not None else None
        band = children[pick - 1] if pick is not None else children[-1]
        words = tuple(unquote(c) for c in children[: children.index(band)])
        return self._scale_level(meta, words, band, point)

    def _scale_level(
        self, meta: LarkMeta, words: tuple[str, ...], token: Token, point: Fraction | None
    ) -> n.ScaleLevel | None:
        target = self.literal(token)
        if isinstance(target, RangeTarget):
            low, high = sorted((target.low.base, target.high.base))
            bracketed = any(ch in unquote(token) for ch in "[(（【")
            low_in = target.low_inclusive if bracketed else True
            high_in = target.high_inclusive if bracketed else high == 1
            return n.ScaleLevel(words, low, high, low_in, high_in, point, unquote(token), self.span(meta))
        if isinstance(target, NumericTarget):
            value = target.quantity.base
            return n.ScaleLevel(words, value, value, True, True, value, unquote(token), self.span(meta))
        if target is not None:
            self.error(
                "E111",
                token,
                text=unquote(token),
                reason=("应为百分比或区间", "expected a percentage or a range"),
            )
        return None

    def grades(self, meta: LarkMeta, children: list[Any]) -> n.Grades:
        return n.Grades(tuple(c for c in children if c is not None), self.span(meta))

    def grade(self, meta: LarkMeta, children: list[Token]) -> n.Grade | None:
        name, bound = self.written(children[0]), children[1]
        if bound.type == "ELSE":
            return n.Grade(name, None, str(bound), self.span(meta))
        condition = self.bound(bound)
        if condition is None or not self._points(name, bound, condition):
            return None
        return n.Grade(name, condition, self.written(bound), self.span(meta))

    def _points(self, name: str, token: Token, condition: NumericTarget | RangeTarget) -> bool:
        """A grade's bound is a number of points: `≥90%` (0.9 point, or 90% of 总分?) and `≥90人` are E415."""
        ends = (
            [condition.quantity] if isinstance(condition, NumericTarget) else [condition.low, condition.high]
        )
        other = next((q for q in ends if q.dimension not in POINTS), None)
        if other is None:
            return True
        unit = other.unit
        if other.dimension == "%":
            problem = (
                "是百分比：是总分的百分之几，还是几分？",
                "is a percentage: a share of the total, or points?",
            )
        else:
            problem = (
                f"带单位「{unit}」，而等级按总得分（分）划分",
                f"has the unit “{unit}”; grades divide the total score",
            )
        self.error("E415", token, name=name, text=self.written(token), problem=problem)
        return False

    # -- findings ---------------------------------------------------------------------------------
    def explain_when(self, meta: LarkMeta, children: list[Any]) -> n.ExplainWhen:
        return n.ExplainWhen(children[0], self.span(meta))

    def over(self, meta: LarkMeta, children: list[Token]) -> n.Over | None:
        target = self.literal(children[0])
        if not isinstance(target, NumericTarget):
            if target is not None:
                self.error(
                    "E111",
                    children[0],
                    text=unquote(children[0]),
                    reason=("应为 ≥百分比，例如 ≥120%", "expected e.g. ≥120%"),
                )
            return None
        deduct = self.fraction_literal(children[1]) if len(children) > 1 else None
        inclusive = target.comparator.value in (">=", "=")
        return n.Over(target.quantity.base, inclusive, deduct, unquote(children[0]), self.span(meta))

    def not_applicable(self, meta: LarkMeta, children: list[Token]) -> n.NotApplicableRule | None:
        mode = NA_WORDS.get(str(children[0]).lower())
        if mode is None:
            self.error(
                "E213", children[0], word=str(children[0]), choices="折算、分配 (rescale, redistribute)"
            )
            return None
        return n.NotApplicableRule(mode, self.span(meta))  # type: ignore[arg-type]

    def audit_tolerance(self, meta: LarkMeta, children: list[Token]) -> n.AuditTolerance | None:
        """复核容差 0.01 (or 0.01分): a plain number of points, 0 or more; else E723 at the value."""
        try:
            target = parse_target(unquote(children[0]))
        except LiteralError:
            target = None
        plain = isinstance(target, NumericTarget) and target.implicit and target.quantity.unit in ("", "分")
        if not isinstance(target, NumericTarget) or not plain or target.quantity.base < 0:
            self.error("E723", children[0], text=unquote(children[0]))
            return None
        return n.AuditTolerance(target.quantity.base, self.span(meta))

    def framework(self, meta: LarkMeta, children: list[Any]) -> n.Framework:
        return n.Framework(tuple(children), self.span(meta))

    def share(self, meta: LarkMeta, children: list[Token]) -> n.Share:
        level = n.BUDGET_LEVEL if children[0].type == "BUDGET_SHARE" else self.written(children[0])
        return n.Share(level, to_number(children[1]), self.span(meta))

    # -- indicators ----------------------------------------------------------------------------------
    def level_block(self, meta: LarkMeta, children: list[Any]) -> n.LevelBlock:
        level1, level2 = self.written(children[0]), self.written(children[1])
        weight = children[2] if len(children) > 2 and isinstance(children[2], n.Weight) else None
        items = children[3:] if weight is not None else children[2:]
        return replace(self._block(level1, level2, items, self.span(meta)), weight=weight)

    def goal_block(self, meta: LarkMeta, children: list[Any]) -> n.GoalBlock:
        name = self.written(children[0])
        weight = next((c for c in children[1:] if isinstance(c, n.Weight)), None)
        blocks = tuple(
            replace(b, indicators=tuple(replace(i, goal=name) for i in b.indicators))
            for b in children[1:]
            if isinstance(b, n.LevelBlock)
        )
        return n.GoalBlock(name, blocks, weight, self.span(meta))

    def single_level(self, meta: LarkMeta, children: list[Any]) -> n.LevelBlock:
        """产出指标 { … }: a table with one level of headings (二级 left empty)."""
        return self._block(self.written(children[0]), "", children[1:], self.span(meta))

    def flat_indicator(self, meta: LarkMeta, children: list[Any]) -> tuple[str, Any]:
        return ("flat", self.indicator(meta, children))

    def _flat_blocks(self, children: list[Any]) -> list[Any]:
        """Indicators written straight in the project: each run of them is a block without levels."""
        out: list[Any] = []
        run: list[Any] = []
        for child in [*children, None]:
            if isinstance(child, tuple) and child[0] == "flat":
                run.append(child[1])
                continue
            if run:
                out.append(self._block("", "", run, n.NO_SPAN))
                run = []
            if child is not None:
                out.append(child)
        return out

    def _block(self, level1: str, level2: str, items: list[Any], span: Span) -> n.LevelBlock:
        indicators: list[n.Indicator] = []
        parent: str | None = None
        for item in items:
            if item is None:
                continue
            indicator = self._indicator(level1, level2, item[1:])
            if item[0] == "subtotal":
                indicators.append(replace(indicator, subtotal=True))
                continue
            if item[0] == "breakdown":  # 其中: a breakdown of the last indicator that is not one
                if parent is None:
                    self.error("E411", item[1], name=indicator.name)
                indicator = replace(indicator, breakdown_of=parent or "")
            else:
                parent = indicator.name
            indicators.append(indicator)
        return n.LevelBlock(level1, level2, tuple(indicators), span)

    def breakdown(self, meta: LarkMeta, children: list[Token]) -> str:
        return "breakdown"

    def sum_check(self, meta: LarkMeta, children: list[Token]) -> tuple[str, bool]:
        return ("sum_check", True)

    def subtotal(self, meta: LarkMeta, children: list[Token]) -> str:
        return "subtotal"

    def indicator(self, meta: LarkMeta, children: list[Any]) -> tuple[str | None, LarkMeta, Token, list[Any]]:
        prefix = children[0] if children and children[0] in ("breakdown", "subtotal") else None
        rest = children[1:] if prefix else children
        return (prefix, meta, rest[0], rest[1:])

    def _indicator(self, level1: str, level2: str, item: tuple[LarkMeta, Token, list[Any]]) -> n.Indicator:
        meta, name, options = item
        fields: dict[str, Any] = {"option_spans": ()}
        for option in options:
            self._indicator_option(fields, option)
        return n.Indicator(level1, level2, self.written(name), span=self.span(meta), **fields)

    def _indicator_option(self, fields: dict[str, Any], option: Any) -> None:
        if option is None:
            return
        key, value, extra = self._option_fields(option)
        written_at = extra.pop("written_at", None)  # 方向, 单位说明: a plain pair and where it was written
        span = getattr(option, "span", None) or getattr(value, "span", None) or extra.get("target_span")
        if key not in fields and span is not None:  # where each option was written (fmt keeps comments there)
            fields["option_spans"] = (*fields["option_spans"], (key, span))
        if key in fields:
            keyword = _OPTION_WORDS.get(key, (key, key))
            self.diagnostics.append(Diagnostic("E113", span or written_at, {"keyword": keyword}))
            return
        fields[key] = value
        fields.update(extra)

    def _option_fields(self, option: Any) -> tuple[str, Any, dict[str, Any]]:
        if isinstance(option, tuple) and option[0] == "target":
            _, target, text, span = option
            return "target", target, {"target_text": text, "target_span": span}
        if isinstance(option, n.Weight):
            return "weight", option.value, {"weight_span": option.span, "weight_percent": option.percent}
        if isinstance(option, n.ScoreFormula):
            return "score", option.expr, {}
        if isinstance(option, n.Meta):
            return option.key, option.value, {}
        if isinstance(option, n.Rounding):
            return ("display_rounding" if option.display else "rounding"), option, {}
        if isinstance(option, n.Over):
            return "over", option, {}
        if len(option) == 3:  # (key, value, where it was written)
            return option[0], option[1], {"written_at": option[2]}
        return option[0], option[1], {}

    def _direction_kind(self, token: Token) -> str | None:
        kind = KIND_WORDS[str(token)]
        if kind not in DIRECTIONS:
            self.error("E213", token, word=str(token), choices="正向、反向、相等 (higher, lower, equal)")
            return None
        return kind

    def direction(self, meta: LarkMeta, children: list[Token]) -> tuple[str, str, Span] | None:
        kind = self._direction_kind(children[0])
        return None if kind is None else ("direction", kind, self.span(meta))

    def direction_rule(self, meta: LarkMeta, children: list[Token]) -> n.Direction | None:
        kind = self._direction_kind(children[-1])
        if kind is None:
            return None
        unit = unquote(children[1]) if len(children) == 3 else None
        return n.Direction(self.written(children[0]), kind, unit, self.span(meta))  # type: ignore[arg-type]

    def columns(self, meta: LarkMeta, children: list[Token]) -> n.Columns:
        keys = []
        for token in children:
            key = COLUMN_WORDS.get(unquote(token)) or COLUMN_WORDS.get(unquote(token).lower())
            if key is None:
                self.error(
                    "E213", token, word=unquote(token), choices="完成情况、单项得分 (status, item_score)"
                )
            else:
                keys.append(key)
        return n.Columns(tuple(keys), self.span(meta))

    def formula_def(self, meta: LarkMeta, children: list[Any]) -> n.FormulaDef:
        return n.FormulaDef(unquote(children[0]), children[1], self.span(meta))

    def unit_note(self, meta: LarkMeta, children: list[Token]) -> tuple[str, str, Span]:
        return ("unit_note", self.written(children[0]), self.span(meta))

    def target(self, meta: LarkMeta, children: list[Token]) -> tuple[str, Target | None, str, Span]:
        token = children[0]
        if token.type == "VALUE" and len(token) > 1 and token[-1] in COMMAS:  # `目标 ≥95%， 分值 10`
            at = Span(
                self.path, token.end_line or 0, (token.end_column or 1) - 1, token.end_line, token.end_column
            )
            self.diagnostics.append(Diagnostic("E150", at, {"comma": token[-1]}))
            return ("target", None, self.written(token), self.span(token))
        return ("target", self.literal(token), self.written(token), self.span(token))

    # -- expressions -----------------------------------------------------------------------------------
    def if_expr(self, meta: LarkMeta, children: list[Any]) -> n.If:
        cond, then, _else_kw, else_ = children
        return n.If(cond, then, else_, self.span(meta))

    def or_expr(self, meta: LarkMeta, children: list[Any]) -> n.Logic:
        return n.Logic("或", children[0], children[1], self.span(meta))

    def and_expr(self, meta: LarkMeta, children: list[Any]) -> n.Logic:
        return n.Logic("且", children[0], children[1], self.span(meta))

    def not_expr(self, meta: LarkMeta, children: list[Any]) -> n.Not:
        return n.Not(children[0], self.span(meta))

    def compare(self, meta: LarkMeta, children: list[Any]) -> n.Compare:
        left, op, right = children
        return n.Compare(_CMP[str(op)], left, right, self.span(meta))  # type: ignore[arg-type]

    def binop(self, meta: LarkMeta, children: list[Any]) -> n.BinOp:
        left, op, right = children
        return n.BinOp(_ARITH[str(op)], left, right, self.span(meta))  # type: ignore[arg-type]

    def neg(self, meta: LarkMeta, children: list[Any]) -> n.Neg:
        return n.Neg(children[1], self.span(meta))

    def number(self, meta: LarkMeta, children: list[Token]) -> n.Num:
        value = to_number(children[0])
        if len(children) == 1:
            return n.Num(value, "", None, self.span(meta))
        unit = str(children[1])
        if unit in ("%", "％"):
            return n.Num(value / 100, "%", None, self.span(meta))
        if unit == "‰":
            return n.Num(value / 1000, "‰", None, self.span(meta))
        if unit == "分":
            return n.Num(value, "分", None, self.span(meta))
        return self._quantity(meta, children[0], unit)

    def _quantity(self, meta: LarkMeta, number: Token, unit: str) -> n.Num:
        text = unicodedata.normalize("NFKC", str(number)) + unit
        try:
            quantity = parse_quantity(text)
        except LiteralError as exc:
            self.error("E111", meta, text=text, reason=localized(exc))
            return n.Num(to_number(number), "", None, self.span(meta))
        return n.Num(quantity.base, quantity.unit, quantity, self.span(meta))

    def var(self, meta: LarkMeta, children: list[Token]) -> n.Var:
        token = children[0]
        name = _KEYWORD_VARS.get(token.type) or VAR_ALIASES.get(str(token).lower(), str(token))
        return n.Var(name, self.span(meta))

    def text(self, meta: LarkMeta, children: list[Token]) -> n.Text:
        return n.Text(unquote(children[0]), self.span(meta))

    def call(self, meta: LarkMeta, children: list[Any]) -> n.Call:
        head = children[0]
        func = _KEYWORD_VARS.get(head.type) or str(head)
        args = tuple(c for c in children[1:] if c is not None)
        return n.Call(canonical_func(func), args, self.span(meta))


_HELPERS = frozenset({"transform", "span", "written", "error", "literal", "bound", "fraction_literal"})


def _default(name: str, meta: LarkMeta, children: list[Any]) -> Tree:
    """A rule without a method (lark's `Transformer.__default__`): a tree of the transformed children."""
    return Tree(name, children, meta)
