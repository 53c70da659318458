"""查阅登记: the visits of readers at the counter, the records opened during them, and returning visitors.

An ID number is never stored in clear: the catalogue keeps a masked form for display (``3501**********1234``)
and an HMAC-SHA256 of the normalised number, keyed with a per-archive secret held in the settings table, so a
returning visitor can be found by typing the number again while the number itself cannot be read back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from typing import Any

from sqlite_utils import Database

from . import events, records, settings
from .access import Actor, Role
from .errors import InvalidInput, NotFound
from .timeutil import now_iso

SECRET_KEY = "visits.id_secret"
ID_TYPES = ("居民身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "其他")
PURPOSES = ("查阅", "复印或打印", "咨询", "依申请公开", "其他")
_RESIDENT_ID = "居民身份证"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_id(number: str) -> str:
    """Full-width to half-width, no spaces or dashes, upper case (the 身份证 check letter is ``X``)."""
    text = unicodedata.normalize("NFKC", number or "")
    return re.sub(r"[\s\-]", "", text).upper()


def check_id(id_type: str, number: str) -> str:
    """The normalised number, or :class:`InvalidInput` saying in Chinese what is wrong with it."""
    normal = normalize_id(number)
    if id_type == _RESIDENT_ID:
        if not re.fullmatch(r"\d{17}[\dX]", normal):
            raise InvalidInput("居民身份证号码应为 18 位（最后一位可为 X）", f"bad resident id length/format: {len(normal)}")
        check = _ID_CHECK[sum(int(d) * w for d, w in zip(normal[:17], _ID_WEIGHTS)) % 11]
        if normal[17] != check:
            raise InvalidInput("居民身份证号码校验位不对，请核对", "resident id checksum mismatch")
    elif not re.fullmatch(r"[0-9A-Z]{5,30}", normal):
        raise InvalidInput("证件号码只能包含字母和数字，5 至 30 位", f"bad id number for {id_type}")
    return normal


def mask_id(normal: str) -> str:
    """Keep enough to recognise the document when it is shown again, hide the rest."""
    keep = 4 if len(normal) >= 12 else 2
    return normal[:keep] + "*" * (len(normal) - 2 * keep) + normal[-keep:]


def _secret(db: Database) -> bytes:
    value = settings.get(db, SECRET_KEY)
    if not value:
        value = secrets.token_hex(32)
        settings.put(db, SECRET_KEY, value)
    return bytes.fromhex(value)


def id_hash(db: Database, normal: str) -> str:
    return hmac.new(_secret(db), normal.encode("ascii"), hashlib.sha256).hexdigest()


def start(db: Database, fields: dict[str, Any], actor: Actor) -> int:
    """Register a visit. ``fields``: visitor_name (required), id_type, id_number, purpose, contact; or
    ``returning_visit_id`` to reuse the ID of an earlier visit without typing the number again."""
    actor.require(Role.CLERK)
    name = (fields.get("visitor_name") or "").strip()
    problems = [] if name else ["请填写来访者姓名"]
    id_type = (fields.get("id_type") or "").strip() or None
    number = (fields.get("id_number") or "").strip()
    masked = hashed = None
    if number:
        id_type = id_type or _RESIDENT_ID
        if id_type not in ID_TYPES:
            problems.append(f"证件类型「{id_type}」不在列表中：{'、'.join(ID_TYPES)}")
        else:
            try:
                normal = check_id(id_type, number)
                masked, hashed = mask_id(normal), id_hash(db, normal)
            except InvalidInput as exc:
                problems.append(exc.message)
    elif fields.get("returning_visit_id"):
        earlier = db.execute(
            "SELECT id_type, id_masked, id_hash FROM visits WHERE id = ?", [int(fields["returning_visit_id"])]
        ).fetchone()
        if earlier is None:
            problems.append("找不到要沿用的上次登记")
        else:
            id_type, masked, hashed = earlier
    if problems:
        raise InvalidInput("；".join(problems), "invalid visit fields")
    row = {
        "visitor_name": name,
        "id_type": id_type if masked else None,
        "id_masked": masked,
        "id_hash": hashed,
        "purpose": (fields.get("purpose") or "").strip() or None,
        "contact": (fields.get("contact") or "").strip() or None,
        "operator": actor.name,
        "started_at": now_iso(),
    }
    visit_id = int(db["visits"].insert(row).last_pk)
    events.log(db, actor.name, "visit_start", None, visit_id=visit_id, purpose=row["purpose"])
    return visit_id


def get(db: Database, visit_id: int, actor: Actor) -> dict[str, Any]:
    """The visit with what happened during it: ``records_opened`` and ``copies_printed`` / ``pages_printed``."""
    actor.require(Role.CLERK)
    rows = list(db.query("SELECT * FROM visits WHERE id = ?", [visit_id]))
    if not rows:
        raise NotFound(f"找不到查阅登记 {visit_id}", f"no visit {visit_id}")
    opened = db.execute("SELECT count(DISTINCT record_id) FROM visit_records WHERE visit_id = ?", [visit_id])
    printed = db.execute(
        "SELECT coalesce(sum(copies), 0), coalesce(sum(copies * page_count), 0) FROM print_log WHERE visit_id = ?",
        [visit_id],
    ).fetchone()
    return {**rows[0], "records_opened": opened.fetchone()[0], "copies_printed": printed[0],
            "pages_printed": printed[1]}


def end(db: Database, visit_id: int, actor: Actor) -> dict[str, Any]:
    """Close the visit; returns its summary. Ending a visit twice is an error (the first end time stands)."""
    visit = get(db, visit_id, actor)
    if visit["ended_at"]:
        raise InvalidInput("这次查阅登记已经结束", f"visit {visit_id} already ended")
    ended = now_iso()
    db["visits"].update(visit_id, {"ended_at": ended})
    events.log(db, actor.name, "visit_end", None, visit_id=visit_id, records_opened=visit["records_opened"],
               copies_printed=visit["copies_printed"])
    return {**visit, "ended_at": ended}


def note_opened(db: Database, visit_id: int, record_id: int, actor: Actor) -> None:
    """Attach a record the visitor read to the visit (once per visit) and log the view in the audit trail."""
    records.get(db, record_id, actor)
    visit = get(db, visit_id, actor)
    if visit["ended_at"]:
        raise InvalidInput("这次查阅登记已经结束，请先新建登记", f"visit {visit_id} already ended")
    seen = db.execute(
        "SELECT 1 FROM visit_records WHERE visit_id = ? AND record_id = ?", [visit_id, record_id]
    ).fetchone()
    if not seen:
        db["visit_records"].insert(
            {"visit_id": visit_id, "record_id": record_id, "opened_at": now_iso(), "operator": actor.name}
        )
    events.log(db, actor.name, "view", record_id, visit_id=visit_id)


def find_visitors(db: Database, text: str, actor: Actor, *, limit: int = 20) -> list[dict[str, Any]]:
    """Earlier visitors whose name contains ``text`` or whose ID number is exactly ``text``, newest first,
    one entry per person (name + ID), with how often they came and their latest visit's id and contact."""
    actor.require(Role.CLERK)
    text = (text or "").strip()
    if not text:
        return []
    clauses, params = ["visitor_name LIKE ?"], [f"%{text}%"]
    normal = normalize_id(text)
    if re.fullmatch(r"[0-9A-Z]{5,30}", normal):
        clauses.append("id_hash = ?")
        params.append(id_hash(db, normal))
    sql = (
        "SELECT visitor_name, id_type, id_masked, count(*) AS visits, max(started_at) AS last_seen, "
        "max(id) AS last_visit_id FROM visits WHERE " + " OR ".join(clauses) +
        " GROUP BY visitor_name, coalesce(id_hash, '') ORDER BY last_seen DESC LIMIT ?"
    )
    found = list(db.query(sql, [*params, limit]))
    for row in found:
        latest = db.execute("SELECT contact FROM visits WHERE id = ?", [row["last_visit_id"]]).fetchone()
        row["contact"] = latest[0] if latest else None
    return found


