"""The workbench in headless Chromium, as a policy officer uses it: open the seed ruleset, break a weight
and see E401 at its line, fix it, score the seed, open an explanation, download the result, compare
the years, run the tests, save without losing anyone's work. Screenshots of each page go to
build/screenshots/ (not committed). Every request the page makes goes to the server itself."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import seedfiles
from browsing import CHROMIUM, LAUNCH, find_line
from playwright.sync_api import expect as playwright_expect
from serving import BROKEN_TESTS, ROOT, Server, copy_rulesets, needs_web, serving

import jixiao
from jixiao.io.render.layout import sheet

SHOTS = ROOT / "build" / "screenshots"
SEED = "shangjie-pension/2020.jx"

pytestmark = [needs_web, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (.ci/run installs it)")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(copy_rulesets(tmp_path_factory.mktemp("workbench"))) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    page.violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.violations.append(m.text))  # type: ignore[attr-defined]
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    try:
        yield page
    finally:
        assert all(url.startswith(server.url) or url.startswith(("data:", "blob:")) for url in page.requests)
        assert page.violations == []  # nothing the page does needs more than default-src 'self'
        context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_seed(page: Any) -> None:
    page.select_option("#file", SEED)
    page.wait_for_selector("#diagnostics li.clean")


def edit_weight(page: Any, old: str, new: str) -> None:
    """Click at the end of the 享受补贴人数 line and retype its weight, as a user would."""
    find_line(page, "享受补贴人数").click()
    page.keyboard.press("End")
    for _ in old:
        page.keyboard.press("Backspace")
    page.keyboard.type(new)


def test_edit_a_weight_error_appears_at_its_line_and_goes_away(page: Any, server: Server) -> None:
    open_seed(page)
    shot(page, "1-edit")
    edit_weight(page, "20", "15")
    error = page.wait_for_selector("#diagnostics li[data-code=E401]")
    text = (
        (server.folder / SEED).read_text(encoding="utf-8").replace("≥1.1万人  分值 20", "≥1.1万人  分值 15")
    )
    expected = next(d for d in jixiao.check(text=text) if d.code == "E401")
    assert expected.span is not None
    assert error.get_attribute("data-line") == str(expected.span.line)
    assert expected.message("zh") in error.inner_text()
    # the list is drawn when the check answers, the editor's marks a moment later (the linter's turn)
    page.wait_for_selector(".cm-line .cm-lintRange-error")
    marked = page.locator(".cm-line").filter(has=page.locator(".cm-lintRange-error"))
    assert marked.count() >= 1
    shot(page, "2-edit-error")
    edit_weight(page, "15", "20")
    page.wait_for_selector("#diagnostics li.clean")


def test_a_late_answer_for_the_empty_editor_never_replaces_the_opened_files(
    browser: Any, server: Server
) -> None:
    """The empty editor is checked 300 ms after the page starts; a file opened meanwhile is checked too,
    and the two answers may come back in either order (two workers). Here the empty editor's answer is
    held until the file's has been drawn: the list must still say the file is clean, not E107 (empty)."""
    held: list[Any] = []
    context = browser.new_context()
    try:

        def hold_the_empty_check(route: Any) -> None:
            if json.loads(route.request.post_data)["ruleset"]["text"] == "":
                held.append(route)
            else:
                route.continue_()

        context.route("**/v1/check", hold_the_empty_check)
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-ready=true]")
        for _ in range(100):  # the linter's first run, 300 ms after start-up
            if held:
                break
            page.wait_for_timeout(50)
        assert len(held) == 1
        open_seed(page)
        with page.expect_response(lambda r: r.url.endswith("/v1/check")) as late:
            held[0].continue_()
        assert json.loads(late.value.text())["diagnostics"][0]["code"] == "E107"
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
        assert page.locator("#diagnostics li").count() == 1
        assert page.locator("#diagnostics li.clean").count() == 1
        assert page.locator(".cm-lintRange-error").count() == 0
    finally:
        context.close()


def test_a_late_score_never_draws_over_a_newer_one(page: Any, tmp_path: Path) -> None:
    """A user scores one file, then another before the first answer comes (two workers may answer in either
    order): the first answer, held here until the second is drawn, must not draw over it."""
    open_seed(page)
    held: list[Any] = []
    page.route("**/v1/score:batch", lambda route: held.append(route) if not held else route.continue_())
    other = tmp_path / "另一个.csv"
    seed_actuals = (ROOT / "rulesets" / "shangjie-pension" / "2020.actuals.csv").read_text(encoding="utf-8")
    other.write_text(seed_actuals.replace("约发放人数1.11万人", "约发放人数0.9万人"), encoding="utf-8")
    page.click("[data-tab=score]")
    page.set_input_files("#upload", str(other))
    page.click("#score-now")  # held
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    page.select_option("#actuals", "shangjie-pension/2020.actuals.csv")
    page.click("#score-now")
    playwright_expect(page.locator("#total")).to_have_text("99.31")
    with page.expect_response(lambda r: r.url.endswith("/v1/score:batch")) as late:
        held[0].continue_()
    assert "99.31" not in late.value.text()  # it answered, for the other file
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
    assert page.inner_text("#total") == "99.31"


def test_a_file_opened_late_never_replaces_the_one_chosen_after_it(page: Any) -> None:
    """A user chooses one file, then another before the first arrives: the first's late answer must not
    become the editor's file (a save would then write the text shown to the file not chosen)."""
    open_seed(page)
    opened: list[Any] = []
    page.route("**/v1/files/shangjie-pension/2021.jx", lambda route: opened.append(route))
    page.click("[data-tab=edit]")
    page.select_option("#file", "shangjie-pension/2021.jx")  # held
    for _ in range(100):
        if opened:
            break
        page.wait_for_timeout(50)
    assert len(opened) == 1
    with page.expect_response(lambda r: r.url.endswith("/v1/files/" + SEED)):
        page.select_option("#file", SEED)
    with page.expect_response(lambda r: r.url.endswith("/v1/files/shangjie-pension/2021.jx")):
        opened[0].continue_()
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
    assert page.input_value("#file") == SEED
    text = page.locator(".cm-content").inner_text()
    assert "2020 年度项目" in text and "2021 年度规则" not in text


