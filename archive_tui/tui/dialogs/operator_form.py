"""The forms of 操作员管理: a new operator, an operator's roles, a new password.

One form serves all three, asking only what the change needs. Passwords are typed twice into hidden inputs and
only handed back to the caller (never shown, logged or kept); the core checks them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static

from ...access import Role
from ...operators import MIN_PASSWORD

OPERATOR_FORM_CSS = """
OperatorForm { align: center middle; }
#operator-form { width: 72; max-width: 100%; height: auto; max-height: 100%; border: thick $accent;
                 background: $surface; padding: 0 1; }
#operator-grid { grid-size: 2; grid-columns: 10 1fr; grid-gutter: 1 0; height: auto; margin: 1 0; }
#operator-grid Input { background: $boost; }
#operator-roles { height: auto; border: none; padding: 0; }
#operator-message { color: $error; height: auto; }
"""


@dataclass(frozen=True)
class OperatorDraft:
    """What the form collected; fields the form did not ask for are empty."""

    username: str = ""
    display_name: str = ""
    roles: frozenset[Role] = frozenset()
    password: str = ""

    def __repr__(self) -> str:  # a draft printed in a traceback must not show the password
        return f"OperatorDraft(username={self.username!r}, roles={sorted(r.value for r in self.roles)})"


class OperatorForm(ModalScreen[OperatorDraft | None]):
    """Dismisses with an :class:`OperatorDraft`, or None when cancelled.

    ``identity`` asks 用户名 and 姓名, ``roles`` (the current roles, or None) the multi-choice of roles,
    ``password`` the password twice.
    """

    DEFAULT_CSS = OPERATOR_FORM_CSS
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="operators.form.save", tooltip="检查并保存这张表"),
        Binding("escape", "dismiss(None)", "取消", id="operators.form.cancel", tooltip="不保存，关闭表单"),
    ]

    def __init__(
        self, title: str, *, identity: bool = False, roles: frozenset[Role] | None = None, password: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.identity = identity
        self.roles = roles
        self.password = password

    def compose(self) -> ComposeResult:
        with Vertical(id="operator-form") as form:
            form.border_title = self.title_text
            form.border_subtitle = "Tab 下一项 · 空格 勾选角色 · Ctrl+S 保存 · Esc 取消"
            with Grid(id="operator-grid"):
                if self.identity:
                    yield Label("用户名")
                    yield Input(id="username", placeholder="登录用，不含空格", compact=True)
                    yield Label("姓名")
                    yield Input(id="display_name", placeholder="显示的姓名（可不填）", compact=True)
                if self.roles is not None:
                    yield Label("角色")
                    yield SelectionList[Role](
                        *((role.label, role, role in self.roles) for role in Role), id="operator-roles"
                    )
                if self.password:
                    yield Label("密码")
                    yield Input(id="password", password=True, placeholder=f"至少 {MIN_PASSWORD} 位", compact=True)
                    yield Label("再输一次")
                    yield Input(id="password2", password=True, placeholder="确认密码", compact=True)
            yield Static("", id="operator-message")

    def on_mount(self) -> None:
        grid = self.query_one("#operator-grid")
        # ``grid-rows: auto`` under-counts the role list's rows: each row's height is set here instead
        grid.styles.grid_rows = " ".join(
            str(len(Role)) if isinstance(w, SelectionList) else "1" for w in grid.children[1::2]
        )
        grid.children[1].focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        """Enter moves on; in the last input it saves."""
        if event.input is list(self.query(Input))[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        draft, problem = self._draft()
        if problem:
            self.query_one("#operator-message", Static).update(problem)
            return
        self.dismiss(draft)

    def _draft(self) -> tuple[OperatorDraft, str]:
        """The form's values and what is wrong with them ("" when nothing)."""
        values = {i.id: i.value for i in self.query(Input)}
        roles = frozenset(self.query_one(SelectionList).selected) if self.roles is not None else frozenset()
        draft = OperatorDraft(values.get("username", "").strip(), values.get("display_name", "").strip(), roles,
                              values.get("password", ""))
        if self.identity and not draft.username:
            return draft, "请填写用户名"
        if self.roles is not None and not roles:
            return draft, "请至少勾选一个角色"
        if self.password and len(draft.password) < MIN_PASSWORD:
            return draft, f"密码至少 {MIN_PASSWORD} 位"
        if self.password and draft.password != values.get("password2"):
            return draft, "两次输入的密码不一致"
        return draft, ""
