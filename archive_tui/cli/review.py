"""Review commands (保密审查): ``archive-tui review list|show|ready|release|withhold|return``."""

from __future__ import annotations

import json

import click

from ..access import STATUS_LABELS
from ..fields import LABELS
from ..review import withhold_reasons
from .base import State, main, pass_state


@main.group()
def review() -> None:
    """保密审查：待审核队列、发布、不予发布、退回修改。"""


@review.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def list_(state: State, as_json: bool) -> None:
    """待审核队列（已提交审核的在前）。"""
    items = state.archive.review_queue(state.staff_actor())
    if as_json:
        click.echo(json.dumps([
            {"id": i.id, "index_no": i.record["index_no"], "title": i.record["title"], "ready_at": i.record["ready_at"],
             "created_by": i.record["created_by"], "suggested": i.suggested, "flagged_pages": i.flagged_pages}
            for i in items
        ], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("（没有待审核的记录）")
    for i in items:
        ready = f"已提交 {i.record['ready_at'][:16]}" if i.ready else "未提交"
        notes = []
        if i.suggested:
            notes.append(f"{len(i.suggested)} 项待确认")
        if i.flagged_pages:
            notes.append(f"存疑页 {','.join(map(str, i.flagged_pages))}")
        click.echo(f"{i.id}  {i.record['index_no']}  {i.record['title']}  {ready}  入库 {i.record['created_by']}"
                   + (f"  [{'；'.join(notes)}]" if notes else ""))


@review.command()
@click.argument("record")
@pass_state
def show(state: State, record: str) -> None:
    """审核一条记录：建议栏目、低置信度页面、个人信息检查结果（带上下文）。"""
    archive, actor = state.archive, state.staff_actor()
    d = archive.review_detail(archive.get_record(record, actor)["id"], actor)
    r = d.record
    click.echo(f"{r['index_no']}  {r['title']}")
    click.echo(f"审核状态：{STATUS_LABELS.get(r['status'], r['status'])}"
               + (f"（{r['status_reason']}）" if r.get("status_reason") else "")
               + (f"  备注：{r['status_note']}" if r.get("status_note") else ""))
    click.echo(f"入库：{r['created_by']}  最后修改：{r['updated_by']}  提交审核：{r.get('ready_at') or '未提交'}")
    for name, value in d.suggested.items():
        click.echo(f"待确认 {LABELS.get(name, name)}：{value}（当前：{r.get(name) or '空'}）")
    for p in d.flagged_pages:
        conf = p["ocr_confidence"]
        click.echo(f"存疑页 第 {p['page_no']} 页：识别置信度 {conf:.0f}" if conf is not None else
                   f"存疑页 第 {p['page_no']} 页")
    if d.findings:
        click.echo(f"个人信息检查：发现 {len(d.findings)} 处")
        for f in d.findings:
            where = f"第 {f.page_no} 页" if f.page_no else "目录"
            c, s = f.context, f.context_start
            shown = c[:s] + "【" + c[s:s + f.end - f.start] + "】" + c[s + f.end - f.start:]
            click.echo(f"  {f.label}（{where}）：…{shown}…")
    else:
        click.echo("个人信息检查：未发现")
    for blocker in d.blockers:
        click.echo(f"不能发布：{blocker}")


@review.command()
@click.argument("record")
@pass_state
def ready(state: State, record: str) -> None:
    """档案员提交审核。"""
    archive, actor = state.archive, state.staff_actor()
    row = archive.mark_ready(archive.get_record(record, actor)["id"], actor)
    click.echo(f"已提交审核：{row['index_no']}  {row['title']}")


@review.command()
@click.argument("record")
@click.option("--note", default="", help="审核意见")
@click.option("--ack-pii", is_flag=True, help="确认记录中的个人信息可以公开（须在 --note 写明理由）")
@pass_state
def release(state: State, record: str, note: str, ack_pii: bool) -> None:
    """发布到窗口（审核员；不能是入库人或最后修改人）。"""
    archive, actor = state.archive, state.staff_actor()
    row = archive.release(archive.get_record(record, actor)["id"], actor, note, acknowledge_pii=ack_pii)
    click.echo(f"已发布：{row['index_no']}  {row['title']}")


@review.command()
@click.argument("record")
@click.option("--reason", required=True, type=click.Choice(withhold_reasons()),
              help="不予发布理由（《条例》第十四至十六条）")
@click.option("--note", required=True, help="具体说明")
@pass_state
def withhold(state: State, record: str, reason: str, note: str) -> None:
    """不予发布（审核员），须写明理由和说明。"""
    archive, actor = state.archive, state.staff_actor()
    row = archive.withhold(archive.get_record(record, actor)["id"], actor, reason, note)
    click.echo(f"不予发布：{row['index_no']}  {row['title']}（{reason}）")


@review.command("return")
@click.argument("record")
@click.option("--note", required=True, help="需要修改的内容")
@pass_state
def return_(state: State, record: str, note: str) -> None:
    """退回档案员修改。"""
    archive, actor = state.archive, state.staff_actor()
    row = archive.return_for_changes(archive.get_record(record, actor)["id"], actor, note)
    click.echo(f"已退回修改：{row['index_no']}  {row['title']}")