def test_format_undo_brackets_and_both_keyword_sets(page: Any) -> None:
    """The editor of issue 11: 「格式化」 and Shift+Alt+F give `jixiao fmt`'s text, Ctrl+Z undoes it, the
    bracket at the cursor and its partner are marked, and an English keyword is coloured as its Chinese
    twin is."""
    open_seed(page)
    line = find_line(page, "享受补贴人数")
    line.click()
    page.keyboard.press("Home")  # to the start of the words, after the indentation
    page.keyboard.type("      ")
    messy = "          享受补贴人数  目标 ≥1.1万人  分值 20"
    assert page.locator(".cm-activeLine").inner_text() == messy
    page.click("#format-code")
    page.wait_for_selector("#status:has-text('已格式化')")
    tidy = "    享受补贴人数  目标 ≥1.1万人  分值 20"
    assert find_line(page, "享受补贴人数").inner_text() == tidy
    page.locator(".cm-content").focus()  # back from the button to the editor
    page.keyboard.press("Control+z")
    assert find_line(page, "享受补贴人数").inner_text() == messy
    page.keyboard.press("Shift+Alt+F")
    page.wait_for_selector("#status:has-text('已格式化')")
    assert find_line(page, "享受补贴人数").inner_text() == tidy
    find_line(page, "产出指标 / 数量指标 {").click()
    page.keyboard.press("End")  # just after the block's {
    assert page.locator(".cm-matchingBracket").all_inner_texts() == ["{", "}"]
    page.keyboard.press("Enter")
    page.keyboard.type("人数  target ≥10人  weight 1")
    words = page.locator(".cm-activeLine span")
    english = words.filter(has_text="target").first.get_attribute("class")
    chinese = find_line(page, "享受补贴人数").locator("span", has_text="目标").first.get_attribute("class")
    assert english and english == chinese
    assert english != words.filter(has_text="≥10人").first.get_attribute("class")


def test_typing_while_the_server_formats_is_never_undone(page: Any) -> None:
    """「格式化」 sends the text and replaces it with the answer: a user who types before the answer comes
    keeps what they typed, and is told the text was not formatted."""
    open_seed(page)
    line = find_line(page, "享受补贴人数")
    line.click()
    page.keyboard.press("Home")
    page.keyboard.type("      ")  # something to format
    held: list[Any] = []
    page.route("**/v1/fmt", lambda route: held.append(route))
    page.click("#format-code")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    find_line(page, "享受补贴人数").click()
    page.keyboard.press("End")
    page.keyboard.type("  # 已核")
    with page.expect_response(lambda r: r.url.endswith("/v1/fmt")):
        held[0].continue_()
    page.wait_for_selector("#status:has-text('未格式化')")
    assert (
        find_line(page, "享受补贴人数").inner_text()
        == "          享受补贴人数  目标 ≥1.1万人  分值 20  # 已核"
    )


def test_complete_keywords_and_indicator_names(page: Any) -> None:
    open_seed(page)
    find_line(page, "享受补贴人数").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("享受")
    page.keyboard.press("Control+Space")
    options = page.wait_for_selector(".cm-tooltip-autocomplete").inner_text()
    assert "享受补贴人数" in options and "享受补贴群众满意度" in options
    page.keyboard.press("Escape")
    page.keyboard.type(" tar")
    page.keyboard.press("Control+Space")
    assert "target" in page.wait_for_selector(".cm-tooltip-autocomplete").inner_text()


def score(page: Any, actuals: str | Path) -> None:
    """Score the editor's ruleset with a file of the folder (a name) or an uploaded file (a path)."""
    page.click("[data-tab=score]")
    if isinstance(actuals, Path):
        page.set_input_files("#upload", str(actuals))
    else:
        page.select_option("#actuals", actuals)
    page.click("#score-now")
    page.wait_for_selector("#scored > *")


def downloaded(page: Any, fmt: str, folder: Path) -> Path:
    page.select_option("#format", fmt)
    with page.expect_download() as info:
        page.click("#download")
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def test_typing_through_an_input_method_completes_nothing_until_it_commits(page: Any) -> None:
    """WORKBENCH.md's IME bar, through Chromium's own composition events (CDP Input.imeSetComposition, what
    an input method sends): the Latin letters being composed open no completion, the committed 指标 is
    typed once, and what is then offered is Chinese. Typing the same letters without an input method
    does open completion (the control)."""
    open_seed(page)
    find_line(page, "金额单位").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    ime = page.context.new_cdp_session(page)
    for letters in ("t", "ta", "tar"):
        ime.send(
            "Input.imeSetComposition",
            {"text": letters, "selectionStart": len(letters), "selectionEnd": len(letters)},
        )
        page.wait_for_timeout(300)  # longer than the completion's typing delay
        assert page.locator(".cm-tooltip-autocomplete").count() == 0
    ime.send("Input.insertText", {"text": "指标"})
    options = page.wait_for_selector(".cm-tooltip-autocomplete")
    assert page.locator(".cm-activeLine").inner_text() == "  指标"
    labels = page.locator(".cm-completionLabel").all_inner_texts()
    assert labels and not any(label.isascii() for label in labels), labels
    assert options.is_visible()
    page.keyboard.press("Escape")
    page.keyboard.type(" tar")
    assert "target" in page.wait_for_selector(".cm-tooltip-autocomplete").inner_text()


def test_score_explain_and_download(page: Any, tmp_path: Path) -> None:
    open_seed(page)
    score(page, "shangjie-pension/2020.actuals.csv")
    assert (page.inner_text("#total"), page.inner_text("#grade")) == ("99.31", "优")
    assert page.locator("tr.finding", has_text="享受补贴人数").count() == 1
    page.locator("tr[data-indicator=预算执行率] button.score").click()
    explanation = page.wait_for_selector("#explanation .tree").inner_text()
    assert "截断" in explanation and "0.9376" in explanation
    shot(page, "3-score")
    workbook = downloaded(page, "xlsx", tmp_path)  # the default: the official layout in Excel
    assert workbook.name == "城乡居民基本养老保险费财政补助资金.xlsx"
    rows = [list(row) for row in openpyxl.load_workbook(workbook).worksheets[0].iter_rows(values_only=True)]
    assert ["预算执行率", "100%", "93.76%", 1, 0.93] in [row[2:7] for row in rows]
    assert [100, 99.31, "等级：优"] in [row[5:8] for row in rows]
    assert "99.31" in downloaded(page, "csv", tmp_path).read_text(encoding="utf-8-sig")
    assert "99.31" in downloaded(page, "html", tmp_path).read_text(encoding="utf-8")
    result = json.loads(downloaded(page, "json", tmp_path).read_text(encoding="utf-8"))
    assert (result["total"], result["grade"]) == ("99.31", "优")


