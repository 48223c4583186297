"""Resolve a project: follow 采用 to its policies and merge their rules.

Policies are applied base first; a later statement (a policy that uses
another, then the project itself) overrides an earlier one. The result is a
`Ruleset`: the project's table plus one flat `Rules` object, each rule
remembering where it was written (for explanations and diagnostics).
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.roots import Found, Origin, Roots, find_policy, searched, shown, suggestion
from jixiao.language import nodes as n
from jixiao.language.parser import parse, parse_lenient
from jixiao.limits import MAX_POLICIES, MAX_RULESET_CHARS
from jixiao.source import read_text

MAX_FILE_BYTES = 4 * MAX_RULESET_CHARS  # UTF-8 takes at most 4 bytes a character
POLICY_CACHE = 32


@dataclass(frozen=True)
class BudgetRules:
    weight: Fraction | None = None
    score: n.Expr | None = None
    counted: bool = True
    explain: tuple[n.ExplainWhen, ...] = ()
    rounding: n.Rounding | None = None
    source: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class Rules:
    """Every rule in force for a project, after policies and overrides."""

    total: Fraction = Fraction(100)
    rounding: dict[str, n.Rounding] = field(default_factory=dict)  # stage or "default"
    budget: BudgetRules = BudgetRules()
    kinds: dict[str, n.KindRule] = field(default_factory=dict)
    scales: dict[str, n.Scale] = field(default_factory=dict)
    grades: n.Grades | None = None
    explain: tuple[n.ExplainWhen, ...] = ()
    over: n.Over | None = None
    not_applicable: str = "rescale"
    framework: n.Framework | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()  # names of the policies applied, base first

    def rounding_for(self, stage: str) -> n.Rounding | None:
        """The rounding declared for a stage; the default covers all but `level`."""
        if stage in self.rounding:
            return self.rounding[stage]
        if stage == "level":
            return None
        return self.rounding.get("default")


@dataclass(frozen=True)
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
    where = Span(name or shown(path), 1, 1)
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
    document = (parse_lenient if lenient else parse)(text, name)
    follow = _Follow(roots, {name: text})
    if file is not None:
        follow.names[file.resolve()] = name
    try:
        base = follow.apply(document, origin, (name,), Rules())
    except JixiaoError as exc:
        exc.sources.update({k: v for k, v in follow.sources.items() if k not in exc.sources})
        raise
    rules = merge(base, document, name)
    return Ruleset(
        document, rules, name, follow.sources, base_rules=base, roots=roots, depends=follow.depends
    )


@dataclass(frozen=True)
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


@functools.lru_cache(maxsize=POLICY_CACHE)
def parse_policy(text: str, path: str) -> n.Document:
    """A policy's document, parsed once per version: many projects use it, and documents are immutable."""
    return parse(text, path)


class _Follow:
    """Following 采用 for one ruleset: each policy file parsed once, a bounded number applied."""

    def __init__(self, roots: Roots, sources: dict[str, str]) -> None:
        self.roots = roots
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
        if found.name in chain:
            raise JixiaoError.single("E210", statement.span, cycle=" → ".join([*chain, found.name]))
        self.applied += 1
        if self.applied > MAX_POLICIES:
            raise JixiaoError.single("E907", statement.span, limit=MAX_POLICIES)
        policy = self.parse(found)
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


def merge(rules: Rules, document: n.Document, path: str) -> Rules:
    """Apply the rule statements of one document on top of `rules`."""
    explain: list[n.ExplainWhen] = []
    texts: dict[str, list[str]] = {"source": list(rules.sources), "note": list(rules.notes)}
    for statement in document.statements:
        if isinstance(statement, n.Meta) and statement.key in texts:
            texts[statement.key].append(statement.value)  # a list: 100 000 notes stay linear
            continue
        rules = _merge_one(rules, statement, explain)
    rules = replace(rules, sources=tuple(texts["source"]), notes=tuple(texts["note"]))
    if explain:
        rules = replace(rules, explain=tuple(explain))
    return rules


def merge_statement(rules: Rules, statement: n.Statement) -> Rules:
    """The rules after one statement (checks use it to find overrides that change nothing)."""
    return _merge_one(rules, statement, [])


def _merge_one(rules: Rules, s: n.Statement, explain: list[n.ExplainWhen]) -> Rules:
    if isinstance(s, n.Total):
        return replace(rules, total=s.value)
    if isinstance(s, n.Rounding):
        return replace(rules, rounding={**rules.rounding, s.stage or "default": s})
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


def _merge_other(rules: Rules, s: n.Statement) -> Rules:
    if isinstance(s, n.Grades):
        return replace(rules, grades=s)
    if isinstance(s, n.Over):
        return replace(rules, over=s)
    if isinstance(s, n.NotApplicableRule):
        return replace(rules, not_applicable=s.mode)
    if isinstance(s, n.Framework):
        return replace(rules, framework=s)
    if isinstance(s, n.Meta) and s.key == "source":
        return replace(rules, sources=(*rules.sources, s.value))
    if isinstance(s, n.Meta) and s.key == "note":
        return replace(rules, notes=(*rules.notes, s.value))
    return rules


def _merge_budget(budget: BudgetRules, block: n.Budget) -> BudgetRules:
    explain: list[n.ExplainWhen] = []
    changes: dict[str, object] = {"span": block.span}
    for item in block.items:
        if isinstance(item, n.Weight):
            changes["weight"] = item.value
        elif isinstance(item, n.ScoreFormula):
            changes["score"] = item.expr
        elif isinstance(item, n.Counted):
            changes["counted"] = item.value
        elif isinstance(item, n.ExplainWhen):
            explain.append(item)
        elif isinstance(item, n.Rounding):
            changes["rounding"] = item
        elif isinstance(item, n.Meta) and item.key == "source":
            changes["source"] = item.value
    if explain:
        changes["explain"] = tuple(explain)
    return replace(budget, **changes)  # type: ignore[arg-type]


def require_project(ruleset: Ruleset) -> None:
    """Scoring needs a project, not a bare policy."""
    if ruleset.document.kind != "project":
        raise JixiaoError([Diagnostic("E215", ruleset.document.span, {"name": ruleset.document.name})])
