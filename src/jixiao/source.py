"""Reading input files as text: encodings, BOMs and binary files become diagnostics."""

from __future__ import annotations

import errno
from pathlib import Path

from jixiao.diagnostics import JixiaoError, Span


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file (a BOM is allowed); anything else is a positioned error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise JixiaoError.single("E105", Span(name, 1, 1), reason=os_reason(exc)) from None
    return decode(data, name)


_ERRNO_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("文件不存在", "no such file"),
    errno.EACCES: ("没有读取权限", "permission denied"),
    errno.EISDIR: ("这是文件夹，不是文件", "it is a folder, not a file"),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """Why a file could not be read, in Chinese and English."""
    if exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    text = exc.strerror or str(exc)
    return (text, text)


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise JixiaoError.single(
            "E105", Span(name, 1, 1), reason=("这是二进制文件，不是文本", "a binary file, not text")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise JixiaoError.single("E106", Span(name, line, column), guess=_guess(data)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess(data: bytes) -> tuple[str, str]:
    for encoding in ("gb18030", "big5"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return (f"可能是 {encoding.upper()}", f"looks like {encoding.upper()}")
    return ("编码无法识别", "unknown encoding")
