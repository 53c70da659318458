"""The catalogue store: records, scope, history, event chain, migrations, schema validation."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from archive_tui import Archive, InvalidInput, NotFound
from archive_tui import db as dbmod
from archive_tui import events, schema
from archive_tui.records import as_document

NOTICE = {
    "title": "关于做好2021年政策解读工作的通知",
    "doc_no": "临政办[2021]13号",
    "issuer": "临川县人民政府办公室",
    "created_date": "2021年3月5日",
    "subject": "综合政务/政务公开",
    "genre": "通知",
    "category": "政策解读",
    "validity": "现行有效",
    "carrier": "纸质",
    "loc_room": "一号库房", "loc_shelf": "3", "loc_layer": "2", "loc_box": "12", "loc_item": "5",
}


def test_add_and_get_record(archive: Archive, staff) -> None:
    rid = archive.add_record(NOTICE, staff)
    rec = archive.get_record(rid, staff)
    assert rec["index_no"] == "003226443/2021-00001"
    assert rec["doc_no"] == rec["doc_no_norm"] == "临政办〔2021〕13号"
    assert rec["created_date"] == "2021-03-05"
    assert rec["status"] == "pending"
    assert archive.get_record("003226443/2021-00001", staff)["id"] == rid
    assert archive.find_by_doc_no("临政办（2021）13号", staff)[0]["id"] == rid


def test_get_record_by_doc_no_in_scope_and_unambiguous(archive: Archive, staff, clerk) -> None:
    rid = archive.add_record(NOTICE, staff)
    assert archive.get_record("临政办[2021]13号", staff)["id"] == rid
    with pytest.raises(NotFound, match="临政办"):  # pending: the counter cannot reach it by 文号 either
        archive.get_record("临政办[2021]13号", clerk)
    other = archive.add_record({**NOTICE, "title": "关于政策解读工作的通知（附件）"}, staff)
    with pytest.raises(InvalidInput, match="对应 2 条记录") as err:
        archive.get_record("临政办〔2021〕13号", staff)
    assert archive.get_record(other, staff)["index_no"] in err.value.message


def test_index_no_serial_per_org_and_year(archive: Archive, staff) -> None:
    a = archive.add_record({**NOTICE, "doc_no": None}, staff)
    b = archive.add_record({**NOTICE, "doc_no": None, "created_date": "2021-06-01"}, staff)
    c = archive.add_record({**NOTICE, "doc_no": None, "created_date": "2022-01-01"}, staff)
    archive.set_setting("index_no.issuer_codes", {"临川县财政局": "11350125MB0123456X"}, staff)
    d = archive.add_record({**NOTICE, "doc_no": None, "issuer": "临川县财政局"}, staff)
    got = [archive.get_record(i, staff)["index_no"] for i in (a, b, c, d)]
    assert got == ["003226443/2021-00001", "003226443/2021-00002", "003226443/2022-00001",
                   "11350125MB0123456X/2021-00001"]


def test_duplicate_and_invalid_input_rejected_with_chinese_message(archive: Archive, staff) -> None:
    archive.add_record({**NOTICE, "index_no": "003226443/2021-00009"}, staff)
    with pytest.raises(InvalidInput, match="已存在"):
        archive.add_record({**NOTICE, "index_no": "003226443/2021-00009"}, staff)
    with pytest.raises(InvalidInput) as err:
        archive.add_record({**NOTICE, "genre": "小说", "created_date": "2021-02-30", "doc_no": "十三号"}, staff)
    assert "体裁分类" in err.value.message and "日期" in err.value.message and "文号" in err.value.message
    with pytest.raises(InvalidInput, match="信息名称"):
        archive.add_record({"title": "  "}, staff)
    assert archive.count(staff) == 1


def test_counter_scope_sees_released_only(archive: Archive, staff, clerk) -> None:
    rid = archive.add_record(NOTICE, staff)
    with pytest.raises(NotFound):
        archive.get_record(rid, clerk)
    with pytest.raises(NotFound):
        archive.pages(rid, clerk)
    assert archive.list_records(clerk) == [] and archive.count(clerk) == 0
    archive.db["records"].update(rid, {"status": "released"})
    assert archive.get_record(rid, clerk)["id"] == rid


def test_edit_logs_history_and_reopens_released_record(archive: Archive, staff) -> None:
    rid = archive.add_record(NOTICE, staff)
    archive.db["records"].update(rid, {"status": "released"})
    shelved = archive.update_record(rid, {"loc_box": "13"}, staff)
    assert shelved["status"] == "released" and shelved["rev"] == 2
    edit = archive.history(rid, staff)[-1]
    assert edit["action"] == "edit"
    assert edit["detail"]["before"] == {"loc_box": "12"} and edit["detail"]["after"] == {"loc_box": "13"}
    assert edit["detail"]["reopened"] is False
    after = archive.update_record(rid, {"title": "关于做好2021年政策解读工作的补充通知"}, staff)
    assert after["status"] == "pending" and after["rev"] == 3
    assert archive.history(rid, staff)[-1]["detail"]["reopened"] is True


def test_confirming_a_suggestion(archive: Archive, staff) -> None:
    rid = archive.add_record({"title": "关于某事的通知", "doc_no": "临政〔2019〕5号"}, staff,
                             suggested={"doc_no": "临政〔2019〕5号"})
    archive.update_record(rid, {"doc_no": "临政〔2019〕5号"}, staff)
    assert json.loads(archive.get_record(rid, staff)["suggested"]) == {}


def test_event_log_is_append_only_and_chained(archive: Archive, staff) -> None:
    rid = archive.add_record(NOTICE, staff)
    archive.update_record(rid, {"loc_box": "14"}, staff)
    assert events.verify(archive.db) is None
    with pytest.raises(sqlite3.IntegrityError):
        archive.db.execute("DELETE FROM events WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError):
        archive.db.execute("UPDATE events SET actor = 'x'")
    archive.db.execute("DROP TRIGGER events_no_update")
    archive.db.execute("UPDATE events SET detail = '{}' WHERE id = 1")
    broken = events.verify(archive.db)
    assert broken and broken.event_id == 1


def test_changes_queue_the_record_for_the_index(archive: Archive, staff) -> None:
    rid = archive.add_record(NOTICE, staff)
    archive.db.execute("DELETE FROM index_queue")
    archive.update_record(rid, {"loc_box": "99"}, staff)
    assert [r[0] for r in archive.db.execute("SELECT record_id FROM index_queue")] == [rid]


def test_migrations_upgrade_an_old_database(tmp_path: Path) -> None:
    """A catalogue created with only the first migration is brought up to date on open, data intact."""
    path = tmp_path / "catalogue.db"
    old = sqlite_utils.Database(path)
    core = dbmod.migration_sets()[0]
    core.apply(old, stop_before="m002_index_queue")
    old["records"].insert({"index_no": "000014349/2018-00222", "title": "旧记录", "status": "released",
                           "created_at": "2018-01-01T00:00:00", "updated_at": "2018-01-01T00:00:00", "rev": 1})
    assert not old["index_queue"].exists()
    old.close()
    db = dbmod.connect(path)
    assert db["index_queue"].exists() and dbmod.pending_migrations(db) == []
    assert db.execute("SELECT title FROM records").fetchone()[0] == "旧记录"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_stored_records_validate_against_schema(archive: Archive, staff) -> None:
    for fields in (NOTICE, {"title": "仅有名称的记录"}):
        rid = archive.add_record(fields, staff)
        assert schema.problems("record", as_document(archive.get_record(rid, staff))) == []
    assert schema.problems("record", {"title": "x", "status": "lost", "index_no": "1"})


def test_open_missing_archive(tmp_path: Path) -> None:
    from archive_tui.errors import ArchiveMissing

    with pytest.raises(ArchiveMissing, match="init"):
        Archive.open(tmp_path / "nowhere")
