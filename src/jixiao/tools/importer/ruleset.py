"""A draft written as a project ruleset, in the canonical layout `jixiao fmt` keeps unchanged.

The text is assembled line by line, then printed by the formatter (tools/fmt), so the file `import`
writes is exactly what `jixiao fmt` would make of it. Every warning about a row is a comment above
that row; warnings about the whole table are comments at the top.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jixiao.diagnostics import Diagnostic, JixiaoError, one_line
from jixiao.language.quantity import number_text
from jixiao.language.rounding import Rounding
from jixiao.language.vocabulary import COLUMN_LABELS
from jixiao.limits import MAX_RULESET_CHARS
from jixiao.messages import message
from jixiao.tools.fmt import format_text, words
from jixiao.tools.importer.cells import cell_text
from jixiao.tools.importer.draft import Draft, Row
from jixiao.tools.importer.printed import Number, rounding_text

OWN_SCALE = "本表定性目标"  # the project's own scale for qualitative targets the policy lacks


def name(text: str) -> str:
    return words.name(cell_text(text))


def quote(text: str) -> str:
    return words.quote(cell_text(text))


def value(text: str) -> str:
    return words.value(cell_text(text))


def ruleset_text(draft: Draft) -> str:
    """The ruleset of a draft, as `jixiao fmt` prints it; E724 at the table's row where it would pass the
    limit of a ruleset (a table of many thousand rows, each with a warning written as a comment)."""
    current: list[Row] = []  # the row whose lines are being written (`_block` sets it)
    lines: list[str] = []
    rows: list[Row | None] = []  # the row of each line
    size = 0
    for line in _lines(draft, current):
        size += len(line) + 1
        if size > MAX_RULESET_CHARS:
            raise _too_big(draft, current[0] if current else None)
        lines.append(line)
        rows.append(current[0] if current else None)
    text = format_text("\n".join(lines) + "\n", _file_name(draft))
    if len(text) > MAX_RULESET_CHARS:  # the formatter's alignment made it longer: about the same line
        at = text.count("\n", 0, MAX_RULESET_CHARS)
        raise _too_big(draft, rows[min(at, len(rows) - 1)])
    return text


def _too_big(draft: Draft, row: Row | None) -> JixiaoError:
    span = row.span("name") if row is not None else draft.table.file_span()
    count = len(draft.rows) + len(draft.skipped)
    return JixiaoError.single("E724", span, limit=MAX_RULESET_CHARS, rows=count)


def comment(diagnostic: Diagnostic) -> str:
    return "# " + one_line(f"{diagnostic.code} {message(diagnostic.code, 'zh', diagnostic.args)}")


def _file_name(draft: Draft) -> str:
    return f"<{draft.name}>"


def _lines(draft: Draft, current: list[Row]) -> Iterator[str]:
    yield from _header(draft)
    year = f" 年度 {draft.year}" if draft.year else ""
    yield f"项目 {quote(draft.name)}{year} {{"
    yield f"  采用 {quote(draft.policy.use)}"
    for key, word in (("主管部门", "主管部门"), ("实施单位", "实施单位")):
        if draft.info(key):
            yield f"  {word} {quote(draft.info(key))}"
    if draft.money_unit:
        yield f"  金额单位 {draft.money_unit}"
    if draft.rate_rounding is not None:
        yield f"  舍入 执行率 {_rounding(draft.rate_rounding)}"
    if draft.item_scores:  # the policy's columns, and 单项得分 (W189)
        columns = (*draft.policy.rules.columns, "item_score")
        yield "  表列 " + " ".join(COLUMN_LABELS[c][0] for c in columns)
    yield from _budget(draft)
    yield from _own_scale(draft)
    yield from _blocks(draft, current)
    yield "}"


def _header(draft: Draft) -> Iterator[str]:
    table = draft.table
    sheet = f"（工作表「{table.sheet}」）" if table.sheet else ""
    source = one_line(Path(table.path).name) + sheet
    space = " " if source[-1:].isascii() else ""  # 从 seed.csv 生成, 从 表.xlsx（工作表「甲」）生成
    yield f"# 由 jixiao import 从 {source}{space}生成，评分办法 {draft.policy.shown}"
    printed = [(k, table.printed[k].text) for k in ("总分值", "总得分", "等级") if k in table.printed]
    if printed:
        yield "# 原表：" + "，".join(f"{k} {one_line(v)}" for k, v in printed)
    if draft.policy.file_root is not None:
        yield f"# 评分办法不在随包的评分办法中：评分时加 --root {one_line(draft.policy.file_root)}"
    for note in draft.notes:
        yield comment(note)
    yield ""


def _budget(draft: Draft) -> Iterator[str]:
    if not draft.budget_scored:
        yield "  # 原表没有预算执行，各指标分值合计即总分"
        yield "  预算执行 不评分"
        return
    items = []
    if draft.budget_weight is not None:
        items.append(f"分值 {number_text(draft.budget_weight)}")
    if draft.budget_rounding is not None:
        items.append(f"舍入 {_rounding(draft.budget_rounding)}")
    if items:
        yield "  预算执行 {"
        yield from (f"    {item}" for item in items)
        yield "  }"


def _own_scale(draft: Draft) -> Iterator[str]:
    words = list(dict.fromkeys(r.target.strip() for r in draft.rows if r.own_word))
    if words:
        yield "  # 评分办法的量表中没有这些指标值：实际值与指标值相同得满分"
        levels = [f"{name(w)} 100%" for w in words]
        if draft.proposed:
            yield "  # 其余的词按原表得分推定（W186），请核对"
            levels += [f"{name(w)} {number_text(share * 100)}%" for w, share in draft.proposed.items()]
        yield f"  量表 {OWN_SCALE} {{ " + ";  ".join(levels) + " }"


def _blocks(draft: Draft, current: list[Row]) -> Iterator[str]:
    """The rows in the table's order, a block per run of rows under the same 一级 / 二级."""
    groups: list[tuple[tuple[str, str], list[Row]]] = []
    for row in sorted([*draft.rows, *draft.skipped], key=lambda r: r.entry.line):
        levels = (row.level1.strip(), "" if row.whole_level1 else row.level2.strip())
        if not groups or groups[-1][0] != levels:
            groups.append((levels, []))
        groups[-1][1].append(row)
    for (level1, level2), rows in groups:
        yield ""
        yield from _block(level1, level2, rows, current)