def test_the_explanation_of_a_row_far_down_is_shown_beside_it(page: Any) -> None:
    """On an office laptop's screen (1366×768) the table is longer than the window: the explanation of a
    score near the end appears in view, not at the top of the page."""
    page.set_viewport_size({"width": 1366, "height": 768})
    open_seed(page)
    score(page, "shangjie-pension/2020.actuals.csv")
    page.locator("tr[data-indicator=享受补贴群众满意度] button.score").click()
    explanation = page.locator("#explanation .tree")
    assert "享受补贴群众满意度" in explanation.inner_text()
    playwright_expect(explanation).to_be_in_viewport()
    shot(page, "3-score-1366")


def test_upload_actual_values_in_every_format_the_cli_reads(page: Any, tmp_path: Path) -> None:
    """Issue 11: the seed's actual values as staff save them (GBK CSV, Excel's Unicode text, xlsx, the
    official 自评表, YAML, JSON, …) and a workbook carrying a 6 MiB photo, each chosen in the page's
    file input, score 99.31 / 优."""
    open_seed(page)
    for kind, write in seedfiles.FORMATS.items():
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        page.evaluate("document.querySelector('#scored').replaceChildren()")  # no earlier table to read
        score(page, write(folder))
        assert (page.inner_text("#total"), page.inner_text("#grade")) == ("99.31", "优"), kind
    page.evaluate("document.querySelector('#scored').replaceChildren()")
    score(page, seedfiles.photographed_workbook(tmp_path, 6))  # more than the 4 MiB of plain JSON
    assert page.inner_text("#total") == "99.31"
    shot(page, "3-score-upload")


