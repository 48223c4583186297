"""How a diff writes the pieces of a rule: in one keyword language (the printer's spelling), numbers as
written, files named by `Names`; and the `Sides` a change is found between."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from jixiao.diagnostics import Span
from jixiao.engine.resolve import Ruleset
from jixiao.language import nodes as n
from jixiao.tools.compare.names import PLAIN, Names
from jixiao.tools.fmt.comments import Comments
from jixiao.tools.fmt.expr import expr, number
from jixiao.tools.fmt.printer import Printer
from jixiao.tools.fmt.words import Keywords

Pair2 = tuple[str, str]
NO_ROUNDING: Pair2 = ("不舍入（未声明）", "exact (none declared)")
NO_DISPLAY: Pair2 = ("按计算值显示（未声明）", "as computed (none declared)")
INHERITED: Pair2 = ("（沿用 {where}）", " (inherited from {where})")

# add(kind, where, old, new, **extra): how the finders below hand a change to their caller
Add = Callable[..., None]


class Show:
    """Texts of rule pieces in one keyword language (the printer's spelling), files named by `names`."""

    def __init__(self, lang: Keywords, names: Names = PLAIN) -> None:
        self.lang = lang
        self.names = names
        self.printer = Printer(n.Document("project", "", None, ()), Comments(), lang)

    def kw(self, key: str) -> str:
        return self.printer.kw(key)

    def expr(self, e: n.Expr | None) -> str | None:
        return None if e is None else expr(e, self.lang)

    def method(self, m: n.Method | None) -> str | None:
        return None if m is None else self.printer.inline_bands(m)

    def rounding(self, r: n.Rounding | None) -> str | None:
        return None if r is None else self.printer.rounding(r)

    def over(self, o: n.Over | None) -> str | None:
        return None if o is None else self.printer.over(o)

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[0] if self.lang == "zh" else pair[1]

    def yes_no(self, value: bool) -> str:
        return self.kw("yes" if value else "no")

    def inherited(self, r: n.Rounding | None, own: str, none: Pair2 = NO_ROUNDING) -> str:
        """A rounding in force and, when another file declares it, where: "… 2位（沿用 central.jx:10）"."""
        if r is None:
            return self.pick(none)
        return self.located(self.printer.rounding(r), r.span, own)

    def located(self, text: str, span: Span, own: str) -> str:
        """A rule's text and, when a file other than `own` declares it, where: "比例（沿用 c.jx:21）"."""
        if span.path == own:
            return text
        return text + self.pick(INHERITED).format(where=self.names.where(span))


@dataclass(frozen=True)
class Sides:
    """The two resolved rulesets a change is found between (for the rules an indicator inherits)."""

    old: Ruleset
    new: Ruleset


def num(x: Fraction | None) -> str | None:
    return None if x is None else number(x)


def delta(old: Fraction | None, new: Fraction | None) -> str | None:
    """new − old with a sign ("+2", "-1.5"), None when either is missing."""
    if old is None or new is None:
        return None
    d = new - old
    return ("+" if d > 0 else "-") + number(abs(d))


def text(x: object) -> str | None:
    return None if x is None else str(x)
