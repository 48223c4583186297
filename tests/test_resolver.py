"""The resolver reads only what it should: 采用 inside the roots the caller names, and the packaged policies.

Issue 12 "Reading what it should not": absolute paths, `..`, links out of a root, the working directory
for text, a planted policy served from the cache, absolute folders in E204, and (issue 10) explicit
ruleset inputs — a `str` is always a path.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main

SEED_TEXT = SEED_RULESET.read_text(encoding="utf-8")
# A policy that changes the seed's result: the standard policy with a budget score of 0 (99.31 → 89.93).
CENTRAL = (ROOT / "rulesets" / "standard" / "central.jx").read_text(encoding="utf-8")
PLANTED = CENTRAL.replace("得分 = 分值 × 封顶(执行率, 100%)", "得分 = 分值 × 0")
assert PLANTED != CENTRAL


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
        jixiao.clear_cache()


def _codes(source: object = None, **kwargs: object) -> list[str]:
    return [d.code for d in jixiao.check(source, **kwargs)]  # type: ignore[arg-type]


def _plant(folder: Path) -> Path:
    (folder / "standard").mkdir(parents=True, exist_ok=True)
    path = folder / "standard" / "central.jx"
    path.write_text(PLANTED, encoding="utf-8")
    return path


def test_a_str_is_always_a_path() -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(SEED_TEXT)  # text given where a path is expected: said so, not parsed
    assert info.value.diagnostics[0].code == "E105"
    assert "text=" in info.value.diagnostics[0].message("en")


@pytest.mark.parametrize("name", ["2023.JX", "rules.txt", "规则"])
def test_any_existing_file_name_is_a_ruleset(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(SEED_TEXT, encoding="utf-8")
    assert jixiao.load_ruleset(tmp_path / name).score(SEED_ACTUALS).total.text() == "99.31"


def test_text_bytes_and_streams_are_rulesets() -> None:
    data = SEED_TEXT.encode("utf-8")
    for compiled in (
        jixiao.load_ruleset(text=SEED_TEXT),
        jixiao.load_ruleset(data),
        jixiao.load_ruleset(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")),  # BOM and CRLF
        jixiao.load_ruleset(io.BytesIO(data)),
        jixiao.load_ruleset(io.StringIO(SEED_TEXT), name="邮件附件.jx"),
    ):
        assert compiled.score(SEED_ACTUALS).total.text() == "99.31"


@pytest.mark.parametrize(
    "source", ["jixiao:../../etc/passwd", "jixiao:/etc/passwd", "jixiao:grammars/ruleset.lark"]
)
def test_resource_names_do_not_leave_the_packaged_rulesets(source: str) -> None:
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(source)
    assert [d.code for d in info.value.diagnostics] == ["E105"]
    assert "root:" not in jixiao.render_diagnostics(info.value.diagnostics)


@pytest.mark.parametrize(
    "ref", ["/etc/passwd", "../other/tenant", "standard/../../x", "C:/x", "a\\..\\..\\b"]
)
def test_absolute_or_escaping_policy_names_are_refused(tmp_path: Path, ref: str) -> None:
    (tmp_path / "r.jx").write_text(SEED_TEXT.replace("standard/central", ref), encoding="utf-8")
    assert _codes(tmp_path / "r.jx") == ["E230"]


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("standard//central", "含空的一段"),
        ("./standard/central", "含「./」"),
        ("jixiao:rulesets/standard/central", "采用时写「standard/central」"),
        ("../other/tenant", "含「..」"),
        ("/etc/passwd", "是绝对路径"),
    ],
)
def test_a_refused_policy_name_says_why(tmp_path: Path, ref: str, reason: str) -> None:
    """E230 said 「不能是绝对路径，也不能含「..」」 for `standard//central`, `./x` and `jixiao:…` too."""
    (tmp_path / "r.jx").write_text(SEED_TEXT.replace("standard/central", ref, 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "r.jx")])
    assert "E230" in result.output and reason in result.output, result.output
    assert "不能是绝对路径，也不能含" not in result.output


def test_a_link_leaving_the_root_is_refused(tmp_path: Path) -> None:
    outside = _plant(tmp_path / "outside")
    tenant = tmp_path / "tenant"
    (tenant / "standard").mkdir(parents=True)
    (tenant / "standard" / "central.jx").symlink_to(outside)
    (tenant / "r.jx").write_text(SEED_TEXT, encoding="utf-8")
    assert _codes(tenant / "r.jx") == ["E231"]
    (tenant / "standard" / "central.jx").unlink()
    (tenant / "standard").rmdir()
    (tenant / "standard").symlink_to(outside.parent)  # a linked folder leaves the root as well
    assert _codes(tenant / "r.jx") == ["E231"]


def test_text_does_not_see_the_working_directory(in_tmp: Path) -> None:
    _plant(in_tmp)
    compiled = jixiao.load_ruleset(text=SEED_TEXT)
    assert compiled.score(SEED_ACTUALS).total.text() == "99.31"
    assert list(compiled.ruleset.sources) == ["<text>", "jixiao:rulesets/standard/central.jx"]


def test_roots_the_caller_names_are_used_and_shown_relative(in_tmp: Path) -> None:
    _plant(in_tmp / "served")
    compiled = jixiao.load_ruleset(text=SEED_TEXT, roots=["served"])
    assert list(compiled.ruleset.sources) == ["<text>", "served/standard/central.jx"]
    assert compiled.score(SEED_ACTUALS).total.text() != "99.31"


def test_a_planted_policy_is_not_served_from_the_cache(in_tmp: Path) -> None:
    (in_tmp / "served").mkdir()
    first = jixiao.load_ruleset(text=SEED_TEXT, roots=["served"])
    assert first.score(SEED_ACTUALS).total.text() == "99.31"
    _plant(in_tmp / "served")  # appears before the packaged policy in the lookup
    second = jixiao.load_ruleset(text=SEED_TEXT, roots=["served"])
    assert second is not first
    assert second.score(SEED_ACTUALS).total.text() != "99.31"


def test_the_cache_key_holds_the_roots(in_tmp: Path) -> None:
    _plant(in_tmp / "a")
    (in_tmp / "b").mkdir()
    under_a = jixiao.load_ruleset(text=SEED_TEXT, roots=["a"])
    under_b = jixiao.load_ruleset(text=SEED_TEXT, roots=["b"])
    assert under_a is not under_b
    assert under_b.score(SEED_ACTUALS).total.text() == "99.31"


def test_a_ruleset_file_sees_its_own_folder_first(tmp_path: Path) -> None:
    _plant(tmp_path)
    (tmp_path / "r.jx").write_text(SEED_TEXT, encoding="utf-8")
    compiled = jixiao.load_ruleset(tmp_path / "r.jx", cache=False)
    assert compiled.score(SEED_ACTUALS).total.text() != "99.31"
    assert all(
        not name.startswith("/") or name.startswith(str(tmp_path)) for name in compiled.ruleset.sources
    )


def test_policies_are_looked_up_only_to_the_top_of_the_root(tmp_path: Path) -> None:
    _plant(tmp_path)  # one folder above the ruleset's own folder: outside its root
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.jx").write_text(SEED_TEXT, encoding="utf-8")
    compiled = jixiao.load_ruleset(tmp_path / "sub" / "r.jx", cache=False)
    assert compiled.score(SEED_ACTUALS).total.text() == "99.31"  # the packaged policy
    rooted = jixiao.load_ruleset(tmp_path / "sub" / "r.jx", roots=[tmp_path], cache=False)
    assert rooted.score(SEED_ACTUALS).total.text() != "99.31"  # the planted one, allowed explicitly


def test_unknown_policy_names_no_folder_outside_the_roots(in_tmp: Path) -> None:
    (in_tmp / "deep" / "er").mkdir(parents=True)
    (in_tmp / "standard").mkdir()
    (in_tmp / "standard" / "secret.jx").write_text(PLANTED, encoding="utf-8")  # above the root
    ruleset = in_tmp / "deep" / "er" / "r.jx"
    ruleset.write_text(SEED_TEXT.replace("standard/central", "standard/secre"), encoding="utf-8")
    [diag] = jixiao.check(ruleset)
    assert diag.code == "E204"
    shown = jixiao.render_diagnostics([diag]) + jixiao.render_diagnostics([diag], lang="en")
    assert str(in_tmp) not in shown and "secret" not in shown
    assert diag.args["searched"] == "deep/er；jixiao:rulesets"


def test_a_policy_has_one_name_however_it_is_reached(in_tmp: Path) -> None:
    from jixiao.resources import rulesets_dir

    compiled = jixiao.load_ruleset(text=SEED_TEXT, roots=[rulesets_dir()])
    assert list(compiled.ruleset.sources) == ["<text>", "jixiao:rulesets/standard/central.jx"]


def test_the_same_policy_used_many_times_is_bounded(tmp_path: Path) -> None:
    uses = '  采用 "standard/central"\n' * 40
    text = SEED_TEXT.replace('  采用 "standard/central"\n', uses)
    [diag] = jixiao.check(text=text)
    assert (diag.code, diag.span and diag.span.line) == ("E907", 7 + 32)


def test_cli_root_option_and_swapped_arguments(in_tmp: Path) -> None:
    _plant(in_tmp / "policies")
    (in_tmp / "r.jx").write_text(SEED_TEXT, encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["score", "r.jx", str(SEED_ACTUALS), "--format", "json"])
    rooted = runner.invoke(main, ["score", "r.jx", str(SEED_ACTUALS), "--root", "policies"])
    assert plain.exit_code == 0 and '"total": "99.31"' in plain.stdout
    assert rooted.exit_code == 0 and "99.31" not in rooted.stdout
    swapped = runner.invoke(main, ["score", str(SEED_ACTUALS), "r.jx"])
    assert swapped.exit_code == 2 and "E911" in swapped.stderr


def test_cli_missing_ruleset_suggests_a_nearby_file(in_tmp: Path) -> None:
    (in_tmp / "2023.jx").write_text(SEED_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "2032.jx", str(SEED_ACTUALS)])
    assert result.exit_code == 1
    assert "E105" in result.stderr and "「2023.jx」" in result.stderr


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jx")
    assert _codes(tmp_path / "pipe.jx") == ["E105"]


def test_excerpts_come_from_the_text_parsed_not_a_file_of_that_name(in_tmp: Path) -> None:
    (in_tmp / "x.jx").write_text("secret line one\n", encoding="utf-8")
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(text="项目 {", name="x.jx")
    shown = jixiao.render_diagnostics(info.value.diagnostics, sources=info.value.sources)
    assert "项目 {" in shown and "secret" not in shown


def test_an_error_in_a_packaged_policy_shows_its_excerpt(in_tmp: Path) -> None:
    text = SEED_TEXT.replace(
        "享受补贴人数  目标 ≥1.1万人  分值 20", "享受补贴人数  目标 ≥1.1万人  分值 20 方法 无此方法"
    )
    with pytest.raises(jixiao.JixiaoError) as info:
        jixiao.load_ruleset(text=text)
    assert set(info.value.sources) == {"<text>", "jixiao:rulesets/standard/central.jx"}


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.jx"
    with path.open("wb") as out:
        out.truncate(9_000_000)  # sparse: nothing is written, nothing must be read
    assert _codes(path) == ["E902"]


PROJECT_BASE = '项目 "去年的项目" 年度 2022 {\n  采用 "standard/central"\n  舍入 截断 0位\n  等级 { 甲等 ≥95; 乙等 其余 }\n}\n'
CHILD = '项目 "今年的项目" 年度 2023 {\n  采用 "{use}"\n  产出指标 / 数量指标 {\n    甲  目标 ≥10个  分值 90\n  }\n}\n'


def test_a_project_is_not_adopted_as_a_policy(in_tmp: Path) -> None:
    """采用 of a project took its grades and rounding and dropped its indicators, silently (total 90, 乙等)."""
    (in_tmp / "base.jx").write_text(PROJECT_BASE, encoding="utf-8")
    (in_tmp / "child.jx").write_text(CHILD.replace("{use}", "base"), encoding="utf-8")
    actuals = in_tmp / "child.csv"
    actuals.write_text("一级指标,二级指标,三级指标,实际完成值\n产出指标,数量指标,甲,9个\n", encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "child.jx"])
    assert checked.exit_code == 1 and "child.jx:2:3: error[E218]" in checked.output, checked.output
    assert "「base.jx」是项目规则，不是评分办法" in checked.output and "评分办法文件" in checked.output
    english = runner.invoke(main, ["check", "--lang", "en", "child.jx"])
    assert "“base.jx” is a project ruleset, not a policy" in english.output, english.output
    scored = runner.invoke(main, ["score", "child.jx", "child.csv"])
    assert scored.exit_code == 1 and "E218" in scored.stderr and "总得分" not in scored.stdout


def test_a_project_adopting_itself_is_told_so_not_a_policy_cycle(in_tmp: Path) -> None:
    (in_tmp / "self.jx").write_text(CHILD.replace("{use}", "self"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "self.jx"])
    assert "E218" in result.output and "这条采用引用了本项目自己" in result.output, result.output
    assert "评分办法之间循环采用" not in result.output
    english = CliRunner().invoke(main, ["check", "--lang", "en", "self.jx"])
    assert "this use names the project itself" in english.output, english.output


def test_a_policy_with_indicators_is_not_adopted_without_them(in_tmp: Path) -> None:
    policy = '评分办法 "带指标的办法" {\n  采用 "standard/central"\n  产出指标 / 数量指标 {\n    乙  目标 ≥10个  分值 45\n  }\n}\n'
    (in_tmp / "polind.jx").write_text(policy, encoding="utf-8")
    (in_tmp / "child.jx").write_text(CHILD.replace("{use}", "polind"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "child.jx"])
    assert "child.jx:2:3: error[E219]" in result.output, result.output
    assert "1 个指标（第一个是 polind.jx 第4行的「乙」）" in result.output


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("standard", "standard/central"),  # a folder of policies: its first one, not a name close to it
        ("standard/centra", "standard/central"),
        ("standard2/x", None),  # a folder named x.jx is no policy: never suggested (it was, as written)
    ],
)
def test_an_unknown_policy_s_suggestion_is_a_policy_file(
    tmp_path: Path, written: str, suggested: str | None
) -> None:
    (tmp_path / "standard2" / "x.jx").mkdir(parents=True)
    ruleset = tmp_path / "r.jx"
    ruleset.write_text(SEED_TEXT.replace('采用 "standard/central"', f'采用 "{written}"'), encoding="utf-8")
    [diag] = jixiao.check(ruleset)
    assert diag.code == "E204"
    assert diag.suggestion == suggested or (suggested is None and diag.suggestion != written)


def test_a_document_two_adopted_policies_cite_is_listed_once(tmp_path: Path) -> None:
    """central and hubei (which adopts central) both bring 财预〔2020〕10号: the project's 依据 lists it once."""
    ruleset = tmp_path / "r.jx"
    ruleset.write_text(
        '项目 "两个办法" 年度 2023 {\n  采用 "standard/central"\n  采用 "standard/hubei"\n'
        "  结构 { 预算执行 20; 产出指标 80 }\n  产出指标 / 数量指标 {\n    甲  目标 ≥10个  分值 80\n  }\n}\n",
        encoding="utf-8",
    )
    sources = jixiao.load_ruleset(ruleset).ruleset.rules.sources
    assert sources == ("财预〔2020〕10号", "鄂财绩发〔2020〕3号（示例）")
