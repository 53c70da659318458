"""Exporting the catalogue (as visible to the actor) to CSV, XLSX or JSON, with Chinese headers in CSV/XLSX."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import openpyxl

from . import events
from .access import STATUS_LABELS, Actor
from .fields import CATALOGUE_FIELDS, LABELS
from .records import as_document

if TYPE_CHECKING:
    from .archive import Archive

EXPORT_COLUMNS = ["id", *(f.name for f in CATALOGUE_FIELDS), "status", "files"]


def rows(archive: "Archive", actor: Actor) -> list[dict]:
    """Records visible to ``actor`` with their file names, in catalogue (id) order."""
    db = archive.db
    found = []
    for row in sorted(archive.list_records(actor), key=lambda r: r["id"]):
        names = [r[0] for r in db.execute("SELECT name FROM files WHERE record_id = ? ORDER BY seq", [row["id"]])]
        found.append({**as_document(row), "files": names})
    return found


def write(archive: "Archive", actor: Actor, fmt: str, out: TextIO) -> int:
    """Write the export; returns the number of records. Logged in the audit trail."""
    data = rows(archive, actor)
    if fmt == "json":
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        writer = csv.writer(out)
        writer.writerow([LABELS.get(c, c) for c in EXPORT_COLUMNS])
        for rec in data:
            writer.writerow([_cell(rec, c) for c in EXPORT_COLUMNS])
    with archive.db.conn:
        events.log(archive.db, actor.name, "export", None, format=fmt, count=len(data))
    return len(data)


def _cell(record: dict, column: str) -> str:
    value = record.get(column)
    if column == "files":
        return ";".join(value or [])
    if column == "status":
        return STATUS_LABELS.get(value, value or "")
    return "" if value is None else str(value)


def write_xlsx(archive: "Archive", actor: Actor, path: Path) -> int:
    """The same columns and Chinese headers as the CSV, as an Excel workbook (one sheet 目录)."""
    data = rows(archive, actor)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("目录")
    sheet.append([LABELS.get(c, c) for c in EXPORT_COLUMNS])
    for rec in data:
        sheet.append([_cell(rec, c) for c in EXPORT_COLUMNS])
    book.save(path)
    with archive.db.conn:
        events.log(archive.db, actor.name, "export", None, format="xlsx", count=len(data))
    return len(data)


def to_string(archive: "Archive", actor: Actor, fmt: str) -> str:
    buffer = io.StringIO()
    write(archive, actor, fmt, buffer)
    return buffer.getvalue()
