"""What a diff of two rulesets reports: the published models of `jixiao.io.schema` (so `jixiao schema diff`
describes the JSON output), named here as the compare package uses them.

Values are texts as a reviewer reads them (targets as written, formulas in
canonical spelling); scores are exact decimals as strings ("99.31").
"""

from __future__ import annotations

from jixiao.io.schema import Change, ChangeKind, Direction, Impact, ImpactRow
from jixiao.io.schema import DiffReport as Report

__all__ = ["Change", "ChangeKind", "Direction", "Impact", "ImpactRow", "Report"]
