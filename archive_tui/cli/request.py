"""``archive-tui request …``: the register of requests for disclosure (依申请公开登记)."""

from __future__ import annotations

import datetime as dt
import json

import click

from ..requests import RequestView, fees
from ..requests import outcomes as outcome_vocab
from ..requests.workdays import provisional_warning
from ..timeutil import today
from .base import State, main, pass_state

STEP_LABELS = {"correction": "发出补正告知", "corrected": "收到补正", "extension": "延长答复期限",
               "consult": "征求第三方意见", "consult_reply": "收到第三方意见", "close": "办结"}


@main.group()
def request() -> None:
    """依申请公开登记：登记、补正、延期、征求意见、办结、到期提醒。"""


def _warn(views: list[RequestView]) -> None:
    years = sorted({y for v in views for y in v.status.provisional_years})
    warning = provisional_warning(years)
    if warning:
        click.echo(warning, err=True)


def _line(view: RequestView) -> str:
    req, st = view.request, view.status
    due = f"{st.next_label} {st.next_due}" if st.next_due else ""
    flag = f"  【{st.flag_label}】" if st.flag else ""
    outcome = f"  {outcome_vocab.outcome(req['outcome']).short}" if req["outcome"] else ""
    return (f"{view.ref}  {req['received_date']}  {req['applicant_type']}  {req['applicant_name']}  "
            f"{req['content'][:30]}  {st.state_label}{outcome}  {due}{flag}")


def _as_json(view: RequestView) -> dict:
    st = view.status
    return {
        **view.request,
        "state_label": st.state_label,
        "answer_due": st.answer_due and st.answer_due.isoformat(),
        "correction_notice_due": st.correction_notice_due.isoformat(),
        "next_label": st.next_label,
        "next_due": st.next_due and st.next_due.isoformat(),
        "days_left": st.days_left,
        "flag": st.flag,
        "extended_days": st.extended_days,
        "answered_in_time": st.answered_in_time,
        "provisional_years": st.provisional_years,
        "steps": view.steps,
    }


@request.command("add")
@click.option("--type", "applicant_type", required=True,
              help=f"申请人类型（表三的列）：{'、'.join(outcome_vocab.applicant_types())}")
@click.option("--name", "applicant_name", required=True, help="申请人姓名或名称")
@click.option("--contact", default="", help="联系方式")
@click.option("--content", required=True, help="申请公开的政府信息（名称、文号或描述）")
@click.option("--channel", required=True, help=f"申请方式：{'、'.join(outcome_vocab.channels())}")
@click.option("--received", "received_date", default=None, help="收到申请的日期（默认今天）")
@pass_state
def add(state: State, received_date: str | None, **fields: str) -> None:
    """登记一件新的政府信息公开申请。"""
    fields["received_date"] = received_date or today().isoformat()
    view = state.archive.request_register().add(fields, state.staff_actor())
    click.echo(f"已登记申请 {view.ref}；答复期限 {view.status.answer_due}（补正告知须在 {view.status.correction_notice_due} 前发出）")
    _warn([view])


@request.command("list")
@click.option("--year", type=int, default=None, help="只列出该年收到的申请")
@click.option("--open", "open_only", is_flag=True, help="只列出未办结的")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def list_(state: State, year: int | None, open_only: bool, as_json: bool) -> None:
    """列出登记的申请及其期限。"""
    views = state.archive.request_register().list(state.staff_actor(), year=year, open_only=open_only)
    if as_json:
        click.echo(json.dumps([_as_json(v) for v in views], ensure_ascii=False, indent=2, default=str))
        return
    if not views:
        click.echo("（没有登记的申请）")
    for view in views:
        click.echo(_line(view))
    _warn(views)


