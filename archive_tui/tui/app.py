"""The application: four modes (查阅, 入库, 审核, 统计) over one archive, and the ``make_app`` factory."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from ..access import Actor, Role
from ..archive import Archive
from ..errors import ArchiveError
from .screens.counter import CounterScreen
from .screens.desk import DeskScreen
from .screens.review import ReviewScreen
from .screens.stats import StatsScreen

MODE_LABELS = {"counter": "查阅", "desk": "入库", "review": "审核", "stats": "统计"}


class ArchiveApp(App[None]):
    """archive_tui's terminal app. ``actor`` is the logged-in operator; the 查阅 mode always uses counter scope."""

    CSS_PATH = "app.tcss"
    TITLE = "政府信息查阅"
    MODES = {"counter": CounterScreen, "desk": DeskScreen, "review": ReviewScreen, "stats": StatsScreen}
    BINDINGS = [
        Binding("f2", "switch_mode('counter')", "查阅", id="mode.counter", tooltip="切换到查阅（窗口）模式"),
        Binding("f3", "switch_mode('desk')", "入库", id="mode.desk", tooltip="切换到入库（档案员）模式"),
        Binding("f4", "switch_mode('review')", "审核", id="mode.review", tooltip="切换到审核（保密审查）模式"),
        Binding("f5", "switch_mode('stats')", "统计", id="mode.stats", tooltip="切换到统计与报表模式"),
        Binding("ctrl+q", "quit", "退出", id="app.quit", tooltip="退出程序", priority=True),
    ]

    def __init__(self, archive: Archive, actor: Actor) -> None:
        super().__init__()
        self.archive = archive
        self.actor = actor

    @property
    def counter_actor(self) -> Actor:
        """The scope of the counter: the same operator, but released records only."""
        return Actor(name=self.actor.name, roles=frozenset({Role.CLERK}), operator_id=self.actor.operator_id)

    def on_mount(self) -> None:
        self.sub_title = f"{self.archive.setting('reading_point')} · 操作员 {self.actor.name}"
        self.switch_mode("counter")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one error handler for workers: a failed worker becomes a notification, never a crash."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, ArchiveError):
                self.notify(error.message, title="操作未完成", severity="error")
            else:
                self.notify(f"{type(error).__name__}: {error}", title="内部错误", severity="error")


def make_app(archive: Archive | Path | str, actor: Actor) -> ArchiveApp:
    """The one factory used by the CLI and the tests."""
    if not isinstance(archive, Archive):
        archive = Archive.open(archive)
    return ArchiveApp(archive, actor)


def run(archive: Archive, actor: Actor) -> None:
    make_app(archive, actor).run()
