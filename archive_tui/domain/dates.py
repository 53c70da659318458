"""Dates as catalogues and documents write them: ``2021-03-05``, ``2021/3/5``, ``2021.3.5``, ``2021年3月5日`` and
the 成文日期 style of official documents, ``二〇二一年三月五日``. Stored as ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..errors import InvalidInput

_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_CN = "〇零○Ｏ一二三四五六七八九十"
_NUMERIC = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CHINESE = re.compile(rf"([{_CN}O]{{4}})\s*年\s*([{_CN}]{{1,3}})\s*月\s*([{_CN}]{{1,3}})\s*日")


def _cn_number(text: str) -> int:
    """十二 → 12, 二十一 → 21, 三十 → 30, 十 → 10, 五 → 5."""
    if "十" not in text:
        return int("".join(str(_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_all(text: str) -> list[dt.date]:
    """Every valid date written in free text, in order of appearance."""
    folded = unicodedata.normalize("NFKC", text)
    hits: list[tuple[int, dt.date]] = []
    for m in _NUMERIC.finditer(folded):
        d = _make(int(m[1]), int(m[2]), int(m[3]))
        if d:
            hits.append((m.start(), d))
    for m in _CHINESE.finditer(folded):
        try:
            year = int("".join(str(_DIGITS[c]) for c in m[1]))
            d = _make(year, _cn_number(m[2]), _cn_number(m[3]))
        except (KeyError, ValueError):
            d = None
        if d:
            hits.append((m.start(), d))
    return [d for _, d in sorted(hits, key=lambda h: h[0])]


def parse(text: str | dt.date | None) -> str | None:
    """Parse one date; None for empty input; :class:`InvalidInput` for anything else that is not a date."""
    if text is None or isinstance(text, dt.date):
        return text.isoformat() if text else None
    if not str(text).strip():
        return None
    found = find_all(str(text))
    if len(found) != 1:
        raise InvalidInput(f"日期「{text}」无法识别，请写作 YYYY-MM-DD", f"not a date: {text!r}")
    return found[0].isoformat()
