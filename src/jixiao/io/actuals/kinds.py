"""Files that are not tables: say what a file is (a PNG image, a PDF, a Word document) instead of how it
fails to decode as text.

Staff upload what is at hand: a photo or a scan of the printed 自评表, the PDF the bureau published, the
Word report, a renamed or half-downloaded workbook. Read as text, each used to give "not UTF-8" (E106)
or "binary file" (E105), which sends them to fix an encoding they never chose. Here the file's first
bytes name what it is (E987); bytes that are neither a table nor text are E988 when the name promises a
workbook, else E989. Each says what to upload instead.
"""

from __future__ import annotations

from pathlib import PurePath

from jixiao.diagnostics import Diagnostic, JixiaoError, file_span

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old Excel (.xls) or WPS (.et) file
ZIP_MAGIC = b"PK\x03\x04"  # a workbook (.xlsx), or any other zip archive

# the first bytes of the files people upload instead of a table, and what to call them
SIGNATURES: tuple[tuple[bytes, tuple[str, str]], ...] = (
    (b"\x89PNG\r\n\x1a\n", ("PNG 图片", "a PNG image")),
    (b"\xff\xd8\xff", ("JPEG 图片（照片或扫描件）", "a JPEG image (a photo or a scan)")),
    (b"GIF87a", ("GIF 图片", "a GIF image")),
    (b"GIF89a", ("GIF 图片", "a GIF image")),
    (b"II*\x00", ("TIFF 图片（扫描件）", "a TIFF image (a scan)")),
    (b"MM\x00*", ("TIFF 图片（扫描件）", "a TIFF image (a scan)")),
    (b"%PDF-", ("PDF 文档", "a PDF document")),
    (b"{\\rtf", ("RTF 文档", "an RTF document")),
    (b"Rar!\x1a\x07", ("RAR 压缩包", "a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", ("7z 压缩包", "a 7z archive")),
    (b"\x1f\x8b", ("gzip 压缩包", "a gzip archive")),
)
# a ZIP file by what it holds (a workbook holds xl/workbook.xml and is read; OpenDocument is E123)
ZIP_KINDS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("word/", ("Word 文档（.docx）", "a Word document (.docx)")),
    ("ppt/", ("PowerPoint 演示文稿（.pptx）", "a PowerPoint presentation (.pptx)")),
)
ZIP_ARCHIVE = ("ZIP 压缩包", "a ZIP archive")
_MAGICS = tuple(magic for magic, _ in SIGNATURES)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")
CONTROL_SHARE = 0.1  # more control bytes than this in the first 4 KiB: binary data, not text in any encoding


def refuse_known_kind(data: bytes, name: str) -> None:
    """E987 when the first bytes say the file is an image, a document or an archive."""
    kind = None
    if data.startswith(_MAGICS):  # one look for all of them: most files are none
        kind = next(kind for magic, kind in SIGNATURES if data.startswith(magic))
    if kind is None and data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00" and len(data) > 26:
        kind = ("BMP 图片", "a BMP image")  # the reserved bytes of a bitmap header are zero
    if kind is not None:
        raise not_a_table(name, kind)


def zip_kind(names: list[str]) -> tuple[str, str] | None:
    """What a ZIP file that is not a workbook holds, or None for OpenDocument (mimetype first)."""
    if "mimetype" in names or "content.xml" in names:
        return None
    return next((kind for prefix, kind in ZIP_KINDS if any(n.startswith(prefix) for n in names)), ZIP_ARCHIVE)


def empty(name: str, data: bytes) -> JixiaoError:
    """A file with nothing in it: E528 for 0 bytes (whatever its name) or blank text; blank text named as a
    workbook is E988 (not a workbook, nor cut short to nothing)."""
    workbook = _not_a_workbook(name) if data else None
    return workbook or JixiaoError([Diagnostic("E528", file_span(name))])


def _not_a_workbook(name: str) -> JixiaoError | None:
    """E988 for a file named as a workbook (that turned out not to be one), else None."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        return None
    return JixiaoError([Diagnostic("E988", file_span(name), {"suffix": suffix})])


def not_a_table(name: str, kind: tuple[str, str]) -> JixiaoError:
    return JixiaoError([Diagnostic("E987", file_span(name), {"kind": kind})])


def binary(data: bytes) -> bool:
    """Bytes no text table is made of: NUL or many control bytes (UTF-16 text was decoded before this)."""
    head = data[:4096]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return b"\x00" in head or controls > CONTROL_SHARE * max(len(head), 1)


def not_text(data: bytes, name: str, failure: JixiaoError, forced: bool = False) -> JixiaoError:
    """Why bytes that failed to decode as text (`failure`, E106) are not read: E988 when the name promises
    a workbook (it is not one, and no encoding reads it as text: a damaged or cut-short workbook, not an
    encoding to fix) unless an encoding was `forced`; E989 for other binary data; else `failure` itself."""
    workbook = None if forced else _not_a_workbook(name)
    if workbook is not None:
        return workbook
    if not binary(data) or any(d.code == "E131" for d in failure.diagnostics):  # text with a stray NUL
        return failure
    return JixiaoError([Diagnostic("E989", file_span(name))])
