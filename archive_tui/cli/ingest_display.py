"""How ``archive-tui ingest`` shows progress: a rich progress bar on a terminal, plain lines otherwise, or one
JSON object per line (``--progress-json``) for the app's 入库 view, which runs ingest in its own process."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..ingest.report import flag_reasons


class JsonLines:
    def __call__(self, event: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def close(self) -> None:
        pass


def _line(event: dict[str, Any]) -> str | None:
    kind = event["event"]
    if kind == "file_done" and event["status"] == "added":
        return f"新增 {event['index_no']}  {event['file']}（{event['pages']} 页）"
    if kind == "file_done":
        return f"重复 {event['file']}（已在库中：{event.get('index_no') or '本批'}），跳过"
    if kind == "rejected":
        return f"拒收 {event['file']}：{event['message']}（{event['detail']}）"
    if kind == "flagged":
        return f"待核对 {event['index_no']}：" + "；".join(flag_reasons(event["pages"], event.get("notes") or {}))
    return None


class PlainLines:
    """One line per document, for logs and pipes."""

    def __call__(self, event: dict[str, Any]) -> None:
        if event["event"] == "start":
            click.echo(f"开始入库：共 {event['documents']} 件，{event['jobs']} 个工作进程", err=True)
        elif event["event"] == "progress" and event["done"] == event["total"]:
            return
        elif event["event"] == "progress":
            eta = f"，预计还需 {event['eta_s']:.0f} 秒" if event.get("eta_s") is not None else ""
            click.echo(f"进度 {event['done']}/{event['total']}，{event['pages_per_s']} 页/秒{eta}", err=True)
        elif (text := _line(event)) is not None:
            click.echo(text, err=True)

    def close(self) -> None:
        pass


class Bar:
    """A rich progress bar with documents, pages, pages/s and ETA; notable lines scroll above it."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]入库"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[pages]} 页 · {task.fields[rate]} 页/秒"), TextColumn("剩余"),
            TimeRemainingColumn(), console=self.console, transient=True,
        )
        self.task = None

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "start":
            self.progress.start()
            self.task = self.progress.add_task("ingest", total=event["documents"], pages=0, rate=0)
        elif kind == "progress" and self.task is not None:
            self.progress.update(self.task, pages=event["pages"], rate=event["pages_per_s"])
        elif kind in ("rejected", "flagged") and (text := _line(event)):
            self.progress.console.print(text, markup=False, highlight=False)
        if kind in ("file_done", "rejected") and self.task is not None:
            self.progress.advance(self.task)

    def close(self) -> None:
        self.progress.stop()


def for_output(progress_json: bool) -> JsonLines | PlainLines | Bar:
    if progress_json:
        return JsonLines()
    return Bar() if sys.stderr.isatty() else PlainLines()
