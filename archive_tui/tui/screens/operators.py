"""操作员管理 (admins only): the archive's operators, and adding one, resetting a password, changing roles,
停用 (lock until unlocked) and 解锁.

Opened over any mode with F12 or the command palette. Every read and change runs in a thread worker through
:mod:`archive_tui.operators`, which checks the admin role and the last-admin rule itself; the screen only chooses
what to ask. Refusals arrive as notifications (:class:`ReportsWorkerErrors`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ... import operators
from ...access import Actor, Role
from ..dialogs.operator_form import OperatorDraft, OperatorForm
from ..worker_errors import ReportsWorkerErrors
from .login import FirstRunScreen, logged_in

OPERATORS_CSS = """
#operators-banner { height: auto; padding: 0 1; background: $boost; }
#operators-table { height: 1fr; }
"""

#: A change of :mod:`archive_tui.operators` with the archive's connection and the acting admin filled in.
Change = Callable[[Database, Actor], None]


class OperatorsScreen(ReportsWorkerErrors, Screen):
    DEFAULT_CSS = OPERATORS_CSS
    BINDINGS = [
        Binding("n", "add", "添加", id="operators.add", tooltip="添加操作员：用户名、姓名、角色（可多选）和初始密码"),
        Binding("p", "password", "重设密码", id="operators.password", tooltip="为选中的操作员设置新密码（输入两次）"),
        Binding("r", "roles", "角色", id="operators.roles", tooltip="修改选中操作员的角色：管理员、档案员、审核员、窗口"),
        Binding("u", "unlock", "解锁", id="operators.unlock",
                tooltip="解锁选中的操作员：管理员停用的，或密码错误过多被锁定的"),
        Binding("l", "lock", "停用", id="operators.lock", tooltip="停用（锁定）选中的操作员，直到管理员解锁"),
        Binding("g", "refresh", "刷新", id="operators.refresh", tooltip="重新读取操作员列表"),
        Binding("escape", "close", "返回", id="operators.close", tooltip="关闭操作员管理，回到原来的页面"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.no_operators = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取操作员……", id="operators-banner")
        yield DataTable(id="operators-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "操作员管理"
        self.query_one(DataTable).add_columns("用户名", "姓名", "角色", "状态", "最近登录")
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("password", "roles", "unlock", "lock"):
            return None if self.selected is None else True
        return True

    @property
    def selected(self) -> dict[str, Any] | None:
        if not self.rows:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # -- the list -------------------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss()

    @work(thread=True, exit_on_error=False, exclusive=True, group="operators-list")
    def load(self) -> None:
        archive = self.app.archive
        rows = operators.listing(archive.db, self.app.actor)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one(DataTable)
        keep = self.selected["username"] if self.selected else None
        self.rows, self.no_operators = rows, not rows
        table.clear()
        for row in rows:
            table.add_row(row["username"], row["display_name"] or "", operators.roles_label(operators.roles_of(row)),
                          operators.state_label(row), (row["last_login"] or "—")[:16].replace("T", " "),
                          key=row["username"])
        names = [row["username"] for row in rows]
        if keep in names:
            table.move_cursor(row=names.index(keep))
        stopped = sum(row["locked_until"] == operators.LOCKED_FOREVER for row in rows)
        banner = (f"操作员 {len(rows)} 人，停用 {stopped} 人 · n 添加 · p 重设密码 · r 角色 · l 停用 · u 解锁"
                  if rows else "尚无操作员：按 n 创建首个管理员（创建后以其身份登录）。")
        self.query_one("#operators-banner", Static).update(banner)
        table.focus()
        self._follow_own_roles(rows)
        self.refresh_bindings()

    def _follow_own_roles(self, rows: list[dict[str, Any]]) -> None:
        """After an admin changed their own roles the app's actor follows; without the admin role, the screen closes."""
        actor = self.app.actor
        own = next((row for row in rows if row["username"] == actor.name and actor.operator_id is not None), None)
        if own is None or operators.roles_of(own) == actor.roles:
            return
        self.app.actor = Actor(name=actor.name, roles=operators.roles_of(own), operator_id=actor.operator_id)
        if not self.app.actor.has(Role.ADMIN):
            self.notify("您已不再是管理员，操作员管理已关闭", title="操作员管理", severity="warning")
            self.dismiss()

    # -- changes --------------------------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="operators-change")
    def change(self, change: Change, done: str) -> None:
        """Run one change in its own transaction as the app's operator, say so, and re-read the list."""
        db = self.app.archive.db
        with db.conn:
            change(db, self.app.actor)
        self.app.call_from_thread(self.notify, done, title="操作员管理")
        self.app.call_from_thread(self.load)

    def _ask(self, form: OperatorForm, change: Callable[[OperatorDraft], tuple[Change, str]]) -> None:
        """Show ``form``; a filled-in draft becomes the change (and its message) that ``change`` makes of it."""

        def answered(draft: OperatorDraft | None) -> None:
            if draft is not None:
                self.change(*change(draft))

        self.app.push_screen(form, answered)

    def action_add(self) -> None:
        if self.no_operators:
            self.app.push_screen(FirstRunScreen(), self._first_admin)
            return
        self._ask(OperatorForm("添加操作员", identity=True, roles=frozenset(), password=True), lambda d: (
            lambda db, actor: operators.add(db, d.username, d.password, d.roles, actor, d.display_name or None),
            f"已添加操作员「{d.username}」（{operators.roles_label(d.roles)}）",
        ))

    def _first_admin(self, actor: Actor | None) -> None:
        logged_in(self.app, actor)
        self.load()

    def action_password(self) -> None:
        name = self._selected_name()
        self._ask(OperatorForm(f"重设密码：{name}", password=True), lambda d: (
            lambda db, actor: operators.set_password(db, name, d.password, actor), f"已重设操作员「{name}」的密码",
        ))

    def action_roles(self) -> None:
        name = self._selected_name()
        current = operators.roles_of(self.selected or {"roles": ""})
        self._ask(OperatorForm(f"角色：{name}", roles=current), lambda d: (
            lambda db, actor: operators.set_roles(db, name, d.roles, actor),
            f"操作员「{name}」的角色：{operators.roles_label(d.roles)}",
        ))

    def action_lock(self) -> None:
        name = self._selected_name()
        self.change(lambda db, actor: operators.lock(db, name, actor), f"已停用操作员「{name}」，按 u 可解锁")

    def action_unlock(self) -> None:
        name = self._selected_name()
        self.change(lambda db, actor: operators.unlock(db, name, actor), f"已解锁操作员「{name}」")

    def _selected_name(self) -> str:
        return self.selected["username"] if self.selected else ""