def open_visits(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """Visits started and not yet ended (e.g. after the app was closed mid-visit), newest first."""
    actor.require(Role.CLERK)
    return list(db.query("SELECT * FROM visits WHERE ended_at IS NULL ORDER BY id DESC"))


def problems(db: Database) -> list[tuple[str, int | None]]:
    """(Chinese message, record id) for visit data that breaks the rules: an ID kept unmasked or without its
    keyed hash, a visit that ends before it starts, records opened in visits that do not exist."""
    found: list[tuple[str, int | None]] = []
    for row in db.query("SELECT id, id_masked, id_hash, started_at, ended_at FROM visits ORDER BY id"):
        if row["id_masked"] and ("*" not in row["id_masked"] or not row["id_hash"]):
            found.append((f"查阅登记 {row['id']} 的证件号码没有掩码或缺少校验值", None))
        if row["ended_at"] and row["ended_at"] < row["started_at"]:
            found.append((f"查阅登记 {row['id']} 的结束时间早于开始时间", None))
    for visit_id, record_id in db.execute(
        "SELECT visit_id, record_id FROM visit_records WHERE visit_id NOT IN (SELECT id FROM visits) "
        "OR record_id NOT IN (SELECT id FROM records)"
    ):
        found.append((f"查阅登记 {visit_id} 记有不存在的登记或记录 {record_id}", record_id))
    return found
