"""``archive-tui ingest PATH... [--manifest F] [--jobs N] [--json] [--progress-json]``."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

import click

from .base import State, main, pass_state
from .ingest_display import for_output

EXIT_REJECTED = 1
EXIT_CANCELLED = 130


def _stop_on_signals(cancel: threading.Event) -> None:
    """The first SIGINT/SIGTERM stops after the documents in hand; a second SIGINT ends at once."""

    def handler(signum: int, frame: object) -> None:
        if cancel.is_set():
            signal.signal(signal.SIGINT, signal.default_int_handler)
            return
        cancel.set()
        click.echo("正在停止：处理完手头的文件后结束（再按一次 Ctrl-C 立即退出）……", err=True)

    if threading.current_thread() is threading.main_thread():  # signals can only be caught there
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="入库清单（CSV 或 XLSX，中文表头，「文件」列可列多个文件组成一件）")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, help="并行识别进程数（默认：全部 CPU 核）")
@click.option("--json", "as_json", is_flag=True, help="结束时输出 JSON 报告")
@click.option("--progress-json", is_flag=True, help="每个事件输出一行 JSON（供界面读取）")
@pass_state
def ingest(state: State, paths: tuple[Path, ...], manifest: Path | None, jobs: int | None, as_json: bool,
           progress_json: bool) -> None:
    """批量入库：扫描件（识别文字）和电子文件。新记录为「待审核」；重复内容自动跳过，重新运行即可续传。"""
    if not paths and manifest is None:
        raise click.UsageError("请给出要入库的文件或文件夹，或用 --manifest 指定清单")
    cancel = threading.Event()
    _stop_on_signals(cancel)
    display = for_output(progress_json)
    try:
        report = state.archive.ingest(list(paths), state.staff_actor(), manifest=manifest, jobs=jobs,
                                      progress=display, cancel=cancel)
    finally:
        display.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=None if progress_json else 2))
    else:
        for line in report.summary_lines():
            click.echo(line, err=progress_json)
    if report.cancelled:
        sys.exit(EXIT_CANCELLED)
    if report.rejected:
        sys.exit(EXIT_REJECTED)


@main.command("store-cleanup")
@click.option("--delete", is_flag=True, help="删除（默认只列出）")
@pass_state
def store_cleanup(state: State, delete: bool) -> None:
    """列出（或删除）中断的入库留下、没有任何记录引用的原件副本（一小时以前的）。"""
    from ..ingest import cleanup

    archive, actor = state.archive, state.staff_actor()
    found = cleanup.remove_unreferenced(archive, actor) if delete else cleanup.unreferenced(archive)
    for path in found:
        click.echo(str(path.relative_to(archive.store_dir)))
    verb = "已删除" if delete else "可删除（加 --delete）"
    click.echo(f"没有记录引用的存储文件 {len(found)} 个，{verb}；它们不影响目录和检查。", err=True)
