"""Keeping the tantivy index in step with the catalogue.

SQLite is the source of truth. Triggers put every changed record id into ``index_queue``; :func:`drain` re-indexes
those records (or deletes them from the index) and removes exactly the queue entries it has seen, so a change made
while it runs stays queued. :func:`rebuild` re-creates the index from a consistent snapshot of the catalogue; with
``procs > 1`` it analyses the texts in worker processes (a fork), so callers inside a threaded program (the TUI) use
:func:`rebuild_in_subprocess`, which runs it in a fresh interpreter and streams progress back.

Only one index writer may exist at a time (tantivy's lock file, shared by every process). Another process holding it
(a CLI ingest next to the app, a rebuild) makes :func:`drain` give up quietly: the queue keeps the work for the next
call.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import tantivy
from sqlite_utils import Database

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
#: Records handed to an analysis worker at a time during a parallel rebuild.
CHUNK = 64
#: Writer memory: tantivy flushes a segment when a thread's share is used up.
DRAIN_HEAP = 64_000_000
REBUILD_HEAP = 400_000_000


def index_ready(index_dir: Path) -> bool:
    """An index of the current schema version exists in ``index_dir``."""
    try:
        info = json.loads((index_dir / VERSION_FILE).read_text())
    except (OSError, ValueError):
        return False
    return info.get("version") == schema.VERSION and tantivy.Index.exists(str(index_dir))


def open_index(index_dir: Path) -> tantivy.Index:
    index = tantivy.Index(schema.make_schema(), path=str(index_dir), reuse=True)
    schema.register_tokenizer(index)
    return index


def indexed_statuses(index_dir: Path) -> dict[int, str]:
    """Record id → review status, as the index has them."""
    index = open_index(index_dir)
    searcher = index.searcher()
    size = max(1, searcher.num_docs)
    found: dict[int, str] = {}
    statuses = [b["key"] for b in searcher.aggregate(
        tantivy.Query.all_query(), {"s": {"terms": {"field": "status", "size": 100}}}
    )["s"]["buckets"]]
    for status in statuses:
        result = searcher.search(tantivy.Query.term_query(schema.make_schema(), "status", status), size)
        found.update(dict.fromkeys(searcher.fast_field_values("id", [address for _, address in result.hits]), status))
    return found


class WriterBusy(Exception):
    """Another writer (in this or another process) holds the index lock."""


def open_writer(index: tantivy.Index, heap: int, threads: int, wait_s: float) -> tantivy.IndexWriter:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return index.writer(heap, threads)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise WriterBusy(str(exc)) from exc
            time.sleep(0.05)


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


def _all_records(db: Database) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """Every record row with its page texts, streamed in id order (a merge of two ordered scans)."""
    page_rows = db.execute("SELECT record_id, text FROM pages ORDER BY record_id, page_no")
    pending = next(page_rows, None)
    for row in db.query("SELECT * FROM records ORDER BY id"):
        while pending is not None and pending[0] < row["id"]:
            pending = next(page_rows, None)
        texts = []
        while pending is not None and pending[0] == row["id"]:
            texts.append(pending[1] or "")
            pending = next(page_rows, None)
        yield row, texts


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _analyse(chunk: list[tuple[dict[str, Any], list[str]]]) -> list[dict[str, Any]]:
    return [schema.document(row, pages) for row, pages in chunk]


def _forget(db: Database, seen: Iterable[tuple[int, str]]) -> None:
    """Remove the queue entries we have indexed, unless they were queued again meanwhile."""
    with db.conn:
        db.conn.executemany("DELETE FROM index_queue WHERE record_id = ? AND queued_at = ?", list(seen))


def drain(db: Database, index_dir: Path) -> int:
    """Index the queued records into the existing index. Returns how many were handled; 0 when the queue is empty
    or the index is busy."""
    handled = 0
    index: tantivy.Index | None = None
    while True:
        seen = [tuple(r) for r in db.execute(
            "SELECT record_id, queued_at FROM index_queue ORDER BY queued_at LIMIT ?", [DRAIN_BATCH]
        )]
        if not seen:
            return handled
        index = index or open_index(index_dir)
        try:
            writer = open_writer(index, DRAIN_HEAP, 1, LOCK_WAIT_S)
        except WriterBusy:
            return handled
        try:
            for rid, row, pages in _fetch(db, sorted({rid for rid, _ in seen})):
                writer.delete_documents_by_term("id", rid)
                if row is not None:
                    writer.add_document(schema.to_tantivy(schema.document(row, pages)))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # also releases the lock
        _forget(db, seen)
        handled += len(seen)


def _fresh_index(index_dir: Path) -> tantivy.Index:
    """An empty index of the current version (whatever was in ``index_dir`` is removed)."""
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    return open_index(index_dir)


def rebuild(db: Database, index_dir: Path, *, procs: int = 1, progress: Progress | None = None) -> int:
    """Re-create the index from the catalogue; returns the number of records indexed.

    An index of the current version stays searchable until the new one is committed (every old document is deleted
    and the new ones added in one commit). ``procs > 1`` forks analysis workers: only call it so from a
    single-threaded process.
    """
    ready = index_ready(index_dir)
    index = open_index(index_dir) if ready else _fresh_index(index_dir)
    try:
        writer = open_writer(index, REBUILD_HEAP, max(1, procs), 30.0)
    except WriterBusy as exc:
        raise ArchiveError("检索索引正被另一个程序写入，请稍后再重建", "index writer lock busy") from exc
    db.execute("BEGIN")  # one read snapshot for the queue and the records
    pool = None
    try:
        seen = [tuple(r) for r in db.execute("SELECT record_id, queued_at FROM index_queue")]
        total = db.execute("SELECT count(*) FROM records").fetchone()[0]
        chunks = _chunks(_all_records(db), CHUNK)
        if procs > 1 and total >= PARALLEL_MIN:
            pool = multiprocessing.get_context("fork").Pool(procs)
            analysed: Iterable[list[dict[str, Any]]] = pool.imap(_analyse, chunks)
        else:
            analysed = map(_analyse, chunks)
        writer.delete_all_documents()
        done = 0
        for docs in analysed:
            for doc in docs:
                writer.add_document(schema.to_tantivy(doc))
            done += len(docs)
            if progress and done < total:
                progress(done, total)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        if pool is not None:
            pool.terminate()
        db.execute("COMMIT")
        writer.wait_merging_threads()
    (index_dir / VERSION_FILE).write_text(json.dumps({"version": schema.VERSION, "records": done}))
    _forget(db, seen)
    if progress:
        progress(done, total)
    return done


def rebuild_in_subprocess(archive_root: Path, *, procs: int | None = None, progress: Progress | None = None) -> int:
    """Run :func:`rebuild` in a fresh interpreter (safe from threaded programs); progress comes back as JSON lines."""
    procs = procs or min(2, os.cpu_count() or 1)
    cmd = [sys.executable, "-m", "archive_tui.search.indexer", str(archive_root), str(procs)]
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
