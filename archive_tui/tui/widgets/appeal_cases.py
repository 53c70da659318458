"""The 复议诉讼 view of the 统计 mode: the cases behind table 4, with keys to log a case and to record or correct
its result. The keys live on this pane, so they work (and show in the footer and F1) while the case list has
focus; the screen loads the cases with its other figures and hands them over with :meth:`show`."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from ...errors import PermissionDenied
from ...requests import AppealCase, appeals
from ..dialogs.appeal_add import AppealAddDialog
from ..dialogs.appeal_decide import AppealDecideDialog

HINT = "按 a 登记案件 · d 登记审结结果（已审结的可更正）"


class AppealCasesPane(Vertical):
    DEFAULT_CSS = """
    AppealCasesPane { height: 1fr; }
    AppealCasesPane #cases-table { height: 1fr; }
    AppealCasesPane #case-detail { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    """
    help_scope = "复议诉讼案件"
    BINDINGS = [
        Binding("a", "add_case", "登记案件", id="stats.appeal_add",
                tooltip="登记一件政府信息公开行政复议或行政诉讼案件（年度报告表四）"),
        Binding("d", "decide_case", "审结/更正", id="stats.appeal_decide",
                tooltip="登记所选案件的审结结果；已审结的案件可更正，须写明理由"),
    ]

    class Changed(Message):
        """A case was added, decided or corrected: the figures need counting again."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cases: list[AppealCase] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="case-detail")

    def show(self, cases: list[AppealCase] | None, refused: str = "") -> None:
        """List ``cases``; None: the operator may not see them and ``refused`` says why."""
        table = self.query_one("#cases-table", DataTable)
        self.cases = cases or []
        keep = table.cursor_row
        table.clear(columns=True)  # a clerk gets an empty list, which keeps the focus and the keys that explain
        if cases is None:
            self.query_one("#case-detail", Static).update(refused)
            return
        table.add_columns("编号", "收到日期", "类型", "审结结果", "审结日期", "涉及申请")
        for case in cases:
            table.add_row(case.ref, case.row["filed_date"], case.kind_label, case.result_label,
                          case.row["decided_date"] or "", case.request_ref or "", key=case.ref)
        if cases:
            table.move_cursor(row=min(keep, len(cases) - 1))
        self._show_detail()

    def selected(self) -> AppealCase | None:
        table = self.query_one("#cases-table", DataTable)
        if not self.cases or table.row_count == 0:
            return None
        return self.cases[min(table.cursor_row, len(self.cases) - 1)]

    @on(DataTable.RowHighlighted, "#cases-table")
    def _show_detail(self) -> None:
        case = self.selected()
        detail = self.query_one("#case-detail", Static)
        if case is None:
            detail.update("（本年没有复议诉讼案件，也没有未审结的）" + HINT)
            return
        about = f"  涉及申请 {case.request_ref}" if case.request_ref else ""
        detail.update(f"{case.ref}  {case.kind_label}{about}\n{case.row['note'] or ''}\n{HINT}".replace("\n\n", "\n"))

    def _allowed(self) -> bool:
        """Staff only: a clerk is told why, politely, instead of getting a dialog the core would refuse."""
        try:
            appeals.require_case_access(self.app.actor)
        except PermissionDenied as exc:
            self.app.notify(exc.message + "。如需登记，请联系档案员。", title="不能办理", severity="warning")
            return False
        return True

    def action_add_case(self) -> None:
        if self._allowed():
            self.app.push_screen(AppealAddDialog(), self._after_dialog)

    def action_decide_case(self) -> None:
        if not self._allowed():
            return
        case = self.selected()
        if case is None:
            self.app.notify("请先选择一件案件", severity="warning")
            return
        self.app.push_screen(AppealDecideDialog(case), self._after_dialog)

    def _after_dialog(self, case: AppealCase | None) -> None:
        if case is not None:
            self.app.notify(f"案件 {case.ref}：{case.kind_label}，{case.result_label}", title="已保存")
            self.post_message(self.Changed())
