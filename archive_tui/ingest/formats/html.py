"""HTML pages saved from an agency's website: visible text with block elements as line breaks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml.etree import ParserError, XMLSyntaxError

from ..model import Rejected, SourcePage
from ..text import tidy
from .txt import decode

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
           "header", "footer", "blockquote", "pre", "ul", "ol", "title", "hr"}
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_INVISIBLE = ("script", "style", "noscript", "template", "head")


def _text(element) -> str:
    """Visible text; block-level elements end a line, cells are separated by a tab."""
    out: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _INVISIBLE:
            if node.tail:
                out.append(node.tail)
            return
        if tag in _BLOCKS:
            out.append("\n")
        if node.text and tag:
            out.append(node.text)
        for child in node:
            walk(child)
        if tag in ("td", "th"):
            out.append("\t")
        if tag in _BLOCKS:
            out.append("\n")
        if node.tail:
            out.append(node.tail)

    walk(element)
    return "".join(out)


def read(path: Path) -> Iterator[SourcePage]:
    raw = path.read_bytes()
    declared = _CHARSET.search(raw[:4096])
    text = decode(raw, path.name, declared[1].decode("ascii") if declared else None)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ParserError, XMLSyntaxError, ValueError) as exc:
        raise Rejected(f"「{path.name}」不是可读的 HTML 文件", repr(exc)) from exc
    title = root.findtext(".//title") or ""
    body = root.find("body")
    content = _BLANK_LINES.sub("\n", tidy(_text(body if body is not None else root)))
    if title.strip() and not content.startswith(title.strip()):
        content = tidy(f"{title.strip()}\n{content}")
    yield SourcePage(1, text=content)
