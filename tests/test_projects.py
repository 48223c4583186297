"""Batch inputs: every project read on its own, a broken one carrying its error."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SEED_ACTUALS

from jixiao.io.projects import read_projects


def test_a_folder_is_one_project_per_file_and_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    shutil.copy(SEED_ACTUALS, tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("三级指标,实际完成值\n享受补贴人数,#DIV/0!\n", encoding="utf-8")
    shutil.copy(SEED_ACTUALS, tmp_path / "c.csv")
    projects = list(read_projects([tmp_path, tmp_path / "missing.csv"]))
    assert [p.name for p in projects] == ["a", "b", "c", "missing"]
    assert [p.error is None for p in projects] == [True, False, True, False]
    assert projects[1].error is not None and projects[1].error.diagnostics[0].code == "E509"
    assert (
        projects[1].actuals is not None and projects[3].actuals is None
    )  # bad cells: still scored, to say all
    assert projects[3].error is not None and projects[3].error.diagnostics[0].code == "E105"


def test_an_empty_folder_is_reported(tmp_path: Path) -> None:
    (project,) = read_projects([tmp_path])
    assert project.error is not None and project.error.diagnostics[0].code == "E129"


def test_an_empty_folder_or_pattern_says_which_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "报告.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "~$锁.xlsx").write_bytes(b"")
    (folder,) = read_projects([tmp_path])
    (pattern,) = read_projects([str(tmp_path / "*.xls")])
    for project, where in (
        (folder, f"文件夹「{tmp_path}」里"),
        (pattern, f"通配符「{tmp_path}/*.xls」匹配的文件中"),
    ):
        assert project.error is not None
        (diagnostic,) = project.error.diagnostics
        assert diagnostic.code == "E129" and diagnostic.message() == f"{where}没有实际值文件"
        assert ".xlsx" in (diagnostic.help() or "") and "~$" in (diagnostic.help("en") or "")
    assert folder.error is not None and f"the folder “{tmp_path}”" in folder.error.diagnostics[0].message(
        "en"
    )
