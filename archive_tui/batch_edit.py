"""Batch edit: set one catalogue field on many records at once, with a preview and one undo.

Every change goes through :func:`records.update`, so validation, per-record history and "a released record
that is edited returns to review" hold exactly as for a single edit. A batch is applied in one transaction and
recorded as one ``batch`` event holding every record's value before; :func:`undo` restores the last batch in
one transaction (records edited since the batch are left alone and reported).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import events, records
from .access import STATUS_LABELS, Actor, Role
from .errors import InvalidInput
from .fields import BY_NAME, HEADER_TO_FIELD

if TYPE_CHECKING:
    from .archive import Archive

#: Fields that make sense to set on many records at once (index_no is unique, title and 文号 are per document).
BATCH_FIELDS = tuple(
    name for name in BY_NAME if name not in ("index_no", "title", "doc_no", "summary", "page_count", "loc_item")
)
SEARCH_PAGE = 500
STATUS_BY_LABEL = {label: status for status, label in STATUS_LABELS.items()}
MAX_SELECTION = 10_000


@dataclass(frozen=True)
class Change:
    record_id: int
    index_no: str
    title: str
    before: Any
    after: Any


@dataclass
class Preview:
    field: str
    value: Any  # the cleaned value every selected record gets
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0  # selected records that already have the value

    @property
    def label(self) -> str:
        return BY_NAME[self.field].label


@dataclass(frozen=True)
class UndoReport:
    batch_id: int
    restored: int
    skipped: list[str]  # 索引号 of records changed again since the batch


def parse_selection(text: str) -> tuple[str, dict[str, str]]:
    """``盒号:12 发布机构:临川县财政局 春季`` → search query ``春季`` and field filters (labels or field names;
    ``审核状态:待审核`` filters the review status). An empty value (``盒号:``) selects records without one."""
    query, where = [], {}
    for token in text.replace("：", ":").split():
        label, sep, value = token.partition(":")
        name = HEADER_TO_FIELD.get(label) if sep else None
        if name == "status":
            value = STATUS_BY_LABEL.get(value, value)
        if name in BY_NAME or name == "status":
            where[name] = value
        else:
            query.append(token)
    return " ".join(query), where


def select(
    archive: "Archive", actor: Actor, *, query: str | None = None, where: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Records matching a search ``query`` and/or equal to every ``where`` field value (visible to ``actor``)."""
    conditions, params = [], []
    for name, value in (where or {}).items():
        if name not in BY_NAME and name != "status":
            raise InvalidInput(f"未知栏目「{name}」", f"unknown field {name!r}")
        if value in (None, ""):
            conditions.append(f"({name} IS NULL OR {name} = '')")
        else:
            conditions.append(f"{name} = ?")
            params.append(value)
    rows = records.list_visible(archive.db, actor, where=" AND ".join(conditions), params=params)
    if query and query.strip():
        wanted = _search_ids(archive, actor, query.strip())
        rows = [r for r in rows if r["id"] in wanted]
    return sorted(rows, key=lambda r: r["id"])


def _search_ids(archive: "Archive", actor: Actor, query: str) -> set[int]:
    found: set[int] = set()
    offset = 0
    while offset < MAX_SELECTION:
        result = archive.search(query, actor, limit=SEARCH_PAGE, offset=offset)
        if result.message and not result.hits:
            raise InvalidInput(result.message, f"search query {query!r}")
        found.update(hit.record_id for hit in result.hits)
        offset += SEARCH_PAGE
        if not result.hits or offset >= result.total:
            break
    return found


def preview(archive: "Archive", actor: Actor, record_ids: list[int], name: str, value: Any) -> Preview:
    """What setting ``name`` to ``value`` would change, record by record (nothing is written)."""
    actor.require(Role.ARCHIVIST)
    if name not in BATCH_FIELDS:
        raise InvalidInput(f"栏目「{BY_NAME[name].label if name in BY_NAME else name}」不能批量修改",
                           f"{name} is not a batch field")
    cleaned = records.clean_fields({name: value})[name]
    result = Preview(name, cleaned)
    for record_id in record_ids:
        row = records.get(archive.db, record_id, actor)
        if row.get(name) == cleaned:
            result.unchanged += 1
        else:
            result.changes.append(Change(record_id, row["index_no"], row["title"], row.get(name), cleaned))
    return result


def apply(archive: "Archive", actor: Actor, plan: Preview) -> int:
    """Write a previewed batch in one transaction; returns the batch's event id (the handle for undo)."""
    actor.require(Role.ARCHIVIST)
    db = archive.db
    with db.conn:
        for change in plan.changes:
            records.update(db, change.record_id, {plan.field: plan.value}, actor, action="batch_edit")
        return events.log(
            db, actor.name, "batch", None, field=plan.field, value=plan.value,
            before={str(c.record_id): c.before for c in plan.changes},
        )


def last_batch(archive: "Archive") -> dict[str, Any] | None:
    """The last batch if it has not been undone yet (only the last batch can be undone)."""
    row = archive.db.execute(
        "SELECT id, ts, actor, action, detail FROM events WHERE action IN ('batch', 'batch_undo') "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None or row[3] != "batch":
        return None
    return {"id": row[0], "ts": row[1], "actor": row[2], **json.loads(row[4])}


def undo(archive: "Archive", actor: Actor) -> UndoReport:
    """Restore every record of the last batch to its value before, in one transaction."""
    actor.require(Role.ARCHIVIST)
    db = archive.db
    with db.conn:
        batch = last_batch(archive)
        if batch is None:
            raise InvalidInput("没有可以撤销的批量修改", "no batch to undo")
        name, value = batch["field"], batch["value"]
        restored, skipped = 0, []
        for record_id, before in batch["before"].items():
            row = records.get(db, int(record_id), actor)
            if row.get(name) != value:
                skipped.append(row["index_no"])
                continue
            records.update(db, int(record_id), {name: before}, actor, action="batch_undo")
            restored += 1
        events.log(db, actor.name, "batch_undo", None, batch=batch["id"], restored=restored, skipped=skipped)
    return UndoReport(batch["id"], restored, skipped)
