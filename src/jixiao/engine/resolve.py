"""Resolve a project: follow 采用 to its policies and merge their rules.

Policies are applied base first; a later statement (a policy that uses
another, then the project itself) overrides an earlier one. The result is a
`Ruleset`: the project's table plus one flat `Rules` object, each rule
remembering where it was written (for explanations and diagnostics).
"""

from __future__ import annotations

import functools
import importlib
import os
import stat
from dataclasses import field, replace
from fractions import Fraction
from pathlib import Path
from types import ModuleType

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.named import expand_document
from jixiao.engine.roots import Found, Origin, Roots, find_policy, searched, shown, suggestion
from jixiao.language import nodes as n
from jixiao.language.frozen import frozen
from jixiao.language.vocabulary import name_key
from jixiao.limits import MAX_POLICIES, MAX_RULESET_CHARS
from jixiao.source import read_text

MAX_FILE_BYTES = 4 * MAX_RULESET_CHARS  # UTF-8 takes at most 4 bytes a character
POLICY_CACHE = 32


@frozen
class BudgetRules:
    """The budget block's rules in force (预算执行 { … }), after policies and overrides."""

    weight: Fraction | None = None
    score: n.Expr | None = None
    counted: bool = True
    explain: tuple[n.ExplainWhen, ...] = ()
    rounding: n.Rounding | None = None
    display_rounding: n.Rounding | None = None  # 舍入 显示 … inside the budget block
    source: str | None = None
    span: Span | None = None
    weight_percent: bool = False  # 分值 10%: a share of 总分, made points by `Rules.budget_points`
    scored: bool = True  # 预算执行 不评分 → False
    rate: n.Expr | None = None  # 执行率 = …; None: 全年执行数 ÷ 全年预算数
    row: str | None = None  # 预算行 …; None: 年度资金总额
    zero: n.ZeroBudgetMode = "error"  # 零预算 …
    scored_span: Span | None = None  # where 不评分 or 计入总分 was written (for the framework check)


@frozen
class Rules:
    """Every rule in force for a project, after policies and overrides."""

    total: Fraction = Fraction(100)
    rounding: dict[str, n.Rounding] = field(default_factory=dict)  # stage or "default"
    display: dict[str, n.Rounding] = field(default_factory=dict)  # 舍入 [stage] 显示 …: how figures are shown
    budget: BudgetRules = BudgetRules()
    kinds: dict[str, n.KindRule] = field(default_factory=dict)
    scales: dict[str, n.Scale] = field(default_factory=dict)
    grades: n.Grades | None = None
    explain: tuple[n.ExplainWhen, ...] = ()
    over: n.Over | None = None
    not_applicable: str = "rescale"
    audit_tolerance: Fraction | None = None  # 复核容差: jixiao audit's tolerance (None: not set, 0)
    framework: n.Framework | None = None
    directions: dict[tuple[str, str], n.Direction] = field(default_factory=dict)  # by (scope, unit) keys
    formulas: dict[str, n.FormulaDef] = field(default_factory=dict)  # 公式 NAME = …, by name
    columns: tuple[str, ...] = ()  # 表列 …: status, item_score
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()  # names of the policies applied, base first
    total_span: Span | None = field(default=None, compare=False)  # where 总分 was last written (None: 100)

    def display_for(self, stage: str) -> n.Rounding | None:
        """The display rounding of a stage (its own, else the stage-less one), or None: shown as computed."""
        return self.display.get(stage) or self.display.get("default")

    def rounding_for(self, stage: str) -> n.Rounding | None:
        """The rounding declared for a stage; the default covers all but `level`."""
        if stage in self.rounding:
            return self.rounding[stage]
        if stage == "level":
            return None
        return self.rounding.get("default")


@frozen
class Ruleset:
    """A resolved project: its metadata, its rules and its indicator table."""

    document: n.Document
    rules: Rules
    path: str
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    base_rules: Rules | None = field(default=None, compare=False)  # from the policies, before this file
    roots: Roots = field(default=Roots(), compare=False)  # where its policies were looked for
    depends: tuple[Dependency, ...] = field(default=(), compare=False)  # the policy files it used

    @property
    def name(self) -> str:
        return self.document.name

    @property
    def indicators(self) -> tuple[n.Indicator, ...]:
        return self.document.indicators

    def meta(self, key: str) -> str | None:
        return next(
            (s.value for s in self.document.statements if isinstance(s, n.Meta) and s.key == key), None
        )


def load(path: str | os.PathLike[str], roots: Roots | None = None, *, lenient: bool = False) -> Ruleset:
    """Read, parse and resolve a ruleset file; its own folder is the first root of its policies."""
    file = Path(path)
    return resolve_text(read_file(file), shown(file), roots, file, lenient=lenient)


