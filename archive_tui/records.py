"""Catalogue records: create, read (scoped to the actor), update with history, list.

Functions take an open ``sqlite_utils.Database`` so that they work inside a caller's transaction; the
:class:`~archive_tui.archive.Archive` facade wraps them for everyday use.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

from sqlite_utils import Database

from . import events, schema
from .access import PENDING, RELEASED, Actor
from .domain import dates, docno, indexno, vocab
from .errors import InvalidInput, NotFound
from .fields import BY_NAME, LOCATION_FIELDS
from .migrations import RECORD_COLUMNS
from .timeutil import now_iso

EDITABLE = tuple(name for name in BY_NAME if name != "index_no")


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalise user input: strip text, empty → None, 文号 to its canonical form, dates to ISO.

    Raises :class:`InvalidInput` listing every problem at once.
    """
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in fields.items():
        field = BY_NAME.get(name)
        if field is None:
            problems.append(f"未知栏目「{name}」")
            continue
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            out[name] = None
            continue
        try:
            if field.vocab and not vocab.allows(field.vocab, str(value)):
                raise InvalidInput(f"{field.label}「{value}」不在规定的取值中", f"{name} not in vocabulary")
            if field.kind == "date":
                try:
                    value = dates.parse(value)
                except InvalidInput as exc:
                    raise InvalidInput(f"{field.label}：{exc.message}", exc.detail) from exc
            elif field.kind == "int":
                value = int(value)
            elif field.kind == "indexno":
                value = indexno.validate(str(value))
            elif field.kind == "docno":
                normal = docno.normalize(str(value))
                if normal is None:
                    raise InvalidInput(f"文号「{value}」格式不正确，应如 临政办〔2021〕13号", "bad doc number")
                value = normal
        except (InvalidInput, ValueError) as exc:
            problems.append(exc.message if isinstance(exc, InvalidInput) else f"{field.label}「{value}」应为整数")
            continue
        out[name] = value
    if "doc_no" in out:
        out["doc_no_norm"] = out["doc_no"]
    if problems:
        raise InvalidInput("；".join(problems), "invalid catalogue fields")
    return out


def next_index_no(db: Database, style: indexno.IndexNoStyle, org_code: str | None, when: dt.date) -> str:
    """Take the next serial for (organisation, period) inside the caller's transaction."""
    prefix = style.prefix(org_code, when)
    row = db.execute("SELECT last FROM serials WHERE prefix = ?", [prefix]).fetchone()
    serial = (row[0] if row else 0) + 1
    while db.execute("SELECT 1 FROM records WHERE index_no = ?", [style.format(prefix, serial)]).fetchone():
        serial += 1  # imported records may already use numbers the counter has not handed out
    db.execute("INSERT OR REPLACE INTO serials (prefix, last) VALUES (?, ?)", [prefix, serial])
    return style.format(prefix, serial)


def insert(
    db: Database,
    fields: dict[str, Any],
    actor: Actor,
    *,
    style: indexno.IndexNoStyle,
    org_code: str | None = None,
    suggested: dict[str, Any] | None = None,
) -> int:
    """Insert a new record (review status pending) inside the caller's transaction; returns its id."""
    data = clean_fields(fields)
    if not data.get("title"):
        raise InvalidInput("信息名称不能为空", "title is required")
    if data.get("index_no"):
        if db.execute("SELECT 1 FROM records WHERE index_no = ?", [data["index_no"]]).fetchone():
            raise InvalidInput(f"索引号「{data['index_no']}」已存在", "duplicate index number")
    else:
        when = dt.date.fromisoformat(data["created_date"]) if data.get("created_date") else dt.date.today()
        data["index_no"] = next_index_no(db, style, org_code, when)
    stamp = now_iso()
    row = {
        **data,
        "status": PENDING,
        "suggested": json.dumps(suggested or {}, ensure_ascii=False),
        "created_by": actor.name,
        "updated_by": actor.name,
        "created_at": stamp,
        "updated_at": stamp,
        "rev": 1,
    }
    schema.check("record", _as_document(row))
    record_id = db["records"].insert(row).last_pk
    events.log(db, actor.name, "create", record_id, index_no=data["index_no"], title=data["title"])
    return int(record_id)


def _as_document(row: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in row.items() if k in RECORD_COLUMNS}
    if isinstance(doc.get("suggested"), str):
        doc["suggested"] = json.loads(doc["suggested"] or "{}")
    return {k: v for k, v in doc.items() if v is not None or k in ("suggested",)}


