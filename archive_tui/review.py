"""The release gate (保密审查): the review queue, release, withholding and returning records for changes.

Only a reviewer releases, and never a record they ingested or last edited (发布人、审核人分离). Withholding names
an exemption of the Regulation (Arts. 14–16, ``schemas/vocab/withhold_reason.json``) and a note. A record with
personal-data findings is released only when the reviewer acknowledges them and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from . import events, pii, records
from .access import PENDING, RELEASED, WITHHELD, Actor, Role
from .domain import vocab
from .errors import InvalidInput, PermissionDenied
from .timeutil import now_iso


@dataclass
class QueueItem:
    """One pending record in the review queue."""

    record: dict[str, Any]
    suggested: dict[str, Any]
    flagged_pages: list[int]

    @property
    def id(self) -> int:
        return int(self.record["id"])

    @property
    def ready(self) -> bool:
        return bool(self.record.get("ready_at"))


@dataclass
class ReviewDetail:
    """What the reviewer needs to decide on one record."""

    record: dict[str, Any]
    suggested: dict[str, Any]
    flagged_pages: list[dict[str, Any]]  # page_no, ocr_confidence, text
    findings: list[pii.Finding] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)  # why this actor may not release it


def withhold_reasons() -> list[str]:
    return vocab.values("withhold_reason")


def queue(db: Database, actor: Actor) -> list[QueueItem]:
    """Pending records: those the archivist handed over (``ready_at``) first, oldest first, then the rest."""
    _require_review_scope(actor)
    rows = db.query(
        "SELECT * FROM records WHERE status = ? ORDER BY ready_at IS NULL, ready_at, created_at, id", [PENDING]
    )
    flagged: dict[int, list[int]] = {}
    for record_id, page_no in db.execute(
        "SELECT p.record_id, p.page_no FROM pages p JOIN records r ON r.id = p.record_id "
        "WHERE r.status = ? AND p.flagged = 1 ORDER BY p.record_id, p.page_no", [PENDING]
    ):
        flagged.setdefault(record_id, []).append(page_no)
    return [QueueItem(r, json.loads(r.get("suggested") or "{}"), flagged.get(r["id"], [])) for r in rows]


def detail(db: Database, record_id: int, actor: Actor) -> ReviewDetail:
    """A record with its suggested fields, flagged pages and personal-data findings (any review status)."""
    _require_review_scope(actor)
    record = records.get(db, record_id, actor)
    pages = list(db.query(
        "SELECT page_no, ocr_confidence, flagged, text FROM pages WHERE record_id = ? ORDER BY page_no", [record_id]
    ))
    return ReviewDetail(
        record=record,
        suggested=json.loads(record.get("suggested") or "{}"),
        flagged_pages=[p for p in pages if p["flagged"]],
        findings=findings(record, pages),
        blockers=release_blockers(record, actor),
    )


def findings(record: dict[str, Any], pages: list[dict[str, Any]]) -> list[pii.Finding]:
    """Personal data in the catalogue text (page None) and in every page's text."""
    found: list[pii.Finding] = []
    for name in ("title", "summary", "keywords"):
        if record.get(name):
            found.extend(pii.scan(str(record[name])))
    for page in pages:
        found.extend(pii.scan(page.get("text") or "", page_no=page["page_no"]))
    return found


def release_blockers(record: dict[str, Any], actor: Actor) -> list[str]:
    """Reasons (Chinese) why ``actor`` may not release ``record``; empty when they may."""
    blockers = []
    if not actor.has(Role.REVIEWER):
        blockers.append(f"操作员「{actor.name}」没有审核员权限")
    if record.get("created_by") == actor.name:
        blockers.append("该记录由您本人入库，须由其他审核员发布（发布人、审核人分离）")
    elif record.get("updated_by") == actor.name:
        blockers.append("该记录最后由您本人修改，须由其他审核员发布（发布人、审核人分离）")
    if record.get("status") == RELEASED:
        blockers.append("该记录已发布")
    return blockers


