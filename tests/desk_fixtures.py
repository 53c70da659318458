"""Small archives for the desk, backup, batch-edit and shelving tests: records made through the core API with
real stored files and page rows, until the sample archive and ingest are used."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from archive_tui import Archive, Actor, storage

DOCS = [
    {"title": "临川县人民政府关于做好春季农业生产工作的通知", "doc_no": "临政发〔2021〕3号", "issuer": "临川县人民政府",
     "created_date": "2021-03-05", "genre": "通知", "loc_room": "一号库房", "loc_shelf": "3", "loc_layer": "2",
     "loc_box": "12"},
    {"title": "临川县财政局关于2020年度预算执行情况的报告", "doc_no": "临财〔2021〕11号", "issuer": "临川县财政局",
     "created_date": "2021-01-20", "genre": "报告", "loc_room": "一号库房", "loc_shelf": "3", "loc_layer": "2",
     "loc_box": "12"},
    {"title": "临川县教育局关于中小学招生工作的意见", "doc_no": "临教〔2020〕7号", "issuer": "临川县教育局",
     "created_date": "2020-06-01", "genre": "意见", "loc_room": "一号库房", "loc_shelf": "3", "loc_layer": "2",
     "loc_box": "12"},
    {"title": "临川县人民政府办公室关于印发防汛应急预案的通知", "doc_no": "临政办〔2019〕42号",
     "issuer": "临川县人民政府办公室", "created_date": "2019-05-10", "genre": "通知", "validity": "已废止",
     "loc_room": "一号库房", "loc_shelf": "3", "loc_layer": "3", "loc_box": "13"},
]


def page_png(seed: int) -> bytes:
    """A small grey 'scan' (distinct per record, so each is stored once)."""
    image = Image.new("L", (120, 170), 250)
    ImageDraw.Draw(image).rectangle((10, 10 + seed % 50, 110, 30 + seed % 50), fill=20)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_document(archive: Archive, actor: Actor, fields: dict, tmp: Path, *, n: int = 0,
                 suggested: dict | None = None) -> int:
    """One record with one stored text file and one page row, the way ingest leaves them."""
    record_id = archive.add_record(fields, actor, suggested=suggested)
    source = tmp / f"doc-{record_id}-{n}.txt"
    text = f"{fields['title']}\n{fields.get('doc_no') or ''}\n正文第{n}份。"
    source.write_text(text, encoding="utf-8")
    sha, rel, size = storage.put_file(archive.store_dir, source)
    image_sha, image_rel, _ = storage.put_bytes(archive.store_dir, page_png(record_id), ".png")
    with archive.db.conn:
        file_id = archive.db["files"].insert({
            "record_id": record_id, "seq": 1, "name": source.name, "source_path": str(source), "sha256": sha,
            "size": size, "mime": "text/plain", "stored_path": rel,
        }).last_pk
        archive.db["pages"].insert({
            "record_id": record_id, "page_no": 1, "file_id": file_id, "file_page": 1, "text": text,
            "image_path": image_rel, "flagged": 0,
        })
        archive.db["records"].update(record_id, {"page_count": 1})
    return record_id


def populate(archive: Archive, actor: Actor, tmp: Path) -> list[int]:
    tmp.mkdir(parents=True, exist_ok=True)
    return [add_document(archive, actor, fields, tmp) for fields in DOCS]
