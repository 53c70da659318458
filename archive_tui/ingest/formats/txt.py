"""Plain text in UTF-8, UTF-16 with a BOM, or GB18030/GBK (the legacy encoding of Chinese Windows)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

import charset_normalizer

from ..model import Rejected, SourcePage
from ..text import tidy

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Encodings a Chinese agency's text file may come in; charset-normalizer picks among them.
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16", "hz"]


def decode(raw: bytes, name: str, declared: str | None = None) -> str:
    """Bytes to text: a BOM wins, then a declared charset (HTML), then valid UTF-8, then detection."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise Rejected(f"「{name}」的编码已损坏（{encoding}）", repr(exc)) from exc
    if declared:
        try:
            return raw.decode(_widen(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw, cp_isolation=CANDIDATES).best()
    if best is None or best.encoding is None:
        raise Rejected(f"「{name}」的文字编码无法识别（应为 UTF-8、UTF-16 或 GB18030）", "undetectable encoding")
    return raw.decode(_widen(best.encoding), errors="replace")


def _widen(encoding: str) -> str:
    """GB2312 and GBK are subsets of GB18030; decoding with the superset never loses a character."""
    normal = codecs.lookup(encoding).name
    return "gb18030" if normal in ("gb2312", "gbk", "gb18030") else normal


def looks_binary(text: str) -> bool:
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    return controls > max(2, len(text[:4096]) // 100)


def read(path: Path) -> Iterator[SourcePage]:
    raw = path.read_bytes()
    text = decode(raw, path.name)
    if looks_binary(text):
        raise Rejected(f"「{path.name}」不是文本文件", "control characters in decoded text")
    pages = [tidy(part) for part in text.split("\f")] or [""]
    for number, page in enumerate(pages, start=1):
        yield SourcePage(number, text=page)
