"""Keeping the Whoosh index in step with the catalogue.

SQLite is the source of truth. Triggers put every changed record id into ``index_queue``; :func:`drain` re-indexes
those records (or deletes them from the index) and removes exactly the queue entries it has seen, so a change made
while it runs stays queued. :func:`rebuild` re-creates the index from a consistent snapshot of the catalogue; with
``procs > 1`` it uses Whoosh's multi-process writer, which forks — so callers inside a threaded program (the TUI)
use :func:`rebuild_in_subprocess`, which runs it in a fresh interpreter and streams progress back.

Writers take Whoosh's file lock. Another process holding it (a CLI ingest next to the app, a rebuild) makes
:func:`drain` give up quietly: the queue keeps the work for the next call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from whoosh import index as windex
from whoosh.writing import CLEAR

from ..errors import ArchiveError
from . import schema

Progress = Callable[[int, int], None]
VERSION_FILE = "search-version.json"
#: Records re-indexed per writer commit while draining the queue.
DRAIN_BATCH = 2000
#: How long a drain waits for another process's writer before leaving the queue for later.
LOCK_WAIT_S = 1.0
#: Below this many records a rebuild does not start worker processes.
PARALLEL_MIN = 3000
#: Posting pool size per writer process before it spills sorted runs to disk.
LIMIT_MB = 256


def index_ready(index_dir: Path) -> bool:
    """An index of the current schema version exists in ``index_dir``."""
    try:
        info = json.loads((index_dir / VERSION_FILE).read_text())
    except (OSError, ValueError):
        return False
    return info.get("version") == schema.VERSION and any(index_dir.glob("_MAIN_*.toc"))


def open_index(index_dir: Path) -> windex.Index:
    return windex.open_dir(str(index_dir))


def _fetch(db: Database, ids: list[int]) -> Iterator[tuple[int, dict[str, Any] | None, list[str]]]:
    """(id, record row or None when deleted, page texts) for each id."""
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in db.query(f"SELECT * FROM records WHERE id IN ({marks})", ids)}
    pages: dict[int, list[str]] = {}
    for rid, text in db.execute(
        f"SELECT record_id, text FROM pages WHERE record_id IN ({marks}) ORDER BY record_id, page_no", ids
    ):
        pages.setdefault(rid, []).append(text or "")
    for rid in ids:
        yield rid, rows.get(rid), pages.get(rid, [])


def _all_documents(db: Database) -> Iterator[dict[str, Any]]:
    """Every record with its pages, streamed in id order (a merge of two ordered scans)."""
    page_rows = db.execute("SELECT record_id, text FROM pages ORDER BY record_id, page_no")
    pending = next(page_rows, None)
    for row in db.query("SELECT * FROM records ORDER BY id"):
        while pending is not None and pending[0] < row["id"]:
            pending = next(page_rows, None)
        texts = []
        while pending is not None and pending[0] == row["id"]:
            texts.append(pending[1] or "")
            pending = next(page_rows, None)
        yield schema.document(row, texts)


def _forget(db: Database, seen: Iterable[tuple[int, str]]) -> None:
    """Remove the queue entries we have indexed, unless they were queued again meanwhile."""
    with db.conn:
        db.conn.executemany("DELETE FROM index_queue WHERE record_id = ? AND queued_at = ?", list(seen))


def drain(db: Database, index_dir: Path) -> int:
    """Index the queued records. Returns how many were handled; 0 when the queue is empty or the index is busy.

    Builds the index from scratch (in this process, one writer) when there is none yet.
    """
    if not index_ready(index_dir):
        return rebuild(db, index_dir)
    handled = 0
    while True:
        seen = [tuple(r) for r in db.execute(
            "SELECT record_id, queued_at FROM index_queue ORDER BY queued_at LIMIT ?", [DRAIN_BATCH]
        )]
        if not seen:
            return handled
        try:
            writer = open_index(index_dir).writer(timeout=LOCK_WAIT_S, delay=0.05, codec=schema.IndexCodec())
        except windex.LockError:
            return handled
        try:
            for rid, row, pages in _fetch(db, sorted({rid for rid, _ in seen})):
                if row is None:
                    writer.delete_by_term("id", str(rid))
                else:
                    writer.update_document(**schema.document(row, pages))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _forget(db, seen)
        handled += len(seen)


def rebuild(db: Database, index_dir: Path, *, procs: int = 1, progress: Progress | None = None) -> int:
    """Re-create the index from the catalogue; returns the number of records indexed.

    The old index stays searchable until the new one is committed (``CLEAR`` replaces every old segment at once).
    ``procs > 1`` forks worker processes: only call it so from a single-threaded process.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    if not index_ready(index_dir):
        (index_dir / VERSION_FILE).unlink(missing_ok=True)
        windex.create_in(str(index_dir), schema.make_schema())
    ix = open_index(index_dir)
    db.execute("BEGIN")  # one read snapshot for the queue and the records
    try:
        seen = [tuple(r) for r in db.execute("SELECT record_id, queued_at FROM index_queue")]
        total = db.execute("SELECT count(*) FROM records").fetchone()[0]
        parallel = procs > 1 and total >= PARALLEL_MIN
        try:
            writer = ix.writer(
                timeout=30.0, delay=0.1, limitmb=LIMIT_MB, codec=schema.IndexCodec(),
                **({"procs": procs, "multisegment": True, "batchsize": 256} if parallel else {}),
            )
        except windex.LockError as exc:
            raise ArchiveError("检索索引正被另一个程序写入，请稍后再重建", "whoosh write lock busy") from exc
        done = 0
        try:
            for doc in _all_documents(db):
                writer.add_document(**doc)
                done += 1
                if progress and (done % 250 == 0 or done == total):
                    progress(done, total)
        except BaseException:
            writer.cancel()
            raise
    finally:
        db.execute("COMMIT")
    writer.commit(mergetype=CLEAR)
    (index_dir / VERSION_FILE).write_text(json.dumps({"version": schema.VERSION, "records": done}))
    _forget(db, seen)
    if progress:
        progress(done, total)
    return done


def rebuild_in_subprocess(archive_root: Path, *, procs: int | None = None, progress: Progress | None = None) -> int:
    """Run :func:`rebuild` in a fresh interpreter (safe from threaded programs); progress comes back as JSON lines."""
    procs = procs or min(2, os.cpu_count() or 1)
    # -O drops Whoosh's per-posting assertions, a tenth of indexing time
    cmd = [sys.executable, "-O", "-m", "archive_tui.search.indexer", str(archive_root), str(procs)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        event = json.loads(line)
        done = event["done"]
        if progress:
            progress(event["done"], event["total"])
    error = proc.stderr.read() if proc.stderr else ""
    if proc.wait() != 0:
        raise ArchiveError("重建检索索引失败", error.strip().splitlines()[-1] if error.strip() else "rebuild failed")
    return done


def _main(argv: list[str]) -> None:
    root, procs = Path(argv[0]), int(argv[1])

    def report(done: int, total: int) -> None:
        print(json.dumps({"done": done, "total": total}), flush=True)

    from ..archive import Archive

    with Archive.open(root) as archive:
        rebuild(archive.db, archive.index_dir, procs=procs, progress=report)


if __name__ == "__main__":
    _main(sys.argv[1:])
