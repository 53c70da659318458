"""The live view of one ingest batch. The ingest runs in its own process (``archive-tui ingest … --progress-json``);
this widget reads its JSON lines on the event loop, so the app stays responsive and searchable meanwhile.

Pause and resume stop and continue the whole process group (the ingest and its OCR workers); cancel asks the
ingest to stop after the current document (SIGTERM), so finished documents stay; starting again resumes, since
ingest skips content it already holds.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, RichLog, Static

from ...cli.base import PASSWORD_ENV
from ...cli.ingest import EXIT_CANCELLED, EXIT_REJECTED
from ...ingest import walk
from ...ingest.report import flag_reasons
from ..dialogs.desk_password import PasswordDialog
from ..dialogs.desk_picker import PickerDialog

STATE_LABELS = {"idle": "未开始", "running": "入库中", "paused": "已暂停（按 p 继续）", "stopping": "正在停止（完成当前文件后）",
                "cancelled": "已停止（已完成的文件已保存，按 s 继续）", "finished": "已完成", "failed": "出错"}
FILE_STATES = {"queued": "等待", "working": "处理中", "done": "完成", "duplicate": "已有（跳过）",
               "rejected": "拒收", "flagged": "完成·需核对"}


def _get(event: dict[str, Any], *keys: str, default: Any = None) -> Any:
    for key in keys:
        if event.get(key) is not None:
            return event[key]
    return default


@dataclass
class FileRow:
    name: str
    state: str = "queued"
    pages_done: int = 0
    pages: int | None = None
    note: str = ""
    record_id: int | None = None


@dataclass
class BatchProgress:
    """What the JSON lines of one run said so far (the source of the view; independent of widgets)."""

    total_files: int | None = None
    total_pages: int | None = None
    done_files: int = 0
    pages_done: int = 0
    pages_per_s: float | None = None
    eta_s: float | None = None
    rejected: int = 0
    flagged: int = 0
    files: dict[str, FileRow] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    started: float = field(default_factory=time.monotonic)

    def row(self, name: str) -> FileRow:
        if name not in self.files:
            self.files[name] = FileRow(name)
        return self.files[name]

    def apply(self, event: dict[str, Any]) -> list[str]:
        """Fold one event in; return the log lines it produces (rejections, flagged pages, the summary)."""
        kind = _get(event, "event", "type", default="")
        name = str(_get(event, "file", "path", "name", default=""))
        lines: list[str] = []
        if kind == "start":
            self.total_files = _get(event, "documents", "files", "total_files", "total", default=self.total_files)
            if isinstance(self.total_files, list):
                for item in self.total_files:
                    self.row(str(item))
                self.total_files = len(self.total_files)
            self.total_pages = _get(event, "pages", "total_pages", default=self.total_pages)
        elif kind in ("file_start", "file_started"):
            self.row(name).state = "working"
            self.row(name).pages = _get(event, "pages", "page_count", default=self.row(name).pages)
        elif kind in ("page", "page_done"):
            row = self.row(name)
            row.state = "working"
            row.pages_done = int(_get(event, "page", "page_no", default=row.pages_done + 1))
            row.pages = _get(event, "pages", "page_count", default=row.pages)
        elif kind == "file_done":
            row = self.row(name)
            duplicate = bool(_get(event, "duplicate", default=False)) or _get(event, "status") in ("duplicate", "skipped")
            row.state = "duplicate" if duplicate else ("flagged" if row.state == "flagged" else "done")
            row.pages = _get(event, "pages", "page_count", default=row.pages)
            row.pages_done = row.pages or row.pages_done
            row.record_id = _get(event, "record_id", "record", default=row.record_id)
            index_no = _get(event, "index_no", default="")
            seconds = _get(event, "seconds")
            took = f"，用时 {float(seconds):.1f} 秒" if seconds is not None and not duplicate else ""
            ocr = _get(event, "ocr_pages")
            ocr_text = f"，识别 {ocr} 页" if ocr else ""
            prefix = "档案库中已有：" if duplicate else ""
            row.note = row.note or (f"{prefix}索引号 {index_no}{ocr_text}{took}" if index_no else prefix)
            self.done_files += 1
        elif kind == "rejected":
            row = self.row(name)
            row.state = "rejected"
            row.note = str(_get(event, "reason", "message", "error", default="无法入库"))
            self.rejected += 1
            self.done_files += 1
            lines.append(f"[b red]拒收[/] {escape(name)}：{escape(row.note)}")
        elif kind == "flagged":
            row = self.row(name)
            row.state = "flagged"
            row.record_id = _get(event, "record_id", "record", default=row.record_id)
            pages = _get(event, "pages", "page", "page_no", default=[])
            pages = [int(p) for p in (pages if isinstance(pages, list) else [pages]) if str(p).isdigit()]
            notes = {int(k): str(v) for k, v in (_get(event, "notes", default={}) or {}).items() if str(k).isdigit()}
            reasons = "；".join(flag_reasons(pages, notes)) or "有页面需核对"
            index_no = _get(event, "index_no", default="")
            row.note = f"{reasons}，请核对" + (f"（{index_no}）" if index_no else "")
            self.flagged += 1
            lines.append(f"[b yellow]需核对[/] {escape(name)} {escape(reasons)}（{index_no or '记录已入库'}，按 e 编辑）")
        elif kind == "progress":
            self.done_files = int(_get(event, "done_files", "files_done", "done", default=self.done_files))
            self.total_files = _get(event, "total_files", "files", "total", default=self.total_files)
            self.pages_done = int(_get(event, "pages_done", "pages", default=self.pages_done))
            self.pages_per_s = _get(event, "pages_per_s", "pages_per_sec", "rate", default=self.pages_per_s)
            self.eta_s = _get(event, "eta_s", "eta_seconds", "eta", default=self.eta_s)
        elif kind == "summary":
            self.summary = event
            lines.append("[b]本批结束[/]：" + "，".join(
                f"{label} {event[key]}" for key, label in (
                    ("added", "新入库"), ("duplicate", "已有"), ("rejected", "拒收"), ("flagged", "需核对"),
                    ("pages", "页"), ("not_started", "未开始")) if event.get(key) is not None))
        if kind == "file_done" and self.pages_per_s is None:
            self.pages_done += int(_get(event, "pages", "page_count", default=0) or 0)
        return lines

    @property
    def rate(self) -> float | None:
        if self.pages_per_s is not None:
            return float(self.pages_per_s)
        elapsed = time.monotonic() - self.started
        return self.pages_done / elapsed if self.pages_done and elapsed > 0 else None

    def stats_line(self) -> str:
        total = self.total_files if self.total_files is not None else "?"
        rate = f"{self.rate:.2f} 页/秒" if self.rate else "— 页/秒"
        eta = self.eta_s
        eta_text = f"预计还需 {int(eta) // 60} 分 {int(eta) % 60} 秒" if eta is not None else "预计剩余时间 —"
        return (f"文件 {self.done_files}/{total}　页 {self.pages_done}　{rate}　{eta_text}　"
                f"拒收 {self.rejected}　需核对 {self.flagged}")


class BatchPane(Vertical, can_focus=False):
    """The 批次 pane of the 入库 mode."""

    BINDINGS = [
        Binding("o", "pick", "选择文件夹", id="desk.batch.pick", tooltip="打开文件选择器，选择要入库的文件夹或文件"),
        Binding("m", "manifest", "著录清单", id="desk.batch.manifest", tooltip="选择著录清单（CSV/XLSX），可不选"),
        Binding("s", "start", "开始入库", id="desk.batch.start", tooltip="开始入库；停止后再按一次从未完成处继续"),
        Binding("p", "pause", "暂停/继续", id="desk.batch.pause", tooltip="暂停或继续正在进行的入库"),
        Binding("x", "cancel", "停止", id="desk.batch.cancel", tooltip="完成当前文件后停止，已完成的文件保留"),
        Binding("c", "clear", "清空选择", id="desk.batch.clear", tooltip="清空已选的文件夹和清单"),
        Binding("e", "edit", "编辑记录", id="desk.batch.edit", tooltip="编辑光标所在文件入库后的记录"),
    ]

    class Finished(Message):
        """A run ended (finished, cancelled or failed): the catalogue pane reloads."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paths: list[Path] = []
        self.manifest: Path | None = None
        self.state = "idle"
        self.progress = BatchProgress()
        self._process: asyncio.subprocess.Process | None = None
        self._password: str | None = None  # kept in memory for this session once checked
        self.start_dir = Path.cwd()

    def compose(self) -> ComposeResult:
        yield Static("", id="batch-sources")
        yield Static("", id="batch-state")
        yield ProgressBar(id="batch-bar", show_eta=False)
        yield Static("", id="batch-stats")
        table: DataTable = DataTable(id="batch-files", cursor_type="row", zebra_stripes=True)
        table.add_column("文件", key="file", width=36)
        table.add_column("状态", key="state", width=12)
        table.add_column("页", key="pages", width=5)
        table.add_column("说明", key="note")
        yield table
        log = RichLog(id="batch-log", markup=True, wrap=True, max_lines=2000)
        log.border_title = "拒收与需核对的页面"
        yield log

    def on_mount(self) -> None:
        self._show()

    # -- state shown --------------------------------------------------------------------------------------------

    def _show(self) -> None:
        sources = "；".join(str(p) for p in self.paths) or "（未选择，按 o 选择文件夹或文件）"
        manifest = str(self.manifest) if self.manifest else "（无，按 m 选择，可不选）"
        self.query_one("#batch-sources", Static).update(f"本批：{sources}\n著录清单：{manifest}")
        closing = "（正在收尾：更新检索索引）" if self.state == "running" and self.progress.summary else ""
        self.query_one("#batch-state", Static).update(f"状态：{STATE_LABELS[self.state]}{closing}")
        bar = self.query_one("#batch-bar", ProgressBar)
        bar.display = self.state != "idle"
        if self.progress.total_files:
            bar.update(total=self.progress.total_files, progress=self.progress.done_files)
        self.query_one("#batch-stats", Static).update(self.progress.stats_line())
        self.refresh_bindings()

    def _show_files(self) -> None:
        table = self.query_one("#batch-files", DataTable)
        for name, row in self.progress.files.items():
            pages = f"{row.pages_done}/{row.pages}" if row.pages else (str(row.pages_done) if row.pages_done else "")
            cells = {"file": Text(_short(self._relative(name))), "state": FILE_STATES.get(row.state, row.state),
                     "pages": pages, "note": Text(row.note)}
            if name in table.rows:
                for key, value in cells.items():
                    table.update_cell(name, key, value, update_width=True)
            else:
                table.add_row(*cells.values(), key=name)

    def _relative(self, label: str) -> str:
        """A document's label without the folder the batch was picked from (shown once above the table)."""
        for path in self.paths:
            prefix = f"{path.parent}/"
            if label.startswith(prefix):
                return label[len(prefix):]
        return label

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that do something now are in the footer."""
        running = self.state in ("running", "paused", "stopping")
        if action in ("pick", "manifest", "start"):
            return not running
        if action == "clear":
            return not running and bool(self.paths or self.manifest)
        if action in ("pause", "cancel"):
            return self.state in ("running", "paused")
        if action == "edit":
            return any(row.record_id is not None for row in self.progress.files.values())
        return True

    # -- choosing ---------------------------------------------------------------------------------------------

    def action_pick(self) -> None:
        def chosen(paths: list[Path] | None) -> None:
            if paths:
                self.paths.extend(p for p in paths if p not in self.paths)
                self.start_dir = paths[0].parent
                self._show()
        self.app.push_screen(PickerDialog(self.start_dir), chosen)

    def action_manifest(self) -> None:
        def chosen(paths: list[Path] | None) -> None:
            if paths:
                self.manifest = paths[0]
                self._show()
        self.app.push_screen(PickerDialog(self.start_dir, multiple=False, title="选择著录清单（CSV/XLSX）"), chosen)

    def action_clear(self) -> None:
        self.paths, self.manifest = [], None
        self._show()

    # -- running ----------------------------------------------------------------------------------------------

    def command(self) -> list[str]:
        archive, actor = self.app.archive, self.app.actor
        cmd = [sys.executable, "-m", "archive_tui", "--archive", str(archive.root), "--user", actor.name,
               "ingest", *map(str, self.paths), "--progress-json"]
        if self.manifest:
            cmd += ["--manifest", str(self.manifest)]
        return cmd

    def action_start(self) -> None:
        if not self.paths:
            self.notify("请先按 o 选择要入库的文件夹或文件", severity="warning")
            return
        if self._password is None and self.app.archive.has_operators():
            def checked(password: str | None) -> None:
                if password is not None:
                    self._password = password
                    self.action_start()
            self.app.push_screen(PasswordDialog(self.app.actor.name), checked)
            return
        self.progress = BatchProgress()
        self.query_one("#batch-files", DataTable).clear()
        self.query_one("#batch-log", RichLog).clear()
        self.state = "running"
        self._show()
        self.prefill(list(self.paths), self.manifest)
        self.run_batch(self.command())

    @work(thread=True, group="desk-ingest-plan")
    def prefill(self, paths: list[Path], manifest: Path | None) -> None:
        """List every document of the batch as 等待 at once (the same plan the ingest process makes)."""
        found = walk.plan(paths, manifest)
        self.app.call_from_thread(self._prefilled, [c.label for c in found.candidates])

    def _prefilled(self, labels: list[str]) -> None:
        for label in labels:
            self.progress.row(label)
        if self.progress.total_files is None:
            self.progress.total_files = len(labels)
        self._show_files()
        self._show()

    @work(exclusive=True, group="desk-ingest")
    async def run_batch(self, cmd: list[str]) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self._password is not None:
            env[PASSWORD_ENV] = self._password  # the child's environment only, never its command line
        process = await asyncio.create_subprocess_exec(
            *cmd, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, start_new_session=True, env=env, limit=1 << 22,
        )
        self._process = process
        errors = asyncio.ensure_future(process.stderr.read()) if process.stderr else None
        log = self.query_one("#batch-log", RichLog)
        assert process.stdout is not None
        async for raw in process.stdout:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(event, dict):
                continue
            for line in self.progress.apply(event):
                log.write(line)
            self._show_files()
            self._show()
        code = await process.wait()
        stderr = (await errors).decode("utf-8", "replace").strip() if errors else ""
        self._process = None
        summary = self.progress.summary
        if self.state == "stopping" or (summary and summary.get("cancelled")) or code == EXIT_CANCELLED:
            self.state = "cancelled"
        elif summary is not None and code in (0, EXIT_REJECTED):
            self.state = "finished"
        else:
            self.state = "failed"
            log.write(f"[b red]入库程序出错[/]（退出码 {code}）：{escape(stderr[-800:]) or '无输出'}")
        if self.progress.total_files and self.state == "finished":
            self.progress.done_files = max(self.progress.done_files, self.progress.total_files)
        self._show()
        self.post_message(self.Finished())

    def _signal_group(self, sig: int) -> None:
        if self._process is not None and self._process.returncode is None:
            try:
                os.killpg(self._process.pid, sig)
            except ProcessLookupError:
                pass

    def action_pause(self) -> None:
        if self.state == "running":
            self._signal_group(signal.SIGSTOP)
            self.state = "paused"
        elif self.state == "paused":
            self._signal_group(signal.SIGCONT)
            self.state = "running"
        self._show()

    def action_cancel(self) -> None:
        if self._process is None or self.state not in ("running", "paused"):
            return
        self._process.send_signal(signal.SIGTERM)
        if self.state == "paused":
            self._signal_group(signal.SIGCONT)
        self.state = "stopping"
        self._show()

    def stop_now(self) -> None:
        """On app exit: stop the ingest cleanly rather than leave it running or frozen."""
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            self._signal_group(signal.SIGCONT)

    def action_edit(self) -> None:
        table = self.query_one("#batch-files", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        row = self.progress.files.get(key or "")
        if row is None or row.record_id is None:
            self.notify("这个文件还没有入库记录", severity="warning")
            return
        from ..screens.desk_editor import EditorScreen

        self.app.push_screen(EditorScreen(int(row.record_id)))


def _short(name: str, width: int = 34) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]
