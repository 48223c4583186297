"""The shipped word lists (labels.yaml, layouts/*.yaml) are read without PyYAML exactly as PyYAML reads
them; anything outside the plain form goes to PyYAML."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io.actuals import wordlists

SHIPPED = files("jixiao.io.actuals")


def shipped() -> list[str]:
    layouts = SHIPPED.joinpath("layouts")
    names = sorted(p.name for p in layouts.iterdir() if p.name.endswith(".yaml"))
    return [
        SHIPPED.joinpath("labels.yaml").read_text(encoding="utf-8"),
        *(layouts.joinpath(n).read_text(encoding="utf-8") for n in names),
    ]


@pytest.mark.parametrize("text", shipped())
def test_every_shipped_file_is_read_in_the_plain_form_as_yaml_reads_it(text: str) -> None:
    assert wordlists.plain(text) == yaml.safe_load(text)
    assert wordlists.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1",  # a number
        "a: [yes, b]",  # a boolean
        "a: null",
        "a: ~",
        "a: 2020-01-01",  # a date
        "a: .inf",
        "a: 'quoted'",
        'a: "quoted"',
        "a: &anchor b",
        "a: *alias",
        "a: !tag b",
        "a: |\n  block",
        "a:\n  - item",  # a block list
        "a: b\na: c",  # a duplicate key
        "a: [b,\n  c]",  # a flow list over two lines
        "a: []",
        "a: [b, ]",
        "a:",  # None
        "a:b",  # one plain text, not a mapping
        "a: b: c",
        "a: {b: c}",
        "a:\tb",
        "\ufeffa: b",
        "a: b\r\nc: d",
        "a: b\x85c",
        "---\na: b",
        "  a: b",
        "a:\n    b: c\n  d: e",  # a wrong indentation
        "a: b\n  c: d",
        "a: [b: c]",
        "? a\n: b",
        "",
        "# only a comment",
    ],
)
def test_anything_outside_the_plain_form_is_declined_and_read_by_pyyaml(text: str) -> None:
    with pytest.raises(wordlists.Declined):
        wordlists.plain(text)
    try:
        expected: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            wordlists.load(text)
        return
    assert wordlists.load(text) == expected


# Texts of every kind: plain words, and what YAML reads otherwise (numbers, booleans, quotes, indicators).
SAMPLES = (
    "三级指标", "实际完成值", "得分系数(%)", "得分系数（%）", "其中：本年财政拨款", "Total weight",
    "1", "0.5", "-3", "+1", ".5", "yes", "No", "ON", "null", "~", "true", "2020-01-01", "1e3",
    "a#b", "a #b", "a:b", "a: b", "'a'", '"a"', "&a", "*a", "!a", "|", ">", "%a", "@a", "`a",
    "-", "- a", "? a", "a,b", "[a]", "{a}", "a ", " a", "a\u3000", "\u3000a", "=", "<<",
)  # fmt: skip
PLAIN = st.text(st.sampled_from("指标分值得其中（）()/ 　aAz_"), min_size=1, max_size=5)
TEXTS = st.one_of(
    PLAIN,  # mostly words, so that whole documents are often in the plain form
    PLAIN,
    PLAIN,
    st.sampled_from(SAMPLES),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=6),
)


@st.composite
def documents(draw: st.DrawFn, texts: st.SearchStrategy[str] = TEXTS, depth: int = 0) -> str:
    """A document in (or near) the plain form: keys with a text, a flow list or a nested mapping."""
    lines = []
    indent = "  " * depth
    for key in draw(st.lists(texts, min_size=1, max_size=4)):
        kind = draw(
            st.sampled_from(["text", "list", "list below", "mapping"] if depth < 2 else ["text", "list"])
        )
        comment = draw(st.sampled_from(["", "", "", "  # a comment", " #", "#x"]))
        if kind == "text":
            lines.append(f"{indent}{key}: {draw(texts)}{comment}")
        elif kind == "list":
            lines.append(
                f"{indent}{key}: [{', '.join(draw(st.lists(texts, min_size=1, max_size=4)))}]{comment}"
            )
        elif kind == "list below":
            lines.append(f"{indent}{key}:{comment}")
            lines.append(f"{indent}  [{', '.join(draw(st.lists(texts, min_size=1, max_size=4)))}]")
        else:
            lines.append(f"{indent}{key}:{comment}")
            lines.append(draw(documents(texts, depth + 1)))
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.one_of(documents(), documents(PLAIN)))
def test_the_plain_form_reads_what_pyyaml_reads_or_declines(text: str) -> None:
    try:
        expected: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        expected = yaml.YAMLError
    try:
        found: Any = wordlists.plain(text)
    except wordlists.Declined:
        return
    assert found == expected
    assert all(isinstance(k, str) for k in found)


def test_reading_a_csv_loads_no_yaml_parser() -> None:
    seed = Path(__file__).resolve().parent.parent / "rulesets" / "shangjie-pension" / "2020.actuals.csv"
    code = (
        "import sys; from jixiao.io.actuals import load_actuals\n"
        f"load_actuals({str(seed)!r}); print(sorted(m for m in sys.modules if m.split('.')[0] == 'yaml'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
