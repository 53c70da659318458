"""The print log: one ``print_log`` row plus one audit event per finished print, in one transaction.

Called only after CUPS accepted the job or the PDF file was completely written, so the log never holds an entry
for a copy that was not made.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .. import events
from ..access import Actor
from ..timeutil import now_iso


def record_print(db: Database, actor: Actor, entry: dict[str, Any]) -> int:
    """Insert the log row and its ``print`` event atomically; returns the log row id."""
    row = {"ts": now_iso(), "operator": actor.name, **entry}
    with db.conn:
        log_id = int(db["print_log"].insert(row).last_pk)
        events.log(
            db, actor.name, "print", row["record_id"], print_log_id=log_id, visit_id=row.get("visit_id"),
            pages=row.get("pages"), page_count=row["page_count"], copies=row["copies"], cover=row.get("cover"),
            printer=row.get("printer"), output_file=row.get("output_file"), cups_job_id=row.get("cups_job_id"),
            fee_cents=row.get("fee_cents"),
        )
    return log_id


def entries(db: Database, *, visit_id: int | None = None, record_id: int | None = None,
            limit: int = 50) -> list[dict[str, Any]]:
    """Newest first, optionally for one visit or one record."""
    where, params = [], []
    if visit_id is not None:
        where.append("l.visit_id = ?")
        params.append(visit_id)
    if record_id is not None:
        where.append("l.record_id = ?")
        params.append(record_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    sql = (f"SELECT l.*, r.index_no, r.title FROM print_log l JOIN records r ON r.id = l.record_id {clause} "
           f"ORDER BY l.id DESC LIMIT {int(limit)}")
    return list(db.query(sql, params))
