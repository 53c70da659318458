"""``archive-tui print``, ``printers`` and ``print-log``: stamped copies for the counter."""

from __future__ import annotations

from pathlib import Path

import click

from ..printing import fees, fonts, prepare
from ..printing import log as print_log
from ..printing.cups import list_printers
from .base import State, main, pass_state


@main.command("print")
@click.argument("record")
@click.option("--pages", default=None, help="页码范围，如 1-3,5（默认全部）")
@click.option("--copies", type=click.IntRange(1, 99), default=1, show_default=True, help="份数")
@click.option("--cover", is_flag=True, help="加打封面（目录信息与查阅登记）")
@click.option("--duplex", is_flag=True, help="双面打印")
@click.option("--printer", default=None, help="CUPS 打印机名（见 archive-tui printers）")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出为 PDF 文件")
@click.option("--visit", "visit_id", type=int, default=None, help="查阅登记号")
@click.option("--yes", "-y", is_flag=True, help="有费用时不再询问，直接打印")
@pass_state
def print_cmd(state: State, record: str, pages: str | None, copies: int, cover: bool, duplex: bool,
              printer: str | None, output: Path | None, visit_id: int | None, yes: bool) -> None:
    """打印已发布记录的查阅件（带页眉页脚标记），记入打印登记。RECORD 为记录号、索引号或文号。"""
    if (printer is None) == (output is None):
        raise click.UsageError("请用 --printer 或 --output 指定打印机或输出文件（二者选一）")
    actor = state.counter_actor()
    archive = state.archive
    job = prepare(archive, record, actor, pages=pages, copies=copies)
    prices = fees.price_list(archive.setting)
    click.echo(f"{job.record['index_no']} {job.record['title']}")
    click.echo(f"第 {job.pages_text} 页，共 {len(job.selected)} 页 × {copies} 份；"
               f"费用 {fees.yuan(job.fee_cents)}（{prices.describe()}）")
    if job.fee_cents and not yes:
        click.confirm("确认打印并收费？", abort=True)
    result = archive.print_record(job.record["id"], actor, pages=pages, copies=copies, cover=cover,
                                  printer=printer, output=output, visit_id=visit_id, duplex=duplex)
    click.echo(result.summary)
    fonts.warm_cache_soon(archive.setting(fonts.SETTING_KEY))  # the next print loads a smaller font


@main.command("printers")
@pass_state
def printers_cmd(state: State) -> None:
    """列出 CUPS 打印机及其状态。"""
    found = list_printers()
    if not found:
        click.echo("CUPS 中没有打印机")
    for printer in found:
        click.echo(f"{printer.name}\t{printer.status_text}")


@main.command("print-log")
@click.option("--visit", "visit_id", type=int, default=None, help="只看某次查阅登记")
@click.option("--limit", type=int, default=50, show_default=True)
@pass_state
def print_log_cmd(state: State, visit_id: int | None, limit: int) -> None:
    """打印登记：最近的打印记录（时间、操作员、记录、页码、份数、去向、费用）。"""
    state.staff_actor()
    for row in print_log.entries(state.archive.db, visit_id=visit_id, limit=limit):
        where = f"{row['printer']} #{row['cups_job_id']}" if row["printer"] else row["output_file"]
        click.echo(f"{row['ts'][:16].replace('T', ' ')}\t{row['operator']}\t{row['index_no']}\t"
                   f"第{row['pages']}页×{row['copies']}份\t{where}\t{fees.yuan(row['fee_cents'] or 0)}")
