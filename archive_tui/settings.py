"""Per-archive settings, stored in the catalogue's ``settings`` table as JSON values."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

DEFAULTS: dict[str, Any] = {
    "reading_point": "临川县档案馆政府信息查阅中心",
    "index_no.org_code": "000000000",
    "index_no.period": "year",
    "index_no.serial_width": 5,
    # 发布机构 → its organisation code, used when generating 索引号 for that issuer's records.
    "index_no.issuer_codes": {},
}


def get(db: Database, key: str) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else DEFAULTS.get(key)


def put(db: Database, key: str, value: Any) -> None:
    db.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, json.dumps(value, ensure_ascii=False)]
    )


def all_settings(db: Database) -> dict[str, Any]:
    stored = {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM settings")}
    return {**DEFAULTS, **stored}
