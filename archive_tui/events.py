"""The append-only, hash-chained event log (audit trail).

Each entry's hash covers its content and the previous entry's hash, so removing or altering any entry breaks the
chain from that point on; :func:`verify` finds the first break.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .timeutil import now_iso

GENESIS = "0" * 64


def _digest(prev_hash: str, ts: str, actor: str, action: str, record_id: int | None, detail: str) -> str:
    payload = json.dumps([prev_hash, ts, actor, action, record_id, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def log(db: Database, actor: str, action: str, record_id: int | None = None, **detail: Any) -> int:
    """Append one event inside the caller's transaction; returns its id."""
    if not db.conn.in_transaction:
        # Reading the chain's head and appending must happen under one write lock, or two processes can both
        # chain onto the same entry (sqlite3 only opens the transaction at the INSERT).
        db.execute("BEGIN IMMEDIATE")
    row = db.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    ts = now_iso()
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    digest = _digest(prev, ts, actor, action, record_id, detail_json)
    cur = db.execute(
        "INSERT INTO events (ts, actor, action, record_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
        [ts, actor, action, record_id, detail_json, prev, digest],
    )
    return int(cur.lastrowid)


@dataclass
class ChainBreak:
    event_id: int
    reason: str


def verify(db: Database) -> ChainBreak | None:
    """Walk the chain; return the first entry that does not follow from the one before, or None if intact."""
    prev = GENESIS
    expected_id = None
    for row in db.execute("SELECT id, ts, actor, action, record_id, detail, prev_hash, hash FROM events ORDER BY id"):
        event_id, ts, actor, action, record_id, detail, prev_hash, digest = row
        if expected_id is not None and event_id != expected_id:
            return ChainBreak(event_id, f"第 {expected_id} 至 {event_id - 1} 条记录缺失 (missing ids)")
        if prev_hash != prev:
            return ChainBreak(event_id, "与上一条记录的链接不符 (prev_hash mismatch)")
        if _digest(prev_hash, ts, actor, action, record_id, detail) != digest:
            return ChainBreak(event_id, "记录内容被改动 (hash mismatch)")
        prev = digest
        expected_id = event_id + 1
    return None


def for_record(db: Database, record_id: int) -> list[dict]:
    rows = db.query("SELECT * FROM events WHERE record_id = ? ORDER BY id", [record_id])
    return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]
