"""Encoding detection on the files staff actually send: jixiao's strict cascade against charset-normalizer.

Run: python benchmarks/bench_encodings.py   (charset-normalizer is not a dependency: pip install it first)

Each sample is the seed's actual values (or a part of it) saved the way Excel/WPS save it; the table
prints which encoding each method picks, whether the decoded text is right, and the time per file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from jixiao.source import decode_table

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "shangjie-pension" / "2020.actuals.csv"
TRADITIONAL = "一級指標,二級指標,三級指標,實際完成值\n預算執行,年度資金總額,全年預算數,970.00\n"


def samples() -> dict[str, tuple[bytes, str]]:
    text = SEED.read_text(encoding="utf-8")
    short = "\n".join(text.splitlines()[:2]) + "\n"
    tabbed = text.replace(",", "\t")
    damaged = text.encode("utf-8")
    damaged = damaged[:200] + b"\xff" + damaged[201:]
    return {
        "UTF-8": (text.encode("utf-8"), text),
        "UTF-8 BOM": (text.encode("utf-8-sig"), text),
        "GB18030 (Excel CSV)": (text.encode("gb18030"), text),
        "GBK, header + 1 row": (short.encode("gbk"), short),
        "GBK, 2 short rows": ("名称,值\n满意度,95%\n".encode("gbk"), "名称,值\n满意度,95%\n"),
        "UTF-16 tab (Unicode 文本)": (tabbed.encode("utf-16"), tabbed),
        "Big5 (traditional)": (TRADITIONAL.encode("big5"), TRADITIONAL),
        "UTF-8, one damaged byte": (damaged, ""),
    }


def cascade(data: bytes) -> str:
    try:
        return decode_table(data, "x").text
    except Exception as exc:
        return f"<refused: {type(exc).__name__}>"


def normalizer(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return "<none>" if best is None else str(best).replace("\r\n", "\n").removeprefix("\ufeff")


def measure(method: Callable[[bytes], str], data: bytes) -> tuple[str, float]:
    start = time.perf_counter()
    for _ in range(20):
        out = method(data)
    return out, (time.perf_counter() - start) / 20 * 1000


def main() -> None:
    print(f"{'sample':28} {'cascade':>10} {'ms':>7}   {'charset-normalizer':>18} {'ms':>7}")
    for label, (data, expected) in samples().items():
        row = [f"{label:28}"]
        for method in (cascade, normalizer):
            out, ms = measure(method, data)
            verdict = "right" if out == expected else ("refused" if out.startswith("<") else "WRONG")
            if not expected:
                verdict = "refused" if out.startswith("<") else "mojibake"
            row.append(f"{verdict:>10} {ms:7.2f}" if method is cascade else f"{verdict:>18} {ms:7.2f}")
        print("   ".join(row))


if __name__ == "__main__":
    main()
