"""Word documents (DOCX): paragraphs and tables in document order; explicit page breaks start a new page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml.etree import XMLSyntaxError

from ..model import Rejected, SourcePage
from ..text import tidy
from .limits import open_zip


def _paragraph_parts(element) -> list[str]:
    """The paragraph's text, split where it holds an explicit page break."""
    parts = [""]
    for node in element.iter():
        if node.tag == qn("w:t"):
            parts[-1] += node.text or ""
        elif node.tag == qn("w:tab"):
            parts[-1] += "\t"
        elif node.tag == qn("w:br") and node.get(qn("w:type")) == "page":
            parts.append("")
        elif node.tag == qn("w:br"):
            parts[-1] += "\n"
    return parts


def read(path: Path) -> Iterator[SourcePage]:
    open_zip(path).close()
    try:
        document = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError, BadZipFile, XMLSyntaxError) as exc:
        raise Rejected(f"「{path.name}」不是有效的 Word（DOCX）文件或已损坏", repr(exc)) from exc
    pages: list[list[str]] = [[]]
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts = _paragraph_parts(block)
            pages[-1].append(parts[0])
            for rest in parts[1:]:
                pages.append([rest])
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = ["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
                pages[-1].append("\t".join(cells))
    texts = [tidy("\n".join(lines)) for lines in pages]
    while len(texts) > 1 and not texts[-1]:
        texts.pop()
    for number, text in enumerate(texts, start=1):
        yield SourcePage(number, text=text)
