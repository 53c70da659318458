"""索引号: ``前段码/后段码`` — organisation code, ``/``, year or year+month, ``-``, serial.

Examples: ``000014349/2018-00222``, ``003226443/201401-00001``, ``11341702486344515H/202110-00013``. The
front code is a 9-character 组织机构代码, an 18-character 统一社会信用代码 or (in some regions) a region code.
Once given, a 索引号 never changes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ..errors import InvalidInput

PATTERN = re.compile(r"(?P<org>[0-9A-Z]{6,18}(?:-[0-9A-Z])?)/(?P<period>\d{4}|\d{6})-(?P<serial>\d{4,8})")


@dataclass(frozen=True)
class IndexNoStyle:
    """How an archive generates 索引号 (kept in the archive's settings)."""

    org_code: str = "000000000"
    period: str = "year"  # "year" → 2021, "month" → 202103
    serial_width: int = 5

    def prefix(self, org_code: str | None, when: dt.date) -> str:
        period = f"{when.year:04d}" if self.period == "year" else f"{when.year:04d}{when.month:02d}"
        return f"{org_code or self.org_code}/{period}"

    def format(self, prefix: str, serial: int) -> str:
        return f"{prefix}-{serial:0{self.serial_width}d}"


def normalize(text: str) -> str:
    """Fold full-width characters and case, strip spaces: ``００００１４３４９／２０１８－００２２２`` → canonical."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper().replace("—", "-").replace("－", "-")


def is_valid(text: str) -> bool:
    m = PATTERN.fullmatch(normalize(text))
    if not m:
        return False
    period = m["period"]
    if not 1949 <= int(period[:4]) <= 2100:
        return False
    return len(period) == 4 or 1 <= int(period[4:]) <= 12


def validate(text: str) -> str:
    """Return the canonical 索引号 or raise :class:`InvalidInput` with a Chinese explanation."""
    canonical = normalize(text)
    if not is_valid(canonical):
        raise InvalidInput(
            f"索引号「{text}」格式不正确，应为「机构代码/年份-序号」，如 000014349/2018-00222",
            "index number must look like ORGCODE/YYYY-NNNNN or ORGCODE/YYYYMM-NNNNN",
        )
    return canonical


def looks_like(text: str) -> bool:
    """True when a query is (probably) a 索引号 or a prefix of one, e.g. ``000014349/2018``."""
    return bool(re.fullmatch(r"[0-9A-Z]{6,18}(?:-[0-9A-Z])?/\d{4,6}(?:-\d{0,8})?", normalize(text)))