def test_a_workbook_of_several_projects_with_a_broken_cell(page: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "甲"
    seedfiles.write_official(book.active, "甲项目")
    broken = book.create_sheet("乙")
    broken.append(seedfiles.HEADER.split(","))
    for line in seedfiles.LINES:
        cells = line.split(",")
        broken.append([*cells[:3], "很多人" if cells[2] == "享受补贴人数" else cells[3], *cells[4:]])
    path = tmp_path / "全部项目.xlsx"
    book.save(path)
    open_seed(page)
    score(page, path)
    assert page.locator("tr.project").count() == 2
    assert page.inner_text("#status") == "2 个项目：1 个已评分，1 个有错误"
    assert page.inner_text("#total") == "99.31"  # the first scored project is shown
    page.locator("tr.project.failed").click()
    error = page.wait_for_selector("#scored li[data-code=E603]").inner_text()
    assert "全部项目.xlsx 工作表「乙」第21行「实际完成值」列（D21）" in error
    shot(page, "6-workbook")
    book = openpyxl.load_workbook(downloaded(page, "xlsx", tmp_path))
    summary = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert [row[1] for row in summary[1:]] == ["甲项目", "乙"] and summary[1][5] == 99.31
    assert "E603" in summary[2][-1]


CASES = ROOT / "tests" / "cases" / "eval"


@pytest.mark.parametrize(
    "case",
    [
        "breakdown-rows",
        "subtotal-rows",
        "unknown-scores",
        "table-columns",
        "budget-not-counted",
        "goal-blocks",
    ],
)
def test_the_scored_table_has_the_shape_the_downloads_have(page: Any, server: Server, case: str) -> None:
    """其中 rows, 小计, unknown scores and an incomplete total, the status and item-score columns, a budget
    score 不计入总分, 绩效目标 blocks: the page shows each cell of the 自评表 as the xlsx/CSV/HTML writers
    lay it out, and the findings under it."""
    shutil.copytree(CASES / case, server.folder / case, dirs_exist_ok=True)
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#file", f"{case}/ruleset.jx")
    page.wait_for_selector("#diagnostics li")
    score(page, f"{case}/actuals.csv")
    result = jixiao.load_ruleset(server.folder / case / "ruleset.jx").score(
        server.folder / case / "actuals.csv"
    )
    expected = sheet(result)
    assert page.locator("table.scored thead th").all_inner_texts() == list(expected.indicators.header)
    for row, cells in zip(page.locator("table.scored tbody tr").all(), expected.indicators.rows, strict=True):
        shown = {
            td.get_attribute("data-key"): td.inner_text().replace(" ⚑", "") for td in row.locator("td").all()
        }
        want = {key: cell.text.strip() for key, cell in zip(expected.indicators.keys, cells, strict=True)}
        assert shown == {key: want[key] for key in shown}
    assert page.inner_text("#total") == expected.total.text
    budget = [[cell.text for cell in row] for row in expected.budget.rows] if expected.budget else []
    assert [
        row.locator("td").all_inner_texts() for row in page.locator("table.budget tbody tr").all()
    ] == budget
    rows = expected.findings.rows if expected.findings else ()  # a finding on the whole table names no row
    want = [
        f"⚑ {code.text} {f'{row.text}：' if row.text else ''}{message.text}" for code, row, message in rows
    ]
    assert page.locator("ul.findings li").all_inner_texts() == want
    kinds = {
        "breakdown-rows": "tr.breakdown",
        "subtotal-rows": "tr.subtotal",
        "unknown-scores": "tr.unknown",
        "table-columns": "td[data-key=item_score]",
        "budget-not-counted": "table.budget td:has-text('不计入总分')",
        "goal-blocks": "td[data-key=goal]",
    }
    assert page.locator(kinds[case]).count() >= 1
    shot(page, f"7-{case}")


def test_compare_years(page: Any) -> None:
    page.click("[data-tab=diff]")
    page.select_option("#old", SEED)
    page.select_option("#new", "shangjie-pension/2021.jx")
    page.select_option("#diff-actuals", "shangjie-pension/2020.actuals.csv")
    page.click("#compare-now")
    impact = page.wait_for_selector(".impact-total").inner_text()
    assert "99.31 → 97.81" in impact
    assert page.locator("tr.change", has_text="资金发放准确率").count() >= 1
    kinds = page.locator("tr.change td:first-child").all_inner_texts()
    assert kinds and not any(kind.isascii() for kind in kinds), kinds  # 分值, 目标, 基本信息 … in Chinese
    assert "目标（提高）" in kinds, kinds  # the direction as /v1/vocabulary names it
    assert page.locator(".impact table thead th").all_inner_texts() == ["指标", "原得分", "新得分", "变化"]
    shot(page, "4-compare")


def compare(page: Any, old: str, new: str, actuals: str = "") -> None:
    page.click("[data-tab=diff]")
    page.select_option("#old", old)
    page.select_option("#new", new)
    page.select_option("#diff-actuals", actuals)
    with page.expect_response(lambda r: r.url.endswith("/v1/diff")):
        page.click("#compare-now")
    page.wait_for_selector("#diff > *")


def test_compare_impacts_add_up_and_the_same_file_says_so(page: Any) -> None:
    """A removed indicator's 变化 is minus its old score (was blank: the column did not add up to the
    header's −1.50); comparing a file with itself says so in words (was an empty table with its header);
    the folded runs of the side-by-side view are marked with a character CJK fonts have (⦚ drew boxes);
    no English beside the Chinese."""
    compare(page, SEED, "shangjie-pension/2021.jx", "shangjie-pension/2020.actuals.csv")
    removed = page.locator(".impact tbody tr", has_text="财务监控有效性").locator("td").all_inner_texts()
    assert removed == ["投入和管理目标/财务管理/财务监控有效性", "1.00", "—", "-1.00"]
    page.wait_for_selector("#merge .cm-collapsedLines")
    marker = page.locator("#merge .cm-collapsedLines").first
    assert marker.evaluate("e => getComputedStyle(e, '::before').content") == '"…"'
    assert "side by side" not in page.inner_text("#diff") and "逐行对照" in page.inner_text("#diff")
    assert page.inner_text("#status").startswith("比较完成")
    compare(page, SEED, SEED)
    same = "两份规则含义相同，没有变化"  # the answer has come; the page may draw it a moment later
    page.wait_for_function(
        "s => document.querySelector('#diff .diff-summary')?.innerText === s", arg=same, timeout=10_000
    )
    assert page.inner_text("#diff .diff-summary") == same
    assert page.locator("#diff table.changes").count() == 0
    shot(page, "4-compare-same")


def test_a_failed_comparison_names_the_file_and_line_and_opens_it(page: Any, server: Server) -> None:
    """E104 in the new ruleset: the page shows 「big/broken.jx 第 N 行」 as a link to that line (was the
    message alone), and the status bar says the comparison failed (was the last score's total)."""
    broken = server.folder / "big" / "broken.jx"
    broken.parent.mkdir(exist_ok=True)
    text = (
        (server.folder / SEED).read_text(encoding="utf-8").replace("≥1.1万人  分值 20", "≥1.1万人  分只 20")
    )
    broken.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "分只" in t)
    try:
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        open_seed(page)
        score(page, "shangjie-pension/2020.actuals.csv")
        assert page.inner_text("#status").startswith("总得分 99.31")
        compare(page, SEED, "big/broken.jx")
        link = page.locator("#diff li[data-code=E104] a.where")
        assert link.inner_text() == f"big/broken.jx 第 {line} 行"
        assert "改法" in page.inner_text("#diff li[data-code=E104]")
        assert page.inner_text("#status").startswith("没有比较：E104")
        link.click()
        page.wait_for_selector("#page-edit:not([hidden])")
        playwright_expect(page.locator("#file")).to_have_value("big/broken.jx")
        active = page.locator(".cm-activeLine")
        playwright_expect(active).to_contain_text("分只 20")
    finally:
        broken.unlink()
        broken.parent.rmdir()


def test_the_status_bar_says_what_each_pages_action_did(page: Any) -> None:
    """After 无法评分, a good comparison and a test run each write their own outcome (the status kept
    saying 无法评分)."""
    open_seed(page)
    edit_weight(page, "20", "15")
    page.wait_for_selector("#diagnostics li[data-code=E401]")
    score(page, "shangjie-pension/2020.actuals.csv")
    assert page.inner_text("#status") == "无法评分"
    compare(page, SEED, "shangjie-pension/2021.jx")
    assert page.inner_text("#status") == "比较完成：共 8 处含义变化"
    page.click("[data-tab=test]")
    page.select_option("#tests", "shangjie-pension/2020.test.yaml")
    page.click("#run-tests")
    page.wait_for_selector("#test-results .counted")
    assert page.inner_text("#status").startswith("测试没有运行：规则或测试文件有错误")


def run_seed_tests_with_weight_unsaved(page: Any) -> None:
    """The seed open, a weight changed (20 → 15: E401) and not saved, its tests run from the test tab."""
    open_seed(page)
    edit_weight(page, "20", "15")
    page.wait_for_selector("#diagnostics li[data-code=E401]")
    page.click("[data-tab=test]")
    page.select_option("#tests", "shangjie-pension/2020.test.yaml")
    page.click("#run-tests")


