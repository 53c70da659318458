"""PDF: the text layer through pypdf; pages without usable text (scans) are rendered by PDFium for OCR."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pypdfium2
from pypdf.errors import PyPdfError

from ..model import Rejected, SourcePage
from ..text import join_cjk, keeps_text_layer, tidy
from .limits import MAX_PAGES, MAX_PIXELS

RENDER_DPI = 300

logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported as rejections, not log noise


def _open(path: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Rejected(f"「{path.name}」是加密的 PDF，需要密码才能打开，已拒收", "encrypted PDF, user password set")
        count = len(reader.pages)
    except Rejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise Rejected(f"「{path.name}」已损坏或不完整，无法读取 PDF", repr(exc)) from exc
    if count == 0:
        raise Rejected(f"「{path.name}」是没有页面的 PDF", "PDF has no pages")
    if count > MAX_PAGES:
        raise Rejected(f"「{path.name}」页数超过 {MAX_PAGES}，已拒收", f"{count} pages")
    return reader


def _layer_text(reader: pypdf.PdfReader, index: int) -> str:
    try:
        return tidy(join_cjk(reader.pages[index].extract_text() or ""))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return ""  # a broken content stream: the page is rendered and read instead


def _has_image(page: pypdf.PageObject) -> bool:
    try:
        resources = page.get("/Resources")
        objects = resources.get_object().get("/XObject") if resources is not None else None
        if objects is None:
            return False
        return any(obj.get_object().get("/Subtype") == "/Image" for obj in objects.get_object().values())
    except (PyPdfError, AttributeError, KeyError, TypeError, ValueError):
        return True  # unreadable resources: render the page rather than lose it


def _render(path: Path, index: int, document: pypdfium2.PdfDocument):
    page = document[index]
    width, height = page.get_size()
    scale = RENDER_DPI / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = math.sqrt(MAX_PIXELS / (width * height))
    image = page.render(scale=scale, grayscale=True).to_pil()
    image.info["dpi"] = (round(scale * 72),) * 2
    return image


def read(path: Path) -> Iterator[SourcePage]:
    reader = _open(path)
    document = None
    try:
        for index in range(len(reader.pages)):
            text = _layer_text(reader, index)
            if keeps_text_layer(text, _has_image(reader.pages[index])):
                yield SourcePage(index + 1, text=text)
                continue
            if document is None:
                try:
                    document = pypdfium2.PdfDocument(path)
                except pypdfium2.PdfiumError as exc:
                    raise Rejected(f"「{path.name}」第 {index + 1} 页无法渲染", repr(exc)) from exc
            yield SourcePage(index + 1, image=_render(path, index, document))
    finally:
        if document is not None:
            document.close()
