"""The request register: working-day deadlines over China's holidays, correction, extension, consultation, flags."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from archive_tui import Archive, InvalidInput, NotFound, PermissionDenied
from archive_tui.access import Actor
from archive_tui.requests import fees
from archive_tui.requests.workdays import Pause, WorkCalendar, provisional_warning

D = dt.date.fromisoformat
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def add(archive: Archive, staff, received: str, kind: str = "自然人", **extra) -> str:
    fields = {"applicant_type": kind, "applicant_name": "张三", "contact": "13800000000",
              "content": "临川县2024年财政预算执行情况", "channel": "当面", "received_date": received, **extra}
    return archive.request_register().add(fields, staff).ref


# -- the calendar ---------------------------------------------------------------------------------------------

def test_adjusted_weekends_are_working_days_and_holidays_are_not(cal: WorkCalendar) -> None:
    assert cal.is_workday(D("2025-09-28"))  # a Sunday worked for National Day 2025
    assert cal.is_workday(D("2025-10-11"))  # a Saturday worked for National Day 2025
    assert not cal.is_workday(D("2025-10-08"))  # Wednesday inside the holiday
    assert cal.is_workday(D("2025-01-26"))  # a Sunday worked for the Spring Festival 2025
    assert not cal.is_workday(D("2025-01-29"))  # 正月初一, Wednesday
    assert not cal.is_workday(D("2025-09-27"))  # an ordinary Saturday


def test_answer_deadline_across_spring_festival_2025(cal: WorkCalendar) -> None:
    # Received Mon 2025-01-20. Working days after it: 21–24 (4), Sun 26 (5, worked), 27 (6); 28 Jan–4 Feb off;
    # 5–7 Feb (9), Sat 8 Feb (10, worked), 10–14 (15), 17–21 (20).
    assert cal.add_workdays(D("2025-01-20"), 20) == D("2025-02-21")
    # Without the holiday and the adjusted days it would have been 2025-02-17: the calendar matters.
    assert cal.add_workdays(D("2025-01-20"), 7) == D("2025-02-05")  # correction notice due after the holiday


def test_answer_deadline_across_spring_festival_2026(cal: WorkCalendar) -> None:
    # Received Tue 2026-02-10; Spring Festival 2026: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb worked.
    # 11–13 (3), Sat 14 (4), 24–27 (8), Sat 28 (9), 2–6 Mar (14), 9–13 (19), 16 Mar (20).
    assert cal.add_workdays(D("2026-02-10"), 20) == D("2026-03-16")


def test_answer_deadline_across_national_day_2025(cal: WorkCalendar) -> None:
    # Received Fri 2025-09-26: Sun 28 (1), 29, 30 (3); 1–8 Oct off; 9, 10 (5), Sat 11 (6), 13–17 (11),
    # 20–24 (16), 27–30 (20).
    assert cal.add_workdays(D("2025-09-26"), 20) == D("2025-10-30")
    assert cal.workdays_between(D("2025-09-26"), D("2025-10-30")) == 20
    assert cal.workdays_between(D("2025-10-30"), D("2025-09-26")) == -20


def test_pause_days_are_not_counted(cal: WorkCalendar) -> None:
    plain = cal.add_workdays(D("2025-03-03"), 20)  # Mon; no holidays in March
    assert plain == D("2025-03-31")
    paused = cal.add_workdays(D("2025-03-03"), 20, skip=[Pause(D("2025-03-05"), D("2025-03-11"))])
    # 6, 7, 10 and 11 March are not counted; 4 April 2025 was 清明 (a Friday off): 1–3 Apr, then 7 Apr.
    assert paused == D("2025-04-07")


def shipped_2027_provisional() -> bool:
    """Whether schemas/holidays/2027.json is still the provisional file (false once the official notice is in)."""
    return json.loads((ROOT / "schemas" / "holidays" / "2027.json").read_text(encoding="utf-8"))["provisional"]


def test_2027_comes_from_the_data_file(cal: WorkCalendar) -> None:
    assert not cal.is_workday(D("2027-02-08"))  # 正月初三, a statutory holiday whatever the arrangement
    assert not cal.is_workday(D("2027-10-01"))
    assert cal.is_workday(D("2027-03-10"))  # an ordinary Wednesday
    assert cal.provisional([2026, 2027]) == ([2027] if shipped_2027_provisional() else [])
    assert "2027" in provisional_warning([2027]) and "暂定" in provisional_warning([2027])
    assert provisional_warning([]) is None
    with pytest.raises(InvalidInput, match="没有 2028 年的节假日数据"):
        cal.is_workday(D("2028-01-03"))


def test_an_archive_holiday_file_overrides_the_shipped_one(tmp_path: Path) -> None:
    folder = tmp_path / "holidays"
    folder.mkdir()
    (folder / "2027.json").write_text(json.dumps({
        "year": 2027, "provisional": False, "holidays": {"2027-02-09": "春节"}, "workdays": {"2027-02-06": "调休"}
    }), encoding="utf-8")
    cal = WorkCalendar([folder])
    assert not cal.is_workday(D("2027-02-09")) and cal.is_workday(D("2027-02-06"))
    assert cal.provisional([2027]) == []
    (folder / "2027.json").write_text('{"year": 2027, "holidays": {"2026-12-31": "x"}}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="不属于 2027 年"):
        WorkCalendar([folder]).is_workday(D("2027-03-01"))


# -- the register ---------------------------------------------------------------------------------------------

def test_add_gives_register_numbers_and_deadlines(archive: Archive, staff) -> None:
    first = add(archive, staff, "2025-01-20")
    second = add(archive, staff, "2025-09-26", kind="法律服务机构", channel="信函")
    assert (first, second) == ("2025-0001", "2025-0002")
    view = archive.request_register().view(first, staff, on=D("2025-02-10"))
    assert view.status.answer_due == D("2025-02-21") and view.status.state == "open"
    assert view.status.correction_notice_due == D("2025-02-05")
    assert view.status.days_left == 9 and view.status.flag is None
    assert archive.request_register().view(second, staff).status.answer_due == D("2025-10-30")
    assert any(e["action"] == "request.add" for e in archive.db.query("SELECT action FROM events"))


def test_bad_requests_are_refused_in_chinese(archive: Archive, staff) -> None:
    register = archive.request_register()
    with pytest.raises(InvalidInput, match="缺少：申请人姓名或名称、申请内容"):
        register.add({"applicant_type": "自然人", "channel": "当面", "received_date": "2025-01-02"}, staff)
    with pytest.raises(InvalidInput, match="申请人类型「公司」不对"):
        add(archive, staff, "2025-01-02", kind="公司")
    with pytest.raises(InvalidInput, match="申请方式「电话」不对"):
        add(archive, staff, "2025-01-02", channel="电话")
    with pytest.raises(InvalidInput, match="晚于今天"):
        add(archive, staff, (dt.date.today() + dt.timedelta(days=3)).isoformat())
    with pytest.raises(NotFound, match="没有编号为「2025-9999」的申请"):
        register.view("2025-9999", staff)
    with pytest.raises(PermissionDenied):
        register.list(Actor("路人"))
    assert archive.db["requests"].count == 0


def test_correction_restarts_the_clock(archive: Archive, staff) -> None:
    register = archive.request_register()
    ref = add(archive, staff, "2025-09-26")
    view = register.correct(ref, staff, date="2025-09-30", days=10, note="请写明文件名称")
    assert view.status.state == "correcting" and view.status.answer_due is None
    # The applicant has 10 working days from 30 Sep: 9, 10, 11 (Sat, worked), 13–17, 20, 21 Oct.
    assert view.status.next_label == "申请人补正期限" and view.status.next_due == D("2025-10-21")
    register.corrected(ref, staff, date="2025-10-09")
    with pytest.raises(InvalidInput, match="一次性告知"):
        register.correct(ref, staff, date="2025-10-10")
    view = register.view(ref, staff)
    assert view.status.state == "open"
    # 20 working days again from the day the correction arrived (Thu 9 Oct): 10, Sat 11, 13–17, 20–24, 27–31,
    # 3–5 Nov.
    assert view.status.answer_due == D("2025-11-05")
    with pytest.raises(InvalidInput, match="目前处于「办理中」状态"):
        register.corrected(ref, staff, date="2025-10-10")


def test_extension_once_with_approver(archive: Archive, staff) -> None:
    register = archive.request_register()
    ref = add(archive, staff, "2025-01-20")
    with pytest.raises(InvalidInput, match="请填写批准人"):
        register.extend(ref, staff, date="2025-02-20", approver=" ")
    with pytest.raises(InvalidInput, match="最长 20 个工作日"):
        register.extend(ref, staff, date="2025-02-20", approver="王主任", days=25)
    with pytest.raises(InvalidInput, match="已过，不能再延长"):
        register.extend(ref, staff, date="2025-02-24", approver="王主任")
    view = register.extend(ref, staff, date="2025-02-20", approver="王主任")
    # 21 Feb + 20 working days: 24–28 Feb, 3–7, 10–14, 17–21 Mar.
    assert view.status.answer_due == D("2025-03-21") and view.status.extended_days == 20
    assert view.steps[-1]["approver"] == "王主任"
    with pytest.raises(InvalidInput, match="只能延长一次"):
        register.extend(ref, staff, date="2025-02-21", approver="王主任", days=5)


def test_consultation_days_do_not_count(archive: Archive, staff) -> None:
    register = archive.request_register()
    ref = add(archive, staff, "2025-03-03", kind="商业企业")
    with pytest.raises(InvalidInput, match="第三方"):
        register.consult(ref, staff, date="2025-03-05", third_party="")
    view = register.consult(ref, staff, date="2025-03-05", third_party="临川县某建筑公司")
    assert view.status.state == "consulting"
    # The third party has 15 working days from 5 Mar: 6–7, 10–14, 17–21, 24–26 Mar.
    assert view.status.next_label == "第三方意见期限" and view.status.next_due == D("2025-03-26")
    view = register.consult_reply(ref, staff, date="2025-03-11")
    # 4 and 5 Mar count, 6–11 Mar (4 working days) do not, then 12 Mar … 3 Apr, 清明 4 Apr off, 7 Apr.
    assert view.status.paused_days == 4 and view.status.answer_due == D("2025-04-07")
    assert register.view(ref, staff).status.state == "open"


def test_due_flags_near_and_overdue(archive: Archive, staff) -> None:
    register = archive.request_register()
    near = add(archive, staff, "2025-09-26")  # answer due 2025-10-30
    late = add(archive, staff, "2025-09-01")  # answer due Sun 2025-09-28, a worked Sunday
    calm = add(archive, staff, "2025-10-27")
    done = add(archive, staff, "2025-09-02")
    register.close(done, staff, date="2025-09-10", outcome="1")
    on = D("2025-10-27")
    due = archive.requests_due(staff, on=on)
    assert [v.ref for v in due] == [late, near]
    assert due[0].status.next_due == D("2025-09-28")
    assert due[0].status.flag == "overdue" and due[0].status.days_left == -16  # 29, 30 Sep, 9–11, 13–17, 20–24, 27 Oct
    assert "已超期" in due[0].status.flag_label
    assert due[1].status.flag == "near" and due[1].status.days_left == 3 and due[1].status.flag_label == "剩 3 个工作日"
    assert calm not in [v.ref for v in due]


def test_closing_needs_a_table3_outcome_and_is_final(archive: Archive, staff) -> None:
    register = archive.request_register()
    ref = add(archive, staff, "2025-01-20")
    with pytest.raises(InvalidInput, match="办理结果代码「3.9」不存在"):
        register.close(ref, staff, date="2025-02-01", outcome="3.9")
    with pytest.raises(InvalidInput, match="早于收到申请的日期"):
        register.close(ref, staff, date="2025-01-10", outcome="1")
    view = register.close(ref, staff, date="2025-02-25", outcome="3.4", note="涉及商业秘密")
    assert view.request["outcome"] == "3.4" and view.status.state == "closed"
    assert view.status.answered_in_time is False  # due 2025-02-21
    with pytest.raises(InvalidInput, match="已办结"):
        register.extend(ref, staff, date="2025-02-26", approver="王主任")


def test_a_request_received_now_runs_into_provisional_2027(archive: Archive, staff) -> None:
    ref = add(archive, staff, "2026-11-20")
    archive.request_register().extend(ref, staff, date="2026-11-20", approver="王主任")
    view = archive.request_register().view(ref, staff, on=D("2026-11-20"))
    assert view.status.answer_due.year == 2027
    if shipped_2027_provisional():
        assert view.status.provisional_years == [2027] and "暂定" in view.warning


def test_art42_fees() -> None:
    assert fees.by_pages(30) == 0
    assert fees.by_pages(31) == 10 * 100
    assert fees.by_pages(150) == (70 * 10 + 50 * 20) * 100
    assert fees.by_pages(250) == (70 * 10 + 100 * 20 + 50 * 40) * 100
    assert fees.by_count(0, 10) == 0
    assert fees.by_count(10) == 100 * 100
    assert fees.by_count(30) == 200 * 100  # the 31st request of the month
    assert fees.by_count(40) == 300 * 100
    with pytest.raises(InvalidInput):
        fees.by_pages(-1)


def test_request_cli(archive: Archive) -> None:
    from click.testing import CliRunner

    from archive_tui.cli import main

    runner = CliRunner()
    base = ["--archive", str(archive.root), "request"]

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, [*base, *args])
        return result.exit_code, result.output

    code, out = run("add", "--type", "法律服务机构", "--name", "某律师事务所", "--content", "征收决定书",
                    "--channel", "信函", "--received", "2025-09-26")
    assert code == 0 and "2025-0001" in out and "2025-10-30" in out
    code, out = run("add", "--type", "公司", "--name", "x", "--content", "y", "--channel", "信函")
    assert code == 1 and "申请人类型「公司」不对" in out
    code, out = run("calendar", "--year", "2025")
    assert code == 0 and "10-08" in out and "09-28" in out and "10-11" in out  # off Wednesday, worked weekend days
    assert run("consult", "2025-0001", "--third-party", "某公司", "--date", "2025-09-29")[0] == 0
    code, out = run("consult", "2025-0001", "--reply", "2025-10-10")
    assert code == 0 and "不计 3 个工作日" in out and "2025-11-04" in out  # 30 Sep, 9 and 10 Oct
    code, out = run("extend", "2025-0001", "--approver", "王主任", "--date", "2025-10-20")
    assert code == 0
    code, out = run("due")  # long past by now: exit status 3 for scripts
    assert code == 3 and "2025-0001" in out and "已超期" in out
    code, out = run("show", "2025-0001")
    assert code == 0 and "批准人 王主任" in out and "征求第三方意见" in out
    code, out = run("close", "2025-0001", "--outcome", "4.1", "--date", "2025-10-31", "--note", "请向县自然资源局申请")
    assert code == 0 and "无法提供：本机关不掌握相关政府信息" in out and "按期办结" in out
    code, out = run("list", "--json")
    assert code == 0 and json.loads(out)[0]["outcome"] == "4.1"
    code, out = run("close", "2025-0001", "--outcome", "1")
    assert code == 1 and "已办结" in out
    assert run("due") == (0, "没有临近或超过期限的申请。\n")
    code, out = run("fee", "--pages", "150", "--earlier", "30")
    assert code == 0 and "1700.00 元" in out and "本月第 31 件，信息处理费 200.00 元" in out


def test_check_finds_register_problems(archive: Archive, staff) -> None:
    from archive_tui import checks

    ref = add(archive, staff, "2025-01-20")
    archive.request_register().close(ref, staff, date="2025-02-01", outcome="1")
    assert [p for p in checks.run_all(archive) if p.area == "申请"] == []
    with archive.db.conn:
        archive.db.execute("UPDATE requests SET outcome = '9.9', closed_date = '2025-01-01' WHERE ref = ?", [ref])
    found = [p.message for p in checks.run_all(archive) if p.area == "申请"]
    assert any("不是表三中的项目" in m for m in found) and any("早于收到日期" in m for m in found)
