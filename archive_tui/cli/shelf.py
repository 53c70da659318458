"""``archive-tui shelf …``: boxes and their contents, placing records, 件号 in order, box and shelf labels."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import shelving
from ..fields import location_text
from ..records import as_document
from .base import State, main, pass_state


@main.group()
def shelf() -> None:
    """上架登记：库房/架/层/盒号/件号，盒内清单，编件号，打印盒签和架签。"""


@shelf.command("box")
@click.argument("box", required=False)
@click.option("--room", help="库房（不同库房的盒号可以重复）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def box_(state: State, box: str | None, room: str | None, as_json: bool) -> None:
    """列出盒号 BOX 中的全部记录；不给盒号时列出所有盒子。"""
    actor = state.staff_actor()
    if box is None:
        found = shelving.boxes(state.archive, actor)
        if as_json:
            click.echo(json.dumps([b.__dict__ for b in found], ensure_ascii=False, indent=2))
        for b in found:
            if not as_json:
                click.echo(f"{b.name}  共 {b.count} 件  {b.first_date or '—'} 至 {b.last_date or '—'}")
        if not found and not as_json:
            click.echo("（还没有登记盒号的记录）")
        return
    rows = shelving.box_contents(state.archive, actor, box, room)
    if as_json:
        click.echo(json.dumps([as_document(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"（盒号 {box} 中没有记录）")
    for r in rows:
        click.echo(f"{r.get('loc_item') or '—':>4}  {r['index_no']}  {r.get('doc_no') or '—'}  {r['title']}  "
                   f"{r.get('created_date') or '—'}  [{location_text(r)}]")


@shelf.command()
@click.argument("records", nargs=-1, required=True)
@click.option("--room", help="库房")
@click.option("--shelf", "shelf_", help="架")
@click.option("--layer", help="层")
@click.option("--box", help="盒号")
@pass_state
def place(state: State, records: tuple[str, ...], room: str | None, shelf_: str | None, layer: str | None,
          box: str | None) -> None:
    """登记记录（编号、索引号或文号）的存放位置；只改给出的项。"""
    where = {k: v for k, v in (("room", room), ("shelf", shelf_), ("layer", layer), ("box", box)) if v is not None}
    if not where:
        raise click.UsageError("请至少给出 --room/--shelf/--layer/--box 中的一项")
    actor = state.staff_actor()
    ids = [state.archive.get_record(r, actor)["id"] for r in records]
    changed = shelving.place(state.archive, actor, ids, **where)
    click.echo(f"已登记 {changed} 条记录的位置")


@shelf.command()
@click.argument("box")
@click.option("--room", help="库房")
@click.option("--order", help="按给出的记录编号顺序编号，如 12,7,9（其余按成文日期、文号排在后面）")
@click.option("--start", type=int, default=1, show_default=True, help="起始件号")
@pass_state
def assign(state: State, box: str, room: str | None, order: str | None, start: int) -> None:
    """给盒内记录按成文日期、文号顺序（或指定顺序）编件号。"""
    ids = None
    if order:
        try:
            ids = [int(x) for x in order.replace("，", ",").split(",") if x.strip()]
        except ValueError as exc:
            raise click.BadParameter("--order 应是以逗号分隔的记录编号") from exc
    result = shelving.assign_items(state.archive, state.staff_actor(), box, room, order=ids, start=start)
    for row, old, new in result:
        mark = "" if old == new else f"（原 {old or '无'}）"
        click.echo(f"{new:>4}{mark}  {row.get('created_date') or '—'}  {row.get('doc_no') or '—'}  {row['title']}")
    click.echo(f"盒号 {box} 共 {len(result)} 件已编号")


@shelf.command()
@click.option("--kind", type=click.Choice(["box", "shelf"]), default="box", show_default=True,
              help="box 盒签（每盒一张）或 shelf 架签（每架每层一张）")
@click.option("--box", "selected", multiple=True, help="只打印这些盒子，写作 盒号 或 库房:盒号，可重复")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="写到这个 PDF 文件")
@click.option("--printer", help="直接送到这台 CUPS 打印机")
@pass_state
def labels(state: State, kind: str, selected: tuple[str, ...], output: Path | None, printer: str | None) -> None:
    """把盒签或架签排版为 PDF（内嵌中文字体），写到文件或送到打印机。"""
    if not output and not printer:
        raise click.UsageError("请用 --output 指定 PDF 文件，或用 --printer 指定打印机")
    selection = None
    if selected:
        selection = [tuple(s.split(":", 1)) if ":" in s else (None, s) for s in selected]
    if output:
        count = shelving.labels_pdf(state.archive, state.staff_actor(), output, kind=kind, selection=selection)
        click.echo(f"已生成 {count} 张标签：{output}")
    if printer:
        job, count = shelving.print_labels(state.archive, state.staff_actor(), printer, kind=kind, selection=selection)
        click.echo(f"已把 {count} 张标签送到打印机 {printer}（作业 {job}）")
