"""The audit trail: every kind of tampering fails verify (core and CLI); CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_tui import Archive, audit, events
from archive_tui.access import Actor, Role, system_actor
from archive_tui.cli import main

REVIEWER = Actor("王审核", frozenset({Role.REVIEWER}))


def _busy(archive: Archive) -> None:
    staff = system_actor("李档案")
    ids = [archive.add_record({"title": f"文件{i}"}, staff) for i in range(3)]
    archive.update_record(ids[0], {"title": "改过的文件"}, staff)
    archive.release(ids[0], REVIEWER)
    archive.withhold(ids[1], REVIEWER, "过程性信息", "征求意见稿")
    assert archive.audit_verify() == []


def _raw(archive: Archive, *sql: str) -> None:
    """What someone with the database file could do: drop the protection and rewrite rows."""
    db = archive.db
    with db.conn:
        db.execute("DROP TRIGGER IF EXISTS events_no_update")
        db.execute("DROP TRIGGER IF EXISTS events_no_delete")
        for statement in sql:
            db.execute(statement)


def test_plain_sql_cannot_edit_or_delete_the_trail(archive: Archive) -> None:
    _busy(archive)
    for statement in ("UPDATE events SET actor = 'x' WHERE id = 2", "DELETE FROM events WHERE id = 6",
                      "DELETE FROM event_anchor", "UPDATE event_anchor SET count = 2, last_id = 2"):
        with pytest.raises(Exception, match="append-only|anchor"):
            archive.db.execute(statement)


@pytest.mark.parametrize("statement, expected", [
    ("UPDATE events SET detail = '{}' WHERE id = 3", "内容被改动"),
    ("DELETE FROM events WHERE id = 2", "缺失"),
    ("DELETE FROM events WHERE id = 1", "链接不符"),
    ("DELETE FROM events WHERE id = (SELECT max(id) FROM events)", "末尾被截断"),
])
def test_tampering_anywhere_fails_verify(archive: Archive, statement: str, expected: str) -> None:
    _busy(archive)
    _raw(archive, statement)
    problems = archive.audit_verify()
    assert any(expected in p for p in problems), problems
    assert any("保护触发器" in p for p in problems)  # dropping the protection is itself reported


def test_rewritten_chain_is_caught_by_a_saved_head(archive: Archive) -> None:
    _busy(archive)
    saved = audit.head(archive.db)
    assert archive.audit_verify(expect=saved) == []
    archive.add_record({"title": "之后的文件"}, system_actor())
    assert archive.audit_verify(expect=saved) == []  # the chain still extends the saved head
    # rewrite the whole log consistently, anchor included: only the saved head shows it
    db = archive.db
    rows = list(db.execute("SELECT id, ts, actor, action, record_id, detail FROM events ORDER BY id"))
    with db.conn:
        for name in audit.PROTECTIVE_TRIGGERS:
            db.execute(f"DROP TRIGGER {name}")
        db.execute("DELETE FROM events")
        prev = events.GENESIS
        for event_id, ts, actor, action, record_id, detail in rows:
            actor = "别人" if action == "release" else actor
            digest = events._digest(prev, ts, actor, action, record_id, detail)
            db.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)",
                       [event_id, ts, actor, action, record_id, detail, prev, digest])
            prev = digest
        db.execute("UPDATE event_anchor SET last_hash = ?", [prev])
    problems = archive.audit_verify(expect=saved)
    assert any("日志头" in p for p in problems)


def test_release_withhold_login_and_export_are_logged(archive: Archive) -> None:
    _busy(archive)
    archive.init_admin("boss", "boss-pass-1")
    archive.login("boss", "boss-pass-1")
    actions = [r[0] for r in archive.db.execute("SELECT action FROM events ORDER BY id")]
    assert actions == ["create", "create", "create", "edit", "release", "withhold", "operator_add", "login"]
    edit = events.for_record(archive.db, 1)[1]
    assert edit["detail"]["before"] == {"title": "文件0"} and edit["detail"]["after"] == {"title": "改过的文件"}


def test_cli_verify_and_csv_export(tmp_path: Path) -> None:
    path = tmp_path / "a"
    archive = Archive.create(path)
    _busy(archive)
    runner = CliRunner()
    r = runner.invoke(main, ["--archive", str(path), "audit", "verify"])
    assert r.exit_code == 0 and "操作日志完整：共 6 条" in r.output
    head = runner.invoke(main, ["--archive", str(path), "audit", "head"]).output.strip()
    out = tmp_path / "audit.csv"
    r = runner.invoke(main, ["--archive", str(path), "audit", "export", "--csv", str(out)])
    assert r.exit_code == 0, r.output
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == audit.CSV_HEADER and len(rows) == 7
    assert rows[5][2:5] == ["王审核", "发布", "release"]
    _raw(archive, "DELETE FROM events WHERE id >= 6")  # the export's own entry and the withhold before it
    archive.close()
    r = runner.invoke(main, ["--archive", str(path), "audit", "verify", "--head", head])
    assert r.exit_code == 1 and "末尾被截断" in r.output and "日志头" in r.output
    r = runner.invoke(main, ["--archive", str(path), "check"])
    assert r.exit_code == 1 and "末尾被截断" in r.output


def _append(path: str, tag: str, n: int) -> None:
    archive = Archive.open(path)
    for i in range(n):
        with archive.db.conn:
            events.log(archive.db, tag, "export", None, i=i)
    archive.close()


def test_two_processes_appending_keep_one_chain(tmp_path: Path) -> None:
    """Each append reads the head and writes under one lock, so concurrent writers never fork the chain."""
    import multiprocessing

    path = str(tmp_path / "a")
    Archive.create(path).close()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append, args=(path, tag, 80)) for tag in ("甲", "乙")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    with Archive.open(path) as archive:
        assert archive.db.execute("SELECT count(*) FROM events").fetchone()[0] == 160
        assert archive.audit_verify() == []
