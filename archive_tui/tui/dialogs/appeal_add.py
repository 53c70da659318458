"""登记复议诉讼案件: a 行政复议 or 行政诉讼 case about disclosure (table 4), optionally about a logged request."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from ...requests import appeals
from ...timeutil import today
from ..worker_errors import ReportsWorkerErrors
from .request_form import RequestForm


class AppealAddDialog(ReportsWorkerErrors, RequestForm):
    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="request-form") as form:
            form.border_title = "登记行政复议、行政诉讼案件"
            form.border_subtitle = "Ctrl+S 保存 · Esc 取消"
            yield Static("案件类型（年度报告表四）")
            yield Select([(label, code) for code, (label, _) in appeals.KINDS.items()], id="kind", prompt="请选择")
            yield Static("收到复议申请书或起诉状的日期（YYYY-MM-DD）")
            yield Input(today().isoformat(), id="filed", placeholder="收到日期 YYYY-MM-DD")
            yield Static("所涉依申请公开申请（可不选）")
            yield Select([], id="request", prompt="不涉及登记簿中的申请")
            yield Input(id="note", placeholder="备注：复议机关或法院、案号等")
            yield Static("", classes="request-message")

    def on_mount(self) -> None:
        self.query_one("#kind", Select).focus()
        self._offer_requests()

    @work(thread=True, exclusive=True, group="appeal-requests")
    def _offer_requests(self) -> None:
        """The logged requests, newest first, as choices for the request the case is about."""
        views = self.app.archive.request_register().list(self.app.actor)
        options = [(f"{v.ref}  {v.request['applicant_name']}：{v.request['content'][:30]}", v.ref)
                   for v in reversed(views)]
        self.app.call_from_thread(self.query_one("#request", Select).set_options, options)

    def call(self):
        kind, filed, request, note = (self.value(k) for k in ("kind", "filed", "request", "note"))
        archive, actor = self.app.archive, self.app.actor
        return lambda: archive.appeal_register().add(actor, kind=kind, filed=filed, request=request, note=note)
