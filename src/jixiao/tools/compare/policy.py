"""A policy change seen from every project that uses it: `jixiao diff OLD.jx NEW.jx --projects DIR`.

Each project of DIR is resolved as usual; one that reaches the policy through 采用 (directly or
through other policies) is resolved twice more, with the old and with the new version of the
policy in its place, and the two are compared like two years of one project. A project whose
effective rules do not change is unaffected, and the report says which of its statements
overrides each changed rule. The policy is recognised by its file (either version's path) or
by its name (评分办法 "…"), so edited copies of a packaged policy work too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Severity, Span
from jixiao.engine.resolve import Rules, Ruleset, load, merge, parse_policy
from jixiao.engine.roots import Origin, Roots, find_policy, searched
from jixiao.language import nodes as n
from jixiao.messages import Lang
from jixiao.source import read_text
from jixiao.tools.compare.attribution import Versions
from jixiao.tools.compare.changes import Show, ruleset_changes
from jixiao.tools.compare.document import Texts, localized
from jixiao.tools.compare.folders import Batch, Compared, finish, project_summary, score_all
from jixiao.tools.compare.keys import statement_direction_key
from jixiao.tools.compare.match import match
from jixiao.tools.compare.model import Change
from jixiao.tools.compare.names import PLAIN, Names
from jixiao.tools.compare.pair import changes_between
from jixiao.tools.compare.projects import (
    PLAIN_READING,
    Loaded,
    ProjectPair,
    Reading,
    load_side,
    ruleset_files,
)

TEXTS: Texts = {
    "not_using": ("未采用此评分办法（采用：{chain}）", "does not use this policy (uses: {chain})"),
    "nothing": ("无", "none"),
    "overridden": ("「{rule}」由 {where} 覆盖", "“{rule}” is overridden at {where}"),
    "same": ("「{rule}」生效的规则不变", "“{rule}” stays the same in force"),
}


def _t(key: str, lang: Lang, **args: object) -> str:
    return localized(TEXTS, key, lang, **args)


@dataclass(frozen=True)
class Swap:
    """The policy to put in place of the one a project's chain reaches."""

    document: n.Document
    path: str
    paths: frozenset[Path]  # either version's file
    names: frozenset[str]  # either version's name

    def matches(self, found: Path, document: n.Document) -> bool:
        return found.resolve() in self.paths or document.name in self.names


@dataclass(frozen=True)
class Resolved:
    ruleset: Ruleset
    after: tuple[tuple[str, n.Document], ...]  # documents merged after the swapped policy, in order


def diff_policy(
    old: Path,
    new: Path,
    projects: Path,
    actuals: Sequence[str | Path] = (),
    lang: Lang = "zh",
    names: Names = PLAIN,
    reading: Reading = PLAIN_READING,
) -> Batch:
    versions = load(old, reading.roots), load(new, reading.roots)
    for path, policy in zip((old, new), versions, strict=True):
        if policy.document.kind != "policy":
            raise JixiaoError.single(
                "E707", Span.of_path(names.file(path)), path=names.file(path), name=policy.name
            )
    if not ruleset_files(projects).files:
        raise JixiaoError.single("E708", Span.of_path(names.file(projects)), path=names.file(projects))
    show = Show(lang, names)
    policy_changes = ruleset_changes(versions[0], versions[1], show)
    swaps = _swaps(versions, (old, new))
    loaded = [item for item in load_side(projects, names, reading=reading) if not item.is_policy]
    compared = [_compare(item, swaps, policy_changes, show, lang) for item in loaded]
    pairs = [ProjectPair(item, item) for item in loaded]
    diagnostics = [d for c in compared for d in c.errors]
    if not any(c.versions is not None for c in compared):
        name = versions[1].name
        where = names.file(projects)
        diagnostics.append(
            Diagnostic(
                "W143", Span.of_path(where), {"projects": where, "name": name}, severity=Severity.WARNING
            )
        )
    scores = score_all(pairs, compared, actuals, lang, names, reading)
    labels = (names.file(old), names.file(new))
    return finish("policy", lang, labels, compared, diagnostics, scores, policy_changes)


def _swaps(versions: tuple[Ruleset, Ruleset], paths: tuple[Path, Path]) -> tuple[Swap, Swap]:
    files = frozenset(p.resolve() for p in paths)
    policy_names = frozenset(v.name for v in versions)
    old, new = (Swap(v.document, v.path, files, policy_names) for v in versions)
    return old, new


def _compare(
    item: Loaded, swaps: tuple[Swap, Swap], policy_changes: list[Change], show: Show, lang: Lang
) -> Compared:
    if item.ruleset is None:
        errors = item.error.diagnostics if item.error else []
        return Compared(project_summary(item, item, "error"), errors=errors)
    try:
        old, new = (resolve_with(item.ruleset, swap) for swap in swaps)
    except _NotUsing:
        chain = " → ".join(item.ruleset.rules.policies) or _t("nothing", lang)
        summary = project_summary(item, item, "not_using")
        return Compared(summary.model_copy(update={"reasons": [_t("not_using", lang, chain=chain)]}))
    except JixiaoError as exc:
        errors = show.names.error(exc).diagnostics
        return Compared(project_summary(item, item, "error"), errors=errors)
    versions = Versions(old.ruleset, new.ruleset, match(old.ruleset.indicators, new.ruleset.indicators))
    changes = changes_between(versions.old, versions.new, versions.pairs, show)
    reasons = _reasons(policy_changes, changes, new, show, lang)
    summary = project_summary(item, item, "changed" if changes else "unaffected", changes)
    return Compared(summary.model_copy(update={"reasons": reasons}), versions, changes=changes)


# -- resolving a project with the policy swapped ----------------------------------------------------


