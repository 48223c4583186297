"""Never lose a file: `jixiao fmt` and `jixiao test --update` write through a temporary file.

A failing write (a file-size limit in a subprocess, a full disk simulated, a read-only file) leaves
the original intact and gives one line; BOM, CRLF, mode are kept; `fmt DIR` does not follow a link
out of DIR; `test --update` keeps the YAML valid, its comments and layout.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED_ACTUALS, SEED_RULESET

from jixiao.cli import main
from jixiao.tools import rewrite as rewrite_module

MESSY = (ROOT / "tests" / "cases" / "fmt" / "messy" / "input.jx").read_bytes()
FORMATTED = (ROOT / "tests" / "cases" / "fmt" / "messy" / "expected.jx").read_bytes()


def _fmt(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["fmt", *args])
    return result.exit_code, result.stderr


def _messy(tmp_path: Path, data: bytes = MESSY) -> Path:
    path = tmp_path / "规则.jx"
    path.write_bytes(data)
    return path


def test_fmt_keeps_bom_crlf_and_mode(tmp_path: Path) -> None:
    path = _messy(tmp_path, b"\xef\xbb\xbf" + MESSY.replace(b"\n", b"\r\n"))
    path.chmod(0o640)
    assert _fmt(str(path))[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + FORMATTED.replace(b"\n", b"\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["规则.jx"]  # no temporary file left


def test_fmt_under_a_file_size_limit_leaves_the_original(tmp_path: Path) -> None:
    path = _messy(tmp_path, MESSY * 1 if len(MESSY) > 600 else MESSY)
    script = textwrap.dedent(
        f"""
        import resource, sys
        from jixiao.cli import main
        resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))  # smaller than the formatted file
        sys.argv = ["jixiao", "fmt", {str(path)!r}]
        main()
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "E910" in run.stderr and "超过文件大小限制" in run.stderr and "Traceback" not in run.stderr
    assert path.read_bytes() == MESSY
    assert [p.name for p in tmp_path.iterdir()] == ["规则.jx"]


def test_fmt_on_a_full_disk_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _messy(tmp_path)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(rewrite_module.os, "fsync", full)
    code, err = _fmt(str(path))
    assert code == 1 and "E910" in err and "磁盘已满" in err
    assert len([line for line in err.splitlines() if "E910" in line]) == 1
    assert path.read_bytes() == MESSY
    assert [p.name for p in tmp_path.iterdir()] == ["规则.jx"]


def test_fmt_does_not_rewrite_a_read_only_file(tmp_path: Path) -> None:
    path = _messy(tmp_path)
    path.chmod(0o444)
    code, err = _fmt(str(path))
    assert code == 1 and "只读" in err
    assert path.read_bytes() == MESSY


def test_fmt_rewrites_the_target_of_a_link_and_keeps_the_link(tmp_path: Path) -> None:
    path = _messy(tmp_path)
    (tmp_path / "link.jx").symlink_to(path.name)
    assert _fmt(str(tmp_path / "link.jx"))[0] == 0
    assert (tmp_path / "link.jx").is_symlink() and path.read_bytes() == FORMATTED


def test_fmt_dir_does_not_follow_a_link_out_of_the_folder(tmp_path: Path) -> None:
    outside = _messy(tmp_path / "outside" if (tmp_path / "outside").mkdir() is None else tmp_path)
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "外部.jx").symlink_to(outside)
    (folder / "里面.jx").write_bytes(MESSY)
    code, err = _fmt(str(folder))
    assert code == 0 and "W130" in err
    assert outside.read_bytes() == MESSY  # the linked file outside is untouched
    assert (folder / "里面.jx").read_bytes() == FORMATTED


# -- test --update ------------------------------------------------------------------------------------------
TEST_FILE = """\
# 评分测试：等级名带冒号和井号，列表是块形式，带注释
ruleset: seed.jx
cases:
  - name: 原表
    actuals: seed.actuals.csv
    expect:
      total: "90"      # 总分
      grade: 优        # 等级名将被改为带冒号、井号的名称
      findings:
        - F101   # 第一个
        - F102   # 第二个，将被删除
"""


def _seed_copy(tmp_path: Path, grades: str) -> Path:
    ruleset = SEED_RULESET.read_text(encoding="utf-8").replace(
        "  # 本表的分值结构", f"  等级 {{\n{grades}\n  }}\n  # 本表的分值结构"
    )
    (tmp_path / "seed.jx").write_text(ruleset, encoding="utf-8")
    shutil.copy(SEED_ACTUALS, tmp_path / "seed.actuals.csv")
    return tmp_path


@pytest.mark.parametrize("grade", ["A: 优", "A #1", "'单引号'", "null"])
def test_update_keeps_yaml_valid_comments_and_layout(tmp_path: Path, grade: str) -> None:
    quoted = '"' + grade.replace('"', '\\"') + '"'
    _seed_copy(tmp_path, f"    {quoted} [90,100]\n    差 其余")
    path = tmp_path / "seed.test.yaml"
    path.write_bytes(TEST_FILE.replace("\n", "\r\n").encode("utf-8"))
    run = CliRunner().invoke(main, ["test", str(path), "--update"])
    assert "E910" not in run.output + run.stderr
    after = CliRunner().invoke(main, ["test", str(path)])
    assert after.exit_code == 0, after.output + after.stderr
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF kept
    for kept in ("# 评分测试", 'total: "99.31"      # 总分', "# 等级名将被改为", "- F107   # 第一个"):
        assert kept in text
    assert f"grade: {json.dumps(grade, ensure_ascii=False)}" in text
    assert "F102" not in text and "第二个" not in text


def test_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    _seed_copy(tmp_path, "    优 [90,100]\n    差 其余")
    laughs = "cases: &a [&b [x, x, x, x, x, x, x, x, x], *b, *b, *b, *b, *b, *b, *b, *b]\nmore: *a\n"
    (tmp_path / "seed.test.yaml").write_text(laughs, encoding="utf-8")
    run = CliRunner().invoke(main, ["test", str(tmp_path / "seed.test.yaml")])
    assert run.exit_code == 1 and "E909" in run.stderr and "seed.test.yaml:1:" in run.stderr


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    _seed_copy(tmp_path, "    优 [90,100]\n    差 其余")
    (tmp_path / "seed.test.yaml").write_text("cases: &a [*a]\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["test", str(tmp_path / "seed.test.yaml")])
    assert run.exit_code == 1 and "E909" in run.stderr


def test_update_under_a_file_size_limit_leaves_the_test_file(tmp_path: Path) -> None:
    _seed_copy(tmp_path, "    优 [90,100]\n    差 其余")
    path = tmp_path / "seed.test.yaml"
    original = TEST_FILE
    path.write_text(original, encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import resource, sys
        from jixiao.cli import main
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
        sys.argv = ["jixiao", "test", {str(path)!r}, "--update"]
        main()
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "E910" in run.stderr and "Traceback" not in run.stderr
    assert path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.actuals.csv", "seed.jx", "seed.test.yaml"]
    assert os.access(path, os.R_OK)
