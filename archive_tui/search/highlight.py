"""Where a query matches inside a text, in offsets of the original (unfolded) text, and readable snippets."""

from __future__ import annotations

import re

from ..domain import docno
from . import analysis
from .query import ParsedQuery

SNIPPET_CHARS = 90
LEAD_CHARS = 24
_SPACES = re.compile(r"\s+")


def _docno_pattern(doc: docno.DocNo) -> re.Pattern[str]:
    """A 文号 in folded text, whatever brackets and spacing it was written with."""
    agency = re.escape(analysis.fold(doc.agency))
    if doc.year is None:
        return re.compile(rf"{agency}\s*第\s*0*{doc.serial}\s*号")
    opens, closes = re.escape(analysis.fold(docno.OPEN)), re.escape(analysis.fold(docno.CLOSE))
    return re.compile(rf"{agency}\s*[{opens}]\s*{doc.year}\s*[{closes}]\s*第?\s*0*{doc.serial}\s*号")


def count_matches(text: str, parsed: ParsedQuery) -> int:
    """How many times the query's words occur in ``text`` (cheap: no offset map)."""
    if not text:
        return 0
    folded = analysis.fold(text)
    count = sum(folded.count(n) for n in set(parsed.highlight) if n.strip())
    return count + sum(len(_docno_pattern(doc).findall(folded)) for doc in parsed.doc_nos)


def find_spans(text: str, parsed: ParsedQuery) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of ``text`` that match the query's positive words."""
    if not text or not (parsed.highlight or parsed.doc_nos):
        return []
    folded, origin = analysis.fold_with_map(text)
    found: list[tuple[int, int]] = []
    for needle in {n for n in parsed.highlight if n.strip()}:
        start = folded.find(needle)
        while start >= 0:
            found.append((origin[start], origin[start + len(needle) - 1] + 1))
            start = folded.find(needle, start + len(needle))
    for doc in parsed.doc_nos:
        for m in _docno_pattern(doc).finditer(folded):
            found.append((origin[m.start()], origin[m.end() - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _display(raw: str) -> tuple[str, list[int]]:
    """Text as shown (no spaces between Chinese characters, whitespace runs → one space) and, for every raw
    index, the display index it ended up at."""
    out: list[str] = []
    where: list[int] = []
    gaps = {i for m in analysis._CJK_GAP.finditer(raw) for i in range(m.start(), m.end())}
    for i, ch in enumerate(raw):
        where.append(len(out))
        if i in gaps:
            continue
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out), where


def snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A short window of ``text`` around the first match, with the match spans re-based onto the snippet."""
    first = spans[0][0] if spans else 0
    start = max(0, first - LEAD_CHARS)
    end = min(len(text), start + SNIPPET_CHARS)
    start = max(0, min(start, end - SNIPPET_CHARS))
    shown, where = _display(text[start:end])
    lead = len(shown) - len(shown.lstrip(" "))
    shown = shown.strip(" ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - lead
    marks = [
        (where[s - start] + shift, where[e - 1 - start] + 1 + shift)
        for s, e in spans if start <= s < e <= end
    ]
    return prefix + shown + suffix, marks
