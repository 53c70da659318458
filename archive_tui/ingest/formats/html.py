"""HTML pages saved from an agency's website: the article's visible text, block elements as line breaks.

Portal pages wrap the document in navigation, breadcrumbs and a footer; when the page marks its article
(``<article>``, ``<main>`` or a container named article/content/zoom…) only that is taken, and site chrome
(nav, header, footer, menus) is dropped in any case.
"""

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
_INVISIBLE = ("script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside", "form")
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|sidebar|banner|share|copyright", re.IGNORECASE)
_ARTICLE = re.compile(r"^(article|content|main|zoom|detail|TRS_Editor|pages_content|con)$|article|content",
                      re.IGNORECASE)


def _names(node) -> str:
    return f"{node.get('class') or ''} {node.get('id') or ''}".strip()


def _article(root):
    """The element holding the document itself, if the page marks one."""
    for tag in ("article", "main"):
        found = root.find(f".//{tag}")
        if found is not None:
            return found
    for node in root.iter("div", "section", "td"):
        names = _names(node)
        if names and any(_ARTICLE.search(n) for n in names.split()) and not _CHROME.search(names):
            return node
    return None


def _text(element) -> str:
    """Visible text; block-level elements end a line, cells are separated by a tab."""
    out: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _INVISIBLE or (tag in ("div", "ul", "section", "p") and _CHROME.search(_names(node))):
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
    body = _article(root)
    if body is None:
        body = root.find("body") if root.find("body") is not None else root
    content = _BLANK_LINES.sub("\n", tidy(_text(body)))
    if not content:
        content = tidy(root.findtext(".//title") or "")
    yield SourcePage(1, text=content)
