"""Reading input files as text: encodings, BOMs and binary files become diagnostics."""

from __future__ import annotations

from pathlib import Path

from jixiao.diagnostics import JixiaoError, Span


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file (a BOM is allowed); anything else is a positioned error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise JixiaoError.single("E105", Span(name, 1, 1), reason=exc.strerror or str(exc)) from None
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise JixiaoError.single("E105", Span(name, 1, 1), reason="binary file / 二进制文件")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise JixiaoError.single("E106", Span(name, line, column), guess=_guess(data)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess(data: bytes) -> str:
    for encoding in ("gb18030", "big5"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return f"可能是 {encoding.upper()} / looks like {encoding.upper()}"
    return "未知编码 / unknown encoding"
