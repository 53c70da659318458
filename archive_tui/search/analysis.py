"""Chinese text analysis shared by indexing, querying and highlighting.

Folding: Unicode NFKC (full-width ＡＢＣ１２３ = ABC123), Traditional → Simplified per character with OpenCC's
``t2s`` tables, lower case. Folding is length-preserving after NFKC, so hits can be mapped back to the original
text. Whitespace between two Chinese characters is dropped (OCR puts spaces between characters).

Tokens: a run of Chinese characters ``c1…cn`` becomes the overlapping bigrams ``c1c2 … c(n-1)cn`` followed by the
unigram ``cn`` (the run's last character, also a lone character's only token). Token *i* of a run sits at the
position of character *i*, so any substring of two or more characters is a phrase of consecutive bigrams, and every
character is the first character of some token — a one-character query is a prefix query. Latin words and numbers
are single tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import opencc

CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_CJK_GAP = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_TOKEN = re.compile(rf"[{CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{CJK}]")
#: Latin words longer than this are cut (a pasted 10,000-character string is not a word).
MAX_WORD = 40
#: Position gap between pages, so that phrases never run from one page into the next.
PAGE_GAP = 100


@functools.cache
def _fold_table() -> dict[int, str]:
    """Per-character folding: NFKC, then Traditional → Simplified (OpenCC ``t2s``, one-to-one only), lower case."""
    cjk = [chr(c) for c in range(0x3400, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(cjk)).split("\n")
    t2s = {a: b for a, b in zip(cjk, converted) if a != b and len(b) == 1}
    table: dict[int, str] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        if ch not in t2s and unicodedata.is_normalized("NFKC", ch) and ch == ch.lower():
            continue
        out = "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", ch)).lower()
        if out != ch:
            table[code] = out
    return table


@functools.cache
def _expanding() -> re.Pattern[str]:
    """Characters whose folded form is not exactly one character."""
    chars = "".join(chr(c) for c, v in _fold_table().items() if len(v) != 1)
    return re.compile(f"[{re.escape(chars)}]")


def fold(text: str) -> str:
    """NFKC, Traditional → Simplified, lower case (character by character); whitespace between Chinese removed."""
    return _CJK_GAP.sub("", text.translate(_fold_table()))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Like :func:`fold`, plus for each folded character the index of the original character it came from."""
    table = _fold_table()
    if _expanding().search(text):
        pieces = [ch.translate(table) for ch in text]
        folded = "".join(pieces)
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
    else:
        folded = text.translate(table)
        origin = list(range(len(text)))
    pieces: list[str] = []
    kept: list[int] = []
    start = 0
    for m in _CJK_GAP.finditer(folded):
        pieces.append(folded[start:m.start()])
        kept.extend(origin[start:m.start()])
        start = m.end()
    if not start:
        return folded, origin
    pieces.append(folded[start:])
    kept.extend(origin[start:])
    return "".join(pieces), kept


def is_cjk(ch: str) -> bool:
    return bool(_IS_CJK.match(ch))


def has_cjk(text: str) -> bool:
    return bool(_IS_CJK.search(text))


def tokens_of_folded(folded: str, base: int = 0) -> list[tuple[str, int]]:
    """(token, position) pairs of already folded text."""
    out: list[tuple[str, int]] = []
    pos = base
    for m in _TOKEN.finditer(folded):
        run = m.group()
        if is_cjk(run[0]):
            n = len(run)
            out.extend((run[i:i + 2], pos + i) for i in range(n - 1))
            out.append((run[-1], pos + n - 1))
            pos += n
        else:
            out.append((run[:MAX_WORD], pos))
            pos += 1
    return out


def tokens(text: str) -> list[tuple[str, int]]:
    return tokens_of_folded(fold(text))


def page_tokens(pages: Iterable[str]) -> list[tuple[str, int]]:
    """Tokens of several pages; each page starts :data:`PAGE_GAP` positions after the previous one ends."""
    out: list[tuple[str, int]] = []
    base = 0
    for page in pages:
        toks = tokens_of_folded(fold(page), base)
        out.extend(toks)
        if toks:
            base = toks[-1][1] + PAGE_GAP
    return out


def query_tokens(folded: str) -> list[str]:
    """Tokens a document must contain, in consecutive positions, to contain ``folded`` as a substring.

    The last Chinese run's closing unigram is left out (in a document the run may go on), and so is a last run of a
    single character when other tokens precede it (it would need a prefix match inside a phrase).
    """
    out: list[str] = []
    runs = list(_TOKEN.finditer(folded))
    for k, m in enumerate(runs):
        run = m.group()
        last = k == len(runs) - 1
        if is_cjk(run[0]):
            if len(run) == 1:
                if not last or not out:
                    out.append(run)
                continue
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            if not last:
                out.append(run[-1])
        else:
            out.append(run[:MAX_WORD])
    return out
