"""The common part of the request dialogs: a framed form whose submit runs the core in a thread worker and stays
open with the Chinese error message when the core refuses (nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from ...errors import ArchiveError
from ...requests import AppealCase, RequestView

REQUEST_FORM_CSS = """
RequestForm { align: center middle; }
RequestForm .request-form { width: 84; height: auto; max-height: 90%; border: thick $accent; padding: 1 2;
                            background: $surface; }
RequestForm .request-form Static { height: auto; }
RequestForm .request-form Input, RequestForm .request-form Select { margin-bottom: 1; }
RequestForm .request-message { color: $error; height: auto; }
"""


class RequestForm(ModalScreen[Any]):
    """Subclasses compose the fields and define ``call()``: it reads the form on the UI thread and returns the core
    call to make, which then runs in a worker thread. The dialog is dismissed with what the call returns (a
    :class:`RequestView`, or an ``AppealCase`` for the 复议诉讼 dialogs), or None when cancelled."""

    DEFAULT_CSS = REQUEST_FORM_CSS
    BINDINGS = [
        Binding("escape", "dismiss(None)", "取消", id="stats.request.cancel", tooltip="不保存，关闭"),
        Binding("ctrl+s", "submit", "保存", id="stats.request.submit", tooltip="保存并关闭", priority=True),
    ]

    def value(self, widget_id: str) -> Any:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        assert isinstance(widget, Input)
        return widget.value.strip()

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        self.query_one(".request-message", Static).update("正在保存…")
        self._run(self.call())  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="request-form")
    def _run(self, call: Callable[[], RequestView | AppealCase]) -> None:
        try:
            view = call()
        except ArchiveError as exc:
            self.app.call_from_thread(self.query_one(".request-message", Static).update, exc.message)
            return
        self.app.call_from_thread(self.dismiss, view)


class RegisteredRequestForm(RequestForm):
    """A form about one registered request: its number in the frame title and its summary above the fields."""

    HEADING = ""

    def __init__(self, ref: str, summary: str) -> None:
        super().__init__()
        self.ref = ref
        self.summary = summary

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="request-form") as form:
            form.border_title = f"{self.HEADING} {self.ref}"
            form.border_subtitle = "Ctrl+S 保存 · Esc 取消"
            yield Static(self.summary)
            yield from self.fields()
            yield Static("", classes="request-message")

    def fields(self) -> ComposeResult:
        """The dialog's own fields."""
        return iter(())
