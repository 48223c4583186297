"""Golden tests policy staff can write: YAML cases beside a ruleset, run by `jixiao test`.

A test file ``NAME.test.yaml`` sits beside ``NAME.jx`` (or names its ruleset)::

    cases:
      - name: 原表 / the published table
        actuals: 2020.actuals.csv           # a path, relative to this file
        rows:                               # and/or rows given inline; they replace rows of
          - {三级指标: 享受补贴人数, 实际完成值: 1.0万人}   # the file with the same 三级指标
        expect:                             # only what a case names is checked
          total: "99.31"
          grade: 优
          budget: "9.38"
          scores: {预算执行率: "0.93", 资金发放准确率: "/"}   # "/" is 不适用
          findings: [F107]
          errors: [E511]                    # the case must fail with these codes

The file is read with PyYAML's composer so every value keeps its line; all
scalars stay text (``0.93`` is never a float); anchors and aliases are refused (E909). `update`
rewrites the named expectations in place from the current results, keeping comments and layout, and
never leaves an invalid or half-written file (`tools.golden.update`, `tools.rewrite`).
"""

from jixiao.tools.golden.coverage import Coverage, coverage, coverage_text
from jixiao.tools.golden.model import SUFFIXES, Document, TestFile, read_test_file
from jixiao.tools.golden.report import summary
from jixiao.tools.golden.run import CaseResult, FileResult, Mismatch, find_test_files, run_file
from jixiao.tools.golden.update import Skipped, Updated, update_file

__all__ = [
    "SUFFIXES",
    "CaseResult",
    "Coverage",
    "Document",
    "FileResult",
    "Mismatch",
    "Skipped",
    "TestFile",
    "Updated",
    "coverage",
    "coverage_text",
    "find_test_files",
    "read_test_file",
    "run_file",
    "summary",
    "update_file",
]
