"""The application: four modes (查阅, 入库, 审核, 统计) over one archive, and the ``make_app`` factory.

The app holds what spans screens at the counter: the active visit (查阅登记), opening records (attached to the
visit), the print dialog, the help screen and the keymap from the user's config file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker

from ..access import Actor, Role
from ..archive import Archive
from . import keymap, worker_errors
from .commands import CounterCommands
from .dialogs.visit_dialog import VisitDialog
from .screens import login
from .screens.counter import CounterScreen
from .screens.help import HelpScreen, binding_rows
from .screens.record import RecordScreen

MODE_LABELS = {"counter": "查阅", "desk": "入库", "review": "审核", "stats": "统计"}


# The other modes are imported when first opened: the counter must be interactive as fast as possible.
def _desk_screen() -> Screen:
    from .screens.desk import DeskScreen

    return DeskScreen()


def _review_screen() -> Screen:
    from .screens.review import ReviewScreen

    return ReviewScreen()


def _stats_screen() -> Screen:
    from .screens.stats import StatsScreen

    return StatsScreen()


class ArchiveApp(App[None]):
    """archive_tui's terminal app. ``actor`` is the logged-in operator; the 查阅 mode always uses counter scope."""

    CSS_PATH = "app.tcss"
    TITLE = "政府信息查阅"
    MODE_LABELS = MODE_LABELS
    MODES = {"counter": CounterScreen, "desk": _desk_screen, "review": _review_screen, "stats": _stats_screen}
    COMMANDS = App.COMMANDS | {CounterCommands}
    BINDINGS = [
        Binding("f1", "help", "帮助", id="app.help", tooltip="显示当前页面的全部按键"),
        Binding("f2", "switch_mode('counter')", "查阅", id="mode.counter", tooltip="切换到查阅（窗口）模式"),
        Binding("f3", "switch_mode('desk')", "入库", id="mode.desk", tooltip="切换到入库（档案员）模式"),
        Binding("f4", "switch_mode('review')", "审核", id="mode.review", tooltip="切换到审核（保密审查）模式"),
        Binding("f5", "switch_mode('stats')", "统计", id="mode.stats", tooltip="切换到统计与报表模式"),
        Binding("f8", "new_visit", "登记", id="visit.new", tooltip="登记来访者（查阅登记），之后查阅和打印都记在这次登记下"),
        Binding("f9", "end_visit", "结束登记", id="visit.end", tooltip="结束当前来访者的查阅登记"),
        Binding("f12", "operators", "操作员", id="app.operators", show=False,  # admins only: in help and palette
                tooltip="操作员管理（管理员）：添加操作员、重设密码、修改角色、停用与解锁"),
        Binding("ctrl+p", "command_palette", "命令", id="app.commands", show=False, priority=True,
                tooltip="打开命令面板：按索引号或文号打开、打印、登记、结束登记、切换模式"),
        Binding("ctrl+q", "quit", "退出", id="app.quit", tooltip="退出程序", priority=True),
    ]

    #: The active visit as ``archive.visit(...)`` returns it (with counts), or None.
    visit: reactive[dict[str, Any] | None] = reactive(None, init=False)

    def __init__(self, archive: Archive, actor: Actor) -> None:
        super().__init__()
        self.archive = archive
        self.actor = actor
        self.keymap_config = keymap.load()
        self.set_keymap(self.keymap_config.keymap)

    @property
    def counter_actor(self) -> Actor:
        """The scope of the counter: the same operator, but released records only."""
        return Actor(name=self.actor.name, roles=frozenset({Role.CLERK}), operator_id=self.actor.operator_id)

    def on_mount(self) -> None:
        self.sub_title = f"{self.archive.setting('reading_point')} · 操作员 {self.actor.name}"
        self.switch_mode("counter")
        login.gate(self)  # operators exist: nobody works until the login screen succeeds
        for problem in self.keymap_config.problems:
            self.notify(problem, title="按键设置", severity="warning")
        self.resume_visit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker of the app becomes a notification (screens mix in ``ReportsWorkerErrors``)."""
        worker_errors.report(self, event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Visits belong to the counter: their keys are live in the 查阅 mode only."""
        if action in ("new_visit", "end_visit"):
            if self.current_mode != "counter":
                return False
            return (self.visit is None) == (action == "new_visit")
        return True

    def watch_visit(self) -> None:
        self.refresh_bindings()

    def action_command_palette(self) -> None:
        """The command palette, with a Chinese prompt that says what can be typed."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="输入命令，或输入索引号、文号直接打开…", id="--command-palette"))

    def action_operators(self) -> None:
        """操作员管理, for admins; anybody else is told why not (the core would refuse them anyway)."""
        from .screens.operators import OperatorsScreen

        if isinstance(self.screen, OperatorsScreen):
            return
        if not self.actor.has(Role.ADMIN):
            self.notify(f"操作员管理需要管理员权限，当前操作员「{self.actor.name}」不是管理员", title="操作员管理",
                        severity="warning")
            return
        self.push_screen(OperatorsScreen())

    # -- help -----------------------------------------------------------------------------------------------

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        title = screen.sub_title or MODE_LABELS.get(self.current_mode, "")
        if isinstance(screen, RecordScreen):
            title = "记录"
        self.push_screen(HelpScreen(binding_rows(self, screen), title))

    # -- visits ---------------------------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, exclusive=True, group="visit")
    def resume_visit(self) -> None:
        """A visit this operator left open today (e.g. the app was closed mid-visit) becomes active again."""
        today = self.archive.db.execute("SELECT date('now', 'localtime')").fetchone()[0]
        for visit in self.archive.open_visits(self.counter_actor):
            if visit["operator"] == self.actor.name and visit["started_at"].startswith(today):
                self.call_from_thread(self.notify, f"已恢复未结束的查阅登记：{visit['visitor_name']}", title="查阅登记")
                self._load_visit(visit["id"])
                return

    def action_new_visit(self) -> None:
        if self.visit is not None:
            self.notify(f"正在接待「{self.visit['visitor_name']}」，请先按 F9 结束", severity="warning")
            return
        self.push_screen(VisitDialog(), self._visit_started)

    def _visit_started(self, visit_id: int | None) -> None:
        if visit_id is not None:
            self.refresh_visit(visit_id)

    @work(thread=True, exit_on_error=False, exclusive=True, group="visit")
    def refresh_visit(self, visit_id: int) -> None:
        self._load_visit(visit_id)

    def _load_visit(self, visit_id: int) -> None:
        visit = self.archive.visit(visit_id, self.counter_actor)
        self.call_from_thread(setattr, self, "visit", visit)

    def action_end_visit(self) -> None:
        if self.visit is None:
            self.notify("当前没有查阅登记", severity="warning")
            return
        self.end_visit(self.visit["id"])

    @work(thread=True, exit_on_error=False, exclusive=True, group="visit")
    def end_visit(self, visit_id: int) -> None:
        summary = self.archive.end_visit(visit_id, self.counter_actor)
        self.call_from_thread(setattr, self, "visit", None)
        self.call_from_thread(
            self.notify,
            f"「{summary['visitor_name']}」查阅 {summary['records_opened']} 件，打印 {summary['copies_printed']} 份",
            title="查阅登记已结束",
        )

    # -- records and printing -------------------------------------------------------------------------------

    def open_record(self, record_id: int, query: str = "") -> None:
        self.push_screen(RecordScreen(record_id, query))

    def note_opened(self, record_id: int) -> None:
        """Attach an opened record to the active visit (if any); without one the view is still logged."""
        if self.visit is not None:
            self._note_opened(self.visit["id"], record_id)
        else:
            self._log_view(record_id)

    @work(thread=True, exit_on_error=False, group="visit-records")
    def _log_view(self, record_id: int) -> None:
        self.archive.log_view(record_id, self.counter_actor)

    @work(thread=True, exit_on_error=False, group="visit-records")
    def _note_opened(self, visit_id: int, record_id: int) -> None:
        self.archive.note_opened(visit_id, record_id, self.counter_actor)
        self._load_visit(visit_id)

    def open_print_dialog(self, record_id: int, page_count: int) -> None:
        try:
            from .dialogs.print_dialog import PrintDialog
        except ImportError:
            self.notify("打印功能尚未安装（printing module missing）", title="打印", severity="error")
            return
        visit_id = self.visit["id"] if self.visit else None
        self.push_screen(PrintDialog(record_id, page_count, visit_id), self._printed)

    def _printed(self, result: Any) -> None:
        if result is not None and self.visit is not None:
            self.refresh_visit(self.visit["id"])


def make_app(archive: Archive | Path | str, actor: Actor) -> ArchiveApp:
    """The one factory used by the CLI and the tests."""
    if not isinstance(archive, Archive):
        archive = Archive.open(archive)
    return ArchiveApp(archive, actor)


def run(archive: Archive, actor: Actor) -> None:
    make_app(archive, actor).run()
