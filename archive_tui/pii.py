"""Personal-data scan (个人隐私) of a record's text for the confidentiality review.

Finds 18-digit 居民身份证号 whose GB 11643 check digit and birth date are valid, mobile numbers, bank card numbers
that pass the Luhn check, and the addresses of individuals introduced by words such as 住址 or 家住. Each finding
keeps its position and a snippet of the text around it so the reviewer can judge it in context.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

KIND_LABELS = {
    "id_card": "居民身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "address": "个人住址",
}

CONTEXT = 16  # characters shown either side of a finding

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: First two digits of mainland, Taiwan, Hong Kong and Macao administrative division codes.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9])")
_CARD_RE = re.compile(r"(?<![0-9])\d{4}(?:[ -]?\d){12,15}(?![0-9])")
_ADDRESS_RE = re.compile(
    r"(?:家庭住址|现住址|户籍地址|户籍所在地|居住地址|住址|家住|现住|住在)[:：为是在]?\s*"
    r"([^\s，。；;,、！？!?（）()]{4,40})"
)
_ADDRESS_PART = re.compile(r"[省市县区镇乡村街路巷道弄号组栋楼室里屯]")


@dataclass(frozen=True)
class Finding:
    kind: str  # id_card | mobile | bank_card | address
    value: str
    start: int  # character offsets in the scanned text
    end: int
    context: str  # the text around the finding, the finding itself included
    page_no: int | None = None  # set by callers that scan page texts

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def context_start(self) -> int:
        """Offset of the finding inside :attr:`context`."""
        return min(self.start, CONTEXT)


def id_number_valid(number: str) -> bool:
    """An 18-digit 居民身份证号 with a valid region prefix, birth date and GB 11643 check digit."""
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _PROVINCES:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def scan(text: str, *, page_no: int | None = None) -> list[Finding]:
    """Every finding in ``text``, in text order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        lo = max(0, start - CONTEXT)
        found.append(Finding(kind, value, start, end, text[lo:end + CONTEXT], page_no))

    for m in _ID_RE.finditer(text):
        if id_number_valid(m.group()):
            add("id_card", m.group().upper(), m.start(), m.end())
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        # 18 digits is the length of an ID number, not of a bank card: never report one as a card.
        if len(digits) in (16, 17, 19) and luhn_valid(digits):
            add("bank_card", digits, m.start(), m.end())
    for m in _MOBILE_RE.finditer(text):
        add("mobile", "".join(m.groups()), m.start(), m.end())
    for m in _ADDRESS_RE.finditer(text):
        place = m.group(1)
        if len(_ADDRESS_PART.findall(place)) >= 2:
            add("address", place, m.start(1), m.end(1))
    found.sort(key=lambda f: f.start)
    return found


def mask(value: str) -> str:
    """A finding as shown in lists: the first and last few characters only."""
    if len(value) <= 6:
        return value[0] + "*" * (len(value) - 1)
    keep = 3 if len(value) < 14 else 4
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]
