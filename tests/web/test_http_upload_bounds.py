"""An uploaded file holding more projects than a batch may (a long table with a 项目 column, a workbook of
many sheets) is E979 (413) as a JSON batch of as many inputs is, before any is scored (was scored until
the deadline: 504 after 10 s for 10,001 projects)."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from jixiao.diagnostics import JixiaoError
from jixiao.web import actuals, jobs
from jixiao.web import models as m
from jixiao.web.adapter import Folder

pytest.importorskip("starlette")


def _long_table(count: int) -> bytes:
    rows = ["项目,一级指标,二级指标,三级指标,实际完成值"]
    for i in range(count):
        rows += [
            f"项目{i},预算执行,年度资金总额,全年预算数,100",
            f"项目{i},预算执行,年度资金总额,全年执行数,95",
        ]
    return ("\n".join(rows) + "\n").encode("utf-8")


@pytest.mark.parametrize("output", [None, "json"])
def test_an_upload_of_more_projects_than_a_batch_is_e979(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str | None
) -> None:
    shutil.copytree(ROOT / "rulesets", tmp_path / "served")
    monkeypatch.setattr(jobs, "MAX_BATCH", 3)
    folder = Folder.at(tmp_path / "served")
    request = m.UploadRequest(
        ruleset="shangjie-pension/2020.jx",
        filename="全部.csv",
        data=_long_table(4),
        batch=True,
        output=output,
    )
    with pytest.raises(JixiaoError) as info:
        jobs.score_file(folder, request)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.code, diagnostic.args["count"], diagnostic.args["limit"]) == ("E979", 4, 3)
    assert jobs.STATUS["E979"] == 413
    three = m.UploadRequest(
        ruleset="shangjie-pension/2020.jx", filename="全部.csv", data=_long_table(3), batch=True
    )
    assert jobs.score_file(folder, three).status in (200, 207, 422)  # within the limit: scored


def test_a_bug_in_a_job_is_e982_to_the_client_and_its_traceback_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A defect in a worker left nothing in the server's log (only the client's E982 said something)."""

    def broken(folder: Folder, request: object) -> jobs.Reply:
        raise RuntimeError("a bug")

    monkeypatch.setitem(jobs.JOBS, "check", (jobs.JOBS["check"][0], broken))
    with caplog.at_level("ERROR", logger="jixiao.web"):
        reply = jobs.run_job(Folder.at(tmp_path), "check", {"ruleset": {"name": "a.jx", "text": "x"}})
    assert reply.status == 500 and "E982" in str(reply.body)
    (record,) = [r for r in caplog.records if r.name == "jixiao.web"]
    assert "internal error in check" in record.getMessage() and record.exc_info is not None
    assert "a bug" in caplog.text and "RuntimeError" in caplog.text


def test_a_file_in_a_json_request_is_held_to_the_upload_limit(tmp_path: Path) -> None:
    """The workbench sends uploads as base64 in JSON, whose body limit is larger (30.7 MiB): a 20.5 MiB
    file went through although an uploaded file may be at most 20 MiB."""
    folder = Folder.at(tmp_path)
    at_limit = base64.b64encode(b"a" * actuals.MAX_UPLOAD).decode("ascii")
    assert (
        len(actuals.given(folder, m.ActualsInput(base64=at_limit, filename="a.csv")).data or b"")
        == actuals.MAX_UPLOAD
    )
    for size in (actuals.MAX_UPLOAD + 1, actuals.MAX_UPLOAD + 1024 * 1024):
        over = base64.b64encode(b"a" * size).decode("ascii")
        with pytest.raises(JixiaoError) as info:
            actuals.given(folder, m.ActualsInput(base64=over, filename="a.csv"))
        assert [(d.code, d.args["limit"]) for d in info.value.diagnostics] == [("E970", "20 MiB")]
