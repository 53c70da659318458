"""Rich text with marked spans: the one way hits are highlighted in snippets and page text."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

HIT_STYLE = "bold black on yellow"
CURRENT_HIT_STYLE = "bold white on dark_orange3"


def highlighted(text: str, spans: Iterable[tuple[int, int]], *, current: tuple[int, int] | None = None,
                base_style: str = "") -> Text:
    """``text`` with every ``(start, end)`` span marked; ``current`` is marked differently (the hit at the cursor)."""
    result = Text(text, style=base_style)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            result.stylize(CURRENT_HIT_STYLE if (start, end) == current else HIT_STYLE, start, end)
    return result