def read_file(path: Path, name: str | None = None) -> str:
    """A ruleset (or test) file's text; refused before reading when it is no regular file or too large.

    A FIFO or a device would be waited on (E105); a file of gigabytes would be read whole before the
    parser's size limit could say so (E902).
    """
    where = Span.of_path(name or shown(path))
    try:
        info = path.stat()
    except (OSError, ValueError):
        return read_text(path)  # says why it cannot be read
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        reason = ("不是普通文件（管道或设备）", "not a regular file (a pipe or a device)")
        raise JixiaoError.single("E105", where, reason=reason)
    if info.st_size > MAX_FILE_BYTES:
        raise JixiaoError.single("E902", where, limit=MAX_RULESET_CHARS)
    return read_text(path)


def resolve_text(
    text: str,
    name: str = "<text>",
    roots: Roots | None = None,
    file: Path | None = None,
    *,
    lenient: bool = False,
) -> Ruleset:
    """Parse ruleset text called `name` and apply its policies, found only in `roots` and the package.

    `file` is where the text was read from, if anywhere: its folder becomes the first root. `lenient`
    keeps the text's literal errors in `document.diagnostics` for `run_checks` to report with the rest
    (the caller runs the checks) instead of raising them; policies are always parsed strictly.
    """
    roots = roots or Roots()
    origin = Origin.text()
    if file is not None:
        origin, roots = Origin.file(file, roots)
    parser = _parser()
    document = (parser.parse_lenient if lenient else parser.parse)(text, name)
    follow = _Follow(roots, {name: text}, document.kind)
    if file is not None:
        follow.names[file.resolve()] = name
    try:
        base = follow.apply(document, origin, (name,), Rules())
    except JixiaoError as exc:
        exc.sources.update({k: v for k, v in follow.sources.items() if k not in exc.sources})
        raise
    rules = merge(base, document, name)
    document, (explain, budget_explain) = expand_document(
        points(document, rules.total), rules.formulas, rules.explain, rules.budget.explain
    )
    if explain is not rules.explain or budget_explain is not rules.budget.explain:  # a formula in 需说明
        budget = replace(rules.budget, explain=budget_explain)
        rules = replace(rules, explain=explain, budget=budget)
    return Ruleset(
        document, rules, name, follow.sources, base_rules=base, roots=roots, depends=follow.depends
    )


def points(document: n.Document, total: Fraction) -> n.Document:
    """Weights written as a share of 总分 (分值 20%) as points: 20% of 100 is 20, of 120 is 24."""

    def indicator(ind: n.Indicator) -> n.Indicator:
        if not ind.weight_percent or ind.weight is None:
            return ind
        return replace(ind, weight=ind.weight * total / 100, weight_percent=False)

    return document.map_blocks(
        lambda b: shared(replace(b, indicators=tuple(indicator(i) for i in b.indicators)), total)
    )


def shared(block: n.LevelBlock, total: Fraction) -> n.LevelBlock:
    """A 二级 weight (产出指标 / 数量指标 分值 20 { … }) shared equally by the indicators that give none."""
    if block.weight is None:
        return block
    weight = block.weight.value * total / 100 if block.weight.percent else block.weight.value
    counted = [i for i in block.indicators if i.breakdown_of is None and not i.subtotal]
    open_ = [i for i in counted if i.weight is None]
    given = sum((i.weight or Fraction(0) for i in counted), Fraction(0))
    if not open_:
        return block
    each = (weight - given) / len(open_)
    span = block.weight.span
    indicators = tuple(
        replace(i, weight=each, weight_span=span) if any(i is o for o in open_) else i
        for i in block.indicators
    )
    return replace(block, indicators=indicators)


@frozen
class Dependency:
    """A policy a ruleset used: the file read, its text, and the candidates that did not exist before it."""

    path: Path
    text: str
    absent: tuple[Path, ...]

    def holds(self) -> bool:
        """Whether resolving again would read the same text from the same file."""
        if any(p.is_file() for p in self.absent):
            return False
        try:
            return read_text(self.path) == self.text
        except JixiaoError:
            return False


PARSER = "jixiao.language.parser"  # imported when a text is first parsed: a kept ruleset needs no lark


def _parser() -> ModuleType:
    """The parser module (language/parser.py, which imports lark), imported on first use."""
    return importlib.import_module(PARSER)


@functools.lru_cache(maxsize=POLICY_CACHE)
def parse_policy(text: str, path: str) -> n.Document:
    """A policy's document, parsed once per version: many projects use it, and documents are immutable."""
    document: n.Document = _parser().parse(text, path)
    return document


