"""A static SVG of a many-project diff: each project's score delta, and the grade transitions.

Drawn from the report alone, with exact arithmetic (coordinates are Fractions written to one
place), no script, no font or stylesheet from elsewhere — it opens in a browser, in Word/WPS,
and in a Markdown preview.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape

from jixiao.language.rounding import format_fixed
from jixiao.messages import Lang
from jixiao.tools.compare.document import Texts, localized
from jixiao.tools.compare.reports import BatchReport, ProjectScore, Transition

WIDTH = 760
LABEL = 230  # the names' column
BARS = 420  # the bars' area, zero in the middle
ROW = 20
MAX_BARS = 40
CELL_W, CELL_H = 64, 30
GRADE_ORDER = ("优", "良", "中", "差", "A", "B", "C", "D")
FONT = "Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, sans-serif"
UP, DOWN, GRID = "#2e7d32", "#c62828", "#1565c0"
TEXTS: Texts = {
    "deltas": ("各项目总得分变化（新 − 旧）", "Change of each project's total (new − old)"),
    "more": (
        "另有 {count} 个项目未画出（变化较小）",
        "{count} more project(s) with smaller changes not drawn",
    ),
    "still": ("{count} 个项目总得分不变", "{count} project(s) with an unchanged total"),
    "grades": (
        "等级变化（行：原等级，列：新等级）",
        "Grade transitions (rows: old grade, columns: new grade)",
    ),
}


def _t(key: str, lang: Lang, **args: object) -> str:
    return localized(TEXTS, key, lang, **args)


def _n(x: Fraction | int) -> str:
    return format_fixed(Fraction(x), 1).removesuffix(".0")


def delta_chart(report: BatchReport, lang: Lang = "zh") -> str:
    """The SVG text: a bar per project that moved (the 40 largest), then the transition grid."""
    scored = [(p.project, s) for p in report.projects for s in p.scores if s.delta is not None]
    moved = sorted(
        (item for item in scored if _value(item[1])), key=lambda item: (-abs(_value(item[1])), item[0])
    )
    drawn = sorted(moved[:MAX_BARS], key=lambda item: (_value(item[1]), item[0]))
    parts, y = _bars(drawn, len(moved) - len(drawn), lang)
    if len(scored) > len(moved):
        parts.append(
            _text(10, y + 18, _t("still", lang, count=len(scored) - len(moved)), extra=' fill="#666"')
        )
        y += 20
    transitions = report.impact.transitions if report.impact else []
    grid, height = _grid(transitions, y + 20, lang)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="12">'
    )
    return "\n".join([head, '<rect width="100%" height="100%" fill="#fff"/>', *parts, *grid, "</svg>"]) + "\n"


def _value(score: ProjectScore) -> Fraction:
    return Fraction(score.exact.get("delta") or score.delta or "0")


def _text(x: Fraction | int, y: Fraction | int, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _bars(drawn: list[tuple[str, ProjectScore]], hidden: int, lang: Lang) -> tuple[list[str], int]:
    out = [_text(10, 22, _t("deltas", lang), extra=' font-size="15" font-weight="bold"')]
    if not drawn:
        return out, 30
    top = 40
    scale = max(abs(_value(s)) for _, s in drawn) or Fraction(1)
    zero = Fraction(LABEL + BARS // 2)
    half = Fraction(BARS, 2) - 40
    for index, (name, score) in enumerate(drawn):
        y = top + index * ROW
        d = _value(score)
        length = abs(d) / scale * half
        x = zero - length if d < 0 else zero
        colour = DOWN if d < 0 else UP
        out.append(_text(LABEL - 8, y + 14, _short(name), "end"))
        out.append(f'<rect x="{_n(x)}" y="{y + 3}" width="{_n(length)}" height="{ROW - 6}" fill="{colour}"/>')
        tip = zero - length - 4 if d < 0 else zero + length + 4
        out.append(_text(tip, y + 14, score.delta or "", "end" if d < 0 else "start"))
    bottom = top + len(drawn) * ROW
    out.append(f'<line x1="{_n(zero)}" y1="{top}" x2="{_n(zero)}" y2="{bottom}" stroke="#555"/>')
    if hidden:
        out.append(_text(10, bottom + 18, _t("more", lang, count=hidden), extra=' fill="#666"'))
        bottom += 20
    return out, bottom


def _short(name: str, limit: int = 16) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _grades(transitions: list[Transition]) -> list[str]:
    seen = {t.old for t in transitions} | {t.new for t in transitions}
    known = [g for g in GRADE_ORDER if g in seen]
    return known + sorted(seen - set(known))


def _grid(transitions: list[Transition], top: int, lang: Lang) -> tuple[list[str], int]:
    out = [_text(10, top + 16, _t("grades", lang), extra=' font-size="15" font-weight="bold"')]
    grades = _grades(transitions)
    counts = {(t.old, t.new): t.count for t in transitions}
    most = max(counts.values(), default=1)
    left, y0 = 80, top + 30
    for j, grade in enumerate(grades):
        out.append(_text(left + j * CELL_W + CELL_W // 2, y0 + 14, grade, "middle", ' font-weight="bold"'))
    for i, old in enumerate(grades):
        y = y0 + 20 + i * CELL_H
        out.append(_text(left - 10, y + 20, old, "end", ' font-weight="bold"'))
        for j, new in enumerate(grades):
            out.append(_cell(left + j * CELL_W, y, counts.get((old, new), 0), most, old == new))
    return out, y0 + 20 + len(grades) * CELL_H + 20


def _cell(x: int, y: int, count: int, most: int, same: bool) -> str:
    shade = "#eeeeee" if same or not count else GRID
    opacity = "1" if same or not count else _n(Fraction(2, 10) + Fraction(8, 10) * Fraction(count, most))
    ink = "#fff" if count and not same and Fraction(count, most) > Fraction(1, 2) else "#222"
    size = f'width="{CELL_W - 2}" height="{CELL_H - 2}"'
    box = f'<rect x="{x}" y="{y}" {size} fill="{shade}" fill-opacity="{opacity}"/>'
    label = _text(x + CELL_W // 2, y + 19, str(count) if count else "·", "middle", f' fill="{ink}"')
    return box + label
