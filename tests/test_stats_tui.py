"""The 统计 mode in a real (headless) terminal: the chart renders seeded visits, requests are flagged, a request is
logged and closed through the dialogs, and table 3 exports."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Select, Static

from archive_tui import Archive
from archive_tui.tui.app import make_app
from archive_tui.tui.dialogs.request_add import RequestAddDialog
from archive_tui.tui.dialogs.request_close import RequestCloseDialog
from archive_tui.tui.dialogs.request_step import RequestStepDialog
from archive_tui.tui.widgets.bar_chart import BLOCKS, BarChart


async def settle(app, pilot) -> None:
    """Let workers finish, including those started by their results (a dialog's save starts a refresh)."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, what: str) -> None:
    """Wait (on a loaded machine) for a screen change that a worker brings about."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def seed(archive: Archive, staff) -> int:
    year = dt.date.today().year
    record = archive.add_record({"title": "关于公布收费目录的通知", "issuer": "临川县财政局"}, staff)
    archive.db["records"].update(record, {"status": "released"})
    with archive.db.conn:
        for day, n in ((f"{year}-01-15", 2), (f"{year}-01-20", 1), (f"{year}-03-02", 5)):
            for _ in range(n):
                visit = archive.db["visits"].insert(
                    {"visitor_name": "读者", "operator": "窗口", "started_at": f"{day}T10:00:00+08:00"}).last_pk
                archive.db["visit_records"].insert({"visit_id": visit, "record_id": record, "opened_at": f"{day}T10:05:00+08:00"})
    register = archive.request_register()
    old = dt.date.today() - dt.timedelta(days=60)
    register.add({"applicant_type": "商业企业", "applicant_name": "某某公司", "content": "收费目录依据",
                  "channel": "网络", "received_date": old.isoformat()}, staff)
    return record


async def test_chart_renders_and_overdue_request_is_flagged(archive: Archive, staff) -> None:
    seed(archive, staff)
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.current_mode == "stats"
        chart = app.screen.query_one(BarChart)
        assert dict(chart.data) == {**{str(m): 0 for m in range(1, 13)}, "1": 3, "3": 5}
        drawn = str(chart.render())
        assert "最大 5" in drawn
        # 10 rows of bars: March (5 visits) fills all of them, January (3) six.
        assert drawn.count(BLOCKS[-1] * 3) == 10 + 6
        await pilot.press("t")  # the days of the month under the cursor (January)
        await settle(app, pilot)
        assert dict(app.screen.query_one(BarChart).data)["15"] == 2
        status = str(app.screen.query_one("#stats-status", Static).render())
        assert "1 件临近或超过期限" in status and "已超期" in status
        await pilot.press("3")
        table = app.screen.query_one("#requests-table", DataTable)
        assert table.row_count == 1 and "已超期" in str(table.get_row_at(0)[7])


async def test_log_and_close_a_request_in_the_app(archive: Archive, staff) -> None:
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("3", "a")
        dialog = app.screen
        assert isinstance(dialog, RequestAddDialog)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await until(pilot, lambda: "缺少" in str(dialog.query_one(".request-message", Static).render()), "the error")
        assert "缺少" in str(dialog.query_one(".request-message", Static).render())  # stays open, nothing lost
        dialog.query_one("#applicant_type", Select).value = "自然人"
        dialog.query_one("#applicant_name").value = "李四"
        dialog.query_one("#content").value = "村庄规划批复"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RequestAddDialog), "the add dialog to close")
        await settle(app, pilot)
        table = app.screen.query_one("#requests-table", DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[2] == "李四"
        await pilot.press("s")
        dialog = app.screen
        assert isinstance(dialog, RequestStepDialog)
        dialog.query_one("#kind", Select).value = "extension"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await until(pilot, lambda: "批准人" in str(dialog.query_one(".request-message", Static).render()), "the error")
        assert "请填写批准人" in str(dialog.query_one(".request-message", Static).render())
        dialog.query_one("#person").value = "王主任"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RequestStepDialog), "the step dialog to close")
        await settle(app, pilot)
        assert "已延长 20 个工作日" in str(app.screen.query_one("#request-detail", Static).render())
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, RequestCloseDialog)
        dialog.query_one("#outcome", Select).value = "5.2"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RequestCloseDialog), "the close dialog to close")
        await settle(app, pilot)
        assert app.screen.query_one("#requests-table", DataTable).get_row_at(0)[5] == "不予处理：重复申请"
        await pilot.press("4")
        check = str(app.screen.query_one("#annual-check", Static).render())
        assert "勾稽检查通过" in check
        await pilot.press("x")
        await settle(app, pilot)
        await until(pilot, lambda: (archive.root / "reports").is_dir() and len(list((archive.root / "reports").iterdir())) == 2,
                    "the export")
    written = sorted(p.suffix for p in (archive.root / "reports").iterdir())
    assert written == [".md", ".xlsx"]


async def test_annual_view_shows_table4_and_hides_it_from_a_clerk(archive: Archive, staff, clerk) -> None:
    year = dt.date.today().year
    cases = archive.appeal_register()
    decided = cases.add(staff, kind="复议", filed=f"{year}-01-05").ref
    cases.decide(decided, staff, result="纠正", date=f"{year}-01-20")
    cases.add(staff, kind="直接起诉", filed=f"{year}-01-06")
    app = make_app(archive, staff)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("4")
        note = str(app.screen.query_one("#table4-note", Static).render())
        assert "四、政府信息公开行政复议、行政诉讼情况" in note
        table = app.screen.query_one("#table4-table", DataTable)
        assert [list(table.get_row_at(n)) for n in range(table.row_count)] == [
            ["行政复议", 0, 1, 0, 0, 1], ["行政诉讼（未经复议直接起诉）", 0, 0, 0, 1, 1], ["行政诉讼（复议后起诉）", 0, 0, 0, 0, 0]]
        await pilot.press("tab")
        assert app.focused is table
    app = make_app(archive, clerk)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("4")
        note = app.screen.query_one("#table4-note", Static)
        assert "无权查看或登记行政复议、行政诉讼案件" in str(note.render()) and note.has_class("-bad")
        assert not app.screen.query_one("#table4-table", DataTable).display
