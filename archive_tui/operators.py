"""Operators (操作员), their roles, passwords and lock-out.

Passwords are stored as scrypt hashes (memory-hard, random salt per password) and compared in constant time.
After :data:`MAX_FAILURES` wrong passwords in a row an account is locked for :data:`LOCK_MINUTES`; an admin can
unlock it earlier or lock it indefinitely. Every login, failed login and change is written to the event log.
Usernames are what the records and the event log show (``created_by``, ``reviewed_by``, ``actor``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from collections.abc import Collection, Iterable
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import events
from .access import Actor, Role
from .errors import InvalidInput, NotFound, PermissionDenied
from .timeutil import now_iso

MIGRATIONS = Migrations("archive_tui.operators")

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
#: A manual lock by an admin lasts until an admin unlocks.
LOCKED_FOREVER = "9999-12-31T23:59:59+00:00"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_ROLE_BY_TEXT = {r.value: r for r in Role} | {r.label: r for r in Role}


@MIGRATIONS()
def m001_operators(db: Database) -> None:
    db["operators"].create(
        {
            "id": int,
            "username": str,
            "display_name": str,
            "roles": str,  # comma-separated Role values
            "password_hash": str,  # scrypt$n$r$p$salt$hash
            "failed_count": int,  # consecutive failed logins
            "locked_until": str,  # ISO timestamp, NULL when not locked
            "created_at": str,
            "created_by": str,
            "last_login": str,
        },
        pk="id",
        not_null={"username", "roles", "password_hash", "created_at"},
        defaults={"failed_count": 0},
    )
    db["operators"].create_index(["username"], unique=True)


# -- passwords ---------------------------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 2**20, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = bytes.fromhex(digest)
    actual = hashlib.scrypt(
        password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected),
        maxmem=64 * 2**20,
    )
    return hmac.compare_digest(actual, expected)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown user names against (same work as a real account); made on first need, not at import:
    it costs ~80 ms, a twentieth of the app's start."""
    return hash_password(secrets.token_hex(8))


def _check_new_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位", "password too short")


# -- roles -------------------------------------------------------------------------------------------------------


def _check_roles(roles: Collection[Role]) -> None:
    if not roles:
        raise InvalidInput("请至少指定一个角色", "no roles")


def parse_roles(items: Iterable[str]) -> frozenset[Role]:
    """Roles from their values (``reviewer``) or labels (``审核员``), comma-separated or one per item."""
    roles, bad = set(), []
    for item in items:
        for text in str(item).replace("，", ",").split(","):
            text = text.strip()
            if not text:
                continue
            if text in _ROLE_BY_TEXT:
                roles.add(_ROLE_BY_TEXT[text])
            else:
                bad.append(text)
    if bad:
        known = "、".join(f"{r.label}({r.value})" for r in Role)
        raise InvalidInput(f"未知角色「{'、'.join(bad)}」，可选：{known}", f"unknown roles {bad}")
    _check_roles(roles)
    return frozenset(roles)


