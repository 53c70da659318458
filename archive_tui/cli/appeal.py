"""``archive-tui request appeal …``: 行政复议、行政诉讼 cases about disclosure (table 4 of the annual report)."""

from __future__ import annotations

import json

import click

from ..requests import AppealCase, appeals
from ..timeutil import today
from .base import State, pass_state
from .request import request

KIND_HELP = "案件类型：" + "、".join(short for _, short in appeals.KINDS.values())
RESULT_HELP = "审结结果：" + "、".join(short for _, short in appeals.RESULTS.values())


@request.group()
def appeal() -> None:
    """政府信息公开行政复议、行政诉讼案件登记（年度报告表四）。"""


def _line(case: AppealCase) -> str:
    row = case.row
    decided = f"（{row['decided_date']}）" if row["decided_date"] else ""
    about = f"  涉及申请 {case.request_ref}" if case.request_ref else ""
    note = f"  {row['note']}" if row["note"] else ""
    return f"{case.ref}  {row['filed_date']}  {case.kind_label}  {case.result_label}{decided}{about}{note}"


@appeal.command("add")
@click.option("--kind", required=True, help=KIND_HELP)
@click.option("--filed", default=None, help="收到复议申请书或起诉状的日期（默认今天）")
@click.option("--request", "request_ref", default=None, help="所涉依申请公开申请的编号，如 2025-0007")
@click.option("--note", default="", help="备注（如复议机关、法院、案号）")
@pass_state
def add(state: State, kind: str, filed: str | None, request_ref: str | None, note: str) -> None:
    """登记一件行政复议或行政诉讼案件（尚未审结）。"""
    case = state.archive.appeal_register().add(
        state.staff_actor(), kind=kind, filed=filed or today().isoformat(), request=request_ref, note=note
    )
    click.echo(f"已登记案件 {case.ref}：{case.kind_label}，收到日期 {case.row['filed_date']}")


@appeal.command()
@click.argument("ref")
@click.option("--result", required=True, help=RESULT_HELP + "；更正时也可为 尚未审结（撤销误登的结果）")
@click.option("--date", "day", default=None, help="复议决定或判决、裁定的日期（默认今天；更正时默认原日期）")
@click.option("--note", default="", help="备注")
@click.option("--correct", "correcting", is_flag=True, help="更正已登记的审结结果或日期（须写 --reason）")
@click.option("--reason", default="", help="更正的理由（记入操作日志）")
@pass_state
def decide(state: State, ref: str, result: str, day: str | None, note: str, correcting: bool, reason: str) -> None:
    """登记案件的审结结果；登记有误时加 --correct 更正。"""
    register, actor = state.archive.appeal_register(), state.staff_actor()
    if reason and not correcting:
        raise click.UsageError("--reason 只用于更正，请同时加 --correct")
    if correcting:
        day = day or register.get(ref, actor).row["decided_date"]
        case = register.correct(ref, actor, result=result, date=day or today().isoformat(), reason=reason, note=note)
        click.echo(f"案件 {case.ref} 已更正：{case.result_label}"
                   + (f"（{case.row['decided_date']}）" if case.row["decided_date"] else ""))
        return
    case = register.decide(ref, actor, result=result, date=day or today().isoformat(), note=note)
    click.echo(f"案件 {case.ref} 已审结：{case.result_label}（{case.row['decided_date']}）")


@appeal.command("list")
@click.option("--year", type=int, default=None, help="只列出该年收到的案件")
@click.option("--open", "open_only", is_flag=True, help="只列出尚未审结的")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def list_(state: State, year: int | None, open_only: bool, as_json: bool) -> None:
    """列出行政复议、行政诉讼案件。"""
    cases = state.archive.appeal_register().list(state.staff_actor(), year=year, open_only=open_only)
    if as_json:
        click.echo(json.dumps([c.as_dict() for c in cases], ensure_ascii=False, indent=2))
    elif not cases:
        click.echo("（没有登记的复议或诉讼案件）")
    for case in [] if as_json else cases:
        click.echo(_line(case))
