"""Failed workers become notifications, never a crash.

``Worker.StateChanged`` does not bubble, so every screen or dialog that runs workers mixes in
:class:`ReportsWorkerErrors`; the app itself uses :func:`report` directly.
"""

from __future__ import annotations

from textual.app import App
from textual.worker import Worker, WorkerState

from ..errors import ArchiveError


def report(app: App, event: Worker.StateChanged) -> None:
    if event.state is not WorkerState.ERROR:
        return
    error = event.worker.error
    if isinstance(error, ArchiveError):
        app.notify(error.message, title="操作未完成", severity="error")
    else:
        app.notify(f"{type(error).__name__}: {error}", title="内部错误", severity="error")


class ReportsWorkerErrors:
    """Mixin for screens: their workers' errors are shown as notifications."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report(self.app, event)
