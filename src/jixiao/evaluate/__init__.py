"""Scoring one project with a compiled ruleset (see `run.Run`)."""

from jixiao.evaluate.run import Run

__all__ = ["Run"]
