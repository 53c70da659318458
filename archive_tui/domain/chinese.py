"""Traditional → Simplified folding for catalogue values (文号, 发布机构), which are catalogued in Simplified."""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)
