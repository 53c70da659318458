"""The one transaction per document: record, files and pages appear together or not at all.

Files were put into the content-addressed store by the worker before this runs, so a crash at any moment
leaves at most a stored file that no record refers to; running the batch again finds the same content, stores
nothing new and adds the record. Duplicate detection runs inside the transaction, so two ingests running at
once cannot both add the same document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .. import events, records
from ..access import Actor
from ..errors import InvalidInput
from .model import Extracted, Job

if TYPE_CHECKING:
    from ..archive import Archive


@dataclass
class Committed:
    record_id: int
    index_no: str
    duplicate: bool = False


def find_existing(db, shas: list[str]) -> tuple[int, str] | None:
    """The record already holding every one of these files (same content), if any."""
    marks = ",".join("?" * len(shas))
    rows = db.execute(
        f"SELECT f.sha256, r.id, r.index_no FROM files f JOIN records r ON r.id = f.record_id "
        f"WHERE f.sha256 IN ({marks}) ORDER BY r.id", shas,
    ).fetchall()
    found = {sha: (rid, index_no) for sha, rid, index_no in rows}
    return found[shas[0]] if shas and all(s in found for s in shas) else None


def known_issuer(db: Database, name: str) -> str:
    """``name`` snapped to an issuer the catalogue already knows when it holds one, longest first.

    OCR adds stray characters around a signature (a seal's strokes read as 有 or 印 before the agency's name):
    「有临川县住房和城乡建设局」 becomes 「临川县住房和城乡建设局」 once that agency has any record."""
    if db.execute("SELECT 1 FROM records WHERE issuer = ? LIMIT 1", [name]).fetchone():
        return name
    row = db.execute(
        "SELECT issuer FROM records WHERE length(issuer) >= 4 AND instr(?, issuer) > 0 "
        "GROUP BY issuer ORDER BY length(issuer) DESC LIMIT 1", [name],
    ).fetchone()
    return row[0] if row else name


def record_fields(db: Database, job: Job, extracted: Extracted) -> tuple[dict[str, Any], dict[str, str]]:
    """Manifest fields win; the rest of the suggestions fill in and stay marked as suggested."""
    fields = dict(job.fields)
    suggested: dict[str, str] = {}
    for name, value in extracted.suggested.items():
        if fields.get(name):
            continue
        if name == "issuer":
            value = known_issuer(db, value)
        try:
            cleaned = records.clean_fields({name: value})
        except InvalidInput:
            continue
        fields[name] = cleaned[name]
        suggested[name] = cleaned[name]
    if not fields.get("title"):
        fields["title"] = job.files[0].path.stem
        suggested["title"] = fields["title"]
    fields.setdefault("carrier", "纸质" if extracted.scanned else "电子")
    fields["page_count"] = len(extracted.pages)
    fields.pop("doc_no_norm", None)
    return fields, suggested


def commit(archive: "Archive", job: Job, extracted: Extracted, actor: Actor) -> Committed:
    db = archive.db
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        existing = find_existing(db, [f.sha256 for f in extracted.files])
        if existing:
            db.conn.execute("ROLLBACK")
            return Committed(*existing, duplicate=True)
        fields, suggested = record_fields(db, job, extracted)
        record_id = records.insert(
            db, fields, actor, style=archive.index_no_style(), org_code=archive.org_code_for(fields.get("issuer")),
            suggested=suggested,
        )
        file_ids = []
        for seq, f in enumerate(extracted.files, start=1):
            file_ids.append(db["files"].insert({
                "record_id": record_id, "seq": seq, "name": f.name, "source_path": f.source_path,
                "sha256": f.sha256, "size": f.size, "mime": f.mime, "stored_path": f.stored_path,
            }).last_pk)
        db["pages"].insert_all([
            {
                "record_id": record_id, "page_no": number, "file_id": file_ids[p.file_index],
                "file_page": p.file_page, "text": p.text, "ocr_confidence": p.confidence, "ocr_lang": p.lang,
                "image_path": p.image_path, "flagged": int(p.flagged),
            }
            for number, p in enumerate(extracted.pages, start=1)
        ])
        events.log(
            db, actor.name, "ingest", record_id, files=[f.name for f in extracted.files],
            pages=len(extracted.pages), ocr_pages=extracted.ocr_pages,
            flagged=[n for n, p in enumerate(extracted.pages, start=1) if p.flagged],
            suggested=json.dumps(sorted(suggested), ensure_ascii=False),
        )
        index_no = db.execute("SELECT index_no FROM records WHERE id = ?", [record_id]).fetchone()[0]
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    return Committed(record_id, index_no)
