"""What a diff of many projects reports (two folders, a policy change, two revisions): the published models
of `jixiao.io.schema` (`jixiao schema diff-batch`), named here as the compare package uses them.

Like the two-file `Report`, values are texts as a reviewer reads them and scores are
exact decimals as strings; where a shown value does not end, `exact` gives it as a
fraction. Labels (change descriptions, notes) are in the report's language.
"""

from __future__ import annotations

from jixiao.io.schema import (
    Aggregates,
    Attribution,
    Bucket,
    Contribution,
    Mover,
    ProjectDiff,
    ProjectScore,
    ProjectStatus,
    Renamed,
    Transition,
)
from jixiao.io.schema import DiffBatchReport as BatchReport

__all__ = [
    "Aggregates",
    "Attribution",
    "BatchReport",
    "Bucket",
    "Contribution",
    "Mover",
    "ProjectDiff",
    "ProjectScore",
    "ProjectStatus",
    "Renamed",
    "Transition",
]