class _NotUsing(Exception):
    """The project's chain never reaches the policy."""


def resolve_with(project: Ruleset, swap: Swap) -> Resolved:
    """The project resolved again with `swap` in place of the policy (_NotUsing if it never gets there).

    This follows 采用 as `engine.resolve` does — finding each policy with `find_policy`, merging with
    `merge` — because resolve has no way to read one policy's text from elsewhere.
    """
    origin, roots = Origin.file(Path(project.path), project.roots)
    walk = _Walk(swap, roots, [])
    base = walk.uses(project.document, origin, Rules(), (project.path,))
    swapped = [i for i, (path, _) in enumerate(walk.order) if path == swap.path]
    if not swapped:
        raise _NotUsing
    rules = merge(base, project.document, project.path)
    after = (*walk.order[swapped[-1] + 1 :], (project.path, project.document))
    ruleset = Ruleset(project.document, rules, project.path, project.sources, base_rules=base)
    return Resolved(ruleset, tuple(after))


@dataclass(frozen=True)
class _Walk:
    """Following 采用 with one policy swapped; `order` records the documents merged, base first."""

    swap: Swap
    roots: Roots
    order: list[tuple[str, n.Document]]

    def uses(self, document: n.Document, origin: Origin, rules: Rules, chain: tuple[str, ...]) -> Rules:
        for statement in document.statements:
            if isinstance(statement, n.Meta) and statement.key == "use":
                rules = self.use(statement, origin, rules, chain)
        return rules

    def use(self, statement: n.Meta, origin: Origin, rules: Rules, chain: tuple[str, ...]) -> Rules:
        found = find_policy(statement.value, statement.span, origin, self.roots)
        if found is None:
            where = "；".join(searched(origin, self.roots))
            raise JixiaoError.single("E204", statement.span, name=statement.value, searched=where)
        policy, path = parse_policy(read_text(found.real), found.name), found.name
        if self.swap.matches(found.real, policy):
            policy, path = self.swap.document, self.swap.path
        if path in chain:
            raise JixiaoError.single("E210", statement.span, cycle=" → ".join([*chain, path]))
        rules = self.uses(policy, found.origin, rules, (*chain, path))
        self.order.append((path, policy))
        return replace(merge(rules, policy, path), policies=(*rules.policies, policy.name))


# -- why a project is not affected ------------------------------------------------------------------


def _reasons(
    policy_changes: list[Change], changes: list[Change], resolved: Resolved, show: Show, lang: Lang
) -> list[str]:
    """For each change of the policy the project does not see: the statement that overrides it."""
    seen = {c.key for c in changes}
    out = []
    for change in policy_changes:
        if change.key is None or change.key in seen or change.key.startswith(("meta:", "policy")):
            continue
        where = _override(change.key, resolved.after)
        if where is None:
            out.append(_t("same", lang, rule=change.path))
        else:
            out.append(_t("overridden", lang, rule=change.path, where=show.names.where(where)))
    return out


def _override(key: str, after: tuple[tuple[str, n.Document], ...]) -> Span | None:
    """The last statement after the policy that declares the rule `key`."""
    found: Span | None = None
    for _, document in after:
        for statement in document.statements:
            span = declares(statement, key)
            if span is not None:
                found = span
    return found


RULE_STATEMENTS: dict[str, type] = {
    "scale": n.Scale,
    "rule": n.KindRule,
    "rounding": n.Rounding,
    "display": n.Rounding,
    "grades": n.Grades,
    "total": n.Total,
    "over": n.Over,
    "not_applicable": n.NotApplicableRule,
    "framework": n.Framework,
    "explain": n.ExplainWhen,
    "columns": n.Columns,
    "audit_tolerance": n.AuditTolerance,
    "direction": n.Direction,
    "formula": n.FormulaDef,
}
BUDGET_ITEMS: dict[str, type] = {
    "weight": n.Weight,
    "score": n.ScoreFormula,
    "counted": n.Counted,
    "scored": n.NotScored,
    "explain": n.ExplainWhen,
    "rounding": n.Rounding,
    "display_rounding": n.Rounding,
    "rate": n.RateFormula,
    "row": n.BudgetRowChoice,
    "zero": n.ZeroBudget,
}


def declares(statement: n.Statement, key: str) -> Span | None:
    """Where `statement` sets the rule `key` (e.g. "scale:达成度", "budget:weight"), if it does."""
    name, _, arg = key.partition(":")
    if name == "budget":
        return _budget_item(statement, arg) if isinstance(statement, n.Budget) else None
    kind = RULE_STATEMENTS.get(name)
    if kind is None or not isinstance(statement, kind) or not _same_table(statement, name):
        return None
    if name == "direction":
        return statement.span if key == statement_direction_key(statement) else None  # type: ignore[arg-type]
    return statement.span if _argument(statement) in (None, arg) else None


def _same_table(item: object, name: str) -> bool:
    """A display rounding (舍入 … 显示 …) sets the display, any other rounding the rounding."""
    return not isinstance(item, n.Rounding) or item.display == (name in ("display", "display_rounding"))


def _argument(statement: n.Statement) -> str | None:
    """Which rule of its kind a statement sets (a scale's name, a kind, a rounding stage, a named
    formula), None for all."""
    if isinstance(statement, n.Scale | n.FormulaDef):
        return statement.name
    if isinstance(statement, n.KindRule):
        return statement.kind
    if isinstance(statement, n.Rounding):
        return statement.stage or "default"
    return None


def _budget_item(block: n.Budget, field: str) -> Span | None:
    kind = BUDGET_ITEMS.get(field)
    for item in block.items:
        if kind is not None and isinstance(item, kind) and _same_table(item, field):
            return item.span
        if field == "source" and isinstance(item, n.Meta) and item.key == "source":
            return item.span
    return None