@request.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def show(state: State, ref: str, as_json: bool) -> None:
    """显示一件申请的全部信息和办理步骤。"""
    view = state.archive.request_register().view(ref, state.staff_actor())
    if as_json:
        click.echo(json.dumps(_as_json(view), ensure_ascii=False, indent=2, default=str))
        return
    req, st = view.request, view.status
    for label, value in (("编号", req["ref"]), ("收到日期", req["received_date"]), ("申请方式", req["channel"]),
                         ("申请人", f"{req['applicant_name']}（{req['applicant_type']}）"), ("联系方式", req["contact"]),
                         ("申请内容", req["content"]), ("状态", st.state_label)):
        click.echo(f"{label}：{value or '—'}")
    click.echo(f"补正告知期限：{st.correction_notice_due}")
    if st.answer_due:
        extra = f"（已延长 {st.extended_days} 个工作日）" if st.extended_days else ""
        paused = f"（征求意见不计 {st.paused_days} 个工作日）" if st.paused_days else ""
        click.echo(f"答复期限：{st.answer_due}{extra}{paused}")
    if st.next_due and st.next_label != "答复期限":
        click.echo(f"{st.next_label}：{st.next_due}")
    if st.flag:
        click.echo(f"提醒：{st.flag_label}")
    if req["outcome"]:
        timely = "按期" if st.answered_in_time else "超期"
        click.echo(f"办理结果：{outcome_vocab.outcome(req['outcome']).short}（{req['closed_date']}，{timely}）")
    for step in view.steps:
        bits = [f"{step['days']} 个工作日" if step["days"] else "", f"批准人 {step['approver']}" if step["approver"] else "",
                step["note"] or ""]
        click.echo(f"  {step['date']}  {STEP_LABELS.get(step['kind'], step['kind'])}  {'  '.join(b for b in bits if b)}")
    _warn([view])


@request.command()
@click.argument("ref")
@click.option("--notice-date", default=None, help="发出补正告知的日期（默认今天）")
@click.option("--period", type=int, default=None, help="给申请人的补正期限（工作日）")
@click.option("--received", "received", default=None, help="收到补正后申请的日期：答复期限从此日重新起算")
@click.option("--note", default="", help="需要补正的事项")
@pass_state
def correct(state: State, ref: str, notice_date: str | None, period: int | None, received: str | None, note: str) -> None:
    """发出补正告知（收到申请后 7 个工作日内，一次性告知）；或用 --received 登记收到补正。"""
    register, actor = state.archive.request_register(), state.staff_actor()
    if received:
        view = register.corrected(ref, actor, date=received, note=note)
        click.echo(f"已登记收到补正；答复期限重新计算为 {view.status.answer_due}")
    else:
        view = register.correct(ref, actor, date=notice_date or today().isoformat(), days=period, note=note)
        due = f"，申请人须在 {view.status.next_due} 前补正" if view.status.next_due else ""
        click.echo(f"已登记补正告知，答复期限暂停{due}")
    _warn([view])


@request.command()
@click.argument("ref")
@click.option("--approver", required=True, help="批准延期的负责人")
@click.option("--days", type=int, default=20, show_default=True, help="延长的工作日数（最多 20）")
@click.option("--date", "day", default=None, help="决定延期的日期（默认今天）")
@click.option("--note", default="", help="延期理由")
@pass_state
def extend(state: State, ref: str, approver: str, days: int, day: str | None, note: str) -> None:
    """延长答复期限（只能一次，最多 20 个工作日，须负责人同意）。"""
    view = state.archive.request_register().extend(
        ref, state.staff_actor(), date=day or today().isoformat(), approver=approver, days=days, note=note
    )
    click.echo(f"已延期；新的答复期限 {view.status.answer_due}")
    _warn([view])


@request.command()
@click.argument("ref")
@click.option("--third-party", default=None, help="被征求意见的第三方（发出征求意见时必填）")
@click.option("--date", "day", default=None, help="发出征求意见书的日期（默认今天）")
@click.option("--reply", default=None, help="收到第三方意见（或其期限届满）的日期：答复期限恢复计算")
@click.option("--note", default="", help="备注")
@pass_state
def consult(state: State, ref: str, third_party: str | None, day: str | None, reply: str | None, note: str) -> None:
    """征求第三方意见（第三方有 15 个工作日；期间不计入答复期限）；或用 --reply 登记收到意见。"""
    register, actor = state.archive.request_register(), state.staff_actor()
    if reply:
        view = register.consult_reply(ref, actor, date=reply, note=note)
        click.echo(f"已登记第三方意见；答复期限 {view.status.answer_due}（不计 {view.status.paused_days} 个工作日）")
    else:
        view = register.consult(ref, actor, date=day or today().isoformat(), third_party=third_party or "", note=note)
        click.echo(f"已登记征求意见；第三方应在 {view.status.next_due} 前答复，其间答复期限暂停")
    _warn([view])


