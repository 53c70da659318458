"""查阅登记 in the core: masked, keyed ID numbers; records opened; returning visitors; audit events."""

from __future__ import annotations

import json

import pytest

from archive_tui import Archive, InvalidInput
from archive_tui.visits import check_id, mask_id

# A syntactically valid resident ID number (checksum computed by the rule, not a real person's).
RESIDENT_ID = "11010519491231002X"


def _released(archive: Archive, staff, title: str) -> int:
    record_id = archive.add_record({"title": title}, staff)
    archive.db["records"].update(record_id, {"status": "released"})
    return record_id


def test_id_number_rules() -> None:
    assert check_id("居民身份证", "１１０１０５１９４９１２３１００２ｘ") == RESIDENT_ID
    with pytest.raises(InvalidInput, match="校验位"):
        check_id("居民身份证", "110105194912310021")
    with pytest.raises(InvalidInput, match="18 位"):
        check_id("居民身份证", "1101051949")
    assert mask_id(RESIDENT_ID) == "1101**********002X"
    assert mask_id("E1234567") == "E1****67"


def test_visit_keeps_id_only_masked_and_keyed(archive: Archive, clerk) -> None:
    visit_id = archive.start_visit(
        {"visitor_name": "张三", "id_type": "居民身份证", "id_number": RESIDENT_ID, "purpose": "查阅",
         "contact": "13800000000"}, clerk,
    )
    row = archive.db["visits"].get(visit_id)
    assert row["id_masked"] == "1101**********002X"
    dump = json.dumps([list(r) for r in archive.db.execute("SELECT * FROM visits")], ensure_ascii=False)
    dump += json.dumps([list(r) for r in archive.db.execute("SELECT * FROM events")], ensure_ascii=False)
    assert RESIDENT_ID not in dump and "19491231" not in dump
    assert row["id_hash"] and len(row["id_hash"]) == 64
    assert row["operator"] == "测试窗口" and row["ended_at"] is None


def test_bad_visit_input_lists_problems_and_stores_nothing(archive: Archive, clerk) -> None:
    with pytest.raises(InvalidInput) as info:
        archive.start_visit({"visitor_name": " ", "id_type": "居民身份证", "id_number": "123"}, clerk)
    assert "姓名" in info.value.message and "18 位" in info.value.message
    assert archive.db["visits"].count == 0


def test_records_opened_attach_once_and_log_views(archive: Archive, staff, clerk) -> None:
    first = _released(archive, staff, "关于公布政务服务事项清单的通知")
    hidden = archive.add_record({"title": "未发布的文件"}, staff)
    visit_id = archive.start_visit({"visitor_name": "李四"}, clerk)
    archive.note_opened(visit_id, first, clerk)
    archive.note_opened(visit_id, first, clerk)
    with pytest.raises(Exception, match="找不到记录"):
        archive.note_opened(visit_id, hidden, clerk)
    rows = list(archive.db.query("SELECT record_id, operator FROM visit_records WHERE visit_id = ?", [visit_id]))
    assert rows == [{"record_id": first, "operator": "测试窗口"}]
    views = [e for e in archive.history(first, staff) if e["action"] == "view"]
    assert len(views) == 2 and views[0]["detail"] == {"visit_id": visit_id}
    summary = archive.end_visit(visit_id, clerk)
    assert summary["records_opened"] == 1 and summary["ended_at"]
    with pytest.raises(InvalidInput, match="已经结束"):
        archive.end_visit(visit_id, clerk)
    with pytest.raises(InvalidInput, match="已经结束"):
        archive.note_opened(visit_id, first, clerk)
    actions = [r[0] for r in archive.db.execute("SELECT action FROM events ORDER BY id")]
    assert actions[-4:] == ["visit_start", "view", "view", "visit_end"]


def test_returning_visitor_found_by_name_or_number(archive: Archive, clerk) -> None:
    first = archive.start_visit(
        {"visitor_name": "王五", "id_type": "居民身份证", "id_number": RESIDENT_ID, "contact": "0794-1234567"}, clerk
    )
    archive.end_visit(first, clerk)
    archive.start_visit({"visitor_name": "王小明"}, clerk)
    by_number = archive.find_visitors(RESIDENT_ID.lower(), clerk)
    assert [v["visitor_name"] for v in by_number] == ["王五"]
    assert by_number[0]["id_masked"] == "1101**********002X" and by_number[0]["contact"] == "0794-1234567"
    assert {v["visitor_name"] for v in archive.find_visitors("王", clerk)} == {"王五", "王小明"}
    assert archive.find_visitors("110105194912310038", clerk) == []
    again = archive.start_visit({"visitor_name": "王五", "returning_visit_id": first}, clerk)
    assert archive.db["visits"].get(again)["id_hash"] == archive.db["visits"].get(first)["id_hash"]
    assert archive.find_visitors(RESIDENT_ID, clerk)[0]["visits"] == 2
    assert [v["id"] for v in archive.open_visits(clerk)] == [again, again - 1]


def test_check_reports_unmasked_ids_and_broken_visits(archive: Archive, clerk) -> None:
    from archive_tui.checks import run_all

    good = archive.start_visit({"visitor_name": "张三", "id_number": RESIDENT_ID}, clerk)
    archive.end_visit(good, clerk)
    assert not [p for p in run_all(archive) if p.area == "登记"]
    bad = archive.start_visit({"visitor_name": "李四"}, clerk)
    archive.db["visits"].update(bad, {"id_masked": RESIDENT_ID, "ended_at": "2000-01-01T00:00:00+08:00"})
    messages = [p.message for p in run_all(archive) if p.area == "登记"]
    assert any("没有掩码" in m for m in messages) and any("早于开始" in m for m in messages)
