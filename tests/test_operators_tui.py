"""操作员管理 in the app (Pilot, 80×24, keyboard only): an admin adds, resets, changes roles, unlocks and 停用s;
the last-admin rule holds; a non-admin cannot open the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, SelectionList

from archive_tui import Archive, operators
from archive_tui.access import Role
from archive_tui.errors import PermissionDenied
from archive_tui.tui.app import make_app
from archive_tui.tui.commands import CounterCommands
from archive_tui.tui.dialogs.operator_form import OperatorForm
from archive_tui.tui.screens.help import HelpScreen
from archive_tui.tui.screens.operators import OperatorsScreen

from review_fixtures import settle


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def _select(pilot, app, username: str) -> None:
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(username))
    await pilot.pause()


async def _type(pilot, app, widget_id: str, text: str) -> None:
    """Focus an input and fill it in (typing each key costs a Pilot round trip; the username is typed for real)."""
    field = app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    field.value = text
    await pilot.pause()


async def _passwords(pilot, app, password: str) -> None:
    await _type(pilot, app, "password", password)
    await _type(pilot, app, "password2", password)


async def test_admin_manages_operators_from_the_keyboard(archive: Archive) -> None:
    admin = archive.init_admin("admin", "admin-pass-1", "管理员甲")
    app = make_app(archive, admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, OperatorsScreen)
        assert app.screen.query_one(DataTable).row_count == 1

        # add: username, name, two roles (space ticks), password twice (hidden)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, OperatorForm)
        await pilot.press(*"zhao", "tab")
        form.query_one("#display_name", Input).value = "赵档案"
        await pilot.press("tab")
        assert isinstance(app.focused, SelectionList)
        await pilot.press("down", "space", "down", "space")
        assert form.query_one("#password", Input).password
        await _type(pilot, app, "password", "zhao-pass-1")
        await _type(pilot, app, "password2", "zhao-pass-2")
        await pilot.press("enter")
        assert app.screen is form  # mismatch: the form stays
        form.query_one("#password2", Input).value = ""
        await _type(pilot, app, "password2", "zhao-pass-1")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorsScreen)
        assert archive.login("zhao", "zhao-pass-1").roles == {Role.ARCHIVIST, Role.REVIEWER}

        # unlock an account locked by wrong passwords
        for _ in range(operators.MAX_FAILURES):
            with pytest.raises(PermissionDenied):
                archive.login("zhao", "wrong-pass")
        await pilot.press("g")
        await settle(pilot)
        await _select(pilot, app, "zhao")
        assert "锁定至" in str(app.screen.query_one(DataTable).get_row("zhao")[3])
        await pilot.press("u")
        await settle(pilot)
        assert "正常" == str(app.screen.query_one(DataTable).get_row("zhao")[3])
        archive.login("zhao", "zhao-pass-1")

        # reset the password
        await pilot.press("p")
        await _passwords(pilot, app, "zhao-new-pass")
        await pilot.press("enter")
        await settle(pilot)
        assert archive.login("zhao", "zhao-new-pass").name == "zhao"

        # change roles: drop 档案员 and 审核员, tick 窗口; saved with Ctrl+S
        await pilot.press("r")
        await pilot.press("down", "space", "down", "space", "down", "space", "ctrl+s")
        await settle(pilot)
        assert archive.login("zhao", "zhao-new-pass").roles == {Role.CLERK}

        # 停用 until unlocked
        await pilot.press("l")
        await settle(pilot)
        with pytest.raises(PermissionDenied, match="由管理员解锁"):
            archive.login("zhao", "zhao-new-pass")

        # the last admin cannot drop their own admin role: refused by the core, shown as a notification
        await _select(pilot, app, "admin")
        await pilot.press("r", "space", "down", "space", "ctrl+s")
        await settle(pilot)
        assert any("最后一个管理员" in m for m in _messages(app))
        assert operators.roles_of(operators.get(archive.db, "admin")) == {Role.ADMIN}

        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        ids = {row[4] for row in app.screen.rows}
        assert {"operators.add", "operators.unlock", "operators.lock", "app.operators"} <= ids
    log = [r[0] for r in archive.db.execute(
        "SELECT action FROM events WHERE actor = 'admin' AND action LIKE 'operator%' ORDER BY id")]
    assert log == ["operator_add", "operator_unlock", "operator_passwd", "operator_roles", "operator_lock"]
    events = "\n".join(str(r) for r in archive.db.query("SELECT * FROM events"))
    assert "zhao-pass-1" not in events and "zhao-new-pass" not in events


async def test_non_admin_cannot_open_operator_management(archive: Archive) -> None:
    admin = archive.init_admin("admin", "admin-pass-1")
    with archive.db.conn:
        operators.add(archive.db, "wang", "wang-pass-1", frozenset({Role.ARCHIVIST, Role.REVIEWER}), admin)
    wang = archive.login("wang", "wang-pass-1")
    app = make_app(archive, wang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert not isinstance(app.screen, OperatorsScreen)
        assert any("需要管理员权限" in m for m in _messages(app))
        titles = [title for title, _, _ in CounterCommands(app.screen)._commands()]
        assert "操作员管理" not in titles
        app.actor = admin
        assert "操作员管理" in [title for title, _, _ in CounterCommands(app.screen)._commands()]
    with pytest.raises(PermissionDenied):
        operators.listing(archive.db, wang)


def test_state_labels() -> None:
    now = dt.datetime(2026, 3, 1, 9, 0).astimezone()
    row = {"locked_until": None, "failed_count": 2}
    assert operators.state_label(row, now=now) == "密码错误 2 次"
    assert operators.state_label({**row, "locked_until": operators.LOCKED_FOREVER}, now=now).startswith("已停用")
    soon = (now + dt.timedelta(minutes=5)).isoformat()
    assert operators.state_label({**row, "locked_until": soon}, now=now) == "锁定至 09:05"
    assert operators.state_label({"locked_until": None, "failed_count": 0}, now=now) == "正常"
