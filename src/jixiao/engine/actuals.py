"""Actual values as the engine receives them: an `Entry` per indicator row, the budget figures.

Readers (`jixiao.io`) build an `ActualsFile` from CSV, spreadsheets or rows given by a program;
the evaluators read nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import ClassVar, Protocol

from jixiao.diagnostics import Diagnostic, Span
from jixiao.engine.results import Finding
from jixiao.language.quantity import Actual, Quantity, resolve_unit

# What a cell is stripped of: the characters of Unicode's White_Space (what pydantic's
# `str_strip_whitespace` strips; `str.strip()` would also take the separators U+001C–U+001F).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


class ActualRow:
    """One row as it comes from outside: text cells, stripped, nothing else.

    A plain class, as the pydantic model it was behaves (tests/test_actual_row.py compares them): keyword
    arguments only, `name` and `actual` required, an unknown cell a `TypeError`; each cell text (bytes
    are decoded as UTF-8), stripped of white space; frozen; equal and hashed by its cells; `__dict__`
    holds the cells in this order (`Entry.key`); `model_copy(update=…)` copies without checking, as
    pydantic's does. Not a pydantic model so that reading and scoring a CSV do not need pydantic
    (docs/performance.md, "启动 / Start").
    """

    __slots__ = ("__dict__",)

    level1: str
    level2: str
    name: str
    actual: str
    note: str
    adjusted: str
    reason: str
    target: str
    weight: str
    score: str
    coefficient: str  # 得分系数(%): the share of the weight given (方法 得分系数)

    def __init__(
        self,
        *,
        level1: str = "",
        level2: str = "",
        name: str,
        actual: str,
        note: str = "",
        adjusted: str = "",
        reason: str = "",
        target: str = "",
        weight: str = "",
        score: str = "",
        coefficient: str = "",
    ) -> None:
        cells = (level1, level2, name, actual, note, adjusted, reason, target, weight, score, coefficient)
        object.__setattr__(self, "__dict__", dict(zip(ROW_CELLS, map(_cell, cells), strict=True)))

    @classmethod
    def of_text(cls, cells: Mapping[str, str]) -> ActualRow:
        """`ActualRow(**cells)` for cells a reader split from text and looked at already (str, no lone
        surrogate): the same row, each cell stripped the same way, without `_cell`'s checks of every
        cell (the quick reader makes one for each line it reads first: about a quarter of its time)."""
        if not cells.keys() <= _CELL_NAMES or not cells.get("name") or not cells.get("actual"):
            raise TypeError(f"not the cells of a row: {sorted(cells)}")
        made = object.__new__(cls)
        get = cells.get
        object.__setattr__(made, "__dict__", {k: get(k, "").strip(WHITE_SPACE) for k in ROW_CELLS})
        return made

    def model_copy(self, update: Mapping[str, str] | None = None) -> ActualRow:
        """A copy with some cells replaced (not checked or stripped)."""
        copied = object.__new__(ActualRow)
        object.__setattr__(copied, "__dict__", {**self.__dict__, **(update or {})})
        return copied

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ActualRow is frozen: {name} cannot be set")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ActualRow is frozen: {name} cannot be deleted")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ActualRow):
            return self.__dict__ == other.__dict__
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.values()))

    def __repr__(self) -> str:
        return "ActualRow(" + ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items()) + ")"


ROW_CELLS = tuple(ActualRow.__annotations__)
_CELL_NAMES = frozenset(ROW_CELLS)


# A lone surrogate (U+D800–U+DFFF) is no character: text decoded from a file never holds one, but text
# given to the API, or a JSON escape such as "\\ud800", may. Readers report it (E128); a row refuses it.
SURROGATE = re.compile("[\ud800-\udfff]")


def _cell(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8")
    if not isinstance(value, str):
        raise TypeError(f"a cell is text, not {type(value).__name__}")
    if SURROGATE.search(value):
        raise ValueError(f"a cell holds a lone surrogate: {value!r}")
    return str(value).strip(WHITE_SPACE)


# What tables write in a cell that has no value: a dash or a slash (a blank budget amount, budget.NO_AMOUNT);
# a derived row (实际 = …) also takes // and 无 as blank (its computed value is shown, no F108).
DASHES = frozenset({"—", "——", "-", "--", "－", "–", "/", "／"})
NO_VALUE = DASHES | {"//", "无"}


def says_no_value(text: str) -> bool:
    """Whether a cell says “no value” (blank, a dash, a slash or 无) rather than giving one."""
    return not text or text in NO_VALUE


def explains(note: str) -> bool:
    """Whether a 偏差原因 cell explains anything: a blank, a dash, a slash or 无 does not (F101, F106)."""
    return not says_no_value(note.strip())


SEPARATOR = "\x1f"


@functools.cache
def bare_unit() -> tuple[Fraction, str, str]:
    """What `Quantity.of` reads for a number without a unit: (scale, unit, dimension)."""
    return resolve_unit("")


def row_key(row: ActualRow) -> str | tuple[str, ...]:
    """Every cell of a row in one hashable value: rows alike score alike (the fast evaluator's memo)."""
    cells = tuple(row.__dict__.values())
    joined = SEPARATOR.join(cells)
    unambiguous = joined.count(SEPARATOR) == len(cells) - 1  # no cell holds the separator itself
    return joined if unambiguous else cells


class Scorable:
    """A row as read (an `Entry`, a reader's `Line`) with room for what the fast evaluator made of it:
    `scored`, the record of the first fast run to learn the row (engine/fast/run.py, `Record`), which
    names that run (so no other takes it for its own). Its generated function reads a row's record from
    here instead of looking the row's text up in its memo.

    Not a field: not compared, shown or pickled (a copy or an unpickled `Entry` starts as a row no run has
    learnt). Readers set `UNSCORED` when they make a row; only `claim` writes a record, once."""

    __slots__ = ("scored",)


# The record of a row no fast run has learnt: its run (the record's last item) is nobody's
UNSCORED: tuple[object, ...] = (None, 0, None, -1, None, 0)
_set_scored = Scorable.scored.__set__  # type: ignore[attr-defined]  # the slot's descriptor


def unscored(row: Scorable) -> None:
    """A row just made: no run's record yet."""
    _set_scored(row, UNSCORED)


def claim(rows: Sequence[object], records: Sequence[tuple[object, ...]]) -> None:
    """Each record kept in its row when no run's record is there yet: the first run to learn a row keeps
    it (another run scoring the same rows looks them up in its memo, as before: none takes a row over).
    A row of another kind (not `Scorable`) keeps none."""
    for row, record in zip(rows, records, strict=True):
        try:
            if row.scored is UNSCORED:  # type: ignore[attr-defined]
                _set_scored(row, record)
        except AttributeError:  # a row of another kind
            continue


@dataclass(frozen=True, slots=True)  # slots: one object per row read, not two
class Entry(Scorable):
    """An indicator's row: its parsed actual value (None when unreadable) and where it is.

    `spans` maps each column the row fills to its cell's place; a reader may give a mapping that builds
    each `Span` only when it is asked for (the quick CSV reader does), equal to the dict it stands for.
    """

    row: ActualRow
    value: Actual | None
    line: int
    spans: Mapping[str, Span]
    key: str | tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", row_key(self.row))
        _set_scored(self, UNSCORED)

    @classmethod
    def keyed(
        cls,
        row: ActualRow,
        value: Actual | None,
        line: int,
        spans: Mapping[str, Span],
        key: str | tuple[str, ...],
    ) -> Entry:
        """`Entry(row, value, line, spans)` made in one step, with its `row_key(row)` computed by the caller
        (the quick readers compute it once per distinct line, and make an entry per line read)."""
        made = object.__new__(cls)
        _set_row(made, row)
        _set_value(made, value)
        _set_line(made, line)
        _set_spans(made, spans)
        _set_key(made, key)
        _set_scored(made, UNSCORED)
        return made

    def span(self, column: str) -> Span:
        return self.spans.get(column) or self.spans["name"]

    def __getstate__(self) -> list[object]:
        """Pickled (and copied) by its fields, as a dataclass with slots is; no run's record goes with it."""
        return [self.row, self.value, self.line, self.spans, self.key]

    def __setstate__(self, state: list[object]) -> None:
        for setter, value in zip((_set_row, _set_value, _set_line, _set_spans, _set_key), state, strict=True):
            setter(self, value)
        _set_scored(self, UNSCORED)  # a copy or an unpickled row: no run has learnt it yet


# Each slot's setter, called directly: a frozen entry is made without `object.__setattr__` per field.
_set_row, _set_value, _set_line, _set_spans, _set_key = (
    getattr(Entry, name).__set__ for name in ("row", "value", "line", "spans", "key")
)


class RowLine(Protocol):
    """A row as a reader read it, before it is an `Entry`: what the fast evaluator reads of each row."""

    @property
    def value(self) -> Actual | None: ...

    @property
    def key(self) -> str | tuple[str, ...]: ...


class Deferred(Protocol):
    """A file's rows read but not yet made `Entry`s (a long table's reader keeps them so): `lines` in
    table order, and `entries()`, the entries the reader would have made of them."""

    @property
    def lines(self) -> Sequence[RowLine]: ...

    def entries(self) -> list[Entry]: ...


class Places(Protocol):
    """Where a reader's cells are: the span of one cell of a row, built when asked for."""

    def cell_span(self, number: int, cells: tuple[str, ...] | str, column: str) -> Span: ...


class BudgetFigure:
    """One budget amount: its fund-source row (年度资金总额, 财政拨款…), its figure (全年预算数…), the
    quantity as written and where it is.

    `amount` is number × scale as an integer pair (numerator, denominator; in the dimension's base unit,
    or in the project's money unit for a bare number) and `dimension` the quantity's: what the fast
    evaluator reads. `BudgetFigure.plain` gives a bare decimal number (most amounts) whose `Quantity`
    and `Span` are built only when read; it equals the figure built from them. Immutable.
    """

    __slots__ = ("_cells", "_number", "_place", "_quantity", "_span", "amount", "dimension", "figure", "row")
    row: str
    figure: str
    amount: tuple[int, int]
    dimension: str
    _quantity: Quantity | None
    _span: Span | None
    _place: Places | None
    _number: int
    _cells: tuple[str, ...] | str

    def __init__(self, row: str, figure: str, quantity: Quantity, span: Span) -> None:
        self.row, self.figure, self._quantity, self._span, self._place = row, figure, quantity, span, None
        self.amount = (quantity.number * quantity.scale).as_integer_ratio()
        self.dimension = quantity.dimension

    @classmethod
    def plain(
        cls,
        row: str,
        figure: str,
        amount: tuple[int, int],
        place: Places,
        number: int,
        cells: tuple[str, ...] | str,
    ) -> BudgetFigure:
        """A bare number `amount` (reduced: numerator, denominator) in the row `cells` (or its line's
        text) of line `number`, whose span `place` gives when first asked for (no object of its own until
        then)."""
        made = cls.__new__(cls)
        made.row, made.figure, made.amount, made.dimension = row, figure, amount, ""
        made._quantity = made._span = None
        made._place, made._number, made._cells = place, number, cells
        return made

    @property
    def quantity(self) -> Quantity:
        if self._quantity is None:
            self._quantity = Quantity(Fraction(*self.amount), *bare_unit())
        return self._quantity

    @property
    def span(self) -> Span:
        if self._span is None:
            assert self._place is not None
            self._span = self._place.cell_span(self._number, self._cells, "actual")
            self._place = None
        return self._span

    def _fields(self) -> tuple[str, str, Quantity, Span]:
        return self.row, self.figure, self.quantity, self.span

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BudgetFigure):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "BudgetFigure(row={!r}, figure={!r}, quantity={!r}, span={!r})".format(*self._fields())

    def __reduce__(self) -> tuple[type[BudgetFigure], tuple[str, str, Quantity, Span]]:
        return BudgetFigure, self._fields()


