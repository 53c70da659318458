"""Batch edit: choose a field and a value for many records, see every change (before → after), apply it as one
transaction; the catalogue pane's ``u`` undoes the last batch."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from ... import batch_edit
from ...domain import vocab
from ...fields import BY_NAME


class BatchEditScreen(Screen[bool]):
    """Dismisses with True when a batch was applied."""

    DEFAULT_CSS = """
    BatchEditScreen #batch-form { height: auto; padding: 1 1 0 1; }
    BatchEditScreen #batch-form Label { padding: 1 1 0 0; }
    BatchEditScreen #batch-field { width: 24; }
    BatchEditScreen #batch-value, BatchEditScreen #batch-value-pick { width: 1fr; }
    BatchEditScreen #batch-summary { height: auto; padding: 0 1; }
    BatchEditScreen #batch-preview { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+p", "preview", "预览", id="batch_edit.preview", tooltip="列出每条记录修改前后的值（不写入）"),
        Binding("ctrl+s", "apply", "执行", id="batch_edit.apply", tooltip="按预览执行批量修改（之后可在编目页按 u 撤销）"),
        Binding("escape", "close", "返回", id="batch_edit.close", tooltip="不修改，返回编目"),
    ]

    def __init__(self, record_ids: list[int]) -> None:
        super().__init__()
        self.record_ids = record_ids
        self.plan: batch_edit.Preview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="batch-form"):
            yield Label("栏目")
            yield Select([(BY_NAME[n].label, n) for n in batch_edit.BATCH_FIELDS], id="batch-field",
                         allow_blank=False, value="loc_box")
            yield Label("新值")
            yield Input(placeholder="新值（留空表示清空这一栏），回车预览", id="batch-value")
            yield Select([], id="batch-value-pick", prompt="（清空）")
        yield Static(f"将修改 {len(self.record_ids)} 条记录。选栏目、填新值，回车或 Ctrl+P 预览，Ctrl+S 执行。",
                     id="batch-summary")
        table: DataTable = DataTable(id="batch-preview", cursor_type="row", zebra_stripes=True)
        for key, label in (("index_no", "索引号"), ("title", "信息名称"), ("before", "修改前"), ("after", "修改后")):
            table.add_column(label, key=key)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self._field_changed()
        self.query_one("#batch-value", Input).focus()

    @property
    def field(self) -> str:
        return str(self.query_one("#batch-field", Select).value)

    def value(self) -> str | None:
        if BY_NAME[self.field].vocab:
            pick = self.query_one("#batch-value-pick", Select).value
            return None if pick is Select.NULL else str(pick)
        return self.query_one("#batch-value", Input).value

    @on(Select.Changed, "#batch-field")
    def _field_changed(self) -> None:
        field = BY_NAME[self.field]
        text, pick = self.query_one("#batch-value", Input), self.query_one("#batch-value-pick", Select)
        text.display = field.vocab is None
        pick.display = field.vocab is not None
        if field.vocab:
            pick.set_options([(v, v) for v in vocab.values(field.vocab)])
        self.plan = None
        self.query_one("#batch-preview", DataTable).clear()

    @on(Input.Submitted, "#batch-value")
    @on(Select.Changed, "#batch-value-pick")
    def _value_done(self) -> None:
        self.action_preview()

    @on(Input.Changed, "#batch-value")
    def _value_changed(self) -> None:
        self.plan = None

    def action_preview(self) -> None:
        self.make_preview(self.field, self.value())

    @work(thread=True, exclusive=True, group="batch-preview")
    def make_preview(self, name: str, value: str | None) -> None:
        plan = batch_edit.preview(self.app.archive, self.app.actor, self.record_ids, name, value)
        self.app.call_from_thread(self._show, plan)

    def _show(self, plan: batch_edit.Preview) -> None:
        self.plan = plan
        table = self.query_one("#batch-preview", DataTable)
        table.clear()
        for change in plan.changes:
            table.add_row(change.index_no, Text(change.title), Text(str(change.before or "（空）")),
                          Text(str(change.after or "（空）")),
                          key=str(change.record_id))
        same = f"，{plan.unchanged} 条已是这个值" if plan.unchanged else ""
        value = plan.value if plan.value not in (None, "") else "（空）"
        self.query_one("#batch-summary", Static).update(
            f"预览：{plan.label} 设为「{value}」，{len(plan.changes)} 条将改变{same}。Ctrl+S 执行，Esc 返回。"
        )

    def action_apply(self) -> None:
        if self.plan is None:
            self.notify("请先预览（回车或 Ctrl+P）", severity="warning")
            return
        if not self.plan.changes:
            self.notify("没有需要改变的记录")
            return
        self.run_batch(self.plan)

    @work(thread=True, exclusive=True, group="batch-apply")
    def run_batch(self, plan: batch_edit.Preview) -> None:
        batch_edit.apply(self.app.archive, self.app.actor, plan)
        self.app.call_from_thread(self._applied, len(plan.changes), plan.label)

    def _applied(self, count: int, label: str) -> None:
        self.notify(f"已修改 {count} 条记录的{label}；在编目页按 u 可撤销", title="批量修改")
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
