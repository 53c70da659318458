"""A short form for a review decision that needs words: the release note (required when personal data was
found) or what the archivist must change. Dismisses with the note, or None when cancelled."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

REVIEW_DIALOG_CSS = """
ReviewNoteDialog, WithholdDialog { align: center middle; }
.review-form { width: 76; height: auto; border: thick $accent; padding: 1 2; background: $surface; }
.review-form Static { height: auto; margin-bottom: 1; }
.review-message { color: $error; }
"""


class ReviewNoteDialog(ModalScreen[str | None]):
    DEFAULT_CSS = REVIEW_DIALOG_CSS
    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="review.note.cancel", tooltip="不做决定，关闭")]

    def __init__(self, title: str, explanation: str, *, required: bool, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.required = required
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="review-form") as form:
            form.border_title = self.title_text
            form.border_subtitle = "回车 确定 · Esc 取消"
            yield Static(self.explanation, id="review-note-explanation")
            yield Input(id="review-note", placeholder=self.placeholder or ("必填" if self.required else "可不填"))
            yield Static("", classes="review-message", id="review-note-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if self.required and not note:
            self.query_one("#review-note-message", Static).update("请填写说明")
            return
        self.dismiss(note)
