"""审核 mode. 保密审查：待审核记录、个人信息检查、发布与不予发布。"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("q", "app.quit", "退出", id="review.quit", tooltip="退出程序"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("保密审查：待审核记录、个人信息检查、发布与不予发布。\n按 F2 回到查阅，F3 入库，F4 审核，F5 统计。", classes="mode-help")
        yield Footer()
