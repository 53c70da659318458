"""OFD (GB/T 33190), the national fixed-layout format: a zip of XML. Text is read from each page's
``TextObject``/``TextCode`` elements and laid out in lines by position (top to bottom, left to right). A page
with next to no text and an image is a scan: its largest image goes to OCR, as a scanned PDF page does."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..model import Rejected, SourcePage
from ..text import keeps_text_layer, tidy
from .limits import MAX_PAGES, open_zip
from .ofd_res import NS, PARSER, Resources, numbers, resolve, scan

LINE_TOLERANCE = 1.5  # mm: text codes closer than this vertically are on one line


def _xml(archive: zipfile.ZipFile, name: str | None, label: str):
    if name is None:
        raise Rejected(f"「{label}」不是有效的 OFD 文件（路径指向文件之外）", "path escapes the package")
    try:
        data = archive.read(name)
    except KeyError as exc:
        raise Rejected(f"「{label}」不是完整的 OFD 文件（缺少 {name}）", f"missing member {name}") from exc
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise Rejected(f"「{label}」的 OFD 内容已损坏（{name}）", repr(exc)) from exc


def page_text(page) -> str:
    """Lines of a page's Content.xml, ordered by position."""
    pieces: list[tuple[float, float, str]] = []
    for obj in page.iter(f"{NS}TextObject"):
        box = numbers(obj.get("Boundary")) or [0.0, 0.0]
        for code in obj.iter(f"{NS}TextCode"):
            x = (numbers(code.get("X")) or [0.0])[0]
            y = (numbers(code.get("Y")) or [0.0])[0]
            pieces.append((box[1] + y, box[0] + x, code.text or ""))
    pieces.sort()
    lines: list[list[tuple[float, str]]] = []
    last_y = None
    for y, x, text in pieces:
        if last_y is None or abs(y - last_y) > LINE_TOLERANCE:
            lines.append([])
            last_y = y
        lines[-1].append((x, text))
    return tidy("\n".join("".join(t for _, t in sorted(line)) for line in lines))


def _res_files(root, folder: str, tags: tuple[str, ...]) -> list[str | None]:
    """Resource file names referenced by ``root``'s children with these tags, relative to ``folder``."""
    return [resolve(folder, el.text) for tag in tags for el in root.iter(f"{NS}{tag}") if el.text and el.text.strip()]


def read(path: Path) -> Iterator[SourcePage]:
    archive = open_zip(path)
    with archive:
        root = _xml(archive, "OFD.xml", path.name)
        doc_root = root.findtext(f".//{NS}DocRoot")
        if not doc_root:
            raise Rejected(f"「{path.name}」不是有效的 OFD 文件（OFD.xml 中没有 DocRoot）", "no DocRoot")
        doc_name = resolve("", doc_root)
        document = _xml(archive, doc_name, path.name)
        base = posixpath.dirname(doc_name or "")
        locations = [p.get("BaseLoc") for p in document.iter(f"{NS}Page") if p.get("BaseLoc")]
        if not locations:
            raise Rejected(f"「{path.name}」是没有页面的 OFD 文件", "no pages")
        if len(locations) > MAX_PAGES:
            raise Rejected(f"「{path.name}」页数超过 {MAX_PAGES}，已拒收", f"{len(locations)} pages")
        doc_res = _res_files(document, base, ("DocumentRes", "PublicRes"))
        resources = Resources(archive)
        for number, location in enumerate(locations, start=1):
            name = resolve(base, location)
            page = _xml(archive, name, path.name)
            text = page_text(page)
            has_image = next(page.iter(f"{NS}ImageObject"), None) is not None
            if keeps_text_layer(text, has_image) or not has_image:
                yield SourcePage(number, text=text)
                continue
            res_files = _res_files(page, posixpath.dirname(name or ""), ("PageRes",)) + doc_res
            image, notes = scan(archive, resources, page, res_files, path.name)
            note = "；".join(notes) or None
            if image is None:  # nothing usable: the page keeps its little text and is flagged with the reason
                yield SourcePage(number, text=text, note=note)
            else:
                yield SourcePage(number, image=image, note=note)
