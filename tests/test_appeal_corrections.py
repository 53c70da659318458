"""Putting right a wrongly entered 复议诉讼 result: the core (reason required, staff only, audited with the entry
before and after, table 4 follows), the command line, and ``archive-tui check`` on states only direct SQL makes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from archive_tui import Archive, InvalidInput, PermissionDenied
from archive_tui import checks, events
from archive_tui.cli import main
from archive_tui.requests import appeals
from archive_tui.stats.table4 import build_table4


@pytest.fixture
def decided(archive: Archive, staff) -> str:
    reg = archive.appeal_register()
    ref = reg.add(staff, kind="复议", filed="2025-03-03").ref
    reg.decide(ref, staff, result="维持", date="2025-06-01")
    return ref


def test_correction_is_audited_with_before_and_after_and_table4_follows(archive: Archive, staff, decided) -> None:
    reg = archive.appeal_register()
    assert build_table4(archive, 2025, staff).row(appeals.REVIEW) == [1, 0, 0, 0, 1]
    case = reg.correct(decided, staff, result="纠正", date="2025-06-02", reason="误登为维持，复议决定书为撤销",
                       note="决定书 2025-12 号")
    assert (case.row["result"], case.row["decided_date"]) == (appeals.CORRECTED, "2025-06-02")
    assert build_table4(archive, 2025, staff).row(appeals.REVIEW) == [0, 1, 0, 0, 1]
    logged = archive.db.execute("SELECT actor, detail FROM events WHERE action = 'appeal.correct'").fetchall()
    assert len(logged) == 1 and logged[0][0] == staff.name
    assert json.loads(logged[0][1]) == {
        "case": decided, "before": {"result": "upheld", "decided": "2025-06-01"},
        "after": {"result": "corrected", "decided": "2025-06-02"},
        "reason": "误登为维持，复议决定书为撤销", "note": "决定书 2025-12 号"}
    # A result entered for a case not yet decided is taken back: 尚未审结 again, in table 4 too.
    reg.correct(decided, staff, result="尚未审结", date=None, reason="尚未收到决定书，误登")
    assert reg.get(decided, staff).row["decided_date"] is None
    assert build_table4(archive, 2025, staff).row(appeals.REVIEW) == [0, 0, 0, 1, 1]
    assert events.verify(archive.db) is None


def test_correction_is_refused_without_reason_change_decision_or_staff_role(archive: Archive, staff, clerk,
                                                                             decided) -> None:
    reg = archive.appeal_register()
    with pytest.raises(InvalidInput, match="更正审结结果须写明理由"):
        reg.correct(decided, staff, result="纠正", date="2025-06-01", reason="  ")
    with pytest.raises(InvalidInput, match="与原登记相同，无需更正"):
        reg.correct(decided, staff, result="维持", date="2025-06-01", reason="核对")
    with pytest.raises(InvalidInput, match="审结日期 2025-03-01 早于收到日期 2025-03-03"):
        reg.correct(decided, staff, result="纠正", date="2025-03-01", reason="日期有误")
    with pytest.raises(PermissionDenied, match="无权查看或登记"):
        reg.correct(decided, clerk, result="纠正", date="2025-06-01", reason="误登")
    open_case = reg.add(staff, kind="直接起诉", filed="2025-04-04").ref
    with pytest.raises(InvalidInput, match="尚未审结，没有可更正的结果"):
        reg.correct(open_case, staff, result="维持", date="2025-05-01", reason="误登")
    with pytest.raises(InvalidInput, match="登记有误请更正"):
        reg.decide(decided, staff, result="纠正", date="2025-06-01")
    assert archive.db.execute("SELECT count(*) FROM events WHERE action = 'appeal.correct'").fetchone()[0] == 0


def test_command_corrects_with_a_reason(archive: Archive, decided) -> None:
    runner = CliRunner()
    base = ["--archive", str(archive.root), "request", "appeal", "decide", decided]
    result = runner.invoke(main, [*base, "--result", "其他", "--reason", "误登"])
    assert result.exit_code == 2 and "--reason 只用于更正" in result.output
    result = runner.invoke(main, [*base, "--result", "其他", "--correct"])
    assert result.exit_code == 1 and "须写明理由" in result.output
    result = runner.invoke(main, [*base, "--result", "其他", "--correct", "--reason", "法院裁定准予撤诉"])
    assert result.exit_code == 0 and f"案件 {decided} 已更正：其他（2025-06-01）" in result.output, result.output
    result = runner.invoke(main, [*base, "--result", "尚未审结", "--correct", "--reason", "误登"])
    assert result.exit_code == 0 and f"案件 {decided} 已更正：尚未审结" in result.output, result.output


def test_check_reports_cases_made_inconsistent_by_direct_sql(archive: Archive, staff, decided) -> None:
    request = archive.request_register().add(
        {"applicant_type": "自然人", "applicant_name": "张三", "content": "征收补偿方案", "channel": "网络",
         "received_date": "2025-01-06"}, staff)
    reg = archive.appeal_register()
    linked = reg.add(staff, kind="复议后起诉", filed="2025-02-02", request=request.ref).ref
    undecided = reg.add(staff, kind="直接起诉", filed="2025-04-04").ref
    assert checks.check_appeals(archive) == []
    db = archive.db
    db.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or SQLite ignores it
    with db.conn:
        db.execute("UPDATE appeal_cases SET decided_date = '2025-01-01' WHERE ref = ?", [decided])
        db.execute("UPDATE appeal_cases SET result = 'upheld' WHERE ref = ?", [undecided])
        db.execute("DELETE FROM requests WHERE id = ?", [request.request["id"]])
    db.execute("PRAGMA foreign_keys = ON")
    messages = [p.message for p in checks.run_all(archive) if p.area == "复议诉讼"]
    assert messages == [
        f"案件 {decided} 的审结日期 2025-01-01 早于收到日期 2025-03-03",
        f"案件 {linked} 所涉申请（内部编号 {request.request['id']}）不存在",
        f"案件 {undecided} 有审结结果却没有审结日期",
    ]
    result = CliRunner().invoke(main, ["--archive", str(archive.root), "check"])
    assert result.exit_code == 1 and f"[复议诉讼] 案件 {undecided} 有审结结果却没有审结日期" in result.output
