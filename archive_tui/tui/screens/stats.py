"""统计 mode: reading-room counts with a bar chart, catalogue counts, the request register with due/overdue flags,
a preview of annual-report tables 3 and 4 with export, and the 行政复议、行政诉讼 cases behind table 4.

Everything is computed by the core in one thread worker per refresh; the result is handed back to the UI thread
as a :class:`Snapshot`. Keys 1–5 switch views, [ and ] change the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from ...errors import PermissionDenied
from ...requests import AppealCase, RequestView
from ...requests.register import most_urgent
from ...requests import outcomes as outcome_vocab
from ...requests.workdays import provisional_warning
from ...stats import annual_report, catalogue, reading_room, table4 as table4_mod, tables
from ...stats.tables import Table, yuan
from ...timeutil import today
from ..dialogs.request_add import RequestAddDialog
from ..dialogs.request_close import RequestCloseDialog
from ..dialogs.request_step import RequestStepDialog
from ..widgets.appeal_cases import AppealCasesPane
from ..widgets.bar_chart import BarChart
from ..worker_errors import ReportsWorkerErrors

VIEWS = ("reading", "catalogue", "requests", "annual", "cases")
FLAG_STYLES = {"overdue": "bold red", "near": "yellow"}


@dataclass
class Snapshot:
    year: int
    month: int | None  # set: the reading view shows the days of this month
    reading: list[tuple[str, reading_room.Counts]]
    reading_total: reading_room.Counts
    by_issuer: list[tuple[str, reading_room.Counts]]
    catalogue: list[Table]
    requests: list[RequestView]
    due: list[RequestView]
    table3: Table
    table3_problems: list[str]
    table4: Table | None  # None: this operator may not see the 行政复议、行政诉讼 cases
    table4_note: str
    table4_bad: bool
    cases: list[AppealCase] | None  # None: not in this operator's scope, ``cases_refused`` says why
    cases_refused: str
    warnings: list[str] = field(default_factory=list)


class StatsScreen(ReportsWorkerErrors, Screen):
    DEFAULT_CSS = """
    StatsScreen #stats-status { height: auto; padding: 0 1; background: $boost; }
    StatsScreen #stats-tabs, StatsScreen #stats-tabs ContentSwitcher, StatsScreen #stats-tabs TabPane { height: 1fr; }
    StatsScreen #stats-tabs TabPane { padding: 0; }
    StatsScreen #reading-chart { height: 12; }
    StatsScreen #reading-table, StatsScreen #catalogue-table, StatsScreen #annual-table { height: 1fr; }
    StatsScreen #requests-table { height: 1fr; }
    StatsScreen #request-detail { height: auto; max-height: 8; padding: 0 1; color: $text-muted; }
    StatsScreen #annual-check { height: auto; padding: 0 1; }
    StatsScreen #annual-check.-bad, StatsScreen #table4-note.-bad { color: $error; }
    StatsScreen #table4-note { height: auto; padding: 0 1; }
    StatsScreen #table4-table { height: 6; }
    """
    BINDINGS = [
        Binding("1", "show('reading')", "阅览", id="stats.reading", tooltip="查阅点接待统计：接待人次、查阅件次、打印页数"),
        Binding("2", "show('catalogue')", "目录", id="stats.catalogue", tooltip="目录统计：制发、废止、现行有效件数"),
        Binding("3", "show('requests')", "申请", id="stats.requests", tooltip="依申请公开登记簿与到期提醒"),
        Binding("4", "show('annual')", "年报", id="stats.annual", tooltip="年度报告表三、表四预览与导出"),
        Binding("5", "show('cases')", "复议诉讼", id="stats.cases",
                tooltip="行政复议、行政诉讼案件：登记、审结与更正（年度报告表四）"),
        Binding("left_square_bracket", "year(-1)", "上一年", id="stats.prev_year", tooltip="统计上一年"),
        Binding("right_square_bracket", "year(1)", "下一年", id="stats.next_year", tooltip="统计下一年"),
        Binding("t", "toggle_unit", "按月/按日", id="stats.unit", tooltip="阅览图表在按月与所选月份按日之间切换"),
        Binding("a", "add_request", "登记申请", id="stats.request_add", tooltip="登记一件新的政府信息公开申请"),
        Binding("s", "request_step", "办理步骤", id="stats.request_step",
                tooltip="对所选申请登记补正、延期、征求第三方意见等步骤"),
        Binding("c", "close_request", "办结", id="stats.request_close", tooltip="以表三中的办理结果办结所选申请"),
        Binding("x", "export", "导出", id="stats.export", tooltip="把当前视图导出为 XLSX（年报同时导出 Markdown）"),
        Binding("r", "refresh", "刷新", id="stats.refresh", tooltip="重新计算统计数字"),
        Binding("q", "app.quit", "退出", id="stats.quit", tooltip="退出程序"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.year = today().year
        self.month: int | None = None
        self.snapshot: Snapshot | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在统计…", id="stats-status")
        with TabbedContent(initial="reading", id="stats-tabs"):
            with TabPane("1 阅览", id="reading"):
                yield BarChart(id="reading-chart")
                yield DataTable(id="reading-table", cursor_type="row", zebra_stripes=True)
            with TabPane("2 目录", id="catalogue"):
                yield DataTable(id="catalogue-table", cursor_type="row", zebra_stripes=True)
            with TabPane("3 申请", id="requests"):
                yield DataTable(id="requests-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="request-detail")
            with TabPane("4 年报", id="annual"):
                yield Static("", id="annual-check")
                yield DataTable(id="annual-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="table4-note")
                yield DataTable(id="table4-table", cursor_type="row", zebra_stripes=True)
            with TabPane("5 复议诉讼", id="cases"):
                yield AppealCasesPane(id="cases-pane")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.snapshot is not None:
            self.action_refresh()

    # -- loading ---------------------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self._load(self.year, self.month)

    @work(thread=True, exclusive=True, group="stats-load")
    def _load(self, year: int, month: int | None) -> None:
        archive, actor = self.app.archive, self.app.actor
        db = archive.db
        period = f"{year}-{month:02d}" if month else str(year)
        register = archive.request_register()
        everything = register.list(actor)
        views = [v for v in everything if v.request["received_date"][:4] == str(year) or v.status.state != "closed"]
        due = most_urgent(everything)
        table3 = annual_report.build_table3(archive, year, actor)
        table4, table4_note, table4_bad = self._table4(year)
        cases, cases_refused = self._cases(year)
        years = sorted({y for v in views for y in v.status.provisional_years})
        snapshot = Snapshot(
            year=year, month=month,
            reading=reading_room.by_period(db, actor, period, "day" if month else "month"),
            reading_total=reading_room.total(db, actor, period),
            by_issuer=reading_room.by_dimension(db, actor, str(year), "issuer"),
            catalogue=catalogue.tables(db, actor, year),
            requests=views, due=due,
            table3=annual_report.table3_table(table3), table3_problems=table3.problems(),
            table4=table4, table4_note=table4_note, table4_bad=table4_bad, cases=cases, cases_refused=cases_refused,
            warnings=[w for w in [provisional_warning(years)] if w],
        )
        self.app.call_from_thread(self._show, snapshot)

    def _show(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self._show_status(snap)
        self._show_reading(snap)
        self._fill(self.query_one("#catalogue-table", DataTable), snap.catalogue[0], extra=snap.catalogue[1:])
        self._show_requests(snap)
        check = self.query_one("#annual-check", Static)
        check.set_class(bool(snap.table3_problems), "-bad")
        check.update(
            "勾稽检查未通过：" + "；".join(snap.table3_problems) if snap.table3_problems
            else f"{snap.year} 年表三勾稽检查通过（一 + 二 = 三 + 四）。按 x 导出 XLSX 与 Markdown。"
        )
        self._fill(self.query_one("#annual-table", DataTable), snap.table3, label_width=30)
        self._show_table4(snap)
        self.query_one(AppealCasesPane).show(snap.cases, snap.cases_refused)

    def _table4(self, year: int) -> tuple[Table | None, str, bool]:
        """Table 4, the line above it and whether that line is a problem; an operator outside the cases' scope
        gets the reason instead of the table."""
        try:
            built = table4_mod.build_table4(self.app.archive, year, self.app.actor)
        except PermissionDenied as exc:
            return None, f"表四（行政复议、行政诉讼）：{exc.message}", True
        problems = built.problems()
        if problems:
            return table4_mod.table4_table(built), "表四未通过检查：" + "；".join(problems), True
        line = "　".join([f"{table4_mod.TITLE4}（Tab 切换到此表；5 登记案件）", *built.notes()[1:]])
        return table4_mod.table4_table(built), line, False

    def _cases(self, year: int) -> tuple[list[AppealCase] | None, str]:
        """The cases received in ``year``, decided in it or still open; None and the reason for a clerk."""
        try:
            cases = self.app.archive.appeal_register().list(self.app.actor)
        except PermissionDenied as exc:
            return None, f"复议诉讼案件：{exc.message}"
        year_text = str(year)
        return [c for c in cases if c.row["filed_date"][:4] == year_text or not c.row["result"]
                or (c.row["decided_date"] or "")[:4] == year_text], ""

    @on(AppealCasesPane.Changed)
    def _cases_changed(self) -> None:
        self.action_refresh()

    def _show_table4(self, snap: Snapshot) -> None:
        note = self.query_one("#table4-note", Static)
        note.set_class(snap.table4_bad, "-bad")
        note.update(snap.table4_note)
        widget = self.query_one("#table4-table", DataTable)
        widget.display = snap.table4 is not None
        if snap.table4 is not None:
            self._fill(widget, snap.table4)

    def _show_status(self, snap: Snapshot) -> None:
        text = Text()
        text.append(f"{snap.year} 年", style="bold")
        text.append("  [ ] 换年份 · 1 阅览 · 2 目录 · 3 申请 · 4 年报 · 5 复议诉讼")
        overdue = sum(1 for v in snap.due if v.status.flag == "overdue")
        if snap.due:
            text.append(f"\n依申请公开：{len(snap.due)} 件临近或超过期限", style="yellow")
            if overdue:
                text.append(f"（其中 {overdue} 件已超期）", style="bold red")
        for warning in snap.warnings:
            text.append("\n" + warning, style="yellow")
        self.query_one("#stats-status", Static).update(text)

    def _show_reading(self, snap: Snapshot) -> None:
        unit = "日" if snap.month else "月"
        where = f"{snap.year} 年 {snap.month} 月" if snap.month else f"{snap.year} 年"
        chart = self.query_one("#reading-chart", BarChart)
        chart.plot(f"{where}按{unit}接待人次", [(k[-2:].lstrip("0"), c.visitors) for k, c in snap.reading])
        total = snap.reading_total
        table = self.query_one("#reading-table", DataTable)
        table.clear(columns=True)
        table.add_columns("日期", *reading_room.HEADERS)
        for key, counts in snap.reading:
            table.add_row(key, *counts.row(), key=key)
        table.add_row(Text("合计", style="bold"), total.visitors, total.documents, total.pages, yuan(total.fee_cents))
        if snap.by_issuer:
            table.add_row(Text(f"{snap.year} 年按发布机构（涉及人次）", style="bold"), "", "", "", "")
        for issuer, counts in snap.by_issuer[:10]:
            table.add_row(Text(issuer, style="dim"), counts.visitors, *counts.row()[1:])

    def _show_requests(self, snap: Snapshot) -> None:
        table = self.query_one("#requests-table", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns("编号", "收到日期", "申请人", "类型", "申请内容", "状态", "下一期限", "提醒")
        for view in snap.requests:
            req, st = view.request, view.status
            state = st.state_label
            if req["outcome"]:
                state = outcome_vocab.outcome(req["outcome"]).short
            due = f"{st.next_label} {st.next_due}" if st.next_due else ""
            flag = Text(st.flag_label, style=FLAG_STYLES.get(st.flag or "", ""))
            table.add_row(view.ref, req["received_date"], req["applicant_name"], req["applicant_type"],
                          req["content"][:24], state, due, flag, key=view.ref)
        if snap.requests:
            table.move_cursor(row=min(keep, len(snap.requests) - 1))
        self._show_request_detail()

    @staticmethod
    def _fill(widget: DataTable, table: Table, *, extra: list[Table] = (), label_width: int = 0) -> None:
        """Show a core table; ``label_width`` shortens long row labels (the template's are up to 40 characters)."""
        widget.clear(columns=True)
        widget.add_columns(*table.headers)
        for label, *values in table.rows:
            if label_width and len(str(label)) > label_width:
                label = str(label)[: label_width - 1] + "…"
            widget.add_row(label, *values)
        for more in extra:
            widget.add_row(*[Text(more.title, style="bold")] + [""] * (len(table.headers) - 1))
            for row in more.rows:
                widget.add_row(*(list(row) + [""] * (len(table.headers) - len(row)))[: len(table.headers)])

    # -- actions ---------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        active = self.query_one(TabbedContent).active if self.is_mounted else "reading"
        if action in ("add_request", "request_step", "close_request"):
            return active == "requests"
        if action == "toggle_unit":
            return active == "reading"
        return True

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def action_show(self, view: str) -> None:
        self.query_one(TabbedContent).active = view
        table = {"reading": "#reading-table", "catalogue": "#catalogue-table", "requests": "#requests-table",
                 "annual": "#annual-table", "cases": "#cases-table"}[view]
        self.query_one(table, DataTable).focus()
        self.refresh_bindings()

    def action_year(self, step: int) -> None:
        self.year += step
        self.month = None
        self.action_refresh()

    def action_toggle_unit(self) -> None:
        if self.month is not None:
            self.month = None
        else:
            table = self.query_one("#reading-table", DataTable)
            month = today().month if self.year == today().year else 1
            if table.row_count and self.snapshot and table.cursor_row < len(self.snapshot.reading):
                key = self.snapshot.reading[table.cursor_row][0]
                month = int(key[5:7])
            self.month = month
        self.action_refresh()

    def _selected(self) -> RequestView | None:
        table = self.query_one("#requests-table", DataTable)
        if not self.snapshot or not self.snapshot.requests or table.row_count == 0:
            return None
        return self.snapshot.requests[min(table.cursor_row, len(self.snapshot.requests) - 1)]

    @on(DataTable.RowHighlighted, "#requests-table")
    def _show_request_detail(self) -> None:
        view = self._selected()
        detail = self.query_one("#request-detail", Static)
        if view is None:
            detail.update("（没有申请）按 a 登记新申请")
            return
        req, st = view.request, view.status
        lines = [f"{view.ref}  {req['applicant_name']}（{req['applicant_type']}）  {req['channel']}  {req['contact'] or ''}",
                 f"申请内容：{req['content']}",
                 f"补正告知期限 {st.correction_notice_due}"
                 + (f" · 答复期限 {st.answer_due}" if st.answer_due else "")
                 + (f" · 已延长 {st.extended_days} 个工作日" if st.extended_days else "")
                 + (f" · 征求意见不计 {st.paused_days} 个工作日" if st.paused_days else "")]
        lines += [f"{s['date']}  {s['kind']}  {s['approver'] or ''} {s['note'] or ''}".rstrip() for s in view.steps[-3:]]
        detail.update("\n".join(lines) + "\n按 a 登记 · s 办理步骤 · c 办结")

    def _after_dialog(self, view: RequestView | None) -> None:
        if view is not None:
            self.notify(f"申请 {view.ref}：{view.status.state_label}", title="已保存")
            self.action_refresh()

    def action_add_request(self) -> None:
        self.app.push_screen(RequestAddDialog(), self._after_dialog)

    def _summary(self, view: RequestView) -> str:
        return f"{view.request['applicant_name']}：{view.request['content'][:40]}（{view.status.state_label}）"

    def action_request_step(self) -> None:
        view = self._selected()
        if view is None:
            self.notify("请先选择一件申请", severity="warning")
            return
        self.app.push_screen(RequestStepDialog(view.ref, self._summary(view)), self._after_dialog)

    def action_close_request(self) -> None:
        view = self._selected()
        if view is None:
            self.notify("请先选择一件申请", severity="warning")
            return
        self.app.push_screen(RequestCloseDialog(view.ref, self._summary(view)), self._after_dialog)

    def action_export(self) -> None:
        self._export(self.query_one(TabbedContent).active, self.year, self.month)

    @work(thread=True, exclusive=True, group="stats-export")
    def _export(self, view: str, year: int, month: int | None) -> None:
        archive, actor = self.app.archive, self.app.actor
        folder = archive.root / "reports"
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        written: list[Path] = []
        if view == "annual":
            report = annual_report.build(archive, year, actor)  # refused with a Chinese reason if unbalanced
            written = [folder / f"年度报告统计表-{year}-{stamp}.xlsx", folder / f"年度报告统计表-{year}-{stamp}.md"]
            annual_report.write_xlsx(report, written[0])
            written[1].write_text(annual_report.to_md(report), encoding="utf-8")
        elif view == "cases":
            written = [folder / f"复议诉讼案件-{year}-{stamp}.xlsx"]
            tables.write_xlsx([table4_mod.cases_table(archive, year, actor)], written[0])
        elif view == "catalogue":
            written = [folder / f"目录统计-{year}-{stamp}.xlsx"]
            tables.write_xlsx(catalogue.tables(archive.db, actor, year), written[0])
        else:
            period = f"{year}-{month:02d}" if month else str(year)
            names = {"requests": f"依申请公开登记-{year}", "reading": f"查阅点统计-{period}"}
            written = [folder / f"{names.get(view, view)}-{stamp}.xlsx"]
            made = (reading_room.tables(archive.db, actor, period) if view == "reading"
                    else [self._register_table(year)])
            tables.write_xlsx(made, written[0])
        self.app.call_from_thread(
            self.notify, "\n".join(str(p) for p in written), title="已导出"
        )

    def _register_table(self, year: int) -> Table:
        views = self.app.archive.request_register().list(self.app.actor, year=year)
        rows = []
        for v in views:
            req, st = v.request, v.status
            rows.append([v.ref, req["received_date"], req["applicant_type"], req["applicant_name"], req["contact"],
                         req["content"], req["channel"], st.state_label,
                         outcome_vocab.outcome(req["outcome"]).short if req["outcome"] else "",
                         req["closed_date"] or "", str(st.answer_due or ""), st.flag_label])
        return Table(f"{year} 年依申请公开登记", "登记簿",
                     ["编号", "收到日期", "申请人类型", "申请人", "联系方式", "申请内容", "申请方式", "状态", "办理结果",
                      "办结日期", "答复期限", "提醒"], rows)
