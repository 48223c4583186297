"""The workbench's time bars (WORKBENCH.md), measured in headless Chromium against a real `jixiao serve`.

    python benchmarks/bench_workbench.py [ROUNDS]     (needs the web extra, playwright, /usr/bin/chromium)

Starts `jixiao serve` on a temporary copy of rulesets/ (127.0.0.1, a free port) and measures:

- diagnostics: from the last keystroke of an edit that breaks (and then mends) a weight in a
  100-indicator ruleset to the error (or the all-clear) being listed — the editor waits 300 ms for
  typing to stop, then asks /v1/check; the page must list every error `jixiao check` reports;
- explanation: from a click on a score to the next frame with its explanation drawn (in the page),
  and the same seen from the test driver;
- upload: from 「评分」 with a 1,000-row xlsx chosen (38 projects in a long table with a 项目 column)
  to the list of projects and the first table drawn.

Prints medians and maxima; docs/workbench.md records them. Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "web"))

from browsing import CHROMIUM, LAUNCH, find_line
from serving import ROOT, serving

SEED_CSV = ROOT / "rulesets" / "shangjie-pension" / "2020.actuals.csv"


def hundred_indicators() -> str:
    lines = ['项目 "一百个指标" 年度 2024 {', '  采用 "standard/central"']
    for block in range(10):
        lines.append(f"  产出指标 / 数量指标{block} {{")
        lines += [f"    指标{block}_{i}  目标 ≥{100 + i}个  分值 0.9" for i in range(10)]
        lines.append("  }")
    return "\n".join([*lines, "}", ""])


def thousand_rows(path: Path) -> int:
    """A long table: the seed's rows for 38 projects, a 项目 column first (988 rows and the header)."""
    header, *lines = SEED_CSV.read_text(encoding="utf-8").splitlines()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("全部项目")
    sheet.append(["项目", *header.split(",")])
    count = 0
    for project in range(38):
        for line in lines:
            sheet.append([f"项目{project:02d}", *line.split(",")])
            count += 1
    book.save(path)
    return count


def retype(page: Page, old: str, new: str) -> float:
    """Retype the last characters of the current line; the time of the last keystroke."""
    page.keyboard.press("End")
    for _ in old:
        page.keyboard.press("Backspace")
    page.keyboard.type(new[:-1])
    page.keyboard.press(new[-1])
    return time.perf_counter()


def diagnostics(page: Page, rounds: int) -> tuple[list[float], list[float]]:
    page.select_option("#file", "hundred.jx")
    page.wait_for_selector("#diagnostics li.clean")
    broken, mended = [], []
    for _ in range(rounds):
        find_line(page, "指标5_5 ").click()
        typed = retype(page, "0.9", "9.9")
        page.wait_for_selector("#diagnostics li[data-code=E401]")
        broken.append(time.perf_counter() - typed)
        typed = retype(page, "9.9", "0.9")
        page.wait_for_selector("#diagnostics li.clean")
        mended.append(time.perf_counter() - typed)
    return broken, mended


CLICK = """([name]) => new Promise((done) => {
  const button = document.querySelector(`tr[data-indicator="${name}"] button.score`);
  const started = performance.now();
  button.click();
  requestAnimationFrame(() => done(performance.now() - started));
})"""


def explanations(page: Page, rounds: int) -> tuple[list[float], list[float]]:
    page.select_option("#file", "shangjie-pension/2020.jx")
    page.wait_for_selector("#diagnostics li.clean")
    page.click("[data-tab=score]")
    page.select_option("#actuals", "shangjie-pension/2020.actuals.csv")
    page.click("#score-now")
    page.wait_for_selector("#total")
    names = ["预算执行率", "享受补贴人数", "资金发放准确率", "保障群众基本生活"]
    in_page, driver = [], []
    for i in range(rounds):
        name = names[i % len(names)]
        in_page.append(page.evaluate(CLICK, [name]) / 1000)
        other = names[(i + 1) % len(names)]
        started = time.perf_counter()
        page.locator(f'tr[data-indicator="{other}"] button.score').click()
        page.wait_for_selector(f"#explanation li.trace.indicator:has-text('{other}')")
        driver.append(time.perf_counter() - started)
    return in_page, driver


def upload(page: Page, path: Path, rounds: int) -> list[float]:
    page.click("[data-tab=score]")
    page.set_input_files("#upload", str(path))
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        page.click("#score-now")
        page.wait_for_selector("#projects table.projects")
        page.wait_for_selector("#scored table.scored")
        times.append(time.perf_counter() - started)
    return times


def report(name: str, seconds: list[float], bar: float) -> None:
    median, worst = statistics.median(seconds), max(seconds)
    verdict = "within" if worst <= bar else "OVER"
    timing = f"median {median * 1000:7.0f} ms   max {worst * 1000:7.0f} ms"
    print(f"{name:<52} {timing}   bar {bar * 1000:.0f} ms: {verdict}")


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 5
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "served"
        shutil.copytree(ROOT / "rulesets", folder)
        (folder / "hundred.jx").write_text(hundred_indicators(), encoding="utf-8")
        rows = thousand_rows(Path(temporary) / "全部项目.xlsx")
        with serving(folder) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH)
            context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            page = context.new_page()
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            broken, mended = diagnostics(page, rounds)
            in_page, driver = explanations(page, rounds * 4)
            uploads = upload(page, Path(temporary) / "全部项目.xlsx", rounds)
            browser.close()
    report("diagnostics after the last keystroke (100 indicators)", broken, 1.0)
    report("all-clear after the last keystroke (100 indicators)", mended, 1.0)
    report("explanation drawn after a click (in the page)", in_page, 0.1)
    report("explanation seen after a click (from the driver)", driver, 0.1)
    report(f"upload and score a {rows}-row xlsx (38 projects)", uploads, 5.0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
