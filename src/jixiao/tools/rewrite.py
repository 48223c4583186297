"""Rewriting a file in place without ever losing it (`jixiao fmt`, `jixiao test --update`).

The new text goes to a temporary file in the same folder, is flushed to disk (fsync), gets the
original's mode (and owner, where allowed), and only then replaces the original in one rename. The
file keeps its byte-order mark and its line endings (CRLF stays CRLF). On any failure — a full disk, a
read-only file, a file-size limit — the temporary file is removed, the original is untouched, and the
problem is one diagnostic (E910). A link is followed: the file it points to is rewritten, the link stays.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from jixiao.diagnostics import JixiaoError, Span
from jixiao.source import os_reason

BOM = b"\xef\xbb\xbf"
READ_ONLY = "read-only file"


def encode_like(text: str, original: bytes) -> bytes:
    """`text` (with "\\n" line ends) encoded as the original was: its BOM, and CRLF if it used CRLF."""
    if original.count(b"\r\n") * 2 > original.count(b"\n"):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    return BOM + data if original.startswith(BOM) else data


def rewrite(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file's content with `text` (kept in its BOM and line endings), atomically."""
    shown = str(path)
    target = Path(os.path.realpath(path))
    try:
        original = target.read_bytes()
        info = target.stat()
        if not os.access(target, os.W_OK) or not info.st_mode & 0o222:  # root too respects "read-only"
            raise PermissionError(errno.EACCES, READ_ONLY)
        _replace(target, encode_like(text, original), info)
    except OSError as exc:
        raise JixiaoError.single("E910", Span.of_path(shown), reason=_reason(exc)) from None


def _replace(target: Path, data: bytes, info: os.stat_result) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            with contextlib.suppress(OSError, AttributeError):  # only root may give a file away
                os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles to sync)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("磁盘已满", "the disk is full"),
    errno.EFBIG: ("超过文件大小限制", "the file size limit was reached"),
    errno.EROFS: ("文件系统只读", "the file system is read-only"),
    errno.EDQUOT: ("超过磁盘配额", "the disk quota is exceeded"),
}


def _reason(exc: OSError) -> tuple[str, str]:
    if exc.strerror == READ_ONLY:
        return ("文件是只读的", "the file is read-only")
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return os_reason(exc)
