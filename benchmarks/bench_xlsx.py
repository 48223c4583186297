"""Reading workbooks: openpyxl (normal and read-only) against python-calamine, on this project's workloads.

Run: python benchmarks/bench_xlsx.py   (python-calamine is not a dependency: pip install it to compare)

Workloads: one sheet of 10,000 indicator rows, and a workbook of 200 projects (a sheet each, 27 rows).
Besides the time, the table says whether the reader keeps what scoring needs: number formats (a
percentage cell 0.9376 shown as 93.76%) and merged cells (the official layout's level cells).
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROW = ["产出指标", "数量指标", "享受补贴人数", 0.9376, "偏差原因"]


def one_sheet(rows: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("实际值")
    sheet.append(["一级指标", "二级指标", "三级指标", "实际完成值", "偏差原因分析及改进措施"])
    for number in range(rows):
        sheet.append([*ROW[:2], f"指标{number}", *ROW[3:]])
    return _save(book)


def many_sheets(count: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    for number in range(count):
        sheet = book.create_sheet(f"项目{number}")
        sheet.append(["一级指标", "二级指标", "三级指标", "实际完成值", "偏差原因分析及改进措施"])
        for row in range(27):
            sheet.append([*ROW[:2], f"指标{row}", *ROW[3:]])
    return _save(book)


def _save(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def openpyxl_normal(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return sum(
        1 for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.number_format
    )


def openpyxl_read_only(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    count = sum(
        1 for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.number_format
    )
    book.close()
    return count


def calamine(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        Path(handle.name).write_bytes(data)
        book = CalamineWorkbook.from_path(handle.name)
        return sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())


def measure(method: Callable[[bytes], int], data: bytes) -> float:
    start = time.perf_counter()
    method(data)
    return time.perf_counter() - start


def main() -> None:
    workloads = {"10,000 rows": one_sheet(10_000), "200 sheets": many_sheets(200)}
    methods = {
        "openpyxl": (openpyxl_normal, "yes", "yes"),
        "openpyxl read_only": (openpyxl_read_only, "yes", "no"),
        "python-calamine": (calamine, "no", "yes"),
    }
    print(f"{'reader':20} {'formats':>8} {'merges':>7} " + " ".join(f"{w:>12}" for w in workloads))
    for name, (method, formats, merges) in methods.items():
        times = " ".join(f"{measure(method, data):11.2f}s" for data in workloads.values())
        print(f"{name:20} {formats:>8} {merges:>7} {times}")


if __name__ == "__main__":
    main()
