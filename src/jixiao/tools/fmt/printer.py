"""The canonical printer: a `nodes.Document` (and its comments) → ruleset text.

Layout: two-space indentation; one statement per line; blocks open on the
statement's line and close on their own; the indicators of a level block,
grades, framework shares and scale levels are aligned in columns; a blank
line sets blocks apart. Literals are printed as written, expressions with
the fewest parentheses. `parse(print(doc)) == doc` for every document.

Keywords are printed in the document's language (`Document.keywords`), or in
the one asked for; words the AST keeps as written (a method's name, 否则/其余)
stay as written when they are in that language (比率 and 比例, 否则 and 其余 in a
Chinese file), else they are written in it too (one language per file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from jixiao.diagnostics import Span
from jixiao.language import nodes as n
from jixiao.language.literals import LiteralError, parse_target
from jixiao.language.quantity import NumericTarget
from jixiao.language.rounding import digits_text
from jixiao.language.vocabulary import COLUMN_LABELS, PARAM_LABELS
from jixiao.tools.fmt import words as w
from jixiao.tools.fmt.comments import Comments, at
from jixiao.tools.fmt.expr import expr, number, percent
from jixiao.tools.fmt.layout import MAX_ALIGN, Line, columns, width
from jixiao.tools.fmt.words import Keywords

MAX_LINE = 100
INLINE_SCALE = 60
_BLOCKS = (n.Budget, n.Scale, n.Grades, n.Framework, n.LevelBlock, n.GoalBlock)


class Printer:
    """Prints one document; `translate` set when keywords are normalised to one language."""

    def __init__(self, document: n.Document, comments: Comments, translate: Keywords | None) -> None:
        self.doc = document
        self.comments = comments
        self.lang: Keywords = translate or document.keywords
        self.translate = translate is not None
        self.lines: list[Line] = []
        self._inline: dict[int, str | None] = {}  # id(scale) → its one-line form, decided before printing
        self._opened: list[tuple[int, int]] = []  # where the blocks opened and not yet closed start

    # -- output helpers ------------------------------------------------------------------
    def kw(self, key: str) -> str:
        return w.word(key, self.lang)

    def emit(self, depth: int, code: str, span: Span | None = None, *, whole: bool = True) -> None:
        """One line of code, preceded by the comments before `span` and followed by its own; a `whole`
        item (not the head of a block whose "}" comes later) also by those after its "}", if it had one."""
        comment = None
        if span is not None and span.line:
            for text in self.comments.take_leading(at(span)):
                self.lines.append(Line(depth, text))
            comment = _joined(
                self.comments.take_trailing(at(span)), *(self.comments.take_after(at(span)) if whole else ())
            )
        self.lines.append(Line(depth, code, comment, span))

    def open(self, depth: int, code: str, span: Span) -> None:
        """The head of a block, ending in "{": the comments after the block's "}" wait for `close`."""
        self.emit(depth, code, span, whole=False)
        self._opened.append(at(span))

    def close(self, depth: int, span: Span) -> None:
        """The "}" of a block, with the comments that were before it or after it (also those after the "}"
        of the block opened last when it was written on one line)."""
        before, after = self.comments.take_closing(span.end_line or 0)
        for text in before:
            self.lines.append(Line(depth + 1, text))
        self.lines.append(Line(depth, "}", _joined(after, *self.comments.take_after(self._opened.pop()))))

    def holds_comments(self, span: Span, parts: Iterable[Span]) -> bool:
        """Whether comments sit inside a block: by its parts (even on its head's line), or by its "}"."""
        end = span.end_line if span.end_line and span.end_line != span.line else None
        return self.comments.inside({at(part) for part in parts} - {at(span)}, end)

    def blank(self) -> None:
        if self.lines and self.lines[-1].code:
            self.lines.append(Line(0, ""))

    def rows(self, depth: int, texts: list[str], spans: Iterable[Span]) -> None:
        """The lines of a block's items (bands, grades, levels, …), one a line, each with its comments;
        one blank line where the user had one or more between two of them."""
        for index, (text, span) in enumerate(zip(texts, spans, strict=True)):
            if index and self.comments.separated(at(span)):
                self.blank()
            self.emit(depth, text, span)

    # -- the document --------------------------------------------------------------------------
    def document(self) -> list[Line]:
        d = self.doc
        head = f"{self.kw(d.kind)} {w.quote(d.name)}"
        if d.year is not None:
            head += f" {self.kw('year')} {d.year}"
        for text in self.comments.take_leading(at(d.span)):  # the file's own comments, set apart
            self.lines.append(Line(0, text))
        self.blank()
        self.open(0, head + " {", d.span)
        previous: n.Statement | None = None
        for statement in d.statements:
            if self.apart(previous, statement) or at(statement.span) in self.comments.blank_before:
                self.blank()
            self.statement(statement)
            previous = statement
        self.close(0, d.span)
        for text in self.comments.rest():
            self.lines.append(Line(0, text))
        return self.lines

    def statement(self, s: n.Statement) -> None:
        handler = self._handlers().get(type(s))
        if handler is not None:
            handler(s)
        else:
            self.emit(1, self.simple(s), s.span)

    def _handlers(self) -> dict[type, Callable[[n.Statement], None]]:
        return {
            n.Budget: self.budget,  # type: ignore[dict-item]
            n.Scale: self.scale,  # type: ignore[dict-item]
            n.Grades: self.grades,  # type: ignore[dict-item]
            n.Framework: self.framework,  # type: ignore[dict-item]
            n.LevelBlock: self.level_block,  # type: ignore[dict-item]
            n.GoalBlock: self.goal_block,  # type: ignore[dict-item]
            n.KindRule: self.kind_rule,  # type: ignore[dict-item]
        }

    def simple(self, s: n.Statement | n.BudgetItem) -> str:
        """A one-line statement."""
        if isinstance(s, n.Meta):
            text = s.value if s.key == "money_unit" else w.quote(s.value)
            return f"{self.kw(s.key)} {text}"
        if isinstance(s, n.Total):
            return f"{self.kw('total')} {number(s.value)}"
        if isinstance(s, n.Rounding):
            return self.rounding(s)
        if isinstance(s, n.ExplainWhen):
            return f"{self.kw('explain')} {self.kw('when')} {expr(s.condition, self.lang)}"
        if isinstance(s, n.Over):
            return self.over(s)
        if isinstance(s, n.NotApplicableRule):
            return f"{self.kw('not_applicable')} {self.kw(s.mode)}"
        if isinstance(s, n.AuditTolerance):
            return f"{self.kw('audit_tolerance')} {number(s.value)}"
        if isinstance(s, n.Columns):
            return " ".join([self.kw("columns"), *(w.pick(COLUMN_LABELS[c], self.lang) for c in s.columns)])
        if isinstance(s, n.FormulaDef):
            return f"{self.kw('formula')} {w.name(s.name)} = {expr(s.expr, self.lang)}"
        if isinstance(s, n.Direction):
            unit = f" {w.name(s.unit)}" if s.unit else ""
            return f"{self.kw('direction')} {w.name(s.scope)}{unit} {w.kind_word(s.kind, self.lang)}"
        return self.budget_item(s)

    def budget_item(self, s: n.Statement | n.BudgetItem) -> str:
        if isinstance(s, n.Weight):
            return f"{self.kw('weight')} {number(s.value)}{'%' if s.percent else ''}"
        if isinstance(s, n.ScoreFormula):
            return f"{self.kw('score')} = {expr(s.expr, self.lang)}"
        if isinstance(s, n.Counted):
            return f"{self.kw('counted')} {self.kw('yes' if s.value else 'no')}"
        return self.budget_choice(s)

    def budget_choice(self, s: n.Statement | n.BudgetItem) -> str:
        """不评分, 执行率 = …, 预算行 …, 零预算 …"""
        if isinstance(s, n.RateFormula):
            return f"{self.kw('rate')} = {expr(s.expr, self.lang)}"
        if isinstance(s, n.BudgetRowChoice):
            return f"{self.kw('budget_row')} {w.name(s.name)}"
        if isinstance(s, n.ZeroBudget):
            return f"{self.kw('zero_budget')} {self.kw('zero_' + s.mode)}"
        assert isinstance(s, n.NotScored), s
        return self.kw("not_scored")

    def rounding(self, r: n.Rounding) -> str:
        parts = [self.kw("rounding")]
        if r.stage is not None:
            parts.append(w.stage_word(r.stage, self.lang))
        if r.display:
            parts.append(self.kw("display"))
        if r.mode is None:
            parts.append(self.kw("no_rounding"))
            if r.digits != 2:
                parts.append(self.digits(r.digits))
        else:
            parts.append(w.pick(w.ROUNDING_WORDS[r.mode], self.lang))
            parts.append(self.digits(r.digits))
        return " ".join(parts)

    def digits(self, count: int) -> str:
        return digits_text(count, self.lang)

    def over(self, o: n.Over) -> str:
        text = f"{self.kw('over')} {w.value(o.text)}"
        if o.deduct is not None:
            text += f" {self.kw('deduct')} {percent(o.deduct)}"
        return text

    def apart(self, previous: n.Statement | None, statement: n.Statement) -> bool:
        """A blank line between groups: metadata, rounding, kind rules, findings, and around blocks."""
        if previous is None:
            return False
        if isinstance(previous, n.LevelBlock) and isinstance(statement, n.LevelBlock):
            return False
        if isinstance(previous, n.Scale) and isinstance(statement, n.Scale):
            return self.inline_scale(previous) is None or self.inline_scale(statement) is None
        if isinstance(previous, _BLOCKS) or isinstance(statement, _BLOCKS):
            return True
        return _group(previous) != _group(statement)

    # -- blocks ------------------------------------------------------------------------------------
    def budget(self, b: n.Budget) -> None:
        if not b.items:
            self.emit(1, f"{self.kw('budget')} {{}}", b.span)
            return
        if len(b.items) == 1 and isinstance(b.items[0], n.NotScored):
            self.emit(1, f"{self.kw('budget')} {self.kw('not_scored')}", b.span)
            return
        self.open(1, f"{self.kw('budget')} {{", b.span)
        self.rows(2, [self.simple(item) for item in b.items], (item.span for item in b.items))
        self.close(1, b.span)

    def kind_rule(self, rule: n.KindRule) -> None:
        self.method_lines(1, f"{w.kind_word(rule.kind, self.lang)} ", rule.method, rule.span)

    def inline_bands(self, m: n.Method) -> str:
        """A method with its bands on one line: 分档 { ≥95% → 100%;  否则 → 0% }."""
        if not m.bands:
            return self.method_head(m)
        bands = ";  ".join(f"{self.band_head(b)} → {expr(b.result, self.lang)}" for b in m.bands)
        return f"{self.method_head(m)} {{ {bands} }}"

    def band_head(self, b: n.Band) -> str:
        return w.value(b.condition_text) if b.condition else self.else_word(b.condition_text)

    def method_lines(self, depth: int, prefix: str, m: n.Method, span: Span) -> None:
        """A method, its bands one per line when they do not fit on one."""
        head = prefix + self.method_head(m)
        inline = prefix + self.inline_bands(m)
        if not m.bands or (width(inline) + 2 * depth <= MAX_LINE and not self.bands_commented(m)):
            self.emit(depth, inline, span)
            return
        self.open(depth, head + " {", span)
        texts = columns([[self.band_head(b), "→ " + expr(b.result, self.lang)] for b in m.bands], 1)
        self.rows(depth + 1, texts, (band.span for band in m.bands))
        self.close(depth, m.span if m.span.end_line else span)

    def bands_commented(self, m: n.Method) -> bool:
        """Whether comments sit among a method's bands (they keep the bands one per line)."""
        return bool(m.bands) and self.holds_comments(m.span, (band.span for band in m.bands))

    def method_head(self, m: n.Method) -> str:
        other = self.translate or w.language_of(m.written) != self.lang
        name = (w.method_word(m.id, self.lang) if other else None) or m.written
        if not m.args:
            return name
        return f"{name}({', '.join(self.arg(a, m.id) for a in m.args)})"

    def arg(self, a: n.Arg, method_id: str) -> str:
        value = expr(a.value, self.lang)
        if a.name is None:
            return value
        # Known parameters are stored by their canonical name; write them in the file's language.
        label = w.pick(PARAM_LABELS[a.name], self.lang) if a.name in PARAM_LABELS else a.name
        return f"{label}: {value}"

    def else_word(self, written: str) -> str:
        if self.translate or written not in w.ELSE_WORDS or w.language_of(written) != self.lang:
            return self.kw("else")
        return written

    def scale(self, s: n.Scale) -> None:
        generic = f" {self.kw('generic')}" if s.generic else ""
        head = f"{self.kw('scale')} {w.name(s.name)}{generic} {{"
        inline = self.inline_scale(s)
        if inline is not None:
            self.emit(1, f"{head} {inline} }}", s.span)
            return
        self.open(1, head, s.span)
        rows = [self.scale_level(level) for level in s.levels]
        self.rows(2, columns(rows), (level.span for level in s.levels))
        self.close(1, s.span)

    def inline_scale(self, s: n.Scale) -> str | None:
        """Short scales of single words with fixed points fit on one line: { 合理 100%;  基本合理 80% }.

        A scale with comments among its levels or by its "}" stays one level a line.
        """
        if id(s) not in self._inline:
            commented = self.holds_comments(s.span, (level.span for level in s.levels))
            self._inline[id(s)] = None if commented else self._one_line_scale(s)
        return self._inline[id(s)]

    def _one_line_scale(self, s: n.Scale) -> str | None:
        if any(len(level.words) != 1 or _is_range(level.text) for level in s.levels):
            return None
        text = ";  ".join(" ".join(self.scale_level(level)) for level in s.levels)
        return text if width(text) <= INLINE_SCALE else None

    def scale_level(self, level: n.ScaleLevel) -> list[str]:
        words = " | ".join(w.name(word) for word in level.words)
        row = [words, w.value(level.text)]
        if level.point is not None and _is_range(level.text):
            row.append(f"{self.kw('pick')} {percent(level.point)}")
        return row

    def grades(self, g: n.Grades) -> None:
        self.open(1, f"{self.kw('grades')} {{", g.span)
        rows = [
            [w.name(grade.name), w.value(grade.text) if grade.condition else self.else_word(grade.text)]
            for grade in g.grades
        ]
        self.rows(2, columns(rows), (grade.span for grade in g.grades))
        self.close(1, g.span)

    def framework(self, f: n.Framework) -> None:
        self.open(1, f"{self.kw('framework')} {{", f.span)
        rows = [[self.share_level(s.level), number(s.weight)] for s in f.shares]
        self.rows(2, columns(rows), (share.span for share in f.shares))
        self.close(1, f.span)

    def share_level(self, level: str) -> str:
        return self.kw("budget") if level == n.BUDGET_LEVEL else w.name(level)

    # -- the indicator table ------------------------------------------------------------------------
    def goal_block(self, goal: n.GoalBlock) -> None:
        weight = f" {self.budget_item(goal.weight)}" if goal.weight is not None else ""
        self.open(1, f"{self.kw('goal')} {w.name(goal.name)}{weight} {{", goal.span)
        for block in goal.blocks:
            self.level_block(block, 2)
        self.close(1, goal.span)

    def level_block(self, block: n.LevelBlock, depth: int = 1) -> None:
        if not block.level1 and not block.level2 and block.indicators:
            self.flat(block)
            return
        levels = [w.name(block.level1)] + ([w.name(block.level2)] if block.level2 else [])
        weight = f" {self.budget_item(block.weight)}" if block.weight is not None else ""
        head = " / ".join(levels) + weight + " {"
        if not block.indicators:
            self.emit(depth, head[:-1] + "{}", block.span)
            return
        self.open(depth, head, block.span)
        rows = [self.indicator_row(i) for i in block.indicators]
        texts = self.aligned(rows, block.indicators, depth + 1)
        for index, (text, row, indicator) in enumerate(zip(texts, rows, block.indicators, strict=True)):
            if index and self.comments.separated(at(indicator.span)):
                self.blank()  # one blank line where the user had one or more: groups of indicators
            self.indicator(text.rstrip(), row[3:], indicator, depth + 1)
        self.close(depth, block.span)

    def aligned(self, rows: list[list[str]], indicators: Sequence[n.Indicator], depth: int) -> list[str]:
        """Name, target and weight of each row in columns; an indicator printed as a block headed by its
        name alone (`commented_block`, `split_commented`) takes no part: its name does not widen the
        others' (and a second run, which finds it a block with comments inside, aligns them alike)."""
        blocks = [self.comments_inside(i) or self.splits(i, depth) for i in indicators]
        lined = iter(
            columns([[*row[:3], ""] for row, b in zip(rows, blocks, strict=True) if not b], cap=MAX_ALIGN)
        )
        return [
            "  ".join(c for c in row[:3] if c) if b else next(lined)
            for row, b in zip(rows, blocks, strict=True)
        ]

    def comments_inside(self, i: n.Indicator) -> bool:
        """Whether comments inside a block-form indicator keep it a block (`commented_block`)."""
        inner = {at(span) for _key, span in i.option_spans if span.line != i.span.line}
        end = i.span.end_line if i.span.end_line != i.span.line else None
        if i.method is not None and i.method.bands and i.method.span.end_line == end:
            end = None  # the "}" is the bands' own: its comments keep them one a line, the row stays
        return self.comments.inside(inner, end)

    def splits(self, i: n.Indicator, depth: int) -> bool:
        """Whether a row of one line with a comment at its end is too long for a line, however little it
        is spaced (`split_commented`, or `commented_block` when the comment was after a "}" that ends the
        row); decided without the columns, which it then takes no part in."""
        if i.span.end_line not in (None, 0, i.span.line):
            return False
        if not self.closed_by_comment(i):
            if (i.method is not None and i.method.bands) or not self.comments.trailing.get(at(i.span)):
                return False
        line = "  ".join([self.indicator_name(i), *(text for _key, text in self.keyed_options(i))])
        return width(line) + 2 * depth > MAX_LINE

    def closed_by_comment(self, i: n.Indicator) -> bool:
        """Whether a row of one line ends in a "}" with a comment after it (`甲 { 目标 ≥1 }  # …`): made a
        block, it is printed as `commented_block` (as a second run finds it) with the comment after "}"."""
        return bool(self.comments.after.get(at(i.span)))

    def flat(self, block: n.LevelBlock) -> None:
        """Indicators written straight in the project, one line each (a table without levels)."""
        rows = [self.indicator_row(i) for i in block.indicators]
        texts = columns([[*row[:3], ""] for row in rows], cap=MAX_ALIGN)
        for index, (text, row, indicator) in enumerate(zip(texts, rows, block.indicators, strict=True)):
            if index and self.comments.separated(at(indicator.span)):
                self.blank()
            self.emit(1, "  ".join([text.rstrip(), *row[3:]]), indicator.span)

    def indicator_row(self, i: n.Indicator) -> list[str]:
        options = dict(self.keyed_options(i))
        return [
            self.indicator_name(i),
            options.get("target", ""),
            options.get("weight", ""),
            *self.indicator_options(i),
        ]

    def indicator_name(self, i: n.Indicator) -> str:
        name = w.name(i.name)
        if i.breakdown_of is not None or i.subtotal:
            name = f"{self.kw('breakdown' if i.breakdown_of is not None else 'subtotal')} {name}"
        return name

    def indicator_options(self, i: n.Indicator) -> list[str]:
        """Options after target and weight, in canonical order (a method with bands is printed apart)."""
        return [text for key, text in self.keyed_options(i) if key not in ("target", "weight")]

    def keyed_options(self, i: n.Indicator) -> list[tuple[str, str]]:
        """Every option as (key, text), in canonical order; a method with bands comes last."""
        out: list[tuple[str, str]] = []
        if i.target_text:
            out.append(("target", f"{self.kw('target')} {w.value(i.target_text)}"))
        if i.weight is not None:
            percent = "%" if i.weight_percent else ""
            out.append(("weight", f"{self.kw('weight')} {number(i.weight)}{percent}"))
        if i.method is not None and not i.method.bands:
            out.append(("method", f"{self.kw('method')} {self.method_head(i.method)}"))
        if i.actual is not None:
            out.append(("actual", f"{self.kw('actual')} = {expr(i.actual, self.lang)}"))
        if i.score is not None:
            out.append(("score", f"{self.kw('score')} = {expr(i.score, self.lang)}"))
        if i.rounding is not None:
            out.append(("rounding", self.rounding(i.rounding)))
        if i.display_rounding is not None:
            out.append(("display_rounding", self.rounding(i.display_rounding)))
        if i.over is not None:
            out.append(("over", self.over(i.over)))
        if i.source is not None:
            out.append(("source", f"{self.kw('source')} {w.quote(i.source)}"))
        if i.note is not None:
            out.append(("note", f"{self.kw('note')} {w.quote(i.note)}"))
        if i.unit_note is not None:
            out.append(("unit_note", f"{self.kw('unit_note')} {w.quote(i.unit_note)}"))
        if i.sum_check:
            out.append(("sum_check", self.kw("sum_check")))
        if i.direction is not None:
            out.append(("direction", f"{self.kw('direction')} {w.kind_word(i.direction, self.lang)}"))
        if i.method is not None and i.method.bands:
            out.append(
                ("method", f"{self.kw('method')} {self.inline_bands(i.method)}")
            )  # its "{" ends the line
        return out

    def indicator(self, head: str, options: list[str], i: n.Indicator, depth: int = 2) -> None:
        line = "  ".join([head, *options]) if options else head
        if self.comments_inside(i):  # comments inside a block-form indicator stay by their option
            self.commented_block(i, depth)
            return
        banded = i.method is not None and bool(i.method.bands)
        commented = i.method is not None and self.bands_commented(i.method)
        if (width(line) + 2 * depth <= MAX_LINE or not options) and not commented:  # nothing to move down
            self.emit(depth, line, i.span)
            return
        prefix = "  ".join([head, *options[:-1], f"{self.kw('method')} "])
        if (
            commented
            and i.method is not None
            and width(prefix + self.method_head(i.method)) + 2 * depth + 2 <= MAX_LINE
        ):
            self.method_lines(depth, prefix, i.method, i.span)  # the row stays; its bands, one a line, below
            return
        moved = options[:-1] if banded else options
        if self.closed_by_comment(i):
            self.commented_block(i, depth)
            return
        if self.splits(i, depth):
            self.split_commented(i, depth)
            return
        self.open(depth, head + " {", i.span)
        for option in moved:  # no comments of their own: the row's are above
            self.lines.append(Line(depth + 1, option, None, i.span))
        if banded and i.method is not None:
            self.method_lines(depth + 1, f"{self.kw('method')} ", i.method, i.method.span)
        self.close(depth, i.span)

    def split_commented(self, i: n.Indicator, depth: int) -> None:
        """A row of one line with a comment at its end, too long for a line: it becomes a block of one
        option a line (as `commented_block` prints it, so a second run keeps it), the comment still after
        the option it followed, the last (not on the header, before what it was about)."""
        for text in self.comments.take_leading(at(i.span)):
            self.lines.append(Line(depth, text))
        trailing = self.comments.take_trailing(at(i.span))
        texts = [text for _key, text in self.keyed_options(i)]
        self.lines.append(Line(depth, f"{self.indicator_name(i)} {{"))
        self._opened.append(at(i.span))
        self.lines.extend(Line(depth + 1, text) for text in texts[:-1])
        self.lines.append(Line(depth + 1, texts[-1], trailing))
        self.close(depth, i.span)

    def commented_block(self, i: n.Indicator, depth: int) -> None:
        """An indicator written as a block with comments inside: one option a line, each by its comments."""
        spans = dict(i.option_spans)
        self.open(depth, f"{self.indicator_name(i)} {{", i.span)
        for key, text in self.keyed_options(i):
            if key == "method" and i.method is not None and i.method.bands:
                self.method_lines(depth + 1, f"{self.kw('method')} ", i.method, i.method.span)
            else:
                self.emit(depth + 1, text, spans.get(key))
        self.close(depth, i.span)


def _joined(*texts: str | None) -> str | None:
    """Comments that end one line, in order."""
    kept = [text for text in texts if text]
    return "  ".join(kept) if kept else None


def _group(s: n.Statement) -> str:
    if isinstance(s, n.Meta | n.Total):
        return "meta"
    if isinstance(s, n.ExplainWhen | n.Over | n.NotApplicableRule | n.AuditTolerance):
        return "findings"
    return type(s).__name__


def _is_range(text: str) -> bool:
    try:
        return not isinstance(parse_target(text), NumericTarget)
    except LiteralError:
        return True
