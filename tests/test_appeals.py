"""行政复议、行政诉讼 cases and table 4 of the annual report: the counting rule across the year boundary, each kind,
totals, validation, scope, the audit log, the migration, the template-shaped XLSX and the commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import sqlite_utils
from click.testing import CliRunner

from archive_tui import Archive, InvalidInput, NotFound, PermissionDenied
from archive_tui import db as dbmod
from archive_tui import events
from archive_tui.access import Actor
from archive_tui.cli import main
from archive_tui.requests import appeals
from archive_tui.stats import annual_report
from archive_tui.stats.table4 import PENDING, TOTAL, Table4Refused, build_table4

REVIEW, DIRECT, AFTER = appeals.REVIEW, appeals.DIRECT, appeals.AFTER_REVIEW


def _request(archive: Archive, staff, received: str) -> str:
    return archive.request_register().add(
        {"applicant_type": "自然人", "applicant_name": "张三", "content": "征收补偿方案", "channel": "网络",
         "received_date": received}, staff).ref


@pytest.fixture
def cases(archive: Archive, staff) -> Archive:
    """2024: one review decided in 2025 (counted as 尚未审结 in 2024). 2025: each kind with each result, one review
    filed in 2025 and decided in 2026, one suit still open. 2026: one review."""
    reg = archive.appeal_register()
    ref = _request(archive, staff, "2024-11-04")

    def case(kind: str, filed: str, result: str | None = None, decided: str | None = None, **extra) -> str:
        made = reg.add(staff, kind=kind, filed=filed, **extra).ref
        if result:
            reg.decide(made, staff, result=result, date=decided)
        return made

    case("行政复议", "2024-12-20", "纠正", "2025-02-10", request=ref)
    case("复议", "2025-01-06", "维持", "2025-03-01")
    case("review", "2025-04-01", "维持", "2025-05-30")
    case("复议", "2025-06-01", "其他结果", "2025-12-31")  # decided on the last day: counted as decided
    case("复议", "2025-11-20", "纠正", "2026-01-05")  # decided next year: 尚未审结 in 2025
    case("直接起诉", "2025-02-03", "纠正", "2025-09-09")
    case("行政诉讼（未经复议直接起诉）", "2025-07-07")  # still open
    case("复议后起诉", "2025-08-08", "维持", "2025-10-10")
    case("复议后起诉", "2025-12-31", "其他", "2026-02-02")
    case("复议", "2026-01-02")
    return archive


def test_table4_counts_each_kind_with_results_as_of_31_december(cases: Archive, staff) -> None:
    table = build_table4(cases, 2025, staff)
    table.check()
    assert table.row(REVIEW) == [2, 0, 1, 1, 4]  # 维持, 纠正, 其他, 尚未审结, 总计
    assert table.row(DIRECT) == [0, 1, 0, 1, 2]
    assert table.row(AFTER) == [1, 0, 0, 1, 2]
    assert len(table.figures()) == 15
    # The 2024 case decided in 2025 is not counted again, but a note says so.
    assert table.earlier_decided == {appeals.CORRECTED: 1}
    assert any("以前年度收到、本年审结的案件 1 件（纠正 1 件）" in n for n in table.notes())
    for kind in appeals.KINDS:
        assert sum(table.value(kind, c) for c in (*appeals.RESULTS, PENDING)) == table.value(kind, TOTAL)


def test_the_year_boundary(cases: Archive, staff) -> None:
    before = build_table4(cases, 2024, staff)
    assert before.row(REVIEW) == [0, 0, 0, 1, 1]  # filed 2024-12-20, decided 2025: 尚未审结 in 2024
    assert before.figures()[5:] == [0] * 10 and not before.earlier_decided
    after = build_table4(cases, 2026, staff)
    assert after.row(REVIEW) == [0, 0, 0, 1, 1]
    assert after.earlier_decided == {appeals.CORRECTED: 1, appeals.OTHER: 1}


def test_a_result_table4_does_not_know_is_refused(cases: Archive, staff) -> None:
    cases.db.execute("UPDATE appeal_cases SET result = '撤诉' WHERE ref = 'A2025-001'")
    table = build_table4(cases, 2025, staff)
    assert table.problems() == ["「行政复议」总计为 4，但维持、纠正、其他、尚未审结相加为 3"]
    with pytest.raises(Table4Refused, match="表四的总计与各项之和不符"):
        annual_report.build(cases, 2025, staff)


def test_bad_cases_are_refused_in_chinese(archive: Archive, staff) -> None:
    reg = archive.appeal_register()
    with pytest.raises(InvalidInput, match="案件类型「信访」不对，应为：复议、直接起诉、复议后起诉"):
        reg.add(staff, kind="信访", filed="2025-01-02")
    with pytest.raises(InvalidInput, match="请选择案件类型"):
        reg.add(staff, kind="", filed="2025-01-02")
    with pytest.raises(InvalidInput, match="请填写收到复议申请或起诉的日期"):
        reg.add(staff, kind="复议", filed="")
    with pytest.raises(InvalidInput, match="晚于今天"):
        reg.add(staff, kind="复议", filed=(dt.date.today() + dt.timedelta(days=2)).isoformat())
    with pytest.raises(InvalidInput, match="没有编号为「2025-0099」的依申请公开申请"):
        reg.add(staff, kind="复议", filed="2025-01-02", request="2025-0099")
    ref = _request(archive, staff, "2025-03-03")
    with pytest.raises(InvalidInput, match="早于所涉申请 2025-0001 的收到日期 2025-03-03"):
        reg.add(staff, kind="复议", filed="2025-03-01", request=ref)
    case = reg.add(staff, kind="复议", filed="2025-04-01", request=ref)
    assert case.request_ref == ref and case.result_label == "尚未审结"
    with pytest.raises(InvalidInput, match="审结结果「撤销」不对，应为：维持、纠正、其他"):
        reg.decide(case.ref, staff, result="撤销", date="2025-05-01")
    with pytest.raises(InvalidInput, match="审结日期 2025-03-31 早于收到日期 2025-04-01"):
        reg.decide(case.ref, staff, result="维持", date="2025-03-31")
    reg.decide(case.ref, staff, result="维持", date="2025-05-01")
    with pytest.raises(InvalidInput, match="已于 2025-05-01 审结（维持），不能再登记结果"):
        reg.decide(case.ref, staff, result="纠正", date="2025-05-02")
    with pytest.raises(NotFound, match="没有编号为「A2025-099」的复议或诉讼案件"):
        reg.get("A2025-099", staff)
    assert archive.db["appeal_cases"].count == 1


def test_clerks_and_strangers_cannot_read_or_add_cases(cases: Archive, staff, clerk) -> None:
    reg = cases.appeal_register()
    for outsider in (clerk, Actor("路人")):
        with pytest.raises(PermissionDenied, match="无权查看或登记行政复议、行政诉讼案件"):
            reg.list(outsider)
        with pytest.raises(PermissionDenied):
            reg.add(outsider, kind="复议", filed="2025-01-02")
        with pytest.raises(PermissionDenied):
            reg.decide("A2025-006", outsider, result="维持", date="2025-12-01")
        with pytest.raises(PermissionDenied):
            build_table4(cases, 2025, outsider)
    assert reg.get("A2025-006", staff).result_label == "尚未审结"


def test_adds_and_decisions_are_in_the_audit_log(archive: Archive, staff) -> None:
    reg = archive.appeal_register()
    case = reg.add(staff, kind="直接起诉", filed="2025-02-03", note="临川县人民法院")
    reg.decide(case.ref, staff, result="纠正", date="2025-09-09", note="判决责令重新答复")
    logged = list(archive.db.query("SELECT actor, action, detail FROM events WHERE action LIKE 'appeal.%' ORDER BY id"))
    assert [(e["actor"], e["action"]) for e in logged] == [(staff.name, "appeal.add"), (staff.name, "appeal.decide")]
    assert json.loads(logged[0]["detail"])["kind"] == DIRECT
    assert json.loads(logged[1]["detail"]) == {"case": "A2025-001", "result": "corrected", "decided": "2025-09-09",
                                               "note": "判决责令重新答复"}
    assert events.verify(archive.db) is None
    assert reg.get(case.ref, staff).row["note"] == "临川县人民法院；判决责令重新答复"


def test_migration_adds_the_case_table_to_an_old_archive(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.db"
    old = sqlite_utils.Database(path)
    for migrations in dbmod.migration_sets():
        if migrations.name == "archive_tui.requests":
            migrations.apply(old, stop_before="m002_appeal_cases")
        else:
            migrations.apply(old)
    old["requests"].insert({"ref": "2024-0001", "received_date": "2024-05-06", "applicant_type": "自然人",
                            "applicant_name": "旧申请人", "content": "旧申请", "channel": "当面", "state": "open"})
    assert not old["appeal_cases"].exists()
    old.close()
    db = dbmod.connect(path)
    assert db["appeal_cases"].exists() and dbmod.pending_migrations(db) == []
    assert db.execute("SELECT applicant_name FROM requests").fetchone()[0] == "旧申请人"
    assert db["appeal_cases"].foreign_keys[0].other_table == "requests"
    db.close()


def test_xlsx_has_table4_in_the_template_layout(cases: Archive, staff, tmp_path: Path) -> None:
    path = tmp_path / "年报.xlsx"
    annual_report.write_xlsx(cases.annual_report(2025, staff), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼"]
    assert "查阅点统计" in book.sheetnames
    sheet = book["表四 复议诉讼"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:O1", "A2:E2", "F2:O2", "A3:A4", "E3:E4", "F3:J3", "K3:O3"} <= merged
    assert sheet["A1"].value == "四、政府信息公开行政复议、行政诉讼情况"
    assert sheet["A2"].value == "行政复议" and sheet["F2"].value == "行政诉讼"
    assert sheet["F3"].value == "未经复议直接起诉" and sheet["K3"].value == "复议后起诉"
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [sheet.cell(3, c).value for c in range(1, 6)] == heads
    assert [sheet.cell(4, c).value for c in range(6, 16)] == heads * 2
    assert [sheet.cell(5, c).value for c in range(1, 16)] == [2, 0, 1, 1, 4, 0, 1, 0, 1, 2, 1, 0, 0, 1, 2]
    assert sheet["A7"].value.startswith("口径：本年收到的复议申请和起诉")


def test_commands_add_decide_list_and_report(cases: Archive, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--archive", str(cases.root)]
    result = runner.invoke(main, [*base, "request", "appeal", "add", "--kind", "复议后起诉", "--filed", "2025-12-01",
                                  "--note", "市中级人民法院"])
    assert result.exit_code == 0 and "已登记案件 A2025-009：行政诉讼（复议后起诉）" in result.output, result.output
    result = runner.invoke(main, [*base, "request", "appeal", "decide", "A2025-009", "--result", "维持",
                                  "--date", "2025-12-20"])
    assert result.exit_code == 0 and "已审结：维持（2025-12-20）" in result.output, result.output
    result = runner.invoke(main, [*base, "request", "appeal", "list", "--year", "2025", "--open"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == ["A2025-006"]
    result = runner.invoke(main, [*base, "request", "appeal", "list", "--json"])
    assert json.loads(result.output)[0]["request_ref"] == "2024-0001"
    result = runner.invoke(main, [*base, "request", "appeal", "decide", "A2025-009", "--result", "纠正"])
    assert result.exit_code == 1
    assert "错误：案件 A2025-009 已于 2025-12-20 审结（维持）" in result.output and "detail: case already decided" in result.output
    result = runner.invoke(main, [*base, "request", "appeal", "add", "--kind", "申诉"])
    assert result.exit_code == 1 and "案件类型「申诉」不对" in result.output
    result = runner.invoke(main, [*base, "report", "annual", "--year", "2025"])
    assert result.exit_code == 0
    assert "### 四、政府信息公开行政复议、行政诉讼情况（2025 年）" in result.output
    assert "| 行政诉讼（复议后起诉） | 2 | 0 | 0 | 1 | 3 |" in result.output
    result = runner.invoke(main, [*base, "report", "annual", "--year", "2025", "--format", "csv"])
    assert "行政复议,2,0,1,1,4" in result.output
