"""Pinyin of titles, so that ``zfxxgk`` or ``zhengfuxinxigongkai`` finds 政府信息公开.

Titles are indexed twice: as full syllables (one token per character) and as overlapping bigrams of syllable
initials (the same scheme as Chinese text, see :mod:`.analysis`), so any run of initials inside a title matches.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .analysis import CJK, fold

_RUN = re.compile(rf"[{CJK}]+")
_LETTERS = re.compile(r"[a-z]+")
#: Longest pinyin syllable ("zhuang", "shuang").
_LONGEST = 6


@functools.lru_cache(maxsize=64)
def _runs(title: str) -> list[list[str]]:
    """Syllables (tone-less, lower case) of each Chinese run of the folded title."""
    from pypinyin import Style, lazy_pinyin  # its phrase tables take ~0.35 s to import: not at the app's start

    out = []
    for m in _RUN.finditer(fold(title)):
        syllables = lazy_pinyin(m.group(), style=Style.NORMAL, errors=lambda chars: ["?"] * len(chars))
        out.append([s.replace("ü", "v") for s in syllables])
    return out


def syllable_tokens(title: str) -> list[tuple[str, int]]:
    """(syllable, position); runs are separated by one empty position so phrases stay inside a run."""
    out: list[tuple[str, int]] = []
    pos = 0
    for run in _runs(title):
        out.extend((s, pos + i) for i, s in enumerate(run) if s != "?")
        pos += len(run) + 1
    return out


def initial_tokens(title: str) -> list[tuple[str, int]]:
    """Overlapping bigrams of syllable initials, closing unigram last (as for Chinese runs)."""
    out: list[tuple[str, int]] = []
    pos = 0
    for run in _runs(title):
        letters = "".join(s[0] for s in run)
        n = len(letters)
        out.extend((letters[i:i + 2], pos + i) for i in range(n - 1))
        if n:
            out.append((letters[-1], pos + n - 1))
        pos += n + 1
    return out


def initial_query_tokens(word: str) -> list[str]:
    """Tokens a title must hold in consecutive positions to contain the initials ``word``."""
    if len(word) == 1:
        return [word]
    return [word[i:i + 2] for i in range(len(word) - 1)]


@functools.cache
def syllables() -> frozenset[str]:
    """Every tone-less pinyin syllable, from pypinyin's character table."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            found.add(plain.replace("ü", "v").lower())
    return frozenset(s for s in found if s.isascii() and s.isalpha())


def split_syllables(word: str) -> list[str] | None:
    """The split of ``word`` into the fewest pinyin syllables, or None when it is not pinyin."""
    if not _LETTERS.fullmatch(word) or len(word) > 60:
        return None
    known = syllables()
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _LONGEST), end):
            head = best[start]
            if head is not None and word[start:end] in known:
                candidate = head + [word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[-1]


def syllable_tokens_of(text: str) -> list[str]:
    """The syllables of ``text`` (Chinese characters only), for building pinyin queries in tests and benchmarks."""
    return [s for run in _runs(text) for s in run if s != "?"]
