"""办结申请: close a request with one of the outcomes of table 3."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from ...requests import outcomes
from ...timeutil import today
from .request_form import RegisteredRequestForm


class RequestCloseDialog(RegisteredRequestForm):
    HEADING = "办结申请"

    def fields(self) -> ComposeResult:
        yield Static("办理结果（年度报告表三）")
        yield Select([(f"{o.code}  {o.short}", o.code) for o in outcomes.outcomes().values()],
                     id="outcome", prompt="请选择办理结果")
        yield Static("办结日期（YYYY-MM-DD）")
        yield Input(today().isoformat(), id="date", placeholder="办结日期 YYYY-MM-DD")
        yield Input(id="note", placeholder="备注：已公开信息的获取途径、负责公开的机关等")

    def on_mount(self) -> None:
        self.query_one("#outcome", Select).focus()

    def call(self):
        outcome, day, note = self.value("outcome") or "", self.value("date"), self.value("note")
        archive, actor, ref = self.app.archive, self.app.actor, self.ref
        return lambda: archive.request_register().close(ref, actor, date=day, outcome=outcome, note=note)
