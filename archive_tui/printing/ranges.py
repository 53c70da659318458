"""Page ranges as the clerk types them: ``1-3,5``. Full-width digits and Chinese separators are accepted."""

from __future__ import annotations

import re
import unicodedata

from ..errors import InvalidInput

_SEPARATORS = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ",", " ": ",", "～": "-", "~": "-",
                             "—": "-", "–": "-", "－": "-", "至": "-", "到": "-"})
_PART = re.compile(r"^(\d+)(?:-(\d+))?$")


def parse(text: str | None, page_count: int) -> list[int]:
    """The selected page numbers (1-based, ascending, no repeats); all pages when ``text`` is empty.

    Raises :class:`InvalidInput` naming the first bad part and the record's page count.
    """
    if page_count < 1:
        raise InvalidInput("该记录没有可打印的页面", "record has no pages")
    if text is None or not text.strip():
        return list(range(1, page_count + 1))
    normal = unicodedata.normalize("NFKC", text).translate(_SEPARATORS)
    chosen: set[int] = set()
    for part in filter(None, normal.split(",")):
        match = _PART.match(part)
        if not match:
            raise InvalidInput(
                f"页码范围「{text}」中的「{part}」看不懂，请写成 1-3,5 这样的形式",
                f"bad page range part {part!r}",
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first > last:
            raise InvalidInput(f"页码范围「{part}」起始页大于结束页", f"descending range {part!r}")
        if first < 1 or last > page_count:
            raise InvalidInput(
                f"页码「{part}」超出范围：该记录共 {page_count} 页", f"page {part!r} outside 1-{page_count}"
            )
        chosen.update(range(first, last + 1))
    if not chosen:
        raise InvalidInput(f"页码范围「{text}」没有选中任何页", "empty page range")
    return sorted(chosen)


def describe(pages: list[int]) -> str:
    """The compact form of a page list: ``[1, 2, 3, 5]`` → ``1-3,5``."""
    parts: list[str] = []
    start = prev = None
    for page in pages:
        if prev is not None and page == prev + 1:
            prev = page
            continue
        if start is not None:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
        start = prev = page
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ",".join(parts)
