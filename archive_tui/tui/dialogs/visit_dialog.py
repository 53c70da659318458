"""查阅登记 form: visitor name, ID type and number (optional; shown masked), purpose, contact.

While the name or number is typed, earlier visitors who match are listed; choosing one (↓ then enter) fills the
form and reuses their stored ID without the number being typed again. Saving dismisses with the new visit id.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...visits import ID_TYPES, PURPOSES
from ..worker_errors import ReportsWorkerErrors


class VisitDialog(ReportsWorkerErrors, ModalScreen[int | None]):
    BINDINGS = [
        Binding("ctrl+s,f8", "save", "登记", id="visit.save", tooltip="保存这次查阅登记并开始接待"),
        Binding("escape", "dismiss(None)", "取消", id="visit.cancel", tooltip="不登记，关闭表单"),
        Binding("down", "to_returning", "回头读者", id="visit.returning", show=False,
                tooltip="从姓名或证件号码框移到下方曾来访读者的列表，回车选用"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.returning: dict[str, Any] | None = None
        self._timer: Timer | None = None
        self._lookup_generation = 0
        self._found: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="visit-form") as form:
            form.border_title = "查阅登记"
            form.border_subtitle = "Tab 下一项 · Ctrl+S 登记 · Esc 取消"
            with Grid(id="visit-grid"):
                yield Label("姓名 *")
                yield Input(id="visitor_name", placeholder="来访者姓名（必填）", compact=True)
                yield Label("证件类型")
                yield Select([(t, t) for t in ID_TYPES], value=ID_TYPES[0], allow_blank=False, id="id_type",
                             compact=True)
                yield Label("证件号码")
                yield Input(id="id_number", password=True, placeholder="可不填；屏幕上不显示，库中只存掩码",
                            compact=True)
                yield Label("查阅目的")
                yield Select([(p, p) for p in PURPOSES], value=PURPOSES[0], allow_blank=False, id="purpose",
                             compact=True)
                yield Label("联系方式")
                yield Input(id="contact", placeholder="电话（可不填）", compact=True)
            yield Static(id="returning-note")
            yield OptionList(id="returning")

    def on_mount(self) -> None:
        self.query_one("#returning", OptionList).display = False
        self.query_one("#visitor_name", Input).focus()

    # -- returning visitors ---------------------------------------------------------------------------------

    @on(Input.Changed, "#visitor_name,#id_number")
    def _lookup_soon(self, event: Input.Changed) -> None:
        if event.input.id == "visitor_name" and self.returning and event.value != self.returning["visitor_name"]:
            self._forget_returning()
        self._lookup_generation += 1
        generation = self._lookup_generation
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(0.15, lambda: self.lookup(generation, text))

    @work(thread=True, exit_on_error=False, exclusive=True, group="visitor-lookup")
    def lookup(self, generation: int, text: str) -> None:
        found = self.app.archive.find_visitors(text, self.app.counter_actor) if len(text.strip()) >= 1 else []
        self.app.call_from_thread(self._show_found, generation, found)

    def _show_found(self, generation: int, found: list[dict[str, Any]]) -> None:
        if generation != self._lookup_generation:
            return
        options = self.query_one("#returning", OptionList)
        options.set_options([
            Option(f"{v['visitor_name']}  {v['id_type'] or ''} {v['id_masked'] or '无证件'}  "
                   f"来过 {v['visits']} 次，最近 {(v['last_seen'] or '')[:10]}", id=str(i))
            for i, v in enumerate(found)
        ])
        self._found = found
        options.display = bool(found)
        if found and not self.returning:
            self._note("曾经来过的读者（↓ 移到列表，回车选用，沿用上次的证件）：")
        elif not self.returning:
            self._note("")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_returning":
            focused = self.focused
            return bool(self._found) and focused is not None and focused.id in ("visitor_name", "id_number")
        return True

    def action_to_returning(self) -> None:
        options = self.query_one("#returning", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#returning")
    def _use_returning(self, event: OptionList.OptionSelected) -> None:
        visitor = self._found[int(event.option.id or 0)]
        self.returning = visitor
        self.query_one("#visitor_name", Input).value = visitor["visitor_name"]
        if visitor.get("id_type"):
            self.query_one("#id_type", Select).value = visitor["id_type"]
        self.query_one("#id_number", Input).value = ""
        self.query_one("#contact", Input).value = visitor.get("contact") or ""
        masked = visitor.get("id_masked")
        self._note(f"回头读者：{visitor['visitor_name']}" + (f"，沿用证件 {masked}" if masked else "，上次未登记证件"))
        self.query_one("#returning", OptionList).display = False
        self.query_one("#purpose", Select).focus()

    def _forget_returning(self) -> None:
        self.returning = None
        self._note("")

    def _note(self, text: str) -> None:
        self.query_one("#returning-note", Static).update(text)

    # -- saving ---------------------------------------------------------------------------------------------

    @on(Input.Submitted, "#visitor_name,#id_number")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#contact")
    def action_save(self) -> None:
        fields: dict[str, Any] = {
            name: self.query_one(f"#{name}", Input).value for name in ("visitor_name", "id_number", "contact")
        }
        fields["id_type"] = self.query_one("#id_type", Select).value
        fields["purpose"] = self.query_one("#purpose", Select).value
        if self.returning and not fields["id_number"]:
            fields["returning_visit_id"] = self.returning["last_visit_id"]
        self.save(fields)

    @work(thread=True, exit_on_error=False, exclusive=True, group="visit-save")
    def save(self, fields: dict[str, Any]) -> None:
        visit_id = self.app.archive.start_visit(fields, self.app.counter_actor)
        self.app.call_from_thread(self.dismiss, visit_id)
