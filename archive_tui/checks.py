"""``archive-tui check``: consistency of catalogue, stored files, event log and index.

Each check is a function ``(archive) -> list[Problem]``; modules that own state (e.g. the search index) add their
own check to :data:`CHECKS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import audit, events, schema, storage
from .records import as_document

if TYPE_CHECKING:
    from .archive import Archive


@dataclass(frozen=True)
class Problem:
    area: str  # 目录 / 文件 / 日志 / 索引
    message: str  # Chinese, for the report
    record_id: int | None = None


def check_records(archive: "Archive") -> list[Problem]:
    found = []
    db = archive.db
    for row in db.query("SELECT * FROM records ORDER BY id"):
        for message in schema.problems("record", as_document(row)):
            found.append(Problem("目录", f"记录 {row['index_no']}：{message}", row["id"]))
        pages = db.execute("SELECT count(*) FROM pages WHERE record_id = ?", [row["id"]]).fetchone()[0]
        if pages and pages != row["page_count"]:
            found.append(Problem("目录", f"记录 {row['index_no']} 登记 {row['page_count']} 页，实有 {pages} 页", row["id"]))
    for (record_id,) in db.execute("SELECT DISTINCT record_id FROM pages WHERE record_id NOT IN (SELECT id FROM records)"):
        found.append(Problem("目录", f"页面属于不存在的记录 {record_id}", record_id))
    return found


def check_files(archive: "Archive", *, verify_hashes: bool = True) -> list[Problem]:
    found = []
    for row in archive.db.query("SELECT id, record_id, name, sha256, size, stored_path FROM files"):
        path = archive.file_path(row["stored_path"])
        if not path.is_file():
            found.append(Problem("文件", f"原件「{row['name']}」缺失：{row['stored_path']}", row["record_id"]))
        elif path.stat().st_size != row["size"]:
            found.append(Problem("文件", f"原件「{row['name']}」大小不符", row["record_id"]))
        elif verify_hashes and storage.sha256_of(path) != row["sha256"]:
            found.append(Problem("文件", f"原件「{row['name']}」内容被改动（哈希不符）", row["record_id"]))
    for row in archive.db.query("SELECT record_id, page_no, image_path FROM pages WHERE image_path IS NOT NULL"):
        if not archive.file_path(row["image_path"]).is_file():
            found.append(Problem("文件", f"第 {row['page_no']} 页图像缺失", row["record_id"]))
    return found


def check_events(archive: "Archive") -> list[Problem]:
    broken = events.verify(archive.db)
    if broken is None:
        return []
    return [Problem("日志", f"操作日志第 {broken.event_id} 条：{broken.reason}")]


def check_audit_tail(archive: "Archive") -> list[Problem]:
    return [Problem("日志", f"操作日志：{message}") for message in audit.tail_problems(archive.db)]


def check_requests(archive: "Archive") -> list[Problem]:
    from .requests.consistency import request_problems  # the register's own rules live with it

    return [Problem("申请", message) for message in request_problems(archive)]


def check_appeals(archive: "Archive") -> list[Problem]:
    from .requests.appeal_consistency import appeal_problems  # the case register's own rules live with it

    return [Problem("复议诉讼", message) for message in appeal_problems(archive)]


def check_index(archive: "Archive") -> list[Problem]:
    from .search.health import index_problems  # the index's own rules live with it

    return [Problem("索引", message, record_id) for message, record_id in index_problems(archive)]


def check_print_log(archive: "Archive") -> list[Problem]:
    from .printing.consistency import print_log_problems  # the print service's own rule lives with it

    return [Problem("打印", message, record_id) for message, record_id in print_log_problems(archive)]


def check_visits(archive: "Archive") -> list[Problem]:
    from .visits import problems  # the counter's own rules live with it

    return [Problem("登记", message, record_id) for message, record_id in problems(archive.db)]


CHECKS: list[Callable[["Archive"], list[Problem]]] = [
    check_records, check_files, check_events, check_audit_tail, check_requests, check_appeals, check_index,
    check_print_log, check_visits,
]


def run_all(archive: "Archive") -> list[Problem]:
    return [problem for check in CHECKS for problem in check(archive)]


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2)
