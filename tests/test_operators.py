"""Operators: scrypt passwords, roles, lock-out, first run, and CLI login once operators exist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_tui import Archive, operators
from archive_tui.access import Role, system_actor
from archive_tui.cli import main
from archive_tui.errors import InvalidInput, PermissionDenied


def run(*args: str, env: dict | None = None, input: str | None = None):
    base = {"ARCHIVE_TUI_PASSWORD": None, "ARCHIVE_TUI_NEW_PASSWORD": None}
    return CliRunner().invoke(main, list(args), env={**base, **(env or {})}, input=input)


def _admin(archive: Archive):
    return archive.init_admin("admin", "admin-pass-1", "管理员甲")


def test_passwords_are_salted_scrypt_and_never_stored_plain(archive: Archive) -> None:
    admin = _admin(archive)
    with archive.db.conn:
        operators.add(archive.db, "wang", "same-password", frozenset({Role.REVIEWER}), admin)
        operators.add(archive.db, "li", "same-password", frozenset({Role.REVIEWER}), admin)
    hashes = [r[0] for r in archive.db.execute("SELECT password_hash FROM operators WHERE username IN ('wang','li')")]
    assert all(h.startswith("scrypt$16384$8$1$") for h in hashes)
    assert hashes[0] != hashes[1]  # random salt
    assert not any("same-password" in h for h in hashes)
    dump = "\n".join(archive.db.conn.iterdump())
    assert "same-password" not in dump and "admin-pass-1" not in dump


def test_login_returns_actor_with_roles_and_operator_id(archive: Archive) -> None:
    admin = _admin(archive)
    with archive.db.conn:
        operators.add(archive.db, "zhao", "zhao-pass-1", operators.parse_roles(["档案员,reviewer"]), admin)
    actor = archive.login("zhao", "zhao-pass-1")
    assert actor.name == "zhao" and actor.operator_id is not None
    assert actor.roles == {Role.ARCHIVIST, Role.REVIEWER}
    with pytest.raises(PermissionDenied, match="用户名或密码不正确"):
        archive.login("nobody", "zhao-pass-1")
    actions = [r[0] for r in archive.db.execute("SELECT action FROM events WHERE action LIKE 'login%' ORDER BY id")]
    assert actions == ["login", "login_failed"]


def test_first_run_only_once_and_role_rules(archive: Archive) -> None:
    with pytest.raises(InvalidInput, match="init-admin"):  # the first operator is always an admin
        with archive.db.conn:
            operators.add(archive.db, "early", "early-pass-1", frozenset({Role.CLERK}), system_actor())
    admin = _admin(archive)
    with pytest.raises(PermissionDenied):
        archive.init_admin("second", "second-pass")
    with pytest.raises(InvalidInput, match="至少 8 位"):
        with archive.db.conn:
            operators.add(archive.db, "short", "1234", frozenset({Role.CLERK}), admin)
    with pytest.raises(InvalidInput, match="未知角色"):
        operators.parse_roles(["保安"])
    clerk = None
    with archive.db.conn:
        clerk = operators.add(archive.db, "chen", "chen-pass-1", frozenset({Role.CLERK}), admin)
    with pytest.raises(PermissionDenied):
        with archive.db.conn:
            operators.add(archive.db, "sneaky", "sneaky-pass", frozenset({Role.ADMIN}), clerk)
    with pytest.raises(InvalidInput, match="最后一个管理员"):
        with archive.db.conn:
            operators.set_roles(archive.db, "admin", frozenset({Role.REVIEWER}), admin)


def test_lock_out_after_five_failures_then_expiry_and_admin_unlock(archive: Archive) -> None:
    admin = _admin(archive)
    with archive.db.conn:
        operators.add(archive.db, "sun", "sun-pass-12", frozenset({Role.CLERK}), admin)
    now = dt.datetime(2026, 3, 1, 9, 0).astimezone()
    for _ in range(operators.MAX_FAILURES - 1):
        with pytest.raises(PermissionDenied, match="用户名或密码不正确"):
            operators.login(archive.db, "sun", "wrong", now=now)
    with pytest.raises(PermissionDenied, match="已锁定 15 分钟"):
        operators.login(archive.db, "sun", "wrong", now=now)
    # locked: even the right password is refused
    with pytest.raises(PermissionDenied, match="已被锁定"):
        operators.login(archive.db, "sun", "sun-pass-12", now=now + dt.timedelta(minutes=14))
    assert operators.login(archive.db, "sun", "sun-pass-12", now=now + dt.timedelta(minutes=16)).name == "sun"
    # an admin's manual lock lasts until unlocked
    with archive.db.conn:
        operators.lock(archive.db, "sun", admin)
    with pytest.raises(PermissionDenied, match="由管理员解锁"):
        operators.login(archive.db, "sun", "sun-pass-12", now=now + dt.timedelta(days=400))
    with archive.db.conn:
        operators.unlock(archive.db, "sun", admin)
    assert archive.login("sun", "sun-pass-12").roles == {Role.CLERK}
    failed = archive.db.execute("SELECT count(*) FROM events WHERE action = 'login_failed'").fetchone()[0]
    assert failed == operators.MAX_FAILURES + 2


def test_cli_first_run_then_login_required(tmp_path: Path) -> None:
    path = str(tmp_path / "a")
    assert run("--archive", path, "init").exit_code == 0
    assert run("--archive", path, "list").exit_code == 0  # no operators: system actor as before
    r = run("--archive", path, "user", "init-admin", "boss", input="boss-pass-1\nboss-pass-1\n")
    assert r.exit_code == 0, r.output
    r = run("--archive", path, "list")
    assert r.exit_code == 1 and "--user" in r.output
    r = run("--archive", path, "--user", "boss", "list", input="bad-password\n")
    assert r.exit_code == 1 and "用户名或密码不正确" in r.output
    admin_env = {"ARCHIVE_TUI_PASSWORD": "boss-pass-1"}
    r = run("--archive", path, "--user", "boss", "user", "add", "wang", "--roles", "审核员,窗口",
            env={**admin_env, "ARCHIVE_TUI_NEW_PASSWORD": "wang-pass-1"})
    assert r.exit_code == 0, r.output
    r = run("--archive", path, "--user", "boss", "user", "list", env=admin_env)
    assert "wang" in r.output and "审核员、窗口" in r.output
    r = run("--archive", path, "--user", "wang", "user", "list", env={"ARCHIVE_TUI_PASSWORD": "wang-pass-1"})
    assert r.exit_code == 1 and "管理员权限" in r.output
    for _ in range(5):
        run("--archive", path, "--user", "wang", "list", env={"ARCHIVE_TUI_PASSWORD": "nope"})
    r = run("--archive", path, "--user", "wang", "list", env={"ARCHIVE_TUI_PASSWORD": "wang-pass-1"})
    assert r.exit_code == 1 and "锁定" in r.output
    assert run("--archive", path, "--user", "boss", "user", "unlock", "wang", env=admin_env).exit_code == 0
    r = run("--archive", path, "--user", "wang", "user", "passwd", env={"ARCHIVE_TUI_PASSWORD": "wang-pass-1",
                                                               "ARCHIVE_TUI_NEW_PASSWORD": "wang-pass-2"})
    assert r.exit_code == 0, r.output
    r = run("--archive", path, "--user", "wang", "list", env={"ARCHIVE_TUI_PASSWORD": "wang-pass-2"})
    assert r.exit_code == 0, r.output


def test_cli_init_cannot_change_settings_of_a_staffed_archive_without_admin(tmp_path: Path) -> None:
    path = str(tmp_path / "a")
    assert run("--archive", path, "init", "--org-code", "003226443").exit_code == 0
    archive = Archive.open(path)
    admin = archive.init_admin("boss", "boss-pass-1")
    with archive.db.conn:
        operators.add(archive.db, "chen", "chen-pass-1", frozenset({Role.CLERK}), admin)
    archive.close()
    assert run("--archive", path, "init", "--org-code", "999999999").exit_code == 1
    r = run("--archive", path, "--user", "chen", "init", "--name", "别处", env={"ARCHIVE_TUI_PASSWORD": "chen-pass-1"})
    assert r.exit_code == 1 and "管理员权限" in r.output
    assert run("--archive", path, "init").exit_code == 0  # nothing to change: still fine
    r = run("--archive", path, "--user", "boss", "init", "--org-code", "000014349",
            env={"ARCHIVE_TUI_PASSWORD": "boss-pass-1"})
    assert r.exit_code == 0, r.output
    with Archive.open(path) as archive:
        assert archive.setting("index_no.org_code") == "000014349"


def test_admin_only_changes_last_admin_rule_and_audit_without_passwords(archive: Archive) -> None:
    admin = _admin(archive)
    with archive.db.conn:
        clerk = operators.add(archive.db, "zhou", "zhou-pass-1", frozenset({Role.CLERK}), admin)
        second = operators.add(archive.db, "boss2", "boss2-pass-1", frozenset({Role.ADMIN}), admin)
    for call in (lambda: operators.listing(archive.db, clerk),
                 lambda: operators.add(archive.db, "x", "x-pass-123", frozenset({Role.CLERK}), clerk),
                 lambda: operators.set_password(archive.db, "admin", "taken-over-1", clerk),
                 lambda: operators.set_roles(archive.db, "zhou", frozenset({Role.ADMIN}), clerk),
                 lambda: operators.lock(archive.db, "admin", clerk),
                 lambda: operators.unlock(archive.db, "zhou", clerk)):
        with pytest.raises(PermissionDenied, match="管理员权限"), archive.db.conn:
            call()
    with pytest.raises(InvalidInput, match="至少指定一个角色"), archive.db.conn:
        operators.set_roles(archive.db, "zhou", frozenset(), admin)
    with archive.db.conn:
        operators.lock(archive.db, "boss2", admin)
    # the only admin not 停用 can neither drop their admin role nor lock themselves out
    with pytest.raises(InvalidInput, match="最后一个管理员"), archive.db.conn:
        operators.set_roles(archive.db, "admin", frozenset({Role.REVIEWER}), admin)
    with pytest.raises(InvalidInput, match="自己"), archive.db.conn:
        operators.lock(archive.db, "admin", admin)
    with pytest.raises(InvalidInput, match="最后一个可用的管理员"), archive.db.conn:
        operators.lock(archive.db, "admin", second)  # a session of boss2 opened before the lock
    with archive.db.conn:
        operators.unlock(archive.db, "boss2", admin)
        operators.set_roles(archive.db, "admin", frozenset({Role.ADMIN, Role.REVIEWER}), admin)
        operators.set_password(archive.db, "zhou", "zhou-new-pass", admin)
    assert archive.login("zhou", "zhou-new-pass").name == "zhou"
    log = [r[0] for r in archive.db.execute("SELECT action FROM events WHERE actor = 'admin' AND action LIKE 'operator%'"
                                            " ORDER BY id")]
    assert log == ["operator_add", "operator_add", "operator_lock", "operator_unlock", "operator_roles",
                   "operator_passwd"]  # refused calls left nothing
    text = "\n".join(str(r) for r in archive.db.query("SELECT * FROM events"))
    assert not any(p in text for p in ("zhou-pass-1", "zhou-new-pass", "boss2-pass-1", "admin-pass-1"))
