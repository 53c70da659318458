"""查阅 mode: the counter. Type to search, read the preview, filter by facets, open a record with enter.

Searches run in a thread worker, one at a time: keystrokes that arrive while a search runs are coalesced into one
search for the newest text. Every change of the query gets a generation number and a result is shown only if it
belongs to the newest one, so a slow query can never overwrite a newer one.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, SelectionList, Static
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from ..widgets.facet_panel import FacetPanel
from ..widgets.preview import Preview
from ..widgets.results_table import ResultsTable
from ..widgets.search_box import SearchBox
from ..widgets.visit_bar import VisitBar
from ..worker_errors import ReportsWorkerErrors

PAGE_SIZE = 30  # hits fetched per search; more are fetched as the cursor nears the end of the table
#: Seconds without new results before jieba and the pinyin tables are loaded in the background: loading holds the
#: interpreter for about a second, which must not fall into the clerk's typing.
WARM_UP_IDLE_S = 3.0
WIDE = 130
SORT_LABELS = {"relevance": "相关度", "date": "日期"}
START_HINT = (
    "在上方输入关键词、文号（如 临府发〔2021〕3号）或索引号，结果随输入更新。\n"
    "↑↓ 或 j/k 选择 · 回车打开全文 · F6 筛选 · F7 排序 · F8 登记来访者 · F1 按键说明"
)


class CounterScreen(ReportsWorkerErrors, Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "查找", id="counter.search", tooltip="把光标移到查询框"),
        Binding("escape", "focus_search", "查询框", id="counter.escape",
                tooltip="回到查询框；已在查询框时清空查询", show=False),
        Binding("f6", "toggle_facets", "筛选", id="counter.facets", tooltip="显示或隐藏筛选面板（发布机构、年份、主题、体裁、时效性）"),
        Binding("f7", "toggle_sort", "排序", id="counter.sort", tooltip="按相关度或按日期（新的在前）排序"),
        Binding("enter", "open_selected", "打开", id="counter.open", tooltip="打开所选记录的全文、图像和原件位置", show=False),
        Binding("question_mark", "app.help", "帮助", id="counter.help", tooltip="显示本页按键说明", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sort = "relevance"
        self.generation = 0
        self.shown_generation = 0
        self.result: Any | None = None
        self._searching = False
        self._typed = ""
        self._chosen: dict[str, list[str]] = {}
        self._due = Text()
        self._open_when_shown = False  # Enter came before the newest text's results: open their top hit
        self._warm_up_timer: Timer | None = None
        self._warmed_up = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield VisitBar(id="visit-bar")
        yield SearchBox(id="query")
        yield Static(id="due-requests")
        with Horizontal(id="counter-body"):
            yield FacetPanel(id="facets")
            with Vertical(id="results-area"):
                yield ResultsTable(id="results")
                yield Preview(id="preview")
        yield Static(id="search-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#facets").display = False
        self.query_one("#due-requests").display = False
        self.query_one("#query", SearchBox).focus()
        if self.app.archive.search_index_ready():
            self.call_after_refresh(self.refresh_results)  # paint the screen first, then list the catalogue
        else:  # typing goes on meanwhile; what was typed is searched once the index is there
            self._searching = True
            self.build_index()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    def on_screen_resume(self) -> None:
        self.query_one(VisitBar).refresh()
        self.load_due()

    # -- searching ------------------------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self.query_one("#query", SearchBox).value.strip()

    @on(Input.Changed, "#query")
    def _query_changed(self) -> None:
        if self.query_text != self._typed:  # a space typed after a word changes nothing yet
            self._typed = self.query_text
            self._open_when_shown = False
            self.refresh_results()

    def refresh_results(self) -> None:
        """Start a new generation of results. This is the debounce: at most one search runs at a time. With none
        running, the search starts at once; keystrokes that arrive while one runs are coalesced into a single
        search for the newest text, started the moment the running one returns."""
        self.generation += 1
        if not self._searching:
            self._launch()

    def _launch(self) -> None:
        self._searching = True
        facets = self.query_one(FacetPanel).display
        self.run_search(self.generation, self.query_text, dict(self._chosen), self.sort, facets)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker.group in ("search", "index") and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._searching = False
            if self.shown_generation != self.generation and event.state is WorkerState.ERROR:
                self.shown_generation = self.generation  # nothing newer to wait for; the error is on screen

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def run_search(self, generation: int, text: str, filters: dict[str, list[str]], sort: str, facets: bool) -> None:
        """An empty query lists the whole released catalogue, newest first. Facet counts cost a pass over every
        match, so they are asked for only while the facet panel is open."""
        archive = self.app.archive
        result = archive.search(text, self.app.counter_actor, limit=PAGE_SIZE, sort=sort, filters=filters or None,
                                facets=facets)
        self.app.call_from_thread(self._show_result, generation, result)

    @work(thread=True, exit_on_error=False, exclusive=True, group="index")
    def build_index(self) -> None:
        """Build a missing or outdated search index (first start, or after an upgrade) with progress shown."""

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._status, f"正在建立检索索引：{done} / {total} 条", "（仅首次使用或升级后需要）")

        self.app.archive.reindex(progress)
        self.app.call_from_thread(self._index_built)

    def _index_built(self) -> None:
        self._searching = False
        self._launch()

    def _start_warm_up(self) -> None:
        self._warmed_up = True
        self._warm_up_timer = None
        self.warm_up()

    @work(thread=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        self.app.archive.warm_up_search()

    @work(thread=True, exit_on_error=False, exclusive=True, group="more")
    def load_more(self, generation: int, text: str, filters: dict[str, list[str]], sort: str, offset: int) -> None:
        result = self.app.archive.search(text, self.app.counter_actor, limit=PAGE_SIZE, offset=offset, sort=sort,
                                         filters=filters or None, facets=False)
        self.app.call_from_thread(self._show_more, generation, offset, result.hits)

    def _show_more(self, generation: int, offset: int, hits: list[Any]) -> None:
        table = self.query_one(ResultsTable)
        if generation == self.generation and offset == len(table.hits):
            table.extend(hits)

    @work(thread=True, exit_on_error=False, exclusive=True, group="due")
    def load_due(self) -> None:
        """依申请公开 requests whose time limit is near or already past, shown above an empty query's listing."""
        due = self.app.archive.requests_due(self.app.actor)
        text = Text()
        for view in due[:3]:
            request, status = view.request, view.status
            text.append(f"{chr(10) if text else ''}⚑ 依申请公开 {view.ref} {request.get('applicant_name') or ''}：", style="bold yellow")
            text.append(f"{status.next_label or '期限'} {status.next_due or ''}（{status.flag_label}）")
        if len(due) > 3:
            text.append(f"\n另有 {len(due) - 3} 件即将到期，见统计模式 (F5)", style="yellow")
        self.app.call_from_thread(self._set_due, text)

    def _set_due(self, due: Text) -> None:
        self._due = due
        self._show_due()

    def _show_due(self) -> None:
        notices = self.query_one("#due-requests", Static)
        notices.update(self._due)
        notices.display = bool(self._due) and not self.query_text and not self._chosen

    def _show_result(self, generation: int, result: Any) -> None:
        self._searching = False
        if generation != self.generation:
            self._launch()  # the text changed while this search ran: search the newest text
            return
        self._show_due()
        self.result = result
        self.query_one(ResultsTable).show(result.hits)
        if result.facets:
            self.query_one(FacetPanel).show(result.facets, self._chosen)
        note = f" · {result.message}" if result.message else ""
        if result.query.strip() or self._chosen:
            counts = f"共 {result.total} 条"
        else:
            counts = f"馆藏已发布 {result.total} 件（最新的在前）"
        self._status(f"{counts} · 用时 {result.elapsed_ms:.0f} 毫秒", note)
        self._after_show(generation, "没有找到匹配的记录。换个词试试，或按 F6 调整筛选。")

    def _after_show(self, generation: int, empty_text: str) -> None:
        if not self._warmed_up:  # (re)start the idle timer: warm up once the clerk pauses
            if self._warm_up_timer is not None:
                self._warm_up_timer.stop()
            self._warm_up_timer = self.set_timer(WARM_UP_IDLE_S, self._start_warm_up)
        self.shown_generation = generation
        table = self.query_one(ResultsTable)
        if not self.query_text and not self._chosen:
            empty_text = "目录中还没有已发布的记录。\n" + START_HINT
        self.query_one(Preview).show(table.hit_at_cursor, empty_text=empty_text)
        if self._open_when_shown:
            self._open_when_shown = False
            self.action_open_selected()

    def _status(self, counts: str, note: str) -> None:
        filters = sum(len(v) for v in self._chosen.values())
        parts = [counts, f"按{SORT_LABELS[self.sort]}排序 (F7)", f"筛选 {filters} 项 (F6)" if filters else "筛选 F6"]
        status = Text(" · ".join(parts))
        if note:
            status.append(note, style="bold yellow")
        self.query_one("#search-status", Static).update(status)

    # -- moving and opening ---------------------------------------------------------------------------------

    @on(SearchBox.Move)
    def _move(self, event: SearchBox.Move) -> None:
        table = self.query_one(ResultsTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + event.delta)))

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self) -> None:
        table = self.query_one(ResultsTable)
        self.query_one(Preview).show(table.hit_at_cursor, empty_text=START_HINT)
        more = self.result is not None and len(table.hits) < self.result.total
        if more and table.cursor_row >= len(table.hits) - 5 and self.shown_generation == self.generation:
            self.load_more(self.generation, self.query_text, dict(self._chosen), self.sort, len(table.hits))

    @on(Input.Submitted, "#query")
    @on(DataTable.RowSelected, "#results")
    def action_open_selected(self) -> None:
        if self.shown_generation != self.generation:  # the table still shows an older text's results
            self._open_when_shown = True
            return
        hit = self.query_one(ResultsTable).hit_at_cursor
        if hit is None:
            self.notify("没有选中的记录", severity="warning")
            return
        self.app.open_record(hit.record_id, self.query_text)

    def action_focus_search(self) -> None:
        box = self.query_one("#query", SearchBox)
        if box.has_focus and box.value:
            box.value = ""
        box.focus()

    # -- facets and sorting ---------------------------------------------------------------------------------

    def action_toggle_facets(self) -> None:
        panel = self.query_one(FacetPanel)
        panel.display = not panel.display
        if panel.display:
            panel.focus()
            self.refresh_results()  # fetch the facet counts
        else:
            self.query_one("#query", SearchBox).focus()

    @on(SelectionList.SelectedChanged, "#facets")
    def _filters_changed(self) -> None:
        self._chosen = self.query_one(FacetPanel).filters
        self.refresh_results()

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        self.refresh_results()
