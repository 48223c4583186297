"""The workbench in Debian's Chromium, for the browser tests and benchmarks/bench_workbench.py: where the
browser is, and how a user reaches a line of the editor (CodeMirror draws only the lines in view)."""

from __future__ import annotations

import shutil
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH = ["--no-sandbox"]  # the tests run as root


def find_line(page: Any, text: str, scrolls: int = 40) -> Any:
    """The editor line containing `text`, scrolling down with the mouse wheel until it is drawn."""
    page.locator(".cm-content").hover()
    for _ in range(scrolls):
        line = page.locator(".cm-line", has_text=text)
        if line.count():
            return line.first
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(50)
    raise AssertionError(f"no editor line contains {text}")
