"""登记申请: a new request for disclosure (applicant type as in table 3, name, contact, content, channel, date)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from ...requests import outcomes
from ...timeutil import today
from .request_form import RequestForm


class RequestAddDialog(RequestForm):
    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="request-form") as form:
            form.border_title = "登记政府信息公开申请"
            form.border_subtitle = "Ctrl+S 保存 · Esc 取消"
            yield Static("申请人类型（年度报告表三的列）")
            yield Select([(t, t) for t in outcomes.applicant_types()], id="applicant_type", prompt="请选择")
            yield Input(id="applicant_name", placeholder="申请人姓名或名称（必填）")
            yield Input(id="contact", placeholder="联系方式（电话、地址或邮箱）")
            yield Input(id="content", placeholder="申请公开的政府信息：名称、文号或描述（必填）")
            yield Static("申请方式")
            yield Select([(c, c) for c in outcomes.channels()], id="channel", value="当面", allow_blank=False)
            yield Static("收到申请的日期（YYYY-MM-DD）")
            yield Input(today().isoformat(), id="received_date", placeholder="收到申请的日期 YYYY-MM-DD")
            yield Static("", classes="request-message")

    def on_mount(self) -> None:
        self.query_one("#applicant_type", Select).focus()

    def call(self):
        fields = {key: self.value(key) for key in
                  ("applicant_type", "applicant_name", "contact", "content", "channel", "received_date")}
        archive, actor = self.app.archive, self.app.actor
        return lambda: archive.request_register().add(fields, actor)
