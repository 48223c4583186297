"""The cycle collector paused while many long-lived objects are made (a ruleset parsed, checked and
compiled; a long table read), and kept from walking what a process holds: frozen for good in this
package's own processes (`freeze`), for the time of a batch scored beside workers (`held`). Kept apart
from the parser so that what only needs the pause (a kept checked ruleset compiled again, `io.checked`)
does not import lark.
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
_ours = False  # it froze them with `freeze`: a process of this package (the console script, a worker)
_held = False  # what this process holds is frozen while a batch is scored here (`held`)


def froze() -> bool:
    """Whether this process froze objects of its own (`gc.freeze`: the console script after start-up, a
    worker of `--jobs`, a server that forks). `gc.get_freeze_count()` counts them one by one (35,000 and
    more in a frozen `jixiao`: 0.4–3 ms a call, paid for every file of a batch before), so it is asked
    only until it first says yes: what is frozen stays frozen (a process that unfreezes it later has its
    young generations collected here rather than promoted, which is only slower)."""
    global _froze
    if _held:
        return True
    if not _froze:
        _froze = gc.get_freeze_count() > 0
    return _froze


def freeze() -> None:
    """`gc.freeze()`, remembered (`froze`) without the objects being counted: for this package's own
    processes (the console script after start-up, a worker of `--jobs`)."""
    global _froze, _ours
    gc.freeze()
    _froze = _ours = True


@contextlib.contextmanager
def held() -> Iterator[None]:
    """What this process holds kept out of the collector's sight while a batch is scored here beside
    workers (io/parallel.py), thawed after it.

    Scoring makes objects that live on (the reader's and the evaluator's memos), and each full collection
    then walked everything this process holds again: in the process that scores half of 20,000 CSVs
    beside a worker, two or three full collections of 0.1 s each, where its workers, frozen when they
    start, paid 0.02 s. Frozen meanwhile, what was there when the batch started is not walked; objects
    made meanwhile are collected as usual, and a cycle that was garbage at the start is collected after
    it. `gc.freeze()` and `gc.unfreeze()` are two list splices, whatever the number of objects.

    A process of this package (`freeze`: the console script) freezes what it made since, for good; one
    that froze objects of its own otherwise (a server before it forks) is left as it is: thawing would
    thaw its objects too."""
    global _held
    if _held or (froze() and not _ours):
        yield
        return
    gc.freeze()
    if _ours:
        yield
        return
    _held = True
    try:
        yield
    finally:
        _held = False
        gc.unfreeze()
