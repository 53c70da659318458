"""登记位置: 库房/架/层/盒号 for the chosen records in one go (empty boxes leave that part unchanged)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

PARTS = (("room", "库房"), ("shelf", "架"), ("layer", "层"), ("box", "盒号"))


class PlaceDialog(ModalScreen[dict[str, str] | None]):
    """Dismisses with the parts to set (room/shelf/layer/box → value), or None when cancelled."""

    DEFAULT_CSS = """
    PlaceDialog { align: center middle; }
    #place-form { width: 60; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    #place-grid { grid-size: 2; grid-columns: 8 1fr; grid-rows: 3; height: auto; }
    #place-grid Label { padding: 1 0; }
    """
    BINDINGS = [
        Binding("ctrl+s", "done", "登记", id="desk.place.done", tooltip="给所选记录登记这些位置"),
        Binding("escape", "cancel", "取消", id="desk.place.cancel", tooltip="不登记，关闭"),
    ]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="place-form") as box:
            box.border_title = f"登记 {self.count} 条记录的存放位置"
            yield Static("Tab 换栏；空着的项不改。回车或 Ctrl+S 登记，Esc 取消。")
            with Grid(id="place-grid"):
                for key, label in PARTS:
                    yield Label(label)
                    yield Input(id=f"place-{key}", placeholder={"room": "如 一号库房"}.get(key, ""))

    def on_mount(self) -> None:
        self.query_one("#place-room", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_done()

    def action_done(self) -> None:
        parts = {key: self.query_one(f"#place-{key}", Input).value.strip() for key, _ in PARTS}
        parts = {k: v for k, v in parts.items() if v}
        if not parts:
            self.notify("请至少填写一项", severity="warning")
            return
        self.dismiss(parts)

    def action_cancel(self) -> None:
        self.dismiss(None)
