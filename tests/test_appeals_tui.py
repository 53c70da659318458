"""The 复议诉讼 view of the 统计 mode at 80×24, keyboard only: log a case about a request, decide it, correct the
decision with a reason, and a clerk is told politely that the cases are not theirs."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Select, Static

from archive_tui import Archive
from archive_tui.tui.app import make_app
from archive_tui.tui.dialogs.appeal_add import AppealAddDialog
from archive_tui.tui.dialogs.appeal_decide import AppealDecideDialog
from archive_tui.tui.screens.help import binding_rows

from test_stats_tui import settle, until


def _message(dialog) -> str:
    return str(dialog.query_one(".request-message", Static).render())


async def test_add_decide_and_correct_a_case(archive: Archive, staff) -> None:
    today = dt.date.today().isoformat()
    request = archive.request_register().add(
        {"applicant_type": "自然人", "applicant_name": "张三", "content": "征收补偿方案", "channel": "网络",
         "received_date": today}, staff).ref
    app = make_app(archive, staff)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("5")
        shown = {key: b.binding.description for key, b in app.screen.active_bindings.items() if b.enabled}
        assert shown["a"] == "登记案件" and shown["d"] == "审结/更正"  # the pane's keys, not 登记申请
        ids = {row[4] for row in binding_rows(app, app.screen)}
        assert {"stats.cases", "stats.appeal_add", "stats.appeal_decide"} <= ids  # in F1, configurable by id
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AppealAddDialog)
        assert dialog.query_one("#filed").value == today
        await until(pilot, lambda: dialog.query_one("#request", Select)._options[1:] != [], "the requests offered")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "请选择案件类型" in _message(dialog), "the refusal")
        await pilot.press("enter", "down", "enter")  # the kind list: 行政复议
        await pilot.press("tab", "tab")
        await pilot.press("enter", "down", "enter")  # the request list: the one logged
        assert dialog.query_one("#request", Select).value == request
        await pilot.press("tab")
        await pilot.press(*"市政府")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AppealAddDialog), "the add dialog to close")
        await settle(app, pilot)
        table = app.screen.query_one("#cases-table", DataTable)
        assert list(table.get_row_at(0)) == ["A%s-001" % today[:4], today, "行政复议", "尚未审结", "", request]
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, AppealDecideDialog) and not dialog.correcting
        await pilot.press("enter", "down", "enter")  # 维持
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AppealDecideDialog), "the decide dialog to close")
        await settle(app, pilot)
        assert list(table.get_row_at(0))[3:5] == ["维持", today]
        await pilot.press("4")
        assert list(app.screen.query_one("#table4-table", DataTable).get_row_at(0)) == ["行政复议", 1, 0, 0, 0, 1]
        await pilot.press("5", "d")
        dialog = app.screen
        assert isinstance(dialog, AppealDecideDialog) and dialog.correcting
        assert "更正审结结果" in str(dialog.query_one(".request-form").border_title)
        dialog.query_one("#result", Select).value = "corrected"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "须写明理由" in _message(dialog), "the reason asked for")
        dialog.query_one("#reason").value = "误登为维持"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AppealDecideDialog), "the correction to close")
        await settle(app, pilot)
        assert list(table.get_row_at(0))[3] == "纠正"
        await pilot.press("4")
        assert list(app.screen.query_one("#table4-table", DataTable).get_row_at(0)) == ["行政复议", 0, 1, 0, 0, 1]
    logged = [a for (a,) in archive.db.execute("SELECT action FROM events WHERE action LIKE 'appeal.%' ORDER BY id")]
    assert logged == ["appeal.add", "appeal.decide", "appeal.correct"]


async def test_a_clerk_is_told_the_cases_are_not_theirs(archive: Archive, staff, clerk) -> None:
    archive.appeal_register().add(staff, kind="复议", filed=dt.date.today().isoformat())
    app = make_app(archive, clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("5")
        pane = app.screen.query_one("#cases-pane")
        assert "无权查看或登记行政复议、行政诉讼案件" in str(pane.query_one("#case-detail", Static).render())
        assert pane.query_one("#cases-table", DataTable).row_count == 0
        assert app.focused is pane.query_one("#cases-table", DataTable)
        for key in ("a", "d"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, (AppealAddDialog, AppealDecideDialog))
        shown = [n.message for n in app._notifications]
        assert sum("无权查看或登记行政复议、行政诉讼案件" in m and "请联系档案员" in m for m in shown) == 2
    assert archive.db.execute("SELECT count(*) FROM appeal_cases").fetchone()[0] == 1
