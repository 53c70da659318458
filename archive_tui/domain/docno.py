"""文号 (发文字号): parsing and a normal form, so that every bracket style people type matches.

A 文号 is 发文机关代字 + year in 〔〕 + serial + 号, e.g. ``国发〔2018〕43号``. People and OCR write the brackets as
``[ ]``, ``（ ）``, ``( )``, ``［ ］``, ``【 】`` or ``〔 〕``, add spaces, zero-pad the serial or use full-width digits.
All of these share one normal form. Orders numbered without a year (``国务院令第711号``) are kept as
``代字第N号``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .chinese import to_simplified

OPEN = "[〔［【〖(（{｛⦅〘"
CLOSE = "]〕］】〗)）}｝⦆〙"
_AGENCY = r"[\u4e00-\u9fffA-Za-z]{1,20}?"
_YEARLY = re.compile(
    rf"(?P<agency>{_AGENCY})\s*[{re.escape(OPEN)}]\s*(?P<year>(?:19|20)\d\d)\s*[{re.escape(CLOSE)}]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
_ORDER = re.compile(rf"(?P<agency>{_AGENCY}令)\s*第\s*(?P<serial>\d{{1,5}})\s*号")


@dataclass(frozen=True)
class DocNo:
    agency: str  # 发文机关代字, e.g. 临政办
    year: int | None
    serial: int

    @property
    def normal(self) -> str:
        """Canonical spelling: ``临政办〔2021〕13号`` (also the display form)."""
        if self.year is None:
            return f"{self.agency}第{self.serial}号"
        return f"{self.agency}〔{self.year}〕{self.serial}号"


def _fold(text: str) -> str:
    """NFKC, single spaces, Simplified characters (a Traditional-script document's 臨政辦〔2021〕13號 is the same
    文号 as 临政办〔2021〕13号)."""
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", folded).strip()


def parse(text: str) -> DocNo | None:
    """Parse a whole string as one 文号; None if it is not one."""
    folded = _fold(text)
    for pattern in (_YEARLY, _ORDER):
        m = pattern.fullmatch(folded)
        if m:
            return _from_match(m)
    return None


def _from_match(m: re.Match[str]) -> DocNo:
    year = m.groupdict().get("year")
    return DocNo(agency=m["agency"], year=int(year) if year else None, serial=int(m["serial"]))


def normalize(text: str | None) -> str | None:
    """Normal form of a 文号, or None when ``text`` is empty or not a 文号."""
    if not text or not text.strip():
        return None
    parsed = parse(text)
    return parsed.normal if parsed else None


#: Words that precede a 文号 in running text but never start an agency code ("根据…", "和…", "按照…").
_LEADING_WORDS = re.compile(r"^(?:根据|依据|按照|参照|对照|关于|印发|转发|根|依|按|据|照|和|与|及|并|经|由|以|将|对|在|是|为|于|的|即|见)+")


def _trim_agency(doc_no: DocNo) -> DocNo:
    trimmed = _LEADING_WORDS.sub("", doc_no.agency)
    return DocNo(trimmed, doc_no.year, doc_no.serial) if len(trimmed) >= 1 else doc_no


def find_all(text: str) -> list[DocNo]:
    """Every 文号 mentioned in free text (OCR output, a query), in order of appearance, without repeats."""
    folded = _fold(text)
    found: dict[str, DocNo] = {}
    hits = [(m.start(), m) for p in (_YEARLY, _ORDER) for m in p.finditer(folded)]
    for _, m in sorted(hits, key=lambda h: h[0]):
        doc_no = _trim_agency(_from_match(m))
        found.setdefault(doc_no.normal, doc_no)
    return list(found.values())
