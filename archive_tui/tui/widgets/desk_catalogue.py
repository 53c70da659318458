"""The 编目 pane of the 入库 mode: every record the archivist may see, a selection line (search words and
``盒号:12``-style filters), marks for batch work, and the way into the editor, batch edit and review hand-over."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from ... import batch_edit, shelving
from ...access import STATUS_LABELS
from ..dialogs.desk_place import PlaceDialog

COLUMNS = (("mark", "✓", 1), ("index_no", "索引号", 20), ("title", "信息名称", 22), ("doc_no", "文号", 18),
           ("issuer", "发布机构", 10), ("created_date", "成文日期", 10), ("box", "盒/件", 5),
           ("state", "状态", 6), ("todo", "待办", 8))
LIMIT = 2000


def todo_text(row: dict[str, Any], flagged: int) -> str:
    suggested = len(json.loads(row.get("suggested") or "{}"))
    parts = [f"建议{suggested}" if suggested else "", f"核对{flagged}页" if flagged else ""]
    return " ".join(p for p in parts if p)


class CataloguePane(Vertical):
    BINDINGS = [
        Binding("slash", "find", "筛选", id="desk.catalogue.find",
                tooltip="输入检索词，或 盒号:12、发布机构:…、审核状态:待审核 这样的条件"),
        Binding("e", "edit", "编辑", id="desk.catalogue.edit", tooltip="打开光标所在记录的编目表单"),
        Binding("space", "mark", "选中", id="desk.catalogue.mark", tooltip="选中或取消光标所在记录（批量修改用）"),
        Binding("a", "mark_all", "全选", id="desk.catalogue.mark_all", tooltip="选中或取消列表中的全部记录"),
        Binding("b", "batch", "批量修改", id="desk.catalogue.batch",
                tooltip="给选中的记录（未选中时为列表中全部记录）统一设置一个栏目"),
        Binding("l", "place", "登记位置", id="desk.catalogue.place",
                tooltip="给选中的记录（未选中时为光标所在记录）登记库房/架/层/盒号"),
        Binding("u", "undo", "撤销批量", id="desk.catalogue.undo", tooltip="撤销最近一次批量修改"),
        Binding("y", "ready", "送审", id="desk.catalogue.ready",
                tooltip="把选中的记录（未选中时为光标所在记录）标记为编目完成，送交审核"),
        Binding("r", "reload", "刷新", id="desk.catalogue.reload", tooltip="重新读取目录"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[dict[str, Any]] = []
        self.marked: set[int] = set()
        self._head = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ 筛选：检索词，或 盒号:12 发布机构:临川县财政局 审核状态:待审核（回车执行）",
                    id="desk-filter")
        yield Static("", id="desk-count")
        table: DataTable = DataTable(id="desk-records", cursor_type="row", zebra_stripes=True)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table

    def on_mount(self) -> None:
        self.reload()

    @property
    def table(self) -> DataTable:
        return self.query_one("#desk-records", DataTable)

    def action_find(self) -> None:
        self.query_one("#desk-filter", Input).focus()

    @on(Input.Submitted, "#desk-filter")
    def _filter(self) -> None:
        self.reload()
        self.table.focus()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load(self.query_one("#desk-filter", Input).value)

    @work(thread=True, exclusive=True, group="desk-catalogue")
    def load(self, text: str) -> None:
        archive, actor = self.app.archive, self.app.actor
        query, where = batch_edit.parse_selection(text)
        rows = batch_edit.select(archive, actor, query=query or None, where=where)
        rows.sort(key=lambda r: r["id"], reverse=True)
        flagged = dict(archive.db.execute(
            "SELECT record_id, count(*) FROM pages WHERE flagged = 1 GROUP BY record_id").fetchall())
        self.app.call_from_thread(self._show, rows, flagged, text)

    def _show(self, rows: list[dict[str, Any]], flagged: dict[int, int], text: str) -> None:
        self.rows = rows
        table = self.table
        cursor = table.cursor_row
        table.clear()
        for r in rows[:LIMIT]:
            table.add_row(*self._cells(r, flagged.get(r["id"], 0)), key=str(r["id"]))
        if rows:
            table.move_cursor(row=min(cursor, len(rows[:LIMIT]) - 1))
        shown = f"（显示前 {LIMIT} 条）" if len(rows) > LIMIT else ""
        condition = f"筛选「{text}」：" if text.strip() else "全部记录："
        self._head = f"{condition}{len(rows)} 条{shown}"
        self._update_count()

    def _cells(self, r: dict[str, Any], flagged: int) -> list[str]:
        state = "已送审" if r.get("ready_at") and r["status"] == "pending" else STATUS_LABELS.get(r["status"], "")
        box = "/".join(x for x in (r.get("loc_box") or "", r.get("loc_item") or "") if x)
        return ["✓" if r["id"] in self.marked else "", r["index_no"], Text(r["title"]), Text(r.get("doc_no") or ""),
                Text(r.get("issuer") or ""), r.get("created_date") or "", Text(box), state, todo_text(r, flagged)]

    def current_id(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(DataTable.RowSelected, "#desk-records")
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        from ..screens.desk_editor import EditorScreen

        self.app.push_screen(EditorScreen(record_id), lambda _: self.reload())

    def action_mark(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        self.marked ^= {record_id}
        self.table.update_cell(str(record_id), "mark", "✓" if record_id in self.marked else "")
        self.table.action_cursor_down()
        self._update_count()

    def action_mark_all(self) -> None:
        visible = {r["id"] for r in self.rows[:LIMIT]}
        self.marked = set() if visible <= self.marked else self.marked | visible
        for record_id in visible:
            self.table.update_cell(str(record_id), "mark", "✓" if record_id in self.marked else "")
        self._update_count()

    def _update_count(self) -> None:
        self.query_one("#desk-count", Static).update(
            f"{self._head}，已选中 {len(self.marked)} 条。Enter/e 编辑，空格 选中，b 批量修改，l 登记位置，y 送审"
        )

    def chosen_ids(self) -> list[int]:
        """Marked records, else every record of the list."""
        return sorted(self.marked) if self.marked else [r["id"] for r in self.rows]

    def action_batch(self) -> None:
        ids = self.chosen_ids()
        if not ids:
            self.notify("列表是空的：先筛选出要修改的记录", severity="warning")
            return
        from ..screens.desk_batch_edit import BatchEditScreen

        def done(changed: bool | None) -> None:
            if changed:
                self.marked.clear()
            self.reload()

        self.app.push_screen(BatchEditScreen(ids), done)

    @work(thread=True, group="desk-catalogue-write")
    def action_undo(self) -> None:
        report = batch_edit.undo(self.app.archive, self.app.actor)
        skipped = f"；{len(report.skipped)} 条此后又被修改，未撤销" if report.skipped else ""
        self.app.call_from_thread(self.notify, f"已撤销批量修改：恢复 {report.restored} 条{skipped}", title="撤销")
        self.app.call_from_thread(self.reload)

    def action_place(self) -> None:
        ids = sorted(self.marked) or ([self.current_id()] if self.current_id() is not None else [])
        if not ids:
            return

        def chosen(parts: dict[str, str] | None) -> None:
            if parts:
                self._place(ids, parts)

        self.app.push_screen(PlaceDialog(len(ids)), chosen)

    @work(thread=True, group="desk-catalogue-write")
    def _place(self, ids: list[int], parts: dict[str, str]) -> None:
        changed = shelving.place(self.app.archive, self.app.actor, ids, **parts)
        self.app.call_from_thread(self._placed, changed)

    def _placed(self, changed: int) -> None:
        self.notify(f"已登记 {changed} 条记录的位置；在「上架」页按 n 编件号", title="登记位置")
        self.marked.clear()
        self.reload()

    def action_ready(self) -> None:
        ids = sorted(self.marked) or ([self.current_id()] if self.current_id() is not None else [])
        if ids:
            self._mark_ready(ids)

    @work(thread=True, group="desk-catalogue-write")
    def _mark_ready(self, ids: list[int]) -> None:
        archive, actor = self.app.archive, self.app.actor
        for record_id in ids:
            archive.mark_ready(record_id, actor)
        self.app.call_from_thread(self._ready_done, ids)

    def _ready_done(self, ids: list[int]) -> None:
        self.notify(f"已送审 {len(ids)} 条记录，审核员可在审核队列中看到", title="送审")
        self.marked.difference_update(ids)
        self.reload()