def test_tests_run_against_the_editors_unsaved_text(page: Any) -> None:
    """分值 20 → 15, unsaved: the editor shows E401, and 运行测试 tests that text (it said 6 passed, from
    the saved file, without a word about the unsaved changes)."""
    run_seed_tests_with_weight_unsaved(page)
    page.wait_for_selector("#test-results .counted")
    assert page.inner_text("#test-results .tested") == f"按编辑器中未保存的「{SEED}」测试"
    assert page.inner_text("#test-results .counted") == "没有运行测试：规则或测试文件有错误"
    assert "E401" in page.inner_text("#test-results ul.diagnostics.file")
    assert "6 个通过" not in page.inner_text("#status")
    # another ruleset edited: the saved file the test names is tested, and the page says the edits were not
    page.click("[data-tab=edit]")
    page.once("dialog", lambda dialog: dialog.accept())  # drop the unsaved 15
    page.select_option("#file", "shangjie-pension/2021.jx")
    page.wait_for_selector("#diagnostics li")
    page.locator(".cm-line").first.click()
    page.keyboard.type("# 未保存 ")
    page.click("[data-tab=test]")
    page.click("#run-tests")
    page.wait_for_selector("#test-results .tested:has-text('已保存')")
    assert page.inner_text("#test-results .tested") == (
        f"测试的是已保存的「{SEED}」；编辑器中「shangjie-pension/2021.jx」有未保存的修改，没有用于这个测试"
    )
    assert page.inner_text("#test-results .counted") == "6 个通过，0 个失败"


def test_a_case_that_could_not_run_shows_its_diagnostics_in_its_row(page: Any, server: Server) -> None:
    """/v1/test gives each case that could not run its diagnostics (file and line); the page showed none of
    them in the case's row, only all of them as text under the table, without a place to go to. Now they
    are in the row, reached by Tab and followed by Enter (the test file's line shown beneath), and a
    ruleset's error in the list under the table opens the editor at its line."""
    name = "shangjie-pension/broken.test.yaml"
    path = server.folder / name
    path.write_text(
        BROKEN_TESTS,
        encoding="utf-8",
    )
    try:
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        page.click("[data-tab=test]")
        page.select_option("#tests", name)
        page.click("#run-tests")
        page.wait_for_selector("#test-results .counted")
        assert page.inner_text("#test-results .counted") == "1 个通过，2 个失败"
        missing = page.locator("#test-results tr.fail", has_text="缺文件").locator("li[data-code=E105]")
        outside = page.locator("#test-results tr.fail", has_text="越界").locator("li[data-code=E253]")
        assert missing.locator(".where").inner_text() == f"{name} 第 8 行"
        assert outside.locator(".where").inner_text() == f"{name} 第 12 行"
        assert "改法" in missing.inner_text() and "nope.csv" in missing.inner_text()
        assert page.locator("#test-results ul.diagnostics.file").count() == 0  # not shown twice
        assert page.locator("#test-results pre.error").count() == 0
        missing.locator("a.code").focus()
        page.keyboard.press("Shift+Tab")  # from its code link back to the item itself
        assert missing.evaluate("e => document.activeElement === e")
        page.keyboard.press("Enter")
        playwright_expect(missing.locator("pre.excerpt")).to_have_text("8 |     actuals: nope.csv")
        page.keyboard.press("Enter")  # again: hidden
        playwright_expect(missing.locator("pre.excerpt")).to_have_count(0)
        outside.click()
        playwright_expect(outside.locator("pre.excerpt")).to_have_text("12 |     actuals: ../../secret.csv")
        shot(page, "8-test-case-diagnostics")
        # a ruleset's error (the editor's unsaved text) is in the list under the table: Enter opens its line
        page.click("[data-tab=edit]")
        run_seed_tests_with_weight_unsaved(page)
        item = page.locator("#test-results ul.diagnostics.file li[data-code=E401]")
        item.wait_for()
        assert item.locator(".where").inner_text().startswith(f"{SEED} 第 ")
        line = int(item.get_attribute("data-line") or 0)
        item.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector("#page-edit:not([hidden])")
        text = (server.folder / SEED).read_text(encoding="utf-8").split("\n")[line - 1]
        active = page.locator(".cm-activeLine")
        playwright_expect(active).to_have_count(1)
        assert active.inner_text().strip() == text.strip().replace("分值 20", "分值 15")
    finally:
        path.unlink()


def test_tab_passes_through_the_editor_until_the_user_works_in_it(page: Any) -> None:
    """From the top of the page Tab goes into the editor and out again without indenting line 1 (it
    indented on every press, and only Esc then Tab left); clicked into the text, Tab indents; Esc then
    Tab leaves."""
    open_seed(page)
    first = page.locator(".cm-line").first.inner_text()
    inside = "() => !!document.activeElement.closest('.cm-editor')"
    was_inside = False
    for _ in range(40):
        page.keyboard.press("Tab")
        now = page.evaluate(inside)
        if was_inside and not now:
            break
        was_inside = was_inside or now
    else:
        raise AssertionError("Tab never left the editor")
    assert page.locator("#dirty").is_hidden() and page.locator(".cm-line").first.inner_text() == first
    page.locator(".cm-line").first.click()
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert page.locator("#dirty").is_visible() and page.locator(".cm-line").first.inner_text() != first
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not page.evaluate(inside)
    assert "Esc 再按 Tab" in page.inner_text("#keys-hint")


def test_run_tests_and_accept_with_confirmation(page: Any, server: Server) -> None:
    name = "shangjie-pension/2020.test.yaml"
    path = server.folder / name
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('total: "97.49"', 'total: "97.50"'), encoding="utf-8")
    page.click("[data-tab=test]")
    page.select_option("#tests", name)
    page.click("#run-tests")
    page.wait_for_selector("tr.fail")
    assert "total" not in page.inner_text("#test-results")
    assert "总得分：期望 97.50，得到 97.49" in page.inner_text("#test-results")
    shot(page, "5-test")
    page.once("dialog", lambda dialog: dialog.dismiss())  # cancelled: nothing is written
    page.click("#accept")
    assert 'total: "97.50"' in path.read_text(encoding="utf-8")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#accept")
    page.wait_for_selector("text=已更新 1 个期望值")
    assert path.read_text(encoding="utf-8") == original


def test_save_and_never_overwrite_a_file_changed_on_disk(page: Any, server: Server) -> None:
    path = server.folder / "shangjie-pension" / "2021.jx"
    page.select_option("#file", "shangjie-pension/2021.jx")
    page.wait_for_selector("#diagnostics li")
    page.locator(".cm-line").first.click()
    page.keyboard.press("Home")
    page.keyboard.type("# 复核过 ")
    page.keyboard.press("Control+s")
    page.wait_for_selector(".status.ok")
    assert path.read_text(encoding="utf-8").startswith("# 复核过 ")
    path.write_text(path.read_text(encoding="utf-8") + "# 同事的修改\n", encoding="utf-8")
    page.keyboard.type("我的 ")
    page.click("#save")
    status = page.wait_for_selector(".status.error").inner_text()
    assert "E978" in status
    assert path.read_text(encoding="utf-8").endswith("# 同事的修改\n")
    assert "# 复核过 我的 " in page.locator(".cm-content").inner_text()


