"""The cycle collector paused while many long-lived objects are made (a ruleset parsed, checked and
compiled; a long table read). Kept apart from the parser so that what only needs the pause (a kept
checked ruleset compiled again, `io.checked`) does not import lark.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Python's cycle collector paused while a file is parsed and its AST built (and while a ruleset is
    checked and compiled: `engine.checks.run_checks`, `engine.compiler.compile_plan`).

    Parsing makes tens of thousands of objects that live on (tokens, trees, nodes) and no cycle; each
    time the collector runs it walks every object alive, the tree so far included: a third of the time
    of 20,000 indicators (docs/performance.md, "加载 / Loading"). Reference counting still frees what
    is dropped. Restarted only by the call that paused it, which then collects the young generations
    once: the objects made meanwhile are walked here, as they would have been while they were made,
    not left to make the caller's next allocation pay for them (and a cycle made meanwhile, an
    exception kept with its traceback, is collected).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)
