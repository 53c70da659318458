"""打印 dialog: pages, copies, printer or PDF file, cover sheet, duplex, and the fee — shown live before confirming.

Tab order: 页码 → 份数 → 输出到 → 文件路径 → 封面 → 双面 → 打印 → 取消. Enter in a text box (or on 打印) prints,
Esc cancels. The record, the price list and the CUPS printers are loaded by a thread worker; printing runs in a
thread worker too, and the dialog dismisses with the :class:`~archive_tui.printing.PrintResult` (None if
cancelled). A failure keeps the dialog open with the reason, so the clerk can pick another printer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...errors import ArchiveError
from ...printing import PrintError, PrintResult, fees, fonts, ranges
from ...printing.cups import list_printers
from ..worker_errors import ReportsWorkerErrors

TO_FILE = "__file__"


class PrintDialog(ReportsWorkerErrors, ModalScreen[PrintResult | None]):
    DEFAULT_CSS = """
    PrintDialog { align: center middle; }
    #print-box { width: 76; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    #print-grid { grid-size: 2; grid-columns: 12 1fr; grid-rows: auto; height: auto; grid-gutter: 0 1; }
    #print-options { height: auto; }
    #print-options Checkbox { margin-right: 2; }
    #print-record { color: $text; text-style: bold; }
    #print-fee { color: $warning; text-style: bold; height: auto; }
    #print-error { color: $error; height: auto; }
    #print-buttons { height: auto; align-horizontal: right; }
    #print-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "取消", id="print.cancel", tooltip="不打印，关闭对话框"),
        Binding("f8", "confirm", "打印", id="print.confirm", tooltip="按当前设置打印（与回车相同）"),
    ]

    def __init__(self, record_id: int, page_count: int, visit_id: int | None = None) -> None:
        super().__init__()
        self.record_id = record_id
        self.page_count = page_count
        self.visit_id = visit_id
        self.prices: fees.PriceList | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="print-box") as box:
            box.border_title = "打印查阅件"
            box.border_subtitle = "Tab 下一项 · 回车 打印 · Esc 取消"
            yield Static("正在读取记录…", id="print-record")
            with Grid(id="print-grid"):
                yield Label("页码")
                yield Input(placeholder=f"全部（共 {self.page_count} 页），或如 1-3,5", id="print-pages",
                            compact=True)
                yield Label("份数")
                yield Input("1", type="integer", id="print-copies", compact=True)
                yield Label("输出到")
                yield Select([("输出为 PDF 文件", TO_FILE)], value=TO_FILE, allow_blank=False,
                             id="print-target", compact=True)
                yield Label("文件路径")
                yield Input(str(Path.home() / f"查阅件-{self.record_id}.pdf"), id="print-output", compact=True)
                yield Label("选项")
                with Horizontal(id="print-options"):
                    yield Checkbox("加打封面", id="print-cover", compact=True)
                    yield Checkbox("双面", id="print-duplex", compact=True)
            yield Static("", id="print-fee")
            yield Static("", id="print-error")
            with Horizontal(id="print-buttons"):
                yield Button("打印", variant="primary", id="print-ok", compact=True)
                yield Button("取消", id="print-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#print-pages", Input).focus()
        self.load()

    @work(thread=True, exit_on_error=False, group="print-load")
    def load(self) -> None:
        archive, actor = self.app.archive, self.app.counter_actor
        record = archive.get_record(self.record_id, actor)
        prices = fees.price_list(archive.setting)
        try:
            printers, note = [p for p in list_printers() if p.enabled and p.accepting], ""
            if not printers:
                note = "CUPS 中没有可用的打印机，只能输出为 PDF 文件"
        except PrintError as exc:
            printers, note = [], f"{exc.message}；只能输出为 PDF 文件"
        self.app.call_from_thread(self._loaded, record, prices, [p.name for p in printers], note)

    def _loaded(self, record: dict[str, Any], prices: fees.PriceList, printers: list[str], note: str) -> None:
        self.prices = prices
        title = f"{record['index_no']}  {record['title']}"
        if record.get("validity") == "已废止":
            title += "  〔已废止〕"
        self.query_one("#print-record", Static).update(title)
        target = self.query_one("#print-target", Select)
        target.set_options([*((f"打印机 {name}", name) for name in printers), ("输出为 PDF 文件", TO_FILE)])
        target.value = printers[0] if printers else TO_FILE
        self._show_error(note)
        self._refresh()

    # -- live state -------------------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        to_file = self.query_one("#print-target", Select).value == TO_FILE
        self.query_one("#print-output", Input).disabled = not to_file
        self.query_one("#print-duplex", Checkbox).disabled = to_file
        fee = self.query_one("#print-fee", Static)
        try:
            pages, copies = self._selection()
        except ArchiveError as exc:
            fee.update(f"费用：—（{exc.message}）")
            return
        if self.prices is None:
            fee.update(f"共 {len(pages)} 页 × {copies} 份；正在读取收费标准…")
            return
        cents = self.prices.fee(len(pages), copies)
        fee.update(f"共 {len(pages)} 页 × {copies} 份，费用 {fees.yuan(cents)}（{self.prices.describe()}）")

    def _selection(self) -> tuple[list[int], int]:
        pages = ranges.parse(self.query_one("#print-pages", Input).value, self.page_count)
        text = self.query_one("#print-copies", Input).value.strip()
        copies = int(text) if text.isdigit() else 0
        if not 1 <= copies <= 99:
            raise ArchiveError("份数应在 1 到 99 之间", f"bad copies {text!r}")
        return pages, copies

    def _show_error(self, text: str) -> None:
        self.query_one("#print-error", Static).update(text)

    # -- confirm / cancel ------------------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#print-ok")
    def action_confirm(self) -> None:
        if self.busy:
            return
        try:
            _, copies = self._selection()
        except ArchiveError as exc:
            self._show_error(exc.message)
            return
        target = self.query_one("#print-target", Select).value
        options: dict[str, Any] = {
            "pages": self.query_one("#print-pages", Input).value.strip() or None,
            "copies": copies,
            "cover": self.query_one("#print-cover", Checkbox).value,
            "visit_id": self.visit_id,
        }
        if target == TO_FILE:
            path = self.query_one("#print-output", Input).value.strip()
            if not path:
                self._show_error("请填写要保存的 PDF 文件路径")
                return
            options["output"] = Path(path).expanduser()
        else:
            options["printer"] = str(target)
            options["duplex"] = self.query_one("#print-duplex", Checkbox).value
        self.busy = True
        self.query_one("#print-ok", Button).disabled = True
        self._show_error("正在生成并发送…")
        self.run_print(options)

    @work(thread=True, exit_on_error=False, exclusive=True, group="print-run")
    def run_print(self, options: dict[str, Any]) -> None:
        try:
            result = self.app.archive.print_record(self.record_id, self.app.counter_actor, **options)
        except ArchiveError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        except Exception as exc:  # keep the dialog usable; the clerk sees what went wrong
            self.app.call_from_thread(self._failed, ArchiveError("打印时发生内部错误", repr(exc)))
            return
        fonts.warm_cache_soon(self.app.archive.setting(fonts.SETTING_KEY))  # later prints load a smaller font
        self.app.call_from_thread(self._done, result)

    def _done(self, result: PrintResult) -> None:
        self.app.notify(result.summary, title="打印")
        self.dismiss(result)

    def _failed(self, error: ArchiveError) -> None:
        self.busy = False
        self.query_one("#print-ok", Button).disabled = False
        self._show_error(f"没有打印：{error.message}")

    @on(Button.Pressed, "#print-cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