def test_underlines_land_on_the_word_after_a_surrogate_pair(page: Any, server: Server) -> None:
    """The engine counts code points, the editor UTF-16 units: 𠀀 (CJK Extension B) is one and two."""
    text = '项目 "x" 年度 2024 {\n  采用 "standard/central"\n  产出指标 / 数量指标 {\n    「𠀀𠀀人数」 目标 ≥10人 分值 90 方法 不存在\n  }\n}\n'
    (server.folder / "surrogates.jx").write_text(text, encoding="utf-8")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#file", "surrogates.jx")
    page.wait_for_selector("#diagnostics li[data-code=E203]")
    assert page.inner_text(".cm-lintRange-error") == "不存在"


def test_a_misspelt_keyword_is_fixed_by_its_quick_fix(page: Any) -> None:
    """The lint tooltip's action applies the server's did-you-mean: 分只 → 分值, then nothing is wrong."""
    open_seed(page)
    edit_weight(page, "分值 20", "分只 20")
    page.wait_for_selector("#diagnostics li[data-code=E104] button.fix")
    page.locator(".cm-lintRange-error").hover()
    action = page.wait_for_selector(".cm-tooltip-lint .cm-diagnosticAction")
    assert action.inner_text() == "改为「分值」"
    shot(page, "2-edit-quick-fix")
    action.click()
    page.wait_for_selector("#diagnostics li.clean")
    assert find_line(page, "享受补贴人数").inner_text() == "    享受补贴人数  目标 ≥1.1万人  分值 20"


def test_a_quick_fix_after_a_surrogate_pair_replaces_the_right_word(page: Any, server: Server) -> None:
    """The fix's columns are code points; in the editor 𠀀 takes two UTF-16 units (the side list's button)."""
    good = '项目 "x" 年度 2024 {\n  采用 "standard/central"\n  产出指标 / 数量指标 {\n    「𠀀𠀀人数」 目标 ≥10人 分值 90\n  }\n}\n'
    (server.folder / "surrogate-fix.jx").write_text(good.replace("分值 90", "分只 90"), encoding="utf-8")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#file", "surrogate-fix.jx")
    page.click("#diagnostics li[data-code=E104] button.fix")
    page.wait_for_selector("#diagnostics li.clean")
    assert find_line(page, "人数」").inner_text() == "    「𠀀𠀀人数」 目标 ≥10人 分值 90"


def test_a_diagnostic_code_opens_its_entry_in_the_error_reference(page: Any) -> None:
    """E401's code in the list opens /errors#E401 (served from the package) in a tab of its own, so the
    text being edited stays where it is."""
    open_seed(page)
    edit_weight(page, "20", "15")
    link = page.wait_for_selector("#diagnostics li[data-code=E401] a.code")
    with page.context.expect_page() as opened:
        link.click()
    reference = opened.value
    reference.wait_for_load_state()
    assert reference.url.endswith("/errors#E401")
    entry = reference.locator("h3#E401")
    playwright_expect(entry).to_be_in_viewport()
    assert entry.evaluate("e => e.matches(':target')")
    assert "各指标分值合计" in entry.evaluate("e => e.nextElementSibling.textContent")
    shot(reference, "6-error-reference")
    reference.close()
    assert find_line(page, "享受补贴人数").inner_text().endswith("分值 15")


def test_compare_years_side_by_side(page: Any) -> None:
    """The two rulesets' text side by side (@codemirror/merge): the changed target on both sides, the
    unchanged runs folded, neither side editable."""
    page.click("[data-tab=diff]")
    page.select_option("#old", SEED)
    page.select_option("#new", "shangjie-pension/2021.jx")
    page.click("#compare-now")
    merge = page.wait_for_selector("#merge .cm-mergeView")
    old, new = page.locator("#merge .cm-mergeViewEditor").all()
    target = "享受补贴人数  目标"
    assert (
        old.locator(".cm-changedLine", has_text=target).inner_text().strip() == f"{target} ≥1.1万人  分值 20"
    )
    assert (
        new.locator(".cm-changedLine", has_text=target).inner_text().strip() == f"{target} ≥1.2万人  分值 20"
    )
    assert old.locator(".cm-changedText", has_text="1").count() >= 1
    assert merge.query_selector(".cm-collapsedLines") is not None
    assert "行未改动" in merge.query_selector(".cm-collapsedLines").inner_text()
    assert old.locator(".cm-content").get_attribute("contenteditable") == "false"
    shot(page, "4-compare-side-by-side")


def editor_text(page: Any) -> str:
    """The whole text in the editor (CodeMirror draws only the lines in view)."""
    text: str = page.evaluate(
        "() => document.querySelector('#editor .cm-content').cmView.view.state.doc.toString()"
    )
    return text


def test_unsaved_edits_are_marked_asked_about_and_the_open_file_survives_a_reload(
    page: Any, server: Server
) -> None:
    """Edits not yet saved show 「● 未保存」; choosing another file asks first (cancel keeps them), a reload
    has the browser ask (beforeunload); the open file is in the address (?file=) and opened again after
    the reload; a name the server refuses opens nothing and says so."""
    name = "unsaved/2020.jx"
    (server.folder / "unsaved").mkdir(exist_ok=True)
    (server.folder / name).write_text((server.folder / SEED).read_text(encoding="utf-8"), encoding="utf-8")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#file", name)
    page.wait_for_selector("#diagnostics li.clean")
    assert page.url.endswith(f"?file={name}")
    assert page.locator("#dirty").is_hidden()
    find_line(page, "享受补贴人数").click()
    page.keyboard.press("End")
    page.keyboard.type("  # 我的修改")
    playwright_expect(page.locator("#dirty")).to_have_text("● 未保存")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.select_option("#file", "shangjie-pension/2021.jx")
    assert asked and "未保存" in asked[0]
    assert page.input_value("#file") == name
    assert "# 我的修改" in editor_text(page)
    page.keyboard.press("Control+s")
    playwright_expect(page.locator("#dirty")).to_be_hidden()
    assert "# 我的修改" in (server.folder / name).read_text(encoding="utf-8")
    page.locator(".cm-content").focus()
    page.keyboard.type("再改")
    playwright_expect(page.locator("#dirty")).to_be_visible()
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert asked[-1] == "beforeunload"
    assert page.input_value("#file") == name
    text = editor_text(page)
    assert "# 我的修改" in text and "再改" not in text
    assert page.locator("#dirty").is_hidden()
    page.goto(server.url + "/?file=../outside.jx")
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value("#file") == ""
    assert "没有打开「../outside.jx」" in page.wait_for_selector(".status.error").inner_text()
    assert editor_text(page) == ""


