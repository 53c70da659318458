"""The information-processing fee of Art. 42 (国办函〔2020〕109号), in 分.

An agency applies one of two methods to a request. By count (按件计收): within one calendar month an applicant's
first 10 requests are free, the 11th–30th cost 100 元 each, and from the 31st on the price rises by 100 元 for
every further block of 10 (31–40: 200 元, 41–50: 300 元, …). By volume (按量计收): per request the first 30 pages
are free, pages 31–100 cost 10 元, 101–200 cost 20 元, and every page over 200 costs 40 元.
"""

from __future__ import annotations

from ..errors import InvalidInput

YUAN = 100  # 分 per 元
PAGE_BANDS = ((30, 0), (100, 10), (200, 20), (None, 40))  # (up to and including page, 元 per page)


def by_pages(pages: int) -> int:
    """Fee for one request of ``pages`` pages (按量计收)."""
    if pages < 0:
        raise InvalidInput("页数不能为负数", f"pages={pages}")
    fee, lower = 0, 0
    for upper, price in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            fee += (top - lower) * price
        if upper is None or pages <= upper:
            break
        lower = upper
    return fee * YUAN


def request_price(nth: int) -> int:
    """Price of an applicant's ``nth`` request in a calendar month (按件计收)."""
    if nth < 1:
        raise InvalidInput("申请序号从 1 开始", f"nth={nth}")
    if nth <= 10:
        return 0
    if nth <= 30:
        return 100 * YUAN
    return (200 + (nth - 31) // 10 * 100) * YUAN


def by_count(earlier_this_month: int, new: int = 1) -> int:
    """Fee for ``new`` requests from an applicant who already made ``earlier_this_month`` this month."""
    return sum(request_price(n) for n in range(earlier_this_month + 1, earlier_this_month + new + 1))
