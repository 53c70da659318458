"""Schema of the core tables: records, their files and pages, the hash-chained event log, and settings."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("archive_tui.core")

#: Catalogue fields of a record (domain brief §2 plus the archive's own), in display order.
RECORD_COLUMNS: dict[str, type] = {
    "id": int,
    "index_no": str,  # 索引号
    "title": str,  # 信息名称
    "doc_no": str,  # 文号, shown in its canonical 〔〕 form
    "doc_no_norm": str,  # 文号 normal form, for matching any bracket style
    "issuer": str,  # 发布机构
    "created_date": str,  # 生成日期 / 成文日期 YYYY-MM-DD
    "published_date": str,  # 发布日期
    "subject": str,  # 主题分类 ("top" or "top/second")
    "genre": str,  # 体裁分类
    "category": str,  # 信息分类 (local catalogue heading)
    "keywords": str,  # 主题词
    "summary": str,  # 内容概述
    "disclosure": str,  # 公开属性
    "disclosure_reason": str,  # 不予公开 reason
    "disclosure_channel": str,  # 公开方式
    "disclosure_term": str,  # 公开时限
    "validity": str,  # 时效性
    "effective_date": str,  # 生效日期
    "repeal_date": str,  # 废止日期
    "department": str,  # 责任部门
    "carrier": str,  # 载体: 纸质 / 电子 / 纸质+电子
    "page_count": int,
    "loc_room": str,  # 库房
    "loc_shelf": str,  # 架
    "loc_layer": str,  # 层
    "loc_box": str,  # 盒号
    "loc_item": str,  # 件号
    "status": str,  # pending / released / withheld
    "status_reason": str,
    "status_note": str,
    "suggested": str,  # JSON object: field -> value suggested from the text, not yet confirmed
    "created_by": str,
    "updated_by": str,
    "reviewed_by": str,
    "created_at": str,
    "updated_at": str,
    "rev": int,  # bumped on every change; the search index stores the rev it has seen
    "ready_at": str,  # set when the archivist marks the record ready for review (added by m003)
}


@MIGRATIONS()
def m001_core_tables(db: Database) -> None:
    db["records"].create(
        {k: v for k, v in RECORD_COLUMNS.items() if k != "ready_at"},
        pk="id",
        not_null={"index_no", "title", "status", "created_at", "updated_at", "rev"},
        defaults={"status": "pending", "rev": 1, "page_count": 0, "suggested": "{}"},
    )
    db["records"].create_index(["index_no"], unique=True)
    db["records"].create_index(["doc_no_norm"])
    db["records"].create_index(["status"])
    db["records"].create_index(["loc_room", "loc_box"])
    db["files"].create(
        {
            "id": int,
            "record_id": int,
            "seq": int,  # order of the file within the record
            "name": str,  # original file name as received
            "source_path": str,  # where it was ingested from
            "sha256": str,
            "size": int,
            "mime": str,
            "stored_path": str,  # relative to the archive's store/ folder
        },
        pk="id",
        foreign_keys=[("record_id", "records", "id")],
        not_null={"record_id", "sha256", "stored_path"},
    )
    db["files"].create_index(["record_id"])
    db["files"].create_index(["sha256"])
    db["pages"].create(
        {
            "id": int,
            "record_id": int,
            "page_no": int,  # 1-based within the record
            "file_id": int,
            "file_page": int,  # 1-based page within its file
            "text": str,
            "ocr_confidence": float,  # mean tesseract confidence 0-100; NULL for text layers
            "ocr_lang": str,
            "image_path": str,  # page image relative to store/, for viewing and printing
            "flagged": int,  # 1 = low confidence, needs the archivist
        },
        pk="id",
        foreign_keys=[("record_id", "records", "id"), ("file_id", "files", "id")],
        not_null={"record_id", "page_no"},
        defaults={"flagged": 0, "text": ""},
    )
    db["pages"].create_index(["record_id", "page_no"], unique=True)
    db["events"].create(
        {
            "id": int,
            "ts": str,
            "actor": str,
            "action": str,
            "record_id": int,
            "detail": str,  # JSON
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        not_null={"ts", "actor", "action", "hash"},
    )
    db["events"].create_index(["record_id"])
    db["events"].create_index(["action"])
    # The event log is append-only: the database itself refuses edits and deletions.
    db.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
    )
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["serials"].create({"prefix": str, "last": int}, pk="prefix")


@MIGRATIONS()
def m002_index_queue(db: Database) -> None:
    """Every change to a record or its pages queues the record for the search index, whatever path made it.

    The index drains the queue; SQLite stays the source of truth and the index can always catch up.
    """
    db["index_queue"].create({"record_id": int, "queued_at": str}, pk="record_id")
    for table, key in (("records", "id"), ("pages", "record_id")):
        for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute(
                f"CREATE TRIGGER {table}_{op.lower()}_queue AFTER {op} ON {table} BEGIN "
                f"INSERT OR REPLACE INTO index_queue (record_id, queued_at) "
                f"VALUES ({row}.{key}, strftime('%Y-%m-%dT%H:%M:%f', 'now')); END"
            )


@MIGRATIONS()
def m003_reading_room_tables(db: Database) -> None:
    """Visits (查阅登记), the records opened during them, and the print log — shared by the counter, printing
    and statistics. An ID number is kept only masked for display plus a keyed hash to find returning visitors."""
    db["visits"].create(
        {
            "id": int,
            "visitor_name": str,
            "id_type": str,  # 居民身份证 / 护照 / 港澳居民来往内地通行证 / 其他
            "id_masked": str,  # e.g. 3501**********1234
            "id_hash": str,  # HMAC of the full number with the archive's secret, for lookup only
            "purpose": str,
            "contact": str,
            "operator": str,
            "started_at": str,
            "ended_at": str,
        },
        pk="id",
        not_null={"visitor_name", "operator", "started_at"},
    )
    db["visits"].create_index(["id_hash"])
    db["visits"].create_index(["started_at"])
    db["visit_records"].create(
        {"id": int, "visit_id": int, "record_id": int, "opened_at": str, "operator": str},
        pk="id",
        foreign_keys=[("visit_id", "visits", "id"), ("record_id", "records", "id")],
    )
    db["visit_records"].create_index(["visit_id"])
    db["print_log"].create(
        {
            "id": int,
            "ts": str,
            "operator": str,
            "visit_id": int,
            "record_id": int,
            "pages": str,  # page range as asked, e.g. "1-3,5"
            "page_count": int,  # pages per copy
            "copies": int,
            "cover": int,
            "printer": str,  # CUPS queue, or NULL when written to a file
            "output_file": str,
            "cups_job_id": str,
            "fee_cents": int,  # copy fee in 分
        },
        pk="id",
        foreign_keys=[("visit_id", "visits", "id"), ("record_id", "records", "id")],
        not_null={"ts", "operator", "record_id", "page_count", "copies"},
    )
    db["print_log"].create_index(["ts"])
    db["records"].add_column("ready_at", str)  # when the archivist handed the record to review


@MIGRATIONS()
def m004_records_issuer_index(db: Database) -> None:
    """发布机构 is looked up on every ingested document (a suggested name is matched to the agencies already known)
    and filtered on by the desk and the statistics."""
    db["records"].create_index(["issuer"], if_not_exists=True)
