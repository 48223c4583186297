"""A progress bar on stderr for long batches: shown only on a terminal, and only after about a second.

Short runs, output redirected to a file or a pipe, and `--quiet` show nothing. The bar is one line
redrawn in place (`\\r`) at most ten times a second and erased at the end, so it never mixes with the
output on stdout.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

from jixiao.cli.common import isatty
from jixiao.diagnostics import one_line
from jixiao.io.render.aligned import ordinary

WCWIDTH = "wcwidth"  # for a name beyond the ordinary characters, imported when such a name is drawn

DELAY = 1.0  # seconds before the bar appears
INTERVAL = 0.1  # seconds between redraws
BAR = 24


class Progress:
    def __init__(
        self,
        total: int,
        label: str,
        stream: TextIO | None = None,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.label = total, label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and isatty(self.stream)
        self.clock = clock
        self.start = self.last = clock()
        self.done = 0
        self.shown = False

    def advance(self, name: str = "") -> None:
        """One more item done (`name`: what it was, shown after the bar)."""
        self.done += 1
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < DELAY or (now - self.last < INTERVAL and self.done < self.total):
            return
        self.last = now
        self._draw(name)

    def close(self) -> None:
        """Erase the bar."""
        if self.shown:
            self.stream.write("\r" + " " * self._width() + "\r")
            self.stream.flush()
            self.shown = False

    def line(self, name: str) -> str:
        """The bar's text: `评分 537/1000 [############............]  53%  项目名`, fitted to the terminal.

        Without a total (`total` 0: still counting) it is the count alone: `读取 537  项目名`.
        """
        if self.total == 0:
            return fit(f"{self.label} {self.done}  {one_line(name)}", self._width())
        filled = BAR * self.done // max(self.total, 1)
        percent = 100 * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (BAR - filled)
        return fit(
            f"{self.label} {self.done}/{self.total} [{bar}] {percent:3d}%  {one_line(name)}", self._width()
        )

    def _draw(self, name: str) -> None:
        text = self.line(name)
        self.stream.write("\r" + text + " " * (self._width() - _width(text)))
        self.stream.flush()
        self.shown = True

    def _width(self) -> int:
        return shutil.get_terminal_size((80, 24)).columns - 1


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal columns (a CJK character takes two)."""
    columns = _columns(text)
    out, used = [], 0
    for ch in text:
        used += columns(ch)
        if used > width:
            break
        out.append(ch)
    return "".join(out)


def _width(text: str) -> int:
    return sum(map(_columns(text), text))


def _columns(text: str) -> Callable[[str], int]:
    """The terminal columns each character of `text` takes: for ordinary text (ASCII, CJK, the common
    symbols: `aligned.ordinary`) by the same rule as the tables, without loading wcwidth's tables (~10 ms
    of a batch's start); else wcwidth's."""
    if ordinary(text):
        return _ordinary_columns
    wcwidth: Callable[[str], int] = importlib.import_module(WCWIDTH).wcwidth
    return lambda ch: max(wcwidth(ch), 0)


def _ordinary_columns(ch: str) -> int:
    return 2 if ch >= "\u3000" else 1  # as `aligned.width`: the wide characters are from U+3000 on
