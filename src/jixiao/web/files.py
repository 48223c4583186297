"""The served folder for the workbench: list its files, open one, save one back without losing work.

Saving sends the hash of the file as it was opened; if the file on disk has changed since (another
editor, a colleague, a sync tool), nothing is written and the answer is E978 (409): the user's text
stays in the editor. Only .jx, .csv and .test.yaml files inside the folder are written.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from jixiao.diagnostics import JixiaoError
from jixiao.source import read_text
from jixiao.tools.rewrite import encode_like
from jixiao.web import models as m
from jixiao.web.adapter import SAVED, Folder, sha256
from jixiao.web.body import body_problems
from jixiao.web.jobs import invalid
from jixiao.web.requests import JSON_TYPES, read_body

MAX_FILE = 4 * 1024 * 1024


def _json(model: BaseModel, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status, media_type="application/json")


def _folder(request: Request) -> Folder:
    folder: Folder = request.app.state.folder
    return folder


async def listing(request: Request) -> Response:
    folder = _folder(request)
    entries = [m.FileEntry(name=name, kind=kind) for name, kind in folder.files()]  # type: ignore[arg-type]
    writable = not folder.read_only
    return _json(m.FilesResponse(folder=folder.root.name, writable=writable, files=entries))


async def one(request: Request) -> Response:
    """GET opens the file, PUT saves it (one route, so that a 405 names both in Allow)."""
    return await (save(request) if request.method == "PUT" else read(request))


async def read(request: Request) -> Response:
    name = request.path_params["name"]
    text = read_text(_folder(request).path(name))
    return _json(m.FileResponse(name=name, text=text, hash=sha256(text)))


async def save(request: Request) -> Response:
    name = request.path_params["name"]
    folder = _folder(request)
    folder.writable(name)
    folder.path(name, exists=False)  # a hidden or impossible name is E974 whatever its type
    if not name.endswith(SAVED):
        raise _cannot(name, ("文件类型不能保存", "not a file type that is saved"))
    payload = await read_body(request, JSON_TYPES, MAX_FILE)
    strict = body_problems(payload)
    if strict:  # a key given twice ("text"), a number too long
        raise JixiaoError(strict)
    try:
        body = m.SaveRequest.model_validate_json(payload)
    except ValidationError as exc:
        raise JixiaoError(invalid(exc)) from None
    path = folder.path(name, exists=False)
    try:
        _fits(folder, name, path)
        current = sha256(read_text(path)) if path.is_file() else None
        if current != body.base_hash:
            raise JixiaoError.single("E978", None, name=name)
        write_atomic(path, body.text)
    except OSError as exc:  # a name too long for the system, a full disk, no permission
        raise _cannot(name, _why(exc)) from None
    return _json(m.FileResponse(name=name, text=body.text, hash=sha256(body.text)))


def _fits(folder: Folder, name: str, path: Path) -> None:
    """E983 unless `path` can be a file: not a folder, and no file where one of its folders would be."""
    if path.is_dir():
        raise _cannot(name, ("这是一个文件夹", "it is a folder"))
    for parent in path.relative_to(folder.root).parents:
        if (folder.root / parent).exists() and not (folder.root / parent).is_dir():
            shown = parent.as_posix()
            raise _cannot(name, (f"「{shown}」是文件，不是文件夹", f"“{shown}” is a file, not a folder"))


def _why(exc: OSError) -> tuple[str, str]:
    if exc.errno == errno.ENAMETOOLONG:
        return ("名称太长", "the name is too long")
    return (f"无法写入（{exc.strerror}）", f"it cannot be written ({exc.strerror})")


def _cannot(name: str, reason: tuple[str, str]) -> JixiaoError:
    return JixiaoError.single("E983", None, name=name, reason=reason)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it: never a half-written file, and
    on any failure no temporary file left behind. The file keeps its permissions; a new one gets the
    usual ones (0666 less the umask, as an editor's new file), not the temporary file's 0600. It keeps its
    UTF-8 BOM and its CRLF line ends too, as `jixiao fmt` keeps them (`rewrite.encode_like`): the workbench
    edits the text without them (`read_text`), and saving dropped both."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        data = encode_like(text, path.read_bytes())
    except OSError:  # a new file
        mode = 0o666 & ~umask()
        data = text.encode("utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:64]}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@functools.cache
def umask() -> int:
    """The process's umask (read once: setting it to read it back is not safe while threads write)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current