@dataclass(frozen=True)
class Printed:
    """A value the table prints but the engine computes (a budget score, the total, the grade).

    Kept as written, with its place, so that `jixiao audit` can compare; never used for scoring.
    """

    text: str
    span: Span
    # the value as its sheet cell shows it, when its format shows fewer decimals than `text` has
    # (0.876546391752577 in a 0.00% cell: text 87.6546391752577%, shown 87.65%); "" otherwise
    shown: str = ""


@dataclass
class ScoreCells:
    """What a printed table says about scores besides each row's 得分 cell, kept for `jixiao audit` and
    `jixiao import` (never scored): each row's 单项得分 (out of 100) where a 折算得分 or 得分 column gives
    the row's score; the score-like columns no reader reads (`unread`: the header cell's text, its place
    and why: "alone", a 单项得分 column without a score column; "unknown", a header no list names); and
    the rows whose 得分 cell is one merged cell over several rows (line → its first and last row)."""

    items: dict[int, Printed] = field(default_factory=dict)
    unread: list[tuple[str, Span, str]] = field(default_factory=list)
    merged: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class ActualsFile:
    """One project's actual values, and what else its table says.

    `diagnostics` holds reading errors when the reader was asked to collect them (the evaluator then
    reports them together with binding and scoring errors); `load_actuals` raises them instead.
    `findings` are notes for the reviewer found while reading (e.g. F110, an unknown fund source).
    """

    path: str
    entries: list[Entry] = field(default_factory=list)
    budget: list[BudgetFigure] = field(default_factory=list)
    budget_note: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sheet: str | None = None  # the worksheet of a workbook
    format: str = "csv"  # csv, tsv, xlsx, yaml, json, rows
    layout: str = "columns"  # "columns" (one row per indicator) or the official layout's name
    project: str = ""  # the project the file names (项目名称 cell, a project column, a YAML key)
    ruleset: str | None = None  # a ruleset the file names; None: the caller's
    info: dict[str, str] = field(default_factory=dict)  # title rows and project info (主管部门 …)
    printed: dict[str, Printed] = field(
        default_factory=dict
    )  # 执行率, 预算分值, 预算得分, 总分值, 总得分, 等级
    notes: list[str] = field(default_factory=list)  # text under the table
    budget_unreadable: bool = False  # a budget cell had an error (already in diagnostics): no E510 after it
    # Budget figures whose row is there with its amount blank or a dash (—, /): where, for E518 when the
    # rate needs one (None: none such; most files)
    blank_budget: dict[tuple[str, str], Span] | None = None
    origin: Span | None = None  # the header row: where a message about the whole file points

    # Rows a reader read but did not make entries of yet (a long table's reader: `Deferred`); `entries`
    # is made of them when first read (`_DeferredEntries`, below). The fast evaluator reads `_lines.lines`
    # instead: a project it scores never makes its entries. None (the class's): `entries` is set.
    _lines: ClassVar[Deferred | None] = None

    def __getstate__(self) -> dict[str, object]:
        """Pickled (and copied) with its entries made: the deferred rows stay in this process."""
        self.entries  # noqa: B018 — made here when deferred
        return dict(self.__dict__)

    def file_span(self) -> Span:
        return self.origin or Span(self.path, 1, 1, sheet=self.sheet)

    @classmethod
    def new(
        cls,
        path: str,
        format: str,
        origin: Span | None = None,
        project: str = "",
        lines: Deferred | None = None,
    ) -> ActualsFile:
        """`ActualsFile(path, format=format, origin=origin, project=project)`, made in one step: the
        quick readers make one per file, and the generated `__init__` calls a factory per empty field.
        `lines`: its rows, deferred (its `entries` made of them when first read)."""
        made = cls.__new__(cls)  # each field set in `__init__`'s order: no dict object for them (3.11+)
        made.path = path
        # the file's own, over the class's None: read where the instance's attributes are (the generated
        # scoring function reads it first for every file), not after looking in the instance for nothing
        made._lines = lines  # type: ignore[misc]
        if lines is None:
            made.entries = []
        made.budget, made.budget_note = [], ""
        made.diagnostics, made.findings, made.sheet, made.format = [], [], None, format
        made.layout, made.project, made.ruleset, made.info, made.printed = "columns", project, None, {}, {}
        made.notes, made.budget_unreadable, made.origin, made.traditional = [], False, origin, []
        made.budget_adjustment = made.blank_budget = made.year_span = made.budget_block = None
        made.scores = None
        return made

    traditional: list[tuple[str, Span]] = field(default_factory=list)  # cells read as simplified
    budget_adjustment: tuple[str, str, Span] | None = None  # 调整得分, 调整理由 given on a budget row
    year_span: Span | None = None  # the title cell that gives info["年度"] (its 2019年度)
    # The official layout's budget block (its header's first cell, 项目资金（万元）): where a budget figure
    # the score needs and the block does not give is reported (E535), not the indicator header
    budget_block: Span | None = None
    scores: ScoreCells | None = None  # 单项得分, unread score columns, merged 得分 cells (printed tables)

    def score_cells(self) -> ScoreCells:
        """`scores`, made when a reader first has something to keep there."""
        if self.scores is None:
            self.scores = ScoreCells()
        return self.scores


