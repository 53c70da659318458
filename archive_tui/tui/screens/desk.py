"""入库 mode: the archivist's desk — 批次 (ingest a batch, live), 编目 (catalogue: edit, batch edit, hand to
review) and 上架 (boxes, 件号, labels). Keys 1/2/3 switch between the three; each pane shows its keys in the
footer while it has the focus."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from ..widgets.desk_batch import BatchPane
from ..widgets.desk_boxes import BoxesPane
from ..widgets.desk_catalogue import CataloguePane

PANES = {"batch": "#batch-files", "catalogue": "#desk-records", "boxes": "#boxes-list"}


class DeskScreen(Screen):
    DEFAULT_CSS = """
    DeskScreen TabbedContent { height: 1fr; }
    DeskScreen TabPane { padding: 0 1; }
    DeskScreen #batch-files { height: 1fr; }
    DeskScreen #batch-log { height: 8; border: round $warning; }
    DeskScreen #batch-sources, DeskScreen #batch-stats { height: auto; }
    DeskScreen #batch-state { height: auto; text-style: bold; }
    DeskScreen #desk-records { height: 1fr; }
    DeskScreen #desk-count, DeskScreen #boxes-help { height: auto; color: $text-muted; }
    DeskScreen #boxes-list { width: 45%; height: 1fr; }
    DeskScreen #boxes-contents { width: 55%; height: 1fr; border-left: solid $primary; }
    """
    BINDINGS = [
        Binding("1", "pane('batch')", "批次", id="desk.pane.batch", tooltip="批量入库：选择文件夹，查看进度"),
        Binding("2", "pane('catalogue')", "编目", id="desk.pane.catalogue", tooltip="修改编目、批量修改、送审"),
        Binding("3", "pane('boxes')", "上架", id="desk.pane.boxes", tooltip="盒子清单、编件号、打印盒签架签"),
        Binding("q", "app.quit", "退出", id="desk.quit", tooltip="退出程序"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="batch", id="desk-tabs"):
            with TabPane("1 批次入库", id="batch"):
                self.batch = BatchPane(id="desk-batch")
                yield self.batch
            with TabPane("2 编目", id="catalogue"):
                yield CataloguePane(id="desk-catalogue")
            with TabPane("3 上架", id="boxes"):
                yield BoxesPane(id="desk-boxes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PANES["batch"]).focus()

    def action_pane(self, name: str) -> None:
        self.query_one("#desk-tabs", TabbedContent).active = name
        self.set_focus(self.query_one(PANES[name]))  # at once, so the next key already goes to the new pane
        if name == "catalogue":
            self.query_one(CataloguePane).reload()
        elif name == "boxes":
            self.query_one(BoxesPane).reload()

    @on(BatchPane.Finished)
    def _batch_finished(self) -> None:
        self.query_one(CataloguePane).reload()

    def on_unmount(self) -> None:
        self.batch.stop_now()
