"""登录 and 首次运行: who is at the keyboard.

When the archive has operators, :func:`gate` (called as the app starts) replaces whatever actor the app was
started with by the counter scope of nobody in particular and shows :class:`LoginScreen`; the actor it returns becomes
``app.actor``. While an archive has no operators everybody works as the system actor; :class:`FirstRunScreen`
(key ``a`` in the 审核 mode, or ``archive-tui user init-admin``) creates the first admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...access import Actor, counter_actor
from ...errors import ArchiveError

if TYPE_CHECKING:
    from ..app import ArchiveApp

#: The app's actor before anybody has logged in: counter scope (released records only), the public's view.
NOBODY = "未登录"

LOGIN_CSS = """
LoginScreen, FirstRunScreen { align: center middle; }
#login-form { width: 60; height: auto; border: thick $accent; padding: 1 2; background: $surface; }
#login-grid { grid-size: 2; grid-columns: 12 1fr; grid-rows: 3; height: auto; }
#login-grid Label { padding: 1 0; }
#login-message { color: $error; height: auto; min-height: 1; }
"""

#: Mode and counter keys of the app stay dead while nobody is logged in.
_BLOCKED = (("f1", "help"), ("f2", "counter"), ("f3", "desk"), ("f4", "review"), ("f5", "stats"),
            ("f8", "visit"), ("f9", "visit_end"), ("f12", "operators"))


def gate(app: "ArchiveApp") -> None:
    """Ask for a login when the archive has operators and the app was not started by a logged-in one."""
    if app.actor.operator_id is not None or not app.archive.has_operators():
        return
    app.actor = counter_actor(NOBODY)
    palette, app.use_command_palette = app.use_command_palette, False  # its commands would bypass the form

    def done(actor: Actor | None) -> None:
        app.use_command_palette = palette
        logged_in(app, actor)

    app.push_screen(LoginScreen(), done)


def logged_in(app: "ArchiveApp", actor: Actor | None) -> None:
    """Make ``actor`` the app's operator (after login or first run)."""
    if actor is None:
        return
    app.actor = actor
    app.sub_title = f"{app.archive.setting('reading_point')} · 操作员 {actor.name}"
    resume = getattr(app, "resume_visit", None)
    if resume is not None:
        resume()
    app.notify(f"欢迎，{actor.name}（{'、'.join(sorted(r.label for r in actor.roles)) or '无角色'}）", title="已登录")


class _Form(ModalScreen[Actor | None]):
    DEFAULT_CSS = LOGIN_CSS
    TITLE_TEXT = ""
    HINT = ""

    def _fields(self) -> ComposeResult:
        """Each form's labels and inputs."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(id="login-form") as form:
            form.border_title = self.TITLE_TEXT
            form.border_subtitle = self.HINT
            with Grid(id="login-grid"):
                yield from self._fields()
            yield Static(id="login-message")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _say(self, text: str) -> None:
        self.query_one("#login-message", Static).update(text)

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def action_blocked(self) -> None:
        self._say("请先登录")


class LoginScreen(_Form):
    """Username and password; a failure says why (wrong password, locked) and the form stays."""

    TITLE_TEXT = "操作员登录"
    HINT = "回车 登录 · Ctrl+Q 退出"
    BINDINGS = [
        Binding(key, "blocked", "请先登录", id=f"login.block.{name}", tooltip="登录之前不能切换模式", show=False)
        for key, name in _BLOCKED
    ]

    def _fields(self) -> ComposeResult:
        yield Label("用户名")
        yield Input(id="username", placeholder="操作员用户名")
        yield Label("密码")
        yield Input(id="password", password=True, placeholder="密码")

    @on(Input.Submitted, "#username")
    def _to_password(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def submit(self) -> None:
        username, password = self._value("username").strip(), self._value("password")
        if not username:
            self._say("请输入用户名")
            self.query_one("#username", Input).focus()
            return
        self._say("正在核对……")
        self.attempt(username, password)

    @work(thread=True, exit_on_error=False, exclusive=True, group="login")
    def attempt(self, username: str, password: str) -> None:
        try:
            actor = self.app.archive.login(username, password)
        except ArchiveError as exc:
            self.app.call_from_thread(self._failed, exc.message)
            return
        self.app.call_from_thread(self.dismiss, actor)

    def _failed(self, message: str) -> None:
        self._say(message)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()


class FirstRunScreen(_Form):
    """Creates the first operator, an admin, and logs them in."""

    TITLE_TEXT = "首次运行：创建管理员"
    HINT = "回车 下一项/创建 · Esc 暂不创建"
    BINDINGS = [Binding("escape", "dismiss(None)", "暂不创建", id="firstrun.cancel", tooltip="关闭，不创建管理员")]

    def _fields(self) -> ComposeResult:
        yield Label("用户名")
        yield Input(id="username", value="admin", placeholder="管理员用户名")
        yield Label("姓名")
        yield Input(id="display_name", placeholder="显示的姓名（可不填）")
        yield Label("密码")
        yield Input(id="password", password=True, placeholder="至少 8 位")
        yield Label("再输一次")
        yield Input(id="password2", password=True, placeholder="确认密码")

    @on(Input.Submitted, "#username,#display_name,#password")
    def _next(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#password2")
    def submit(self) -> None:
        if self._value("password") != self._value("password2"):
            self._say("两次输入的密码不一致")
            return
        self.create(self._value("username").strip(), self._value("password"), self._value("display_name"))

    @work(thread=True, exit_on_error=False, exclusive=True, group="login")
    def create(self, username: str, password: str, display_name: str) -> None:
        try:
            actor = self.app.archive.init_admin(username, password, display_name or None)
        except ArchiveError as exc:
            self.app.call_from_thread(self._say, exc.message)
            return
        self.app.call_from_thread(self.dismiss, actor)
