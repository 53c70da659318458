"""The record screen: catalogue metadata, where the paper original is, the pages — text with every hit marked
beside the page image — and printing. ``n``/``N`` walk through the hits across all pages."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ...access import STATUS_LABELS
from ...fields import CATALOGUE_FIELDS, LABELS, LOCATION_FIELDS, location_text
from ..widgets.page_image import PageImage, load_page_image
from ..widgets.page_text import PageText
from ..widgets.results_table import validity_text
from ..widgets.visit_bar import VisitBar
from ..worker_errors import ReportsWorkerErrors

WIDE = 140


class RecordScreen(ReportsWorkerErrors, Screen):
    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", "返回", id="record.back", tooltip="回到查找结果"),
        Binding("n", "next_hit(1)", "下一处", id="record.next_hit", tooltip="跳到下一处命中（可跨页）"),
        Binding("N", "next_hit(-1)", "上一处", id="record.prev_hit", tooltip="跳到上一处命中（可跨页）"),
        Binding("right_square_bracket,pagedown", "turn_page(1)", "下一页", id="record.next_page", tooltip="翻到下一页"),
        Binding("left_square_bracket,pageup", "turn_page(-1)", "上一页", id="record.prev_page", tooltip="翻到上一页"),
        Binding("plus,equals_sign", "zoom(1)", "放大", id="record.zoom_in", tooltip="放大页面图像"),
        Binding("minus", "zoom(-1)", "缩小", id="record.zoom_out", tooltip="缩小页面图像"),
        Binding("i", "toggle_image", "图像", id="record.image", tooltip="显示或隐藏页面图像"),
        Binding("m", "toggle_details", "著录", id="record.details", tooltip="显示或隐藏著录信息和页码列表"),
        Binding("p", "print", "打印", id="record.print", tooltip="打印整件或指定页码（复印件加盖查阅章）"),
        Binding("question_mark", "app.help", "帮助", id="record.help", tooltip="显示本页按键说明", show=False),
    ]

    def __init__(self, record_id: int, query: str = "") -> None:
        super().__init__()
        self.record_id = record_id
        self.search_text = query
        self.record: dict[str, Any] | None = None
        self.pages: list[dict[str, Any]] = []
        self.hits: list[tuple[int, int, int]] = []
        self.hit_index = -1
        self.page_no = 0
        self._details_toggled = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield VisitBar(id="visit-bar")
        yield Static(id="record-title")
        with Horizontal(id="record-body"):
            with Vertical(id="record-side"):
                yield VerticalScroll(Static(id="record-meta"), id="record-meta-scroll")
                yield OptionList(id="page-list")
            yield PageText(id="page-text")
            yield PageImage(id="page-image")
        yield Static(id="record-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#page-text").border_title = "页面文字"
        self.query_one("#page-list").border_title = "页码"
        self.query_one("#page-text").focus()
        self.load()

    def on_resize(self, event: Resize) -> None:
        if not self._details_toggled:
            self.query_one("#record-side").display = event.size.width >= WIDE

    # -- loading --------------------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A record that cannot be read (withdrawn from the counter meanwhile, say) closes this screen."""
        super().on_worker_state_changed(event)
        if event.state is WorkerState.ERROR and event.worker.group == "record" and self.is_current:
            self.app.pop_screen()

    @work(thread=True, exit_on_error=False, exclusive=True, group="record")
    def load(self) -> None:
        archive, actor = self.app.archive, self.app.counter_actor
        record = archive.get_record(self.record_id, actor)
        pages = archive.pages(self.record_id, actor)
        hits = archive.find_in_pages(self.record_id, self.search_text, actor) if self.search_text else []
        self.app.call_from_thread(self._loaded, record, pages, sorted(hits))

    def _loaded(self, record: dict[str, Any], pages: list[dict[str, Any]], hits: list[tuple[int, int, int]]) -> None:
        self.record, self.pages, self.hits = record, pages, hits
        self.app.note_opened(self.record_id)
        title = Text.assemble((record.get("title") or "（无名称）", "bold"), "  ", record.get("doc_no") or "")
        title.append(f"\n原件位置：{location_text(record)}", style="bold cyan")
        self.query_one("#record-title", Static).update(title)
        self.query_one("#record-meta", Static).update(self._metadata(record))
        options = [Option(self._page_label(p), id=str(p["page_no"])) for p in pages]
        self.query_one("#page-list", OptionList).set_options(options)
        if hits:
            self.hit_index = 0
            self.call_later(self.show_page, hits[0][0])
        elif pages:
            self.call_later(self.show_page, pages[0]["page_no"])
        else:
            self.call_later(self._no_pages)

    def _page_label(self, page: dict[str, Any]) -> str:
        count = sum(1 for p, _, _ in self.hits if p == page["page_no"])
        return f"第 {page['page_no']} 页" + (f"  ({count} 处)" if count else "")

    def _metadata(self, record: dict[str, Any]) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for f in CATALOGUE_FIELDS:
            value = record.get(f.name)
            if f.name in LOCATION_FIELDS or value in (None, ""):
                continue
            grid.add_row(f.label, validity_text(value) if f.name == "validity" else str(value))
        grid.add_row("原件位置", location_text(record))
        grid.add_row(LABELS["status"], STATUS_LABELS.get(record["status"], record["status"]))
        return grid

    async def _no_pages(self) -> None:
        await self.query_one(PageText).set_page("", [], None)
        self.query_one(PageImage).show_image(None, "（这件记录没有电子页面，请按原件位置调阅纸质原件）")
        self._update_status()

    # -- pages and hits -------------------------------------------------------------------------------------

    def _page(self, page_no: int) -> dict[str, Any] | None:
        return next((p for p in self.pages if p["page_no"] == page_no), None)

    def _current_span(self) -> tuple[int, int] | None:
        if 0 <= self.hit_index < len(self.hits) and self.hits[self.hit_index][0] == self.page_no:
            return self.hits[self.hit_index][1], self.hits[self.hit_index][2]
        return None

    async def show_page(self, page_no: int) -> None:
        page = self._page(page_no)
        if page is None:
            return
        self.page_no = page_no
        spans = [(s, e) for p, s, e in self.hits if p == page_no]
        await self.query_one(PageText).set_page(page.get("text") or "", spans, self._current_span())
        page_list = self.query_one("#page-list", OptionList)
        page_list.highlighted = self.pages.index(page)
        self.load_image(page)
        self._update_status()

    @work(thread=True, exit_on_error=False, exclusive=True, group="page-image")
    def load_image(self, page: dict[str, Any]) -> None:
        picture = load_page_image(self.app.archive, page, self.app.counter_actor)
        self.app.call_from_thread(self._show_image, page["page_no"], picture)

    def _show_image(self, page_no: int, picture: Any) -> None:
        if page_no == self.page_no:
            self.query_one(PageImage).show_image(picture)

    def _update_status(self) -> None:
        parts = [f"第 {self.page_no} / {len(self.pages)} 页" if self.pages else "无电子页面"]
        if self.search_text:
            if self.hits:
                parts.append(f"「{self.search_text}」第 {self.hit_index + 1} / {len(self.hits)} 处 (n/N)")
            else:
                parts.append(f"全文中没有「{self.search_text}」")
        parts.append(f"图像缩放 {int(self.query_one(PageImage).zoom * 100)}% (+/-)")
        self.query_one("#record-status", Static).update(" · ".join(parts))

    async def action_next_hit(self, step: int) -> None:
        if not self.hits:
            self.notify("没有可跳转的命中" if self.search_text else "没有查询词：回到查找页输入后再打开", severity="warning")
            return
        new_index = (self.hit_index + step) % len(self.hits)
        if (step > 0 and new_index < self.hit_index) or (step < 0 and new_index > self.hit_index):
            self.notify("已回到第一处" if step > 0 else "已到最后一处", timeout=2)
        self.hit_index = new_index
        page_no = self.hits[new_index][0]
        if page_no != self.page_no:
            await self.show_page(page_no)
        else:
            self.query_one(PageText).set_current(self._current_span())
            self._update_status()

    async def action_turn_page(self, step: int) -> None:
        numbers = [p["page_no"] for p in self.pages]
        if self.page_no in numbers:
            index = numbers.index(self.page_no) + step
            if 0 <= index < len(numbers):
                await self.show_page(numbers[index])

    @on(OptionList.OptionSelected, "#page-list")
    async def _page_chosen(self, event: OptionList.OptionSelected) -> None:
        await self.show_page(int(event.option.id or 0))

    def action_zoom(self, step: int) -> None:
        self.query_one(PageImage).change_zoom(step)
        self._update_status()

    def action_toggle_image(self) -> None:
        image = self.query_one(PageImage)
        image.display = not image.display

    def action_toggle_details(self) -> None:
        self._details_toggled = True
        side = self.query_one("#record-side")
        side.display = not side.display

    def action_print(self) -> None:
        if self.record is None:
            return
        self.app.open_print_dialog(self.record_id, int(self.record.get("page_count") or len(self.pages) or 0))
