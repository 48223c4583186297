"""Scoring the projects of a request: each under the request's ruleset, or under the ruleset its own
file names (a 规则 column or cell, as in a CLI batch), looked up inside the served folder only.

Every project becomes an `io.batch.Outcome` (a result, or the diagnostics of why there is none), so the
JSON answer and the downloads (`io.render.summary`) come from the same outcomes. One broken project
never stops the others; a bug (E901) does, as in the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.api import CompiledRuleset
from jixiao.diagnostics import JixiaoError
from jixiao.io.batch import Outcome, Rulesets, score_project
from jixiao.io.projects import Project
from jixiao.web.adapter import Folder
from jixiao.web.models import RulesetInput

TEXT_RULESET = "<text>"


class FolderRulesets(Rulesets):
    """The request's ruleset, and the rulesets projects name, compiled once per request from inside the
    served folder (E974 for a name outside it)."""

    def __init__(self, folder: Folder, compiled: CompiledRuleset, name: str) -> None:
        super().__init__()
        self.folder = folder
        self.given: dict[str, CompiledRuleset | JixiaoError] = {name: compiled}

    def get(self, path: str) -> CompiledRuleset | JixiaoError:
        if path not in self.given:
            try:
                self.given[path] = self.folder.compile(RulesetInput(name=path))
            except JixiaoError as exc:
                self.given[path] = exc
        return self.given[path]


def score_projects(
    folder: Folder, compiled: CompiledRuleset, given: RulesetInput, projects: Sequence[Project]
) -> list[Outcome]:
    name = given.name or TEXT_RULESET
    rulesets = FolderRulesets(folder, compiled, name)
    return [score_project(i, p, p.ruleset or name, rulesets) for i, p in enumerate(projects, start=1)]


def key(given: str, project: Project, count: int) -> str:
    """A project's key in a batch answer: the caller's id, with :sheet or #project when the input held
    several projects."""
    if count == 1:
        return given
    return given + project.origin[len(project.path) :]