def as_document(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the record JSON document of ``schemas/record.schema.json``."""
    return _as_document(row)


def get(db: Database, ref: int | str, actor: Actor) -> dict[str, Any]:
    """A record by id, 索引号 or 文号 (any bracket style), visible to ``actor``; otherwise :class:`NotFound` (same
    error either way). A 文号 shared by several visible records is refused: the caller must name one."""
    statuses = actor.visible_statuses()
    marks = ",".join("?" * len(statuses))
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        sql, arg = f"SELECT * FROM records WHERE id = ? AND status IN ({marks})", int(ref)
    else:
        sql, arg = f"SELECT * FROM records WHERE index_no = ? AND status IN ({marks})", indexno.normalize(str(ref))
    rows = list(db.query(sql, [arg, *statuses]))
    if not rows and isinstance(ref, str) and not ref.isdigit():
        rows = find_by_doc_no(db, ref, actor)
        if len(rows) > 1:
            raise InvalidInput(
                f"文号「{ref}」对应 {len(rows)} 条记录（{'、'.join(r['index_no'] for r in rows)}），请用索引号指明",
                f"doc_no {ref!r} matches {len(rows)} records",
            )
    if not rows:
        raise NotFound(f"找不到记录「{ref}」", f"no visible record {ref!r}")
    return rows[0]


def find_by_doc_no(db: Database, text: str, actor: Actor) -> list[dict[str, Any]]:
    normal = docno.normalize(text)
    if not normal:
        return []
    statuses = actor.visible_statuses()
    marks = ",".join("?" * len(statuses))
    return list(db.query(
        f"SELECT * FROM records WHERE doc_no_norm = ? AND status IN ({marks}) ORDER BY id", [normal, *statuses]
    ))


def update(db: Database, record_id: int, changes: dict[str, Any], actor: Actor, *, action: str = "edit") -> dict:
    """Change catalogue fields; logs before/after. A released record whose catalogue content is edited returns to
    pending review (a new shelf location alone does not reopen it).

    Confirming a field removes it from the record's suggestions. Returns the updated row.
    """
    before = get(db, record_id, actor)
    data = clean_fields({k: v for k, v in changes.items() if k in EDITABLE or k not in BY_NAME})
    diff = {k: v for k, v in data.items() if before.get(k) != v}
    suggested = json.loads(before.get("suggested") or "{}")
    confirmed = [k for k in changes if k in suggested]
    for name in confirmed:
        suggested.pop(name)
    if not diff and not confirmed:
        return before
    row: dict[str, Any] = {
        **diff,
        "suggested": json.dumps(suggested, ensure_ascii=False),
        "updated_by": actor.name,
        "updated_at": now_iso(),
        "rev": before["rev"] + 1,
    }
    # Where the paper original sits says nothing about what is disclosed: shelving keeps a record released.
    if before["status"] == RELEASED and set(diff) - set(LOCATION_FIELDS):
        row["status"] = PENDING
    schema.check("record", _as_document({**before, **row}))
    db["records"].update(record_id, row)
    events.log(
        db, actor.name, action, record_id,
        before={k: before.get(k) for k in diff}, after=diff, confirmed=confirmed,
        reopened=row.get("status") == PENDING and before["status"] == RELEASED,
    )
    return {**before, **row}


def list_visible(
    db: Database, actor: Actor, *, limit: int | None = None, offset: int = 0, where: str = "", params: Iterable = ()
) -> list[dict[str, Any]]:
    statuses = actor.visible_statuses()
    clause = f"status IN ({','.join('?' * len(statuses))})" + (f" AND ({where})" if where else "")
    sql = f"SELECT * FROM records WHERE {clause} ORDER BY created_date DESC, id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return list(db.query(sql, [*statuses, *params]))


def pages(db: Database, record_id: int, actor: Actor) -> list[dict[str, Any]]:
    get(db, record_id, actor)
    return list(db.query("SELECT * FROM pages WHERE record_id = ? ORDER BY page_no", [record_id]))


def files(db: Database, record_id: int, actor: Actor) -> list[dict[str, Any]]:
    get(db, record_id, actor)
    return list(db.query("SELECT * FROM files WHERE record_id = ? ORDER BY seq", [record_id]))