def _block(level1: str, level2: str, rows: list[Row], current: list[Row]) -> Iterator[str]:
    head = " / ".join(name(level) for level in (level1, level2) if level)
    indent = "    " if head else "  "
    if head:
        yield f"  {head} {{"
    for row in rows:
        current[:] = [row]
        yield from (indent + comment(note) for note in row.notes)
        yield indent + (_left_out(row) if row.orphan else _row(row))
    if head:
        yield "  }"


def _left_out(row: Row) -> str:
    """A 其中 row of an indicator left out (no weight): a comment, as that indicator is."""
    return f"# 其中 {one_line(row.name)}  目标 {one_line(row.target)}（所属的指标没有分值，未导入）"


def _row(row: Row) -> str:
    if row.breakdown:
        target = row.target.strip()
        written = target and not row.target_unread  # an unreadable one is left out (W181)
        return f"其中 {name(row.name)}  目标 {value(target)}" if written else f"其中 {name(row.name)}"
    if row.subtotal:
        weight = f"  分值 {_weight(row.weight)}" if row.weight is not None else ""
        return f"小计 {name(row.name)}{weight}"
    if row.weight is None:
        return f"# {one_line(row.name)}  目标 {one_line(row.target)}（没有分值，未导入）"
    parts = [name(row.name)]
    if row.target.strip() and not row.asserted:
        parts.append(f"目标 {value(row.target.strip())}")
    parts.append(f"分值 {_weight(row.weight)}")
    if row.unit_note:
        parts.append(f"单位说明 {quote(row.unit_note)}")
    if row.asserted:
        parts.append("方法 认定")
    if row.derived:
        parts.append("实际 = 执行率")
    if row.rounding is not None:
        parts.append(f"舍入 {_rounding(row.rounding)}")
    return "  ".join(parts)


def _weight(weight: Number) -> str:
    if weight.percent:
        return number_text(weight.value * 100) + "%"
    return number_text(weight.value)


def _rounding(rounding: Rounding) -> str:
    return rounding_text(rounding)
