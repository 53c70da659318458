"""办理步骤: correction notice, corrected request received, extension, third-party consultation and its reply."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from ...errors import InvalidInput
from ...timeutil import today
from .request_form import RegisteredRequestForm

STEPS = {
    "correction": "发出补正告知（收到申请后 7 个工作日内，一次性告知）",
    "corrected": "收到补正（答复期限从此日重新起算）",
    "extension": "延长答复期限（只能一次，最多 20 个工作日，须填批准人）",
    "consult": "征求第三方意见（第三方 15 个工作日，其间不计入期限，须填第三方）",
    "consult_reply": "收到第三方意见（答复期限恢复计算）",
}


class RequestStepDialog(RegisteredRequestForm):
    HEADING = "办理步骤"

    def fields(self) -> ComposeResult:
        yield Select([(label, kind) for kind, label in STEPS.items()], id="kind", prompt="请选择步骤")
        yield Static("日期（YYYY-MM-DD）")
        yield Input(today().isoformat(), id="date", placeholder="日期 YYYY-MM-DD")
        yield Input(id="days", placeholder="工作日数：补正期限、延长天数（默认 20）或第三方期限（默认 15）")
        yield Input(id="person", placeholder="延期的批准人，或被征求意见的第三方")
        yield Input(id="note", placeholder="备注")

    def on_mount(self) -> None:
        self.query_one("#kind", Select).focus()

    def call(self):
        kind, day, days_text = self.value("kind"), self.value("date"), self.value("days")
        person, note = self.value("person"), self.value("note")
        archive, actor, ref = self.app.archive, self.app.actor, self.ref

        def run():
            if kind is None:
                raise InvalidInput("请选择办理步骤", "no step kind chosen")
            if days_text and not days_text.isdigit():
                raise InvalidInput(f"工作日数「{days_text}」应为整数", f"bad days {days_text!r}")
            days = int(days_text) if days_text else None
            register = archive.request_register()
            if kind == "correction":
                return register.correct(ref, actor, date=day, days=days, note=note)
            if kind == "corrected":
                return register.corrected(ref, actor, date=day, note=note)
            if kind == "extension":
                return register.extend(ref, actor, date=day, approver=person, days=days or 20, note=note)
            if kind == "consult":
                return register.consult(ref, actor, date=day, third_party=person, days=days or 15, note=note)
            return register.consult_reply(ref, actor, date=day, note=note)

        return run
