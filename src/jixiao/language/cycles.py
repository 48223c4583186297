"""The cycle collector paused while many long-lived objects are made (a ruleset parsed, checked and
compiled; a long table read). Kept apart from the parser so that what only needs the pause (a kept
checked ruleset compiled again, `io.checked`) does not import lark.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycles_uncollected(promote: bool = False) -> Iterator[None]:
    """Python's cycle collector paused while a file is parsed and its AST built (and while a ruleset is
    checked and compiled: `engine.checks.run_checks`, `engine.compiler.compile_plan`).

    Parsing makes tens of thousands of objects that live on (tokens, trees, nodes) and no cycle; each
    time the collector runs it walks every object alive, the tree so far included: a third of the time
    of 20,000 indicators (docs/performance.md, "加载 / Loading"). Reference counting still frees what
    is dropped. Restarted only by the call that paused it, which then collects the young generations
    once: the objects made meanwhile are walked here, as they would have been while they were made,
    not left to make the caller's next allocation pay for them (and a cycle made meanwhile, an
    exception kept with its traceback, is collected).

    `promote=True` (a long table read: io/long_table.py): the objects made meanwhile, which live on and
    make no cycle (tests/test_long_table.py checks that reading leaves no cyclic garbage), are not walked
    but moved to the oldest generation at once (`gc.freeze()` then `gc.unfreeze()`: two list splices,
    whatever their number), as the young collection would have moved them; so are the caller's objects
    that were young then (fewer than the collector's first thresholds). Walking them cost a tenth of the
    time to read a long table. The next full collection walks them with every other object. When the
    process froze objects of its own (`gc.freeze()`, as servers that fork do), nothing is unfrozen: the
    young generations are collected as above.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        if promote and not froze():
            gc.freeze()
            gc.unfreeze()
        else:
            gc.collect(1)


_froze = False  # this process was seen to have frozen objects of its own


def froze() -> bool:
    """Whether this process froze objects of its own (`gc.freeze`: the console script after start-up, a
    worker of `--jobs`, a server that forks). `gc.get_freeze_count()` counts them one by one (35,000 and
    more in a frozen `jixiao`: 0.4–3 ms a call, paid for every file of a batch before), so it is asked
    only until it first says yes: what is frozen stays frozen (a process that unfreezes it later has its
    young generations collected here rather than promoted, which is only slower)."""
    global _froze
    if not _froze:
        _froze = gc.get_freeze_count() > 0
    return _froze


def freeze() -> None:
    """`gc.freeze()`, remembered (`froze`) without the objects being counted: for this package's own
    processes (the console script after start-up, a worker of `--jobs`)."""
    global _froze
    gc.freeze()
    _froze = True
