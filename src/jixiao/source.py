"""Reading input files: regular files only, a size limit, encodings detected; problems are diagnostics.

Rulesets are UTF-8 (a BOM is allowed): `jixiao fmt` rewrites them, so they keep one encoding.
Actual-value files come from Excel and WPS and are decoded by `decode_table`: UTF-8 (with or
without BOM), UTF-16 with a BOM ("Unicode 文本"), GB18030 (which includes GBK and GB2312: what
"CSV（逗号分隔）" is on Chinese Windows) and Big5, tried in that order with strict decoding; a
GB18030 reading must also look like Chinese text (see `_plausible_gb`). docs/files.md explains why
this cascade and not a detection library.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from jixiao.diagnostics import JixiaoError, Span, file_span
from jixiao.suggest import nearby_file

MAX_INPUT_BYTES = 64 * 1024 * 1024  # a larger ruleset or actual-value file is refused (E121)
_CHUNK = 1024 * 1024


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file (a BOM is allowed); anything else is a positioned error."""
    name = str(path)
    return decode(read_bytes(path), name)


def read_bytes(path: str | Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` of them; never waits on a FIFO or a device."""
    name = str(path)
    if "\x00" in name:  # no file system has such a name (os.open would raise ValueError)
        shown = name.replace("\x00", "\\x00")[:_SHOWN_NAME]
        raise JixiaoError.single("E105", Span.of_path(shown), reason=_NUL_IN_NAME)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if "\n" in name or exc.errno == errno.ENAMETOOLONG:  # text given where a path goes (an API caller)
            shown = name.splitlines()[0][:_SHOWN_NAME] + "…"
            reason = _CONTENT_NOT_PATH if "\n" in name else os_reason(exc)
            raise JixiaoError.single("E105", Span.of_path(shown), reason=reason) from None
        close = nearby_file(Path(path)) if exc.errno == errno.ENOENT else None  # did you mean …
        raise JixiaoError.single("E105", Span.of_path(name), close, reason=os_reason(exc)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # checked before fdopen, which refuses a folder with its own exception
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise JixiaoError.single("E105", Span.of_path(name), reason=_ERRNO_REASONS[errno.EISDIR])
        raise JixiaoError.single("E122", Span.of_path(name), kind=_kind(mode))
    with os.fdopen(fd, "rb") as handle:
        return _read_limited(handle, name, limit)


def _read_limited(handle: object, name: str, limit: int) -> bytes:
    """Read in chunks so that a file growing while it is read cannot exceed the limit either."""
    chunks: list[bytes] = []
    size = 0
    read = getattr(handle, "read")  # noqa: B009 - a binary file object of any kind
    while chunk := read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large(name, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(name: str, limit: int) -> JixiaoError:
    return JixiaoError.single("E121", Span.of_path(name), limit=f"{limit // (1024 * 1024)} MiB")


def _kind(mode: int) -> tuple[str, str]:
    if stat.S_ISFIFO(mode):
        return ("管道（FIFO）", "a pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return ("套接字", "a socket")
    return ("设备", "a device")


_SHOWN_NAME = 60  # characters of a content given as a path that name it in the message
_CONTENT_NOT_PATH = (
    "这像是文件的内容，不是路径；在程序中读文字请用 text=，如 load_actuals(text=…)、load_ruleset(text=…)",
    "this looks like a file's content, not a path; to read text in a program pass text=, e.g. "
    "load_actuals(text=…), load_ruleset(text=…)",
)
_NUL_IN_NAME = (
    "文件名中有 NUL 字符（\\x00）：没有这样的文件",
    "the file name holds a NUL character (\\x00): no such file",
)
_ERRNO_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("文件不存在", "no such file"),
    errno.ENAMETOOLONG: ("文件名太长", "file name too long"),
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
    """A ruleset's text: UTF-8, a BOM allowed, no NUL byte anywhere."""
    refuse_nul(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _place(data, exc.start)
        raise JixiaoError.single("E106", file_span(name, line, column), guess=_guess(data)) from None
    return _newlines(text)


def refuse_nul(data: bytes, name: str) -> None:
    """A NUL byte anywhere makes a file binary, not text (E105 at the first one)."""
    at = data.find(b"\x00")
    if at >= 0:
        line, column = _place(data, at)
        reason = ("这是二进制文件，而这里要的是文本文件", "a binary file where a text file is needed")
        raise JixiaoError.single("E105", file_span(name, line, column), reason=reason)


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """The line and the column (in characters, as an editor counts them, not bytes) of a byte offset
    in a file read as UTF-8."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    before = data[start:offset].decode("utf-8", errors="replace")  # valid UTF-8 up to a decoding error
    return line, len(before.removeprefix("\ufeff") if start == 0 else before) + 1


def _byte_place(data: bytes, offset: int) -> tuple[int, int]:
    """The line and the column in bytes (E126: the bytes of an encoding forced on the file)."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _guess(data: bytes) -> tuple[str, str]:
    found = _detect(data)
    if found is None or found == "utf-8":
        return ("编码无法识别", "unknown encoding")
    label = found.upper()
    return (f"可能是 {label}", f"looks like {label}")


# -- actual-value files: encodings detected -----------------------------------------------------------
class Decoded(NamedTuple):  # a tuple: one made per file read, cheaper than a frozen dataclass
    text: str  # newlines made "\n", BOM removed
    encoding: str  # what was used: "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", or the one forced


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_table(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Decode a text table: `encoding` if given, else detected (see the module's docstring)."""
    if encoding is not None:
        return _forced(data, name, encoding)
    found = _detected(data)
    if found is None:
        _refuse_stray_nul(data, name)  # a text table with a NUL byte here and there: E131 at the first
        refuse_nul(data, name)
        raise _not_utf8(data, name)
    encoding, text = found
    if b"\x00" in data:  # a NUL character decodes from a NUL byte in each of these encodings
        _refuse_nul_char(text, name)
    return Decoded(_newlines(text.removeprefix("\ufeff")), encoding)


def _not_utf8(data: bytes, name: str) -> JixiaoError:
    try:
        data.decode("utf-8")
        line, column = 1, 1
    except UnicodeDecodeError as exc:
        line, column = _place(data, exc.start)
    mixed = _mixed(data)
    if mixed is not None:  # rows pasted from a file in another encoding: "re-save as UTF-8" cannot help
        first, first_line, then, at = mixed
        span = file_span(name, at, 1)
        return JixiaoError.single("E132", span, first=first, first_line=first_line, then=then, line=at)
    return JixiaoError.single("E106", file_span(name, line, column), guess=_guess(data))


def _mixed(data: bytes) -> tuple[str, int, str, int] | None:
    """(the first encoding, a line in it, the other one, the line where it starts) when the lines of
    `data` that are not ASCII each read as UTF-8 or as GBK (GB18030, plausibly Chinese) and both occur;
    None when some line reads as neither, or all as one."""
    first: tuple[str, int] | None = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        kind = _line_encoding(line)
        if kind is None:
            return None
        if first is None:
            first = (kind, number)
        elif kind != first[0]:
            return first[0], first[1], kind, number
    return None


def _line_encoding(line: bytes) -> str | None:
    if _decoded(line, "utf-8") is not None:
        return "UTF-8"
    text = _decoded(line, "gb18030")
    return "GBK" if text is not None and _plausible_gb(text) else None


_HEAD = 65536  # bytes looked at for control bytes besides NUL
MAX_STRAY_NULS = 16  # NUL bytes in a file that is text otherwise: each a character to delete (E131)


def _refuse_stray_nul(data: bytes, name: str) -> None:
    """E131 at the first NUL byte of a file that is a text table without its few NULs, or without the
    NULs it ends with (a binary file has many, or is no text without them: E105, then E989)."""
    count = data.count(b"\x00")
    padded = count > 0 and b"\x00" not in data.rstrip(b"\x00")  # a save cut short: NULs to the end
    if not (0 < count <= MAX_STRAY_NULS or padded):
        return
    rest = data.replace(b"\x00", b"")
    if not rest.strip() or any(byte < 32 and byte not in b"\t\n\x0c\r" for byte in rest[:_HEAD]):
        return  # other control bytes: binary data
    found = _detected(rest)
    if found is None:
        return
    at = data.find(b"\x00")  # a NUL is never part of a UTF-8, GB18030 or Big5 character
    _refuse_nul_char(data[: at + 1].decode(found[0]), name, count)


def _refuse_nul_char(text: str, name: str, count: int | None = None) -> None:
    """E131 at the first NUL character of a decoded table (UTF-16 or a forced encoding: NUL bytes there
    are parts of characters; a NUL character is not text)."""
    at = text.find("\x00")
    if at >= 0:
        start = text.rfind("\n", 0, at) + 1
        line = text.count("\n", 0, at) + 1
        column = len(text[start:at].removeprefix("\ufeff") if start == 0 else text[start:at]) + 1
        nuls = text.count("\x00") if count is None else count
        raise JixiaoError.single("E131", file_span(name, line, column), count=nuls)


def _detect(data: bytes) -> str | None:
    """The encoding that decodes `data` strictly and plausibly, or None."""
    found = _detected(data)
    return None if found is None else found[0]


def _detected(data: bytes) -> tuple[str, str] | None:
    """`_detect`'s encoding and the text it decodes (each decoding tried once), or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decoded(data, encoding)
            return None if text is None else (encoding, text)
    if b"\x00" in data:  # UTF-16 without a BOM has NULs (`_bomless_utf16`); other text refuses them
        return _bomless_utf16(data)
    for encoding in ("utf-8", "gb18030", "big5"):
        text = _decoded(data, encoding)
        if text is not None and (encoding != "gb18030" or _plausible_gb(text)):
            return encoding, text
    return None


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM (every ASCII character leaves a NUL on one side of each byte pair): its
    encoding and the text it decodes, or None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for nuls, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        # ASCII characters (commas, digits, line breaks) leave NULs on one side; 一 (U+4E00) on the other
        if nuls >= 8 * other and nuls * 8 >= len(data) // 2:
            text = _decoded(data, encoding)
            if text is not None:
                return encoding, text
    return None


_COMMON_SHARE = 0.9


def _plausible_gb(text: str) -> bool:
    """Chinese text read as GB18030 is almost all GB2312 characters; UTF-8 or Big5 bytes read so are not.

    A UTF-8 file with one damaged byte, or a Big5 file, decodes as GB18030 too, but into rare
    characters: refusing it keeps mojibake out of the scores and out of error messages. The first
    100,000 non-ASCII characters decide.
    """
    wide = "".join(c for c in text[:_SAMPLE] if ord(c) > 0x7F)
    if not wide:
        return True
    encoded = wide.encode("gb2312", errors="replace")  # 2 bytes a GB2312 character, "?" for the others
    rare = encoded.count(b"?")
    return (len(encoded) - rare) // 2 >= _COMMON_SHARE * len(wide)


_SAMPLE = 200_000


def _forced(data: bytes, name: str, encoding: str) -> Decoded:
    codec = _text_codec(encoding, name)
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line, column = _byte_place(data, exc.start)
        problem = (
            f"第{line}行第{column}列的字节无法按此编码读取",
            f"a byte on line {line}, column {column} is not valid",
        )
        raise JixiaoError.single(
            "E126", file_span(name, line, column), encoding=encoding, problem=problem
        ) from None
    except UnicodeError:  # `undefined` refuses every byte, without saying where
        raise JixiaoError.single("E126", Span(name, 1, 1), encoding=encoding, problem=_UNREADABLE) from None
    _refuse_nul_char(text, name)
    return Decoded(_newlines(text.removeprefix("\ufeff")), codec)


def _text_codec(encoding: str, name: str) -> str:
    """The codec `encoding` names, if it decodes bytes to text: rot13, base64, hex, zip … are E126 too."""
    try:
        info: codecs.CodecInfo | None = codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL or a lone surrogate in the name
        info = None
    if info is None or not info._is_text_encoding:
        problem = _UNKNOWN if info is None else _NOT_TEXT
        raise JixiaoError.single("E126", Span(name, 1, 1), encoding=encoding, problem=problem)
    return info.name


_UNKNOWN = ("没有这种编码", "no such encoding")
_NOT_TEXT = ("这不是文字的编码", "not a text encoding")
_UNREADABLE = ("这种编码读不出任何文字", "this encoding reads no text")
