"""Input and output: actual-value readers, ruleset loading, writers (table, JSON, explanation)."""
