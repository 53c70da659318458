"""The status bar of the active visit (查阅登记): who is being served and what they have read and printed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class VisitBar(Static):
    """One line. ``visit`` is the dict of ``archive.visit(...)`` or None when nobody is registered."""

    visit: reactive[dict[str, Any] | None] = reactive(None)

    def on_mount(self) -> None:
        self.watch(self.app, "visit", self._app_visit_changed)

    def _app_visit_changed(self, visit: dict[str, Any] | None) -> None:
        self.visit = visit

    def render(self) -> Text:
        visit = self.visit
        if not visit:
            self.set_class(False, "-active")
            return Text.assemble(("未登记来访者", "bold"), "  按 F8 登记查阅（姓名、证件、目的）")
        self.set_class(True, "-active")
        who = visit["visitor_name"]
        if visit.get("id_masked"):
            who += f"（{visit.get('id_type') or '证件'} {visit['id_masked']}）"
        started = (visit.get("started_at") or "")[11:16]
        return Text.assemble(
            ("● 查阅登记 ", "bold"), (who, "bold"),
            f" · {visit.get('purpose') or '查阅'} · 已查阅 {visit.get('records_opened', 0)} 件",
            f" · 已打印 {visit.get('copies_printed', 0)} 份 · {started} 开始 · F9 结束",
        )
