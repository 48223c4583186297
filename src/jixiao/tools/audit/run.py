"""Auditing tables: prepare each under the ruleset, recompute it, compare every printed figure.

table ──Against.prepare──▶ Prepared(plan, table) ──recompute──▶ Recomputed(result, found)
      ──rows, sums──▶ TableAudit(discrepancies sorted by their place in the table)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from jixiao.diagnostics import Diagnostic, JixiaoError
from jixiao.engine.actuals import ActualsFile, ScoreCells
from jixiao.engine.evaluate.findings import other_year
from jixiao.engine.identity import Identity
from jixiao.engine.plan import Plan
from jixiao.io.projects import Project
from jixiao.tools.audit.model import YEAR, Discrepancy, TableAudit
from jixiao.tools.audit.recompute import recompute
from jixiao.tools.audit.rows import Context, bind, check_rows
from jixiao.tools.audit.source import Against, Choices
from jixiao.tools.audit.sums import check_budget, check_grade, check_printed, check_total, check_weights
from jixiao.tools.importer.draft import UNREAD_WHY


def audit_projects(
    projects: Iterable[Project], rules: Against | Choices, tolerance: Fraction | None = None
) -> Iterator[TableAudit]:
    """Every project's audit, in order, each against the ruleset it names or else `rules`; a project
    that cannot be read, or whose ruleset cannot be loaded, is an audit with its errors.
    `tolerance` (--tolerance) overrides the ruleset's 复核容差; with neither it is 0."""
    choices = rules if isinstance(rules, Choices) else Choices(rules)
    for index, project in enumerate(projects, start=1):
        chosen = choices.choose(project)
        chosen_rules = chosen if isinstance(chosen, Against) else None
        shown = chosen_rules.shown if chosen_rules is not None else str(project.ruleset)
        audit = TableAudit(
            index, project.name, project.origin, shown, chosen_rules is not None and chosen_rules.policy_only
        )
        if project.actuals is None:
            audit.errors = list(project.error.diagnostics) if project.error is not None else []
        elif isinstance(chosen, JixiaoError):
            audit.errors = list(chosen.diagnostics)
        else:
            audit_table(audit, project.actuals, chosen, tolerance)
        yield audit


def audit_table(
    audit: TableAudit, table: ActualsFile, rules: Against, tolerance: Fraction | None = None
) -> TableAudit:
    """Fill in `audit` for one table."""
    audit.printed_total = table.printed["总得分"].text if "总得分" in table.printed else ""
    audit.printed_grade = table.printed["等级"].text if "等级" in table.printed else ""
    if not table.entries:
        audit.errors = [Diagnostic("E722", table.file_span())]
        return audit
    try:
        prepared = rules.prepare(table)
    except JixiaoError as exc:
        audit.errors = list(exc.diagnostics)
        return audit
    audit.discrepancies.extend(prepared.found)
    audit.discrepancies.extend(unread_scores(table))
    if prepared.plan is not None and not rules.policy_only:  # F112, F113: as jixiao score notes them
        audit.discrepancies.extend(_identity(prepared.plan, table))
    audit.errors = list(prepared.errors)
    if prepared.plan is None:
        return audit
    audit.discrepancies.extend(_year(table, prepared.plan))
    done = recompute(prepared.plan, prepared.table)
    audit.discrepancies.extend(done.found)
    audit.errors.extend(done.errors)
    audit.result = done.result
    if done.result is not None:
        set_aside = frozenset(done.set_aside)
        skipped = set_aside | prepared.asserted | done.unchecked
        audit.tolerance = _tolerance(tolerance, prepared.plan)
        budget_weight = _counted_budget(prepared.plan) if done.budget_unread else None
        scores = table.scores or ScoreCells()
        context = Context(
            done.result, audit.tolerance, not rules.policy_only, skipped, set_aside, budget_weight, scores
        )
        plan = done.plan or prepared.plan
        audit.discrepancies.extend(
            _compared(context, plan, done.actuals, done.budget_unread, prepared.partial)
        )
    audit.discrepancies.sort(key=_place)
    return audit


def _compared(
    context: Context, plan: Plan, table: ActualsFile, budget_unread: bool, partial: bool
) -> Iterator[Discrepancy]:
    """Every printed figure against the recomputed one. The sums need every part: a table with a row
    left out (its weight unreadable) or unread budget figures has its weights and total not checked."""
    rows = bind(context.result, table)
    yield from check_rows(context, rows)
    yield from check_printed(table)
    if not budget_unread:
        yield from check_budget(context, plan, table)
    if not partial:
        yield from check_weights(context, table, rows)
    if not (budget_unread or partial):
        yield from check_total(context, plan, table, rows)
    yield from check_grade(context, plan, table)


def unread_scores(table: ActualsFile) -> Iterator[Discrepancy]:
    """A column that looks like scores and that no row is read from (F187): never passed silently."""
    for column, span, why in table.scores.unread if table.scores is not None else []:
        yield Discrepancy("F187", span, column, column, args={"column": column, "why": UNREAD_WHY[why]})


def _identity(plan: Plan, table: ActualsFile) -> list[Discrepancy]:
    """F112 (the table names another project than the ruleset) and F113 (another 主管部门/实施单位)."""
    doc = plan.ruleset
    identity = Identity.of(doc.name, doc.meta("department"), doc.meta("unit"))
    if identity is None or not (table.project or table.info):
        return []
    found = identity.findings(table)
    where = {"F112": ("项目名称", "")}
    return [
        Discrepancy(
            f.code,
            None,
            where.get(f.code, ("", ""))[0] or str(_label(f.args.get("what"))),
            str(f.args.get("file", "")),
            str(f.args.get("ruleset", "")),
            dict(f.args),
        )
        for f in found
    ]


def _label(what: object) -> str:
    return what[0] if isinstance(what, tuple) else str(what)


def _year(table: ActualsFile, plan: Plan) -> Iterator[Discrepancy]:
    """The table's year (its title's 2019年度) against the ruleset's 年度, when both say one (F177, at the
    title cell; the same test as score's F138)."""
    rules = plan.ruleset.document.year
    printed = other_year(table, rules)
    if printed is not None:
        span = table.year_span or table.file_span()
        yield Discrepancy("F177", span, YEAR, printed, str(rules), {"table": printed, "rules": rules})


def _counted_budget(plan: Plan) -> Fraction:
    """The budget's weight in the rules' total (0 when it is not scored or not counted)."""
    return plan.budget.weight if plan.budget.required else Fraction(0)


def _tolerance(given: Fraction | None, plan: Plan) -> Fraction:
    """--tolerance when given, else the ruleset's 复核容差 (its own or its policy's), else 0."""
    if given is not None:
        return given
    return plan.rules.audit_tolerance if plan.rules.audit_tolerance is not None else Fraction(0)


def _place(discrepancy: Discrepancy) -> tuple[int, int, str]:
    span = discrepancy.span
    return (span.line, span.column, discrepancy.code) if span is not None else (10**9, 0, discrepancy.code)
