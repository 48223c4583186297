"""Tools built on the engine: fmt (canonical printer), compare (semantic diff), golden (jixiao test)."""
