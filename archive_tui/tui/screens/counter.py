"""查阅 mode: the counter. Lists the released catalogue; the search flow builds on this screen."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

COLUMNS = (("index_no", "索引号"), ("title", "名称"), ("doc_no", "文号"), ("issuer", "发布机构"),
           ("created_date", "日期"), ("validity", "时效性"))


class CounterScreen(Screen):
    BINDINGS = [
        Binding("q", "app.quit", "退出", id="counter.quit", tooltip="退出程序"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable = DataTable(id="catalogue", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="catalogue")
    def load(self) -> None:
        rows = self.app.archive.list_records(self.app.counter_actor)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[dict]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            validity = r.get("validity") or ""
            cells = [r.get(key) or "" for key, _ in COLUMNS[:-1]] + [
                f"[b red]{validity}[/]" if validity == "已废止" else validity
            ]
            table.add_row(*cells, key=str(r["id"]))