def test_a_save_conflict_offers_compare_overwrite_and_discard_and_never_drops_the_text(
    page: Any, server: Server
) -> None:
    """E978: the file changed on disk after it was opened. The bar offers 「对照」 (the file as it is now beside
    the user's text; a chunk of the colleague's taken with ⇝, the result adopted and saved: both changes kept),
    「用我的覆盖」 (after a confirmation) and 「放弃我的修改」 (after a confirmation; cancelling keeps the text)."""
    name = "conflict/2020.jx"
    path = server.folder / name
    path.parent.mkdir(exist_ok=True)
    path.write_text((server.folder / SEED).read_text(encoding="utf-8"), encoding="utf-8")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#file", name)
    page.wait_for_selector("#diagnostics li.clean")
    bar = page.locator("#conflict")

    def collide(mine: str, theirs: str) -> None:
        page.locator(".cm-line").first.click()
        page.keyboard.press("Home")
        page.keyboard.type(mine)
        path.write_text(path.read_text(encoding="utf-8") + theirs, encoding="utf-8")
        page.keyboard.press("Control+s")
        playwright_expect(bar).to_be_visible()
        assert "E978" in page.inner_text(".status.error")

    collide("# 我的A ", "# 同事的修改A\n")
    assert bar.locator("button").all_inner_texts() == ["对照…", "用我的覆盖…", "放弃我的修改…"]
    bar.locator("button", has_text="对照").click()
    merge = page.locator(".split #merge-conflict .cm-mergeView")
    playwright_expect(merge).to_be_visible()
    left, right = merge.locator(".cm-mergeViewEditor").all()
    assert left.locator(".cm-changedLine", has_text="# 同事的修改A").count() == 1
    assert right.locator(".cm-changedLine", has_text="# 我的A").count() == 1
    shot(page, "8-conflict-compare")
    merge.locator(".cm-merge-revert button").last.click()  # take the colleague's line
    bar.locator("button", has_text="采用右边的文字").click()
    playwright_expect(bar).to_be_hidden()
    assert "# 我的A " in editor_text(page) and "# 同事的修改A" in editor_text(page)
    page.locator(".cm-content").focus()
    page.keyboard.press("Control+s")
    page.wait_for_selector(".status.ok")
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith("# 我的A ") and "# 同事的修改A\n" in saved

    collide("# 我的B ", "# 同事的修改B\n")
    page.once("dialog", lambda dialog: dialog.dismiss())
    bar.locator("button", has_text="放弃我的修改").click()
    assert editor_text(page).startswith("# 我的B ")  # cancelled: nothing lost
    page.once("dialog", lambda dialog: dialog.accept())
    bar.locator("button", has_text="放弃我的修改").click()
    playwright_expect(bar).to_be_hidden()
    assert editor_text(page) == path.read_text(encoding="utf-8")
    assert page.locator("#dirty").is_hidden()

    collide("# 我的C ", "# 同事的修改C\n")
    mine = editor_text(page)
    page.once("dialog", lambda dialog: dialog.accept())
    bar.locator("button", has_text="用我的覆盖").click()
    page.wait_for_selector(".status.ok")
    assert path.read_text(encoding="utf-8") == mine
    assert page.locator("#dirty").is_hidden()


def test_a_stopped_server_is_said_plainly_and_nothing_claims_success(browser: Any, tmp_path: Path) -> None:
    """The server stops mid-session (its terminal closed): typing marks the diagnostics out of date (never
    「没有发现问题」), saving, formatting, scoring, comparing and testing each say they could not reach the
    server, nothing stays at 「正在评分…」, and no error escapes the page."""
    with serving(copy_rulesets(tmp_path)) as own:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{own.url}/?file={SEED}")
            page.wait_for_selector("body[data-ready=true]")
            page.wait_for_selector("#diagnostics li.clean")
            own.process.terminate()
            own.process.wait(10)
            status = page.locator("#status")
            edit_weight(page, "分值 20", "分只 20")
            page.wait_for_selector("#diagnostics.stale li.offline")
            assert page.locator("#diagnostics li.clean").count() == 0
            assert "无法连接 jixiao 服务器" in page.inner_text("#diagnostics")
            page.keyboard.press("Control+s")
            playwright_expect(status).to_contain_text("无法连接 jixiao 服务器：修改未保存")
            assert "分只 20" in editor_text(page)
            page.click("#format-code")
            playwright_expect(status).to_contain_text("无法连接 jixiao 服务器：未格式化")
            page.click("[data-tab=score]")
            page.select_option("#actuals", "shangjie-pension/2020.actuals.csv")
            page.click("#score-now")
            playwright_expect(status).to_contain_text("无法连接 jixiao 服务器：没有评分")
            page.click("[data-tab=diff]")
            page.click("#compare-now")
            playwright_expect(page.locator("#diff p.error")).to_contain_text(
                "无法连接 jixiao 服务器：没有比较"
            )
            playwright_expect(status).to_contain_text("无法连接 jixiao 服务器：没有比较")
            page.click("[data-tab=test]")
            page.select_option("#tests", "shangjie-pension/2020.test.yaml")
            page.click("#run-tests")
            playwright_expect(page.locator("#test-results pre.error")).to_contain_text(
                "无法连接 jixiao 服务器"
            )
            shot(page, "9-server-stopped")
            assert errors == []
        finally:
            context.close()


