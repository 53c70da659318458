"""Format readers. :func:`sniff` decides the format from the file's first bytes (the extension only breaks
ties between text formats); each reader yields :class:`~archive_tui.ingest.model.SourcePage` objects."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..model import Rejected, SourcePage
from . import docx, html, image, ofd, pdf, txt

Reader = Callable[[Path], Iterator[SourcePage]]

#: format → (reader, MIME type, is a scan)
FORMATS: dict[str, tuple[Reader, str, bool]] = {
    "png": (image.read, "image/png", True),
    "jpeg": (image.read, "image/jpeg", True),
    "tiff": (image.read, "image/tiff", True),
    "bmp": (image.read, "image/bmp", True),
    "pdf": (pdf.read, "application/pdf", False),
    "docx": (docx.read, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    "ofd": (ofd.read, "application/ofd", False),
    "html": (html.read, "text/html", False),
    "txt": (txt.read, "text/plain", False),
}
TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".htm": "html", ".html": "html", ".xhtml": "html"}
_DIB_SIZES = {12, 40, 52, 56, 64, 108, 124}
SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pdf", ".docx", ".ofd", *TEXT_SUFFIXES}


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    return None


def sniff(path: Path) -> str:
    """The format of ``path``; :class:`Rejected` for empty files and formats the archive does not take."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head:
        raise Rejected(f"「{path.name}」是空文件", "zero bytes")
    suffix = path.suffix.lower()
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _DIB_SIZES:
        return "bmp"
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        if kind:
            return kind
        if suffix in (".docx", ".ofd"):
            raise Rejected(f"「{path.name}」已损坏，无法打开（压缩包结构错误）", "zip without the expected parts")
    elif suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    elif suffix in SUFFIXES:
        raise Rejected(f"「{path.name}」的内容与扩展名「{suffix}」不符，文件可能已损坏", f"unrecognised header {head[:8]!r}")
    raise Rejected(f"「{path.name}」是不支持的文件格式（{suffix or '无扩展名'}）",
                   "supported: PNG JPEG TIFF BMP PDF DOCX OFD TXT HTML")
