"""审结复议诉讼案件: the result of an open case, or — for a case already decided — a correction with its reason,
which the audit log keeps with the entry before and after."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from ...requests import AppealCase, appeals
from ...timeutil import today
from .request_form import RegisteredRequestForm

def _summary(case: AppealCase) -> str:
    about = f"，涉及申请 {case.request_ref}" if case.request_ref else ""
    text = f"{case.kind_label}，收到日期 {case.row['filed_date']}{about}"
    return text + (f"\n{case.row['note']}" if case.row["note"] else "")


class AppealDecideDialog(RegisteredRequestForm):
    def __init__(self, case: AppealCase) -> None:
        super().__init__(case.ref, _summary(case))
        self.case = case
        self.correcting = bool(case.row["result"])
        self.HEADING = "更正审结结果" if self.correcting else "登记审结结果"

    def fields(self) -> ComposeResult:
        options = [(f"{label}（{short}）", code) for code, (label, short) in appeals.RESULTS.items()]
        if self.correcting:
            yield Static(f"已登记：{self.case.result_label}（{self.case.row['decided_date']}）。"
                         "更正须写明理由，更正前后的结果都记入操作日志。")
            options.append((f"{appeals.PENDING_LABEL}（撤销误登的结果）", appeals.PENDING_LABEL))
        yield Static("审结结果（年度报告表四）")
        yield Select(options, id="result", prompt="请选择审结结果", value=self.case.row["result"] or Select.NULL)
        yield Static("复议决定或判决、裁定的日期（YYYY-MM-DD）")
        yield Input(self.case.row["decided_date"] or today().isoformat(), id="date", placeholder="审结日期 YYYY-MM-DD")
        if self.correcting:
            yield Input(id="reason", placeholder="更正理由（必填）")
        yield Input(id="note", placeholder="备注：决定书或判决书文号等")

    def on_mount(self) -> None:
        self.query_one("#result", Select).focus()

    def call(self):
        result, day, note = self.value("result") or "", self.value("date"), self.value("note")
        register, actor, ref = self.app.archive.appeal_register(), self.app.actor, self.ref
        if not self.correcting:
            return lambda: register.decide(ref, actor, result=result, date=day, note=note)
        reason = self.value("reason")
        return lambda: register.correct(ref, actor, result=result, date=day, reason=reason, note=note)
