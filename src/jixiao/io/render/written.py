"""Writing an output file: E950 when it cannot be written (with the likely cause in the user's terms), and
E951 when it would replace a file the command reads (`score --output`, `audit --output`, `import`,
`diff --chart`). Both point at the file without showing a line of it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from jixiao.diagnostics import JixiaoError, Span


def identities(paths: Iterable[Path]) -> dict[tuple[int, int], Path]:
    """The files that exist among `paths`, by device and inode (a link or a name in another case on a
    case-insensitive disk is the same file), for `spare`."""
    return {key: path for path in paths if (key := _identity(path)) is not None}


def spare(path: Path, inputs: Mapping[tuple[int, int], Path], option: str = "--output") -> None:
    """E951 when writing `path` would replace one of the files a command reads (`identities`): a result
    never overwrites the table it was made from; the help names `option`, which chose the file."""
    key = _identity(path) if inputs else None
    read = inputs.get(key) if key is not None else None
    if read is not None:
        raise JixiaoError.single("E951", _output(path), input=str(read), option=option)


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file `path` is (device, inode), or None when there is none."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)


def attempt(path: Path, action: Callable[[], object], option: str = "--output") -> None:
    """Do a file operation; a failure is E950 at `path`, with the likely cause in the user's terms
    (every writer of files: score, audit, import, diff); the help names `option`, which chose the file."""
    try:
        action()
    except OSError as exc:
        raise JixiaoError.single("E950", _output(path), reason=_reason(exc), option=option) from None


def _output(path: Path) -> Span:
    """Where a message about an output file points: the path as a whole, with no line of it named or shown
    (it may be a folder, an existing workbook, or the actual-value file E951 spares)."""
    return Span.of_path(str(path))


def _reason(exc: OSError) -> tuple[str, str]:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            "没有写入权限，或文件正被其他程序（如 Excel、WPS）打开",
            "permission denied, or the file is open (Excel, WPS)",
        )
    if exc.errno == errno.ENOSPC:
        return ("磁盘空间不足", "no space left on the disk")
    if exc.errno == errno.EROFS:
        return ("文件系统是只读的", "the file system is read-only")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return ("路径中有一个同名的文件挡住了文件夹", "a file stands where a folder is needed")
    if exc.errno == errno.ENAMETOOLONG:
        return (
            "文件名或路径太长：换一个短一些的输出文件夹",
            "the file name or path is too long: choose a shorter folder",
        )
    if exc.errno == errno.ENOENT:
        return ("文件夹不存在", "the folder does not exist")
    if exc.errno == errno.EISDIR:
        return ("有一个同名的文件夹挡住了这个文件", "a folder stands where the file is to be written")
    text = exc.strerror or type(exc).__name__
    return (text, text)