def release(page: Any, held: list[Any]) -> None:
    """Let the checks held by a route go on, and the later ones unheld (unroute lets those waiting go)."""
    for route in held:
        route.continue_()
    page.unroute("**/v1/check")


def test_the_lists_quick_fix_follows_the_text_typed_since_the_check_and_applies_once(page: Any) -> None:
    """The list is drawn for the text that was checked; a line typed above the typo before the next check
    answers moves it down. The list's 「改为「分值」」 must still fix the typo (not the line now where it was),
    a double click must fix it once, and a fix whose words were typed over is refused and checked again."""
    open_seed(page)
    target = "    享受补贴人数  目标 ≥1.1万人  分值 20"
    edit_weight(page, "分值 20", "分直值 20")  # longer than its fix: applying twice would show
    page.wait_for_selector("#diagnostics li[data-code=E104] button.fix")
    held: list[Any] = []
    page.route("**/v1/check", lambda route: held.append(route))  # the list stays that of the typo's check
    page.locator(".cm-content").focus()
    page.keyboard.press("Control+Home")
    page.keyboard.type("# 备注\n")
    page.locator("#diagnostics li[data-code=E104] button.fix").dblclick()
    lines = editor_text(page).split("\n")
    assert lines[0] == "# 备注"
    assert target in lines
    assert "分直" not in editor_text(page)
    release(page, held)
    page.wait_for_selector("#diagnostics li.clean")

    edit_weight(page, "分值 20", "分只 20")
    page.wait_for_selector("#diagnostics li[data-code=E104] button.fix")
    held.clear()
    page.route("**/v1/check", lambda route: held.append(route))
    find_line(page, "享受补贴人数").click()
    page.keyboard.press("End")
    for _ in "只 20":
        page.keyboard.press("Backspace")
    page.keyboard.type("支 20")  # the typo typed over: 分只 is no longer there to replace
    page.locator("#diagnostics li[data-code=E104] button.fix").click()
    assert "没有套用" in page.inner_text(".status.error")
    assert target.replace("分值", "分支") in editor_text(page).split("\n")
    release(page, held)


def test_at_200_percent_zoom_the_side_panels_go_under_their_table(page: Any) -> None:
    """1366×768 at 200% zoom is a 683 px wide window: the 自评表 and the editor keep the full width, the
    explanation and the diagnostics go under them instead of squeezing them."""
    page.set_viewport_size({"width": 683, "height": 384})
    open_seed(page)
    editor, checks = page.locator("#editor").bounding_box(), page.locator("#page-edit aside").bounding_box()
    assert editor["width"] > 600 and checks["y"] >= editor["y"] + editor["height"]
    score(page, "shangjie-pension/2020.actuals.csv")
    assert page.locator("#scored").bounding_box()["width"] > 600
    page.locator("tr[data-indicator=预算执行率] button.score").click()
    explanation = page.locator("#explanation .tree")
    playwright_expect(explanation).to_be_in_viewport()
    assert page.locator("#explanation").bounding_box()["width"] > 600
    shot(page, "3-score-zoom-200")


def test_a_read_only_server_offers_no_update_of_expectations(browser: Any, tmp_path: Path) -> None:
    """With --read-only the server refuses to rewrite a test file (E983): the page does not offer it."""
    folder = copy_rulesets(tmp_path)
    name = "shangjie-pension/2020.test.yaml"
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace('total: "97.49"', 'total: "97.50"'), "utf-8")
    with serving(folder, "--read-only") as running:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        try:
            page.goto(running.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.click("[data-tab=test]")
            page.select_option("#tests", name)
            page.click("#run-tests")
            page.wait_for_selector("tr.fail")
            assert (
                page.is_disabled("#accept")
                and page.get_attribute("#accept", "title") == "服务只读：不能改写期望值"
            )
        finally:
            context.close()


def test_a_file_outside_the_folder_in_the_address_is_said_plainly(browser: Any, server: Server) -> None:
    """/?file=../outside/evil.jx said E981 「没有这个接口：GET /v1/outside/evil.jx」 (the browser drops the ..)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        for wanted, words in (
            ("../outside/evil.jx", "不在所服务的文件夹中"),
            ("没有这个文件.jx", "所服务的文件夹中没有这个文件"),
        ):
            page.goto(f"{server.url}/?file={wanted}")
            page.wait_for_selector("body[data-ready=true]")
            status = page.inner_text("#status")
            assert words in status and "列表中选择" in status, status
            assert "E981" not in status and "/v1/" not in status, status
    finally:
        context.close()


def test_the_test_page_chooses_the_only_test_file_beside_the_ruleset(page: Any) -> None:
    assert page.input_value("#tests") == ""
    open_seed(page)
    assert page.input_value("#tests") == "shangjie-pension/2020.test.yaml"
    page.click("[data-tab=test]")
    page.click("#run-tests")
    page.wait_for_selector("#test-results .counted")
    assert page.inner_text("#test-results .counted") == "6 个通过，0 个失败"


def test_a_diagnostic_is_reached_and_followed_by_keyboard(page: Any, server: Server) -> None:
    """A diagnostic went to its line on a click only: its item took no focus (its code link did)."""
    open_seed(page)
    edit_weight(page, "20", "15")
    item = page.locator("#diagnostics li[data-code=E401]")
    item.wait_for()
    page.locator(".cm-line").first.click()  # the cursor elsewhere than the diagnostic's line
    item.locator("a.code").focus()
    page.keyboard.press("Shift+Tab")  # from its code link back to the item itself
    assert item.evaluate("e => document.activeElement === e")
    active = page.locator(".cm-activeLine")
    line = int(item.get_attribute("data-line") or 0)
    text = (server.folder / SEED).read_text(encoding="utf-8").split("\n")[line - 1]
    assert active.inner_text().strip() != text.strip().replace("分值 20", "分值 15")
    page.keyboard.press("Enter")
    playwright_expect(active).to_have_count(1)
    assert active.inner_text().strip() == text.strip().replace("分值 20", "分值 15")
    assert page.evaluate("document.activeElement.classList.contains('cm-content')")