class _Follow:
    """Following 采用 for one ruleset: each policy file parsed once, a bounded number applied."""

    def __init__(self, roots: Roots, sources: dict[str, str], root: str = "project") -> None:
        self.roots = roots
        self.root = root  # the kind of the ruleset whose 采用 are followed (policy or project)
        self.sources = sources
        self.depends: tuple[Dependency, ...] = ()
        self.parsed: dict[Path, n.Document] = {}
        self.names: dict[Path, str] = {}  # one name per file, however it was reached
        self.applied = 0

    def apply(self, document: n.Document, origin: Origin, chain: tuple[str, ...], rules: Rules) -> Rules:
        """Apply the policies a document uses (采用), in order, on top of `rules`."""
        for statement in document.statements:
            if isinstance(statement, n.Meta) and statement.key == "use":
                rules = self.use(rules, statement, origin, chain)
        return rules

    def use(self, rules: Rules, statement: n.Meta, origin: Origin, chain: tuple[str, ...]) -> Rules:
        found = self.find(statement, origin)
        if found.name == chain[0] and self.root == "project":  # a project is no policy, itself included
            itself = ITSELF if len(chain) == 1 else ("", "")
            raise JixiaoError.single("E218", statement.span, name=found.name, itself=itself)
        if found.name in chain:
            raise JixiaoError.single("E210", statement.span, cycle=" → ".join([*chain, found.name]))
        self.applied += 1
        if self.applied > MAX_POLICIES:
            raise JixiaoError.single("E907", statement.span, limit=MAX_POLICIES)
        policy = self.parse(found)
        _adoptable(policy, statement, found.name)
        rules = self.apply(policy, found.origin, (*chain, found.name), rules)
        rules = merge(rules, policy, found.name)
        return replace(rules, policies=(*rules.policies, policy.name))

    def find(self, statement: n.Meta, origin: Origin) -> Found:
        found = find_policy(statement.value, statement.span, origin, self.roots)
        if found is None:
            raise JixiaoError.single(
                "E204",
                statement.span,
                suggestion(statement.value, self.roots, origin),
                name=statement.value,
                searched="；".join(searched(origin, self.roots)),
            )
        return replace(found, name=self.names.setdefault(found.real, found.name))

    def parse(self, found: Found) -> n.Document:
        if found.real not in self.parsed:
            text = read_file(found.real, found.name)
            self.sources[found.name] = text
            self.parsed[found.real] = parse_policy(text, found.name)
            self.depends = (*self.depends, Dependency(found.real, text, found.absent))
        return self.parsed[found.real]


ITSELF = ("：这条采用引用了本项目自己", ": this use names the project itself")


def _adoptable(policy: n.Document, statement: n.Meta, name: str) -> None:
    """A file 采用 names must be a policy without indicators: a project's indicators and its settings as
    a project would be dropped or taken half (E218), and so would a policy's indicators (E219)."""
    if policy.kind == "project":
        raise JixiaoError.single("E218", statement.span, name=name, itself=("", ""))
    first = next(iter(policy.indicators), None)
    if first is not None:
        count = len(policy.indicators)
        line = first.span.line
        raise JixiaoError.single(
            "E219",
            statement.span,
            name=name,
            policy=policy.name,
            count=count,
            indicator=first.name,
            line=line,
        )


def merge(rules: Rules, document: n.Document, path: str) -> Rules:
    """Apply the rule statements of one document on top of `rules` (a budget 分值 10% becomes points)."""
    rules = _merge(rules, document)
    budget = rules.budget
    if budget.weight_percent and budget.weight is not None:
        weight = budget.weight * rules.total / 100
        rules = replace(rules, budget=replace(budget, weight=weight, weight_percent=False))
    return rules


def _merge(rules: Rules, document: n.Document) -> Rules:
    explain: list[n.ExplainWhen] = []
    texts: dict[str, list[str]] = {"source": list(rules.sources), "note": list(rules.notes)}
    for statement in document.statements:
        if isinstance(statement, n.Meta) and statement.key in texts:
            texts[statement.key].append(statement.value)  # a list: 100 000 notes stay linear
            continue
        rules = _merge_one(rules, statement, explain)
    # a document cited by two policies a project adopts (central and hubei both cite 财预〔2020〕10号): once
    rules = replace(rules, sources=tuple(dict.fromkeys(texts["source"])), notes=tuple(texts["note"]))
    if explain:
        rules = replace(rules, explain=tuple(explain))
    return rules


def merge_statement(rules: Rules, statement: n.Statement) -> Rules:
    """The rules after one statement (checks use it to find overrides that change nothing)."""
    return _merge_one(rules, statement, [])


