"""The print-ready PDF of a record (or some of its pages), every page A4 and marked.

Each stored page is printed from the best source the archive holds:
- a page of a PDF original is placed as vectors (pypdf page merge; nothing is rasterised);
- a scanned page comes from its stored image, embedded at its own pixel resolution by img2pdf (JPEG and PNG
  data are copied, not re-encoded) and scaled to fit the A4 content area;
- pages of DOCX/TXT/HTML/OFD records are typeset from the stored page text in the embedded CJK font.
The marks document (:mod:`.marks`) is the base; original pages and images are merged *under* it, so the marks
and the 已废止 watermark lie on top of the content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import img2pdf
from fpdf.enums import XPos, YPos
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError

from ..errors import InvalidInput
from . import fonts
from .marks import CONTENT_BOX, MARK_TEXT, CoverSheet, MarkedPdf, Stamp

MM = 72 / 25.4
PDF_MIMES = {"application/pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".jp2"}
#: Formats img2pdf embeds as they are; anything else is converted by Pillow first.
PASSTHROUGH = {".png", ".jpg", ".jpeg", ".jp2"}


@dataclass(frozen=True)
class PageSource:
    """Where one stored page of a record is printed from."""

    page_no: int
    kind: str  # "pdf" | "image" | "text"
    path: Path | None = None
    file_page: int = 1
    text: str = ""


def page_sources(pages: list[dict], files: list[dict], file_path) -> list[PageSource]:
    """Decide the source of each stored page (``pages``/``files`` rows; ``file_path(rel)`` → Path)."""
    by_id = {f["id"]: f for f in files}
    out: list[PageSource] = []
    for page in pages:
        file = by_id.get(page.get("file_id"))
        stored = file_path(file["stored_path"]) if file else None
        suffix = stored.suffix.lower() if stored else ""
        mime = (file or {}).get("mime") or ""
        file_page = page.get("file_page") or 1
        if stored and (mime in PDF_MIMES or suffix == ".pdf"):
            out.append(PageSource(page["page_no"], "pdf", stored, file_page))
        elif page.get("image_path"):  # a scanned page (image file, or an OFD/DOCX page that was OCR'd)
            out.append(PageSource(page["page_no"], "image", file_path(page["image_path"])))
        elif stored and (mime.startswith("image/") or suffix in IMAGE_SUFFIXES):
            out.append(PageSource(page["page_no"], "image", stored, file_page))
        else:
            out.append(PageSource(page["page_no"], "text", text=page.get("text") or ""))
    return out


def compose(sources: list[PageSource], stamp: Stamp, cover: CoverSheet | None = None,
            font_setting: str | None = None) -> bytes:
    """The finished PDF: optional cover sheet, then one (or, for long texts, more) A4 page per source."""
    font = fonts.font_for(_all_text(sources, stamp, cover), font_setting)
    doc, placed = _marks_document(sources, stamp, cover, font)
    if any(f.missing_glyphs for f in doc.fonts.values()):  # the common subset lacked a character after all
        doc, placed = _marks_document(sources, stamp, cover, fonts.cjk_font(font_setting))
    writer = PdfWriter(clone_from=io.BytesIO(bytes(doc.output())))
    readers: dict[Path, PdfReader] = {}
    for index, source in placed:
        content = _pdf_page(source, readers) if source.kind == "pdf" else _image_page(source)
        target = writer.pages[index]
        target.merge_transformed_page(content, _fit_into_box(content), over=False)
        target.compress_content_streams()
    writer.add_metadata({"/Title": stamp.title, "/Subject": stamp.header, "/Producer": "archive_tui"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _marks_document(sources: list[PageSource], stamp: Stamp, cover: CoverSheet | None,
                    font: Path) -> tuple[MarkedPdf, list[tuple[int, PageSource]]]:
    """The fpdf2 document with all marks and typeset text; and which of its pages get a PDF page or image."""
    doc = MarkedPdf(stamp, font)
    if cover is not None:
        doc.cover(cover)
    placed: list[tuple[int, PageSource]] = []
    for source in sources:
        doc.start_page(f"第 {source.page_no} / {stamp.total_pages} 页")
        if source.kind == "text":
            _typeset(doc, source.text)
        else:
            placed.append((doc.page - 1, source))
    return doc, placed


def _all_text(sources: list[PageSource], stamp: Stamp, cover: CoverSheet | None) -> str:
    parts = [MARK_TEXT, *(str(v) for v in vars(stamp).values() if v), *(s.text for s in sources)]
    if cover is not None:
        parts += [f"{label}{value}" for label, value in cover.rows]
    return "".join(parts)


#: Characters that must not begin a line (Chinese typesetting rule 避头点): they pull the previous one down.
NO_LINE_START = set("，。、；：？！）》」』】〕〉’”…—·%,.;:?!)]}")


def _typeset(doc: MarkedPdf, text: str) -> None:
    body = [line.rstrip() for line in text.strip("\n").splitlines()]
    if not any(body):
        doc.set_text_color(120, 120, 120)
        doc.cell(0, 8, "（本页没有文字内容）")
        doc.set_text_color(0, 0, 0)
        return
    doc.set_font(size=11.5)
    width = doc.w - doc.l_margin - doc.r_margin
    for paragraph in body:
        for line in _wrap(doc, paragraph, width) if paragraph else [""]:
            doc.cell(0, 6.8, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _wrap(doc: MarkedPdf, paragraph: str, width: float) -> list[str]:
    """Break a paragraph into lines that fit ``width``; closing punctuation never starts a line."""
    lines: list[str] = []
    line, used = "", 0.0
    for char in paragraph:
        char_width = doc.get_string_width(char)
        if line and used + char_width > width:
            if char in NO_LINE_START and len(line) > 1:
                lines.append(line[:-1])
                line = line[-1]
            else:
                lines.append(line)
                line = ""
            used = doc.get_string_width(line)
        line += char
        used += char_width
    lines.append(line)
    return lines


def _pdf_page(source: PageSource, readers: dict[Path, PdfReader]) -> PageObject:
    assert source.path is not None
    try:
        if source.path not in readers:
            readers[source.path] = PdfReader(source.path)
        reader = readers[source.path]
        if reader.is_encrypted:
            reader.decrypt("")
        page = reader.pages[source.file_page - 1]
    except (PdfReadError, IndexError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"第 {source.page_no} 页的 PDF 原件无法读取，不能打印", f"{source.path} page {source.file_page}: {exc!r}"
        ) from exc
    if page.get("/Rotate"):
        page.transfer_rotation_to_content()
    return page


def _image_page(source: PageSource) -> PageObject:
    assert source.path is not None
    try:
        if source.path.suffix.lower() in PASSTHROUGH and source.file_page == 1:
            try:
                data = img2pdf.convert(str(source.path), rotation=img2pdf.Rotation.none)
            except Exception:  # img2pdf refuses some valid images (alpha, 16-bit…): Pillow converts them
                data = img2pdf.convert(_as_png(source.path, 1), rotation=img2pdf.Rotation.none)
        else:
            data = img2pdf.convert(_as_png(source.path, source.file_page), rotation=img2pdf.Rotation.none)
    except (OSError, img2pdf.ImageOpenError, ValueError) as exc:
        raise InvalidInput(
            f"第 {source.page_no} 页的扫描图像无法读取，不能打印", f"{source.path}: {exc!r}"
        ) from exc
    return PdfReader(io.BytesIO(data)).pages[0]


def _as_png(path: Path, frame: int) -> bytes:
    """One frame of any image Pillow reads, as a PNG without alpha (img2pdf refuses transparency)."""
    with Image.open(path) as image:
        image.seek(frame - 1)
        if image.mode not in ("1", "L", "RGB"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _fit_into_box(page: PageObject) -> Transformation:
    """Scale ``page`` (its crop box) to fit the content area of an A4 page, centred."""
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    if width <= 0 or height <= 0:
        raise InvalidInput("原件页面尺寸为零，不能打印", f"empty page box {box}")
    left, top, box_w, box_h = (v * MM for v in CONTENT_BOX)
    bottom = 297 * MM - top - box_h
    scale = min(box_w / width, box_h / height)
    tx = left + (box_w - width * scale) / 2 - float(box.left) * scale
    ty = bottom + (box_h - height * scale) / 2 - float(box.bottom) * scale
    return Transformation().scale(scale, scale).translate(tx, ty)
