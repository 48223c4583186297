"""`jixiao diff --rev` and jixiao as git's diff driver, on a repository the tests make (git init, two commits)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

import jixiao
from jixiao.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
JIXIAO = Path(sys.executable).with_name("jixiao")  # the console script of this environment


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """rules/p.jx raised from ≥1.1万人 to ≥1.2万人 in the second commit; the policy beside it in both."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "staff@example.invalid")
    git(tmp_path, "config", "user.name", "staff")
    shutil.copytree(ROOT / "rulesets" / "standard", tmp_path / "rules" / "standard")
    (tmp_path / "rules" / "p.jx").write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "2020")
    path = tmp_path / "rules" / "p.jx"
    path.write_text(path.read_text(encoding="utf-8").replace("≥1.1万人", "≥1.2万人"), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "raise a target")
    return tmp_path


def run(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.output


def test_rev_against_the_working_tree(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(repo, monkeypatch, "--rev", "HEAD~1")
    assert code == 1, out
    assert "版本比较：HEAD~1 → 工作区" in out
    assert "rules/p.jx                 有变化" in out and "目标提高 1" in out
    assert "目标提高  产出指标/数量指标/享受补贴人数  ≥1.1万人  ≥1.2万人" in out
    assert git(repo, "status", "--porcelain") == ""  # nothing checked out, nothing written


def test_rev_of_one_file_and_two_revisions(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(repo, monkeypatch, "--rev", "HEAD~1", "rules/p.jx")
    assert code == 1 and "规则比较：HEAD~1:rules/p.jx → rules/p.jx" in out
    code, out = run(repo, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", "rules/p.jx")
    assert code == 1 and "规则比较：HEAD~1:rules/p.jx → HEAD:rules/p.jx" in out
    code, out = run(repo, monkeypatch, "--rev", "HEAD", "rules/p.jx")
    assert code == 0 and "两个规则含义相同" in out


def test_policies_resolve_as_they_were_at_the_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    central = repo / "rules" / "standard" / "central.jx"
    central.write_text(
        central.read_text(encoding="utf-8").replace("[90,100]", "[85,100]").replace("[80,90)", "[80,85)")
    )
    code, out = run(repo, monkeypatch, "--rev", "HEAD", "rules/p.jx")
    assert code == 1 and "等级" in out  # the working tree's policy changed since HEAD


def test_rev_errors(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(repo, monkeypatch, "--rev", "HEAD~5")
    assert code == 2 and "error[E704]" in out and "HEAD~5" in out
    code, out = run(repo, monkeypatch, "--rev", "HEAD", "rule/")
    assert code == 2 and "error[E709]" in out
    code, out = run(tmp_path_factory.mktemp("not-a-repo"), monkeypatch, "--rev", "HEAD")
    assert code == 2 and "error[E703]" in out
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, out = run(repo, monkeypatch, "--rev", "HEAD")
    assert code == 2 and "error[E702]" in out and "Traceback" not in out


def configure_driver(repo: Path) -> None:
    """What docs/cli.md tells staff to do: an attribute for *.jx and the command git calls."""
    (repo / ".gitattributes").write_text("*.jx diff=jixiao\n", encoding="utf-8")
    git(repo, "config", "diff.jixiao.command", f"{JIXIAO} diff --git")


@pytest.mark.skipif(not JIXIAO.exists(), reason="the jixiao console script is not installed beside python")
def test_git_diff_and_log_show_meaning_through_the_driver(repo: Path) -> None:
    configure_driver(repo)
    path = repo / "rules" / "p.jx"
    path.write_text(path.read_text(encoding="utf-8").replace("分值 20", "分值 21"), encoding="utf-8")
    diff = git(repo, "diff")
    assert "规则比较：a/rules/p.jx → b/rules/p.jx" in diff and "20  21 (+1)" in diff
    log = git(repo, "log", "-p", "--ext-diff", "-1", "HEAD")
    assert "raise a target" in log and "≥1.1万人  ≥1.2万人" in log
    plain = git(repo, "log", "-p", "-1", "HEAD")
    assert "-    享受补贴人数  目标 ≥1.1万人  分值 20" in plain  # without --ext-diff git shows text


def test_driver_shows_added_files_and_never_fails(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    new = repo / "rules" / "q.jx"
    new.write_text(SEED_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    added = CliRunner().invoke(
        main, ["diff", "--git", "rules/q.jx", "/dev/null", ".", ".", str(new), "abc", "100644"]
    )
    assert added.exit_code == 0 and "新增" in added.output and "享受补贴人数" in added.output
    broken = repo / "broken.jx"
    broken.write_text("项目 {", encoding="utf-8")
    bad = CliRunner().invoke(
        main, ["diff", "--git", "broken.jx", str(broken), ".", ".", str(broken), ".", "."]
    )
    assert bad.exit_code == 0 and "error[E1" in bad.output  # git stops at an external diff that fails
    renamed = [str(new), ".", ".", str(new), ".", ".", "rules/r.jx", "similarity index 100%"]
    moved = CliRunner().invoke(main, ["diff", "--git", "rules/q.jx", *renamed])
    assert moved.exit_code == 0 and "规则比较：a/rules/q.jx → b/rules/r.jx" in moved.output
    assert "两个规则含义相同" in moved.output
    wrong = CliRunner().invoke(main, ["diff", "--git", "a.jx", "b.jx"])
    assert wrong.exit_code == 2 and "error[E705]" in wrong.output


def test_api_diff_revisions(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    report = jixiao.diff_revisions("HEAD~1", "HEAD", ["rules"])
    changed = [p for p in report.projects if p.status == "changed"]
    assert [(p.old_file, p.new_file) for p in changed] == [("HEAD~1:rules/p.jx", "HEAD:rules/p.jx")]
    assert [c.kind for c in changed[0].changes] == ["target"]


def test_errors_at_a_revision_name_the_file_as_git_does(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ruleset that does not check at a revision fails while scoring inside the diff: its messages (text
    and JSON) name `REV:path` and the line, with the line's excerpt, never the temporary copy."""
    path = repo / "rules" / "p.jx"
    text = path.read_text(encoding="utf-8")
    twice = "享受补贴人数  目标 ≥1.2万人  分值 20\n    享受补贴人数  目标 ≥1.2万人  分值 20"
    path.write_text(text.replace("享受补贴人数  目标 ≥1.2万人  分值 20", twice), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "the indicator twice")
    line = 1 + text.splitlines().index("    享受补贴人数  目标 ≥1.2万人  分值 20") + 1
    actuals = repo / "acts"
    actuals.mkdir()
    shutil.copy(ROOT / "rulesets" / "shangjie-pension" / "2020.actuals.csv", actuals / "p.csv")
    for paths in (["rules"], ["rules/p.jx"]):
        code, out = run(repo, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", *paths, "--actuals", "acts")
        assert code == 2 and f"HEAD:rules/p.jx:{line}:5: error[E205]" in out, out
        assert f" {line} |     享受补贴人数" in out and "jixiao-rev" not in out
    code, out = run(
        repo, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", "--actuals", "acts", "--format", "json"
    )
    assert code == 2 and '"path": "HEAD:rules/p.jx"' in out and "jixiao-rev" not in out
    code, out = run(
        repo, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", "rules/p.jx", "--actuals", "acts/p.csv"
    )
    assert code == 2 and f"HEAD:rules/p.jx:{line}:5: error[E205]" in out and "jixiao-rev" not in out


def test_one_file_at_revisions_with_actual_values_shows_the_impact(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--actuals FILE` with one file at two revisions was ignored: the report had no score impact."""
    code, out = run(
        repo, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", "rules/p.jx", "--actuals", str(SEED_ACTUALS)
    )
    assert code == 1 and "规则比较：HEAD~1:rules/p.jx → HEAD:rules/p.jx" in out
    assert "得分影响" in out and "总得分" in out


BUREAU = """评分办法 "某区项目支出绩效自评" {
  采用 "standard/central"
  依据 "区财绩〔2023〕1号"
  正向 分档 {
    ≥100% → 100%
    ≥90% → 90%
    否则 → 0%
  }
}
"""
FARM = """项目 "高标准农田建设项目" 年度 2024 {
  采用 "bureau"
  产出指标 / 数量指标 {
    建设面积  目标 ≥1.5万亩  分值 90
  }
}
"""
FARM_ACTUALS = """一级指标,二级指标,三级指标,实际完成值
预算执行,年度资金总额,全年预算数,1000
预算执行,年度资金总额,全年执行数,990
产出指标,数量指标,建设面积,1.4万亩
"""


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    """rules/bureau.jx pays 90% for ≥90% in the first commit, 85% in the second; rules/other/p.jx uses it."""
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "staff@example.invalid")
    git(tmp_path, "config", "user.name", "staff")
    (tmp_path / "rules" / "other").mkdir(parents=True)
    (tmp_path / "rules" / "bureau.jx").write_text(BUREAU, encoding="utf-8")
    (tmp_path / "rules" / "other" / "p.jx").write_text(FARM, encoding="utf-8")
    (tmp_path / "p.csv").write_text(FARM_ACTUALS, encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "2023")
    policy = tmp_path / "rules" / "bureau.jx"
    policy.write_text(BUREAU.replace("→ 90%", "→ 85%").replace("2023", "2024"), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "2024")
    return tmp_path


def test_a_root_inside_the_repository_is_read_at_each_revision(
    bureau: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--root rules` was the working tree's folder for both revisions: the old revision was scored with
    the new policy (90 × 85% on both sides, "0.00"). It is the same folder of each revision's tree."""
    for extra in (["--root", "rules"], ["rules"], ["--root", str(bureau / "rules"), "rules/other"]):
        code, out = run(bureau, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", *extra, "--actuals", "p.csv")
        assert code == 1, (extra, out)
        assert "90.90     86.40  -4.50  优 → 良" in out, (extra, out)
    code, out = run(bureau, monkeypatch, "--rev", "HEAD~1", "--root", "rules", "--actuals", "p.csv")
    assert code == 1 and "90.90     86.40  -4.50  优 → 良" in out, out  # the working tree is read as it is


def test_folders_searched_at_a_revision_are_named_as_git_names_them(
    bureau: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a root holding the policy, E204's help listed the temporary copy's folders."""
    code, out = run(bureau, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD")
    assert code == 2 and "已查找：HEAD:rules/other；HEAD:；jixiao:rulesets" in out, out
    assert "已查找：HEAD~1:rules/other；HEAD~1:；jixiao:rulesets" in out and "jixiao-rev" not in out
    code, out = run(bureau, monkeypatch, "--rev", "HEAD~1", "--rev", "HEAD", "--format", "json")
    assert code == 2 and "HEAD~1:rules/other；HEAD~1:；jixiao:rulesets" in out and "jixiao-rev" not in out


def test_driver_names_the_old_version_and_shows_its_own_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old version (git's temporary copy) with an error the working tree has fixed: its message named
    the working tree's file and showed the working tree's (correct) line as the excerpt."""
    monkeypatch.chdir(repo)
    path = repo / "rules" / "p.jx"
    fixed = path.read_text(encoding="utf-8")
    old = repo / "old-copy.jx"  # as git's /tmp/git-blob-…/p.jx
    old.write_text(fixed.replace("≥1.2万人  分值 20", "≥1.2万人  分直 20"), encoding="utf-8")
    args = ["rules/p.jx", str(old), "da75b96", "100644", "rules/p.jx", "0" * 40, "100644"]
    shown = CliRunner().invoke(main, ["diff", "--git", *args])
    assert shown.exit_code == 0
    assert "a/rules/p.jx:43:24: error[E104]" in shown.output
    assert "分直 20" in shown.output and "分值 20" not in shown.output
    # git diff -R: the new side is a temporary copy, named b/…; the working tree's file keeps its name
    old.write_text(fixed, encoding="utf-8")
    path.write_text(fixed.replace("≥1.2万人  分值 20", "≥1.2万人  分直 20"), encoding="utf-8")
    args = ["rules/p.jx", "rules/p.jx", "0" * 40, "100644", str(old), "da75b96", "100644"]
    reverse = CliRunner().invoke(main, ["diff", "--git", *args])
    assert reverse.exit_code == 0 and "\nrules/p.jx:43:24: error[E104]" in "\n" + reverse.output
    assert "分直 20" in reverse.output
