"""The review flow in the app (Pilot): login, queue, personal-data findings, release, withhold, self-release refused."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from archive_tui import Archive, operators
from archive_tui.access import Role, system_actor
from archive_tui.tui.app import make_app
from archive_tui.tui.dialogs.review_note import ReviewNoteDialog
from archive_tui.tui.dialogs.review_withhold import WithholdDialog
from archive_tui.tui.screens.login import FirstRunScreen, LoginScreen
from archive_tui.tui.screens.review import ReviewScreen

from review_fixtures import settle

ID_NUMBER = "11010519491231002X"


def _staffed(archive: Archive) -> dict[str, int]:
    admin = archive.init_admin("admin", "admin-pass-1")
    with archive.db.conn:
        operators.add(archive.db, "li", "li-pass-123", frozenset({Role.ARCHIVIST}), admin)
        operators.add(archive.db, "wang", "wang-pass-1", frozenset({Role.ARCHIVIST, Role.REVIEWER}), admin)
    li, wang = archive.login("li", "li-pass-123"), archive.login("wang", "wang-pass-1")
    ids = {
        "clean": archive.add_record({"title": "关于春季植树的通知"}, li),
        "pii": archive.add_record({"title": "低保对象审批表"}, li),
        "own": archive.add_record({"title": "王审核自己录入的文件"}, wang),
    }
    archive.db["pages"].insert({"record_id": ids["pii"], "page_no": 1, "flagged": 1, "ocr_confidence": 38.5,
                                "text": f"申请人张三，身份证号{ID_NUMBER}，家住临川县城关镇解放路12号。"})
    archive.db.conn.commit()
    archive.mark_ready(ids["pii"], li)
    return ids


async def _login(pilot, app, username: str, password: str) -> None:
    assert isinstance(app.screen, LoginScreen)
    app.screen.query_one("#username", Input).value = username
    app.screen.query_one("#password", Input).value = password
    app.screen.query_one("#password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def _select(pilot, app, record_id: int) -> None:
    table = app.screen.query_one("#review-queue", DataTable)
    table.move_cursor(row=table.get_row_index(str(record_id)))
    await settle(pilot)


def _detail(app) -> str:
    return str(app.screen.query_one("#review-detail", Static).render())


async def test_login_gate_blocks_modes_until_a_password_is_right(archive: Archive) -> None:
    _staffed(archive)
    app = make_app(archive, system_actor())  # not trusted once operators exist
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.actor.roles == {Role.CLERK}
        for key in ("f4", "f3", "ctrl+p", "f8"):
            await pilot.press(key)
            await pilot.pause()
            assert app.current_mode == "counter" and isinstance(app.screen, LoginScreen), key
        await _login(pilot, app, "wang", "wrong-password")
        assert isinstance(app.screen, LoginScreen)
        assert "用户名或密码不正确" in str(app.screen.query_one("#login-message", Static).render())
        await _login(pilot, app, "wang", "wang-pass-1")
        assert not isinstance(app.screen, LoginScreen)
        assert app.actor.name == "wang" and app.actor.operator_id is not None
        assert "wang" in app.sub_title


async def test_review_flow_release_withhold_and_self_release_refused(archive: Archive) -> None:
    ids = _staffed(archive)
    app = make_app(archive, system_actor())
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await _login(pilot, app, "wang", "wang-pass-1")
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one("#review-queue", DataTable)
        assert table.row_count == 3
        assert str(table.get_row_at(0)[0]) == str(ids["pii"])  # handed over first

        # the personal data is shown in context, with the flagged page
        await _select(pilot, app, ids["pii"])
        text = _detail(app)
        assert "居民身份证号（第 1 页）" in text and ID_NUMBER in text and "身份证号" in text
        assert "个人住址" in text and "第 1 页（置信度 38）" in text

        # withhold it for personal privacy (suggested because of the findings) with a note
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WithholdDialog)
        await pilot.press("enter")  # keep the preselected reason
        app.screen.query_one("#withhold-note", Input).value = "第1页含申请人身份证号"
        await pilot.press("enter")
        await settle(pilot)
        row = archive.get_record(ids["pii"], system_actor())
        assert (row["status"], row["status_reason"], row["reviewed_by"]) == ("withheld", "个人隐私", "wang")
        assert row["status_note"] == "第1页含申请人身份证号"
        assert table.row_count == 2

        # a record wang ingested himself cannot be released by him
        await _select(pilot, app, ids["own"])
        assert "发布人、审核人分离" in _detail(app)
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewNoteDialog)
        assert any("不能发布" == n.title for n in app._notifications)
        assert archive.get_record(ids["own"], system_actor())["status"] == "pending"

        # li's clean record is released with a note
        await _select(pilot, app, ids["clean"])
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewNoteDialog)
        await pilot.press(*"核对无误")  # typed: the note input has the focus
        await pilot.press("enter")
        await settle(pilot)
        row = archive.get_record(ids["clean"], system_actor())
        assert (row["status"], row["reviewed_by"], row["status_note"]) == ("released", "wang", "核对无误")
        assert table.row_count == 1
    actions = [r[0] for r in archive.db.execute("SELECT action FROM events WHERE actor = 'wang' ORDER BY id")]
    assert actions[-3:] == ["login", "withhold", "release"]


async def test_first_run_screen_creates_the_admin_when_no_operators_exist(archive: Archive) -> None:
    archive.add_record({"title": "尚无操作员时的记录"}, system_actor("system"))
    app = make_app(archive, system_actor("system"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, LoginScreen)  # no operators: no login
        await pilot.press("f4")
        await settle(pilot)
        banner = str(app.screen.query_one("#review-banner", Static).render())
        assert "尚未设置操作员" in banner
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        app.screen.query_one("#password", Input).value = "first-admin-1"
        app.screen.query_one("#password2", Input).value = "first-admin-1"
        app.screen.query_one("#password2", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor.name == "admin" and app.actor.operator_id is not None
        assert archive.has_operators()
        assert "尚未设置操作员" not in str(app.screen.query_one("#review-banner", Static).render())
