"""不予发布: an exemption of the Regulation (Arts. 14–16) and a note. Dismisses with (reason, note) or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...domain import vocab
from .review_note import REVIEW_DIALOG_CSS


class WithholdDialog(ModalScreen[tuple[str, str] | None]):
    DEFAULT_CSS = REVIEW_DIALOG_CSS + "#withhold-reasons { height: auto; max-height: 10; } #withhold-description { color: $text-muted; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="review.withhold.cancel", tooltip="不做决定，关闭")]

    def __init__(self, title: str, suggested_reason: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.suggested_reason = suggested_reason

    def compose(self) -> ComposeResult:
        reasons = vocab.load("withhold_reason")
        with Vertical(classes="review-form") as form:
            form.border_title = f"不予发布：{self.title_text}"
            form.border_subtitle = "↑↓ 选理由 · 回车 下一步 · Esc 取消"
            yield Static("理由（《政府信息公开条例》第十四至十六条）：")
            yield OptionList(
                *(Option(f"{r}（{reasons['descriptions'].get(r, '').partition('：')[0]}）", id=r)
                  for r in reasons["values"]),
                id="withhold-reasons",
            )
            yield Static("", id="withhold-description")
            yield Input(id="withhold-note", placeholder="具体说明（必填），如：第 3 页有申请人身份证号")
            yield Static("", classes="review-message", id="withhold-message")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = vocab.values("withhold_reason")
        if self.suggested_reason in values:
            options.highlighted = values.index(self.suggested_reason)
        else:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionHighlighted)
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        text = vocab.load("withhold_reason")["descriptions"].get(event.option.id or "", "")
        self.query_one("#withhold-description", Static).update(text.partition("：")[2])

    @on(OptionList.OptionSelected)
    def _to_note(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        note = event.value.strip()
        if options.highlighted is None or not note:
            self.query_one("#withhold-message", Static).update("请选择理由并填写具体说明")
            return
        reason = options.get_option_at_index(options.highlighted).id or ""
        self.dismiss((reason, note))
