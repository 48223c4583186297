"""The files a test file names stay in its folder: a test file is untrusted input (docs/security.md).

`ruleset:` and a case's `actuals:` are relative paths inside the test file's folder (subfolders are
fine): an absolute path, a drive, or a `..` anywhere is refused (E253), and so is a file that is a link
— or lies in a linked folder — leading out of the folder (E254); both at the value in the test file.
The ruleset a test file does not name, `NAME.jx` beside `NAME.test.yaml`, must not lead out either.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from jixiao.diagnostics import JixiaoError, Span
from jixiao.suggest import nearby_file
from jixiao.tools.golden.model import SUFFIXES, Document, Key


def ruleset_path(doc: Document) -> Path:
    """The ruleset a test file tests: the one it names, else NAME.jx beside NAME.test.yaml."""
    if doc.model.ruleset:
        return named_file(doc, ("ruleset",), doc.model.ruleset)
    name = doc.path.name
    for suffix in SUFFIXES:
        name = name.removesuffix(suffix)
    return inside(doc.path.parent, doc.path.parent / f"{name}.jx", doc.span(()), f"{name}.jx")


def actuals_path(doc: Document, index: int, name: str) -> Path:
    """The actual-value file case `index` names."""
    return named_file(doc, ("cases", index, "actuals"), name)


def ruleset_file(doc: Document) -> Path:
    """`ruleset_path`, which must exist: E105 at the line naming it, else at the top of the test file."""
    path = ruleset_path(doc)
    if doc.model.ruleset:
        return existing(path, doc.span(("ruleset",)), doc.model.ruleset)
    return existing(path, doc.span(()), path.name, named=False)


def actuals_file(doc: Document, index: int, name: str) -> Path:
    """`actuals_path`, which must exist: E105 at the line naming it."""
    return existing(actuals_path(doc, index, name), doc.span(("cases", index, "actuals")), name)


def existing(path: Path, span: Span, name: str, named: bool = True) -> Path:
    """`path` unless it does not exist or is a folder: then E105 at `span`, the place in the test file
    that names it (else the reader would report it at `missing.csv:1:1`, not saying who asked for it)."""
    if path.exists() and not path.is_dir():
        return path
    what = (
        ("是文件夹，不是文件", "is a folder, not a file") if path.exists() else ("不存在", "does not exist")
    )
    if named:
        reason = (f"测试文件中写的「{name}」{what[0]}", f"“{name}”, named in the test file, {what[1]}")
        close = nearby_file(path)
        written = PurePosixPath(name.strip().replace("\\", "/"))
        suggestion = written.with_name(PurePosixPath(close).name).as_posix() if close else None
        raise JixiaoError.single("E105", span, suggestion, reason=reason)
    reason = (
        f"测试文件没有写 ruleset:，测试的是同名的「{name}」，它{what[0]}",
        f"the test file names no ruleset:, so it tests “{name}” beside it, which {what[1]}",
    )
    raise JixiaoError.single("E105", span, reason=reason)


def named_file(doc: Document, key: Key, name: str) -> Path:
    """The file a test file names at `key`, inside the test file's folder (E253, E254)."""
    span = doc.span(key)
    written = name.strip().replace("\\", "/")
    windows = PureWindowsPath(name)
    parts = PurePosixPath(written).parts
    if not written or written.startswith("/") or windows.drive or windows.root or ".." in parts:
        raise JixiaoError.single("E253", span, name=name)
    return inside(doc.path.parent, doc.path.parent / written, span, name)


def inside(folder: Path, target: Path, span: Span, name: str) -> Path:
    """`target` if it (links followed) stays in `folder`, else E254 at `span`."""
    if not target.resolve().is_relative_to(folder.resolve()):
        raise JixiaoError.single("E254", span, name=name)
    return target
