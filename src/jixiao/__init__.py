"""jixiao (绩效): score Chinese fiscal performance self-evaluation tables exactly."""

__version__ = "0.1.0"
