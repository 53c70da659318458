"""The text of one page, every hit marked, scrolled to the current hit."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from .highlight import highlighted


class PageText(VerticalScroll, can_focus=True):
    """Lines are separate widgets so the current hit's line can be scrolled into view exactly."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines: list[tuple[int, int]] = []  # (start, end) offsets of each line in the page text
        self._text = ""
        self._spans: list[tuple[int, int]] = []
        self._current: tuple[int, int] | None = None

    async def set_page(self, text: str, spans: list[tuple[int, int]], current: tuple[int, int] | None) -> None:
        self._text, self._spans, self._current = text, spans, current
        self._lines = []
        offset = 0
        for line in (text or "").split("\n"):
            self._lines.append((offset, offset + len(line)))
            offset += len(line) + 1
        await self.remove_children()
        widgets = [Static(self._render_line(i), classes="page-line") for i in range(len(self._lines))]
        if not text.strip():
            widgets = [Static("（本页没有可显示的文字，请看右侧图像）", classes="page-line dim")]
        await self.mount_all(widgets)
        self.scroll_home(animate=False)
        self._scroll_to_current()

    def set_current(self, current: tuple[int, int] | None) -> None:
        changed = {self._line_of(self._current), self._line_of(current)} - {None}
        self._current = current
        lines = list(self.query(".page-line").results(Static))
        for index in changed:
            if index < len(lines):
                lines[index].update(self._render_line(index))
        self._scroll_to_current()

    def _render_line(self, index: int):
        start, end = self._lines[index]
        spans = [(max(s, start) - start, min(e, end) - start) for s, e in self._spans if s < end and e > start]
        current = None
        if self._current and self._current[0] < end and self._current[1] > start:
            current = (max(self._current[0], start) - start, min(self._current[1], end) - start)
        return highlighted(self._text[start:end], spans, current=current)

    def _line_of(self, span: tuple[int, int] | None) -> int | None:
        if span is None:
            return None
        for index, (start, end) in enumerate(self._lines):
            if start <= span[0] <= end:
                return index
        return None

    def _scroll_to_current(self) -> None:
        index = self._line_of(self._current)
        lines = list(self.query(".page-line").results(Static))
        if index is not None and index < len(lines):
            self.call_after_refresh(self.scroll_to_widget, lines[index], animate=False, center=True)
