"""入库 mode. 档案员的工作台：批量入库、编目修改和上架登记。"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class DeskScreen(Screen):
    BINDINGS = [
        Binding("q", "app.quit", "退出", id="desk.quit", tooltip="退出程序"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("档案员的工作台：批量入库、编目修改和上架登记。\n按 F2 回到查阅，F3 入库，F4 审核，F5 统计。", classes="mode-help")
        yield Footer()
