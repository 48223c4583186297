"""`ActualRow` (engine/actuals.py) is a plain class that behaves as the pydantic model it replaced."""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError

from jixiao.diagnostics import Span
from jixiao.engine.actuals import ROW_CELLS, SURROGATE, ActualRow, ActualsFile, Entry, row_key


class PydanticRow(BaseModel):
    """The model as it was (engine/actuals.py before this change)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    level1: str = ""
    level2: str = ""
    name: str
    actual: str
    note: str = ""
    adjusted: str = ""
    reason: str = ""
    target: str = ""
    weight: str = ""
    score: str = ""
    coefficient: str = ""


# Cell texts with white space of every kind around them, and the separators U+001C–U+001F.
SPACES = "\t\n\x0b\x0c\r \x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
cells = st.text(alphabet=st.sampled_from(SPACES) | st.characters(), max_size=8)
rows = st.fixed_dictionaries(
    {"name": cells, "actual": cells}, optional={c: cells for c in ROW_CELLS if c not in ("name", "actual")}
)


@given(rows)
def test_the_same_cells_as_the_pydantic_model(given_cells: dict[str, str]) -> None:
    if any(SURROGATE.search(cell) for cell in given_cells.values()):  # no character: both refuse it
        with pytest.raises(ValueError, match="surrogate"):
            ActualRow(**given_cells)
        with pytest.raises(ValidationError):
            PydanticRow(**given_cells)
        return
    row, model = ActualRow(**given_cells), PydanticRow(**given_cells)
    assert row.__dict__ == model.__dict__
    assert list(row.__dict__) == list(PydanticRow.model_fields)  # the order Entry.key joins them in
    assert repr(row) == repr(model).replace("PydanticRow", "ActualRow")
    assert row == ActualRow(**given_cells) and hash(row) == hash(ActualRow(**given_cells))
    assert pickle.loads(pickle.dumps(row)) == row and copy.deepcopy(row) == row
    update = {"actual": " x ", "reason": "r"}
    assert row.model_copy(update=update).__dict__ == model.model_copy(update=update).__dict__


@given(rows, rows)
def test_equal_exactly_when_the_pydantic_models_are(a: dict[str, str], b: dict[str, str]) -> None:
    assume(not any(SURROGATE.search(cell) for cell in (*a.values(), *b.values())))
    assert (ActualRow(**a) == ActualRow(**b)) == (PydanticRow(**a) == PydanticRow(**b))


def test_bytes_are_decoded_and_other_values_refused() -> None:
    assert ActualRow(name=b" x ", actual="1").name == PydanticRow(name=b" x ", actual="1").name == "x"  # type: ignore[arg-type]
    for bad in (1, None, 1.5, ["x"]):
        with pytest.raises(TypeError):
            ActualRow(name=bad, actual="1")  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            PydanticRow(name=bad, actual="1")


def test_unknown_and_missing_cells_are_refused_and_the_row_is_frozen() -> None:
    with pytest.raises(TypeError):
        ActualRow(name="x", actual="1", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ActualRow(name="x")  # type: ignore[call-arg]
    row = ActualRow(name="x", actual="1")
    with pytest.raises(AttributeError):
        row.name = "y"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del row.name
    assert row.__eq__(PydanticRow(name="x", actual="1")) is NotImplemented


def test_the_entry_key_is_the_cells_joined() -> None:
    entry = Entry(ActualRow(level1="产出", name="甲", actual=" 1 "), None, 2, {})
    assert entry.key == "产出\x1f\x1f甲\x1f1" + "\x1f" * 7


def test_a_lone_surrogate_is_refused_as_the_model_refused_it() -> None:
    for cells in ({"name": "x\ud800", "actual": "1"}, {"name": "x", "actual": "1", "note": "\udfff"}):
        with pytest.raises(ValueError, match="surrogate"):
            ActualRow(**cells)
        with pytest.raises(ValidationError):
            PydanticRow(**cells)


def test_actuals_file_new_is_the_dataclass_made_in_one_step() -> None:
    """`ActualsFile.new` fills every field as the generated `__init__` does, with fresh containers."""
    origin = Span("a.csv", 1, 1)
    made = ActualsFile.new("a.csv", "tsv", origin, "项目甲")
    assert made == ActualsFile("a.csv", format="tsv", origin=origin, project="项目甲")
    # and its `_lines` (None: no deferred rows), read first by the generated scoring function
    assert set(vars(made)) == {f.name for f in fields(ActualsFile)} | {"_lines"} and made._lines is None
    other = ActualsFile.new("a.csv", "tsv")
    assert other == ActualsFile("a.csv", format="tsv")
    for f in fields(ActualsFile):
        value = getattr(made, f.name)
        if isinstance(value, list | dict):
            assert value is not getattr(other, f.name)  # never shared between files


def test_an_entry_made_in_one_step_is_the_dataclass_and_stays_frozen() -> None:
    row = ActualRow(level1="产出指标", name="人数", actual="3人", note="说明")
    made = Entry.keyed(row, None, 7, {}, row_key(row))
    assert made == Entry(row, None, 7, {}) and made.key == Entry(row, None, 7, {}).key == row_key(row)
    assert (made.row, made.value, made.line, made.spans) == (row, None, 7, {})
    with pytest.raises(AttributeError):
        made.line = 8  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(made)) == made


def test_a_file_has_no_getattr_hook_and_makes_deferred_entries_through_its_descriptor() -> None:
    """CPython 3.11 specialises no attribute read of a class that defines `__getattr__`; the generated
    scoring function reads a file's attributes a dozen times a project (docs/performance.md). Deferred
    entries come from a non-data descriptor instead, which a file's own `entries` hides."""
    from jixiao.engine.actuals import _DeferredEntries

    assert "__getattr__" not in vars(ActualsFile) and "__getattribute__" not in vars(ActualsFile)
    assert isinstance(ActualsFile.entries, _DeferredEntries)

    class Rows:
        lines: tuple[object, ...] = ()

        def entries(self) -> list[object]:
            return ["made"]

    deferred = ActualsFile.new("a.csv", "csv", lines=Rows())  # type: ignore[arg-type]
    assert deferred.entries == ["made"] and deferred._lines is None and vars(deferred)["entries"] == ["made"]
    plain = ActualsFile("a.csv")
    assert plain.entries == [] and plain._lines is None
    del plain.entries
    with pytest.raises(AttributeError, match="entries"):
        plain.entries  # noqa: B018


@given(
    st.dictionaries(
        st.sampled_from(
            ["level1", "level2", "note", "adjusted", "reason", "target", "weight", "score", "coefficient"]
        ),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=6),
    ),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=6),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=6),
)
def test_a_row_of_text_is_the_row_the_constructor_makes(
    cells: dict[str, str], name: str, actual: str
) -> None:
    """`ActualRow.of_text` (the quick reader's, for cells it looked at) makes the constructor's row: the
    same cells in the same order, stripped alike (`row_key` reads them in order)."""
    cells = {**cells, "name": name, "actual": actual}
    mine, theirs = ActualRow.of_text(cells), ActualRow(**cells)
    assert mine == theirs and list(vars(mine).items()) == list(vars(theirs).items())
    assert row_key(mine) == row_key(theirs)


def test_a_row_of_text_refuses_what_is_not_a_row() -> None:
    for cells in (
        {"name": "x"},
        {"actual": "1"},
        {"name": "x", "actual": "1", "unknown": "y"},
        {"name": "", "actual": "1"},
    ):
        with pytest.raises(TypeError):
            ActualRow.of_text(cells)