def mark_blank(file: ActualsFile, row: str, figure: str, span: Span) -> None:
    """A budget figure whose row is there with no amount (blank, a dash): where, the first time, for E518."""
    blank = file.blank_budget
    if blank is None:
        blank = file.blank_budget = {}
    blank.setdefault((row, figure), span)


class _DeferredEntries:
    """`ActualsFile.entries` when the file has none of its own yet: made of its deferred rows when first
    read, then the file's own (a non-data descriptor: the instance's attribute comes first).

    A descriptor rather than `__getattr__`: a class with `__getattr__` has every attribute read the slow
    way (Python 3.11 specialises no attribute access of such a class), and a file's attributes are read a
    dozen times a project by the generated scoring function."""

    def __get__(self, file: ActualsFile | None, owner: type | None = None) -> list[Entry]:
        if file is None:
            return self  # type: ignore[return-value]  # the class's attribute
        deferred = file._lines
        if deferred is None:
            raise AttributeError("'ActualsFile' object has no attribute 'entries'")
        entries = file.entries = deferred.entries()
        with contextlib.suppress(AttributeError):  # made by another thread meanwhile: equal entries
            del file._lines  # the class's None again
        return entries


ActualsFile.entries = _DeferredEntries()  # type: ignore[assignment]  # after the dataclass made its fields


def money(quantity: Quantity, money_unit: Quantity) -> Fraction | None:
    """A budget figure in the project's money unit; a bare number is already in it."""
    if quantity.dimension == "":
        return quantity.number * quantity.scale
    if quantity.dimension != money_unit.dimension:
        return None
    return quantity.base / money_unit.scale