def release(
    db: Database, record_id: int, actor: Actor, note: str = "", *, acknowledge_pii: bool = False
) -> dict[str, Any]:
    """Release a record to the counter. Returns the updated row."""
    record = records.get(db, record_id, actor)
    blockers = release_blockers(record, actor)
    if blockers:
        raise PermissionDenied("不能发布：" + "；".join(blockers), "release refused")
    pages = list(db.query("SELECT page_no, text FROM pages WHERE record_id = ?", [record_id]))
    found = findings(record, pages)
    if found and not (acknowledge_pii and note.strip()):
        kinds = "、".join(sorted({f.label for f in found}))
        raise InvalidInput(
            f"记录中发现 {len(found)} 处个人信息（{kinds}），请核实后不予发布；"
            "确需发布（如本人同意或涉及重大公共利益）时须确认并写明理由",
            f"{len(found)} personal-data findings not acknowledged",
        )
    return _set_status(
        db, record, actor, RELEASED, "release", reason=None, note=note.strip() or None,
        extra={"pii_findings": len(found)},
    )


def withhold(db: Database, record_id: int, actor: Actor, reason: str, note: str) -> dict[str, Any]:
    """Keep a record from the counter, for an exemption of the Regulation and with a note."""
    actor.require(Role.REVIEWER)
    record = records.get(db, record_id, actor)
    reason, note = (reason or "").strip(), (note or "").strip()
    problems = []
    if not vocab.allows("withhold_reason", reason):
        problems.append(f"不予发布理由「{reason}」不在《条例》第十四至十六条规定的情形中")
    if not note:
        problems.append("请写明不予发布的具体说明")
    if problems:
        raise InvalidInput("；".join(problems), "withhold needs a listed reason and a note")
    return _set_status(db, record, actor, WITHHELD, "withhold", reason=reason, note=note)


def return_for_changes(db: Database, record_id: int, actor: Actor, note: str) -> dict[str, Any]:
    """Send a record back to the archivist: it stays pending and leaves the handed-over part of the queue."""
    actor.require(Role.REVIEWER)
    record = records.get(db, record_id, actor)
    if not (note or "").strip():
        raise InvalidInput("退回修改时请写明需要修改的内容", "return needs a note")
    return _set_status(db, record, actor, PENDING, "return", reason=None, note=note.strip(), ready=False)


def mark_ready(db: Database, record_id: int, actor: Actor) -> dict[str, Any]:
    """The archivist hands a pending record to review."""
    actor.require(Role.ARCHIVIST)
    record = records.get(db, record_id, actor)
    if record["status"] != PENDING:
        raise InvalidInput("只有待审核的记录可以提交审核", f"record status is {record['status']}")
    changes = {"ready_at": now_iso(), "rev": record["rev"] + 1}
    db["records"].update(record_id, changes)
    events.log(db, actor.name, "ready", record_id)
    return {**record, **changes}


def _set_status(
    db: Database, record: dict[str, Any], actor: Actor, status: str, action: str, *, reason: str | None,
    note: str | None, ready: bool = True, extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "status": status,
        "status_reason": reason,
        "status_note": note,
        "reviewed_by": actor.name,
        "rev": record["rev"] + 1,
    }
    if not ready:
        changes["ready_at"] = None
    db["records"].update(record["id"], changes)
    events.log(
        db, actor.name, action, record["id"], before=record["status"], after=status, reason=reason, note=note,
        **(extra or {}),
    )
    return {**record, **changes}


def _require_review_scope(actor: Actor) -> None:
    if not (actor.has(Role.REVIEWER) or actor.has(Role.ARCHIVIST)):
        raise PermissionDenied(
            f"操作员「{actor.name}」没有审核员或档案员权限，不能查看待审核记录", "review queue needs staff role"
        )
