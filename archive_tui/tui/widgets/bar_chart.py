"""A vertical bar chart drawn with block characters (▁▂▃▄▅▆▇█), one column per label, with a value axis."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BLOCKS = "▁▂▃▄▅▆▇█"


class BarChart(Widget):
    """``data`` is a list of (label, value); labels should be short (day or month numbers)."""

    DEFAULT_CSS = """
    BarChart { height: 12; padding: 0 1; }
    """

    data: reactive[list[tuple[str, int]]] = reactive(list, layout=False)
    title: reactive[str] = reactive("")

    def __init__(self, title: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(BarChart.title, title)

    def plot(self, title: str, data: list[tuple[str, int]]) -> None:
        self.title = title
        self.data = list(data)

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        text = Text()
        top = max((v for _, v in self.data), default=0)
        text.append(f"{self.title}  （最大 {top}）\n" if self.data else f"{self.title}\n", style="bold")
        if not self.data or height < 3:
            text.append("（无数据）", style="dim")
            return text
        rows = height - 2
        axis = len(str(top)) + 1
        column = max(1, min(4, (width - axis) // len(self.data)))
        bar = max(1, column - 1)
        scale = rows * 8 / top if top else 0
        for row in range(rows - 1, -1, -1):
            label = str(top) if row == rows - 1 else "0" if row == 0 else ""
            text.append(label.rjust(axis - 1) + "│", style="dim")
            for _, value in self.data:
                level = min(8, max(0, round(value * scale) - row * 8))
                if value and row == 0 and level == 0:
                    level = 1  # a non-zero value always shows
                text.append((BLOCKS[level - 1] if level else " ") * bar, style="cyan")
                text.append(" " * (column - bar))
            text.append("\n")
        text.append(" " * axis)
        line = [" "] * (len(self.data) * column + 3)
        free = 0
        for n, (label, _) in enumerate(self.data):
            start = n * column
            if start >= free and start + len(label) <= len(line):
                line[start:start + len(label)] = label
                free = start + len(label) + 1
        text.append("".join(line).rstrip(), style="dim")
        return text
