"""The 上架 pane of the 入库 mode: every box on the shelves, what is in the selected box, 件号 in order, labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from ... import shelving
from ...access import STATUS_LABELS


def labels_dir() -> Path:
    """Where label PDFs go when no printer is configured: a folder in the user's home."""
    return Path.home() / "archive-tui-标签"


class BoxesPane(Vertical):
    BINDINGS = [
        Binding("n", "assign", "编件号", id="desk.boxes.assign",
                tooltip="给所选盒子里的记录按成文日期、文号顺序编件号（1、2、3…）"),
        Binding("l", "labels('box')", "盒签", id="desk.boxes.box_labels", tooltip="生成所选盒子的盒签 PDF"),
        Binding("k", "labels('shelf')", "架签", id="desk.boxes.shelf_labels", tooltip="生成所有架、层的架签 PDF"),
        Binding("e", "edit", "编辑记录", id="desk.boxes.edit", tooltip="编辑盒内清单中光标所在的记录"),
        Binding("r", "reload", "刷新", id="desk.boxes.reload", tooltip="重新读取盒子清单"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.boxes: list[shelving.Box] = []

    def compose(self) -> ComposeResult:
        yield Static("↑↓ 选盒子，Tab 到盒内清单。登记盒号：在「编目」页用空格选中记录，按 l 登记库房/架/层/盒号。",
                     id="boxes-help")
        with Horizontal():
            boxes: DataTable = DataTable(id="boxes-list", cursor_type="row", zebra_stripes=True)
            for key, label in (("room", "库房"), ("shelf", "架"), ("layer", "层"), ("box", "盒号"), ("count", "件数"),
                               ("span", "成文日期")):
                boxes.add_column(label, key=key)
            yield boxes
            contents: DataTable = DataTable(id="boxes-contents", cursor_type="row", zebra_stripes=True)
            for key, label in (("item", "件号"), ("date", "成文日期"), ("doc_no", "文号"), ("title", "信息名称"),
                               ("status", "状态")):
                contents.add_column(label, key=key)
            yield contents

    def on_mount(self) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="desk-boxes")
    def reload(self) -> None:
        found = shelving.boxes(self.app.archive, self.app.actor)
        self.app.call_from_thread(self._show_boxes, found)

    def _show_boxes(self, found: list[shelving.Box]) -> None:
        self.boxes = found
        table = self.query_one("#boxes-list", DataTable)
        cursor = table.cursor_row
        table.clear()
        for n, b in enumerate(found):
            table.add_row(b.room or "", b.shelf or "", b.layer or "", b.box, str(b.count),
                          f"{b.first_date or ''}–{b.last_date or ''}", key=str(n))
        if found:
            table.move_cursor(row=min(cursor, len(found) - 1))
            self.load_box(self.current_box())
        else:
            self.query_one("#boxes-contents", DataTable).clear()

    def current_box(self) -> shelving.Box | None:
        table = self.query_one("#boxes-list", DataTable)
        if not self.boxes or not table.row_count:
            return None
        return self.boxes[min(table.cursor_row, len(self.boxes) - 1)]

    @on(DataTable.RowHighlighted, "#boxes-list")
    def _box_moved(self) -> None:
        box = self.current_box()
        if box is not None:
            self.load_box(box)

    @work(thread=True, exclusive=True, group="desk-box-contents")
    def load_box(self, box: shelving.Box | None) -> None:
        if box is None:
            return
        rows = shelving.box_contents(self.app.archive, self.app.actor, box.box, box.room)
        self.app.call_from_thread(self._show_contents, box, rows)

    def _show_contents(self, box: shelving.Box, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#boxes-contents", DataTable)
        table.clear()
        table.border_title = f"{box.name}：{len(rows)} 件"
        for r in rows:
            table.add_row(r.get("loc_item") or "", r.get("created_date") or "", Text(r.get("doc_no") or ""), Text(r["title"]),
                          STATUS_LABELS.get(r["status"], ""), key=str(r["id"]))

    def action_assign(self) -> None:
        box = self.current_box()
        if box is not None:
            self.assign(box)

    @work(thread=True, group="desk-boxes-write")
    def assign(self, box: shelving.Box) -> None:
        result = shelving.assign_items(self.app.archive, self.app.actor, box.box, box.room)
        changed = sum(old != new for _, old, new in result)
        self.app.call_from_thread(self.notify, f"{box.name}：{len(result)} 件已按成文日期、文号编号（改动 {changed} 件）",
                                  title="编件号")
        self.app.call_from_thread(self.reload)

    def action_labels(self, kind: str) -> None:
        box = self.current_box()
        if box is None:
            self.notify("还没有登记盒号的记录", severity="warning")
            return
        self.make_labels(kind, box)

    @work(thread=True, group="desk-boxes-labels")
    def make_labels(self, kind: str, box: shelving.Box) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"盒签-{box.box}盒-{stamp}.pdf" if kind == "box" else f"架签-{stamp}.pdf"
        target = labels_dir() / name
        selection = [(box.room, box.box)] if kind == "box" else None
        count = shelving.labels_pdf(self.app.archive, self.app.actor, target, kind=kind, selection=selection)
        self.app.call_from_thread(self.notify, f"已生成 {count} 张标签：{target}", title="标签")

    def action_edit(self) -> None:
        table = self.query_one("#boxes-contents", DataTable)
        if not table.row_count:
            return
        record_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        from ..screens.desk_editor import EditorScreen

        self.app.push_screen(EditorScreen(record_id), lambda _: self.reload())
