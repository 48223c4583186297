"""Bad input given to the API directly gets the positioned error the CLI gives for it, never E901, and
arithmetic on a result's figures stays bounded (docs/api.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SEED_ACTUALS, SEED_RULESET

import jixiao

ROW = "享受补贴人数"


@pytest.mark.parametrize(
    "value", [10**5000, -(10**5000), Decimal("1" + "0" * 5000)], ids=["int", "negative", "decimal"]
)
def test_a_number_too_long_for_str_given_in_rows_is_e505_as_in_a_file(value: object) -> None:
    """An int of more than 4,300 digits cannot be `str`ed (Python's limit): it was E901."""
    ruleset = jixiao.load_ruleset(SEED_RULESET)
    with pytest.raises(jixiao.JixiaoError) as caught:
        ruleset.score(jixiao.load_actuals(rows=[{"三级指标": ROW, "实际完成值": value}]))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E505"
    assert diagnostic.span is not None and (diagnostic.span.line, diagnostic.span.column) == (2, 2)
    assert "500" in caught.value.text("en")


def test_a_key_too_long_for_str_given_in_rows_is_no_bug() -> None:
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.load_actuals(rows=[{10**5000: "x", "三级指标": ROW}])
    assert "E901" not in [d.code for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ('项目 "\ud800" {\n}\n', (1, 5), "D800"),
        ('项目 "上街" {\n  # \udfff 注释\n}\n', (2, 5), "DFFF"),
    ],
    ids=["name", "comment"],
)
def test_ruleset_text_with_a_lone_surrogate_is_refused_where_it_is(
    text: str, where: tuple[int, int], code: str
) -> None:
    """It was accepted, and the result could not be written (render(result, "xlsx"): E901)."""
    with pytest.raises(jixiao.JixiaoError) as caught:
        jixiao.load_ruleset(text=text, cache=False)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E136" and diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == where
    assert f"U+{code}" in caught.value.text("en")
    # the excerpt shows U+FFFD in its place: every rendering of the error can be written out as UTF-8
    for fmt in ("text", "json"):
        shown = jixiao.render_diagnostics(caught.value.diagnostics, fmt, sources=caught.value.sources)
        assert "\ufffd" in shown or fmt == "json"  # the JSON has no excerpt
        shown.encode("utf-8")
    assert [d.code for d in jixiao.check(text=text)] == ["E136"]


def test_a_figure_power_past_the_engines_bound_overflows_at_once() -> None:
    """`t ** 10**9` computed for more than ten minutes."""
    total = jixiao.load_ruleset(SEED_RULESET).score(SEED_ACTUALS).total
    one = total - total + 1  # Figure('1.00'): its value stays small, its decimals would not
    for power in (
        lambda: total ** (10**9),
        lambda: total ** -(10**9),
        lambda: total ** (10**5000),
        lambda: 2 ** (total * 10**7),
        lambda: one ** (10**9),
    ):
        with pytest.raises(OverflowError, match="4096"):
            power()
    assert total**2 == Decimal("9862.4761") and (total**2).digits == 4
    assert one ** -(10**9) == 1 and (total - total) ** 3 == 0
    assert 3 ** (one * 5) == 243
