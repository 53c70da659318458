"""The copy fee from the reading point's posted price list, kept in the archive settings and counted in 分.

``print.fee.per_page_cents``: price of one printed page; ``print.fee.free_pages``: pages free of charge per
print job (counted over all copies). Reading is free; only copies may cost something (domain brief §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput

PER_PAGE_KEY = "print.fee.per_page_cents"
FREE_PAGES_KEY = "print.fee.free_pages"
DEFAULT_PER_PAGE_CENTS = 20
DEFAULT_FREE_PAGES = 10


@dataclass(frozen=True)
class PriceList:
    per_page_cents: int = DEFAULT_PER_PAGE_CENTS
    free_pages: int = DEFAULT_FREE_PAGES

    def fee(self, page_count: int, copies: int) -> int:
        """Fee in 分 for ``copies`` copies of ``page_count`` pages each."""
        if page_count < 0 or copies < 1:
            raise InvalidInput("页数和份数必须是正数", f"bad page_count={page_count} copies={copies}")
        charged = max(0, page_count * copies - self.free_pages)
        return charged * self.per_page_cents

    def describe(self) -> str:
        price = f"每页 {yuan(self.per_page_cents)}"
        return f"{price}，每次前 {self.free_pages} 页免费" if self.free_pages else price


def price_list(setting: Any) -> PriceList:
    """Read the price list through ``setting(key)`` (``Archive.setting``); unset keys take the defaults."""
    per_page = setting(PER_PAGE_KEY)
    free = setting(FREE_PAGES_KEY)
    try:
        result = PriceList(
            DEFAULT_PER_PAGE_CENTS if per_page is None else int(per_page),
            DEFAULT_FREE_PAGES if free is None else int(free),
        )
    except (TypeError, ValueError) as exc:
        raise InvalidInput("收费标准设置不是整数，请检查 print.fee.* 设置", repr(exc)) from exc
    if result.per_page_cents < 0 or result.free_pages < 0:
        raise InvalidInput("收费标准不能为负数", f"bad price list {result}")
    return result


def yuan(cents: int) -> str:
    """``150`` → ``1.50 元``."""
    return f"{cents // 100}.{cents % 100:02d} 元"
