"""OFD (GB/T 33190), the national fixed-layout format: a zip of XML. Text is read from each page's
``TextObject``/``TextCode`` elements and laid out in lines by position (top to bottom, left to right)."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..model import Rejected, SourcePage
from ..text import tidy
from .limits import MAX_PAGES, open_zip

NS = "{http://www.ofdspec.org/2016}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
LINE_TOLERANCE = 1.5  # mm: text codes closer than this vertically are on one line


def _xml(archive: zipfile.ZipFile, name: str, label: str):
    name = name.lstrip("/")
    try:
        data = archive.read(name)
    except KeyError as exc:
        raise Rejected(f"「{label}」不是完整的 OFD 文件（缺少 {name}）", f"missing member {name}") from exc
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise Rejected(f"「{label}」的 OFD 内容已损坏（{name}）", repr(exc)) from exc


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def page_text(page) -> str:
    """Lines of a page's Content.xml, ordered by position."""
    pieces: list[tuple[float, float, str]] = []
    for obj in page.iter(f"{NS}TextObject"):
        box = _numbers(obj.get("Boundary")) or [0.0, 0.0]
        for code in obj.iter(f"{NS}TextCode"):
            x = (_numbers(code.get("X")) or [0.0])[0]
            y = (_numbers(code.get("Y")) or [0.0])[0]
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


def read(path: Path) -> Iterator[SourcePage]:
    archive = open_zip(path)
    with archive:
        root = _xml(archive, "OFD.xml", path.name)
        doc_root = root.findtext(f".//{NS}DocRoot")
        if not doc_root:
            raise Rejected(f"「{path.name}」不是有效的 OFD 文件（OFD.xml 中没有 DocRoot）", "no DocRoot")
        doc_root = doc_root.strip().lstrip("/")
        document = _xml(archive, doc_root, path.name)
        base = posixpath.dirname(doc_root)
        locations = [p.get("BaseLoc") for p in document.iter(f"{NS}Page") if p.get("BaseLoc")]
        if not locations:
            raise Rejected(f"「{path.name}」是没有页面的 OFD 文件", "no pages")
        if len(locations) > MAX_PAGES:
            raise Rejected(f"「{path.name}」页数超过 {MAX_PAGES}，已拒收", f"{len(locations)} pages")
        for number, location in enumerate(locations, start=1):
            location = location.strip()
            name = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
            yield SourcePage(number, text=page_text(_xml(archive, posixpath.normpath(name), path.name)))
