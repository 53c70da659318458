"""Crash safety for real: the ingest command is killed with SIGKILL (its whole process group, as a power cut
would) in the middle of a batch, twice, and re-running completes the batch with every document exactly once.
SIGTERM stops cleanly after the documents in hand and says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_tui import checks
from archive_tui.archive import Archive

from ingest_fixtures import text_pdf

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ingest-resume")]
DOCUMENTS = 100


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("resume") / "in"
    root.mkdir()
    for i in range(DOCUMENTS):
        body = f"临川县人民政府办公室\n关于第{i}批政府信息公开事项的通知\n临政办〔2021〕{i + 1}号\n正文第{i}件。"
        if i % 8 == 0:
            text_pdf(root / f"doc{i:03d}.pdf", [body, f"第二页 {i}"])
        else:
            (root / f"doc{i:03d}.txt").write_text(body, encoding="utf-8")
    return root


def command(archive: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "archive_tui", "--archive", str(archive), "ingest", str(folder),
            "--progress-json", "--jobs", "2"]


def run_until(archive: Path, folder: Path, added: int, sig: int, group: bool) -> tuple[int, list[dict]]:
    """Start the ingest, wait for ``added`` new records, send ``sig``; return (exit code, events read)."""
    proc = subprocess.Popen(command(archive, folder), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    events: list[dict] = []
    seen = 0
    for line in proc.stdout:
        events.append(json.loads(line))
        if events[-1]["event"] == "file_done" and events[-1]["status"] == "added":
            seen += 1
            if seen == added:
                os.killpg(proc.pid, sig) if group else proc.send_signal(sig)
                if sig == signal.SIGKILL:
                    break
    proc.stdout.close()
    return proc.wait(timeout=120), events


def assert_complete(path: Path) -> None:
    with Archive.open(path) as archive:
        db = archive.db
        assert db.execute("SELECT count(*) FROM records").fetchone()[0] == DOCUMENTS
        assert db.execute("SELECT count(DISTINCT sha256) FROM files").fetchone()[0] == DOCUMENTS
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == DOCUMENTS
        orphans = db.execute("SELECT count(*) FROM records WHERE id NOT IN (SELECT record_id FROM files) "
                             "OR id NOT IN (SELECT record_id FROM pages)").fetchone()[0]
        assert orphans == 0
        assert db.execute("SELECT count(*) FROM events WHERE action = 'ingest'").fetchone()[0] == DOCUMENTS
        assert checks.run_all(archive) == []


def test_kill_9_twice_then_rerun_completes_exactly_once(folder, tmp_path):
    archive = tmp_path / "archive"
    Archive.create(archive).close()
    for stop_after in (10, 30):
        code, _ = run_until(archive, folder, stop_after, signal.SIGKILL, group=True)
        assert code == -signal.SIGKILL
    with Archive.open(archive) as partial:
        count = partial.db.execute("SELECT count(*) FROM records").fetchone()[0]
    assert 30 <= count < DOCUMENTS
    done = subprocess.run(command(archive, folder), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["added"] + summary["duplicate"] == DOCUMENTS
    assert summary["duplicate"] >= count
    assert_complete(archive)


def test_sigterm_stops_cleanly_and_the_same_command_resumes(folder, tmp_path):
    archive = tmp_path / "archive"
    Archive.create(archive).close()
    code, events = run_until(archive, folder, 10, signal.SIGTERM, group=False)
    assert code == 130
    summary = events[-1]
    assert summary["event"] == "summary" and summary["cancelled"] is True
    assert 10 <= summary["added"] < DOCUMENTS and summary["not_started"] > 0
    done = subprocess.run(command(archive, folder), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert_complete(archive)


def test_store_cleanup_removes_only_old_unreferenced_files(tmp_path):
    from archive_tui.access import system_actor
    from archive_tui.ingest import cleanup
    from archive_tui.storage import put_bytes

    archive = Archive.create(tmp_path / "archive")
    doc = tmp_path / "a.txt"
    doc.write_text("关于保留的通知", encoding="utf-8")
    archive.ingest([doc], system_actor(), jobs=1)
    orphan = archive.store_dir / put_bytes(archive.store_dir, b"left by a crash", ".txt")[1]
    assert cleanup.unreferenced(archive) == []  # too recent: a running batch may be about to commit it
    old = time.time() - 2 * cleanup.GRACE_SECONDS
    for path in archive.store_dir.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))
    assert cleanup.unreferenced(archive) == [orphan]
    assert cleanup.remove_unreferenced(archive, system_actor()) == [orphan]
    assert not orphan.exists() and checks.run_all(archive) == []
    archive.close()
