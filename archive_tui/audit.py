"""The audit trail on top of the hash-chained event log: a tail anchor, full verification and CSV export.

The chain (:mod:`archive_tui.events`) shows a removed or altered entry anywhere except at the end: dropping the
newest entries leaves a shorter chain that is still consistent. So a one-row table ``event_anchor`` keeps the
number of entries, the last id and the last hash; a trigger updates it in the same transaction as every insert,
and triggers refuse to delete it or move it backwards. :func:`verify` checks the chain against the anchor and that
the protective triggers are still in place.

Someone who can write the database file can still rewrite everything consistently (the hashes have no secret).
For that, ``archive-tui audit head`` prints the current head (count and hash) to keep on paper or elsewhere, and
``archive-tui audit verify --head N:HASH`` proves the chain still extends exactly that head.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import TextIO

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import events, records
from .access import Actor, Role
from .errors import InvalidInput

MIGRATIONS = Migrations("archive_tui.audit")

#: Triggers that make the trail append-only; verify reports any that has been dropped.
PROTECTIVE_TRIGGERS = ("events_no_update", "events_no_delete", "events_anchor", "event_anchor_no_delete",
                       "event_anchor_forward_only")

ACTION_LABELS = {
    "create": "新建记录",
    "ingest": "入库",
    "edit": "修改",
    "ready": "提交审核",
    "release": "发布",
    "withhold": "不予发布",
    "return": "退回修改",
    "export": "导出",
    "setting": "修改设置",
    "login": "登录",
    "login_failed": "登录失败",
    "operator_add": "添加操作员",
    "operator_roles": "修改角色",
    "operator_passwd": "修改密码",
    "operator_lock": "锁定操作员",
    "operator_unlock": "解锁操作员",
    "view": "窗口查阅",
    "print": "打印",
    "audit_export": "导出审计日志",
    "batch": "批量修改",
    "batch_edit": "批量修改",
    "batch_undo": "撤销批量修改",
    "shelve": "上架登记",
    "backup": "备份",
    "visit_start": "查阅登记",
    "visit_end": "结束查阅登记",
}


def action_label(action: str) -> str:
    """Chinese name of an event's action; 依申请公开 actions are ``request.<step>``."""
    if action.startswith("request."):
        return f"依申请公开：{action.partition('.')[2]}"
    return ACTION_LABELS.get(action, action)

CSV_HEADER = ["序号", "时间", "操作员", "操作", "操作代码", "记录编号", "详情", "前一哈希", "哈希"]


@MIGRATIONS()
def m001_event_anchor(db: Database) -> None:
    db["event_anchor"].create({"id": int, "count": int, "last_id": int, "last_hash": str}, pk="id")
    count, last_id = db.execute("SELECT count(*), coalesce(max(id), 0) FROM events").fetchone()
    last = db.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    db["event_anchor"].insert({"id": 1, "count": count, "last_id": last_id,
                               "last_hash": last[0] if last else events.GENESIS})
    db.execute(
        "CREATE TRIGGER events_anchor AFTER INSERT ON events BEGIN "
        "UPDATE event_anchor SET count = count + 1, last_id = NEW.id, last_hash = NEW.hash WHERE id = 1; END"
    )
    db.execute(
        "CREATE TRIGGER event_anchor_no_delete BEFORE DELETE ON event_anchor "
        "BEGIN SELECT RAISE(ABORT, 'the event anchor cannot be removed'); END"
    )
    db.execute(
        "CREATE TRIGGER event_anchor_forward_only BEFORE UPDATE ON event_anchor "
        "WHEN NEW.count != OLD.count + 1 OR NEW.last_id <= OLD.last_id "
        "BEGIN SELECT RAISE(ABORT, 'the event anchor only moves forward with new events'); END"
    )


@dataclass(frozen=True)
class Head:
    count: int
    last_hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.last_hash}"

    @classmethod
    def parse(cls, text: str) -> "Head":
        count, _, digest = text.strip().partition(":")
        if not count.isdigit() or len(digest) != 64:
            raise InvalidInput("日志头应写成「条数:哈希」，如 120:3fa…（64 位）", f"bad head {text!r}")
        return cls(int(count), digest.lower())


def head(db: Database) -> Head:
    count, last_hash = db.execute("SELECT count, last_hash FROM event_anchor WHERE id = 1").fetchone()
    return Head(int(count), last_hash)


def verify(db: Database, *, expect: Head | None = None) -> list[str]:
    """Every problem found (Chinese), empty when the trail is intact."""
    problems = []
    broken = events.verify(db)
    if broken is not None:
        problems.append(f"第 {broken.event_id} 条：{broken.reason}")
    problems.extend(tail_problems(db))
    if expect is not None:
        count = db.execute("SELECT count(*) FROM events").fetchone()[0]
        row = db.execute("SELECT hash FROM events ORDER BY id LIMIT 1 OFFSET ?", [expect.count - 1]).fetchone()
        if expect.count > count or row is None or row[0] != expect.last_hash:
            problems.append(f"与保存的日志头 {expect.count}:{expect.last_hash[:12]}… 不符 (head mismatch)")
    return problems


def tail_problems(db: Database) -> list[str]:
    """The anchor and the protective triggers: what the chain alone cannot show."""
    problems = []
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for name in PROTECTIVE_TRIGGERS:
        if name not in present:
            problems.append(f"保护触发器「{name}」被删除 (trigger dropped)")
    count, last_id = db.execute("SELECT count(*), coalesce(max(id), 0) FROM events").fetchone()
    last = db.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    last_hash = last[0] if last else events.GENESIS
    anchor = db.execute("SELECT count, last_id, last_hash FROM event_anchor WHERE id = 1").fetchone()
    if anchor is None:
        problems.append("日志锚点缺失 (anchor row missing)")
    elif (count, last_id, last_hash) != tuple(anchor):
        problems.append(
            f"日志末尾被截断或改动：锚点记录 {anchor[0]} 条（最后第 {anchor[1]} 条），实有 {count} 条"
            f"（最后第 {last_id} 条） (tail does not match the anchor)"
        )
    return problems


def export_csv(db: Database, actor: Actor, out: TextIO) -> int:
    """Write the whole trail as CSV with Chinese headers; logged itself. Returns the number of entries."""
    if not (actor.has(Role.ADMIN) or actor.has(Role.REVIEWER)):
        actor.require(Role.ADMIN)
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    n = 0
    for row in db.execute("SELECT id, ts, actor, action, record_id, detail, prev_hash, hash FROM events ORDER BY id"):
        event_id, ts, who, action, record_id, detail, prev_hash, digest = row
        writer.writerow([event_id, ts, who, action_label(action), action,
                         "" if record_id is None else record_id, _detail_text(detail), prev_hash, digest])
        n += 1
    with db.conn:
        events.log(db, actor.name, "audit_export", None, count=n)
    return n


def _detail_text(detail: str | None) -> str:
    data = json.loads(detail or "{}")
    return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else ""


def log_view(db: Database, record_id: int, actor: Actor) -> None:
    """A record read at the counter without an open visit (查阅登记 logs its own views): still traceable."""
    records.get(db, record_id, actor)
    events.log(db, actor.name, "view", record_id, visit_id=None)