def _merge_one(rules: Rules, s: n.Statement, explain: list[n.ExplainWhen]) -> Rules:
    if isinstance(s, n.Total):
        return replace(rules, total=s.value, total_span=s.span)
    if isinstance(s, n.Rounding) and s.display:
        return replace(rules, display={**rules.display, s.stage or "default": s})
    if isinstance(s, n.Rounding):
        return _merge_rounding(rules, s)
    if isinstance(s, n.Budget):
        return replace(rules, budget=_merge_budget(rules.budget, s))
    if isinstance(s, n.KindRule):
        return replace(rules, kinds={**rules.kinds, s.kind: s})
    if isinstance(s, n.Scale):
        return replace(rules, scales={**rules.scales, s.name: s})
    if isinstance(s, n.ExplainWhen):
        explain.append(s)
        return rules
    return _merge_other(rules, s)


def _merge_rounding(rules: Rules, s: n.Rounding) -> Rules:
    """The more specific file wins: a stage-less 舍入 replaces every stage's rounding from the files
    before (its policies), the budget block's included; inside one file a stage's own line wins."""
    if s.stage is not None:
        return replace(rules, rounding={**rules.rounding, s.stage: s})
    here = s.span.path
    kept = {stage: r for stage, r in rules.rounding.items() if r.span.path == here}
    budget = rules.budget
    if budget.rounding is not None and budget.rounding.span.path != here:
        budget = replace(budget, rounding=None)
    return replace(rules, rounding={**kept, "default": s}, budget=budget)


def replaced_roundings(before: Rules, s: n.Rounding) -> list[n.Rounding]:
    """The stage roundings of earlier files that a stage-less 舍入 `s` takes over (check's W112)."""
    if s.stage is not None or s.display:  # 舍入 显示 … rounds only what is shown, and replaces no stage
        return []
    older = [r for stage, r in before.rounding.items() if stage != "default" and r.span.path != s.span.path]
    budget = before.budget.rounding
    if budget is not None and budget.span.path != s.span.path:
        older.append(budget)
    return older


def _merge_other(rules: Rules, s: n.Statement) -> Rules:
    if isinstance(s, n.Grades):
        return replace(rules, grades=s)
    if isinstance(s, n.Over):
        return replace(rules, over=s)
    if isinstance(s, n.NotApplicableRule):
        return replace(rules, not_applicable=s.mode)
    if isinstance(s, n.Framework):
        return replace(rules, framework=s)
    if isinstance(s, n.AuditTolerance):
        return replace(rules, audit_tolerance=s.value)
    if isinstance(s, n.Columns):
        return replace(rules, columns=s.columns)
    if isinstance(s, n.FormulaDef):
        return replace(rules, formulas={**rules.formulas, s.name: s})
    if isinstance(s, n.Direction):
        key = (name_key(s.scope), name_key(s.unit or ""))
        return replace(rules, directions={**rules.directions, key: s})
    if isinstance(s, n.Meta) and s.key == "source":
        return replace(rules, sources=(*rules.sources, s.value))
    if isinstance(s, n.Meta) and s.key == "note":
        return replace(rules, notes=(*rules.notes, s.value))
    return rules


def _merge_budget(budget: BudgetRules, block: n.Budget) -> BudgetRules:
    explain = tuple(item for item in block.items if isinstance(item, n.ExplainWhen))
    changes: dict[str, object] = {"span": block.span}
    for item in block.items:
        changes.update(_budget_change(item))
    if explain:
        changes["explain"] = explain
    return replace(budget, **changes)  # type: ignore[arg-type]


def _budget_change(item: n.BudgetItem) -> dict[str, object]:
    """What one item of a 预算执行 block sets in the budget rules."""
    if isinstance(item, n.Weight):
        return {"weight": item.value, "weight_percent": item.percent}
    if isinstance(item, n.ScoreFormula):
        return {"score": item.expr}
    if isinstance(item, n.Counted):
        return {"counted": item.value, "scored_span": item.span}
    if isinstance(item, n.NotScored):
        return {"scored": False, "scored_span": item.span}
    if isinstance(item, n.RateFormula):
        return {"rate": item.expr}
    if isinstance(item, n.BudgetRowChoice):
        return {"row": item.name}
    if isinstance(item, n.ZeroBudget):
        return {"zero": item.mode}
    if isinstance(item, n.Rounding):
        return {"display_rounding" if item.display else "rounding": item}
    if isinstance(item, n.Meta) and item.key == "source":
        return {"source": item.value}
    return {}


def require_project(ruleset: Ruleset) -> None:
    """Scoring needs a project, not a bare policy."""
    if ruleset.document.kind != "project":
        raise JixiaoError([Diagnostic("E215", ruleset.document.span, {"name": ruleset.document.name})])
