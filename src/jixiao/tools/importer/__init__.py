"""`jixiao import`: a filled-in table (the official layout) → a project ruleset and its actual values.

    table (ActualsFile) ──draft──▶ Draft ──settle (check, score, adjust)──▶ Imported(ruleset, actuals)

`draft` reads the printed rows (targets, weights, levels, budget weight); `settle` writes the files
(`ruleset.ruleset_text`, `actuals.actuals_text`), checks and scores them as `jixiao check` and `jixiao
score` would, and adjusts what fails (a qualitative word the policy lacks, a row that cannot be scored)
until they do; `printed` and `exact` are shared with `jixiao audit` (which rounding gives a printed
figure, the unrounded budget values). Warnings W170–W182 say what could not be read.
"""

from __future__ import annotations

from jixiao.engine.actuals import ActualsFile
from jixiao.tools.importer.draft import Draft, draft
from jixiao.tools.importer.policy import DEFAULT, Policy, find_policy
from jixiao.tools.importer.settle import Imported, Names, settle

__all__ = ["DEFAULT", "Draft", "Imported", "Names", "Policy", "find_policy", "import_table"]


def import_table(
    table: ActualsFile,
    policy: Policy,
    *,
    name: str | None = None,
    names: Names | None = None,
    rounding: bool = True,
) -> Imported:
    """Import one project's table under `policy`; `rounding`: declare the roundings the table used.

    `name` is the project's name (default: the table's 项目名称); `names` how messages call the files.
    """
    made = draft(table, policy, name)
    return settle(made, names or Names(f"{made.name}.jx", f"{made.name}.actuals.csv"), rounding)