def _roles_text(roles: Iterable[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


def roles_of(row: dict[str, Any]) -> frozenset[Role]:
    return frozenset(Role(v) for v in (row["roles"] or "").split(",") if v)


def roles_label(roles: Iterable[Role]) -> str:
    return "、".join(r.label for r in sorted(roles, key=lambda r: list(Role).index(r)))


# -- operators ---------------------------------------------------------------------------------------------------


def count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM operators").fetchone()[0])


def get(db: Database, username: str) -> dict[str, Any]:
    rows = list(db.query("SELECT * FROM operators WHERE username = ?", [username]))
    if not rows:
        raise NotFound(f"没有操作员「{username}」", f"no operator {username!r}")
    return rows[0]


def listing(db: Database, actor: Actor) -> list[dict[str, Any]]:
    actor.require(Role.ADMIN)
    return list(db.query(
        "SELECT id, username, display_name, roles, failed_count, locked_until, created_at, last_login "
        "FROM operators ORDER BY id"
    ))


def state_label(row: dict[str, Any], *, now: dt.datetime | None = None) -> str:
    """How a :func:`listing` row stands: 已停用 (locked by an admin), 锁定至 … (wrong passwords), 密码错误 N 次, or 正常."""
    now = now or dt.datetime.now().astimezone()
    if row["locked_until"] == LOCKED_FOREVER:
        return "已停用（待管理员解锁）"
    if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
        return f"锁定至 {dt.datetime.fromisoformat(row['locked_until']).strftime('%H:%M')}"
    if row["failed_count"]:
        return f"密码错误 {row['failed_count']} 次"
    return "正常"


def init_admin(db: Database, username: str, password: str, display_name: str | None = None) -> Actor:
    """First run: create the first operator, an admin. Refused once any operator exists."""
    if count(db):
        raise PermissionDenied("已有操作员，首个管理员只能创建一次；请由管理员添加操作员", "operators exist")
    row = _insert(db, username, password, frozenset({Role.ADMIN}), display_name, "首次运行")
    return _actor(row)


def add(
    db: Database, username: str, password: str, roles: frozenset[Role], actor: Actor, display_name: str | None = None
) -> Actor:
    actor.require(Role.ADMIN)
    if not count(db):
        raise InvalidInput("还没有管理员，请先运行 archive-tui user init-admin 创建首个管理员", "no admin yet")
    if db.execute("SELECT 1 FROM operators WHERE username = ?", [username]).fetchone():
        raise InvalidInput(f"操作员「{username}」已存在", "duplicate username")
    return _actor(_insert(db, username, password, roles, display_name, actor.name))


def _insert(
    db: Database, username: str, password: str, roles: frozenset[Role], display_name: str | None, by: str
) -> dict[str, Any]:
    username = (username or "").strip()
    if not username or any(ch.isspace() for ch in username) or len(username) > 32:
        raise InvalidInput("用户名不能为空、不能含空格，最长 32 个字符", "bad username")
    _check_new_password(password)
    _check_roles(roles)
    row = {
        "username": username,
        "display_name": (display_name or "").strip() or username,
        "roles": _roles_text(roles),
        "password_hash": hash_password(password),
        "failed_count": 0,
        "created_at": now_iso(),
        "created_by": by,
    }
    row["id"] = db["operators"].insert(row).last_pk
    events.log(db, by, "operator_add", None, username=username, roles=row["roles"])
    return row


def _actor(row: dict[str, Any]) -> Actor:
    return Actor(name=row["username"], roles=roles_of(row), operator_id=int(row["id"]))


def login(db: Database, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a password; returns the operator's Actor. Runs its own transaction so that a failure is recorded.

    Unknown user and wrong password give the same message; a locked account is refused without checking.
    """
    now = now or dt.datetime.now().astimezone()
    username = (username or "").strip()
    wrong = PermissionDenied("用户名或密码不正确", "authentication failed")
    with db.conn:
        rows = list(db.query("SELECT * FROM operators WHERE username = ?", [username]))
        if not rows:
            check_password(password or "", _dummy_hash())  # same work as for a real account
            events.log(db, username or "?", "login_failed", None, reason="unknown user")
            failure: PermissionDenied | None = wrong
        else:
            failure = _attempt(db, rows[0], password or "", now)
    if failure is not None:
        raise failure
    return _actor(get(db, username))


def _attempt(db: Database, row: dict[str, Any], password: str, now: dt.datetime) -> PermissionDenied | None:
    """One login attempt for an existing operator inside the caller's transaction; returns the error, if any."""
    name = row["username"]
    if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
        events.log(db, name, "login_failed", None, reason="locked")
        until = "由管理员解锁" if row["locked_until"] == LOCKED_FOREVER else \
            f"请于 {dt.datetime.fromisoformat(row['locked_until']).strftime('%H:%M')} 后再试或请管理员解锁"
        return PermissionDenied(f"操作员「{name}」已被锁定，{until}", f"account locked until {row['locked_until']}")
    if check_password(password, row["password_hash"]):
        db["operators"].update(row["id"], {"failed_count": 0, "locked_until": None, "last_login": now_iso()})
        events.log(db, name, "login", None)
        return None
    failures = (row["failed_count"] or 0) + 1
    changes: dict[str, Any] = {"failed_count": failures}
    if failures >= MAX_FAILURES:
        changes = {"failed_count": 0, "locked_until": (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat()}
    db["operators"].update(row["id"], changes)
    events.log(db, name, "login_failed", None, reason="wrong password", failures=failures,
               locked=failures >= MAX_FAILURES)
    if failures >= MAX_FAILURES:
        return PermissionDenied(
            f"密码连续错误 {MAX_FAILURES} 次，操作员「{name}」已锁定 {LOCK_MINUTES} 分钟", "account locked"
        )
    return PermissionDenied("用户名或密码不正确", f"authentication failed ({failures}/{MAX_FAILURES})")


def set_password(db: Database, username: str, password: str, actor: Actor) -> None:
    """An operator changes their own password; an admin may set anyone's."""
    if actor.name != username:
        actor.require(Role.ADMIN)
    row = get(db, username)
    _check_new_password(password)
    db["operators"].update(row["id"], {"password_hash": hash_password(password)})
    events.log(db, actor.name, "operator_passwd", None, username=username)


def set_roles(db: Database, username: str, roles: frozenset[Role], actor: Actor) -> None:
    """An admin sets an operator's roles; the admin role cannot leave the last admin who is not 停用."""
    actor.require(Role.ADMIN)
    _check_roles(roles)
    row = get(db, username)
    if Role.ADMIN in roles_of(row) and Role.ADMIN not in roles and not _other_usable_admins(db, username):
        raise InvalidInput("不能取消最后一个管理员的管理员角色（其他管理员都已停用或不存在）", "last admin")
    db["operators"].update(row["id"], {"roles": _roles_text(roles)})
    events.log(db, actor.name, "operator_roles", None, username=username, before=row["roles"],
               after=_roles_text(roles))


def lock(db: Database, username: str, actor: Actor) -> None:
    """An admin locks an account until it is unlocked."""
    actor.require(Role.ADMIN)
    if username == actor.name:
        raise InvalidInput("不能锁定自己的账户", "cannot lock oneself")
    row = get(db, username)
    if Role.ADMIN in roles_of(row) and not _other_usable_admins(db, username):
        raise InvalidInput("不能停用最后一个可用的管理员", "last usable admin")
    db["operators"].update(row["id"], {"locked_until": LOCKED_FOREVER})
    events.log(db, actor.name, "operator_lock", None, username=username)


def unlock(db: Database, username: str, actor: Actor) -> None:
    actor.require(Role.ADMIN)
    row = get(db, username)
    db["operators"].update(row["id"], {"locked_until": None, "failed_count": 0})
    events.log(db, actor.name, "operator_unlock", None, username=username)


def _other_usable_admins(db: Database, username: str) -> int:
    """Admins besides ``username`` that are not locked until an admin unlocks them. A lock after wrong passwords
    expires by itself, so those admins still count: somebody must always be able to manage operators."""
    rows = db.query("SELECT roles, locked_until FROM operators WHERE username != ?", [username])
    return sum(Role.ADMIN in roles_of(r) and r["locked_until"] != LOCKED_FOREVER for r in rows)
