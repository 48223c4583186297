"""`jixiao diff` reports a change of the ruleset's own 依据 or 说明 (and of its policy's), which the
explanation of a score cites: two files said "两个规则含义相同" (exit 0, no changes in JSON)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import jixiao
from jixiao.cli import main

PROJECT = """项目 "甲" 年度 2023 {{
  采用 "{policy}"
  依据 "{source}"
  说明 "{note}"
  产出指标 / 数量指标 {{
    甲  目标 ≥100个  分值 90  依据 "{row}"
  }}
}}
"""
POLICY = """评分办法 "某区办法" {{
  采用 "standard/central"
  依据 "{source}"
}}
"""


def project(
    source: str = "文件A", note: str = "备注A", row: str = "表A", policy: str = "standard/central"
) -> str:
    return PROJECT.format(source=source, note=note, row=row, policy=policy)


def diff(tmp_path: Path, old: str, new: str, *args: str) -> tuple[int, str]:
    (tmp_path / "a.jx").write_text(old, encoding="utf-8")
    (tmp_path / "c.jx").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "a.jx"), str(tmp_path / "c.jx"), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("new", "kind", "zh", "en", "old_text", "new_text"),
    [
        (
            project(source="文件B"),
            "source",
            "依据",
            "source",
            "财预〔2020〕10号、文件A",
            "财预〔2020〕10号、文件B",
        ),
        (project(note="备注B"), "note", "说明", "note", "备注A", "备注B"),
    ],
)
def test_the_rulesets_own_source_and_note(
    tmp_path: Path, new: str, kind: str, zh: str, en: str, old_text: str, new_text: str
) -> None:
    code, out = diff(tmp_path, project(), new)
    assert code == 1 and "两个规则含义相同" not in out, out
    assert re.search(rf"^{zh} +{zh} +{old_text} +{new_text}$", out, re.MULTILINE), out
    code, out = diff(tmp_path, project(), new, "--lang", "en")
    assert code == 1 and re.search(rf"^{en} +{en} +{old_text} +{new_text}$", out, re.MULTILINE), out
    code, out = diff(tmp_path, project(), new, "--format", "json")
    changes = json.loads(out)["changes"]
    assert [(c["scope"], c["kind"], c["old"], c["new"], c["key"]) for c in changes] == [
        ("ruleset", kind, old_text, new_text, kind)
    ]


def test_an_indicators_source_is_still_its_own_change() -> None:
    report = jixiao.diff(old_text=project(), new_text=project(row="表B"))
    assert [(c.scope, c.kind, c.old, c.new) for c in report.changes] == [
        ("indicator", "source", "表A", "表B")
    ]


def test_a_policys_source_in_folders_and_policy_diffs(tmp_path: Path) -> None:
    for side, year in (("old", "2023"), ("new", "2024")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "bureau.jx").write_text(
            POLICY.format(source=f"区财绩〔{year}〕1号"), encoding="utf-8"
        )
        (tmp_path / side / "p.jx").write_text(project(policy="bureau"), encoding="utf-8")
    batch = jixiao.diff_folders(tmp_path / "old", tmp_path / "new")
    assert not batch.same
    changed = {p.project: [(c.kind, c.old, c.new) for c in p.changes] for p in batch.projects}
    assert changed["某区办法"] == [
        ("source", "财预〔2020〕10号、区财绩〔2023〕1号", "财预〔2020〕10号、区财绩〔2024〕1号")
    ]
    assert [kind for kind, _, _ in changed["甲"]] == ["source"]
    policy = jixiao.diff_policy(
        tmp_path / "old" / "bureau.jx", tmp_path / "new" / "bureau.jx", projects=tmp_path / "old"
    )
    assert not policy.same and [c.kind for c in policy.policy_changes] == ["source"]
    assert [p.status for p in policy.projects if not p.policy] == ["changed"]
