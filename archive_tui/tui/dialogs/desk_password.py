"""Asks the operator's password once per session so the ingest process (a separate program) can log in too."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...errors import ArchiveError


class PasswordDialog(ModalScreen[str | None]):
    """Dismisses with the checked password, or None when cancelled."""

    DEFAULT_CSS = """
    PasswordDialog { align: center middle; }
    #password-box { width: 64; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    #password-message { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消", id="desk.password.cancel", tooltip="不入库，关闭")]

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username

    def compose(self) -> ComposeResult:
        with Vertical(id="password-box") as box:
            box.border_title = "后台入库需要确认身份"
            yield Static(f"入库在单独的程序中进行，需要以操作员「{self.username}」的身份登录。\n请输入密码，回车确认：")
            yield Input(password=True, id="password-input")
            yield Static("", id="password-message")

    @on(Input.Submitted, "#password-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.check(event.value)

    @work(thread=True, exclusive=True, group="desk-password")
    def check(self, password: str) -> None:
        try:
            self.app.archive.login(self.username, password)
        except ArchiveError as exc:
            self.app.call_from_thread(self.query_one("#password-message", Static).update, exc.message)
            return
        self.app.call_from_thread(self.dismiss, password)

    def action_cancel(self) -> None:
        self.dismiss(None)
