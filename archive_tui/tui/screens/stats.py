"""统计 mode. 统计与报表：接待人次、查阅件次、依申请公开登记和年度报告表格。"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class StatsScreen(Screen):
    BINDINGS = [
        Binding("q", "app.quit", "退出", id="stats.quit", tooltip="退出程序"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("统计与报表：接待人次、查阅件次、依申请公开登记和年度报告表格。\n按 F2 回到查阅，F3 入库，F4 审核，F5 统计。", classes="mode-help")
        yield Footer()
