"""审核 mode (保密审查): the queue of pending records and the decision on each.

Left, the queue (records the archivist handed over first); right, what the reviewer needs for the highlighted
record: suggested fields still to confirm, low-confidence OCR pages, personal-data findings in context, and why
this operator may not release it. ``r`` releases, ``w`` withholds with an exemption and a note, ``b`` returns it
to the archivist. Every read and decision runs in a thread worker through the core, which enforces the rules.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...access import STATUS_LABELS
from ...errors import ArchiveError
from ...fields import LABELS
from ...review import QueueItem, ReviewDetail
from ..dialogs.review_note import ReviewNoteDialog
from ..dialogs.review_withhold import WithholdDialog
from .login import FirstRunScreen, logged_in

REVIEW_CSS = """
#review-banner { height: auto; padding: 0 1; background: $boost; }
#review-body { height: 1fr; }
#review-queue { width: 1fr; height: 1fr; }
#review-detail-box { width: 1fr; height: 1fr; border-left: solid $accent; padding: 0 1; }
"""


class ReviewScreen(Screen):
    DEFAULT_CSS = REVIEW_CSS
    BINDINGS = [
        Binding("r", "release", "发布", id="review.release",
                tooltip="发布到窗口（审核员；入库人和最后修改人不能发布自己的记录）"),
        Binding("w", "withhold", "不予发布", id="review.withhold",
                tooltip="不予发布：选择《条例》第十四至十六条的理由并写明说明"),
        Binding("b", "return_for_changes", "退回修改", id="review.return", tooltip="退回档案员修改，写明需要改什么"),
        Binding("g", "refresh", "刷新", id="review.refresh", tooltip="重新读取待审核队列"),
        Binding("a", "first_admin", "创建管理员", id="review.first_admin",
                tooltip="首次运行：尚无操作员时创建第一个管理员"),
        Binding("q", "app.quit", "退出", id="review.quit", tooltip="退出程序"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueueItem] = []
        self.detail: ReviewDetail | None = None
        self.no_operators = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取待审核队列……", id="review-banner")
        with Horizontal(id="review-body"):
            yield DataTable(id="review-queue", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="review-detail-box"):
                yield Static("", id="review-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "审核"
        self.query_one(DataTable).add_columns("编号", "索引号", "信息名称", "提交审核", "入库人", "存疑页", "待确认")

    def on_screen_resume(self) -> None:
        self.load_queue()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "first_admin":
            return self.no_operators
        if action in ("release", "withhold", "return_for_changes"):
            return None if self.detail is None else True
        return True

    # -- loading --------------------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        self.load_queue()

    @work(thread=True, exit_on_error=False, exclusive=True, group="review-queue")
    def load_queue(self) -> None:
        archive, actor = self.app.archive, self.app.actor
        no_operators = not archive.has_operators()
        try:
            items = archive.review_queue(actor)
        except ArchiveError as exc:
            self.app.call_from_thread(self._show_queue, [], no_operators, exc.message)
            return
        self.app.call_from_thread(self._show_queue, items, no_operators, None)

    def _show_queue(self, items: list[QueueItem], no_operators: bool, error: str | None) -> None:
        self.no_operators = no_operators
        table = self.query_one(DataTable)
        keep = self.detail.record["id"] if self.detail else None
        self.items = items
        self.detail = None
        table.clear()
        for item in items:
            r = item.record
            table.add_row(
                str(item.id), r["index_no"], r["title"], (r["ready_at"] or "")[:16] or "未提交", r["created_by"] or "",
                ",".join(map(str, item.flagged_pages)), str(len(item.suggested) or ""), key=str(item.id),
            )
        ready = sum(item.ready for item in items)
        banner = error or f"待审核 {len(items)} 件，其中已提交审核 {ready} 件 · 审核员：{self.app.actor.name}"
        if no_operators:
            banner += "\n尚未设置操作员，所有人都以系统身份操作，无法做到发布人、审核人分离。按 a 创建首个管理员。"
        self.query_one("#review-banner", Static).update(banner)
        if not items:
            self.query_one("#review-detail", Static).update("没有待审核的记录。" if not error else "")
            self.refresh_bindings()
            return
        ids = [item.id for item in items]
        table.move_cursor(row=ids.index(keep) if keep in ids else 0)
        self.load_detail(ids[table.cursor_row])
        table.focus()

    @on(DataTable.RowHighlighted, "#review-queue")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.load_detail(int(event.row_key.value))

    @work(thread=True, exit_on_error=False, exclusive=True, group="review-detail")
    def load_detail(self, record_id: int) -> None:
        try:
            detail = self.app.archive.review_detail(record_id, self.app.actor)
        except ArchiveError as exc:
            self.app.call_from_thread(self.notify, exc.message, title="审核", severity="error")
            return
        self.app.call_from_thread(self._show_detail, detail)

    def _show_detail(self, detail: ReviewDetail) -> None:
        self.detail = detail
        self.query_one("#review-detail", Static).update(describe(detail))
        self.refresh_bindings()

    # -- decisions ------------------------------------------------------------------------------------------

    def action_release(self) -> None:
        detail = self.detail
        if detail is None:
            return
        if detail.blockers:
            self.notify("；".join(detail.blockers), title="不能发布", severity="error")
            return
        record_id = detail.record["id"]
        if detail.findings:
            kinds = "、".join(sorted({f.label for f in detail.findings}))
            dialog = ReviewNoteDialog(
                f"发布：{detail.record['title']}",
                f"记录中发现 {len(detail.findings)} 处个人信息（{kinds}）。一般应不予发布（按 Esc 后按 w）。\n"
                "确需发布（如本人书面同意、涉及重大公共利益）请写明理由：",
                required=True, placeholder="发布理由（必填）",
            )
            self.app.push_screen(dialog, lambda note: note is not None and self.decide("release", record_id, note, True))
            return
        dialog = ReviewNoteDialog(
            f"发布：{detail.record['title']}", "发布后窗口即可查阅。审核意见：", required=False,
        )
        self.app.push_screen(dialog, lambda note: note is not None and self.decide("release", record_id, note, False))

    def action_withhold(self) -> None:
        detail = self.detail
        if detail is None:
            return
        record_id = detail.record["id"]
        suggested = "个人隐私" if detail.findings else None
        self.app.push_screen(
            WithholdDialog(detail.record["title"], suggested),
            lambda choice: choice is not None and self.decide("withhold", record_id, *choice),
        )

    def action_return_for_changes(self) -> None:
        detail = self.detail
        if detail is None:
            return
        record_id = detail.record["id"]
        dialog = ReviewNoteDialog(
            f"退回修改：{detail.record['title']}", "需要档案员修改的内容：", required=True,
            placeholder="如：成文日期与原件不符",
        )
        self.app.push_screen(dialog, lambda note: note is not None and self.decide("return", record_id, note))

    @work(thread=True, exit_on_error=False, group="review-decision")
    def decide(self, kind: str, record_id: int, *args: object) -> None:
        """Carry out a decision; the core refuses what the rules forbid and the refusal is shown."""
        try:
            message = self._decide(kind, record_id, *args)
        except ArchiveError as exc:
            self.app.call_from_thread(self.notify, exc.message, title="操作未完成", severity="error")
        else:
            self.app.call_from_thread(self.notify, message, title="审核")
        self.app.call_from_thread(self.load_queue)

    def _decide(self, kind: str, record_id: int, *args: object) -> str:
        archive, actor = self.app.archive, self.app.actor
        if kind == "release":
            note, acknowledge = args
            row = archive.release(record_id, actor, str(note), acknowledge_pii=bool(acknowledge))
            message = f"已发布：{row['title']}"
        elif kind == "withhold":
            reason, note = args
            row = archive.withhold(record_id, actor, str(reason), str(note))
            message = f"不予发布（{reason}）：{row['title']}"
        else:
            row = archive.return_for_changes(record_id, actor, str(args[0]))
            message = f"已退回修改：{row['title']}"
        return message

    def action_first_admin(self) -> None:
        def created(actor: object) -> None:
            if actor is not None:
                logged_in(self.app, actor)  # type: ignore[arg-type]
                self.load_queue()

        self.app.push_screen(FirstRunScreen(), created)


def describe(detail: ReviewDetail) -> Text:
    """The review pane for one record."""
    r = detail.record
    out = Text()
    out.append(f"{r['title']}\n", style="bold")
    out.append(f"{r['index_no']}  {r.get('doc_no') or '无文号'}  {r.get('issuer') or ''}\n")
    status = STATUS_LABELS.get(r["status"], r["status"])
    out.append(f"状态：{status}  入库：{r['created_by']}  最后修改：{r['updated_by']}\n")
    if r.get("status_note"):
        out.append(f"上次审核意见：{r.get('status_reason') or ''} {r['status_note']}\n")
    out.append("\n待确认栏目（系统从正文提取，尚未确认）\n", style="bold")
    if not detail.suggested:
        out.append("  无\n", style="dim")
    for name, value in detail.suggested.items():
        out.append(f"  {LABELS.get(name, name)}：{value}（当前：{r.get(name) or '空'}）\n")
    out.append("\n识别置信度低的页面\n", style="bold")
    if not detail.flagged_pages:
        out.append("  无\n", style="dim")
    for p in detail.flagged_pages:
        conf = "" if p["ocr_confidence"] is None else f"（置信度 {p['ocr_confidence']:.0f}）"
        excerpt = (p["text"] or "").replace("\n", " ")[:40]
        out.append(f"  第 {p['page_no']} 页{conf}：{excerpt}\n")
    out.append(f"\n个人信息检查：{'发现 ' + str(len(detail.findings)) + ' 处' if detail.findings else '未发现'}\n",
               style="bold red" if detail.findings else "bold")
    for f in detail.findings:
        where = f"第 {f.page_no} 页" if f.page_no else "目录"
        start = f.context_start
        end = start + (f.end - f.start)
        out.append(f"  {f.label}（{where}）：…")
        out.append(f.context[:start])
        out.append(f.context[start:end], style="bold reverse red")
        out.append(f.context[end:] + "…\n")
    if detail.blockers:
        out.append("\n不能发布\n", style="bold red")
        for blocker in detail.blockers:
            out.append(f"  {blocker}\n", style="red")
    return out
