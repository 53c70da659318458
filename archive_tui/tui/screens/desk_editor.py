"""The catalogue editor: every catalogue field as a form (vocabularies as pick-lists), checked as you type with
the core's own rules (``records.clean_fields``), suggestions from ingest shown as such and confirmed one by one
or all at once, the page text and image beside the form, and the record's history."""

from __future__ import annotations

import json
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from rich.markup import escape
from rich.text import Text
from textual.widgets import ContentSwitcher, Footer, Header, Input, Label, Select, Static, TextArea

from ... import records
from ...access import STATUS_LABELS
from ...domain import vocab
from ...errors import InvalidInput
from ...fields import CATALOGUE_FIELDS, LABELS, Field
from ..widgets.page_image import PageImage, load_page_image

ACTIONS = {"create": "新建", "edit": "修改", "batch_edit": "批量修改", "batch_undo": "撤销批量修改",
           "shelve": "上架", "ready": "送审", "release": "发布", "withhold": "不予发布", "return": "退回修改",
           "ingest": "入库"}
PANELS = ("editor-text", "editor-image", "editor-history")
PANEL_TITLES = {"editor-text": "页面文字", "editor-image": "页面图像", "editor-history": "修改记录"}


def blank(value: Any) -> Any:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def check(name: str, value: Any) -> tuple[Any, str | None]:
    """The stored form of one field value and the Chinese problem with it (None when fine) — the core's rules."""
    if name == "title" and blank(value) is None:
        return None, "信息名称不能为空"
    try:
        return records.clean_fields({name: value})[name], None
    except InvalidInput as exc:
        return value, exc.message


def describe(event: dict[str, Any]) -> str:
    detail = event.get("detail") or {}
    before, after = detail.get("before") or {}, detail.get("after") or {}
    parts = [f"{LABELS.get(k, k)}：{before.get(k) or '（空）'} → {v if v not in (None, '') else '（空）'}"
             for k, v in after.items()]
    if detail.get("confirmed"):
        parts.append("确认建议：" + "、".join(LABELS.get(k, k) for k in detail["confirmed"]))
    for key in ("note", "reason", "title"):
        if detail.get(key) and not parts:
            parts.append(str(detail[key]))
    return "；".join(parts)