def _outcome_help() -> str:
    return "办理结果代码：" + "，".join(f"{o.code}={o.short}" for o in outcome_vocab.outcomes().values())


@request.command()
@click.argument("ref")
@click.option("--outcome", required=True, help=_outcome_help())
@click.option("--date", "day", default=None, help="办结日期（默认今天）")
@click.option("--note", default="", help="备注（如已公开信息的获取途径、负责公开的机关）")
@pass_state
def close(state: State, ref: str, outcome: str, day: str | None, note: str) -> None:
    """办结申请，选择年度报告表三中的办理结果。"""
    view = state.archive.request_register().close(
        ref, state.staff_actor(), date=day or today().isoformat(), outcome=outcome, note=note
    )
    timely = "按期办结" if view.status.answered_in_time else "已超过答复期限"
    click.echo(f"申请 {view.ref} 已办结：{outcome_vocab.outcome(outcome).short}（{timely}）")


@request.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@pass_state
def due(state: State, as_json: bool) -> None:
    """列出 3 个工作日内到期或已超期的申请；有超期的以状态 3 退出。"""
    views = state.archive.requests_due(state.staff_actor())
    if as_json:
        click.echo(json.dumps([_as_json(v) for v in views], ensure_ascii=False, indent=2, default=str))
    elif not views:
        click.echo("没有临近或超过期限的申请。")
    for view in [] if as_json else views:
        click.echo(_line(view))
    _warn(views)
    if any(v.status.flag == "overdue" for v in views):
        raise SystemExit(3)


@request.command()
@click.option("--year", type=int, default=None, help="年份（默认今年）")
@pass_state
def calendar(state: State, year: int | None) -> None:
    """显示计算期限所用的节假日：工作日的休息日和调休上班的周末，以及数据是否为暂定。"""
    year = year or today().year
    cal = state.archive.request_register().calendar
    days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    days = [d for d in days if d.year == year]
    off = [d for d in days if d.weekday() < 5 and not cal.is_workday(d)]
    worked = [d for d in days if d.weekday() >= 5 and cal.is_workday(d)]
    data = cal.year_data(year)
    source = "chinese-calendar 1.11.0" if data is None else (data.source or "数据文件")
    click.echo(f"{year} 年：工作日 {sum(cal.is_workday(d) for d in days)} 天；来源：{source}")
    click.echo("放假的工作日：" + ("、".join(d.strftime("%m-%d") for d in off) or "无"))
    click.echo("调休上班的周末：" + ("、".join(d.strftime("%m-%d") for d in worked) or "无"))
    warning = provisional_warning(cal.provisional([year]))
    if warning:
        click.echo(warning, err=True)


@request.command()
@click.option("--pages", type=int, default=None, help="按量计收：本次申请提供的页数")
@click.option("--earlier", type=int, default=None, help="按件计收：该申请人本月此前已提出的申请件数")
@pass_state
def fee(state: State, pages: int | None, earlier: int | None) -> None:
    """信息处理费（条例第四十二条，国办函〔2020〕109号）：按量或按件计算，二者择一适用。"""
    if pages is None and earlier is None:
        raise click.UsageError("请给出 --pages（按量计收）或 --earlier（按件计收）")
    if pages is not None:
        click.echo(f"按量计收：{pages} 页，信息处理费 {fees.by_pages(pages) / 100:.2f} 元（30 页以内免费）")
    if earlier is not None:
        click.echo(f"按件计收：本月第 {earlier + 1} 件，信息处理费 {fees.by_count(earlier) / 100:.2f} 元（每月 10 件以内免费）")
