"""`jixiao audit`: filled-in tables against the rules, every discrepancy found and classified.

    RULESET ──source.against──▶ Against (a project ruleset, or a policy alone)
    TABLE… ──run.audit_projects──▶ TableAudit per table (model) ──report──▶ table, Markdown, JSON, xlsx

`source` prepares a table (with a policy alone, the table is read as a draft ruleset as `jixiao import`
reads it); `recompute` scores it, setting aside rows that cannot be scored; `rows` and `sums` compare
every printed figure with the recomputed one; `model` names the kinds of discrepancy (F150–F188) and
their severity. The roundings that give a printed figure are `tools.importer.printed`'s.
"""

from __future__ import annotations

from jixiao.tools.audit.model import KINDS, Discrepancy, TableAudit
from jixiao.tools.audit.run import audit_projects, audit_table
from jixiao.tools.audit.source import Against, Choices, against

__all__ = [
    "KINDS",
    "Against",
    "Choices",
    "Discrepancy",
    "TableAudit",
    "against",
    "audit_projects",
    "audit_table",
]
