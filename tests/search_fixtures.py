"""Archives for the search tests, built straight from text (no OCR): records, pages and review statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archive_tui import Archive
from archive_tui.access import system_actor

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "sample_archive" / "truth"


#: Catalogue fields the search reads (disclosure details are not searched and have their own vocabularies).
SEARCHED_FIELDS = (
    "index_no", "title", "doc_no", "issuer", "created_date", "published_date", "subject", "genre", "category",
    "keywords", "summary", "validity", "department", "carrier", "effective_date", "repeal_date",
)


def add(archive: Archive, fields: dict[str, Any], pages: list[str], status: str = "released") -> int:
    """A record with its page texts and review status, as ingest and review would leave it."""
    rid = archive.add_record(fields, system_actor("测试"))
    with archive.db.conn:
        archive.db["pages"].insert_all(
            [{"record_id": rid, "page_no": n, "text": text} for n, text in enumerate(pages, 1)]
        )
        archive.db.execute("UPDATE records SET status = ?, page_count = ? WHERE id = ?", [status, len(pages), rid])
    return rid


def truth_records() -> list[dict[str, Any]]:
    """The sample archive's ground truth, one dict per record (empty when it has not been generated)."""
    if not TRUTH.is_dir():
        return []
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(TRUTH.glob("*.json")) if p.name != "index.json"
    ]


def load_truth(archive: Archive) -> dict[str, int]:
    """Insert every truth record (catalogue fields, exact page texts, review decision); truth id → record id."""
    ids = {}
    for rec in truth_records():
        fields = {k: v for k, v in rec["fields"].items() if k in SEARCHED_FIELDS and v not in (None, "")}
        if "doc_no" in fields:  # the core's 文号 rules accept only the simplified 号
            fields["doc_no"] = fields["doc_no"].replace("號", "号")
        decision = rec.get("review", {}).get("decision") or "pending"
        status = decision if decision in ("released", "withheld") else "pending"
        ids[rec["id"]] = add(archive, fields, rec["pages"], status)
    return ids
