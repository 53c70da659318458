"""``archive-tui check`` for the print log: every print_log row has its audit event and the other way round.

A row without an event was written past the print service (which writes both in one transaction); an event
without a row means the row was deleted afterwards — the event log itself cannot be edited.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..archive import Archive


def print_log_problems(archive: "Archive") -> list[tuple[str, int | None]]:
    db = archive.db
    logged = {
        json.loads(detail or "{}").get("print_log_id"): record_id
        for detail, record_id in db.execute("SELECT detail, record_id FROM events WHERE action = 'print'")
    }
    rows = {row_id: record_id for row_id, record_id in db.execute("SELECT id, record_id FROM print_log")}
    found = [(f"打印登记第 {row_id} 条没有对应的审计事件", record_id)
             for row_id, record_id in rows.items() if row_id not in logged]
    found += [(f"审计事件记录的打印登记第 {row_id} 条已不存在", record_id)
              for row_id, record_id in logged.items() if row_id not in rows]
    return found