class EditorScreen(Screen[bool]):
    """Edit one record. Dismisses with True when something was saved."""

    DEFAULT_CSS = """
    EditorScreen #editor-body { height: 1fr; }
    EditorScreen #editor-form { width: 58%; border-right: solid $primary; }
    EditorScreen #editor-side { width: 42%; }
    EditorScreen .field-row { height: auto; }
    EditorScreen .field-label { width: 14; padding: 0 1 0 0; text-align: right; }
    EditorScreen .field-edit { width: 1fr; background: $boost; }
    EditorScreen .field-edit:focus { background: $accent 30%; }
    EditorScreen TextArea.field-edit { height: 4; }
    EditorScreen .field-hint { height: auto; padding: 0 0 0 14; color: $text-muted; }
    EditorScreen .field-hint.empty { display: none; }
    EditorScreen .field-hint.suggested { color: $warning; }
    EditorScreen .field-hint.error { color: $error; }
    EditorScreen .invalid { background: $error 30%; }
    EditorScreen #editor-status { height: auto; padding: 0 1; background: $boost; }
    EditorScreen #editor-page-head { height: auto; color: $text-muted; }
    EditorScreen #editor-text, EditorScreen #editor-image, EditorScreen #editor-history { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="editor.save", tooltip="保存修改（会记入修改记录）"),
        Binding("ctrl+y", "accept", "采纳本栏建议", id="editor.accept", tooltip="把光标所在栏目的建议值填入并确认"),
        Binding("ctrl+g", "accept_all", "全部采纳", id="editor.accept_all", tooltip="采纳并确认所有建议值"),
        Binding("ctrl+r", "ready", "保存并送审", id="editor.ready", tooltip="保存后把记录送交审核"),
        Binding("f6", "panel", "文字/图像/记录", id="editor.panel", tooltip="右栏在页面文字、页面图像和修改记录之间切换"),
        Binding("pagedown", "page(1)", "下一页", id="editor.next_page", tooltip="右栏显示下一页"),
        Binding("pageup", "page(-1)", "上一页", id="editor.prev_page", tooltip="右栏显示上一页"),
        Binding("escape", "close", "返回", id="editor.close", tooltip="关闭表单（有未保存的修改时需再按一次）"),
    ]

    def __init__(self, record_id: int) -> None:
        super().__init__()
        self.record_id = record_id
        self.record: dict[str, Any] = {}
        self.suggested: dict[str, Any] = {}
        self.confirmed: set[str] = set()
        self.problems: dict[str, str] = {}
        self.pages: list[dict[str, Any]] = []
        self.page_index = 0
        self.saved = False
        self.history_lines = 0
        self._discard_armed = False
        self._loading = True

    # -- layout -----------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在读取记录…", id="editor-status")
        with Horizontal(id="editor-body"):
            with VerticalScroll(id="editor-form"):
                for field in CATALOGUE_FIELDS:
                    with Horizontal(classes="field-row"):
                        yield Label(field.label, classes="field-label")
                        yield self._editor_for(field)
                    yield Static("", id=f"hint-{field.name}", classes="field-hint empty")
            with Vertical(id="editor-side"):
                yield Static("", id="editor-page-head")
                with ContentSwitcher(initial="editor-text", id="editor-switcher"):
                    with VerticalScroll(id="editor-text"):
                        yield Static("", id="editor-page-text")
                    yield PageImage(id="editor-image")
                    with VerticalScroll(id="editor-history"):
                        yield Static("", id="editor-history-text")
        yield Footer()

    def _editor_for(self, field: Field):
        widget_id = f"field-{field.name}"
        if field.name == "index_no":
            return Input(id=widget_id, classes="field-edit", disabled=True, compact=True, tooltip="索引号生成后不能更改")
        if field.vocab:
            options = [(v, v) for v in vocab.values(field.vocab)]
            return Select(options, id=widget_id, classes="field-edit", prompt="（未填）", allow_blank=True, compact=True)
        if field.kind == "longtext":
            return TextArea(id=widget_id, classes="field-edit", soft_wrap=True, compact=True)
        placeholder = {"date": "如 2021-03-05 或 2021年3月5日", "docno": "如 临政办〔2021〕13号"}.get(field.kind, "")
        return Input(id=widget_id, classes="field-edit", placeholder=placeholder, compact=True, select_on_focus=False)

    def on_mount(self) -> None:
        self.load()

    # -- loading ----------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="editor-load")
    def load(self) -> None:
        archive, actor = self.app.archive, self.app.actor
        record = archive.get_record(self.record_id, actor)
        pages = archive.pages(self.record_id, actor)
        history = archive.history(self.record_id, actor)
        self.app.call_from_thread(self._fill, record, pages, history)

    def _fill(self, record: dict[str, Any], pages: list[dict[str, Any]], history: list[dict[str, Any]]) -> None:
        self._loading = True
        self.record = record
        self.suggested = json.loads(record.get("suggested") or "{}")
        self.confirmed.clear()
        self.pages = pages
        for field in CATALOGUE_FIELDS:
            self._set_value(field, record.get(field.name))
        for field in CATALOGUE_FIELDS:
            self._validate(field.name)
        self._show_history(history)
        self._show_status()
        self.page_index = min(self.page_index, max(len(pages) - 1, 0))
        self._show_page()
        self.call_after_refresh(self._done_loading)
        if not self.saved:
            self.query_one("#field-title").focus()

    def _done_loading(self) -> None:
        self._loading = False

    def _widget(self, name: str):
        return self.query_one(f"#field-{name}")

    def _set_value(self, field: Field, value: Any) -> None:
        widget = self._widget(field.name)
        if isinstance(widget, Select):
            options = [(v, v) for v in vocab.values(field.vocab)] if field.vocab else []
            if value and value not in [v for _, v in options]:
                options.append((str(value), str(value)))  # e.g. 主题分类 with a second level
            widget.set_options(options)
            widget.value = value if value else Select.NULL
        elif isinstance(widget, TextArea):
            widget.text = "" if value is None else str(value)
        else:
            widget.value = "" if value is None else str(value)

    def _value(self, name: str) -> Any:
        widget = self._widget(name)
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, TextArea):
            return widget.text
        return widget.value

    def _show_status(self) -> None:
        r = self.record
        ready = "，已送审" if r.get("ready_at") and r["status"] == "pending" else ""
        pending = f"　尚有 {len(self.suggested)} 个建议值待确认" if self.suggested else ""
        self.query_one("#editor-status", Static).update(
            f"[b]{r['index_no']}[/]　{r['title']}　审核状态：{STATUS_LABELS.get(r['status'], r['status'])}{ready}"
            f"　第 {r['rev']} 版{pending}\n[dim]Tab/Shift+Tab 换栏，↓ 打开选择列表，Ctrl+Y 采纳本栏建议，Ctrl+G 全部采纳，"
            f"Ctrl+S 保存，Esc 返回[/]"
        )

    def _show_history(self, history: list[dict[str, Any]]) -> None:
        """Newest first: when, who, what, and every field's value before → after."""
        lines = []
        for event in reversed(history):
            when = event["ts"][:19].replace("T", " ")
            lines.append(f"[b]{when}　{escape(event['actor'])}　{ACTIONS.get(event['action'], event['action'])}[/]")
            what = describe(event)
            if what:
                lines.append(f"  {escape(what)}")
        self.history_lines = len(history)
        self.query_one("#editor-history-text", Static).update("\n".join(lines) or "（没有记录）")

    # -- pages ------------------------------------------------------------------------------------------------

    def _show_page(self) -> None:
        head = self.query_one("#editor-page-head", Static)
        text = self.query_one("#editor-page-text", Static)
        switcher = self.query_one("#editor-switcher", ContentSwitcher)
        title = PANEL_TITLES[switcher.current or "editor-text"]
        if not self.pages:
            head.update(f"{title}　（本记录没有页面）　F6 切换")
            text.update("")
            return
        page = self.pages[self.page_index]
        confidence = page.get("ocr_confidence")
        quality = f"　识别置信度 {confidence:.0f}" if confidence is not None else ""
        flag = "　[b yellow]需核对[/]" if page.get("flagged") else ""
        head.update(f"{title}　第 {page['page_no']}/{len(self.pages)} 页{quality}{flag}　PgUp/PgDn 翻页，F6 切换")
        text.update(Text(page.get("text") or "（本页没有文字）"))
        if switcher.current == "editor-image":
            self.load_image(page)

    @work(thread=True, exclusive=True, group="editor-image")
    def load_image(self, page: dict[str, Any]) -> None:
        picture = load_page_image(self.app.archive, page, self.app.actor)
        self.app.call_from_thread(self.query_one("#editor-image", PageImage).show_image, picture)

    def action_page(self, step: int) -> None:
        if self.pages:
            self.page_index = (self.page_index + step) % len(self.pages)
            self._show_page()

    def action_panel(self) -> None:
        switcher = self.query_one("#editor-switcher", ContentSwitcher)
        switcher.current = PANELS[(PANELS.index(switcher.current or PANELS[0]) + 1) % len(PANELS)]
        self._show_page()

    # -- validation as you type -------------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self, event) -> None:
        widget = event.control
        name = (widget.id or "").removeprefix("field-")
        if name in LABELS and not self._loading:
            self._discard_armed = False
            self._validate(name)

    def _validate(self, name: str) -> None:
        if name == "index_no":
            return
        value = self._value(name)
        cleaned, problem = check(name, value)
        widget, hint = self._widget(name), self.query_one(f"#hint-{name}", Static)
        widget.set_class(problem is not None, "invalid")
        hint.remove_class("error", "suggested")
        if problem:
            self.problems[name] = problem
            hint.add_class("error")
            hint.remove_class("empty")
            hint.update(problem)
            return
        self.problems.pop(name, None)
        notes = []
        if isinstance(value, str) and cleaned is not None and str(cleaned) != value.strip():
            notes.append(f"将保存为：{cleaned}")
        if name in self.suggested and name not in self.confirmed:
            hint.add_class("suggested")
            suggestion = self.suggested[name]
            same = blank(suggestion) == blank(cleaned) or check(name, suggestion)[0] == cleaned
            notes.append("建议值（未确认）— Ctrl+Y 确认" if same else f"建议：{suggestion} — Ctrl+Y 采纳，或改好后保存")
        elif name in self.confirmed:
            notes.append("已采纳建议（保存后生效）")
        hint.update("；".join(notes))
        hint.set_class(not notes, "empty")

    # -- suggestions ------------------------------------------------------------------------------------------

    def _focused_field(self) -> str | None:
        focused = self.focused
        while focused is not None and not (focused.id or "").startswith("field-"):
            focused = focused.parent if focused.parent is not self else None
        return (focused.id or "").removeprefix("field-") if focused is not None else None

    def _accept(self, name: str) -> bool:
        if name not in self.suggested:
            return False
        suggestion = self.suggested[name]
        field = next(f for f in CATALOGUE_FIELDS if f.name == name)
        if blank(self._value(name)) is None or check(name, suggestion)[0] != check(name, self._value(name))[0]:
            cleaned, problem = check(name, suggestion)
            self._set_value(field, cleaned if problem is None else suggestion)
        self.confirmed.add(name)
        self._validate(name)
        return True

    def action_accept(self) -> None:
        name = self._focused_field()
        if name is None or not self._accept(name):
            label = LABELS.get(name or "", "这一栏")
            self.notify(f"{label}没有建议值", severity="warning")

    def action_accept_all(self) -> None:
        accepted = [name for name in list(self.suggested) if self._accept(name)]
        self.notify(f"已采纳 {len(accepted)} 个建议值，按 Ctrl+S 保存" if accepted else "没有待确认的建议值")

    # -- saving -----------------------------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """Fields whose value differs from the stored record, plus suggestions confirmed as they are."""
        out: dict[str, Any] = {}
        for field in CATALOGUE_FIELDS:
            if field.name == "index_no":
                continue
            value = self._value(field.name)
            cleaned, problem = check(field.name, value)
            if problem is None and blank(cleaned) != blank(self.record.get(field.name)):
                out[field.name] = value
            elif field.name in self.confirmed:
                out[field.name] = value
        return out

    def action_save(self, then_ready: bool = False) -> None:
        if self.problems:
            first = next(iter(self.problems))
            self.notify(f"有 {len(self.problems)} 处需要改正：{self.problems[first]}", title="未保存", severity="error")
            self._widget(first).focus()
            return
        changes = self.changes()
        if not changes and not then_ready:
            self.notify("没有修改")
            return
        self.save(changes, then_ready)

    def action_ready(self) -> None:
        self.action_save(then_ready=True)

    @work(thread=True, exclusive=True, group="editor-save")
    def save(self, changes: dict[str, Any], then_ready: bool) -> None:
        archive, actor = self.app.archive, self.app.actor
        if changes:
            archive.update_record(self.record_id, changes, actor)
        if then_ready:
            archive.mark_ready(self.record_id, actor)
        record = archive.get_record(self.record_id, actor)
        pages = archive.pages(self.record_id, actor)
        history = archive.history(self.record_id, actor)
        note = ("已保存并送审" if changes else "已送审") if then_ready else f"已保存 {len(changes)} 个栏目"
        self.app.call_from_thread(self._saved, record, pages, history, note)

    def _saved(self, record, pages, history, note: str) -> None:
        self.saved = True
        self._fill(record, pages, history)
        self.notify(note, title=record["index_no"])

    def action_close(self) -> None:
        if self.changes() and not self._discard_armed:
            self._discard_armed = True
            self.notify("有未保存的修改：Ctrl+S 保存，再按 Esc 放弃修改", severity="warning")
            return
        self.dismiss(self.saved)
