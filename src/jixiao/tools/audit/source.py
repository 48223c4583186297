"""What a table is audited against: a project ruleset, or a policy alone.

With a project ruleset the targets and weights are the ruleset's, and the table's printed ones are
compared with them. With a policy alone (`standard/central`, or a policy file) the targets and weights
are taken from the table itself: the table is read as a draft ruleset the way `jixiao import` reads it
(without declaring the table's roundings), and what the draft could not read becomes a discrepancy.

A table may name its own ruleset, as for `jixiao score`: a 规则 cell or column, or the ruleset map
(`--rulesets`); `Choices` loads each named one once and gives the command line's to the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, Span
from jixiao.engine.actuals import ActualsFile, Entry
from jixiao.engine.compiler import compile_plan
from jixiao.engine.plan import Plan
from jixiao.io.batch import missing, unusable
from jixiao.io.projects import Project
from jixiao.io.rulesets import CompiledRuleset, load_ruleset
from jixiao.language.nodes import BUDGET_LEVEL
from jixiao.language.quantity import number_text
from jixiao.tools.audit.model import WEIGHTS, Discrepancy
from jixiao.tools.importer.draft import Draft, Row, draft
from jixiao.tools.importer.policy import Policy, find_policy, project_file
from jixiao.tools.importer.settle import (
    MAX_ROUNDS,
    Names,
    actual_word,
    checked,
    propose_words,
    share_of,
    word_shares,
)

REASON = "原表得分"  # the reason given for a row scored by its printed score
DRAFT_CODES = {"W170": "F159", "W171": "F159", "W172": "F162", "W174": "F159", "W181": "F159"}


@dataclass
class Prepared:
    """A table made ready to recompute: the plan, the table's rows (some scored by their printed
    score), what the preparation found, and the rows the audit does not score-check."""

    plan: Plan | None
    table: ActualsFile
    found: list[Discrepancy] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    asserted: set[int] = field(default_factory=set)  # lines of rows scored by their printed score
    partial: bool = False  # a row of the table is left out (said why): the sums cannot be checked


class Against:
    """A ruleset or a policy, loaded once, that prepares each table."""

    shown: str
    policy_only: bool

    def prepare(self, table: ActualsFile) -> Prepared:  # pragma: no cover - abstract
        raise NotImplementedError


class ProjectRules(Against):
    def __init__(self, path: Path, roots: Sequence[str]) -> None:
        self.shown = str(path)
        self.policy_only = False
        self.compiled: CompiledRuleset | JixiaoError
        try:
            self.compiled = load_ruleset(path, roots=roots)
        except JixiaoError as exc:
            self.compiled = exc

    def prepare(self, table: ActualsFile) -> Prepared:
        if isinstance(self.compiled, JixiaoError):
            return Prepared(None, table, errors=list(self.compiled.diagnostics))
        return Prepared(self.compiled.plan, table)


class PolicyRules(Against):
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.shown = policy.shown
        self.policy_only = True

    def prepare(self, table: ActualsFile) -> Prepared:
        made = draft(table, self.policy)
        names = Names(f"<{made.name}>", f"<{made.name}.actuals.csv>")
        check = checked(made, names.ruleset)
        unscaled: list[Row] = []
        for _ in range(MAX_ROUNDS):  # the table's own scale words, as import puts them in its scale (F179)
            if check.ruleset is None:
                break
            words = propose_words(made, check.ruleset, names)
            if not words.changed:
                more = _with_words(made, words.unscaled)
                if not more:
                    break
                for row in more:  # scored by their printed score, as import does (W174): F180 says why
                    row.asserted = True
                unscaled += more
            check = checked(made, names.ruleset)
        found = [
            _found(d, row) for row in (*made.rows, *made.skipped) for d in row.notes if d.code in DRAFT_CODES
        ]
        found += [_proposed(d, row) for row in made.rows for d in row.notes if d.code == "W186"]
        shares = word_shares(made) if unscaled else {}
        unread = unread_rows(made) if unscaled else {}
        found += [_unscaled(row, shares, unread) for row in unscaled]
        found += [_framework(d, made, table) for d in check.sums if d.code != "E401"]  # E401: F166's
        if check.remaining or check.ruleset is None:
            return Prepared(None, table, found, errors=check.remaining)
        asserted = {row.entry.line for row in made.rows if row.asserted}
        left_out = {row.entry.line for row in made.skipped if not row.breakdown or row.orphan}
        table = _with_printed_scores(table, made, left_out)
        return Prepared(compile_plan(check.ruleset), table, found, asserted=asserted, partial=bool(left_out))


def against(ref: str, roots: Sequence[str] = ()) -> Against:
    """A project ruleset file, or a policy (a name or a policy file)."""
    path = Path(ref)
    if path.is_file() and project_file(path):
        return ProjectRules(path, roots)
    return PolicyRules(find_policy(ref, roots))


class Choices:
    """What each table is audited against: the ruleset it names (a 规则 cell or column, the ruleset map),
    else the command line's. Each named ruleset is loaded once; one that cannot be loaded is an error of
    the tables naming it, placed at the table when it has no place of its own."""

    def __init__(self, given: Against, roots: Sequence[str] = (), folders: Sequence[Path] = ()) -> None:
        self.given = given
        self.roots = roots
        self.folders = folders  # where a map that names rulesets lives: a policy name is relative to it
        self._loaded: dict[str, Against | JixiaoError] = {}

    def choose(self, project: Project) -> Against | JixiaoError:
        if project.ruleset is None:
            return self.given
        mapped = project.mapped
        if mapped is not None and mapped.span is not None and not mapped.written:
            return unusable(project, mapped, None, self.roots)  # an empty cell of the map: E532 there
        ref = named(project.ruleset, [Path(project.path).parent, *self.folders])
        if ref not in self._loaded:
            try:
                self._loaded[ref] = against(ref, self.roots)
            except JixiaoError as exc:
                self._loaded[ref] = exc
        chosen = self._loaded[ref]
        if isinstance(chosen, JixiaoError) and mapped is not None and mapped.span is not None:
            if missing(chosen, project.ruleset) and not Path(ref).exists():  # as score says it: at the cell
                return unusable(project, mapped, chosen, self.roots)
        if isinstance(chosen, JixiaoError) and project.actuals is not None:
            return _placed(chosen, project.actuals.file_span())
        return chosen


def named(ref: str, folders: Sequence[Path]) -> str:
    """A ruleset a table names: a file, else a policy name (standard/central) — which the reader made a
    path beside the table or the map, and is taken back to the name as written."""
    path = Path(ref)
    if path.exists() or path.suffix.lower() == ".jx":  # a file, there or missing: never looked for elsewhere
        return ref
    for folder in folders:
        if path.is_relative_to(folder):
            return path.relative_to(folder).as_posix()
    return ref


def _placed(error: JixiaoError, span: Span) -> JixiaoError:
    return JixiaoError([d if d.span is not None else replace(d, span=span) for d in error.diagnostics])


def _found(problem: Diagnostic, row: Row) -> Discrepancy:
    """A row the draft could not read: its target, weight or both target and actual, at its full path."""
    code = DRAFT_CODES[problem.code]
    where = "/".join(part for part in (row.level1, row.level2, row.name) if part)
    what = {"W171": ("分值", "weight"), "W174": ("实际完成值", "actual")}.get(
        problem.code, ("指标值", "target")
    )
    cells = row.entry.row
    text = {"W171": cells.weight, "W174": cells.actual}.get(problem.code, cells.target)
    if problem.code == "W181":  # a 其中 row's target left out (its actual value is read as score reads it)
        what, text = ("指标值", "target"), str(problem.args["text"])
    detail = problem.args.get("reason", ("", ""))
    return Discrepancy(code, problem.span, where, text.strip(), "", {"what": what, "detail": detail})


def _proposed(problem: Diagnostic, row: Row) -> Discrepancy:
    """An actual word in none of the policy's scales, scored at the share of the weight every row with
    it is given in the table (W186, as `jixiao import` puts it in the project's own scale): F179."""
    where = "/".join(part for part in (row.level1, row.level2, row.name) if part)
    args = {k: problem.args[k] for k in ("word", "percent", "scale")}
    return Discrepancy(
        "F179", problem.span, where, row.entry.row.actual.strip(), "", {**args, "target": row.target}
    )


def _with_words(made: Draft, failing: list[Row]) -> list[Row]:
    """Every row of the own scale with the actual word of a row in `failing` (a word no share common to
    its rows puts in the scale), and a printed score to count with: scoring reports a few of them."""
    words = {word for row in failing if (word := actual_word(row)) is not None}
    return [
        row
        for row in made.rows
        if row.own_word
        and not (row.asserted or row.judged)
        and row.printed is not None
        and actual_word(row) in words
    ]


def _unscaled(row: Row, shares_of: dict[str, list[Fraction]], unread: dict[str, int]) -> Discrepancy:
    """An actual word in none of the policy's scales, which the rows with it score at different shares of
    their weights (nothing to put in a scale, as `jixiao import` does not): F180, its score unchecked."""
    where = "/".join(part for part in (row.level1, row.level2, row.name) if part)
    word = row.entry.row.actual.strip()
    found = shares_of.get(actual_word(row) or "", [])
    args: dict[str, object] = {"word": word, "target": row.target.strip()}
    args["shares"] = shares_text(found, unread.get(actual_word(row) or "", 0))
    return Discrepancy("F180", row.span("actual"), where, word, "", args)


def unread_rows(made: Draft) -> dict[str, int]:
    """Each actual word of the own-scale rows: how many of its rows give no share of their weights (no
    printed score, not a number, a percentage), in one pass over the rows."""
    found: dict[str, int] = {}
    for row in made.rows:
        word = actual_word(row) if row.own_word else None
        if word is not None and share_of(row) is None:
            found[word] = found.get(word, 0) + 1
    return found


def shares_text(found: list[Fraction], unread: int) -> tuple[str, str]:
    """What the rows with a word score (F180's `shares`): the shares they give, and how many give none."""
    shares = [number_text(share * 100) + "%" for share in found]
    zh = f"得分比例不同（{'、'.join(shares)}）" if len(shares) > 1 else ""
    en = f"score different shares of their weights ({', '.join(shares)})" if len(shares) > 1 else ""
    if len(shares) == 1:
        zh, en = (
            f"中可读的得分都是分值的 {shares[0]}",
            f"whose scores can be read score {shares[0]} of their weights",
        )
    if unread:
        zh = (zh + "，" if zh else "") + f"另有 {unread} 行的得分不能读作分数"
        en = (en + ", and " if en else "") + f"{unread} row(s) have a score that does not read as points"
    return (zh, en) if zh else ("得分比例无从得出", "give no share of their weights")


def _framework(problem: Diagnostic, made: Draft, table: ActualsFile) -> Discrepancy:
    """Weights that do not follow the policy's 结构: at the 一级指标 cell of the level's first row (the
    printed budget weight for 预算执行), else nowhere in particular (the 结构 itself, E408)."""
    level = problem.args.get("level")
    rows = (row.entry.spans for row in (*made.rows, *made.skipped) if level and row.level1 == level)
    spans = next(rows, None)
    span = spans.get("level1") or spans.get("name") if spans is not None else None
    if span is None and level == BUDGET_LEVEL:
        printed = table.printed.get("预算分值")
        span = printed.span if printed is not None else None
    detail = (problem.message("zh"), problem.message("en"))
    return Discrepancy("F167", span, WEIGHTS, args={"detail": detail})


def _with_printed_scores(table: ActualsFile, made: Draft, left_out: set[int]) -> ActualsFile:
    """The table with each row the draft scores by its printed score carrying it as 调整得分, and
    without the rows the draft left out (no readable weight: F159 says so)."""
    rows: dict[int, Row] = {row.entry.line: row for row in made.rows if row.asserted and row.printed}
    entries = [
        _asserted(e, rows[e.line]) if e.line in rows else e for e in table.entries if e.line not in left_out
    ]
    said = rows.keys() | left_out  # said by the draft
    kept = [d for d in table.diagnostics if d.span is None or d.span.line not in said]
    return replace(table, entries=entries, diagnostics=kept)


def _asserted(entry: Entry, row: Row) -> Entry:
    printed = row.printed
    assert printed is not None
    return replace(entry, row=entry.row.model_copy(update={"adjusted": printed.text(), "reason": REASON}))
