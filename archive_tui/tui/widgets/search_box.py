"""The query box of the counter. Arrow keys move the results while the cursor stays in the box."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBox(Input):
    help_scope = "查询框"

    BINDINGS = [
        Binding("down", "move(1)", "下一条", id="search.down", tooltip="在结果中下移一条，输入框保持焦点", show=False),
        Binding("up", "move(-1)", "上一条", id="search.up", tooltip="在结果中上移一条，输入框保持焦点", show=False),
        Binding("pagedown", "move(10)", "下一页", id="search.pagedown", tooltip="在结果中下移十条", show=False),
        Binding("pageup", "move(-10)", "上一页", id="search.pageup", tooltip="在结果中上移十条", show=False),
    ]

    class Move(Message):
        """Ask the results table to move its cursor by ``delta`` rows."""

        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    def __init__(self, **kwargs) -> None:
        super().__init__(
            placeholder="输入关键词、文号或索引号查找 · ↑↓ 选择 · 回车打开", select_on_focus=False, **kwargs
        )

    def action_move(self, delta: int) -> None:
        self.post_message(self.Move(delta))
